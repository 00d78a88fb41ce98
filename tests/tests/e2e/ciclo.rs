//! The invoice life cycle end to end, with the trazabilidad checked event by event.

use serde_json::{json, Value};
use trazo::domain::rol::Rol;
use trazo_tests::{eventos, id, snapshot, tipos, Glosa, TestApp, XLSX};

#[test]
fn one_invoice_through_the_whole_cycle_with_its_trazabilidad() {
    let app = TestApp::spawn_el("2025-07-15");
    let e = app.equipo();
    let f = app.factura(&e, "FE-1", "2025-03-03");
    let fid = id(&f);
    assert_eq!(f["fecha_limite_radicacion"], "2025-04-03");

    // Radicated Friday 2025-04-11, after the prestador's 22 días hábiles (missed).
    let r = app.radicar(&e, &fid, "RAD-001", "2025-04-11");
    assert_eq!(r["estado"], "radicada");
    assert_eq!(r["fecha_limite_glosa"], "2025-05-14");
    assert_eq!(r["fecha_limite_pago"], "2025-05-28");

    // Two glosas of one formulation: $150.000 on line 2 and $50.000 on the whole invoice.
    let glosa =
        |codigo: &'static str, valor: &'static str| Glosa::new(codigo, valor, "2025-04-11").observacion("tarifa");
    // Application codes of the Res. 2284/2023 manual, in force for an invoice of 2025.
    let g1 = app
        .glosar(&e, &fid, &glosa("TA0101", "150000.00").item(2))
        .expect(201)
        .json();
    assert_eq!(
        g1["fecha_limite_respuesta"], "2025-05-07",
        "15 días hábiles skipping Holy Week and 1 May"
    );
    assert_eq!(g1["extemporanea"], false);
    assert!(
        g1["descripcion_codigo"]
            .as_str()
            .unwrap()
            .starts_with("El cargo por estancias u observación de urgencias"),
        "{g1}"
    );
    let g2 = app.glosar(&e, &fid, &glosa("FA0101", "50000.00")).expect(201).json();
    let (g1, g2) = (id(&g1), id(&g2));
    // Trazo's today is 15 July: unanswered since 7 May, both glosas are accepted by silence.
    let fact = app.ver_factura(&e.auditor, &fid);
    assert_eq!(
        (
            fact["estado"].as_str(),
            fact["en_discusion"].as_str(),
            fact["saldo"].as_str()
        ),
        (Some("glosada"), Some("0.00"), Some("800000.00"))
    );
    assert_eq!(fact["glosas"][0]["aceptada_tacitamente"], true);
    // The earliest deadline is the payer's 50% (Ley 1122/2007 art. 13 lit. d): 5 días hábiles
    // from Friday 11 April skip Holy Thursday and Friday → 22 April, missed.
    let plazo = |nombre: &str| {
        fact["plazos"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["termino"] == nombre)
            .cloned()
            .unwrap_or_else(|| panic!("no plazo {nombre}: {fact}"))
    };
    assert_eq!(fact["plazos"][0]["termino"], "pago_anticipo");
    assert_eq!(
        (
            plazo("pago_anticipo")["vence"].as_str(),
            plazo("pago_anticipo")["vencido"].as_bool()
        ),
        (Some("2025-04-22"), Some(true))
    );
    assert_eq!(plazo("respuesta")["vencido"], true);
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
    // The payer's decision on the $100.000 sustained was due 15 May: as of 15 July it is
    // overdue, and no norm gives that silence an effect: the glosa stays in discussion.
    let fact = app.ver_factura(&e.auditor, &fid);
    assert_eq!(
        (
            fact["estado"].as_str(),
            fact["en_discusion"].as_str(),
            fact["saldo"].as_str()
        ),
        (Some("respondida"), Some("100000.00"), Some("900000.00"))
    );
    assert_eq!(fact["glosas"][0]["levantada_tacitamente"], false);
    assert_eq!(fact["glosas"][0]["decision_vencida"], true);
    // A date after Trazo's today is refused.
    let g3 = app
        .glosar(
            &e,
            &fid,
            &Glosa::new("FA0101", "1.00", "2025-04-11").recibida("2025-07-16"),
        )
        .problem(422);
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
    assert_eq!(app.ver_factura(&e.cartera, &fid)["estado"], "en_conciliacion");
    app.post(
        &format!("/api/v1/glosas/{g1}/conciliaciones"),
        &e.cartera,
        &json!({"valor_a_favor_prestador": "25000.00", "valor_a_favor_pagador": "15000.00", "acta": "ACTA-7", "fecha": "2025-06-03"}),
    )
    .expect(201);
    let fact = app.ver_factura(&e.cartera, &fid);
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
    assert_eq!(app.ver_factura(&e.cartera, &fid)["estado"], "pagada_parcial");
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
    let fact = app.ver_factura(&e.cartera, &fid);
    assert_eq!(
        (fact["estado"].as_str(), fact["saldo"].as_str()),
        (Some("pagada"), Some("0.00"))
    );
    assert_eq!(fact["plazos"].as_array().unwrap().len(), 0, "nothing left to watch");

    // The trazabilidad, event by event.
    let t = app.trazabilidad(&e.auditor, &fid);
    assert_eq!(
        (t["estado"].as_str(), t["saldo"].as_str()),
        (Some("pagada"), Some("0.00"))
    );
    let ev = eventos(&t);
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
    assert_eq!(abre, ["devolucion", "glosa", "pago_anticipo", "pago"]);
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
    // The $500.000 of 10 June completed the first half, due 22 April: late.
    assert_eq!(
        (
            ev[9]["termino"].as_str(),
            ev[9]["cumplido"].as_bool(),
            ev[9]["cierra"]["vencia"].as_str()
        ),
        (Some("pago_anticipo"), Some(false), Some("2025-04-22"))
    );
    // Paid 2025-06-12, after the 28 May term.
    assert_eq!(
        (ev[10]["termino"].as_str(), ev[10]["cumplido"].as_bool()),
        (Some("pago"), Some(false))
    );
    // All of it, as the API writes it (ids, times and e-mails redacted).
    snapshot!("trazabilidad_ciclo_completo", t);

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
    assert_eq!(x.content_type, XLSX);
    assert!(x
        .header("content-disposition")
        .unwrap()
        .contains("trazabilidad-FE-1.xlsx"));
    app.peticion_invalida()
        .get(&format!("/api/v1/facturas/{fid}/trazabilidad?formato=pdf"), &e.auditor)
        .problem(422);
}

