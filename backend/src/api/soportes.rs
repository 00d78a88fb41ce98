//! Soportes over HTTP: a file attached to an invoice, a glosa's or devolución's answer, an
//! acuerdo de pago or an acta; listed, downloaded and removed with a reason.

use actix_web::http::header::{self, Charset, ContentDisposition, DispositionParam, DispositionType, ExtendedValue};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::error::{ApiError, Problema};
use super::json::Json;
use super::{blocking, AppState};
use crate::app::soportes::{self, ListaSoportes, NuevoSoporte, SoporteVista};
use crate::app::{Actor, AppError};
use crate::domain::soporte::{ObjetoSoporte, TipoSoporte};

#[derive(Debug, Deserialize, IntoParams)]
pub struct AdjuntarQuery {
    /// What the file is attached to.
    pub objeto: ObjetoSoporte,
    /// The id of that invoice, glosa, devolución, acuerdo or acta.
    pub objeto_id: String,
    /// Abbreviation of Res. 2284/2023 Anexo 2 (HEV, EPI, PDX, DQX, RAN, CRC, TAP, TNA, FAT, FMO,
    /// OPF, LDP, HAU, HAO, HAM, PDE; FEV for the invoice's XML, RIPS for its JSON; OTRO).
    #[param(value_type = String)]
    pub tipo: TipoSoporte,
    /// The file's name (also read from `Content-Disposition: attachment; filename=...`).
    pub nombre: Option<String>,
    /// Multi-user invoices (Anexo 2 num. 3.4): the person's document type and number, e.g.
    /// `CC1234567`.
    pub documento_usuario: Option<String>,
}

/// Attaches a file (the body, as it is; its Content-Type is not read: the content is) to a
/// record. Invoices: facturacion, cartera, admin; glosas, devoluciones, acuerdos and actas:
/// cartera, admin. 201 with the new soporte; 200 with the existing one when the same content
/// is already attached to that record. 413 over `soportes.max_bytes_archivo` or past the
/// prestador's `soportes.max_bytes_prestador`; 415 for a content the type does not take (HEV…PDE
/// must be PDF, FEV XML, RIPS JSON; OTRO PDF, PNG, JPEG, TIFF, XML or JSON).
#[utoipa::path(tag = "soportes", params(AdjuntarQuery),
    request_body(content = Vec<u8>, content_type = "*/*", description = "The file as it is (PDF, PNG, JPEG, TIFF, XML or JSON)"),
    security(("bearer" = [])),
    responses((status = 201, body = SoporteVista), (status = 200, description = "The same content was already attached to the record", body = SoporteVista),
        (status = 403, body = Problema), (status = 404, description = "No such record in the prestador", body = Problema),
        (status = 413, body = Problema), (status = 415, body = Problema), (status = 422, body = Problema)))]
#[post("/soportes")]
pub async fn adjuntar(
    state: web::Data<AppState>,
    actor: Actor,
    q: super::query::Query<AdjuntarQuery>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let q = q.into_inner();
    // Checked again by the use case; here so that an upload the user may not make is refused
    // before its bytes are read.
    actor.exigir(
        soportes::adjuntan(q.objeto),
        &format!("adjuntar soportes a {}", q.objeto.nombre()),
    )?;
    let nombre = super::importaciones::nombre(q.nombre.as_deref(), &req);
    let maximo = state.soportes.max_bytes_archivo;
    let bytes = super::importaciones::cuerpo(payload, &req, maximo)
        .await
        .map_err(|e| match e {
            ApiError::PayloadTooLarge(_) => ApiError::App(AppError::Excedido(format!(
                "«{nombre}» pesa más de {maximo} bytes, el máximo por archivo (soportes.max_bytes_archivo)"
            ))),
            e => e,
        })?;
    let n = NuevoSoporte {
        objeto: q.objeto,
        objeto_id: q.objeto_id,
        tipo: q.tipo,
        nombre,
        documento_usuario: q.documento_usuario.unwrap_or_default(),
        bytes,
    };
    let a = blocking(move || soportes::adjuntar(&state.db, &state.soportes, &actor, state.hoy(), n)).await?;
    let ubicacion = format!("/api/v1/soportes/{}", a.soporte.id);
    Ok(if a.nuevo {
        super::created(ubicacion, a.soporte)
    } else {
        HttpResponse::Ok()
            .insert_header((header::LOCATION, ubicacion))
            .json(a.soporte)
    })
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ListarQuery {
    pub objeto: ObjetoSoporte,
    pub objeto_id: String,
    /// Also those removed (each with who removed it, when and why).
    #[serde(default)]
    pub todos: bool,
}

/// The soportes of a record in the order they were attached, and the space the prestador's
/// files take. Every staff role that reads the record (actas: not facturacion).
#[utoipa::path(tag = "soportes", params(ListarQuery), security(("bearer" = [])),
    responses((status = 200, body = ListaSoportes), (status = 403, body = Problema), (status = 404, description = "No such record in the prestador", body = Problema)))]
