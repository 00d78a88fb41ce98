-- Res. 2284/2023 art. 6: the prestador answers a devolución (6.2) and the payer accepts the
-- answer or reiterates (6.3). Facts only: the terms are derived from these dates when read.
ALTER TABLE devoluciones ADD COLUMN respuesta_codigo TEXT;
ALTER TABLE devoluciones ADD COLUMN respuesta_fecha DATE;
ALTER TABLE devoluciones ADD COLUMN respuesta_justificacion TEXT;
ALTER TABLE devoluciones ADD COLUMN decision TEXT;
ALTER TABLE devoluciones ADD COLUMN decision_fecha DATE;
ALTER TABLE devoluciones ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
