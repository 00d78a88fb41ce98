-- The RIPS of a note (nota crédito/débito) keeps the note it details.
ALTER TABLE rips ADD COLUMN tipo_nota TEXT;
ALTER TABLE rips ADD COLUMN num_nota TEXT;
