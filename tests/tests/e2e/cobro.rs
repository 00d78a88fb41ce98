//! Cartera and gestión de cobro over a data set where every figure is known by hand.
//! Trazo's today is Tuesday 2026-06-30 (holidays: 1 and 18 May, 8, 15 and 29 June, 20 July).
//!
//! One payer, five invoices of $1.000.000 (two lines: 890202 $600.000, 881302 $400.000):
//! - P1 issued 2026-01-10, radicated 2026-01-15 (payment due 2026-02-26); $400.000 paid 2026-05-10.
//! - P2 issued 2026-02-01, radicated 2026-02-05; paid in full 2026-04-20.
//! - P3 issued 2026-04-10, radicated 2026-04-15 (due 2026-05-29); glosa TA0201 of $200.000 received
//!   2026-04-25, answered 2026-05-05 accepting $50.000, lifted ($150.000) 2026-05-12; $300.000
//!   paid 2026-06-10.
//! - P4 issued 2026-05-25, radicated 2026-06-05 (not due yet); glosa CL0201 of $100.000 on line 1
//!   received 2026-06-10, unanswered (due 2026-07-03).
//! - P5 issued 2026-06-20, not radicated.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use mail_parser::MimeHeaders;
use serde_json::{json, Value};
use trazo::config::{SeguridadSmtp, Settings};
use trazo::domain::cobro::TasaMora;
use trazo::domain::rol::Rol;
use trazo_tests::{eventos, hoja, id, Equipo, Glosa, TestApp};

struct Escenario {
    app: TestApp,
    e: Equipo,
    p: [String; 5],
}

/// The scenario's settings: today is 2026-06-30; mora interest at 24.40% a year from
/// 2026-01-01 and 36.60% from 2026-06-01.
fn cobro_2026(s: &mut Settings) {
    let tasa = |desde: &str, tasa: &str| TasaMora {
        desde: desde.parse().expect("date"),
        tasa: tasa.parse().expect("rate"),
    };
    s.reloj.fecha_fija = "2026-06-30".into();
    s.cobro.tasas_mora = vec![tasa("2026-01-01", "24.40"), tasa("2026-06-01", "36.60")];
}

/// The scenario above on a server whose settings are [`cobro_2026`] changed by `cambiar`.
fn escenario_con(cambiar: impl FnOnce(&mut Settings)) -> Escenario {
    let app = TestApp::con(|s| {
        cobro_2026(s);
        cambiar(s);
    });
    let e = app.equipo();
    let p1 = id(&app.factura(&e, "P-1", "2026-01-10"));
    app.radicar(&e, &p1, &format!("R-{p1}"), "2026-01-15");
    let p2 = id(&app.factura(&e, "P-2", "2026-02-01"));
    app.radicar(&e, &p2, &format!("R-{p2}"), "2026-02-05");
    app.pagar(&e, &p2, "2026-04-20", "1000000.00");
    let p3 = id(&app.factura(&e, "P-3", "2026-04-10"));
    app.radicar(&e, &p3, &format!("R-{p3}"), "2026-04-15");
    let g3 = id(&app
        .glosar(&e, &p3, &Glosa::new("TA0201", "200000.00", "2026-04-25"))
        .expect(201)
        .json());
    app.post(
        &format!("/api/v1/glosas/{g3}/respuestas"),
        &e.cartera,
        &json!({"codigo": "RE9801", "valor_aceptado": "50000.00", "valor_sustentado": "150000.00", "justificacion": "tarifa pactada", "fecha": "2026-05-05"}),
    )
    .expect(201);
    app.post(
        &format!("/api/v1/glosas/{g3}/decisiones"),
        &e.cartera,
        &json!({"resultado": "levantada", "valor_levantado": "150000.00", "fecha": "2026-05-12"}),
    )
    .expect(201);
    app.pagar(&e, &p3, "2026-06-10", "300000.00");
    let p4 = id(&app.factura(&e, "P-4", "2026-05-25"));
    app.radicar(&e, &p4, &format!("R-{p4}"), "2026-06-05");
    app.glosar(&e, &p4, &Glosa::new("CL0201", "100000.00", "2026-06-10").item(1))
        .expect(201);
    let p5 = id(&app.factura(&e, "P-5", "2026-06-20"));
    // An agreement on P1 before its payment: $300.000 by 15 May, $300.000 by 15 June, $400.000
    // by 15 July. The $400.000 of 10 May pays the first and $100.000 of the second.
    app.post(
        &format!("/api/v1/pagadores/{}/acuerdos", e.pagador_id),
        &e.cartera,
        &json!({"numero": "AP-2026-01", "fecha": "2026-05-01", "facturas": [p1],
                "cuotas": [{"fecha_vencimiento": "2026-05-15", "valor": "300000.00"},
                           {"fecha_vencimiento": "2026-06-15", "valor": "300000.00"},
                           {"fecha_vencimiento": "2026-07-15", "valor": "400000.00"}]}),
    )
    .expect(201);
    app.pagar(&e, &p1, "2026-05-10", "400000.00");
    Escenario {
        app,
        e,
        p: [p1, p2, p3, p4, p5],
    }
}

fn escenario() -> Escenario {
    escenario_con(|_| {})
}

