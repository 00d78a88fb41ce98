//! Actas de conciliación de cartera over HTTP (Circular Conjunta 030/2013): recorded from a
//! reconciliation with what each outcome implies, read, listed, taken away as a workbook; and
//! the fulfilment of their commitments.

use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use super::error::{ApiError, Problema};
use super::json::Json;
use super::reportes::xlsx;
use super::{blocking, created, AppState};
use crate::app::actas::{self, ActaEnLista, ActaVista, CompromisoVista, Cumplimiento, NuevaActa};
use crate::app::{Actor, Lista};

/// Records an acta of a reconciliation meeting with the payer (cartera, finanzas): every line
/// becomes an event of its invoice; the lines to pay, one acuerdo de pago; glosas accepted are
/// conciliated; invoices to radicate again and payments to apply become commitments. One
/// transaction: a line refused writes nothing (422 naming it).
#[utoipa::path(tag = "cobro", request_body = NuevaActa, security(("bearer" = [])),
    responses((status = 201, body = ActaVista), (status = 403, body = Problema), (status = 404, body = Problema),
        (status = 409, body = Problema), (status = 422, body = Problema)))]
#[post("/pagadores/{id}/actas")]
pub async fn registrar(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
    body: Json<NuevaActa>,
) -> Result<HttpResponse, ApiError> {
    let v = blocking(move || actas::registrar(&state.db, &state.terminos, &actor, state.hoy(), &id, body.0)).await?;
    Ok(created(format!("/api/v1/actas/{}", v.id), v))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ActasQuery {
    pub pagador_id: Option<String>,
}

/// The actas, the latest first, of one payer if given.
#[utoipa::path(tag = "cobro", params(ActasQuery), security(("bearer" = [])),
    responses((status = 200, body = Lista<ActaEnLista>), (status = 403, body = Problema), (status = 404, description = "Unknown payer", body = Problema)))]
#[get("/actas")]
pub async fn listar(
    state: web::Data<AppState>,
    actor: Actor,
    q: super::query::Query<ActasQuery>,
) -> Result<HttpResponse, ApiError> {
    let v = blocking(move || actas::listar(&state.db, &actor, q.pagador_id.as_deref())).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "total": v.len(), "items": v })))
}

/// An acta with its invoices, totals by outcome and commitments with their state today.
#[utoipa::path(tag = "cobro", security(("bearer" = [])),
    responses((status = 200, body = ActaVista), (status = 403, body = Problema), (status = 404, body = Problema)))]
#[get("/actas/{id}")]
pub async fn obtener(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let v = blocking(move || actas::obtener(&state.db, &actor, state.hoy(), &id)).await?;
    Ok(HttpResponse::Ok().json(v))
}

/// The acta as an XLSX workbook: invoices, totals by outcome, commitments, participants.
#[utoipa::path(tag = "cobro", security(("bearer" = [])),
    responses((status = 200, description = "The workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
        (status = 403, body = Problema), (status = 404, body = Problema)))]
#[get("/actas/{id}/xlsx")]
pub async fn libro(state: web::Data<AppState>, actor: Actor, id: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let (numero, bytes) = blocking(move || {
        let a = actas::obtener(&state.db, &actor, state.hoy(), &id)?;
        Ok((a.numero.clone(), actas::xlsx(&a)?))
    })
    .await?;
    Ok(xlsx(&format!("acta-{}.xlsx", nombre_de_archivo(&numero)), bytes))
}

/// An acta's number as part of a file name: letters, digits, `-` and `_`.
pub fn nombre_de_archivo(numero: &str) -> String {
    numero
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Marks a commitment of an acta fulfilled (cartera, finanzas).
#[utoipa::path(tag = "cobro", request_body = Cumplimiento, security(("bearer" = [])),
    responses((status = 200, body = CompromisoVista), (status = 403, body = Problema), (status = 404, body = Problema),
        (status = 409, body = Problema), (status = 422, body = Problema)))]
#[post("/compromisos/{id}/cumplimiento")]
pub async fn cumplir(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
    body: Json<Cumplimiento>,
) -> Result<HttpResponse, ApiError> {
    let v = blocking(move || actas::cumplir(&state.db, &actor, state.hoy(), &id, body.0)).await?;
    Ok(HttpResponse::Ok().json(v))
}

super::rutas!(registrar, listar, obtener, libro, cumplir);