#[test]
fn the_workbook_is_a_real_xlsx() {
    let app = TestApp::spawn_el("2025-07-15");
    let e = app.equipo();
    let fid = id(&app.factura(&e, "FE-X", "2025-03-03"));
    app.radicar(&e, &fid, "RAD-X", "2025-03-10");
    let bytes = app.bytes(&format!("/api/v1/facturas/{fid}/trazabilidad?formato=xlsx"), &e.cartera);
    assert_eq!(&bytes[..2], b"PK", "an XLSX is a zip");
    assert!(bytes.len() > 4000);
}

#[test]
fn a_returned_invoice_is_radicated_again() {
    let app = TestApp::spawn_el("2025-04-25");
    let e = app.equipo();
    let fid = id(&app.factura(&e, "FE-2", "2025-04-01"));
    app.radicar(&e, &fid, "RAD-1", "2025-04-11");
    let d = app
        .devolver(&e.cartera, &fid, "DE1601", "2025-04-15")
        .expect(201)
        .json();
    assert_eq!(d["estado"], "devuelta");
    // Long past its payment term, a returned invoice is not mora: the aging shows it apart.
    let aging = |corte: &str| {
        app.get(
            &format!("/api/v1/reportes/cartera?corte={corte}&por=pagador"),
            &e.finanzas,
        )
        .expect(200)
        .json()
    };
    let r = aging("2025-12-31");
    assert_eq!(
        (r["total"].as_str(), r["vencido"].as_str(), r["devuelto"].as_str()),
        (Some("1000000.00"), Some("0.00"), Some("1000000.00")),
        "{r}"
    );
    assert_eq!(r["filas"][0]["devuelto"], "1000000.00");
    // A returned invoice cannot be glosada, nor returned again.
    let p = app
        .glosar(&e, &fid, &Glosa::new("FA0101", "1.00", "2025-04-16"))
        .problem(409);
    snapshot!("problema_409_por_estado", p);
    app.devolver(&e.cartera, &fid, "DE1601", "2025-04-16").problem(409);
    // A radicated invoice cannot be radicated twice.
    let r = app.radicar(&e, &fid, "RAD-2", "2025-04-21");
    assert_eq!(r["estado"], "reradicada");
    assert_eq!(r["numero_radicado"], "RAD-2");
    assert_eq!(r["fecha_limite_glosa"], "2025-05-20", "the payer's terms start over");
    let r = aging("2025-12-31");
    assert_eq!(
        (r["vencido"].as_str(), r["devuelto"].as_str()),
        (Some("1000000.00"), Some("0.00")),
        "radicated again, it is owed and overdue: {r}"
    );
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

    let t = app.trazabilidad(&e.cartera, &fid);
    let ev = eventos(&t);
    assert_eq!(tipos(&t), ["expedida", "radicada", "devuelta", "reradicada"]);
    assert_eq!(
        (ev[1]["cumplido"].as_bool(), ev[1]["termino"].as_str()),
        (Some(true), Some("radicacion"))
    );
    assert_eq!(
        (ev[2]["termino"].as_str(), ev[2]["cumplido"].as_bool()),
        (Some("devolucion"), Some(true))
    );
    assert_eq!(ev[2]["detalle"]["codigo"], "DE1601");
    assert_eq!(ev[3]["detalle"]["numero_radicado"], "RAD-2");
    assert_eq!(ev[3]["abre"][1]["vence"], "2025-05-20");
}

