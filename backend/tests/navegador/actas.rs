//! Acta de conciliación de cartera (Circular Conjunta 030/2013): from a reconciliation the
//! cartera analyst opens "Registrar acta", finds each invoice that differs with the outcome its
//! cause suggests, says what was agreed, who attended and what the payer committed to; a
//! missing participant is named and nothing is kept; recorded, the acta's page shows the
//! commitments, and its printable page has the parties, the table and the signature blocks.

use std::collections::HashMap;
use std::str::FromStr;

use fantoccini::Locator;
use rust_decimal::Decimal;
use serde_json::{json, Value};

use super::{api, demo, recorrido, token, valor, Navegador, CLAVE};

fn dec(v: &Value) -> Decimal {
    Decimal::from_str(v.as_str().unwrap()).unwrap()
}

/// A demo payer with at least two radicated invoices with a balance, and those invoices'
/// numbers and balances.
fn pagador_con_deuda(base: &str, tok: &str) -> (String, Vec<(String, Decimal)>) {
    let (st, l) = api(
        base,
        "GET",
        "/reportes/cartera?por=factura&per_page=500",
        Some(tok),
        None,
    );
    assert_eq!(st, 200, "{l}");
    let mut por_pagador: HashMap<String, Vec<(String, Decimal)>> = HashMap::new();
    for f in l["items"].as_array().unwrap() {
        if f["fecha_radicacion"].is_string() && dec(&f["saldo"]) > Decimal::from(200_000) {
            por_pagador
                .entry(f["pagador_id"].as_str().unwrap().to_string())
                .or_default()
                .push((f["numero"].as_str().unwrap().to_string(), dec(&f["saldo"])));
        }
    }
    por_pagador
        .into_iter()
        .filter(|(_, v)| v.len() >= 3)
        .max_by_key(|(k, v)| (v.len(), k.clone()))
        .expect("a demo payer with three radicated invoices with a balance")
}

/// The payer's statement as CSV, received through the API: it recognises $ 100.000 less of the
/// first invoice, and does not list the second.
fn recibir_estado(base: &str, tok: &str, pid: &str, hoy: &str, facturas: &[(String, Decimal)]) -> String {
    // As the payer writes amounts: 1.234.567,89.
    let escrito = |v: Decimal| {
        let centavos = i64::try_from((v * Decimal::ONE_HUNDRED).trunc().mantissa()).unwrap();
        trazo::domain::money::pesos_colombianos(centavos)
            .trim_start_matches("$ ")
            .to_string()
    };
    let mut csv = String::from("numero_factura;saldo\n");
    csv.push_str(&format!(
        "{};{}\n",
        facturas[0].0,
        escrito(facturas[0].1 - Decimal::from(100_000))
    ));
    for (numero, saldo) in &facturas[2..] {
        csv.push_str(&format!("{numero};{}\n", escrito(*saldo)));
    }
    let r = ureq::post(&format!(
        "{base}/api/v1/pagadores/{pid}/estados-cuenta?corte={hoy}&archivo=estado-acta.csv"
    ))
    .set("Authorization", &format!("Bearer {tok}"))
    .set("Content-Type", "text/csv")
    .send_bytes(csv.as_bytes())
    .unwrap();
    let v: Value = r.into_json().unwrap();
    v["id"].as_str().unwrap().to_string()
}

async fn fijar(n: &Navegador, css: &str, v: &str) {
    n.c.execute(
        "document.querySelector(arguments[0]).value = arguments[1];",
        vec![json!(css), json!(v)],
    )
    .await
    .unwrap();
}

