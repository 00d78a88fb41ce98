//! Pagador: the cartera analyst receives a payer's statement of account from its page (a bad
//! row is named and nothing is kept; the same file twice records nothing new), reads the
//! reconciliation by cause — every figure the API's —, takes the workbook away and opens it,
//! and sends the payer a reminder whose preview said what it would carry.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Cursor, Read, Write};
use std::net::TcpListener;
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use fantoccini::Locator;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use trazo::web::formato::pesos;

use super::{api, demo_con, recorrido, token, valor, Navegador, CLAVE};

/// A one-connection-at-a-time SMTP server that keeps the messages it receives.
fn buzon() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let recibidos = Arc::new(Mutex::new(Vec::new()));
    let guardar = recibidos.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut w) = stream else { continue };
            let mut r = BufReader::new(w.try_clone().unwrap());
            w.write_all(b"220 buzon ESMTP\r\n").unwrap();
            let mut linea = String::new();
            loop {
                linea.clear();
                if r.read_line(&mut linea).unwrap_or(0) == 0 {
                    break;
                }
                let cmd = linea.to_ascii_uppercase();
                if cmd.starts_with("EHLO") || cmd.starts_with("HELO") {
                    w.write_all(b"250-buzon\r\n250 8BITMIME\r\n").unwrap();
                } else if cmd.starts_with("DATA") {
                    w.write_all(b"354 adelante\r\n").unwrap();
                    let mut datos = Vec::new();
                    loop {
                        let mut l = Vec::new();
                        r.read_until(b'\n', &mut l).unwrap();
                        if l == b".\r\n" {
                            break;
                        }
                        datos.extend_from_slice(&l);
                    }
                    guardar
                        .lock()
                        .unwrap()
                        .push(String::from_utf8_lossy(&datos).into_owned());
                    w.write_all(b"250 recibido\r\n").unwrap();
                } else if cmd.starts_with("QUIT") {
                    w.write_all(b"221 adios\r\n").unwrap();
                    break;
                } else {
                    w.write_all(b"250 ok\r\n").unwrap();
                }
            }
            let _ = r.read_to_end(&mut Vec::new());
        }
    });
    (port, recibidos)
}

fn dec(v: &Value) -> Decimal {
    Decimal::from_str(v.as_str().unwrap_or_else(|| panic!("not a decimal: {v}"))).unwrap()
}

/// A radicated invoice with a balance: (id, number, saldo).
type Abierta = (String, String, Decimal);

/// The demo payer with most radicated invoices with a balance today, and two of them.
fn pagador_con_deuda(base: &str, tok: &str) -> (String, Vec<Abierta>) {
    let (st, l) = api(
        base,
        "GET",
        "/reportes/cartera?por=factura&per_page=500",
        Some(tok),
        None,
    );
    assert_eq!(st, 200, "{l}");
    let mut por_pagador: HashMap<String, Vec<Abierta>> = HashMap::new();
    for f in l["items"].as_array().unwrap() {
        if f["fecha_radicacion"].is_string() && dec(&f["saldo"]) > Decimal::from(200_000) {
            por_pagador
                .entry(f["pagador_id"].as_str().unwrap().to_string())
                .or_default()
                .push((
                    f["factura_id"].as_str().unwrap().to_string(),
                    f["numero"].as_str().unwrap().to_string(),
                    dec(&f["saldo"]),
                ));
        }
    }
    por_pagador
        .into_iter()
        .filter(|(_, v)| v.len() >= 2)
        .max_by_key(|(k, v)| (v.len(), k.clone()))
        .expect("a demo payer with two radicated invoices with a balance")
}

