use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use super::error::Problema;
use super::json::Json;
use super::{blocking, created, AppState, PaginaQuery};
use crate::app::facturas::{self, FacturaVista, NuevaFactura};
use crate::app::{Actor, AppError, Lista};
use crate::db;

/// Registers an invoice with its lines (facturacion). The number is unique per prestador
/// (409); amounts that do not add up are 422 naming the line.
#[utoipa::path(tag = "facturas", request_body = NuevaFactura, security(("bearer" = [])),
    responses((status = 201, body = FacturaVista), (status = 404, body = Problema), (status = 409, body = Problema), (status = 422, body = Problema)))]
#[post("/facturas")]
pub async fn crear(
    state: web::Data<AppState>,
    actor: Actor,
    body: Json<NuevaFactura>,
) -> Result<HttpResponse, AppError> {
    let f = blocking(move || facturas::crear(&state.db, &state.terminos, state.hoy(), &actor, body.0)).await?;
    Ok(created(format!("/api/v1/facturas/{}", f.id), f))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct FiltroQuery {
    pub estado: Option<String>,
    pub pagador_id: Option<String>,
    /// Issued on or after this date.
    pub desde: Option<chrono::NaiveDate>,
    /// Issued on or before this date.
    pub hasta: Option<chrono::NaiveDate>,
    /// Part of the number or CUFE.
    pub q: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

#[utoipa::path(tag = "facturas", params(FiltroQuery), security(("bearer" = [])), responses((status = 200, body = Lista<FacturaVista>)))]
#[get("/facturas")]
pub async fn listar(
    state: web::Data<AppState>,
    actor: Actor,
    q: web::Query<FiltroQuery>,
) -> Result<HttpResponse, AppError> {
    let q = q.into_inner();
    let pagina = PaginaQuery {
        page: q.page,
        per_page: q.per_page,
    }
    .pagina()?;
    let filtro = db::facturas::Filtro {
        estado: q.estado,
        pagador_id: q.pagador_id,
        desde: q.desde,
        hasta: q.hasta,
        q: q.q,
    };
    let l = blocking(move || facturas::listar(&state.db, &state.terminos, state.hoy(), &actor, filtro, pagina)).await?;
    Ok(HttpResponse::Ok().json(l))
}

/// One invoice with its lines, state and balance.
#[utoipa::path(tag = "facturas", security(("bearer" = [])), responses((status = 200, body = FacturaVista), (status = 404, body = Problema)))]
#[get("/facturas/{id}")]
pub async fn obtener(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let f = blocking(move || facturas::obtener(&state.db, &state.terminos, state.hoy(), &actor, &id)).await?;
    Ok(HttpResponse::Ok().json(f))
}
