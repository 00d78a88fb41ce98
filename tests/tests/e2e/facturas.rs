//! Registering and reading invoices.

use serde_json::json;
use trazo::domain::rol::Rol;
use trazo_tests::TestApp;

#[test]
fn an_invoice_with_lines_is_registered_and_read_back_exactly() {
    let app = TestApp::spawn();
    let t = app.tenant();
    let tok = app.user(&t, Rol::Facturacion);
    let pid = app.pagador(&t.admin, "eps_contributivo")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let body = json!({
        "numero": "fev-10023", "pagador_id": pid, "fecha_expedicion": "2026-11-02",
        "valor_total": "1250000.10", "cuotas_moderadoras": "4700.00",
        "cufe": "ABCDEF0123",
        "items": [
            {"codigo": "890201", "descripcion": "Consulta medicina general", "cantidad": "2", "valor_unitario": "45000.05", "valor_total": "90000.10"},
            {"codigo": "470101", "descripcion": "Apendicectomía", "cantidad": "1", "valor_unitario": "1160000", "valor_total": "1160000.00"}
        ]
    });
    let f = app.post("/api/v1/facturas", &tok, &body).expect(201).json();
    assert_eq!(f["numero"], "FEV-10023");
    assert_eq!(f["estado"], "expedida");
    assert_eq!(f["valor_total"], "1250000.10");
    // What the payer owes is the value less what the patient already paid.
    assert_eq!(f["saldo"], "1245300.10");
    assert_eq!(f["en_discusion"], "0.00");
    assert_eq!(f["cufe"], "abcdef0123");
    let items = f["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(
        (items[0]["linea"].as_i64(), items[0]["valor_unitario"].as_str()),
        (Some(1), Some("45000.05"))
    );

    let read = app
        .get(&format!("/api/v1/facturas/{}", f["id"].as_str().unwrap()), &tok)
        .expect(200)
        .json();
    assert_eq!(read, f);
    // Every role reads invoices.
    let auditor = app.user(&t, Rol::Auditor);
    app.get(&format!("/api/v1/facturas/{}", f["id"].as_str().unwrap()), &auditor)
        .expect(200);

    // The number is unique per prestador, however it is written.
    let dup = app
        .post(
            "/api/v1/facturas",
            &tok,
            &json!({"numero": "FEV-10023", "pagador_id": pid, "fecha_expedicion": "2026-11-02", "valor_total": "5.00"}),
        )
        .problem(409);
    assert!(dup["detail"].as_str().unwrap().contains("FEV-10023"));
}

#[test]
fn amounts_that_do_not_add_up_are_refused_naming_each_line() {
    let app = TestApp::spawn();
    let t = app.tenant();
    let tok = app.user(&t, Rol::Facturacion);
    let pid = app.pagador(&t.admin, "soat")["id"].as_str().unwrap().to_string();
    let body = json!({
        "numero": "F-1", "pagador_id": pid, "fecha_expedicion": "2026-11-02", "valor_total": "100000.00",
        "items": [
            {"codigo": "890201", "descripcion": "Consulta", "cantidad": "2", "valor_unitario": "35000", "valor_total": "70000"},
            {"codigo": "903841", "descripcion": "Glucosa", "cantidad": "1", "valor_unitario": "20000", "valor_total": "25000"}
        ]
    });
    let p = app.post("/api/v1/facturas", &tok, &body).problem(422);
    let errs = p["errors"].as_array().unwrap();
    assert_eq!(errs[0]["path"], "items[1].valor_total");
    assert_eq!(errs[1]["path"], "valor_total");
    assert!(errs[1]["message"].as_str().unwrap().contains("95000.00"), "{p}");
    // Nothing was stored.
    assert_eq!(app.get("/api/v1/facturas", &tok).expect(200).json()["total"], 0);

    let p = app
        .post(
            "/api/v1/facturas",
            &tok,
            &json!({"numero": "F-2", "pagador_id": pid, "fecha_expedicion": "2026-11-02", "valor_total": "10.005"}),
        )
        .problem(422);
    assert_eq!(p["errors"][0]["path"], "valor_total");
}

#[test]
fn invoices_are_listed_with_filters() {
    let app = TestApp::spawn();
    let t = app.tenant();
    let tok = app.user(&t, Rol::Facturacion);
    let eps = app.pagador(&t.admin, "eps_subsidiado")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let arl = app.pagador(&t.admin, "arl")["id"].as_str().unwrap().to_string();
    for (n, p, fecha) in [
        ("A-1", &eps, "2026-01-15"),
        ("A-2", &eps, "2026-03-01"),
        ("B-1", &arl, "2026-03-10"),
    ] {
        app.post(
            "/api/v1/facturas",
            &tok,
            &json!({"numero": n, "pagador_id": p, "fecha_expedicion": fecha, "valor_total": "1000.00"}),
        )
        .expect(201);
    }
    let count = |q: &str| {
        app.get(&format!("/api/v1/facturas{q}"), &tok).expect(200).json()["total"]
            .as_i64()
            .unwrap()
    };
    assert_eq!(count(""), 3);
    assert_eq!(count(&format!("?pagador_id={eps}")), 2);
    assert_eq!(count("?desde=2026-02-01"), 2);
    assert_eq!(count("?desde=2026-02-01&hasta=2026-03-05"), 1);
    assert_eq!(count("?q=b-"), 1);
    assert_eq!(count("?estado=expedida"), 3);
    app.get("/api/v1/facturas?estado=volando", &tok).problem(422);
    let first = app.get("/api/v1/facturas?per_page=1", &tok).expect(200).json();
    assert_eq!(first["items"][0]["numero"], "B-1", "newest first");
    assert!(first["items"][0].get("items").is_none(), "lists leave the lines out");
}

