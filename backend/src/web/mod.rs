//! The web application: server-rendered pages in Spanish at `/`, beside the API at `/api/v1`.
//!
//! A page handler parses a form or query, calls the same `app::*` use case as the API (no rule,
//! query or permission is written twice) and renders a template (`backend/templates/`). Pages
//! are signed in with a server-side session ([`sesion`]); every state-changing request carries
//! the session's CSRF token and must come from this site. Every page is sent with a strict
//! Content-Security-Policy and `Cache-Control: no-store` (they show patients' invoices).

pub mod actas;
pub mod administracion;
pub mod asientos;
pub mod auditoria;
pub mod bancos;
pub mod bandeja;
pub mod cartera;
pub mod conciliacion;
pub mod correcciones;
pub mod devoluciones;
pub mod estaticos;
pub mod facturar;
pub mod facturas;
pub mod formato;
pub mod formulario;
pub mod glosas;
pub mod importar;
pub mod pagador;
pub mod pagos;
pub mod paquetes;
pub mod portal;
pub mod radicacion;
pub mod recordatorio;
pub mod sesion;
pub mod soportes;
pub mod subida;

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use askama::Template;

use crate::app::AppError;
use crate::domain::rol::Rol;
pub use sesion::Usuario;

/// What the web application takes from the configuration.
#[derive(Debug, Clone)]
pub struct Ajustes {
    pub sesion: chrono::Duration,
    pub cookie_segura: bool,
}

/// The pages' Content-Security-Policy: scripts and styles from this site only, no inline
/// code, no framing, forms posted here only.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                       connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Registers the pages and their static files.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(estaticos::servir)
        .route("/", web::get().to(inicio))
        .configure(sesion::rutas)
        .configure(bandeja::rutas)
        .configure(radicacion::rutas)
        .configure(facturar::rutas)
        .configure(facturas::rutas)
        .configure(glosas::rutas)
        .configure(devoluciones::rutas)
        .configure(correcciones::rutas)
        .configure(importar::rutas)
        .configure(cartera::rutas)
        .configure(asientos::rutas)
        .configure(pagador::rutas)
        .configure(actas::rutas)
        .configure(soportes::rutas)
        .configure(paquetes::rutas)
        .configure(pagos::rutas)
        .configure(bancos::rutas)
        .configure(portal::rutas)
        .configure(administracion::rutas)
        .configure(auditoria::rutas);
}

/// `/`: a visitor signed in goes to the work queue; one who is not, to sign in (the extractor
/// sends them).
async fn inicio(_u: Usuario) -> HttpResponse {
    ver_otra("/bandeja")
}

/// A link of the navigation.
#[derive(Debug, Clone, Copy)]
pub struct Enlace {
    pub ruta: &'static str,
    pub texto: &'static str,
    pub actual: bool,
}

/// What every page's frame shows: the title, who is signed in, the navigation their role
/// opens, the message of the last action, and the session's CSRF token for forms.
#[derive(Debug)]
pub struct Marco {
    pub titulo: String,
    pub nombre: String,
    pub email: String,
    pub rol: &'static str,
    pub csrf: String,
    pub nav: Vec<Enlace>,
    pub aviso: Option<String>,
    pub css: &'static str,
    pub js: &'static str,
    pub htmx: &'static str,
}

