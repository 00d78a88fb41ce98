//! Soportes: files attached to an invoice, a glosa's or devolución's answer, an acuerdo de pago
//! or an acta, kept in the database once per content, within the configured limits, each
//! attachment and removal an event of the invoices it concerns (Res. 2284/2023 Anexos 1 y 2).
//!
//! Trazo's today is 2026-06-30; invoices are issued 2026-06-01 and radicated 2026-06-05.

use serde_json::{json, Value};
use trazo_tests::{eventos, id, Equipo, Glosa, Resp, TestApp};

/// A tiny valid PDF of `n` bytes or more whose content depends on `marca`.
fn pdf(marca: &str, n: usize) -> Vec<u8> {
    let mut b = format!("%PDF-1.4\n% {marca}\n1 0 obj<</Type/Catalog>>endobj\n").into_bytes();
    while b.len() + 6 < n {
        b.extend_from_slice(b"% ....\n");
    }
    b.extend_from_slice(b"%%EOF\n");
    b
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0";

fn adjuntar(app: &TestApp, token: &str, objeto: &str, objeto_id: &str, tipo: &str, nombre: &str, bytes: &[u8]) -> Resp {
    let q: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("objeto", objeto)
        .append_pair("objeto_id", objeto_id)
        .append_pair("tipo", tipo)
        .append_pair("nombre", nombre)
        .finish();
    app.request(
        "POST",
        &format!("/api/v1/soportes?{q}"),
        Some(token),
        Some("application/octet-stream"),
        Some(bytes),
    )
}

fn lista(app: &TestApp, token: &str, objeto: &str, objeto_id: &str, todos: bool) -> Value {
    app.get(
        &format!("/api/v1/soportes?objeto={objeto}&objeto_id={objeto_id}&todos={todos}"),
        token,
    )
    .expect(200)
    .json()
}

fn de_tipo<'a>(t: &'a Value, tipo: &str) -> Vec<&'a Value> {
    eventos(t).iter().filter(|e| e["tipo"] == tipo).collect()
}

/// An invoice radicated, with a glosa of $100.000 received 2026-06-10.
fn factura_glosada(app: &TestApp, e: &Equipo, numero: &str) -> (String, String) {
    let f = id(&app.factura(e, numero, "2026-06-01"));
    app.radicar(e, &f, &format!("R-{numero}"), "2026-06-05");
    let g = id(&app
        .glosar(e, &f, &Glosa::new("TA0201", "100000.00", "2026-06-10"))
        .expect(201)
        .json());
    (f, g)
}

