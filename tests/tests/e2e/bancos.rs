//! Bank statements matched to payments and invoices.
//!
//! Trazo's today is 2026-03-31. One payer, EPS Sanitas (NIT 800.251.440-6), seven invoices of
//! $1.000.000 issued 2026-02-01 and radicated 2026-02-05 (FE-1203 … FE-1209), and a payment of
//! $500.000 typed by hand with reference TRF-5. The March statement (camt.053) has:
//! 1. $2.000.000 from the payer's NIT naming FE-1203 and FE-1204 → applied to both;
//! 2. $1.000.000 with the NIT glued to its check digit and no invoice named: five invoices owe
//!    exactly that → pending, a person chooses FE-1206;
//! 3. $350.000,50 of the payer that matches nothing → unidentified money of the payer;
//! 4. $90.000 without any NIT → unidentified without payer, then discarded (interest);
//! 5. $500.000 with TRF-5 → the payment typed by hand (conciliated, no new money);
//! 6. a debit, left out.

use serde_json::{json, Value};
use trazo_tests::{eventos, hoja, id, Equipo, TestApp};

const NIT: &str = "800251440";

struct Ntry<'a> {
    valor: &'a str,
    tipo: &'a str,
    fecha: &'a str,
    referencia: &'a str,
    nit: &'a str,
    texto: &'a str,
}

fn camt(entradas: &[Ntry<'_>]) -> Vec<u8> {
    let mut s = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>T</MsgId></GrpHdr><Stmt><Id>S</Id><Acct><Id><Othr><Id>123</Id></Othr></Id></Acct>"#,
    );
    for n in entradas {
        let deudor = if n.nit.is_empty() {
            String::new()
        } else {
            format!(
                "<RltdPties><Dbtr><Nm>EPS SANITAS</Nm><Id><OrgId><Othr><Id>{}</Id></Othr></OrgId></Id></Dbtr></RltdPties>",
                n.nit
            )
        };
        s.push_str(&format!(
            r#"<Ntry><Amt Ccy="COP">{}</Amt><CdtDbtInd>{}</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>{}</Dt></BookgDt><AcctSvcrRef>{}</AcctSvcrRef><NtryDtls><TxDtls>{deudor}<RmtInf><Ustrd>{}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"#,
            n.valor, n.tipo, n.fecha, n.referencia, n.texto
        ));
    }
    s.push_str("</Stmt></BkToCstmrStmt></Document>");
    s.into_bytes()
}

fn marzo() -> Vec<u8> {
    camt(&[
        Ntry {
            valor: "2000000.00",
            tipo: "CRDT",
            fecha: "2026-03-10",
            referencia: "TRF-1",
            nit: "800251440-6",
            texto: "PAGO FE-1203 FE-1204",
        },
        Ntry {
            valor: "1000000.00",
            tipo: "CRDT",
            fecha: "2026-03-11",
            referencia: "TRF-2",
            nit: "",
            texto: "ABONO ACH NIT 8002514406",
        },
        Ntry {
            valor: "350000.50",
            tipo: "CRDT",
            fecha: "2026-03-12",
            referencia: "TRF-3",
            nit: NIT,
            texto: "ABONO",
        },
        Ntry {
            valor: "90000.00",
            tipo: "CRDT",
            fecha: "2026-03-12",
            referencia: "INT-1",
            nit: "",
            texto: "ABONO INTERESES",
        },
        Ntry {
            valor: "500000.00",
            tipo: "CRDT",
            fecha: "2026-03-14",
            referencia: "B-77",
            nit: "",
            texto: "TRANSFERENCIA TRF-5",
        },
        Ntry {
            valor: "12000.00",
            tipo: "DBIT",
            fecha: "2026-03-14",
            referencia: "COM",
            nit: "",
            texto: "COMISION",
        },
    ])
}

struct Escenario {
    app: TestApp,
    e: Equipo,
    f: Vec<String>,
    cuenta: String,
    pago_a_mano: String,
}

