//! The payer's window in the browser: its invoices with a balance (its statement of account,
//! downloadable), each invoice's trazabilidad, and the form to announce a payment that the
//! prestador's cartera team then confirms. Only users of role `pagador` reach these pages
//! (`sesion::en_su_ventana`); the same use cases as `/api/v1/portal`.

use std::collections::HashMap;

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::formato::{fecha, fecha_hora, palabras, pesos};
use super::formulario::{leer_fecha, leer_valor, por_campo, Errores};
use super::sesion::{con_aviso, en_bloque, formulario, pagina, Usuario};
use super::{ErrorWeb, Marco};
use crate::api::AppState;
use crate::app::anuncios::{self, NuevoAnuncio};
use crate::app::pagos::NuevaAplicacion;
use crate::app::{portal, recordatorios, AppError};

pub struct FilaFactura {
    pub id: String,
    pub numero: String,
    pub radicacion: String,
    pub vence: String,
    pub dias_mora: i64,
    pub en_discusion: String,
    pub saldo: String,
    /// What the form had for it when it came back with errors.
    pub anunciado: String,
    pub error: Option<String>,
}

pub struct FilaAnuncio {
    pub fecha: String,
    pub valor: String,
    pub referencia: String,
    pub facturas: String,
    pub estado: &'static str,
    pub motivo: String,
    pub anunciado_en: String,
}

#[derive(Template)]
#[template(path = "portal.html")]
struct Portal {
    marco: Marco,
    pagador: String,
    nit: String,
    prestador: String,
    /// For the date field's `max`.
    hoy: String,
    hoy_texto: String,
    facturas: Vec<FilaFactura>,
    saldo: String,
    anuncios: Vec<FilaAnuncio>,
    f: Vec<(String, String)>,
    errores: Errores,
}

impl Portal {
    fn campo(&self, k: &str) -> &str {
        self.f.iter().find(|(c, _)| c == k).map_or("", |(_, v)| v.as_str())
    }
}

