//! HTTP: actix-web handlers under `/api/v1`, thin wrappers over the use cases in `app`.

pub mod actas;
pub mod asientos;
pub mod auth;
pub mod bancos;
pub mod cartera;
pub mod ciclo;
pub mod cobro;
pub mod contratos;
pub mod correcciones;
pub mod devoluciones;
pub mod error;
pub mod facturas;
pub mod glosas;
pub mod health;
pub mod importaciones;
pub mod json;
pub mod openapi;
pub mod pagadores;
pub mod pagos;
pub mod paquetes;
pub mod portal;
pub mod query;
pub mod reportes;
pub mod soportes;
pub mod usuarios;

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::app::auth::TokenKeys;
use crate::app::{AppError, Pagina};
use crate::db::Db;

/// What every request can reach.
pub struct AppState {
    pub db: Db,
    pub keys: TokenKeys,
    pub limiter: auth::LoginLimiter,
    /// Legal terms in force (config/terminos.toml or the deployment's own file).
    pub terminos: crate::domain::terminos::Terminos,
    /// Payer sheet profiles: built-in `generico` plus the deployment's files.
    pub perfiles: Vec<trazo_importers::sheets::Perfil>,
    /// Bank statement profiles: the built-in ones plus the deployment's files.
    pub bancos: Vec<trazo_importers::banco::PerfilBanco>,
    pub importaciones: LimitesImportacion,
    /// A fixed "today" for demonstrations and tests (`reloj.fecha_fija`); none in production.
    pub fecha_fija: Option<chrono::NaiveDate>,
    /// The collection stage rule and the mora interest rates.
    pub cobro: crate::config::Cobro,
    /// The mail server of reminders.
    pub smtp: crate::config::Smtp,
    /// The account codes of the entries for the books.
    pub contabilidad: crate::domain::asiento::Cuentas,
    /// Whether each token's user still exists and is active, and its role now.
    pub vigentes: crate::app::auth::Vigentes,
    /// Sessions of the web application.
    pub web: crate::web::Ajustes,
    /// How big a soporte, and all of a prestador's, may be.
    pub soportes: crate::config::Soportes,
    /// What radicación asks of soportes, and the package's size limit.
    pub radicacion: crate::config::Radicacion,
}

impl AppState {
    /// Today's civil date in Bogotá, the date terms are counted in.
    pub fn hoy(&self) -> chrono::NaiveDate {
        self.fecha_fija.unwrap_or_else(crate::app::hoy_bogota)
    }

    /// What an import run takes from this server, as of today.
    pub fn contexto_importacion(&self) -> crate::app::importaciones::Contexto<'_> {
        crate::app::importaciones::Contexto {
            db: &self.db,
            terminos: &self.terminos,
            hoy: self.hoy(),
            perfiles: &self.perfiles,
            rips_total_distinto: self.importaciones.rips_total_distinto,
        }
    }

    /// Runs again run `id`, taken from a server that stopped.
    pub fn reanudar_importacion(&self, id: &str) {
        crate::app::importaciones::reanudar(
            &self.contexto_importacion(),
            id,
            &self.importaciones.limites,
            &self.importaciones.cola,
        );
    }
}

/// Limits of uploads.
pub struct LimitesImportacion {
    pub max_bytes: usize,
    pub limites: trazo_importers::archivo::LimitesArchivo,
    pub rips_total_distinto: crate::config::RipsTotalDistinto,
    /// Where import runs wait their turn.
    pub cola: std::sync::Arc<crate::app::importaciones::cola::Cola>,
}

/// Largest JSON body, in bytes.
#[derive(Clone, Copy)]
pub struct JsonLimit(pub usize);

/// Runs blocking database work off the async workers.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    web::block(f)
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("blocking task: {e}")))?
}

/// `?page=&per_page=` of every list.
#[derive(Debug, Deserialize, IntoParams)]
pub struct PaginaQuery {
    /// From 1.
    pub page: Option<i64>,
    /// Default 50, at most 500.
    pub per_page: Option<i64>,
}

impl PaginaQuery {
    pub fn pagina(&self) -> Result<Pagina, AppError> {
        Pagina::new(self.page, self.per_page)
    }
}

pub fn created<T: serde::Serialize>(location: String, body: T) -> HttpResponse {
    HttpResponse::Created()
        .insert_header((actix_web::http::header::LOCATION, location))
        .json(body)
}

/// Declares an API module's routes once, at the end of the module: the handlers registered
/// under `/api/v1` and the module's OpenAPI paths come from the same list, so a route cannot
/// be served undocumented, and a new endpoint is one handler and one name in its module.
macro_rules! rutas {
    ($($handler:ident),+ $(,)?) => {
        /// This module's paths in the OpenAPI document.
        #[derive(utoipa::OpenApi)]
        #[openapi(paths($($handler),+))]
        pub struct Documento;

        /// Registers this module's handlers.
        pub fn rutas(cfg: &mut actix_web::web::ServiceConfig) {
            $(cfg.service($handler);)+
        }
    };
}
pub(crate) use rutas;

/// Registers every route of `/api/v1` and the docs.
pub fn configure(cfg: &mut web::ServiceConfig, json_limit: usize) {
    cfg.app_data(web::PayloadConfig::new(json_limit))
        .app_data(JsonLimit(json_limit))
        .app_data(web::PathConfig::default().error_handler(|e, _| error::extractor_error(e)))
        .service(
            web::scope("/api/v1")
                .configure(health::rutas)
                .configure(auth::rutas)
                .configure(usuarios::rutas)
                .configure(pagadores::rutas)
                .configure(contratos::rutas)
                .configure(facturas::rutas)
                .configure(ciclo::rutas)
                .configure(devoluciones::rutas)
                .configure(glosas::rutas)
                .configure(pagos::rutas)
                .configure(reportes::rutas)
                .configure(asientos::rutas)
                .configure(cartera::rutas)
                .configure(cobro::rutas)
                .configure(actas::rutas)
                .configure(bancos::rutas)
                .configure(soportes::rutas)
                .configure(paquetes::rutas)
                .configure(portal::rutas)
                .configure(importaciones::rutas)
                .configure(correcciones::rutas)
                .service(openapi::documento),
        )
        .route(
            "/docs",
            web::get().to(|| async {
                HttpResponse::PermanentRedirect()
                    .insert_header(("Location", "/docs/"))
                    .finish()
            }),
        )
        .service(openapi::docs())
        .configure(crate::web::configure)
        .default_service(web::to(|req: actix_web::HttpRequest| async move {
            let metodos = openapi::metodos_de(req.path());
            if metodos.is_empty() {
                Err::<HttpResponse, error::ApiError>(AppError::NotFound("no existe esa ruta; vea /docs".into()).into())
            } else {
                Err(error::ApiError::MetodoNoPermitido(req.method().to_string(), metodos))
            }
        }));
}
