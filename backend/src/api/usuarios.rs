use actix_web::{get, post, web, HttpResponse};

use super::error::ApiError;
use super::error::Problema;
use super::json::Json;
use super::{blocking, created, AppState, PaginaQuery};
use crate::app::usuarios::{self, NuevoUsuario, UsuarioVista};
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

super::rutas!(crear, listar, obtener);
