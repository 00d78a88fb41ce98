//! The trazabilidad of one invoice: its events in the order they were recorded, each with
//! who, when, what, the legal term it opened or closed (met or missed) and the balances
//! after it; plus what silence decided since (aceptación or levantamiento tácito). Built
//! only from the append-only `eventos`.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::ciclo::{self, glosa_dominio};
use super::plazos::Plazo;
use super::{Actor, AppError};
use crate::db::{self, Db};
use crate::domain::factura::EstadoFactura;
use crate::domain::money::from_centavos;
use crate::domain::terminos::Terminos;

#[derive(Debug, Serialize, ToSchema)]
pub struct FacturaResumen {
    pub id: String,
    pub numero: String,
    pub pagador_id: String,
    pub pagador: String,
    pub fecha_expedicion: NaiveDate,
    #[schema(value_type = String)]
    pub valor_total: Decimal,
    pub numero_radicado: Option<String>,
}

/// A term an event opened: who must act by when.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TerminoAbierto {
    pub nombre: String,
    pub vence: NaiveDate,
    pub fuente: String,
}

/// A term an event closed, and whether it was met.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TerminoCerrado {
    pub nombre: String,
    pub vencia: NaiveDate,
    pub cumplido: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EventoVista {
    pub tipo: String,
    /// The civil date of the fact, as the user stated it.
    pub fecha: NaiveDate,
    /// When Trazo recorded it (UTC); none for what the rules derived from silence.
    pub registrado_en: Option<chrono::DateTime<chrono::Utc>>,
    /// E-mail of who recorded it, or `regla` for what silence decided.
    pub actor: String,
    #[schema(value_type = Object)]
    pub detalle: Value,
    /// The term this event closed, or else the first it opened.
    pub termino: Option<String>,
    /// For a closed term: met (true) or missed (false).
    pub cumplido: Option<bool>,
    pub abre: Vec<TerminoAbierto>,
    pub cierra: Option<TerminoCerrado>,
    #[schema(value_type = String)]
    pub saldo: Decimal,
    #[schema(value_type = String)]
    pub en_discusion: Decimal,
    /// What this event recorded was voided later (see the reversal event); none otherwise.
    pub anulado: Option<Anulado>,
}

/// The voiding of what an event recorded: when, by whom and why.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Anulado {
    pub fecha: NaiveDate,
    /// E-mail of who voided it.
    pub por: String,
    pub motivo: String,
    /// The reversal event's type, e.g. `glosa_anulada`.
    pub reversion: String,
}

/// Which earlier events a reversal voids: those with the same `clave` (all of them, or the
/// last of one of `tipos`), and for radicaciones and applications the same date in `fecha`.
struct Reversion {
    clave: &'static str,
    tipos: &'static [&'static str],
    todos: bool,
    fecha: Option<&'static str>,
}

fn reversion(tipo: &str) -> Option<Reversion> {
    let r = |clave, tipos, todos, fecha| {
        Some(Reversion {
            clave,
            tipos,
            todos,
            fecha,
        })
    };
    match tipo {
        "glosa_anulada" => r("glosa_id", &[], true, None),
        "respuesta_glosa_anulada" => r("glosa_id", &["glosa_respondida"], false, None),
        "decision_glosa_anulada" => r("glosa_id", &["glosa_decidida"], false, None),
        "devolucion_anulada" => r("devolucion_id", &[], true, None),
        "respuesta_devolucion_anulada" => r("devolucion_id", &["devolucion_respondida"], false, None),
        "decision_devolucion_anulada" => r("devolucion_id", &["devolucion_decidida"], false, None),
        "radicacion_anulada" => r(
            "numero_radicado",
            &["radicada", "reradicada"],
            false,
            Some("fecha_radicacion"),
        ),
        "aplicacion_anulada" => r(
            "pago_id",
            &["pago_aplicado", "recuperacion_castigada"],
            false,
            Some("fecha_aplicacion"),
        ),
        _ => None,
    }
}

/// "pagado por ADRES — giro directo 2026-118" for a payment a third party made on the payer's
/// behalf (Res. 2284/2023 art. 8).
fn pagado_por(datos: &Value) -> Option<String> {
    let nombre = datos.get("pagado_por")?.get("nombre")?.as_str()?;
    let medio = datos
        .get("medio")
        .and_then(Value::as_str)
        .unwrap_or("")
        .replace('_', " ");
    let referencia = datos.get("referencia").and_then(Value::as_str).unwrap_or("");
    Some(
        format!("pagado por {nombre} — {medio} {referencia}")
            .trim_end()
            .to_string(),
    )
}

