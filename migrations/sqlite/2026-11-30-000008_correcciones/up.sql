-- Corrections keep history. A voided glosa, devolución, radicación, payment or application
-- leaves its live table (so every balance, list and deadline stops counting it) and is kept
-- here as it was, with why and who; a voided answer or decision is kept here as it was before
-- its fields are cleared. Edits of plain data (an invoice before radicación, a contract, a
-- payer) are kept here with the record before and after. Like `eventos`, append-only.
CREATE TABLE correcciones (
    id            TEXT PRIMARY KEY NOT NULL,
    prestador_id  TEXT NOT NULL REFERENCES prestadores(id),
    -- anulacion | modificacion
    accion        TEXT NOT NULL,
    -- glosa, respuesta_glosa, decision_glosa, devolucion, respuesta_devolucion,
    -- decision_devolucion, radicacion, pago, aplicacion, factura, contrato, pagador
    entidad       TEXT NOT NULL,
    entidad_id    TEXT NOT NULL,
    -- The invoice it touched, when it touched one (a payment touches several).
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
CREATE TRIGGER correcciones_sin_update BEFORE UPDATE ON correcciones
BEGIN SELECT RAISE(ABORT, 'correcciones es de solo inserción: una corrección no se modifica'); END;
CREATE TRIGGER correcciones_sin_delete BEFORE DELETE ON correcciones
BEGIN SELECT RAISE(ABORT, 'correcciones es de solo inserción: una corrección no se borra'); END;

-- An application that recovered written-off cartera also undid that much of the castigo;
-- voiding it must undo both.
ALTER TABLE aplicaciones ADD COLUMN recuperacion BOOLEAN NOT NULL DEFAULT 0;
