ALTER TABLE gestiones DROP COLUMN automatica;
