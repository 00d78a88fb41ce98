ALTER TABLE importaciones DROP COLUMN aceptadas_tacitamente;
