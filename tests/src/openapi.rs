//! The OpenAPI document held to what the API really does: every exchange the suite makes
//! through [`TestApp`](crate::TestApp) is checked here, and a call that the document does
//! not describe fails the test that made it, naming the method, the path, the status and
//! what differs.
//!
//! What is checked, against the document the server serves at `/api/v1/openapi.json`
//! (`trazo::api::openapi::completo`):
//! - the path and the method are documented (a route that does not exist may only answer the
//!   404 problem);
//! - every query parameter sent is documented, its value fits the parameter's schema, and the
//!   required ones are there;
//! - the request's content type is one the operation accepts and a JSON body validates against
//!   its schema (tests that send what the API must refuse skip this side:
//!   [`TestApp::peticion_invalida`](crate::TestApp::peticion_invalida));
//! - the status is documented for the operation, the content type is documented for that
//!   status, and a JSON body validates against that status's schema: required fields present,
//!   types, enums, formats (dates, date-times, UUIDs) and nullability as written, and no field
//!   the schema does not name (an object schema with `properties` is closed). Workbooks and
//!   other binary answers are checked for their content type only.
//!
//! Schemas are validated as JSON Schema 2020-12 (OpenAPI 3.1's dialect) by the `jsonschema`
//! crate; `#/components/schemas/...` references resolve because each schema is compiled with
//! the document's components beside it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::{Map, Value};

/// One request and its answer, as the harness made and received them.
pub struct Intercambio<'a> {
    pub metodo: &'a str,
    /// Path and query string, as sent (`/api/v1/facturas?q=F-1`).
    pub ruta: &'a str,
    pub tipo_peticion: Option<&'a str>,
    pub peticion: Option<&'a [u8]>,
    pub status: u16,
    pub tipo_respuesta: &'a str,
    pub respuesta: &'a [u8],
    /// False for a request sent invalid on purpose: only the answer is checked.
    pub revisar_peticion: bool,
}

/// Checks one exchange against the document; the error says everything that differs.
pub fn verificar(x: &Intercambio) -> Result<(), String> {
    let c = contrato();
    let (ruta, consulta) = x.ruta.split_once('?').unwrap_or((x.ruta, ""));
    // The docs page and the document itself are not operations of the API.
    if !ruta.starts_with("/api/v1/") || ruta == "/api/v1/openapi.json" {
        return Ok(());
    }
    let metodo = x.metodo.to_ascii_lowercase();
    let encontrada = c
        .buscar(ruta)
        .and_then(|(plantilla, item)| item.get(&metodo).map(|op| (plantilla, item, op)));
    let Some((plantilla, item, op)) = encontrada else {
        return c.ruta_inexistente(x, &metodo);
    };
    let donde = format!("{} {plantilla}", x.metodo.to_ascii_uppercase());
    let mut errores = Vec::new();
    if x.revisar_peticion {
        c.consulta(&donde, item, op, consulta, &mut errores);
        c.cuerpo_de_peticion(&donde, op, x, &mut errores);
    }
    c.respuesta(&donde, op, x, &mut errores);
    if errores.is_empty() {
        return Ok(());
    }
    Err(format!(
        "{} {} answered {} and does not match the OpenAPI document ({donde}):\n  - {}\nresponse body: {}",
        x.metodo,
        x.ruta,
        x.status,
        errores.join("\n  - "),
        recorte(x.respuesta)
    ))
}

struct Contrato {
    doc: Value,
    /// The document's components, with the schemas closed to undocumented fields and an open
    /// copy of each (`X__abierto`) for the places where it is one part of an `allOf`.
    componentes: Value,
    /// (segments of the template, template), the most literal segments first.
    plantillas: Vec<(Vec<String>, String)>,
    validadores: Mutex<HashMap<String, Arc<jsonschema::Validator>>>,
}

/// The document, loaded once for the whole suite.
fn contrato() -> &'static Contrato {
    static CONTRATO: OnceLock<Contrato> = OnceLock::new();
    CONTRATO.get_or_init(|| Contrato::de(documento()))
}

