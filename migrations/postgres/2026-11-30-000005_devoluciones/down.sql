ALTER TABLE devoluciones DROP COLUMN version;
ALTER TABLE devoluciones DROP COLUMN decision_fecha;
ALTER TABLE devoluciones DROP COLUMN decision;
ALTER TABLE devoluciones DROP COLUMN respuesta_justificacion;
ALTER TABLE devoluciones DROP COLUMN respuesta_fecha;
ALTER TABLE devoluciones DROP COLUMN respuesta_codigo;
