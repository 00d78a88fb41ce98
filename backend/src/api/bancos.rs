//! Bank statements over HTTP: the prestador's accounts, statements imported into them (camt.053
//! or a bank's CSV/Excel by profile), each credit with what the matching rules did, the
//! decisions a person makes on what they left, and the report.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use super::error::{ApiError, Problema};
use super::importaciones::{cuerpo, nombre};
use super::json::Json;
use super::{blocking, created, AppState};
use crate::app::bancos::{
    self, ConsultaMovimientos, ConsultaReporte, CuentaBancaria, DecisionMovimiento, ExtractoVista, MovimientoVista,
    NuevaCuentaBancaria, PerfilBancoVista, ReporteBancos,
};
use crate::app::{Actor, AppError, Lista};

/// The bank profiles a sheet can be read with (`?perfil=` of an import).
#[utoipa::path(tag = "bancos", security(("bearer" = [])),
    responses((status = 200, body = Vec<PerfilBancoVista>), (status = 403, body = Problema)))]
#[get("/bancos/perfiles")]
pub async fn perfiles(state: web::Data<AppState>, actor: Actor) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(bancos::perfiles(&actor, &state.bancos)?))
}

/// Registers a bank account of the prestador (cartera, admin). 409 when the bank and number are
/// already registered.
#[utoipa::path(tag = "bancos", request_body = NuevaCuentaBancaria, security(("bearer" = [])),
    responses((status = 201, body = CuentaBancaria), (status = 403, body = Problema), (status = 409, body = Problema), (status = 422, body = Problema)))]
#[post("/bancos/cuentas")]
pub async fn crear_cuenta(
    state: web::Data<AppState>,
    actor: Actor,
    body: Json<NuevaCuentaBancaria>,
) -> Result<HttpResponse, ApiError> {
    let v = blocking(move || bancos::crear_cuenta(&state.db, &actor, body.0)).await?;
    Ok(created(format!("/api/v1/bancos/cuentas/{}", v.id), v))
}

/// The prestador's bank accounts.
#[utoipa::path(tag = "bancos", security(("bearer" = [])),
    responses((status = 200, body = Lista<CuentaBancaria>), (status = 403, body = Problema)))]
#[get("/bancos/cuentas")]
pub async fn cuentas(state: web::Data<AppState>, actor: Actor) -> Result<HttpResponse, ApiError> {
    let v = blocking(move || bancos::cuentas(&state.db, &actor)).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "total": v.len(), "items": v })))
}

#[utoipa::path(tag = "bancos", security(("bearer" = [])),
    responses((status = 200, body = CuentaBancaria), (status = 403, body = Problema), (status = 404, body = Problema)))]
#[get("/bancos/cuentas/{id}")]
pub async fn cuenta(state: web::Data<AppState>, actor: Actor, id: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let v = blocking(move || bancos::cuenta(&state.db, &actor, &id)).await?;
    Ok(HttpResponse::Ok().json(v))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ExtractoQuery {
    /// Bank profile of a CSV/Excel export (`GET /bancos/perfiles`); not needed for camt.053,
    /// which is recognised by its content.
    pub perfil: Option<String>,
    /// The file's name (also from `Content-Disposition`).
    pub archivo: Option<String>,
}

/// Imports a bank statement into the account (cartera, admin): ISO 20022 camt.053 XML, or a
/// bank's CSV/xlsx/xls/ods export read with `?perfil=`. Only credits are kept (debits are
/// counted and left out). Each new credit is matched by the rules and what is certain is
/// applied in the same transaction. The same file again is 200 with `duplicado` and changes
/// nothing; credits already imported from an overlapping statement are skipped. A file with
/// any problem writes nothing (422, each problem naming its row or element).
#[utoipa::path(tag = "bancos", params(ExtractoQuery), request_body(content = Vec<u8>, content_type = "*/*", description = "The statement as the bank gave it (camt.053 XML, CSV, xlsx, xls or ods); its Content-Type is not read"),
    security(("bearer" = [])),
    responses((status = 201, body = ExtractoVista), (status = 200, description = "The same file had been imported: nothing changed", body = ExtractoVista),
        (status = 403, body = Problema), (status = 404, body = Problema), (status = 413, body = Problema), (status = 422, body = Problema)))]
