-- Migration 000015 kept `cartera_grupos` with a row trigger on `facturas`: one upsert of a group
-- per invoice changed. A statement that changes many invoices (the movements' trigger after a
-- payment of thousands of invoices, a DIAN batch, a radicación of a lote) then updated the same
-- few hundred group rows again and again in one transaction, and each update walks a longer
-- chain of row versions: a million invoices did not finish in 14 minutes (BENCHMARKS.md).
-- Statement-level triggers with transition tables add each statement's changes up per group
-- first and touch every group once. (PostgreSQL allows no column list on a trigger with
-- transition tables, so the update trigger sees every update of `facturas`; rows whose key and
-- balance did not change cancel out in the sum and touch nothing.)
DROP TRIGGER facturas_grupo_baja ON facturas;
DROP TRIGGER facturas_grupo_cambio ON facturas;
DROP TRIGGER facturas_grupo_alta ON facturas;
DROP FUNCTION facturas_grupo();

CREATE FUNCTION facturas_grupos() RETURNS trigger AS $$
DECLARE
    -- The group key of an invoice row, with absent dates and contract as the table stores them.
    clave CONSTANT text := 'prestador_id, pagador_id, COALESCE(contrato_id, ''''), fecha_expedicion, '
        'COALESCE(fecha_radicacion, DATE ''9999-12-31''), COALESCE(fecha_limite_pago, DATE ''9999-12-31''), '
        'estado = ''devuelta''';
    altas CONSTANT text := format('SELECT %s, 1, libro FROM nuevos WHERE libro > 0', clave);
    bajas CONSTANT text := format('SELECT %s, -1, -libro FROM viejos WHERE libro > 0', clave);
BEGIN
    -- Each event names only the transition tables it has (EXECUTE sees them, by name).
    EXECUTE format(
        'INSERT INTO cartera_grupos
         SELECT p, g, c, e, r, l, d, SUM(n), SUM(s) FROM (%s) AS x(p, g, c, e, r, l, d, n, s)
         GROUP BY p, g, c, e, r, l, d
         HAVING SUM(n) <> 0 OR SUM(s) <> 0
         ON CONFLICT (prestador_id, pagador_id, contrato_id, fecha_expedicion, fecha_radicacion,
                      fecha_limite_pago, devuelta)
         DO UPDATE SET facturas = cartera_grupos.facturas + EXCLUDED.facturas,
                       saldo = cartera_grupos.saldo + EXCLUDED.saldo',
        CASE TG_OP WHEN 'INSERT' THEN altas WHEN 'DELETE' THEN bajas
                   ELSE bajas || ' UNION ALL ' || altas END);
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER facturas_grupos_alta AFTER INSERT ON facturas
REFERENCING NEW TABLE AS nuevos FOR EACH STATEMENT EXECUTE FUNCTION facturas_grupos();
CREATE TRIGGER facturas_grupos_cambio AFTER UPDATE ON facturas
REFERENCING OLD TABLE AS viejos NEW TABLE AS nuevos FOR EACH STATEMENT EXECUTE FUNCTION facturas_grupos();
CREATE TRIGGER facturas_grupos_baja AFTER DELETE ON facturas
REFERENCING OLD TABLE AS viejos FOR EACH STATEMENT EXECUTE FUNCTION facturas_grupos();

-- Search by number or radicado (issue 17: ≤ 10 ms at a million invoices). The list matches any
-- part of either (`lower(...) LIKE '%...%'`), which no B-tree serves: trigram indexes (pg_trgm,
-- a trusted extension any database owner may create) answer the same query from the index.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX facturas_numero_trigramas ON facturas USING gin (lower(numero) gin_trgm_ops);
CREATE INDEX facturas_radicado_trigramas ON facturas USING gin (lower(numero_radicado) gin_trgm_ops);
-- The whole CUFE, as typed in any case.
CREATE INDEX facturas_cufe_minusculas ON facturas (prestador_id, lower(cufe));
-- The glosa list in its order (answer due date, then id) without sorting every glosa first.
CREATE INDEX glosas_vence ON glosas (prestador_id, fecha_limite_respuesta, id);
-- The invoice list in its order (newest expedición first, then number) without sorting every
-- invoice for each page (1.2 s at a million under load).
CREATE INDEX facturas_recientes ON facturas (prestador_id, fecha_expedicion, numero);
