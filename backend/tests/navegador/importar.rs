//! Importar: the billing clerk uploads a DIAN invoice and then a zip with a broken one as a dry
//! run; cartera uploads a glosa sheet with a bad row; the auditor may not import.

use std::io::Write;
use std::time::{Duration, Instant};

use fantoccini::Locator;
use trazo::app::demo::DEMO_PRESTADOR_NIT;
use trazo_importers::dian::generador;

use super::{api, demo, demo_con, recorrido, token, Navegador, CLAVE};

/// A zip of `(name, bytes)` entries.
fn zip_de(entradas: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (nombre, bytes) in entradas {
        w.start_file(*nombre, opts).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// A payer's glosa sheet in the generic profile: a title, a blank row, the header on row 3.
fn hoja_de_glosas(filas: &[[&str; 4]]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "Relación de glosas").unwrap();
    let encabezado = ["numero_factura", "codigo", "valor", "fecha_formulacion"];
    for (r, fila) in std::iter::once(&encabezado).chain(filas).enumerate() {
        for (c, v) in fila.iter().enumerate() {
            ws.write_string(r as u32 + 2, c as u16, *v).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

/// A multipart/form-data POST /importar made by hand with the session's cookie: its status
/// and where it sends.
fn subir_a_mano(base: &str, cookie: &str, csrf: &str, tipo: &str, nombre: &str, bytes: &[u8]) -> (u16, String) {
    let (st, donde, _) = subir_a_mano_con_cuerpo(base, cookie, csrf, tipo, nombre, bytes);
    (st, donde)
}

/// [`subir_a_mano`], with the page that came back.
fn subir_a_mano_con_cuerpo(
    base: &str,
    cookie: &str,
    csrf: &str,
    tipo: &str,
    nombre: &str,
    bytes: &[u8],
) -> (u16, String, String) {
    const LIMITE: &str = "----trazo-prueba-7MA4YWxkTrZu0gW";
    let mut cuerpo = Vec::new();
    for (k, v) in [("csrf", csrf), ("tipo", tipo)] {
        write!(
            cuerpo,
            "--{LIMITE}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
        )
        .unwrap();
    }
    write!(
        cuerpo,
        "--{LIMITE}\r\nContent-Disposition: form-data; name=\"archivo\"; filename=\"{nombre}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .unwrap();
    cuerpo.extend_from_slice(bytes);
    write!(cuerpo, "\r\n--{LIMITE}--\r\n").unwrap();
    let r = ureq::AgentBuilder::new()
        .redirects(0)
        .build()
        .post(&format!("{base}/importar"))
        .set("Cookie", &format!("trazo_sesion={cookie}"))
        .set("Content-Type", &format!("multipart/form-data; boundary={LIMITE}"))
        .send_bytes(&cuerpo);
    let r = match r {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{e}"),
    };
    let (st, donde) = (r.status(), r.header("location").unwrap_or_default().to_string());
    (st, donde, r.into_string().unwrap_or_default())
}

/// A GET with the session's cookie: its status and body.
fn leer_a_mano(url: &str, cookie: &str) -> (u16, String) {
    let r = ureq::AgentBuilder::new()
        .redirects(0)
        .build()
        .get(url)
        .set("Cookie", &format!("trazo_sesion={cookie}"))
        .call()
        .unwrap();
    (r.status(), r.into_string().unwrap())
}

/// The page's CSRF token (the sign-out form carries it).
async fn csrf(n: &Navegador) -> String {
    n.c.find(Locator::Css("form[action='/salir'] input[name=csrf]"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .unwrap()
}

/// Fills the upload form and sends it: lands on the run's page.
async fn subir(n: &Navegador, tipo: &str, archivo: &std::path::Path, simular: bool) {
    let t = n.c.find(Locator::Css("#tipo")).await.unwrap();
    t.select_by_value(tipo).await.unwrap();
    n.c.find(Locator::Css("#archivo"))
        .await
        .unwrap()
        .send_keys(archivo.to_str().unwrap())
        .await
        .unwrap();
    if simular {
        n.c.find(Locator::Css("#simular")).await.unwrap().click().await.unwrap();
    }
    n.pulsar("form.subida button[type=submit]").await;
    assert!(n.ruta().await.starts_with("/importar/"), "{}", n.ruta().await);
}

/// Waits until the run on the page has ended (the page refreshes its state by itself) and
/// gives the state's words.
async fn terminada(n: &Navegador) -> String {
    let hasta = Instant::now() + Duration::from_secs(60);
    loop {
        // The block is replaced every second: a lookup may meet the old one.
        if let Ok(e) = n.c.find(Locator::Css("#estado-importacion")).await {
            if let Ok(t) = e.text().await {
                if t != "En cola" && t != "En curso" {
                    return t;
                }
            }
        }
        assert!(Instant::now() < hasta, "the import did not end in 60 s");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[test]
fn clerks_import_files_read_each_error_and_the_auditor_may_not() {
    let d = demo();
    let base = d.base.clone();
    let admin = token(&base, "admin@demo.trazo");
    let (_, pagadores) = api(&base, "GET", "/pagadores", Some(&admin), None);
    let nit_pagador = pagadores["items"][0]["nit"].as_str().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let escribir = |nombre: &str, bytes: &[u8]| {
        let p = dir.path().join(nombre);
        std::fs::write(&p, bytes).unwrap();
        p
    };
    let xml = generador::attached_document(990_001, DEMO_PRESTADOR_NIT, &nit_pagador);
    let numero = trazo_importers::dian::parse(xml.as_bytes(), "x").unwrap().numero;
    let factura = escribir("factura.xml", xml.as_bytes());
    let buena = generador::attached_document(990_002, DEMO_PRESTADOR_NIT, &nit_pagador);
    let grande: Vec<(String, Vec<u8>)> = (0..150)
        .map(|i| {
            (
                format!("fev{i}.xml"),
                generador::attached_document(991_000 + i, DEMO_PRESTADOR_NIT, &nit_pagador).into_bytes(),
            )
        })
        .collect();
    let grande: Vec<(&str, Vec<u8>)> = grande.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    let grande = escribir("grande.zip", &zip_de(&grande));
    let lote = escribir(
        "lote.zip",
        &zip_de(&[
            ("buena.xml", buena.into_bytes()),
            ("rota.xml", b"<AttachedDocument><cbc:ID>".to_vec()),
        ]),
    );

    // Facturación: one invoice for real, then a zip with a broken file as a dry run.
    {
        let (base, numero, factura, lote, nit, grande) = (
            base.clone(),
            numero.clone(),
            factura.clone(),
            lote.clone(),
            nit_pagador.clone(),
            grande.clone(),
        );
        recorrido("importar", 1280, move |n| {
            Box::pin(async move {
                n.ingresar(&base, "facturacion@demo.trazo", CLAVE).await;
                n.pulsar("a[href='/importar']").await;
                assert_eq!(n.texto("h1").await, "Importar");
                // Only what her role imports is offered.
                let tipos = n.texto("#tipo").await;
                assert!(tipos.contains("Facturas electrónicas DIAN (XML)"), "{tipos}");
                assert!(!tipos.contains("Glosas"), "{tipos}");

                subir(n, "dian_xml", &factura, false).await;
                assert!(n.texto(".aviso").await.contains("factura.xml"));
                // htmx, which refreshes the run while it goes, runs under the pages' CSP.
                let htmx = n.c.execute("return typeof htmx", vec![]).await.unwrap();
                assert_eq!(htmx, serde_json::json!("object"));
                assert_eq!(terminada(n).await, "Terminada");
                assert_eq!(n.texto("#creados").await, "1");
                assert_eq!(n.texto("#duplicados").await, "0");
                // Polling stopped: the block no longer asks for itself.
                let sondeo =
                    n.c.find(Locator::Css("#resultado"))
                        .await
                        .unwrap()
                        .attr("hx-get")
                        .await
                        .unwrap();
                assert_eq!(sondeo, None);
                // The invoice is now in Trazo, as the API tells it.
                let t = token(&base, "facturacion@demo.trazo");
                let (st, l) = api(&base, "GET", &format!("/facturas?q={numero}"), Some(&t), None);
                assert_eq!((st, l["total"].as_i64()), (200, Some(1)), "{l}");
                assert_eq!(l["items"][0]["numero"], numero.as_str(), "{l}");

                // A big zip: the page follows the run by itself, without reloading.
                n.ir(&format!("{base}/importar")).await;
                subir(n, "dian_xml", &grande, false).await;
                let pagina = n.c.find(Locator::Css("body")).await.unwrap();
                let al_llegar = n.texto("#estado-importacion").await;
                // 150 invoices take longer than the redirect: the page lands on a run that goes.
                assert!(al_llegar == "En curso" || al_llegar == "En cola", "{al_llegar}");
                assert_eq!(terminada(n).await, "Terminada");
                assert!(pagina.tag_name().await.is_ok(), "the page was not reloaded");
                assert_eq!(n.texto("#creados").await, "150");

                // A dry run of a zip with a broken file: every error named by its file.
                n.ir(&format!("{base}/importar")).await;
                subir(n, "dian_xml", &lote, true).await;
                assert_eq!(terminada(n).await, "Rechazada");
                assert!(n.texto(".explicacion").await.contains("simulación"));
                let errores = n.texto("table.errores tbody").await;
                assert!(errores.contains("rota.xml"), "{errores}");
                assert!(!errores.contains("buena.xml"), "{errores}");
                n.captura("importar-resultado").await;
                // The block the page polls is the same block, alone.
                let corrida = n.ruta().await;
                let (st, fragmento) = leer_a_mano(&format!("{base}{corrida}/progreso"), &n.cookie().await);
                assert_eq!(st, 200);
                assert!(
                    fragmento.trim_start().starts_with("<section id=\"resultado\""),
                    "{fragmento}"
                );
                assert!(
                    !fragmento.contains("<html") && fragmento.contains("rota.xml"),
                    "{fragmento}"
                );
                // Nothing of it was written.
                let (_, l) = api(&base, "GET", "/facturas?q=FEV990002", Some(&t), None);
                assert_eq!(l["total"].as_i64(), Some(0), "{l}");

                // The history lists both runs, newest first, and filters by state in the URL.
                n.ir(&format!("{base}/importar")).await;
                let historial = n.texto("table.historial tbody").await;
                assert!(
                    historial.contains("lote.zip") && historial.contains("factura.xml"),
                    "{historial}"
                );
                n.c.find(Locator::Css("#f-estado"))
                    .await
                    .unwrap()
                    .select_by_value("terminada")
                    .await
                    .unwrap();
                n.pulsar("form.filtros button[type=submit]").await;
                assert!(n.ruta().await.contains("estado=terminada"), "{}", n.ruta().await);
                let historial = n.texto("table.historial tbody").await;
                assert!(
                    historial.contains("factura.xml") && !historial.contains("lote.zip"),
                    "{historial}"
                );
                // The workbook link carries the same filter; the API's own workbook.
                let enlace =
                    n.c.find(Locator::Css("form.filtros a.boton"))
                        .await
                        .unwrap()
                        .attr("href")
                        .await
                        .unwrap()
                        .unwrap();
                assert_eq!(enlace, "/importar.xlsx?estado=terminada");
                let r = ureq::get(&format!("{base}{enlace}"))
                    .set("Cookie", &format!("trazo_sesion={}", n.cookie().await))
                    .call()
                    .unwrap();
                assert_eq!(
                    r.content_type(),
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                );
                let mut libro = Vec::new();
                std::io::Read::read_to_end(&mut r.into_reader(), &mut libro).unwrap();
                assert!(libro.starts_with(b"PK"));
                n.ir(&format!("{base}/importar")).await;
                n.captura("importar-1280").await;

                // A form sent by hand with her session and token is taken like the browser's.
                let (st, donde) = subir_a_mano(
                    &base,
                    &n.cookie().await,
                    &csrf(n).await,
                    "dian_xml",
                    "otra.xml",
                    generador::attached_document(990_003, DEMO_PRESTADOR_NIT, &nit).as_bytes(),
                );
                assert_eq!((st, donde.starts_with("/importar/")), (303, true), "{donde}");
                // Without a type: back to the form, the error next to the field.
                let (st, _, pagina) =
                    subir_a_mano_con_cuerpo(&base, &n.cookie().await, &csrf(n).await, "", "otra.xml", b"<x/>");
                assert_eq!(st, 422);
                assert!(pagina.contains("id=\"error-tipo\""), "{pagina}");
            })
        });
    }

    // Cartera: a glosa sheet with one bad row; nothing is written and the row is named.
    let cartera = token(&base, "cartera@demo.trazo");
    let (_, radicadas) = api(&base, "GET", "/facturas?estado=radicada", Some(&cartera), None);
    let radicada = radicadas["items"][0]["numero"].as_str().unwrap().to_string();
    let id = radicadas["items"][0]["id"].as_str().unwrap().to_string();
    // Formulated the day it was radicated: a good row.
    let (a, m, d) = {
        let f = radicadas["items"][0]["fecha_radicacion"].as_str().unwrap();
        (f[0..4].to_string(), f[5..7].to_string(), f[8..10].to_string())
    };
    let formulada = format!("{d}/{m}/{a}");
    let glosas = |cartera: &str| {
        let (_, f) = api(&base, "GET", &format!("/facturas/{id}"), Some(cartera), None);
        f["glosas"].as_array().map_or(0, Vec::len)
    };
    let antes = glosas(&cartera);
    let hoja = escribir(
        "glosas.xlsx",
        &hoja_de_glosas(&[
            [&radicada, "FA0101", "1000", &formulada],
            ["NO-EXISTE-9", "FA0101", "1000", &formulada],
        ]),
    );
    {
        let base = base.clone();
        recorrido("importar-800", 800, move |n| {
            Box::pin(async move {
                n.ingresar(&base, "cartera@demo.trazo", CLAVE).await;
                n.ir(&format!("{base}/importar")).await;
                let tipos = n.texto("#tipo").await;
                assert!(
                    tipos.contains("Glosas del pagador (hoja)") && !tipos.contains("DIAN"),
                    "{tipos}"
                );
                n.captura("importar-800").await;
                n.c.find(Locator::Css("#perfil"))
                    .await
                    .unwrap()
                    .select_by_value("generico")
                    .await
                    .unwrap();
                subir(n, "glosas_xlsx", &hoja, false).await;
                assert_eq!(terminada(n).await, "Rechazada");
                let filas = n.c.find_all(Locator::Css("table.errores tbody tr")).await.unwrap();
                let mut textos = Vec::new();
                for f in filas {
                    textos.push(f.text().await.unwrap());
                }
                // Title on row 1, blank row 2, header row 3: the bad row is the sheet's row 5.
                assert_eq!(textos.len(), 1, "{textos:?}");
                assert!(
                    textos[0].contains("glosas.xlsx")
                        && textos[0].contains("fila 5")
                        && textos[0].contains("NO-EXISTE-9"),
                    "{textos:?}"
                );
                assert_eq!(n.texto("#creados").await, "0");
                n.captura("importar-glosas-800").await;
            })
        });
    }
    assert_eq!(glosas(&cartera), antes, "nothing written");

    // The auditor: no Importar in the navigation, and an upload made by hand is refused.
    recorrido("importar-auditor", 1280, move |n| {
        Box::pin(async move {
            n.ingresar(&base, "auditor@demo.trazo", CLAVE).await;
            assert!(n.c.find(Locator::Css("a[href='/importar']")).await.is_err());
            let xml = generador::attached_document(990_004, DEMO_PRESTADOR_NIT, &nit_pagador);
            let (st, _) = subir_a_mano(
                &base,
                &n.cookie().await,
                &csrf(n).await,
                "dian_xml",
                "f.xml",
                xml.as_bytes(),
            );
            assert_eq!(st, 403);
            // Without the token, refused before anything else.
            let (st, _) = subir_a_mano(&base, &n.cookie().await, "", "dian_xml", "f.xml", xml.as_bytes());
            assert_eq!(st, 403);
            // The history is open to read; no upload form is offered.
            n.ir(&format!("{base}/importar")).await;
            assert!(n.c.find(Locator::Css("form.subida")).await.is_err());
            assert!(n.texto("table.historial").await.contains("factura.xml"));
        })
    });
}

#[test]
fn a_file_bigger_than_the_server_takes_comes_back_on_the_form() {
    // `trazo demo` that takes uploads of at most 4 KB.
    let d = demo_con(&[("TRAZO_IMPORTACIONES__MAX_BYTES", "4096")]);
    let (base, dir) = (d.base.clone(), &d.dir);
    let grande = dir.path().join("grande.xml");
    let xml = format!("<x>{}</x>", "0".repeat(20_000));
    std::fs::write(&grande, &xml).unwrap();
    recorrido("importar-grande", 1280, move |n| {
        Box::pin(async move {
            n.ingresar(&base, "facturacion@demo.trazo", CLAVE).await;
            n.ir(&format!("{base}/importar")).await;
            n.c.find(Locator::Css("#tipo"))
                .await
                .unwrap()
                .select_by_value("dian_xml")
                .await
                .unwrap();
            n.c.find(Locator::Css("#archivo"))
                .await
                .unwrap()
                .send_keys(grande.to_str().unwrap())
                .await
                .unwrap();
            n.pulsar("form.subida button[type=submit]").await;
            assert_eq!(n.ruta().await, "/importar");
            let error = n.texto("#error-archivo").await;
            assert!(
                error.contains("grande.xml") && error.contains("pesa más de 4 KB"),
                "{error}"
            );
            n.captura("importar-error").await;
            // What was chosen is kept.
            let tipo =
                n.c.find(Locator::Css("#tipo"))
                    .await
                    .unwrap()
                    .prop("value")
                    .await
                    .unwrap();
            assert_eq!(tipo.as_deref(), Some("dian_xml"));
            let (st, _, _) = subir_a_mano_con_cuerpo(
                &base,
                &n.cookie().await,
                &csrf(n).await,
                "dian_xml",
                "g.xml",
                xml.as_bytes(),
            );
            assert_eq!(st, 413);
        })
    });
}