#[get("/soportes")]
pub async fn listar(
    state: web::Data<AppState>,
    actor: Actor,
    q: super::query::Query<ListarQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = q.into_inner();
    let l =
        blocking(move || soportes::listar(&state.db, &state.soportes, &actor, q.objeto, &q.objeto_id, q.todos)).await?;
    Ok(HttpResponse::Ok().json(l))
}

/// One soporte.
#[utoipa::path(tag = "soportes", security(("bearer" = [])),
    responses((status = 200, body = SoporteVista), (status = 403, body = Problema), (status = 404, body = Problema)))]
#[get("/soportes/{id}")]
pub async fn obtener(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let v = blocking(move || soportes::obtener(&state.db, &actor, &id)).await?;
    Ok(HttpResponse::Ok().json(v))
}

/// The file, with the type read from its content and its original name (also of a removed
/// soporte: it is the evidence its events cite).
#[utoipa::path(tag = "soportes", security(("bearer" = [])),
    responses((status = 200, description = "The file as it was attached", content(
        (Vec<u8> = "application/pdf"), (Vec<u8> = "image/png"), (Vec<u8> = "image/jpeg"), (Vec<u8> = "image/tiff"),
        (Vec<u8> = "application/xml"), (Vec<u8> = "application/json"))),
        (status = 403, body = Problema), (status = 404, body = Problema)))]
#[get("/soportes/{id}/contenido")]
pub async fn contenido(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (v, bytes) = blocking(move || soportes::descargar(&state.db, &actor, &id)).await?;
    Ok(archivo(&v, bytes))
}

/// A soporte's file as an answer: always an attachment (never shown inside a page of this
/// site, which could run what an uploaded XML carries), under its original name.
pub fn archivo(v: &SoporteVista, bytes: Vec<u8>) -> HttpResponse {
    // An ASCII name for every client, and the exact one in UTF-8 (RFC 6266 §4.3).
    let ascii: String = v
        .nombre
        .chars()
        .map(|c| if c.is_ascii_graphic() || c == ' ' { c } else { '_' })
        .collect();
    let mut parametros = vec![DispositionParam::Filename(ascii.replace('\\', "_"))];
    if !v.nombre.is_ascii() {
        parametros.push(DispositionParam::FilenameExt(ExtendedValue {
            charset: Charset::Ext("UTF-8".into()),
            language_tag: None,
            value: v.nombre.as_bytes().to_vec(),
        }));
    }
    HttpResponse::Ok()
        .content_type(v.media_type.as_str())
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: parametros,
        })
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::CONTENT_SECURITY_POLICY, "default-src 'none'; sandbox"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(bytes)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MotivoRetiro {
    /// Why it is removed (it stays in the history with this reason).
    pub motivo: String,
}

/// Removes a soporte from its record, with the reason: it stays listed with `?todos=true`, its
/// file stays downloadable, and the invoices' trazabilidad records the removal. Same roles as
/// attaching; 409 if it was already removed.
#[utoipa::path(tag = "soportes", request_body = MotivoRetiro, security(("bearer" = [])),
    responses((status = 200, body = SoporteVista), (status = 403, body = Problema), (status = 404, body = Problema),
        (status = 409, body = Problema), (status = 422, body = Problema)))]
#[post("/soportes/{id}/retiro")]
pub async fn retirar(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
    body: Json<MotivoRetiro>,
) -> Result<HttpResponse, ApiError> {
    let v = blocking(move || soportes::retirar(&state.db, &actor, state.hoy(), &id, &body.0.motivo)).await?;
    Ok(HttpResponse::Ok().json(v))
}

super::rutas!(adjuntar, listar, obtener, contenido, retirar);
