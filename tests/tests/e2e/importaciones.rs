//! Imports end to end: a zip of DIAN XML, a glosa sheet, a payment sheet; again (nothing
//! changes); a sheet with one bad row (nothing written, the row named); the limits.

use rust_decimal::Decimal;
use serde_json::{json, Value};
use trazo_importers::dian::generador;
use trazo_tests::archivos::{rips_json, rips_planos};
use trazo_tests::{eventos, hoja_de_pagador, id, tipos, zip_de, Equipo, TestApp, XLSX};

const NIT_PAGADOR: &str = "800250119";

/// A payer's glosa sheet, with the title above the table that payers usually put.
fn xlsx(filas: &[Vec<&str>]) -> Vec<u8> {
    hoja_de_pagador("Relación de glosas", filas)
}

struct Lote {
    e: Equipo,
    zip: Vec<u8>,
    numeros: Vec<String>,
}

fn facturas(app: &TestApp) -> Lote {
    let e = app.equipo_con_pagador(NIT_PAGADOR);
    let docs: Vec<(String, Vec<u8>)> = (1..=5)
        .map(|i| {
            (
                format!("facturas/fev{i}.xml"),
                generador::attached_document(i, &e.tenant.nit, NIT_PAGADOR).into_bytes(),
            )
        })
        .collect();
    let numeros = docs
        .iter()
        .map(|(_, b)| trazo_importers::dian::parse(b, "x").unwrap().numero)
        .collect();
    Lote {
        zip: zip_de(&docs),
        e,
        numeros,
    }
}

/// Radicates the imported invoices as one lote on 3 November 2026.
fn radicar_todas(app: &TestApp, e: &Equipo, numeros: &[String]) {
    let ids: Vec<String> = numeros
        .iter()
        .map(|n| id(&app.factura_por_numero(&e.cartera, n)))
        .collect();
    let body = json!({"pagador_id": e.pagador_id, "numero_radicado": "R-1", "fecha_radicacion": "2026-11-03", "factura_ids": ids});
    app.post("/api/v1/radicaciones", &e.facturacion, &body).expect(201);
}

