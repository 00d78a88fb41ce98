-- The invoice life cycle: radicaciones, devoluciones, glosas (with their answer, the payer's
-- decision and the conciliation folded into the glosa row as its current state), pagos and
-- their aplicaciones, notas, and a ledger of every movement of the balance so that balances
-- at any cut-off date are a SUM over an index. Kept in step with ../postgres.

ALTER TABLE facturas ADD COLUMN numero_radicado TEXT;
ALTER TABLE facturas ADD COLUMN fecha_radicacion DATE;
ALTER TABLE facturas ADD COLUMN fecha_limite_radicacion DATE;
ALTER TABLE facturas ADD COLUMN fecha_limite_glosa DATE;
ALTER TABLE facturas ADD COLUMN fecha_limite_pago DATE;
ALTER TABLE facturas ADD COLUMN saldo BIGINT NOT NULL DEFAULT 0;
ALTER TABLE facturas ADD COLUMN en_discusion BIGINT NOT NULL DEFAULT 0;
UPDATE facturas SET saldo = valor_total - copagos - cuotas_moderadoras;
CREATE INDEX facturas_radicacion ON facturas (prestador_id, fecha_radicacion);

CREATE TABLE radicaciones (
    id              TEXT PRIMARY KEY NOT NULL,
    prestador_id    TEXT NOT NULL REFERENCES prestadores(id),
    factura_id      TEXT NOT NULL REFERENCES facturas(id),
    numero_radicado TEXT NOT NULL,
    fecha           DATE NOT NULL,
    creado_en       TIMESTAMP NOT NULL
);
CREATE INDEX radicaciones_factura ON radicaciones (prestador_id, factura_id);
CREATE INDEX radicaciones_numero ON radicaciones (prestador_id, numero_radicado);

CREATE TABLE devoluciones (
    id            TEXT PRIMARY KEY NOT NULL,
    prestador_id  TEXT NOT NULL REFERENCES prestadores(id),
    factura_id    TEXT NOT NULL REFERENCES facturas(id),
    radicacion_id TEXT NOT NULL REFERENCES radicaciones(id),
    codigo        TEXT NOT NULL,
    fecha         DATE NOT NULL,
    observacion   TEXT NOT NULL,
    extemporanea  BOOLEAN NOT NULL,
    creado_en     TIMESTAMP NOT NULL
);
CREATE INDEX devoluciones_factura ON devoluciones (prestador_id, factura_id);

CREATE TABLE glosas (
    id                      TEXT PRIMARY KEY NOT NULL,
    prestador_id            TEXT NOT NULL REFERENCES prestadores(id),
    factura_id              TEXT NOT NULL REFERENCES facturas(id),
    item_linea              INTEGER,
    codigo                  TEXT NOT NULL,
    valor                   BIGINT NOT NULL,
    fecha_formulacion       DATE NOT NULL,
    fecha_recepcion         DATE NOT NULL,
    fecha_limite_respuesta  DATE NOT NULL,
    extemporanea            BOOLEAN NOT NULL,
    observacion             TEXT NOT NULL,
    estado                  TEXT NOT NULL,
    respuesta_codigo        TEXT,
    valor_aceptado          BIGINT NOT NULL DEFAULT 0,
    valor_sustentado        BIGINT NOT NULL DEFAULT 0,
    justificacion           TEXT,
    fecha_respuesta         DATE,
    respuesta_extemporanea  BOOLEAN NOT NULL DEFAULT 0,
    fecha_limite_decision   DATE,
    resultado_decision      TEXT,
    valor_levantado         BIGINT NOT NULL DEFAULT 0,
    fecha_decision          DATE,
    valor_conciliado_prestador BIGINT NOT NULL DEFAULT 0,
    valor_conciliado_pagador   BIGINT NOT NULL DEFAULT 0,
    acta_conciliacion       TEXT,
    fecha_conciliacion      DATE,
    version                 INTEGER NOT NULL DEFAULT 1,
    creado_en               TIMESTAMP NOT NULL
);
CREATE INDEX glosas_factura ON glosas (prestador_id, factura_id);
CREATE INDEX glosas_respuesta ON glosas (prestador_id, estado, fecha_limite_respuesta);
CREATE INDEX glosas_decision ON glosas (prestador_id, estado, fecha_limite_decision);

CREATE TABLE pagos (
    id            TEXT PRIMARY KEY NOT NULL,
    prestador_id  TEXT NOT NULL REFERENCES prestadores(id),
    pagador_id    TEXT NOT NULL REFERENCES pagadores(id),
    fecha         DATE NOT NULL,
    valor         BIGINT NOT NULL,
    valor_aplicado BIGINT NOT NULL DEFAULT 0,
    referencia    TEXT NOT NULL,
    medio         TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    creado_en     TIMESTAMP NOT NULL
);
CREATE INDEX pagos_pagador ON pagos (prestador_id, pagador_id, fecha);

CREATE TABLE aplicaciones (
    id           TEXT PRIMARY KEY NOT NULL,
    prestador_id TEXT NOT NULL REFERENCES prestadores(id),
    pago_id      TEXT NOT NULL REFERENCES pagos(id),
    factura_id   TEXT NOT NULL REFERENCES facturas(id),
    valor        BIGINT NOT NULL,
    fecha        DATE NOT NULL,
    creado_en    TIMESTAMP NOT NULL
);
CREATE INDEX aplicaciones_pago ON aplicaciones (prestador_id, pago_id);
CREATE INDEX aplicaciones_factura ON aplicaciones (prestador_id, factura_id);

CREATE TABLE notas (
    id           TEXT PRIMARY KEY NOT NULL,
    prestador_id TEXT NOT NULL REFERENCES prestadores(id),
    factura_id   TEXT NOT NULL REFERENCES facturas(id),
    numero       TEXT NOT NULL,
    cude         TEXT,
    valor        BIGINT NOT NULL,
    fecha        DATE NOT NULL,
    motivo       TEXT NOT NULL,
    anulacion    BOOLEAN NOT NULL,
    creado_en    TIMESTAMP NOT NULL,
    UNIQUE (prestador_id, numero)
);

-- Every change of an invoice's balance, dated with the civil date it happened: the value
-- charged to the payer (positive) and what takes it down (negative). Append-only.
CREATE TABLE movimientos (
    id           TEXT PRIMARY KEY NOT NULL,
    prestador_id TEXT NOT NULL REFERENCES prestadores(id),
    factura_id   TEXT NOT NULL REFERENCES facturas(id),
    tipo         TEXT NOT NULL,
    valor        BIGINT NOT NULL,
    fecha        DATE NOT NULL,
    creado_en    TIMESTAMP NOT NULL
);
CREATE INDEX movimientos_factura ON movimientos (prestador_id, factura_id, fecha);

INSERT INTO movimientos (id, prestador_id, factura_id, tipo, valor, fecha, creado_en)
SELECT id, prestador_id, id, 'cargo', valor_total - copagos - cuotas_moderadoras, fecha_expedicion, creado_en FROM facturas;

CREATE TRIGGER movimientos_sin_update BEFORE UPDATE ON movimientos
BEGIN SELECT RAISE(ABORT, 'movimientos es de solo inserción'); END;
CREATE TRIGGER movimientos_sin_delete BEFORE DELETE ON movimientos
BEGIN SELECT RAISE(ABORT, 'movimientos es de solo inserción'); END;
