//! Mapping profiles: which header names each field may have in a payer's sheet.
//!
//! A profile is a TOML file under `config/payers/`:
//!
//! ```toml
//! nombre = "Nueva EPS"
//! [glosas]
//! numero_factura = ["No. Factura", "Factura"]
//! codigo = ["Código glosa"]
//! ...
//! [pagos]
//! numero_factura = ["Factura"]
//! ...
//! [estados_cuenta]
//! numero_factura = ["Factura"]
//! saldo = ["Saldo"]
//! ```
//!
//! Any section may be left out (a payer may only send glosas); a section that is present must
//! name every required field of its kind. Header names are compared after [`normalizar`], so
//! `"N° Factura"`, `"n factura"` and `"NFACTURA"` are the same header.

use std::collections::HashMap;

use crate::error::{ImportError, Ubicacion};

/// The fields of a glosa row: (name, required). `fecha_recepcion` is optional: without the column
/// it takes the value of `fecha_formulacion`.
pub(crate) const CAMPOS_GLOSAS: &[(&str, bool)] = &[
    ("numero_factura", true),
    ("codigo", true),
    ("valor", true),
    ("fecha_formulacion", true),
    ("fecha_recepcion", false),
    ("item", false),
    ("observacion", false),
];

/// The fields of a row of a payer's statement of account: its view of each invoice.
pub(crate) const CAMPOS_ESTADOS: &[(&str, bool)] = &[
    ("numero_factura", true),
    ("saldo", true),
    ("valor_factura", false),
    ("valor_glosado", false),
    ("valor_pagado", false),
];

/// The fields of a payment row: (name, required).
pub(crate) const CAMPOS_PAGOS: &[(&str, bool)] = &[
    ("numero_factura", true),
    ("valor", true),
    ("fecha", true),
    ("referencia", false),
];

/// Which columns of a payer's sheet hold each field: for each field the header names it may have
/// (compared case-, accent- and space-insensitively; see [`normalizar`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Perfil {
    pub nombre: String,
    pub glosas: HashMap<String, Vec<String>>,
    pub pagos: HashMap<String, Vec<String>>,
    /// Statements of account (`[estados_cuenta]`), for the reconciliation of cartera.
    pub estados_cuenta: HashMap<String, Vec<String>>,
}

/// The built-in generic profile: headers are exactly the field names.
const GENERICO: &str = include_str!("../../../config/payers/generico.toml");

