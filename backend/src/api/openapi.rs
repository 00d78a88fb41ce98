//! The OpenAPI 3 document, generated from the handlers, and the interactive page at `/docs`
//! (Swagger UI, vendored in the binary: it works with no internet access).

use actix_web::{get, HttpResponse};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_swagger_ui::SwaggerUi;

/// What the modules' own documents do not say: the API's title, and the routes not yet
/// declared with `rutas!`.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Trazo API",
        description = "Trazabilidad de facturas médicas: radicación, glosas, pagos y cartera."
    ),
    paths(super::importaciones::crear, super::importaciones::obtener)
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

/// The whole document: every module's paths, with the bearer scheme and full paths.
pub fn completo() -> utoipa::openapi::OpenApi {
    use super::*;
    let mut doc = ApiDoc::openapi();
    for parte in [
        health::Documento::openapi(),
        auth::Documento::openapi(),
        usuarios::Documento::openapi(),
        pagadores::Documento::openapi(),
        contratos::Documento::openapi(),
        facturas::Documento::openapi(),
        ciclo::Documento::openapi(),
        devoluciones::Documento::openapi(),
        glosas::Documento::openapi(),
        pagos::Documento::openapi(),
        reportes::Documento::openapi(),
        cartera::Documento::openapi(),
        cobro::Documento::openapi(),
        importaciones::Documento::openapi(),
        correcciones::Documento::openapi(),
    ] {
        doc.merge(parte);
    }
    BearerAuth.modify(&mut doc);
    Prefijo.modify(&mut doc);
    doc
}

/// The OpenAPI document.
#[get("/openapi.json")]
pub async fn documento() -> HttpResponse {
    HttpResponse::Ok().json(completo())
}

/// The interactive page, reading the document above.
pub fn docs() -> SwaggerUi {
    SwaggerUi::new("/docs/{_:.*}").config(utoipa_swagger_ui::Config::from("/api/v1/openapi.json"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `#[get("...")]`, `#[post("...")]`... of every API module, as (method, path).
    fn rutas_declaradas() -> Vec<(String, String)> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/api");
        let mut rutas = Vec::new();
        for entrada in std::fs::read_dir(&dir).unwrap() {
            let archivo = entrada.unwrap().path();
            let texto = std::fs::read_to_string(&archivo).unwrap();
            for linea in texto.lines().map(str::trim) {
                for metodo in ["get", "post", "put", "patch", "delete"] {
                    if let Some(resto) = linea.strip_prefix(&format!("#[{metodo}(\"")) {
                        let ruta = resto.split('"').next().unwrap();
                        rutas.push((metodo.to_string(), ruta.to_string()));
                    }
                }
            }
        }
        rutas.sort();
        rutas
    }

    #[test]
    fn every_route_is_in_the_openapi_document() {
        let doc = completo();
        let rutas = rutas_declaradas();
        assert!(rutas.len() > 50, "the scan found the handlers: {rutas:?}");
        for (metodo, ruta) in rutas {
            // The document does not describe itself.
            if ruta == "/openapi.json" {
                continue;
            }
            let completa = format!("/api/v1{ruta}");
            let item = doc
                .paths
                .paths
                .get(&completa)
                .unwrap_or_else(|| panic!("{metodo} {completa} is served but not documented"));
            let json = serde_json::to_value(item).unwrap();
            assert!(
                json.get(&metodo).is_some(),
                "{metodo} {completa} is served but its method is not documented"
            );
        }
    }
}