/// The payer's statement as a cartera analyst receives it: a title, then the generic
/// profile's columns.
fn estado_xlsx(filas: &[(&str, Decimal)]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "Estado de cuenta del prestador").unwrap();
    ws.write_string(2, 0, "numero_factura").unwrap();
    ws.write_string(2, 1, "saldo").unwrap();
    for (i, (numero, saldo)) in filas.iter().enumerate() {
        ws.write_string(i as u32 + 3, 0, *numero).unwrap();
        ws.write_number(i as u32 + 3, 1, saldo.to_string().parse::<f64>().unwrap())
            .unwrap();
    }
    wb.save_to_buffer().unwrap()
}

fn numero(d: &Data) -> Decimal {
    match d {
        Data::Float(f) => Decimal::from_str(&format!("{f:.2}")).unwrap(),
        Data::Int(i) => Decimal::from(*i),
        Data::String(s) => Decimal::from_str(s).unwrap(),
        otro => panic!("not a number: {otro:?}"),
    }
}

/// Clicks a button whose form asks to confirm, accepts, and waits for the next page.
async fn pulsar_y_confirmar(n: &Navegador, css: &str) -> String {
    let antes = n.c.find(Locator::Css("body")).await.unwrap();
    n.c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .click()
        .await
        .unwrap();
    let hasta = Instant::now() + Duration::from_secs(10);
    let pregunta = loop {
        if let Ok(t) = n.c.get_alert_text().await {
            break t;
        }
        assert!(Instant::now() < hasta, "{css} asked nothing");
        tokio::time::sleep(Duration::from_millis(30)).await;
    };
    n.c.accept_alert().await.unwrap();
    while antes.tag_name().await.is_ok() {
        assert!(Instant::now() < hasta, "confirming {css} led nowhere in 10 s");
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    pregunta
}

/// Scrolls what `css` finds to the top of the window, to capture it.
async fn a_la_vista(n: &Navegador, css: &str) {
    n.c.execute(
        "document.querySelector(arguments[0]).scrollIntoView();",
        vec![json!(css)],
    )
    .await
    .unwrap();
}

/// Fills the statement form (the date through the DOM: a date input types in the browser's
/// locale) and sends it.
async fn recibir(n: &Navegador, corte: &str, archivo: &std::path::Path) {
    if n.c.find(Locator::Css("#recibir-estado[open]")).await.is_err() {
        n.c.find(Locator::Css("#recibir-estado summary"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    }
    n.c.execute(
        "document.querySelector('#e-corte').value = arguments[0];",
        vec![json!(corte)],
    )
    .await
    .unwrap();
    n.c.find(Locator::Css("#e-archivo"))
        .await
        .unwrap()
        .send_keys(archivo.to_str().unwrap())
        .await
        .unwrap();
    n.pulsar("#recibir-estado button[type=submit]").await;
}

#[test]
fn the_cartera_analyst_reconciles_a_payers_statement_and_sends_it_a_reminder() {
    let (puerto, correos) = buzon();
    let puerto = puerto.to_string();
    let d = demo_con(&[
        ("TRAZO_SMTP__HOST", "127.0.0.1"),
        ("TRAZO_SMTP__PORT", &puerto),
        ("TRAZO_SMTP__SEGURIDAD", "ninguna"),
        ("TRAZO_SMTP__REMITENTE", "cartera@ips.test"),
    ]);
    let base = d.base.clone();
    let car = token(&base, "cartera@demo.trazo");
    let (pid, abiertas) = pagador_con_deuda(&base, &car);
    let (a, b) = (abiertas[0].clone(), abiertas[1].clone());
    // The payer agrees with one invoice, recognises $ 100.000 less of another, and lists one
    // the prestador never issued.
    let menos = Decimal::from(100_000);
    let bueno = d.dir.path().join("estado-eps.xlsx");
    std::fs::write(
        &bueno,
        estado_xlsx(&[(&a.1, a.2), (&b.1, b.2 - menos), ("FX-99999", Decimal::from(500_000))]),
    )
    .unwrap();
    let malo = d.dir.path().join("estado-malo.csv");
    std::fs::write(&malo, "numero_factura;saldo\nFX-1;1.000\nFX-2;mucho\n").unwrap();
    recorrido("pagador", 1280, |n| {
        Box::pin(async move {
            n.ingresar(&base, "cartera@demo.trazo", CLAVE).await;
            n.ir(&format!("{base}/pagadores/{pid}")).await;
            // Today, as the gestión form proposes it: the statement's cut-off.
            let hoy = valor(n, "#g-fecha").await;

            // A bad row: named, nothing kept, the cut-off and profile as chosen.
            recibir(n, &hoy, &malo).await;
            let error = n.texto("#error-archivo").await;
            assert!(error.contains("fila 3") && error.contains("estado-malo.csv"), "{error}");
            assert_eq!(valor(n, "#e-corte").await, hoy);
            assert_eq!(valor(n, "#e-perfil").await, "generico");
            a_la_vista(n, "#recibir-estado").await;
            n.captura("pagador-estado-error-1280").await;
            let (_, l) = api(
                &base,
                "GET",
                &format!("/estados-cuenta?pagador_id={pid}"),
                Some(&car),
                None,
            );
            assert_eq!(l["total"], 0, "{l}");

            recibir(n, &hoy, &bueno).await;
            let aviso = n.texto(".aviso").await;
            assert!(aviso.contains("recibido: 3 facturas del pagador"), "{aviso}");
            let ruta = n.ruta().await;
            let eid = ruta
                .strip_prefix(&format!("/pagadores/{pid}/estados-cuenta/"))
                .expect(&ruta)
                .to_string();
            let (st, c) = api(&base, "GET", &format!("/estados-cuenta/{eid}"), Some(&car), None);
            assert_eq!(st, 200, "{c}");

            // The totals and every cause of the summary are the API's.
            assert_eq!(n.texto("#saldo-prestador").await, pesos(dec(&c["saldo_prestador"])));
            assert_eq!(n.texto("#saldo-pagador").await, pesos(dec(&c["saldo_pagador"])));
            assert_eq!(n.texto("#diferencia").await, pesos(dec(&c["diferencia"])));
            let resumen = c["resumen"].as_array().unwrap();
            let filas = n.c.find_all(Locator::Css("#resumen-causas tbody tr")).await.unwrap();
            assert_eq!(filas.len(), resumen.len());
            for r in resumen {
                let t = n
                    .texto(&format!(
                        "#resumen-causas tr[data-causa={}]",
                        r["causa"].as_str().unwrap()
                    ))
                    .await;
                assert!(t.contains(&pesos(dec(&r["diferencia"]))), "{t} / {r}");
                assert!(!t.contains('_'), "plain words: {t}");
            }
            let fx = n.texto("#resumen-causas tr[data-causa=no_registrada_prestador]").await;
            assert!(fx.contains("No registrada en Trazo"), "{fx}");
            n.captura("conciliacion-1280").await;

            // The invoice the payer recognises less of: the API's difference and cause.
            let de_b = c["filas"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["factura_id"] == b.0.as_str())
                .unwrap();
            n.ir(&format!("{base}{ruta}?numero={}", b.1)).await;
            let fila = format!(
                "#filas-conciliacion tr[data-numero='{}'][data-causa={}]",
                b.1,
                de_b["causa"].as_str().unwrap()
            );
            assert_eq!(
                n.texto(&format!("{fila} td.diferencia")).await,
                pesos(dec(&de_b["diferencia"]))
            );
            assert_eq!(n.texto(&format!("{fila} th a[href='/facturas/{}']", b.0)).await, b.1);
            // By cause, from the summary: the invoice Trazo does not have, unlinked.
            n.ir(&format!("{base}{ruta}")).await;
            n.pulsar("#resumen-causas tr[data-causa=no_registrada_prestador] a")
                .await;
            assert!(n.ruta().await.contains("causa=no_registrada_prestador"));
            let solo = n.texto("#filas-conciliacion tbody").await;
            assert!(
                solo.contains("FX-99999") && solo.contains(&pesos(Decimal::from(-500_000))),
                "{solo}"
            );
            assert!(n.c.find(Locator::Css("#filas-conciliacion tbody a")).await.is_err());
            assert_eq!(
                n.c.find_all(Locator::Css("#filas-conciliacion tbody tr"))
                    .await
                    .unwrap()
                    .len(),
                1
            );
            n.ir(&format!("{base}{ruta}")).await;
            a_la_vista(n, "#facturas-titulo").await;
            n.captura("conciliacion-facturas-1280").await;

            // The workbook: its total difference is the page's.
            let cookie = n.cookie().await;
            let r = ureq::get(&format!("{base}{ruta}.xlsx"))
                .set("Cookie", &format!("trazo_sesion={cookie}"))
                .call()
                .unwrap();
            assert_eq!(
                r.content_type(),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            );
            let mut bytes = Vec::new();
            r.into_reader().read_to_end(&mut bytes).unwrap();
            let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
            let hoja = wb.worksheet_range("Resumen").unwrap();
            let total = hoja
                .rows()
                .find(|f| f[0] == Data::String("TOTAL".into()))
                .expect("a TOTAL row");
            assert_eq!(numero(&total[5]), dec(&c["diferencia"]));

            // The same file again records nothing and says so.
            n.ir(&format!("{base}/pagadores/{pid}")).await;
            recibir(n, &hoy, &bueno).await;
            let aviso = n.texto(".aviso").await;
            assert!(aviso.contains("no se registró nada nuevo"), "{aviso}");
            assert_eq!(n.ruta().await, ruta);
            let (_, l) = api(
                &base,
                "GET",
                &format!("/estados-cuenta?pagador_id={pid}"),
                Some(&car),
                None,
            );
            assert_eq!(l["total"], 1, "{l}");

            // A reminder: what it will carry is shown first, then it is sent and logged.
            n.ir(&format!("{base}/pagadores/{pid}")).await;
            let estados = n.texto("#estados-cuenta").await;
            assert!(estados.contains("estado-eps.xlsx"), "{estados}");
            // The preview is built when asked for (it reads every invoice of the payer).
            assert!(n.c.find(Locator::Css("#previa-saldo")).await.is_err());
            n.pulsar("#preparar-recordatorio").await;
            let saldo = n.texto("#previa-saldo").await;
            a_la_vista(n, "#recordatorio").await;
            n.captura("pagador-recordatorio-1280").await;
            n.escribir("#r-para", "pagos@eps.test").await;
            n.escribir("#r-mensaje", "Quedamos atentos a su programación de pagos.")
                .await;
            let pregunta = pulsar_y_confirmar(n, "#enviar-recordatorio button[type=submit]").await;
            assert!(pregunta.contains(&saldo), "{pregunta}");
            let aviso = n.texto(".aviso").await;
            assert!(
                aviso.contains("Recordatorio enviado a pagos@eps.test") && aviso.contains(&saldo),
                "{aviso} / {saldo}"
            );
            let correo = correos
                .lock()
                .unwrap()
                .pop()
                .expect("a message reached the SMTP server");
            assert!(correo.contains("pagos@eps.test"), "{correo}");
            let gestiones = n.texto("#gestiones").await;
            assert!(
                gestiones.contains("Correo") && gestiones.contains("estado de cuenta enviado"),
                "{gestiones}"
            );

            // On a tablet: the payer's page and the reconciliation.
            n.c.set_window_size(800, 1000).await.unwrap();
            a_la_vista(n, "#recordatorio").await;
            n.captura("pagador-800").await;
            n.ir(&format!("{base}{ruta}")).await;
            n.captura("conciliacion-800").await;
            a_la_vista(n, "#facturas-titulo").await;
            n.captura("conciliacion-facturas-800").await;
        })
    });
}
