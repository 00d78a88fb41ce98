-- Gestiones Trazo records by itself (the reminder's e-mail) never replace a person's agreed
-- next step in the work list.
ALTER TABLE gestiones ADD COLUMN automatica BOOLEAN NOT NULL DEFAULT 0;
