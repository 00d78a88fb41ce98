use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use super::AppState;

/// Whether Trazo and its database answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Salud {
    pub status: EstadoSalud,
    /// The database in use: `sqlite` or `postgres`.
    pub database: String,
    /// The running version; only when the database answers.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub version: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum EstadoSalud {
    Ok,
    Error,
}

/// 200 when the database answers, 503 when it does not.
#[utoipa::path(tag = "sistema", responses((status = 200, description = "Trazo and its database answer", body = Salud), (status = 503, description = "The database does not answer", body = Salud)))]
#[get("/health")]
pub async fn health(state: web::Data<AppState>) -> HttpResponse {
    let st = state.clone();
    let ok = web::block(move || st.db.ping()).await.unwrap_or(false);
    let database = format!("{:?}", state.db.backend()).to_lowercase();
    if ok {
        HttpResponse::Ok().json(Salud {
            status: EstadoSalud::Ok,
            database,
            version: Some(env!("CARGO_PKG_VERSION").into()),
        })
    } else {
        HttpResponse::ServiceUnavailable().json(Salud {
            status: EstadoSalud::Error,
            database,
            version: None,
        })
    }
}

super::rutas!(health);
