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

/// What every operation can answer besides its own outcomes, said once here so that no
/// handler forgets it and the document says what `api/error.rs` really sends: every error is
/// an `application/problem+json` body (RFC 9457, `Problema`); a bearer-protected operation
/// answers 401 without a valid token; one that reads a body answers 400 for JSON it cannot
/// read and 413 for a body over the limit; one with query parameters answers 400 for a value
/// it cannot read; any answers 503 with `Retry-After` when no database connection frees in
/// time; one with `?formato=` answers its 200 as an XLSX workbook too, and 422 for another
/// format; a list answers 422 for a page out of range; one on an `{id}` answers 404. The e2e
/// suite checks every exchange against this document (`tests/src/openapi.rs`).
struct Problemas;

const PROBLEMA: &str = "application/problem+json";

impl Modify for Problemas {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::path::ParameterIn;
        use utoipa::openapi::{Content, Ref, RefOr, Response};

        let es_problema =
            |c: &Content| matches!(&c.schema, Some(RefOr::Ref(r)) if r.ref_location.ends_with("/Problema"));
        let problema = |descripcion: &str| {
            let mut r = Response::new(descripcion);
            r.content
                .insert(PROBLEMA.into(), Content::new(Some(Ref::from_schema_name("Problema"))));
            RefOr::T(r)
        };
        for item in openapi.paths.paths.values_mut() {
            for op in operaciones(item) {
                let respuestas = &mut op.responses.responses;
                for r in respuestas.values_mut() {
                    if let RefOr::T(r) = r {
                        if r.content.get("application/json").is_some_and(es_problema) {
                            if let Some(c) = r.content.shift_remove("application/json") {
                                r.content.insert(PROBLEMA.into(), c);
                            }
                        }
                    }
                }
                // `?formato=xlsx` (or `Accept: XLSX`) answers the same rows as a workbook
                // (`reportes::quiere_xlsx`), and another `formato` is 422.
                let mut formato = false;
                for p in op.parameters.iter_mut().flatten() {
                    if p.name == "formato" && matches!(p.parameter_in, ParameterIn::Query) {
                        formato = true;
                        // A `formato` with values of its own (the entries' csv) keeps them.
                        let propio = match &p.schema {
                            Some(RefOr::Ref(_)) | Some(RefOr::T(utoipa::openapi::Schema::OneOf(_))) => true,
                            Some(RefOr::T(utoipa::openapi::Schema::Object(o))) => o.enum_values.is_some(),
                            _ => false,
                        };
                        if propio {
                            continue;
                        }
                        let valores = utoipa::openapi::ObjectBuilder::new()
                            .schema_type(utoipa::openapi::schema::Type::String)
                            .enum_values(Some(["json", "xlsx"]))
                            .build();
                        p.schema = Some(valores.into());
                    }
                }
                if formato {
                    if let Some(RefOr::T(r)) = respuestas.get_mut("200") {
                        let libro = utoipa::openapi::ObjectBuilder::new()
                            .schema_type(utoipa::openapi::schema::Type::String)
                            .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                                utoipa::openapi::KnownFormat::Binary,
                            )))
                            .build();
                        r.content
                            .entry(super::reportes::XLSX.into())
                            .or_insert(Content::new(Some(libro)));
                    }
                }
                let mut agregar = |status: &str, descripcion: &str| {
                    respuestas.entry(status.into()).or_insert_with(|| problema(descripcion));
                };
                // `Pagina::new` refuses a page below 1 and more than 500 a page.
                let pagina = op.parameters.iter().flatten().any(|p| {
                    matches!(p.parameter_in, ParameterIn::Query) && (p.name == "page" || p.name == "per_page")
                });
                match (formato, pagina) {
                    (true, true) => agregar(
                        "422",
                        "`formato` no es json ni xlsx, o `page`/`per_page` fuera de rango",
                    ),
                    (true, false) => agregar("422", "`formato` no es json ni xlsx"),
                    (false, true) => agregar("422", "`page` o `per_page` fuera de rango"),
                    (false, false) => {}
                }
                // Every `{id}` is looked up within the user's prestador.
                if op
                    .parameters
                    .iter()
                    .flatten()
                    .any(|p| matches!(p.parameter_in, ParameterIn::Path))
                {
                    agregar("404", "No existe, o es de otro prestador");
                }
                if op.security.as_ref().is_some_and(|s| !s.is_empty()) {
                    agregar("401", "Sin token de acceso, o con uno vencido o inválido");
                    // A payer's user acts only in its window, and only it acts there
                    // (`auth::en_su_ventana`): any operation can refuse a role.
                    agregar("403", "El rol del usuario no puede hacer esto");
                }
                let consulta = op
                    .parameters
                    .iter()
                    .flatten()
                    .any(|p| matches!(p.parameter_in, ParameterIn::Query));
                if op.request_body.is_some() {
                    agregar(
                        "400",
                        "El cuerpo no se pudo leer: nombra el campo, lo esperado y lo que llegó",
                    );
                    agregar("413", "El cuerpo supera el límite");
                } else if consulta {
                    agregar(
                        "400",
                        "Un parámetro no se pudo leer: lo nombra, con lo esperado y lo que llegó",
                    );
                }
                if !respuestas.contains_key("503") {
                    let segundos = utoipa::openapi::ObjectBuilder::new()
                        .schema_type(utoipa::openapi::schema::Type::Integer)
                        .build();
                    let mut h = utoipa::openapi::header::Header::new(segundos);
                    h.description = Some("Segundos a esperar antes de reintentar".into());
                    let mut ocupado = problema("Base de datos ocupada: reintente tras `Retry-After` segundos");
                    if let RefOr::T(r) = &mut ocupado {
                        r.headers.insert("Retry-After".into(), h);
                    }
                    respuestas.insert("503".into(), ocupado);
                }
            }
        }
    }
}