#[test]
fn a_pdf_attached_to_an_invoice_is_listed_downloaded_and_told_in_its_trazabilidad() {
    let app = TestApp::spawn_el("2026-06-30");
    let e = app.equipo();
    let (f, glosa) = factura_glosada(&app, &e, "FE-10");
    let hoja = pdf("hoja de evolución", 3000);

    let s = adjuntar(
        &app,
        &e.facturacion,
        "factura",
        &f,
        "HEV",
        "Hoja de evolución.pdf",
        &hoja,
    )
    .expect(201)
    .json();
    assert_eq!(s["tipo"], "HEV");
    assert_eq!(s["tipo_nombre"], "Resumen de atención u hoja de evolución");
    assert_eq!(s["media_type"], "application/pdf");
    assert_eq!(s["tamano"], hoja.len());
    assert_eq!(s["hash"], trazo::db::hash(&hoja));
    assert_eq!(s["factura_id"], f.as_str());
    // Anexo 2: TIPO_NIT_NUMEROFACTURA.pdf.
    assert_eq!(s["nombre_anexo2"], format!("HEV_{}_FE-10.pdf", e.tenant.nit));
    assert!(s["retirado"].is_null());

    let l = lista(&app, &e.auditor, "factura", &f, false);
    assert_eq!(l["total"], 1);
    assert_eq!(l["items"][0]["id"], s["id"]);
    assert_eq!(l["bytes_usados"], hoja.len());
    assert_eq!(l["bytes_maximos"], 20u64 * 1024 * 1024 * 1024);
    assert_eq!(l["registro"], "la factura FE-10");

    // Every staff role that sees the invoice downloads the same bytes, as a PDF, with its name.
    for token in [&e.finanzas, &e.auditor, &e.cartera, &e.facturacion, &e.tenant.admin] {
        let r = app
            .get(&format!("/api/v1/soportes/{}/contenido", id(&s)), token)
            .expect(200);
        assert_eq!(r.bytes, hoja);
        assert_eq!(r.content_type, "application/pdf");
        let cd = r.header("content-disposition").expect("content-disposition");
        assert!(cd.starts_with("attachment"), "{cd}");
        assert!(cd.contains("Hoja de evoluci"), "{cd}");
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    }

    // The trazabilidad says who attached what.
    let t = app.trazabilidad(&e.cartera, &f);
    let adjuntados = de_tipo(&t, "soporte_adjuntado");
    assert_eq!(adjuntados.len(), 1, "{t}");
    let texto = adjuntados[0]["detalle"]["texto"].as_str().unwrap();
    assert!(
        texto.contains("HEV (Resumen de atención u hoja de evolución)")
            && texto.contains("factura FE-10")
            && texto.contains("Hoja de evolución.pdf"),
        "{texto}"
    );
    assert!(adjuntados[0]["actor"].as_str().unwrap().starts_with("facturacion-"));
    assert_eq!(adjuntados[0]["fecha"], "2026-06-30");

    // The same file again: the same soporte, no second event, one copy kept.
    let otra_vez = adjuntar(&app, &e.cartera, "factura", &f, "HEV", "copia.pdf", &hoja)
        .expect(200)
        .json();
    assert_eq!(otra_vez["id"], s["id"]);
    let l = lista(&app, &e.cartera, "factura", &f, false);
    assert_eq!(l["total"], 1);
    assert_eq!(l["bytes_usados"], hoja.len());
    assert_eq!(de_tipo(&app.trazabilidad(&e.cartera, &f), "soporte_adjuntado").len(), 1);

    // The same bytes as evidence of the glosa's answer: a soporte of the glosa, still one copy.
    adjuntar(&app, &e.facturacion, "glosa", &glosa, "OTRO", "x.pdf", &hoja).problem(403);
    let de_glosa = adjuntar(&app, &e.cartera, "glosa", &glosa, "OTRO", "sustento.pdf", &hoja)
        .expect(201)
        .json();
    assert_ne!(de_glosa["id"], s["id"]);
    assert_eq!(de_glosa["factura_id"], f.as_str());
    let l = lista(&app, &e.cartera, "glosa", &glosa, false);
    assert_eq!(l["total"], 1);
    assert_eq!(l["bytes_usados"], hoja.len(), "one copy of the content");
    let t = app.trazabilidad(&e.cartera, &f);
    let textos: Vec<&str> = de_tipo(&t, "soporte_adjuntado")
        .iter()
        .map(|e| e["detalle"]["texto"].as_str().unwrap())
        .collect();
    assert!(
        textos
            .iter()
            .any(|x| x.contains("glosa TA0201 de la factura FE-10") && x.contains("sustento.pdf")),
        "{textos:?}"
    );

    // Removing needs a reason; the soporte leaves the list, stays in the history, its file kept.
    let retiro = format!("/api/v1/soportes/{}/retiro", id(&s));
    app.post(&retiro, &e.finanzas, &json!({"motivo": "no"})).problem(403);
    let p = app.post(&retiro, &e.facturacion, &json!({"motivo": "  "})).problem(422);
    assert_eq!(p["errors"][0]["path"], "motivo");
    let r = app
        .post(&retiro, &e.facturacion, &json!({"motivo": "era de otro paciente"}))
        .expect(200)
        .json();
    assert_eq!(r["retirado"]["motivo"], "era de otro paciente");
    assert!(r["retirado"]["por"].as_str().unwrap().starts_with("facturacion-"));
    app.post(&retiro, &e.facturacion, &json!({"motivo": "otra vez"}))
        .problem(409);
    assert_eq!(lista(&app, &e.cartera, "factura", &f, false)["total"], 0);
    let todos = lista(&app, &e.cartera, "factura", &f, true);
    assert_eq!(todos["total"], 1);
    assert_eq!(todos["items"][0]["retirado"]["motivo"], "era de otro paciente");
    let r = app
        .get(&format!("/api/v1/soportes/{}/contenido", id(&s)), &e.auditor)
        .expect(200);
    assert_eq!(r.bytes, hoja, "the evidence is kept");
    let t = app.trazabilidad(&e.auditor, &f);
    let retirados = de_tipo(&t, "soporte_retirado");
    assert_eq!(retirados.len(), 1, "{t}");
    let texto = retirados[0]["detalle"]["texto"].as_str().unwrap();
    assert!(
        texto.contains("retirado") && texto.contains("era de otro paciente"),
        "{texto}"
    );
    // The glosa's soporte is untouched, and the content is still kept once.
    assert_eq!(lista(&app, &e.cartera, "glosa", &glosa, false)["total"], 1);

    // Attached again after its removal, the content is a new soporte of the invoice.
    let de_nuevo = adjuntar(
        &app,
        &e.facturacion,
        "factura",
        &f,
        "HEV",
        "Hoja de evolución.pdf",
        &hoja,
    )
    .expect(201)
    .json();
    assert_ne!(de_nuevo["id"], s["id"]);
}

