//! Finance takes the period's entries for the books from Cartera: the totals and the
//! reconciliation shown are the API's, the CSV holds the same entries, and a role that may not
//! read the cartera gets a refusal.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::Value;
use trazo::web::formato::pesos;

use super::{api, demo, recorrido, token, valor, CLAVE};

/// A page's download with the browser's session: (content type, bytes).
fn descarga(base: &str, ruta: &str, cookie: &str) -> (String, Vec<u8>) {
    let r = ureq::get(&format!("{base}{ruta}"))
        .set("Cookie", &format!("trazo_sesion={cookie}"))
        .call()
        .unwrap_or_else(|e| panic!("{ruta}: {e}"));
    let tipo = r.content_type().to_string();
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut r.into_reader(), &mut bytes).unwrap();
    (tipo, bytes)
}

fn pesos_de(v: &Value) -> String {
    pesos(Decimal::from_str(v.as_str().unwrap()).unwrap())
}

#[test]
fn finance_downloads_the_entries_of_a_period_and_sees_them_reconcile_with_the_cartera() {
    let d = demo();
    let base = d.base.clone();
    let api_fin = token(&base, "finanzas@demo.trazo");
    for ancho in [1280, 800] {
        let base = base.clone();
        let api_fin = api_fin.clone();
        recorrido(&format!("asientos-{ancho}"), ancho, move |n| {
            Box::pin(async move {
                n.ingresar(&base, "finanzas@demo.trazo", CLAVE).await;
                n.ir(&format!("{base}/cartera")).await;
                n.pulsar(".pestanas a[href='/cartera/asientos']").await;
                assert_eq!(n.texto("h1").await, "Asientos contables");
                // A year of demo facts: from the first of the month a year ago to today.
                let hasta = valor(n, "#hasta").await;
                let desde = format!(
                    "{}-01",
                    &(hasta.parse::<chrono::NaiveDate>().unwrap() - chrono::Duration::days(365)).to_string()[..7]
                );
                // Set as the date picker would: typed digits follow the browser's locale.
                n.c.execute(
                    "document.querySelector('#desde').value = arguments[0];",
                    vec![serde_json::json!(desde)],
                )
                .await
                .unwrap();
                n.pulsar("form.filtros button[type=submit]").await;
                assert_eq!(n.ruta().await, format!("/cartera/asientos?desde={desde}&hasta={hasta}"));
                let (st, a) = api(
                    &base,
                    "GET",
                    &format!("/reportes/asientos?desde={desde}&hasta={hasta}"),
                    Some(&api_fin),
                    None,
                );
                assert_eq!(st, 200, "{a}");
                assert!(
                    a["asientos"].as_array().unwrap().len() > 50,
                    "the demo has a year of facts"
                );
                // The reconciliation line, as the API computes it.
                assert!(
                    n.texto("#cuadra").await.starts_with("Cuadra"),
                    "{}",
                    n.texto("#cuadra").await
                );
                assert_eq!(a["conciliacion"]["cuadra"], true);
                assert_eq!(
                    n.texto("#saldo-final").await,
                    pesos_de(&a["conciliacion"]["saldo_final"])
                );
                assert_eq!(
                    n.texto("#cartera").await,
                    pesos_de(&a["conciliacion"]["cartera_al_corte"])
                );
                // The totals per concept, row by row.
                let tabla = n.texto("#tabla-conceptos tbody").await;
                for c in a["por_concepto"].as_array().unwrap() {
                    let fila = format!(
                        "{} {} {}",
                        c["nombre"].as_str().unwrap(),
                        c["asientos"],
                        pesos_de(&c["valor"])
                    );
                    assert!(tabla.contains(&fila), "{fila} not in {tabla}");
                }
                n.captura(&format!("asientos-{ancho}")).await;

                // The CSV the page offers: the same entries, ready for the ledger's import.
                let cookie = n.cookie().await;
                let (tipo, csv) = descarga(
                    &base,
                    &format!("/cartera/asientos.csv?desde={desde}&hasta={hasta}"),
                    &cookie,
                );
                assert!(tipo.starts_with("text/csv"), "{tipo}");
                let texto = String::from_utf8(csv[3..].to_vec()).unwrap();
                assert_eq!(texto.lines().count(), a["asientos"].as_array().unwrap().len() + 1);
                assert!(texto.starts_with("id;fecha;concepto;"), "{}", &texto[..80]);
                let (tipo, _) = descarga(
                    &base,
                    &format!("/cartera/asientos.xlsx?desde={desde}&hasta={hasta}"),
                    &cookie,
                );
                assert_eq!(
                    tipo,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                );

                // A period that ends before it starts is said next to the form, not a blank page.
                n.ir(&format!("{base}/cartera/asientos?desde={hasta}&hasta={desde}"))
                    .await;
                let aviso = n.texto("#error-periodo").await;
                assert!(aviso.contains("después de terminar"), "{aviso}");
                assert_eq!(valor(n, "#desde").await, hasta, "what was asked stays in the form");
            })
        });
    }
}

#[test]
fn billing_staff_do_not_get_the_entries() {
    let d = demo();
    let base = d.base.clone();
    recorrido("asientos-rechazo", 1280, |n| {
        Box::pin(async move {
            n.ingresar(&base, "facturacion@demo.trazo", CLAVE).await;
            n.ir(&format!("{base}/cartera/asientos")).await;
            assert_eq!(n.texto("h1").await, "Sin permiso");
            let cookie = n.cookie().await;
            for ruta in ["/cartera/asientos.csv", "/cartera/asientos.xlsx"] {
                let r = ureq::AgentBuilder::new()
                    .redirects(0)
                    .build()
                    .get(&format!("{base}{ruta}"))
                    .set("Cookie", &format!("trazo_sesion={cookie}"))
                    .call();
                assert!(matches!(r, Err(ureq::Error::Status(403, _))), "{ruta}");
            }
        })
    });
}
