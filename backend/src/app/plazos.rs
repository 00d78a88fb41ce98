//! The deadlines of one invoice that are still running or were missed, as of a date: what a
//! cartera clerk must watch.

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::ciclo::{glosa_dominio, Expediente};
use crate::domain::calendario::dias_habiles_entre;
use crate::domain::devolucion::EstadoDevolucion;
use crate::domain::factura::EstadoFactura;
use crate::domain::glosa::EstadoGlosa;
use crate::domain::terminos::{Termino, Terminos};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Plazo {
    /// The term's name in `terminos.toml`: radicacion, respuesta_devolucion,
    /// reiteracion_devolucion, reradicacion, respuesta, decision, subsanacion, pago_levantado,
    /// pago_anticipo, pago.
    pub termino: String,
    /// Who must act: `prestador` or `pagador`.
    pub responsable: &'static str,
    pub vence: NaiveDate,
    /// Días hábiles left (negative: days since it was missed).
    pub dias_habiles_restantes: i64,
    pub vencido: bool,
    pub glosa_id: Option<String>,
    pub devolucion_id: Option<String>,
    pub fuente: String,
}

fn plazo(
    nombre: &str,
    responsable: &'static str,
    vence: NaiveDate,
    hoy: NaiveDate,
    t: &Termino,
    glosa: Option<&str>,
) -> Plazo {
    Plazo {
        termino: nombre.to_string(),
        responsable,
        vence,
        dias_habiles_restantes: dias_habiles_entre(hoy, vence),
        vencido: hoy > vence,
        glosa_id: glosa.map(str::to_string),
        devolucion_id: None,
        fuente: t.fuente.clone(),
    }
}

pub fn de_factura(e: &Expediente, t: &Terminos, hoy: NaiveDate) -> Vec<Plazo> {
    let mut v = Vec::new();
    let estado = e.dominio.estado(hoy, &t.reglas);
    if matches!(
        estado,
        EstadoFactura::Anulada | EstadoFactura::Castigada | EstadoFactura::Pagada
    ) {
        return v;
    }
    if e.dominio.fecha_radicacion.is_none() {
        if let Some(l) = e.fila.fecha_limite_radicacion {
            v.push(plazo("radicacion", "prestador", l, hoy, &t.radicacion, None));
        }
        return v;
    }
    if let (Some(fila), Some(d)) = (
        e.devoluciones
            .iter()
            .rfind(|d| Some(&d.radicacion_id) == e.radicaciones.last().map(|r| &r.id)),
        &e.dominio.devolucion,
    ) {
        let de = |mut p: Plazo| {
            p.devolucion_id = Some(fila.id.clone());
            p
        };
        match d.estado(hoy, &t.reglas) {
            EstadoDevolucion::Comunicada => {
                if let Some(l) = d.fecha_limite_respuesta {
                    v.push(de(plazo(
                        "respuesta_devolucion",
                        "prestador",
                        l,
                        hoy,
                        &t.respuesta_devolucion,
                        None,
                    )));
                }
            }
            EstadoDevolucion::Respondida => {
                if let Some(l) = d.fecha_limite_reiteracion {
                    v.push(de(plazo(
                        "reiteracion_devolucion",
                        "pagador",
                        l,
                        hoy,
                        &t.reiteracion_devolucion,
                        None,
                    )));
                }
            }
            EstadoDevolucion::Aceptada | EstadoDevolucion::Reiterada => {
                if let Some(l) = d.fecha_limite_reradicacion(hoy, t) {
                    v.push(de(plazo("reradicacion", "prestador", l, hoy, &t.reradicacion, None)));
                }
            }
            _ => {}
        }
    }
    for (fila, g) in e.glosas.iter().map(|f| (f, glosa_dominio(f))) {
        let id = Some(fila.id.as_str());
        match g.estado {
            EstadoGlosa::Formulada => v.push(plazo(
                "respuesta",
                "prestador",
                g.fecha_limite_respuesta,
                hoy,
                &t.respuesta,
                id,
            )),
            EstadoGlosa::Respondida => {
                if let Some(l) = g.fecha_limite_decision {
                    v.push(plazo("decision", "pagador", l, hoy, &t.decision, id));
                }
            }
            _ => {
                if let Some(l) = g.fecha_limite_subsanacion(t) {
                    v.push(plazo("subsanacion", "prestador", l, hoy, &t.subsanacion, id));
                }
                if let (Some(d), true) = (g.fecha_decision, g.valor_levantado > 0) {
                    v.push(plazo(
                        "pago_levantado",
                        "pagador",
                        t.pago_levantado.vence(d),
                        hoy,
                        &t.pago_levantado,
                        id,
                    ));
                }
            }
        }
    }
    if !e.dominio.devuelta(hoy, &t.reglas) {
        if let (Some(r), false) = (e.dominio.fecha_radicacion, e.capita) {
            // Ley 1122/2007 art. 13 lit. d: the first share, until it is paid.
            // What the payer paid in advance of the invoice counts toward it.
            if e.dominio.pagado + e.dominio.anticipos < t.valor_anticipo(e.dominio.a_cargo) {
                v.push(plazo(
                    "pago_anticipo",
                    "pagador",
                    t.pago_anticipo.vence(r),
                    hoy,
                    &t.pago_anticipo,
                    None,
                ));
            }
        }
        if let Some(l) = e.fila.fecha_limite_pago {
            v.push(plazo("pago", "pagador", l, hoy, &t.pago, None));
        }
    }
    v.sort_by_key(|p| p.vence);
    v
}
