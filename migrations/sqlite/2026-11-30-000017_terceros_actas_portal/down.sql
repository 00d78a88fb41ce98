DROP TABLE compromisos;
DROP TABLE acta_facturas;
DROP TABLE actas;
DROP TABLE anuncios_pago;
PRAGMA defer_foreign_keys = ON;
DELETE FROM sesiones WHERE usuario_id IN (SELECT id FROM usuarios WHERE rol = 'pagador');
DELETE FROM usuarios WHERE rol = 'pagador';
CREATE TABLE usuarios_copia AS SELECT * FROM usuarios;
DROP TABLE usuarios;
CREATE TABLE usuarios (
    id            TEXT PRIMARY KEY NOT NULL,
    prestador_id  TEXT NOT NULL REFERENCES prestadores(id),
    email         TEXT NOT NULL UNIQUE,
    nombre        TEXT NOT NULL,
    rol           TEXT NOT NULL CHECK (rol IN ('admin','facturacion','cartera','finanzas','auditor')),
    password_hash TEXT NOT NULL,
    activo        BOOLEAN NOT NULL DEFAULT 1,
    version       INTEGER NOT NULL DEFAULT 1,
    creado_en     TIMESTAMP NOT NULL
);
INSERT INTO usuarios SELECT id, prestador_id, email, nombre, rol, password_hash, activo, version, creado_en FROM usuarios_copia;
DROP TABLE usuarios_copia;
CREATE INDEX usuarios_prestador ON usuarios (prestador_id);
DROP INDEX pagos_pagado_por;
ALTER TABLE pagos DROP COLUMN pagado_por_id;
