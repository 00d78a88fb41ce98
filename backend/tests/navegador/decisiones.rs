//! Decisiones y correcciones: cartera answers a glosa reached from Mi bandeja (the page after
//! offers the next one, in the bandeja's order), records the payer's partial lifting (an
//! impossible value comes back beside its field), sees the saldo, what is in discussion and the
//! timeline move as the API says, then voids the decision with a reason and sees it reversed;
//! finance voids one application of a payment and the invoice owes it again.

use std::str::FromStr;
use std::time::{Duration, Instant};

use fantoccini::Locator;
use rust_decimal::Decimal;
use serde_json::Value;
use trazo::web::formato::{leer_pesos, pesos};

use super::{api, demo, recorrido, token, valor, Navegador, CLAVE};

fn dec(v: &Value) -> Decimal {
    Decimal::from_str(v.as_str().unwrap_or_else(|| panic!("not a decimal: {v}"))).unwrap()
}

fn tecleado(v: Decimal) -> String {
    pesos(v).trim_start_matches("$ ").to_string()
}

/// (saldo, en discusión) of an invoice, as the API reports them.
fn cuentas(base: &str, tok: &str, id: &str) -> (Decimal, Decimal) {
    let (st, f) = api(base, "GET", &format!("/facturas/{id}"), Some(tok), None);
    assert_eq!(st, 200, "{f}");
    (dec(&f["saldo"]), dec(&f["en_discusion"]))
}

/// (saldo, en discusión) as the invoice's page shows them.
async fn en_pagina(n: &Navegador) -> (Decimal, Decimal) {
    let v = |t: String| leer_pesos(&t).unwrap_or_else(|| panic!("not pesos: {t}"));
    (v(n.texto("#saldo").await), v(n.texto("#en-discusion").await))
}

/// The glosas to answer in Mi bandeja's order, as the API's alerts give them: those in time by
/// due date, then the extemporáneas (answered RE9502) already past.
fn por_responder(base: &str, tok: &str) -> Vec<String> {
    let (st, a) = api(base, "GET", "/alertas?dias=60&per_page=500", Some(tok), None);
    assert_eq!(st, 200, "{a}");
    let items = a["items"].as_array().unwrap();
    let es = |x: &&Value, tipos: &[&str]| tipos.contains(&x["tipo"].as_str().unwrap());
    let mut v: Vec<String> = items
        .iter()
        .filter(|x| es(x, &["glosa_por_responder", "glosa_extemporanea"]) && x["vencida"] == false)
        .map(|x| x["glosa_id"].as_str().unwrap().to_string())
        .collect();
    v.extend(
        items
            .iter()
            .filter(|x| es(x, &["glosa_extemporanea"]) && x["vencida"] == true)
            .map(|x| x["glosa_id"].as_str().unwrap().to_string()),
    );
    v
}

