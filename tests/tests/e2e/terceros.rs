//! Who pays is not always who owes: ADRES pays an EPS's invoices by giro directo (Res.
//! 2284/2023 art. 8), typed by hand or imported from the giro's detail with a profile.

use serde_json::{json, Value};
use trazo_tests::{id, Equipo, TestApp};

/// Two radicated invoices of the team's EPS and the ADRES payer of its tenant.
fn escenario(app: &TestApp, adres_nit: &str) -> (Equipo, Value, String, String) {
    let e = app.equipo();
    let adres = app
        .post(
            "/api/v1/pagadores",
            &e.tenant.admin,
            &json!({"nit": adres_nit, "nombre": "ADRES", "tipo": "adres"}),
        )
        .expect(201)
        .json();
    let f1 = id(&app.factura(&e, "GD-1", "2026-05-04"));
    let f2 = id(&app.factura(&e, "GD-2", "2026-05-04"));
    app.radicar(&e, &f1, "R-1", "2026-05-06");
    app.radicar(&e, &f2, "R-2", "2026-05-06");
    (e, adres, f1, f2)
}

fn saldo(app: &TestApp, e: &Equipo, f: &str) -> String {
    app.ver_factura(&e.cartera, f)["saldo"].as_str().unwrap().to_string()
}

