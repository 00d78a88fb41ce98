//! Devoluciones and the steps of Res. 2284/2023 art. 6, and the payer's notices.

use actix_web::{get, post, web, HttpRequest, HttpResponse};

use super::error::ApiError;
use super::error::Problema;
use super::json::Json;
use super::{blocking, AppState};
use crate::app::devoluciones::{
    self, ConsultaDevoluciones, DevolucionEnLista, NuevaDecisionDevolucion, NuevaDevolucion, NuevaRespuestaDevolucion,
    NuevoAviso,
};
use crate::app::facturas::FacturaVista;
use crate::app::glosas::{self, GlosaVista};
use crate::app::{Actor, Lista};

/// The payer returned the whole invoice (facturacion, cartera). Once only (art. 6.1: a second
/// one is 409); one communicated after 5 días hábiles from radicación is recorded as
/// `extemporanea` and leaves the invoice in the payer's process (answer it RE9501).
#[utoipa::path(tag = "ciclo", request_body = NuevaDevolucion, security(("bearer" = [])),
    responses((status = 201, body = FacturaVista), (status = 409, body = Problema), (status = 422, body = Problema), (status = 403, body = Problema)))]
#[post("/facturas/{id}/devoluciones")]
pub async fn devolver(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
    body: Json<NuevaDevolucion>,
) -> Result<HttpResponse, ApiError> {
    let f =
        blocking(move || devoluciones::devolver(&state.db, &state.terminos, state.hoy(), &actor, &id, body.0)).await?;
    Ok(HttpResponse::Created().json(f))
}

/// The prestador's answer to a devolución (art. 6.2: within 5 días hábiles): RE9601, RE9701,
/// or RE9501 for an extemporánea one. Once only; after the term silence has accepted it (409).
#[utoipa::path(tag = "ciclo", request_body = NuevaRespuestaDevolucion, security(("bearer" = [])),
    responses((status = 201, body = FacturaVista), (status = 404, body = Problema), (status = 409, body = Problema), (status = 422, body = Problema), (status = 403, body = Problema)))]
#[post("/devoluciones/{id}/respuestas")]
pub async fn responder(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
    body: Json<NuevaRespuestaDevolucion>,
) -> Result<HttpResponse, ApiError> {
    let f =
        blocking(move || devoluciones::responder(&state.db, &state.terminos, state.hoy(), &actor, &id, body.0)).await?;
    Ok(HttpResponse::Created().json(f))
}

/// The payer accepts the answer (the invoice goes back to its process) or reiterates the
/// devolución (art. 6.3: within 5 días hábiles of the answer; its silence means unjustified).
#[utoipa::path(tag = "ciclo", request_body = NuevaDecisionDevolucion, security(("bearer" = [])),
    responses((status = 201, body = FacturaVista), (status = 404, body = Problema), (status = 409, body = Problema), (status = 422, body = Problema), (status = 403, body = Problema)))]
#[post("/devoluciones/{id}/decisiones")]
pub async fn decidir(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
    body: Json<NuevaDecisionDevolucion>,
) -> Result<HttpResponse, ApiError> {
    let f =
        blocking(move || devoluciones::decidir(&state.db, &state.terminos, state.hoy(), &actor, &id, body.0)).await?;
    Ok(HttpResponse::Created().json(f))
}

/// The payer's notice RE2201 (the devolución was accepted by the prestador's silence).
#[utoipa::path(tag = "ciclo", request_body = NuevoAviso, security(("bearer" = [])),
    responses((status = 201, body = FacturaVista), (status = 404, body = Problema), (status = 409, body = Problema), (status = 422, body = Problema), (status = 403, body = Problema)))]
#[post("/devoluciones/{id}/avisos")]
pub async fn avisar(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
    body: Json<NuevoAviso>,
) -> Result<HttpResponse, ApiError> {
    let f =
        blocking(move || devoluciones::avisar(&state.db, &state.terminos, state.hoy(), &actor, &id, body.0)).await?;
    Ok(HttpResponse::Created().json(f))
}

/// The payer's notice RE2202 on a glosa (the answer came late: accepted by silence).
#[utoipa::path(tag = "glosas", request_body = NuevoAviso, security(("bearer" = [])),
    responses((status = 201, body = GlosaVista), (status = 404, body = Problema), (status = 409, body = Problema), (status = 422, body = Problema), (status = 403, body = Problema)))]
#[post("/glosas/{id}/avisos")]
pub async fn avisar_glosa(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
    body: Json<NuevoAviso>,
) -> Result<HttpResponse, ApiError> {
    let g = blocking(move || glosas::avisar(&state.db, &state.terminos, state.hoy(), &actor, &id, body.0)).await?;
    Ok(HttpResponse::Created().json(g))
}

/// Devoluciones across invoices, the latest first: by payer, invoice, code, the days they
/// were communicated, extemporánea, still unanswered; each with its invoice's number, its
/// payer's name, its state as of today and, once it stands, the deadline to radicate again.
/// `?formato=xlsx` gives every devolución that matches.
#[utoipa::path(tag = "devoluciones", params(ConsultaDevoluciones), security(("bearer" = [])),
    responses((status = 200, body = Lista<DevolucionEnLista>), (status = 400, body = Problema), (status = 422, body = Problema)))]
#[get("/devoluciones")]
pub async fn listar(
    state: web::Data<AppState>,
    actor: Actor,
    q: super::query::Query<ConsultaDevoluciones>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let q = q.into_inner();
    let en_xlsx = super::reportes::quiere_xlsx(q.formato.as_deref(), &req)?;
    let hoy = state.hoy();
    let l = blocking(move || devoluciones::listar(&state.db, &state.terminos, hoy, &actor, &q, en_xlsx)).await?;
    if en_xlsx {
        return Ok(super::reportes::xlsx(
            &format!("devoluciones-{hoy}.xlsx"),
            devoluciones::xlsx(hoy, &l)?,
        ));
    }
    Ok(HttpResponse::Ok().json(l))
}

super::rutas!(listar, devolver, responder, decidir, avisar, avisar_glosa);
