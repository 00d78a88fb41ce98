//! Signing in and out of the web application, the signed-in user of each page ([`Usuario`]),
//! the check every state-changing request passes ([`formulario`]), and the message shown after
//! an action ([`con_aviso`]).

use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::{time, Cookie, SameSite};
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest, HttpResponse};
use askama::Template;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::{html, ver_otra, ErrorWeb, Marco};
use crate::api::error::ApiError;
use crate::api::AppState;
use crate::app::sesiones::{self, SesionWeb};
use crate::app::AppError;
use crate::domain::rol::Rol;

/// The session cookie: a random value whose hash names the session in the database.
pub const COOKIE: &str = "trazo_sesion";
/// The message of the last action, shown once on the next page.
const AVISO: &str = "trazo_aviso";

/// The signed-in user of a page, with the message of their last action, if any. A request
/// without an open session (none, signed out, expired, or its user disabled) is sent to sign
/// in and then back.
pub struct Usuario {
    pub sesion: SesionWeb,
    pub aviso: Option<String>,
}

impl FromRequest for Usuario {
    type Error = ErrorWeb;
    type Future = Pin<Box<dyn Future<Output = Result<Usuario, ErrorWeb>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let volver = super::pedido(req);
        let ruta = req.path().to_string();
        let cookie = req.cookie(COOKIE).map(|c| c.value().to_string());
        let aviso = req.cookie(AVISO).map(|c| c.value().to_string()).and_then(|v| {
            form_urlencoded::parse(format!("a={v}").as_bytes())
                .next()
                .map(|(_, t)| t.into_owned())
        });
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let (Some(cookie), Some(state)) = (cookie, state) else {
                return Err(ErrorWeb::Ingresar(volver));
            };
            let sesion = web::block(move || sesiones::leer(&state.db, &cookie)).await??;
            match sesion {
                Some(sesion) => en_su_ventana(&ruta, sesion.actor.rol).map(|()| Usuario { sesion, aviso }),
                None => Err(ErrorWeb::Ingresar(volver)),
            }
        })
    }
}

/// Where the payer's window is.
pub const PORTAL: &str = "/portal";

/// A payer's user sees only the payer's window (its landing after sign-in goes there), and
/// only a payer's user sees the window: a page added later is closed to payers unless it is
/// put under `/portal`. Signing out is everyone's.
fn en_su_ventana(ruta: &str, rol: Rol) -> Result<(), ErrorWeb> {
    let en_portal = ruta == PORTAL || ruta.starts_with("/portal/");
    match (rol == Rol::Pagador, en_portal) {
        (true, true) | (false, false) => Ok(()),
        _ if ruta == "/salir" => Ok(()),
        (true, false) if ruta == "/bandeja" || ruta == "/" => Err(ErrorWeb::Ir(PORTAL)),
        (true, false) => Err(ErrorWeb::App(AppError::Forbidden(
            "Un usuario de pagador solo ve la ventana de su pagador: sus facturas, su estado de cuenta y los \
             pagos que anuncia."
                .into(),
        ))),
        (false, true) => Err(ErrorWeb::App(AppError::Forbidden(
            "La ventana del pagador es de los usuarios de cada pagador; el personal del prestador usa el resto de \
             Trazo."
                .into(),
        ))),
    }
}

/// A page for a signed-in user: the message of their last action is shown on it once.
pub fn pagina(u: &Usuario, t: &impl Template) -> Result<HttpResponse, ErrorWeb> {
    let mut r = html(t)?;
    if u.aviso.is_some() {
        let mut quitar = Cookie::build(AVISO, "").path("/").finish();
        quitar.make_removal();
        r.add_cookie(&quitar).ok();
    }
    Ok(r)
}

/// Runs `f` for `u` on the blocking pool (the database is synchronous); what fails is shown
/// inside their frame.
pub async fn en_bloque<T: Send + 'static>(
    u: &Usuario,
    f: impl FnOnce(&Usuario) -> Result<T, AppError> + Send + 'static,
) -> Result<T, ErrorWeb> {
    let sesion = u.sesion.clone();
    web::block(move || f(&Usuario { sesion, aviso: None }))
        .await?
        .map_err(Marco::fallo(u))
}

/// 303 to `ruta` with `aviso` — what was just done — to show there.
pub fn con_aviso(ruta: &str, aviso: &str) -> HttpResponse {
    let mut r = ver_otra(ruta);
    let valor: String = form_urlencoded::byte_serialize(aviso.as_bytes()).collect();
    let c = Cookie::build(AVISO, valor)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .finish();
    r.add_cookie(&c).ok();
    r
}

/// Whether a state-changing request came from this site: the browser's own `Sec-Fetch-Site`
/// (same-origin, or none for a typed address) and, when sent, an `Origin` naming this host.
fn del_sitio(req: &HttpRequest) -> bool {
    let h = req.headers();
    let texto = |n: &str| h.get(n).and_then(|v| v.to_str().ok());
    if let Some(s) = texto("sec-fetch-site") {
        if s != "same-origin" && s != "none" {
            return false;
        }
    }
    if let Some(origen) = texto("origin") {
        let host = req.connection_info().host().to_string();
        let sin_esquema = origen.split_once("://").map_or(origen, |(_, r)| r);
        if sin_esquema != host {
            return false;
        }
    }
    true
}

/// The fields of a form posted by `u`, after checking that it came from this site with the
/// session's CSRF token (field `csrf`, or header `X-CSRF-Token` for htmx).
pub fn formulario<T: DeserializeOwned>(req: &HttpRequest, u: &Usuario, cuerpo: &[u8]) -> Result<T, ErrorWeb> {
    let del_form = form_urlencoded::parse(cuerpo)
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.into_owned());
    let de_cabecera = req
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let token = del_form.or(de_cabecera).unwrap_or_default();
    exigir_csrf(req, u, &token)?;
    serde_urlencoded::from_bytes(cuerpo).map_err(|e| ErrorWeb::App(AppError::invalid("(formulario)", e.to_string())))
}

