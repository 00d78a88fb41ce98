-- The alerts of Mi bandeja read invoices by their payment and radicación deadlines: without
-- these, a prestador with a million invoices waited seconds for its work list (BENCHMARKS.md).
CREATE INDEX facturas_limite_pago ON facturas (prestador_id, fecha_limite_pago);
CREATE INDEX facturas_limite_radicacion ON facturas (prestador_id, estado, fecha_limite_radicacion);
