//! DIAN's own public examples through the import endpoint: invoices with IVA, discounts,
//! anticipos and another currency, notas crédito and débito, an invoice number that comes back
//! with other content, and RADIAN events (030–034) in the trazabilidad of their invoice.
//!
//! The files are DIAN's (see `importers/tests/fixtures/dian/README.md`). The prestador of a test
//! is a new tenant with a unique NIT (the NIT is unique in Trazo and the suite may share one
//! database), so the supplier's NIT of each file is replaced by the tenant's before importing;
//! nothing else of the file changes unless the test says so.

use serde_json::Value;
use trazo_tests::{eventos, id, tipos, zip_de, Equipo, TestApp};

macro_rules! muestra {
    ($archivo:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../importers/tests/fixtures/dian/muestras/",
            $archivo
        ))
    };
}

const GENERICA: &str = muestra!("Generica.xml");
const FIRMADA: &str = muestra!("invoice_signed_dian_v2.xml");
const SERVICIOS: &str = muestra!("Servicios.xml");
const NOTA_CREDITO: &str = muestra!("CreditNote.xml");
const NOTA_DEBITO: &str = muestra!("DebitNote.xml");
const SIN_REFERENCIA: &str = muestra!("Ejemplificacion nota credito sin referencia a factura.xml");
const ACUSE: &str = muestra!("030 - Acuse_ReciboFEV.xml");
const RECLAMO: &str = muestra!("031 - Reclamo de la factura Electronica de Venta.xml");
const RECIBO: &str = muestra!("032 - Recibo_B&S.xml");
const EXPRESA: &str = muestra!("033 - Aceptacion Expresa.xml");
const TACITA: &str = muestra!("034 - Aceptacion_Tacita_FEV.xml");

/// The supplier of DIAN's invoice examples and of its notes.
const NIT_FACTURADOR: &str = "800197268";
/// The buyer of those examples: the payer.
const NIT_ADQUIRENTE: &str = "900108281";

const CUFE_SETP990000002: &str =
    "941cf36af62dbbc06f105d2a80e9bfe683a90e84960eae4d351cc3afbe8f848c26c39bac4fbc80fa254824c6369ea694";
const CUFE_SETP990000018: &str =
    "9a6f53fdd2c1dc2bddb28fc4f3e4321adb744db019739aa1acec82b41d392d54026b6acaeca997a7cffa59294a911199";
/// The invoice the CreditNote and DebitNote examples reference.
const CUFE_SETP990000015: &str =
    "e988c01fe2901d1bbf37911758961f7083b6e5c58400552b309549d6fbaa6402c8ff67b51d3c6f4ed478dc94b0c8b0fc";
/// The invoices the RADIAN examples reference.
const CUFE_030: &str =
    "f2a09fc9a83fbc7b2a14e4adc89ef5917c96f375a3d102ce4e2d20d5cf64e1ca6ff8a618e3c14bb43a783a1595e8fc09";
const CUFE_031_A_033: &str =
    "9bc549b86a0ba1f8241b94f270ddce41bfbc7ff0bcc50bbc384db0a2a203bbcf9ec62de1a41d84f21b5d60f55aef7cb7";
const CUFE_034: &str =
    "454e235aec643a1028f5d27a24a4c1ccd984d8f30b7a8872c416b7f8f02767812e7a8a934ea4f642feb926e85d385a83";

/// `texto` with each `(de, a)` replaced everywhere; each must be there.
#[track_caller]
fn con(texto: &str, cambios: &[(&str, &str)]) -> String {
    let mut s = texto.to_string();
    for (de, a) in cambios {
        assert!(s.contains(de), "el archivo no contiene {de:?}");
        s = s.replace(de, a);
    }
    s
}

/// A prestador whose payer is the examples' buyer.
fn equipo(app: &TestApp) -> Equipo {
    app.equipo_con_pagador(NIT_ADQUIRENTE)
}

/// An example of DIAN's, issued by the team's prestador.
fn de(e: &Equipo, muestra: &str) -> String {
    con(muestra, &[(NIT_FACTURADOR, &e.tenant.nit)])
}

/// DIAN's invoice SETP990000002 (re-signed copy, whose amounts add up) renumbered with another
/// number and CUFE: an invoice a RADIAN example or a note can reference.
fn factura_con(e: &Equipo, numero: &str, cufe: &str) -> String {
    con(
        &de(e, FIRMADA),
        &[("SETP990000002", numero), (CUFE_SETP990000002, cufe)],
    )
}