#[test]
fn an_invoice_is_found_by_number_radicado_or_whole_cufe_not_by_a_fragment_of_the_hash() {
    let app = TestApp::spawn_el("2026-06-30");
    let e = app.equipo();
    let cufe = "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6";
    let f = app
        .post(
            "/api/v1/facturas",
            &e.facturacion,
            &json!({"numero": "FEV-000812", "pagador_id": e.pagador_id, "fecha_expedicion": "2026-05-04",
                    "valor_total": "1000.00", "cufe": cufe}),
        )
        .expect(201)
        .json();
    app.radicar(&e, f["id"].as_str().unwrap(), "RAD-2026-0077", "2026-05-06");
    app.factura(&e, "FEV-000999", "2026-05-04");
    let numeros = |q: &str| -> Vec<String> {
        app.get(&format!("/api/v1/facturas?q={q}"), &e.cartera)
            .expect(200)
            .json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["numero"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(numeros("812"), ["FEV-000812"], "the number without its prefix");
    assert_eq!(numeros("rad-2026-0077"), ["FEV-000812"], "the radicado, any case");
    assert_eq!(numeros(cufe), ["FEV-000812"], "the whole CUFE");
    assert!(numeros("c3d4").is_empty(), "a fragment of the CUFE finds nothing");
    // From three characters the search answers from an index: the same substrings.
    assert_eq!(numeros("v-0009"), ["FEV-000999"], "a fragment in the middle, any case");
    assert_eq!(
        numeros("fev-000"),
        ["FEV-000999", "FEV-000812"],
        "both, newest number first"
    );
    assert_eq!(numeros("20"), ["FEV-000812"], "two characters: read without the index");
    assert!(
        numeros("FEV-0008120").is_empty(),
        "more than the number is not the number"
    );
    // The index follows the invoice: its radicado as recorded now, not as it was.
    let otra = app.factura(&e, "FEV-001000", "2026-05-04");
    assert!(numeros("rad-2026-0078").is_empty());
    app.radicar(&e, otra["id"].as_str().unwrap(), "RAD-2026-0078", "2026-05-07");
    assert_eq!(numeros("rad-2026-0078"), ["FEV-001000"]);
}

#[test]
fn impossible_values_are_refused_naming_the_field() {
    let app = trazo_tests::TestApp::spawn_el("2026-11-30");
    let e = app.equipo();
    // What cannot be read as an amount is a malformed request (400); what reads but cannot be
    // is invalid (422); both name the field.
    let factura = |cambios: serde_json::Value, estado: u16| {
        let mut body = serde_json::json!({"numero": "IMP-1", "pagador_id": e.pagador_id, "fecha_expedicion": "2026-11-02", "valor_total": "1000.00"});
        for (k, v) in cambios.as_object().unwrap() {
            body[k] = v.clone();
        }
        app.post("/api/v1/facturas", &e.facturacion, &body).problem(estado)
    };
    for (cambio, estado, campo, dice) in [
        (
            serde_json::json!({"valor_total": "1e5"}),
            400,
            "valor_total",
            "sin exponente",
        ),
        (
            serde_json::json!({"fecha_expedicion": "0001-01-01"}),
            422,
            "fecha_expedicion",
            "desde 2000-01-01",
        ),
        (
            serde_json::json!({"valor_total": "92233720368547758.07"}),
            422,
            "valor_total",
            "billón",
        ),
    ] {
        let p = factura(cambio.clone(), estado);
        let e0 = &p["errors"][0];
        assert_eq!(e0["path"], campo, "{cambio}: {p}");
        assert!(e0["message"].as_str().unwrap().contains(dice), "{cambio}: {p}");
    }
    // A JSON number in exponent notation, as a program might write it.
    let crudo = format!(
        r#"{{"numero": "IMP-2", "pagador_id": "{}", "fecha_expedicion": "2026-11-02", "valor_total": 1e5}}"#,
        e.pagador_id
    );
    let p = app
        .request(
            "POST",
            "/api/v1/facturas",
            Some(&e.facturacion),
            Some("application/json"),
            Some(crudo.as_bytes()),
        )
        .problem(400);
    assert!(
        p["errors"][0]["message"].as_str().unwrap().contains("sin exponente"),
        "{p}"
    );
    let p = app
        .post(
            "/api/v1/pagos",
            &e.finanzas,
            &serde_json::json!({"pagador_id": e.pagador_id, "fecha": "2026-11-02", "valor": "92233720368547758.07", "referencia": "T", "medio": "transferencia"}),
        )
        .problem(422);
    assert_eq!(p["errors"][0]["path"], "valor", "{p}");
    let p = app
        .get("/api/v1/facturas?page=9223372036854775807", &e.cartera)
        .problem(422);
    assert_eq!(p["errors"][0]["path"], "page", "{p}");
    assert!(p["errors"][0]["message"].as_str().unwrap().contains("10000000"), "{p}");
}
