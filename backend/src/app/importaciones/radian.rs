//! RADIAN events imported with the DIAN XML: each `ApplicationResponse` 030–034 becomes an
//! event of the invoice whose CUFE it references, in its trazabilidad.
//!
//! What each one proves (Decreto 1154 de 2020, arts. 2.2.2.53.4 and 2.2.2.53.5; Res. DIAN
//! 000085 de 2022, anexo técnico de RADIAN, tabla 13.3.1):
//! - 030 acuse de recibo and 032 recibo del bien o prestación del servicio: the day the payer
//!   received the invoice, or the service — evidence for the terms that run from receipt.
//! - 031 reclamo: the payer disputes the invoice, with its concept (tabla 13.3.12) and text.
//! - 033 aceptación expresa; 034 aceptación tácita: the payer did not claim within three días
//!   hábiles of receipt (Código de Comercio arts. 773 and 774, as modified by Ley 1231 de 2008).
//!
//! They are evidence recorded beside the health cycle (radicación, glosas, Ley 1438 de 2011):
//! they change no balance and no state. The same event imported again (same kind and CUDE, for
//! the same invoice) changes nothing.

use std::collections::HashSet;

use serde_json::{json, Value};
use trazo_importers::dian::{EventoDian, TipoEvento};
use trazo_importers::Ubicacion;

use super::motor::Falla;
use super::{error, Actor, Contexto, ErrorImportacion, Resumen};
use crate::app::ciclo;
use crate::db::{self, AnyConnection};

/// The `eventos.tipo` of each RADIAN event.
pub fn tipo_evento(t: TipoEvento) -> &'static str {
    match t {
        TipoEvento::AcuseRecibo => "radian_acuse_recibo",
        TipoEvento::Reclamo => "radian_reclamo",
        TipoEvento::ReciboBien => "radian_recibo_servicio",
        TipoEvento::AceptacionExpresa => "radian_aceptacion_expresa",
        TipoEvento::AceptacionTacita => "radian_aceptacion_tacita",
    }
}

/// Concepts of a claim (031), anexo técnico de RADIAN, tabla 13.3.12.
pub fn concepto_reclamo(codigo: &str) -> Option<&'static str> {
    Some(match codigo {
        "01" => "documento con inconsistencias",
        "02" => "mercancía no entregada totalmente",
        "03" => "mercancía no entregada parcialmente",
        "04" => "servicio no prestado",
        _ => return None,
    })
}

const RUTA_CUFE: &str = "/ApplicationResponse/cac:DocumentResponse/cac:DocumentReference/cbc:UUID";

/// Records the run's events, each on its invoice; every problem of every file goes to
/// `errores`. `de_la_carga` are the CUFEs of the run's invoices: when the run already has
/// errors, an event of one of them (not written) is not an error of its own.
pub(super) fn registrar(
    cx: &Contexto,
    actor: &Actor,
    c: &mut AnyConnection,
    eventos: Vec<(String, EventoDian)>,
    de_la_carga: &HashSet<String>,
    errores: &mut Vec<ErrorImportacion>,
) -> Result<Resumen, Falla> {
    let mut resumen = Resumen::default();
    for (archivo, ev) in eventos {
        let nombre = format!("el evento RADIAN {} ({})", ev.tipo.codigo(), ev.numero);
        let Some(factura) = db::facturas::por_cufes(c, &actor.prestador_id, std::slice::from_ref(&ev.cufe))?.pop()
        else {
            if !de_la_carga.contains(&ev.cufe) || errores.is_empty() {
                let numero = ev
                    .factura
                    .as_ref()
                    .map(|n| format!(" (número {n} en el evento)"))
                    .unwrap_or_default();
                errores.push(error(
                    &archivo,
                    Ubicacion::XPath(RUTA_CUFE.into()),
                    Some("UUID"),
                    format!(
                        "{nombre} se refiere a la factura con CUFE {}{numero}, que no está en Trazo; importe primero la \
                         factura",
                        ev.cufe
                    ),
                ));
            }
            continue;
        };
        if ev.fecha > cx.hoy {
            errores.push(error(
                &archivo,
                Ubicacion::XPath("/ApplicationResponse/cbc:IssueDate".into()),
                Some("IssueDate"),
                format!("{nombre} tiene fecha {}, posterior a hoy ({})", ev.fecha, cx.hoy),
            ));
            continue;
        }
        let tipo = tipo_evento(ev.tipo);
        let ya = db::eventos::de_factura(c, &actor.prestador_id, &factura.id)?
            .into_iter()
            .filter(|e| e.tipo == tipo)
            .any(|e| {
                serde_json::from_str::<Value>(&e.datos)
                    .ok()
                    .and_then(|d| d.get("cude").and_then(Value::as_str).map(|c| c == ev.cude))
                    .unwrap_or(false)
            });
        if ya {
            resumen.duplicados += 1;
            continue;
        }
        let e = ciclo::cargar(c, cx.terminos, &actor.prestador_id, &factura.id)?;
        let saldos = ciclo::saldos(&e, &cx.terminos.reglas);
        let mut datos = json!({
            "codigo": ev.tipo.codigo(),
            "numero": ev.numero,
            "cude": ev.cude,
            "cufe": ev.cufe,
        });
        let campos = [
            ("descripcion", ev.descripcion.clone()),
            ("nota", ev.nota.clone()),
            ("persona", ev.persona.clone()),
            ("nit_emisor", ev.nit_emisor.clone()),
            ("concepto", ev.concepto.clone()),
            (
                "concepto_nombre",
                ev.concepto.as_deref().and_then(concepto_reclamo).map(str::to_string),
            ),
        ];
        for (k, v) in campos {
            if let Some(v) = v {
                datos[k] = Value::String(v);
            }
        }
        ciclo::evento(c, actor, &factura.id, tipo, ev.fecha, datos, saldos)?;
        resumen.creados += 1;
    }
    Ok(resumen)
}

