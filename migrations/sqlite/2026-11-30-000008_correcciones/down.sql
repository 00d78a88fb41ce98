DROP TABLE correcciones;
ALTER TABLE aplicaciones DROP COLUMN recuperacion;
