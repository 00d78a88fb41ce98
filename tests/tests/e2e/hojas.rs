//! Payer sheets of glosas and payments end to end: one run reports every problem of every row
//! and every file at once (and writes nothing); every field the API takes for a glosa or a
//! payment can come in a column; the glosas a run creates already accepted by silence are
//! listed with the run.

use serde_json::{json, Value};
use trazo_tests::{eventos, hoja_de_pagador, id, zip_de, Equipo, TestApp, XLSX};

/// The payer of these tests, by NIT (a sheet may name it).
const NIT_PAGADOR: &str = "800250119";

/// Invoices of $1.000.000 (lines of $600.000 and $400.000) issued 20 October 2026 and radicated
/// as one lote on Tuesday 3 November 2026.
fn radicadas(app: &TestApp, e: &Equipo, numeros: &[&str]) -> Vec<String> {
    let ids: Vec<String> = numeros.iter().map(|n| id(&app.factura(e, n, "2026-10-20"))).collect();
    let body = json!({"pagador_id": e.pagador_id, "numero_radicado": "R-1", "fecha_radicacion": "2026-11-03", "factura_ids": ids});
    app.post("/api/v1/radicaciones", &e.facturacion, &body).expect(201);
    ids
}

/// A glosa sheet as payers send it: a title on row 1, the header on row 3, data from row 4.
fn hoja(filas: &[&[&str]]) -> Vec<u8> {
    let filas: Vec<Vec<&str>> = filas.iter().map(|f| f.to_vec()).collect();
    hoja_de_pagador("Relación de glosas", &filas)
}

const GLOSAS: &[&str] = &[
    "numero_factura",
    "codigo",
    "valor",
    "fecha_formulacion",
    "fecha_recepcion",
    "item",
    "observacion",
    "hecho_nuevo",
];

/// Each error as (file, row, field).
fn donde(v: &Value) -> Vec<(String, Option<i64>, Option<String>)> {
    v["errores"]
        .as_array()
        .unwrap_or_else(|| panic!("errores in {v}"))
        .iter()
        .map(|e| {
            (
                e["archivo"].as_str().unwrap_or_default().to_string(),
                e["row"].as_i64(),
                e["campo"].as_str().map(str::to_string),
            )
        })
        .collect()
}

fn mensaje(v: &Value, i: usize) -> String {
    v["errores"][i]["message"].as_str().unwrap_or_default().to_string()
}

fn glosas_de(app: &TestApp, e: &Equipo, factura: &str) -> Vec<Value> {
    app.ver_factura(&e.cartera, factura)["glosas"]
        .as_array()
        .expect("glosas")
        .clone()
}

fn lugar(archivo: &str, row: i64, campo: &str) -> (String, Option<i64>, Option<String>) {
    (archivo.to_string(), Some(row), Some(campo.to_string()))
}

