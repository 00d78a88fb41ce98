//! Authentication: the login endpoint, its rate limit, and the extractor that turns a
//! bearer token into the acting user.

use std::collections::{HashMap, VecDeque};
use std::future::ready;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::{dev::Payload, post, web, FromRequest, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use super::error::ApiError;
use super::json::Json;
use super::{blocking, AppState};
use crate::app::{self, Actor, AppError};
use crate::domain::rol::Rol;

/// Failed logins allowed per account and per client address within a minute. Only failures
/// count: a clerk who signs in many times a day is never locked out, a guesser is after a few
/// tries. (A rate limiter that counts every attempt cannot tell them apart, so the window is
/// kept here: one queue of failure times per key.)
pub struct LoginLimiter {
    por_cuenta: Ventana<String>,
    por_direccion: Ventana<IpAddr>,
}

/// Failure times per key within the last minute.
struct Ventana<K> {
    maximo: usize,
    fallos: Mutex<HashMap<K, VecDeque<Instant>>>,
}

const MINUTO: Duration = Duration::from_secs(60);

impl<K: std::hash::Hash + Eq> Ventana<K> {
    fn new(maximo: u32) -> Ventana<K> {
        Ventana {
            maximo: maximo.max(1) as usize,
            fallos: Mutex::new(HashMap::new()),
        }
    }

    /// Seconds to wait while the key has used up its failures, counted without adding one.
    fn espera(&self, clave: &K, ahora: Instant) -> Option<u64> {
        let mut fallos = self.fallos.lock().unwrap_or_else(|p| p.into_inner());
        let cola = fallos.get_mut(clave)?;
        while cola.front().is_some_and(|t| ahora.duration_since(*t) >= MINUTO) {
            cola.pop_front();
        }
        (cola.len() >= self.maximo).then(|| {
            let libre = *cola.front().expect("full queue") + MINUTO;
            libre.duration_since(ahora).as_secs().max(1)
        })
    }

    fn fallo(&self, clave: K, ahora: Instant) {
        let mut fallos = self.fallos.lock().unwrap_or_else(|p| p.into_inner());
        // Forget idle keys now and then so a flood of made-up e-mails cannot grow memory.
        if fallos.len() > 10_000 {
            fallos.retain(|_, cola| cola.back().is_some_and(|t| ahora.duration_since(*t) < MINUTO));
        }
        fallos.entry(clave).or_default().push_back(ahora);
    }
}

impl LoginLimiter {
    pub fn new(per_account: u32, per_address: u32) -> LoginLimiter {
        LoginLimiter {
            por_cuenta: Ventana::new(per_account),
            por_direccion: Ventana::new(per_address),
        }
    }

    /// 429 while the account or the address has used up its failures.
    pub(crate) fn check(&self, email: &str, ip: Option<IpAddr>) -> Result<(), ApiError> {
        let ahora = Instant::now();
        let cuenta = self.por_cuenta.espera(&email.trim().to_lowercase(), ahora);
        let direccion = ip.and_then(|ip| self.por_direccion.espera(&ip, ahora));
        match cuenta.max(direccion) {
            Some(segundos) => Err(ApiError::TooManyRequests(segundos)),
            None => Ok(()),
        }
    }

    pub(crate) fn fallo(&self, email: &str, ip: Option<IpAddr>) {
        let ahora = Instant::now();
        self.por_cuenta.fallo(email.trim().to_lowercase(), ahora);
        if let Some(ip) = ip {
            self.por_direccion.fallo(ip, ahora);
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Credenciales {
    #[schema(example = "facturacion@demo.trazo")]
    pub email: String,
    #[schema(example = "demo")]
    pub password: String,
}

/// Exchanges e-mail and password for an access token.
#[utoipa::path(
    tag = "auth",
    request_body = Credenciales,
    responses(
        (status = 200, description = "Session granted", body = app::auth::Sesion),
        (status = 401, description = "Wrong e-mail or password", body = super::error::Problema),
        (status = 429, description = "Too many attempts for this account or address", body = super::error::Problema),
    )
)]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Json<Credenciales>,
) -> Result<HttpResponse, ApiError> {
    let Credenciales { email, password } = body.0;
    // The peer address, not X-Forwarded-For: a header is the client's to invent.
    let ip = req.peer_addr().map(|a| a.ip());
    state.limiter.check(&email, ip)?;
    let st = state.clone();
    let cuenta = email.clone();
    match blocking(move || app::auth::login(&st.db, &st.keys, &email, &password)).await {
        Ok(sesion) => Ok(HttpResponse::Ok().json(sesion)),
        Err(e) => {
            if matches!(e, AppError::Unauthorized(_)) {
                state.limiter.fallo(&cuenta, ip);
            }
            Err(e.into())
        }
    }
}

/// The acting user: the token says who logged in; the database (through a few seconds'
/// cache) says whether that user still exists and is active, and with which role — so a
/// disabled user or a changed role takes effect at once, not when the token expires.
impl FromRequest for Actor {
    type Error = AppError;
    type Future = futures_util::future::LocalBoxFuture<'static, Result<Actor, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let del_token = match actor_of(req) {
            Ok(x) => x,
            Err(e) => return Box::pin(ready(Err(e))),
        };
        let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
            return Box::pin(ready(Err(AppError::Internal(anyhow::anyhow!("AppState missing")))));
        };
        let portal = req.path().starts_with(PORTAL);
        if let Some(r) = state.vigentes.en_cache(&del_token) {
            return Box::pin(ready(r.and_then(|a| en_su_ventana(a, portal))));
        }
        Box::pin(async move {
            blocking(move || state.vigentes.consultar(&state.db, &del_token))
                .await
                .and_then(|a| en_su_ventana(a, portal))
        })
    }
}

/// Where a payer's users act: nothing of the API outside it is theirs.
pub const PORTAL: &str = "/api/v1/portal";

/// A payer's user acts only in the payer's window, and only a payer's user acts there: every
/// other endpoint refuses the role before its use case runs, so an endpoint added later is
/// closed to payers unless it is put under the window.
fn en_su_ventana(a: Actor, portal: bool) -> Result<Actor, AppError> {
    match (a.rol == Rol::Pagador, portal) {
        (true, true) | (false, false) => Ok(a),
        (true, false) => Err(AppError::Forbidden(format!(
            "un usuario de pagador solo consulta la ventana de su pagador ({PORTAL}/...)"
        ))),
        (false, true) => Err(AppError::Forbidden(format!(
            "la ventana del pagador ({PORTAL}/...) es de los usuarios de rol pagador; el rol '{}' usa el resto de Trazo",
            a.rol
        ))),
    }
}

fn actor_of(req: &HttpRequest) -> Result<Actor, AppError> {
    // An id with a NUL names nothing (and PostgreSQL refuses the byte in a query).
    if req.uri().path().to_ascii_lowercase().contains("%00") {
        return Err(AppError::NotFound(
            "no existe ese registro: el identificador contiene el carácter nulo".into(),
        ));
    }
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("AppState missing")))?;
    let header = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| AppError::Unauthorized("falta el token de acceso (Authorization: Bearer ...)".into()))?;
    let token = header
        .strip_prefix("Bearer ")
        .or_else(|| header.strip_prefix("bearer "))
        .ok_or_else(|| AppError::Unauthorized("se espera Authorization: Bearer <token>".into()))?;
    state.keys.verify(token.trim())
}

super::rutas!(login);