fn escenario() -> Escenario {
    let app = TestApp::spawn_el("2026-03-31");
    let e = app.equipo_con_pagador(NIT);
    let f: Vec<String> = (1203..=1209)
        .map(|n| {
            let x = id(&app.factura(&e, &format!("FE-{n}"), "2026-02-01"));
            app.radicar(&e, &x, &format!("R-{n}"), "2026-02-05");
            x
        })
        .collect();
    let pago_a_mano = id(&app
        .post(
            "/api/v1/pagos",
            &e.cartera,
            &json!({"pagador_id": e.pagador_id, "fecha": "2026-03-13", "valor": "500000.00", "referencia": "TRF-5", "medio": "transferencia"}),
        )
        .expect(201)
        .json());
    let cuenta = id(&app
        .post(
            "/api/v1/bancos/cuentas",
            &e.cartera,
            &json!({"banco": "Bancolombia", "numero": "123-456789-01", "nombre": "Recaudo EPS"}),
        )
        .expect(201)
        .json());
    Escenario {
        app,
        e,
        f,
        cuenta,
        pago_a_mano,
    }
}

impl Escenario {
    fn importar(&self, token: &str, archivo: &str, bytes: &[u8]) -> trazo_tests::Resp {
        self.app.request(
            "POST",
            &format!("/api/v1/bancos/cuentas/{}/extractos?archivo={archivo}", self.cuenta),
            Some(token),
            Some("application/xml"),
            Some(bytes),
        )
    }

    fn movimientos(&self, filtro: &str) -> Vec<Value> {
        let l = self
            .app
            .get(
                &format!("/api/v1/bancos/movimientos?cuenta_id={}{filtro}", self.cuenta),
                &self.e.finanzas,
            )
            .expect(200)
            .json();
        l["items"].as_array().unwrap().clone()
    }

    fn por_referencia(&self, referencia: &str) -> Value {
        self.movimientos("")
            .into_iter()
            .find(|m| m["referencia"] == referencia)
            .unwrap_or_else(|| panic!("no credit {referencia}"))
    }

    fn saldo(&self, factura: &str) -> String {
        let v = self
            .app
            .get(&format!("/api/v1/facturas/{factura}"), &self.e.cartera)
            .expect(200)
            .json();
        v["saldo"].as_str().unwrap().to_string()
    }
}

