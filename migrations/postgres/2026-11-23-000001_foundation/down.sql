DROP TABLE eventos;
DROP TABLE factura_items;
DROP TABLE facturas;
DROP TABLE contratos;
DROP TABLE pagadores;
DROP TABLE usuarios;
DROP TABLE prestadores;
DROP FUNCTION eventos_solo_insercion();