#[test]
fn the_cartera_analyst_records_an_acta_from_a_reconciliation_and_prints_it() {
    let d = demo();
    let base = d.base.clone();
    let car = token(&base, "cartera@demo.trazo");
    let (pid, facturas) = pagador_con_deuda(&base, &car);
    let (_, hoy) = api(&base, "GET", "/cobro/trabajo", Some(&car), None);
    let hoy = hoy["hoy"].as_str().unwrap().to_string();
    let eid = recibir_estado(&base, &car, &pid, &hoy, &facturas);
    let primera = facturas[0].0.clone();
    let segunda = facturas[1].0.clone();
    for ancho in [1280, 800] {
        let (base, pid, eid, hoy) = (base.clone(), pid.clone(), eid.clone(), hoy.clone());
        let (primera, segunda, car) = (primera.clone(), segunda.clone(), car.clone());
        recorrido(&format!("acta-{ancho}"), ancho, move |n| {
            Box::pin(async move {
                n.ingresar(&base, "cartera@demo.trazo", CLAVE).await;
                n.ir(&format!("{base}/pagadores/{pid}/estados-cuenta/{eid}")).await;
                n.pulsar("#registrar-acta").await;
                assert_eq!(n.ruta().await, format!("/pagadores/{pid}/estados-cuenta/{eid}/acta"));
                // Each invoice that differs, with the outcome its cause suggests.
                let fila = |numero: &str| format!("#filas-acta tr[data-numero='{numero}']");
                let sel = |numero: &str| format!("{} select", fila(numero));
                // Not in the payer's statement (unknown to it, or returned): to radicate again.
                let t = n.texto(&fila(&segunda)).await;
                assert!(t.contains("sugerido: Radicar de nuevo"), "{t}");
                assert_eq!(valor(n, &sel(&segunda)).await, "", "nothing is included unless chosen");
                fijar(n, &sel(&segunda), "radicar_de_nuevo").await;
                let numero = format!("AC-NAV-{ancho}");
                n.escribir("#numero", &numero).await;
                n.escribir("#lugar", "Sala de juntas, sede administrativa").await;
                // The payer pays the $ 100.000 it did not recognise; the other is radicated again.
                fijar(n, &sel(&primera), "pagar").await;
                n.escribir(&format!("{} input[name$=_valor]", fila(&primera)), "100.000")
                    .await;
                fijar(n, &format!("{} input[name$=_fecha]", fila(&primera)), &hoy).await;
                fijar(n, &format!("{} input[name$=_fecha]", fila(&segunda)), &hoy).await;
                n.escribir("input[name=p0_nombre]", "Ana Gómez").await;
                n.escribir("input[name=p0_cargo]", "Coordinadora de cartera").await;
                n.escribir("input[name=c0_descripcion]", "Enviar los soportes de pago de mayo")
                    .await;
                fijar(n, "input[name=c0_vence]", &hoy).await;
                n.captura(&format!("acta-formulario-{ancho}")).await;
                // Nobody of the payer: refused beside the participants, nothing kept.
                n.pulsar("#form-acta button[type=submit]").await;
                let e = n.texto(".error-form").await;
                assert!(e.contains("No se registró"), "{e}");
                assert!(n
                    .texto("#form-acta")
                    .await
                    .contains("al menos una persona por el pagador"));
                assert_eq!(valor(n, "#numero").await, numero);
                let (_, l) = api(&base, "GET", &format!("/actas?pagador_id={pid}"), Some(&car), None);
                assert!(!l["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|a| a["numero"] == numero.as_str()));
                n.escribir("input[name=p3_nombre]", "Luis Pérez").await;
                n.escribir("input[name=p3_cargo]", "Analista de cuentas médicas").await;
                n.pulsar("#form-acta button[type=submit]").await;
                let aviso = n.texto(".aviso").await;
                assert!(aviso.contains(&format!("Acta {numero} registrada")), "{aviso}");
                assert!(aviso.contains(&format!("ACTA-{numero}")), "{aviso}");
                let ruta = n.ruta().await;
                let id = ruta.strip_prefix("/actas/").expect(&ruta).to_string();
                let (st, a) = api(&base, "GET", &format!("/actas/{id}"), Some(&car), None);
                assert_eq!(st, 200, "{a}");
                // The commitments: the IPS's to radicate again and the payer's.
                let c = n.texto("#compromisos").await;
                assert!(c.contains(&format!("Radicar de nuevo la factura {segunda}")), "{c}");
                assert!(c.contains("Enviar los soportes de pago de mayo"), "{c}");
                n.captura(&format!("acta-{ancho}")).await;
                // The printable page, with the Circular's layout.
                n.ir(&format!("{base}/actas/{id}/imprimir")).await;
                let p = n.texto(".acta-impresa").await;
                assert!(p.contains("ACTA DE CONCILIACIÓN DE CARTERA"), "{p}");
                assert!(p.contains(a["pagador_nit"].as_str().unwrap()), "{p}");
                assert!(p.contains(a["prestador_nit"].as_str().unwrap()), "{p}");
                assert!(p.contains("Ana Gómez") && p.contains("Luis Pérez"), "{p}");
                let firmas = n.c.find_all(Locator::Css(".firma .linea-firma")).await.unwrap();
                assert_eq!(firmas.len(), 2);
                n.captura(&format!("acta-imprimir-{ancho}")).await;
            })
        });
    }
}