impl Marco {
    /// What goes wrong on a page of `u` is shown inside their frame.
    pub fn fallo(u: &Usuario) -> impl Fn(AppError) -> ErrorWeb + '_ {
        move |e| ErrorWeb::EnMarco(Box::new(Marco::de(u, "", "")), e)
    }

    pub fn de(u: &Usuario, titulo: impl Into<String>, actual: &str) -> Marco {
        let rol = u.sesion.actor.rol;
        let nav = NAVEGACION
            .iter()
            .filter(|(_, _, roles)| roles.contains(&rol))
            .map(|(ruta, texto, _)| Enlace {
                ruta,
                texto,
                actual: *ruta == actual,
            })
            .collect();
        Marco {
            titulo: titulo.into(),
            nombre: u.sesion.nombre.clone(),
            email: u.sesion.email.clone(),
            rol: nombre_rol(rol),
            csrf: u.sesion.csrf.clone(),
            nav,
            aviso: u.aviso.clone(),
            css: estaticos::ruta("trazo.css"),
            js: estaticos::ruta("trazo.js"),
            htmx: estaticos::ruta("htmx-2.0.11.min.js"),
        }
    }

    /// The frame of a page seen before signing in.
    pub fn publico(titulo: impl Into<String>) -> Marco {
        Marco {
            titulo: titulo.into(),
            nombre: String::new(),
            email: String::new(),
            rol: "",
            csrf: String::new(),
            nav: Vec::new(),
            aviso: None,
            css: estaticos::ruta("trazo.css"),
            js: estaticos::ruta("trazo.js"),
            htmx: estaticos::ruta("htmx-2.0.11.min.js"),
        }
    }
}

/// Every role of the prestador's own staff (a payer's user sees only its window).
const DEL_PRESTADOR: &[Rol] = &[Rol::Admin, Rol::Facturacion, Rol::Cartera, Rol::Finanzas, Rol::Auditor];

/// The screens, and who sees each in the navigation.
const NAVEGACION: &[(&str, &str, &[Rol])] = &[
    ("/bandeja", "Mi bandeja", DEL_PRESTADOR),
    ("/facturas", "Facturas", DEL_PRESTADOR),
    (
        "/importar",
        "Importar",
        &[Rol::Facturacion, Rol::Cartera, Rol::Finanzas],
    ),
    ("/cartera", "Cartera", crate::app::cartera::LECTORES),
    ("/pagos", "Pagos", crate::app::pagos::REGISTRAN),
    ("/bancos", "Bancos", crate::app::bancos::LEEN),
    ("/auditoria", "Auditoría", &[Rol::Auditor, Rol::Admin]),
    ("/administracion", "Administración", &[Rol::Admin]),
    ("/portal", "Facturas y estado de cuenta", &[Rol::Pagador]),
];

pub fn nombre_rol(r: Rol) -> &'static str {
    match r {
        Rol::Admin => "Administración",
        Rol::Facturacion => "Facturación",
        Rol::Cartera => "Cartera",
        Rol::Finanzas => "Finanzas",
        Rol::Auditor => "Auditoría",
        Rol::Pagador => "Pagador",
    }
}

/// A rendered page, with the headers every page carries.
pub fn html(t: &impl Template) -> Result<HttpResponse, ErrorWeb> {
    html_con(StatusCode::OK, t)
}

pub(crate) fn html_con(status: StatusCode, t: &impl Template) -> Result<HttpResponse, ErrorWeb> {
    let cuerpo = t.render().map_err(|e| ErrorWeb::App(AppError::Internal(e.into())))?;
    let mut r = HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(cuerpo);
    cabeceras(r.headers_mut());
    Ok(r)
}

/// The headers of every page and redirect of the application.
pub fn cabeceras(h: &mut header::HeaderMap) {
    let fijas = [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::CACHE_CONTROL, "no-store"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "same-origin"),
    ];
    for (k, v) in fijas {
        h.insert(k, HeaderValue::from_static(v));
    }
}

/// 303 to `ruta`: after a form is posted, or to send a visitor where they belong.
pub fn ver_otra(ruta: &str) -> HttpResponse {
    let mut r = HttpResponse::SeeOther()
        .insert_header((header::LOCATION, ruta.to_string()))
        .finish();
    cabeceras(r.headers_mut());
    r
}

