//! Entries for the books: every fact that changes what the payers owe, as a balanced double
//! entry with the configured accounts, whose receivable reconciles with the cartera report at
//! the same cut-off; as JSON, CSV and XLSX, for the roles that read the cartera only.

use serde_json::{json, Value};
use trazo_tests::archivos::hoja;
use trazo_tests::{id, Equipo, Glosa, TestApp};

const HOY: &str = "2026-06-30";

/// A tenant with a year of facts: invoices radicated, a glosa accepted in part and one accepted
/// by silence, a partial payment, a payment by ADRES on the EPS's behalf, an application voided,
/// a nota crédito, and an invoice written off and partly recovered.
struct Escenario {
    e: Equipo,
    adres_nit: String,
    adres: String,
}

fn escenario(app: &TestApp) -> Escenario {
    let e = app.equipo();
    let adres = app.pagador(&e.tenant.admin, "adres");
    let factura = |numero: &str, fecha: &str, radicada: &str| {
        let f = id(&app.factura(&e, numero, fecha));
        app.radicar(&e, &f, &format!("R-{numero}"), radicada);
        f
    };
    let a = factura("AS-A", "2026-03-02", "2026-03-04");
    let b = factura("AS-B", "2026-03-02", "2026-03-04");
    let c = factura("AS-C", "2026-03-02", "2026-03-04");
    let d = factura("AS-D", "2025-03-02", "2025-03-04");
    let nc = factura("AS-E", "2026-03-02", "2026-03-04");
    let f = factura("AS-F", "2026-03-02", "2026-03-04");
    factura("AS-G", "2026-04-02", "2026-04-06");
    // A glosa of $200.000 answered in time accepting $50.000.
    let g = id(&app
        .glosar(&e, &a, &Glosa::new("TA0201", "200000.00", "2026-03-20"))
        .expect(201)
        .json());
    app.post(
        &format!("/api/v1/glosas/{g}/respuestas"),
        &e.cartera,
        &json!({"codigo": "RE9801", "valor_aceptado": "50000.00", "valor_sustentado": "150000.00",
                "justificacion": "tarifa pactada", "fecha": "2026-03-27"}),
    )
    .expect(201);
    // A glosa of $120.000 never answered: accepted by silence after its term (Ley 1438/2011 art. 57).
    app.glosar(&e, &f, &Glosa::new("FA0101", "120000.00", "2026-04-01"))
        .expect(201);
    // A partial payment by the EPS.
    app.pagar(&e, &a, "2026-04-15", "300000.00");
    // ADRES pays $400.000 of the EPS's invoice by giro directo (Res. 2284/2023 art. 8).
    app.post(
        "/api/v1/pagos",
        &e.finanzas,
        &json!({"pagador_id": e.pagador_id, "pagado_por_id": id(&adres), "fecha": "2026-04-20", "valor": "400000.00",
                "referencia": "GIRO-118", "aplicaciones": [{"factura_id": b, "valor": "400000.00"}]}),
    )
    .expect(201);
    // A payment applied to the wrong invoice, voided today.
    let pago = app.pagar(&e, &c, "2026-04-10", "250000.00");
    let apl = pago["aplicaciones"][0]["id"].as_str().unwrap().to_string();
    app.post(
        &format!("/api/v1/pagos/{}/aplicaciones/{apl}/anulacion", id(&pago)),
        &e.finanzas,
        &json!({"motivo": "era de otra factura"}),
    )
    .expect(200);
    // A nota crédito of $100.000.
    app.post(
        &format!("/api/v1/facturas/{nc}/notas"),
        &e.facturacion,
        &json!({"numero": "NC-77", "valor": "100000.00", "fecha": "2026-04-05", "motivo": "descuento"}),
    )
    .expect(201);
    // A castigo, then $400.000 recovered from the liquidator.
    app.post(
        &format!("/api/v1/facturas/{d}/castigos"),
        &e.finanzas,
        &json!({"fecha": "2026-05-10", "acta": "Comité 5", "motivo": "pagador en liquidación"}),
    )
    .expect(201);
    app.post(
        "/api/v1/pagos",
        &e.finanzas,
        &json!({"pagador_id": e.pagador_id, "fecha": "2026-06-15", "valor": "400000.00", "referencia": "LIQ-1",
                "aplicaciones": [{"factura_id": d, "valor": "400000.00"}]}),
    )
    .expect(201);
    Escenario {
        adres_nit: adres["nit"].as_str().unwrap().to_string(),
        adres: adres["nombre"].as_str().unwrap().to_string(),
        e,
    }
}