/// A nullable field of an answer is always sent, as `null` when there is nothing: serde writes
/// an `Option` so unless the field says `skip_serializing_if`, and such fields are declared
/// `#[schema(nullable = false)]` (absent, never null). utoipa leaves every `Option` out of
/// `required`; in the schemas only answers use, a nullable field is made required, so a client
/// knows it is always there. Schemas of request bodies keep their `Option`s optional.
struct Presentes;

type Esquema = utoipa::openapi::RefOr<utoipa::openapi::Schema>;

fn operaciones(item: &mut utoipa::openapi::PathItem) -> impl Iterator<Item = &mut utoipa::openapi::path::Operation> {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.patch,
        &mut item.delete,
    ]
    .into_iter()
    .flatten()
}

/// The components a schema names, directly or through inline schemas.
fn referencias(s: &Esquema, out: &mut Vec<String>) {
    use utoipa::openapi::schema::{AdditionalProperties, ArrayItems};
    use utoipa::openapi::{RefOr, Schema};
    match s {
        RefOr::Ref(r) => {
            if let Some(n) = r.ref_location.strip_prefix("#/components/schemas/") {
                out.push(n.to_string());
            }
        }
        RefOr::T(Schema::Object(o)) => {
            o.properties.values().for_each(|p| referencias(p, out));
            if let Some(AdditionalProperties::RefOr(a)) = o.additional_properties.as_deref() {
                referencias(a, out);
            }
        }
        RefOr::T(Schema::Array(a)) => {
            if let ArrayItems::RefOrSchema(i) = &a.items {
                referencias(i, out);
            }
        }
        RefOr::T(Schema::OneOf(o)) => o.items.iter().for_each(|i| referencias(i, out)),
        RefOr::T(Schema::AllOf(o)) => o.items.iter().for_each(|i| referencias(i, out)),
        RefOr::T(Schema::AnyOf(o)) => o.items.iter().for_each(|i| referencias(i, out)),
        RefOr::T(_) => {}
    }
}

fn es_nullable(s: &Esquema) -> bool {
    use utoipa::openapi::schema::{SchemaType, Type};
    use utoipa::openapi::{RefOr, Schema};
    let con_null = |t: &SchemaType| matches!(t, SchemaType::Array(ts) if ts.iter().any(|t| matches!(t, Type::Null)));
    let es_null =
        |i: &Esquema| matches!(i, RefOr::T(Schema::Object(o)) if matches!(o.schema_type, SchemaType::Type(Type::Null)));
    match s {
        RefOr::T(Schema::Object(o)) => con_null(&o.schema_type),
        RefOr::T(Schema::Array(a)) => con_null(&a.schema_type),
        RefOr::T(Schema::OneOf(o)) => o.items.iter().any(es_null),
        RefOr::T(Schema::AnyOf(o)) => o.items.iter().any(es_null),
        _ => false,
    }
}

/// Makes the nullable fields of `s` (and of its inline schemas) required.
fn requerir(s: &mut Esquema) {
    use utoipa::openapi::schema::ArrayItems;
    use utoipa::openapi::{RefOr, Schema};
    match s {
        RefOr::T(Schema::Object(o)) => {
            for (nombre, p) in o.properties.iter_mut() {
                if es_nullable(p) && !o.required.contains(nombre) {
                    o.required.push(nombre.clone());
                }
                requerir(p);
            }
        }
        RefOr::T(Schema::Array(a)) => {
            if let ArrayItems::RefOrSchema(i) = &mut a.items {
                requerir(i);
            }
        }
        RefOr::T(Schema::AllOf(o)) => o.items.iter_mut().for_each(requerir),
        RefOr::T(Schema::OneOf(o)) => o.items.iter_mut().for_each(requerir),
        _ => {}
    }
}