#[test]
fn a_statement_applies_what_is_certain_and_leaves_the_rest_explained() {
    let s = escenario();
    let r = s.importar(&s.e.cartera, "marzo.xml", &marzo()).expect(201).json();
    assert_eq!(
        (r["creditos"].as_i64(), r["nuevos"].as_i64(), r["debitos"].as_i64()),
        (Some(5), Some(5), Some(1))
    );
    assert_eq!(r["formato"], "camt053");
    assert_eq!(
        (r["desde"].as_str(), r["hasta"].as_str()),
        (Some("2026-03-10"), Some("2026-03-14"))
    );

    // 1. Named invoices whose balances sum the credit: applied, balances move, trazabilidad says so.
    let m = s.por_referencia("TRF-1");
    assert_eq!(
        (m["estado"].as_str(), m["regla"].as_str()),
        (Some("aplicado"), Some("facturas_nombradas"))
    );
    assert_eq!(
        m["explicacion"],
        "NIT 800.251.440 = EPS de prueba; referencia nombra FE-1203 y FE-1204, saldos suman $ 2.000.000,00"
    );
    assert_eq!(m["automatico"], true);
    assert_eq!((s.saldo(&s.f[0]), s.saldo(&s.f[1])), ("0.00".into(), "0.00".into()));
    let t = s
        .app
        .get(&format!("/api/v1/facturas/{}/trazabilidad", s.f[0]), &s.e.auditor)
        .expect(200)
        .json();
    let pago = eventos(&t)
        .iter()
        .find(|e| e["tipo"] == "pago_aplicado")
        .expect("a payment event");
    assert_eq!(pago["detalle"]["referencia"], "TRF-1", "{pago}");
    assert_eq!(pago["detalle"]["medio"], "transferencia");
    let p = s
        .app
        .get(
            &format!("/api/v1/pagos/{}", m["pago_id"].as_str().unwrap()),
            &s.e.cartera,
        )
        .expect(200)
        .json();
    assert_eq!(
        (p["valor"].as_str(), p["sin_aplicar"].as_str()),
        (Some("2000000.00"), Some("0.00"))
    );

    // 2. Several invoices owe exactly the credit: pending with each one a candidate.
    let m = s.por_referencia("TRF-2");
    assert_eq!(
        (m["estado"].as_str(), m["regla"].as_str()),
        (Some("pendiente"), Some("varios_candidatos"))
    );
    let cands = m["candidatos"].as_array().unwrap();
    assert_eq!(cands.len(), 5, "{m}");
    let elegido = cands
        .iter()
        .position(|c| c["lineas"][0]["numero"] == "FE-1206")
        .unwrap();
    // A reader may not decide; a person of cartera does.
    s.app
        .post(
            &format!("/api/v1/bancos/movimientos/{}/decision", m["id"].as_str().unwrap()),
            &s.e.finanzas,
            &json!({"accion": "elegir", "candidato": elegido}),
        )
        .problem(403);
    let d = s
        .app
        .post(
            &format!("/api/v1/bancos/movimientos/{}/decision", m["id"].as_str().unwrap()),
            &s.e.cartera,
            &json!({"accion": "elegir", "candidato": elegido}),
        )
        .expect(200)
        .json();
    assert_eq!(
        (d["estado"].as_str(), d["regla"].as_str(), d["automatico"].as_bool()),
        (Some("aplicado"), Some("decision_manual"), Some(false))
    );
    assert_eq!(s.saldo(&s.f[3]), "0.00");
    assert_eq!(s.saldo(&s.f[4]), "1000000.00");
    // Decided twice: 409.
    s.app
        .post(
            &format!("/api/v1/bancos/movimientos/{}/decision", m["id"].as_str().unwrap()),
            &s.e.cartera,
            &json!({"accion": "elegir", "candidato": 0}),
        )
        .problem(409);

    // 3. Of the payer, matching nothing: its payment without detail, unapplied.
    let m = s.por_referencia("TRF-3");
    assert_eq!(
        (m["estado"].as_str(), m["regla"].as_str()),
        (Some("sin_identificar"), Some("sin_coincidencia"))
    );
    assert_eq!(m["pagador_id"], s.e.pagador_id.as_str());
    let p = s
        .app
        .get(
            &format!("/api/v1/pagos/{}", m["pago_id"].as_str().unwrap()),
            &s.e.cartera,
        )
        .expect(200)
        .json();
    assert_eq!(p["sin_aplicar"], "350000.50");

    // 4. No payer: unidentified without payer; a person discards it with a reason.
    let m = s.por_referencia("INT-1");
    assert_eq!(
        (m["estado"].as_str(), m["regla"].as_str(), m["pagador_id"].is_null()),
        (Some("sin_identificar"), Some("sin_pagador"), true)
    );
    let url = format!("/api/v1/bancos/movimientos/{}/decision", m["id"].as_str().unwrap());
    s.app
        .post(&url, &s.e.cartera, &json!({"accion": "descartar", "motivo": "  "}))
        .problem(422);
    let d = s
        .app
        .post(
            &url,
            &s.e.cartera,
            &json!({"accion": "descartar", "motivo": "intereses del banco"}),
        )
        .expect(200)
        .json();
    assert_eq!(
        (d["estado"].as_str(), d["motivo"].as_str()),
        (Some("descartado"), Some("intereses del banco"))
    );

    // 5. The payment typed by hand: conciliated, no new money.
    let m = s.por_referencia("B-77");
    assert_eq!(
        (m["estado"].as_str(), m["regla"].as_str()),
        (Some("conciliado"), Some("pago_registrado"))
    );
    assert_eq!(m["pago_id"], s.pago_a_mano.as_str());
    let pagos = s
        .app
        .get(&format!("/api/v1/pagos?pagador_id={}", s.e.pagador_id), &s.e.cartera)
        .expect(200)
        .json();
    // By hand, rule 1 (applied), the pending one chosen, the unidentified: four payments.
    assert_eq!(pagos["total"], 4, "{pagos}");

    // The report: 5 credits; automatic = TRF-1 and B-77.
    let r = s
        .app
        .get(
            "/api/v1/bancos/reporte?desde=2026-03-01&hasta=2026-03-31",
            &s.e.finanzas,
        )
        .expect(200)
        .json();
    assert_eq!(r["total"]["creditos"], 5);
    assert_eq!(r["total"]["automaticos"], 2);
    assert_eq!(r["total"]["pct_automatico"], "40.00");
    // (2.000.000 + 500.000) / 3.940.000,50
    assert_eq!(r["total"]["pct_valor_automatico"], "63.45");
    assert_eq!(r["total"]["pendientes"], 0);
    assert_eq!(r["total"]["descartados"], 1);
    let del_pagador = r["por_pagador"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["pagador_id"] == s.e.pagador_id.as_str())
        .unwrap();
    assert_eq!(del_pagador["saldo_sin_identificar"], "350000.50", "{r}");
    assert_eq!(del_pagador["creditos"], 4);
    let libro = s.app.bytes("/api/v1/bancos/reporte?formato=xlsx", &s.e.auditor);
    let filas = hoja(&libro, "Por pagador");
    assert!(
        filas.iter().any(|f| f.iter().any(|c| c == "EPS de prueba")),
        "{filas:?}"
    );

    // Applying the unidentified money later (Pagos) lowers the unidentified balance.
    let m = s.por_referencia("TRF-3");
    s.app
        .post(
            &format!("/api/v1/pagos/{}/aplicaciones", m["pago_id"].as_str().unwrap()),
            &s.e.cartera,
            &json!({"aplicaciones": [{"factura_id": s.f[6], "valor": "350000.50"}]}),
        )
        .expect(201);
    let r = s.app.get("/api/v1/bancos/reporte", &s.e.finanzas).expect(200).json();
    assert_eq!(r["total"]["saldo_sin_identificar"], "0.00", "{r}");
}

