DROP TRIGGER facturas_grupo_baja ON facturas;
DROP TRIGGER facturas_grupo_cambio ON facturas;
DROP TRIGGER facturas_grupo_alta ON facturas;
DROP FUNCTION facturas_grupo();
DROP TRIGGER movimientos_libro ON movimientos;
DROP FUNCTION movimientos_libro();
DROP INDEX movimientos_fecha;
DROP TABLE cartera_grupos;
ALTER TABLE facturas DROP COLUMN libro;
