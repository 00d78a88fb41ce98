//! Authentication: the login endpoint, its rate limit, and the extractor that turns a
//! bearer token into the acting user.

use std::future::{ready, Ready};
use std::net::IpAddr;
use std::num::NonZeroU32;

use actix_web::{dev::Payload, post, web, FromRequest, HttpRequest, HttpResponse};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use serde::Deserialize;
use utoipa::ToSchema;

use super::error::ApiError;
use super::json::Json;
use super::{blocking, AppState};
use crate::app::{self, Actor, AppError};

/// Login attempts allowed per account and per client address.
pub struct LoginLimiter {
    por_cuenta: DefaultKeyedRateLimiter<String>,
    por_direccion: DefaultKeyedRateLimiter<IpAddr>,
}

impl LoginLimiter {
    pub fn new(per_account: u32, per_address: u32) -> LoginLimiter {
        let quota = |n: u32| Quota::per_minute(NonZeroU32::new(n.max(1)).expect("non-zero"));
        LoginLimiter {
            por_cuenta: RateLimiter::keyed(quota(per_account)),
            por_direccion: RateLimiter::keyed(quota(per_address)),
        }
    }

    fn check(&self, email: &str, ip: Option<IpAddr>) -> Result<(), ApiError> {
        // Forget idle keys now and then so a flood of made-up e-mails cannot grow memory.
        if self.por_cuenta.len() > 10_000 {
            self.por_cuenta.retain_recent();
        }
        if self.por_direccion.len() > 10_000 {
            self.por_direccion.retain_recent();
        }
        let now = DefaultClock::default().now();
        let wait = |n: governor::NotUntil<_>| ApiError::TooManyRequests(n.wait_time_from(now).as_secs().max(1));
        self.por_cuenta.check_key(&email.trim().to_lowercase()).map_err(wait)?;
        if let Some(ip) = ip {
            self.por_direccion.check_key(&ip).map_err(wait)?;
        }
        Ok(())
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
    state.limiter.check(&email, req.peer_addr().map(|a| a.ip()))?;
    let st = state.clone();
    let sesion = blocking(move || app::auth::login(&st.db, &st.keys, &email, &password)).await?;
    Ok(HttpResponse::Ok().json(sesion))
}

impl FromRequest for Actor {
    type Error = AppError;
    type Future = Ready<Result<Actor, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(actor_of(req))
    }
}

fn actor_of(req: &HttpRequest) -> Result<Actor, AppError> {
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
