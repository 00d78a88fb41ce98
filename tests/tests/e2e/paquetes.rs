//! The soportes checklist before radicación (Res. 2284/2023 Anexo 1) and the radicación
//! package (Anexo 2), with `radicacion.exigir_soportes` on as in production.
//!
//! Trazo's today is Monday 2026-11-30. One payer, invoices of $1.000.000 issued 2026-11-20, whose
//! RIPS bill two diagnostic procedures ($600.000 + $400.000): Anexo 1 num. 2.3 asks the invoice
//! (FEV), the results of the procedures (PDX) and the RIPS, validated with its CUV.

use std::io::Read;

use serde_json::{json, Value};
use trazo::domain::rol::Rol;
use trazo_tests::archivos::rips_json;
use trazo_tests::{eventos, id, Equipo, TestApp};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
const CUV: &str = "9c1f0e7a5b3d2c4e6f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6";

fn servidor() -> TestApp {
    TestApp::con(|s| {
        s.reloj.fecha_fija = "2026-11-30".into();
        s.radicacion.exigir_soportes = true;
    })
}

/// An invoice with its RIPS imported (no CUV yet, no soportes).
fn factura(app: &TestApp, e: &Equipo, numero: &str) -> String {
    let f = id(&app.factura(e, numero, "2026-11-20"));
    let rips = rips_json(&e.tenant.nit, numero, &["600000", "400000"]);
    let v = app.importar(
        &e.facturacion,
        &format!("tipo=rips_json&archivo={numero}.json"),
        "application/json",
        rips.as_bytes(),
    );
    assert_eq!(v["creados"], 1, "{v}");
    f
}

/// Attaches `bytes` as a soporte of type `tipo` of the invoice.
fn adjuntar(app: &TestApp, token: &str, factura: &str, tipo: &str, nombre: &str, bytes: &[u8]) -> Value {
    app.request(
        "POST",
        &format!("/api/v1/soportes?objeto=factura&objeto_id={factura}&tipo={tipo}&nombre={nombre}"),
        Some(token),
        Some("application/octet-stream"),
        Some(bytes),
    )
    .json()
}

/// Everything Anexo 1 num. 2.3 asks of the invoice, attached, and its CUV registered.
fn completar(app: &TestApp, e: &Equipo, f: &str, numero: &str) {
    let xml = format!("<?xml version=\"1.0\"?><AttachedDocument><cbc:ID>{numero}</cbc:ID></AttachedDocument>");
    adjuntar(app, &e.facturacion, f, "FEV", &format!("{numero}.xml"), xml.as_bytes());
    let rips = rips_json(&e.tenant.nit, numero, &["600000", "400000"]);
    adjuntar(
        app,
        &e.facturacion,
        f,
        "RIPS",
        &format!("{numero}.json"),
        rips.as_bytes(),
    );
    let pdx = [PDF, numero.as_bytes()].concat();
    adjuntar(app, &e.facturacion, f, "PDX", "resultados.pdf", &pdx);
    app.post(
        &format!("/api/v1/facturas/{f}/rips/cuv"),
        &e.facturacion,
        &json!({"cuv": CUV}),
    )
    .expect(200);
}

fn checklist(app: &TestApp, token: &str, f: &str) -> Value {
    app.get(&format!("/api/v1/facturas/{f}/soportes/checklist"), token)
        .expect(200)
        .json()
}

