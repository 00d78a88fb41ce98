//! Pagos: finance registers a payment, applies it to the invoices its reference names (the
//! saldos the API reports drop by exactly what was applied), the invoice page shows the payment
//! and a saldo breakdown that adds up; an application beyond an invoice's saldo is refused with
//! the use case's words next to the field; billing gets no link and a refusal.

use std::collections::HashMap;
use std::str::FromStr;
use std::time::{Duration, Instant};

use fantoccini::Locator;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use trazo::web::formato::{leer_pesos, pesos};

use super::{api, demo, post_a_mano, recorrido, token, valor, Navegador, CLAVE};

fn dec(v: &Value) -> Decimal {
    Decimal::from_str(v.as_str().unwrap_or_else(|| panic!("not a decimal: {v}"))).unwrap()
}

/// `$ 1.234,50` or `-$ 1.234,50` as shown, as a number.
fn de_pesos(t: &str) -> Decimal {
    let t = t.trim();
    let (neg, t) = t.strip_prefix('-').map_or((false, t), |r| (true, r));
    let v = leer_pesos(t).unwrap_or_else(|| panic!("not pesos: {t}"));
    if neg {
        -v
    } else {
        v
    }
}

/// The amount as a clerk types it: `1.234.567,89`.
fn tecleado(v: Decimal) -> String {
    pesos(v).trim_start_matches("$ ").to_string()
}

fn saldo(base: &str, tok: &str, id: &str) -> Decimal {
    let (st, f) = api(base, "GET", &format!("/facturas/{id}"), Some(tok), None);
    assert_eq!(st, 200, "{f}");
    dec(&f["saldo"])
}

async fn marcada(n: &Navegador, css: &str) -> bool {
    n.c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .prop("checked")
        .await
        .unwrap()
        .is_some_and(|v| v == "true")
}

