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

/// The fields of a glosa row: (name, required) — every field of a glosa registered through the
/// API (`POST /facturas/{id}/glosas`). `fecha_recepcion` is optional: without the column it takes
/// the value of `fecha_formulacion`; `hecho_nuevo` (Res. 2284/2023, Ley 1438/2011 art. 57: a glosa
/// after the first formulation, on a new fact) is no when absent.
pub(crate) const CAMPOS_GLOSAS: &[(&str, bool)] = &[
    ("numero_factura", true),
    ("codigo", true),
    ("valor", true),
    ("fecha_formulacion", true),
    ("fecha_recepcion", false),
    ("item", false),
    ("observacion", false),
    ("hecho_nuevo", false),
];

/// The fields of a row of a payer's statement of account: its view of each invoice.
pub(crate) const CAMPOS_ESTADOS: &[(&str, bool)] = &[
    ("numero_factura", true),
    ("saldo", true),
    ("valor_factura", false),
    ("valor_glosado", false),
    ("valor_pagado", false),
];

/// The fields of a payment row: (name, required) — every field of a payment registered through
/// the API (`POST /pagos`): the invoice and `valor` are its application, `nit_pagador` names the
/// payer (otherwise the invoice's), `valor_pago` is the whole transfer when the sheet applies
/// only part of it (otherwise the sum of its rows), `medio` is transferencia when absent.
pub(crate) const CAMPOS_PAGOS: &[(&str, bool)] = &[
    ("numero_factura", true),
    ("valor", true),
    ("fecha", true),
    ("referencia", false),
    ("medio", false),
    ("nit_pagador", false),
    ("valor_pago", false),
];

/// Most fields of any kind of row.
pub(crate) const MAX_CAMPOS: usize = 8;

/// Which columns of a payer's sheet hold each field: for each field the header names it may have
/// (compared case-, accent- and space-insensitively; see [`normalizar`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Perfil {
    pub nombre: String,
    pub glosas: HashMap<String, Vec<String>>,
    pub pagos: HashMap<String, Vec<String>>,
    /// Statements of account (`[estados_cuenta]`), for the reconciliation of cartera.
    pub estados_cuenta: HashMap<String, Vec<String>>,
    /// `pagado_por_nit`: the NIT of the third party that made every payment of this layout on
    /// the debtors' behalf (ADRES giro directo); each row's debtor is then its `nit_pagador`
    /// (or its invoice's payer).
    pub pagado_por_nit: Option<String>,
}

/// The built-in generic profile: headers are exactly the field names.
const GENERICO: &str = include_str!("../../../config/payers/generico.toml");

impl Perfil {
    /// Reads a profile from the text of its TOML file; `archivo` names the file in errors. The
    /// first problem; [`Perfil::leer`] gives all of them.
    pub fn parse(texto_toml: &str, archivo: &str) -> Result<Perfil, ImportError> {
        Perfil::leer(texto_toml, archivo).map_err(|mut v| v.swap_remove(0))
    }

