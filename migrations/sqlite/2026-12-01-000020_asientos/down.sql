ALTER TABLE movimientos DROP COLUMN documento;
ALTER TABLE movimientos DROP COLUMN origen_id;
ALTER TABLE movimientos DROP COLUMN origen;