/// "FE-1 ($ 100.000,00), FE-2 ($ 50.000,00)": what an announcement pays, in a line.
pub fn facturas_anunciadas(a: &anuncios::AnuncioVista) -> String {
    a.aplicaciones
        .iter()
        .map(|l| format!("{} ({})", l.numero, pesos(l.valor)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn estado(e: &str) -> &'static str {
    match e {
        "confirmado" => "Confirmado y aplicado",
        "rechazado" => "Rechazado",
        _ => "Por confirmar",
    }
}

fn construir(st: &AppState, u: &Usuario, f: Vec<(String, String)>, errores: Errores) -> Result<Portal, AppError> {
    let hoy = st.hoy();
    let actor = &u.sesion.actor;
    let v = portal::ventana(&st.db, actor)?;
    let filas = st
        .db
        .read(|c| recordatorios::deuda_al_dia(c, &st.terminos.reglas, &actor.prestador_id, &v.pagador_id, hoy))?;
    let saldo: i64 = filas.iter().map(|x| x.saldo).sum();
    let valor_de = |id: &str| {
        f.iter()
            .find(|(k, _)| k.strip_prefix("valor_") == Some(id))
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let facturas = filas
        .iter()
        .map(|x| FilaFactura {
            anunciado: valor_de(&x.id),
            error: errores.get(&format!("valor_{}", x.id)).cloned(),
            id: x.id.clone(),
            numero: x.numero.clone(),
            radicacion: super::formato::fecha_o_guion(x.fecha_radicacion),
            vence: super::formato::fecha_o_guion(x.fecha_limite_pago),
            dias_mora: crate::domain::cobro::dias_mora(
                x.fecha_limite_pago,
                x.estado == crate::domain::factura::EstadoFactura::Devuelta,
                hoy,
            ),
            en_discusion: pesos(crate::domain::money::from_centavos(x.en_discusion)),
            saldo: pesos(crate::domain::money::from_centavos(x.saldo)),
        })
        .collect();
    let anuncios = anuncios::del_pagador(&st.db, actor)?
        .into_iter()
        .map(|a| FilaAnuncio {
            facturas: facturas_anunciadas(&a),
            fecha: fecha(a.fecha),
            valor: pesos(a.valor),
            referencia: a.referencia,
            estado: estado(&a.estado),
            motivo: a.motivo,
            anunciado_en: fecha_hora(a.anunciado_en),
        })
        .collect();
    Ok(Portal {
        marco: Marco::de(u, format!("{} · estado de cuenta", v.pagador), super::sesion::PORTAL),
        pagador: v.pagador,
        nit: v.nit,
        prestador: v.prestador,
        hoy: hoy.to_string(),
        hoy_texto: fecha(hoy),
        facturas,
        saldo: pesos(crate::domain::money::from_centavos(saldo)),
        anuncios,
        f,
        errores,
    })
}

async fn inicio(state: web::Data<AppState>, u: Usuario) -> Result<HttpResponse, ErrorWeb> {
    let st = state.clone();
    let mut p = en_bloque(&u, move |u| construir(&st, u, Vec::new(), HashMap::new())).await?;
    p.marco.aviso = u.aviso.clone();
    pagina(&u, &p)
}

/// The use case names a line by its place among the amounts typed (`aplicaciones[2].valor`);
/// the page shows it on that invoice's row (`valor_{id}`).
fn en_su_fila(errores: Errores, ids: &[String]) -> Errores {
    errores
        .into_iter()
        .map(|(k, m)| {
            let fila = k
                .strip_prefix("aplicaciones[")
                .and_then(|r| r.split(']').next())
                .and_then(|i| i.parse::<usize>().ok())
                .and_then(|i| ids.get(i));
            match fila {
                Some(id) => (format!("valor_{id}"), m),
                None => (k, m),
            }
        })
        .collect()
}

/// The announcement as the form sent it: the payment, and a value per invoice (`valor_{id}`).
fn anuncio_de(f: &[(String, String)], hoy: chrono::NaiveDate) -> Result<NuevoAnuncio, Errores> {
    let mut errores = Errores::new();
    let campo = |k: &str| f.iter().find(|(c, _)| c == k).map_or("", |(_, v)| v.trim());
    let fecha = leer_fecha("fecha", campo("fecha"), &mut errores).unwrap_or(hoy);
    let valor = leer_valor("valor", campo("valor"), &mut errores).unwrap_or_default();
    let mut aplicaciones = Vec::new();
    for (k, v) in f {
        let Some(id) = k.strip_prefix("valor_") else { continue };
        if v.trim().is_empty() {
            continue;
        }
        if let Some(valor) = leer_valor(k, v.trim(), &mut errores) {
            aplicaciones.push(NuevaAplicacion {
                factura_id: id.to_string(),
                valor,
            });
        }
    }
    if !errores.is_empty() {
        return Err(errores);
    }
    Ok(NuevoAnuncio {
        fecha,
        valor,
        referencia: campo("referencia").to_string(),
        medio: crate::app::pagos::MEDIO_POR_DEFECTO.into(),
        aplicaciones,
    })
}

async fn anunciar(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: Usuario,
    cuerpo: web::Bytes,
) -> Result<HttpResponse, ErrorWeb> {
    let f = formulario::<Vec<(String, String)>>(&req, &u, &cuerpo)?;
    let st = state.clone();
    let hecho = en_bloque(&u, move |u| {
        let hoy = st.hoy();
        let errores = match anuncio_de(&f, hoy) {
            Ok(n) => {
                let ids: Vec<String> = n.aplicaciones.iter().map(|a| a.factura_id.clone()).collect();
                match anuncios::anunciar(&st.db, hoy, &u.sesion.actor, n) {
                    Ok(a) => return Ok(Ok(a)),
                    Err(e) => en_su_fila(por_campo(e)?, &ids),
                }
            }
            Err(errores) => errores,
        };
        Ok(Err(construir(&st, u, f, errores)?))
    })
    .await?;
    match hecho {
        Ok(a) => Ok(con_aviso(
            super::sesion::PORTAL,
            &format!(
                "Pago de {} anunciado. El prestador lo confirmará al verlo en su cuenta; aquí verá su estado.",
                pesos(a.valor)
            ),
        )),
        Err(p) => {
            let mut r = pagina(&u, &p)?;
            *r.status_mut() = actix_web::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(r)
        }
    }
}

async fn estado_de_cuenta(state: web::Data<AppState>, u: Usuario) -> Result<HttpResponse, ErrorWeb> {
    let st = state.clone();
    let (nombre, libro) = en_bloque(&u, move |u| {
        portal::estado_de_cuenta(&st.db, &st.terminos, st.hoy(), &u.sesion.actor)
    })
    .await?;
    Ok(crate::api::reportes::xlsx(&nombre, libro))
}

pub struct FilaEvento {
    pub fecha: String,
    pub que: String,
    pub detalle: String,
    pub saldo: String,
}

#[derive(Template)]
#[template(path = "portal_factura.html")]
struct PortalFactura {
    marco: Marco,
    numero: String,
    estado: String,
    expedida: String,
    radicado: String,
    valor: String,
    saldo: String,
    en_discusion: String,
    eventos: Vec<FilaEvento>,
}

/// What an event says in a line: its own text when it has one, else its values.
fn detalle(d: &serde_json::Value) -> String {
    if let Some(t) = d.get("texto").and_then(|t| t.as_str()) {
        return t.to_string();
    }
    let mut partes = Vec::new();
    for (k, etiqueta) in [
        ("codigo", "código"),
        ("valor", "valor"),
        ("numero_radicado", "radicado"),
        ("referencia", "referencia"),
        ("acta", "acta"),
    ] {
        if let Some(v) = d.get(k).and_then(|v| v.as_str()).filter(|v| !v.is_empty()) {
            partes.push(format!("{etiqueta} {v}"));
        }
    }
    partes.join(" · ")
}

async fn factura(state: web::Data<AppState>, u: Usuario, id: web::Path<String>) -> Result<HttpResponse, ErrorWeb> {
    let st = state.clone();
    let id = id.into_inner();
    let f = en_bloque(&u, move |u| {
        portal::factura(&st.db, &st.terminos, st.hoy(), &u.sesion.actor, &id)
    })
    .await?;
    let t = f.trazabilidad;
    let p = PortalFactura {
        marco: Marco::de(&u, format!("Factura {}", f.factura.numero), super::sesion::PORTAL),
        numero: f.factura.numero,
        estado: palabras(t.estado.as_str()),
        expedida: fecha(f.factura.fecha_expedicion),
        radicado: f.factura.numero_radicado.clone().unwrap_or_default(),
        valor: pesos(f.factura.valor_total),
        saldo: pesos(t.saldo),
        en_discusion: pesos(t.en_discusion),
        eventos: t
            .eventos
            .iter()
            .map(|e| FilaEvento {
                fecha: fecha(e.fecha),
                que: palabras(&e.tipo),
                detalle: detalle(&e.detalle),
                saldo: pesos(e.saldo),
            })
            .collect(),
    };
    pagina(&u, &p)
}

pub fn rutas(cfg: &mut web::ServiceConfig) {
    cfg.route("/portal", web::get().to(inicio))
        .route("/portal/anuncios", web::post().to(anunciar))
        .route("/portal/estado-de-cuenta.xlsx", web::get().to(estado_de_cuenta))
        .route("/portal/facturas/{id}", web::get().to(factura));
}