#[test]
fn the_same_statement_twice_and_an_overlapping_one_add_nothing_twice() {
    let s = escenario();
    s.importar(&s.e.cartera, "marzo.xml", &marzo()).expect(201);
    let antes = s.movimientos("").len();
    let pagos_antes = s.app.get("/api/v1/pagos", &s.e.cartera).expect(200).json()["total"].clone();
    let r = s
        .importar(&s.e.cartera, "marzo-otra-vez.xml", &marzo())
        .expect(200)
        .json();
    assert_eq!(r["duplicado"], true);
    assert_eq!(s.movimientos("").len(), antes);
    // Next export repeats 12 and 14 March (with identical credits counted one by one) and adds one.
    let abril = camt(&[
        Ntry {
            valor: "350000.50",
            tipo: "CRDT",
            fecha: "2026-03-12",
            referencia: "TRF-3",
            nit: NIT,
            texto: "ABONO",
        },
        Ntry {
            valor: "90000.00",
            tipo: "CRDT",
            fecha: "2026-03-12",
            referencia: "INT-1",
            nit: "",
            texto: "ABONO INTERESES",
        },
        Ntry {
            valor: "500000.00",
            tipo: "CRDT",
            fecha: "2026-03-14",
            referencia: "B-77",
            nit: "",
            texto: "TRANSFERENCIA TRF-5",
        },
        Ntry {
            valor: "1000000.00",
            tipo: "CRDT",
            fecha: "2026-03-20",
            referencia: "TRF-9",
            nit: NIT,
            texto: "FE-1208",
        },
        Ntry {
            valor: "1000000.00",
            tipo: "CRDT",
            fecha: "2026-03-20",
            referencia: "TRF-9",
            nit: NIT,
            texto: "FE-1209",
        },
    ]);
    let r = s.importar(&s.e.cartera, "abril.xml", &abril).expect(201).json();
    assert_eq!(
        (r["creditos"].as_i64(), r["nuevos"].as_i64()),
        (Some(5), Some(2)),
        "{r}"
    );
    assert_eq!(s.movimientos("").len(), antes + 2);
    let pagos = s.app.get("/api/v1/pagos", &s.e.cartera).expect(200).json();
    assert_eq!(pagos["total"].as_i64().unwrap(), pagos_antes.as_i64().unwrap() + 2);
    assert_eq!((s.saldo(&s.f[5]), s.saldo(&s.f[6])), ("0.00".into(), "0.00".into()));
}

