//! Finance's journey through Cartera and a Pagador: the numbers shown are the API's, the
//! workbooks say the same, and a role that may not read cartera gets no link and a refusal.

use std::io::Cursor;
use std::str::FromStr;

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use fantoccini::Locator;
use rust_decimal::Decimal;
use serde_json::Value;
use trazo::web::formato::pesos;

use super::{api, demo, post_a_mano, recorrido, token, CLAVE};

/// A page's workbook, downloaded with the browser's session.
fn libro(base: &str, ruta: &str, cookie: &str) -> Xlsx<Cursor<Vec<u8>>> {
    let r = ureq::get(&format!("{base}{ruta}"))
        .set("Cookie", &format!("trazo_sesion={cookie}"))
        .call()
        .unwrap_or_else(|e| panic!("{ruta}: {e}"));
    assert_eq!(
        r.content_type(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut r.into_reader(), &mut bytes).unwrap();
    open_workbook_from_rs(Cursor::new(bytes)).unwrap()
}

fn numero(d: &Data) -> Decimal {
    match d {
        Data::Float(f) => Decimal::from_str(&format!("{f:.2}")).unwrap(),
        Data::Int(i) => Decimal::from(*i),
        Data::String(s) => Decimal::from_str(s).unwrap(),
        otro => panic!("not a number: {otro:?}"),
    }
}

fn pesos_de(v: &Value) -> String {
    pesos(Decimal::from_str(v.as_str().unwrap()).unwrap())
}

/// The status of a GET made with the session's cookie, without following redirects.
fn estado(base: &str, ruta: &str, cookie: &str) -> u16 {
    match ureq::AgentBuilder::new()
        .redirects(0)
        .build()
        .get(&format!("{base}{ruta}"))
        .set("Cookie", &format!("trazo_sesion={cookie}"))
        .call()
    {
        Ok(r) => r.status(),
        Err(ureq::Error::Status(s, _)) => s,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn finance_reads_the_aging_drills_into_a_payer_and_gets_the_same_numbers_in_the_workbooks() {
    let d = demo();
    let base = d.base.clone();
    let api_fin = token(&base, "finanzas@demo.trazo");
    recorrido("cartera", 1280, |n| {
        Box::pin(async move {
            n.ingresar(&base, "finanzas@demo.trazo", CLAVE).await;
            let nav = n.texto("header nav").await;
            assert!(nav.contains("Cartera"), "{nav}");
            n.pulsar("header nav a[href='/cartera']").await;
            assert_eq!(n.texto("h1").await, "Cartera por edades");

            // A cut-off in the past, kept in the URL.
            let corte = "2026-06-30";
            n.ir(&format!("{base}/cartera?corte={corte}")).await;
            let (st, r) = api(
                &base,
                "GET",
                &format!("/reportes/cartera?corte={corte}"),
                Some(&api_fin),
                None,
            );
            assert_eq!(st, 200, "{r}");
            let total_api = pesos_de(&r["total"]);
            assert_eq!(n.texto("#total-cartera").await, total_api);
            let filas = n.c.find_all(Locator::Css("#tabla-cartera tbody tr")).await.unwrap();
            assert_eq!(filas.len(), r["filas"].as_array().unwrap().len());
            assert!(filas.len() > 1, "the demo has several payers owing");

            // The chart is an image with a title and a description; one bar per payer.
            let svg = n.c.find(Locator::Css("figure.grafico svg")).await.unwrap();
            assert_eq!(svg.attr("role").await.unwrap().as_deref(), Some("img"));
            // A title and a description are not drawn, so WebDriver's text is empty: read them
            // as the DOM has them.
            let leer = |css: &'static str| async move {
                let v =
                    n.c.execute(&format!("return document.querySelector('{css}').textContent"), vec![])
                        .await
                        .unwrap();
                v.as_str().unwrap().to_string()
            };
            let titulo = leer("figure.grafico svg > title").await;
            assert!(titulo.contains("30/06/2026"), "{titulo}");
            let desc = leer("figure.grafico svg > desc").await;
            assert!(desc.contains(&total_api), "{desc}");
            let nombres =
                n.c.find_all(Locator::Css("figure.grafico svg text.nombre"))
                    .await
                    .unwrap();
            assert_eq!(nombres.len(), filas.len());
            n.captura("cartera-1280").await;

            // The workbook of the same cut-off says the same total.
            let cookie = n.cookie().await;
            let mut wb = libro(&base, &format!("/cartera.xlsx?corte={corte}"), &cookie);
            let hoja = wb.worksheet_range("Cartera por edades").unwrap();
            let encabezado: Vec<String> = hoja
                .rows()
                .find(|r| r.first().map(|c| c.to_string()) == Some("Pagador".into()))
                .unwrap()
                .iter()
                .map(|c| c.to_string())
                .collect();
            let col_total = encabezado.iter().position(|c| c == "Total").unwrap();
            let fila_total = hoja
                .rows()
                .find(|r| r.first().map(|c| c.to_string()) == Some("TOTAL".into()))
                .unwrap();
            assert_eq!(pesos(numero(&fila_total[col_total])), total_api);

            // Drill into the first payer: its invoices, each to its page.
            let pagador = n.texto("#tabla-cartera tbody tr th a").await;
            let total_pagador = n.texto("#tabla-cartera tbody tr td strong").await;
            n.pulsar("#tabla-cartera tbody tr th a").await;
            assert_eq!(n.texto("h1").await, format!("Cartera de {pagador} al 30/06/2026"));
            let ruta = n.ruta().await;
            assert!(ruta.contains(&format!("corte={corte}")), "{ruta}");
            let id = ruta
                .trim_start_matches("/cartera/pagadores/")
                .split('?')
                .next()
                .unwrap()
                .to_string();
            let facturas = n.c.find_all(Locator::Css("#facturas-pagador tbody tr")).await.unwrap();
            assert!(!facturas.is_empty());
            let (_, l) = api(
                &base,
                "GET",
                &format!("/reportes/cartera?corte={corte}&por=factura&pagador_id={id}"),
                Some(&api_fin),
                None,
            );
            assert_eq!(
                n.texto(".filtros span").await,
                format!(
                    "{} factura{} · página 1 de {}",
                    l["total"],
                    if l["total"] == 1 { "" } else { "s" },
                    (l["total"].as_i64().unwrap() + 49) / 50
                )
            );
            // The payer's workbook: every invoice with a balance, adding up to its total.
            let mut wb = libro(&base, &format!("/cartera/pagadores/{id}.xlsx?corte={corte}"), &cookie);
            let hoja = wb.worksheet_range("Cartera por factura").unwrap();
            let suma: Decimal = hoja
                .rows()
                .skip_while(|r| r.first().map(|c| c.to_string()) != Some("Factura".into()))
                .skip(1)
                .map(|r| numero(&r[9]))
                .sum();
            assert_eq!(pesos(suma), total_pagador);
            let numero_factura = n.texto("#facturas-pagador tbody tr td a").await;
            n.pulsar("#facturas-pagador tbody tr td a").await;
            assert!(n.texto("h1").await.starts_with(&format!("Factura {numero_factura}")));

            // Indicators with their trend, and glosas by cause.
            n.ir(&format!("{base}/cartera/indicadores")).await;
            let lineas = n.c.find_all(Locator::Css(".lineas svg[role=img]")).await.unwrap();
            assert_eq!(lineas.len(), 5);
            let meses = n.c.find_all(Locator::Css("#tabla-tendencia tbody tr")).await.unwrap();
            assert_eq!(meses.len(), 12);
            n.captura("cartera-indicadores-1280").await;
            n.ir(&format!("{base}/cartera/glosas?desde=2025-01-01&hasta=2026-11-30"))
                .await;
            let (_, g) = api(
                &base,
                "GET",
                "/reportes/glosas?desde=2025-01-01&hasta=2026-11-30",
                Some(&api_fin),
                None,
            );
            if g["filas"].as_array().unwrap().is_empty() {
                assert!(n.texto(".vacio").await.contains("No se recibieron glosas"));
            } else {
                assert_eq!(n.texto("#total-glosado").await, pesos_de(&g["total"]["glosado"]));
            }
            n.captura("cartera-glosas-1280").await;

            // The payer's page: its aging today, its invoices, and a gestión registered.
            n.ir(&format!("{base}/pagadores/{id}")).await;
            assert!(n.texto("h1").await.starts_with(&pagador));
            let (_, hoy) = api(
                &base,
                "GET",
                &format!("/reportes/cartera?pagador_id={id}"),
                Some(&api_fin),
                None,
            );
            let cuentas = n.texto("#edades-pagador").await;
            assert!(cuentas.contains(&pesos_de(&hoy["total"])), "{cuentas}");
            // The form opens in place.
            n.c.find(Locator::Css("details.formulario-gestion summary"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            n.escribir("#g-contacto", "Tesorería, Ana Pérez").await;
            // Without a result it comes back with what was typed and the error by the field.
            n.pulsar("form[action$='/gestiones'] button[type=submit]").await;
            assert!(n.texto("#e-resultado").await.contains("diga qué resultó"));
            n.captura("pagador-error-1280").await;
            let contacto =
                n.c.find(Locator::Css("#g-contacto"))
                    .await
                    .unwrap()
                    .prop("value")
                    .await
                    .unwrap();
            assert_eq!(contacto.as_deref(), Some("Tesorería, Ana Pérez"));
            n.escribir("#g-resultado", "Promete girar el 50 % el viernes").await;
            n.pulsar("form[action$='/gestiones'] button[type=submit]").await;
            assert!(n.texto(".aviso").await.starts_with("Gestión registrada: llamada del "));
            assert!(n.texto("#gestiones").await.contains("Promete girar el 50 % el viernes"));
            assert!(n
                .texto("dl.datos")
                .await
                .contains("Llamada: Promete girar el 50 % el viernes"));
            let (_, gs) = api(
                &base,
                "GET",
                &format!("/pagadores/{id}/gestiones"),
                Some(&api_fin),
                None,
            );
            assert_eq!(gs["total"], 1, "{gs}");
            assert_eq!(gs["items"][0]["contacto"], "Tesorería, Ana Pérez");
            n.captura("pagador-1280").await;
            // The same form posted without a result is answered 422, and nothing is recorded.
            let csrf =
                n.c.find(Locator::Css("form[action$='/gestiones'] input[name=csrf]"))
                    .await
                    .unwrap()
                    .prop("value")
                    .await
                    .unwrap()
                    .unwrap();
            let cuerpo = format!("csrf={csrf}&tipo=correo&fecha=2026-11-02&resultado=");
            assert_eq!(
                post_a_mano(&base, &format!("/pagadores/{id}/gestiones"), &cookie, &cuerpo, &[]),
                422
            );
            let (_, gs) = api(
                &base,
                "GET",
                &format!("/pagadores/{id}/gestiones"),
                Some(&api_fin),
                None,
            );
            assert_eq!(gs["total"], 1, "{gs}");
        })
    });
    let base = d.base.clone();
    recorrido("cartera-tableta", 800, |n| {
        Box::pin(async move {
            n.ingresar(&base, "cartera@demo.trazo", CLAVE).await;
            n.ir(&format!("{base}/cartera")).await;
            assert_eq!(n.texto("h1").await, "Cartera por edades");
            n.captura("cartera-800").await;
        })
    });
}

#[test]
fn billing_gets_no_cartera_link_and_a_refusal() {
    let d = demo();
    let base = d.base.clone();
    let adm = token(&base, "admin@demo.trazo");
    let (_, p) = api(&base, "GET", "/pagadores", Some(&adm), None);
    let id = p["items"][0]["id"].as_str().unwrap().to_string();
    let gestiones = format!("/pagadores/{id}/gestiones");
    recorrido("cartera-rechazos", 1280, |n| {
        Box::pin(async move {
            n.ingresar(&base, "facturacion@demo.trazo", CLAVE).await;
            let nav = n.texto("header nav").await;
            assert!(!nav.contains("Cartera"), "{nav}");
            n.ir(&format!("{base}/cartera")).await;
            assert_eq!(n.texto("h1").await, "Sin permiso");
            let cookie = n.cookie().await;
            for ruta in [
                "/cartera".to_string(),
                "/cartera.xlsx".into(),
                "/cartera/indicadores".into(),
                "/cartera/glosas.xlsx".into(),
                format!("/cartera/pagadores/{id}"),
                format!("/pagadores/{id}"),
            ] {
                assert_eq!(estado(&base, &ruta, &cookie), 403, "{ruta}");
            }
            // A gestión posted by hand with her own valid token is refused by the use case.
            let csrf =
                n.c.find(Locator::Css("form[action='/salir'] input[name=csrf]"))
                    .await
                    .unwrap()
                    .prop("value")
                    .await
                    .unwrap()
                    .unwrap();
            let cuerpo = format!("csrf={csrf}&tipo=llamada&fecha=2026-11-02&resultado=x");
            assert_eq!(
                post_a_mano(&base, &format!("/pagadores/{id}/gestiones"), &cookie, &cuerpo, &[]),
                403
            );
        })
    });
    let (_, gs) = api(&d.base, "GET", &gestiones, Some(&adm), None);
    assert_eq!(gs["total"], 0, "{gs}");
}
