//! The invoice life cycle end to end, with the trazabilidad checked event by event.

use serde_json::{json, Value};
use trazo_tests::{Equipo, TestApp};

fn id(v: &Value) -> String {
    v["id"].as_str().expect("id").to_string()
}

fn radicar(app: &TestApp, e: &Equipo, f: &str, numero: &str, fecha: &str) -> Value {
    app.post(
        &format!("/api/v1/facturas/{f}/radicaciones"),
        &e.facturacion,
        &json!({"numero_radicado": numero, "fecha_radicacion": fecha}),
    )
    .expect(201)
    .json()
}

#[test]
fn one_invoice_through_the_whole_cycle_with_its_trazabilidad() {
    let app = TestApp::spawn_el("2025-07-15");
    let e = app.equipo();
    let f = app.factura(&e, "FE-1", "2025-03-03");
    let fid = id(&f);
    assert_eq!(f["fecha_limite_radicacion"], "2025-04-03");

    // Radicated Friday 2025-04-11, after the prestador's 22 días hábiles (missed).
    let r = radicar(&app, &e, &fid, "RAD-001", "2025-04-11");
    assert_eq!(r["estado"], "radicada");
    assert_eq!(r["fecha_limite_glosa"], "2025-05-14");
    assert_eq!(r["fecha_limite_pago"], "2025-05-28");

    // Two glosas of one formulation: $150.000 on line 2 and $50.000 on the whole invoice.
    let glosa = |codigo: &str, valor: &str, item: Option<i32>| {
        app.post(
            &format!("/api/v1/facturas/{fid}/glosas"),
            &e.cartera,
            &json!({"codigo": codigo, "valor": valor, "fecha_formulacion": "2025-04-11", "fecha_recepcion": "2025-04-11", "item": item, "observacion": "tarifa"}),
        )
        .expect(201)
        .json()
    };
    let g1 = glosa("201", "150000.00", Some(2));
    assert_eq!(
        g1["fecha_limite_respuesta"], "2025-05-07",
        "15 días hábiles skipping Holy Week and 1 May"
    );
    assert_eq!(g1["extemporanea"], false);
    assert_eq!(g1["descripcion_codigo"], "Estancia");
    let g2 = glosa("101", "50000.00", None);
    let (g1, g2) = (id(&g1), id(&g2));
    // Trazo's today is 15 July: unanswered since 7 May, both glosas are accepted by silence.
    let fact = app
        .get(&format!("/api/v1/facturas/{fid}"), &e.auditor)
        .expect(200)
        .json();
    assert_eq!(
        (
            fact["estado"].as_str(),
            fact["en_discusion"].as_str(),
            fact["saldo"].as_str()
        ),
        (Some("glosada"), Some("0.00"), Some("800000.00"))
    );
    assert_eq!(fact["glosas"][0]["aceptada_tacitamente"], true);
    assert_eq!(
        (
            fact["plazos"][0]["termino"].as_str(),
            fact["plazos"][0]["vencido"].as_bool()
        ),
        (Some("respuesta"), Some(true))
    );
    // Their answers were sent on 30 April, in time: recorded with that date, silence no longer counts.

    // Answers: partial acceptance of the first, total of the second.
    let resp = |g: &str, codigo: &str, a: &str, s: &str, fecha: &str| {
        app.post(&format!("/api/v1/glosas/{g}/respuestas"), &e.cartera, &json!({"codigo": codigo, "valor_aceptado": a, "valor_sustentado": s, "justificacion": "soportes", "fecha": fecha}))
    };
    let r1 = resp(&g1, "RE9801", "50000.00", "100000.00", "2025-04-30")
        .expect(201)
        .json();
    assert_eq!(
        (r1["estado"].as_str(), r1["fecha_limite_decision"].as_str()),
        (Some("respondida"), Some("2025-05-15"))
    );
    resp(&g2, "RE9702", "50000.00", "0.00", "2025-04-30").expect(201);
    // The payer's decision on the $100.000 sustained was due 15 May: as of 15 July, silence
    // lifted it (still owed, no longer disputed) until the payer's decision is recorded.
    let fact = app
        .get(&format!("/api/v1/facturas/{fid}"), &e.auditor)
        .expect(200)
        .json();
    assert_eq!(
        (
            fact["estado"].as_str(),
            fact["en_discusion"].as_str(),
            fact["saldo"].as_str()
        ),
        (Some("respondida"), Some("0.00"), Some("900000.00"))
    );
    assert_eq!(fact["glosas"][0]["levantada_tacitamente"], true);
    // A date after Trazo's today is refused.
    let g3 = app.post(&format!("/api/v1/facturas/{fid}/glosas"), &e.cartera,
        &json!({"codigo": "101", "valor": "1.00", "fecha_formulacion": "2025-04-11", "fecha_recepcion": "2025-07-16"})).problem(422);
    assert_eq!(g3["errors"][0]["path"], "fecha_recepcion");

    // The payer lifts $60.000 and ratifies $40.000; conciliation splits $25.000 / $15.000.
    let d = app
        .post(
            &format!("/api/v1/glosas/{g1}/decisiones"),
            &e.cartera,
            &json!({"resultado": "parcial", "valor_levantado": "60000.00", "fecha": "2025-05-09"}),
        )
        .expect(201)
        .json();
    assert_eq!(
        (d["estado"].as_str(), d["valor_ratificado"].as_str()),
        (Some("ratificada"), Some("40000.00"))
    );
    app.post(
        &format!("/api/v1/glosas/{g1}/conciliaciones"),
        &e.cartera,
        &json!({"fecha": "2025-05-20"}),
    )
    .expect(201);
    assert_eq!(
        app.get(&format!("/api/v1/facturas/{fid}"), &e.cartera)
            .expect(200)
            .json()["estado"],
        "en_conciliacion"
    );
    app.post(
        &format!("/api/v1/glosas/{g1}/conciliaciones"),
        &e.cartera,
        &json!({"valor_a_favor_prestador": "25000.00", "valor_a_favor_pagador": "15000.00", "acta": "ACTA-7", "fecha": "2025-06-03"}),
    )
    .expect(201);
    let fact = app
        .get(&format!("/api/v1/facturas/{fid}"), &e.cartera)
        .expect(200)
        .json();
    // 1.000.000 − 50.000 − 50.000 accepted − 15.000 conciliated for the payer.
    assert_eq!(
        (
            fact["estado"].as_str(),
            fact["saldo"].as_str(),
            fact["en_discusion"].as_str()
        ),
        (Some("conciliada"), Some("885000.00"), Some("0.00"))
    );

    // A payment larger than the balance is refused naming the line; nothing is written.
    let over = app
        .post("/api/v1/pagos", &e.finanzas, &json!({"pagador_id": e.pagador_id, "fecha": "2025-06-10", "valor": "900000.00", "referencia": "TRF-9", "medio": "transferencia",
            "aplicaciones": [{"factura_id": fid, "valor": "885000.01"}]}))
        .problem(422);
    assert_eq!(over["errors"][0]["path"], "aplicaciones[0].valor");
    assert!(
        over["errors"][0]["message"].as_str().unwrap().contains("885000.00"),
        "{over}"
    );
    assert_eq!(app.get("/api/v1/pagos", &e.finanzas).expect(200).json()["total"], 0);
    let pago = app
        .post("/api/v1/pagos", &e.finanzas, &json!({"pagador_id": e.pagador_id, "fecha": "2025-06-10", "valor": "900000.00", "referencia": "TRF-9", "medio": "transferencia",
            "aplicaciones": [{"factura_id": fid, "valor": "500000.00"}]}))
        .expect(201)
        .json();
    assert_eq!(
        (pago["aplicado"].as_str(), pago["sin_aplicar"].as_str()),
        (Some("500000.00"), Some("400000.00"))
    );
    assert_eq!(
        app.get(&format!("/api/v1/facturas/{fid}"), &e.cartera)
            .expect(200)
            .json()["estado"],
        "pagada_parcial"
    );
    // The rest is applied later; the payment keeps what no invoice owes.
    let pago = app
        .post(
            &format!("/api/v1/pagos/{}/aplicaciones", id(&pago)),
            &e.cartera,
            &json!({"aplicaciones": [{"factura_id": fid, "valor": "385000.00"}], "fecha": "2025-06-12"}),
        )
        .expect(201)
        .json();
    assert_eq!(pago["sin_aplicar"], "15000.00");
    let fact = app
        .get(&format!("/api/v1/facturas/{fid}"), &e.cartera)
        .expect(200)
        .json();
    assert_eq!(
        (fact["estado"].as_str(), fact["saldo"].as_str()),
        (Some("pagada"), Some("0.00"))
    );
    assert_eq!(fact["plazos"].as_array().unwrap().len(), 0, "nothing left to watch");

    // The trazabilidad, event by event.
    let t = app
        .get(&format!("/api/v1/facturas/{fid}/trazabilidad"), &e.auditor)
        .expect(200)
        .json();
    assert_eq!(
        (t["estado"].as_str(), t["saldo"].as_str()),
        (Some("pagada"), Some("0.00"))
    );
    let ev = t["eventos"].as_array().unwrap();
    let resumen: Vec<(&str, &str, &str)> = ev
        .iter()
        .map(|x| {
            (
                x["tipo"].as_str().unwrap(),
                x["fecha"].as_str().unwrap(),
                x["saldo"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        resumen,
        [
            ("expedida", "2025-03-03", "1000000.00"),
            ("radicada", "2025-04-11", "1000000.00"),
            ("glosa_recibida", "2025-04-11", "1000000.00"),
            ("glosa_recibida", "2025-04-11", "1000000.00"),
            ("glosa_respondida", "2025-04-30", "950000.00"),
            ("glosa_respondida", "2025-04-30", "900000.00"),
            ("glosa_decidida", "2025-05-09", "900000.00"),
            ("conciliacion_iniciada", "2025-05-20", "900000.00"),
            ("glosa_conciliada", "2025-06-03", "885000.00"),
            ("pago_aplicado", "2025-06-10", "385000.00"),
            ("pago_aplicado", "2025-06-12", "0.00"),
        ]
    );
    let en_discusion: Vec<&str> = ev.iter().map(|x| x["en_discusion"].as_str().unwrap()).collect();
    assert_eq!(
        en_discusion,
        [
            "0.00",
            "0.00",
            "150000.00",
            "200000.00",
            "150000.00",
            "100000.00",
            "40000.00",
            "40000.00",
            "0.00",
            "0.00",
            "0.00"
        ]
    );
    // Who did each step.
    assert!(ev[1]["actor"].as_str().unwrap().starts_with("facturacion-"));
    assert!(ev[2]["actor"].as_str().unwrap().starts_with("cartera-"));
    assert!(ev[9]["actor"].as_str().unwrap().starts_with("finanzas-"));
    assert!(ev.iter().all(|x| x["registrado_en"].is_string()));
    // Terms opened and closed, met or missed.
    assert_eq!(
        (ev[0]["termino"].as_str(), ev[0]["abre"][0]["vence"].as_str()),
        (Some("radicacion"), Some("2025-04-03"))
    );
    assert_eq!(
        (ev[1]["termino"].as_str(), ev[1]["cumplido"].as_bool()),
        (Some("radicacion"), Some(false))
    );
    let abre: Vec<&str> = ev[1]["abre"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["nombre"].as_str().unwrap())
        .collect();
    assert_eq!(abre, ["devolucion", "glosa", "pago"]);
    assert_eq!(
        (ev[2]["cierra"]["nombre"].as_str(), ev[2]["cumplido"].as_bool()),
        (Some("glosa"), Some(true))
    );
    assert_eq!(ev[2]["abre"][0]["vence"], "2025-05-07");
    assert_eq!(
        (ev[4]["termino"].as_str(), ev[4]["cumplido"].as_bool()),
        (Some("respuesta"), Some(true))
    );
    assert_eq!(ev[4]["abre"][0]["nombre"], "decision");
    assert_eq!(
        (ev[6]["termino"].as_str(), ev[6]["cumplido"].as_bool()),
        (Some("decision"), Some(true))
    );
    assert!(ev[6]["abre"][0]["fuente"]
        .as_str()
        .unwrap()
        .contains("Ley 1438/2011 art. 57"));
    assert_eq!(ev[8]["detalle"]["acta"], "ACTA-7");
    // Paid 2025-06-12, after the 28 May term.
    assert_eq!(
        (ev[10]["termino"].as_str(), ev[10]["cumplido"].as_bool()),
        (Some("pago"), Some(false))
    );

    // The same story as a workbook.
    let x = app
        .request(
            "GET",
            &format!("/api/v1/facturas/{fid}/trazabilidad?formato=xlsx"),
            Some(&e.auditor),
            None,
            None,
        )
        .expect(200);
    assert_eq!(
        x.content_type,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(x
        .header("content-disposition")
        .unwrap()
        .contains("trazabilidad-FE-1.xlsx"));
    app.get(&format!("/api/v1/facturas/{fid}/trazabilidad?formato=pdf"), &e.auditor)
        .problem(422);
}

#[test]
fn the_workbook_is_a_real_xlsx() {
    let app = TestApp::spawn_el("2025-07-15");
    let e = app.equipo();
    let fid = id(&app.factura(&e, "FE-X", "2025-03-03"));
    radicar(&app, &e, &fid, "RAD-X", "2025-03-10");
    let bytes = app.bytes(&format!("/api/v1/facturas/{fid}/trazabilidad?formato=xlsx"), &e.cartera);
    assert_eq!(&bytes[..2], b"PK", "an XLSX is a zip");
    assert!(bytes.len() > 4000);
}

#[test]
fn a_returned_invoice_is_radicated_again() {
    let app = TestApp::spawn_el("2025-04-25");
    let e = app.equipo();
    let fid = id(&app.factura(&e, "FE-2", "2025-04-01"));
    radicar(&app, &e, &fid, "RAD-1", "2025-04-11");
    let d = app
        .post(
            &format!("/api/v1/facturas/{fid}/devoluciones"),
            &e.cartera,
            &json!({"codigo": "816", "fecha": "2025-04-15", "observacion": "usuario de otro plan"}),
        )
        .expect(201)
        .json();
    assert_eq!(d["estado"], "devuelta");
    // A returned invoice cannot be glosada, nor returned again.
    app.post(
        &format!("/api/v1/facturas/{fid}/glosas"),
        &e.cartera,
        &json!({"codigo": "101", "valor": "1.00", "fecha_formulacion": "2025-04-16", "fecha_recepcion": "2025-04-16"}),
    )
    .problem(409);
    app.post(
        &format!("/api/v1/facturas/{fid}/devoluciones"),
        &e.cartera,
        &json!({"codigo": "816", "fecha": "2025-04-16"}),
    )
    .problem(409);
    // A radicated invoice cannot be radicated twice.
    let r = radicar(&app, &e, &fid, "RAD-2", "2025-04-21");
    assert_eq!(r["estado"], "reradicada");
    assert_eq!(r["numero_radicado"], "RAD-2");
    assert_eq!(r["fecha_limite_glosa"], "2025-05-20", "the payer's terms start over");
    let again = app
        .post(
            &format!("/api/v1/facturas/{fid}/radicaciones"),
            &e.facturacion,
            &json!({"numero_radicado": "RAD-3", "fecha_radicacion": "2025-04-22"}),
        )
        .problem(409);
    assert!(
        again["detail"].as_str().unwrap().contains("ya está radicada"),
        "{again}"
    );

    let t = app
        .get(&format!("/api/v1/facturas/{fid}/trazabilidad"), &e.cartera)
        .expect(200)
        .json();
    let ev = t["eventos"].as_array().unwrap();
    let tipos: Vec<&str> = ev.iter().map(|x| x["tipo"].as_str().unwrap()).collect();
    assert_eq!(tipos, ["expedida", "radicada", "devuelta", "reradicada"]);
    assert_eq!(
        (ev[1]["cumplido"].as_bool(), ev[1]["termino"].as_str()),
        (Some(true), Some("radicacion"))
    );
    assert_eq!(
        (ev[2]["termino"].as_str(), ev[2]["cumplido"].as_bool()),
        (Some("devolucion"), Some(true))
    );
    assert_eq!(ev[2]["detalle"]["codigo"], "816");
    assert_eq!(ev[3]["detalle"]["numero_radicado"], "RAD-2");
    assert_eq!(ev[3]["abre"][1]["vence"], "2025-05-20");
}

#[test]
fn a_lote_is_radicated_whole_or_not_at_all() {
    let app = TestApp::spawn_el("2025-04-30");
    let e = app.equipo();
    let a = id(&app.factura(&e, "L-1", "2025-04-01"));
    let b = id(&app.factura(&e, "L-2", "2025-04-01"));
    let otro = app.pagador(&e.tenant.admin, "soat")["id"].as_str().unwrap().to_string();
    let c = id(&app
        .post(
            "/api/v1/facturas",
            &e.facturacion,
            &json!({"numero": "L-3", "pagador_id": otro, "fecha_expedicion": "2025-04-01", "valor_total": "10.00"}),
        )
        .expect(201)
        .json());
    let body = |ids: &[&str]| json!({"pagador_id": e.pagador_id, "numero_radicado": "LOTE-1", "fecha_radicacion": "2025-04-10", "factura_ids": ids});
    let p = app
        .post(
            "/api/v1/radicaciones",
            &e.facturacion,
            &body(&[&a, &b, &c, "no-existe"]),
        )
        .problem(422);
    let paths: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["factura_ids[2]", "factura_ids[3]"]);
    assert_eq!(
        app.get(&format!("/api/v1/facturas/{a}"), &e.cartera).expect(200).json()["estado"],
        "expedida"
    );
    let ok = app
        .post("/api/v1/radicaciones", &e.facturacion, &body(&[&a, &b]))
        .expect(201)
        .json();
    assert_eq!(ok["radicadas"], 2);
    for f in [&a, &b] {
        let v = app.get(&format!("/api/v1/facturas/{f}"), &e.cartera).expect(200).json();
        assert_eq!(
            (v["estado"].as_str(), v["numero_radicado"].as_str()),
            (Some("radicada"), Some("LOTE-1"))
        );
    }
}

#[test]
fn each_action_is_refused_to_the_roles_that_may_not_take_it() {
    let app = TestApp::spawn_el("2025-12-15");
    let e = app.equipo();
    let fid = id(&app.factura(&e, "R-1", "2025-04-01"));
    let rad = json!({"numero_radicado": "R", "fecha_radicacion": "2025-04-10"});
    for tok in [&e.cartera, &e.finanzas, &e.auditor, &e.tenant.admin] {
        app.post(&format!("/api/v1/facturas/{fid}/radicaciones"), tok, &rad)
            .problem(403);
    }
    radicar(&app, &e, &fid, "R", "2025-04-10");
    let glosa = json!({"codigo": "101", "valor": "1000.00", "fecha_formulacion": "2025-04-11", "fecha_recepcion": "2025-04-11"});
    for tok in [&e.facturacion, &e.finanzas, &e.auditor] {
        app.post(&format!("/api/v1/facturas/{fid}/glosas"), tok, &glosa)
            .problem(403);
    }
    app.post(
        &format!("/api/v1/facturas/{fid}/devoluciones"),
        &e.auditor,
        &json!({"codigo": "816", "fecha": "2025-04-11"}),
    )
    .problem(403);
    let g = id(&app
        .post(&format!("/api/v1/facturas/{fid}/glosas"), &e.cartera, &glosa)
        .expect(201)
        .json());
    let resp = json!({"codigo": "RE9602", "valor_aceptado": "0", "valor_sustentado": "1000.00", "fecha": "2025-04-20"});
    for tok in [&e.facturacion, &e.finanzas, &e.auditor] {
        app.post(&format!("/api/v1/glosas/{g}/respuestas"), tok, &resp)
            .problem(403);
    }
    app.post(&format!("/api/v1/glosas/{g}/respuestas"), &e.cartera, &resp)
        .expect(201);
    let dec = json!({"resultado": "ratificada", "valor_levantado": "0", "fecha": "2025-04-25"});
    app.post(&format!("/api/v1/glosas/{g}/decisiones"), &e.auditor, &dec)
        .problem(403);
    app.post(&format!("/api/v1/glosas/{g}/decisiones"), &e.cartera, &dec)
        .expect(201);
    app.post(
        &format!("/api/v1/glosas/{g}/conciliaciones"),
        &e.finanzas,
        &json!({"fecha": "2025-05-01"}),
    )
    .problem(403);
    let pago = json!({"pagador_id": e.pagador_id, "fecha": "2025-05-02", "valor": "100.00"});
    for tok in [&e.facturacion, &e.auditor] {
        app.post("/api/v1/pagos", tok, &pago).problem(403);
    }
    let p = app.post("/api/v1/pagos", &e.finanzas, &pago).expect(201).json();
    let pid = p["id"].as_str().unwrap();
    let aplicar = json!({"aplicaciones": [{"factura_id": fid, "valor": "10.00"}]});
    for tok in [&e.facturacion, &e.auditor] {
        app.post(&format!("/api/v1/pagos/{pid}/aplicaciones"), tok, &aplicar)
            .problem(403);
    }
    app.post(&format!("/api/v1/pagos/{pid}/aplicaciones"), &e.cartera, &aplicar)
        .expect(201);
    let nota = json!({"numero": "NC-1", "valor": "100.00", "fecha": "2025-05-02"});
    app.post(&format!("/api/v1/facturas/{fid}/notas"), &e.cartera, &nota)
        .problem(403);
    app.post(&format!("/api/v1/facturas/{fid}/notas"), &e.facturacion, &nota)
        .expect(201);
    let castigo = json!({"fecha": "2025-12-01", "acta": "Comité 12"});
    for tok in [&e.cartera, &e.facturacion, &e.auditor] {
        app.post(&format!("/api/v1/facturas/{fid}/castigos"), tok, &castigo)
            .problem(403);
    }
    let c = app
        .post(&format!("/api/v1/facturas/{fid}/castigos"), &e.finanzas, &castigo)
        .expect(201)
        .json();
    assert_eq!(
        (c["estado"].as_str(), c["saldo"].as_str()),
        (Some("castigada"), Some("0.00"))
    );
    // Everyone reads the story, nobody of another prestador does.
    app.get(&format!("/api/v1/facturas/{fid}/trazabilidad"), &e.auditor)
        .expect(200);
    let otro = app.tenant();
    app.get(&format!("/api/v1/facturas/{fid}/trazabilidad"), &otro.admin)
        .problem(404);
    app.get(&format!("/api/v1/glosas/{g}"), &otro.admin).problem(404);
    app.get(&format!("/api/v1/pagos/{pid}"), &otro.admin).problem(404);
    assert_eq!(app.get("/api/v1/pagos", &otro.admin).expect(200).json()["total"], 0);
    let otro_fin = app.user(&otro, trazo::domain::rol::Rol::Finanzas);
    app.post(&format!("/api/v1/pagos/{pid}/aplicaciones"), &otro_fin, &aplicar)
        .problem(404);
    app.post(
        &format!("/api/v1/glosas/{g}/conciliaciones"),
        &app.user(&otro, trazo::domain::rol::Rol::Cartera),
        &json!({"fecha": "2025-05-01"}),
    )
    .problem(404);
}

#[test]
fn two_concurrent_answers_to_one_glosa_give_one_409() {
    let app = TestApp::spawn_el("2025-04-25");
    let e = app.equipo();
    let fid = id(&app.factura(&e, "C-1", "2025-04-01"));
    radicar(&app, &e, &fid, "R", "2025-04-10");
    for n in 0..4 {
        let g = id(&app
            .post(&format!("/api/v1/facturas/{fid}/glosas"), &e.cartera, &json!({"codigo": "101", "valor": "1000.00", "fecha_formulacion": "2025-04-11", "fecha_recepcion": "2025-04-11"}))
            .expect(201)
            .json());
        let statuses: Vec<u16> = std::thread::scope(|s| {
            let hs: Vec<_> = (0..2)
                .map(|i| {
                    let (app, g, tok) = (&app, g.clone(), e.cartera.clone());
                    s.spawn(move || {
                        let body = json!({"codigo": "RE9602", "valor_aceptado": "0", "valor_sustentado": "1000.00", "justificacion": format!("hilo {i}"), "fecha": "2025-04-20"});
                        app.post(&format!("/api/v1/glosas/{g}/respuestas"), &tok, &body).status
                    })
                })
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let mut sorted = statuses.clone();
        sorted.sort();
        assert_eq!(sorted, [201, 409], "round {n}: {statuses:?}");
        let t = app
            .get(&format!("/api/v1/facturas/{fid}/trazabilidad"), &e.cartera)
            .expect(200)
            .json();
        let respuestas = t["eventos"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|x| x["tipo"] == "glosa_respondida" && x["detalle"]["glosa_id"] == g.as_str())
            .count();
        assert_eq!(respuestas, 1, "one answer recorded");
    }
}

#[test]
fn codes_are_checked_against_the_official_tables() {
    let app = TestApp::spawn_el("2025-04-25");
    let e = app.equipo();
    let fid = id(&app.factura(&e, "K-1", "2025-04-01"));
    radicar(&app, &e, &fid, "R", "2025-04-10");
    let p = app
        .post(&format!("/api/v1/facturas/{fid}/glosas"), &e.cartera, &json!({"codigo": "996", "valor": "1.00", "fecha_formulacion": "2025-04-11", "fecha_recepcion": "2025-04-11"}))
        .problem(422);
    assert_eq!(p["errors"][0]["path"], "codigo");
    assert!(p["errors"][0]["message"].as_str().unwrap().contains("respuesta"), "{p}");
    let g = id(&app
        .post(&format!("/api/v1/facturas/{fid}/glosas"), &e.cartera, &json!({"codigo": "fa0101", "valor": "1000.00", "fecha_formulacion": "2025-04-11", "fecha_recepcion": "2025-04-11"}))
        .expect(201)
        .json());
    // A response code that says "accepted in full" with a sustained value is incoherent.
    let p = app
        .post(
            &format!("/api/v1/glosas/{g}/respuestas"),
            &e.cartera,
            &json!({"codigo": "997", "valor_aceptado": "400.00", "valor_sustentado": "600.00", "fecha": "2025-04-20"}),
        )
        .problem(422);
    assert_eq!(p["errors"][0]["path"], "codigo");
    let cat = app
        .get("/api/v1/catalogos/codigos?tipo=respuesta", &e.auditor)
        .expect(200)
        .json();
    let codigos: Vec<&str> = cat["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["codigo"].as_str().unwrap())
        .collect();
    assert!(codigos.contains(&"996") && codigos.contains(&"RE9602"), "{codigos:?}");
    assert!(cat["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["tipo"] == "respuesta" && c["efecto_respuesta"].is_string()));
    let glosas_2284 = app
        .get("/api/v1/catalogos/codigos?tipo=devolucion&manual=res3047", &e.auditor)
        .expect(200)
        .json();
    assert!(glosas_2284["total"].as_u64().unwrap() >= 5);
    app.get("/api/v1/catalogos/codigos?manual=res9999", &e.auditor)
        .problem(422);
}