fn asientos(app: &TestApp, token: &str, desde: &str, hasta: &str) -> Value {
    app.get(&format!("/api/v1/reportes/asientos?desde={desde}&hasta={hasta}"), token)
        .expect(200)
        .json()
}

fn centavos(v: &Value) -> i64 {
    let s = v.as_str().unwrap_or_else(|| panic!("not an amount: {v}"));
    let (p, c) = s.split_once('.').expect("two decimals");
    assert_eq!(c.len(), 2, "{s}");
    p.parse::<i64>().unwrap() * 100 + c.parse::<i64>().unwrap()
}

fn total_cartera(app: &TestApp, token: &str, corte: &str) -> i64 {
    centavos(
        &app.get(&format!("/api/v1/reportes/cartera?corte={corte}"), token)
            .expect(200)
            .json()["total"],
    )
}

/// The entries of concept `c` in `a`.
fn de<'a>(a: &'a Value, c: &str) -> Vec<&'a Value> {
    a["asientos"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["concepto"] == c)
        .collect()
}

#[test]
fn each_fact_is_a_balanced_entry_and_the_receivable_reconciles_with_the_cartera() {
    let app = TestApp::spawn_el(HOY);
    let s = escenario(&app);
    let e = &s.e;
    // Noise of another prestador, which must never show.
    let otro = app.equipo();
    let ajena = id(&app.factura(&otro, "OTRO-1", "2026-04-02"));
    app.pagar(&otro, &ajena, "2026-04-03", "1000.00");

    let a = asientos(&app, &e.finanzas, "2026-03-01", HOY);
    let todos = a["asientos"].as_array().unwrap();
    // Every entry balances: one debit, one credit, of one positive value.
    let (mut debitos, mut creditos) = (std::collections::HashMap::new(), std::collections::HashMap::new());
    for x in todos {
        assert_ne!(x["cuenta_debito"], x["cuenta_credito"], "{x}");
        let v = centavos(&x["valor"]);
        assert!(v > 0, "{x}");
        *debitos.entry(x["cuenta_debito"].as_str().unwrap()).or_insert(0) += v;
        *creditos.entry(x["cuenta_credito"].as_str().unwrap()).or_insert(0) += v;
        assert!(
            x["factura"].as_str().unwrap().starts_with("AS-"),
            "only this prestador's facts: {x}"
        );
        assert_eq!(
            x["tercero_nit"], a["asientos"][0]["tercero_nit"],
            "the EPS owes them all"
        );
    }
    let suma = |m: &std::collections::HashMap<&str, i64>| m.values().sum::<i64>();
    assert_eq!(suma(&debitos), suma(&creditos));
    assert_eq!(suma(&debitos), centavos(&a["total"]));

    // The accounts of each concept (the built-in PUC codes).
    let cuentas = |x: &Value| {
        (
            x["cuenta_debito"].as_str().unwrap().to_string(),
            x["cuenta_credito"].as_str().unwrap().to_string(),
            x["valor"].as_str().unwrap().to_string(),
            x["reverso"].as_bool().unwrap(),
        )
    };
    let c = |d: &str, cr: &str, v: &str, r: bool| (d.to_string(), cr.to_string(), v.to_string(), r);
    let facturas = de(&a, "factura");
    assert_eq!(facturas.len(), 6, "AS-A..C, E, F issued in March and AS-G in April");
    assert_eq!(cuentas(facturas[0]), c("130505", "4125", "1000000.00", false));
    let glosa = de(&a, "glosa_aceptada");
    assert_eq!(
        glosa.iter().map(|x| cuentas(x)).collect::<Vec<_>>(),
        [c("4175", "130505", "50000.00", false)]
    );
    assert_eq!(glosa[0]["fecha"], "2026-03-27");
    let tacita = de(&a, "glosa_tacita");
    assert_eq!(
        tacita.iter().map(|x| cuentas(x)).collect::<Vec<_>>(),
        [c("4175", "130505", "120000.00", false)]
    );
    assert_eq!(tacita[0]["factura"], "AS-F");
    let nota = de(&a, "nota_credito");
    assert_eq!(cuentas(nota[0]), c("4175", "130505", "100000.00", false));
    assert_eq!(nota[0]["comprobante"], "NC-77");
    let pagos = de(&a, "pago");
    let pago_de = |f: &str| -> Vec<_> { pagos.iter().filter(|x| x["factura"] == f).map(|x| cuentas(x)).collect() };
    assert_eq!(pago_de("AS-A"), [c("1110", "130505", "300000.00", false)]);
    // ADRES paid, the EPS's receivable is credited: the tercero is the EPS, ADRES is named.
    let giro = pagos.iter().find(|x| x["factura"] == "AS-B").unwrap();
    assert_eq!(cuentas(giro), c("1110", "130505", "400000.00", false));
    assert_eq!(giro["comprobante"], "GIRO-118");
    assert_ne!(giro["tercero_nit"], s.adres_nit.as_str());
    assert!(giro["descripcion"].as_str().unwrap().contains(&s.adres), "{giro}");
    // The voided application: the entry and its reversal, dated the day it was voided.
    assert_eq!(
        pago_de("AS-C"),
        [
            c("1110", "130505", "250000.00", false),
            c("130505", "1110", "250000.00", true)
        ]
    );
    assert_eq!(
        pagos
            .iter()
            .filter(|x| x["factura"] == "AS-C")
            .map(|x| x["fecha"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["2026-04-10", HOY]
    );
    // The castigo against the allowance, the recovery to income, then the payment.
    let castigo = de(&a, "castigo");
    assert_eq!(cuentas(castigo[0]), c("1399", "130505", "1000000.00", false));
    assert_eq!(castigo[0]["comprobante"], "Comité 5");
    assert_eq!(
        de(&a, "recuperacion").iter().map(|x| cuentas(x)).collect::<Vec<_>>(),
        [c("130505", "4250", "400000.00", false)]
    );
    assert_eq!(pago_de("AS-D"), [c("1110", "130505", "400000.00", false)]);
    // Stable ids: the same export twice names the same entries.
    let ids = |a: &Value| {
        a["asientos"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["id"].clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&a), ids(&asientos(&app, &e.auditor, "2026-03-01", HOY)));
    assert!(todos.iter().all(|x| !x["origen_id"].is_null()), "every fact is named");

    // The receivable by the entries is the cartera report's total, at the end and mid-way.
    for (desde, hasta) in [
        ("2026-03-01", HOY),
        ("2026-04-01", "2026-04-30"),
        ("2026-05-01", "2026-05-31"),
    ] {
        let a = asientos(&app, &e.cartera, desde, hasta);
        let k = &a["conciliacion"];
        let cartera = total_cartera(&app, &e.finanzas, hasta);
        assert_eq!(centavos(&k["cartera_al_corte"]), cartera, "{desde}..{hasta}: {k}");
        assert_eq!(centavos(&k["saldo_final"]), cartera, "{desde}..{hasta}: {k}");
        assert_eq!(
            centavos(&k["saldo_inicial"]) + centavos(&k["debitos"]) - centavos(&k["creditos"]),
            cartera
        );
        assert_eq!(k["cuadra"], true, "{k}");
        assert_eq!(k["diferencia"], "0.00");
        // The opening balance is the previous period's closing one.
        let dia_antes = chrono::NaiveDate::parse_from_str(desde, "%Y-%m-%d").unwrap() - chrono::Duration::days(1);
        assert_eq!(
            centavos(&k["saldo_inicial"]),
            total_cartera(&app, &e.finanzas, &dia_antes.to_string()),
            "{desde}"
        );
    }
    // The per-account totals say the receivable's movement.
    let cxc: (i64, i64) = a["por_cuenta"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["cuenta"] == "130505")
        .fold((0, 0), |(d, c), t| {
            (d + centavos(&t["debitos"]), c + centavos(&t["creditos"]))
        });
    assert_eq!(
        cxc,
        (
            centavos(&a["conciliacion"]["debitos"]),
            centavos(&a["conciliacion"]["creditos"])
        )
    );
    // The other prestador sees its own only.
    let suyo = asientos(&app, &otro.finanzas, "2026-03-01", HOY);
    assert!(suyo["asientos"]
        .as_array()
        .unwrap()
        .iter()
        .all(|x| x["factura"] == "OTRO-1"));
    assert_eq!(suyo["asientos"].as_array().unwrap().len(), 2);
}

#[test]
fn the_csv_and_the_workbook_hold_the_same_entries() {
    let app = TestApp::spawn_el(HOY);
    let s = escenario(&app);
    let e = &s.e;
    let a = asientos(&app, &e.finanzas, "2026-04-01", HOY);
    let n = a["asientos"].as_array().unwrap().len();
    assert!(n >= 8, "{a}");

    let r = app
        .get(
            "/api/v1/reportes/asientos?desde=2026-04-01&hasta=2026-06-30&formato=csv",
            &e.finanzas,
        )
        .expect(200);
    assert!(r.header("content-type").unwrap().starts_with("text/csv"));
    assert!(r
        .header("content-disposition")
        .unwrap()
        .contains("asientos-2026-04-01-2026-06-30.csv"));
    let bytes = r.bytes.clone();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "a BOM so that Excel reads UTF-8");
    let mut lector = csv::ReaderBuilder::new().delimiter(b';').from_reader(&bytes[3..]);
    let cabecera: Vec<String> = lector.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(
        cabecera,
        [
            "id",
            "fecha",
            "concepto",
            "descripcion",
            "comprobante",
            "tercero_nit",
            "tercero_nombre",
            "factura",
            "cuenta_debito",
            "cuenta_credito",
            "valor",
            "reverso",
            "origen_id"
        ]
    );
    let filas: Vec<csv::StringRecord> = lector.records().map(|r| r.unwrap()).collect();
    assert_eq!(filas.len(), n);
    for (fila, x) in filas.iter().zip(a["asientos"].as_array().unwrap()) {
        assert_eq!(&fila[0], x["id"].as_str().unwrap());
        assert_eq!(&fila[10], x["valor"].as_str().unwrap(), "a point and two decimals");
        assert!(fila[10].chars().all(|c| c.is_ascii_digit() || c == '.'), "{fila:?}");
        assert_eq!(&fila[8], x["cuenta_debito"].as_str().unwrap());
    }
    assert!(
        filas.iter().any(|f| f[6].contains("EPS de prueba")),
        "accents and names in UTF-8"
    );

    let r = app
        .get(
            "/api/v1/reportes/asientos?desde=2026-04-01&hasta=2026-06-30&formato=xlsx",
            &e.auditor,
        )
        .expect(200);
    let libro = r.bytes.clone();
    let hoja_asientos = hoja(&libro, "Asientos");
    let primera = hoja_asientos
        .iter()
        .position(|f| f.first().is_some_and(|c| c == "Fecha"))
        .expect("a header row");
    assert_eq!(hoja_asientos.len() - primera - 1, n);
    let totales = hoja(&libro, "Totales");
    let total = totales.iter().find(|f| f[0] == "TOTAL").expect("a total row");
    assert_eq!(total[3], total[4], "debits equal credits");
    let conciliacion = hoja(&libro, "Conciliación");
    let cuadra = conciliacion
        .iter()
        .find(|f| f[0] == "Cuadra")
        .expect("the reconciliation");
    assert_eq!(cuadra[1], "sí");
}

#[test]
fn only_the_prestadors_readers_see_the_entries_and_bad_periods_name_the_parameter() {
    let app = TestApp::spawn_el(HOY);
    let e = app.equipo();
    let f = id(&app.factura(&e, "RO-1", "2026-06-01"));
    let url = "/api/v1/reportes/asientos?desde=2026-06-01&hasta=2026-06-30";
    // Billing staff and the payer's own users do not; no token, nobody.
    app.get(url, &e.facturacion).problem(403);
    let del_pagador = app.user_de_pagador(&e.tenant, &e.pagador_id);
    app.get(url, &del_pagador).problem(403);
    app.get(&format!("{url}&formato=csv"), &del_pagador).problem(403);
    app.get(url, "").problem(401);
    for tok in [&e.finanzas, &e.cartera, &e.auditor, &e.tenant.admin] {
        let a = app.get(url, tok).expect(200).json();
        assert_eq!(a["asientos"][0]["origen_id"], f.as_str());
    }
    // Dates that cannot be read, and a period that ends before it starts: 400 naming it.
    for (q, campo) in [
        ("desde=2026-13-01&hasta=2026-06-30", "desde"),
        ("desde=2026-06-01&hasta=30/06/2026", "hasta"),
        ("desde=2026-06-30&hasta=2026-06-01", "desde"),
        ("desde=2026-06-01&hasta=2026-06-30&formato=pdf", "formato"),
    ] {
        let p = app
            .peticion_invalida()
            .get(&format!("/api/v1/reportes/asientos?{q}"), &e.finanzas)
            .problem(400);
        assert_eq!(p["errors"][0]["path"], campo, "{q}: {p}");
    }
    // Without dates: this month to today.
    let a = app.get("/api/v1/reportes/asientos", &e.finanzas).expect(200).json();
    assert_eq!(
        (a["desde"].as_str(), a["hasta"].as_str()),
        (Some("2026-06-01"), Some(HOY))
    );
}
