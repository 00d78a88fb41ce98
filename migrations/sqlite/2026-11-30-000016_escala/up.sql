-- Search by number or radicado (issue 17: ≤ 10 ms at a million invoices). The list matches any
-- part of either (`LIKE '%...%'`), which no B-tree serves: it read every invoice (0.9 s). A
-- trigram index answers the same substrings (3 characters or more, case aside) from the index;
-- FTS5's, kept by triggers, pointing at the invoice's rowid. `trazo restore` rebuilds it, since
-- a copy made by VACUUM INTO is not promised to keep rowids.
CREATE VIRTUAL TABLE facturas_busqueda USING fts5(
    numero, numero_radicado, content = 'facturas', content_rowid = 'rowid', tokenize = 'trigram'
);
INSERT INTO facturas_busqueda (facturas_busqueda) VALUES ('rebuild');
CREATE TRIGGER facturas_busqueda_alta AFTER INSERT ON facturas BEGIN
    INSERT INTO facturas_busqueda (rowid, numero, numero_radicado) VALUES (new.rowid, new.numero, new.numero_radicado);
END;
CREATE TRIGGER facturas_busqueda_baja AFTER DELETE ON facturas BEGIN
    INSERT INTO facturas_busqueda (facturas_busqueda, rowid, numero, numero_radicado)
    VALUES ('delete', old.rowid, old.numero, old.numero_radicado);
END;
CREATE TRIGGER facturas_busqueda_cambio AFTER UPDATE OF numero, numero_radicado ON facturas BEGIN
    INSERT INTO facturas_busqueda (facturas_busqueda, rowid, numero, numero_radicado)
    VALUES ('delete', old.rowid, old.numero, old.numero_radicado);
    INSERT INTO facturas_busqueda (rowid, numero, numero_radicado) VALUES (new.rowid, new.numero, new.numero_radicado);
END;
-- The whole CUFE, as typed in any case.
CREATE INDEX facturas_cufe_minusculas ON facturas (prestador_id, lower(cufe));
-- The glosa list in its order (answer due date, then id) without sorting every glosa first.
CREATE INDEX glosas_vence ON glosas (prestador_id, fecha_limite_respuesta, id);
-- The invoice list in its order (newest expedición first, then number) without sorting every
-- invoice for each page (1.2 s at a million under load).
CREATE INDEX facturas_recientes ON facturas (prestador_id, fecha_expedicion, numero);
-- A database whose planner statistics were gathered before these indexes would see them
-- without any (and pick them where they are worst: the aging took 1 s instead of 0.25 s at a
-- million invoices). Gathered again for the tables they index; on a new, empty database this
-- records nothing, as before.
ANALYZE facturas;
ANALYZE glosas;
