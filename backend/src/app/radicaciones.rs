//! Radicación: one invoice, or many of one payer under one radicado.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

use serde_json::{json, Value};
use utoipa::ToSchema;

use super::chequeo;
use super::ciclo::{self, Expediente};
use super::facturas::FacturaVista;
use super::{Actor, AppError};
use crate::db::{self, radicaciones::Radicacion, AnyConnection, Db};
use crate::domain::rol::Rol;
use crate::domain::terminos::Terminos;
use crate::domain::Violation;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NuevaRadicacion {
    #[schema(example = "RAD-2026-000123")]
    pub numero_radicado: String,
    pub fecha_radicacion: chrono::NaiveDate,
    /// Why it is radicated without its soportes complete (Res. 2284/2023 Anexo 1): required
    /// then, and recorded in the trazabilidad with what was missing.
    #[serde(default)]
    pub excepcion: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RadicacionLote {
    pub pagador_id: String,
    pub numero_radicado: String,
    pub fecha_radicacion: chrono::NaiveDate,
    /// Every invoice of the lote; all are radicated or none.
    pub factura_ids: Vec<String>,
    /// Why the lote is radicated with invoices whose soportes are not complete: required then,
    /// and recorded in each such invoice's trazabilidad with what it lacked.
    #[serde(default)]
    pub excepcion: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResultadoLote {
    pub numero_radicado: String,
    pub radicadas: usize,
}

/// Who radicates invoices.
pub const RADICAN: &[Rol] = &[Rol::Facturacion];

fn numero(n: &str) -> Result<String, AppError> {
    let n = n.trim();
    if n.is_empty() || n.chars().count() > 60 {
        return Err(AppError::invalid(
            "numero_radicado",
            "se espera el número de radicado que dio el pagador (hasta 60 caracteres)",
        ));
    }
    Ok(n.to_string())
}

/// Radicates loaded invoices in the caller's transaction, with their events.
fn radicar_en(
    c: &mut AnyConnection,
    t: &Terminos,
    actor: &Actor,
    mut e: Expediente,
    numero: &str,
    fecha: chrono::NaiveDate,
    evidencia: Option<(&str, Value)>,
) -> Result<(), AppError> {
    let plan = e.dominio.radicar(fecha, t)?;
    let r = Radicacion {
        id: db::new_id(),
        prestador_id: actor.prestador_id.clone(),
        factura_id: e.fila.id.clone(),
        numero_radicado: numero.to_string(),
        fecha,
        creado_en: db::now(),
    };
    db::radicaciones::insertar(c, std::slice::from_ref(&r))?;
    e.dominio.fecha_radicacion = Some(fecha);
    e.dominio.radicaciones += 1;
    e.dominio.devolucion = None;
    let saldos = ciclo::guardar(
        c,
        &e,
        &t.reglas,
        Some((numero, fecha, plan.fecha_limite_glosa, plan.fecha_limite_pago)),
    )?;
    let tipo = if plan.reradicacion { "reradicada" } else { "radicada" };
    let mut datos = json!({
            "numero_radicado": numero,
            "cierra": plan.fecha_limite_radicacion.map(|l| json!({"nombre": "radicacion", "vencia": l, "cumplido": plan.en_termino, "fuente": t.radicacion.fuente})),
            "terminos": [
                {"nombre": "devolucion", "abre": true, "vence": plan.fecha_limite_devolucion, "fuente": t.devolucion.fuente},
                {"nombre": "glosa", "abre": true, "vence": plan.fecha_limite_glosa, "fuente": t.glosa.fuente},
                (!e.capita).then(|| json!({"nombre": "pago_anticipo", "abre": true, "vence": plan.fecha_limite_anticipo,
                    "porcentaje": t.reglas.pago_anticipo_porcentaje, "fuente": t.pago_anticipo.fuente})),
                {"nombre": "pago", "abre": true, "vence": plan.fecha_limite_pago, "fuente": t.pago.fuente},
            ],
    });
    if let Some((clave, valor)) = evidencia {
        datos[clave] = valor;
    }
    ciclo::evento(c, actor, &e.fila.id, tipo, fecha, datos, saldos)
}

/// What radicación asks of the invoices' soportes (`radicacion.exigir_soportes`): with it on,
/// an incomplete invoice needs a reason; with it off, a reason given still records what was
/// missing. What each excepted invoice lacked, keyed by invoice.
pub(super) fn revisar_soportes(
    c: &mut AnyConnection,
    exigir: bool,
    prestador_id: &str,
    ids: &[String],
    motivo: Option<&str>,
    campo: impl Fn(usize) -> String,
) -> Result<HashMap<String, Value>, AppError> {
    if exigir || motivo.is_some() {
        chequeo::exigir_completas(c, prestador_id, ids, motivo, campo)
    } else {
        Ok(HashMap::new())
    }
}

pub fn radicar(
    db: &Db,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    exigir: bool,
    factura_id: &str,
    n: NuevaRadicacion,
) -> Result<FacturaVista, AppError> {
    actor.exigir(RADICAN, "radicar facturas")?;
    super::no_futura("fecha_radicacion", n.fecha_radicacion, hoy)?;
    let numero = numero(&n.numero_radicado)?;
    let motivo = chequeo::motivo_excepcion(n.excepcion.as_deref())?;
    let e = db.write(|c| {
        let e = ciclo::cargar(c, t, &actor.prestador_id, factura_id)?;
        let ids = [factura_id.to_string()];
        let mut excepciones = revisar_soportes(c, exigir, &actor.prestador_id, &ids, motivo.as_deref(), |_| {
            "soportes".into()
        })?;
        let excepcion = excepciones.remove(factura_id).map(|v| ("excepcion", v));
        radicar_en(c, t, actor, e, &numero, n.fecha_radicacion, excepcion)?;
        ciclo::cargar(c, t, &actor.prestador_id, factura_id)
    })?;
    super::facturas::vista_completa(e, t, hoy)
}

/// Radicates many invoices of one payer under one radicado: all of them, or none with the
/// list of every invoice that could not be.
pub fn radicar_lote(
    db: &Db,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    exigir: bool,
    n: RadicacionLote,
) -> Result<ResultadoLote, AppError> {
    actor.exigir(RADICAN, "radicar facturas")?;
    super::no_futura("fecha_radicacion", n.fecha_radicacion, hoy)?;
    let numero = numero(&n.numero_radicado)?;
    let motivo = chequeo::motivo_excepcion(n.excepcion.as_deref())?;
    db.write(|c| {
        let cargadas = lote(
            c,
            t,
            &actor.prestador_id,
            &n.pagador_id,
            &n.factura_ids,
            n.fecha_radicacion,
        )?;
        let mut excepciones =
            revisar_soportes(c, exigir, &actor.prestador_id, &n.factura_ids, motivo.as_deref(), |i| {
                format!("factura_ids[{i}]")
            })?;
        let total = cargadas.len();
        for e in cargadas {
            let excepcion = excepciones.remove(&e.fila.id).map(|v| ("excepcion", v));
            radicar_en(c, t, actor, e, &numero, n.fecha_radicacion, excepcion)?;
        }
        Ok(ResultadoLote {
            numero_radicado: numero,
            radicadas: total,
        })
    })
}

/// Radicates a package's invoices in the caller's transaction, each event carrying the
/// package's evidence.
pub(super) fn radicar_paquete_en(
    c: &mut AnyConnection,
    t: &Terminos,
    actor: &Actor,
    pagador_id: &str,
    ids: &[String],
    n: &NuevaRadicacion,
    evidencia: impl Fn(&str) -> Value,
) -> Result<(), AppError> {
    let numero = numero(&n.numero_radicado)?;
    for e in lote(c, t, &actor.prestador_id, pagador_id, ids, n.fecha_radicacion)? {
        let datos = evidencia(&e.fila.id);
        radicar_en(c, t, actor, e, &numero, n.fecha_radicacion, Some(("paquete", datos)))?;
    }
    Ok(())
}

/// The invoices of a lote, loaded, once each is known to be of the caller's prestador and of
/// this payer and radicable on `fecha`: otherwise every one that is not, named by its place
/// in `factura_ids`.
pub(super) fn lote(
    c: &mut AnyConnection,
    t: &Terminos,
    prestador_id: &str,
    pagador_id: &str,
    ids: &[String],
    fecha: NaiveDate,
) -> Result<Vec<Expediente>, AppError> {
    if ids.is_empty() || ids.len() > 5000 {
        return Err(AppError::invalid("factura_ids", "se esperan entre 1 y 5000 facturas"));
    }
    super::pagadores::buscar(c, prestador_id, pagador_id)?;
    let cargadas = ciclo::cargar_varias(c, t, prestador_id, ids)?;
    let mut errs = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        match cargadas.iter().find(|e| &e.fila.id == id) {
            None => errs.push(Violation::new(
                format!("factura_ids[{i}]"),
                "no existe esa factura en su prestador",
            )),
            Some(e) if e.fila.pagador_id != pagador_id => errs.push(Violation::new(
                format!("factura_ids[{i}]"),
                format!("la factura {} es de otro pagador", e.fila.numero),
            )),
            Some(e) => {
                if let Err(r) = e.dominio.radicar(fecha, t) {
                    let m = match r {
                        crate::domain::Rechazo::Estado(m) => m,
                        crate::domain::Rechazo::Valores(v) => {
                            v.into_iter().map(|x| x.message).collect::<Vec<_>>().join("; ")
                        }
                    };
                    errs.push(Violation::new(format!("factura_ids[{i}]"), m));
                }
            }
        }
    }
    if !errs.is_empty() {
        return Err(AppError::Invalid(errs));
    }
    Ok(cargadas)
}

/// Voids the radicación in force, recorded by mistake (wrong date or radicado), while nothing
/// rests on it. The invoice goes back to the radicación before it (a reradicated invoice is
/// again returned) or to not radicated, its terms with it; the radicación stays in the
/// trazabilidad with its reversal, and the right one is then recorded as usual.
pub fn anular(
    db: &Db,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    factura_id: &str,
    a: super::correcciones::Anulacion,
) -> Result<FacturaVista, AppError> {
    actor.exigir(&super::correcciones::quienes_anulan(RADICAN), "anular radicaciones")?;
    let motivo = a.motivo()?;
    let e = db.write(|c| {
        let mut e = ciclo::cargar(c, t, &actor.prestador_id, factura_id)?;
        e.dominio.anulable_radicacion()?;
        let r = e.radicaciones.pop().expect("a radicated invoice has a radicación");
        db::radicaciones::borrar(c, &actor.prestador_id, &r.id)?;
        let que = super::correcciones::Que {
            entidad: "radicacion",
            entidad_id: &r.id,
            factura_id: Some(factura_id),
        };
        super::correcciones::anulado(c, actor, que, &motivo, &r, hoy)?;
        let anterior = e.radicaciones.last().cloned();
        e.dominio.radicaciones -= 1;
        e.dominio.fecha_radicacion = anterior.as_ref().map(|p| p.fecha);
        e.dominio.devolucion = match &anterior {
            Some(p) => e
                .devoluciones
                .iter()
                .find(|d| d.radicacion_id == p.id)
                .map(|d| ciclo::devolucion_dominio(d, t))
                .transpose()?,
            None => None,
        };
        let radicado = anterior.as_ref().map(|p| {
            (
                p.numero_radicado.as_str(),
                p.fecha,
                t.glosa.vence(p.fecha),
                t.pago.vence(p.fecha),
            )
        });
        let saldos = ciclo::guardar_radicado(c, &e, &t.reglas, radicado)?;
        ciclo::evento(
            c,
            actor,
            factura_id,
            "radicacion_anulada",
            hoy,
            json!({"radicacion_id": r.id, "numero_radicado": r.numero_radicado, "fecha_radicacion": r.fecha,
                "vigente": anterior.map(|p| json!({"numero_radicado": p.numero_radicado, "fecha_radicacion": p.fecha})),
                "motivo": motivo}),
            saldos,
        )?;
        ciclo::cargar(c, t, &actor.prestador_id, factura_id)
    })?;
    super::facturas::vista_completa(e, t, hoy)
}
