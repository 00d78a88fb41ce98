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
            if bytes.windows(6).any(|w| w.eq_ignore_ascii_case(b"\\u0000")) {
                let cuerpo: Option<serde_json::Value> = serde_json::from_slice(&bytes).ok();
                if let Some(path) = cuerpo.as_ref().and_then(|v| con_nul(v, String::new())) {
                    return Err(ApiError::Malformed(Violation::new(path, NUL)));
                }
            }
            let de = &mut serde_json::Deserializer::from_slice(&bytes);
            serde_path_to_error::deserialize(de).map(Json).map_err(|e| {
                let path = match e.path().to_string() {
                    p if p == "." => "(cuerpo)".to_string(),
                    p => p,
                };
                // What came, read again from the body: serde's message rarely says it.
                let cuerpo: Option<serde_json::Value> = serde_json::from_slice(&bytes).ok();
                let llego = cuerpo.as_ref().and_then(|v| en(v, e.path()));
                ApiError::Malformed(Violation::new(path, traducir(&e.inner().to_string(), llego)))
            })
        })
    }
}

/// The value at `path` in a JSON document.
/// Why a text with a NUL character is refused.
pub(super) const NUL: &str = "el texto no puede contener el carácter nulo (\\u0000)";

/// The path of the first text (or key) with a NUL character.
fn con_nul(v: &serde_json::Value, path: String) -> Option<String> {
    let bajo = |p: &str, k: &str| {
        if p.is_empty() {
            k.to_string()
        } else {
            format!("{p}.{k}")
        }
    };
    match v {
        serde_json::Value::String(s) if s.contains('\0') => {
            Some(if path.is_empty() { "(cuerpo)".into() } else { path })
        }
        serde_json::Value::Array(a) => a
            .iter()
            .enumerate()
            .find_map(|(i, x)| con_nul(x, format!("{path}[{i}]"))),
        serde_json::Value::Object(m) => m.iter().find_map(|(k, x)| {
            if k.contains('\0') {
                Some(bajo(&path, &k.replace('\0', "")))
            } else {
                con_nul(x, bajo(&path, k))
            }
        }),
        _ => None,
    }
}

fn en<'a>(v: &'a serde_json::Value, path: &serde_path_to_error::Path) -> Option<&'a serde_json::Value> {
    use serde_path_to_error::Segment;
    path.iter().try_fold(v, |v, s| match s {
        Segment::Seq { index } => v.get(*index),
        Segment::Map { key } => v.get(key.as_str()),
        Segment::Enum { .. } => Some(v),
        Segment::Unknown => None,
    })
}

/// What a field expects, in words a clerk knows, from serde's name for it.
fn esperado(tipo: &str) -> String {
    let tipo = tipo.trim();
    match tipo {
        "a Decimal type representing a fixed-point number" => {
            "un valor en pesos con punto decimal, p. ej. \"1500000.50\" o 1500000.50".into()
        }
        "a formatted date string" => "una fecha AAAA-MM-DD".into(),
        "a string" => "texto entre comillas".into(),
        "a boolean" => "true o false".into(),
        "a sequence" => "una lista [...]".into(),
        "a map" => "un objeto {...}".into(),
        t if t.starts_with("struct ") => "un objeto {...}".into(),
        t if ["u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64", "usize", "isize"].contains(&t) => {
            "un número entero".into()
        }
        t if t.starts_with("one of ") => format!("uno de: {}", t["one of ".len()..].replace('`', "")),
        t => t.replace('`', ""),
    }
}

/// chrono's messages for a date that does not parse.
const ERRORES_FECHA: [&str; 6] = [
    "input contains invalid characters",
    "premature end of input",
    "input is out of range",
    "trailing input",
    "input is not enough for unique date and time",
    "no possible date and time matching input",
];

/// Rust's messages for an integer that does not parse (query strings).
const ERRORES_ENTERO: [&str; 4] = [
    "invalid digit found in string",
    "cannot parse integer from empty string",
    "number too large to fit in target type",
    "number too small to fit in target type",
];

/// serde_json's messages are English and rarely say what came; the people reading these are
/// not programmers, so each says in Spanish what is expected and what came
/// (`se espera una fecha AAAA-MM-DD; llegó '05/01/2026'`).
pub(super) fn traducir(msg: &str, llego: Option<&serde_json::Value>) -> String {
    let msg = msg.split(" at line ").next().unwrap_or(msg);
    let vino = || match llego {
        Some(serde_json::Value::String(s)) => format!("; llegó '{s}'"),
        Some(v) => format!("; llegó {v}"),
        None => String::new(),
    };
    if let Some(rest) = msg.strip_prefix("missing field ") {
        format!("falta el campo {}", rest.replace('`', ""))
    } else if let Some(rest) = msg.strip_prefix("unknown field ") {
        let (campo, permitidos) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let campo = campo.replace('`', "");
        match permitidos {
            "" => format!("campo desconocido {campo}"),
            p => format!("campo desconocido {campo}; se espera {}", esperado(p)),
        }
    } else if let Some(rest) = msg
        .strip_prefix("invalid type: ")
        .or_else(|| msg.strip_prefix("invalid value: "))
        .or_else(|| msg.strip_prefix("unknown variant "))
    {
        let tipo = rest.rsplit_once(", expected ").map_or(rest, |(_, t)| t);
        format!("se espera {}{}", esperado(tipo), vino())
    } else if msg == "provided string was not `true` or `false`" {
        // serde_urlencoded's, for a boolean query parameter.
        format!("se espera true o false{}", vino())
    } else if ERRORES_ENTERO.contains(&msg) {
        format!("se espera un número entero{}", vino())
    } else if ERRORES_FECHA.contains(&msg) {
        format!("se espera una fecha AAAA-MM-DD{}", vino())
    } else if msg.starts_with("EOF while parsing") || msg.starts_with("expected") || msg.starts_with("trailing") {
        format!("el JSON está mal formado ({msg})")
    } else {
        format!("{msg}{}", vino())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_nul_character_is_found_where_it_is() {
        let v = json!({"a": "ok", "items": [{"codigo": "x"}, {"descripcion": "z\u{0}"}]});
        assert_eq!(con_nul(&v, String::new()).as_deref(), Some("items[1].descripcion"));
        assert_eq!(con_nul(&json!({"a": "ok"}), String::new()), None);
        assert_eq!(con_nul(&json!("\u{0}"), String::new()).as_deref(), Some("(cuerpo)"));
    }

    #[test]
    fn each_message_says_what_is_expected_and_what_came() {
        let casos = [
            (
                "input contains invalid characters",
                json!("05/01/2026"),
                "se espera una fecha AAAA-MM-DD; llegó '05/01/2026'",
            ),
            (
                "invalid value: string \"cien\", expected a Decimal type representing a fixed-point number",
                json!("cien"),
                "se espera un valor en pesos con punto decimal, p. ej. \"1500000.50\" o 1500000.50; llegó 'cien'",
            ),
            (
                "invalid type: integer `900123456`, expected a string",
                json!(900123456),
                "se espera texto entre comillas; llegó 900123456",
            ),
            (
                "unknown variant `Evento`, expected one of `evento`, `capita`",
                json!("Evento"),
                "se espera uno de: evento, capita; llegó 'Evento'",
            ),
            (
                "invalid type: string \"3\", expected u32",
                json!("3"),
                "se espera un número entero; llegó '3'",
            ),
        ];
        for (msg, llego, dice) in casos {
            assert_eq!(traducir(msg, Some(&llego)), dice);
        }
        assert_eq!(traducir("missing field `fecha`", None), "falta el campo fecha");
    }
}
