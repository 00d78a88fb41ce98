DROP INDEX facturas_limite_radicacion;
DROP INDEX facturas_limite_pago;
