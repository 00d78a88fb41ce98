use actix_web::{get, patch, post, web, HttpResponse};

use super::error::ApiError;
use super::error::Problema;
use super::json::Json;
use super::{blocking, created, AppState, PaginaQuery};
use crate::app::usuarios::{self, CambioUsuario, NuevoUsuario, UsuarioVista};
use crate::app::{Actor, Lista};

/// Adds a user to the caller's prestador (admin). The e-mail is the login and is unique.
#[utoipa::path(tag = "usuarios", request_body = NuevoUsuario, security(("bearer" = [])),
    responses((status = 201, body = UsuarioVista), (status = 403, body = Problema), (status = 409, body = Problema), (status = 422, body = Problema)))]
#[post("/usuarios")]
pub async fn crear(
    state: web::Data<AppState>,
    actor: Actor,
    body: Json<NuevoUsuario>,
) -> Result<HttpResponse, ApiError> {
    let u = blocking(move || usuarios::crear(&state.db, &actor, body.0)).await?;
    Ok(created(format!("/api/v1/usuarios/{}", u.id), u))
}

#[utoipa::path(tag = "usuarios", params(PaginaQuery), security(("bearer" = [])), responses((status = 200, body = Lista<UsuarioVista>), (status = 403, body = Problema)))]
#[get("/usuarios")]
pub async fn listar(
    state: web::Data<AppState>,
    actor: Actor,
    q: super::query::Query<PaginaQuery>,
) -> Result<HttpResponse, ApiError> {
    let pagina = q.pagina()?;
    let l = blocking(move || usuarios::listar(&state.db, &actor, pagina)).await?;
    Ok(HttpResponse::Ok().json(l))
}

#[utoipa::path(tag = "usuarios", security(("bearer" = [])), responses((status = 200, body = UsuarioVista), (status = 404, body = Problema), (status = 403, body = Problema)))]
#[get("/usuarios/{id}")]
pub async fn obtener(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let u = blocking(move || usuarios::obtener(&state.db, &actor, &id)).await?;
    Ok(HttpResponse::Ok().json(u))
}

/// Disables a user, changes its role or name, or resets its password (admin). Send the
/// `version` you read; a newer one is 409. A disabled user's tokens stop working at once.
#[utoipa::path(tag = "usuarios", request_body = CambioUsuario, security(("bearer" = [])),
    responses((status = 200, body = UsuarioVista), (status = 403, body = Problema), (status = 404, body = Problema), (status = 409, body = Problema), (status = 422, body = Problema)))]
#[patch("/usuarios/{id}")]
pub async fn modificar(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
    body: Json<CambioUsuario>,
) -> Result<HttpResponse, ApiError> {
    let st = state.clone();
    let usuario = id.clone();
    let u = blocking(move || usuarios::modificar(&st.db, st.hoy(), &actor, &id, body.0)).await?;
    // Its next request is judged by what the database says now, not by what was cached.
    state.vigentes.olvidar(&usuario);
    Ok(HttpResponse::Ok().json(u))
}

super::rutas!(crear, listar, obtener, modificar);
