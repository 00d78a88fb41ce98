//! The OpenAPI 3 document, generated from the handlers, and the interactive page at `/docs`
//! (Swagger UI, vendored in the binary: it works with no internet access).

use actix_web::{get, HttpResponse};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_swagger_ui::SwaggerUi;

#[derive(OpenApi)]
#[openapi(
    info(title = "Trazo API", description = "Trazabilidad de facturas médicas: radicación, glosas, pagos y cartera."),
    paths(
        super::health::health,
        super::auth::login,
        super::usuarios::crear, super::usuarios::listar, super::usuarios::obtener,
        super::pagadores::crear, super::pagadores::listar, super::pagadores::obtener, super::pagadores::actualizar,
        super::contratos::crear, super::contratos::listar, super::contratos::obtener,
        super::facturas::crear, super::facturas::listar, super::facturas::obtener,
        super::ciclo::radicar, super::ciclo::radicar_lote, super::ciclo::nota, super::ciclo::castigar,
        super::devoluciones::devolver, super::devoluciones::responder, super::devoluciones::decidir,
        super::devoluciones::avisar, super::devoluciones::avisar_glosa,
        super::glosas::glosar, super::glosas::de_factura, super::glosas::obtener, super::glosas::responder,
        super::glosas::decidir, super::glosas::conciliar,
        super::pagos::registrar, super::pagos::aplicar, super::pagos::aplicar_sin_detalle, super::pagos::obtener, super::pagos::listar,
        super::reportes::trazabilidad, super::reportes::alertas, super::reportes::codigos,
        super::cartera::edades, super::cartera::indicadores, super::cartera::glosas, super::cartera::segmentacion,
        super::cartera::recibir_estado, super::cartera::conciliacion,
        super::cobro::obtener, super::cobro::actualizar, super::cobro::etapa, super::cobro::aplicar_regla,
        super::cobro::registrar_gestion, super::cobro::gestiones, super::cobro::crear_acuerdo, super::cobro::acuerdos,
        super::cobro::acuerdo, super::cobro::trabajo, super::cobro::recordatorio,
        super::importaciones::crear, super::importaciones::obtener,
    ),
    modifiers(&BearerAuth, &Prefijo)
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut http = Http::new(HttpAuthScheme::Bearer);
        http.bearer_format = Some("JWT".into());
        components.add_security_scheme("bearer", SecurityScheme::Http(http));
    }
}

/// The handlers are declared inside the `/api/v1` scope; the document shows full paths.
struct Prefijo;

impl Modify for Prefijo {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let paths = std::mem::take(&mut openapi.paths.paths);
        openapi.paths.paths = paths.into_iter().map(|(k, v)| (format!("/api/v1{k}"), v)).collect();
    }
}

/// The OpenAPI document.
#[get("/openapi.json")]
pub async fn documento() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}

/// The interactive page, reading the document above.
pub fn docs() -> SwaggerUi {
    SwaggerUi::new("/docs/{_:.*}").config(utoipa_swagger_ui::Config::from("/api/v1/openapi.json"))
}
