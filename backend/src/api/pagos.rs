//! Payments and their application to invoices.

use actix_web::{get, post, web, HttpRequest, HttpResponse};

use super::error::ApiError;
use super::error::Problema;
use super::json::Json;
use super::{blocking, created, AppState};
use crate::app::pagos::{
    self, AplicacionSinDetalle, ConsultaPagos, NuevasAplicaciones, NuevoPago, PagoEnLista, PagoVista,
};
use crate::app::{Actor, Lista};

/// Records a payment and how it applies (cartera, finanzas). The unapplied rest is kept;
/// applying more than an invoice's saldo is 422 naming the line.
#[utoipa::path(tag = "pagos", request_body = NuevoPago, security(("bearer" = [])),
    responses((status = 201, body = PagoVista), (status = 404, body = Problema), (status = 422, body = Problema), (status = 403, body = Problema)))]
#[post("/pagos")]
pub async fn registrar(
    state: web::Data<AppState>,
    actor: Actor,
    body: Json<NuevoPago>,
) -> Result<HttpResponse, ApiError> {
    let p = blocking(move || pagos::registrar(&state.db, &state.terminos, state.hoy(), &actor, body.0)).await?;
    Ok(created(format!("/api/v1/pagos/{}", p.id), p))
}

/// Applies more of a payment's unapplied rest.
#[utoipa::path(tag = "pagos", request_body = NuevasAplicaciones, security(("bearer" = [])),
    responses((status = 201, body = PagoVista), (status = 404, body = Problema), (status = 409, body = Problema), (status = 422, body = Problema), (status = 403, body = Problema)))]
#[post("/pagos/{id}/aplicaciones")]
pub async fn aplicar(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
    body: Json<NuevasAplicaciones>,
) -> Result<HttpResponse, ApiError> {
    let p = blocking(move || pagos::aplicar(&state.db, &state.terminos, state.hoy(), &actor, &id, body.0)).await?;
    Ok(HttpResponse::Created().json(p))
}

/// Applies a payment that came without the payer's detail by the rule of Res. 2284/2023
/// art. 7: to the payer's oldest invoice accepted expressly or tacitly, pending payment and
/// not prescribed, then the next, each up to its saldo; the rest stays unapplied.
#[utoipa::path(tag = "pagos", request_body = AplicacionSinDetalle, security(("bearer" = [])),
    responses((status = 201, body = PagoVista), (status = 404, body = Problema), (status = 409, body = Problema), (status = 422, body = Problema), (status = 403, body = Problema)))]
#[post("/pagos/{id}/aplicacion-sin-detalle")]
pub async fn aplicar_sin_detalle(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
    body: Json<AplicacionSinDetalle>,
) -> Result<HttpResponse, ApiError> {
    let p = blocking(move || pagos::aplicar_sin_detalle(&state.db, &state.terminos, state.hoy(), &actor, &id, body.0))
        .await?;
    Ok(HttpResponse::Created().json(p))
}

#[utoipa::path(tag = "pagos", security(("bearer" = [])), responses((status = 200, body = PagoVista), (status = 404, body = Problema)))]
#[get("/pagos/{id}")]
pub async fn obtener(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let p = blocking(move || pagos::obtener(&state.db, &actor, &id)).await?;
    Ok(HttpResponse::Ok().json(p))
}

/// Payments, the latest first: by payer, the days they were received, and those with value not
/// yet applied; each with its payer's name and `sin_aplicar`. `?formato=xlsx` gives every
/// payment that matches.
#[utoipa::path(tag = "pagos", params(ConsultaPagos), security(("bearer" = [])),
    responses((status = 200, body = Lista<PagoEnLista>), (status = 400, body = Problema), (status = 422, body = Problema)))]
#[get("/pagos")]
pub async fn listar(
    state: web::Data<AppState>,
    actor: Actor,
    q: super::query::Query<ConsultaPagos>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let q = q.into_inner();
    let en_xlsx = super::reportes::quiere_xlsx(q.formato.as_deref(), &req)?;
    let l = blocking(move || pagos::listar(&state.db, &actor, &q, en_xlsx)).await?;
    if en_xlsx {
        return Ok(super::reportes::xlsx("pagos.xlsx", pagos::xlsx(&l)?));
    }
    Ok(HttpResponse::Ok().json(l))
}

super::rutas!(registrar, aplicar, aplicar_sin_detalle, obtener, listar);
