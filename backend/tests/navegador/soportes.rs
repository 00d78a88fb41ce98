//! Soportes from an invoice's page: billing attaches the hoja de evolución as a PDF, sees it
//! listed with its Anexo 2 name and downloads the same bytes; an image given as HEV is refused
//! next to the form, naming the file; removed with a reason, it leaves the list for the history.

use std::time::{Duration, Instant};

use fantoccini::Locator;

use super::administracion::pulsar_y_confirmar;
use super::{api, demo, recorrido, token, Navegador, CLAVE};

/// Waits until htmx has put the soportes block in the page (its upload form).
async fn bloque(n: &Navegador) {
    let hasta = Instant::now() + Duration::from_secs(10);
    while n
        .c
        .find(Locator::Css("#soportes form.formulario-soporte"))
        .await
        .is_err()
    {
        assert!(Instant::now() < hasta, "the soportes block did not load");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn adjuntar(n: &Navegador, tipo: &str, archivo: &std::path::Path) {
    n.c.find(Locator::Css("#tipo-soporte"))
        .await
        .unwrap()
        .select_by_value(tipo)
        .await
        .unwrap();
    n.c.find(Locator::Css("#archivo-soporte"))
        .await
        .unwrap()
        .send_keys(archivo.to_str().unwrap())
        .await
        .unwrap();
    n.pulsar("form.formulario-soporte button[type=submit]").await;
}

async fn mostrar_bloque(n: &Navegador) {
    n.c.execute("document.getElementById('soportes').scrollIntoView();", vec![])
        .await
        .unwrap();
}

#[test]
fn billing_attaches_a_pdf_from_the_invoice_page_and_downloads_it() {
    let d = demo();
    let base = d.base.clone();
    let fact = token(&base, "facturacion@demo.trazo");
    let (_, l) = api(&base, "GET", "/facturas?per_page=1", Some(&fact), None);
    let factura = l["items"][0]["id"].as_str().unwrap().to_string();
    let numero = l["items"][0]["numero"].as_str().unwrap().to_string();
    let pdf = d.dir.path().join("Hoja de evolución.pdf");
    let bytes = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n".to_vec();
    std::fs::write(&pdf, &bytes).unwrap();
    let foto = d.dir.path().join("foto.png");
    std::fs::write(
        &foto,
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0",
    )
    .unwrap();

    for ancho in [1280, 800] {
        let (b, f, numero) = (base.clone(), factura.clone(), numero.clone());
        let (pdf, foto, bytes) = (pdf.clone(), foto.clone(), bytes.clone());
        recorrido(&format!("soportes-{ancho}"), ancho, move |n| {
            Box::pin(async move {
                n.ingresar(&b, "facturacion@demo.trazo", CLAVE).await;
                n.ir(&format!("{b}/facturas/{f}")).await;
                bloque(n).await;

                // An image is not a hoja de evolución: said next to the form, nothing kept.
                adjuntar(n, "HEV", &foto).await;
                let error = n.texto("#error-soporte").await;
                assert!(error.contains("foto.png") && error.contains("PDF"), "{error}");
                n.captura(&format!("soportes-rechazo-{ancho}")).await;
                n.ir(&format!("{b}/facturas/{f}")).await;
                bloque(n).await;

                adjuntar(n, "HEV", &pdf).await;
                assert_eq!(n.ruta().await, format!("/facturas/{f}"));
                assert!(n.texto(".aviso").await.contains("adjuntado"));
                bloque(n).await;
                let tabla = n.texto("#soportes .tabla-soportes").await;
                assert!(
                    tabla.contains("Hoja de evolución.pdf")
                        && tabla.contains(&format!("HEV_900123456_{numero}.pdf"))
                        && tabla.contains("facturacion@demo.trazo"),
                    "{tabla}"
                );
                mostrar_bloque(n).await;
                n.captura(&format!("soportes-factura-{ancho}")).await;

                // The download link gives the same bytes, as a PDF.
                let enlace =
                    n.c.find(Locator::Css("#soportes .tabla-soportes a[download]"))
                        .await
                        .unwrap()
                        .attr("href")
                        .await
                        .unwrap()
                        .unwrap();
                let r = ureq::get(&format!("{b}{enlace}"))
                    .set("Cookie", &format!("trazo_sesion={}", n.cookie().await))
                    .call()
                    .unwrap();
                assert_eq!(r.content_type(), "application/pdf");
                let mut recibido = Vec::new();
                std::io::Read::read_to_end(&mut r.into_reader(), &mut recibido).unwrap();
                assert_eq!(recibido, bytes);

                // Removed with a reason: out of the list, into the history and the trazabilidad.
                n.c.find(Locator::Css("#soportes details.corregir summary"))
                    .await
                    .unwrap()
                    .click()
                    .await
                    .unwrap();
                n.escribir(
                    "#soportes form.retiro-soporte input[name=motivo]",
                    "se adjuntó a la factura equivocada",
                )
                .await;
                let pregunta = pulsar_y_confirmar(n, "#soportes form.retiro-soporte button[type=submit]").await;
                assert!(pregunta.contains("Hoja de evolución.pdf"), "{pregunta}");
                assert!(n.texto(".aviso").await.contains("retirado"));
                bloque(n).await;
                assert!(n.c.find(Locator::Css("#soportes .tabla-soportes")).await.is_err());
                let historial = n.texto("#soportes .soportes-retirados").await;
                assert!(historial.contains("Retirados ("), "{historial}");
                let linea = n.texto(".linea-tiempo").await;
                assert!(
                    linea.contains("Soporte retirado") && linea.contains("Soporte adjuntado"),
                    "{linea}"
                );
            })
        });
    }
}
