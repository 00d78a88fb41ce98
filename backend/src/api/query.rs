//! A query-string extractor whose errors name the parameter, what it expects and what came
//! (`page: se espera un número entero; llegó 'uno'`), as problem+json. actix's own says only
//! "Query deserialize error: invalid digit found in string".

use std::future::{ready, Ready};

use actix_web::{dev::Payload, FromRequest, HttpRequest};
use serde::de::DeserializeOwned;

use super::error::ApiError;
use super::json::traducir;
use crate::domain::Violation;

pub struct Query<T>(pub T);

impl<T> Query<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for Query<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned> FromRequest for Query<T> {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(leer(req.query_string()).map(Query))
    }
}

/// Reads a query string into `T`; an error names the parameter and echoes what came.
pub fn leer<T: DeserializeOwned>(texto: &str) -> Result<T, ApiError> {
    // No text Trazo keeps or looks for has a NUL, and PostgreSQL refuses one in a query.
    if let Some((k, _)) = form_urlencoded::parse(texto.as_bytes()).find(|(k, v)| k.contains('\0') || v.contains('\0')) {
        return Err(ApiError::Malformed(Violation::new(
            k.replace('\0', ""),
            super::json::NUL,
        )));
    }
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(texto.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|e| {
        let nombre = e.path().to_string();
        let llego = form_urlencoded::parse(texto.as_bytes())
            .find(|(k, _)| *k == nombre)
            .map(|(_, v)| serde_json::Value::String(v.into_owned()));
        let nombre = if nombre == "." {
            "(consulta)".to_string()
        } else {
            nombre
        };
        ApiError::Malformed(Violation::new(nombre, traducir(&e.inner().to_string(), llego.as_ref())))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Consulta {
        page: Option<i64>,
        corte: Option<chrono::NaiveDate>,
        extemporanea: Option<bool>,
    }

    fn error(q: &str) -> String {
        match leer::<Consulta>(q) {
            Err(ApiError::Malformed(v)) => format!("{}: {}", v.path, v.message),
            otro => panic!("{q}: {otro:?}"),
        }
    }

    #[test]
    fn a_bad_parameter_is_named_with_what_it_expects_and_what_came() {
        assert_eq!(error("page=uno"), "page: se espera un número entero; llegó 'uno'");
        assert_eq!(
            error("page=2&corte=31/12/2026"),
            "corte: se espera una fecha AAAA-MM-DD; llegó '31/12/2026'"
        );
        assert_eq!(
            error("extemporanea=tal_vez"),
            "extemporanea: se espera true o false; llegó 'tal_vez'"
        );
        assert!(leer::<Consulta>("page=2&corte=2026-12-31&extemporanea=true").is_ok());
    }
}
