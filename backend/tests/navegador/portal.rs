//! The payer's window: the demo EPS's analyst signs in, lands on its statement, announces a
//! payment of one invoice and reads the invoice's trazabilidad; the clinic's cartera confirms
//! the announcement from Pagos and the invoice's saldo drops by exactly that much. Both widths.

use serde_json::Value;

use super::{api, demo, recorrido, token, CLAVE};

#[test]
fn the_payers_analyst_announces_a_payment_that_cartera_confirms() {
    let d = demo();
    let base = d.base.clone();
    let cartera = token(&base, "cartera@demo.trazo");
    let eps = token(&base, "pagador@demo.trazo");
    let (_, l) = api(&base, "GET", "/portal/facturas?per_page=500", Some(&eps), None);
    // An invoice of its own with a balance to pay part of.
    let f = l["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| {
            f["estado"] == "radicada"
                && f["saldo"]
                    .as_str()
                    .is_some_and(|s| s.parse::<f64>().unwrap_or(0.0) > 10_000.0)
        })
        .expect("an open invoice of the demo EPS")
        .clone();
    let fid = f["id"].as_str().unwrap().to_string();
    let numero = f["numero"].as_str().unwrap().to_string();
    let saldo = |id: &str| -> String {
        let (_, v): (u16, Value) = api(&base, "GET", &format!("/facturas/{id}"), Some(&cartera), None);
        v["saldo"].as_str().unwrap().to_string()
    };
    let antes = saldo(&fid);

    let (b, fid2, numero2) = (base.clone(), fid.clone(), numero.clone());
    recorrido("portal", 1280, move |n| {
        Box::pin(async move {
            n.ingresar(&b, "pagador@demo.trazo", CLAVE).await;
            assert_eq!(n.ruta().await, "/portal");
            assert!(n.texto("h1").await.contains("con Clínica Demo Trazo"));
            n.captura("portal-1280").await;
            n.escribir("#fecha", "01012026").await;
            n.escribir("#valor", "10.000").await;
            n.escribir("#referencia", "TRF 5566").await;
            n.escribir(&format!("#valor_{fid2}"), "10.000").await;
            n.pulsar("form[action='/portal/anuncios'] button[type=submit]").await;
            assert_eq!(n.ruta().await, "/portal");
            assert!(n.texto("main").await.contains("anunciado"), "{}", n.texto("main").await);
            assert!(n.texto("#anuncios").await.contains("Por confirmar"));
            assert!(n.texto("#anuncios").await.contains(&numero2));
            n.captura("portal-anunciado-1280").await;
            n.pulsar(&format!("a[href='/portal/facturas/{fid2}']")).await;
            assert!(n.texto("h1").await.contains(&numero2));
            assert!(
                n.texto("#trazabilidad").await.contains("Radicada"),
                "{}",
                n.texto("#trazabilidad").await
            );
            n.captura("portal-factura-1280").await;
            // The clinic's screens are not the payer's.
            n.ir(&format!("{b}/facturas")).await;
            assert!(n.texto("main").await.contains("Sin permiso") || n.texto("h1").await.contains("Sin permiso"));
        })
    });
    assert_eq!(saldo(&fid), antes, "announced is not paid");

    let b = base.clone();
    recorrido("portal-cartera", 1280, move |n| {
        Box::pin(async move {
            n.ingresar(&b, "cartera@demo.trazo", CLAVE).await;
            n.ir(&format!("{b}/pagos")).await;
            assert!(n.texto("#anunciados").await.contains("TRF 5566"));
            n.captura("pagos-anunciados-1280").await;
            n.pulsar("#anunciados form[action$='/confirmacion'] button").await;
            assert!(n.ruta().await.starts_with("/pagos/"), "{}", n.ruta().await);
        })
    });
    let despues: f64 = saldo(&fid).parse().unwrap();
    assert_eq!(despues, antes.parse::<f64>().unwrap() - 10_000.0);

    let b = base.clone();
    recorrido("portal-tableta", 800, move |n| {
        Box::pin(async move {
            n.ingresar(&b, "pagador@demo.trazo", CLAVE).await;
            assert!(n.texto("#anuncios").await.contains("Confirmado y aplicado"));
            n.captura("portal-800").await;
        })
    });
}
