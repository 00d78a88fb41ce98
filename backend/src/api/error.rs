//! Errors as `application/problem+json` (RFC 9457).

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::app::AppError;
use crate::domain::Violation;

/// An error response: what went wrong and, when several things did, each of them.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problema {
    /// A URI naming the kind of problem (`urn:trazo:problema:validacion`, ...).
    #[serde(rename = "type")]
    pub tipo: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<Violation>,
}

/// What an HTTP request can fail with before or around a use case: the body is not the JSON
/// expected, too large, or unreadable; the client retries the login too fast. Everything else
/// is the use case's own `AppError`.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error(transparent)]
    App(#[from] AppError),
    #[error("{0}")]
    BadRequest(String),
    /// A body that is not the JSON expected: `path` names the field.
    #[error("{}: {}", .0.path, .0.message)]
    Malformed(Violation),
    #[error("demasiados intentos; espere {0} segundos")]
    TooManyRequests(u64),
    #[error("el cuerpo de la petición supera el límite de {0} bytes")]
    PayloadTooLarge(usize),
    /// The path exists, not with this method: the methods it takes.
    #[error("esta ruta no admite {0}; admite {admite}", admite = .1.join(", "))]
    MetodoNoPermitido(String, Vec<String>),
}

impl ApiError {
    /// One field is wrong (see [`AppError::invalid`]).
    pub fn invalid(path: &str, message: impl Into<String>) -> ApiError {
        AppError::invalid(path, message).into()
    }
}

/// (status, slug of the problem's type, title) of each failure.
type Clase = (StatusCode, &'static str, &'static str);

fn clase_app(e: &AppError) -> Clase {
    match e {
        AppError::NotFound(_) => (StatusCode::NOT_FOUND, "no-encontrado", "No encontrado"),
        AppError::Conflict(_) => (StatusCode::CONFLICT, "conflicto", "Conflicto"),
        AppError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "validacion", "Datos inválidos"),
        AppError::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "no-autenticado", "No autenticado"),
        AppError::Forbidden(_) => (StatusCode::FORBIDDEN, "sin-permiso", "Sin permiso"),
        AppError::Excedido(_) => DEMASIADO_GRANDE,
        AppError::NoAdmitido(_) => (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "tipo-no-admitido",
            "Tipo de archivo no admitido",
        ),
        AppError::NoDisponible(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "no-disponible",
            "Servicio no configurado",
        ),
        AppError::Ocupado(_) => (StatusCode::SERVICE_UNAVAILABLE, "ocupado", "Servicio ocupado"),
        AppError::Correo(_) => (StatusCode::BAD_GATEWAY, "correo", "El servidor de correo falló"),
        AppError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "interno", "Error interno"),
    }
}

const DEMASIADO_GRANDE: Clase = (StatusCode::PAYLOAD_TOO_LARGE, "demasiado-grande", "Demasiado grande");

/// The start of a problem+json answer (the caller adds its headers) and its body.
fn problema(clase: Clase, detail: String, errors: Vec<Violation>) -> (actix_web::HttpResponseBuilder, Problema) {
    let (status, slug, title) = clase;
    let body = Problema {
        tipo: format!("urn:trazo:problema:{slug}"),
        title: title.into(),
        status: status.as_u16(),
        detail,
        errors,
    };
    let mut res = HttpResponse::build(status);
    res.content_type("application/problem+json");
    (res, body)
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        clase_app(self).0
    }

    fn error_response(&self) -> HttpResponse {
        let detail = match self {
            AppError::Internal(e) => {
                tracing::error!(error = ?e, "internal error");
                "ocurrió un error interno; quedó registrado en el log del servidor".to_string()
            }
            AppError::Ocupado(causa) => {
                tracing::warn!(%causa, "database unavailable");
                self.to_string()
            }
            other => other.to_string(),
        };
        let errors = match self {
            AppError::Invalid(v) => v.clone(),
            _ => Vec::new(),
        };
        let (mut res, body) = problema(clase_app(self), detail, errors);
        match self {
            AppError::Unauthorized(_) => {
                res.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            AppError::Ocupado(_) => {
                res.insert_header((header::RETRY_AFTER, "5"));
            }
            _ => {}
        }
        res.json(body)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::App(e) => e.status_code(),
            ApiError::BadRequest(_) | ApiError::Malformed(_) => StatusCode::BAD_REQUEST,
            ApiError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::MetodoNoPermitido(..) => StatusCode::METHOD_NOT_ALLOWED,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let clase = match self {
            ApiError::App(e) => return e.error_response(),
            ApiError::BadRequest(_) | ApiError::Malformed(_) => {
                (StatusCode::BAD_REQUEST, "peticion-mal-formada", "Petición mal formada")
            }
            ApiError::TooManyRequests(_) => (
                StatusCode::TOO_MANY_REQUESTS,
                "demasiados-intentos",
                "Demasiados intentos",
            ),
            ApiError::PayloadTooLarge(_) => DEMASIADO_GRANDE,
            ApiError::MetodoNoPermitido(..) => (
                StatusCode::METHOD_NOT_ALLOWED,
                "metodo-no-permitido",
                "Método no permitido",
            ),
        };
        let errors = match self {
            ApiError::Malformed(v) => vec![v.clone()],
            _ => Vec::new(),
        };
        let (mut res, body) = problema(clase, self.to_string(), errors);
        if let ApiError::TooManyRequests(secs) = self {
            res.insert_header((header::RETRY_AFTER, secs.to_string()));
        }
        if let ApiError::MetodoNoPermitido(_, metodos) = self {
            res.insert_header((header::ALLOW, metodos.join(", ")));
        }
        res.json(body)
    }
}

/// Turns actix's own extractor errors (paths) into problem+json.
pub fn extractor_error(err: impl std::fmt::Display) -> actix_web::Error {
    ApiError::BadRequest(err.to_string()).into()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use actix_web::body::MessageBody;

    use super::*;
    use crate::app::{pagadores, Actor};
    use crate::db::Db;
    use crate::domain::rol::Rol;

    #[test]
    fn a_database_with_no_free_connection_answers_503_with_retry_after() {
        let dir = tempfile::tempdir().unwrap();
        let url = dir.path().join("trazo.db").to_string_lossy().into_owned();
        let db = Db::connect_con_espera(&url, 1, Duration::from_millis(200)).unwrap();
        // The only connection is taken: the next request must wait, then give up.
        let _ocupada = db.conn().unwrap();
        let actor = Actor {
            usuario_id: "u".into(),
            prestador_id: "p".into(),
            rol: Rol::Cartera,
        };
        let e = pagadores::listar(&db, &actor, Default::default(), false).unwrap_err();
        assert!(matches!(e, AppError::Ocupado(_)), "{e:?}");
        let r = e.error_response();
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(r.headers().get(header::RETRY_AFTER).unwrap(), "5");
        let body = r.into_body().try_into_bytes().unwrap();
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["type"], "urn:trazo:problema:ocupado");
        assert!(v["detail"].as_str().unwrap().contains("intente de nuevo"), "{v}");
    }
}