#[test]
fn types_sizes_and_the_prestadors_quota_are_enforced() {
    let app = TestApp::con(|s| {
        s.reloj.fecha_fija = "2026-06-30".into();
        s.soportes.max_bytes_archivo = 2048;
        s.soportes.max_bytes_prestador = 4096;
    });
    let e = app.equipo();
    let (f, glosa) = factura_glosada(&app, &e, "FE-20");

    // Larger than a file may be.
    let p = adjuntar(
        &app,
        &e.facturacion,
        "factura",
        &f,
        "EPI",
        "grande.pdf",
        &pdf("g", 3000),
    )
    .problem(413);
    let d = p["detail"].as_str().unwrap();
    assert!(
        d.contains("grande.pdf") && d.contains("soportes.max_bytes_archivo"),
        "{d}"
    );

    // What the type does not take, read from the bytes (the name says .pdf).
    let exe = b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0";
    let p = adjuntar(&app, &e.facturacion, "factura", &f, "HEV", "hoja.pdf", exe).problem(415);
    let d = p["detail"].as_str().unwrap();
    assert!(d.contains("«hoja.pdf»") && d.contains("PDF"), "{d}");
    let zip = trazo_tests::zip_de(&[("a.pdf".to_string(), pdf("z", 100))]);
    adjuntar(&app, &e.facturacion, "factura", &f, "OTRO", "soportes.zip", &zip).problem(415);
    let p = adjuntar(&app, &e.facturacion, "factura", &f, "HEV", "foto.png", PNG).problem(415);
    let d = p["detail"].as_str().unwrap();
    assert!(d.contains("imagen PNG") && d.contains("Anexo 2 num. 2.3"), "{d}");
    adjuntar(
        &app,
        &e.facturacion,
        "factura",
        &f,
        "FEV",
        "factura.pdf",
        &pdf("x", 100),
    )
    .problem(415);
    adjuntar(
        &app,
        &e.facturacion,
        "factura",
        &f,
        "RIPS",
        "rips.json",
        b"{\"usuarios\": [",
    )
    .problem(415);
    // An empty body (the document asks for one: sent as a client that forgot the file would).
    app.peticion_invalida()
        .request(
            "POST",
            &format!("/api/v1/soportes?objeto=factura&objeto_id={f}&tipo=HEV&nombre=vacio.pdf"),
            Some(&e.facturacion),
            Some("application/pdf"),
            Some(b""),
        )
        .problem(415);
    // An unknown type is a bad query.
    app.peticion_invalida()
        .request(
            "POST",
            &format!("/api/v1/soportes?objeto=factura&objeto_id={f}&tipo=XYZ"),
            Some(&e.facturacion),
            Some("application/pdf"),
            Some(&pdf("q", 100)),
        )
        .problem(400);
    // A wrong person's document of a multi-user invoice.
    let q = format!("/api/v1/soportes?objeto=factura&objeto_id={f}&tipo=EPI&nombre=e.pdf&documento_usuario=123");
    let p = app
        .request(
            "POST",
            &q,
            Some(&e.facturacion),
            Some("application/pdf"),
            Some(&pdf("d", 100)),
        )
        .problem(422);
    assert_eq!(p["errors"][0]["path"], "documento_usuario");
    let q = format!("/api/v1/soportes?objeto=factura&objeto_id={f}&tipo=EPI&nombre=e.pdf&documento_usuario=cc%20123");
    let s = app
        .request(
            "POST",
            &q,
            Some(&e.facturacion),
            Some("application/pdf"),
            Some(&pdf("d", 100)),
        )
        .expect(201)
        .json();
    assert_eq!(s["documento_usuario"], "CC123");
    assert_eq!(s["nombre_anexo2"], format!("EPI_{}_FE-20_CC123.pdf", e.tenant.nit));
    // What the other types take.
    let png = adjuntar(&app, &e.facturacion, "factura", &f, "OTRO", "foto.png", PNG)
        .expect(201)
        .json();
    assert_eq!(png["media_type"], "image/png");
    let xml = adjuntar(
        &app,
        &e.facturacion,
        "factura",
        &f,
        "FEV",
        "fe.xml",
        b"<?xml version=\"1.0\"?><Invoice/>",
    )
    .expect(201)
    .json();
    assert_eq!(xml["media_type"], "application/xml");
    assert_eq!(xml["nombre_anexo2"], format!("FEV_{}_FE-20.xml", e.tenant.nit));
    let json = adjuntar(
        &app,
        &e.facturacion,
        "factura",
        &f,
        "RIPS",
        "rips.json",
        b"{\"usuarios\": []}",
    )
    .expect(201)
    .json();
    assert_eq!(json["media_type"], "application/json");

    // The prestador's quota: what is kept plus the new content may not pass it.
    let usados = lista(&app, &e.cartera, "factura", &f, false)["bytes_usados"]
        .as_i64()
        .unwrap();
    let cabe = pdf("cabe", (4096 - usados as usize).min(2048) - 10);
    adjuntar(&app, &e.facturacion, "factura", &f, "HEV", "cabe.pdf", &cabe).expect(201);
    let usados = lista(&app, &e.cartera, "factura", &f, false)["bytes_usados"]
        .as_i64()
        .unwrap();
    assert!(usados <= 4096 && usados > 4096 - 2048, "{usados}");
    let p = adjuntar(
        &app,
        &e.facturacion,
        "factura",
        &f,
        "HEV",
        "no-cabe.pdf",
        &pdf("no cabe", 2000),
    )
    .problem(413);
    let d = p["detail"].as_str().unwrap();
    assert!(
        d.contains("no-cabe.pdf") && d.contains("soportes.max_bytes_prestador") && d.contains(&usados.to_string()),
        "{d}"
    );
    // Content already kept takes no more space: it may be attached elsewhere.
    adjuntar(&app, &e.cartera, "glosa", &glosa, "OTRO", "cabe.pdf", &cabe).expect(201);
    assert_eq!(lista(&app, &e.cartera, "glosa", &glosa, false)["bytes_usados"], usados);
}

