//! Reading a multipart form with a file (Importar, a payer's statement of account): the text
//! fields kept up to a small size, the file up to `importaciones.max_bytes`.

use actix_multipart::Field;
use futures_util::StreamExt;

use super::formato::tamano;
use super::{ErrorWeb, Marco, Usuario};
use crate::app::AppError;

/// The largest text field of a form that is kept (a CSRF token, a type, a date, a profile).
const CAMPO_MAXIMO: usize = 4096;

/// How much of a file bigger than the limit is read past it and dropped, at least, so that the
/// browser gets the form back (one answered mid-upload shows a broken connection).
const DRENAJE: usize = 64 * 1024 * 1024;

/// The uploaded file.
pub struct Archivo {
    pub nombre: String,
    pub bytes: Vec<u8>,
    /// Bigger than the server takes: its bytes were read and dropped.
    pub demasiado: bool,
}

pub fn ilegible(e: impl std::fmt::Display) -> ErrorWeb {
    ErrorWeb::App(AppError::invalid(
        "(formulario)",
        format!("no se pudo leer el formulario enviado: {e}"),
    ))
}

/// A text field, trimmed; what is past [`CAMPO_MAXIMO`] is dropped.
pub async fn texto(campo: &mut Field) -> Result<String, ErrorWeb> {
    let mut v = Vec::new();
    while let Some(trozo) = campo.next().await {
        let trozo = trozo.map_err(ilegible)?;
        if v.len() + trozo.len() <= CAMPO_MAXIMO {
            v.extend_from_slice(&trozo);
        }
    }
    Ok(String::from_utf8_lossy(&v).trim().to_string())
}

/// The file field: kept up to `maximo` bytes; past it, read on and dropped (marked
/// `demasiado`), and refused outright once far past it.
pub async fn archivo(campo: &mut Field, maximo: usize, u: &Usuario) -> Result<Archivo, ErrorWeb> {
    let mut a = Archivo {
        nombre: campo
            .content_disposition()
            .and_then(|c| c.get_filename())
            .unwrap_or_default()
            .to_string(),
        bytes: Vec::new(),
        demasiado: false,
    };
    let mut leidos = 0usize;
    while let Some(trozo) = campo.next().await {
        let trozo = trozo.map_err(ilegible)?;
        leidos += trozo.len();
        if a.demasiado {
            if leidos > maximo.saturating_mul(2).max(maximo.saturating_add(DRENAJE)) {
                return Err(Marco::fallo(u)(AppError::Excedido(format!(
                    "«{}» pesa más de {}, el máximo que recibe este servidor",
                    a.nombre,
                    tamano(maximo)
                ))));
            }
        } else if leidos > maximo {
            a.demasiado = true;
            a.bytes = Vec::new();
        } else {
            a.bytes.extend_from_slice(&trozo);
        }
    }
    Ok(a)
}
