use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use super::error::ApiError;
use super::error::Problema;
use super::json::Json;
use super::{blocking, created, AppState, PaginaQuery};
use crate::app::contratos::{self, ContratoEnLista, ContratoVista, NuevoContrato};
use crate::app::{Actor, Lista};

/// Registers a contract with a payer of the caller's prestador (admin, facturacion).
#[utoipa::path(tag = "contratos", request_body = NuevoContrato, security(("bearer" = [])),
    responses((status = 201, body = ContratoVista), (status = 404, description = "Unknown payer", body = Problema), (status = 409, body = Problema), (status = 422, body = Problema), (status = 403, body = Problema)))]
#[post("/contratos")]
pub async fn crear(
    state: web::Data<AppState>,
    actor: Actor,
    body: Json<NuevoContrato>,
) -> Result<HttpResponse, ApiError> {
    let x = blocking(move || contratos::crear(&state.db, &actor, body.0)).await?;
    Ok(created(format!("/api/v1/contratos/{}", x.id), x))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct FiltroQuery {
    pub pagador_id: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
    /// `xlsx` for a workbook of every contract that matches.
    pub formato: Option<String>,
}

/// Contracts, each with its payer's name; `?formato=xlsx` for a workbook.
#[utoipa::path(tag = "contratos", params(FiltroQuery), security(("bearer" = [])),
    responses((status = 200, body = Lista<ContratoEnLista>), (status = 400, body = Problema), (status = 422, body = Problema)))]
#[get("/contratos")]
pub async fn listar(
    state: web::Data<AppState>,
    actor: Actor,
    q: super::query::Query<FiltroQuery>,
    req: actix_web::HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let q = q.into_inner();
    let en_xlsx = super::reportes::quiere_xlsx(q.formato.as_deref(), &req)?;
    let pagina = PaginaQuery {
        page: q.page,
        per_page: q.per_page,
    }
    .pagina()?;
    let pagina = (!en_xlsx).then_some(pagina);
    let l = blocking(move || contratos::listar(&state.db, &actor, q.pagador_id.as_deref(), pagina)).await?;
    if en_xlsx {
        return Ok(super::reportes::xlsx("contratos.xlsx", contratos::xlsx(&l)?));
    }
    Ok(HttpResponse::Ok().json(l))
}

#[utoipa::path(tag = "contratos", security(("bearer" = [])), responses((status = 200, body = ContratoVista), (status = 404, body = Problema)))]
#[get("/contratos/{id}")]
pub async fn obtener(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let x = blocking(move || contratos::obtener(&state.db, &actor, &id)).await?;
    Ok(HttpResponse::Ok().json(x))
}

super::rutas!(crear, listar, obtener);