#[post("/bancos/cuentas/{id}/extractos")]
pub async fn importar(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
    q: super::query::Query<ExtractoQuery>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    // Before the bytes are read: who may not import is refused without reading an upload.
    actor.exigir(bancos::ACTUAN, "importar extractos bancarios")?;
    let q = q.into_inner();
    if let Some(p) = &q.perfil {
        bancos::perfil(&state.bancos, p)?;
    }
    let bytes = cuerpo(payload, &req, state.importaciones.max_bytes).await?;
    if bytes.is_empty() {
        return Err(ApiError::invalid("(cuerpo)", "el cuerpo está vacío: envíe el extracto"));
    }
    let archivo = nombre(q.archivo.as_deref(), &req);
    let v = blocking(move || {
        let perfil = q
            .perfil
            .as_deref()
            .map(|p| bancos::perfil(&state.bancos, p))
            .transpose()?;
        // What the file describes, before it is parsed (the limits of every import).
        trazo_importers::limites::revisar(&archivo, &bytes, &state.importaciones.limites).map_err(|e| match e {
            trazo_importers::archivo::ErrorArchivo::Limite(e) | trazo_importers::archivo::ErrorArchivo::Formato(e) => {
                AppError::Excedido(e.to_string())
            }
        })?;
        bancos::importar(
            &state.db,
            &state.terminos,
            state.hoy(),
            &actor,
            &id,
            &archivo,
            &bytes,
            perfil,
        )
    })
    .await?;
    if v.duplicado {
        return Ok(HttpResponse::Ok().json(v));
    }
    Ok(created(format!("/api/v1/bancos/movimientos?extracto_id={}", v.id), v))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ExtractosQuery {
    pub cuenta_id: Option<String>,
}

/// The statements imported, the latest first (of one account).
#[utoipa::path(tag = "bancos", params(ExtractosQuery), security(("bearer" = [])),
    responses((status = 200, body = Lista<ExtractoVista>), (status = 403, body = Problema), (status = 404, body = Problema)))]
#[get("/bancos/extractos")]
pub async fn extractos(
    state: web::Data<AppState>,
    actor: Actor,
    q: super::query::Query<ExtractosQuery>,
) -> Result<HttpResponse, ApiError> {
    let v = blocking(move || bancos::extractos(&state.db, &actor, q.cuenta_id.as_deref())).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "total": v.len(), "items": v })))
}

/// Credits of the statements, the latest first, with their state, the rule that decided each,
/// its explanation and, while pendiente, its candidates.
#[utoipa::path(tag = "bancos", params(ConsultaMovimientos), security(("bearer" = [])),
    responses((status = 200, body = Lista<MovimientoVista>), (status = 400, body = Problema), (status = 403, body = Problema), (status = 422, body = Problema)))]
#[get("/bancos/movimientos")]
pub async fn movimientos(
    state: web::Data<AppState>,
    actor: Actor,
    q: super::query::Query<ConsultaMovimientos>,
) -> Result<HttpResponse, ApiError> {
    let v = blocking(move || bancos::movimientos(&state.db, &actor, &q)).await?;
    Ok(HttpResponse::Ok().json(v))
}

#[utoipa::path(tag = "bancos", security(("bearer" = [])),
    responses((status = 200, body = MovimientoVista), (status = 403, body = Problema), (status = 404, body = Problema)))]
#[get("/bancos/movimientos/{id}")]
pub async fn movimiento(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let v = blocking(move || bancos::movimiento(&state.db, &actor, &id)).await?;
    Ok(HttpResponse::Ok().json(v))
}

/// A person decides a credit (cartera, admin): `elegir` a candidate of a pending one (applies
/// it), leave it `sin_identificar` or `descartar` it with a reason, or `asignar_pagador` to an
/// unidentified one without payer (the rules run again with that payer). 409 when its state no
/// longer allows it.
#[utoipa::path(tag = "bancos", request_body = DecisionMovimiento, security(("bearer" = [])),
    responses((status = 200, body = MovimientoVista), (status = 403, body = Problema), (status = 404, body = Problema),
        (status = 409, body = Problema), (status = 422, body = Problema)))]
#[post("/bancos/movimientos/{id}/decision")]
pub async fn decidir(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
    body: Json<DecisionMovimiento>,
) -> Result<HttpResponse, ApiError> {
    let v = blocking(move || bancos::decidir(&state.db, &state.terminos, state.hoy(), &actor, &id, body.0)).await?;
    Ok(HttpResponse::Ok().json(v))
}

/// Per account and per payer in the period: credits, % applied automatically (by count and by
/// value), pending for a person and the unidentified balance. `?formato=xlsx` (or `Accept` of
/// a workbook) gives it as XLSX.
#[utoipa::path(tag = "bancos", params(ConsultaReporte), security(("bearer" = [])),
    responses((status = 200, body = ReporteBancos),
        (status = 403, body = Problema), (status = 404, body = Problema), (status = 422, body = Problema)))]
#[get("/bancos/reporte")]
pub async fn reporte(
    state: web::Data<AppState>,
    actor: Actor,
    q: super::query::Query<ConsultaReporte>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let q = q.into_inner();
    let en_xlsx = super::reportes::quiere_xlsx(q.formato.as_deref(), &req)?;
    let r = blocking(move || bancos::reporte(&state.db, &actor, &q)).await?;
    if en_xlsx {
        return Ok(super::reportes::xlsx("extractos-bancarios.xlsx", bancos::xlsx(&r)?));
    }
    Ok(HttpResponse::Ok().json(r))
}

super::rutas!(
    perfiles,
    crear_cuenta,
    cuentas,
    cuenta,
    importar,
    extractos,
    movimientos,
    movimiento,
    decidir,
    reporte
);
