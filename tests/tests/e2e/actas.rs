//! Actas de conciliación de cartera (Circular Conjunta 030/2013): an acta recorded from a
//! reconciliation does in one transaction what each agreed outcome implies.
//!
//! Trazo's today is Tuesday 2026-06-30. One payer, six invoices of $1.000.000 issued 2026-03-01
//! and radicated 2026-03-05:
//! - the payer pays $600.000 of A-1 by 2026-06-15 and $1.000.000 of A-2 by 2026-07-15
//!   (one acuerdo de pago `ACTA-AC-7`, two instalments; the first is overdue today: broken);
//! - glosa TA0201 of $200.000 received 2026-03-20, answered 2026-03-27 accepting $50.000,
//!   ratified 2026-04-10 ($150.000 in dispute); the IPS accepts $100.000 of it in the acta;
//! - to radicate again by 2026-07-10; A-5: a payment of $300.000 to apply by 2026-07-03;
//! - conforme.
//!
//! Plus a commitment of the payer, due 2026-06-20 and not done: broken.

use serde_json::{json, Value};
use trazo::domain::rol::Rol;
use trazo_tests::{eventos, hoja, id, Equipo, Glosa, TestApp};

struct Escenario {
    app: TestApp,
    e: Equipo,
    f: Vec<String>,
    glosa: String,
    estado_cuenta: String,
}

fn escenario() -> Escenario {
    let app = TestApp::spawn_el("2026-06-30");
    let e = app.equipo();
    let f: Vec<String> = (1..=6)
        .map(|i| {
            let x = id(&app.factura(&e, &format!("A-{i}"), "2026-03-01"));
            app.radicar(&e, &x, &format!("R-A-{i}"), "2026-03-05");
            x
        })
        .collect();
    let glosa = id(&app
        .glosar(&e, &f[2], &Glosa::new("TA0201", "200000.00", "2026-03-20"))
        .expect(201)
        .json());
    app.post(
        &format!("/api/v1/glosas/{glosa}/respuestas"),
        &e.cartera,
        &json!({"codigo": "RE9801", "valor_aceptado": "50000.00", "valor_sustentado": "150000.00", "justificacion": "tarifa pactada", "fecha": "2026-03-27"}),
    )
    .expect(201);
    app.post(
        &format!("/api/v1/glosas/{glosa}/decisiones"),
        &e.cartera,
        &json!({"resultado": "ratificada", "valor_levantado": "0.00", "fecha": "2026-04-10"}),
    )
    .expect(201);
    // The payer's statement at 31 May: what it says of each invoice.
    let csv = "numero_factura;saldo\nA-1;400.000,00\nA-2;0\nA-3;800.000,00\nA-5;700.000,00\nA-6;1.000.000,00\n";
    let estado_cuenta = id(&app
        .request(
            "POST",
            &format!(
                "/api/v1/pagadores/{}/estados-cuenta?corte=2026-05-31&archivo=estado.csv",
                e.pagador_id
            ),
            Some(&e.cartera),
            Some("text/csv"),
            Some(csv.as_bytes()),
        )
        .expect(201)
        .json());
    Escenario {
        app,
        e,
        f,
        glosa,
        estado_cuenta,
    }
}

fn participantes() -> Value {
    json!([
        {"nombre": "Ana Gómez", "cargo": "Coordinadora de cartera", "entidad": "prestador"},
        {"nombre": "Luis Pérez", "cargo": "Analista de cuentas médicas", "entidad": "pagador"}
    ])
}

fn acta(s: &Escenario, numero: &str) -> Value {
    let f = &s.f;
    json!({
        "numero": numero, "fecha": "2026-06-01", "estado_cuenta_id": s.estado_cuenta,
        "lugar": "Sede administrativa, Bogotá", "participantes": participantes(),
        "observaciones": "Mesa de conciliación de cartera de junio",
        "facturas": [
            {"factura_id": f[0], "resultado": "pagar", "valor": "600000.00", "fecha_compromiso": "2026-06-15"},
            {"factura_id": f[1], "resultado": "pagar", "valor": "1000000.00", "fecha_compromiso": "2026-07-15"},
            {"factura_id": f[2], "resultado": "glosa_aceptada", "valor": "100000.00", "nota": "se acepta parte de la tarifa"},
            {"factura_id": f[3], "resultado": "radicar_de_nuevo", "fecha_compromiso": "2026-07-10", "nota": "el pagador no la recibió"},
            {"factura_id": f[4], "resultado": "aplicar_pago", "valor": "300000.00", "fecha_compromiso": "2026-07-03"},
            {"factura_id": f[5], "resultado": "conforme"}
        ],
        "compromisos": [
            {"responsable": "pagador", "descripcion": "Enviar los soportes de los pagos de mayo", "vence": "2026-06-20"}
        ]
    })
}