#[test]
fn xml_then_glosas_then_payments_and_again_changes_nothing() {
    let app = TestApp::spawn_el("2026-11-20");
    let Lote { e, zip, numeros } = facturas(&app);
    let v = app.importar(
        &e.facturacion,
        "tipo=dian_xml&archivo=lote.zip",
        "application/zip",
        &zip,
    );
    assert_eq!(
        (v["estado"].as_str(), v["creados"].as_i64(), v["duplicados"].as_i64()),
        (Some("terminada"), Some(5), Some(0)),
        "{v}"
    );
    let again = app.importar(
        &e.facturacion,
        "tipo=dian_xml&archivo=lote.zip",
        "application/zip",
        &zip,
    );
    assert_eq!(
        (
            again["estado"].as_str(),
            again["creados"].as_i64(),
            again["duplicados"].as_i64()
        ),
        (Some("terminada"), Some(0), Some(5))
    );
    assert_eq!(app.get("/api/v1/facturas", &e.cartera).expect(200).json()["total"], 5);

    // Radicated as one lote, then the payer's glosa sheet (invoice numbers without prefix).
    radicar_todas(&app, &e, &numeros);
    let sin_prefijo = |n: &str| n.trim_start_matches(|c: char| c.is_ascii_alphabetic()).to_string();
    let (n0, n1) = (sin_prefijo(&numeros[0]), numeros[1].clone());
    let hoja = xlsx(&[
        vec![
            "numero_factura",
            "codigo",
            "valor",
            "fecha_formulacion",
            "fecha_recepcion",
            "item",
            "observacion",
        ],
        vec![
            &n0,
            "FA0102",
            "1.000,00",
            "05/11/2026",
            "06/11/2026",
            "",
            "estancia no pertinente",
        ],
        vec![&n1, "FA0101", "$ 2.500", "2026-11-05", "2026-11-06", "", "tarifa"],
    ]);
    let g = app.importar(&e.cartera, "tipo=glosas_xlsx&archivo=glosas.xlsx", XLSX, &hoja);
    assert_eq!(
        (g["estado"].as_str(), g["creados"].as_i64()),
        (Some("terminada"), Some(2)),
        "{g}"
    );
    let f0 = app.factura_por_numero(&e.cartera, &numeros[0]);
    assert_eq!(
        (f0["estado"].as_str(), f0["en_discusion"].as_str()),
        (Some("glosada"), Some("1000.00"))
    );
    // Received Friday 6 November: 15 días hábiles, 16 November (Independencia de Cartagena) skipped.
    assert_eq!(f0["glosas"][0]["fecha_limite_respuesta"], "2026-11-30");
    // Again: the file is known, nothing changes.
    let g2 = app.importar(&e.cartera, "tipo=glosas_xlsx&archivo=glosas-copia.xlsx", XLSX, &hoja);
    assert_eq!(
        (g2["creados"].as_i64(), g2["duplicados"].as_i64()),
        (Some(0), Some(1)),
        "{g2}"
    );

    // A payment remittance as CSV with `;` and local amounts.
    let saldo0: rust_decimal::Decimal = f0["saldo"].as_str().unwrap().parse().unwrap();
    let csv = format!(
        "numero_factura;valor;fecha;referencia\n{};\"100.000,00\";15/11/2026;TRF-77\n",
        numeros[0]
    );
    let p = app.importar(
        &e.finanzas,
        "tipo=pagos_xlsx&archivo=pagos.csv",
        "text/csv",
        csv.as_bytes(),
    );
    assert_eq!(
        (p["estado"].as_str(), p["creados"].as_i64()),
        (Some("terminada"), Some(1)),
        "{p}"
    );
    let f0 = app.factura_por_numero(&e.cartera, &numeros[0]);
    let saldo: rust_decimal::Decimal = f0["saldo"].as_str().unwrap().parse().unwrap();
    assert_eq!(saldo0 - saldo, rust_decimal::Decimal::new(10_000_000, 2));
    let p2 = app.importar(
        &e.finanzas,
        "tipo=pagos_xlsx&archivo=pagos-otra-vez.csv",
        "text/csv",
        format!("{csv}\n").as_bytes(),
    );
    assert_eq!(
        (p2["creados"].as_i64(), p2["duplicados"].as_i64()),
        (Some(0), Some(1)),
        "same remittance, other bytes: {p2}"
    );
    assert_eq!(app.factura_por_numero(&e.cartera, &numeros[0])["saldo"], f0["saldo"]);

    // The story of the invoice shows what came from files.
    let t = app.trazabilidad(&e.auditor, &id(&f0));
    assert_eq!(tipos(&t), ["expedida", "radicada", "glosa_recibida", "pago_aplicado"]);
}

