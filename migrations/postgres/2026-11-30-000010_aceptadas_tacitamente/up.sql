-- The glosas an import run created that were already accepted by the prestador's silence on the
-- day of the import (Ley 1438/2011 art. 57), as a JSON list, so GET /importaciones/{id} shows
-- them after the run as it did when it ended.
ALTER TABLE importaciones ADD COLUMN aceptadas_tacitamente TEXT NOT NULL DEFAULT '[]';
