DROP TABLE correcciones;
DROP FUNCTION correcciones_solo_insercion();
ALTER TABLE aplicaciones DROP COLUMN recuperacion;
