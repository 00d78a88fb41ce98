//! Glosas and the steps of their dispute.

use actix_web::{get, post, web, HttpRequest, HttpResponse};

use super::error::ApiError;
use super::error::Problema;
use super::json::Json;
use super::{blocking, created, AppState};
use crate::app::glosas::{
    self, ConsultaGlosas, GlosaEnLista, GlosaVista, NuevaConciliacion, NuevaDecision, NuevaGlosa, NuevaRespuesta,
};
use crate::app::Actor;
use crate::app::Lista;

/// Records a glosa the payer communicated (cartera), on the whole invoice or one line.
/// Answers with its `fecha_limite_respuesta` and whether it is `extemporanea`.
#[utoipa::path(tag = "glosas", request_body = NuevaGlosa, security(("bearer" = [])),
    responses((status = 201, body = GlosaVista), (status = 404, body = Problema), (status = 409, body = Problema), (status = 422, body = Problema), (status = 403, body = Problema)))]
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

/// Glosas across invoices, the most urgent answer first: by state, payer, invoice, code,
/// concept, answer due between two days, extemporánea; each with its invoice's number, its
/// payer's name and its code's description. `?formato=xlsx` gives every glosa that matches.
#[utoipa::path(tag = "glosas", params(ConsultaGlosas), security(("bearer" = [])),
    responses((status = 200, body = Lista<GlosaEnLista>), (status = 400, body = Problema), (status = 422, body = Problema)))]
#[get("/glosas")]
pub async fn listar(
    state: web::Data<AppState>,
    actor: Actor,
    q: super::query::Query<ConsultaGlosas>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let q = q.into_inner();
    let en_xlsx = super::reportes::quiere_xlsx(q.formato.as_deref(), &req)?;
    let hoy = state.hoy();
    let l = blocking(move || glosas::listar(&state.db, &state.terminos, hoy, &actor, &q, en_xlsx)).await?;
    if en_xlsx {
        return Ok(super::reportes::xlsx(
            &format!("glosas-{hoy}.xlsx"),
            glosas::xlsx(hoy, &l)?,
        ));
    }
    Ok(HttpResponse::Ok().json(l))
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
    responses((status = 201, body = GlosaVista), (status = 409, body = Problema), (status = 422, body = Problema), (status = 403, body = Problema)))]
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
    responses((status = 201, body = GlosaVista), (status = 409, body = Problema), (status = 422, body = Problema), (status = 403, body = Problema)))]
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
    responses((status = 201, body = GlosaVista), (status = 409, body = Problema), (status = 422, body = Problema), (status = 403, body = Problema)))]
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

super::rutas!(glosar, de_factura, listar, obtener, responder, decidir, conciliar);
