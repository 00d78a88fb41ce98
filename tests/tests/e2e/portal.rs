//! The payer's window: a user of role pagador sees only its payer's invoices, trazabilidad
//! and statement, and announces payments the prestador's cartera team confirms or rejects.

use serde_json::json;
use trazo::domain::rol::Rol;
use trazo_tests::{id, TestApp};

#[test]
fn a_payers_user_sees_only_its_payer_and_nothing_else_of_trazo() {
    let app = TestApp::spawn_el("2026-06-30");
    let e = app.equipo();
    let a1 = id(&app.factura(&e, "PA-1", "2026-05-04"));
    let a2 = id(&app.factura(&e, "PA-2", "2026-05-05"));
    app.radicar(&e, &a1, "R-1", "2026-05-06");
    let otra = app.pagador(&e.tenant.admin, "eps_subsidiado");
    let b1 = id(&app
        .post(
            "/api/v1/facturas",
            &e.facturacion,
            &json!({"numero": "PB-1", "pagador_id": id(&otra), "fecha_expedicion": "2026-05-04", "valor_total": "1000.00"}),
        )
        .expect(201)
        .json());
    let eps = app.user_de_pagador(&e.tenant, &e.pagador_id);

    let v = app.get("/api/v1/portal", &eps).expect(200).json();
    assert_eq!(v["pagador_id"], e.pagador_id.as_str(), "{v}");
    // Its invoices only, whatever payer the query names.
    for q in ["", &format!("?pagador_id={}", id(&otra))] {
        let l = app.get(&format!("/api/v1/portal/facturas{q}"), &eps).expect(200).json();
        let mut numeros: Vec<&str> = l["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["numero"].as_str().unwrap())
            .collect();
        numeros.sort();
        assert_eq!(numeros, ["PA-1", "PA-2"], "{l}");
    }
    // Another payer's invoice does not exist for it.
    app.get(&format!("/api/v1/portal/facturas/{b1}"), &eps).problem(404);
    let f = app
        .get(&format!("/api/v1/portal/facturas/{a1}"), &eps)
        .expect(200)
        .json();
    assert_eq!(f["factura"]["numero"], "PA-1");
    let eventos = f["trazabilidad"]["eventos"].as_array().unwrap();
    assert!(eventos.iter().any(|x| x["tipo"] == "radicada"), "{f}");
    // The prestador's staff are not named to the payer.
    assert!(
        eventos.iter().all(|x| !x["actor"].as_str().unwrap().contains('@')),
        "{f}"
    );
    let _ = a2;

    // The statement: a workbook of its invoices with a balance.
    let libro = app.bytes("/api/v1/portal/estado-de-cuenta", &eps);
    assert!(libro.starts_with(b"PK"), "an xlsx");
    let filas = trazo_tests::hoja(&libro, "Estado de cuenta");
    let texto = format!("{filas:?}");
    assert!(texto.contains("PA-1") && !texto.contains("PB-1"), "{texto}");

    // Nothing outside its window, whatever it tries.
    for ruta in [
        "/api/v1/facturas",
        &format!("/api/v1/facturas/{a1}"),
        &format!("/api/v1/facturas/{a1}/trazabilidad"),
        "/api/v1/pagos",
        "/api/v1/reportes/cartera",
        "/api/v1/pagadores",
        "/api/v1/anuncios",
        "/api/v1/usuarios",
    ] {
        let p = app.get(ruta, &eps).problem(403);
        assert!(p["detail"].as_str().unwrap().contains("ventana"), "{ruta}: {p}");
    }
    let pago = json!({"pagador_id": e.pagador_id, "fecha": "2026-06-01", "valor": "1.00"});
    app.post("/api/v1/pagos", &eps, &pago).problem(403);
    // And the window is not the staff's.
    for token in [&e.cartera, &e.finanzas, &e.tenant.admin] {
        app.get("/api/v1/portal/facturas", token).problem(403);
    }
}

#[test]
fn an_announced_payment_moves_nothing_until_cartera_confirms_it() {
    let app = TestApp::spawn_el("2026-06-30");
    let e = app.equipo();
    let a1 = id(&app.factura(&e, "AN-1", "2026-05-04"));
    app.radicar(&e, &a1, "R-1", "2026-05-06");
    let otra = app.pagador(&e.tenant.admin, "eps_subsidiado");
    let b1 = id(&app
        .post(
            "/api/v1/facturas",
            &e.facturacion,
            &json!({"numero": "BN-1", "pagador_id": id(&otra), "fecha_expedicion": "2026-05-04", "valor_total": "1000.00"}),
        )
        .expect(201)
        .json());
    let eps = app.user_de_pagador(&e.tenant, &e.pagador_id);
    let anuncio = |valor: &str, f: &str| json!({"fecha": "2026-06-20", "valor": valor, "referencia": "TRF-9", "aplicaciones": [{"factura_id": f, "valor": valor}]});
    // Another payer's invoice, a future date and lines over the value are refused.
    let p = app
        .post("/api/v1/portal/anuncios", &eps, &anuncio("100.00", &b1))
        .problem(422);
    assert_eq!(p["errors"][0]["path"], "aplicaciones[0].factura_id", "{p}");
    let mut futuro = anuncio("100.00", &a1);
    futuro["fecha"] = json!("2026-07-01");
    app.post("/api/v1/portal/anuncios", &eps, &futuro).problem(422);
    let mut excede = anuncio("100.00", &a1);
    excede["valor"] = json!("50.00");
    app.post("/api/v1/portal/anuncios", &eps, &excede).problem(422);

    let a = app
        .post("/api/v1/portal/anuncios", &eps, &anuncio("150000.00", &a1))
        .expect(201)
        .json();
    assert_eq!(a["estado"], "anunciado");
    assert_eq!(a["aplicaciones"][0]["numero"], "AN-1");
    // Announced is not paid.
    assert_eq!(app.ver_factura(&e.cartera, &a1)["saldo"], "1000000.00");
    let pendientes = app.get("/api/v1/anuncios", &e.cartera).expect(200).json();
    assert_eq!(pendientes.as_array().unwrap().len(), 1, "{pendientes}");

    // Who may confirm: cartera and finanzas of this prestador only.
    let url = format!("/api/v1/anuncios/{}/confirmacion", id(&a));
    app.post_vacio(&url, &e.facturacion).problem(403);
    app.post_vacio(&url, &eps).problem(403);
    let otro = app.equipo();
    app.post_vacio(&url, &otro.cartera).problem(404);

    let c = app.post_vacio(&url, &e.cartera).expect(200).json();
    assert_eq!(c["estado"], "confirmado", "{c}");
    let pago = app
        .get(&format!("/api/v1/pagos/{}", c["pago_id"].as_str().unwrap()), &e.cartera)
        .expect(200)
        .json();
    assert_eq!(
        (pago["valor"].as_str(), pago["referencia"].as_str()),
        (Some("150000.00"), Some("TRF-9"))
    );
    assert_eq!(app.ver_factura(&e.cartera, &a1)["saldo"], "850000.00");
    app.post_vacio(&url, &e.cartera).problem(409);

    // A rejection carries its reason to the payer's window.
    let r = app
        .post("/api/v1/portal/anuncios", &eps, &anuncio("1000.00", &a1))
        .expect(201)
        .json();
    let rechazo = format!("/api/v1/anuncios/{}/rechazo", id(&r));
    app.post(&rechazo, &e.cartera, &json!({"motivo": ""})).problem(422);
    app.post(&rechazo, &e.cartera, &json!({"motivo": "no llegó a la cuenta"}))
        .expect(200);
    let mios = app.get("/api/v1/portal/anuncios", &eps).expect(200).json();
    let estados: Vec<(&str, &str)> = mios
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x["estado"].as_str().unwrap(), x["motivo"].as_str().unwrap()))
        .collect();
    assert_eq!(estados, [("rechazado", "no llegó a la cuenta"), ("confirmado", "")]);
    assert_eq!(app.ver_factura(&e.cartera, &a1)["saldo"], "850000.00");
}

