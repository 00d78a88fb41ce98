//! The soportes checklist of an invoice, its RIPS's CUV, and radicación packages (Res.
//! 2284/2023 Anexos 1 and 2) over HTTP.

use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use super::error::{ApiError, Problema};
use super::json::Json;
use super::{blocking, created, AppState};
use crate::app::chequeo::{self, ChequeoFactura, RegistroCuv};
use crate::app::paquetes::{self, NuevoPaquete, PaqueteVista, RadicacionPaquete};
use crate::app::Actor;

/// The invoice's soportes checklist: the Anexo 1 groups its RIPS's services bring in, each
/// soporte they require and whether it is attached, its RIPS's CUV and total, and whether it
/// can be radicated.
#[utoipa::path(tag = "ciclo", security(("bearer" = [])),
    responses((status = 200, body = ChequeoFactura), (status = 403, body = Problema), (status = 404, body = Problema)))]
#[get("/facturas/{id}/soportes/checklist")]
pub async fn checklist(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let v = blocking(move || chequeo::de_factura(&state.db, &actor, &id)).await?;
    Ok(HttpResponse::Ok().json(v))
}

/// Registers the CUV the Ministry's validator gave the invoice's RIPS (facturación): the bare
/// code, or the validator's JSON answer pasted whole in `cuv`. Recorded as an event.
#[utoipa::path(tag = "ciclo", request_body = RegistroCuv, security(("bearer" = [])),
    responses((status = 200, body = ChequeoFactura), (status = 403, body = Problema), (status = 404, body = Problema),
        (status = 422, body = Problema)))]
#[post("/facturas/{id}/rips/cuv")]
pub async fn cuv(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
    body: Json<RegistroCuv>,
) -> Result<HttpResponse, ApiError> {
    let v = blocking(move || chequeo::registrar_cuv(&state.db, state.hoy(), &actor, &id, body.0)).await?;
    Ok(HttpResponse::Ok().json(v))
}

/// Builds the radicación package of a lote of one payer (facturación): checks the invoices
/// as radicating them today would and their soportes checklist (422 naming each incomplete
/// invoice and what it lacks, unless `excepcion` gives the reason), then zips their soportes
/// as Anexo 2 names them. 413 when they exceed `radicacion.max_bytes_paquete`.
#[utoipa::path(tag = "ciclo", request_body = NuevoPaquete, security(("bearer" = [])),
    responses((status = 201, body = PaqueteVista), (status = 403, body = Problema), (status = 404, body = Problema),
        (status = 413, body = Problema), (status = 422, body = Problema)))]
#[post("/paquetes")]
pub async fn generar(
    state: web::Data<AppState>,
    actor: Actor,
    body: Json<NuevoPaquete>,
) -> Result<HttpResponse, ApiError> {
    let v = blocking(move || {
        paquetes::generar(
            &state.db,
            &state.terminos,
            state.hoy(),
            &actor,
            state.radicacion,
            body.0,
        )
    })
    .await?;
    Ok(created(format!("/api/v1/paquetes/{}", v.id), v))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct PaquetesQuery {
    pub pagador_id: Option<String>,
}

/// The packages, the latest first (up to 200), of one payer if given.
#[utoipa::path(tag = "ciclo", params(PaquetesQuery), security(("bearer" = [])),
    responses((status = 200, body = Vec<PaqueteVista>), (status = 403, body = Problema)))]
#[get("/paquetes")]
pub async fn listar(
    state: web::Data<AppState>,
    actor: Actor,
    q: super::query::Query<PaquetesQuery>,
) -> Result<HttpResponse, ApiError> {
    let v = blocking(move || paquetes::listar(&state.db, &actor, q.pagador_id.as_deref())).await?;
    Ok(HttpResponse::Ok().json(v))
}

/// A package: its invoices, manifest (each file's name, hash and size), hash, size and, once
/// radicated, the radicado and the payer's acknowledgement.
#[utoipa::path(tag = "ciclo", security(("bearer" = [])),
    responses((status = 200, body = PaqueteVista), (status = 403, body = Problema), (status = 404, body = Problema)))]
#[get("/paquetes/{id}")]
pub async fn obtener(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let v = blocking(move || paquetes::obtener(&state.db, &actor, &id)).await?;
    Ok(HttpResponse::Ok().json(v))
}

/// The package's zip, built again from the stored soportes and checked against its recorded
/// hash.
#[utoipa::path(tag = "ciclo", security(("bearer" = [])),
    responses((status = 200, description = "The zip", content_type = "application/zip", body = Vec<u8>),
        (status = 403, body = Problema), (status = 404, body = Problema)))]
#[get("/paquetes/{id}/zip")]
pub async fn zip(state: web::Data<AppState>, actor: Actor, id: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let (nombre, bytes) =
        blocking(move || paquetes::descargar(&state.db, &actor, state.radicacion.max_bytes_paquete, &id)).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/zip")
        .insert_header(("Content-Disposition", format!("attachment; filename=\"{nombre}\"")))
        .body(bytes))
}

/// Radicates every invoice of the package with the radicado and the payer's acknowledgement
/// of receipt (its date in Bogotá is the radicación date); each radicación event carries the
/// package's hash, size and acknowledgement. 409 when it was already radicated.
#[utoipa::path(tag = "ciclo", request_body = RadicacionPaquete, security(("bearer" = [])),
    responses((status = 200, body = PaqueteVista), (status = 403, body = Problema), (status = 404, body = Problema),
        (status = 409, body = Problema), (status = 422, body = Problema)))]
#[post("/paquetes/{id}/radicacion")]
pub async fn radicar(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
    body: Json<RadicacionPaquete>,
) -> Result<HttpResponse, ApiError> {
    let v = blocking(move || paquetes::radicar(&state.db, &state.terminos, state.hoy(), &actor, &id, body.0)).await?;
    Ok(HttpResponse::Ok().json(v))
}

super::rutas!(checklist, cuv, generar, listar, obtener, zip, radicar);
