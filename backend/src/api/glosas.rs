//! Glosas and the steps of their dispute.

use actix_web::{get, post, web, HttpResponse};

use super::error::ApiError;
use super::error::Problema;
use super::json::Json;
use super::{blocking, created, AppState};
use crate::app::glosas::{self, GlosaVista, NuevaConciliacion, NuevaDecision, NuevaGlosa, NuevaRespuesta};
use crate::app::Actor;

/// Records a glosa the payer communicated (cartera), on the whole invoice or one line.
/// Answers with its `fecha_limite_respuesta` and whether it is `extemporanea`.
#[utoipa::path(tag = "glosas", request_body = NuevaGlosa, security(("bearer" = [])),
    responses((status = 201, body = GlosaVista), (status = 404, body = Problema), (status = 409, body = Problema), (status = 422, body = Problema)))]
#[post("/facturas/{id}/glosas")]
pub async fn glosar(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
    body: Json<NuevaGlosa>,
) -> Result<HttpResponse, ApiError> {
    let g = blocking(move || glosas::glosar(&state.db, &state.terminos, state.hoy(), &actor, &id, body.0)).await?;
    Ok(created(format!("/api/v1/glosas/{}", g.id), g))
}

#[utoipa::path(tag = "glosas", security(("bearer" = [])), responses((status = 200, body = Vec<GlosaVista>), (status = 404, body = Problema)))]
#[get("/facturas/{id}/glosas")]
pub async fn de_factura(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let v = blocking(move || glosas::de_factura(&state.db, &state.terminos, state.hoy(), &actor, &id)).await?;
    Ok(HttpResponse::Ok().json(v))
}

#[utoipa::path(tag = "glosas", security(("bearer" = [])), responses((status = 200, body = GlosaVista), (status = 404, body = Problema)))]
#[get("/glosas/{id}")]
pub async fn obtener(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let g = blocking(move || glosas::obtener(&state.db, &state.terminos, state.hoy(), &actor, &id)).await?;
    Ok(HttpResponse::Ok().json(g))
}

/// The prestador's answer (cartera): accepted and sustained values must add up to the glosa
/// and agree with the response code. A glosa is answered once: a second answer is 409.
#[utoipa::path(tag = "glosas", request_body = NuevaRespuesta, security(("bearer" = [])),
    responses((status = 201, body = GlosaVista), (status = 409, body = Problema), (status = 422, body = Problema)))]
#[post("/glosas/{id}/respuestas")]
pub async fn responder(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
    body: Json<NuevaRespuesta>,
) -> Result<HttpResponse, ApiError> {
    let g = blocking(move || glosas::responder(&state.db, &state.terminos, state.hoy(), &actor, &id, body.0)).await?;
    Ok(HttpResponse::Created().json(g))
}

/// The payer's decision on the answer: levantada, ratificada or parcial (cartera records it).
#[utoipa::path(tag = "glosas", request_body = NuevaDecision, security(("bearer" = [])),
    responses((status = 201, body = GlosaVista), (status = 409, body = Problema), (status = 422, body = Problema)))]
#[post("/glosas/{id}/decisiones")]
pub async fn decidir(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
    body: Json<NuevaDecision>,
) -> Result<HttpResponse, ApiError> {
    let g = blocking(move || glosas::decidir(&state.db, &state.terminos, state.hoy(), &actor, &id, body.0)).await?;
    Ok(HttpResponse::Created().json(g))
}

/// Opens the conciliation of a ratified value (no values) or records the acta's outcome.
#[utoipa::path(tag = "glosas", request_body = NuevaConciliacion, security(("bearer" = [])),
    responses((status = 201, body = GlosaVista), (status = 409, body = Problema), (status = 422, body = Problema)))]
#[post("/glosas/{id}/conciliaciones")]
pub async fn conciliar(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
    body: Json<NuevaConciliacion>,
) -> Result<HttpResponse, ApiError> {
    let g = blocking(move || glosas::conciliar(&state.db, &state.terminos, state.hoy(), &actor, &id, body.0)).await?;
    Ok(HttpResponse::Created().json(g))
}

super::rutas!(glosar, de_factura, obtener, responder, decidir, conciliar);
