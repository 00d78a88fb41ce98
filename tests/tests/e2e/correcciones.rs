//! Corrections keep history: what was recorded by mistake is voided with a reason (by the role
//! that records it, or admin), balances and deadlines follow, and the trazabilidad shows the
//! original, its reversal and what replaced it; plain data is edited under its version.

use serde_json::{json, Value};
use trazo_tests::ciclo::{id, tipos, Glosa};
use trazo_tests::TestApp;

fn motivo(m: &str) -> Value {
    json!({ "motivo": m })
}

/// (estado, saldo, en_discusion) of an invoice.
fn cuentas(f: &Value) -> (String, String, String) {
    (
        f["estado"].as_str().unwrap_or_default().to_string(),
        f["saldo"].as_str().unwrap_or_default().to_string(),
        f["en_discusion"].as_str().unwrap_or_default().to_string(),
    )
}

fn c(estado: &str, saldo: &str, en_discusion: &str) -> (String, String, String) {
    (estado.into(), saldo.into(), en_discusion.into())
}

#[test]
fn a_wrong_glosa_is_voided_and_replaced_and_the_trazabilidad_keeps_all_three() {
    let app = TestApp::spawn_el("2026-03-05");
    let e = app.equipo();
    let fid = id(&app.factura(&e, "FE-900", "2026-02-02"));
    app.radicar(&e, &fid, "RAD-900", "2026-02-10");
    let mala = id(&app
        .glosar(&e, &fid, &Glosa::new("FA0101", "100000.00", "2026-02-20"))
        .expect(201)
        .json());
    assert_eq!(
        cuentas(&app.ver_factura(&e.cartera, &fid)),
        c("glosada", "1000000.00", "100000.00")
    );

    // Who may not void it, and a voiding without its reason.
    let url = format!("/api/v1/glosas/{mala}/anulacion");
    for token in [&e.auditor, &e.finanzas, &e.facturacion] {
        let p = app.post(&url, token, &motivo("error")).problem(403);
        assert!(p["detail"].as_str().unwrap().contains("anular glosas"), "{p}");
    }
    let p = app.post(&url, &e.cartera, &motivo("  ")).problem(422);
    assert_eq!(p["errors"][0]["path"], "motivo");

    let f = app
        .post(&url, &e.cartera, &motivo("el pagador glosó FA0201, no FA0101"))
        .expect(200)
        .json();
    assert_eq!(cuentas(&f), c("radicada", "1000000.00", "0.00"));
    assert_eq!(f["glosas"].as_array().unwrap().len(), 0);
    // It is gone from the lists and its address says why.
    let l = app.get("/api/v1/glosas", &e.cartera).expect(200).json();
    assert_eq!(l["total"], 0, "{l}");
    let p = app.get(&format!("/api/v1/glosas/{mala}"), &e.cartera).problem(404);
    assert!(
        p["detail"].as_str().unwrap().contains("fue anulada el 2026-03-05")
            && p["detail"].as_str().unwrap().contains("FA0201"),
        "{p}"
    );
    // Voided once; a second time it is not there to void.
    app.post(&url, &e.cartera, &motivo("otra vez")).problem(404);

    // The right glosa names the one it replaces; only a voided glosa of this invoice will do.
    let mut buena = Glosa::new("FA0201", "100000.00", "2026-02-20").json();
    buena["reemplaza"] = json!("no-existe");
    let p = app
        .post(&format!("/api/v1/facturas/{fid}/glosas"), &e.cartera, &buena)
        .problem(422);
    assert_eq!(p["errors"][0]["path"], "reemplaza");
    buena["reemplaza"] = json!(mala);
    let nueva = app
        .post(&format!("/api/v1/facturas/{fid}/glosas"), &e.cartera, &buena)
        .expect(201)
        .json();
    assert_eq!(nueva["codigo"], "FA0201");
    assert_eq!(
        cuentas(&app.ver_factura(&e.cartera, &fid)),
        c("glosada", "1000000.00", "100000.00")
    );

    // The trazabilidad: the original, its reversal (who, why), the replacement.
    let t = app.trazabilidad(&e.auditor, &fid);
    let tipos = tipos(&t);
    let pos = |tipo: &str| {
        tipos
            .iter()
            .position(|x| *x == tipo)
            .unwrap_or_else(|| panic!("{tipo}: {tipos:?}"))
    };
    assert_eq!(tipos.iter().filter(|x| **x == "glosa_recibida").count(), 2, "{tipos:?}");
    let anulada = &t["eventos"][pos("glosa_anulada")];
    assert_eq!(anulada["detalle"]["glosa_id"], mala.as_str());
    assert_eq!(anulada["detalle"]["codigo"], "FA0101");
    assert_eq!(anulada["detalle"]["motivo"], "el pagador glosó FA0201, no FA0101");
    assert!(anulada["actor"].as_str().unwrap().starts_with("cartera-"), "{anulada}");
    // The original is marked as voided, by whom and why; the replacement is not.
    let original = &t["eventos"][pos("glosa_recibida")];
    assert_eq!(original["detalle"]["codigo"], "FA0101");
    assert_eq!(
        (
            original["anulado"]["reversion"].as_str(),
            original["anulado"]["motivo"].as_str()
        ),
        (Some("glosa_anulada"), Some("el pagador glosó FA0201, no FA0101"))
    );
    assert!(anulada["anulado"].is_null());
    let reemplazo = t["eventos"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["detalle"]["reemplaza"] == mala.as_str())
        .expect("the replacement names the voided glosa");
    assert_eq!(reemplazo["detalle"]["codigo"], "FA0201");
    assert!(reemplazo["anulado"].is_null(), "{reemplazo}");

    // The auditor reads the correction with the glosa as it was; others may not.
    let l = app
        .get("/api/v1/correcciones?entidad=glosa", &e.auditor)
        .expect(200)
        .json();
    assert_eq!(l["total"], 1, "{l}");
    let x = &l["items"][0];
    assert_eq!(
        (
            x["accion"].as_str(),
            x["antes"]["codigo"].as_str(),
            x["entidad_id"].as_str()
        ),
        (Some("anulacion"), Some("FA0101"), Some(mala.as_str()))
    );
    assert!(x["usuario"].as_str().unwrap().starts_with("cartera-"));
    app.get("/api/v1/correcciones", &e.cartera).problem(403);
    let p = app.get("/api/v1/correcciones?accion=borrado", &e.auditor).problem(422);
    assert!(p["errors"][0]["message"].as_str().unwrap().contains("'borrado'"), "{p}");
    let libro = app.bytes("/api/v1/correcciones?formato=xlsx", &e.tenant.admin);
    let filas = trazo_tests::archivos::hoja(&libro, "Correcciones");
    assert!(
        filas.iter().any(|f| f.iter().any(|c| c.contains("FA0201"))),
        "{filas:?}"
    );
}