/// Clicks a button whose form asks to confirm, accepts, and waits for the next page.
async fn pulsar_y_confirmar(n: &Navegador, css: &str) {
    let antes = n.c.find(Locator::Css("body")).await.unwrap();
    n.c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .click()
        .await
        .unwrap();
    let hasta = Instant::now() + Duration::from_secs(10);
    while n.c.get_alert_text().await.is_err() {
        assert!(Instant::now() < hasta, "{css} asked nothing");
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    n.c.accept_alert().await.unwrap();
    while antes.tag_name().await.is_ok() {
        assert!(Instant::now() < hasta, "confirming {css} led nowhere in 10 s");
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
}

/// An open invoice: (id, number, issued, saldo).
type Abierta = (String, String, String, Decimal);

/// Two open invoices of one demo payer: (payer id, payer name, the invoices).
fn dos_abiertas(base: &str, tok: &str) -> (String, String, Vec<Abierta>) {
    let (_, l) = api(base, "GET", "/facturas?per_page=500", Some(tok), None);
    let mut por_pagador: HashMap<String, Vec<&Value>> = HashMap::new();
    for f in l["items"].as_array().unwrap() {
        let estado = f["estado"].as_str().unwrap();
        if dec(&f["saldo"]) > Decimal::from(10_000) && !["anulada", "castigada"].contains(&estado) {
            por_pagador
                .entry(f["pagador_id"].as_str().unwrap().to_string())
                .or_default()
                .push(f);
        }
    }
    let (pid, fs) = por_pagador
        .into_iter()
        .filter(|(_, v)| v.len() >= 2)
        .max_by_key(|(k, v)| (v.len(), k.clone()))
        .expect("a demo payer with two open invoices");
    let nombre = fs[0]["pagador"].as_str().unwrap().to_string();
    let dos = fs[..2]
        .iter()
        .map(|f| {
            let id = f["id"].as_str().unwrap().to_string();
            (
                id.clone(),
                f["numero"].as_str().unwrap().to_string(),
                f["fecha_expedicion"].as_str().unwrap().to_string(),
                saldo(base, tok, &id),
            )
        })
        .collect();
    (pid, nombre, dos)
}

#[test]
fn finance_registers_a_payment_applies_it_to_the_named_invoices_and_their_saldos_drop() {
    let d = demo();
    let base = d.base.clone();
    let fin = token(&base, "finanzas@demo.trazo");
    let (pagador_id, pagador, mut dos) = dos_abiertas(&base, &fin);
    // The suggestion's order: the named invoices by date of issue (then number).
    dos.sort_by(|a, b| (&a.2, &a.1).cmp(&(&b.2, &b.1)));
    let (a, b) = (dos[0].clone(), dos[1].clone());
    // The first is paid in full, the second in part: a partial payment.
    let parte_b = (b.3 / Decimal::from(2)).round();
    let total = a.3 + parte_b;
    let referencia = format!("TRF 77 facturas {} {}", a.1, b.1);
    recorrido("pagos", 1280, |n| {
        let (base, fin) = (base.clone(), fin.clone());
        Box::pin(async move {
            n.ingresar(&base, "finanzas@demo.trazo", CLAVE).await;
            let nav = n.texto("header nav").await;
            assert!(nav.contains("Pagos"), "{nav}");
            n.pulsar("header nav a[href='/pagos']").await;
            assert_eq!(n.texto("h1").await, "Pagos");
            n.pulsar("a[href='/pagos/nuevo']").await;
            n.c.find(Locator::Css(&format!("#pagador_id option[value='{pagador_id}']")))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            // An amount that is not one comes back with its error by the field, as typed.
            n.escribir("#valor", "doce mil").await;
            n.escribir("#referencia", &referencia).await;
            n.pulsar("form[action='/pagos'] button[type=submit]").await;
            let error = n.texto("#valor ~ .error-campo").await;
            assert!(error.contains("no es un valor en pesos"), "{error}");
            assert_eq!(valor(n, "#referencia").await, referencia);
            n.escribir("#valor", &tecleado(total)).await;
            n.pulsar("form[action='/pagos'] button[type=submit]").await;
            let aviso = n.texto(".aviso").await;
            assert!(
                aviso.contains(&format!("Pago de {} de {pagador} registrado", pesos(total))),
                "{aviso}"
            );
            let ruta = n.ruta().await;
            let pago_id = ruta.strip_prefix("/pagos/").expect(&ruta).to_string();
            assert_eq!(n.texto("#por-aplicar").await, pesos(total));

            // Both named invoices come first, ticked, with min(saldo, what is left).
            let filas = n.c.find_all(Locator::Css(".tabla-aplicar tbody tr")).await.unwrap();
            let mut primeras = Vec::new();
            for f in filas.iter().take(2) {
                primeras.push(
                    f.find(Locator::Css("input[type=checkbox]"))
                        .await
                        .unwrap()
                        .prop("value")
                        .await
                        .unwrap()
                        .unwrap(),
                );
            }
            assert_eq!(primeras, vec![a.0.clone(), b.0.clone()]);
            for (id, esperado) in [(&a.0, a.3), (&b.0, parte_b)] {
                assert!(marcada(n, &format!("#f-{id}")).await, "{id} ticked");
                assert_eq!(leer_pesos(&valor(n, &format!("#v-{id}")).await), Some(esperado));
            }
            let texto = n.texto(".tabla-aplicar tbody tr:first-child").await;
            assert!(texto.contains("Nombrada en la referencia"), "{texto}");
            n.captura("pago-aplicar-1280").await;

            // Beyond the first invoice's saldo: refused with the use case's words by the field,
            // and nothing applied.
            n.escribir(&format!("#v-{}", a.0), &tecleado(a.3 + Decimal::from(1_000)))
                .await;
            pulsar_y_confirmar(n, "form.aplicar .acciones button[type=submit]").await;
            let error = n.texto(&format!("#e-{}", a.0)).await;
            assert!(
                error.contains(&format!("supera el saldo de la factura {}", a.1)),
                "{error}"
            );
            assert_eq!(saldo(&base, &fin, &a.0), a.3);
            assert_eq!(
                leer_pesos(&valor(n, &format!("#v-{}", a.0)).await),
                Some(a.3 + Decimal::from(1_000))
            );

            n.escribir(&format!("#v-{}", a.0), &tecleado(a.3)).await;
            pulsar_y_confirmar(n, "form.aplicar .acciones button[type=submit]").await;
            let aviso = n.texto(".aviso").await;
            assert!(
                aviso.contains(&format!("{} aplicados a 2 facturas", pesos(total))),
                "{aviso}"
            );
            assert_eq!(n.texto("#por-aplicar").await, pesos(Decimal::ZERO));
            // The API's saldos dropped by exactly what was applied.
            assert_eq!(saldo(&base, &fin, &a.0), Decimal::ZERO);
            assert_eq!(saldo(&base, &fin, &b.0), b.3 - parte_b);
            let (_, p) = api(&base, "GET", &format!("/pagos/{pago_id}"), Some(&fin), None);
            assert_eq!(dec(&p["sin_aplicar"]), Decimal::ZERO, "{p}");

            // The invoice shows the payment, and its saldo's lines add up to the API's saldo.
            n.pulsar(&format!(".tabla a[href='/facturas/{}']", b.0)).await;
            let pagos = n.texto("section[aria-labelledby=pagos-titulo]").await;
            assert!(pagos.contains(&pesos(parte_b)), "{pagos}");
            assert!(pagos.contains("TRF 77"), "{pagos}");
            n.captura("factura-saldo-1280").await;
            for id in [&b.0, &a.0] {
                n.ir(&format!("{base}/facturas/{id}")).await;
                let mut suma = Decimal::ZERO;
                for dd in n.c.find_all(Locator::Css("dl.desglose dd[data-signo]")).await.unwrap() {
                    let signo = dd.attr("data-signo").await.unwrap().unwrap_or_default();
                    let t = dd.text().await.unwrap();
                    let v = de_pesos(t.trim_start_matches("menos ").trim_start_matches("más "));
                    suma += if signo == "−" { -v } else { v };
                }
                let mostrado = de_pesos(&n.texto("#saldo").await);
                assert_eq!(suma, mostrado, "{id}");
                assert_eq!(mostrado, saldo(&base, &fin, id), "{id}");
            }

            // The list: the payment, its payer and nothing left to apply; the workbook too.
            n.ir(&format!("{base}/pagos?pagador_id={pagador_id}")).await;
            let lista = n.texto(".tabla-pagos").await;
            assert!(lista.contains(&pagador) && lista.contains(&pesos(total)), "{lista}");
            n.captura("pagos-1280").await;
            n.ir(&format!("{base}/pagos?sin_aplicar=1&pagador_id={pagador_id}"))
                .await;
            let cuerpo = n.texto("main").await;
            assert!(!cuerpo.contains("TRF 77"), "{cuerpo}");
            let cookie = n.cookie().await;
            let r = ureq::get(&format!("{base}/pagos.xlsx?pagador_id={pagador_id}"))
                .set("Cookie", &format!("trazo_sesion={cookie}"))
                .call()
                .unwrap();
            assert_eq!(
                r.content_type(),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            );
        })
    });
    // Every demo invoice: the breakdown's lines add up to the saldo the API reports.
    let (_, l) = api(&d.base, "GET", "/facturas?per_page=60", Some(&fin), None);
    let base = d.base.clone();
    let ids: Vec<String> = l["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect();
    recorrido("pagos-tableta", 800, |n| {
        Box::pin(async move {
            n.ingresar(&base, "cartera@demo.trazo", CLAVE).await;
            n.ir(&format!("{base}/pagos")).await;
            assert_eq!(n.texto("h1").await, "Pagos");
            n.captura("pagos-800").await;
            let fin = token(&base, "finanzas@demo.trazo");
            for id in ids.iter().take(25) {
                n.ir(&format!("{base}/facturas/{id}")).await;
                let mut suma = Decimal::ZERO;
                for dd in n.c.find_all(Locator::Css("dl.desglose dd[data-signo]")).await.unwrap() {
                    let signo = dd.attr("data-signo").await.unwrap().unwrap_or_default();
                    let t = dd.text().await.unwrap();
                    let v = de_pesos(t.trim_start_matches("menos ").trim_start_matches("más "));
                    suma += if signo == "−" { -v } else { v };
                }
                assert_eq!(suma, saldo(&base, &fin, id), "{id}");
            }
        })
    });
}

#[test]
fn billing_gets_no_pagos_link_and_a_refusal() {
    let d = demo();
    let base = d.base.clone();
    let fin = token(&base, "finanzas@demo.trazo");
    let (pagador_id, _, dos) = dos_abiertas(&base, &fin);
    let (st, p) = api(
        &base,
        "POST",
        "/pagos",
        Some(&fin),
        Some(json!({"pagador_id": pagador_id, "fecha": "2026-11-02", "valor": "1000.00"})),
    );
    assert_eq!(st, 201, "{p}");
    let pago_id = p["id"].as_str().unwrap().to_string();
    let factura = dos[0].0.clone();
    let antes = dos[0].3;
    recorrido("pagos-rechazos", 1280, |n| {
        let base = base.clone();
        Box::pin(async move {
            n.ingresar(&base, "facturacion@demo.trazo", CLAVE).await;
            let nav = n.texto("header nav").await;
            assert!(!nav.contains("Pagos"), "{nav}");
            n.ir(&format!("{base}/pagos/nuevo")).await;
            assert_eq!(n.texto("h1").await, "Sin permiso");
            let cookie = n.cookie().await;
            let csrf =
                n.c.find(Locator::Css("form[action='/salir'] input[name=csrf]"))
                    .await
                    .unwrap()
                    .prop("value")
                    .await
                    .unwrap()
                    .unwrap();
            let cuerpo =
                format!("csrf={csrf}&pagador_id={pagador_id}&fecha=2026-11-02&valor=5.000&medio=transferencia");
            assert_eq!(post_a_mano(&base, "/pagos", &cookie, &cuerpo, &[]), 403);
            let cuerpo = format!("csrf={csrf}&factura={factura}&valor_{factura}=1.000");
            assert_eq!(
                post_a_mano(&base, &format!("/pagos/{pago_id}/aplicaciones"), &cookie, &cuerpo, &[]),
                403
            );
        })
    });
    assert_eq!(saldo(&d.base, &fin, &dos[0].0), antes);
    // Nothing registered by her: the only payment of $ 5.000 would be hers.
    let (_, l) = api(&d.base, "GET", "/pagos?per_page=500", Some(&fin), None);
    assert!(
        l["items"].as_array().unwrap().iter().all(|p| p["valor"] != "5000.00"),
        "{l}"
    );
}