fn importar(app: &TestApp, e: &Equipo, archivos: &[(&str, &str)]) -> Value {
    let docs: Vec<(String, Vec<u8>)> = archivos
        .iter()
        .map(|(n, s)| (n.to_string(), s.as_bytes().to_vec()))
        .collect();
    app.importar(
        &e.facturacion,
        "tipo=dian_xml&archivo=dian.zip",
        "application/zip",
        &zip_de(&docs),
    )
}

#[track_caller]
fn resultado(v: &Value) -> (&str, i64, i64) {
    (
        v["estado"].as_str().unwrap_or_default(),
        v["creados"].as_i64().unwrap_or(-1),
        v["duplicados"].as_i64().unwrap_or(-1),
    )
}

#[track_caller]
fn errores(v: &Value) -> &Vec<Value> {
    v["errores"].as_array().unwrap_or_else(|| panic!("sin errores: {v}"))
}

#[track_caller]
fn unico_error(v: &Value) -> &Value {
    let e = errores(v);
    assert_eq!(e.len(), 1, "{v}");
    &e[0]
}

fn evento<'a>(t: &'a Value, tipo: &str) -> &'a Value {
    eventos(t)
        .iter()
        .find(|x| x["tipo"] == tipo)
        .unwrap_or_else(|| panic!("no hay evento {tipo} en {t}"))
}

#[test]
fn dian_invoices_with_iva_anticipos_and_another_currency_import_with_their_lines() {
    let app = TestApp::spawn_el("2026-11-20");
    let e = equipo(&app);

    // DIAN's generic example says PayableAmount 15024.07 with PrepaidAmount 1000.00: the
    // anticipo was not subtracted (UBL 2.1 / Anexo técnico 1.9: PayableAmount =
    // TaxInclusiveAmount − AllowanceTotalAmount + ChargeTotalAmount − PrepaidAmount). Refused,
    // and with it the whole run.
    let v = importar(
        &app,
        &e,
        &[
            ("Servicios.xml", &de(&e, SERVICIOS)),
            ("invoice_signed_dian_v2.xml", &de(&e, FIRMADA)),
            ("Generica.xml", &de(&e, GENERICA)),
        ],
    );
    assert_eq!(resultado(&v).0, "rechazada", "{v}");
    let err = unico_error(&v);
    assert_eq!(err["archivo"], "Generica.xml");
    assert_eq!(err["path"], "/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount");
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("cbc:PayableAmount dice 15024.07, pero cbc:TaxInclusiveAmount (15024.07)"),
        "{err}"
    );
    assert_eq!(app.get("/api/v1/facturas", &e.cartera).expect(200).json()["total"], 0);

    let v = importar(
        &app,
        &e,
        &[
            ("Servicios.xml", &de(&e, SERVICIOS)),
            ("invoice_signed_dian_v2.xml", &de(&e, FIRMADA)),
        ],
    );
    assert_eq!(resultado(&v), ("terminada", 2, 0), "{v}");

    // COP: the value is what it is worth with IVA (12600.06 + 2424.01); the anticipo already
    // received lowers what the payer owes to the PayableAmount.
    let f = app.factura_por_numero(&e.cartera, "SETP990000002");
    assert_eq!(f["valor_total"], "15024.07");
    assert_eq!(f["saldo"], "14024.07");
    assert_eq!(f["cufe"], CUFE_SETP990000002);
    let items = f["items"].as_array().expect("items");
    assert_eq!(items.len(), 2, "the lines with IVA are kept: {f}");
    assert_eq!(
        (&items[0]["codigo"], &items[0]["valor_total"], &items[0]["impuestos"]),
        (
            &Value::from("AOHV84-225"),
            &Value::from("12600.06"),
            &Value::from("2394.01")
        )
    );
    // A free line (FreeOfChargeIndicator) whose IVA is computed on a reference price.
    assert_eq!(
        (&items[1]["valor_total"], &items[1]["impuestos"]),
        (&Value::from("0.00"), &Value::from("30.00"))
    );
    let t = app.trazabilidad(&e.auditor, &id(&f));
    assert_eq!(tipos(&t), ["expedida", "anticipo"]);
    assert_eq!(evento(&t, "anticipo")["detalle"]["valor"], "1000.00");
    assert_eq!(evento(&t, "anticipo")["saldo"], "14024.07");

    // USD at the rate the invoice declares (3100): 15024.07 × 3100, and the anticipo 1000 × 3100.
    let s = app.factura_por_numero(&e.cartera, "SETP990000018");
    assert_eq!(s["valor_total"], "46574617.00");
    assert_eq!(s["saldo"], "43474617.00", "14024.07 × 3100");
    assert_eq!(s["items"][0]["impuestos"], "7421431.00", "2394.01 × 3100");
    let t = app.trazabilidad(&e.auditor, &id(&s));
    assert_eq!(
        evento(&t, "expedida")["detalle"]["origen"],
        serde_json::json!({"moneda": "USD", "tasa_cambio": "3100", "valor_total": "15024.07", "anticipos": "1000.00",
                           "valor_a_pagar": "14024.07", "fuente": "cac:PaymentExchangeRate/cbc:CalculationRate"})
    );
    assert!(evento(&app.trazabilidad(&e.auditor, &id(&f)), "expedida")["detalle"]
        .get("origen")
        .is_none());
}