/// Why a page could not be shown.
#[derive(Debug)]
pub enum ErrorWeb {
    /// Not signed in (or the session ended): to the sign-in page, then back here.
    Ingresar(String),
    /// The page of this user is elsewhere (a payer's user landing on Mi bandeja).
    Ir(&'static str),
    /// A state-changing request that did not come from a form of this site, or without the
    /// session's token.
    Csrf,
    App(AppError),
    /// An error shown inside the signed-in user's frame (navigation kept).
    EnMarco(Box<Marco>, AppError),
}

impl From<AppError> for ErrorWeb {
    fn from(e: AppError) -> Self {
        ErrorWeb::App(e)
    }
}

impl From<actix_web::error::BlockingError> for ErrorWeb {
    fn from(e: actix_web::error::BlockingError) -> Self {
        ErrorWeb::App(AppError::Internal(anyhow::anyhow!("{e}")))
    }
}

impl std::fmt::Display for ErrorWeb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ErrorWeb::Ingresar(_) => write!(f, "inicie sesión"),
            ErrorWeb::Ir(ruta) => write!(f, "vaya a {ruta}"),
            ErrorWeb::Csrf => write!(f, "solicitud rechazada"),
            ErrorWeb::App(e) | ErrorWeb::EnMarco(_, e) => write!(f, "{e}"),
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct PaginaError {
    marco: Marco,
    codigo: u16,
    mensaje: String,
}

impl ResponseError for ErrorWeb {
    fn status_code(&self) -> StatusCode {
        match self {
            ErrorWeb::Ingresar(_) | ErrorWeb::Ir(_) => StatusCode::SEE_OTHER,
            ErrorWeb::Csrf => StatusCode::FORBIDDEN,
            ErrorWeb::App(e) | ErrorWeb::EnMarco(_, e) => e.status_code(),
        }
    }

    fn error_response(&self) -> HttpResponse {
        let e = match self {
            ErrorWeb::Ingresar(siguiente) => {
                let q: String = form_urlencoded::Serializer::new(String::new())
                    .append_pair("siguiente", siguiente)
                    .finish();
                return ver_otra(&format!("/ingresar?{q}"));
            }
            ErrorWeb::Ir(ruta) => return ver_otra(ruta),
            ErrorWeb::Csrf => None,
            ErrorWeb::App(e) | ErrorWeb::EnMarco(_, e) => Some(e),
        };
        let (titulo, mensaje) = match e {
            None => (
                "Solicitud rechazada",
                "Esta acción no vino de un formulario de Trazo en esta sesión (falta su código de \
                 seguridad o viene de otro sitio). Vuelva a la página, recárguela e inténtelo de nuevo."
                    .to_string(),
            ),
            Some(AppError::NotFound(m)) => ("No encontrado", m.clone()),
            Some(AppError::Forbidden(m)) => ("Sin permiso", m.clone()),
            Some(AppError::Internal(e)) => {
                tracing::error!(error = ?e, "page failed");
                (
                    "Error del servidor",
                    "Algo falló en el servidor; no se cambió nada. Inténtelo de nuevo en un momento.".into(),
                )
            }
            Some(e) => ("No se pudo", e.to_string()),
        };
        let marco = match self {
            ErrorWeb::EnMarco(m, _) => Marco {
                titulo: titulo.to_string(),
                nav: m.nav.iter().map(|e| Enlace { actual: false, ..*e }).collect(),
                aviso: None,
                nombre: m.nombre.clone(),
                email: m.email.clone(),
                csrf: m.csrf.clone(),
                ..Marco::publico(titulo)
            },
            _ => Marco::publico(titulo),
        };
        let p = PaginaError {
            marco,
            codigo: self.status_code().as_u16(),
            mensaje,
        };
        html_con(self.status_code(), &p).unwrap_or_else(|_| HttpResponse::InternalServerError().finish())
    }
}

/// `ruta` with the query of `pares` whose value is not empty: a list's filters kept in its URL.
pub fn url(ruta: &str, pares: &[(&str, &str)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pares {
        if !v.is_empty() {
            s.append_pair(k, v);
        }
    }
    let q = s.finish();
    if q.is_empty() {
        ruta.to_string()
    } else {
        format!("{ruta}?{q}")
    }
}

/// The path and query a request asked for, to come back to after signing in.
pub fn pedido(req: &HttpRequest) -> String {
    req.uri()
        .path_and_query()
        .map_or_else(|| "/".to_string(), |p| p.as_str().to_string())
}
