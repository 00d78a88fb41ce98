use actix_web::{get, post, web, HttpResponse};

use super::error::ApiError;
use super::error::Problema;
use super::json::Json;
use super::{blocking, created, AppState};
use crate::app::facturas::{self, ConsultaFacturas, FacturaVista, NuevaFactura};
use crate::app::{Actor, Lista};

/// Registers an invoice with its lines (facturacion). The number is unique per prestador
/// (409); amounts that do not add up are 422 naming the line.
#[utoipa::path(tag = "facturas", request_body = NuevaFactura, security(("bearer" = [])),
    responses((status = 201, body = FacturaVista), (status = 404, body = Problema), (status = 409, body = Problema), (status = 422, body = Problema), (status = 403, body = Problema)))]
#[post("/facturas")]
pub async fn crear(
    state: web::Data<AppState>,
    actor: Actor,
    body: Json<NuevaFactura>,
) -> Result<HttpResponse, ApiError> {
    let f = blocking(move || facturas::crear(&state.db, &state.terminos, state.hoy(), &actor, body.0)).await?;
    Ok(created(format!("/api/v1/facturas/{}", f.id), f))
}

#[utoipa::path(tag = "facturas", params(ConsultaFacturas), security(("bearer" = [])), responses((status = 200, body = Lista<FacturaVista>)))]
#[get("/facturas")]
pub async fn listar(
    state: web::Data<AppState>,
    actor: Actor,
    q: super::query::Query<ConsultaFacturas>,
) -> Result<HttpResponse, ApiError> {
    let l = blocking(move || facturas::listar(&state.db, &state.terminos, state.hoy(), &actor, q.into_inner())).await?;
    Ok(HttpResponse::Ok().json(l))
}

/// One invoice with its lines, state and balance.
#[utoipa::path(tag = "facturas", security(("bearer" = [])), responses((status = 200, body = FacturaVista), (status = 404, body = Problema)))]
#[get("/facturas/{id}")]
pub async fn obtener(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let f = blocking(move || facturas::obtener(&state.db, &state.terminos, state.hoy(), &actor, &id)).await?;
    Ok(HttpResponse::Ok().json(f))
}

super::rutas!(crear, listar, obtener);