#[test]
fn the_checklist_says_what_anexo_1_asks_and_what_is_missing() {
    let app = servidor();
    let e = app.equipo();
    let f = factura(&app, &e, "P-1");
    let c = checklist(&app, &e.auditor, &f);
    assert_eq!(c["completo"], false);
    assert_eq!(c["modalidad"], "evento");
    assert!(c["grupos"][0].as_str().unwrap().starts_with("2.3 "), "{c}");
    let pedidos: Vec<&str> = c["requeridos"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["tipos"][0].as_str().unwrap())
        .collect();
    assert_eq!(pedidos, ["FEV", "RIPS", "PDX"]);
    let mensajes = c["mensajes"].to_string();
    assert!(
        mensajes.contains("falta Resultado de los procedimientos de apoyo diagnóstico (PDX)"),
        "{mensajes}"
    );
    assert!(mensajes.contains("CUV"), "{mensajes}");

    // Radicating it is refused, naming what is missing; nothing is recorded.
    let p = app
        .post(
            &format!("/api/v1/facturas/{f}/radicaciones"),
            &e.facturacion,
            &json!({"numero_radicado": "R-1", "fecha_radicacion": "2026-11-30"}),
        )
        .problem(422);
    assert!(p.to_string().contains("P-1") && p.to_string().contains("PDX"), "{p}");
    assert_eq!(app.ver_factura(&e.auditor, &f)["estado"], "expedida");

    completar(&app, &e, &f, "P-1");
    let c = checklist(&app, &e.auditor, &f);
    assert_eq!(
        (c["completo"].as_bool(), c["cuv"].as_str()),
        (Some(true), Some(CUV)),
        "{c}"
    );
    let t = app.trazabilidad(&e.auditor, &f);
    assert!(eventos(&t).iter().any(|x| x["tipo"] == "cuv_registrado"));
    app.radicar(&e, &f, "R-1", "2026-11-30");
}

#[test]
fn an_incomplete_invoice_is_radicated_only_with_a_reason_that_is_recorded() {
    let app = servidor();
    let e = app.equipo();
    let f = factura(&app, &e, "P-2");
    let g = factura(&app, &e, "P-3");
    completar(&app, &e, &g, "P-3");
    let lote = |excepcion: Option<&str>| {
        app.post(
            "/api/v1/radicaciones",
            &e.facturacion,
            &json!({"pagador_id": e.pagador_id, "numero_radicado": "R-L", "fecha_radicacion": "2026-11-30",
                "factura_ids": [g, f], "excepcion": excepcion}),
        )
    };
    let p = lote(None).problem(422);
    // The incomplete one is named by its place in the lote; the complete one is not.
    let errores = p["errors"].as_array().expect("errors");
    assert_eq!(errores.len(), 1, "{p}");
    assert_eq!(errores[0]["path"], "factura_ids[1]", "{p}");
    assert_eq!(lote(Some("ya")).problem(422)["errors"][0]["path"], "excepcion");
    assert_eq!(app.ver_factura(&e.auditor, &g)["estado"], "expedida", "all or none");

    let motivo = "El pagador recibe los resultados por su plataforma de laboratorio";
    lote(Some(motivo)).expect(201);
    let t = app.trazabilidad(&e.auditor, &f);
    let radicada = eventos(&t).iter().find(|x| x["tipo"] == "radicada").expect("radicada");
    assert_eq!(radicada["detalle"]["excepcion"]["motivo"], motivo, "{radicada}");
    assert!(radicada["detalle"]["excepcion"]["faltantes"]
        .to_string()
        .contains("PDX"));
    // The complete invoice went without an exception.
    let t = app.trazabilidad(&e.auditor, &g);
    let radicada = eventos(&t).iter().find(|x| x["tipo"] == "radicada").expect("radicada");
    assert!(radicada["detalle"].get("excepcion").is_none(), "{radicada}");
}

