//! Building and starting the HTTP server.

use std::net::TcpListener;

use actix_web::dev::{Server, Service};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::{web, App, HttpMessage, HttpServer};
use tracing_actix_web::{RequestId, TracingLogger};

use crate::api::{self, auth::LoginLimiter, AppState};
use crate::app::auth::TokenKeys;
use crate::config::Settings;
use crate::db::Db;

/// A server bound to its port, not yet running.
pub struct Bound {
    pub server: Server,
    pub port: u16,
}

/// Opens the database (running migrations), loads the signing key, binds the port.
pub fn bind(settings: &Settings, db: Db, keys_dir: &std::path::Path) -> anyhow::Result<Bound> {
    let keys = TokenKeys::load(settings.jwt_secret(), keys_dir, settings.auth.token_ttl_minutes * 60)?;
    let terminos = settings.terminos()?;
    crate::app::importaciones::proceso::configurar(settings.importaciones.silencio());
    crate::app::importaciones::proceso::latir(&db)?;
    let state = web::Data::new(AppState {
        db,
        keys,
        terminos,
        fecha_fija: settings.fecha_fija()?,
        cobro: settings.cobro.clone(),
        smtp: settings.smtp.clone(),
        soportes: settings.soportes,
        radicacion: settings.radicacion,
        contabilidad: settings.contabilidad.clone(),
        perfiles: crate::app::importaciones::cargar_perfiles(&settings.importaciones.perfiles_dir)?,
        bancos: crate::app::bancos::cargar_perfiles(&settings.bancos.perfiles_dir)?,
        importaciones: crate::api::LimitesImportacion {
            max_bytes: settings.importaciones.max_bytes,
            limites: settings.importaciones.limites(),
            rips_total_distinto: settings.importaciones.rips_total_distinto,
            cola: crate::app::importaciones::cola::Cola::nueva(
                settings.importaciones.max_simultaneas,
                settings.importaciones.max_en_cola,
            ),
        },
        vigentes: Default::default(),
        web: crate::web::Ajustes {
            sesion: chrono::Duration::minutes(settings.auth.sesion_minutos),
            cookie_segura: settings.auth.cookie_segura,
        },
        limiter: LoginLimiter::new(
            settings.auth.login_attempts_per_minute,
            settings.auth.login_attempts_per_minute_per_address,
        ),
    });
    // Runs a stopped process left working or waiting: from now on, and every heartbeat while
    // this server lives, run again from their kept upload or told as interrupted.
    crate::app::importaciones::proceso::barrer(&state.db, Some(&|id: &str| state.reanudar_importacion(id)))?;
    crate::app::importaciones::proceso::latir_mientras(
        std::sync::Arc::downgrade(&state.clone().into_inner()),
        |s: &AppState| &s.db,
        Some(|s: &AppState, id: &str| s.reanudar_importacion(id)),
    );
    let addr = (settings.server.host.as_str(), settings.server.port);
    let listener = TcpListener::bind(addr).map_err(|e| {
        anyhow::anyhow!(
            "no se pudo abrir {}:{} ({e}); ¿otro programa usa ese puerto? pruebe --port",
            addr.0,
            addr.1
        )
    })?;
    let port = listener.local_addr()?.port();
    let json_limit = settings.server.json_limit_bytes;
    let mut server = HttpServer::new(move || {
        App::new()
            .wrap_fn(|req, srv| {
                // Echo the request id that tracing-actix-web put on every log line, so a user
                // reporting a problem can quote it.
                let id = req.extensions().get::<RequestId>().map(|r| r.to_string());
                let fut = srv.call(req);
                async move {
                    let mut res = fut.await?;
                    if let Some(v) = id.and_then(|id| HeaderValue::from_str(&id).ok()) {
                        res.headers_mut().insert(HeaderName::from_static("x-request-id"), v);
                    }
                    Ok(res)
                }
            })
            .wrap(TracingLogger::default())
            .app_data(state.clone())
            .configure(|c| api::configure(c, json_limit))
    })
    .listen(listener)?;
    if settings.server.workers > 0 {
        server = server.workers(settings.server.workers);
    }
    Ok(Bound {
        server: server.run(),
        port,
    })
}