impl Perfil {
    /// Reads a profile from the text of its TOML file; `archivo` names the file in errors.
    pub fn parse(texto_toml: &str, archivo: &str) -> Result<Perfil, ImportError> {
        let tabla: toml::Table = texto_toml.parse().map_err(|e: toml::de::Error| {
            let ubicacion = match e.span() {
                Some(span) => Ubicacion::Linea(linea_de(texto_toml, span.start)),
                None => Ubicacion::Archivo,
            };
            ImportError::new(
                archivo,
                ubicacion,
                None,
                format!("el perfil no es TOML válido: {}", e.message()),
            )
        })?;
        let error = |clave: &str, mensaje: String| ImportError::new(archivo, Ubicacion::Archivo, Some(clave), mensaje);

        let nombre = match tabla.get("nombre") {
            Some(toml::Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
            Some(_) => {
                return Err(error(
                    "nombre",
                    "se espera el nombre del perfil como texto no vacío".into(),
                ))
            }
            None => return Err(error("nombre", "falta el nombre del perfil (nombre = \"...\")".into())),
        };
        for clave in tabla.keys() {
            if !matches!(clave.as_str(), "nombre" | "glosas" | "pagos" | "estados_cuenta") {
                return Err(error(
                    clave,
                    format!(
                        "clave desconocida «{clave}»; un perfil tiene nombre, [glosas], [pagos] y [estados_cuenta]"
                    ),
                ));
            }
        }
        let glosas = seccion(&tabla, "glosas", CAMPOS_GLOSAS, &error)?;
        let pagos = seccion(&tabla, "pagos", CAMPOS_PAGOS, &error)?;
        let estados_cuenta = seccion(&tabla, "estados_cuenta", CAMPOS_ESTADOS, &error)?;
        if glosas.is_empty() && pagos.is_empty() && estados_cuenta.is_empty() {
            return Err(error(
                "glosas",
                "el perfil no define columnas: se espera una sección [glosas], [pagos] o [estados_cuenta]".into(),
            ));
        }
        Ok(Perfil {
            nombre,
            glosas,
            pagos,
            estados_cuenta,
        })
    }

    /// The built-in profile whose headers are exactly the field names (`numero_factura`, `codigo`,
    /// `valor`, ...), from `config/payers/generico.toml`.
    pub fn generico() -> Perfil {
        // The file is part of the build and covered by a test; failing here is a build defect.
        Perfil::parse(GENERICO, "config/payers/generico.toml").expect("config/payers/generico.toml es un perfil válido")
    }
}

/// Reads one section (`glosas` or `pagos`); an absent section gives an empty map.
fn seccion(
    tabla: &toml::Table,
    nombre: &str,
    campos: &[(&str, bool)],
    error: &dyn Fn(&str, String) -> ImportError,
) -> Result<HashMap<String, Vec<String>>, ImportError> {
    let Some(valor) = tabla.get(nombre) else {
        return Ok(HashMap::new());
    };
    let Some(seccion) = valor.as_table() else {
        return Err(error(
            nombre,
            format!("se espera una sección [{nombre}] con la lista de encabezados de cada campo"),
        ));
    };
    let mut mapa = HashMap::new();
    // Normalized header → the field that claims it, to refuse one header for two fields.
    let mut duenos: HashMap<String, String> = HashMap::new();
    for (campo, valor) in seccion {
        let clave = format!("{nombre}.{campo}");
        if !campos.iter().any(|(c, _)| c == campo) {
            let validos: Vec<&str> = campos.iter().map(|(c, _)| *c).collect();
            return Err(error(
                &clave,
                format!(
                    "campo desconocido «{campo}»; los campos de {nombre} son: {}",
                    validos.join(", ")
                ),
            ));
        }
        let encabezados: Vec<String> = match valor {
            toml::Value::String(s) => vec![s.clone()],
            toml::Value::Array(lista) => {
                let mut v = Vec::with_capacity(lista.len());
                for item in lista {
                    match item.as_str() {
                        Some(s) => v.push(s.to_string()),
                        None => return Err(error(&clave, "se espera una lista de encabezados de texto".into())),
                    }
                }
                v
            }
            _ => return Err(error(&clave, "se espera una lista de encabezados de texto".into())),
        };
        if encabezados.is_empty() {
            return Err(error(&clave, "la lista de encabezados está vacía".into()));
        }
        for e in &encabezados {
            let n = normalizar(e);
            if n.is_empty() {
                return Err(error(&clave, format!("el encabezado «{e}» no tiene letras ni números")));
            }
            if let Some(otro) = duenos.get(&n) {
                if otro != campo {
                    return Err(error(
                        &clave,
                        format!("el encabezado «{e}» ya está asignado a {nombre}.{otro}; cada encabezado debe identificar un solo campo"),
                    ));
                }
            }
            duenos.insert(n, campo.clone());
        }
        mapa.insert(campo.clone(), encabezados);
    }
    for (campo, requerido) in campos {
        if *requerido && !mapa.contains_key(*campo) {
            return Err(error(
                &format!("{nombre}.{campo}"),
                format!("falta la lista de encabezados del campo obligatorio {campo}"),
            ));
        }
    }
    Ok(mapa)
}

/// 1-based line of a byte offset.
fn linea_de(texto: &str, offset: usize) -> usize {
    texto.as_bytes().iter().take(offset).filter(|&&b| b == b'\n').count() + 1
}

/// A header as compared: lowercase ASCII letters and digits only, accents removed (`"N° Factura"`
/// → `"nfactura"`, `"Código  Glosa"` → `"codigoglosa"`, `"numero_factura"` → `"numerofactura"`).
pub fn normalizar(texto: &str) -> String {
    normalizados(texto).collect()
}

/// The base letter of an accented Latin letter as used in Spanish (and a few neighbours).
fn sin_tilde(c: char) -> char {
    match c {
        'á' | 'à' | 'ä' | 'â' | 'ã' | 'Á' | 'À' | 'Ä' | 'Â' | 'Ã' => 'a',
        'é' | 'è' | 'ë' | 'ê' | 'É' | 'È' | 'Ë' | 'Ê' => 'e',
        'í' | 'ì' | 'ï' | 'î' | 'Í' | 'Ì' | 'Ï' | 'Î' => 'i',
        'ó' | 'ò' | 'ö' | 'ô' | 'õ' | 'Ó' | 'Ò' | 'Ö' | 'Ô' | 'Õ' => 'o',
        'ú' | 'ù' | 'ü' | 'û' | 'Ú' | 'Ù' | 'Ü' | 'Û' => 'u',
        'ñ' | 'Ñ' => 'n',
        'ç' | 'Ç' => 'c',
        otro => otro,
    }
}

/// The normalized letters and digits of a text, without allocating.
fn normalizados(texto: &str) -> impl Iterator<Item = char> + '_ {
    texto
        .chars()
        .map(sin_tilde)
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
}

/// Whether `normalizar(texto) == normalizado`, without allocating.
pub(crate) fn igual_normalizado(texto: &str, normalizado: &str) -> bool {
    normalizados(texto).eq(normalizado.chars())
}

/// Whether `normalizar(texto)` starts with `prefijo` (already normalized), without allocating.
pub(crate) fn comienza_con(texto: &str, prefijo: &str) -> bool {
    let mut letras = normalizados(texto);
    prefijo.chars().all(|p| letras.next() == Some(p))
}