#[test]
fn the_package_zips_the_soportes_with_anexo_2_names_and_records_the_acknowledgement() {
    let app = servidor();
    let e = app.equipo();
    let f = factura(&app, &e, "FE-10");
    let g = factura(&app, &e, "FE-11");
    completar(&app, &e, &f, "FE-10");
    completar(&app, &e, &g, "FE-11");
    // Evidence of another kind does not travel as a soporte de cobro.
    adjuntar(&app, &e.facturacion, &f, "OTRO", "carta.pdf", &[PDF, b"carta"].concat());

    let p = app
        .post(
            "/api/v1/paquetes",
            &e.facturacion,
            &json!({"pagador_id": e.pagador_id, "factura_ids": [f, g]}),
        )
        .expect(201)
        .json();
    let nit = &e.tenant.nit;
    let nombres: Vec<&str> = p["manifiesto"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["nombre"].as_str().unwrap())
        .collect();
    let esperados = [
        format!("FEV_{nit}_FE-10.xml"),
        format!("FEV_{nit}_FE-11.xml"),
        format!("PDX_{nit}_FE-10.pdf"),
        format!("PDX_{nit}_FE-11.pdf"),
        format!("RIPS_{nit}_FE-10.json"),
        format!("RIPS_{nit}_FE-11.json"),
    ];
    assert_eq!(nombres, esperados);

    // The zip: flat, those names, the stored bytes, and the recorded hash and size.
    let zip = app.bytes(&format!("/api/v1/paquetes/{}/zip", id(&p)), &e.auditor);
    assert_eq!(zip.len() as i64, p["tamano"].as_i64().unwrap());
    assert_eq!(trazo::app::importaciones::hash(&zip), p["hash"].as_str().unwrap());
    let mut archivo = zip::ZipArchive::new(std::io::Cursor::new(zip)).expect("a zip");
    let mut dentro: Vec<String> = archivo.file_names().map(|n| n.expect("a name").to_string()).collect();
    dentro.sort();
    assert_eq!(dentro, esperados);
    assert!(dentro.iter().all(|n| !n.contains('/')), "no folders");
    let mut pdx = Vec::new();
    archivo
        .by_name(&format!("PDX_{nit}_FE-10.pdf"))
        .unwrap()
        .read_to_end(&mut pdx)
        .unwrap();
    assert_eq!(pdx, [PDF, b"FE-10"].concat());
    // Built again, it is the same zip.
    let otra_vez = app.bytes(&format!("/api/v1/paquetes/{}/zip", id(&p)), &e.facturacion);
    assert_eq!(trazo::app::importaciones::hash(&otra_vez), p["hash"].as_str().unwrap());
    // Another prestador neither reads, downloads nor radicates it; a payer's user and cartera
    // radicate no package.
    let otro = app.equipo();
    for ruta in [
        format!("/api/v1/paquetes/{}", id(&p)),
        format!("/api/v1/paquetes/{}/zip", id(&p)),
    ] {
        app.get(&ruta, &otro.auditor).problem(404);
    }
    let acuse = json!({"numero_radicado": "RAD-X", "acuse_en": "2026-11-27T10:00:00-05:00"});
    let radicar = format!("/api/v1/paquetes/{}/radicacion", id(&p));
    app.post(&radicar, &otro.facturacion, &acuse).problem(404);
    app.post(&radicar, &e.cartera, &acuse).problem(403);
    let portal = app.user_de_pagador(&e.tenant, &e.pagador_id);
    app.get(&format!("/api/v1/paquetes/{}", id(&p)), &portal).problem(403);
    assert_eq!(app.get("/api/v1/paquetes", &otro.auditor).expect(200).json(), json!([]));

    // Radicated with the payer's acknowledgement: 21:40 in Bogotá on the 27th is the 28th in
    // UTC, and the radicación is the 27th.
    let r = app
        .post(
            &format!("/api/v1/paquetes/{}/radicacion", id(&p)),
            &e.facturacion,
            &json!({"numero_radicado": "RAD-900", "acuse_en": "2026-11-27T21:40:00-05:00", "acuse_referencia": "ACK-77"}),
        )
        .expect(200)
        .json();
    assert_eq!(
        (r["estado"].as_str(), r["acuse_en"].as_str()),
        (Some("radicado"), Some("2026-11-28T02:40:00Z"))
    );
    for x in [&f, &g] {
        let v = app.ver_factura(&e.auditor, x);
        assert_eq!(
            (v["estado"].as_str(), v["fecha_radicacion"].as_str()),
            (Some("radicada"), Some("2026-11-27"))
        );
        let t = app.trazabilidad(&e.auditor, x);
        let radicada = eventos(&t).iter().find(|x| x["tipo"] == "radicada").expect("radicada");
        assert_eq!(radicada["detalle"]["paquete"]["hash"], p["hash"], "{radicada}");
        assert_eq!(radicada["detalle"]["paquete"]["acuse_referencia"], "ACK-77");
        assert!(eventos(&t).iter().any(|x| x["tipo"] == "paquete_generado"));
    }
    // Once only.
    app.post(
        &format!("/api/v1/paquetes/{}/radicacion", id(&p)),
        &e.facturacion,
        &json!({"numero_radicado": "RAD-901", "acuse_en": "2026-11-28T08:00:00-05:00"}),
    )
    .problem(409);
}

