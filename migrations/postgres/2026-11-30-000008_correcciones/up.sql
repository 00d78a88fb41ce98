-- Corrections keep history. A voided glosa, devolución, radicación, payment or application
-- leaves its live table (so every balance, list and deadline stops counting it) and is kept
-- here as it was, with why and who; a voided answer or decision is kept here as it was before
-- its fields are cleared. Edits of plain data (an invoice before radicación, a contract, a
-- payer) are kept here with the record before and after. Like `eventos`, append-only.
CREATE TABLE correcciones (
    id            TEXT PRIMARY KEY NOT NULL,
    prestador_id  TEXT NOT NULL REFERENCES prestadores(id),
    accion        TEXT NOT NULL,
    entidad       TEXT NOT NULL,
    entidad_id    TEXT NOT NULL,
    factura_id    TEXT REFERENCES facturas(id),
    motivo        TEXT NOT NULL,
    antes         TEXT NOT NULL,
    despues       TEXT,
    actor_id      TEXT NOT NULL REFERENCES usuarios(id),
    fecha         DATE NOT NULL,
    registrado_en TIMESTAMP NOT NULL
);
CREATE INDEX correcciones_entidad ON correcciones (prestador_id, entidad_id);
CREATE INDEX correcciones_registro ON correcciones (prestador_id, registrado_en);
CREATE FUNCTION correcciones_solo_insercion() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'correcciones es de solo inserción: una corrección no se modifica ni se borra';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER correcciones_sin_cambios BEFORE UPDATE OR DELETE ON correcciones
    FOR EACH ROW EXECUTE FUNCTION correcciones_solo_insercion();

ALTER TABLE aplicaciones ADD COLUMN recuperacion BOOLEAN NOT NULL DEFAULT false;