/// The OpenAPI document the server serves.
pub fn documento() -> Value {
    serde_json::to_value(trazo::api::openapi::completo()).expect("the OpenAPI document is JSON")
}

impl Contrato {
    fn de(doc: Value) -> Contrato {
        let mut esquemas = Map::new();
        let originales = doc["components"]["schemas"].as_object().cloned().unwrap_or_default();
        for (nombre, s) in originales {
            let mut abierto = s.clone();
            cerrar(&mut abierto, true);
            let mut cerrado = s;
            cerrar(&mut cerrado, false);
            esquemas.insert(nombre.clone(), cerrado);
            esquemas.insert(format!("{nombre}__abierto"), abierto);
        }
        let mut plantillas: Vec<(Vec<String>, String)> = doc["paths"]
            .as_object()
            .map(|p| {
                p.keys()
                    .map(|k| (k.split('/').map(str::to_string).collect(), k.clone()))
                    .collect()
            })
            .unwrap_or_default();
        let literales = |s: &[String]| s.iter().filter(|x| !x.starts_with('{')).count();
        plantillas.sort_by(|a, b| literales(&b.0).cmp(&literales(&a.0)).then(a.1.cmp(&b.1)));
        Contrato {
            componentes: serde_json::json!({ "schemas": esquemas }),
            doc,
            plantillas,
            validadores: Mutex::new(HashMap::new()),
        }
    }

    /// The documented template a concrete path falls under, and its path item.
    fn buscar(&self, ruta: &str) -> Option<(&str, &Value)> {
        let partes: Vec<&str> = ruta.split('/').collect();
        self.plantillas
            .iter()
            .find(|(segmentos, _)| {
                segmentos.len() == partes.len()
                    && segmentos
                        .iter()
                        .zip(&partes)
                        .all(|(s, p)| s == p || (s.starts_with('{') && !p.is_empty()))
            })
            .map(|(_, plantilla)| (plantilla.as_str(), &self.doc["paths"][plantilla]))
    }

    /// A route the document does not have may only be one the API does not have either: the
    /// 404 problem; a documented path asked with a method it does not take, the 405 problem.
    fn ruta_inexistente(&self, x: &Intercambio, metodo: &str) -> Result<(), String> {
        let problema = serde_json::json!({ "$ref": "#/components/schemas/Problema" });
        let cuerpo = serde_json::from_slice::<Value>(x.respuesta).ok();
        let ruta = x.ruta.split_once('?').map_or(x.ruta, |(r, _)| r);
        let esperado = if self.buscar(ruta).is_some() { 405 } else { 404 };
        let es_404 = x.status == esperado
            && media(x.tipo_respuesta) == "application/problem+json"
            && cuerpo
                .as_ref()
                .is_some_and(|v| self.validar("Problema", &problema, v).is_empty());
        if es_404 {
            return Ok(());
        }
        Err(format!(
            "{} {} is not in the OpenAPI document, yet it answered {} {}: {}",
            metodo.to_ascii_uppercase(),
            x.ruta,
            x.status,
            x.tipo_respuesta,
            recorte(x.respuesta)
        ))
    }

    fn parametros<'a>(&self, item: &'a Value, op: &'a Value) -> Vec<&'a Value> {
        op["parameters"]
            .as_array()
            .into_iter()
            .chain(item["parameters"].as_array())
            .flatten()
            .collect()
    }

    fn consulta(&self, donde: &str, item: &Value, op: &Value, consulta: &str, errores: &mut Vec<String>) {
        let params = self.parametros(item, op);
        let en_consulta: Vec<&Value> = params.iter().copied().filter(|p| p["in"] == "query").collect();
        let mut vistos = Vec::new();
        for (nombre, valor) in form_urlencoded::parse(consulta.as_bytes()) {
            vistos.push(nombre.to_string());
            let Some(p) = en_consulta.iter().find(|p| p["name"] == *nombre) else {
                let documentados: Vec<&str> = en_consulta.iter().filter_map(|p| p["name"].as_str()).collect();
                errores.push(format!(
                    "query parameter `{nombre}` is not documented (documented: {documentados:?})"
                ));
                continue;
            };
            let esquema = &p["schema"];
            let instancia = self.desde_texto(esquema, &valor);
            for e in self.validar(&format!("{donde} ?{nombre}"), esquema, &instancia) {
                errores.push(format!("query parameter `{nombre}` = '{valor}': {e}"));
            }
        }
        for p in en_consulta.iter().filter(|p| p["required"] == true) {
            let nombre = p["name"].as_str().unwrap_or_default();
            if !vistos.iter().any(|v| v == nombre) {
                errores.push(format!("required query parameter `{nombre}` was not sent"));
            }
        }
    }

