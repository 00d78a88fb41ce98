-- Files kept in the database, so that backups and every server behind the balancer see them.
-- Stored once per prestador and content: attaching the same bytes twice keeps one copy.
CREATE TABLE archivos (
    prestador_id  TEXT NOT NULL REFERENCES prestadores (id),
    -- SHA-256 of the content, lowercase hex.
    hash          TEXT NOT NULL,
    tamano        BIGINT NOT NULL,
    contenido     BYTEA NOT NULL,
    creado_en     TIMESTAMP NOT NULL,
    PRIMARY KEY (prestador_id, hash)
);

-- A soporte: a file attached to a record — an invoice (soportes de cobro, Res. 2284/2023
-- Anexo 1), the answer to a glosa or a devolución, an acuerdo de pago or an acta. Removal keeps
-- the row (who, when, why): what was attached is evidence and the events cite it.
CREATE TABLE soportes (
    id                 TEXT PRIMARY KEY NOT NULL,
    prestador_id       TEXT NOT NULL REFERENCES prestadores (id),
    objeto             TEXT NOT NULL CHECK (objeto IN ('factura','glosa','devolucion','acuerdo','acta')),
    objeto_id          TEXT NOT NULL,
    -- The invoice whose trazabilidad records it; empty for a record of several invoices.
    factura_id         TEXT REFERENCES facturas (id),
    -- Res. 2284/2023 Anexo 2 abbreviation (HEV, EPI, PDX, ...), FEV for the invoice's XML,
    -- RIPS for its JSON, or OTRO.
    tipo               TEXT NOT NULL,
    -- Multi-user invoices (Anexo 2 num. 3.4): the person's document type and number, e.g. CC123.
    documento_usuario  TEXT NOT NULL DEFAULT '',
    nombre             TEXT NOT NULL,
    media_type         TEXT NOT NULL,
    hash               TEXT NOT NULL,
    tamano             BIGINT NOT NULL,
    actor_id           TEXT NOT NULL REFERENCES usuarios (id),
    creado_en          TIMESTAMP NOT NULL,
    retirado_por       TEXT REFERENCES usuarios (id),
    retirado_en        TIMESTAMP,
    motivo_retiro      TEXT NOT NULL DEFAULT '',
    FOREIGN KEY (prestador_id, hash) REFERENCES archivos (prestador_id, hash)
);
CREATE INDEX soportes_objeto ON soportes (prestador_id, objeto, objeto_id);
CREATE INDEX soportes_factura ON soportes (prestador_id, factura_id);
-- The same content is attached once to a record while in force: a second upload of it gives back
-- the first (two at once: one of them is refused here instead of leaving a twin).
CREATE UNIQUE INDEX soportes_vigentes ON soportes (prestador_id, objeto, objeto_id, hash) WHERE retirado_en IS NULL;

-- The CUV the Ministry's validator gave the invoice's RIPS (Res. 2275/2023; Res. 1557/2023).
ALTER TABLE rips ADD COLUMN cuv TEXT;
ALTER TABLE rips ADD COLUMN cuv_registrado_en TIMESTAMP;
-- The kinds of service the RIPS bills (consulta, procedimiento, urgencia, ...; comma
-- separated): they decide which soportes Anexo 1 asks of the invoice. Empty for RIPS imported
-- before this column existed (the checklist then asks to import it again).
ALTER TABLE rips ADD COLUMN tipos_servicio TEXT NOT NULL DEFAULT '';

-- The radicación package of Anexo 2: one zip of a lote's soportes. The zip is built the same
-- way every time from its manifest, so the evidence kept is its hash, size and manifest, and a
-- download rebuilds it and checks the hash instead of storing up to 1 GB twice.
CREATE TABLE paquetes_radicacion (
    id                 TEXT PRIMARY KEY NOT NULL,
    prestador_id       TEXT NOT NULL REFERENCES prestadores (id),
    pagador_id         TEXT NOT NULL REFERENCES pagadores (id),
    nombre             TEXT NOT NULL,
    hash               TEXT NOT NULL,
    tamano             BIGINT NOT NULL,
    -- JSON: [{"nombre": "HEV_...pdf", "hash": "...", "tamano": 123, "factura_id": "..."}]
    manifiesto         TEXT NOT NULL,
    -- What the checklist found missing when the package was built anyway, and why (JSON, text).
    faltantes          TEXT NOT NULL DEFAULT '[]',
    motivo_excepcion   TEXT NOT NULL DEFAULT '',
    estado             TEXT NOT NULL CHECK (estado IN ('generado','radicado')),
    numero_radicado    TEXT,
    -- The payer's automatic acknowledgement of receipt (Anexo 2 num. 1.3): date and time.
    acuse_en           TIMESTAMP,
    acuse_referencia   TEXT NOT NULL DEFAULT '',
    actor_id           TEXT NOT NULL REFERENCES usuarios (id),
    creado_en          TIMESTAMP NOT NULL,
    radicado_por       TEXT REFERENCES usuarios (id),
    radicado_en        TIMESTAMP
);
CREATE INDEX paquetes_radicacion_pagador ON paquetes_radicacion (prestador_id, pagador_id, creado_en);

CREATE TABLE paquete_facturas (
    paquete_id    TEXT NOT NULL REFERENCES paquetes_radicacion (id),
    factura_id    TEXT NOT NULL REFERENCES facturas (id),
    prestador_id  TEXT NOT NULL REFERENCES prestadores (id),
    PRIMARY KEY (paquete_id, factura_id)
);
CREATE INDEX paquete_facturas_factura ON paquete_facturas (prestador_id, factura_id);
