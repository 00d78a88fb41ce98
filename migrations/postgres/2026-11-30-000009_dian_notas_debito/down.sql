ALTER TABLE factura_items DROP COLUMN impuestos;
ALTER TABLE notas DROP COLUMN tipo;
