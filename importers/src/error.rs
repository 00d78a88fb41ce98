//! Errors that say where: the file, the row/line/XPath, the column or field, and what was
//! expected — so a billing clerk can open the file and fix it.

use std::fmt;

/// Where in a file a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ubicacion {
    /// The file as a whole (wrong format, unreadable...).
    Archivo,
    /// A line of a text file (1-based).
    Linea(usize),
    /// A row of a spreadsheet as the spreadsheet numbers it (1-based).
    Fila(usize),
    /// An element of an XML document, as a path (`/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount`).
    XPath(String),
    /// A JSON path (`usuarios[3].servicios.consultas[0].vrServicio`).
    Json(String),
}

/// One problem found in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub archivo: String,
    pub ubicacion: Ubicacion,
    /// The column or field, when the problem is in one.
    pub campo: Option<String>,
    pub mensaje: String,
}

impl ImportError {
    pub fn new(archivo: &str, ubicacion: Ubicacion, campo: Option<&str>, mensaje: impl Into<String>) -> ImportError {
        ImportError {
            archivo: archivo.to_string(),
            ubicacion,
            campo: campo.map(str::to_string),
            mensaje: mensaje.into(),
        }
    }

    /// The row or line number, when there is one (for problem+json `row`/`line`).
    pub fn numero(&self) -> Option<usize> {
        match self.ubicacion {
            Ubicacion::Linea(n) | Ubicacion::Fila(n) => Some(n),
            _ => None,
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.archivo)?;
        match &self.ubicacion {
            Ubicacion::Archivo => {}
            Ubicacion::Linea(n) => write!(f, ", línea {n}")?,
            Ubicacion::Fila(n) => write!(f, ", fila {n}")?,
            Ubicacion::XPath(p) => write!(f, ", {p}")?,
            Ubicacion::Json(p) => write!(f, ", {p}")?,
        }
        if let Some(c) = &self.campo {
            write!(f, ", {c}")?;
        }
        write!(f, ": {}", self.mensaje)
    }
}

impl std::error::Error for ImportError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_reads_as_a_sentence_with_its_place() {
        let e = ImportError::new(
            "glosas.xlsx",
            Ubicacion::Fila(14),
            Some("valor"),
            "se espera un valor en pesos",
        );
        assert_eq!(
            e.to_string(),
            "glosas.xlsx, fila 14, valor: se espera un valor en pesos"
        );
        assert_eq!(e.numero(), Some(14));
    }
}