#[test]
fn notas_debito_and_credito_attach_to_their_invoice_and_move_what_is_owed() {
    let app = TestApp::spawn_el("2026-11-20");
    let e = equipo(&app);
    let credito = de(&e, NOTA_CREDITO);
    let debito = de(&e, NOTA_DEBITO);

    // Before its invoice exists, a note has nothing to attach to.
    let v = importar(&app, &e, &[("DebitNote.xml", &debito)]);
    let err = unico_error(&v);
    assert_eq!(
        err["path"],
        "/DebitNote/cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID"
    );
    assert_eq!(
        err["message"].as_str().unwrap(),
        format!(
            "DebitNote.xml, /DebitNote/cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID, ID: la nota débito ND1 \
             se refiere a la factura SETP990000015, que no está en Trazo; impórtela primero o en la misma carga"
        )
    );

    // The invoice they reference: DIAN's services example (USD, anticipo) renumbered.
    let factura = con(
        &de(&e, SERVICIOS),
        &[
            ("SETP990000018", "SETP990000015"),
            (CUFE_SETP990000018, CUFE_SETP990000015),
        ],
    );
    assert_eq!(
        resultado(&importar(&app, &e, &[("SETP990000015.xml", &factura)])).0,
        "terminada"
    );
    let f = app.factura_por_numero(&e.cartera, "SETP990000015");
    assert_eq!(f["saldo"], "43474617.00");

    // The credit note alone (14994.07 USD = 46.481.617,00) is more than is owed after the
    // anticipo: refused, saying it is the nota crédito and where in a CreditNote.
    let v = importar(&app, &e, &[("CreditNote.xml", &credito)]);
    let err = unico_error(&v);
    assert_eq!(err["path"], "/CreditNote/cac:LegalMonetaryTotal/cbc:PayableAmount");
    let m = err["message"].as_str().unwrap();
    assert!(
        m.contains("la nota crédito NC3: la nota de 46481617.00 supera el saldo (43474617.00)"),
        "{m}"
    );
    assert!(!m.contains("/Invoice"), "{m}");

    // With the debit note (same day: the débito goes first), both land.
    let v = importar(&app, &e, &[("CreditNote.xml", &credito), ("DebitNote.xml", &debito)]);
    assert_eq!(resultado(&v), ("terminada", 2, 0), "{v}");
    let f = app.factura_por_numero(&e.cartera, "SETP990000015");
    assert_eq!(f["saldo"], "43474617.00", "+ 46.481.617,00 − 46.481.617,00");
    let t = app.trazabilidad(&e.auditor, &id(&f));
    assert_eq!(tipos(&t), ["expedida", "anticipo", "nota_debito", "nota_credito"]);
    let nd = evento(&t, "nota_debito");
    assert_eq!(
        (&nd["detalle"]["numero"], &nd["detalle"]["valor"], &nd["saldo"]),
        (
            &Value::from("ND1"),
            &Value::from("46481617.00"),
            &Value::from("89956234.00")
        )
    );
    assert_eq!(
        nd["detalle"]["motivo"], "Factura anterior",
        "DiscrepancyResponse/Description"
    );

    // The same notes again, in other bytes: nothing changes.
    let v = importar(
        &app,
        &e,
        &[
            ("otra/CreditNote.xml", &format!("{credito}\n")),
            ("otra/DebitNote.xml", &format!("{debito}\n")),
        ],
    );
    assert_eq!(resultado(&v), ("terminada", 0, 2), "{v}");
    assert_eq!(
        app.factura_por_numero(&e.cartera, "SETP990000015")["saldo"],
        "43474617.00"
    );
}