impl Modify for Presentes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use std::collections::BTreeSet;
        let Some(componentes) = openapi.components.as_mut() else {
            return;
        };
        let cerradura = |mut pendientes: Vec<String>| {
            let mut vistos = BTreeSet::new();
            while let Some(n) = pendientes.pop() {
                if vistos.insert(n.clone()) {
                    if let Some(s) = componentes.schemas.get(&n) {
                        referencias(s, &mut pendientes);
                    }
                }
            }
            vistos
        };
        let (mut de_respuestas, mut de_peticiones) = (Vec::new(), Vec::new());
        for item in openapi.paths.paths.values_mut() {
            for op in operaciones(item) {
                for r in op.responses.responses.values_mut() {
                    if let utoipa::openapi::RefOr::T(r) = r {
                        for c in r.content.values_mut() {
                            if let Some(s) = c.schema.as_mut() {
                                referencias(s, &mut de_respuestas);
                                requerir(s);
                            }
                        }
                    }
                }
                for c in op.request_body.iter().flat_map(|b| b.content.values()) {
                    if let Some(s) = &c.schema {
                        referencias(s, &mut de_peticiones);
                    }
                }
            }
        }
        let de_respuestas = cerradura(de_respuestas);
        let de_peticiones = cerradura(de_peticiones);
        for n in de_respuestas.difference(&de_peticiones) {
            if let Some(s) = componentes.schemas.get_mut(n) {
                requerir(s);
            }
        }
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
        asientos::Documento::openapi(),
        cartera::Documento::openapi(),
        cobro::Documento::openapi(),
        actas::Documento::openapi(),
        bancos::Documento::openapi(),
        soportes::Documento::openapi(),
        paquetes::Documento::openapi(),
        portal::Documento::openapi(),
        importaciones::Documento::openapi(),
        correcciones::Documento::openapi(),
    ] {
        doc.merge(parte);
    }
    BearerAuth.modify(&mut doc);
    Problemas.modify(&mut doc);
    Presentes.modify(&mut doc);
    Prefijo.modify(&mut doc);
    doc
}

/// The methods the document gives a concrete path (`/api/v1/facturas/abc` matches
/// `/api/v1/facturas/{id}`), for the 405 of a method the path does not take.
pub fn metodos_de(ruta: &str) -> Vec<String> {
    static RUTAS: std::sync::OnceLock<Vec<(Vec<String>, Vec<String>)>> = std::sync::OnceLock::new();
    let rutas = RUTAS.get_or_init(|| {
        completo()
            .paths
            .paths
            .iter()
            .map(|(plantilla, item)| {
                let segmentos = plantilla.split('/').map(str::to_string).collect();
                let mut metodos: Vec<String> = [
                    ("GET", item.get.is_some()),
                    ("POST", item.post.is_some()),
                    ("PUT", item.put.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("DELETE", item.delete.is_some()),
                ]
                .into_iter()
                .filter(|(_, hay)| *hay)
                .map(|(m, _)| m.to_string())
                .collect();
                if metodos.iter().any(|m| m == "GET") {
                    metodos.push("HEAD".into());
                }
                (segmentos, metodos)
            })
            .collect()
    });
    let pedidos: Vec<&str> = ruta.split('/').collect();
    let mut metodos: Vec<String> = rutas
        .iter()
        .filter(|(segmentos, _)| {
            segmentos.len() == pedidos.len()
                && segmentos
                    .iter()
                    .zip(&pedidos)
                    .all(|(s, p)| (s.starts_with('{') && !p.is_empty()) || s == p)
        })
        .flat_map(|(_, m)| m.iter().cloned())
        .collect();
    metodos.sort();
    metodos.dedup();
    metodos
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

    /// Every `.rs` file under `dir`.
    fn fuentes(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entrada in std::fs::read_dir(dir).unwrap() {
            let ruta = entrada.unwrap().path();
            if ruta.is_dir() {
                fuentes(&ruta, out);
            } else if ruta.extension().is_some_and(|e| e == "rs") {
                out.push(ruta);
            }
        }
    }

    /// `Presentes` makes every nullable field of an answer required; a field serde leaves out
    /// when it is `None` must say it is never null, or the document would promise it always.
    #[test]
    fn fields_left_out_when_none_are_documented_as_never_null() {
        let mut archivos = Vec::new();
        fuentes(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut archivos,
        );
        let mut vistos = 0;
        for archivo in archivos {
            let texto = std::fs::read_to_string(&archivo).unwrap();
            let lineas: Vec<&str> = texto.lines().map(str::trim).collect();
            for (i, l) in lineas.iter().enumerate() {
                if !l.starts_with("#[serde(skip_serializing_if = \"Option::is_none\")]") {
                    continue;
                }
                let derive = lineas[..i].iter().rev().find(|l| l.starts_with("#[derive("));
                if !derive.is_some_and(|d| d.contains("ToSchema")) {
                    continue;
                }
                vistos += 1;
                let atributos = lineas[i + 1..]
                    .iter()
                    .take_while(|l| l.starts_with("#[") || l.starts_with("///"));
                assert!(
                    atributos.clone().any(|l| *l == "#[schema(nullable = false)]"),
                    "{}:{}: a field left out when None needs #[schema(nullable = false)]",
                    archivo.display(),
                    i + 1
                );
            }
        }
        assert!(vistos >= 10, "the scan found the fields: {vistos}");
    }
}
