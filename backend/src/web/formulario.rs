//! What the forms of the web application share: reading what a clerk typed (dates, amounts
//! in pesos), the use case's violations by field, and the codes of the manual to pick from.

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::formato::leer_pesos;
use crate::app::AppError;
use crate::domain::catalogo::Codigo;

/// What a form typed that could not be read, or the use case refused, by field.
pub type Errores = HashMap<String, String>;

/// A code to pick: the code and the manual's words (cut, for a list that fits the screen).
pub struct Opcion {
    pub codigo: String,
    pub texto: String,
}

impl Opcion {
    pub fn de(c: &Codigo) -> Opcion {
        const LARGO: usize = 110;
        let texto = match c.descripcion.char_indices().nth(LARGO) {
            Some((i, _)) => format!("{}…", &c.descripcion[..i]),
            None => c.descripcion.clone(),
        };
        Opcion {
            codigo: c.codigo.clone(),
            texto,
        }
    }

    pub fn todas<'a>(codigos: impl IntoIterator<Item = &'a Codigo>) -> Vec<Opcion> {
        codigos.into_iter().map(Opcion::de).collect()
    }
}

/// Every violation by its field (the first of each); any other error is not the form's.
pub fn por_campo(e: AppError) -> Result<Errores, AppError> {
    match e {
        AppError::Invalid(v) => {
            let mut m = HashMap::new();
            for x in v {
                m.entry(x.path).or_insert(x.message);
            }
            Ok(m)
        }
        otro => Err(otro),
    }
}

/// A date filter of a list (`?desde=`): none when empty, 422 naming the field when it is not a date.
pub fn fecha_filtro(campo: &str, v: &str) -> Result<Option<NaiveDate>, AppError> {
    (!v.is_empty())
        .then(|| {
            v.parse::<NaiveDate>()
                .map_err(|_| AppError::invalid(campo, format!("'{v}' no es una fecha (dd/mm/aaaa)")))
        })
        .transpose()
}

pub fn leer_fecha(campo: &str, v: &str, errores: &mut Errores) -> Option<NaiveDate> {
    match v.parse() {
        Ok(d) => Some(d),
        Err(_) => {
            errores.insert(campo.into(), "escriba la fecha (dd/mm/aaaa)".into());
            None
        }
    }
}

pub fn leer_valor(campo: &str, v: &str, errores: &mut Errores) -> Option<Decimal> {
    let d = leer_pesos(v);
    if d.is_none() {
        errores.insert(
            campo.into(),
            format!("'{v}' no es un valor en pesos; escríbalo como 150.000 o 150.000,50"),
        );
    }
    d
}

/// 422 when the form comes back with errors, 200 when it comes back to be reviewed.
pub fn estado(errores: &Errores) -> actix_web::http::StatusCode {
    if errores.is_empty() {
        actix_web::http::StatusCode::OK
    } else {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    }
}
