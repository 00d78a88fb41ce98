//! The foundation over HTTP: health, authentication, roles, tenant isolation, limits,
//! errors, payers, contracts, and the API documents.

use serde_json::json;
use trazo::domain::rol::Rol;
use trazo_tests::{expired_token, forged_token, postgres_url, snapshot, TestApp, PASSWORD};

#[test]
fn health_answers_with_the_database_in_use() {
    let app = TestApp::spawn();
    let r = app.request("GET", "/api/v1/health", None, None, None).expect(200);
    let expected = if postgres_url().is_some() { "postgres" } else { "sqlite" };
    assert_eq!(r.json()["database"], expected);
    assert_eq!(r.json()["status"], "ok");
    // Every response carries the request id that its log lines carry.
    assert_eq!(r.header("x-request-id").map(str::len), Some(36));
}

#[test]
fn login_grants_a_bearer_token_only_for_the_right_password() {
    let app = TestApp::spawn();
    let t = app.tenant();
    let email = format!("cartera-{}@prueba.trazo", uuid::Uuid::now_v7().simple());
    app.post(
        "/api/v1/usuarios",
        &t.admin,
        &json!({"email": email, "nombre": "Ana", "rol": "cartera", "password": PASSWORD}),
    )
    .expect(201);

    let ok = app.login(&email.to_uppercase(), PASSWORD).expect(200).json();
    assert_eq!(ok["token_type"], "Bearer");
    assert_eq!(ok["expires_in"], 480 * 60);
    let token = ok["access_token"].as_str().unwrap();
    app.get("/api/v1/pagadores", token).expect(200);

    let wrong = app.login(&email, "otra-contraseña").problem(401);
    let unknown = app.login("nadie@prueba.trazo", PASSWORD).problem(401);
    // The same answer whether or not the account exists.
    assert_eq!(wrong["detail"], unknown["detail"]);
}

#[test]
fn login_is_rate_limited_per_account() {
    let app = TestApp::con(|s| s.auth.login_attempts_per_minute = 3);
    for _ in 0..3 {
        app.login("victima@prueba.trazo", "adivinanza").problem(401);
    }
    let r = app.login("victima@prueba.trazo", "adivinanza");
    let retry: u64 = r.header("retry-after").expect("Retry-After").parse().unwrap();
    assert!((1..=60).contains(&retry));
    r.problem(429);
    // Another account from the same address is not blocked by the first one's limit.
    app.login("otra@prueba.trazo", "adivinanza").problem(401);
}

#[test]
fn only_failed_logins_count_toward_the_lock() {
    let app = TestApp::con(|s| s.auth.login_attempts_per_minute = 3);
    let tenant = app.tenant();
    let email = format!("clerk-{}@prueba.trazo", trazo_tests::unique_nit());
    app.post(
        "/api/v1/usuarios",
        &tenant.admin,
        &json!({"email": email, "nombre": "Clerk", "rol": Rol::Cartera, "password": PASSWORD}),
    )
    .expect(201);
    // A clerk who signs in many times is never locked out.
    for _ in 0..6 {
        app.login(&email, PASSWORD).expect(200);
    }
    for _ in 0..3 {
        app.login(&email, "adivinanza").problem(401);
    }
    // Locked now, even with the right password, until the minute passes.
    app.login(&email, PASSWORD).problem(429);
}

#[test]
fn login_is_rate_limited_per_address() {
    let app = TestApp::con(|s| s.auth.login_attempts_per_minute_per_address = 4);
    for i in 0..4 {
        app.login(&format!("u{i}@prueba.trazo"), "x").problem(401);
    }
    app.login("u9@prueba.trazo", "x").problem(429);
}

#[test]
fn requests_without_a_valid_token_are_401() {
    let app = TestApp::spawn();
    let no_token = app.request("GET", "/api/v1/pagadores", None, None, None);
    assert_eq!(no_token.header("www-authenticate"), Some("Bearer"));
    snapshot!("problema_401_sin_token", no_token.problem(401));
    let expired = app.get("/api/v1/pagadores", &expired_token()).problem(401);
    assert!(expired["detail"].as_str().unwrap().contains("expiró"), "{expired}");
    app.get("/api/v1/pagadores", &forged_token()).problem(401);
    app.get("/api/v1/facturas", "no.es.un.jwt").problem(401);
    app.peticion_invalida()
        .request(
            "POST",
            "/api/v1/pagadores",
            Some(&forged_token()),
            Some("application/json"),
            Some(b"{}"),
        )
        .problem(401);
}

