//! Import runs over HTTP: the body is the file (or a zip of many); the work runs as a job
//! whose progress the client polls.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use futures_util::StreamExt;
use serde::Deserialize;
use utoipa::IntoParams;

use super::error::ApiError;
use super::error::Problema;
use super::{blocking, AppState};
use crate::app::importaciones::{
    self, ConsultaImportaciones, ImportacionEnLista, ImportacionVista, Opciones, Subida, TipoImportacion,
};
use crate::app::Actor;
use crate::app::Lista;

#[derive(Debug, Deserialize, IntoParams)]
pub struct ImportQuery {
    /// dian_xml, rips_json, rips_planos, glosas_xlsx or pagos_xlsx
    pub tipo: TipoImportacion,
    /// Payer sheet profile (`generico` when absent).
    pub perfil: Option<String>,
    /// Dry run: validate and count what would be created, write nothing.
    #[serde(default)]
    pub simular: bool,
    /// The file's name (also read from `Content-Disposition: attachment; filename=...`).
    pub archivo: Option<String>,
}

/// Reads the body up to `limite` bytes; more is 413 without reading the rest.
pub async fn cuerpo(mut payload: web::Payload, req: &HttpRequest, limite: usize) -> Result<Vec<u8>, ApiError> {
    let declarado = req
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declarado.is_some_and(|n| n > limite) {
        return Err(ApiError::PayloadTooLarge(limite));
    }
    // Sized once from the declared length: growing by doubling would hold up to twice the
    // upload at its peak.
    let mut bytes = Vec::with_capacity(declarado.unwrap_or(0).min(limite));
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::BadRequest(format!("no se pudo leer el archivo: {e}")))?;
        if bytes.len() + chunk.len() > limite {
            return Err(ApiError::PayloadTooLarge(limite));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// The file's name: `?archivo=`, else `Content-Disposition: ...; filename=`, else "archivo".
pub fn nombre(archivo: Option<&str>, req: &HttpRequest) -> String {
    let de_cabecera = req
        .headers()
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split("filename=").nth(1))
        .map(|f| f.trim_matches(|c| c == '"' || c == ' ' || c == ';').to_string());
    archivo
        .map(str::to_string)
        .or(de_cabecera)
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "archivo".into())
}

/// Starts an import (facturacion: dian_xml, rips_*; cartera: glosas_xlsx; cartera, finanzas:
/// pagos_xlsx). 202 with the run; poll `GET /importaciones/{id}`. A zip that would expand
/// beyond the limits is 413; one that cannot be opened is 422.
#[utoipa::path(tag = "importaciones", params(ImportQuery), request_body(content = Vec<u8>, content_type = "*/*", description = "The file as it came (XML, JSON, TXT, XLSX, CSV...) or a zip of many; its Content-Type is not read"),
    security(("bearer" = [])),
    responses((status = 202, body = ImportacionVista), (status = 403, body = Problema), (status = 413, body = Problema), (status = 422, body = Problema)))]
#[post("/importaciones")]
pub async fn crear(
    state: web::Data<AppState>,
    actor: Actor,
    q: super::query::Query<ImportQuery>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let q = q.into_inner();
    // Checked again by the use case; here so that an upload nobody may import is refused
    // before its bytes are read.
    importaciones::exigir_rol(&actor, q.tipo)?;
    let subida = Subida {
        nombre: nombre(q.archivo.as_deref(), &req),
        bytes: cuerpo(payload, &req, state.importaciones.max_bytes).await?,
        limites: state.importaciones.limites.clone(),
        cola: state.importaciones.cola.clone(),
        opciones: Opciones {
            tipo: q.tipo,
            perfil: q.perfil,
            simular: q.simular,
        },
    };
    let v = blocking(move || importaciones::iniciar(&state.contexto_importacion(), &actor, subida)).await?;
    Ok(HttpResponse::Accepted()
        .insert_header(("Location", format!("/api/v1/importaciones/{}", v.id)))
        .json(v))
}

/// The state of an import run: progress, what it created, what was already there, and
/// every error with its file and row, line or path.
#[utoipa::path(tag = "importaciones", security(("bearer" = [])), responses((status = 200, body = ImportacionVista), (status = 404, body = Problema)))]
#[get("/importaciones/{id}")]
pub async fn obtener(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let v = blocking(move || importaciones::obtener(&state.db, &actor, &id)).await?;
    Ok(HttpResponse::Ok().json(v))
}

/// The history of import runs, newest first: by kind, outcome, user and the days they
/// started; each with its counts and who started it. `?formato=xlsx` gives every run that
/// matches.
#[utoipa::path(tag = "importaciones", params(ConsultaImportaciones), security(("bearer" = [])),
    responses((status = 200, body = Lista<ImportacionEnLista>), (status = 400, body = Problema), (status = 422, body = Problema)))]
#[get("/importaciones")]
pub async fn listar(
    state: web::Data<AppState>,
    actor: Actor,
    q: super::query::Query<ConsultaImportaciones>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let q = q.into_inner();
    let en_xlsx = super::reportes::quiere_xlsx(q.formato.as_deref(), &req)?;
    let l = blocking(move || importaciones::listar(&state.db, &actor, &q, en_xlsx)).await?;
    if en_xlsx {
        return Ok(super::reportes::xlsx("importaciones.xlsx", importaciones::xlsx(&l)?));
    }
    Ok(HttpResponse::Ok().json(l))
}

super::rutas!(crear, listar, obtener);
