//! Work lists and cartera por edades over a data set where every figure is known by hand.
//! Trazo's today is Tuesday 2026-06-30 (holidays that June: 8, 15 and 29).

use serde_json::{json, Value};
use trazo_tests::{eventos, id, Equipo, Glosa, TestApp};

struct Escenario {
    app: TestApp,
    e: Equipo,
    /// Issued 2026-06-01, not radicated: its term ends 2026-07-06.
    a: String,
    /// Radicated 2026-06-10; glosa of $150.000 received 2026-06-12, due 2026-07-07.
    b: String,
    /// Radicated 2026-05-15; glosa of $150.000 received 2026-05-20, due 2026-06-11, never answered.
    c: String,
    /// Radicated 2026-05-15; glosa received 2026-05-20, answered 2026-05-25 accepting $50.000;
    /// the payer's decision was due 2026-06-09.
    d: String,
    /// Radicated 2026-04-01 (Holy Week after it); payment due 2026-05-19; $300.000 paid 2026-06-20.
    f_e: String,
    /// Another payer; radicated 2025-05-01.
    f: String,
}

fn escenario() -> Escenario {
    let app = TestApp::spawn_el("2026-06-30");
    let e = app.equipo();
    // Every glosa of the scenario is of $150.000 under FA0101.
    let glosa = |f: &str, recibida: &str| {
        id(&app
            .glosar(&e, f, &Glosa::new("FA0101", "150000.00", recibida))
            .expect(201)
            .json())
    };
    let a = id(&app.factura(&e, "A-1", "2026-06-01"));
    let b = id(&app.factura(&e, "B-1", "2026-06-05"));
    app.radicar(&e, &b, "R-2026-06-10", "2026-06-10");
    glosa(&b, "2026-06-12");
    let c = id(&app.factura(&e, "C-1", "2026-03-20"));
    app.radicar(&e, &c, "R-2026-05-15", "2026-05-15");
    glosa(&c, "2026-05-20");
    let d = id(&app.factura(&e, "D-1", "2026-03-20"));
    app.radicar(&e, &d, "R-2026-05-15", "2026-05-15");
    let gd = glosa(&d, "2026-05-20");
    app.post(
        &format!("/api/v1/glosas/{gd}/respuestas"),
        &e.cartera,
        &json!({"codigo": "RE9801", "valor_aceptado": "50000.00", "valor_sustentado": "100000.00", "fecha": "2026-05-25"}),
    )
    .expect(201);
    let f_e = id(&app.factura(&e, "E-1", "2026-03-20"));
    app.radicar(&e, &f_e, "R-2026-04-01", "2026-04-01");
    app.pagar(&e, &f_e, "2026-06-20", "300000.00");
    let soat = id(&app.pagador(&e.tenant.admin, "soat"));
    let f = id(&app
        .post("/api/v1/facturas", &e.facturacion, &json!({"numero": "F-1", "pagador_id": soat, "fecha_expedicion": "2025-04-20", "valor_total": "1000000.00"}))
        .expect(201)
        .json());
    app.radicar(&e, &f, "R-2025-05-01", "2025-05-01");
    Escenario {
        app,
        e,
        a,
        b,
        c,
        d,
        f_e,
        f,
    }
}

