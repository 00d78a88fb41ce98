//! The deadlines of one invoice that are still running or were missed, as of a date: what a
//! cartera clerk must watch.

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::ciclo::{glosa_dominio, Expediente};
use crate::domain::calendario::dias_habiles_entre;
use crate::domain::factura::EstadoFactura;
use crate::domain::glosa::EstadoGlosa;
use crate::domain::terminos::{Termino, Terminos};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Plazo {
    /// radicacion, respuesta, decision, pago_levantado, pago
    pub termino: String,
    /// Who must act: `prestador` or `pagador`.
    pub responsable: &'static str,
    pub vence: NaiveDate,
    /// Días hábiles left (negative: days since it was missed).
    pub dias_habiles_restantes: i64,
    pub vencido: bool,
    pub glosa_id: Option<String>,
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
    for (fila, g) in e.glosas.iter().map(|f| (f, glosa_dominio(f))) {
        match g.estado {
            EstadoGlosa::Formulada => v.push(plazo(
                "respuesta",
                "prestador",
                g.fecha_limite_respuesta,
                hoy,
                &t.respuesta,
                Some(&fila.id),
            )),
            EstadoGlosa::Respondida => {
                if let Some(l) = g.fecha_limite_decision {
                    v.push(plazo("decision", "pagador", l, hoy, &t.decision, Some(&fila.id)));
                }
            }
            _ => {
                if let (Some(d), true) = (g.fecha_decision, g.valor_levantado > 0) {
                    v.push(plazo(
                        "pago_levantado",
                        "pagador",
                        t.pago_levantado.vence(d),
                        hoy,
                        &t.pago_levantado,
                        Some(&fila.id),
                    ));
                }
            }
        }
    }
    if e.dominio.devuelta_en.is_none() {
        if let Some(l) = e.fila.fecha_limite_pago {
            v.push(plazo("pago", "pagador", l, hoy, &t.pago, None));
        }
    }
    v.sort_by_key(|p| p.vence);
    v
}