#[test]
fn a_credit_note_that_references_no_invoice_is_refused_saying_so() {
    let app = TestApp::spawn_el("2026-11-20");
    let e = equipo(&app);
    let nota = con(SIN_REFERENCIA, &[("860003456", &e.tenant.nit)]);
    let v = importar(&app, &e, &[("sin referencia.xml", &nota)]);
    assert_eq!(resultado(&v).0, "rechazada");
    let err = unico_error(&v);
    assert_eq!(err["path"], "/CreditNote/cac:BillingReference");
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("la nota crédito NC50101 no se refiere a ninguna factura"),
        "{err}"
    );
}

#[test]
fn an_invoice_number_that_exists_with_other_content_is_an_error_naming_the_difference() {
    let app = TestApp::spawn_el("2026-11-20");
    let e = equipo(&app);
    let original = de(&e, FIRMADA);
    assert_eq!(
        resultado(&importar(&app, &e, &[("a.xml", &original)])),
        ("terminada", 1, 0)
    );

    // The same invoice in other bytes is a duplicate.
    let v = importar(&app, &e, &[("b.xml", &format!("{original}\n"))]);
    assert_eq!(resultado(&v), ("terminada", 0, 1), "{v}");
    let f = app.factura_por_numero(&e.cartera, "SETP990000002");
    assert_eq!(f["saldo"], "14024.07", "the anticipo is not recorded twice");
    assert_eq!(tipos(&app.trazabilidad(&e.auditor, &id(&f))), ["expedida", "anticipo"]);

    // The same number with another date and a rounding that raises its value.
    let otra = con(
        &original,
        &[
            (
                "<cbc:IssueDate>2019-06-20</cbc:IssueDate>",
                "<cbc:IssueDate>2019-06-25</cbc:IssueDate>",
            ),
            (
                r#"<cbc:PayableAmount currencyID="COP">14024.07</cbc:PayableAmount>"#,
                r#"<cbc:PayableRoundingAmount currencyID="COP">100.00</cbc:PayableRoundingAmount><cbc:PayableAmount currencyID="COP">14124.07</cbc:PayableAmount>"#,
            ),
        ],
    );
    let v = importar(&app, &e, &[("c.xml", &otra)]);
    let err = unico_error(&v);
    assert_eq!(err["path"], "/Invoice/cbc:ID");
    assert_eq!(
        err["message"].as_str().unwrap(),
        "c.xml, /Invoice/cbc:ID, ID: la factura SETP990000002 ya existe con valor total $ 15.024,07 (el archivo \
         dice $ 15.124,07), y con fecha de expedición 2019-06-20 (el archivo dice 2019-06-25)"
    );
    assert_eq!(
        app.factura_por_numero(&e.cartera, "SETP990000002")["valor_total"],
        "15024.07"
    );
}

