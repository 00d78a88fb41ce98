DROP TRIGGER facturas_grupo_baja;
DROP TRIGGER facturas_grupo_cambio;
DROP TRIGGER facturas_grupo_alta;
DROP TRIGGER movimientos_libro;
DROP INDEX movimientos_fecha;
DROP TABLE cartera_grupos;
ALTER TABLE facturas DROP COLUMN libro;
