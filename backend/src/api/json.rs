//! A JSON body extractor whose errors say which field is wrong (`items[2].valor_total`)
//! and which answers an oversize body with 413, both as problem+json.

use super::error::ApiError;
use std::future::Future;
use std::pin::Pin;

use actix_web::{dev::Payload, web, FromRequest, HttpRequest};
use serde::de::DeserializeOwned;

use crate::domain::Violation;

pub struct Json<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = req.app_data::<super::JsonLimit>().map(|l| l.0).unwrap_or(262_144);
        let is_json = req
            .headers()
            .get(actix_web::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|ct| {
                let mime = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
                mime == "application/json" || mime.ends_with("+json")
            })
            .unwrap_or(false);
        let body = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            let bytes = body.await.map_err(|e| {
                if e.as_response_error().status_code() == actix_web::http::StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::PayloadTooLarge(limit)
                } else {
                    ApiError::BadRequest(format!("no se pudo leer el cuerpo de la petición: {e}"))
                }
            })?;
            if !is_json {
                return Err(ApiError::BadRequest(
                    "se espera un cuerpo JSON con Content-Type: application/json".into(),
                ));
            }
            let de = &mut serde_json::Deserializer::from_slice(&bytes);
            serde_path_to_error::deserialize(de).map(Json).map_err(|e| {
                let path = match e.path().to_string() {
                    p if p == "." => "(cuerpo)".to_string(),
                    p => p,
                };
                ApiError::Malformed(Violation::new(path, traducir(&e.inner().to_string())))
            })
        })
    }
}

/// serde_json's messages are English; the people reading these are not programmers, so the
/// usual ones are said in Spanish, keeping serde's detail (field names, expected values).
fn traducir(msg: &str) -> String {
    let msg = msg.split(" at line ").next().unwrap_or(msg);
    if let Some(rest) = msg.strip_prefix("missing field ") {
        format!("falta el campo {rest}")
    } else if let Some(rest) = msg.strip_prefix("unknown field ") {
        format!("campo desconocido {rest}")
    } else if let Some(rest) = msg.strip_prefix("invalid type: ") {
        format!("tipo inválido: {rest}")
    } else if let Some(rest) = msg.strip_prefix("unknown variant ") {
        format!("valor no permitido {rest}")
    } else if msg.starts_with("EOF while parsing") || msg.starts_with("expected") || msg.starts_with("trailing") {
        format!("el JSON está mal formado ({msg})")
    } else {
        msg.to_string()
    }
}