#[test]
fn a_sheet_with_four_bad_rows_of_four_kinds_reports_all_four_at_once_and_writes_nothing() {
    let app = TestApp::spawn_el("2026-11-20");
    let e = app.equipo_con_pagador(NIT_PAGADOR);
    let ids = radicadas(&app, &e, &["FE-A1", "FE-A2"]);
    let sheet = hoja(&[
        GLOSAS,
        // Row 4: a date that does not exist (a problem of reading the cell).
        &["FE-A1", "FA0101", "1000", "32/11/2026", "", "", "", ""],
        // Row 5: a code in no manual (checked against the invoice's manual).
        &["FE-A1", "ZZ9999", "1000", "05/11/2026", "", "", "", ""],
        // Row 6: an invoice Trazo does not have.
        &["NO-EXISTE-9", "FA0101", "1000", "05/11/2026", "", "", "", ""],
        // Row 7: more than the invoice's value.
        &["FE-A2", "FA0101", "2.000.000", "05/11/2026", "", "", "", ""],
        // Row 8 is right, and is not written either.
        &["FE-A2", "FA0102", "1000", "05/11/2026", "", "", "", ""],
    ]);
    let v = app.importar(&e.cartera, "tipo=glosas_xlsx&archivo=glosas.xlsx", XLSX, &sheet);
    assert_eq!(v["estado"], "rechazada", "{v}");
    assert_eq!(
        donde(&v),
        [
            lugar("glosas.xlsx", 4, "fecha_formulacion"),
            lugar("glosas.xlsx", 5, "codigo"),
            lugar("glosas.xlsx", 6, "numero_factura"),
            lugar("glosas.xlsx", 7, "valor"),
        ],
        "{v}"
    );
    // Each says what came and what was expected.
    assert!(
        mensaje(&v, 0).contains("«32/11/2026» no es una fecha válida; se aceptan dd/mm/aaaa"),
        "{v}"
    );
    assert!(mensaje(&v, 0).contains("celda D4, columna «fecha_formulacion»"), "{v}");
    assert!(mensaje(&v, 1).contains("'ZZ9999' no está en el Manual Único"), "{v}");
    assert!(
        mensaje(&v, 2).contains("la factura NO-EXISTE-9 no está en Trazo"),
        "{v}"
    );
    assert!(
        mensaje(&v, 3).contains("supera lo que queda por glosar de la factura FE-A2"),
        "{v}"
    );
    for f in &ids {
        assert!(glosas_de(&app, &e, f).is_empty(), "nothing written");
    }
    // Fixed, the same rows land: nothing else was hiding behind the first problems.
    let corregida = hoja(&[
        GLOSAS,
        &["FE-A1", "FA0101", "1000", "05/11/2026", "", "", "", ""],
        &["FE-A1", "FA0102", "1000", "05/11/2026", "", "", "", ""],
        &["FE-A2", "FA0101", "200.000", "05/11/2026", "", "", "", ""],
        &["FE-A2", "FA0102", "1000", "05/11/2026", "", "", "", ""],
    ]);
    let v = app.importar(&e.cartera, "tipo=glosas_xlsx&archivo=corregida.xlsx", XLSX, &corregida);
    assert_eq!(
        (v["estado"].as_str(), v["creados"].as_i64()),
        (Some("terminada"), Some(4)),
        "{v}"
    );
}

#[test]
fn every_problem_of_every_file_of_a_run_comes_in_one_answer() {
    let app = TestApp::spawn_el("2026-11-20");
    let e = app.equipo_con_pagador(NIT_PAGADOR);
    let ids = radicadas(&app, &e, &["FE-B1", "FE-B2"]);
    // a.xlsx: a cell that cannot be read.
    let a = hoja(&[GLOSAS, &["FE-B1", "FA0101", "diez", "05/11/2026", "", "", "", ""]]);
    // b.csv: a row with two problems (an unknown invoice and a code in no manual), a line the
    // invoice does not have, and a good row.
    let b = "numero_factura;codigo;valor;fecha_formulacion;item\n\
             NO-EXISTE-77;ZZ1;1000;05/11/2026;\n\
             FE-B2;FA0101;1000;05/11/2026;9\n\
             FE-B2;FA0102;1000;05/11/2026;\n";
    // c.csv: not a glosa sheet at all.
    let c = "factura;monto\nFE-B1;1000\n";
    let zip = zip_de(&[
        ("a.xlsx".to_string(), a),
        ("b.csv".to_string(), b.as_bytes().to_vec()),
        ("c.csv".to_string(), c.as_bytes().to_vec()),
    ]);
    let v = app.importar(&e.cartera, "tipo=glosas_xlsx&archivo=tres.zip", "application/zip", &zip);
    assert_eq!(v["estado"], "rechazada", "{v}");
    assert_eq!(
        donde(&v),
        [
            lugar("a.xlsx", 4, "valor"),
            lugar("b.csv", 2, "numero_factura"),
            lugar("b.csv", 2, "codigo"),
            lugar("b.csv", 3, "item"),
            ("c.csv".to_string(), None, None),
        ],
        "{v}"
    );
    assert!(mensaje(&v, 0).contains("«diez» no es un valor en pesos"), "{v}");
    assert!(
        mensaje(&v, 1).contains("la factura NO-EXISTE-77 no está en Trazo"),
        "{v}"
    );
    assert!(mensaje(&v, 2).contains("'ZZ1' no está en el Manual Único"), "{v}");
    assert!(mensaje(&v, 3).contains("no tiene la línea 9"), "{v}");
    assert!(
        mensaje(&v, 4).contains("no se encontró la fila de encabezados de glosas"),
        "{v}"
    );
    for f in &ids {
        assert!(glosas_de(&app, &e, f).is_empty(), "nothing written");
    }
    // A dry run reports the same.
    let s = app.importar(
        &e.cartera,
        "tipo=glosas_xlsx&archivo=tres.zip&simular=true",
        "application/zip",
        &zip,
    );
    assert_eq!((s["estado"].as_str(), donde(&s)), (Some("rechazada"), donde(&v)), "{s}");
}

