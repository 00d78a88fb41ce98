//! The payer's window (`/portal`, role `pagador` only) and the cartera team's side of the
//! payments it announces (`/anuncios`).

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use super::error::{ApiError, Problema};
use super::json::Json;
use super::{blocking, created, AppState};
use crate::app::anuncios::{self, AnuncioVista, NuevoAnuncio, Rechazo};
use crate::app::facturas::{ConsultaFacturas, FacturaEnLista};
use crate::app::portal::{self, FacturaDelPagador, Ventana};
use crate::app::{Actor, Lista};

/// Who the payer's user is and which payer and prestador its window shows.
#[utoipa::path(tag = "portal", security(("bearer" = [])), responses((status = 200, body = Ventana), (status = 403, body = Problema)))]
#[get("/portal")]
pub async fn ventana(state: web::Data<AppState>, actor: Actor) -> Result<HttpResponse, ApiError> {
    let v = blocking(move || portal::ventana(&state.db, &actor)).await?;
    Ok(HttpResponse::Ok().json(v))
}

/// The payer's invoices at this prestador, with the filters of `GET /facturas` (the payer is
/// always the user's own); `?formato=xlsx` gives every one that matches.
#[utoipa::path(tag = "portal", params(ConsultaFacturas), security(("bearer" = [])),
    responses((status = 200, body = Lista<FacturaEnLista>), (status = 403, body = Problema), (status = 422, body = Problema)))]
#[get("/portal/facturas")]
pub async fn facturas(
    state: web::Data<AppState>,
    actor: Actor,
    q: super::query::Query<ConsultaFacturas>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let q = q.into_inner();
    let en_xlsx = super::reportes::quiere_xlsx(q.formato.as_deref(), &req)?;
    let l = blocking(move || portal::facturas(&state.db, &state.terminos, state.hoy(), &actor, q, en_xlsx)).await?;
    if en_xlsx {
        return Ok(super::reportes::xlsx("facturas.xlsx", crate::app::facturas::xlsx(&l)?));
    }
    Ok(HttpResponse::Ok().json(l))
}

/// One of the payer's invoices with its trazabilidad (another payer's is 404).
#[utoipa::path(tag = "portal", security(("bearer" = [])),
    responses((status = 200, body = FacturaDelPagador), (status = 403, body = Problema), (status = 404, body = Problema)))]
#[get("/portal/facturas/{id}")]
pub async fn factura(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let f = blocking(move || portal::factura(&state.db, &state.terminos, state.hoy(), &actor, &id)).await?;
    Ok(HttpResponse::Ok().json(f))
}

/// The payer's statement of account today (XLSX): its invoices with a balance, days of mora,
/// what is in dispute.
#[utoipa::path(tag = "portal", security(("bearer" = [])),
    responses((status = 200, description = "XLSX workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 403, body = Problema)))]
#[get("/portal/estado-de-cuenta")]
pub async fn estado_de_cuenta(state: web::Data<AppState>, actor: Actor) -> Result<HttpResponse, ApiError> {
    let (nombre, libro) =
        blocking(move || portal::estado_de_cuenta(&state.db, &state.terminos, state.hoy(), &actor)).await?;
    Ok(super::reportes::xlsx(&nombre, libro))
}

/// Announces a payment with its detail; the prestador's cartera team confirms it before it
/// is applied.
#[utoipa::path(tag = "portal", request_body = NuevoAnuncio, security(("bearer" = [])),
    responses((status = 201, body = AnuncioVista), (status = 403, body = Problema), (status = 422, body = Problema)))]
#[post("/portal/anuncios")]
pub async fn anunciar(
    state: web::Data<AppState>,
    actor: Actor,
    body: Json<NuevoAnuncio>,
) -> Result<HttpResponse, ApiError> {
    let a = blocking(move || anuncios::anunciar(&state.db, state.hoy(), &actor, body.0)).await?;
    Ok(created(format!("/api/v1/portal/anuncios/{}", a.id), a))
}

/// The payer's announcements and what the cartera team decided on each.
#[utoipa::path(tag = "portal", security(("bearer" = [])),
    responses((status = 200, body = Vec<AnuncioVista>), (status = 403, body = Problema)))]
#[get("/portal/anuncios")]
pub async fn mis_anuncios(state: web::Data<AppState>, actor: Actor) -> Result<HttpResponse, ApiError> {
    let l = blocking(move || anuncios::del_pagador(&state.db, &actor)).await?;
    Ok(HttpResponse::Ok().json(l))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ConsultaAnuncios {
    /// anunciado (default), confirmado or rechazado.
    pub estado: Option<String>,
}

/// Payments the payers announced, for the cartera team (cartera, finanzas).
#[utoipa::path(tag = "pagos", params(ConsultaAnuncios), security(("bearer" = [])),
    responses((status = 200, body = Vec<AnuncioVista>), (status = 403, body = Problema), (status = 422, body = Problema)))]
#[get("/anuncios")]
pub async fn anuncios_listar(
    state: web::Data<AppState>,
    actor: Actor,
    q: super::query::Query<ConsultaAnuncios>,
) -> Result<HttpResponse, ApiError> {
    let l = blocking(move || anuncios::listar(&state.db, &actor, q.estado.as_deref())).await?;
    Ok(HttpResponse::Ok().json(l))
}

/// The money arrived: the announcement becomes a payment with its detail (every check of
/// `POST /pagos` applies; 422 names the line that cannot be applied).
#[utoipa::path(tag = "pagos", security(("bearer" = [])),
    responses((status = 200, body = AnuncioVista), (status = 403, body = Problema), (status = 404, body = Problema), (status = 409, body = Problema), (status = 422, body = Problema)))]
#[post("/anuncios/{id}/confirmacion")]
pub async fn confirmar(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let a = blocking(move || anuncios::confirmar(&state.db, &state.terminos, state.hoy(), &actor, &id)).await?;
    Ok(HttpResponse::Ok().json(a))
}

/// Rejects an announcement with a reason the payer sees.
#[utoipa::path(tag = "pagos", request_body = Rechazo, security(("bearer" = [])),
    responses((status = 200, body = AnuncioVista), (status = 403, body = Problema), (status = 404, body = Problema), (status = 409, body = Problema), (status = 422, body = Problema)))]
#[post("/anuncios/{id}/rechazo")]
pub async fn rechazar(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
    body: Json<Rechazo>,
) -> Result<HttpResponse, ApiError> {
    let a = blocking(move || anuncios::rechazar(&state.db, &actor, &id, body.0)).await?;
    Ok(HttpResponse::Ok().json(a))
}

super::rutas!(
    ventana,
    facturas,
    factura,
    estado_de_cuenta,
    anunciar,
    mis_anuncios,
    anuncios_listar,
    confirmar,
    rechazar
);
