-- Import runs outlive the request on a server's thread. Each process that runs imports says
-- it is alive here; a run whose process stopped saying so is marked `interrumpida` instead of
-- staying `en_curso` for ever (nothing of it was written: runs are atomic).
CREATE TABLE servidores (
    id          TEXT PRIMARY KEY NOT NULL,
    iniciado_en TIMESTAMP NOT NULL,
    latido      TIMESTAMP NOT NULL
);
ALTER TABLE importaciones ADD COLUMN servidor_id TEXT;
