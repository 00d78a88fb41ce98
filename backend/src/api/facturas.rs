use actix_web::{get, post, web, HttpResponse};

use super::error::ApiError;
use super::error::Problema;
use super::json::Json;
use super::{blocking, created, AppState};
use crate::app::facturas::{self, ConsultaFacturas, FacturaEnLista, FacturaVista, NuevaFactura};
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

/// Invoices, the latest issued first, each with its payer's name; `?formato=xlsx` gives every
/// invoice that matches as a workbook.
#[utoipa::path(tag = "facturas", params(ConsultaFacturas), security(("bearer" = [])),
    responses((status = 200, body = Lista<FacturaEnLista>), (status = 400, body = Problema), (status = 422, body = Problema)))]
#[get("/facturas")]
pub async fn listar(
    state: web::Data<AppState>,
    actor: Actor,
    q: super::query::Query<ConsultaFacturas>,
    req: actix_web::HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let q = q.into_inner();
    let en_xlsx = super::reportes::quiere_xlsx(q.formato.as_deref(), &req)?;
    let hoy = state.hoy();
    let l = blocking(move || facturas::listar(&state.db, &state.terminos, hoy, &actor, q, en_xlsx)).await?;
    if en_xlsx {
        return Ok(super::reportes::xlsx(
            &format!("facturas-{hoy}.xlsx"),
            facturas::xlsx(&l)?,
        ));
    }
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