/// The check of [`formulario`] for a body it does not parse (a `multipart/form-data` upload,
/// whose `csrf` field the handler reads itself): the request came from this site and `token`
/// is the session's CSRF token.
pub(crate) fn exigir_csrf(req: &HttpRequest, u: &Usuario, token: &str) -> Result<(), ErrorWeb> {
    if !del_sitio(req) || token.is_empty() || token != u.sesion.csrf {
        return Err(ErrorWeb::Csrf);
    }
    Ok(())
}

#[derive(Template)]
#[template(path = "ingresar.html")]
struct Ingresar {
    marco: Marco,
    aviso: Option<&'static str>,
    email: String,
    siguiente: String,
    error: Option<String>,
}

#[derive(Deserialize)]
struct Volver {
    siguiente: Option<String>,
    /// Just signed out.
    salio: Option<String>,
}

/// Only a path of this site is a place to come back to (never `//otro.sitio` or a URL).
fn seguro(siguiente: Option<&str>) -> String {
    match siguiente {
        Some(s) if s.starts_with('/') && !s.starts_with("//") && !s.contains('\\') => s.to_string(),
        _ => "/bandeja".to_string(),
    }
}

async fn ingresar_form(q: web::Query<Volver>) -> Result<HttpResponse, ErrorWeb> {
    html(&Ingresar {
        marco: Marco::publico("Ingresar"),
        aviso: q
            .salio
            .is_some()
            .then_some("Sesión cerrada. Para volver, ingrese de nuevo."),
        email: String::new(),
        siguiente: seguro(q.siguiente.as_deref()),
        error: None,
    })
}

#[derive(Deserialize)]
struct Credenciales {
    email: String,
    password: String,
    siguiente: Option<String>,
}

/// Signs in: the same check, refusal and lock-out as `POST /api/v1/auth/login`; on success a
/// session cookie (`HttpOnly`, `SameSite=Lax`, `Secure` when configured) and back to where
/// the visitor was going.
async fn ingresar(
    state: web::Data<AppState>,
    req: HttpRequest,
    f: web::Form<Credenciales>,
) -> Result<HttpResponse, ErrorWeb> {
    let Credenciales {
        email,
        password,
        siguiente,
    } = f.into_inner();
    let siguiente = seguro(siguiente.as_deref());
    let con_error = |m: String| {
        html(&Ingresar {
            marco: Marco::publico("Ingresar"),
            aviso: None,
            email: email.clone(),
            siguiente: siguiente.clone(),
            error: Some(m),
        })
        .map(|mut r| {
            *r.status_mut() = actix_web::http::StatusCode::UNAUTHORIZED;
            r
        })
    };
    if !del_sitio(&req) {
        return Err(ErrorWeb::Csrf);
    }
    let ip = req.peer_addr().map(|a| a.ip());
    if let Err(ApiError::TooManyRequests(s)) = state.limiter.check(&email, ip) {
        return con_error(format!(
            "Demasiados intentos fallidos con este correo o desde este equipo. Espere {s} segundos e \
             inténtelo de nuevo."
        ));
    }
    let st = state.clone();
    let (correo, clave) = (email.clone(), password);
    let duracion = st.web.sesion;
    match web::block(move || sesiones::abrir(&st.db, &correo, &clave, duracion)).await? {
        Ok(valor) => {
            let mut r = ver_otra(&siguiente);
            let c = Cookie::build(COOKIE, valor)
                .path("/")
                .http_only(true)
                .secure(state.web.cookie_segura)
                .same_site(SameSite::Lax)
                .max_age(time::Duration::seconds(duracion.num_seconds()))
                .finish();
            r.add_cookie(&c).ok();
            Ok(r)
        }
        Err(AppError::Unauthorized(m)) => {
            state.limiter.fallo(&email, ip);
            con_error(format!("{}.", capitalizar(&m)))
        }
        Err(e) => Err(e.into()),
    }
}

fn capitalizar(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|p| p.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// Signs out: the session is closed in the database (the cookie opens nothing after) and the
/// cookie removed.
async fn salir(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: Usuario,
    cuerpo: web::Bytes,
) -> Result<HttpResponse, ErrorWeb> {
    formulario::<serde::de::IgnoredAny>(&req, &u, &cuerpo)?;
    if let Some(c) = req.cookie(COOKIE) {
        let valor = c.value().to_string();
        web::block(move || sesiones::cerrar(&state.db, &valor)).await??;
    }
    let mut r = ver_otra("/ingresar?salio=1");
    let mut quitar = Cookie::build(COOKIE, "").path("/").finish();
    quitar.make_removal();
    r.add_cookie(&quitar).ok();
    Ok(r)
}

pub fn rutas(cfg: &mut web::ServiceConfig) {
    cfg.route("/ingresar", web::get().to(ingresar_form))
        .route("/ingresar", web::post().to(ingresar))
        .route("/salir", web::post().to(salir));
}

#[cfg(test)]
mod tests {
    use super::seguro;

    #[test]
    fn only_a_path_of_this_site_is_a_place_to_come_back_to() {
        assert_eq!(seguro(Some("/facturas?estado=radicada")), "/facturas?estado=radicada");
        for malo in [
            "//evil.example/x",
            "https://evil.example",
            "/\\evil.example",
            "facturas",
        ] {
            assert_eq!(seguro(Some(malo)), "/bandeja", "{malo}");
        }
        assert_eq!(seguro(None), "/bandeja");
    }
}