#[test]
fn a_bad_file_writes_nothing_and_says_where() {
    let s = escenario();
    let malo = camt(&[
        Ntry {
            valor: "2000000.00",
            tipo: "CRDT",
            fecha: "2026-03-10",
            referencia: "TRF-1",
            nit: NIT,
            texto: "FE-1203 FE-1204",
        },
        Ntry {
            valor: "10.005",
            tipo: "CRDT",
            fecha: "2026-03-11",
            referencia: "X",
            nit: "",
            texto: "",
        },
    ]);
    let p = s.importar(&s.e.cartera, "malo.xml", &malo).problem(422);
    let texto = p.to_string();
    assert!(
        texto.contains("/Document/BkToCstmrStmt/Stmt/Ntry[2]/Amt") && texto.contains("fracciones de centavo"),
        "{p}"
    );
    assert!(s.movimientos("").is_empty());
    assert_eq!(s.saldo(&s.f[0]), "1000000.00");
    // A sheet: its bank profile reads it; a wrong amount names row, cell and column.
    let csv = "FECHA;DESCRIPCIÓN;DCTO.;VALOR\n10/03/2026;ABONO NIT 800251440 FE-1205;T-1;1.000.000,00\n11/03/2026;ABONO;T-2;1000000.50\n";
    let url = format!(
        "/api/v1/bancos/cuentas/{}/extractos?perfil=bancolombia&archivo=b.csv",
        s.cuenta
    );
    let p = s
        .app
        .request("POST", &url, Some(&s.e.cartera), Some("text/csv"), Some(csv.as_bytes()))
        .problem(422);
    assert!(
        p.to_string().contains("fila 3") && p.to_string().contains("celda D3"),
        "{p}"
    );
    let bueno = "FECHA;DESCRIPCIÓN;DCTO.;VALOR\n10/03/2026;ABONO NIT 800251440 FE-1205;T-1;1.000.000,00\n11/03/2026;COMISION;C-1;-5.000,00\n";
    let r = s
        .app
        .request(
            "POST",
            &url,
            Some(&s.e.cartera),
            Some("text/csv"),
            Some(bueno.as_bytes()),
        )
        .expect(201)
        .json();
    assert_eq!(
        (r["formato"].as_str(), r["creditos"].as_i64(), r["debitos"].as_i64()),
        (Some("bancolombia"), Some(1), Some(1))
    );
    assert_eq!(s.saldo(&s.f[2]), "0.00");
    // A PDF, or a sheet without a profile, is refused with what was expected.
    let p = s.importar(&s.e.cartera, "x.pdf", b"%PDF-1.4 ...").problem(422);
    assert!(p.to_string().contains("camt.053"), "{p}");
    let p = s
        .app
        .request(
            "POST",
            &format!("/api/v1/bancos/cuentas/{}/extractos?perfil=banco-x", s.cuenta),
            Some(&s.e.cartera),
            Some("text/csv"),
            Some(b"a"),
        )
        .problem(422);
    assert!(p.to_string().contains("bancolombia"), "{p}");
}

#[test]
fn only_cartera_and_admin_act_readers_read_and_other_tenants_see_nothing() {
    let s = escenario();
    s.importar(&s.e.facturacion, "m.xml", &marzo()).problem(403);
    s.importar(&s.e.finanzas, "m.xml", &marzo()).problem(403);
    s.app
        .post(
            "/api/v1/bancos/cuentas",
            &s.e.auditor,
            &json!({"banco": "BBVA", "numero": "1"}),
        )
        .problem(403);
    let admin = s.e.tenant.admin.clone();
    s.importar(&admin, "m.xml", &marzo()).expect(201);
    for lector in [&s.e.finanzas, &s.e.auditor] {
        s.app.get("/api/v1/bancos/cuentas", lector).expect(200);
        s.app.get("/api/v1/bancos/reporte", lector).expect(200);
    }
    s.app.get("/api/v1/bancos/movimientos", &s.e.facturacion).problem(403);
    // The same account twice: 409.
    s.app
        .post(
            "/api/v1/bancos/cuentas",
            &s.e.cartera,
            &json!({"banco": "Bancolombia", "numero": "123-456789-01"}),
        )
        .problem(409);
    // The payer's own user never reaches these endpoints.
    let del_pagador = s.app.user_de_pagador(&s.e.tenant, &s.e.pagador_id);
    s.app.get("/api/v1/bancos/cuentas", &del_pagador).problem(403);

    // Another prestador: the account and the movements are not there.
    let otro = s.app.equipo();
    let m = s.movimientos("")[0]["id"].as_str().unwrap().to_string();
    s.app
        .get(&format!("/api/v1/bancos/cuentas/{}", s.cuenta), &otro.cartera)
        .problem(404);
    s.app
        .get(&format!("/api/v1/bancos/movimientos/{m}"), &otro.cartera)
        .problem(404);
    s.app
        .request(
            "POST",
            &format!("/api/v1/bancos/cuentas/{}/extractos", s.cuenta),
            Some(&otro.cartera),
            Some("application/xml"),
            Some(&marzo()),
        )
        .problem(404);
    s.app
        .post(
            &format!("/api/v1/bancos/movimientos/{m}/decision"),
            &otro.cartera,
            &json!({"accion": "descartar", "motivo": "x"}),
        )
        .problem(404);
    let l = s
        .app
        .get("/api/v1/bancos/movimientos", &otro.finanzas)
        .expect(200)
        .json();
    assert_eq!(l["total"], 0);
}