fn edades(r: &Value) -> Vec<String> {
    ["0-30", "31-60", "61-90", "91-180", "181-360", ">360"]
        .iter()
        .map(|k| r["totales"][*k].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn aging_since_radicacion_and_since_expedicion_at_two_cut_offs() {
    let s = escenario();
    let get = |q: &str| {
        s.app
            .get(&format!("/api/v1/reportes/cartera?{q}"), &s.e.finanzas)
            .expect(200)
            .json()
    };
    // 30 June since radicación (P5 since expedición): P5 10 days and P4 25 → 0-30; P3 76 → 61-90;
    // P1 166 → 91-180.
    let r = get("corte=2026-06-30");
    assert_eq!(
        edades(&r),
        ["2000000.00", "0.00", "650000.00", "600000.00", "0.00", "0.00"]
    );
    assert_eq!(
        (r["total"].as_str(), r["vencido"].as_str(), r["sin_radicar"].as_str()),
        (Some("3250000.00"), Some("1250000.00"), Some("1000000.00"))
    );
    assert_eq!(r["filas"][0]["facturas"], 4);
    // Since expedición P4 is 36 days old (31-60), P3 81, P1 171.
    let r = get("corte=2026-06-30&base=expedicion");
    assert_eq!(
        edades(&r),
        ["1000000.00", "1000000.00", "650000.00", "600000.00", "0.00", "0.00"]
    );
    // 31 March: P1 radicated 75 days before, P2 54; both past their payment term.
    let r = get("corte=2026-03-31");
    assert_eq!(edades(&r), ["0.00", "1000000.00", "1000000.00", "0.00", "0.00", "0.00"]);
    assert_eq!(r["vencido"], "2000000.00", "P1 was due 2026-02-26 and P2 2026-03-19");
    // Invoice by invoice, oldest first, with its days of mora.
    let l = get("corte=2026-06-30&por=factura&per_page=2");
    assert_eq!(l["total"], 4);
    let x = &l["items"][0];
    assert_eq!(
        (
            x["numero"].as_str(),
            x["dias"].as_i64(),
            x["edad"].as_str(),
            x["dias_mora"].as_i64(),
            x["saldo"].as_str()
        ),
        (Some("P-1"), Some(166), Some("91-180"), Some(124), Some("600000.00"))
    );
    assert_eq!(l["items"].as_array().unwrap().len(), 2);
    // Filters: another payer type has nothing; an unknown type is named.
    assert_eq!(get("corte=2026-06-30&tipo=soat")["total"], "0.00");
    s.app
        .get("/api/v1/reportes/cartera?tipo=banco", &s.e.finanzas)
        .problem(422);
    s.app
        .get("/api/v1/reportes/cartera?base=vencimiento", &s.e.finanzas)
        .problem(422);
    // The workbook has the same figures.
    let xlsx = s
        .app
        .bytes("/api/v1/reportes/cartera?corte=2026-06-30&formato=xlsx", &s.e.finanzas);
    let filas = hoja(&xlsx, "Cartera por edades");
    let total = filas.iter().find(|f| f[0] == "TOTAL").unwrap();
    assert_eq!(&total[3..10], ["2000000", "0", "650000", "600000", "0", "0", "3250000"]);
    // Billing staff do not read cartera; other prestadores see none of it.
    s.app.get("/api/v1/reportes/cartera", &s.e.facturacion).problem(403);
    let otro = s.app.tenant();
    assert_eq!(
        s.app
            .get("/api/v1/reportes/cartera?corte=2026-06-30", &otro.admin)
            .expect(200)
            .json()["total"],
        "0.00"
    );
}

#[test]
fn indicators_of_the_quarter_to_the_decimal() {
    let s = escenario();
    let r = s
        .app
        .get(
            "/api/v1/reportes/indicadores?desde=2026-04-01&hasta=2026-06-30",
            &s.e.finanzas,
        )
        .expect(200)
        .json();
    assert_eq!(r["dias"], 91);
    let t = &r["total"];
    let campo = |k: &str| t[k].as_str().map(str::to_string);
    let esperado = [
        // P3, P4, P5 issued in the quarter; P3 and P4 radicated.
        ("facturado", "3000000.00"),
        ("radicado", "2000000.00"),
        ("glosado", "300000.00"),
        ("pct_glosa", "15.00"),
        ("glosa_aceptada", "50000.00"),
        ("glosa_levantada", "150000.00"),
        ("pct_aceptada", "16.67"),
        ("pct_recuperacion", "50.00"),
        ("pagado", "1700000.00"),
        ("cartera_inicial", "2000000.00"),
        ("cartera_final", "3250000.00"),
        ("cartera_corriente", "2000000.00"),
        ("cartera_vencida", "1250000.00"),
        // 1.250.000 / 3.250.000
        ("pct_vencida", "38.46"),
        // 3.250.000 / 3.000.000 × 91
        ("dso", "98.58"),
        // 3.000.000 / ((2.000.000 + 3.250.000) / 2)
        ("rotacion", "1.14"),
        // (2.000.000 + 3.000.000 − 3.250.000) / (2.000.000 + 3.000.000 − 2.000.000) × 100
        ("cei", "58.33"),
        // Each invoice owes 50% within 5 días hábiles of radicación and the rest at its payment
        // term (Ley 1122/2007 art. 13 lit. d): until the term, only what exceeds the allowed
        // half bears interest.
        // P1 (radicated 15 Jan; half due 22 Jan): $500.000 from 23 Jan to 26 Feb (35 days at
        // 24.40%) = 11.666,67; $1.000.000 from 27 Feb to 10 May (73 days) = 48.666,67; $600.000
        // from 11 to 31 May (21 days) = 8.400,00 and in June (30 days at 36.60%) = 18.000,00.
        // P2 (radicated 5 Feb; half due 12 Feb), paid late on 20 April: $500.000 from 13 Feb to
        // 19 March (35 days at 24.40%) = 11.666,67; $1.000.000 from 20 March to 20 April (32
        // days) = 21.333,33 — paid without its interest, which is still owed.
        // P3 (radicated 15 April; half due 22 April, Holy Thursday and Friday were 2-3 April):
        // $1.000.000 − $500.000 from 23 April to 5 May (13 days at 24.40%) = 4.333,33; $950.000 −
        // $500.000 from 6 to 29 May (24 days) = 7.200,00; then in full: $950.000 on 30-31 May
        // (2 days at 24.40%) = 1.266,67; $950.000 on 1-10 June (10 days at 36.60%) = 9.500,00;
        // $650.000 on 11-30 June (20 days) = 13.000,00.
        // P4 (radicated Friday 5 June; 8 and 15 June are holidays: half due 16 June): $500.000
        // from 17 to 30 June (14 days at 36.60%) = 7.000,00 (its $100.000 glosa is less than the
        // half still allowed unpaid).
        // 86.733,33 + 33.000,00 + 35.300,00 + 7.000,00 = 162.033,33
        ("interes_mora", "162033.33"),
    ];
    for (k, v) in esperado {
        assert_eq!(campo(k).as_deref(), Some(v), "{k}");
    }
    assert_eq!(r["filas"].as_array().unwrap().len(), 1);
    assert_eq!(r["filas"][0]["dso"], "98.58");
    let xlsx = s.app.bytes(
        "/api/v1/reportes/indicadores?desde=2026-04-01&hasta=2026-06-30&formato=xlsx",
        &s.e.finanzas,
    );
    let filas = hoja(&xlsx, "Indicadores");
    let total = filas.iter().find(|f| f[0] == "Total").unwrap();
    assert_eq!((total[14].as_str(), total[16].as_str()), ("98.58", "58.33"));
    s.app
        .get(
            "/api/v1/reportes/indicadores?desde=2026-06-30&hasta=2026-04-01",
            &s.e.finanzas,
        )
        .problem(422);
}

#[test]
fn glosas_by_code_and_by_service_show_where_money_is_lost() {
    let s = escenario();
    let get = |por: &str| {
        s.app
            .get(
                &format!("/api/v1/reportes/glosas?desde=2026-04-01&hasta=2026-06-30&por={por}"),
                &s.e.cartera,
            )
            .expect(200)
            .json()
    };
    let r = get("codigo");
    let filas: Vec<(&str, &str, &str, &str, &str, &str)> = r["filas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["clave"].as_str().unwrap(),
                f["glosado"].as_str().unwrap(),
                f["aceptado"].as_str().unwrap(),
                f["levantado"].as_str().unwrap(),
                f["en_discusion"].as_str().unwrap(),
                f["pct_del_total"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        filas,
        [
            ("TA0201", "200000.00", "50000.00", "150000.00", "0.00", "66.67"),
            ("CL0201", "100000.00", "0.00", "0.00", "100000.00", "33.33"),
        ]
    );
    assert!(
        r["filas"][0]["descripcion"]
            .as_str()
            .unwrap()
            .starts_with("El cargo por consulta, interconsulta o atención (visita) domiciliaria"),
        "{r}"
    );
    assert_eq!(r["principales_causas"].as_array().unwrap().len(), 1);
    assert_eq!(r["principales_causas"][0]["perdido"], "50000.00");
    assert_eq!(r["total"]["glosado"], "300000.00");
    let r = get("servicio");
    let claves: Vec<(&str, &str)> = r["filas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["clave"].as_str().unwrap(), f["descripcion"].as_str().unwrap()))
        .collect();
    assert_eq!(
        claves,
        [("(factura completa)", ""), ("890202", "Consulta especializada")]
    );
    let r = get("pagador");
    assert_eq!(r["filas"][0]["pct_recuperacion"], "50.00");
    s.app.get("/api/v1/reportes/glosas?por=eps", &s.e.cartera).problem(422);
    let xlsx = s.app.bytes(
        "/api/v1/reportes/glosas?desde=2026-04-01&hasta=2026-06-30&formato=xlsx",
        &s.e.cartera,
    );
    let principales = hoja(&xlsx, "Principales causas");
    assert_eq!(
        principales
            .iter()
            .filter(|f| f[0] == "TA0201" || f[0] == "CL0201")
            .count(),
        1
    );
}

#[test]
fn an_agreement_partly_paid_is_broken_once_an_instalment_is_overdue() {
    let s = escenario();
    let l = s
        .app
        .get(&format!("/api/v1/acuerdos?pagador_id={}", s.e.pagador_id), &s.e.cartera)
        .expect(200)
        .json();
    let a = &l["items"][0];
    assert_eq!(
        (
            a["valor"].as_str(),
            a["pagado"].as_str(),
            a["pendiente"].as_str(),
            a["estado"].as_str()
        ),
        (
            Some("1000000.00"),
            Some("400000.00"),
            Some("600000.00"),
            Some("incumplido")
        )
    );
    let cuotas: Vec<(&str, &str, &str)> = a["cuotas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["estado"].as_str().unwrap(),
                c["pagado"].as_str().unwrap(),
                c["pagada_en"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        cuotas,
        [
            ("pagada", "300000.00", "2026-05-10"),
            ("vencida", "100000.00", ""),
            ("pendiente", "0.00", "")
        ]
    );
    // Its event is in P1's trazabilidad.
    let t = s.app.trazabilidad(&s.e.auditor, &s.p[0]);
    assert!(eventos(&t)
        .iter()
        .any(|e| e["tipo"] == "acuerdo_pago" && e["detalle"]["numero"] == "AP-2026-01"));
    let id = a["id"].as_str().unwrap();
    s.app.get(&format!("/api/v1/acuerdos/{id}"), &s.e.finanzas).expect(200);
    // Refusals: duplicated number, instalments out of order or above the debt, roles, tenants.
    let url = format!("/api/v1/pagadores/{}/acuerdos", s.e.pagador_id);
    let cuota = |f: &str, v: &str| json!({"fecha_vencimiento": f, "valor": v});
    let acuerdo = |n: &str, cuotas: Vec<Value>| json!({"numero": n, "fecha": "2026-06-01", "cuotas": cuotas});
    s.app
        .post(
            &url,
            &s.e.cartera,
            &acuerdo("AP-2026-01", vec![cuota("2026-07-01", "1.00")]),
        )
        .problem(409);
    let p = s
        .app
        .post(
            &url,
            &s.e.cartera,
            &acuerdo("AP-2", vec![cuota("2026-08-01", "1.00"), cuota("2026-07-01", "1.00")]),
        )
        .problem(422);
    assert_eq!(p["errors"][0]["path"], "cuotas[1].fecha_vencimiento");
    // The payer owes 3.250.000 in all (P4's pending glosa included).
    s.app
        .post(
            &url,
            &s.e.cartera,
            &acuerdo("AP-3", vec![cuota("2026-07-01", "3250000.01")]),
        )
        .problem(422);
    s.app
        .post(
            &url,
            &s.e.facturacion,
            &acuerdo("AP-4", vec![cuota("2026-07-01", "1.00")]),
        )
        .problem(403);
    let otro = s.app.tenant();
    s.app.get(&format!("/api/v1/acuerdos/{id}"), &otro.admin).problem(404);
    s.app
        .post(&url, &otro.admin, &acuerdo("AP-5", vec![cuota("2026-07-01", "1.00")]))
        .problem(403);
}

#[test]
fn the_stage_moves_by_rule_and_by_hand_and_every_invoice_hears_of_it() {
    // Prejurídica from 90 days of mora and $1.000.000 overdue.
    let s = escenario_con(|s| {
        s.cobro.etapas.prejuridica.monto = "1000000".parse().expect("pesos");
        s.cobro.etapas.prejuridica.dias_mora = 90;
    });
    let url = format!("/api/v1/pagadores/{}/cobro", s.e.pagador_id);
    assert_eq!(s.app.get(&url, &s.e.cartera).expect(200).json()["etapa"], "preventiva");
    // P1 due 2026-02-26 (124 days) and P3: $1.250.000 overdue.
    let r = s
        .app
        .request("POST", "/api/v1/cobro/etapas", Some(&s.e.cartera), None, None)
        .expect(200)
        .json();
    assert_eq!(r["total"], 1);
    let c = &r["items"][0];
    assert_eq!(
        (c["etapa"].as_str(), c["anterior"].as_str(), c["origen"].as_str()),
        (Some("prejuridica"), Some("preventiva"), Some("regla"))
    );
    assert!(c["motivo"].as_str().unwrap().contains("124 días"), "{c}");
    // Again: nothing changes.
    assert_eq!(
        s.app
            .request("POST", "/api/v1/cobro/etapas", Some(&s.e.cartera), None, None)
            .expect(200)
            .json()["total"],
        0
    );
    // By hand, with a reason; the rule does not bring it down.
    s.app
        .post(
            &format!("/api/v1/pagadores/{}/etapas", s.e.pagador_id),
            &s.e.finanzas,
            &json!({"etapa": "juridica", "motivo": "comité de cartera, acta 12"}),
        )
        .expect(201);
    assert_eq!(
        s.app
            .request("POST", "/api/v1/cobro/etapas", Some(&s.e.cartera), None, None)
            .expect(200)
            .json()["total"],
        0
    );
    let v = s.app.get(&url, &s.e.auditor).expect(200).json();
    assert_eq!(v["etapa"], "juridica");
    assert_eq!(v["historial"].as_array().unwrap().len(), 2);
    s.app
        .post(
            &format!("/api/v1/pagadores/{}/etapas", s.e.pagador_id),
            &s.e.finanzas,
            &json!({"etapa": "administrativa", "motivo": "  "}),
        )
        .problem(422);
    // Each open invoice (P1, P3, P4, P5) has both events; P2, paid, has none.
    for (f, n) in [(&s.p[0], 2), (&s.p[4], 2), (&s.p[1], 0)] {
        let t = s.app.trazabilidad(&s.e.auditor, f);
        let etapas = eventos(&t).iter().filter(|e| e["tipo"] == "etapa_cobro").count();
        assert_eq!(etapas, n);
    }
    // Refusals.
    s.app
        .request("POST", "/api/v1/cobro/etapas", Some(&s.e.auditor), None, None)
        .problem(403);
    let otro = s.app.tenant();
    s.app.get(&url, &otro.admin).problem(404);
}

#[test]
fn collection_log_work_list_and_segmentation() {
    let s = escenario();
    let pagador = &s.e.pagador_id;
    let g = s
        .app
        .post(
            &format!("/api/v1/pagadores/{pagador}/gestiones"),
            &s.e.cartera,
            &json!({"tipo": "llamada", "fecha": "2026-06-20", "contacto": "Ana (cartera EPS)",
                    "resultado": "reconoce P-1, revisará el pago", "compromiso": "pagar $200.000",
                    "proximo_paso": "confirmar pago", "fecha_proximo_paso": "2026-07-02", "facturas": [s.p[0]]}),
        )
        .expect(201)
        .json();
    assert_eq!(g["facturas"][0], s.p[0].as_str());
    let t = s.app.trazabilidad(&s.e.auditor, &s.p[0]);
    let ev = eventos(&t)
        .iter()
        .find(|e| e["tipo"] == "gestion_cobro")
        .unwrap()
        .clone();
    assert_eq!(ev["detalle"]["compromiso"], "pagar $200.000");
    let l = s
        .app
        .get(&format!("/api/v1/pagadores/{pagador}/gestiones"), &s.e.finanzas)
        .expect(200)
        .json();
    assert_eq!(l["total"], 1);
    // Bad actions are named; the auditor only reads.
    let p = s
        .app
        .peticion_invalida()
        .post(
            &format!("/api/v1/pagadores/{pagador}/gestiones"),
            &s.e.cartera,
            &json!({"tipo": "visita", "fecha": "2026-06-20", "resultado": "x"}),
        )
        .problem(400);
    assert!(p["detail"].as_str().unwrap().contains("tipo"), "{p}");
    s.app
        .post(
            &format!("/api/v1/pagadores/{pagador}/gestiones"),
            &s.e.cartera,
            &json!({"tipo": "correo", "fecha": "2026-07-01", "resultado": "x"}),
        )
        .problem(422);
    s.app
        .post(
            &format!("/api/v1/pagadores/{pagador}/gestiones"),
            &s.e.auditor,
            &json!({"tipo": "correo", "fecha": "2026-06-20", "resultado": "x"}),
        )
        .problem(403);
    // The work list: P4's glosa due 3 July; the overdue instalment; the call agreed for 2 July.
    let w = s
        .app
        .get("/api/v1/cobro/trabajo?dias=5", &s.e.cartera)
        .expect(200)
        .json();
    assert_eq!(w["glosas"].as_array().unwrap().len(), 1);
    assert_eq!(w["glosas"][0]["vence"], "2026-07-03");
    let cuotas: Vec<(i64, &str, bool)> = w["cuotas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["cuota"].as_i64().unwrap(),
                c["pendiente"].as_str().unwrap(),
                c["vencida"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(cuotas, [(2, "200000.00", true)]);
    assert!(w["llamar"][0]["motivo"].as_str().unwrap().contains("2026-07-02"));
    // Assigned to another cartera user, the payer leaves this user's list.
    let otro_usuario = s.app.user(&s.e.tenant, Rol::Cartera);
    let mi_id = s.app.get("/api/v1/usuarios", &s.e.tenant.admin).expect(200).json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["rol"] == "cartera")
        .map(|u| u["id"].as_str().unwrap().to_string())
        .collect::<Vec<_>>();
    let v = s
        .app
        .get(&format!("/api/v1/pagadores/{pagador}/cobro"), &s.e.cartera)
        .expect(200)
        .json();
    // The second cartera user is the one created last.
    let asignado = mi_id.last().unwrap();
    s.app
        .patch(
            &format!("/api/v1/pagadores/{pagador}/cobro"),
            &s.e.cartera,
            &json!({"responsable_id": asignado, "email_contacto": "cartera@eps.test", "version": v["version"]}),
        )
        .expect(200);
    let w = s
        .app
        .get("/api/v1/cobro/trabajo?dias=5", &s.e.cartera)
        .expect(200)
        .json();
    assert_eq!(
        (
            w["glosas"].as_array().unwrap().len(),
            w["llamar"].as_array().unwrap().len()
        ),
        (0, 0)
    );
    let w = s
        .app
        .get("/api/v1/cobro/trabajo?dias=5", &otro_usuario)
        .expect(200)
        .json();
    assert_eq!(w["cuotas"].as_array().unwrap().len(), 1);
    // Segmentation over the last year: days to pay, % glosa, a broken agreement, days of mora.
    let seg = s
        .app
        .get("/api/v1/reportes/segmentacion", &s.e.finanzas)
        .expect(200)
        .json();
    let x = &seg["items"][0];
    // P2: 1.000.000 paid 74 days after radicación (5 Feb → 20 Apr); P1: 400.000 after 115 days
    // (15 Jan → 10 May); P3: 300.000 after 56 days (15 Apr → 10 Jun).
    // (74.000.000 + 46.000.000 + 16.800.000) / 1.700.000 = 80.47
    assert_eq!(x["dias_pago"], "80.47");
    assert_eq!(x["acuerdos_incumplidos"], 1);
    assert_eq!(x["dias_mora_max"], 124);
    // Glosado 300.000 of 4.000.000 radicated in the year: 7.50%, under the 10% that counts.
    assert_eq!(x["pct_glosa"], "7.50");
    // 1 (days to pay > 45) + 2 (the agreement) + 1 (124 days of mora) = 4
    assert_eq!((x["puntaje"].as_i64(), x["riesgo"].as_str()), (Some(4), Some("alto")));
    assert_eq!(x["razones"].as_array().unwrap().len(), 3);
    s.app
        .get("/api/v1/reportes/segmentacion", &s.e.facturacion)
        .problem(403);
    // Another prestador reaches none of this payer's collection.
    let otro = s.app.tenant();
    s.app
        .get(&format!("/api/v1/pagadores/{pagador}/gestiones"), &otro.admin)
        .problem(404);
    s.app
        .patch(
            &format!("/api/v1/pagadores/{pagador}/cobro"),
            &otro.admin,
            &json!({"email_contacto": "x@y.co", "version": 1}),
        )
        .problem(404);
    s.app
        .post(
            &format!("/api/v1/pagadores/{pagador}/gestiones"),
            &otro.admin,
            &json!({"tipo": "llamada", "fecha": "2026-06-20", "resultado": "x"}),
        )
        .problem(404);
}

/// A one-connection-at-a-time SMTP server that keeps the messages it receives.
fn buzon() -> (u16, Arc<Mutex<Vec<Vec<u8>>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let recibidos = Arc::new(Mutex::new(Vec::new()));
    let guardar = recibidos.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut w) = stream else { continue };
            let mut r = BufReader::new(w.try_clone().unwrap());
            w.write_all(b"220 buzon ESMTP\r\n").unwrap();
            let mut linea = String::new();
            loop {
                linea.clear();
                if r.read_line(&mut linea).unwrap_or(0) == 0 {
                    break;
                }
                let cmd = linea.to_ascii_uppercase();
                if cmd.starts_with("EHLO") || cmd.starts_with("HELO") {
                    w.write_all(b"250-buzon\r\n250 8BITMIME\r\n").unwrap();
                } else if cmd.starts_with("DATA") {
                    w.write_all(b"354 adelante\r\n").unwrap();
                    let mut datos = Vec::new();
                    loop {
                        let mut l = Vec::new();
                        r.read_until(b'\n', &mut l).unwrap();
                        if l == b".\r\n" {
                            break;
                        }
                        datos.extend_from_slice(&l);
                    }
                    guardar.lock().unwrap().push(datos);
                    w.write_all(b"250 recibido\r\n").unwrap();
                } else if cmd.starts_with("QUIT") {
                    w.write_all(b"221 adios\r\n").unwrap();
                    break;
                } else {
                    w.write_all(b"250 ok\r\n").unwrap();
                }
            }
            let _ = r.read_to_end(&mut Vec::new());
        }
    });
    (port, recibidos)
}

#[test]
fn a_reminder_carries_the_statement_and_is_logged() {
    let (port, recibidos) = buzon();
    let s = escenario_con(|s| {
        s.smtp.host = "127.0.0.1".into();
        s.smtp.port = port;
        s.smtp.seguridad = SeguridadSmtp::Ninguna;
        s.smtp.remitente = "cartera@ips.test".into();
    });
    let url = format!("/api/v1/pagadores/{}/recordatorios", s.e.pagador_id);
    let gestiones = format!("/api/v1/pagadores/{}/gestiones", s.e.pagador_id);
    // A call agreed for 2 July, before the reminder.
    s.app
        .post(
            &gestiones,
            &s.e.cartera,
            &json!({"tipo": "llamada", "fecha": "2026-06-29", "resultado": "pide el estado de cuenta",
                    "proximo_paso": "llamar para confirmar el pago", "fecha_proximo_paso": "2026-07-02"}),
        )
        .expect(201);
    let paso_pendiente = || {
        let w = s
            .app
            .get("/api/v1/cobro/trabajo?dias=5", &s.e.cartera)
            .expect(200)
            .json();
        w["llamar"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["pagador_id"] == s.e.pagador_id.as_str())
            .and_then(|x| x["motivo"].as_str().map(str::to_string))
            .unwrap_or_default()
    };
    assert!(paso_pendiente().contains("2026-07-02"), "{}", paso_pendiente());
    // No contact yet.
    s.app.post(&url, &s.e.cartera, &json!({})).problem(422);
    let r = s
        .app
        .post(
            &url,
            &s.e.cartera,
            &json!({"para": "pagos@eps.test", "mensaje": "Quedamos atentos."}),
        )
        .expect(201)
        .json();
    assert_eq!(
        (r["facturas"].as_i64(), r["saldo"].as_str()),
        (Some(4), Some("3250000.00"))
    );
    let correo = recibidos
        .lock()
        .unwrap()
        .pop()
        .expect("a message reached the SMTP server");
    let m = mail_parser::MessageParser::default().parse(&correo).unwrap();
    assert_eq!(m.to().unwrap().first().unwrap().address(), Some("pagos@eps.test"));
    assert!(m.body_text(0).unwrap().contains("Quedamos atentos."));
    // Amounts as people in Colombia write them, and a Message-ID of the sender's domain.
    assert!(
        m.body_text(0).unwrap().contains("saldo por $ 3.250.000,00"),
        "{}",
        m.body_text(0).unwrap()
    );
    assert!(
        m.message_id().is_some_and(|id| id.ends_with("@ips.test")),
        "{:?}",
        m.message_id()
    );
    let adjunto = m.attachments().next().expect("the statement is attached");
    assert!(adjunto.attachment_name().unwrap().starts_with("estado-de-cuenta-"));
    let filas = hoja(adjunto.contents(), "Estado de cuenta");
    let p1 = filas.iter().find(|f| f[0] == "P-1").expect("P-1 in the statement");
    assert_eq!((p1[5].as_str(), p1[8].as_str()), ("124", "600000"));
    assert_eq!(filas.iter().filter(|f| f[0].starts_with("P-")).count(), 4);
    let total = filas.iter().find(|f| f[0] == "Total").expect("a total row");
    assert_eq!(total[8], "3250000");
    // Logged as an e-mail gestión on each invoice of the statement.
    let t = s.app.trazabilidad(&s.e.auditor, &s.p[4]);
    assert!(eventos(&t)
        .iter()
        .any(|e| e["tipo"] == "gestion_cobro" && e["detalle"]["tipo"] == "correo"));
    s.app.post(&url, &s.e.auditor, &json!({})).problem(403);
    s.app
        .post(&url, &s.e.cartera, &json!({"para": "no es correo"}))
        .problem(422);
    // The reminder's own gestión (an e-mail with no next step) kept the agreed call.
    let motivo = paso_pendiente();
    assert!(
        motivo.contains("2026-07-02") && motivo.contains("llamar para confirmar"),
        "{motivo}"
    );
    // A person reporting what came of it ends it.
    s.app
        .post(
            &gestiones,
            &s.e.cartera,
            &json!({"tipo": "llamada", "fecha": "2026-06-30", "resultado": "confirmó pago para julio"}),
        )
        .expect(201);
    assert!(!paso_pendiente().contains("2026-07-02"), "{}", paso_pendiente());
}

#[test]
fn without_a_mail_server_reminders_are_refused_plainly() {
    let app = TestApp::spawn_el("2026-06-30");
    let e = app.equipo();
    let p = app
        .post(
            &format!("/api/v1/pagadores/{}/recordatorios", e.pagador_id),
            &e.cartera,
            &json!({"para": "pagos@eps.test"}),
        )
        .problem(503);
    assert!(p["detail"].as_str().unwrap().contains("smtp.host"));
}

#[test]
fn reconciliation_with_the_payers_statement_names_each_difference() {
    let app = TestApp::spawn_el("2026-06-30");
    let e = app.equipo();
    let f = |n: &str, fecha: &str| id(&app.factura(&e, n, fecha));
    let r: Vec<String> = [
        ("R-1001", "2026-03-02"),
        ("R-1002", "2026-03-02"),
        ("R-1003", "2026-06-01"),
        ("R-1004", "2026-06-20"),
        ("R-1005", "2026-03-02"),
        ("R-1006", "2026-03-02"),
        ("R-1007", "2026-03-02"),
        ("R-1008", "2026-06-01"),
    ]
    .iter()
    .map(|(n, d)| f(n, d))
    .collect();
    for i in [0, 1, 4, 5, 6] {
        app.radicar(&e, &r[i], &format!("R-{}", r[i]), "2026-03-05");
    }
    for i in [2, 7] {
        app.radicar(&e, &r[i], &format!("R-{}", r[i]), "2026-06-05");
    }
    app.pagar(&e, &r[0], "2026-05-10", "400000.00");
    app.pagar(&e, &r[4], "2026-05-10", "1000000.00");
    app.glosar(&e, &r[2], &Glosa::new("CL0201", "100000.00", "2026-06-10").item(1))
        .expect(201);
    app.devolver(&e.cartera, &r[7], "DE1601", "2026-06-09").expect(201);
    // The payer's statement: R-1001 written without prefix; R-1004 and R-1006 missing; an
    // invoice the prestador does not have.
    let csv = "numero_factura;saldo;valor_pagado;valor_glosado\n\
               1001;300.000,00;700.000,00;\n\
               R-1002;1.000.000,00;;\n\
               R-1003;900.000,00;;100.000,00\n\
               R-1005;0;1.000.000,00;\n\
               R-1007;1.200.000,00;;\n\
               R-1008;0;;\n\
               FX-999;500.000,00;;\n";
    let url = format!(
        "/api/v1/pagadores/{}/estados-cuenta?corte=2026-06-30&archivo=estado-eps.csv",
        e.pagador_id
    );
    let c = app
        .request("POST", &url, Some(&e.cartera), Some("text/csv"), Some(csv.as_bytes()))
        .expect(201)
        .json();
    let causas: Vec<(&str, &str, &str)> = c["filas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["numero_factura"].as_str().unwrap(),
                f["causa"].as_str().unwrap(),
                f["diferencia"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        causas,
        [
            ("R-1001", "pago_no_aplicado", "300000.00"),
            ("R-1002", "conciliada", "0.00"),
            ("R-1003", "glosa_en_tramite", "100000.00"),
            ("R-1005", "pagada", "0.00"),
            ("R-1007", "diferencia_valor", "-200000.00"),
            ("R-1008", "devuelta", "1000000.00"),
            ("FX-999", "no_registrada_prestador", "-500000.00"),
            ("R-1006", "no_reconocida_pagador", "1000000.00"),
            ("R-1004", "no_radicada", "1000000.00"),
        ]
    );
    assert_eq!(
        (
            c["saldo_prestador"].as_str(),
            c["saldo_pagador"].as_str(),
            c["diferencia"].as_str()
        ),
        (Some("6600000.00"), Some("3900000.00"), Some("2700000.00"))
    );
    // The same file again changes nothing and says so.
    let again = app
        .request("POST", &url, Some(&e.cartera), Some("text/csv"), Some(csv.as_bytes()))
        .expect(200)
        .json();
    assert_eq!(
        (again["id"].clone(), again["duplicado"].clone()),
        (c["id"].clone(), json!(true))
    );
    let t = app.trazabilidad(&e.auditor, &r[0]);
    let n = eventos(&t)
        .iter()
        .filter(|x| x["tipo"] == "estado_cuenta_pagador")
        .count();
    assert_eq!(n, 1);
    // The side-by-side workbook.
    let xlsx = app.bytes(
        &format!("/api/v1/estados-cuenta/{}?formato=xlsx", c["id"].as_str().unwrap()),
        &e.finanzas,
    );
    let filas = hoja(&xlsx, "Conciliación");
    let r1 = filas.iter().find(|f| f[0] == "R-1001").unwrap();
    assert_eq!(
        (r1[6].as_str(), r1[10].as_str(), r1[12].as_str()),
        ("600000", "300000", "pago_no_aplicado")
    );
    let resumen = hoja(&xlsx, "Resumen");
    let total = resumen.iter().find(|f| f[0] == "TOTAL").unwrap();
    assert_eq!(&total[2..6], ["9", "6600000", "3900000", "2700000"]);
    // A statement with a bad row is refused whole, the row named; nothing is kept.
    let malo = "numero_factura;saldo\nR-1002;1.000.000\nR-1003;mucho\n";
    let p = app
        .request("POST", &url, Some(&e.cartera), Some("text/csv"), Some(malo.as_bytes()))
        .problem(422);
    assert!(p.to_string().contains("fila 3"), "{p}");
    let bueno = "numero_factura;saldo\nR-1002;1.000.000\nR-1003;900.000\n";
    app.request("POST", &url, Some(&e.cartera), Some("text/csv"), Some(bueno.as_bytes()))
        .expect(201);
    // The statements received, the latest first, with what each payer says it owes.
    let recibidos = app.get("/api/v1/estados-cuenta", &e.finanzas).expect(200).json();
    let resumen: Vec<(i64, &str, &str)> = recibidos["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["facturas"].as_i64().unwrap(),
                x["saldo_pagador"].as_str().unwrap(),
                x["archivo"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        resumen,
        [(2, "1900000.00", "estado-eps.csv"), (7, "3900000.00", "estado-eps.csv")],
        "{recibidos}"
    );
    assert_eq!(recibidos["items"][1]["pagador"], "EPS de prueba");
    assert!(recibidos["items"][1]["usuario"]
        .as_str()
        .unwrap()
        .starts_with("cartera"));
    let q = format!("/api/v1/estados-cuenta?pagador_id={}&desde=2026-07-01", e.pagador_id);
    assert_eq!(app.get(&q, &e.finanzas).expect(200).json()["total"], 0);
    app.get("/api/v1/estados-cuenta", &e.facturacion).problem(403);
    assert_eq!(
        app.get("/api/v1/estados-cuenta", &app.tenant().admin)
            .expect(200)
            .json()["total"],
        0
    );
    // The history as a workbook: exactly the filtered rows, every page of them.
    let adres = app.pagador(&e.tenant.admin, "adres");
    app.request(
        "POST",
        &format!(
            "/api/v1/pagadores/{}/estados-cuenta?corte=2026-05-31&archivo=adres.csv",
            id(&adres)
        ),
        Some(&e.cartera),
        Some("text/csv"),
        Some(b"numero_factura;saldo\nR-1001;50.000\n"),
    )
    .expect(201);
    let libro = |q: &str| -> Vec<(String, String, String, String)> {
        let x = app.bytes(&format!("/api/v1/estados-cuenta?formato=xlsx{q}"), &e.finanzas);
        hoja(&x, "Estados de cuenta")
            .into_iter()
            .filter(|f| f.get(2).is_some_and(|a| a.ends_with(".csv")))
            .map(|f| (f[0].clone(), f[2].clone(), f[3].clone(), f[4].clone()))
            .collect()
    };
    let fila = |pagador: &str, archivo: &str, facturas: &str, saldo: &str| {
        (
            pagador.to_string(),
            archivo.to_string(),
            facturas.to_string(),
            saldo.to_string(),
        )
    };
    assert_eq!(
        libro(&format!("&per_page=1&pagador_id={}", e.pagador_id)),
        [
            fila("EPS de prueba", "estado-eps.csv", "2", "1900000"),
            fila("EPS de prueba", "estado-eps.csv", "7", "3900000")
        ]
    );
    assert_eq!(
        libro("&hasta=2026-06-01"),
        [fila("Pagador adres", "adres.csv", "1", "50000")]
    );
    assert_eq!(libro("").len(), 3);
    assert_eq!(libro("&desde=2026-07-01"), []);
    app.peticion_invalida()
        .get("/api/v1/estados-cuenta?formato=pdf", &e.finanzas)
        .problem(422);
    // Roles and tenants.
    app.request(
        "POST",
        &url,
        Some(&e.facturacion),
        Some("text/csv"),
        Some(csv.as_bytes()),
    )
    .problem(403);
    let otro = app.tenant();
    app.get(
        &format!("/api/v1/estados-cuenta/{}", c["id"].as_str().unwrap()),
        &otro.admin,
    )
    .problem(404);
}

#[test]
fn a_statement_larger_than_the_upload_limit_is_refused_before_reading_it() {
    let app = TestApp::con(|s| {
        s.reloj.fecha_fija = "2026-06-30".into();
        s.importaciones.max_bytes = 1024;
    });
    let e = app.equipo();
    let grande = format!("numero_factura;saldo\n{}", "R-1;1\n".repeat(400));
    app.request(
        "POST",
        &format!("/api/v1/pagadores/{}/estados-cuenta?corte=2026-06-30", e.pagador_id),
        Some(&e.cartera),
        Some("text/csv"),
        Some(grande.as_bytes()),
    )
    .problem(413);
    app.request(
        "POST",
        &format!("/api/v1/pagadores/{}/estados-cuenta?corte=2026-06-30", e.pagador_id),
        None,
        Some("text/csv"),
        Some(b"numero_factura;saldo\n"),
    )
    .problem(401);
}
