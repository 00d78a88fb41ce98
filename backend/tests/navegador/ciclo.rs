//! The invoice's life from its page: the clerk radicates (one, and a lote), the analyst
//! registers a glosa seeing its due date before saving and answers it; the auditor sees no
//! action and a hand-made post of hers is refused.

use fantoccini::Locator;
use serde_json::Value;

use super::{api, demo, post_a_mano, recorrido, token, CLAVE};

fn primera(base: &str, t: &str, filtro: &str) -> Value {
    let (st, l) = api(base, "GET", &format!("/facturas?{filtro}&per_page=1"), Some(t), None);
    assert_eq!(st, 200, "{l}");
    l["items"][0].clone()
}

#[test]
fn the_clerk_radicates_and_the_analyst_registers_and_answers_a_glosa() {
    let d = demo();
    let base = d.base.clone();
    let fact = token(&base, "facturacion@demo.trazo");
    let expedida = primera(&base, &fact, "estado=expedida");
    let radicada = primera(&base, &fact, "estado=radicada");
    let (id_exp, id_rad) = (
        expedida["id"].as_str().unwrap().to_string(),
        radicada["id"].as_str().unwrap().to_string(),
    );
    let b = base.clone();
    let fact2 = fact.clone();
    recorrido("radicar", 1280, move |n| {
        Box::pin(async move {
            n.ingresar(&b, "facturacion@demo.trazo", CLAVE).await;
            n.ir(&format!("{b}/facturas/{id_exp}")).await;
            n.escribir("input[name=numero_radicado]", "RAD-WEB-1").await;
            // The demo's invoices carry no soportes: radicating one asks for the reason.
            n.escribir(
                "textarea[name=excepcion]",
                "Soportes entregados en físico en la ventanilla del pagador",
            )
            .await;
            // The form asks before radicating: the terms start running.
            let antes = n.c.find(Locator::Css("body")).await.unwrap();
            n.c.find(Locator::Css("form[action$='/radicar'] button"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            assert!(n.c.get_alert_text().await.unwrap().contains("Radicar la factura"));
            n.c.accept_alert().await.unwrap();
            while antes.tag_name().await.is_ok() {
                tokio::time::sleep(std::time::Duration::from_millis(30)).await;
            }
            let aviso = n.texto(".aviso").await;
            assert!(aviso.contains("radicada con el número RAD-WEB-1"), "{aviso}");
            let (_, f) = api(&b, "GET", &format!("/facturas/{id_exp}"), Some(&fact2), None);
            assert_eq!(f["numero_radicado"], "RAD-WEB-1");
            assert_eq!(f["estado"], "radicada");
        })
    });

    let b = base.clone();
    let cartera = token(&base, "cartera@demo.trazo");
    let glosas_antes = || {
        let (_, f) = api(&base, "GET", &format!("/facturas/{id_rad}"), Some(&cartera), None);
        f["glosas"].as_array().map_or(0, Vec::len)
    };
    let n0 = glosas_antes();
    let id = id_rad.clone();
    let c2 = cartera.clone();
    recorrido("glosa", 1280, move |n| {
        Box::pin(async move {
            n.ingresar(&b, "cartera@demo.trazo", CLAVE).await;
            n.ir(&format!("{b}/facturas/{id}")).await;
            n.pulsar("a[href$='/glosas/nueva']").await;
            n.escribir("#codigo", "FA0101").await;
            n.escribir("#valor", "doce mil").await;
            n.pulsar("button[value=registrar]").await;
            // Refused, beside its field, with what was typed kept.
            assert!(n.texto(".error-campo").await.contains("no es un valor en pesos"));
            let codigo =
                n.c.find(Locator::Css("#codigo"))
                    .await
                    .unwrap()
                    .prop("value")
                    .await
                    .unwrap();
            assert_eq!(codigo.as_deref(), Some("FA0101"));
            n.escribir("#valor", "1.000,00").await;
            n.pulsar("button[value=revisar]").await;
            let r = n.texto(".revision").await;
            assert!(
                r.contains("La respuesta vence el") && r.contains("Nada se ha guardado"),
                "{r}"
            );
            n.captura("glosa-revision").await;
            let (_, f) = api(&b, "GET", &format!("/facturas/{id}"), Some(&c2), None);
            assert_eq!(
                f["glosas"].as_array().map_or(0, Vec::len),
                n0,
                "reviewing writes nothing"
            );
            n.pulsar("button[value=registrar]").await;
            let aviso = n.texto(".aviso").await;
            assert!(aviso.contains("Glosa FA0101 por $ 1.000,00 registrada"), "{aviso}");
            let (_, f) = api(&b, "GET", &format!("/facturas/{id}"), Some(&c2), None);
            assert_eq!(f["glosas"].as_array().unwrap().len(), n0 + 1);

            // Answer it: only the answers that fit are offered.
            n.pulsar("a[href$='/responder']").await;
            let opciones = n.texto("#codigo").await;
            assert!(
                opciones.contains("RE9801") && !opciones.contains("RE2202"),
                "{opciones}"
            );
            n.c.find(Locator::Css("#codigo"))
                .await
                .unwrap()
                .select_by_value("RE9602")
                .await
                .unwrap();
            n.escribir("#valor_aceptado", "0").await;
            n.escribir("#valor_sustentado", "1.000,00").await;
            n.escribir("#justificacion", "El servicio está soportado en la historia clínica.")
                .await;
            n.captura("glosa-respuesta").await;
            n.pulsar("form[action$='/respuesta'] button[type=submit]").await;
            let aviso = n.texto(".aviso").await;
            assert!(aviso.contains("respondida"), "{aviso}");
            assert!(n.texto("ol.linea-tiempo").await.contains("Glosa respondida"));
        })
    });

    // The auditor reads, and may not act.
    let b = base.clone();
    let id = id_rad.clone();
    recorrido("auditor", 1280, move |n| {
        Box::pin(async move {
            n.ingresar(&b, "auditor@demo.trazo", CLAVE).await;
            n.ir(&format!("{b}/facturas/{id}")).await;
            assert!(n.c.find(Locator::Css(".panel-acciones")).await.is_err());
            assert!(n.c.find(Locator::Css("a[href$='/responder']")).await.is_err());
            let csrf =
                n.c.find(Locator::Css("form[action='/salir'] input[name=csrf]"))
                    .await
                    .unwrap()
                    .prop("value")
                    .await
                    .unwrap()
                    .unwrap();
            let cookie = n.cookie().await;
            let cuerpo = format!(
                "csrf={csrf}&accion=registrar&codigo=FA0101&valor=1000&fecha_formulacion=2026-11-02&fecha_recepcion=2026-11-02"
            );
            assert_eq!(
                post_a_mano(&b, &format!("/facturas/{id}/glosas"), &cookie, &cuerpo, &[]),
                403
            );
        })
    });
}