#[test]
fn an_upload_over_the_limit_is_refused_before_it_is_read() {
    let app = TestApp::con(|s| {
        s.reloj.fecha_fija = "2026-03-31".into();
        s.importaciones.max_bytes = 2048;
    });
    let e = app.equipo_con_pagador(NIT);
    let cuenta = id(&app
        .post(
            "/api/v1/bancos/cuentas",
            &e.cartera,
            &json!({"banco": "Davivienda", "numero": "0550-1"}),
        )
        .expect(201)
        .json());
    let grande = vec![b' '; 4096];
    app.request(
        "POST",
        &format!("/api/v1/bancos/cuentas/{cuenta}/extractos"),
        Some(&e.cartera),
        Some("application/xml"),
        Some(&grande),
    )
    .problem(413);
}

#[test]
fn an_unidentified_credit_assigned_to_a_payer_is_matched_again() {
    let s = escenario();
    let x = camt(&[Ntry {
        valor: "1000000.00",
        tipo: "CRDT",
        fecha: "2026-03-20",
        referencia: "TRF-X",
        nit: "",
        texto: "PAGO FE-1209",
    }]);
    s.importar(&s.e.cartera, "x.xml", &x).expect(201);
    let m = s.por_referencia("TRF-X");
    assert_eq!(m["regla"], "sin_pagador");
    let d = s
        .app
        .post(
            &format!("/api/v1/bancos/movimientos/{}/decision", m["id"].as_str().unwrap()),
            &s.e.cartera,
            &json!({"accion": "asignar_pagador", "pagador_id": s.e.pagador_id}),
        )
        .expect(200)
        .json();
    assert_eq!(
        (d["estado"].as_str(), d["regla"].as_str()),
        (Some("aplicado"), Some("facturas_nombradas")),
        "{d}"
    );
    assert!(
        d["explicacion"]
            .as_str()
            .unwrap()
            .starts_with("una persona lo asignó a EPS de prueba"),
        "{d}"
    );
    assert_eq!(s.saldo(&s.f[6]), "0.00");
}

/// A credit reads the balances the credits before it in the same statement left: the first
/// confirms the payer's announcement of $400.000 on FE-1205, and the second, of the $600.000
/// that invoice then owes and naming nothing, finds it as the only one owing exactly that.
#[test]
fn each_credit_of_a_statement_sees_what_the_ones_before_it_applied() {
    let s = escenario();
    let portal = s.app.user_de_pagador(&s.e.tenant, &s.e.pagador_id);
    s.app
        .post(
            "/api/v1/portal/anuncios",
            &portal,
            &json!({"fecha": "2026-03-18", "valor": "400000.00", "referencia": "ANU-7",
                "aplicaciones": [{"factura_id": s.f[2], "valor": "400000.00"}]}),
        )
        .expect(201);
    let x = camt(&[
        Ntry {
            valor: "400000.00",
            tipo: "CRDT",
            fecha: "2026-03-18",
            referencia: "TRF-A",
            nit: NIT,
            texto: "PAGO ANU-7",
        },
        Ntry {
            valor: "600000.00",
            tipo: "CRDT",
            fecha: "2026-03-19",
            referencia: "TRF-B",
            nit: NIT,
            texto: "ABONO",
        },
    ]);
    s.importar(&s.e.cartera, "seguidos.xml", &x).expect(201);
    assert_eq!(s.por_referencia("TRF-A")["regla"], "anuncio");
    let b = s.por_referencia("TRF-B");
    assert_eq!(
        (b["estado"].as_str(), b["regla"].as_str()),
        (Some("aplicado"), Some("saldo_unico")),
        "{b}"
    );
    assert_eq!(s.saldo(&s.f[2]), "0.00");
}
