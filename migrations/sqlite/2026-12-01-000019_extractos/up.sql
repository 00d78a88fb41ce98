-- Bank accounts of the prestador, where its payers' transfers arrive.
CREATE TABLE cuentas_bancarias (
    id            TEXT PRIMARY KEY NOT NULL,
    prestador_id  TEXT NOT NULL REFERENCES prestadores (id),
    banco         TEXT NOT NULL,
    numero        TEXT NOT NULL,
    nombre        TEXT NOT NULL,
    creado_en     TIMESTAMP NOT NULL,
    UNIQUE (prestador_id, banco, numero)
);

-- A bank statement imported into an account. The same file (its SHA-256) is imported once.
CREATE TABLE extractos (
    id            TEXT PRIMARY KEY NOT NULL,
    prestador_id  TEXT NOT NULL REFERENCES prestadores (id),
    cuenta_id     TEXT NOT NULL REFERENCES cuentas_bancarias (id),
    archivo       TEXT NOT NULL,
    hash          TEXT NOT NULL,
    -- camt053, or the name of the sheet profile it was read with.
    formato       TEXT NOT NULL,
    desde         DATE,
    hasta         DATE,
    -- Credits read, credits new (the rest were in an earlier statement), debits left out.
    creditos      INTEGER NOT NULL,
    nuevos        INTEGER NOT NULL,
    debitos       INTEGER NOT NULL,
    actor_id      TEXT NOT NULL REFERENCES usuarios (id),
    creado_en     TIMESTAMP NOT NULL,
    UNIQUE (prestador_id, cuenta_id, hash)
);

-- One credit (abono) of a statement and what became of it. `huella` (date, value, reference
-- and its ordinal among identical credits of its file) is unique per account, so a statement
-- that repeats days of an earlier one adds only what is new. pago_id and anuncio_id carry no
-- foreign key: voiding that payment later must stay possible, and the movement then shows it.
CREATE TABLE movimientos_bancarios (
    id              TEXT PRIMARY KEY NOT NULL,
    prestador_id    TEXT NOT NULL REFERENCES prestadores (id),
    cuenta_id       TEXT NOT NULL REFERENCES cuentas_bancarias (id),
    extracto_id     TEXT NOT NULL REFERENCES extractos (id),
    huella          TEXT NOT NULL,
    fecha           DATE NOT NULL,
    fecha_valor     DATE,
    valor           BIGINT NOT NULL,
    referencia      TEXT NOT NULL,
    descripcion     TEXT NOT NULL,
    nit_tercero     TEXT NOT NULL,
    nombre_tercero  TEXT NOT NULL,
    -- conciliado, aplicado, pendiente, sin_identificar, descartado
    estado          TEXT NOT NULL,
    regla           TEXT NOT NULL,
    explicacion     TEXT NOT NULL,
    -- Decided by the rules without a person.
    automatico      BOOLEAN NOT NULL,
    pagador_id      TEXT REFERENCES pagadores (id),
    pago_id         TEXT,
    anuncio_id      TEXT,
    -- JSON: the candidates a person chooses among, while pendiente.
    candidatos      TEXT NOT NULL,
    motivo          TEXT NOT NULL DEFAULT '',
    decidido_por    TEXT REFERENCES usuarios (id),
    decidido_en     TIMESTAMP,
    creado_en       TIMESTAMP NOT NULL,
    UNIQUE (prestador_id, cuenta_id, huella)
);
CREATE INDEX movimientos_bancarios_fecha ON movimientos_bancarios (prestador_id, cuenta_id, fecha);
CREATE INDEX movimientos_bancarios_estado ON movimientos_bancarios (prestador_id, estado);
CREATE INDEX movimientos_bancarios_pago ON movimientos_bancarios (prestador_id, pago_id);