#[test]
fn only_the_prestadors_staff_with_the_right_role_reach_soportes() {
    let app = TestApp::spawn_el("2026-06-30");
    let e = app.equipo();
    let (f, glosa) = factura_glosada(&app, &e, "FE-30");
    let s = adjuntar(&app, &e.cartera, "factura", &f, "EPI", "epicrisis.pdf", &pdf("e", 200))
        .expect(201)
        .json();
    let contenido = format!("/api/v1/soportes/{}/contenido", id(&s));
    let listar = format!("/api/v1/soportes?objeto=factura&objeto_id={f}");

    // No token.
    app.request("GET", &listar, None, None, None).problem(401);
    app.request("GET", &contenido, None, None, None).problem(401);
    app.request(
        "POST",
        &format!("/api/v1/soportes?objeto=factura&objeto_id={f}&tipo=HEV"),
        None,
        Some("application/pdf"),
        Some(&pdf("n", 100)),
    )
    .problem(401);

    // Roles: finanzas and the auditor read but do not attach; billing does not attach to glosas.
    adjuntar(&app, &e.finanzas, "factura", &f, "HEV", "h.pdf", &pdf("f", 100)).problem(403);
    adjuntar(&app, &e.auditor, "factura", &f, "HEV", "h.pdf", &pdf("f", 100)).problem(403);
    adjuntar(&app, &e.facturacion, "glosa", &glosa, "OTRO", "h.pdf", &pdf("f", 100)).problem(403);
    adjuntar(&app, &e.finanzas, "glosa", &glosa, "OTRO", "h.pdf", &pdf("f", 100)).problem(403);
    app.post(
        &format!("/api/v1/soportes/{}/retiro", id(&s)),
        &e.auditor,
        &json!({"motivo": "x"}),
    )
    .problem(403);

    // The payer's user never reaches the prestador's soportes, not even of its own invoices.
    let pagador = app.user_de_pagador(&e.tenant, &e.pagador_id);
    app.get(&listar, &pagador).problem(403);
    app.get(&contenido, &pagador).problem(403);
    adjuntar(&app, &pagador, "factura", &f, "HEV", "h.pdf", &pdf("p", 100)).problem(403);
    // Its window shows that a soporte was attached, without a link to it.
    let ventana = app.get(&format!("/api/v1/portal/facturas/{f}"), &pagador).expect(200);
    assert!(ventana.text.contains("soporte_adjuntado"), "{}", ventana.text);
    assert!(!ventana.text.contains(&contenido));

    // Another prestador: its records and soportes do not exist.
    let otro = app.equipo();
    app.get(&listar, &otro.cartera).problem(404);
    app.get(&contenido, &otro.cartera).problem(404);
    app.get(&format!("/api/v1/soportes/{}", id(&s)), &otro.cartera)
        .problem(404);
    adjuntar(&app, &otro.cartera, "factura", &f, "HEV", "h.pdf", &pdf("o", 100)).problem(404);
    adjuntar(&app, &otro.cartera, "glosa", &glosa, "OTRO", "h.pdf", &pdf("o", 100)).problem(404);
    app.post(
        &format!("/api/v1/soportes/{}/retiro", id(&s)),
        &otro.cartera,
        &json!({"motivo": "x"}),
    )
    .problem(404);
    // ...and a record of the right kind that does not exist.
    adjuntar(&app, &e.cartera, "acta", &f, "OTRO", "h.pdf", &pdf("o", 100)).problem(404);
    // Nothing of that changed the owner's soportes.
    assert_eq!(lista(&app, &e.cartera, "factura", &f, false)["total"], 1);
    assert_eq!(
        lista(
            &app,
            &otro.cartera,
            "factura",
            &id(&app.factura(&otro, "FE-30", "2026-06-01")),
            false
        )["bytes_usados"],
        0
    );
}