#[test]
fn voiding_a_decision_then_an_answer_reopens_each_term_and_the_balance_follows() {
    let app = TestApp::spawn_el("2026-03-05");
    let e = app.equipo();
    let fid = id(&app.factura(&e, "FE-901", "2026-02-02"));
    app.radicar(&e, &fid, "RAD-901", "2026-02-10");
    let g = id(&app
        .glosar(&e, &fid, &Glosa::new("FA0101", "100000.00", "2026-02-20"))
        .expect(201)
        .json());
    let formulada = app.get(&format!("/api/v1/glosas/{g}"), &e.cartera).expect(200).json();
    let resp = format!("/api/v1/glosas/{g}/respuestas/anulacion");
    let dec = format!("/api/v1/glosas/{g}/decisiones/anulacion");
    let p = app.post(&resp, &e.cartera, &motivo("x")).problem(409);
    assert!(p["detail"].as_str().unwrap().contains("no tiene respuesta"), "{p}");

    let respondida = app
        .post(
            &format!("/api/v1/glosas/{g}/respuestas"),
            &e.cartera,
            &json!({"codigo": "RE9801", "valor_aceptado": "30000.00", "valor_sustentado": "70000.00", "justificacion": "soportes", "fecha": "2026-02-25"}),
        )
        .expect(201)
        .json();
    assert_eq!(
        cuentas(&app.ver_factura(&e.cartera, &fid)),
        c("respondida", "970000.00", "70000.00")
    );
    app.post(&dec, &e.cartera, &motivo("x")).problem(409);
    app.post(
        &format!("/api/v1/glosas/{g}/decisiones"),
        &e.cartera,
        &json!({"resultado": "parcial", "valor_levantado": "40000.00", "fecha": "2026-03-02"}),
    )
    .expect(201);
    // The answer cannot go while the payer's decision on it stands.
    let p = app.post(&resp, &e.cartera, &motivo("x")).problem(409);
    assert!(
        p["detail"].as_str().unwrap().contains("anule primero la decisión"),
        "{p}"
    );
    app.post(&dec, &e.auditor, &motivo("x")).problem(403);

    // The admin voids the decision: answered again, waiting for the payer under the term
    // the answer opened.
    let v = app
        .post(&dec, &e.tenant.admin, &motivo("la decisión era de otra glosa"))
        .expect(200)
        .json();
    for campo in [
        "estado",
        "resultado_decision",
        "valor_levantado",
        "fecha_limite_decision",
    ] {
        assert_eq!(v[campo], respondida[campo], "{campo}: {v}");
    }
    assert_eq!(v["estado"], "respondida");
    assert_eq!(
        cuentas(&app.ver_factura(&e.cartera, &fid)),
        c("respondida", "970000.00", "70000.00")
    );

    // Cartera voids the answer: the glosa is as received, its answer term as it was.
    let v = app
        .post(
            &resp,
            &e.cartera,
            &motivo("se respondió con los valores de otra factura"),
        )
        .expect(200)
        .json();
    for campo in [
        "estado",
        "valor_aceptado",
        "valor_sustentado",
        "fecha_limite_respuesta",
        "respuesta_codigo",
    ] {
        assert_eq!(v[campo], formulada[campo], "{campo}: {v}");
    }
    assert_eq!(
        cuentas(&app.ver_factura(&e.cartera, &fid)),
        c("glosada", "1000000.00", "100000.00")
    );
    let t = app.trazabilidad(&e.auditor, &fid);
    let tipos = tipos(&t);
    let tail: Vec<&str> = tipos.iter().rev().take(2).rev().copied().collect();
    assert_eq!(tail, ["decision_glosa_anulada", "respuesta_glosa_anulada"], "{tipos:?}");
    let ultimo = t["eventos"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(ultimo["detalle"]["anulada"]["codigo"], "RE9801");
    assert_eq!(ultimo["abre"][0]["nombre"], "respuesta", "{ultimo}");
    // Answered again, right this time.
    app.post(
        &format!("/api/v1/glosas/{g}/respuestas"),
        &e.cartera,
        &json!({"codigo": "RE9702", "valor_aceptado": "100000.00", "valor_sustentado": "0.00", "justificacion": "se acepta", "fecha": "2026-03-04"}),
    )
    .expect(201);
    assert_eq!(
        cuentas(&app.ver_factura(&e.cartera, &fid)),
        c("radicada", "900000.00", "0.00")
    );
}

#[test]
fn a_payment_applied_to_the_wrong_invoice_is_undone_and_applied_right() {
    let app = TestApp::spawn_el("2026-03-05");
    let e = app.equipo();
    let a = id(&app.factura(&e, "FE-910", "2026-02-02"));
    let b = id(&app.factura(&e, "FE-911", "2026-02-02"));
    for (f, r) in [(&a, "RAD-910"), (&b, "RAD-911")] {
        app.radicar(&e, f, r, "2026-02-10");
    }
    let pago = app.pagar(&e, &a, "2026-02-27", "300000.00");
    let pid = id(&pago);
    let apl = pago["aplicaciones"][0]["id"]
        .as_str()
        .expect("the application has an id")
        .to_string();
    assert_eq!(app.ver_factura(&e.cartera, &a)["saldo"], "700000.00");

    let url = format!("/api/v1/pagos/{pid}/aplicaciones/{apl}/anulacion");
    app.post(&url, &e.facturacion, &motivo("x")).problem(403);
    app.post(&url, &e.auditor, &motivo("x")).problem(403);
    let p = app
        .post(&url, &e.finanzas, &motivo("era de la FE-911"))
        .expect(200)
        .json();
    assert_eq!(
        (p["aplicado"].as_str(), p["sin_aplicar"].as_str()),
        (Some("0.00"), Some("300000.00"))
    );
    assert_eq!(p["aplicaciones"].as_array().unwrap().len(), 0);
    assert_eq!(
        cuentas(&app.ver_factura(&e.cartera, &a)),
        c("radicada", "1000000.00", "0.00")
    );
    app.post(&url, &e.finanzas, &motivo("x")).problem(404);
    // Applied right.
    app.post(
        &format!("/api/v1/pagos/{pid}/aplicaciones"),
        &e.cartera,
        &json!({"aplicaciones": [{"factura_id": b, "valor": "300000.00"}]}),
    )
    .expect(201);
    assert_eq!(app.ver_factura(&e.cartera, &b)["saldo"], "700000.00");
    let ta = app.trazabilidad(&e.auditor, &a);
    let tipos_a = tipos(&ta);
    assert!(
        tipos_a.ends_with(&["pago_aplicado", "aplicacion_anulada"]),
        "{tipos_a:?}"
    );
    let aplicado = ta["eventos"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["tipo"] == "pago_aplicado")
        .unwrap();
    assert_eq!(aplicado["anulado"]["reversion"], "aplicacion_anulada", "{aplicado}");
    let rev = ta["eventos"].as_array().unwrap().last().unwrap();
    assert_eq!(
        (
            rev["detalle"]["valor"].as_str(),
            rev["saldo"].as_str(),
            rev["detalle"]["motivo"].as_str()
        ),
        (Some("300000.00"), Some("1000000.00"), Some("era de la FE-911"))
    );

    // The whole payment voided: every application undone, the payment gone with its reason.
    let otro = id(&app.pagar(&e, &a, "2026-03-02", "1000.00"));
    let x = app
        .post(
            &format!("/api/v1/pagos/{otro}/anulacion"),
            &e.cartera,
            &motivo("consignación duplicada"),
        )
        .expect(200)
        .json();
    assert_eq!(
        (x["entidad"].as_str(), x["antes"]["pago"]["valor"].as_i64()),
        (Some("pago"), Some(100_000))
    );
    assert_eq!(x["antes"]["aplicaciones"].as_array().unwrap().len(), 1);
    assert_eq!(app.ver_factura(&e.cartera, &a)["saldo"], "1000000.00");
    let p = app.get(&format!("/api/v1/pagos/{otro}"), &e.cartera).problem(404);
    assert!(p["detail"].as_str().unwrap().contains("consignación duplicada"), "{p}");
    let l = app.get("/api/v1/pagos", &e.cartera).expect(200).json();
    assert_eq!(l["total"], 1, "{l}");
}

#[test]
fn a_radicacion_with_the_wrong_date_is_voided_only_when_nothing_rests_on_it() {
    let app = TestApp::spawn_el("2026-03-05");
    let e = app.equipo();
    let fid = id(&app.factura(&e, "FE-920", "2026-02-02"));
    let f = app.radicar(&e, &fid, "RAD-920", "2026-02-10");
    let limite = f["fecha_limite_glosa"].clone();
    let url = format!("/api/v1/facturas/{fid}/radicaciones/anulacion");
    let g = id(&app
        .glosar(&e, &fid, &Glosa::new("FA0101", "1000.00", "2026-02-20"))
        .expect(201)
        .json());
    let p = app.post(&url, &e.facturacion, &motivo("fecha errada")).problem(409);
    assert!(p["detail"].as_str().unwrap().contains("anúlelas primero"), "{p}");
    app.post(
        &format!("/api/v1/glosas/{g}/anulacion"),
        &e.cartera,
        &motivo("era de otra"),
    )
    .expect(200);
    app.post(&url, &e.cartera, &motivo("fecha errada")).problem(403);

    let f = app
        .post(&url, &e.facturacion, &motivo("se radicó el 12, no el 10"))
        .expect(200)
        .json();
    assert_eq!(
        (
            f["estado"].as_str(),
            f["numero_radicado"].as_str(),
            f["fecha_radicacion"].as_str()
        ),
        (Some("expedida"), None, None)
    );
    assert!(f["fecha_limite_glosa"].is_null(), "{f}");
    app.post(&url, &e.facturacion, &motivo("otra vez")).problem(409);
    // Radicated right: the terms run from the right date.
    let f = app.radicar(&e, &fid, "RAD-920", "2026-02-12");
    assert_eq!(f["fecha_radicacion"], "2026-02-12");
    assert_ne!(f["fecha_limite_glosa"], limite);
    // Events go by the date of the fact: the right radicación (12 Feb) before the reversal
    // recorded today, which names the radicación it voided.
    let t = app.trazabilidad(&e.auditor, &fid);
    let tipos = tipos(&t).join(",");
    assert_eq!(
        tipos,
        "expedida,radicada,radicada,glosa_recibida,glosa_anulada,radicacion_anulada",
    );
    let rev = t["eventos"].as_array().unwrap().last().unwrap();
    assert_eq!(
        (
            rev["detalle"]["fecha_radicacion"].as_str(),
            rev["detalle"]["motivo"].as_str()
        ),
        (Some("2026-02-10"), Some("se radicó el 12, no el 10"))
    );
    // The voided radicación is marked; the right one is not.
    let marcadas: Vec<(&str, bool)> = t["eventos"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["tipo"] == "radicada")
        .map(|x| (x["fecha"].as_str().unwrap(), !x["anulado"].is_null()))
        .collect();
    assert_eq!(marcadas, [("2026-02-10", true), ("2026-02-12", false)]);
}

#[test]
fn a_devolucion_is_voided_and_the_invoice_is_back_with_the_payer() {
    let app = TestApp::spawn_el("2026-03-05");
    let e = app.equipo();
    let fid = id(&app.factura(&e, "FE-930", "2026-02-02"));
    app.radicar(&e, &fid, "RAD-930", "2026-02-10");
    let f = app
        .devolver(&e.cartera, &fid, "DE1601", "2026-02-12")
        .expect(201)
        .json();
    let did = id(&f["devoluciones"][0]);
    app.post(
        &format!("/api/v1/devoluciones/{did}/respuestas"),
        &e.facturacion,
        &json!({"codigo": "RE9601", "fecha": "2026-02-16", "justificacion": "los soportes estaban"}),
    )
    .expect(201);
    let resp = format!("/api/v1/devoluciones/{did}/respuestas/anulacion");
    app.post(&resp, &e.finanzas, &motivo("x")).problem(403);
    let f = app
        .post(&resp, &e.facturacion, &motivo("respuesta de otra factura"))
        .expect(200)
        .json();
    assert!(f["devoluciones"][0]["respuesta_codigo"].is_null(), "{f}");
    app.post(
        &format!("/api/v1/devoluciones/{did}/decisiones/anulacion"),
        &e.cartera,
        &motivo("x"),
    )
    .problem(409);
    let f = app
        .post(
            &format!("/api/v1/devoluciones/{did}/anulacion"),
            &e.cartera,
            &motivo("no era una devolución"),
        )
        .expect(200)
        .json();
    assert_eq!(f["estado"], "radicada");
    assert_eq!(f["devoluciones"].as_array().unwrap().len(), 0);
    // The payer may still return it, once.
    app.devolver(&e.cartera, &fid, "DE1601", "2026-02-13").expect(201);
}

#[test]
fn plain_data_is_edited_under_its_version_with_before_and_after() {
    let app = TestApp::spawn_el("2026-03-05");
    let e = app.equipo();
    let f = app
        .post(
            "/api/v1/facturas",
            &e.facturacion,
            &json!({"numero": "FE-940", "pagador_id": e.pagador_id, "fecha_expedicion": "2026-02-02", "valor_total": "500000.00"}),
        )
        .expect(201)
        .json();
    let fid = id(&f);
    let url = format!("/api/v1/facturas/{fid}");
    let v = f["version"].as_i64().unwrap();
    app.patch(&url, &e.cartera, &json!({"version": v, "valor_total": "1.00"}))
        .problem(403);
    let p = app
        .patch(
            &url,
            &e.facturacion,
            &json!({"version": v + 5, "valor_total": "550000.00"}),
        )
        .problem(409);
    assert!(p["detail"].as_str().unwrap().contains("versión"), "{p}");
    let g = app
        .patch(
            &url,
            &e.facturacion,
            &json!({"version": v, "valor_total": "550000.00", "fecha_expedicion": "2026-02-03", "motivo": "valor digitado mal"}),
        )
        .expect(200)
        .json();
    assert_eq!(
        (
            g["valor_total"].as_str(),
            g["saldo"].as_str(),
            g["fecha_expedicion"].as_str()
        ),
        (Some("550000.00"), Some("550000.00"), Some("2026-02-03"))
    );
    assert!(g["version"].as_i64() > Some(v), "{g}");
    let t = app.trazabilidad(&e.auditor, &fid);
    let ev = t["eventos"].as_array().unwrap().last().unwrap();
    assert_eq!(ev["tipo"], "factura_modificada");
    assert_eq!(
        ev["detalle"]["cambios"]["valor_total"],
        json!({"antes": 50_000_000, "despues": 55_000_000})
    );
    assert_eq!(ev["detalle"]["motivo"], "valor digitado mal");
    // Radicated, it is the payer's: corrected by nota crédito, not edited.
    let r = app.radicar(&e, &fid, "RAD-940", "2026-02-10");
    let p = app
        .patch(
            &url,
            &e.facturacion,
            &json!({"version": r["version"], "valor_total": "1.00"}),
        )
        .problem(409);
    assert!(p["detail"].as_str().unwrap().contains("nota crédito"), "{p}");

    // A contract's terms and a payer's name, each with its version and its record.
    let ct = app
        .post(
            "/api/v1/contratos",
            &e.facturacion,
            &json!({"pagador_id": e.pagador_id, "numero": "CT-1", "modalidad": "evento", "fecha_inicio": "2026-01-01"}),
        )
        .expect(201)
        .json();
    let curl = format!("/api/v1/contratos/{}", id(&ct));
    app.patch(&curl, &e.cartera, &json!({"version": 1, "plazo_pago_dias": 45}))
        .problem(403);
    let ct2 = app
        .patch(
            &curl,
            &e.facturacion,
            &json!({"version": 1, "plazo_pago_dias": 45, "motivo": "otrosí 1"}),
        )
        .expect(200)
        .json();
    assert_eq!(
        (ct2["plazo_pago_dias"].as_i64(), ct2["version"].as_i64()),
        (Some(45), Some(2))
    );
    app.patch(&curl, &e.tenant.admin, &json!({"version": 1, "plazo_pago_dias": 60}))
        .problem(409);
    let p = app
        .patch(&curl, &e.tenant.admin, &json!({"version": 2, "plazo_pago_dias": 999}))
        .problem(422);
    assert_eq!(p["errors"][0]["path"], "plazo_pago_dias");
    let pg = app
        .get(&format!("/api/v1/pagadores/{}", e.pagador_id), &e.tenant.admin)
        .expect(200)
        .json();
    app.patch(
        &format!("/api/v1/pagadores/{}", e.pagador_id),
        &e.tenant.admin,
        &json!({"version": pg["version"], "nombre": "EPS Renombrada", "motivo": "cambio de razón social"}),
    )
    .expect(200);

    let l = app
        .get("/api/v1/correcciones?accion=modificacion", &e.auditor)
        .expect(200)
        .json();
    let por = |entidad: &str| {
        l["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["entidad"] == entidad)
            .unwrap_or_else(|| panic!("{entidad}: {l}"))
            .clone()
    };
    let x = por("contrato");
    assert_eq!(
        (
            x["antes"]["plazo_pago_dias"].as_i64(),
            x["despues"]["plazo_pago_dias"].as_i64()
        ),
        (Some(30), Some(45))
    );
    assert_eq!(x["motivo"], "otrosí 1");
    let x = por("pagador");
    assert_eq!(
        (x["antes"]["nombre"].as_str(), x["despues"]["nombre"].as_str()),
        (Some("EPS de prueba"), Some("EPS Renombrada"))
    );
    let x = por("factura");
    assert_eq!(x["factura_id"], fid.as_str());
    assert_eq!(l["total"], 3, "{l}");
}