    /// A query value as the JSON its schema describes (`3` a number, `true` a boolean).
    fn desde_texto(&self, esquema: &Value, valor: &str) -> Value {
        let esquema = self.resolver(esquema);
        let tipos: Vec<&str> = match &esquema["type"] {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if tipos.iter().any(|t| *t == "integer" || *t == "number") {
            if let Ok(n) = serde_json::from_str::<serde_json::Number>(valor) {
                return Value::Number(n);
            }
        }
        if tipos.contains(&"boolean") {
            match valor {
                "true" => return Value::Bool(true),
                "false" => return Value::Bool(false),
                _ => {}
            }
        }
        Value::String(valor.to_string())
    }

    /// A schema that is only a reference, followed once.
    fn resolver<'a>(&'a self, esquema: &'a Value) -> &'a Value {
        match esquema["$ref"].as_str().and_then(|r| r.strip_prefix("#/")) {
            Some(puntero) => self.doc.pointer(&format!("/{puntero}")).unwrap_or(esquema),
            None => esquema,
        }
    }

    fn cuerpo_de_peticion(&self, donde: &str, op: &Value, x: &Intercambio, errores: &mut Vec<String>) {
        let enviado = x.peticion.filter(|b| !b.is_empty());
        let Some(rb) = op.get("requestBody") else {
            if enviado.is_some() {
                errores.push("the request has a body, but the operation documents none".into());
            }
            return;
        };
        let Some(cuerpo) = enviado else {
            if rb["required"] == true {
                errores.push("the request body is required, and none was sent".into());
            }
            return;
        };
        let tipo = x.tipo_peticion.map(media).unwrap_or_default();
        let Some((clave, contenido)) = elegir(&rb["content"], &tipo) else {
            errores.push(format!(
                "request content type '{tipo}' is not documented (documented: {:?})",
                claves(&rb["content"])
            ));
            return;
        };
        if !es_json(clave) {
            return;
        }
        match serde_json::from_slice::<Value>(cuerpo) {
            Ok(v) => {
                for e in self.validar(&format!("{donde} request {clave}"), &contenido["schema"], &v) {
                    errores.push(format!("request body: {e}"));
                }
            }
            Err(e) => errores.push(format!("request body is not JSON: {e}")),
        }
    }

    fn respuesta(&self, donde: &str, op: &Value, x: &Intercambio, errores: &mut Vec<String>) {
        let respuestas = &op["responses"];
        let status = x.status.to_string();
        let clase = format!("{}XX", x.status / 100);
        let Some(r) = [status.as_str(), clase.as_str(), "default"]
            .into_iter()
            .find_map(|k| respuestas.get(k))
        else {
            errores.push(format!(
                "status {status} is not documented for the operation (documented: {:?})",
                claves(respuestas)
            ));
            return;
        };
        let r = self.resolver(r);
        if x.respuesta.is_empty() && r.get("content").is_none() {
            return;
        }
        let tipo = media(x.tipo_respuesta);
        let Some((clave, contenido)) = elegir(&r["content"], &tipo) else {
            errores.push(format!(
                "answered '{tipo}' with status {status}, which documents {:?}",
                claves(&r["content"])
            ));
            return;
        };
        if !es_json(clave) {
            return;
        }
        let Some(esquema) = contenido.get("schema") else {
            errores.push(format!(
                "status {status} '{clave}' has no schema to check the body against"
            ));
            return;
        };
        match serde_json::from_slice::<Value>(x.respuesta) {
            Ok(v) => {
                for e in self.validar(&format!("{donde} {status} {clave}"), esquema, &v) {
                    errores.push(format!("response body: {e}"));
                }
            }
            Err(e) => errores.push(format!("response body is not JSON: {e}")),
        }
    }

    /// What is wrong with `instancia` for `esquema` (compiled once per `clave`).
    fn validar(&self, clave: &str, esquema: &Value, instancia: &Value) -> Vec<String> {
        let validador = {
            let mut cache = self.validadores.lock().unwrap_or_else(|e| e.into_inner());
            match cache.get(clave) {
                Some(v) => v.clone(),
                None => {
                    let mut raiz = esquema.clone();
                    cerrar(&mut raiz, false);
                    let mut raiz = match raiz {
                        Value::Object(o) => o,
                        otro => {
                            let mut m = Map::new();
                            m.insert("allOf".into(), Value::Array(vec![otro]));
                            m
                        }
                    };
                    raiz.insert("components".into(), self.componentes.clone());
                    let v = jsonschema::options()
                        .with_draft(jsonschema::Draft::Draft202012)
                        .should_validate_formats(true)
                        .build(&Value::Object(raiz))
                        .unwrap_or_else(|e| panic!("{clave}: the document's schema does not compile: {e}"));
                    let v = Arc::new(v);
                    cache.insert(clave.to_string(), v.clone());
                    v
                }
            }
        };
        validador
            .iter_errors(instancia)
            .map(|e| {
                let en = e.instance_path().to_string();
                let en = if en.is_empty() { "/".to_string() } else { en };
                format!("at {en}: {e}")
            })
            .collect()
    }
}

/// Closes object schemas to fields they do not name (`unevaluatedProperties: false`), except
/// where the schema is one part of an `allOf` (`parte`): there the whole `allOf` is closed,
/// and a referenced component is taken in its open copy.
fn cerrar(s: &mut Value, parte: bool) {
    let Value::Object(o) = s else { return };
    if parte {
        if let Some(Value::String(r)) = o.get_mut("$ref") {
            if let Some(nombre) = r.strip_prefix("#/components/schemas/") {
                if !nombre.ends_with("__abierto") {
                    *r = format!("#/components/schemas/{nombre}__abierto");
                }
            }
        }
    }
    if let Some(Value::Object(props)) = o.get_mut("properties") {
        for v in props.values_mut() {
            cerrar(v, false);
        }
    }
    for clave in ["items", "additionalProperties", "not"] {
        if let Some(v) = o.get_mut(clave) {
            cerrar(v, false);
        }
    }
    for clave in ["oneOf", "anyOf", "prefixItems"] {
        if let Some(Value::Array(vs)) = o.get_mut(clave) {
            vs.iter_mut().for_each(|v| cerrar(v, false));
        }
    }
    if let Some(Value::Array(vs)) = o.get_mut("allOf") {
        vs.iter_mut().for_each(|v| cerrar(v, true));
    }
    let objeto = o.contains_key("properties") || o.contains_key("allOf");
    let abierto = o.contains_key("additionalProperties") || o.contains_key("unevaluatedProperties");
    if objeto && !abierto && !parte {
        o.insert("unevaluatedProperties".into(), Value::Bool(false));
    }
}

/// The media type of a `Content-Type`, without parameters.
fn media(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

fn es_json(media: &str) -> bool {
    media == "application/json" || media.ends_with("+json")
}

/// The documented content for a media type: the exact one, else a range (`text/*`, `*/*`).
fn elegir<'a>(contenidos: &'a Value, media: &str) -> Option<(&'a str, &'a Value)> {
    let c = contenidos.as_object()?;
    let principal = media.split('/').next().unwrap_or_default();
    c.get_key_value(media)
        .or_else(|| c.get_key_value(&format!("{principal}/*")))
        .or_else(|| c.get_key_value("*/*"))
        .map(|(k, v)| (k.as_str(), v))
}

fn claves(v: &Value) -> Vec<&str> {
    v.as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

fn recorte(bytes: &[u8]) -> String {
    let texto = String::from_utf8_lossy(bytes);
    if texto.len() > 2000 {
        let mut fin = 2000;
        while !texto.is_char_boundary(fin) {
            fin -= 1;
        }
        format!("{}…", &texto[..fin])
    } else {
        texto.into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn intercambio<'a>(metodo: &'a str, ruta: &'a str, status: u16, respuesta: &'a [u8]) -> Intercambio<'a> {
        Intercambio {
            metodo,
            ruta,
            tipo_peticion: None,
            peticion: None,
            status,
            tipo_respuesta: "application/json",
            respuesta,
            revisar_peticion: true,
        }
    }

    #[test]
    fn an_answer_the_document_does_not_describe_is_refused() {
        // Health as documented passes; with a field missing, a field more, a status not
        // documented or an unknown query parameter it does not.
        let bien = br#"{"status": "ok", "database": "sqlite"}"#;
        let sano = intercambio("GET", "/api/v1/health", 200, bien);
        verificar(&sano).unwrap();
        let falta = verificar(&intercambio("GET", "/api/v1/health", 200, br#"{"status": "ok"}"#)).unwrap_err();
        assert!(falta.contains("database"), "{falta}");
        let de_mas = br#"{"status": "ok", "database": "sqlite", "color": "azul"}"#;
        let e = verificar(&intercambio("GET", "/api/v1/health", 200, de_mas)).unwrap_err();
        assert!(e.contains("color"), "{e}");
        let e = verificar(&intercambio("GET", "/api/v1/health", 418, bien)).unwrap_err();
        assert!(e.contains("418"), "{e}");
        let e = verificar(&intercambio("GET", "/api/v1/health?x=1", 200, bien)).unwrap_err();
        assert!(e.contains("`x`"), "{e}");
    }

    #[test]
    fn a_request_body_against_its_schema_unless_invalid_on_purpose() {
        let login = |cuerpo: &'static [u8], revisar: bool| {
            Intercambio {
            metodo: "POST",
            ruta: "/api/v1/auth/login",
            tipo_peticion: Some("application/json"),
            peticion: Some(cuerpo),
            status: 401,
            tipo_respuesta: "application/problem+json",
            respuesta: br#"{"type": "urn:trazo:problema:no-autenticado", "title": "No autenticado", "status": 401, "detail": "x"}"#,
            revisar_peticion: revisar,
        }
        };
        verificar(&login(br#"{"email": "a@b.co", "password": "x"}"#, true)).unwrap();
        let e = verificar(&login(br#"{"email": "a@b.co"}"#, true)).unwrap_err();
        assert!(e.contains("password"), "{e}");
        verificar(&login(br#"{"email": "a@b.co"}"#, false)).unwrap();
    }

    #[test]
    fn unknown_routes_may_only_answer_404() {
        let p = br#"{"type": "urn:trazo:problema:no-encontrado", "title": "No encontrado", "status": 404, "detail": "no existe esa ruta"}"#;
        let mut x = intercambio("GET", "/api/v1/no-existe", 404, p);
        x.tipo_respuesta = "application/problem+json";
        verificar(&x).unwrap();
        x.status = 200;
        verificar(&x).unwrap_err();
        // A documented path with a method it does not take: 405, never 404.
        let p = br#"{"type": "urn:trazo:problema:metodo-no-permitido", "title": "Metodo no permitido", "status": 405, "detail": "esta ruta no admite DELETE; admite GET"}"#;
        let mut x = intercambio("DELETE", "/api/v1/glosas", 405, p);
        x.tipo_respuesta = "application/problem+json";
        verificar(&x).unwrap();
        x.status = 404;
        verificar(&x).unwrap_err();
    }

    #[test]
    fn closing_keeps_allof_parts_open_and_the_whole_closed() {
        let mut s = json!({"allOf": [{"$ref": "#/components/schemas/A"}, {"properties": {"b": {"type": "object", "properties": {}}}}]});
        cerrar(&mut s, false);
        assert_eq!(
            s,
            json!({"allOf": [{"$ref": "#/components/schemas/A__abierto"},
                             {"properties": {"b": {"type": "object", "properties": {}, "unevaluatedProperties": false}}}],
                   "unevaluatedProperties": false})
        );
    }
}