/// The event in words, for the trazabilidad: what the payer did and when, with the event's
/// number. None for events that are not RADIAN's.
pub fn texto(tipo: &str, fecha: chrono::NaiveDate, datos: &Value) -> Option<String> {
    let campo = |k: &str| datos.get(k).and_then(Value::as_str).filter(|s| !s.is_empty());
    let evento = format!(
        "evento RADIAN {} {}",
        campo("codigo").unwrap_or_default(),
        campo("numero").unwrap_or_default()
    );
    let quien = campo("persona").map(|p| format!("; firmó {p}")).unwrap_or_default();
    Some(match tipo {
        "radian_acuse_recibo" => format!("El pagador acusó recibo de la factura el {fecha} ({evento}{quien})."),
        "radian_recibo_servicio" => {
            format!("El pagador dejó constancia de haber recibido el servicio facturado el {fecha} ({evento}{quien}).")
        }
        "radian_reclamo" => {
            let concepto = match (campo("concepto"), campo("concepto_nombre")) {
                (Some(k), Some(n)) => format!(": concepto {k}, {n}"),
                (Some(k), None) => format!(": concepto {k}"),
                _ => String::new(),
            };
            let descripcion = campo("descripcion").map(|d| format!(" — «{d}»")).unwrap_or_default();
            format!("El pagador reclamó la factura el {fecha} ({evento}){concepto}{descripcion}.")
        }
        "radian_aceptacion_expresa" => format!("El pagador aceptó expresamente la factura el {fecha} ({evento})."),
        "radian_aceptacion_tacita" => format!(
            "La factura quedó aceptada tácitamente el {fecha}: el pagador no la reclamó dentro de los tres días \
             hábiles siguientes a su recepción (Código de Comercio, art. 773; {evento})."
        ),
        _ => return None,
    })
}

/// The day the payer received the invoice, as a RADIAN event proves it: the first acuse de
/// recibo (030) or recibo del servicio (032).
pub fn recibida_por_pagador<'a>(
    eventos: impl IntoIterator<Item = (&'a str, chrono::NaiveDate)>,
) -> Option<chrono::NaiveDate> {
    eventos
        .into_iter()
        .filter(|(t, _)| *t == "radian_acuse_recibo" || *t == "radian_recibo_servicio")
        .map(|(_, f)| f)
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dia(s: &str) -> chrono::NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_claim_reads_with_its_concept_and_text() {
        let datos = json!({"codigo": "031", "numero": "REC00001", "concepto": "02",
            "concepto_nombre": "mercancía no entregada totalmente", "descripcion": "Mercancía no entregada"});
        assert_eq!(
            texto("radian_reclamo", dia("2020-01-01"), &datos).unwrap(),
            "El pagador reclamó la factura el 2020-01-01 (evento RADIAN 031 REC00001): concepto 02, mercancía no \
             entregada totalmente — «Mercancía no entregada»."
        );
        assert_eq!(texto("glosa", dia("2020-01-01"), &datos), None);
    }

    #[test]
    fn the_payer_received_it_on_the_first_receipt_event() {
        let r = recibida_por_pagador([
            ("radian_aceptacion_expresa", dia("2020-01-01")),
            ("radian_recibo_servicio", dia("2020-01-05")),
            ("radian_acuse_recibo", dia("2020-01-03")),
        ]);
        assert_eq!(r, Some(dia("2020-01-03")));
        assert_eq!(recibida_por_pagador([("radian_reclamo", dia("2020-01-01"))]), None);
    }
}
