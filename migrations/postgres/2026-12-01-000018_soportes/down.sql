DROP TABLE paquete_facturas;
DROP TABLE paquetes_radicacion;
ALTER TABLE rips DROP COLUMN tipos_servicio;
ALTER TABLE rips DROP COLUMN cuv_registrado_en;
ALTER TABLE rips DROP COLUMN cuv;
DROP TABLE soportes;
DROP TABLE archivos;