#[test]
fn a_devolucion_an_acuerdo_and_an_acta_carry_soportes_told_on_each_of_their_invoices() {
    let app = TestApp::spawn_el("2026-06-30");
    let e = app.equipo();
    // A returned invoice: evidence of its answer.
    let d1 = id(&app.factura(&e, "FE-41", "2026-06-01"));
    app.radicar(&e, &d1, "R-41", "2026-06-05");
    app.devolver(&e.cartera, &d1, "DE1601", "2026-06-10").expect(201);
    let devolucion = id(&app.ver_factura(&e.cartera, &d1)["devoluciones"][0]);
    adjuntar(
        &app,
        &e.cartera,
        "devolucion",
        &devolucion,
        "PDE",
        "envio.pdf",
        &pdf("envío", 300),
    )
    .expect(201);
    let t = app.trazabilidad(&e.cartera, &d1);
    let textos: Vec<&str> = de_tipo(&t, "soporte_adjuntado")
        .iter()
        .map(|e| e["detalle"]["texto"].as_str().unwrap())
        .collect();
    assert!(
        textos
            .iter()
            .any(|x| x.contains("devolución DE1601 de la factura FE-41")),
        "{textos:?}"
    );

    // An acuerdo de pago over two invoices: one soporte, an event on each.
    let a1 = id(&app.factura(&e, "FE-42", "2026-06-01"));
    let a2 = id(&app.factura(&e, "FE-43", "2026-06-01"));
    for (f, r) in [(&a1, "R-42"), (&a2, "R-43")] {
        app.radicar(&e, f, r, "2026-06-05");
    }
    let acuerdo = id(&app
        .post(
            &format!("/api/v1/pagadores/{}/acuerdos", e.pagador_id),
            &e.cartera,
            &json!({"numero": "AP-9", "fecha": "2026-06-20", "facturas": [a1, a2],
                    "cuotas": [{"fecha_vencimiento": "2026-07-20", "valor": "2000000.00"}]}),
        )
        .expect(201)
        .json());
    let firmado = pdf("acuerdo firmado", 400);
    let s = adjuntar(
        &app,
        &e.cartera,
        "acuerdo",
        &acuerdo,
        "OTRO",
        "acuerdo firmado.pdf",
        &firmado,
    )
    .expect(201)
    .json();
    assert!(s["factura_id"].is_null() && s["nombre_anexo2"].is_null(), "{s}");
    for f in [&a1, &a2] {
        let t = app.trazabilidad(&e.cartera, f);
        let x = de_tipo(&t, "soporte_adjuntado");
        assert_eq!(x.len(), 1, "{t}");
        assert!(x[0]["detalle"]["texto"]
            .as_str()
            .unwrap()
            .contains("acuerdo de pago AP-9"));
    }
    app.post(
        &format!("/api/v1/soportes/{}/retiro", id(&s)),
        &e.tenant.admin,
        &json!({"motivo": "versión sin firmas"}),
    )
    .expect(200);
    for f in [&a1, &a2] {
        assert_eq!(de_tipo(&app.trazabilidad(&e.cartera, f), "soporte_retirado").len(), 1);
    }

    // An acta: read by cartera, finanzas, auditors and admins — billing neither reads nor attaches.
    let acta = id(&app
        .post(
            &format!("/api/v1/pagadores/{}/actas", e.pagador_id),
            &e.cartera,
            &json!({"numero": "AC-1", "fecha": "2026-06-25", "participantes": [
                        {"nombre": "Ana", "entidad": "prestador"}, {"nombre": "Luis", "entidad": "pagador"}],
                    "facturas": [{"factura_id": a1, "resultado": "conforme"}]}),
        )
        .expect(201)
        .json());
    let escaneada = adjuntar(&app, &e.cartera, "acta", &acta, "OTRO", "acta.png", PNG)
        .expect(201)
        .json();
    app.get(
        &format!("/api/v1/soportes?objeto=acta&objeto_id={acta}"),
        &e.facturacion,
    )
    .problem(403);
    app.get(
        &format!("/api/v1/soportes/{}/contenido", id(&escaneada)),
        &e.facturacion,
    )
    .problem(403);
    let r = app
        .get(&format!("/api/v1/soportes/{}/contenido", id(&escaneada)), &e.finanzas)
        .expect(200);
    assert_eq!((r.bytes.as_slice(), r.content_type.as_str()), (PNG, "image/png"));
    let t = app.trazabilidad(&e.cartera, &a1);
    assert!(de_tipo(&t, "soporte_adjuntado").iter().any(|x| x["detalle"]["texto"]
        .as_str()
        .unwrap()
        .contains("acta de conciliación AC-1")));
}
