//! Gestión de cobro over HTTP: a payer's collection record and stage, the log of actions,
//! payment agreements, the daily work list and reminders.

use actix_web::{get, patch, post, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use super::error::ApiError;
use super::error::Problema;
use super::json::Json;
use super::{blocking, created, AppState, PaginaQuery};
use crate::app::cobro::{
    self, AcuerdoVista, CambioCobro, CambioEtapaVista, CobroVista, GestionVista, NuevaEtapa, NuevaGestion, NuevoAcuerdo,
};
use crate::app::recordatorios::{self, NuevoRecordatorio, RecordatorioEnviado};
use crate::app::trabajo::ListaTrabajo;
use crate::app::{Actor, Lista};

/// The payer's collection record: stage with its history, contact, responsible user.
#[utoipa::path(tag = "cobro", security(("bearer" = [])), responses((status = 200, body = CobroVista), (status = 404, body = Problema)))]
#[get("/pagadores/{id}/cobro")]
pub async fn obtener(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let v = blocking(move || cobro::obtener(&state.db, &actor, &id)).await?;
    Ok(HttpResponse::Ok().json(v))
}

/// Changes the payer's contact e-mail or responsible user (cartera, finanzas, admin).
#[utoipa::path(tag = "cobro", request_body = CambioCobro, security(("bearer" = [])),
    responses((status = 200, body = CobroVista), (status = 403, body = Problema), (status = 409, body = Problema), (status = 422, body = Problema)))]
#[patch("/pagadores/{id}/cobro")]
pub async fn actualizar(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
    body: Json<CambioCobro>,
) -> Result<HttpResponse, ApiError> {
    let v = blocking(move || cobro::actualizar(&state.db, &actor, &id, body.0)).await?;
    Ok(HttpResponse::Ok().json(v))
}

/// Sets the payer's collection stage by hand, with the reason (cartera, finanzas, admin).
#[utoipa::path(tag = "cobro", request_body = NuevaEtapa, security(("bearer" = [])),
    responses((status = 201, body = CambioEtapaVista), (status = 403, body = Problema), (status = 409, body = Problema), (status = 422, body = Problema)))]
#[post("/pagadores/{id}/etapas")]
pub async fn etapa(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
    body: Json<NuevaEtapa>,
) -> Result<HttpResponse, ApiError> {
    let v = blocking(move || cobro::cambiar_etapa(&state.db, &actor, state.hoy(), &id, body.0)).await?;
    Ok(HttpResponse::Created().json(v))
}

/// Applies the stage rule (`cobro.etapas` in the configuration) to every payer today; returns
/// the changes. Meant to run daily (a scheduled `curl`), or by hand.
#[utoipa::path(tag = "cobro", security(("bearer" = [])), responses((status = 200, body = Lista<CambioEtapaVista>), (status = 403, body = Problema)))]
#[post("/cobro/etapas")]
pub async fn aplicar_regla(state: web::Data<AppState>, actor: Actor) -> Result<HttpResponse, ApiError> {
    let v = blocking(move || {
        cobro::aplicar_regla(
            &state.db,
            &state.cobro.etapas,
            &state.terminos.reglas,
            &actor,
            state.hoy(),
        )
    })
    .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "total": v.len(), "items": v })))
}

/// Logs a collection action with the payer (and the invoices it was about).
#[utoipa::path(tag = "cobro", request_body = NuevaGestion, security(("bearer" = [])),
    responses((status = 201, body = GestionVista), (status = 403, body = Problema), (status = 422, body = Problema)))]
#[post("/pagadores/{id}/gestiones")]
pub async fn registrar_gestion(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
    body: Json<NuevaGestion>,
) -> Result<HttpResponse, ApiError> {
    let v = blocking(move || cobro::registrar_gestion(&state.db, &actor, state.hoy(), &id, body.0)).await?;
    Ok(HttpResponse::Created().json(v))
}

/// The payer's collection actions, newest first.
#[utoipa::path(tag = "cobro", params(PaginaQuery), security(("bearer" = [])), responses((status = 200, body = Lista<GestionVista>)))]
#[get("/pagadores/{id}/gestiones")]
pub async fn gestiones(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
    q: super::query::Query<PaginaQuery>,
) -> Result<HttpResponse, ApiError> {
    let pagina = q.pagina()?;
    let v = blocking(move || cobro::gestiones(&state.db, &actor, &id, pagina)).await?;
    Ok(HttpResponse::Ok().json(v))
}

