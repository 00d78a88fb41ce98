use actix_web::{get, web, HttpResponse};
use serde_json::json;

use super::AppState;

/// 200 when the database answers, 503 when it does not.
#[utoipa::path(tag = "sistema", responses((status = 200, description = "Trazo and its database answer"), (status = 503, description = "The database does not answer")))]
#[get("/health")]
pub async fn health(state: web::Data<AppState>) -> HttpResponse {
    let st = state.clone();
    let ok = web::block(move || st.db.ping()).await.unwrap_or(false);
    let backend = format!("{:?}", state.db.backend()).to_lowercase();
    if ok {
        HttpResponse::Ok().json(json!({ "status": "ok", "database": backend, "version": env!("CARGO_PKG_VERSION") }))
    } else {
        HttpResponse::ServiceUnavailable().json(json!({ "status": "error", "database": backend }))
    }
}

super::rutas!(health);