#[test]
fn adres_pays_the_eps_invoices_shown_in_the_eps_aging_indicators_and_trazabilidad() {
    let app = TestApp::spawn_el("2026-06-30");
    let (e, adres, f1, f2) = escenario(&app, "901037916");
    let giro = |valor: &str, apl: Value| {
        json!({"pagador_id": e.pagador_id, "pagado_por_id": id(&adres), "fecha": "2026-06-10", "valor": valor,
               "referencia": "GIRO-2026-118", "aplicaciones": apl})
    };
    // The giro comes with its whole detail (art. 8): lines that do not cover it are refused.
    let p = app
        .post(
            "/api/v1/pagos",
            &e.finanzas,
            &giro("300000.00", json!([{"factura_id": f1, "valor": "200000.00"}])),
        )
        .problem(422);
    assert_eq!(p["errors"][0]["path"], "aplicaciones", "{p}");
    assert!(p["errors"][0]["message"].as_str().unwrap().contains("art. 8"), "{p}");
    // A payer cannot pay "on behalf" of itself.
    let mut mismo = giro("1.00", json!([{"factura_id": f1, "valor": "1.00"}]));
    mismo["pagado_por_id"] = json!(e.pagador_id);
    assert_eq!(
        app.post("/api/v1/pagos", &e.finanzas, &mismo).problem(422)["errors"][0]["path"],
        "pagado_por_id"
    );
    // Another prestador's ADRES is not a payer here.
    let otro = app.equipo();
    let ajeno = app.pagador(&otro.tenant.admin, "adres");
    let mut de_otro = giro("1.00", json!([{"factura_id": f1, "valor": "1.00"}]));
    de_otro["pagado_por_id"] = json!(id(&ajeno));
    assert_eq!(
        app.post("/api/v1/pagos", &e.finanzas, &de_otro).problem(422)["errors"][0]["path"],
        "pagado_por_id"
    );
    assert_eq!(
        saldo(&app, &e, &f1),
        "1000000.00",
        "nothing was applied by the refusals"
    );

    let pago = app
        .post(
            "/api/v1/pagos",
            &e.finanzas,
            &giro(
                "300000.00",
                json!([{"factura_id": f1, "valor": "200000.00"}, {"factura_id": f2, "valor": "100000.00"}]),
            ),
        )
        .expect(201)
        .json();
    assert_eq!(
        (
            pago["medio"].as_str(),
            pago["pagado_por_id"].as_str(),
            pago["sin_aplicar"].as_str()
        ),
        (Some("giro_directo"), Some(id(&adres).as_str()), Some("0.00")),
        "{pago}"
    );
    assert_eq!(saldo(&app, &e, &f1), "800000.00");
    assert_eq!(saldo(&app, &e, &f2), "900000.00");

    // The trazabilidad says who paid for the EPS.
    let t = app
        .get(&format!("/api/v1/facturas/{f1}/trazabilidad"), &e.cartera)
        .expect(200)
        .json();
    let ev = t["eventos"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["tipo"] == "pago_aplicado")
        .expect("pago_aplicado")
        .clone();
    assert_eq!(
        ev["detalle"]["texto"], "pagado por ADRES — giro directo GIRO-2026-118",
        "{ev}"
    );

    // The EPS's aging owes the rest; ADRES owes nothing.
    let r = app
        .get("/api/v1/reportes/cartera?corte=2026-06-30&por=pagador", &e.finanzas)
        .expect(200)
        .json();
    let filas = r["filas"].as_array().unwrap();
    assert_eq!(filas.len(), 1, "{r}");
    assert_eq!(
        (filas[0]["pagador_id"].as_str(), filas[0]["total"].as_str()),
        (Some(e.pagador_id.as_str()), Some("1700000.00"))
    );
    // Its indicators count the money as the EPS's, and say how much a third party paid.
    let ind = app
        .get(
            "/api/v1/reportes/indicadores?desde=2026-06-01&hasta=2026-06-30",
            &e.finanzas,
        )
        .expect(200)
        .json();
    let eps = ind["filas"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["pagador_id"] == e.pagador_id.as_str())
        .expect("eps row")
        .clone();
    assert_eq!(
        (eps["pagado"].as_str(), eps["pagado_por_terceros"].as_str()),
        (Some("300000.00"), Some("300000.00")),
        "{eps}"
    );

    // The EPS's statement lists what was paid for it, and by whom.
    let eps = app.user_de_pagador(&e.tenant, &e.pagador_id);
    let libro = app.bytes("/api/v1/portal/estado-de-cuenta", &eps);
    let recibidos = trazo_tests::hoja(&libro, "Pagos recibidos");
    assert!(
        recibidos
            .iter()
            .any(|f| f.iter().any(|c| c == "GIRO-2026-118") && f.iter().any(|c| c == "ADRES")),
        "{recibidos:?}"
    );

    // Payments by who owes and by who paid.
    let cuenta = |q: &str| app.get(&format!("/api/v1/pagos?{q}"), &e.finanzas).expect(200).json()["total"].clone();
    assert_eq!(cuenta(&format!("pagador_id={}", e.pagador_id)), 1);
    assert_eq!(cuenta(&format!("pagado_por_id={}", id(&adres))), 1);
    assert_eq!(cuenta(&format!("pagador_id={}", id(&adres))), 0);
    let l = app
        .get(&format!("/api/v1/pagos?pagado_por_id={}", id(&adres)), &e.finanzas)
        .expect(200)
        .json();
    assert_eq!(l["items"][0]["pagado_por"], "ADRES", "{l}");

    // The detail is not extended afterwards: there is nothing unapplied to apply.
    let mas = json!({"aplicaciones": [{"factura_id": f2, "valor": "1.00"}]});
    let url = format!("/api/v1/pagos/{}/aplicaciones", id(&pago));
    app.post(&url, &e.finanzas, &mas).problem(422);
    // It is corrected by a reversal (with its reason, kept in the trazabilidad); the money it
    // gives back can then be applied again.
    let apl = app
        .get(&format!("/api/v1/pagos/{}", id(&pago)), &e.finanzas)
        .expect(200)
        .json()["aplicaciones"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["factura_id"] == f1.as_str())
        .unwrap()
        .clone();
    app.post(
        &format!("/api/v1/pagos/{}/aplicaciones/{}/anulacion", id(&pago), id(&apl)),
        &e.finanzas,
        &json!({"motivo": "la EPS reportó esta factura por error en el detalle del giro"}),
    )
    .expect(200);
    assert_eq!(saldo(&app, &e, &f1), "1000000.00");
    app.post(
        &url,
        &e.finanzas,
        &json!({"aplicaciones": [{"factura_id": f2, "valor": "200000.00"}]}),
    )
    .expect(201);
    assert_eq!(saldo(&app, &e, &f2), "700000.00");
}