/// Marks the events whose record was voided by a later reversal, so the story reads the
/// original, its reversal and what replaced it.
fn marcar_anulados(vistas: &mut [EventoVista]) {
    for i in 0..vistas.len() {
        let Some(r) = reversion(&vistas[i].tipo) else {
            continue;
        };
        let rev = &vistas[i];
        let clave = rev.detalle.get(r.clave).cloned();
        let fecha = r
            .fecha
            .and_then(|k| rev.detalle.get(k)?.as_str()?.parse::<NaiveDate>().ok());
        let anulado = Anulado {
            fecha: rev.fecha,
            por: rev.actor.clone(),
            motivo: rev
                .detalle
                .get("motivo")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            reversion: rev.tipo.clone(),
        };
        let cuando = rev.registrado_en;
        let candidatos: Vec<usize> = (0..vistas.len())
            .filter(|&j| {
                let v = &vistas[j];
                j != i
                    && v.anulado.is_none()
                    && reversion(&v.tipo).is_none()
                    && v.registrado_en < cuando
                    && clave.is_some()
                    && v.detalle.get(r.clave) == clave.as_ref()
                    && (r.tipos.is_empty() || r.tipos.contains(&v.tipo.as_str()))
                    && fecha.is_none_or(|f| v.fecha == f)
            })
            .collect();
        let marcar: Vec<usize> = if r.todos {
            candidatos
        } else {
            candidatos
                .into_iter()
                .max_by_key(|&j| vistas[j].registrado_en)
                .into_iter()
                .collect()
        };
        for j in marcar {
            vistas[j].anulado = Some(anulado.clone());
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Trazabilidad {
    pub factura: FacturaResumen,
    pub estado: EstadoFactura,
    #[schema(value_type = String)]
    pub saldo: Decimal,
    #[schema(value_type = String)]
    pub en_discusion: Decimal,
    pub eventos: Vec<EventoVista>,
    /// Deadlines still running or missed as of today.
    pub plazos: Vec<Plazo>,
    /// The day the payer received the invoice, when a RADIAN event (030 acuse de recibo or 032
    /// recibo del servicio) proves it.
    pub recibida_por_pagador: Option<NaiveDate>,
}

fn decimal(v: &Value, key: &str) -> Decimal {
    v.get(key)
        .and_then(Value::as_str)
        .and_then(|s| s.parse().ok())
        .unwrap_or_default()
}

fn abierto(v: &Value) -> Option<TerminoAbierto> {
    Some(TerminoAbierto {
        nombre: v.get("nombre")?.as_str()?.to_string(),
        vence: v.get("vence")?.as_str()?.parse().ok()?,
        fuente: v.get("fuente").and_then(Value::as_str).unwrap_or_default().to_string(),
    })
}

fn cerrado(v: &Value) -> Option<TerminoCerrado> {
    Some(TerminoCerrado {
        nombre: v.get("nombre")?.as_str()?.to_string(),
        vencia: v.get("vencia")?.as_str()?.parse().ok()?,
        cumplido: v.get("cumplido")?.as_bool()?,
    })
}

pub fn construir(
    db: &Db,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    factura_id: &str,
) -> Result<Trazabilidad, AppError> {
    let (e, eventos, pagador, emails) = db.read(|c| {
        let e = ciclo::cargar(c, t, &actor.prestador_id, factura_id)?;
        let eventos = db::eventos::de_factura(c, &actor.prestador_id, factura_id)?;
        let pagador = super::pagadores::buscar(c, &actor.prestador_id, &e.fila.pagador_id)?;
        let ids: Vec<String> = eventos.iter().map(|e| e.actor_id.clone()).collect();
        let emails: HashMap<String, String> = db::usuarios::emails(c, &actor.prestador_id, &ids)?
            .into_iter()
            .collect();
        Ok::<_, AppError>((e, eventos, pagador, emails))
    })?;
    let mut vistas: Vec<EventoVista> = eventos
        .into_iter()
        .map(|ev| {
            let mut datos: Value = serde_json::from_str(&ev.datos).unwrap_or(Value::Null);
            let saldo = decimal(&datos, "saldo");
            let en_discusion = decimal(&datos, "en_discusion");
            let mut abre: Vec<TerminoAbierto> = Vec::new();
            let mut cierra = None;
            if let Value::Object(m) = &mut datos {
                for key in ["saldo", "en_discusion"] {
                    m.remove(key);
                }
                if let Some(v) = m.remove("termino") {
                    abre.extend(abierto(&v));
                }
                if let Some(Value::Array(vs)) = m.remove("terminos") {
                    abre.extend(vs.iter().filter_map(abierto));
                }
                cierra = m.remove("cierra").as_ref().and_then(cerrado);
            }
            // RADIAN events read in words (the payer's acts before DIAN, not Trazo's rules), and
            // so does money paid by a third party on the payer's behalf.
            let texto = super::importaciones::radian::texto(&ev.tipo, ev.fecha, &datos)
                .or_else(|| pagado_por(&datos))
                .or_else(|| super::actas::texto(&ev.tipo, &datos))
                .or_else(|| super::soportes::texto(&ev.tipo, &datos));
            if let (Some(texto), Value::Object(m)) = (texto, &mut datos) {
                m.insert("texto".into(), Value::String(texto));
            }
            EventoVista {
                termino: cierra
                    .as_ref()
                    .map(|c| c.nombre.clone())
                    .or_else(|| abre.first().map(|a| a.nombre.clone())),
                cumplido: cierra.as_ref().map(|c| c.cumplido),
                actor: emails.get(&ev.actor_id).cloned().unwrap_or(ev.actor_id),
                tipo: ev.tipo,
                fecha: ev.fecha,
                registrado_en: Some(ev.registrado_en.and_utc()),
                detalle: datos,
                abre,
                cierra,
                saldo,
                en_discusion,
                anulado: None,
            }
        })
        .collect();
    marcar_anulados(&mut vistas);
    // What silence decided: it has no event because nobody did anything.
    let saldo = from_centavos(e.dominio.saldo(hoy, &t.reglas));
    let en_discusion = from_centavos(e.dominio.en_discusion(hoy, &t.reglas));
    let derivado = |tipo: &str, vencia: NaiveDate, nombre: &str, fuente: &str, mut detalle: Value| {
        detalle["fuente"] = Value::String(fuente.to_string());
        EventoVista {
            tipo: tipo.to_string(),
            fecha: vencia + Duration::days(1),
            registrado_en: None,
            actor: "regla".into(),
            detalle,
            termino: Some(nombre.to_string()),
            cumplido: Some(false),
            abre: vec![],
            cierra: Some(TerminoCerrado {
                nombre: nombre.to_string(),
                vencia,
                cumplido: false,
            }),
            saldo,
            en_discusion,
            anulado: None,
        }
    };
    for fila in &e.glosas {
        let g = glosa_dominio(fila);
        let detalle = || serde_json::json!({"glosa_id": fila.id, "valor": from_centavos(fila.valor)});
        if g.aceptada_tacitamente(hoy, &t.reglas) {
            vistas.push(derivado(
                "aceptacion_tacita",
                g.fecha_limite_respuesta,
                "respuesta",
                &t.reglas.aceptacion_tacita_fuente,
                detalle(),
            ));
        }
        if let (true, Some(l)) = (g.decision_vencida(hoy), g.fecha_limite_decision) {
            // Lifted only where a deployment says so; by default the glosa stays disputed.
            let (tipo, fuente) = if g.levantada_tacitamente(hoy, &t.reglas) {
                ("levantamiento_tacito", &t.reglas.levantamiento_tacito_fuente)
            } else {
                ("decision_vencida", &t.reglas.levantamiento_tacito_fuente)
            };
            vistas.push(derivado(tipo, l, "decision", fuente, detalle()));
        }
    }
    // Only the devolución of the radicación in force: radicating again ended an earlier one.
    let ultima = e.radicaciones.last().map(|r| &r.id);
    for fila in e.devoluciones.iter().filter(|d| Some(&d.radicacion_id) == ultima) {
        let d = super::ciclo::devolucion_dominio(fila, t)?;
        let detalle = || serde_json::json!({"devolucion_id": fila.id, "codigo": fila.codigo});
        if let (true, Some(l)) = (d.aceptada_tacitamente(hoy, &t.reglas), d.fecha_limite_respuesta) {
            vistas.push(derivado(
                "devolucion_aceptada_tacitamente",
                l,
                "respuesta_devolucion",
                &t.reglas.devolucion_aceptacion_tacita_fuente,
                detalle(),
            ));
        }
        if let (true, Some(l)) = (d.injustificada_por_silencio(hoy, &t.reglas), d.fecha_limite_reiteracion) {
            vistas.push(derivado(
                "devolucion_injustificada",
                l,
                "reiteracion_devolucion",
                &t.reglas.devolucion_injustificada_por_silencio_fuente,
                detalle(),
            ));
        }
    }
    // In the order things happened: by the date of the fact, then as they were recorded; what
    // silence decided (recorded by nobody) goes after what people recorded that day.
    vistas.sort_by(|a, b| {
        (a.fecha, a.registrado_en.is_none(), a.registrado_en).cmp(&(
            b.fecha,
            b.registrado_en.is_none(),
            b.registrado_en,
        ))
    });
    let plazos = super::plazos::de_factura(&e, t, hoy);
    let recibida_por_pagador =
        super::importaciones::radian::recibida_por_pagador(vistas.iter().map(|v| (v.tipo.as_str(), v.fecha)));
    Ok(Trazabilidad {
        recibida_por_pagador,
        estado: e.dominio.estado(hoy, &t.reglas),
        saldo,
        en_discusion,
        factura: FacturaResumen {
            id: e.fila.id.clone(),
            numero: e.fila.numero.clone(),
            pagador_id: e.fila.pagador_id.clone(),
            pagador: pagador.nombre,
            fecha_expedicion: e.fila.fecha_expedicion,
            valor_total: from_centavos(e.fila.valor_total),
            numero_radicado: e.fila.numero_radicado.clone(),
        },
        eventos: vistas,
        plazos,
    })
}

/// The same story as a workbook a person can read and file.
pub fn xlsx(t: &Trazabilidad) -> Result<Vec<u8>, AppError> {
    use rust_xlsxwriter::{Format, FormatAlign, Workbook};
    let err = super::hoja::error;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Trazabilidad").map_err(err)?;
    let bold = Format::new().set_bold();
    let head = Format::new()
        .set_bold()
        .set_background_color("#DCE6F1")
        .set_align(FormatAlign::Center)
        .set_text_wrap();
    let money = Format::new().set_num_format("#,##0.00");
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let put_money =
        |ws: &mut rust_xlsxwriter::Worksheet, r: u32, c: u16, v: Decimal| super::hoja::dinero(ws, r, c, v, &money);
    let info = [
        ("Factura", t.factura.numero.clone()),
        ("Pagador", t.factura.pagador.clone()),
        ("Radicado", t.factura.numero_radicado.clone().unwrap_or_default()),
        ("Estado", t.estado.as_str().to_string()),
    ];
    for (i, (k, v)) in info.iter().enumerate() {
        ws.write_string_with_format(i as u32, 0, *k, &bold).map_err(err)?;
        ws.write_string(i as u32, 1, v).map_err(err)?;
    }
    ws.write_string_with_format(4, 0, "Valor total", &bold).map_err(err)?;
    put_money(ws, 4, 1, t.factura.valor_total)?;
    ws.write_string_with_format(5, 0, "Saldo", &bold).map_err(err)?;
    put_money(ws, 5, 1, t.saldo)?;
    ws.write_string_with_format(6, 0, "En discusión", &bold).map_err(err)?;
    put_money(ws, 6, 1, t.en_discusion)?;
    let cols = [
        "Fecha",
        "Registrado (UTC)",
        "Evento",
        "Usuario",
        "Término",
        "Vence / vencía",
        "Cumplido",
        "Saldo",
        "En discusión",
        "Detalle",
        "Anulado",
    ];
    let first = 8u32;
    for (c, name) in cols.iter().enumerate() {
        ws.write_string_with_format(first, c as u16, *name, &head)
            .map_err(err)?;
    }
    for (i, ev) in t.eventos.iter().enumerate() {
        let r = first + 1 + i as u32;
        ws.write_date_with_format(r, 0, ev.fecha, &date).map_err(err)?;
        let registrado = ev
            .registrado_en
            .map(|d| d.format("%Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_else(|| "(regla)".into());
        ws.write_string(r, 1, registrado).map_err(err)?;
        ws.write_string(r, 2, ev.tipo.replace('_', " ")).map_err(err)?;
        ws.write_string(r, 3, &ev.actor).map_err(err)?;
        ws.write_string(r, 4, ev.termino.clone().unwrap_or_default())
            .map_err(err)?;
        let vence = ev
            .cierra
            .as_ref()
            .map(|c| c.vencia)
            .or_else(|| ev.abre.first().map(|a| a.vence));
        if let Some(v) = vence {
            ws.write_date_with_format(r, 5, v, &date).map_err(err)?;
        }
        let cumplido = match ev.cumplido {
            Some(true) => "sí",
            Some(false) => "NO",
            None => "",
        };
        ws.write_string(r, 6, cumplido).map_err(err)?;
        put_money(ws, r, 7, ev.saldo)?;
        put_money(ws, r, 8, ev.en_discusion)?;
        ws.write_string(r, 9, detalle_legible(&ev.detalle)).map_err(err)?;
        if let Some(a) = &ev.anulado {
            ws.write_string(r, 10, format!("anulado el {} por {}: {}", a.fecha, a.por, a.motivo))
                .map_err(err)?;
        }
    }
    for (c, w) in [12.0, 20.0, 22.0, 28.0, 16.0, 14.0, 10.0, 16.0, 16.0, 80.0, 40.0]
        .iter()
        .enumerate()
    {
        ws.set_column_width(c as u16, *w).map_err(err)?;
    }
    ws.set_freeze_panes(first + 1, 0).map_err(err)?;
    wb.save_to_buffer().map_err(err)
}

/// `clave: valor; ...` of an event's details, for a spreadsheet cell.
fn detalle_legible(v: &Value) -> String {
    match v {
        Value::Object(m) => m
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| match v {
                Value::String(s) => format!("{k}: {s}"),
                other => format!("{k}: {other}"),
            })
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}