#[test]
fn radian_events_are_recorded_in_the_trazabilidad_of_the_invoice_they_reference() {
    let app = TestApp::spawn_el("2026-11-20");
    let e = equipo(&app);

    // No invoice of the prestador has the CUFE of the acuse yet.
    let v = importar(&app, &e, &[("030.xml", ACUSE)]);
    let err = unico_error(&v);
    assert_eq!(
        err["path"],
        "/ApplicationResponse/cac:DocumentResponse/cac:DocumentReference/cbc:UUID"
    );
    assert!(
        err["message"].as_str().unwrap().contains(&format!(
            "el evento RADIAN 030 (ACR0021) se refiere a la factura con CUFE {CUFE_030} (número SETG980000358 en el \
             evento), que no está en Trazo"
        )),
        "{err}"
    );

    // The invoices the examples reference, and the five events, in one run.
    let v = importar(
        &app,
        &e,
        &[
            ("SETG980000358.xml", &factura_con(&e, "SETG980000358", CUFE_030)),
            ("NALF110.xml", &factura_con(&e, "NALF110", CUFE_031_A_033)),
            ("0001.xml", &factura_con(&e, "0001", CUFE_034)),
            ("030.xml", ACUSE),
            ("031.xml", RECLAMO),
            ("032.xml", RECIBO),
            ("033.xml", EXPRESA),
            ("034.xml", TACITA),
        ],
    );
    assert_eq!(resultado(&v), ("terminada", 8, 0), "{v}");

    let f = app.factura_por_numero(&e.cartera, "SETG980000358");
    let t = app.trazabilidad(&e.auditor, &id(&f));
    assert_eq!(tipos(&t), ["expedida", "anticipo", "radian_acuse_recibo"]);
    let acuse = evento(&t, "radian_acuse_recibo");
    assert_eq!(acuse["fecha"], "2020-12-12");
    assert_eq!(
        acuse["detalle"]["texto"],
        "El pagador acusó recibo de la factura el 2020-12-12 (evento RADIAN 030 ACR0021; firmó solo Pruebas, \
         Revisor Fiscal)."
    );
    assert_eq!(t["recibida_por_pagador"], "2020-12-12");
    assert_eq!(acuse["saldo"], "14024.07", "an event of RADIAN changes no balance");

    let f = app.factura_por_numero(&e.cartera, "NALF110");
    let t = app.trazabilidad(&e.auditor, &id(&f));
    // The three events share a day: in the order they were recorded.
    let mut t_tipos = tipos(&t);
    t_tipos[2..].sort_unstable();
    assert_eq!(
        t_tipos,
        [
            "expedida",
            "anticipo",
            "radian_aceptacion_expresa",
            "radian_recibo_servicio",
            "radian_reclamo"
        ]
    );
    let reclamo = evento(&t, "radian_reclamo");
    assert_eq!(
        (&reclamo["detalle"]["codigo"], &reclamo["detalle"]["concepto"]),
        (&Value::from("031"), &Value::from("02"))
    );
    assert_eq!(
        reclamo["detalle"]["texto"],
        "El pagador reclamó la factura el 2020-01-01 (evento RADIAN 031 REC00001): concepto 02, mercancía no \
         entregada totalmente — «Mercancía no entregada»."
    );
    assert_eq!(t["recibida_por_pagador"], "2020-01-01", "the 032 recibo del servicio");

    let f = app.factura_por_numero(&e.cartera, "0001");
    let t = app.trazabilidad(&e.auditor, &id(&f));
    let tacita = evento(&t, "radian_aceptacion_tacita");
    assert!(
        tacita["detalle"]["texto"]
            .as_str()
            .unwrap()
            .starts_with("La factura quedó aceptada tácitamente el 2020-01-01"),
        "{tacita}"
    );
    assert!(t["recibida_por_pagador"].is_null(), "{t}");

    // The same event again, in other bytes: nothing changes.
    let v = importar(&app, &e, &[("030-copia.xml", &format!("{ACUSE}\n"))]);
    assert_eq!(resultado(&v), ("terminada", 0, 1), "{v}");
    let f = app.factura_por_numero(&e.cartera, "SETG980000358");
    assert_eq!(tipos(&app.trazabilidad(&e.auditor, &id(&f))).len(), 3);
}

#[test]
fn one_run_reports_every_error_of_every_file() {
    let app = TestApp::spawn_el("2026-11-20");
    let e = equipo(&app);
    let v = importar(
        &app,
        &e,
        &[
            ("Generica.xml", &de(&e, GENERICA)),
            ("CreditNote.xml", &de(&e, NOTA_CREDITO)),
            ("DebitNote.xml", &de(&e, NOTA_DEBITO)),
            ("031.xml", RECLAMO),
            (
                "sin referencia.xml",
                &con(SIN_REFERENCIA, &[("860003456", &e.tenant.nit)]),
            ),
            ("ajena.xml", FIRMADA),
        ],
    );
    assert_eq!(resultado(&v).0, "rechazada");
    let mut archivos: Vec<&str> = errores(&v).iter().map(|x| x["archivo"].as_str().unwrap()).collect();
    archivos.sort_unstable();
    assert_eq!(
        archivos,
        [
            "031.xml",
            "CreditNote.xml",
            "DebitNote.xml",
            "Generica.xml",
            "ajena.xml",
            "sin referencia.xml"
        ],
        "{v}"
    );
    let ajena = errores(&v).iter().find(|x| x["archivo"] == "ajena.xml").unwrap();
    assert!(
        ajena["message"].as_str().unwrap().contains(&format!(
            "la factura SETP990000002 es del NIT 800197268, no del prestador ({})",
            e.tenant.nit
        )),
        "{ajena}"
    );
    let notas: Vec<&str> = errores(&v)
        .iter()
        .filter(|x| x["archivo"].as_str().unwrap().ends_with("Note.xml"))
        .map(|x| x["message"].as_str().unwrap())
        .collect();
    assert!(
        notas.iter().all(|m| m.contains("la nota") && !m.contains("/Invoice")),
        "{notas:?}"
    );
}