#[test]
fn the_adres_giro_detail_imports_with_its_profile_one_payment_per_eps_and_twice_changes_nothing() {
    let perfiles = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/payers");
    let app = TestApp::con(|s| {
        s.reloj.fecha_fija = "2026-06-30".into();
        s.importaciones.perfiles_dir = perfiles;
    });
    let (e, adres, f1, f2) = escenario(&app, "901037916");
    let nit_a = app
        .get(&format!("/api/v1/pagadores/{}", e.pagador_id), &e.cartera)
        .expect(200)
        .json()["nit"]
        .as_str()
        .unwrap()
        .to_string();
    let b = app.pagador(&e.tenant.admin, "eps_subsidiado");
    let nit_b = b["nit"].as_str().unwrap().to_string();
    let g1 = id(&app
        .post(
            "/api/v1/facturas",
            &e.facturacion,
            &json!({"numero": "GS-1", "pagador_id": id(&b), "fecha_expedicion": "2026-05-04", "valor_total": "500000.00"}),
        )
        .expect(201)
        .json());
    app.radicar(&e, &g1, "R-3", "2026-05-06");
    let query = "tipo=pagos_xlsx&perfil=ejemplo-adres-giro-directo&archivo=giro-junio.csv";

    // A row that names EPS B for an invoice of EPS A is refused naming both, and nothing lands.
    let malo = format!(
        "NIT EPS,Número de Factura,Valor Giro,Fecha Giro,Número de Giro\n\
         {nit_a},GD-1,200000,2026-06-12,G-77\n\
         {nit_b},GD-2,100000,2026-06-12,G-77\n"
    );
    let v = app.importar(&e.finanzas, query, "text/csv", malo.as_bytes());
    assert_eq!(v["estado"], "rechazada", "{v}");
    let m = v["errores"][0]["message"].as_str().unwrap();
    assert!(m.contains("GD-2") && m.contains("EPS de prueba"), "{m}");
    assert_eq!(v["errores"][0]["row"], 3, "{v}");
    assert_eq!(app.get("/api/v1/pagos", &e.finanzas).expect(200).json()["total"], 0);

    // The EPS of a row without its NIT is its invoice's (GS-1 is EPS B's; most rows are A's).
    let bueno = format!(
        "NIT EPS,Número de Factura,Valor Giro,Fecha Giro,Número de Giro\n\
         {nit_a},GD-1,200000,2026-06-12,G-77\n\
         ,GS-1,50000,2026-06-12,G-77\n\
         {nit_a},GD-2,100000,2026-06-12,G-77\n"
    );
    let v = app.importar(&e.finanzas, query, "text/csv", bueno.as_bytes());
    assert_eq!(
        (v["estado"].as_str(), v["creados"].as_i64()),
        (Some("terminada"), Some(3)),
        "{v}"
    );
    // One payment per EPS, both made by ADRES, each with its whole detail.
    let l = app
        .get(&format!("/api/v1/pagos?pagado_por_id={}", id(&adres)), &e.finanzas)
        .expect(200)
        .json();
    let mut pagos: Vec<(String, String, String)> = l["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["pagador_id"].as_str().unwrap().to_string(),
                p["valor"].as_str().unwrap().to_string(),
                p["medio"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    pagos.sort();
    let mut esperado = vec![
        (
            e.pagador_id.clone(),
            "300000.00".to_string(),
            "giro_directo".to_string(),
        ),
        (id(&b), "50000.00".to_string(), "giro_directo".to_string()),
    ];
    esperado.sort();
    assert_eq!(pagos, esperado);
    assert_eq!(saldo(&app, &e, &f1), "800000.00");
    assert_eq!(saldo(&app, &e, &f2), "900000.00");
    assert_eq!(saldo(&app, &e, &g1), "450000.00");

    // The same detail again, as the same file or as another file with the same rows: nothing new.
    let v = app.importar(&e.finanzas, query, "text/csv", bueno.as_bytes());
    assert_eq!(
        (v["estado"].as_str(), v["creados"].as_i64()),
        (Some("terminada"), Some(0)),
        "{v}"
    );
    let otra_vez = query.replace("giro-junio.csv", "giro-junio-copia.csv");
    let v = app.importar(&e.finanzas, &otra_vez, "text/csv", format!("{bueno}\n").as_bytes());
    assert_eq!(
        (v["creados"].as_i64(), v["duplicados"].as_i64()),
        (Some(0), Some(3)),
        "{v}"
    );
    assert_eq!(app.get("/api/v1/pagos", &e.finanzas).expect(200).json()["total"], 2);
    assert_eq!(saldo(&app, &e, &f1), "800000.00");

    // Without ADRES registered, the profile's third party is named in the error.
    let otro = app.equipo();
    let ot = id(&app.factura(&otro, "OT-1", "2026-05-04"));
    app.radicar(&otro, &ot, "R-9", "2026-05-06");
    let v = app.importar(
        &otro.finanzas,
        query,
        "text/csv",
        b"Numero de Factura,Valor Giro,Fecha Giro,Numero de Giro\nOT-1,100,2026-06-12,G-1\n",
    );
    assert_eq!(v["estado"], "rechazada", "{v}");
    assert!(
        v["errores"][0]["message"].as_str().unwrap().contains("901037916"),
        "{v}"
    );
}
