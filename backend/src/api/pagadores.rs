use actix_web::{get, patch, post, web, HttpResponse};

use super::error::ApiError;
use super::error::Problema;
use super::json::Json;
use super::{blocking, created, AppState};
use crate::app::pagadores::{self, CambioPagador, ConsultaPagadores, NuevoPagador, PagadorVista};
use crate::app::{Actor, Lista};

/// Creates a payer (admin, facturacion). A NIT already registered is 409.
#[utoipa::path(tag = "pagadores", request_body = NuevoPagador, security(("bearer" = [])),
    responses((status = 201, body = PagadorVista), (status = 409, body = Problema), (status = 422, body = Problema), (status = 403, body = Problema)))]
#[post("/pagadores")]
pub async fn crear(
    state: web::Data<AppState>,
    actor: Actor,
    body: Json<NuevoPagador>,
) -> Result<HttpResponse, ApiError> {
    let p = blocking(move || pagadores::crear(&state.db, &actor, body.0)).await?;
    Ok(created(format!("/api/v1/pagadores/{}", p.id), p))
}

/// Lists the payers of the caller's prestador (every role); `?formato=xlsx` for a workbook.
#[utoipa::path(tag = "pagadores", params(ConsultaPagadores), security(("bearer" = [])),
    responses((status = 200, body = Lista<PagadorVista>), (status = 400, body = Problema), (status = 422, body = Problema)))]
#[get("/pagadores")]
pub async fn listar(
    state: web::Data<AppState>,
    actor: Actor,
    q: super::query::Query<ConsultaPagadores>,
    req: actix_web::HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let q = q.into_inner();
    let en_xlsx = super::reportes::quiere_xlsx(q.formato.as_deref(), &req)?;
    let l = blocking(move || pagadores::listar(&state.db, &actor, q, en_xlsx)).await?;
    if en_xlsx {
        return Ok(super::reportes::xlsx("pagadores.xlsx", pagadores::xlsx(&l)?));
    }
    Ok(HttpResponse::Ok().json(l))
}

#[utoipa::path(tag = "pagadores", security(("bearer" = [])), responses((status = 200, body = PagadorVista), (status = 404, body = Problema)))]
#[get("/pagadores/{id}")]
pub async fn obtener(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let p = blocking(move || pagadores::obtener(&state.db, &actor, &id)).await?;
    Ok(HttpResponse::Ok().json(p))
}

/// Changes a payer (admin, facturacion). Send the `version` you read: if someone changed it
/// since, the answer is 409 and nothing is written.
#[utoipa::path(tag = "pagadores", request_body = CambioPagador, security(("bearer" = [])),
    responses((status = 200, body = PagadorVista), (status = 404, body = Problema), (status = 409, body = Problema), (status = 403, body = Problema), (status = 422, body = Problema)))]
#[patch("/pagadores/{id}")]
pub async fn actualizar(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
    body: Json<CambioPagador>,
) -> Result<HttpResponse, ApiError> {
    let p = blocking(move || pagadores::actualizar(&state.db, state.hoy(), &actor, &id, body.0)).await?;
    Ok(HttpResponse::Ok().json(p))
}

super::rutas!(crear, listar, obtener, actualizar);
