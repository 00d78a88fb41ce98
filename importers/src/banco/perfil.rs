//! Bank profiles: which columns of a bank's export hold each field, and how it writes amounts.
//!
//! A profile is a TOML file under `config/bancos/`:
//!
//! ```toml
//! nombre = "Bancolombia"
//! banco = "Bancolombia"
//! formato_valor = "1.234.567,89"     # or "1234567.89"
//! [columnas]
//! fecha = ["FECHA"]
//! valor = ["VALOR"]                  # one signed column (debits negative), or:
//! credito = ["CRÉDITOS"]             # credits and debits in two columns
//! debito = ["DÉBITOS"]
//! referencia = ["REFERENCIA"]
//! descripcion = ["DESCRIPCIÓN"]
//! nit = ["NIT ORIGINADOR"]
//! nombre_tercero = ["NOMBRE ORIGINADOR"]
//! fecha_valor = ["FECHA VALOR"]
//! ```
//!
//! Header names are compared like the payers' profiles (case, accents and spaces ignored).

use std::collections::HashMap;

use crate::error::{ImportError, Ubicacion};
use crate::sheets::normalizar;

/// How a bank writes amounts in its export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormatoValor {
    /// `1.234.567,89`: point groups thousands, comma before the centavos.
    PuntoMiles,
    /// `1234567.89` (or `1,234,567.89`): point before the centavos.
    PuntoDecimal,
}

impl FormatoValor {
    pub fn ejemplo(self) -> &'static str {
        match self {
            FormatoValor::PuntoMiles => "1.234.567,89",
            FormatoValor::PuntoDecimal => "1234567.89",
        }
    }
}

/// The fields of a statement row: (name, required). Either `valor` or `credito` must be mapped
/// (checked when the profile is read).
pub(crate) const CAMPOS: &[(&str, bool)] = &[
    ("fecha", true),
    ("valor", false),
    ("credito", false),
    ("debito", false),
    ("referencia", false),
    ("descripcion", false),
    ("nit", false),
    ("nombre_tercero", false),
    ("fecha_valor", false),
];

pub(crate) const C_FECHA: usize = 0;
pub(crate) const C_VALOR: usize = 1;
pub(crate) const C_CREDITO: usize = 2;
pub(crate) const C_DEBITO: usize = 3;
pub(crate) const C_REFERENCIA: usize = 4;
pub(crate) const C_DESCRIPCION: usize = 5;
pub(crate) const C_NIT: usize = 6;
pub(crate) const C_NOMBRE: usize = 7;
pub(crate) const C_FECHA_VALOR: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PerfilBanco {
    /// How `?perfil=` names it (its file's name).
    pub nombre: String,
    /// The bank, as shown to people.
    pub banco: String,
    pub formato_valor: FormatoValor,
    pub columnas: HashMap<String, Vec<String>>,
}

impl PerfilBanco {
    /// Reads a profile from its TOML text, or gives every problem of it.
    pub fn leer(texto_toml: &str, archivo: &str) -> Result<PerfilBanco, Vec<ImportError>> {
        let tabla: toml::Table = texto_toml.parse().map_err(|e: toml::de::Error| {
            vec![ImportError::new(
                archivo,
                Ubicacion::Archivo,
                None,
                format!("el perfil de banco no es TOML válido: {}", e.message()),
            )]
        })?;
        let mut errores = Vec::new();
        let error = |clave: &str, m: String| ImportError::new(archivo, Ubicacion::Archivo, Some(clave), m);
        let texto = |clave: &str, errores: &mut Vec<ImportError>| match tabla.get(clave) {
            Some(toml::Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
            _ => {
                errores.push(error(clave, format!("falta {clave} = \"...\" (texto no vacío)")));
                String::new()
            }
        };
        let nombre = texto("nombre", &mut errores);
        let banco = texto("banco", &mut errores);
        let formato_valor = match tabla.get("formato_valor").and_then(toml::Value::as_str) {
            Some("1.234.567,89") => FormatoValor::PuntoMiles,
            Some("1234567.89") => FormatoValor::PuntoDecimal,
            _ => {
                errores.push(error(
                    "formato_valor",
                    "se espera formato_valor = \"1.234.567,89\" o \"1234567.89\": cómo escribe el banco los valores"
                        .into(),
                ));
                FormatoValor::PuntoMiles
            }
        };
        for clave in tabla.keys() {
            if !matches!(clave.as_str(), "nombre" | "banco" | "formato_valor" | "columnas") {
                errores.push(error(
                    clave,
                    format!("clave desconocida «{clave}»; un perfil de banco tiene nombre, banco, formato_valor y [columnas]"),
                ));
            }
        }
        let mut columnas = HashMap::new();
        match tabla.get("columnas").and_then(toml::Value::as_table) {
            None => errores.push(error(
                "columnas",
                "falta la sección [columnas] con los encabezados de cada campo".into(),
            )),
            Some(t) => {
                let mut duenos: HashMap<String, String> = HashMap::new();
                for (campo, v) in t {
                    let clave = format!("columnas.{campo}");
                    if !CAMPOS.iter().any(|(c, _)| c == campo) {
                        let validos: Vec<&str> = CAMPOS.iter().map(|(c, _)| *c).collect();
                        errores.push(error(
                            &clave,
                            format!("campo desconocido «{campo}»; los campos son: {}", validos.join(", ")),
                        ));
                        continue;
                    }
                    let lista: Vec<String> = match v {
                        toml::Value::String(s) => vec![s.clone()],
                        toml::Value::Array(a) if !a.is_empty() && a.iter().all(toml::Value::is_str) => {
                            a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect()
                        }
                        _ => {
                            errores.push(error(&clave, "se espera una lista de encabezados de texto".into()));
                            continue;
                        }
                    };
                    for e in &lista {
                        let n = normalizar(e);
                        if n.is_empty() {
                            errores.push(error(&clave, format!("el encabezado «{e}» no tiene letras ni números")));
                        } else if let Some(otro) = duenos.insert(n, campo.clone()).filter(|o| o != campo) {
                            errores.push(error(
                                &clave,
                                format!("el encabezado «{e}» ya está asignado a columnas.{otro}"),
                            ));
                        }
                    }
                    columnas.insert(campo.clone(), lista);
                }
                if !columnas.contains_key("fecha") {
                    errores.push(error("columnas.fecha", "falta la columna de la fecha".into()));
                }
                match (columnas.contains_key("valor"), columnas.contains_key("credito")) {
                    (false, false) => errores.push(error(
                        "columnas.valor",
                        "se espera la columna valor (con signo) o la columna credito (y debito)".into(),
                    )),
                    (true, true) => errores.push(error(
                        "columnas.valor",
                        "valor (con signo) y credito/debito son dos formas de leer el valor: use una".into(),
                    )),
                    _ => {}
                }
                if columnas.contains_key("debito") && !columnas.contains_key("credito") {
                    errores.push(error("columnas.debito", "debito va con la columna credito".into()));
                }
            }
        }
        if !errores.is_empty() {
            return Err(errores);
        }
        Ok(PerfilBanco {
            nombre,
            banco,
            formato_valor,
            columnas,
        })
    }
}