#[test]
fn a_later_glosa_on_a_new_fact_comes_from_the_hecho_nuevo_column() {
    let app = TestApp::spawn_el("2026-11-20");
    let e = app.equipo_con_pagador(NIT_PAGADOR);
    let ids = radicadas(&app, &e, &["FE-H1"]);
    let primera = hoja(&[
        GLOSAS,
        &[
            "FE-H1",
            "FA0101",
            "1000",
            "05/11/2026",
            "06/11/2026",
            "1",
            "tarifa",
            "NO",
        ],
    ]);
    let v = app.importar(&e.cartera, "tipo=glosas_xlsx&archivo=primera.xlsx", XLSX, &primera);
    assert_eq!(v["estado"], "terminada", "{v}");
    // A week later, another glosa: the law admits it only for a new fact (Ley 1438/2011
    // art. 57); unmarked it is refused saying so, and a value that is not yes or no is named.
    let fila = |hecho: &'static str| -> Vec<&'static str> {
        vec![
            "FE-H1",
            "FA0102",
            "2000",
            "12/11/2026",
            "13/11/2026",
            "",
            "hecho nuevo",
            hecho,
        ]
    };
    let sin = hoja(&[GLOSAS, &fila("")]);
    let v = app.importar(&e.cartera, "tipo=glosas_xlsx&archivo=sin.xlsx", XLSX, &sin);
    assert_eq!(v["estado"], "rechazada", "{v}");
    assert!(mensaje(&v, 0).contains("márquela con hecho_nuevo"), "{v}");
    let rara = hoja(&[GLOSAS, &fila("quizás")]);
    let v = app.importar(&e.cartera, "tipo=glosas_xlsx&archivo=rara.xlsx", XLSX, &rara);
    assert_eq!(donde(&v), [lugar("rara.xlsx", 4, "hecho_nuevo")], "{v}");
    assert!(mensaje(&v, 0).contains("«quizás» no dice sí o no"), "{v}");
    let con = hoja(&[GLOSAS, &fila("SI")]);
    let v = app.importar(&e.cartera, "tipo=glosas_xlsx&archivo=con.xlsx", XLSX, &con);
    assert_eq!(
        (v["estado"].as_str(), v["creados"].as_i64()),
        (Some("terminada"), Some(1)),
        "{v}"
    );
    // Every column landed where the API puts it.
    let g = glosas_de(&app, &e, &ids[0]);
    assert_eq!(g.len(), 2);
    assert_eq!(
        (
            g[0]["item"].as_i64(),
            g[0]["observacion"].as_str(),
            g[0]["fecha_recepcion"].as_str()
        ),
        (Some(1), Some("tarifa"), Some("2026-11-06"))
    );
    let t = app.trazabilidad(&e.auditor, &ids[0]);
    let recibidas: Vec<bool> = eventos(&t)
        .iter()
        .filter(|x| x["tipo"] == "glosa_recibida")
        .map(|x| x["detalle"]["hecho_nuevo"].as_bool().unwrap_or(false))
        .collect();
    assert_eq!(recibidas, [false, true], "{t}");
}

