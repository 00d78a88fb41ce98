//! Trazabilidad, work lists and the official code tables.

use actix_web::{get, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use super::error::ApiError;
use super::error::Problema;
use super::{blocking, AppState};
use crate::app::auditoria::{self, ConsultaEventos, EventoAuditado};
use crate::app::reportes::{self, Alertas, ConsultaAlertas};
use crate::app::trazabilidad::{self as traza, Trazabilidad};
use crate::app::Lista;
use crate::app::{Actor, AppError};
use crate::domain::catalogo::{Catalogo, Codigo, Manual, TipoCodigo};

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Whether the client asked for a workbook: `?formato=xlsx` or an `Accept` of XLSX. Any
/// other `formato` than json or xlsx is refused.
pub fn quiere_xlsx(formato: Option<&str>, req: &HttpRequest) -> Result<bool, AppError> {
    if let Some(f) = formato.filter(|f| !matches!(*f, "xlsx" | "json")) {
        return Err(AppError::invalid(
            "formato",
            format!("'{f}' no es un formato; se espera json o xlsx"),
        ));
    }
    Ok(formato == Some("xlsx")
        || req
            .headers()
            .get("accept")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.contains(XLSX)))
}

/// A workbook as a download.
pub fn xlsx(nombre: &str, bytes: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(XLSX)
        .insert_header(("Content-Disposition", format!("attachment; filename=\"{nombre}\"")))
        .body(bytes)
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct FormatoQuery {
    /// `xlsx` for a workbook; JSON otherwise.
    pub formato: Option<String>,
}

/// The whole story of an invoice from its events, as JSON or as an XLSX workbook
/// (`?formato=xlsx` or `Accept: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`).
#[utoipa::path(tag = "reportes", params(FormatoQuery), security(("bearer" = [])),
    responses((status = 200, body = Trazabilidad), (status = 404, body = Problema)))]
#[get("/facturas/{id}/trazabilidad")]
pub async fn trazabilidad(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
    q: super::query::Query<FormatoQuery>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let quiere_xlsx = quiere_xlsx(q.formato.as_deref(), &req)?;
    let t = blocking(move || traza::construir(&state.db, &state.terminos, state.hoy(), &actor, &id)).await?;
    if quiere_xlsx {
        return Ok(xlsx(
            &format!("trazabilidad-{}.xlsx", t.factura.numero),
            traza::xlsx(&t)?,
        ));
    }
    Ok(HttpResponse::Ok().json(t))
}

/// Work list: glosas and devoluciones to act on, invoices near their radicación term, payer
/// decisions and payments overdue — each with the action to take, the payer's name and, for
/// glosas, the code and its description; by kind (`tipo`) and payer, a page at a time.
/// `?formato=xlsx` gives every alert that matches as a workbook.
#[utoipa::path(tag = "reportes", params(ConsultaAlertas), security(("bearer" = [])),
    responses((status = 200, body = Alertas), (status = 400, body = super::error::Problema), (status = 422, body = super::error::Problema)))]
#[get("/alertas")]
pub async fn alertas(
    state: web::Data<AppState>,
    actor: Actor,
    q: super::query::Query<ConsultaAlertas>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let q = q.into_inner();
    let en_xlsx = quiere_xlsx(q.formato.as_deref(), &req)?;
    let hoy = state.hoy();
    let a = blocking(move || reportes::consultar(&state.db, &state.terminos, &actor, hoy, q, en_xlsx)).await?;
    if en_xlsx {
        return Ok(xlsx(&format!("alertas-{hoy}.xlsx"), reportes::xlsx(&a)?));
    }
    Ok(HttpResponse::Ok().json(a))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct CodigosQuery {
    /// glosa, devolucion or respuesta
    pub tipo: Option<String>,
    /// res3047 or res2284
    pub manual: Option<String>,
}

/// The official codes of both manuals (Res. 3047/2008 anexo 6 and Res. 2284/2023).
#[utoipa::path(tag = "catalogos", params(CodigosQuery), security(("bearer" = [])), responses((status = 200, description = "Only `nivel = aplicacion` codes are imputed; `emisor = pagador` marks the payer's notices RE2201/RE2202", body = Lista<Codigo>), (status = 422, body = Problema)))]
#[get("/catalogos/codigos")]
pub async fn codigos(_actor: Actor, q: super::query::Query<CodigosQuery>) -> Result<HttpResponse, ApiError> {
    let tipo = q
        .tipo
        .as_deref()
        .map(|t| {
            t.parse::<TipoCodigo>()
                .map_err(|_| AppError::invalid("tipo", "se espera glosa, devolucion o respuesta"))
        })
        .transpose()?;
    let manual = match q.manual.as_deref() {
        None => None,
        Some(m) => Some(
            Manual::ALL
                .into_iter()
                .find(|x| x.as_str() == m)
                .ok_or_else(|| AppError::invalid("manual", "se espera res3047 o res2284"))?,
        ),
    };
    let items: Vec<&Codigo> = Catalogo::oficial().listar(tipo, manual);
    Ok(HttpResponse::Ok().json(serde_json::json!({ "items": items, "total": items.len() })))
}

/// The audit log (auditor, admin): every event recorded on the tenant's invoices, the last
/// first, by user, type, invoice and the Bogotá days it was recorded; each with its invoice's
/// number, who recorded it and what changed. `?formato=xlsx` gives every event that matches.
#[utoipa::path(tag = "reportes", params(ConsultaEventos), security(("bearer" = [])),
    responses((status = 200, body = Lista<EventoAuditado>), (status = 400, body = Problema), (status = 403, body = Problema)))]
#[get("/eventos")]
pub async fn eventos(
    state: web::Data<AppState>,
    actor: Actor,
    q: super::query::Query<ConsultaEventos>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let q = q.into_inner();
    let en_xlsx = quiere_xlsx(q.formato.as_deref(), &req)?;
    let l = blocking(move || auditoria::listar(&state.db, &actor, &q, en_xlsx)).await?;
    if en_xlsx {
        return Ok(xlsx("auditoria.xlsx", auditoria::xlsx(&l)?));
    }
    Ok(HttpResponse::Ok().json(l))
}

super::rutas!(trazabilidad, alertas, codigos, eventos);