fn ruta(s: &Escenario) -> String {
    format!("/api/v1/pagadores/{}/actas", s.e.pagador_id)
}

#[test]
fn an_acta_turns_each_outcome_into_what_it_implies() {
    let s = escenario();
    let (app, e, f) = (&s.app, &s.e, &s.f);
    let a = app.post(&ruta(&s), &e.cartera, &acta(&s, "AC-7")).expect(201).json();
    assert_eq!(a["numero"], "AC-7");
    assert_eq!(a["corte"], "2026-05-31", "the statement's cut-off");
    // Each line keeps both balances as the reconciliation had them.
    let l1 = &a["facturas"][0];
    assert_eq!(
        (
            l1["saldo_prestador"].as_str(),
            l1["saldo_pagador"].as_str(),
            l1["diferencia"].as_str()
        ),
        (Some("1000000.00"), Some("400000.00"), Some("600000.00"))
    );
    assert_eq!(
        a["facturas"][3]["saldo_pagador"],
        Value::Null,
        "A-4 is not in the statement"
    );
    let totales: Vec<(&str, i64, &str)> = a["totales"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["resultado"].as_str().unwrap(),
                t["facturas"].as_i64().unwrap(),
                t["valor"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        totales,
        [
            ("pagar", 2, "1600000.00"),
            ("glosa_aceptada", 1, "100000.00"),
            ("radicar_de_nuevo", 1, "0.00"),
            ("aplicar_pago", 1, "300000.00"),
            ("conforme", 1, "0.00")
        ]
    );

    // The lines to pay are one agreement, one instalment per date.
    let acuerdo = app
        .get(
            &format!("/api/v1/acuerdos/{}", a["acuerdo_id"].as_str().unwrap()),
            &e.finanzas,
        )
        .expect(200)
        .json();
    assert_eq!(acuerdo["numero"], "ACTA-AC-7");
    assert_eq!(acuerdo["facturas"], json!([f[0], f[1]]));
    let cuotas: Vec<(&str, &str, &str)> = acuerdo["cuotas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            (
                q["fecha_vencimiento"].as_str().unwrap(),
                q["valor"].as_str().unwrap(),
                q["estado"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        cuotas,
        [
            ("2026-06-15", "600000.00", "vencida"),
            ("2026-07-15", "1000000.00", "pendiente")
        ]
    );
    assert_eq!(acuerdo["estado"], "incumplido");

    // The glosa accepted is conciliated: $100.000 for the payer, $50.000 for the IPS.
    let g = app
        .get(&format!("/api/v1/glosas/{}", s.glosa), &e.auditor)
        .expect(200)
        .json();
    assert_eq!(
        (
            g["estado"].as_str(),
            g["valor_a_favor_pagador"].as_str(),
            g["valor_a_favor_prestador"].as_str()
        ),
        (Some("conciliada"), Some("100000.00"), Some("50000.00"))
    );
    assert_eq!(g["en_discusion"], "0.00");

    // Every invoice tells it in its story.
    for x in f {
        let t = app.trazabilidad(&e.auditor, x);
        let ev: Vec<&Value> = eventos(&t)
            .iter()
            .filter(|v| v["tipo"] == "acta_conciliacion")
            .collect();
        assert_eq!(ev.len(), 1, "{t}");
    }
    let t = app.trazabilidad(&e.auditor, &f[2]);
    let tipos: Vec<&str> = eventos(&t).iter().map(|v| v["tipo"].as_str().unwrap()).collect();
    assert!(tipos.ends_with(&["acta_conciliacion", "glosa_conciliada"]), "{tipos:?}");
    let acta_ev = eventos(&t).iter().find(|v| v["tipo"] == "acta_conciliacion").unwrap();
    assert_eq!(
        acta_ev["detalle"]["texto"],
        "Acta de conciliación de cartera AC-7: la IPS acepta la glosa por $ 100.000,00"
    );
    let conciliada = eventos(&t).iter().find(|v| v["tipo"] == "glosa_conciliada").unwrap();
    assert_eq!(conciliada["detalle"]["acta"], "AC-7");
    let t = app.trazabilidad(&e.auditor, &f[0]);
    assert!(eventos(&t).iter().any(|v| v["tipo"] == "acuerdo_pago"));

    // The commitments: those the lines imply and the payer's.
    let compromisos: Vec<(&str, &str, &str, &str)> = a["compromisos"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["responsable"].as_str().unwrap(),
                c["descripcion"].as_str().unwrap(),
                c["vence"].as_str().unwrap(),
                c["estado"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        compromisos,
        [
            (
                "pagador",
                "Enviar los soportes de los pagos de mayo",
                "2026-06-20",
                "vencido"
            ),
            (
                "prestador",
                "Aplicar el pago de $ 300.000,00 que reporta el pagador a la factura A-5",
                "2026-07-03",
                "pendiente"
            ),
            (
                "prestador",
                "Radicar de nuevo la factura A-4",
                "2026-07-10",
                "pendiente"
            ),
        ]
    );

    // The work list: the agreement's instalments and the commitments due, those overdue
    // flagged (the instalment's alert, as any agreement's).
    let w = app.get("/api/v1/cobro/trabajo?dias=15", &e.cartera).expect(200).json();
    let cuotas: Vec<(&str, i64, bool)> = w["cuotas"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|q| q["acuerdo"] == "ACTA-AC-7")
        .map(|q| {
            (
                q["vence"].as_str().unwrap(),
                q["cuota"].as_i64().unwrap(),
                q["vencida"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(cuotas, [("2026-06-15", 1, true), ("2026-07-15", 2, false)]);
    let en_lista: Vec<(&str, &str)> = w["compromisos"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["vence"].as_str().unwrap(), c["estado"].as_str().unwrap()))
        .collect();
    assert_eq!(
        en_lista,
        [
            ("2026-06-20", "vencido"),
            ("2026-07-03", "pendiente"),
            ("2026-07-10", "pendiente")
        ]
    );
    assert!(w["compromisos"].as_array().unwrap().iter().all(|c| c["acta"] == "AC-7"));
    // The payer's segmentation counts the broken agreement and the broken commitment.
    let seg = app.get("/api/v1/reportes/segmentacion", &e.finanzas).expect(200).json();
    let p = seg
        .as_array()
        .or_else(|| seg["items"].as_array())
        .unwrap()
        .iter()
        .find(|x| x["pagador_id"] == e.pagador_id.as_str())
        .unwrap()
        .clone();
    assert_eq!(
        (
            p["acuerdos_incumplidos"].as_i64(),
            p["compromisos_incumplidos"].as_i64()
        ),
        (Some(1), Some(1))
    );
    assert!(
        p["razones"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r == "1 compromiso(s) de acta de conciliación incumplido(s)"),
        "{p}"
    );

    // Fulfilled late, the payer's commitment still counts against it; the IPS's on time is done,
    // with an event on its invoice.
    let pagador_c = a["compromisos"][0]["id"].as_str().unwrap();
    let radicar_c = a["compromisos"][2]["id"].as_str().unwrap();
    let c = app
        .post(
            &format!("/api/v1/compromisos/{pagador_c}/cumplimiento"),
            &e.cartera,
            &json!({"fecha": "2026-06-25"}),
        )
        .expect(200)
        .json();
    assert_eq!(c["estado"], "cumplido_tarde");
    app.post(
        &format!("/api/v1/compromisos/{pagador_c}/cumplimiento"),
        &e.cartera,
        &json!({"fecha": "2026-06-26"}),
    )
    .problem(409);
    let c = app
        .post(
            &format!("/api/v1/compromisos/{radicar_c}/cumplimiento"),
            &e.finanzas,
            &json!({"fecha": "2026-06-29"}),
        )
        .expect(200)
        .json();
    assert_eq!(c["estado"], "cumplido");
    let t = app.trazabilidad(&e.auditor, &f[3]);
    let hecho = eventos(&t).iter().find(|v| v["tipo"] == "compromiso_cumplido").unwrap();
    assert_eq!(
        hecho["detalle"]["texto"],
        "Compromiso del acta AC-7 cumplido: Radicar de nuevo la factura A-4"
    );
    let seg = app.get("/api/v1/reportes/segmentacion", &e.finanzas).expect(200).json();
    let p = seg
        .as_array()
        .or_else(|| seg["items"].as_array())
        .unwrap()
        .iter()
        .find(|x| x["pagador_id"] == e.pagador_id.as_str())
        .unwrap()
        .clone();
    assert_eq!(p["compromisos_incumplidos"], 1);
    let w = app.get("/api/v1/cobro/trabajo?dias=15", &e.cartera).expect(200).json();
    assert_eq!(
        w["compromisos"].as_array().unwrap().len(),
        1,
        "only A-5's payment is left"
    );

    // Read, listed and exported by those who read cartera.
    let leida = app
        .get(&format!("/api/v1/actas/{}", a["id"].as_str().unwrap()), &e.auditor)
        .expect(200)
        .json();
    assert_eq!(leida["compromisos"][2]["cumplido_en"], "2026-06-29");
    assert_eq!(leida["participantes"], participantes());
    let l = app
        .get(&format!("/api/v1/actas?pagador_id={}", e.pagador_id), &e.finanzas)
        .expect(200)
        .json();
    assert_eq!(
        (l["total"].as_i64(), l["items"][0]["numero"].as_str()),
        (Some(1), Some("AC-7"))
    );
    let xlsx = app.bytes(
        &format!("/api/v1/actas/{}/xlsx", a["id"].as_str().unwrap()),
        &e.finanzas,
    );
    let filas = hoja(&xlsx, "Acta");
    let a1 = filas.iter().find(|x| x[0] == "A-1").unwrap();
    assert_eq!(
        (a1[3].as_str(), a1[4].as_str(), a1[6].as_str(), a1[8].as_str()),
        ("1000000", "400000", "pagar", "600000")
    );
    let compromisos = hoja(&xlsx, "Compromisos");
    assert!(compromisos
        .iter()
        .any(|x| x[1] == "Radicar de nuevo la factura A-4" && x[5] == "cumplido"));
    let firmas = hoja(&xlsx, "Participantes");
    assert!(firmas.iter().any(|x| x[1] == "Luis Pérez" && x[0] == "pagador"));
}

#[test]
fn an_acta_refused_writes_nothing() {
    let s = escenario();
    let (app, e, f) = (&s.app, &s.e, &s.f);
    // Only who sits at the table records it; the payer's own window and billing do not.
    app.post(&ruta(&s), &e.facturacion, &acta(&s, "AC-1")).problem(403);
    app.post(&ruta(&s), &e.auditor, &acta(&s, "AC-1")).problem(403);
    app.get("/api/v1/actas", &e.facturacion).problem(403);
    // Another prestador's payer does not exist here, nor its invoices.
    let otro = app.equipo();
    app.post(
        &format!("/api/v1/pagadores/{}/actas", otro.pagador_id),
        &e.cartera,
        &acta(&s, "AC-1"),
    )
    .problem(404);
    let ajena = id(&app.factura(&otro, "X-1", "2026-03-01"));
    let mut cuerpo = acta(&s, "AC-1");
    cuerpo["facturas"][5]["factura_id"] = json!(ajena);
    let p = app.post(&ruta(&s), &e.cartera, &cuerpo).problem(422);
    assert!(p.to_string().contains("facturas[5]"), "{p}");
    // A glosa accepted where the invoice has none in dispute, and more than is ratified:
    // every problem at once, each line named.
    let mut cuerpo = acta(&s, "AC-1");
    cuerpo["facturas"][5] = json!({"factura_id": f[5], "resultado": "glosa_aceptada", "valor": "10000.00"});
    cuerpo["facturas"][2]["valor"] = json!("150000.01");
    cuerpo["facturas"][1]["fecha_compromiso"] = json!("2026-05-01");
    cuerpo["compromisos"][0]["vence"] = json!("2026-05-30");
    let p = app.post(&ruta(&s), &e.cartera, &cuerpo).problem(422);
    let rutas: Vec<&str> = p["errors"]
        .as_array()
        .or_else(|| p["violations"].as_array())
        .unwrap_or_else(|| panic!("{p}"))
        .iter()
        .map(|v| v["path"].as_str().or_else(|| v["field"].as_str()).unwrap())
        .collect();
    assert_eq!(
        rutas,
        [
            "facturas[1].fecha_compromiso",
            "compromisos[0].vence",
            "facturas[2].valor",
            "facturas[5].valor"
        ],
        "{p}"
    );
    assert!(p.to_string().contains("no tiene glosas ratificadas"), "{p}");
    // Nothing was written: no acta, no agreement, no event, the glosa still ratified.
    let l = app.get("/api/v1/actas", &e.cartera).expect(200).json();
    assert_eq!(l["total"], 0);
    let acuerdos = app.get("/api/v1/acuerdos", &e.cartera).expect(200).json();
    assert_eq!(acuerdos["total"], 0);
    for x in f {
        let t = app.trazabilidad(&e.auditor, x);
        assert!(!eventos(&t).iter().any(|v| v["tipo"] == "acta_conciliacion"));
    }
    let g = app
        .get(&format!("/api/v1/glosas/{}", s.glosa), &e.cartera)
        .expect(200)
        .json();
    assert_eq!(g["estado"], "ratificada");
    // A line without what its outcome needs; no participant of the payer.
    let mut cuerpo = acta(&s, "AC-1");
    cuerpo["facturas"][0] = json!({"factura_id": f[0], "resultado": "pagar"});
    cuerpo["participantes"] = json!([{"nombre": "Ana Gómez", "entidad": "prestador"}]);
    let p = app.post(&ruta(&s), &e.cartera, &cuerpo).problem(422);
    for campo in ["facturas[0].valor", "facturas[0].fecha_compromiso", "participantes"] {
        assert!(p.to_string().contains(campo), "{campo}: {p}");
    }
    // The number is the prestador's: the same one again is a conflict.
    app.post(&ruta(&s), &e.finanzas, &acta(&s, "AC-1")).expect(201);
    let p = app.post(&ruta(&s), &e.cartera, &acta(&s, "AC-1")).problem(409);
    assert!(p.to_string().contains("AC-1"), "{p}");
    // Another prestador does not see it.
    let ajenas = app.get("/api/v1/actas", &otro.cartera).expect(200).json();
    assert_eq!(ajenas["total"], 0);
    let otra = app.user(&otro.tenant, Rol::Finanzas);
    let l = app.get("/api/v1/actas", &e.finanzas).expect(200).json();
    app.get(
        &format!("/api/v1/actas/{}", l["items"][0]["id"].as_str().unwrap()),
        &otra,
    )
    .problem(404);
}

#[test]
fn an_acta_without_a_reconciliation_keeps_todays_balance() {
    let app = TestApp::spawn_el("2026-06-30");
    let e = app.equipo();
    let f1 = id(&app.factura(&e, "B-1", "2026-03-01"));
    app.radicar(&e, &f1, "R-B-1", "2026-03-05");
    app.pagar(&e, &f1, "2026-04-01", "250000.00");
    let a = app
        .post(
            &format!("/api/v1/pagadores/{}/actas", e.pagador_id),
            &e.cartera,
            &json!({"numero": "AC-SIN", "fecha": "2026-06-30", "participantes": participantes(),
                    "facturas": [{"factura_id": f1, "resultado": "en_disputa", "nota": "el pagador revisa la tarifa"}]}),
        )
        .expect(201)
        .json();
    assert_eq!(
        (
            a["corte"].as_str(),
            a["facturas"][0]["saldo_prestador"].as_str(),
            a["facturas"][0]["saldo_pagador"].clone(),
            a["acuerdo_id"].clone()
        ),
        (Some("2026-06-30"), Some("750000.00"), Value::Null, Value::Null)
    );
    // The acta's date is a fact: not in the future.
    let p = app
        .post(
            &format!("/api/v1/pagadores/{}/actas", e.pagador_id),
            &e.cartera,
            &json!({"numero": "AC-FUT", "fecha": "2026-07-01", "participantes": participantes(),
                    "facturas": [{"factura_id": f1, "resultado": "conforme"}]}),
        )
        .problem(422);
    assert!(p.to_string().contains("\"fecha\""), "{p}");
}