const PAGOS: &str = "numero_factura;valor;fecha;referencia;medio;nit_pagador;valor_pago";

#[test]
fn a_payment_sheet_carries_the_means_the_payer_and_the_whole_value() {
    let app = TestApp::spawn_el("2026-11-20");
    let e = app.equipo_con_pagador(NIT_PAGADOR);
    let ids = radicadas(&app, &e, &["FE-P1", "FE-P2"]);
    // One cheque of $150.000 for two invoices; $30.000 of it is not applied yet.
    let csv = format!(
        "{PAGOS}\nFE-P1;100.000;15/11/2026;CH-9;Cheque;{NIT_PAGADOR};150.000\n\
         FE-P2;20.000;15/11/2026;CH-9;cheque;;150.000\n"
    );
    let v = app.importar(
        &e.finanzas,
        "tipo=pagos_xlsx&archivo=pagos.csv",
        "text/csv",
        csv.as_bytes(),
    );
    assert_eq!(
        (v["estado"].as_str(), v["creados"].as_i64()),
        (Some("terminada"), Some(2)),
        "{v}"
    );
    let l = app.get("/api/v1/pagos", &e.finanzas).expect(200).json();
    let p = &l["items"][0];
    assert_eq!(l["total"], 1, "{l}");
    assert_eq!(
        (
            p["medio"].as_str(),
            p["referencia"].as_str(),
            p["valor"].as_str(),
            p["aplicado"].as_str(),
            p["sin_aplicar"].as_str(),
            p["pagador_id"].as_str(),
        ),
        (
            Some("cheque"),
            Some("CH-9"),
            Some("150000.00"),
            Some("120000.00"),
            Some("30000.00"),
            Some(e.pagador_id.as_str())
        ),
        "{l}"
    );
    assert_eq!(app.ver_factura(&e.cartera, &ids[1])["saldo"], "980000.00");
    // The same sheet again: the same payment, nothing new.
    let again = app.importar(
        &e.finanzas,
        "tipo=pagos_xlsx&archivo=pagos-otra-vez.csv",
        "text/csv",
        format!("{csv}\n").as_bytes(),
    );
    assert_eq!(
        (again["creados"].as_i64(), again["duplicados"].as_i64()),
        (Some(0), Some(2)),
        "{again}"
    );
}

#[test]
fn every_problem_of_a_payment_sheet_comes_in_one_answer() {
    let app = TestApp::spawn_el("2026-11-20");
    let e = app.equipo_con_pagador(NIT_PAGADOR);
    let ids = radicadas(&app, &e, &["FE-Q1", "FE-Q2", "FE-Q3"]);
    let otra = app.equipo();
    let csv = format!(
        "{PAGOS}\n\
         FE-Q1;100.000;15/11/2026;T-1;transferencia;{};\n\
         FE-Q1;100.000;15/11/2026;T-2;bitcoin;;\n\
         FE-Q1;100.000;25/11/2026;T-3;;;\n\
         FE-Q2;2.000.000;15/11/2026;T-4;;;\n\
         FE-Q3;100.000;15/11/2026;T-5;;;50.000\n\
         FE-Q3;100.000;15/11/2026;T-6;;123;\n",
        otra.tenant.nit
    );
    let v = app.importar(
        &e.finanzas,
        "tipo=pagos_xlsx&archivo=remesa.csv",
        "text/csv",
        csv.as_bytes(),
    );
    assert_eq!(v["estado"], "rechazada", "{v}");
    assert_eq!(
        donde(&v),
        [
            lugar("remesa.csv", 2, "nit_pagador"),
            lugar("remesa.csv", 3, "medio"),
            lugar("remesa.csv", 4, "fecha"),
            lugar("remesa.csv", 5, "valor"),
            lugar("remesa.csv", 6, "valor_pago"),
            lugar("remesa.csv", 7, "nit_pagador"),
        ],
        "{v}"
    );
    assert!(
        mensaje(&v, 0).contains(&format!("no hay un pagador con NIT {}", otra.tenant.nit)),
        "{v}"
    );
    assert!(
        mensaje(&v, 1).contains("«bitcoin» no es un medio de pago conocido"),
        "{v}"
    );
    assert!(mensaje(&v, 2).contains("posterior a hoy"), "{v}");
    assert!(mensaje(&v, 3).contains("supera el saldo de la factura FE-Q2"), "{v}");
    assert!(
        mensaje(&v, 4).contains("el pago vale 50000.00 y sus filas (6) le aplican 100000.00"),
        "{v}"
    );
    assert!(
        mensaje(&v, 5).contains("«123»") || mensaje(&v, 5).contains("'123'"),
        "{v}"
    );
    for f in &ids {
        assert_eq!(app.ver_factura(&e.cartera, f)["saldo"], "1000000.00", "nothing written");
    }
}

