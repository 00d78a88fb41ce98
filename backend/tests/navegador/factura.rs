//! Registering an invoice by hand (a bad line refused on its own row, everything typed kept),
//! radicating it from its page, and the payer's devolución registered (its answer's due date
//! shown before saving, nothing written until then) and answered; the auditor sees no button
//! and a hand-made post of hers is refused.

use std::time::Duration;

use fantoccini::Locator;
use serde_json::Value;

use super::{api, demo, post_a_mano, recorrido, token, valor, Navegador, CLAVE};

/// Clicks what asks to confirm, accepts, and waits for the page it leads to.
async fn pulsar_y_confirmar(n: &Navegador, css: &str, pregunta: &str) {
    let antes = n.c.find(Locator::Css("body")).await.unwrap();
    n.c.find(Locator::Css(css)).await.unwrap().click().await.unwrap();
    let texto = n.c.get_alert_text().await.unwrap();
    assert!(texto.contains(pregunta), "{texto}");
    n.c.accept_alert().await.unwrap();
    while antes.tag_name().await.is_ok() {
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
}

async fn elegir(n: &Navegador, css: &str, indice: usize) {
    n.c.find(Locator::Css(css))
        .await
        .unwrap()
        .select_by_index(indice)
        .await
        .unwrap();
}

fn devoluciones(base: &str, t: &str, id: &str) -> Vec<Value> {
    let (_, f) = api(base, "GET", &format!("/facturas/{id}"), Some(t), None);
    f["devoluciones"].as_array().cloned().unwrap_or_default()
}

#[test]
fn an_invoice_is_registered_radicated_returned_and_answered() {
    let d = demo();
    let base = d.base.clone();
    let fact = token(&base, "facturacion@demo.trazo");

    let b = base.clone();
    let t = fact.clone();
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    recorrido("factura-nueva", 1280, move |n| {
        Box::pin(async move {
            n.ingresar(&b, "facturacion@demo.trazo", CLAVE).await;
            n.ir(&format!("{b}/facturas")).await;
            n.pulsar("a[href='/facturas/nueva']").await;
            assert_eq!(n.texto("h1").await, "Registrar factura");
            n.escribir("#numero", "FE-WEB-77").await;
            elegir(n, "#pagador_id", 1).await;
            // A good line, an empty row (ignored), and a bad line: a quantity of zero.
            n.escribir("#items-0-codigo", "890201").await;
            n.escribir("#items-0-descripcion", "Consulta de primera vez").await;
            n.escribir("#items-0-cantidad", "1").await;
            n.escribir("#items-0-valor_unitario", "45.000").await;
            n.escribir("#items-2-codigo", "902210").await;
            n.escribir("#items-2-descripcion", "Hemograma").await;
            n.escribir("#items-2-cantidad", "0").await;
            n.escribir("#items-2-valor_unitario", "12.500,50").await;
            n.escribir("#copagos", "4.000").await;
            n.pulsar("form.factura-nueva button.primario").await;
            // The use case's items[1] is the form's third row: its error shows there.
            let fila = n.texto("#linea-3").await;
            assert!(fila.contains("la cantidad debe ser mayor que cero"), "{fila}");
            assert!(n.texto("#linea-1").await.trim().starts_with('1'));
            assert!(n.c.find(Locator::Css("#linea-1 .error-campo")).await.is_err());
            // Everything typed is still there.
            assert_eq!(valor(n, "#numero").await, "FE-WEB-77");
            assert_eq!(valor(n, "#items-0-valor_unitario").await, "45.000");
            assert_eq!(valor(n, "#items-2-valor_unitario").await, "12.500,50");
            assert_eq!(valor(n, "#copagos").await, "4.000");
            assert_ne!(valor(n, "#pagador_id").await, "");
            n.captura("factura-nueva-1280").await;
            // Corrected, it is registered; the total is the lines' sum.
            n.escribir("#items-2-cantidad", "2").await;
            n.pulsar("form.factura-nueva button.primario").await;
            let aviso = n.texto(".aviso").await;
            assert!(
                aviso.contains("Factura FE-WEB-77 registrada por $ 70.001,00; radíquela a más tardar el"),
                "{aviso}"
            );
            let id = n.ruta().await.trim_start_matches("/facturas/").to_string();
            let (_, f) = api(&b, "GET", &format!("/facturas/{id}"), Some(&t), None);
            assert_eq!(f["estado"], "expedida");
            let lineas = n.texto("body").await;
            assert!(lineas.contains("Hemograma"), "{lineas}");

            // Radicated from its page, after confirming.
            n.escribir("input[name=numero_radicado]", "RAD-WEB-77").await;
            // A new invoice has no soportes nor RIPS yet: radicating it asks for the reason.
            n.escribir(
                "textarea[name=excepcion]",
                "Soportes entregados en físico en la ventanilla del pagador",
            )
            .await;
            pulsar_y_confirmar(n, "form[action$='/radicar'] button", "Radicar la factura FE-WEB-77").await;
            assert!(n.texto(".aviso").await.contains("radicada con el número RAD-WEB-77"));
            let (_, f) = api(&b, "GET", &format!("/facturas/{id}"), Some(&t), None);
            assert_eq!(f["estado"], "radicada");
            assert_eq!(f["numero"], "FE-WEB-77");
            assert_eq!(f["numero_radicado"], "RAD-WEB-77");
            let dec = |v: &Value| v.as_str().unwrap().parse::<f64>().unwrap();
            assert_eq!(dec(&f["valor_total"]), 70001.0);
            assert_eq!(dec(&f["copagos"]), 4000.0);
            assert_eq!(dec(&f["saldo"]), 66001.0);
            let items = f["items"].as_array().unwrap();
            assert_eq!(items.len(), 2);
            assert_eq!(dec(&items[1]["cantidad"]), 2.0);
            assert_eq!(dec(&items[1]["valor_total"]), 25001.0);
            tx.send(id).unwrap();
        })
    });
    let id = rx.recv().unwrap();

    // At 800 px (a tablet), the empty form.
    let b = base.clone();
    recorrido("factura-nueva-800", 800, move |n| {
        Box::pin(async move {
            n.ingresar(&b, "facturacion@demo.trazo", CLAVE).await;
            n.ir(&format!("{b}/facturas/nueva")).await;
            n.captura("factura-nueva-800").await;
        })
    });

    // Cartera registers the payer's devolución, seeing its due date first, and answers it.
    let b = base.clone();
    let cartera = token(&base, "cartera@demo.trazo");
    let fid = id.clone();
    recorrido("devolucion", 1280, move |n| {
        Box::pin(async move {
            n.ingresar(&b, "cartera@demo.trazo", CLAVE).await;
            n.ir(&format!("{b}/facturas/{fid}")).await;
            n.pulsar("a[href$='/devoluciones/nueva']").await;
            n.c.find(Locator::Css("#codigo"))
                .await
                .unwrap()
                .select_by_value("DE1601")
                .await
                .unwrap();
            n.escribir("#observacion", "Usuario de otra EPS").await;
            n.pulsar("button[value=revisar]").await;
            let r = n.texto(".revision").await;
            assert!(r.contains("La respuesta vence el"), "{r}");
            assert!(r.contains("faltan "), "{r}");
            assert!(r.contains("Nada se ha guardado"), "{r}");
            assert_eq!(valor(n, "#codigo").await, "DE1601");
            assert_eq!(valor(n, "#observacion").await, "Usuario de otra EPS");
            assert!(devoluciones(&b, &cartera, &fid).is_empty(), "the review wrote nothing");
            n.captura("devolucion-1280").await;
            pulsar_y_confirmar(n, "button[value=registrar]", "¿Registrar la devolución").await;
            let aviso = n.texto(".aviso").await;
            assert!(
                aviso.contains("Devolución DE1601 registrada; respóndala a más tardar el"),
                "{aviso}"
            );
            let ds = devoluciones(&b, &cartera, &fid);
            assert_eq!(ds.len(), 1);
            assert_eq!(ds[0]["codigo"], "DE1601");
            let (_, f) = api(&b, "GET", &format!("/facturas/{fid}"), Some(&cartera), None);
            assert_eq!(f["estado"], "devuelta");
            // Once returned, it is not offered again.
            assert!(n.c.find(Locator::Css("a[href$='/devoluciones/nueva']")).await.is_err());
            let seccion = n.texto("#devoluciones").await;
            assert!(seccion.contains("DE1601"), "{seccion}");
            n.captura("factura-devuelta-1280").await;

            n.pulsar("#devoluciones a[href$='/responder']").await;
            n.c.find(Locator::Css("#codigo"))
                .await
                .unwrap()
                .select_by_value("RE9601")
                .await
                .unwrap();
            n.escribir(
                "#justificacion",
                "El usuario estaba afiliado a esta EPS; se adjunta la consulta en ADRES.",
            )
            .await;
            n.pulsar("form.formulario button.primario").await;
            let aviso = n.texto(".aviso").await;
            assert!(aviso.contains("respondida con RE9601"), "{aviso}");
            let ds = devoluciones(&b, &cartera, &fid);
            assert_eq!(ds[0]["respuesta_codigo"], "RE9601");
            assert_eq!(ds[0]["estado"], "respondida");
            assert!(n
                .c
                .find(Locator::Css("#devoluciones a[href$='/responder']"))
                .await
                .is_err());
        })
    });

    // The auditor reads, and may not act.
    let b = base.clone();
    recorrido("factura-auditor", 1280, move |n| {
        Box::pin(async move {
            n.ingresar(&b, "auditor@demo.trazo", CLAVE).await;
            n.ir(&format!("{b}/facturas")).await;
            assert!(n.c.find(Locator::Css("a[href='/facturas/nueva']")).await.is_err());
            n.ir(&format!("{b}/facturas/{id}")).await;
            assert!(n.c.find(Locator::Css(".panel-acciones")).await.is_err());
            assert!(n.c.find(Locator::Css("a[href$='/responder']")).await.is_err());
            let csrf = valor(n, "form[action='/salir'] input[name=csrf]").await;
            let cookie = n.cookie().await;
            let cuerpo =
                format!("csrf={csrf}&numero=FE-AUD-1&pagador_id=x&fecha_expedicion=2026-11-02&valor_total=1000");
            assert_eq!(post_a_mano(&b, "/facturas", &cookie, &cuerpo, &[]), 403);
            let cuerpo = format!("csrf={csrf}&accion=registrar&codigo=DE1601&fecha=2026-11-02");
            assert_eq!(
                post_a_mano(&b, &format!("/facturas/{id}/devoluciones"), &cookie, &cuerpo, &[]),
                403
            );
        })
    });
}