#[test]
fn a_package_is_refused_when_incomplete_oversize_or_not_the_callers() {
    let app = TestApp::con(|s| {
        s.reloj.fecha_fija = "2026-11-30".into();
        s.radicacion.exigir_soportes = true;
        s.radicacion.max_bytes_paquete = 600;
    });
    let e = app.equipo();
    let f = factura(&app, &e, "Q-1");
    let nuevo = |token: &str, excepcion: Option<&str>| {
        app.post(
            "/api/v1/paquetes",
            token,
            &json!({"pagador_id": e.pagador_id, "factura_ids": [f], "excepcion": excepcion}),
        )
    };
    let p = nuevo(&e.facturacion, None).problem(422);
    assert!(p.to_string().contains("Q-1"), "{p}");
    completar(&app, &e, &f, "Q-1");
    // Over `radicacion.max_bytes_paquete`.
    let p = nuevo(&e.facturacion, None).problem(413);
    assert!(
        p["detail"].as_str().unwrap().contains("radicacion.max_bytes_paquete"),
        "{p}"
    );
    // Roles: only facturación builds packages; a payer's user reaches none of this.
    nuevo(&e.cartera, None).problem(403);
    let portal = app.user_de_pagador(&e.tenant, &e.pagador_id);
    nuevo(&portal, None).problem(403);
    app.get(&format!("/api/v1/facturas/{f}/soportes/checklist"), &portal)
        .problem(403);
    app.post(
        &format!("/api/v1/facturas/{f}/rips/cuv"),
        &e.cartera,
        &json!({"cuv": CUV}),
    )
    .problem(403);
    // Another prestador sees neither the invoice's checklist nor packages of it.
    let otro = app.equipo();
    app.get(&format!("/api/v1/facturas/{f}/soportes/checklist"), &otro.auditor)
        .problem(404);
    app.post(
        "/api/v1/paquetes",
        &otro.facturacion,
        &json!({"pagador_id": otro.pagador_id, "factura_ids": [f]}),
    )
    .problem(422);
    let auditor = app.user(&e.tenant, Rol::Auditor);
    assert_eq!(app.get("/api/v1/paquetes", &auditor).expect(200).json(), json!([]));
}

#[test]
fn a_cuv_is_registered_only_for_a_rips_the_validator_accepted() {
    let app = servidor();
    let e = app.equipo();
    let sin_rips = id(&app.factura(&e, "C-1", "2026-11-20"));
    let p = app
        .post(
            &format!("/api/v1/facturas/{sin_rips}/rips/cuv"),
            &e.facturacion,
            &json!({"cuv": CUV}),
        )
        .problem(422);
    assert!(p.to_string().contains("importe su RIPS"), "{p}");
    let f = factura(&app, &e, "C-2");
    let rechazado = json!({"cuv": r#"{"ResultState": false, "CodigoUnicoValidacion": "", "ResultadosValidacion": [{"Clase": "RECHAZADO", "Codigo": "RVC019"}]}"#});
    app.post(&format!("/api/v1/facturas/{f}/rips/cuv"), &e.facturacion, &rechazado)
        .problem(422);
    let aceptado = json!({"cuv": format!(r#"{{"ResultState": true, "ProcesoId": 7781, "NumFactura": "C-2", "CodigoUnicoValidacion": "{CUV}", "ResultadosValidacion": []}}"#)});
    let c = app
        .post(&format!("/api/v1/facturas/{f}/rips/cuv"), &e.facturacion, &aceptado)
        .expect(200)
        .json();
    assert_eq!(c["cuv"], CUV);
}