#[test]
fn the_work_list_shows_every_kind_of_alert_in_order() {
    let s = escenario();
    let al = s.app.get("/api/v1/alertas?dias=5", &s.e.cartera).expect(200).json();
    assert_eq!(al["hoy"], "2026-06-30");
    assert_eq!(al["hasta"], "2026-07-07", "5 días hábiles: 1, 2, 3, 6 and 7 July");
    let items: Vec<(&str, &str, &str, bool, i64)> = al["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["numero"] != "F-1")
        .map(|x| {
            (
                x["tipo"].as_str().unwrap(),
                x["numero"].as_str().unwrap(),
                x["vence"].as_str().unwrap(),
                x["vencida"].as_bool().unwrap(),
                x["dias_habiles_restantes"].as_i64().unwrap(),
            )
        })
        .collect();
    // The first half of each radicated invoice was due 5 días hábiles after its radicación
    // (Ley 1122/2007 art. 13 lit. d): C and D on 25 May (Friday 15 May; Monday 18 May is a
    // holiday: 19-22, 25), B on 18 June (Wednesday 10 June; 15 June skipped: 11, 12, 16-18).
    // E's payment term is over, so it shows as pago_vencido instead.
    assert_eq!(
        items,
        [
            ("pago_vencido", "E-1", "2026-05-19", true, -27),
            ("pago_anticipo_vencido", "C-1", "2026-05-25", true, -23),
            ("pago_anticipo_vencido", "D-1", "2026-05-25", true, -23),
            ("decision_vencida", "D-1", "2026-06-09", true, -13),
            ("glosa_vencida", "C-1", "2026-06-11", true, -11),
            ("pago_anticipo_vencido", "B-1", "2026-06-18", true, -7),
            ("radicacion_por_vencer", "A-1", "2026-07-06", false, 4),
            ("glosa_por_responder", "B-1", "2026-07-07", false, 5),
        ]
    );
    let c1 = al["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["numero"] == "C-1" && x["tipo"] == "pago_anticipo_vencido")
        .unwrap();
    // Half of $1.000.000 unpaid, 36 calendar days after 25 May.
    assert_eq!(
        (c1["dias_mora"].as_i64(), c1["valor"].as_str()),
        (Some(36), Some("500000.00"))
    );
    let d1 = al["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["tipo"] == "decision_vencida")
        .unwrap();
    assert!(d1["accion"].as_str().unwrap().contains("sigue en discusión"), "{d1}");
    let e1 = al["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["numero"] == "E-1")
        .unwrap();
    assert_eq!(
        (e1["dias_mora"].as_i64(), e1["valor"].as_str()),
        (Some(42), Some("700000.00"))
    );
    // A narrower window leaves out what is not due yet.
    let al = s.app.get("/api/v1/alertas?dias=3", &s.e.cartera).expect(200).json();
    assert!(al["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|x| x["tipo"] != "glosa_por_responder" && x["tipo"] != "radicacion_por_vencer"));
    s.app.get("/api/v1/alertas?dias=61", &s.e.cartera).problem(422);
    // By kind, by payer, a page at a time, with names and the glosa's code beside the ids.
    let al = s
        .app
        .get("/api/v1/alertas?dias=5&tipo=pago_anticipo_vencido", &s.e.cartera)
        .expect(200)
        .json();
    assert_eq!(al["total"], 3, "{al}");
    assert!(al["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|x| x["tipo"] == "pago_anticipo_vencido" && x["pagador"] == "EPS de prueba"));
    let pagina = s
        .app
        .get("/api/v1/alertas?dias=5&per_page=2&page=2", &s.e.cartera)
        .expect(200)
        .json();
    let todas = s.app.get("/api/v1/alertas?dias=5", &s.e.cartera).expect(200).json();
    assert_eq!(pagina["total"], todas["total"]);
    assert_eq!(pagina["items"].as_array().unwrap().len(), 2);
    assert_eq!(pagina["items"][0], todas["items"][2]);
    let de_la_eps = s
        .app
        .get(
            &format!("/api/v1/alertas?dias=5&pagador_id={}", s.e.pagador_id),
            &s.e.cartera,
        )
        .expect(200)
        .json();
    assert!(de_la_eps["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|x| x["numero"] != "F-1"));
    let vencida = todas["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["tipo"] == "glosa_vencida")
        .unwrap();
    assert_eq!(vencida["codigo"], "FA0101");
    assert!(
        vencida["descripcion_codigo"]
            .as_str()
            .unwrap()
            .starts_with("El cargo por estancia"),
        "{vencida}"
    );
    let p = s
        .app
        .peticion_invalida()
        .get("/api/v1/alertas?tipo=ninguno", &s.e.cartera)
        .problem(422);
    assert_eq!(p["errors"][0]["path"], "tipo");
    assert!(
        p["errors"][0]["message"].as_str().unwrap().contains("pago_vencido"),
        "{p}"
    );
    // Another prestador sees none of it.
    let otro = s.app.tenant();
    assert_eq!(
        s.app.get("/api/v1/alertas?dias=5", &otro.admin).expect(200).json()["total"],
        0
    );
}

#[test]
fn aging_of_cartera_at_two_cut_off_dates() {
    let s = escenario();
    let get = |corte: &str| {
        s.app
            .get(
                &format!("/api/v1/reportes/cartera?corte={corte}&por=pagador"),
                &s.e.finanzas,
            )
            .expect(200)
            .json()
    };
    let row = |r: &Value, nombre: &str| -> Vec<String> {
        let f = r["filas"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["tipo"] == nombre)
            .unwrap()
            .clone();
        ["0-30", "31-60", "61-90", "91-180", "181-360", ">360"]
            .iter()
            .map(|k| f["edades"][*k].as_str().unwrap().to_string())
            .chain([f["total"].as_str().unwrap().to_string()])
            .collect()
    };
    // 15 June: E's payment is later; C's glosa is past due (11 June): accepted by silence.
    // A, never radicated, ages since its expedición (1 June): 0-30 with B.
    let r = get("2026-06-15");
    assert_eq!(
        row(&r, "eps_contributivo"),
        [
            "2000000.00",
            "1800000.00",
            "1000000.00",
            "0.00",
            "0.00",
            "0.00",
            "4800000.00"
        ]
    );
    assert_eq!(
        row(&r, "soat"),
        ["0.00", "0.00", "0.00", "0.00", "0.00", "1000000.00", "1000000.00"]
    );
    assert_eq!(r["total"], "5800000.00");
    assert_eq!(r["sin_radicar"], "1000000.00");
    // 30 June: E paid $300.000 and is exactly 90 days old.
    let r = get("2026-06-30");
    assert_eq!(
        row(&r, "eps_contributivo"),
        [
            "2000000.00",
            "1800000.00",
            "700000.00",
            "0.00",
            "0.00",
            "0.00",
            "4500000.00"
        ]
    );
    assert_eq!(r["totales"][">360"], "1000000.00");
    assert_eq!(r["total"], "5500000.00");
    // Before anything was issued there is no cartera.
    assert_eq!(get("2025-04-19")["filas"].as_array().unwrap().len(), 0);
    s.app
        .get("/api/v1/reportes/cartera?por=edad", &s.e.finanzas)
        .problem(422);
    let _ = (&s.a, &s.b, &s.d, &s.f_e, &s.f);
}

#[test]
fn silence_shows_in_the_trazabilidad_as_what_the_rule_decided() {
    let s = escenario();
    let t = s.app.trazabilidad(&s.e.auditor, &s.c);
    let ultimo = eventos(&t).last().unwrap().clone();
    assert_eq!(ultimo["tipo"], "aceptacion_tacita");
    assert_eq!(
        (ultimo["fecha"].as_str(), ultimo["actor"].as_str()),
        (Some("2026-06-12"), Some("regla"))
    );
    assert_eq!(
        (ultimo["termino"].as_str(), ultimo["cumplido"].as_bool()),
        (Some("respuesta"), Some(false))
    );
    assert!(ultimo["registrado_en"].is_null());
    assert_eq!(t["saldo"], "850000.00");
    let t = s.app.trazabilidad(&s.e.auditor, &s.d);
    // The payer's decision was due 9 June; no norm gives its silence an effect: the step
    // shows the missed term, and the $100.000 sustained stay in discussion.
    let ultimo = eventos(&t).last().unwrap().clone();
    assert_eq!(ultimo["tipo"], "decision_vencida");
    assert_eq!(
        (ultimo["fecha"].as_str(), ultimo["cierra"]["vencia"].as_str()),
        (Some("2026-06-10"), Some("2026-06-09"))
    );
    assert_eq!(
        (t["saldo"].as_str(), t["en_discusion"].as_str()),
        (Some("950000.00"), Some("100000.00"))
    );
}
