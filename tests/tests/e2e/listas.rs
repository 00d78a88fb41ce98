//! Lists across invoices: what a cartera analyst works from, filtered and paged, with names
//! beside ids, and the same rows as a workbook.

use serde_json::{json, Value};
use trazo_tests::archivos::hoja;
use trazo_tests::ciclo::Glosa;
use trazo_tests::{id, TestApp};

#[test]
fn glosas_across_invoices_are_found_by_payer_code_concept_and_due_date_most_urgent_first() {
    let app = TestApp::spawn_el("2026-08-31");
    let e = app.equipo();
    let soat = id(&app.pagador(&e.tenant.admin, "soat"));
    let l1 = id(&app.factura(&e, "L-1", "2026-06-15"));
    app.radicar(&e, &l1, "R-L1", "2026-07-01");
    // L-2 is for the SOAT payer.
    let body = json!({"numero": "L-2", "pagador_id": soat, "fecha_expedicion": "2026-06-15", "valor_total": "50000.00",
        "items": [{"codigo": "890201", "descripcion": "Consulta", "cantidad": "1", "valor_unitario": "50000.00", "valor_total": "50000.00"}]});
    let l2 = id(&app.post("/api/v1/facturas", &e.facturacion, &body).expect(201).json());
    app.radicar(&e, &l2, "R-L2", "2026-07-01");
    // Answer terms (15 días hábiles; 13 and 20 July, 7 and 17 August are holidays):
    // received 10 July → 4 August; 15 July → 6 August; 27 July → 19 August.
    let l3 = id(&app.factura(&e, "L-3", "2026-06-15"));
    app.radicar(&e, &l3, "R-L3", "2026-07-01");
    app.glosar(&e, &l3, &Glosa::new("TA0201", "2000.00", "2026-07-27"))
        .expect(201);
    app.glosar(&e, &l1, &Glosa::new("FA0101", "1000.00", "2026-07-10"))
        .expect(201);
    app.glosar(&e, &l2, &Glosa::new("SO0101", "3000.00", "2026-07-15"))
        .expect(201);
    // Another prestador's glosa never shows.
    let otro = app.equipo();
    let ajena = id(&app.factura(&otro, "L-1", "2026-06-15"));
    app.radicar(&otro, &ajena, "R-X", "2026-07-01");
    app.glosar(&otro, &ajena, &Glosa::new("FA0101", "9.00", "2026-07-10"))
        .expect(201);

    let lista = |q: &str| app.get(&format!("/api/v1/glosas{q}"), &e.auditor).expect(200).json();
    let codigos = |v: &Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["codigo"].as_str().unwrap().to_string())
            .collect()
    };
    let todas = lista("");
    assert_eq!(todas["total"], 3, "{todas}");
    assert_eq!(codigos(&todas), ["FA0101", "SO0101", "TA0201"], "by answer due date");
    let g = &todas["items"][0];
    assert_eq!(
        (
            g["numero_factura"].as_str(),
            g["pagador"].as_str(),
            g["fecha_limite_respuesta"].as_str()
        ),
        (Some("L-1"), Some("EPS de prueba"), Some("2026-08-04"))
    );
    assert!(g["descripcion_codigo"].as_str().unwrap().contains("estancia"), "{g}");
    // Past its term on 31 August: accepted by silence, said on the item.
    assert_eq!(g["aceptada_tacitamente"], true);
    assert_eq!(
        lista(&format!("?pagador_id={soat}"))["items"][0]["pagador"],
        "Pagador soat"
    );
    assert_eq!(
        codigos(&lista(&format!("?pagador_id={}", e.pagador_id))),
        ["FA0101", "TA0201"]
    );
    assert_eq!(codigos(&lista("?concepto=ta")), ["TA0201"]);
    assert_eq!(codigos(&lista("?codigo=SO0101")), ["SO0101"]);
    assert_eq!(
        codigos(&lista("?vence_desde=2026-08-05&vence_hasta=2026-08-19")),
        ["SO0101", "TA0201"]
    );
    assert_eq!(codigos(&lista(&format!("?factura_id={l2}"))), ["SO0101"]);
    assert_eq!(lista("?extemporanea=true")["total"], 0);
    assert_eq!(lista("?estado=formulada")["total"], 3);
    assert_eq!(lista("?estado=respondida")["total"], 0);
    // The glosas of the payers assigned to a cartera analyst.
    let analista = app.get("/api/v1/usuarios", &e.tenant.admin).expect(200).json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["rol"] == "cartera")
        .map(|u| id(u))
        .expect("a cartera user");
    let cobro = app
        .get(&format!("/api/v1/pagadores/{soat}/cobro"), &e.cartera)
        .expect(200)
        .json();
    app.patch(
        &format!("/api/v1/pagadores/{soat}/cobro"),
        &e.cartera,
        &json!({"responsable_id": analista, "version": cobro["version"]}),
    )
    .expect(200);
    assert_eq!(codigos(&lista(&format!("?responsable_id={analista}"))), ["SO0101"]);
    assert_eq!(lista("?responsable_id=nadie")["total"], 0);
    let p = lista("?per_page=2&page=2");
    assert_eq!(
        (codigos(&p), p["total"].as_i64()),
        (vec!["TA0201".to_string()], Some(3))
    );

    // Wrong filters are named.
    let p = app.get("/api/v1/glosas?concepto=XX", &e.cartera).problem(422);
    assert_eq!(p["errors"][0]["path"], "concepto", "{p}");
    let p = app
        .peticion_invalida()
        .get("/api/v1/glosas?estado=abierta", &e.cartera)
        .problem(400);
    assert_eq!(p["errors"][0]["path"], "estado", "{p}");
    assert!(p["detail"].as_str().unwrap().contains("formulada"), "{p}");
    app.get("/api/v1/glosas", "no-es-un-token").problem(401);

    // The workbook has exactly the filtered rows, every page of them.
    let x = app.bytes(
        &format!("/api/v1/glosas?formato=xlsx&per_page=1&pagador_id={}", e.pagador_id),
        &e.cartera,
    );
    let filas = hoja(&x, "Glosas");
    let datos: Vec<&Vec<String>> = filas
        .iter()
        .filter(|f| f.first().is_some_and(|c| c.starts_with("L-")))
        .collect();
    assert_eq!(datos.len(), 2, "{filas:?}");
    assert_eq!((datos[0][2].as_str(), datos[1][2].as_str()), ("FA0101", "TA0201"));
    assert!(filas.iter().all(|f| !f.iter().any(|c| c == "SO0101")));
}