#[test]
fn a_payers_user_belongs_to_one_payer_of_its_prestador() {
    let app = TestApp::spawn();
    let t = app.tenant();
    let propio = app.pagador(&t.admin, "eps_contributivo");
    let otro = app.tenant();
    let ajeno = app.pagador(&otro.admin, "eps_contributivo");
    let nuevo = |rol: &str, pagador: Option<String>| {
        json!({"email": format!("{rol}-{}@x.co", rand_sufijo()), "nombre": "X", "rol": rol,
               "password": trazo_tests::PASSWORD, "pagador_id": pagador})
    };
    let p = app
        .post("/api/v1/usuarios", &t.admin, &nuevo("pagador", None))
        .problem(422);
    assert_eq!(p["errors"][0]["path"], "pagador_id");
    let p = app
        .post("/api/v1/usuarios", &t.admin, &nuevo("cartera", Some(id(&propio))))
        .problem(422);
    assert_eq!(p["errors"][0]["path"], "pagador_id");
    let p = app
        .post("/api/v1/usuarios", &t.admin, &nuevo("pagador", Some(id(&ajeno))))
        .problem(422);
    assert_eq!(p["errors"][0]["path"], "pagador_id");
    let u = app
        .post("/api/v1/usuarios", &t.admin, &nuevo("pagador", Some(id(&propio))))
        .expect(201)
        .json();
    assert_eq!(u["pagador_id"], id(&propio).as_str());
    // Its role is not changed into a prestador's (nor the other way).
    app.patch(
        &format!("/api/v1/usuarios/{}", id(&u)),
        &t.admin,
        &json!({"version": u["version"], "rol": "cartera"}),
    )
    .problem(409);
    let cartera = app.user(&t, Rol::Cartera);
    let _ = cartera;
}

fn rand_sufijo() -> String {
    format!("{:x}", rand::random::<u64>())
}
