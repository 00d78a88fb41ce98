-- Import runs: one row per run with its progress and outcome, and one row per file landed,
-- keyed by its content hash so the same file imported twice changes nothing.

CREATE TABLE importaciones (
    id            TEXT PRIMARY KEY NOT NULL,
    prestador_id  TEXT NOT NULL REFERENCES prestadores(id),
    tipo          TEXT NOT NULL,
    perfil        TEXT,
    archivo       TEXT NOT NULL,
    simulada      BOOLEAN NOT NULL,
    estado        TEXT NOT NULL,
    total         INTEGER NOT NULL DEFAULT 0,
    procesados    INTEGER NOT NULL DEFAULT 0,
    creados       INTEGER NOT NULL DEFAULT 0,
    duplicados    INTEGER NOT NULL DEFAULT 0,
    errores       TEXT NOT NULL DEFAULT '[]',
    actor_id      TEXT NOT NULL REFERENCES usuarios(id),
    creado_en     TIMESTAMP NOT NULL,
    terminado_en  TIMESTAMP
);
CREATE INDEX importaciones_prestador ON importaciones (prestador_id, creado_en);

CREATE TABLE archivos_importados (
    id             TEXT PRIMARY KEY NOT NULL,
    prestador_id   TEXT NOT NULL REFERENCES prestadores(id),
    importacion_id TEXT NOT NULL REFERENCES importaciones(id),
    tipo           TEXT NOT NULL,
    nombre         TEXT NOT NULL,
    hash           TEXT NOT NULL,
    creado_en      TIMESTAMP NOT NULL,
    UNIQUE (prestador_id, tipo, hash)
);

-- The RIPS of an invoice, summarised (the file itself stays with the prestador).
CREATE TABLE rips (
    id               TEXT PRIMARY KEY NOT NULL,
    prestador_id     TEXT NOT NULL REFERENCES prestadores(id),
    factura_id       TEXT NOT NULL REFERENCES facturas(id),
    formato          TEXT NOT NULL,
    usuarios         INTEGER NOT NULL,
    servicios        INTEGER NOT NULL,
    valor_servicios  BIGINT NOT NULL,
    hash             TEXT NOT NULL,
    creado_en        TIMESTAMP NOT NULL,
    UNIQUE (prestador_id, factura_id, hash)
);
CREATE INDEX facturas_cufe ON facturas (prestador_id, cufe);
