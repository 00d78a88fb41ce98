//! Corrections: voiding what was recorded by mistake (with a reason, kept in the
//! trazabilidad), editing plain data under its version, and the record of both.

use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};

use super::error::ApiError;
use super::error::Problema;
use super::json::Json;
use super::{blocking, AppState};
use crate::app::contratos::{self, CambioContrato, ContratoVista};
use crate::app::correcciones::{self, Anulacion, ConsultaCorrecciones, CorreccionVista};
use crate::app::facturas::{self, CambioFactura, FacturaVista};
use crate::app::glosas::{self, GlosaVista};
use crate::app::pagos::{self, PagoVista};
use crate::app::{devoluciones, radicaciones, Actor, Lista};

/// Voids a glosa registered by mistake (cartera, admin). It stops counting in the balance,
/// deadlines and alerts; the trazabilidad keeps it with its reversal and reason. Register the
/// right glosa as usual with `reemplaza` naming this one.
#[utoipa::path(tag = "correcciones", request_body = Anulacion, security(("bearer" = [])),
    responses((status = 200, body = FacturaVista), (status = 403, body = Problema), (status = 404, body = Problema), (status = 409, body = Problema), (status = 422, body = Problema)))]
#[post("/glosas/{id}/anulacion")]
pub async fn anular_glosa(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
    body: Json<Anulacion>,
) -> Result<HttpResponse, ApiError> {
    let v = blocking(move || glosas::anular(&state.db, &state.terminos, state.hoy(), &actor, &id, body.0)).await?;
    Ok(HttpResponse::Ok().json(v))
}

/// Voids the prestador's answer to a glosa (cartera, admin) while the payer has not decided
/// on it: the glosa waits for its answer again, under its original term.
#[utoipa::path(tag = "correcciones", request_body = Anulacion, security(("bearer" = [])),
    responses((status = 200, body = GlosaVista), (status = 403, body = Problema), (status = 404, body = Problema), (status = 409, body = Problema), (status = 422, body = Problema)))]
#[post("/glosas/{id}/respuestas/anulacion")]
pub async fn anular_respuesta_glosa(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
    body: Json<Anulacion>,
) -> Result<HttpResponse, ApiError> {
    let v = blocking(move || glosas::anular_respuesta(&state.db, &state.terminos, state.hoy(), &actor, &id, body.0))
        .await?;
    Ok(HttpResponse::Ok().json(v))
}

/// Voids the payer's decision on a glosa's answer (cartera, admin), before conciliation.
#[utoipa::path(tag = "correcciones", request_body = Anulacion, security(("bearer" = [])),
    responses((status = 200, body = GlosaVista), (status = 403, body = Problema), (status = 404, body = Problema), (status = 409, body = Problema), (status = 422, body = Problema)))]
#[post("/glosas/{id}/decisiones/anulacion")]
pub async fn anular_decision_glosa(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
    body: Json<Anulacion>,
) -> Result<HttpResponse, ApiError> {
    let v =
        blocking(move || glosas::anular_decision(&state.db, &state.terminos, state.hoy(), &actor, &id, body.0)).await?;
    Ok(HttpResponse::Ok().json(v))
}

/// Voids a devolución recorded by mistake (facturacion, cartera, admin): the invoice is
/// radicated again under its radicación.
#[utoipa::path(tag = "correcciones", request_body = Anulacion, security(("bearer" = [])),
    responses((status = 200, body = FacturaVista), (status = 403, body = Problema), (status = 404, body = Problema), (status = 409, body = Problema), (status = 422, body = Problema)))]
#[post("/devoluciones/{id}/anulacion")]
pub async fn anular_devolucion(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
    body: Json<Anulacion>,
) -> Result<HttpResponse, ApiError> {
    let v =
        blocking(move || devoluciones::anular(&state.db, &state.terminos, state.hoy(), &actor, &id, body.0)).await?;
    Ok(HttpResponse::Ok().json(v))
}

/// Voids the prestador's answer to a devolución (facturacion, cartera, admin) while the
/// payer has not decided on it.
#[utoipa::path(tag = "correcciones", request_body = Anulacion, security(("bearer" = [])),
    responses((status = 200, body = FacturaVista), (status = 403, body = Problema), (status = 404, body = Problema), (status = 409, body = Problema), (status = 422, body = Problema)))]
#[post("/devoluciones/{id}/respuestas/anulacion")]
pub async fn anular_respuesta_devolucion(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
    body: Json<Anulacion>,
) -> Result<HttpResponse, ApiError> {
    let v =
        blocking(move || devoluciones::anular_respuesta(&state.db, &state.terminos, state.hoy(), &actor, &id, body.0))
            .await?;
    Ok(HttpResponse::Ok().json(v))
}

/// Voids the payer's decision on the answer to a devolución (facturacion, cartera, admin).
#[utoipa::path(tag = "correcciones", request_body = Anulacion, security(("bearer" = [])),
    responses((status = 200, body = FacturaVista), (status = 403, body = Problema), (status = 404, body = Problema), (status = 409, body = Problema), (status = 422, body = Problema)))]
#[post("/devoluciones/{id}/decisiones/anulacion")]
pub async fn anular_decision_devolucion(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
    body: Json<Anulacion>,
) -> Result<HttpResponse, ApiError> {
    let v =
        blocking(move || devoluciones::anular_decision(&state.db, &state.terminos, state.hoy(), &actor, &id, body.0))
            .await?;
    Ok(HttpResponse::Ok().json(v))
}

