-- Sessions of the web application. The cookie holds a random value; only its SHA-256 is kept,
-- so a copy of the database opens no session. A session ends at sign-out (cerrada_en), at
-- expira_en, or when its user is disabled (checked on every request).
CREATE TABLE sesiones (
    id         TEXT PRIMARY KEY NOT NULL,
    usuario_id TEXT NOT NULL REFERENCES usuarios (id),
    csrf       TEXT NOT NULL,
    creada_en  TIMESTAMP NOT NULL,
    expira_en  TIMESTAMP NOT NULL,
    cerrada_en TIMESTAMP
);
CREATE INDEX sesiones_usuario ON sesiones (usuario_id);
