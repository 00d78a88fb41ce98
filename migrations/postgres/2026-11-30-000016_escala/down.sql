DROP INDEX facturas_recientes;
DROP INDEX glosas_vence;
DROP INDEX facturas_cufe_minusculas;
DROP INDEX facturas_radicado_trigramas;
DROP INDEX facturas_numero_trigramas;
DROP TRIGGER facturas_grupos_baja ON facturas;
DROP TRIGGER facturas_grupos_cambio ON facturas;
DROP TRIGGER facturas_grupos_alta ON facturas;
DROP FUNCTION facturas_grupos();
CREATE FUNCTION facturas_grupo() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.libro > 0 THEN
        UPDATE cartera_grupos SET facturas = facturas - 1, saldo = saldo - OLD.libro
        WHERE prestador_id = OLD.prestador_id AND pagador_id = OLD.pagador_id
          AND contrato_id = COALESCE(OLD.contrato_id, '') AND fecha_expedicion = OLD.fecha_expedicion
          AND fecha_radicacion = COALESCE(OLD.fecha_radicacion, DATE '9999-12-31')
          AND fecha_limite_pago = COALESCE(OLD.fecha_limite_pago, DATE '9999-12-31')
          AND devuelta = (OLD.estado = 'devuelta');
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.libro > 0 THEN
        INSERT INTO cartera_grupos VALUES (NEW.prestador_id, NEW.pagador_id, COALESCE(NEW.contrato_id, ''),
            NEW.fecha_expedicion, COALESCE(NEW.fecha_radicacion, DATE '9999-12-31'),
            COALESCE(NEW.fecha_limite_pago, DATE '9999-12-31'), NEW.estado = 'devuelta', 1, NEW.libro)
        ON CONFLICT (prestador_id, pagador_id, contrato_id, fecha_expedicion, fecha_radicacion, fecha_limite_pago, devuelta)
        DO UPDATE SET facturas = cartera_grupos.facturas + 1, saldo = cartera_grupos.saldo + EXCLUDED.saldo;
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER facturas_grupo_alta AFTER INSERT ON facturas
FOR EACH ROW WHEN (NEW.libro > 0) EXECUTE FUNCTION facturas_grupo();
CREATE TRIGGER facturas_grupo_cambio
AFTER UPDATE OF libro, pagador_id, contrato_id, fecha_expedicion, fecha_radicacion, fecha_limite_pago, estado ON facturas
FOR EACH ROW WHEN ((OLD.libro > 0 OR NEW.libro > 0)
  AND (OLD.libro <> NEW.libro OR OLD.pagador_id <> NEW.pagador_id OR OLD.contrato_id IS DISTINCT FROM NEW.contrato_id
       OR OLD.fecha_expedicion <> NEW.fecha_expedicion OR OLD.fecha_radicacion IS DISTINCT FROM NEW.fecha_radicacion
       OR OLD.fecha_limite_pago IS DISTINCT FROM NEW.fecha_limite_pago
       OR (OLD.estado = 'devuelta') <> (NEW.estado = 'devuelta')))
EXECUTE FUNCTION facturas_grupo();
CREATE TRIGGER facturas_grupo_baja AFTER DELETE ON facturas
FOR EACH ROW WHEN (OLD.libro > 0) EXECUTE FUNCTION facturas_grupo();