/// Voids the invoice's radicación in force (facturacion, admin) while no devolución, glosa
/// or payment rests on it: the invoice goes back to its previous radicación or to not
/// radicated, with its terms.
#[utoipa::path(tag = "correcciones", request_body = Anulacion, security(("bearer" = [])),
    responses((status = 200, body = FacturaVista), (status = 403, body = Problema), (status = 404, body = Problema), (status = 409, body = Problema), (status = 422, body = Problema)))]
#[post("/facturas/{id}/radicaciones/anulacion")]
pub async fn anular_radicacion(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
    body: Json<Anulacion>,
) -> Result<HttpResponse, ApiError> {
    let v =
        blocking(move || radicaciones::anular(&state.db, &state.terminos, state.hoy(), &actor, &id, body.0)).await?;
    Ok(HttpResponse::Ok().json(v))
}

/// Voids a payment recorded by mistake (cartera, finanzas, admin): each application is
/// undone on its invoice. Answers with the correction as kept.
#[utoipa::path(tag = "correcciones", request_body = Anulacion, security(("bearer" = [])),
    responses((status = 200, body = CorreccionVista), (status = 403, body = Problema), (status = 404, body = Problema), (status = 409, body = Problema), (status = 422, body = Problema)))]
#[post("/pagos/{id}/anulacion")]
pub async fn anular_pago(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
    body: Json<Anulacion>,
) -> Result<HttpResponse, ApiError> {
    let v = blocking(move || pagos::anular(&state.db, &state.terminos, state.hoy(), &actor, &id, body.0)).await?;
    Ok(HttpResponse::Ok().json(v))
}

/// Voids one application of a payment (cartera, finanzas, admin): the invoice owes it
/// again and the value is back on the payment to apply right.
#[utoipa::path(tag = "correcciones", request_body = Anulacion, security(("bearer" = [])),
    responses((status = 200, body = PagoVista), (status = 403, body = Problema), (status = 404, body = Problema), (status = 409, body = Problema), (status = 422, body = Problema)))]
#[post("/pagos/{id}/aplicaciones/{aplicacion_id}/anulacion")]
pub async fn anular_aplicacion(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<(String, String)>,
    body: Json<Anulacion>,
) -> Result<HttpResponse, ApiError> {
    let (id, aplicacion) = path.into_inner();
    let v = blocking(move || {
        pagos::anular_aplicacion(
            &state.db,
            &state.terminos,
            state.hoy(),
            &actor,
            &id,
            &aplicacion,
            body.0,
        )
    })
    .await?;
    Ok(HttpResponse::Ok().json(v))
}

/// Corrects an invoice's data before it is radicated (facturacion, admin). Send the
/// `version` you read; a newer one is 409. Each change is an event with before and after.
#[utoipa::path(tag = "correcciones", request_body = CambioFactura, security(("bearer" = [])),
    responses((status = 200, body = FacturaVista), (status = 403, body = Problema), (status = 404, body = Problema), (status = 409, body = Problema), (status = 422, body = Problema)))]
#[patch("/facturas/{id}")]
pub async fn modificar_factura(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
    body: Json<CambioFactura>,
) -> Result<HttpResponse, ApiError> {
    let v = blocking(move || facturas::modificar(&state.db, &state.terminos, state.hoy(), &actor, &id, body.0)).await?;
    Ok(HttpResponse::Ok().json(v))
}

/// Changes a contract's terms (admin, facturacion) under its `version`; a newer one is 409.
#[utoipa::path(tag = "correcciones", request_body = CambioContrato, security(("bearer" = [])),
    responses((status = 200, body = ContratoVista), (status = 403, body = Problema), (status = 404, body = Problema), (status = 409, body = Problema), (status = 422, body = Problema)))]
#[patch("/contratos/{id}")]
pub async fn modificar_contrato(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
    body: Json<CambioContrato>,
) -> Result<HttpResponse, ApiError> {
    let v = blocking(move || contratos::modificar(&state.db, state.hoy(), &actor, &id, body.0)).await?;
    Ok(HttpResponse::Ok().json(v))
}

/// What was voided and edited, by whom and why (auditor, admin): by user, action, kind of
/// record, record, invoice and day. `?formato=xlsx` gives every correction that matches.
#[utoipa::path(tag = "correcciones", params(ConsultaCorrecciones), security(("bearer" = [])),
    responses((status = 200, body = Lista<CorreccionVista>), (status = 400, body = Problema), (status = 403, body = Problema), (status = 422, body = Problema)))]
#[get("/correcciones")]
pub async fn listar(
    state: web::Data<AppState>,
    actor: Actor,
    q: super::query::Query<ConsultaCorrecciones>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let q = q.into_inner();
    let en_xlsx = super::reportes::quiere_xlsx(q.formato.as_deref(), &req)?;
    let l = blocking(move || correcciones::listar(&state.db, &actor, &q, en_xlsx)).await?;
    if en_xlsx {
        return Ok(super::reportes::xlsx("correcciones.xlsx", correcciones::xlsx(&l)?));
    }
    Ok(HttpResponse::Ok().json(l))
}

super::rutas!(
    anular_glosa,
    anular_respuesta_glosa,
    anular_decision_glosa,
    anular_devolucion,
    anular_respuesta_devolucion,
    anular_decision_devolucion,
    anular_radicacion,
    anular_pago,
    anular_aplicacion,
    modificar_factura,
    modificar_contrato,
    listar,
);