#[test]
fn the_history_of_imports_says_what_each_run_did_and_who_started_it() {
    use trazo_tests::archivos::{hoja_de_pagador, XLSX};
    let app = TestApp::spawn_el("2026-08-31");
    let e = app.equipo();
    let f = id(&app.factura(&e, "IM-1", "2026-07-01"));
    app.radicar(&e, &f, "R-IM", "2026-07-02");
    let encabezado = vec![
        "numero_factura",
        "codigo",
        "valor",
        "fecha_formulacion",
        "fecha_recepcion",
    ];
    let mala = hoja_de_pagador(
        "Relación de glosas",
        &[
            encabezado.clone(),
            vec!["NO-EXISTE", "FA0101", "1000", "2026-07-10", "2026-07-10"],
        ],
    );
    let r = app.importar(&e.cartera, "tipo=glosas_xlsx&archivo=mala.xlsx", XLSX, &mala);
    assert_eq!(r["estado"], "rechazada", "{r}");
    let buena = hoja_de_pagador(
        "Relación de glosas",
        &[encabezado, vec!["IM-1", "FA0101", "1000", "2026-07-10", "2026-07-10"]],
    );
    let r = app.importar(&e.cartera, "tipo=glosas_xlsx&archivo=buena.xlsx", XLSX, &buena);
    assert_eq!(r["estado"], "terminada", "{r}");

    let lista = |q: &str| {
        app.get(&format!("/api/v1/importaciones{q}"), &e.auditor)
            .expect(200)
            .json()
    };
    let todas = lista("");
    assert_eq!(todas["total"], 2, "{todas}");
    let (nueva, vieja) = (&todas["items"][0], &todas["items"][1]);
    assert_eq!(
        (nueva["archivo"].as_str(), nueva["creados"].as_i64()),
        (Some("buena.xlsx"), Some(1))
    );
    assert_eq!(
        (vieja["archivo"].as_str(), vieja["errores"].as_i64()),
        (Some("mala.xlsx"), Some(1))
    );
    assert!(nueva["usuario"].as_str().unwrap().starts_with("cartera"), "{nueva}");
    let rechazadas = lista("?estado=rechazada");
    assert_eq!(
        (rechazadas["total"].as_i64(), rechazadas["items"][0]["archivo"].as_str()),
        (Some(1), Some("mala.xlsx"))
    );
    assert_eq!(lista("?tipo=pagos_xlsx")["total"], 0);
    let quien = nueva["usuario_id"].as_str().unwrap();
    assert_eq!(lista(&format!("?usuario_id={quien}"))["total"], 2);
    assert_eq!(lista("?usuario_id=otro")["total"], 0);
    // Days are Bogotá's: today's runs are found by today's date, not by tomorrow's.
    let hoy = (chrono::Utc::now() - chrono::Duration::hours(5)).date_naive();
    assert_eq!(lista(&format!("?desde={hoy}&hasta={hoy}"))["total"], 2);
    assert_eq!(lista(&format!("?desde={}", hoy.succ_opt().unwrap()))["total"], 0);
    let p = app
        .peticion_invalida()
        .get("/api/v1/importaciones?tipo=excel", &e.cartera)
        .problem(400);
    assert_eq!(p["errors"][0]["path"], "tipo", "{p}");
    // Another prestador sees none of them.
    let otro = app.equipo();
    assert_eq!(
        app.get("/api/v1/importaciones", &otro.cartera).expect(200).json()["total"],
        0
    );
    // The workbook lists both runs.
    let x = app.bytes("/api/v1/importaciones?formato=xlsx", &e.cartera);
    let filas = hoja(&x, "Importaciones");
    assert!(
        filas
            .iter()
            .any(|f| f.contains(&"mala.xlsx".to_string()) && f.contains(&"rechazada".to_string())),
        "{filas:?}"
    );
    assert!(filas.iter().any(|f| f.contains(&"buena.xlsx".to_string())), "{filas:?}");
}

