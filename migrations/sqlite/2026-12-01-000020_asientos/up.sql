-- The entries for the books (app::asientos) are the ledger's movements, one double entry each.
-- An accountant needs to know which fact made a movement and the voucher behind it, which the
-- ledger did not keep: what made it (`origen`: factura, glosa, aplicacion, aplicacion_anulada,
-- nota, castigo...), that fact's id (the invoice, glosa, payment or nota) and the document an
-- accountant files it under (the invoice or nota number, the payment's reference, the
-- castigo's acta). Movements written before this migration have neither; the export falls
-- back to the invoice's number and tells the concept from the movement's type and sign.
ALTER TABLE movimientos ADD COLUMN origen TEXT NOT NULL DEFAULT '';
ALTER TABLE movimientos ADD COLUMN origen_id TEXT;
ALTER TABLE movimientos ADD COLUMN documento TEXT NOT NULL DEFAULT '';