    /// Reads a profile from the text of its TOML file, or gives every problem of it (a
    /// deployment editing a payer's profile fixes them all in one go).
    pub fn leer(texto_toml: &str, archivo: &str) -> Result<Perfil, Vec<ImportError>> {
        let tabla: toml::Table = texto_toml.parse().map_err(|e: toml::de::Error| {
            let ubicacion = match e.span() {
                Some(span) => Ubicacion::Linea(linea_de(texto_toml, span.start)),
                None => Ubicacion::Archivo,
            };
            vec![ImportError::new(
                archivo,
                ubicacion,
                None,
                format!("el perfil no es TOML válido: {}", e.message()),
            )]
        })?;
        let mut errores = Vec::new();
        let error = |clave: &str, mensaje: String| ImportError::new(archivo, Ubicacion::Archivo, Some(clave), mensaje);

        let nombre = match tabla.get("nombre") {
            Some(toml::Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
            Some(_) => {
                errores.push(error(
                    "nombre",
                    "se espera el nombre del perfil como texto no vacío".into(),
                ));
                String::new()
            }
            None => {
                errores.push(error("nombre", "falta el nombre del perfil (nombre = \"...\")".into()));
                String::new()
            }
        };
        for clave in tabla.keys() {
            if !matches!(
                clave.as_str(),
                "nombre" | "pagado_por_nit" | "glosas" | "pagos" | "estados_cuenta"
            ) {
                errores.push(error(
                    clave,
                    format!(
                        "clave desconocida «{clave}»; un perfil tiene nombre, pagado_por_nit, [glosas], [pagos] y \
                         [estados_cuenta]"
                    ),
                ));
            }
        }
        let pagado_por_nit = match tabla.get("pagado_por_nit") {
            None => None,
            Some(toml::Value::String(s)) if s.trim().chars().any(|c| c.is_ascii_digit()) => Some(s.trim().to_string()),
            Some(_) => {
                errores.push(error(
                    "pagado_por_nit",
                    "se espera el NIT de quien paga por los pagadores (p. ej. \"901037916\" de ADRES) como texto"
                        .into(),
                ));
                None
            }
        };
        let glosas = seccion(&tabla, "glosas", CAMPOS_GLOSAS, &error, &mut errores);
        let pagos = seccion(&tabla, "pagos", CAMPOS_PAGOS, &error, &mut errores);
        let estados_cuenta = seccion(&tabla, "estados_cuenta", CAMPOS_ESTADOS, &error, &mut errores);
        if !["glosas", "pagos", "estados_cuenta"]
            .iter()
            .any(|s| tabla.contains_key(*s))
        {
            errores.push(error(
                "glosas",
                "el perfil no define columnas: se espera una sección [glosas], [pagos] o [estados_cuenta]".into(),
            ));
        }
        if !errores.is_empty() {
            return Err(errores);
        }
        Ok(Perfil {
            nombre,
            glosas,
            pagos,
            estados_cuenta,
            pagado_por_nit,
        })
    }

    /// The built-in profile whose headers are exactly the field names (`numero_factura`, `codigo`,
    /// `valor`, ...), from `config/payers/generico.toml`.
    pub fn generico() -> Perfil {
        // The file is part of the build and covered by a test; failing here is a build defect.
        Perfil::parse(GENERICO, "config/payers/generico.toml").expect("config/payers/generico.toml es un perfil válido")
    }
}

/// Reads one section (`glosas` or `pagos`), adding its problems to `errores`; an absent section
/// gives an empty map.
fn seccion(
    tabla: &toml::Table,
    nombre: &str,
    campos: &[(&str, bool)],
    error: &dyn Fn(&str, String) -> ImportError,
    errores: &mut Vec<ImportError>,
) -> HashMap<String, Vec<String>> {
    let mut mapa = HashMap::new();
    let Some(valor) = tabla.get(nombre) else {
        return mapa;
    };
    let Some(seccion) = valor.as_table() else {
        errores.push(error(
            nombre,
            format!("se espera una sección [{nombre}] con la lista de encabezados de cada campo"),
        ));
        return mapa;
    };
    // Normalized header → the field that claims it, to refuse one header for two fields.
    let mut duenos: HashMap<String, String> = HashMap::new();
    for (campo, valor) in seccion {
        let clave = format!("{nombre}.{campo}");
        if !campos.iter().any(|(c, _)| c == campo) {
            let validos: Vec<&str> = campos.iter().map(|(c, _)| *c).collect();
            errores.push(error(
                &clave,
                format!(
                    "campo desconocido «{campo}»; los campos de {nombre} son: {}",
                    validos.join(", ")
                ),
            ));
            continue;
        }
        let encabezados: Vec<String> = match valor {
            toml::Value::String(s) => vec![s.clone()],
            toml::Value::Array(lista) if lista.iter().all(toml::Value::is_str) => {
                lista.iter().filter_map(|i| i.as_str().map(str::to_string)).collect()
            }
            _ => {
                errores.push(error(&clave, "se espera una lista de encabezados de texto".into()));
                continue;
            }
        };
        if encabezados.is_empty() {
            errores.push(error(&clave, "la lista de encabezados está vacía".into()));
            continue;
        }
        for e in &encabezados {
            let n = normalizar(e);
            if n.is_empty() {
                errores.push(error(&clave, format!("el encabezado «{e}» no tiene letras ni números")));
                continue;
            }
            if let Some(otro) = duenos.get(&n) {
                if otro != campo {
                    errores.push(error(
                        &clave,
                        format!("el encabezado «{e}» ya está asignado a {nombre}.{otro}; cada encabezado debe identificar un solo campo"),
                    ));
                    continue;
                }
            }
            duenos.insert(n, campo.clone());
        }
        mapa.insert(campo.clone(), encabezados);
    }
    for (campo, requerido) in campos {
        if *requerido && !mapa.contains_key(*campo) && !seccion.contains_key(*campo) {
            errores.push(error(
                &format!("{nombre}.{campo}"),
                format!("falta la lista de encabezados del campo obligatorio {campo}"),
            ));
        }
    }
    mapa
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
