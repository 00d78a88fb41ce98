-- An import's upload, kept until its run ends: a run waits its turn without holding the file
-- in memory, and a run whose server stopped is run again from it by another (the run is
-- atomic, so running it again from the start is safe). Removed when the run ends.
CREATE TABLE importacion_subidas (
    importacion_id TEXT PRIMARY KEY NOT NULL REFERENCES importaciones (id),
    nombre         TEXT NOT NULL,
    contenido      BYTEA NOT NULL
);