#[test]
fn each_role_is_refused_what_it_may_not_do() {
    let app = TestApp::spawn();
    let t = app.tenant();
    let pagador = app.pagador(&t.admin, "eps_contributivo");
    let pid = pagador["id"].as_str().unwrap();
    let nuevo_pagador = json!({"nit": trazo_tests::unique_nit(), "nombre": "EPS X", "tipo": "otro"});
    let nuevo_usuario = json!({"email": "x@prueba.trazo", "nombre": "X", "rol": "admin", "password": PASSWORD});
    let contrato = json!({"pagador_id": pid, "numero": "C-1", "modalidad": "evento", "fecha_inicio": "2026-01-01"});
    let factura =
        json!({"numero": "F-1", "pagador_id": pid, "fecha_expedicion": "2026-11-02", "valor_total": "1000.00"});
    let cambio = json!({"nombre": "Otro nombre", "version": 1});

    for rol in [Rol::Cartera, Rol::Finanzas, Rol::Auditor] {
        let token = app.user(&t, rol);
        app.post("/api/v1/pagadores", &token, &nuevo_pagador).problem(403);
        app.patch(&format!("/api/v1/pagadores/{pid}"), &token, &cambio)
            .problem(403);
        app.post("/api/v1/contratos", &token, &contrato).problem(403);
        app.post("/api/v1/facturas", &token, &factura).problem(403);
        app.post("/api/v1/usuarios", &token, &nuevo_usuario).problem(403);
        app.get("/api/v1/usuarios", &token).problem(403);
        // Reading payers, contracts and invoices is open to every role.
        app.get("/api/v1/pagadores", &token).expect(200);
        app.get("/api/v1/facturas", &token).expect(200);
    }
    let facturacion = app.user(&t, Rol::Facturacion);
    app.post("/api/v1/usuarios", &facturacion, &nuevo_usuario).problem(403);
    let refused = app.get("/api/v1/usuarios", &facturacion).problem(403);
    assert!(refused["detail"].as_str().unwrap().contains("admin"), "{refused}");
    snapshot!("problema_403_por_rol", refused);
    // Invoices are registered by billing staff, not by the admin.
    app.post("/api/v1/facturas", &t.admin, &factura).problem(403);
    app.post("/api/v1/facturas", &facturacion, &factura).expect(201);
    app.patch(&format!("/api/v1/pagadores/{pid}"), &facturacion, &cambio)
        .expect(200);
}

