//! Radicaciones, notas crédito and castigos of invoices.

use actix_web::{post, web, HttpResponse};

use super::error::ApiError;
use super::error::Problema;
use super::json::Json;
use super::{blocking, AppState};
use crate::app::facturas::FacturaVista;
use crate::app::notas::{self, NuevaNota, NuevoCastigo};
use crate::app::radicaciones::{self, NuevaRadicacion, RadicacionLote, ResultadoLote};
use crate::app::Actor;

/// Files the invoice with its payer (facturacion); starts the payer's legal terms. A
/// returned invoice is filed again the same way and its terms start over.
#[utoipa::path(tag = "ciclo", request_body = NuevaRadicacion, security(("bearer" = [])),
    responses((status = 201, body = FacturaVista), (status = 404, body = Problema), (status = 409, description = "Already radicated", body = Problema), (status = 422, body = Problema), (status = 403, body = Problema)))]
#[post("/facturas/{id}/radicaciones")]
pub async fn radicar(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
    body: Json<NuevaRadicacion>,
) -> Result<HttpResponse, ApiError> {
    let f = blocking(move || {
        radicaciones::radicar(
            &state.db,
            &state.terminos,
            state.hoy(),
            &actor,
            state.radicacion.exigir_soportes,
            &id,
            body.0,
        )
    })
    .await?;
    Ok(HttpResponse::Created().json(f))
}

/// Radicates many invoices of one payer under one radicado: all, or none with every reason.
#[utoipa::path(tag = "ciclo", request_body = RadicacionLote, security(("bearer" = [])),
    responses((status = 201, body = ResultadoLote), (status = 422, body = Problema), (status = 403, body = Problema), (status = 404, body = Problema)))]
#[post("/radicaciones")]
pub async fn radicar_lote(
    state: web::Data<AppState>,
    actor: Actor,
    body: Json<RadicacionLote>,
) -> Result<HttpResponse, ApiError> {
    let r = blocking(move || {
        radicaciones::radicar_lote(
            &state.db,
            &state.terminos,
            state.hoy(),
            &actor,
            state.radicacion.exigir_soportes,
            body.0,
        )
    })
    .await?;
    Ok(HttpResponse::Created().json(r))
}

/// A nota crédito lowers the invoice's balance, or annuls it (facturacion).
#[utoipa::path(tag = "ciclo", request_body = NuevaNota, security(("bearer" = [])),
    responses((status = 201, body = FacturaVista), (status = 409, body = Problema), (status = 422, body = Problema), (status = 403, body = Problema)))]
#[post("/facturas/{id}/notas")]
pub async fn nota(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
    body: Json<NuevaNota>,
) -> Result<HttpResponse, ApiError> {
    let f = blocking(move || notas::nota_credito(&state.db, &state.terminos, state.hoy(), &actor, &id, body.0)).await?;
    Ok(HttpResponse::Created().json(f))
}

/// Writes off the invoice's balance with the act that authorised it (finanzas, admin).
#[utoipa::path(tag = "ciclo", request_body = NuevoCastigo, security(("bearer" = [])),
    responses((status = 201, body = FacturaVista), (status = 409, body = Problema), (status = 422, body = Problema), (status = 403, body = Problema)))]
#[post("/facturas/{id}/castigos")]
pub async fn castigar(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
    body: Json<NuevoCastigo>,
) -> Result<HttpResponse, ApiError> {
    let f = blocking(move || notas::castigar(&state.db, &state.terminos, state.hoy(), &actor, &id, body.0)).await?;
    Ok(HttpResponse::Created().json(f))
}

super::rutas!(radicar, radicar_lote, nota, castigar);
