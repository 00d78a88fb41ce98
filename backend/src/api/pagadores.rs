use actix_web::{get, patch, post, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use super::error::Problema;
use super::json::Json;
use super::{blocking, created, AppState, PaginaQuery};
use crate::app::pagadores::{self, CambioPagador, NuevoPagador, PagadorVista};
use crate::app::{Actor, AppError, Lista};
use crate::db;
use crate::domain::pagador::TipoPagador;

/// Creates a payer (admin, facturacion). A NIT already registered is 409.
#[utoipa::path(tag = "pagadores", request_body = NuevoPagador, security(("bearer" = [])),
    responses((status = 201, body = PagadorVista), (status = 409, body = Problema), (status = 422, body = Problema), (status = 403, body = Problema)))]
#[post("/pagadores")]
pub async fn crear(
    state: web::Data<AppState>,
    actor: Actor,
    body: Json<NuevoPagador>,
) -> Result<HttpResponse, AppError> {
    let p = blocking(move || pagadores::crear(&state.db, &actor, body.0)).await?;
    Ok(created(format!("/api/v1/pagadores/{}", p.id), p))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct FiltroQuery {
    pub tipo: Option<TipoPagador>,
    /// Part of the name or NIT.
    pub q: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// Lists the payers of the caller's prestador (every role).
#[utoipa::path(tag = "pagadores", params(FiltroQuery), security(("bearer" = [])), responses((status = 200, body = Lista<PagadorVista>)))]
#[get("/pagadores")]
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
    let filtro = db::pagadores::Filtro {
        tipo: q.tipo.map(|t| t.as_str().to_string()),
        q: q.q,
    };
    let l = blocking(move || pagadores::listar(&state.db, &actor, filtro, pagina)).await?;
    Ok(HttpResponse::Ok().json(l))
}

#[utoipa::path(tag = "pagadores", security(("bearer" = [])), responses((status = 200, body = PagadorVista), (status = 404, body = Problema)))]
#[get("/pagadores/{id}")]
pub async fn obtener(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let p = blocking(move || pagadores::obtener(&state.db, &actor, &id)).await?;
    Ok(HttpResponse::Ok().json(p))
}

/// Changes a payer (admin, facturacion). Send the `version` you read: if someone changed it
/// since, the answer is 409 and nothing is written.
#[utoipa::path(tag = "pagadores", request_body = CambioPagador, security(("bearer" = [])),
    responses((status = 200, body = PagadorVista), (status = 404, body = Problema), (status = 409, body = Problema)))]
#[patch("/pagadores/{id}")]
pub async fn actualizar(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
    body: Json<CambioPagador>,
) -> Result<HttpResponse, AppError> {
    let p = blocking(move || pagadores::actualizar(&state.db, &actor, &id, body.0)).await?;
    Ok(HttpResponse::Ok().json(p))
}
