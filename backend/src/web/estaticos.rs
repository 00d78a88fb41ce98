//! The application's static files (`backend/static/`), embedded in the binary and served under
//! a path with their content's hash, so a browser keeps each for a year and a new version is a
//! new path.
//!
//! `htmx-2.0.11.min.js` is htmx 2.0.11 (`dist/htmx.min.js` of the npm package
//! `htmx.org@2.0.11`, Zero-Clause BSD licence), vendored: nothing is fetched at build or run
//! time. `trazo.css` and `trazo.js` are Trazo's own.

use std::collections::HashMap;
use std::sync::OnceLock;

use actix_web::http::header;
use actix_web::{get, web, HttpResponse};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "static/"]
struct Archivos;

/// Each file's path with its hash: `/estaticos/<12 hex>/<name>`.
fn rutas() -> &'static HashMap<String, String> {
    static RUTAS: OnceLock<HashMap<String, String>> = OnceLock::new();
    RUTAS.get_or_init(|| {
        Archivos::iter()
            .filter_map(|n| {
                let a = Archivos::get(&n)?;
                let hash: String = a.metadata.sha256_hash()[..6]
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect();
                Some((n.to_string(), format!("/estaticos/{hash}/{n}")))
            })
            .collect()
    })
}

/// The path to serve file `nombre` at (an unknown name is a programming error: a path that
/// answers 404, caught by the browser tests).
pub fn ruta(nombre: &str) -> &'static str {
    rutas().get(nombre).map_or("/estaticos/no-existe", String::as_str)
}

#[get("/estaticos/{hash}/{nombre}")]
pub async fn servir(p: web::Path<(String, String)>) -> HttpResponse {
    let (hash, nombre) = p.into_inner();
    let vigente = rutas()
        .get(&nombre)
        .is_some_and(|r| r.ends_with(&format!("/{hash}/{nombre}")));
    match Archivos::get(&nombre).filter(|_| vigente) {
        Some(a) => {
            let tipo = match nombre.rsplit('.').next() {
                Some("css") => "text/css; charset=utf-8",
                Some("js") => "text/javascript; charset=utf-8",
                Some("svg") => "image/svg+xml",
                Some("png") => "image/png",
                _ => "application/octet-stream",
            };
            HttpResponse::Ok()
                .content_type(tipo)
                .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
                .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
                .body(a.data.into_owned())
        }
        None => HttpResponse::NotFound().finish(),
    }
}
