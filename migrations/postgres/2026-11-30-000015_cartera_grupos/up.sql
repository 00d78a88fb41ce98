-- The aging report over a million invoices summed the whole ledger invoice by invoice on every
-- request (3.5 s, BENCHMARKS.md). Two things kept by the database itself, in the transaction
-- that writes a movement, make it read a few thousand rows instead:
--   facturas.libro   the sum of the invoice's ledger (movimientos), whatever its date;
--   cartera_grupos   the invoices with a positive `libro`, counted and summed by everything the
--                    aging buckets and filters on (payer, contract, dates, returned or not).
-- A balance at a past cut-off is `libro` less the movements dated after it (db::cartera).
-- Triggers, not application code, keep both: every path that writes a movement or changes an
-- invoice's dates or state is covered, including bulk SQL.
ALTER TABLE facturas ADD COLUMN libro BIGINT NOT NULL DEFAULT 0;
UPDATE facturas f SET libro = m.valor
FROM (SELECT prestador_id, factura_id, SUM(valor) AS valor FROM movimientos GROUP BY prestador_id, factura_id) m
WHERE m.prestador_id = f.prestador_id AND m.factura_id = f.id;

-- Absent dates are stored as 9999-12-31 (never on or before a cut-off) and no contract as '',
-- so that every column of the key is NOT NULL and the upsert below finds its row.
CREATE TABLE cartera_grupos (
    prestador_id       TEXT NOT NULL,
    pagador_id         TEXT NOT NULL,
    contrato_id        TEXT NOT NULL,
    fecha_expedicion   DATE NOT NULL,
    fecha_radicacion   DATE NOT NULL,
    fecha_limite_pago  DATE NOT NULL,
    devuelta           BOOLEAN NOT NULL,
    facturas           BIGINT NOT NULL,
    saldo              BIGINT NOT NULL,
    PRIMARY KEY (prestador_id, pagador_id, contrato_id, fecha_expedicion, fecha_radicacion, fecha_limite_pago, devuelta)
);

INSERT INTO cartera_grupos
SELECT prestador_id, pagador_id, COALESCE(contrato_id, ''), fecha_expedicion,
       COALESCE(fecha_radicacion, DATE '9999-12-31'), COALESCE(fecha_limite_pago, DATE '9999-12-31'),
       estado = 'devuelta', COUNT(*), SUM(libro)
FROM facturas WHERE libro > 0
GROUP BY 1, 2, 3, 4, 5, 6, 7;

-- The movements after a cut-off, read in date order.
CREATE INDEX movimientos_fecha ON movimientos (prestador_id, fecha, factura_id, valor);

-- A batch of movements updates each invoice once (statement-level, with the new rows).
CREATE FUNCTION movimientos_libro() RETURNS trigger AS $$
BEGIN
    UPDATE facturas f SET libro = f.libro + n.valor
    FROM (SELECT factura_id, SUM(valor) AS valor FROM nuevos GROUP BY factura_id) n
    WHERE f.id = n.factura_id;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER movimientos_libro AFTER INSERT ON movimientos
REFERENCING NEW TABLE AS nuevos FOR EACH STATEMENT EXECUTE FUNCTION movimientos_libro();

CREATE FUNCTION facturas_grupo() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.libro > 0 THEN
        UPDATE cartera_grupos SET facturas = facturas - 1, saldo = saldo - OLD.libro
        WHERE prestador_id = OLD.prestador_id AND pagador_id = OLD.pagador_id
          AND contrato_id = COALESCE(OLD.contrato_id, '') AND fecha_expedicion = OLD.fecha_expedicion
          AND fecha_radicacion = COALESCE(OLD.fecha_radicacion, DATE '9999-12-31')
          AND fecha_limite_pago = COALESCE(OLD.fecha_limite_pago, DATE '9999-12-31')
          AND devuelta = (OLD.estado = 'devuelta');
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.libro > 0 THEN
        INSERT INTO cartera_grupos VALUES (NEW.prestador_id, NEW.pagador_id, COALESCE(NEW.contrato_id, ''),
            NEW.fecha_expedicion, COALESCE(NEW.fecha_radicacion, DATE '9999-12-31'),
            COALESCE(NEW.fecha_limite_pago, DATE '9999-12-31'), NEW.estado = 'devuelta', 1, NEW.libro)
        ON CONFLICT (prestador_id, pagador_id, contrato_id, fecha_expedicion, fecha_radicacion, fecha_limite_pago, devuelta)
        DO UPDATE SET facturas = cartera_grupos.facturas + 1, saldo = cartera_grupos.saldo + EXCLUDED.saldo;
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER facturas_grupo_alta AFTER INSERT ON facturas
FOR EACH ROW WHEN (NEW.libro > 0) EXECUTE FUNCTION facturas_grupo();
CREATE TRIGGER facturas_grupo_cambio
AFTER UPDATE OF libro, pagador_id, contrato_id, fecha_expedicion, fecha_radicacion, fecha_limite_pago, estado ON facturas
FOR EACH ROW WHEN ((OLD.libro > 0 OR NEW.libro > 0)
  AND (OLD.libro <> NEW.libro OR OLD.pagador_id <> NEW.pagador_id OR OLD.contrato_id IS DISTINCT FROM NEW.contrato_id
       OR OLD.fecha_expedicion <> NEW.fecha_expedicion OR OLD.fecha_radicacion IS DISTINCT FROM NEW.fecha_radicacion
       OR OLD.fecha_limite_pago IS DISTINCT FROM NEW.fecha_limite_pago
       OR (OLD.estado = 'devuelta') <> (NEW.estado = 'devuelta')))
EXECUTE FUNCTION facturas_grupo();
CREATE TRIGGER facturas_grupo_baja AFTER DELETE ON facturas
FOR EACH ROW WHEN (OLD.libro > 0) EXECUTE FUNCTION facturas_grupo();
