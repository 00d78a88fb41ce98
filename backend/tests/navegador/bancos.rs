//! Bancos: cartera imports a camt.053 of the demo clinic's account from the screen; one credit
//! names an invoice and pays exactly its saldo (applied by the rules), one pays more than the
//! invoice it names (waits for a person, who applies it from its card), one has no NIT
//! (unidentified without payer). Both widths, with the summary and the movements on screen.

use fantoccini::Locator;
use serde_json::{json, Value};

use super::{api, demo, recorrido, token, CLAVE};

#[test]
fn cartera_imports_a_statement_and_decides_what_waits() {
    let d = demo();
    let base = d.base.clone();
    let cartera = token(&base, "cartera@demo.trazo");
    let (_, pags) = api(&base, "GET", "/pagadores?per_page=50", Some(&cartera), None);
    let pagador = pags["items"][0].clone();
    let (pid, nit) = (
        pagador["id"].as_str().unwrap().to_string(),
        pagador["nit"].as_str().unwrap().to_string(),
    );
    let (_, l) = api(
        &base,
        "GET",
        &format!("/facturas?pagador_id={pid}&estado=radicada&per_page=50"),
        Some(&cartera),
        None,
    );
    let abiertas: Vec<Value> = l["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            f["saldo"]
                .as_str()
                .is_some_and(|s| s.parse::<f64>().unwrap_or(0.0) > 1000.0)
        })
        .cloned()
        .collect();
    assert!(abiertas.len() >= 2, "the demo payer has open invoices");
    let (a, b) = (&abiertas[0], &abiertas[1]);
    let fecha = a["fecha_expedicion"].as_str().unwrap().to_string();
    let mas = |s: &str, extra: f64| format!("{:.2}", s.parse::<f64>().unwrap() + extra);
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt><Id>1</Id>
<Ntry><Amt Ccy="COP">{va}</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>{fecha}</Dt></BookgDt><AcctSvcrRef>ACH-1</AcctSvcrRef><NtryDtls><TxDtls><RltdPties><Dbtr><Nm>PAGADOR</Nm><Id><OrgId><Othr><Id>{nit}</Id></Othr></OrgId></Id></Dbtr></RltdPties><RmtInf><Ustrd>PAGO {na}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
<Ntry><Amt Ccy="COP">{vb}</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>{fecha}</Dt></BookgDt><AcctSvcrRef>ACH-2</AcctSvcrRef><NtryDtls><TxDtls><RltdPties><Dbtr><Id><OrgId><Othr><Id>{nit}</Id></Othr></OrgId></Id></Dbtr></RltdPties><RmtInf><Ustrd>ABONO {nb}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
<Ntry><Amt Ccy="COP">45000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>{fecha}</Dt></BookgDt><AcctSvcrRef>INT-9</AcctSvcrRef><AddtlNtryInf>ABONO INTERESES</AddtlNtryInf></Ntry>
<Ntry><Amt Ccy="COP">9000.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><BookgDt><Dt>{fecha}</Dt></BookgDt><AcctSvcrRef>COM</AcctSvcrRef></Ntry>
</Stmt></BkToCstmrStmt></Document>"#,
        va = mas(a["saldo"].as_str().unwrap(), 0.0),
        na = a["numero"].as_str().unwrap(),
        vb = mas(b["saldo"].as_str().unwrap(), 50_000.0),
        nb = b["numero"].as_str().unwrap(),
    );
    let dir = tempfile::tempdir().unwrap();
    let archivo = dir.path().join("extracto-marzo.xml");
    std::fs::write(&archivo, xml).unwrap();
    let (s, _) = api(
        &base,
        "POST",
        "/bancos/cuentas",
        Some(&cartera),
        Some(json!({"banco": "Bancolombia", "numero": "123-456789-01", "nombre": "Recaudo EPS"})),
    );
    assert_eq!(s, 201);

    let (bse, ruta) = (base.clone(), archivo.clone());
    let nb = b["numero"].as_str().unwrap().to_string();
    recorrido("bancos", 1280, move |n| {
        Box::pin(async move {
            n.ingresar(&bse, "cartera@demo.trazo", CLAVE).await;
            n.pulsar("nav a[href='/bancos']").await;
            assert_eq!(n.ruta().await, "/bancos");
            n.c.find(Locator::Css("#archivo"))
                .await
                .unwrap()
                .send_keys(ruta.to_str().unwrap())
                .await
                .unwrap();
            n.pulsar("form[action='/bancos/extractos'] button[type=submit]").await;
            let aviso = n.texto(".aviso").await;
            assert!(
                aviso.contains("3 abonos nuevos de 3") && aviso.contains("1 débitos"),
                "{aviso}"
            );
            assert!(
                aviso.contains("1 aplicados") && aviso.contains("1 pendientes"),
                "{aviso}"
            );
            let filas = n.texto("#movimientos").await;
            assert!(
                filas.contains("Facturas nombradas") && filas.contains("Sin pagador"),
                "{filas}"
            );
            n.captura("bancos-importado-1280").await;
            // The pending one: its candidate says what would stay unapplied; a person applies it.
            let p = n.texto("article.pendiente").await;
            assert!(p.contains(&nb) && p.contains("$ 50.000,00 sin aplicar"), "{p}");
            n.c.find(Locator::Css("article.pendiente input[type=radio]"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            n.pulsar("article.pendiente button.primario").await;
            let aviso = n.texto(".aviso").await;
            assert!(aviso.contains("Aplicado"), "{aviso}");
            assert!(n.c.find(Locator::Css("article.pendiente")).await.is_err());
            // The unidentified one is interest: discarded with the reason.
            n.escribir("input[id^='descartar-']", "intereses del banco").await;
            n.pulsar("#movimientos button.peligro").await;
            assert!(
                n.texto(".aviso").await.contains("Descartado"),
                "{}",
                n.texto(".aviso").await
            );
            assert!(
                n.texto("#por-pagador").await.contains("Sin pagador identificado"),
                "{}",
                n.texto("#por-pagador").await
            );
            n.captura("bancos-decidido-1280").await;
        })
    });
    let b2 = base.clone();
    recorrido("bancos-tableta", 800, move |n| {
        Box::pin(async move {
            n.ingresar(&b2, "finanzas@demo.trazo", CLAVE).await;
            n.ir(&format!("{b2}/bancos")).await;
            // Finanzas reads: no forms to import or decide.
            assert!(n
                .c
                .find(Locator::Css("form[action='/bancos/extractos']"))
                .await
                .is_err());
            assert!(n.texto("#movimientos").await.contains("Descartado"));
            n.captura("bancos-800").await;
        })
    });
    // The invoice named with its exact saldo is paid.
    let (_, fa) = api(
        &base,
        "GET",
        &format!("/facturas/{}", a["id"].as_str().unwrap()),
        Some(&cartera),
        None,
    );
    assert_eq!(fa["saldo"], "0.00");
}
