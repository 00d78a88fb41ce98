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

impl AppError {
    fn kind(&self) -> (StatusCode, &'static str, &'static str) {
        match self {
            AppError::NotFound(_) => (StatusCode::NOT_FOUND, "no-encontrado", "No encontrado"),
            AppError::Conflict(_) => (StatusCode::CONFLICT, "conflicto", "Conflicto"),
            AppError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "validacion", "Datos inválidos"),
            AppError::BadRequest(_) | AppError::Malformed(_) => {
                (StatusCode::BAD_REQUEST, "peticion-mal-formada", "Petición mal formada")
            }
            AppError::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "no-autenticado", "No autenticado"),
            AppError::Forbidden(_) => (StatusCode::FORBIDDEN, "sin-permiso", "Sin permiso"),
            AppError::TooManyRequests(_) => (
                StatusCode::TOO_MANY_REQUESTS,
                "demasiados-intentos",
                "Demasiados intentos",
            ),
            AppError::PayloadTooLarge(_) | AppError::Excedido(_) => {
                (StatusCode::PAYLOAD_TOO_LARGE, "demasiado-grande", "Demasiado grande")
            }
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
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        self.kind().0
    }

    fn error_response(&self) -> HttpResponse {
        let (status, slug, title) = self.kind();
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
            AppError::Malformed(v) => vec![v.clone()],
            _ => Vec::new(),
        };
        let body = Problema {
            tipo: format!("urn:trazo:problema:{slug}"),
            title: title.into(),
            status: status.as_u16(),
            detail,
            errors,
        };
        let mut res = HttpResponse::build(status);
        res.content_type("application/problem+json");
        match self {
            AppError::Unauthorized(_) => {
                res.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            AppError::TooManyRequests(secs) => {
                res.insert_header((header::RETRY_AFTER, secs.to_string()));
            }
            AppError::Ocupado(_) => {
                res.insert_header((header::RETRY_AFTER, "5"));
            }
            _ => {}
        }
        res.json(body)
    }
}

/// Turns actix's own extractor errors (query strings, paths) into problem+json.
pub fn extractor_error(err: impl std::fmt::Display) -> actix_web::Error {
    AppError::BadRequest(err.to_string()).into()
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
        let e = pagadores::listar(&db, &actor, Default::default()).unwrap_err();
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