#[test]
fn a_user_of_one_prestador_never_sees_another_prestadors_objects() {
    let app = TestApp::spawn();
    let a = app.tenant();
    let b = app.tenant();
    let a_fact = app.user(&a, Rol::Facturacion);
    let b_fact = app.user(&b, Rol::Facturacion);

    let pagador = app.pagador(&a.admin, "adres");
    let pid = pagador["id"].as_str().unwrap();
    let contrato = app
        .post(
            "/api/v1/contratos",
            &a.admin,
            &json!({"pagador_id": pid, "numero": "C-77", "modalidad": "capita", "fecha_inicio": "2026-01-01"}),
        )
        .expect(201)
        .json();
    let factura = app
        .post("/api/v1/facturas", &a_fact, &json!({"numero": "FEV-9", "pagador_id": pid, "fecha_expedicion": "2026-11-02", "valor_total": "250000.00"}))
        .expect(201)
        .json();
    let usuarios = app.get("/api/v1/usuarios", &a.admin).expect(200).json();
    let usuario_a = usuarios["items"][0]["id"].as_str().unwrap().to_string();

    for path in [
        format!("/api/v1/pagadores/{pid}"),
        format!("/api/v1/contratos/{}", contrato["id"].as_str().unwrap()),
        format!("/api/v1/facturas/{}", factura["id"].as_str().unwrap()),
        format!("/api/v1/usuarios/{usuario_a}"),
    ] {
        app.get(&path, &a.admin).expect(200);
        app.get(&path, &b.admin).problem(404);
    }
    let ajena = app
        .get(
            &format!("/api/v1/facturas/{}", factura["id"].as_str().unwrap()),
            &b.admin,
        )
        .problem(404);
    snapshot!("problema_404_de_otro_prestador", ajena);
    app.patch(
        &format!("/api/v1/pagadores/{pid}"),
        &b.admin,
        &json!({"nombre": "Robado", "version": 1}),
    )
    .problem(404);
    // B cannot hang its own objects on A's payer either.
    app.post(
        "/api/v1/contratos",
        &b.admin,
        &json!({"pagador_id": pid, "numero": "C-1", "modalidad": "evento", "fecha_inicio": "2026-01-01"}),
    )
    .problem(404);
    app.post(
        "/api/v1/facturas",
        &b_fact,
        &json!({"numero": "FEV-9", "pagador_id": pid, "fecha_expedicion": "2026-11-02", "valor_total": "1.00"}),
    )
    .problem(404);
    // And B's lists hold nothing of A's.
    for list in ["/api/v1/pagadores", "/api/v1/contratos", "/api/v1/facturas"] {
        assert_eq!(app.get(list, &b.admin).expect(200).json()["total"], 0, "{list}");
        assert_eq!(app.get(list, &a.admin).expect(200).json()["total"], 1, "{list}");
    }
    let b_users = app.get("/api/v1/usuarios", &b.admin).expect(200).json();
    assert!(b_users["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|u| u["id"] != usuario_a.as_str()));
    // The payer is still A's, unchanged.
    assert_eq!(
        app.get(&format!("/api/v1/pagadores/{pid}"), &a.admin)
            .expect(200)
            .json()["version"],
        1
    );
}

#[test]
fn an_oversize_body_is_413_and_nothing_is_written() {
    let app = TestApp::con(|s| s.server.json_limit_bytes = 4096);
    let t = app.tenant();
    let big = json!({"nit": "900123456", "nombre": "x".repeat(8000), "tipo": "otro"});
    let p = app.post("/api/v1/pagadores", &t.admin, &big).problem(413);
    assert!(p["detail"].as_str().unwrap().contains("4096"), "{p}");
    snapshot!("problema_413", p);
    assert_eq!(app.get("/api/v1/pagadores", &t.admin).expect(200).json()["total"], 0);
}

#[test]
fn malformed_json_is_400_naming_the_field() {
    let app = TestApp::spawn();
    let t = app.tenant();
    let post_raw = |body: &str| {
        app.peticion_invalida().request(
            "POST",
            "/api/v1/pagadores",
            Some(&t.admin),
            Some("application/json"),
            Some(body.as_bytes()),
        )
    };

    let p = post_raw(r#"{"nit": 900123456, "nombre": "EPS", "tipo": "otro"}"#).problem(400);
    assert_eq!(p["errors"][0]["path"], "nit", "{p}");
    snapshot!("problema_400_nombra_el_campo", p);
    let p = post_raw(r#"{"nit": "900123456", "nombre": "EPS", "tipo": "eps_privada"}"#).problem(400);
    assert_eq!(p["errors"][0]["path"], "tipo", "{p}");
    assert!(
        p["errors"][0]["message"].as_str().unwrap().contains("eps_subsidiado"),
        "{p}"
    );
    let p = post_raw(r#"{"nit": "900123456", "tipo": "otro"}"#).problem(400);
    assert!(p["errors"][0]["message"].as_str().unwrap().contains("nombre"), "{p}");
    let p = post_raw(r#"{"nit": "900123456", "nombre": "EPS", "tipo": "otro", "color": "azul"}"#).problem(400);
    assert!(p["errors"][0]["message"].as_str().unwrap().contains("color"), "{p}");
    post_raw(r#"{"nit": "900123456", "nombre": "EPS""#).problem(400);
    app.peticion_invalida()
        .request(
            "POST",
            "/api/v1/pagadores",
            Some(&t.admin),
            Some("text/plain"),
            Some(b"{}"),
        )
        .problem(400);

    // Deep in a list: the path names the line.
    let fact = app.user(&t, Rol::Facturacion);
    let pid = app.pagador(&t.admin, "soat")["id"].as_str().unwrap().to_string();
    let body = json!({"numero": "F-2", "pagador_id": pid, "fecha_expedicion": "2026-11-02", "valor_total": "10.00",
        "items": [{"codigo": "890201", "descripcion": "Consulta", "cantidad": "1", "valor_unitario": "10.00", "valor_total": "10.00"},
                  {"codigo": "890201", "descripcion": "Consulta", "cantidad": "1", "valor_unitario": "10,50", "valor_total": "10.50"}]});
    let p = app.post("/api/v1/facturas", &fact, &body).problem(400);
    assert_eq!(p["errors"][0]["path"], "items[1].valor_unitario", "{p}");
    assert!(
        p["errors"][0]["message"].as_str().unwrap().ends_with("llegó '10,50'"),
        "says what came: {p}"
    );
    // A date in another format says which format is expected and what came.
    let mut fecha = body.clone();
    fecha["fecha_expedicion"] = json!("05/01/2026");
    let p = app
        .peticion_invalida()
        .post("/api/v1/facturas", &fact, &fecha)
        .problem(400);
    assert_eq!(
        p["detail"],
        "fecha_expedicion: se espera una fecha AAAA-MM-DD; llegó '05/01/2026'"
    );
    // Bad query strings and unknown routes are problems too.
    let p = app
        .peticion_invalida()
        .get("/api/v1/facturas?page=uno", &fact)
        .problem(400);
    assert_eq!(
        p["detail"], "page: se espera un número entero; llegó 'uno'",
        "names the parameter: {p}"
    );
    let p = app
        .peticion_invalida()
        .get(
            "/api/v1/reportes/cartera?corte=31/12/2026",
            &app.user(&t, Rol::Finanzas),
        )
        .problem(400);
    assert_eq!(p["detail"], "corte: se espera una fecha AAAA-MM-DD; llegó '31/12/2026'");
    app.get("/api/v1/facturas?per_page=501", &fact).problem(422);
    app.get("/api/v1/no-existe", &fact).problem(404);
}

#[test]
fn a_path_asked_with_a_method_it_does_not_take_is_405_with_allow() {
    let app = TestApp::spawn();
    let t = app.tenant();
    let r = app.request("DELETE", "/api/v1/facturas/cualquiera", Some(&t.admin), None, None);
    let allow = r.header("allow").unwrap_or_default().to_string();
    let p = r.problem(405);
    assert_eq!(allow, "GET, HEAD, PATCH", "{p}");
    assert!(p["detail"].as_str().unwrap().contains("no admite DELETE"), "{p}");
    let r = app.request("PUT", "/api/v1/glosas", Some(&t.admin), None, None);
    assert_eq!(r.header("allow"), Some("GET, HEAD"));
    r.problem(405);
    app.request("DELETE", "/api/v1/no-existe", Some(&t.admin), None, None)
        .problem(404);
}

#[test]
fn amounts_written_as_json_numbers_are_read_exactly() {
    let app = TestApp::spawn();
    let t = app.tenant();
    let fact = app.user(&t, Rol::Facturacion);
    let pid = app.pagador(&t.admin, "soat")["id"].as_str().unwrap().to_string();
    // 0.1 + 0.2 is not 0.3 in floating point: read through a float these lines would not add
    // up to the total and the invoice would be refused (or stored a centavo off).
    let body = format!(
        r#"{{"numero": "F-N", "pagador_id": "{pid}", "fecha_expedicion": "2026-11-02", "valor_total": 100000.30,
            "items": [{{"codigo": "890201", "descripcion": "Consulta", "cantidad": 1, "valor_unitario": 100000.1, "valor_total": 100000.10}},
                      {{"codigo": "890201", "descripcion": "Copia", "cantidad": 2, "valor_unitario": 0.1, "valor_total": 0.2}}]}}"#
    );
    let f = app
        .request(
            "POST",
            "/api/v1/facturas",
            Some(&fact),
            Some("application/json"),
            Some(body.as_bytes()),
        )
        .expect(201)
        .json();
    assert_eq!(f["valor_total"], "100000.30", "{f}");
    assert_eq!(f["items"][1]["valor_total"], "0.20", "{f}");
    // More than centavos is refused, naming the field, not rounded away.
    let body = body.replace("F-N", "F-M").replace("100000.30", "100000.301");
    let p = app
        .request(
            "POST",
            "/api/v1/facturas",
            Some(&fact),
            Some("application/json"),
            Some(body.as_bytes()),
        )
        .problem(422);
    assert_eq!(p["errors"][0]["path"], "valor_total", "{p}");
    assert!(
        p["errors"][0]["message"].as_str().unwrap().contains("100000.301"),
        "{p}"
    );
    assert_eq!(app.get("/api/v1/facturas?q=F-M", &fact).expect(200).json()["total"], 0);
}

#[test]
fn payers_are_created_listed_and_updated_and_a_duplicate_nit_is_409() {
    let app = TestApp::spawn();
    let t = app.tenant();
    let tok = app.user(&t, Rol::Facturacion);
    let created = app.post(
        "/api/v1/pagadores",
        &tok,
        &json!({"nit": "901.037.916-1", "nombre": "ADRES", "tipo": "adres"}),
    );
    let location = created.header("location").unwrap().to_string();
    let adres = created.expect(201).json();
    assert_eq!(adres["nit"], "901037916");
    assert_eq!(adres["digito_verificacion"], 1);
    assert_eq!(adres["version"], 1);
    assert_eq!(location, format!("/api/v1/pagadores/{}", adres["id"].as_str().unwrap()));

    // The same NIT written another way is the same payer.
    let dup = app
        .post(
            "/api/v1/pagadores",
            &tok,
            &json!({"nit": "901037916", "nombre": "Otra", "tipo": "otro"}),
        )
        .problem(409);
    assert!(dup["detail"].as_str().unwrap().contains("ADRES"), "{dup}");
    let bad_dv = app
        .post(
            "/api/v1/pagadores",
            &tok,
            &json!({"nit": "901037916-5", "nombre": "X", "tipo": "otro"}),
        )
        .problem(422);
    assert_eq!(bad_dv["errors"][0]["path"], "nit");

    let eps = app
        .post(
            "/api/v1/pagadores",
            &tok,
            &json!({"nit": "800250119", "nombre": "EPS Andina", "tipo": "eps_contributivo"}),
        )
        .expect(201)
        .json();
    let list = app.get("/api/v1/pagadores", &tok).expect(200).json();
    assert_eq!(list["total"], 2);
    assert_eq!(list["items"][0]["nombre"], "ADRES");
    assert_eq!(
        app.get("/api/v1/pagadores?tipo=eps_contributivo", &tok)
            .expect(200)
            .json()["total"],
        1
    );
    assert_eq!(
        app.get("/api/v1/pagadores?q=andina", &tok).expect(200).json()["items"][0]["id"],
        eps["id"]
    );
    assert_eq!(
        app.get("/api/v1/pagadores?per_page=1&page=2", &tok).expect(200).json()["items"][0]["nombre"],
        "EPS Andina"
    );

    let path = format!("/api/v1/pagadores/{}", eps["id"].as_str().unwrap());
    let upd = app
        .patch(
            &path,
            &tok,
            &json!({"nombre": "EPS Andina S.A.", "tipo": "eps_subsidiado", "version": 1}),
        )
        .expect(200)
        .json();
    assert_eq!(
        (upd["nombre"].as_str(), upd["tipo"].as_str(), upd["version"].as_i64()),
        (Some("EPS Andina S.A."), Some("eps_subsidiado"), Some(2))
    );
    // Moving it onto ADRES's NIT is a duplicate.
    app.patch(&path, &tok, &json!({"nit": "901037916-1", "version": 2}))
        .problem(409);
    // A stale version is refused and nothing changes.
    let stale = app
        .patch(&path, &tok, &json!({"nombre": "Pisado", "version": 1}))
        .problem(409);
    assert!(stale["detail"].as_str().unwrap().contains("versión 2"), "{stale}");
    assert_eq!(app.get(&path, &tok).expect(200).json()["nombre"], "EPS Andina S.A.");
}

#[test]
fn contracts_belong_to_a_payer_and_are_checked() {
    let app = TestApp::spawn();
    let t = app.tenant();
    let pid = app.pagador(&t.admin, "eps_subsidiado")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let c = app
        .post(
            "/api/v1/contratos",
            &t.admin,
            &json!({"pagador_id": pid, "numero": "CT-2026-01", "modalidad": "pgp",
            "fecha_inicio": "2026-01-01", "fecha_fin": "2026-12-31", "valor": "1500000000.00"}),
        )
        .expect(201)
        .json();
    assert_eq!(c["plazo_pago_dias"], 30);
    assert_eq!(c["valor"], "1500000000.00");
    app.post(
        "/api/v1/contratos",
        &t.admin,
        &json!({"pagador_id": pid, "numero": "CT-2026-01", "modalidad": "evento", "fecha_inicio": "2026-01-01"}),
    )
    .problem(409);
    let bad = app
        .post(
            "/api/v1/contratos",
            &t.admin,
            &json!({"pagador_id": pid, "numero": "CT-2", "modalidad": "evento",
            "fecha_inicio": "2026-06-01", "fecha_fin": "2026-01-01", "plazo_pago_dias": 900, "valor": "10.001"}),
        )
        .problem(422);
    let paths: Vec<_> = bad["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["fecha_fin", "plazo_pago_dias", "valor"]);
    snapshot!("problema_422_nombra_los_campos", bad);
    let list = app
        .get(&format!("/api/v1/contratos?pagador_id={pid}"), &t.admin)
        .expect(200)
        .json();
    assert_eq!(list["total"], 1);
    app.get(&format!("/api/v1/contratos/{}", c["id"].as_str().unwrap()), &t.admin)
        .expect(200);
}

#[test]
fn openapi_document_and_offline_docs_page() {
    let app = TestApp::spawn();
    let doc = app
        .request("GET", "/api/v1/openapi.json", None, None, None)
        .expect(200)
        .json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    // The document every exchange of the suite is checked against is this one.
    assert_eq!(doc, trazo_tests::openapi::documento());
    // Enum values are spelled as the API accepts them: a first call copied from the document
    // works. Every kind of payer the document lists is accepted.
    let t = app.tenant();
    let tipos = doc["components"]["schemas"]["TipoPagador"]["enum"]
        .as_array()
        .unwrap()
        .clone();
    assert!(tipos.contains(&json!("eps_contributivo")), "{tipos:?}");
    for tipo in &tipos {
        app.pagador(&t.admin, tipo.as_str().unwrap());
    }
    for (nombre, schema) in doc["components"]["schemas"].as_object().unwrap() {
        for v in schema["enum"].as_array().into_iter().flatten() {
            let v = v.as_str().unwrap();
            assert!(
                v.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "{nombre}: '{v}' is not how the API spells it"
            );
        }
    }
    for path in [
        "/api/v1/auth/login",
        "/api/v1/pagadores",
        "/api/v1/pagadores/{id}",
        "/api/v1/contratos",
        "/api/v1/facturas",
        "/api/v1/health",
    ] {
        assert!(doc["paths"].get(path).is_some(), "missing {path}");
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    // The whole document: a change to the API shows here (nothing in it is random; the
    // version moves with every release, not with the API).
    insta::assert_json_snapshot!("openapi", trazo_tests::snapshots::Plano(&doc), {".info.version" => "[version]"});

    assert_eq!(
        app.request("GET", "/docs", None, None, None)
            .expect(308)
            .header("location"),
        Some("/docs/")
    );
    let page = app.request("GET", "/docs/", None, None, None).expect(200);
    assert!(page.text.contains("swagger"));
    let init = app
        .request("GET", "/docs/swagger-initializer.js", None, None, None)
        .expect(200);
    assert!(init.text.contains("/api/v1/openapi.json"), "{}", init.text);
    let bundle = app
        .request("GET", "/docs/swagger-ui-bundle.js", None, None, None)
        .expect(200);
    assert!(bundle.text.len() > 100_000, "the UI is served from the binary");
    // Nothing on the page is fetched from the internet.
    for text in [&page.text, &init.text] {
        assert!(!text.contains("https://"), "external reference in docs page");
    }
}
