//! No input panics: every operation of the OpenAPI document is called by every role with
//! every text field, query parameter and path id written in multibyte and odd Unicode (the
//! `AÑ123` that once crashed the catalog, right-to-left marks, zero-width spaces, combining
//! accents, astral characters, NUL). Whatever the answer, it is never a 500, and the server
//! keeps serving.

use serde_json::{json, Map, Value};
use trazo_tests::TestApp;

const RAROS: &[&str] = &[
    "AÑ123",
    "ñÑáé\u{0301}ü 日本語 🏥𝔘",
    "\u{202E}FA0101\u{200B}",
    "\u{0000}x\u{FEFF}",
    "ـــ٠١٢",
];

/// A value the schema accepts in shape, with `texto` in every free string.
fn instancia(doc: &Value, esquema: &Value, texto: &str, hondo: usize) -> Value {
    if hondo > 8 {
        return Value::Null;
    }
    if let Some(r) = esquema["$ref"].as_str() {
        let nombre = r.rsplit('/').next().unwrap_or_default();
        return instancia(doc, &doc["components"]["schemas"][nombre], texto, hondo + 1);
    }
    for clave in ["oneOf", "anyOf", "allOf"] {
        if let Some(v) = esquema[clave].as_array() {
            let opcion = v.iter().find(|x| x["type"] != "null").unwrap_or(&v[0]);
            return instancia(doc, opcion, texto, hondo + 1);
        }
    }
    if let Some(e) = esquema["enum"].as_array() {
        return e.iter().find(|x| !x.is_null()).cloned().unwrap_or(Value::Null);
    }
    let tipo = match &esquema["type"] {
        Value::Array(ts) => ts.iter().find(|t| *t != "null").cloned().unwrap_or(Value::Null),
        t => t.clone(),
    };
    match tipo.as_str().unwrap_or("object") {
        "string" => match esquema["format"].as_str() {
            Some("date") => json!("2026-01-05"),
            Some("date-time") => json!("2026-01-05T10:00:00Z"),
            _ => json!(texto),
        },
        "integer" => json!(1),
        "number" => json!(1),
        "boolean" => json!(true),
        "array" => json!([instancia(doc, &esquema["items"], texto, hondo + 1)]),
        _ => {
            let mut m = Map::new();
            if let Some(ps) = esquema["properties"].as_object() {
                for (k, s) in ps {
                    m.insert(k.clone(), instancia(doc, s, texto, hondo + 1));
                }
            }
            Value::Object(m)
        }
    }
}

fn codificar(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[test]
fn every_operation_survives_odd_unicode_in_every_field_for_every_role() {
    let app = TestApp::spawn_el("2026-06-30");
    // Real records, so half the calls get past "no existe" into each use case's checks.
    let e = app.equipo();
    let tokens: Vec<String> = vec![
        e.tenant.admin.clone(),
        e.facturacion.clone(),
        e.cartera.clone(),
        e.finanzas.clone(),
        e.auditor.clone(),
    ];
    let f = trazo_tests::id(&app.factura(&e, "U-1", "2026-06-01"));
    app.radicar(&e, &f, "R-U1", "2026-06-02");
    let g = trazo_tests::id(
        &app.glosar(&e, &f, &trazo_tests::Glosa::new("FA0101", "1000.00", "2026-06-05"))
            .expect(201)
            .json(),
    );
    let f2 = trazo_tests::id(&app.factura(&e, "U-2", "2026-06-01"));
    app.radicar(&e, &f2, "R-U2", "2026-06-02");
    let d = app.devolver(&e.cartera, &f2, "DE1601", "2026-06-03").expect(201).json()["devoluciones"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let pago = app.pagar(&e, &f, "2026-06-10", "100.00");
    let reales: Vec<(&str, String)> = vec![
        ("facturas", f),
        ("glosas", g),
        ("devoluciones", d),
        ("pagos", trazo_tests::id(&pago)),
        (
            "aplicaciones",
            pago["aplicaciones"][0]["id"].as_str().unwrap().to_string(),
        ),
        ("pagadores", e.pagador_id.clone()),
    ];
    let doc = serde_json::to_value(trazo::api::openapi::completo()).unwrap();
    let mut llamadas = 0;
    let mut fallas: Vec<String> = Vec::new();
    for (plantilla, item) in doc["paths"].as_object().unwrap() {
        for metodo in ["get", "post", "patch", "put", "delete"] {
            let Some(op) = item.get(metodo) else { continue };
            if plantilla.ends_with("/auth/login") {
                continue;
            }
            for (i, texto) in RAROS.iter().enumerate() {
                let segmentos: Vec<&str> = plantilla.split('/').collect();
                let ruta: String = segmentos
                    .iter()
                    .enumerate()
                    .map(|(k, s)| {
                        if !s.starts_with('{') {
                            return s.to_string();
                        }
                        let real = reales
                            .iter()
                            .find(|(nombre, _)| k > 0 && segmentos[k - 1] == *nombre)
                            .map(|(_, id)| id.clone());
                        match real {
                            Some(id) if i % 2 == 0 => id,
                            _ => codificar(texto),
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("/");
                let consulta: Vec<String> = op["parameters"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|p| p["in"] == "query")
                    .filter_map(|p| {
                        let v = instancia(&doc, &p["schema"], texto, 0);
                        let v = match v {
                            Value::String(s) => s,
                            Value::Null | Value::Object(_) | Value::Array(_) => return None,
                            otro => otro.to_string(),
                        };
                        Some(format!("{}={}", p["name"].as_str()?, codificar(&v)))
                    })
                    .collect();
                let url = if consulta.is_empty() {
                    ruta
                } else {
                    format!("{ruta}?{}", consulta.join("&"))
                };
                let cuerpo = op["requestBody"]["content"]["application/json"]["schema"].clone();
                let body = (!cuerpo.is_null()).then(|| instancia(&doc, &cuerpo, texto, 0).to_string());
                for token in &tokens {
                    llamadas += 1;
                    // Every failure is gathered, not only the first: one run shows them all.
                    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        app.peticion_invalida().request(
                            &metodo.to_uppercase(),
                            &url,
                            Some(token),
                            body.as_ref().map(|_| "application/json"),
                            body.as_deref().map(str::as_bytes),
                        )
                    }));
                    match r {
                        Err(p) => fallas.push(
                            p.downcast_ref::<String>()
                                .cloned()
                                .unwrap_or_else(|| format!("{metodo} {url}: panic")),
                        ),
                        Ok(r) if r.status >= 500 && r.status != 503 => fallas.push(format!(
                            "{} {url} with {texto:?} answered {}: {}",
                            metodo.to_uppercase(),
                            r.status,
                            r.text
                        )),
                        Ok(_) => {}
                    }
                }
            }
        }
    }
    assert!(llamadas > 1500, "only {llamadas} calls");
    assert!(
        fallas.is_empty(),
        "{} of {llamadas} calls failed:\n{}",
        fallas.len(),
        fallas.join("\n")
    );
    app.get("/api/v1/health", &e.auditor).expect(200);
}