#[test]
fn an_auditor_sees_what_each_user_recorded_and_no_one_else_may() {
    let app = TestApp::spawn_el("2026-08-31");
    let e = app.equipo();
    let a = id(&app.factura(&e, "AU-1", "2026-07-01"));
    app.radicar(&e, &a, "R-AU", "2026-07-02");
    let b = id(&app.factura(&e, "AU-2", "2026-07-01"));
    app.glosar(&e, &a, &Glosa::new("FA0101", "1000.00", "2026-07-10"))
        .expect(201);
    let otro = app.equipo();
    app.factura(&otro, "AU-1", "2026-07-01");

    let log = |q: &str| app.get(&format!("/api/v1/eventos{q}"), &e.auditor).expect(200).json();
    let todo = log("");
    let tipos = |v: &Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["tipo"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(todo["total"], 4, "{todo}");
    assert_eq!(tipos(&todo)[0], "glosa_recibida", "the last recorded first: {todo}");
    let glosa = &todo["items"][0];
    assert_eq!(glosa["numero_factura"], "AU-1");
    assert!(glosa["usuario"].as_str().unwrap().starts_with("cartera"), "{glosa}");
    assert_eq!(glosa["datos"]["codigo"], "FA0101", "{glosa}");
    // What did the cartera user record? Only the glosa.
    let quien = glosa["usuario_id"].as_str().unwrap();
    assert_eq!(tipos(&log(&format!("?usuario_id={quien}"))), ["glosa_recibida"]);
    assert_eq!(log("?tipo=expedida")["total"], 2);
    assert_eq!(tipos(&log(&format!("?factura_id={b}"))), ["expedida"]);
    let hoy = (chrono::Utc::now() - chrono::Duration::hours(5)).date_naive();
    assert_eq!(log(&format!("?desde={hoy}&hasta={hoy}"))["total"], 4);
    assert_eq!(log(&format!("?hasta={}", hoy.pred_opt().unwrap()))["total"], 0);
    // Only auditors and admins read it.
    for tok in [&e.cartera, &e.facturacion, &e.finanzas] {
        app.get("/api/v1/eventos", tok).problem(403);
    }
    assert_eq!(
        app.get("/api/v1/eventos", &e.tenant.admin).expect(200).json()["total"],
        4
    );
    assert_eq!(app.get("/api/v1/eventos", &otro.auditor).expect(200).json()["total"], 1);
    let x = app.bytes("/api/v1/eventos?formato=xlsx&tipo=glosa_recibida", &e.auditor);
    let filas = hoja(&x, "Auditoría");
    assert_eq!(
        filas
            .iter()
            .filter(|f| f.contains(&"glosa_recibida".to_string()))
            .count(),
        1,
        "{filas:?}"
    );
}

#[test]
fn payments_are_listed_with_their_payer_and_what_is_still_unapplied() {
    let app = TestApp::spawn_el("2026-08-31");
    let e = app.equipo();
    let f = id(&app.factura(&e, "PG-1", "2026-07-01"));
    app.radicar(&e, &f, "R-PG", "2026-07-02");
    app.pagar(&e, &f, "2026-07-20", "300000.00");
    // A transfer without detail: all of it unapplied.
    let body = json!({"pagador_id": e.pagador_id, "fecha": "2026-08-10", "valor": "500000.00",
        "referencia": "TRF-SIN", "medio": "transferencia"});
    app.post("/api/v1/pagos", &e.finanzas, &body).expect(201);

    let lista = |q: &str| app.get(&format!("/api/v1/pagos{q}"), &e.cartera).expect(200).json();
    let todos = lista("");
    assert_eq!(todos["total"], 2, "{todos}");
    let ultimo = &todos["items"][0];
    assert_eq!(
        (
            ultimo["referencia"].as_str(),
            ultimo["pagador"].as_str(),
            ultimo["sin_aplicar"].as_str()
        ),
        (Some("TRF-SIN"), Some("EPS de prueba"), Some("500000.00"))
    );
    let sin = lista("?sin_aplicar=true");
    assert_eq!(
        (sin["total"].as_i64(), sin["items"][0]["referencia"].as_str()),
        (Some(1), Some("TRF-SIN"))
    );
    assert_eq!(
        lista("?desde=2026-07-01&hasta=2026-07-31")["items"][0]["valor"],
        "300000.00"
    );
    assert_eq!(lista("?desde=2026-09-01")["total"], 0);
    let p = app
        .peticion_invalida()
        .get("/api/v1/pagos?desde=julio", &e.cartera)
        .problem(400);
    assert_eq!(p["errors"][0]["path"], "desde", "{p}");
    assert_eq!(
        app.get("/api/v1/pagos", &app.equipo().finanzas).expect(200).json()["total"],
        0
    );
    let x = app.bytes("/api/v1/pagos?formato=xlsx&sin_aplicar=true", &e.finanzas);
    let filas = hoja(&x, "Pagos");
    assert!(filas.iter().any(|f| f.contains(&"TRF-SIN".to_string())), "{filas:?}");
    assert!(
        !filas.iter().any(|f| f.iter().any(|c| c.starts_with("T-2026"))),
        "only the filtered rows: {filas:?}"
    );
}

#[test]
fn invoices_and_alerts_carry_the_payers_name_and_come_as_workbooks_of_the_filtered_rows() {
    let app = TestApp::spawn_el("2026-08-31");
    let e = app.equipo();
    let soat = id(&app.pagador(&e.tenant.admin, "soat"));
    let a = id(&app.factura(&e, "W-1", "2026-08-03"));
    let b = id(&app.factura(&e, "W-2", "2026-08-04"));
    let body =
        json!({"numero": "W-3", "pagador_id": soat, "fecha_expedicion": "2026-08-05", "valor_total": "50000.00"});
    app.post("/api/v1/facturas", &e.facturacion, &body).expect(201);
    app.radicar(&e, &a, "R-W1", "2026-08-10");
    app.radicar(&e, &b, "R-W2", "2026-08-10");
    app.glosar(&e, &a, &Glosa::new("FA0101", "1000.00", "2026-08-25"))
        .expect(201);

    let l = app
        .get(&format!("/api/v1/facturas?pagador_id={soat}"), &e.cartera)
        .expect(200)
        .json();
    assert_eq!(
        (
            l["total"].as_i64(),
            l["items"][0]["numero"].as_str(),
            l["items"][0]["pagador"].as_str()
        ),
        (Some(1), Some("W-3"), Some("Pagador soat"))
    );
    // Every invoice of the filter, not only the page asked for.
    let x = app.bytes(
        &format!("/api/v1/facturas?formato=xlsx&per_page=1&pagador_id={}", e.pagador_id),
        &e.cartera,
    );
    let filas = hoja(&x, "Facturas");
    let numeros: Vec<&str> = filas
        .iter()
        .filter_map(|f| f.first().map(String::as_str))
        .filter(|n| n.starts_with("W-"))
        .collect();
    assert_eq!(numeros, ["W-2", "W-1"], "{filas:?}");
    assert!(filas.iter().any(|f| f.iter().any(|c| c == "R-W1")), "{filas:?}");

    // Alerts of one kind as a workbook: the glosa to answer, with what to do.
    let json = app
        .get("/api/v1/alertas?dias=20&tipo=glosa_por_responder", &e.cartera)
        .expect(200)
        .json();
    assert_eq!(json["total"], 1, "{json}");
    let x = app.bytes(
        "/api/v1/alertas?dias=20&tipo=glosa_por_responder&formato=xlsx",
        &e.cartera,
    );
    let filas = hoja(&x, "Alertas");
    let datos: Vec<&Vec<String>> = filas.iter().filter(|f| f.iter().any(|c| c == "W-1")).collect();
    assert_eq!(datos.len(), 1, "{filas:?}");
    assert!(
        datos[0].iter().any(|c| c == "FA0101") && datos[0].iter().any(|c| c.starts_with("responder la glosa")),
        "{datos:?}"
    );
    app.peticion_invalida()
        .get("/api/v1/alertas?formato=pdf", &e.cartera)
        .problem(422);
}

#[test]
fn payers_and_contracts_come_as_workbooks_and_contracts_name_their_payer() {
    let app = TestApp::spawn_el("2026-08-31");
    let e = app.equipo();
    let soat = id(&app.pagador(&e.tenant.admin, "soat"));
    for (p, n) in [(&e.pagador_id, "CT-A"), (&soat, "CT-B")] {
        app.post(
            "/api/v1/contratos",
            &e.facturacion,
            &json!({"pagador_id": p, "numero": n, "modalidad": "evento", "fecha_inicio": "2026-01-01"}),
        )
        .expect(201);
    }
    let l = app
        .get(&format!("/api/v1/contratos?pagador_id={soat}"), &e.auditor)
        .expect(200)
        .json();
    assert_eq!(
        (
            l["total"].as_i64(),
            l["items"][0]["numero"].as_str(),
            l["items"][0]["pagador"].as_str()
        ),
        (Some(1), Some("CT-B"), Some("Pagador soat"))
    );
    let filas = hoja(
        &app.bytes("/api/v1/contratos?formato=xlsx&per_page=1", &e.auditor),
        "Contratos",
    );
    let numeros: Vec<&str> = filas
        .iter()
        .filter_map(|f| f.first().map(String::as_str))
        .filter(|n| n.starts_with("CT-"))
        .collect();
    assert_eq!(numeros.len(), 2, "{filas:?}");
    let filas = hoja(
        &app.bytes("/api/v1/pagadores?formato=xlsx&tipo=soat", &e.auditor),
        "Pagadores",
    );
    assert!(
        filas.iter().any(|f| f.first().is_some_and(|c| c == "Pagador soat")),
        "{filas:?}"
    );
    assert!(
        !filas.iter().any(|f| f.first().is_some_and(|c| c == "EPS de prueba")),
        "{filas:?}"
    );
}