#[test]
fn a_lote_is_radicated_whole_or_not_at_all() {
    let app = TestApp::spawn_el("2025-04-30");
    let e = app.equipo();
    let a = id(&app.factura(&e, "L-1", "2025-04-01"));
    let b = id(&app.factura(&e, "L-2", "2025-04-01"));
    let otro = id(&app.pagador(&e.tenant.admin, "soat"));
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
    assert_eq!(app.ver_factura(&e.cartera, &a)["estado"], "expedida");
    let ok = app
        .post("/api/v1/radicaciones", &e.facturacion, &body(&[&a, &b]))
        .expect(201)
        .json();
    assert_eq!(ok["radicadas"], 2);
    for f in [&a, &b] {
        let v = app.ver_factura(&e.cartera, f);
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
    app.radicar(&e, &fid, "R", "2025-04-10");
    let glosa = Glosa::new("FA0101", "1000.00", "2025-04-11").json();
    for tok in [&e.facturacion, &e.finanzas, &e.auditor] {
        app.post(&format!("/api/v1/facturas/{fid}/glosas"), tok, &glosa)
            .problem(403);
    }
    app.devolver(&e.auditor, &fid, "DE1601", "2025-04-11").problem(403);
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
    let otro_fin = app.user(&otro, Rol::Finanzas);
    app.post(&format!("/api/v1/pagos/{pid}/aplicaciones"), &otro_fin, &aplicar)
        .problem(404);
    app.post(
        &format!("/api/v1/glosas/{g}/conciliaciones"),
        &app.user(&otro, Rol::Cartera),
        &json!({"fecha": "2025-05-01"}),
    )
    .problem(404);
}

#[test]
fn two_concurrent_answers_to_one_glosa_give_one_409() {
    let app = TestApp::spawn_el("2025-04-25");
    let e = app.equipo();
    let fid = id(&app.factura(&e, "C-1", "2025-04-01"));
    app.radicar(&e, &fid, "R", "2025-04-10");
    for n in 0..4 {
        let g = id(&app
            .glosar(&e, &fid, &Glosa::new("FA0101", "1000.00", "2025-04-11"))
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
        let t = app.trazabilidad(&e.cartera, &fid);
        let respuestas = eventos(&t)
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
    app.radicar(&e, &fid, "R", "2025-04-10");
    let p = app
        .glosar(&e, &fid, &Glosa::new("996", "1.00", "2025-04-11"))
        .problem(422);
    assert_eq!(p["errors"][0]["path"], "codigo");
    assert!(p["errors"][0]["message"].as_str().unwrap().contains("respuesta"), "{p}");
    let g = id(&app
        .glosar(&e, &fid, &Glosa::new("fa0101", "1000.00", "2025-04-11"))
        .expect(201)
        .json());
    // A response code that says "accepted in full" with a sustained value is incoherent.
    let p = app
        .post(
            &format!("/api/v1/glosas/{g}/respuestas"),
            &e.cartera,
            &json!({"codigo": "RE9702", "valor_aceptado": "400.00", "valor_sustentado": "600.00", "fecha": "2025-04-20"}),
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
    assert!(cat["items"].as_array().unwrap().iter().all(|c| c["tipo"] == "respuesta"
        && (c["efecto_respuesta"].is_string() || c["emisor"] == "pagador" || c["nivel"] == "especifico")));
    let glosas_2284 = app
        .get("/api/v1/catalogos/codigos?tipo=devolucion&manual=res3047", &e.auditor)
        .expect(200)
        .json();
    assert!(glosas_2284["total"].as_u64().unwrap() >= 5);
    app.get("/api/v1/catalogos/codigos?manual=res9999", &e.auditor)
        .problem(422);
}

// ---- The law, exactly (Res. 2284/2023 arts. 4, 6 and 7; Ley 1438/2011 art. 57; Ley 1122/2007
// art. 13 lit. d). Holidays of July-August 2026: 13 July (Chiquinquirá, Ley 2578/2026), 20 July,
// 7 August, 17 August.

#[test]
fn devoluciones_follow_res_2284_art_6() {
    let app = TestApp::spawn_el("2026-08-31");
    let e = app.equipo();

    // A: radicated Wednesday 1 July; returned on the last day of the payer's term, 8 July
    // (2, 3, 6, 7, 8). The prestador answers within 5 días hábiles: 9, 10, (13 is a holiday),
    // 14, 15, 16 → 16 July.
    let a = id(&app.factura(&e, "DV-A", "2026-06-01"));
    app.radicar(&e, &a, "R-A", "2026-07-01");
    // Only the manual in force, and only devolución codes.
    for (codigo, dice) in [("FA0101", "FA0101"), ("816", "3047"), ("DE99", "DE99")] {
        let p = app.devolver(&e.facturacion, &a, codigo, "2026-07-08").problem(422);
        assert_eq!(p["errors"][0]["path"], "codigo", "{p}");
        assert!(p["errors"][0]["message"].as_str().unwrap().contains(dice), "{p}");
    }
    let v = app
        .devolver(&e.facturacion, &a, "DE1601", "2026-07-08")
        .expect(201)
        .json();
    assert_eq!(v["estado"], "devuelta");
    let d = &v["devoluciones"][0];
    assert_eq!(
        (d["extemporanea"].as_bool(), d["fecha_limite_respuesta"].as_str()),
        (Some(false), Some("2026-07-16"))
    );
    let da = id(d);
    // Once only (art. 6.1).
    let p = app.devolver(&e.facturacion, &a, "DE5601", "2026-07-08").problem(409);
    assert!(p["detail"].as_str().unwrap().contains("única vez"), "{p}");
    // The answer's code must answer a devolución, and RE9501 only a late one.
    let responder = |dv: &str, codigo: &str, fecha: &str| {
        app.post(
            &format!("/api/v1/devoluciones/{dv}/respuestas"),
            &e.cartera,
            &json!({"codigo": codigo, "fecha": fecha, "justificacion": "soportes completos"}),
        )
    };
    for codigo in ["RE9602", "RE9501", "RE2201"] {
        let p = responder(&da, codigo, "2026-07-10").problem(422);
        assert_eq!(p["errors"][0]["path"], "codigo", "{codigo}: {p}");
    }
    for tok in [&e.auditor, &e.finanzas] {
        app.post(
            &format!("/api/v1/devoluciones/{da}/respuestas"),
            tok,
            &json!({"codigo": "RE9601", "fecha": "2026-07-10"}),
        )
        .problem(403);
    }
    // RE9601 on Friday 10 July: the payer has 14, 15, 16, 17, (20 is a holiday), 21 July to
    // accept it or reiterate. It said nothing: from 22 July the devolución was unjustified and
    // the invoice is back in the payer's process (art. 6.3).
    let v = responder(&da, "RE9601", "2026-07-10").expect(201).json();
    assert_eq!(v["estado"], "radicada");
    let d = &v["devoluciones"][0];
    assert_eq!(
        (
            d["estado"].as_str(),
            d["fecha_limite_reiteracion"].as_str(),
            d["injustificada_por_silencio"].as_bool()
        ),
        (Some("injustificada"), Some("2026-07-21"), Some(true))
    );
    responder(&da, "RE9701", "2026-07-11").problem(409);
    // The list says the same as the invoice.
    let lista = app.get("/api/v1/facturas?q=DV-A", &e.cartera).expect(200).json();
    assert_eq!(lista["items"][0]["estado"], "radicada", "{lista}");
    // Its glosa term ran at the same time (art. 6 parágrafo): a glosa on 31 July is in time.
    let g = app
        .glosar(&e, &a, &Glosa::new("FA0101", "1000.00", "2026-07-31"))
        .expect(201)
        .json();
    assert_eq!(g["extemporanea"], false);
    let t = app.trazabilidad(&e.auditor, &a);
    let ev = eventos(&t);
    let respondida = ev.iter().find(|x| x["tipo"] == "devolucion_respondida").unwrap();
    assert_eq!(
        (respondida["termino"].as_str(), respondida["cumplido"].as_bool()),
        (Some("respuesta_devolucion"), Some(true))
    );
    assert_eq!(respondida["abre"][0]["vence"], "2026-07-21");
    let silencio = ev.iter().find(|x| x["tipo"] == "devolucion_injustificada").unwrap();
    assert_eq!(
        (silencio["fecha"].as_str(), silencio["actor"].as_str()),
        (Some("2026-07-22"), Some("regla"))
    );
    assert!(silencio["detalle"]["fuente"].as_str().unwrap().contains("art. 6.3"));

    // B: returned on 9 July, after the term: recorded, no effect; answered RE9501.
    let b = id(&app.factura(&e, "DV-B", "2026-06-01"));
    app.radicar(&e, &b, "R-B", "2026-07-01");
    let v = app
        .devolver(&e.facturacion, &b, "DE1601", "2026-07-09")
        .expect(201)
        .json();
    assert_eq!(v["estado"], "radicada");
    assert_eq!(
        (
            v["devoluciones"][0]["extemporanea"].as_bool(),
            v["devoluciones"][0]["estado"].as_str()
        ),
        (Some(true), Some("extemporanea"))
    );
    let db = id(&v["devoluciones"][0]);
    let al = app.alertas(&e.cartera);
    let x = al
        .iter()
        .find(|x| x["numero"] == "DV-B" && x["tipo"] == "devolucion_extemporanea")
        .expect("an alert for DV-B");
    assert!(x["accion"].as_str().unwrap().contains("RE9501"), "{x}");
    responder(&db, "RE9601", "2026-07-10").problem(422);
    responder(&db, "RE9501", "2026-07-10").expect(201);
    assert!(app
        .alertas(&e.cartera)
        .iter()
        .all(|x| !(x["numero"] == "DV-B" && x["tipo"] == "devolucion_extemporanea")));

    // C: returned 5 August, never answered: the answer was due 6, (7), 10, 11, 12, 13 → 13
    // August; silence accepted it (art. 6.2): a nota crédito is due.
    let c = id(&app.factura(&e, "DV-C", "2026-07-01"));
    app.radicar(&e, &c, "R-C", "2026-08-03");
    let dc = id(&app
        .devolver(&e.facturacion, &c, "DE5601", "2026-08-05")
        .expect(201)
        .json()["devoluciones"][0]);
    let v = app.ver_factura(&e.cartera, &c);
    assert_eq!(
        (
            v["estado"].as_str(),
            v["nota_credito_debida"].as_bool(),
            v["devoluciones"][0]["aceptada_tacitamente"].as_bool()
        ),
        (Some("devuelta"), Some(true), Some(true))
    );
    let x = app
        .alertas(&e.cartera)
        .into_iter()
        .find(|x| x["numero"] == "DV-C" && x["devolucion_id"].is_string())
        .expect("an alert for DV-C");
    // It stands from 13 August: the corrected invoice is radicated again within 22 días
    // hábiles ([reradicacion]): 14, (17 is a holiday), 18 ... 31 (11), 1–11 Sep (20), 14, 15.
    assert_eq!(
        (x["tipo"].as_str(), x["vence"].as_str()),
        (Some("nota_credito_pendiente"), Some("2026-09-15"))
    );
    assert!(x["accion"].as_str().unwrap().contains("radicar de nuevo"), "{x}");
    let reradicar = |v: &serde_json::Value| {
        v["plazos"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["termino"] == "reradicacion")
            .map(|p| (p["vence"].as_str().unwrap().to_string(), p["responsable"].clone()))
    };
    assert_eq!(reradicar(&v), Some(("2026-09-15".into(), json!("prestador"))), "{v}");
    let p = responder(&dc, "RE9601", "2026-08-20").problem(409);
    assert!(p["detail"].as_str().unwrap().contains("2026-08-13"), "{p}");
    // The payer's notice RE2201 is recorded as such; RE2202 is about glosas.
    let aviso = |dv: &str, codigo: &str| {
        app.post(
            &format!("/api/v1/devoluciones/{dv}/avisos"),
            &e.cartera,
            &json!({"codigo": codigo, "fecha": "2026-08-20"}),
        )
    };
    aviso(&dc, "RE2202").problem(422);
    aviso(&da, "RE2201").problem(409);
    aviso(&dc, "RE2201").expect(201);
    // In the order things happened: silence accepted it on 14 August, the notice came on the 20th.
    let t = app.trazabilidad(&e.auditor, &c);
    assert_eq!(
        tipos(&t),
        [
            "expedida",
            "radicada",
            "devuelta",
            "devolucion_aceptada_tacitamente",
            "aviso_pagador"
        ]
    );

    // D: answered, then reiterated by the payer: the devolución stands; the corrected invoice is
    // radicated again, and cannot be returned a second time.
    let f_d = id(&app.factura(&e, "DV-D", "2026-07-01"));
    app.radicar(&e, &f_d, "R-D", "2026-08-03");
    let dd = id(&app
        .devolver(&e.facturacion, &f_d, "DE1601", "2026-08-04")
        .expect(201)
        .json()["devoluciones"][0]);
    responder(&dd, "RE9601", "2026-08-05").expect(201);
    let decision = json!({"decision": "reitera", "fecha": "2026-08-10"});
    app.post(&format!("/api/v1/devoluciones/{dd}/decisiones"), &e.auditor, &decision)
        .problem(403);
    let otro = app.tenant();
    let otra_cartera = app.user(&otro, Rol::Cartera);
    app.post(
        &format!("/api/v1/devoluciones/{dd}/decisiones"),
        &otra_cartera,
        &decision,
    )
    .problem(404);
    app.post(
        &format!("/api/v1/devoluciones/{dd}/respuestas"),
        &otra_cartera,
        &json!({"codigo": "RE9701", "fecha": "2026-08-05"}),
    )
    .problem(404);
    let v = app
        .post(&format!("/api/v1/devoluciones/{dd}/decisiones"), &e.cartera, &decision)
        .expect(201)
        .json();
    assert_eq!(
        (v["estado"].as_str(), v["devoluciones"][0]["estado"].as_str()),
        (Some("devuelta"), Some("reiterada"))
    );
    // Reiterated on Monday 10 August: 22 días hábiles, skipping 17 August → 10 September.
    assert_eq!(
        reradicar(&app.ver_factura(&e.cartera, &f_d)),
        Some(("2026-09-10".into(), json!("prestador")))
    );
    assert!(app
        .alertas(&e.cartera)
        .iter()
        .any(|x| x["numero"] == "DV-D" && x["tipo"] == "nota_credito_pendiente" && x["vence"] == "2026-09-10"));
    let r = app.radicar(&e, &f_d, "R-D2", "2026-08-24");
    assert_eq!(r["estado"], "reradicada");
    assert_eq!(reradicar(&app.ver_factura(&e.cartera, &f_d)), None, "radicated again");
    app.devolver(&e.facturacion, &f_d, "DE1601", "2026-08-25").problem(409);

    // All of them in one list, the latest first, with the invoice and the payer named.
    let lista = |q: &str| {
        app.get(&format!("/api/v1/devoluciones{q}"), &e.auditor)
            .expect(200)
            .json()
    };
    let numeros = |v: &serde_json::Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["numero_factura"].as_str().unwrap().to_string())
            .collect()
    };
    let todas = lista("");
    assert_eq!(numeros(&todas), ["DV-C", "DV-D", "DV-B", "DV-A"], "{todas}");
    let (dv_c, dv_d) = (&todas["items"][0], &todas["items"][1]);
    assert_eq!(
        (
            dv_c["pagador"].as_str(),
            dv_c["estado"].as_str(),
            dv_c["fecha_limite_reradicacion"].as_str()
        ),
        (Some("EPS de prueba"), Some("aceptada"), Some("2026-09-15"))
    );
    assert!(dv_c["descripcion_codigo"].is_string(), "{dv_c}");
    assert_eq!(
        (dv_d["vigente"].as_bool(), dv_d["fecha_limite_reradicacion"].as_str()),
        (Some(false), None)
    );
    assert_eq!(numeros(&lista("?extemporanea=true")), ["DV-B"]);
    assert_eq!(numeros(&lista("?sin_respuesta=true")), ["DV-C"]);
    assert_eq!(numeros(&lista("?codigo=de5601")), ["DV-C"]);
    assert_eq!(numeros(&lista("?desde=2026-08-01&hasta=2026-08-04")), ["DV-D"]);
    assert_eq!(numeros(&lista(&format!("?factura_id={a}"))), ["DV-A"]);
    assert_eq!(
        app.get("/api/v1/devoluciones", &otra_cartera).expect(200).json()["total"],
        0
    );
    let p = app
        .peticion_invalida()
        .get("/api/v1/devoluciones?sin_respuesta=tal_vez", &e.cartera)
        .problem(400);
    assert_eq!(p["detail"], "sin_respuesta: se espera true o false; llegó 'tal_vez'");
}

#[test]
fn glosas_codes_and_silence_as_the_law_writes_them() {
    let app = TestApp::spawn_el("2026-09-30");
    let e = app.equipo();
    // Radicated Wednesday 1 July 2026: the glosa term is 20 días hábiles, to Friday 31 July
    // (13 and 20 July are holidays).
    let f = id(&app.factura(&e, "GL-1", "2026-06-15"));
    app.radicar(&e, &f, "R-1", "2026-07-01");
    let glosa = |codigo: &str, valor: &str, recibida: &str| {
        app.glosar(&e, &f, &Glosa::new(codigo, valor, "2026-07-31").recibida(recibida))
    };
    // Res. 2284/2023 art. 4: the list is closed; only application codes are imputed; the old
    // manual is for invoices issued before October 2024. A code with an accent is refused too.
    for (codigo, dice) in [
        ("FA9999", "FA9999"),
        ("101", "3047"),
        ("FA01", "FA0101"),
        ("AÑ123", "AÑ123"),
    ] {
        let p = glosa(codigo, "1000.00", "2026-07-31").problem(422);
        assert_eq!(p["errors"][0]["path"], "codigo", "{p}");
        assert!(
            p["errors"][0]["message"].as_str().unwrap().contains(dice),
            "{codigo}: {p}"
        );
    }
    // Received on the last legal day: in time. Its answer is due 15 días hábiles later: 3-6,
    // (7), 10-14, (17), 18-21, 24, 25 August → 25 August.
    let g1 = glosa("FA0101", "150000.00", "2026-07-31").expect(201).json();
    assert_eq!(
        (g1["extemporanea"].as_bool(), g1["fecha_limite_respuesta"].as_str()),
        (Some(false), Some("2026-08-25"))
    );
    // Received Monday 3 August: extemporánea. Silence does not accept it; it asks for RE9502.
    let g2 = glosa("TA0101", "100000.00", "2026-08-03").expect(201).json();
    assert_eq!(
        (g2["extemporanea"].as_bool(), g2["responder_re9502"].as_bool()),
        (Some(true), Some(true))
    );
    let (g1, g2) = (id(&g1), id(&g2));
    let v = app.ver_factura(&e.cartera, &f);
    assert_eq!(
        (
            v["saldo"].as_str(),
            v["en_discusion"].as_str(),
            v["glosas"][0]["aceptada_tacitamente"].as_bool(),
            v["glosas"][1]["aceptada_tacitamente"].as_bool()
        ),
        (Some("850000.00"), Some("100000.00"), Some(true), Some(false))
    );
    let x = app
        .alertas(&e.cartera)
        .into_iter()
        .find(|x| x["glosa_id"] == g2.as_str())
        .expect("an alert for the extemporánea glosa");
    assert_eq!(x["tipo"], "glosa_extemporanea");
    assert!(x["accion"].as_str().unwrap().contains("RE9502"));
    let trabajo = app.get("/api/v1/cobro/trabajo?dias=5", &e.cartera).expect(200).json();
    assert!(
        trabajo["glosas"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["glosa_id"] == g2.as_str() && x["tipo"] == "glosa_extemporanea"),
        "{trabajo}"
    );

    let responder = |g: &str, codigo: &str, a: &str, s: &str| {
        app.post(
            &format!("/api/v1/glosas/{g}/respuestas"),
            &e.cartera,
            &json!({"codigo": codigo, "valor_aceptado": a, "valor_sustentado": s, "fecha": "2026-09-01"}),
        )
    };
    // A devolución's code, or RE9502 on a glosa in time, is refused.
    for codigo in ["RE9601", "RE9502", "RE2202", "996"] {
        let p = responder(&g1, codigo, "0", "150000.00").problem(422);
        assert_eq!(p["errors"][0]["path"], "codigo", "{codigo}: {p}");
    }
    // Answered on 1 September, after its term: recorded as late, and the acceptance by silence
    // stands (RE2202): the whole $150.000 stays lost.
    let r = responder(&g1, "RE9602", "0", "150000.00").expect(201).json();
    assert_eq!(
        (
            r["estado"].as_str(),
            r["respuesta_extemporanea"].as_bool(),
            r["valor_aceptado"].as_str(),
            r["fecha_limite_decision"].as_str()
        ),
        (Some("aceptada"), Some(true), Some("150000.00"), None)
    );
    assert_eq!(app.ver_factura(&e.cartera, &f)["saldo"], "850000.00");
    // The extemporánea glosa is answered RE9502; the payer's decision is due 10 días hábiles
    // later (2-4, 7-11, 14, 15 September) and never comes: it stays in discussion.
    let r = responder(&g2, "RE9502", "0", "100000.00").expect(201).json();
    assert_eq!(
        (r["estado"].as_str(), r["fecha_limite_decision"].as_str()),
        (Some("respondida"), Some("2026-09-15"))
    );
    let v = app.ver_factura(&e.cartera, &f);
    assert_eq!(
        (v["en_discusion"].as_str(), v["glosas"][1]["decision_vencida"].as_bool()),
        (Some("100000.00"), Some(true))
    );
    assert!(app
        .alertas(&e.cartera)
        .iter()
        .any(|x| x["glosa_id"] == g2.as_str() && x["tipo"] == "decision_vencida"));
    // The payer's notice RE2202 fits the late answer, not the extemporánea glosa.
    let aviso = |g: &str, codigo: &str| {
        app.post(
            &format!("/api/v1/glosas/{g}/avisos"),
            &e.cartera,
            &json!({"codigo": codigo, "fecha": "2026-09-02"}),
        )
    };
    aviso(&g1, "RE2201").problem(422);
    aviso(&g2, "RE2202").problem(409);
    aviso(&g1, "RE2202").expect(201);
    let t = app.trazabilidad(&e.auditor, &f);
    let ev = eventos(&t);
    let tardia = ev
        .iter()
        .find(|x| x["tipo"] == "glosa_respondida" && x["detalle"]["glosa_id"] == g1.as_str())
        .unwrap();
    assert_eq!(
        (
            tardia["cumplido"].as_bool(),
            tardia["detalle"]["valor_sustentado"].as_str(),
            tardia["detalle"]["aceptacion_tacita"]["desde"].as_str()
        ),
        (Some(false), Some("150000.00"), Some("2026-08-26"))
    );
    assert!(ev
        .iter()
        .any(|x| x["tipo"] == "aviso_pagador" && x["detalle"]["codigo"] == "RE2202"));
    assert!(ev.iter().any(|x| x["tipo"] == "decision_vencida"));

    // An invoice issued before 1 October 2024 keeps the Res. 3047 manual.
    let vieja = id(&app.factura(&e, "GL-OLD", "2024-09-20"));
    app.radicar(&e, &vieja, "R-OLD", "2024-09-25");
    app.glosar(&e, &vieja, &Glosa::new("101", "1000.00", "2024-10-01"))
        .expect(201);
}

#[test]
fn the_first_half_is_due_in_five_days_and_a_payment_without_detail_goes_to_the_oldest() {
    let app = TestApp::spawn_el("2026-07-20");
    let e = app.equipo();
    // Ley 1122/2007 art. 13 lit. d: radicated 1 July, half is due 8 July (2, 3, 6, 7, 8).
    let an = id(&app.factura(&e, "AN-1", "2026-06-25"));
    app.radicar(&e, &an, "R-AN", "2026-07-01");
    // Under a cápita contract the rule is a month in advance, not the 50%.
    let contrato = app
        .post("/api/v1/contratos", &e.facturacion, &json!({"pagador_id": e.pagador_id, "numero": "CT-CAP", "modalidad": "capita", "fecha_inicio": "2026-01-01"}))
        .expect(201)
        .json();
    let ca = id(&app
        .post("/api/v1/facturas", &e.facturacion, &json!({"numero": "CA-1", "pagador_id": e.pagador_id, "contrato_id": id(&contrato), "fecha_expedicion": "2026-06-25", "valor_total": "1000000.00"}))
        .expect(201)
        .json());
    app.radicar(&e, &ca, "R-CA", "2026-07-01");
    let al = app.alertas(&e.cartera);
    let x = al
        .iter()
        .find(|x| x["numero"] == "AN-1" && x["tipo"] == "pago_anticipo_vencido")
        .expect("the 50% alert");
    assert_eq!(
        (x["vence"].as_str(), x["valor"].as_str(), x["dias_mora"].as_i64()),
        (Some("2026-07-08"), Some("500000.00"), Some(12))
    );
    assert!(al.iter().all(|x| x["numero"] != "CA-1"), "{al:?}");
    let v = app.ver_factura(&e.cartera, &an);
    let plazo = v["plazos"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["termino"] == "pago_anticipo")
        .unwrap()
        .clone();
    assert_eq!(
        (plazo["vence"].as_str(), plazo["vencido"].as_bool()),
        (Some("2026-07-08"), Some(true))
    );
    assert_eq!(v["fecha_limite_pago"], "2026-08-18");
    assert!(app.ver_factura(&e.cartera, &ca)["plazos"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["termino"] != "pago_anticipo"));
    // Half paid: the alert goes.
    app.pagar(&e, &an, "2026-07-15", "500000.00");
    assert!(app.alertas(&e.cartera).iter().all(|x| x["numero"] != "AN-1"));

    // Res. 2284/2023 art. 7: two invoices whose glosa terms are over (accepted tacitly), and
    // AN-1, still in its glosa term (to 31 July): not accepted yet, even half paid.
    let old1 = id(&app.factura(&e, "OLD-1", "2026-04-01"));
    app.radicar(&e, &old1, "R-O1", "2026-04-06");
    let old2 = id(&app.factura(&e, "OLD-2", "2026-04-15"));
    app.radicar(&e, &old2, "R-O2", "2026-04-20");
    let pago = |valor: &str| {
        id(&app
            .post("/api/v1/pagos", &e.finanzas, &json!({"pagador_id": e.pagador_id, "fecha": "2026-07-15", "valor": valor, "referencia": "SIN-DETALLE", "medio": "transferencia"}))
            .expect(201)
            .json())
    };
    let p1 = pago("1500000.00");
    let url = |p: &str| format!("/api/v1/pagos/{p}/aplicacion-sin-detalle");
    app.post(&url(&p1), &e.auditor, &json!({})).problem(403);
    let otro = app.tenant();
    app.post(&url(&p1), &app.user(&otro, Rol::Finanzas), &json!({}))
        .problem(404);
    let r = app.post(&url(&p1), &e.finanzas, &json!({})).expect(201).json();
    let apl: Vec<(&str, &str)> = r["aplicaciones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["factura_id"].as_str().unwrap(), a["valor"].as_str().unwrap()))
        .collect();
    assert_eq!(apl, [(old1.as_str(), "1000000.00"), (old2.as_str(), "500000.00")]);
    assert_eq!(r["sin_aplicar"], "0.00");
    // A payment larger than what the accepted invoices owe: the rest stays on the payment.
    let p2 = pago("900000.00");
    let r = app.post(&url(&p2), &e.cartera, &json!({})).expect(201).json();
    assert_eq!(
        (r["aplicado"].as_str(), r["sin_aplicar"].as_str()),
        (Some("500000.00"), Some("400000.00"))
    );
    let p = app.post(&url(&p2), &e.cartera, &json!({})).problem(409);
    assert!(p["detail"].as_str().unwrap().contains("art. 7"), "{p}");
    let t = app.trazabilidad(&e.auditor, &old2);
    let pagos: Vec<&Value> = eventos(&t).iter().filter(|x| x["tipo"] == "pago_aplicado").collect();
    assert_eq!(pagos.len(), 2);
    assert!(pagos[0]["detalle"]["regla"].as_str().unwrap().contains("art. 7"));
    assert_eq!(app.ver_factura(&e.cartera, &old2)["estado"], "pagada");
    assert_eq!(app.ver_factura(&e.cartera, &an)["saldo"], "500000.00");
}

#[test]
fn the_trazabilidad_follows_the_dates_of_the_facts_not_the_order_they_were_typed() {
    let app = TestApp::spawn_el("2026-06-30");
    let e = app.equipo();
    let f = id(&app.factura(&e, "OR-1", "2026-03-02"));
    app.radicar(&e, &f, "R-OR", "2026-03-04");
    // A call logged first, dated 15 June; then the write-off the committee decided on 10 June.
    app.post(
        &format!("/api/v1/pagadores/{}/gestiones", e.pagador_id),
        &e.cartera,
        &json!({"tipo": "llamada", "fecha": "2026-06-15", "resultado": "sin respuesta", "facturas": [f]}),
    )
    .expect(201);
    app.post(
        &format!("/api/v1/facturas/{f}/castigos"),
        &e.finanzas,
        &json!({"fecha": "2026-06-10", "acta": "Comité 6", "motivo": "pagador liquidado"}),
    )
    .expect(201);
    let t = app.trazabilidad(&e.auditor, &f);
    assert_eq!(tipos(&t), ["expedida", "radicada", "castigada", "gestion_cobro"]);
}

#[test]
fn a_payment_on_a_written_off_invoice_is_recorded_as_a_recovery() {
    let app = TestApp::spawn_el("2026-06-30");
    let e = app.equipo();
    let f = id(&app.factura(&e, "CA-9", "2025-03-02"));
    app.radicar(&e, &f, "R-CA9", "2025-03-04");
    app.post(
        &format!("/api/v1/facturas/{f}/castigos"),
        &e.finanzas,
        &json!({"fecha": "2026-05-10", "acta": "Comité 5", "motivo": "pagador en liquidación"}),
    )
    .expect(201);
    // The liquidator pays $400.000 of the $1.000.000 written off.
    let body = json!({"pagador_id": e.pagador_id, "fecha": "2026-06-15", "valor": "400000.00", "referencia": "LIQ-1",
        "aplicaciones": [{"factura_id": f, "valor": "400000.00"}]});
    app.post("/api/v1/pagos", &e.finanzas, &body).expect(201);
    let v = app.ver_factura(&e.cartera, &f);
    assert_eq!(
        (v["estado"].as_str(), v["saldo"].as_str()),
        (Some("castigada"), Some("0.00"))
    );
    let t = app.trazabilidad(&e.auditor, &f);
    let r = eventos(&t)
        .iter()
        .find(|x| x["tipo"] == "recuperacion_castigada")
        .expect("a recovery event")
        .clone();
    assert_eq!(
        (
            r["detalle"]["valor"].as_str(),
            r["detalle"]["castigado_por_recuperar"].as_str()
        ),
        (Some("400000.00"), Some("600000.00"))
    );
    // More than what is left written off is refused naming it.
    let mas = json!({"pagador_id": e.pagador_id, "fecha": "2026-06-20", "valor": "600000.01",
        "aplicaciones": [{"factura_id": f, "valor": "600000.01"}]});
    let p = app.post("/api/v1/pagos", &e.finanzas, &mas).problem(422);
    assert!(p["errors"][0]["message"].as_str().unwrap().contains("600000.00"), "{p}");
    // The indicators show it apart.
    let ind = app
        .get(
            "/api/v1/reportes/indicadores?desde=2026-06-01&hasta=2026-06-30",
            &e.finanzas,
        )
        .expect(200)
        .json();
    assert_eq!(
        (
            ind["total"]["pagado"].as_str(),
            ind["total"]["recuperado_castigada"].as_str()
        ),
        (Some("400000.00"), Some("400000.00"))
    );
}
