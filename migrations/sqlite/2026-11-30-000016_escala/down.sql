DROP INDEX facturas_recientes;
DROP INDEX glosas_vence;
DROP INDEX facturas_cufe_minusculas;
DROP TRIGGER facturas_busqueda_cambio;
DROP TRIGGER facturas_busqueda_baja;
DROP TRIGGER facturas_busqueda_alta;
DROP TABLE facturas_busqueda;
