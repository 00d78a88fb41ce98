DROP TABLE compromisos;
DROP TABLE acta_facturas;
DROP TABLE actas;
DROP TABLE anuncios_pago;
DELETE FROM sesiones WHERE usuario_id IN (SELECT id FROM usuarios WHERE rol = 'pagador');
DELETE FROM usuarios WHERE rol = 'pagador';
ALTER TABLE usuarios DROP CONSTRAINT usuarios_pagador_check;
ALTER TABLE usuarios DROP CONSTRAINT usuarios_rol_check;
ALTER TABLE usuarios ADD CONSTRAINT usuarios_rol_check
    CHECK (rol IN ('admin','facturacion','cartera','finanzas','auditor'));
ALTER TABLE usuarios DROP COLUMN pagador_id;
DROP INDEX pagos_pagado_por;
ALTER TABLE pagos DROP COLUMN pagado_por_id;