#[test]
fn glosas_past_their_answer_term_on_the_day_of_import_are_listed_with_the_run() {
    let app = TestApp::spawn_el("2026-12-20");
    let e = app.equipo_con_pagador(NIT_PAGADOR);
    let ids = radicadas(&app, &e, &["FE-T1", "FE-T2"]);
    let sheet = hoja(&[
        GLOSAS,
        // Received Thursday 5 November: 15 días hábiles end Friday 27 November (16 November,
        // Independencia de Cartagena, is not one), so by 20 December silence accepted it.
        &["FE-T1", "FA0101", "1.500,50", "05/11/2026", "05/11/2026", "", "", ""],
        // Received 1 December (within the payer's 20 días hábiles from 3 November, which end
        // 2 December): its term runs to 23 December (8 December is a holiday).
        &["FE-T2", "FA0101", "1000", "01/12/2026", "01/12/2026", "", "", ""],
    ]);
    let esperada = json!([{
        "archivo": "glosas.xlsx", "row": 4, "factura_id": ids[0], "numero_factura": "FE-T1",
        "codigo": "FA0101", "valor": "1500.50", "fecha_limite_respuesta": "2026-11-27"
    }]);
    // A dry run already says so, and writes nothing.
    let s = app.importar(
        &e.cartera,
        "tipo=glosas_xlsx&archivo=glosas.xlsx&simular=true",
        XLSX,
        &sheet,
    );
    assert_eq!(s["estado"], "simulada", "{s}");
    assert_eq!(s["aceptadas_tacitamente"], esperada, "{s}");
    assert!(glosas_de(&app, &e, &ids[0]).is_empty());
    let v = app.importar(&e.cartera, "tipo=glosas_xlsx&archivo=glosas.xlsx", XLSX, &sheet);
    assert_eq!(
        (v["estado"].as_str(), v["creados"].as_i64()),
        (Some("terminada"), Some(2)),
        "{v}"
    );
    // `importar` reads the run back with GET /importaciones/{id}: it is stored with the run.
    assert_eq!(v["aceptadas_tacitamente"], esperada, "{v}");
    let g = &glosas_de(&app, &e, &ids[0])[0];
    assert_eq!(
        (
            g["aceptada_tacitamente"].as_bool(),
            g["fecha_limite_respuesta"].as_str()
        ),
        (Some(true), Some("2026-11-27"))
    );
    let g2 = &glosas_de(&app, &e, &ids[1])[0];
    assert_eq!(
        (
            g2["aceptada_tacitamente"].as_bool(),
            g2["fecha_limite_respuesta"].as_str()
        ),
        (Some(false), Some("2026-12-23"))
    );
    // Other imports list none.
    let csv = "numero_factura;valor;fecha\nFE-T2;1000;15/12/2026\n";
    let p = app.importar(&e.finanzas, "tipo=pagos_xlsx&archivo=p.csv", "text/csv", csv.as_bytes());
    assert_eq!(p["aceptadas_tacitamente"], json!([]), "{p}");
}