/// A payment agreement with its instalments (cartera, finanzas).
#[utoipa::path(tag = "cobro", request_body = NuevoAcuerdo, security(("bearer" = [])),
    responses((status = 201, body = AcuerdoVista), (status = 403, body = Problema), (status = 409, body = Problema), (status = 422, body = Problema)))]
#[post("/pagadores/{id}/acuerdos")]
pub async fn crear_acuerdo(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
    body: Json<NuevoAcuerdo>,
) -> Result<HttpResponse, ApiError> {
    let v = blocking(move || cobro::crear_acuerdo(&state.db, &actor, state.hoy(), &id, body.0)).await?;
    Ok(created(format!("/api/v1/acuerdos/{}", v.id), v))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct AcuerdosQuery {
    pub pagador_id: Option<String>,
}

/// Agreements with their fulfilment today: each instalment paid, partly paid, pending or overdue.
#[utoipa::path(tag = "cobro", params(AcuerdosQuery), security(("bearer" = [])), responses((status = 200, body = Lista<AcuerdoVista>), (status = 404, description = "Unknown payer", body = super::error::Problema)))]
#[get("/acuerdos")]
pub async fn acuerdos(
    state: web::Data<AppState>,
    actor: Actor,
    q: super::query::Query<AcuerdosQuery>,
) -> Result<HttpResponse, ApiError> {
    let v = blocking(move || cobro::acuerdos(&state.db, &actor, state.hoy(), q.pagador_id.as_deref())).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "total": v.len(), "items": v })))
}

#[utoipa::path(tag = "cobro", security(("bearer" = [])), responses((status = 200, body = AcuerdoVista), (status = 404, body = Problema)))]
#[get("/acuerdos/{id}")]
pub async fn acuerdo(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let v = blocking(move || cobro::acuerdo(&state.db, &actor, state.hoy(), &id)).await?;
    Ok(HttpResponse::Ok().json(v))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct TrabajoQuery {
    /// Window in días hábiles from today (default 5, at most 60).
    pub dias: Option<u32>,
}

/// The caller's work list: glosas to answer, instalments falling due, payers to call.
#[utoipa::path(tag = "cobro", params(TrabajoQuery), security(("bearer" = [])), responses((status = 200, body = ListaTrabajo), (status = 403, body = Problema)))]
#[get("/cobro/trabajo")]
pub async fn trabajo(
    state: web::Data<AppState>,
    actor: Actor,
    q: super::query::Query<TrabajoQuery>,
) -> Result<HttpResponse, ApiError> {
    let dias = q.dias.unwrap_or(5);
    let v = blocking(move || crate::app::trabajo::lista(&state.db, &state.terminos, &actor, dias, state.hoy())).await?;
    Ok(HttpResponse::Ok().json(v))
}

/// E-mails the payer its statement of account (XLSX attached) through the configured SMTP
/// server, and logs it as a gestión. 503 without a mail server; 502 when it refuses.
#[utoipa::path(tag = "cobro", request_body = NuevoRecordatorio, security(("bearer" = [])),
    responses((status = 201, body = RecordatorioEnviado), (status = 403, body = Problema), (status = 422, body = Problema), (status = 502, body = Problema), (status = 503, body = Problema)))]
#[post("/pagadores/{id}/recordatorios")]
pub async fn recordatorio(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
    body: Json<NuevoRecordatorio>,
) -> Result<HttpResponse, ApiError> {
    let v = blocking(move || {
        recordatorios::enviar(
            &state.db,
            &state.smtp,
            &state.terminos.reglas,
            &actor,
            state.hoy(),
            &id,
            body.0,
        )
    })
    .await?;
    Ok(HttpResponse::Created().json(v))
}

super::rutas!(
    obtener,
    actualizar,
    etapa,
    aplicar_regla,
    registrar_gestion,
    gestiones,
    crear_acuerdo,
    acuerdos,
    acuerdo,
    trabajo,
    recordatorio
);