#[test]
fn a_sheet_with_one_bad_row_writes_nothing_and_names_the_row() {
    let app = TestApp::spawn_el("2026-11-20");
    let Lote { e, zip, numeros } = facturas(&app);
    app.importar(
        &e.facturacion,
        "tipo=dian_xml&archivo=lote.zip",
        "application/zip",
        &zip,
    );
    radicar_todas(&app, &e, &numeros);
    let hoja = xlsx(&[
        vec!["numero_factura", "codigo", "valor", "fecha_formulacion"],
        vec![&numeros[0], "FA0101", "1000", "05/11/2026"],
        vec!["NO-EXISTE-9", "FA0101", "1000", "05/11/2026"],
        vec![&numeros[1], "FA0101", "1000", "05/11/2026"],
    ]);
    let v = app.importar(&e.cartera, "tipo=glosas_xlsx&archivo=glosas.xlsx", XLSX, &hoja);
    assert_eq!(v["estado"], "rechazada");
    let errs = v["errores"].as_array().unwrap();
    assert_eq!(errs.len(), 1, "{v}");
    // Title on row 1, blank row 2, header row 3: the bad row is the sheet's row 5.
    assert_eq!(
        (errs[0]["archivo"].as_str(), errs[0]["row"].as_i64()),
        (Some("glosas.xlsx"), Some(5))
    );
    assert!(errs[0]["message"].as_str().unwrap().contains("NO-EXISTE-9"), "{v}");
    for n in &numeros[..2] {
        assert_eq!(
            app.factura_por_numero(&e.cartera, n)["glosas"]
                .as_array()
                .unwrap()
                .len(),
            0,
            "nothing written"
        );
    }
    // A dry run of a good sheet counts and writes nothing.
    let buena = xlsx(&[
        vec!["numero_factura", "codigo", "valor", "fecha_formulacion"],
        vec![&numeros[0], "FA0101", "1000", "05/11/2026"],
    ]);
    let s = app.importar(
        &e.cartera,
        "tipo=glosas_xlsx&archivo=buena.xlsx&simular=true",
        XLSX,
        &buena,
    );
    assert_eq!(
        (s["estado"].as_str(), s["creados"].as_i64()),
        (Some("simulada"), Some(1))
    );
    assert_eq!(
        app.factura_por_numero(&e.cartera, &numeros[0])["glosas"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    // ...and the same file imported for real afterwards is not taken for a duplicate.
    let r = app.importar(&e.cartera, "tipo=glosas_xlsx&archivo=buena.xlsx", XLSX, &buena);
    assert_eq!(
        (r["estado"].as_str(), r["creados"].as_i64()),
        (Some("terminada"), Some(1)),
        "{r}"
    );
}

#[test]
fn imports_are_refused_by_role_size_and_zip_bombs() {
    let app = TestApp::con(|s| {
        s.importaciones.max_bytes = 200_000;
        s.reloj.fecha_fija = "2026-11-20".into();
    });
    let Lote { e, zip, .. } = facturas(&app);
    app.request(
        "POST",
        "/api/v1/importaciones?tipo=dian_xml",
        Some(&e.cartera),
        Some("application/zip"),
        Some(&zip),
    )
    .problem(403);
    app.request(
        "POST",
        "/api/v1/importaciones?tipo=glosas_xlsx",
        Some(&e.facturacion),
        Some("text/csv"),
        Some(b"x"),
    )
    .problem(403);
    app.request(
        "POST",
        "/api/v1/importaciones?tipo=dian_xml",
        None,
        Some("application/zip"),
        Some(&zip),
    )
    .problem(401);
    let grande = vec![b' '; 200_001];
    app.request(
        "POST",
        "/api/v1/importaciones?tipo=dian_xml&archivo=a.xml",
        Some(&e.facturacion),
        Some("application/xml"),
        Some(&grande),
    )
    .problem(413);
    let bomba = zip_de(&[("bomba.xml".to_string(), vec![b'a'; 20 << 20])]);
    assert!(bomba.len() < 200_000);
    let p = app
        .request(
            "POST",
            "/api/v1/importaciones?tipo=dian_xml&archivo=bomba.zip",
            Some(&e.facturacion),
            Some("application/zip"),
            Some(&bomba),
        )
        .problem(413);
    assert!(p["detail"].as_str().unwrap().contains("bomba"), "{p}");
    app.request(
        "POST",
        "/api/v1/importaciones?tipo=glosas_xlsx&perfil=nadie",
        Some(&e.cartera),
        Some("text/csv"),
        Some(b"a;b\n"),
    )
    .problem(422);
    // Another prestador cannot see the run.
    let r = app
        .request(
            "POST",
            "/api/v1/importaciones?tipo=dian_xml&archivo=lote.zip",
            Some(&e.facturacion),
            Some("application/zip"),
            Some(&zip),
        )
        .expect(202)
        .json();
    let otro = app.tenant();
    app.get(
        &format!("/api/v1/importaciones/{}", r["id"].as_str().unwrap()),
        &otro.admin,
    )
    .problem(404);
}

#[test]
fn a_rips_lands_on_its_invoice_once() {
    let app = TestApp::spawn_el("2026-11-20");
    let Lote { e, zip, numeros } = facturas(&app);
    app.importar(
        &e.facturacion,
        "tipo=dian_xml&archivo=lote.zip",
        "application/zip",
        &zip,
    );
    // A public-format RIPS (fixture of the importers), pointed at this prestador and invoice,
    // its services adding up to the invoice's value.
    let valor = valor_de(&app, &e, &numeros[0]);
    let rips = include_str!("../../../importers/tests/fixtures/rips/json/completo.json")
        .replace("\"900000001\"", &format!("\"{}\"", e.tenant.nit))
        .replace("\"FE2001\"", &format!("\"{}\"", numeros[0]))
        .replace(
            "\"vrServicio\": 45000,",
            &format!("\"vrServicio\": {},", valor - dec("118001.25")),
        );
    let v = app.importar(
        &e.facturacion,
        "tipo=rips_json&archivo=rips.json",
        "application/json",
        rips.as_bytes(),
    );
    assert_eq!(
        (v["estado"].as_str(), v["creados"].as_i64()),
        (Some("terminada"), Some(1)),
        "{v}"
    );
    let v = app.importar(
        &e.facturacion,
        "tipo=rips_json&archivo=rips-otra-vez.json",
        "application/json",
        rips.as_bytes(),
    );
    assert_eq!((v["creados"].as_i64(), v["duplicados"].as_i64()), (Some(0), Some(1)));
    let f = app.factura_por_numero(&e.cartera, &numeros[0]);
    let t = app.trazabilidad(&e.auditor, &id(&f));
    let rips_ev = eventos(&t)
        .iter()
        .find(|x| x["tipo"] == "rips_registrado")
        .expect("rips event")
        .clone();
    assert_eq!(rips_ev["fecha"], "2026-11-20");
    assert!(rips_ev["detalle"]["servicios"].as_i64().unwrap() >= 1);
    // A RIPS of an invoice Trazo does not have is refused, naming it.
    let ajeno = rips.replace(&format!("\"{}\"", numeros[0]), "\"ZZ999\"");
    let v = app.importar(
        &e.facturacion,
        "tipo=rips_json&archivo=ajeno.json",
        "application/json",
        ajeno.as_bytes(),
    );
    assert_eq!(v["estado"], "rechazada");
    assert!(v["errores"][0]["message"].as_str().unwrap().contains("ZZ999"), "{v}");
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// The invoice's value as Trazo stores it.
fn valor_de(app: &TestApp, e: &Equipo, numero: &str) -> Decimal {
    dec(app.factura_por_numero(&e.cartera, numero)["valor_total"]
        .as_str()
        .unwrap())
}

/// Invoices imported from DIAN XML, with their values.
fn con_facturas(app: &TestApp) -> (Equipo, Vec<(String, String)>) {
    let Lote { e, zip, numeros } = facturas(app);
    let v = app.importar(
        &e.facturacion,
        "tipo=dian_xml&archivo=lote.zip",
        "application/zip",
        &zip,
    );
    assert_eq!(v["estado"], "terminada", "{v}");
    let con_valor = numeros
        .iter()
        .map(|n| (n.clone(), valor_de(app, &e, n).to_string()))
        .collect();
    (e, con_valor)
}

fn rips_de(app: &TestApp, e: &Equipo, numero: &str) -> Vec<Value> {
    let f = app.factura_por_numero(&e.cartera, numero);
    let t = app.trazabilidad(&e.auditor, &id(&f));
    eventos(&t)
        .iter()
        .filter(|x| x["tipo"] == "rips_registrado")
        .cloned()
        .collect()
}

fn resultado(v: &Value) -> (Option<&str>, Option<i64>, Option<i64>) {
    (v["estado"].as_str(), v["creados"].as_i64(), v["duplicados"].as_i64())
}

#[test]
fn a_flat_delivery_is_judged_as_a_whole() {
    let app = TestApp::spawn_el("2026-11-20");
    let (e, f) = con_facturas(&app);
    let nit = e.tenant.nit.clone();
    let planos = |remision, facturas: &[(&str, &str)], codigo| zip_de(&rips_planos(&nit, remision, facturas, codigo));
    let importar_zip = |nombre: &str, zip: &[u8]| {
        app.importar(
            &e.facturacion,
            &format!("tipo=rips_planos&archivo={nombre}"),
            "application/zip",
            zip,
        )
    };
    let a = planos(1, &[(&f[0].0, &f[0].1)], "890201");
    assert_eq!(
        resultado(&importar_zip("a.zip", &a)),
        (Some("terminada"), Some(1), Some(0))
    );
    // Another delivery with the same patient file (US byte for byte): its own invoice lands.
    let b = planos(2, &[(&f[1].0, &f[1].1)], "890201");
    let v = importar_zip("b.zip", &b);
    assert_eq!(resultado(&v), (Some("terminada"), Some(1), Some(0)), "{v}");
    // The first delivery again, whole: a duplicate (its three files), nothing new.
    let v = importar_zip("a-otra-vez.zip", &a);
    assert_eq!(resultado(&v), (Some("terminada"), Some(0), Some(3)), "{v}");
    assert_eq!(rips_de(&app, &e, &f[0].0).len(), 1);
    // A delivery of two invoices, then re-sent with only one's AP corrected: AF and US are
    // the same files, the corrected invoice lands again and the other is a duplicate.
    let dos = [(f[2].0.as_str(), f[2].1.as_str()), (f[3].0.as_str(), f[3].1.as_str())];
    let c = rips_planos(&nit, 3, &dos, "890201");
    assert_eq!(
        resultado(&importar_zip("c.zip", &zip_de(&c))),
        (Some("terminada"), Some(2), Some(0))
    );
    let mut corregida = c.clone();
    let linea = |codigo: &str| format!("{},110010000101,CC,1000000001,02/10/2026,,{codigo},", f[3].0);
    let ap = String::from_utf8(corregida[2].1.clone()).unwrap();
    assert!(ap.contains(&linea("890201")), "{ap}");
    corregida[2].1 = ap.replace(&linea("890201"), &linea("890202")).into_bytes();
    let v = importar_zip("c-corregida.zip", &zip_de(&corregida));
    assert_eq!(resultado(&v), (Some("terminada"), Some(1), Some(1)), "{v}");
    assert_eq!(rips_de(&app, &e, &f[2].0).len(), 1);
    assert_eq!(rips_de(&app, &e, &f[3].0).len(), 2);
}

#[test]
fn the_same_rips_json_in_other_bytes_changes_nothing() {
    let app = TestApp::spawn_el("2026-11-20");
    let (e, f) = con_facturas(&app);
    let (numero, valor) = (&f[0].0, &f[0].1);
    let rips = rips_json(&e.tenant.nit, numero, &[valor]);
    let v = app.importar(
        &e.facturacion,
        "tipo=rips_json&archivo=r.json",
        "application/json",
        rips.as_bytes(),
    );
    assert_eq!(resultado(&v), (Some("terminada"), Some(1), Some(0)), "{v}");
    // A BOM, CRLF line ends, other spacing, the keys in another order, a field Trazo does not
    // read: the same RIPS.
    let mut valor_json: Value = serde_json::from_str(&rips).unwrap();
    valor_json["numNota"] = Value::Null;
    valor_json["usuarios"][0]["codSexo"] = json!("F");
    let otra = serde_json::to_string_pretty(&valor_json).unwrap().replace('\n', "\r\n");
    let variantes = [
        format!("\u{feff}{rips}"),
        rips.replace('\n', "\r\n"),
        otra,
        format!("  {}\n\n", rips.replace(": ", ":")),
    ];
    for (i, x) in variantes.iter().enumerate() {
        let v = app.importar(
            &e.facturacion,
            &format!("tipo=rips_json&archivo=r{i}.json"),
            "application/json",
            x.as_bytes(),
        );
        assert_eq!(resultado(&v), (Some("terminada"), Some(0), Some(1)), "variant {i}: {v}");
    }
    // Two of them in one zip: still nothing new.
    let zip = zip_de(&[
        ("a.json".to_string(), variantes[0].clone().into_bytes()),
        ("b.json".to_string(), variantes[1].clone().into_bytes()),
    ]);
    let v = app.importar(
        &e.facturacion,
        "tipo=rips_json&archivo=dos.zip",
        "application/zip",
        &zip,
    );
    assert_eq!(resultado(&v), (Some("terminada"), Some(0), Some(2)), "{v}");
    assert_eq!(rips_de(&app, &e, numero).len(), 1);
}

#[test]
fn a_rips_whose_total_differs_from_its_invoice_is_refused_naming_both() {
    let app = TestApp::spawn_el("2026-11-20");
    let (e, f) = con_facturas(&app);
    let (numero, valor) = (&f[0].0, dec(&f[0].1));
    let mas = (valor + dec("820000")).to_string();
    let rips = rips_json(&e.tenant.nit, numero, &[&mas]);
    let v = app.importar(
        &e.facturacion,
        "tipo=rips_json&archivo=mal.json",
        "application/json",
        rips.as_bytes(),
    );
    assert_eq!(v["estado"], "rechazada", "{v}");
    let m = v["errores"][0]["message"].as_str().unwrap();
    assert_eq!(v["errores"][0]["archivo"], "mal.json", "{v}");
    assert!(m.contains(&format!("el RIPS de la factura {numero} suma ")), "{m}");
    assert!(
        m.contains(&pesos(valor + dec("820000"))) && m.contains(&pesos(valor)),
        "{m}"
    );
    assert!(rips_de(&app, &e, numero).is_empty(), "nothing written");
    // A flat delivery too, pointing at its AF line.
    let otro = (valor - dec("1")).to_string();
    let planos = zip_de(&rips_planos(&e.tenant.nit, 9, &[(numero, &otro)], "890201"));
    let v = app.importar(
        &e.facturacion,
        "tipo=rips_planos&archivo=p.zip",
        "application/zip",
        &planos,
    );
    assert_eq!(v["estado"], "rechazada", "{v}");
    assert_eq!(
        (v["errores"][0]["archivo"].as_str(), v["errores"][0]["line"].as_i64()),
        (Some("AF000009.txt"), Some(1)),
        "{v}"
    );
    assert!(
        v["errores"][0]["message"].as_str().unwrap().contains(&pesos(valor)),
        "{v}"
    );
}

/// `1222840.00` as the messages write it: `1.222.840,00`.
fn pesos(v: Decimal) -> String {
    let t = format!("{:.2}", v);
    let (entera, fraccion) = t.split_once('.').unwrap();
    let mut s = String::new();
    for (i, c) in entera.chars().enumerate() {
        if i > 0 && (entera.len() - i) % 3 == 0 {
            s.push('.');
        }
        s.push(c);
    }
    format!("{s},{fraccion}")
}

#[test]
fn with_the_switch_a_rips_whose_total_differs_lands_with_a_warning() {
    let app = TestApp::con(|s| {
        s.reloj.fecha_fija = "2026-11-20".into();
        s.importaciones.rips_total_distinto = trazo::config::RipsTotalDistinto::Advertir;
    });
    let (e, f) = con_facturas(&app);
    let (numero, valor) = (&f[0].0, dec(&f[0].1));
    let mas = (valor + dec("820000")).to_string();
    let rips = rips_json(&e.tenant.nit, numero, &[&mas]);
    let v = app.importar(
        &e.facturacion,
        "tipo=rips_json&archivo=mal.json",
        "application/json",
        rips.as_bytes(),
    );
    assert_eq!(resultado(&v), (Some("terminada"), Some(1), Some(0)), "{v}");
    // The warning is recorded with the run, naming the file and both values...
    assert_eq!(v["errores"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v["errores"][0]["archivo"], "mal.json", "{v}");
    let m = v["errores"][0]["message"].as_str().unwrap();
    assert!(
        m.contains(&pesos(valor)) && m.contains(&pesos(valor + dec("820000"))),
        "{m}"
    );
    // ...and in the invoice's story.
    let ev = rips_de(&app, &e, numero);
    let a = ev[0]["detalle"]["advertencia"].as_str().unwrap();
    assert!(
        a.contains(&pesos(valor)) && a.contains(&pesos(valor + dec("820000"))),
        "{a}"
    );
}

#[test]
fn a_notes_rips_is_recorded_as_the_notes() {
    let app = TestApp::spawn_el("2026-11-20");
    let (e, f) = con_facturas(&app);
    let numero = &f[0].0;
    // A credit note's RIPS details the note's value, not the invoice's.
    let nota = rips_json(&e.tenant.nit, numero, &["50000"])
        .replace("\"tipoNota\": null", "\"tipoNota\": \"NC\"")
        .replace("\"numNota\": null", "\"numNota\": \"NC-7\"");
    let v = app.importar(
        &e.facturacion,
        "tipo=rips_json&archivo=nc.json",
        "application/json",
        nota.as_bytes(),
    );
    assert_eq!(resultado(&v), (Some("terminada"), Some(1), Some(0)), "{v}");
    let ev = rips_de(&app, &e, numero);
    assert_eq!(ev.len(), 1);
    assert_eq!(
        (
            ev[0]["detalle"]["tipo_nota"].as_str(),
            ev[0]["detalle"]["num_nota"].as_str()
        ),
        (Some("NC"), Some("NC-7")),
        "{ev:?}"
    );
    // The invoice's own RIPS with the same services is another RIPS.
    let propia = rips_json(&e.tenant.nit, numero, &[&f[0].1]);
    let v = app.importar(
        &e.facturacion,
        "tipo=rips_json&archivo=f.json",
        "application/json",
        propia.as_bytes(),
    );
    assert_eq!(resultado(&v), (Some("terminada"), Some(1), Some(0)), "{v}");
    let ev = rips_de(&app, &e, numero);
    assert_eq!(ev.len(), 2);
    assert!(ev.iter().any(|x| x["detalle"].get("tipo_nota").is_none()), "{ev:?}");
}

#[test]
fn empty_rips_are_refused_naming_the_file() {
    let app = TestApp::spawn_el("2026-11-20");
    let (e, f) = con_facturas(&app);
    let numero = &f[0].0;
    let vacio = format!(
        r#"{{"numDocumentoIdObligado": "{}", "numFactura": "{numero}", "usuarios": []}}"#,
        e.tenant.nit
    );
    let v = app.importar(
        &e.facturacion,
        "tipo=rips_json&archivo=vacio.json",
        "application/json",
        vacio.as_bytes(),
    );
    assert_eq!(v["estado"], "rechazada", "{v}");
    assert_eq!(
        (v["errores"][0]["archivo"].as_str(), v["errores"][0]["path"].as_str()),
        (Some("vacio.json"), Some("usuarios")),
        "{v}"
    );
    assert!(v["errores"][0]["message"].as_str().unwrap().contains("vacía"), "{v}");
    // A flat delivery with the invoice alone: no users, no services.
    let mut solo_af = rips_planos(&e.tenant.nit, 4, &[(numero, &f[0].1)], "890201");
    solo_af.truncate(1);
    let v = app.importar(
        &e.facturacion,
        "tipo=rips_planos&archivo=solo.zip",
        "application/zip",
        &zip_de(&solo_af),
    );
    assert_eq!(v["estado"], "rechazada", "{v}");
    assert_eq!(
        (v["errores"][0]["archivo"].as_str(), v["errores"][0]["line"].as_i64()),
        (Some("AF000004.txt"), Some(1)),
        "{v}"
    );
    assert!(
        v["errores"][0]["message"]
            .as_str()
            .unwrap()
            .contains("no trae servicios"),
        "{v}"
    );
    assert!(rips_de(&app, &e, numero).is_empty());
}
