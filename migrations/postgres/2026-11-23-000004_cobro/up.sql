-- Gestión de cobro (PostgreSQL): each payer's collection stage (and its history), the actions taken to
-- collect, payment agreements with their instalments, and the payers' statements of account
-- kept for reconciliation. Kept in step with the other backend's file.

-- What the cartera team keeps per payer: the current stage, whom to write to, who works it.
CREATE TABLE cobro_pagadores (
    pagador_id     TEXT PRIMARY KEY NOT NULL REFERENCES pagadores(id),
    prestador_id   TEXT NOT NULL REFERENCES prestadores(id),
    etapa          TEXT NOT NULL CHECK (etapa IN ('preventiva','administrativa','prejuridica','juridica')),
    email_contacto TEXT,
    responsable_id TEXT REFERENCES usuarios(id),
    version        INTEGER NOT NULL DEFAULT 1,
    actualizado_en TIMESTAMP NOT NULL
);
CREATE INDEX cobro_pagadores_prestador ON cobro_pagadores (prestador_id, responsable_id);

-- Every change of stage, by rule or by hand, with its reason. Append-only.
CREATE TABLE etapas (
    id            TEXT PRIMARY KEY NOT NULL,
    prestador_id  TEXT NOT NULL REFERENCES prestadores(id),
    pagador_id    TEXT NOT NULL REFERENCES pagadores(id),
    etapa         TEXT NOT NULL,
    anterior      TEXT NOT NULL,
    origen        TEXT NOT NULL CHECK (origen IN ('regla','manual')),
    motivo        TEXT NOT NULL,
    fecha         DATE NOT NULL,
    actor_id      TEXT NOT NULL REFERENCES usuarios(id),
    registrado_en TIMESTAMP NOT NULL
);
CREATE INDEX etapas_pagador ON etapas (prestador_id, pagador_id, registrado_en);

-- The log of collection actions. Append-only: a correction is a new action.
CREATE TABLE gestiones (
    id                 TEXT PRIMARY KEY NOT NULL,
    prestador_id       TEXT NOT NULL REFERENCES prestadores(id),
    pagador_id         TEXT NOT NULL REFERENCES pagadores(id),
    tipo               TEXT NOT NULL CHECK (tipo IN ('llamada','correo','reunion','carta','mesa_conciliacion','cobro_prejuridico','demanda')),
    fecha              DATE NOT NULL,
    contacto           TEXT NOT NULL,
    resultado          TEXT NOT NULL,
    compromiso         TEXT NOT NULL,
    proximo_paso       TEXT NOT NULL,
    fecha_proximo_paso DATE,
    actor_id           TEXT NOT NULL REFERENCES usuarios(id),
    registrado_en      TIMESTAMP NOT NULL
);
CREATE INDEX gestiones_pagador ON gestiones (prestador_id, pagador_id, fecha);

CREATE TABLE gestion_facturas (
    gestion_id   TEXT NOT NULL REFERENCES gestiones(id),
    factura_id   TEXT NOT NULL REFERENCES facturas(id),
    prestador_id TEXT NOT NULL REFERENCES prestadores(id),
    PRIMARY KEY (gestion_id, factura_id)
);

CREATE TABLE acuerdos_pago (
    id           TEXT PRIMARY KEY NOT NULL,
    prestador_id TEXT NOT NULL REFERENCES prestadores(id),
    pagador_id   TEXT NOT NULL REFERENCES pagadores(id),
    numero       TEXT NOT NULL,
    fecha        DATE NOT NULL,
    valor        BIGINT NOT NULL,
    observacion  TEXT NOT NULL,
    actor_id     TEXT NOT NULL REFERENCES usuarios(id),
    creado_en    TIMESTAMP NOT NULL,
    UNIQUE (prestador_id, numero)
);
CREATE INDEX acuerdos_pago_pagador ON acuerdos_pago (prestador_id, pagador_id, fecha);

-- The invoices an agreement covers: payments applied to them from its date fulfil it.
CREATE TABLE acuerdo_facturas (
    acuerdo_id   TEXT NOT NULL REFERENCES acuerdos_pago(id),
    factura_id   TEXT NOT NULL REFERENCES facturas(id),
    prestador_id TEXT NOT NULL REFERENCES prestadores(id),
    PRIMARY KEY (acuerdo_id, factura_id)
);
CREATE INDEX acuerdo_facturas_factura ON acuerdo_facturas (prestador_id, factura_id);

CREATE TABLE cuotas (
    id                TEXT PRIMARY KEY NOT NULL,
    prestador_id      TEXT NOT NULL REFERENCES prestadores(id),
    acuerdo_id        TEXT NOT NULL REFERENCES acuerdos_pago(id),
    numero            INTEGER NOT NULL,
    fecha_vencimiento DATE NOT NULL,
    valor             BIGINT NOT NULL,
    UNIQUE (acuerdo_id, numero)
);
CREATE INDEX cuotas_vencimiento ON cuotas (prestador_id, fecha_vencimiento);

-- A payer's statement of account as received, row by row, for the reconciliation.
CREATE TABLE estados_cuenta (
    id           TEXT PRIMARY KEY NOT NULL,
    prestador_id TEXT NOT NULL REFERENCES prestadores(id),
    pagador_id   TEXT NOT NULL REFERENCES pagadores(id),
    corte        DATE NOT NULL,
    archivo      TEXT NOT NULL,
    hash         TEXT NOT NULL,
    actor_id     TEXT NOT NULL REFERENCES usuarios(id),
    creado_en    TIMESTAMP NOT NULL,
    UNIQUE (prestador_id, pagador_id, hash)
);

CREATE TABLE estado_cuenta_filas (
    id               TEXT PRIMARY KEY NOT NULL,
    prestador_id     TEXT NOT NULL REFERENCES prestadores(id),
    estado_cuenta_id TEXT NOT NULL REFERENCES estados_cuenta(id),
    fila             INTEGER NOT NULL,
    numero_factura   TEXT NOT NULL,
    valor_factura    BIGINT,
    valor_glosado    BIGINT,
    valor_pagado     BIGINT,
    saldo            BIGINT NOT NULL
);
CREATE INDEX estado_cuenta_filas_estado ON estado_cuenta_filas (prestador_id, estado_cuenta_id);

-- The aging report sums the ledger up to a date invoice by invoice: this index holds all it
-- reads, in the order it groups.
CREATE INDEX movimientos_saldo ON movimientos (prestador_id, factura_id, fecha, valor);

CREATE FUNCTION cobro_solo_insercion() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% es de solo inserción: se corrige con un registro nuevo', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER etapas_sin_cambios BEFORE UPDATE OR DELETE ON etapas
    FOR EACH ROW EXECUTE FUNCTION cobro_solo_insercion();
CREATE TRIGGER gestiones_sin_cambios BEFORE UPDATE OR DELETE ON gestiones
    FOR EACH ROW EXECUTE FUNCTION cobro_solo_insercion();
