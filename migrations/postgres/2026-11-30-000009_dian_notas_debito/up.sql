-- Notas débito (Res. DIAN 000165 de 2023, anexo técnico 1.9: DebitNote) live beside the notas
-- crédito: the same number space of the prestador, told apart by `tipo`.
ALTER TABLE notas ADD COLUMN tipo TEXT NOT NULL DEFAULT 'credito';

-- The taxes (IVA, INC...) of each line of an electronic invoice (cac:InvoiceLine/cac:TaxTotal):
-- `valor_total` of a line is its value before taxes (cbc:LineExtensionAmount).
ALTER TABLE factura_items ADD COLUMN impuestos BIGINT NOT NULL DEFAULT 0;