/// Clicks what submits a form that asks to confirm, accepts, and waits for the next page.
async fn confirmar(n: &Navegador, css: &str) {
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

async fn abrir(n: &Navegador, summary: &str) {
    n.c.find(Locator::Css(summary)).await.unwrap().click().await.unwrap();
}

#[test]
fn cartera_decides_and_voids_a_glosas_decision_and_finance_voids_an_application() {
    let d = demo();
    let base = d.base.clone();
    let car = token(&base, "cartera@demo.trazo");
    let fin = token(&base, "finanzas@demo.trazo");
    // A glosa in time that Mi bandeja lists (the next 10 días hábiles), on an invoice whose
    // only glosa it is, so what is in discussion is this glosa's.
    let (_, a) = api(
        &base,
        "GET",
        "/alertas?dias=10&tipo=glosa_por_responder&vencidas=false",
        Some(&car),
        None,
    );
    let alerta = a["items"][0].clone();
    let gid = alerta["glosa_id"]
        .as_str()
        .expect("a glosa to answer in the demo")
        .to_string();
    let fid = alerta["factura_id"].as_str().unwrap().to_string();
    let (_, g) = api(&base, "GET", &format!("/glosas/{gid}"), Some(&car), None);
    let v = dec(&g["valor"]);
    let aceptado = (v / Decimal::from(4)).round();
    let sustentado = v - aceptado;
    let levantado = (sustentado / Decimal::from(2)).round();
    let (saldo0, disc0) = cuentas(&base, &car, &fid);
    // A payment with an application to an invoice that is not written off.
    let (_, l) = api(&base, "GET", "/pagos?per_page=200", Some(&fin), None);
    let (pago, apl) = l["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| dec(&p["aplicado"]) > Decimal::ZERO)
        .find_map(|p| {
            let (_, p) = api(
                &base,
                "GET",
                &format!("/pagos/{}", p["id"].as_str().unwrap()),
                Some(&fin),
                None,
            );
            let a = p["aplicaciones"].as_array()?.iter().find(|a| {
                let (_, f) = api(
                    &base,
                    "GET",
                    &format!("/facturas/{}", a["factura_id"].as_str().unwrap()),
                    Some(&fin),
                    None,
                );
                f["estado"] != "castigada"
            })?;
            Some((p.clone(), a.clone()))
        })
        .expect("a demo payment applied to an invoice");
    let (pago_id, apl_id) = (
        pago["id"].as_str().unwrap().to_string(),
        apl["id"].as_str().unwrap().to_string(),
    );
    let apl_factura = apl["factura_id"].as_str().unwrap().to_string();
    let apl_valor = dec(&apl["valor"]);
    let saldo_apl = cuentas(&base, &fin, &apl_factura).0;
    let sin_aplicar = dec(&pago["sin_aplicar"]);
    let motivo = "El pagador envió la decisión de otra glosa de la misma factura";

    recorrido("decisiones", 1280, |n| {
        let (base, car, fin) = (base.clone(), car.clone(), fin.clone());
        Box::pin(async move {
            // From Mi bandeja to the answer.
            n.ingresar(&base, "cartera@demo.trazo", CLAVE).await;
            n.ir(&format!("{base}/bandeja")).await;
            // The cartera work list fills in after the deadlines (htmx from /bandeja/trabajo).
            let trabajo =
                n.c.wait()
                    .at_most(Duration::from_secs(10))
                    .for_element(Locator::Css("section#trabajo:not([aria-busy])"))
                    .await
                    .expect("the payers to call never loaded");
            let texto = trabajo.text().await.unwrap();
            assert!(
                texto.contains("Pagadores por llamar") || texto.contains("Ninguna cuota"),
                "{texto}"
            );
            n.c.execute("document.getElementById('trabajo').scrollIntoView()", vec![])
                .await
                .unwrap();
            n.captura("bandeja-cartera").await;
            n.ir(&format!("{base}/bandeja")).await;
            n.pulsar(&format!("a[href='/glosas/{gid}/responder?desde=bandeja']"))
                .await;
            n.c.find(Locator::Css("#codigo option[value='RE9801']"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            n.escribir("#valor_aceptado", &tecleado(aceptado)).await;
            n.escribir("#valor_sustentado", &tecleado(sustentado)).await;
            n.escribir("#justificacion", "Se acepta la consulta; el resto tiene soporte")
                .await;
            n.pulsar("form[action$='/respuesta'] button[type=submit]").await;
            let aviso = n.texto(".aviso").await;
            assert!(aviso.contains("respondida"), "{aviso}");
            // The next glosa to answer, in the bandeja's order, or none left.
            let siguiente = n.texto("#siguiente").await;
            match por_responder(&base, &car).first() {
                Some(s) => {
                    assert_ne!(s, &gid);
                    n.c.find(Locator::Css(&format!(
                        "#siguiente a[href='/glosas/{s}/responder?desde=bandeja']"
                    )))
                    .await
                    .unwrap_or_else(|e| panic!("no link to {s} in «{siguiente}»: {e}"));
                }
                None => assert!(siguiente.contains("No quedan glosas"), "{siguiente}"),
            }
            // What was accepted left the saldo; the rest is in discussion.
            let (saldo1, disc1) = cuentas(&base, &car, &fid);
            assert_eq!((saldo1, disc1), (saldo0 - aceptado, disc0 - aceptado));
            assert_eq!(en_pagina(n).await, (saldo1, disc1));

            // The payer's decision: lifting all that was sustained is not "partial".
            n.pulsar(&format!("#glosa-{gid} a[href='/glosas/{gid}/decidir']")).await;
            let plazo = n.texto(".tarjeta").await;
            assert!(plazo.contains("Decisión del pagador a más tardar"), "{plazo}");
            assert!(plazo.contains("Ley 1438"), "{plazo}");
            n.c.find(Locator::Css("input[name=resultado][value=parcial]"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            n.escribir("#valor_levantado", &tecleado(sustentado)).await;
            n.pulsar("form[action$='/decision'] button[type=submit]").await;
            let error = n.texto("#valor_levantado ~ .error-campo").await;
            assert!(
                error.contains("parcial: el valor levantado debe estar entre 0 y"),
                "{error}"
            );
            assert_eq!(leer_pesos(&valor(n, "#valor_levantado").await), Some(sustentado));
            n.captura("glosa-decision-1280").await;
            n.escribir("#valor_levantado", &tecleado(levantado)).await;
            n.pulsar("form[action$='/decision'] button[type=submit]").await;
            let aviso = n.texto(".aviso").await;
            assert!(
                aviso.contains(&format!("levantado {}", pesos(levantado))) && aviso.contains("a más tardar"),
                "{aviso}"
            );
            let (_, g) = api(&base, "GET", &format!("/glosas/{gid}"), Some(&car), None);
            assert_eq!(
                (g["estado"].as_str(), dec(&g["valor_levantado"])),
                (Some("ratificada"), levantado)
            );
            // Lifted is still owed (the payer pays it); only the ratified rest is disputed.
            let (saldo2, disc2) = cuentas(&base, &car, &fid);
            assert_eq!((saldo2, disc2), (saldo1, disc1 - levantado));
            assert_eq!(en_pagina(n).await, (saldo2, disc2));
            let fila = n.texto(&format!("#glosa-{gid}")).await;
            assert!(
                fila.contains("Ratificada") && fila.contains("Subsanar a más tardar"),
                "{fila}"
            );
            let linea = n.texto(".linea-tiempo").await;
            assert!(linea.contains("Glosa decidida"), "{linea}");
            n.captura("factura-glosa-decidida-1280").await;

            // Voiding it: a reason of blanks comes back beside its field; with one, confirmed.
            abrir(n, &format!("#glosa-{gid} details.corregir summary")).await;
            n.pulsar(&format!("a[href='/glosas/{gid}/decisiones/anulacion']")).await;
            n.escribir("#motivo", "   ").await;
            confirmar(n, "form button.peligro").await;
            let error = n.texto("#motivo ~ .error-campo").await;
            assert!(error.contains("se espera el motivo"), "{error}");
            n.captura("anulacion-1280").await;
            n.c.set_window_size(800, 1000).await.unwrap();
            n.captura("anulacion-800").await;
            n.c.set_window_size(1280, 1000).await.unwrap();
            n.escribir("#motivo", motivo).await;
            confirmar(n, "form button.peligro").await;
            let aviso = n.texto(".aviso").await;
            assert!(aviso.contains("anulada"), "{aviso}");
            let (_, g) = api(&base, "GET", &format!("/glosas/{gid}"), Some(&car), None);
            assert_eq!(g["estado"], "respondida");
            assert_eq!(cuentas(&base, &car, &fid), (saldo1, disc1));
            assert_eq!(en_pagina(n).await, (saldo1, disc1));
            // The timeline keeps the decision, marked voided with the reason, and its reversal.
            let linea = n.texto(".linea-tiempo").await;
            assert!(linea.contains("Decisión del pagador anulada"), "{linea}");
            let (_, t) = api(&base, "GET", &format!("/facturas/{fid}/trazabilidad"), Some(&car), None);
            let decidida = t["eventos"]
                .as_array()
                .unwrap()
                .iter()
                .find(|e| e["tipo"] == "glosa_decidida")
                .unwrap();
            assert_eq!(decidida["anulado"]["motivo"], motivo);
            assert!(linea.contains(motivo), "{linea}");
            let fila = n.texto(&format!("#glosa-{gid}")).await;
            assert!(fila.contains("Decisión del pagador a más tardar"), "{fila}");
            n.c.execute("document.getElementById('glosas').scrollIntoView()", vec![])
                .await
                .unwrap();
            n.captura("factura-decision-anulada-1280").await;
            n.c.set_window_size(800, 1000).await.unwrap();
            n.c.execute("document.getElementById('glosas').scrollIntoView()", vec![])
                .await
                .unwrap();
            n.captura("factura-glosas-800").await;
            n.c.set_window_size(1280, 1000).await.unwrap();

            // Finance voids one application: the invoice owes it again, the payment has it back.
            n.pulsar("form[action='/salir'] button[type=submit]").await;
            n.ingresar(&base, "finanzas@demo.trazo", CLAVE).await;
            n.ir(&format!("{base}/pagos/{pago_id}")).await;
            n.pulsar(&format!("a[href='/pagos/{pago_id}/aplicaciones/{apl_id}/anulacion']"))
                .await;
            n.escribir("#motivo", "Aplicada a la factura equivocada").await;
            confirmar(n, "form button.peligro").await;
            let aviso = n.texto(".aviso").await;
            assert!(
                aviso.contains("anulada") && aviso.contains(&pesos(apl_valor)),
                "{aviso}"
            );
            assert_eq!(n.ruta().await, format!("/pagos/{pago_id}"));
            assert_eq!(n.texto("#por-aplicar").await, pesos(sin_aplicar + apl_valor));
            assert_eq!(cuentas(&base, &fin, &apl_factura).0, saldo_apl + apl_valor);
            n.ir(&format!("{base}/facturas/{apl_factura}")).await;
            assert_eq!(en_pagina(n).await.0, saldo_apl + apl_valor);
        })
    });
}
