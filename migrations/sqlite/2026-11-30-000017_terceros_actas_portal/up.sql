-- Who pays is not always who owes (Res. 2284/2023 art. 8): a payment keeps its debtor in
-- pagador_id (whose invoices it settles) and, when a third party paid on that payer's behalf
-- (ADRES giro directo), that party in pagado_por_id.
-- SQLite cannot drop a column that references another table: the reference is kept by the
-- use cases here (PostgreSQL declares it).
ALTER TABLE pagos ADD COLUMN pagado_por_id TEXT;
CREATE INDEX pagos_pagado_por ON pagos (prestador_id, pagado_por_id, fecha);

-- A user of role pagador belongs to one payer of its prestador and sees only that payer.
-- SQLite cannot change a CHECK in place: the table is made again with the new role and
-- column. Its rows wait in a copy while it is dropped; the rows that reference users are
-- checked at commit (deferred): dropping counts them as orphans and putting the users back
-- counts them as matched again, so a database with users and their sessions, events... upgrades.
PRAGMA defer_foreign_keys = ON;
CREATE TABLE usuarios_copia AS SELECT * FROM usuarios;
DROP TABLE usuarios;
CREATE TABLE usuarios (
    id            TEXT PRIMARY KEY NOT NULL,
    prestador_id  TEXT NOT NULL REFERENCES prestadores(id),
    email         TEXT NOT NULL UNIQUE,
    nombre        TEXT NOT NULL,
    rol           TEXT NOT NULL CHECK (rol IN ('admin','facturacion','cartera','finanzas','auditor','pagador')),
    password_hash TEXT NOT NULL,
    activo        BOOLEAN NOT NULL DEFAULT 1,
    version       INTEGER NOT NULL DEFAULT 1,
    creado_en     TIMESTAMP NOT NULL,
    pagador_id    TEXT REFERENCES pagadores (id),
    -- Only a payer's user belongs to a payer, and it always does.
    CHECK ((rol = 'pagador') = (pagador_id IS NOT NULL))
);
INSERT INTO usuarios (id, prestador_id, email, nombre, rol, password_hash, activo, version, creado_en)
    SELECT id, prestador_id, email, nombre, rol, password_hash, activo, version, creado_en FROM usuarios_copia;
DROP TABLE usuarios_copia;
CREATE INDEX usuarios_prestador ON usuarios (prestador_id);

-- A payment announced by the payer from its window; the prestador's cartera confirms it
-- (then it becomes a payment with this detail) or rejects it with a reason.
CREATE TABLE anuncios_pago (
    id            TEXT PRIMARY KEY NOT NULL,
    prestador_id  TEXT NOT NULL REFERENCES prestadores (id),
    pagador_id    TEXT NOT NULL REFERENCES pagadores (id),
    usuario_id    TEXT NOT NULL REFERENCES usuarios (id),
    fecha         DATE NOT NULL,
    valor         BIGINT NOT NULL,
    referencia    TEXT NOT NULL,
    medio         TEXT NOT NULL,
    -- JSON: [{"factura_id": "...", "valor": "123.00"}]
    detalle       TEXT NOT NULL,
    estado        TEXT NOT NULL,
    pago_id       TEXT REFERENCES pagos (id),
    motivo        TEXT NOT NULL DEFAULT '',
    decidido_por  TEXT REFERENCES usuarios (id),
    decidido_en   TIMESTAMP,
    creado_en     TIMESTAMP NOT NULL
);
CREATE INDEX anuncios_pago_pendientes ON anuncios_pago (prestador_id, estado, creado_en);

-- Actas de conciliación de cartera (Circular Conjunta 030/2013): what both sides agreed on
-- each invoice at a meeting, and the commitments that follow.
CREATE TABLE actas (
    id                TEXT PRIMARY KEY NOT NULL,
    prestador_id      TEXT NOT NULL REFERENCES prestadores (id),
    pagador_id        TEXT NOT NULL REFERENCES pagadores (id),
    numero            TEXT NOT NULL,
    fecha             DATE NOT NULL,
    corte             DATE NOT NULL,
    estado_cuenta_id  TEXT REFERENCES estados_cuenta (id),
    lugar             TEXT NOT NULL,
    -- JSON: [{"nombre": "...", "cargo": "...", "entidad": "prestador|pagador"}]
    participantes     TEXT NOT NULL,
    observaciones     TEXT NOT NULL,
    acuerdo_id        TEXT REFERENCES acuerdos_pago (id),
    actor_id          TEXT NOT NULL REFERENCES usuarios (id),
    creado_en         TIMESTAMP NOT NULL,
    UNIQUE (prestador_id, numero)
);
CREATE INDEX actas_pagador ON actas (prestador_id, pagador_id, fecha);

CREATE TABLE acta_facturas (
    id                TEXT PRIMARY KEY NOT NULL,
    prestador_id      TEXT NOT NULL REFERENCES prestadores (id),
    acta_id           TEXT NOT NULL REFERENCES actas (id),
    factura_id        TEXT NOT NULL REFERENCES facturas (id),
    resultado         TEXT NOT NULL,
    valor             BIGINT NOT NULL,
    fecha_compromiso  DATE,
    saldo_prestador   BIGINT NOT NULL,
    saldo_pagador     BIGINT,
    nota              TEXT NOT NULL
);
CREATE INDEX acta_facturas_acta ON acta_facturas (acta_id);
CREATE INDEX acta_facturas_factura ON acta_facturas (factura_id);

CREATE TABLE compromisos (
    id            TEXT PRIMARY KEY NOT NULL,
    prestador_id  TEXT NOT NULL REFERENCES prestadores (id),
    acta_id       TEXT NOT NULL REFERENCES actas (id),
    pagador_id    TEXT NOT NULL REFERENCES pagadores (id),
    factura_id    TEXT REFERENCES facturas (id),
    responsable   TEXT NOT NULL,
    descripcion   TEXT NOT NULL,
    vence         DATE NOT NULL,
    cumplido_en   DATE,
    cumplido_por  TEXT REFERENCES usuarios (id)
);
CREATE INDEX compromisos_vence ON compromisos (prestador_id, vence);
