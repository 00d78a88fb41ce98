//! Before radicating: the invoice's soportes checklist (Res. 2284/2023 Anexo 1) on its page, and
//! the radicación package (Anexo 2) built from the invoices ticked in the search, downloaded and
//! radicated with the payer's acknowledgement. The soportes and RIPS of two demo invoices are
//! loaded through the API first (their screens are the soportes' and the imports' own tests).

use std::collections::HashMap;

use fantoccini::Locator;
use serde_json::{json, Value};

use super::administracion::pulsar_y_confirmar;
use super::{api, demo, recorrido, token, CLAVE};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/// A request with a raw body, as the API takes files.
fn crudo(base: &str, token: &str, ruta: &str, bytes: &[u8]) -> (u16, Value) {
    let r = ureq::post(&format!("{base}/api/v1{ruta}"))
        .set("Authorization", &format!("Bearer {token}"))
        .set("Content-Type", "application/octet-stream")
        .send_bytes(bytes);
    let r = match r {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{ruta}: {e}"),
    };
    (r.status(), r.into_json().unwrap_or(Value::Null))
}

/// The invoice's RIPS (one procedure worth the whole invoice) imported, its XML, RIPS and
/// diagnostic results attached, and its CUV registered: complete for Anexo 1.
fn completar(base: &str, t: &str, f: &Value) {
    let (id, numero, valor) = (
        f["id"].as_str().unwrap(),
        f["numero"].as_str().unwrap(),
        f["valor_total"].as_str().unwrap(),
    );
    let rips = format!(
        r#"{{"numDocumentoIdObligado": "{}", "numFactura": "{numero}", "tipoNota": null, "numNota": null,
  "usuarios": [{{"tipoDocumentoIdentificacion": "CC", "numDocumentoIdentificacion": "1000000001", "consecutivo": 1,
    "servicios": {{"procedimientos": [{{"codPrestador": "110010000101", "fechaInicioAtencion": "2026-10-01 08:30",
      "numAutorizacion": null, "codProcedimiento": "903841", "codDiagnosticoPrincipal": "J069", "vrServicio": {valor}, "consecutivo": 1}}]}}}}]}}"#,
        trazo::app::demo::DEMO_PRESTADOR_NIT
    );
    let (st, corrida) = crudo(
        base,
        t,
        &format!("/importaciones?tipo=rips_json&archivo={numero}.json"),
        rips.as_bytes(),
    );
    assert_eq!(st, 202, "{corrida}");
    let hasta = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let (_, v) = api(
            base,
            "GET",
            &format!("/importaciones/{}", corrida["id"].as_str().unwrap()),
            Some(t),
            None,
        );
        if v["estado"] != "en_curso" && v["estado"] != "en_cola" {
            assert_eq!(v["creados"], 1, "{v}");
            break;
        }
        assert!(std::time::Instant::now() < hasta, "{v}");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let xml = format!("<?xml version=\"1.0\"?><AttachedDocument><ID>{numero}</ID></AttachedDocument>");
    let pdx = [PDF, numero.as_bytes()].concat();
    for (tipo, nombre, bytes) in [
        ("FEV", format!("{numero}.xml"), xml.as_bytes()),
        ("RIPS", format!("{numero}.json"), rips.as_bytes()),
        ("PDX", "resultados.pdf".to_string(), &pdx[..]),
    ] {
        let (st, v) = crudo(
            base,
            t,
            &format!("/soportes?objeto=factura&objeto_id={id}&tipo={tipo}&nombre={nombre}"),
            bytes,
        );
        assert_eq!(st, 201, "{tipo}: {v}");
    }
    let cuv = format!("{:0>96}", numero.replace(|c: char| !c.is_ascii_alphanumeric(), ""));
    let (st, v) = api(
        base,
        "POST",
        &format!("/facturas/{id}/rips/cuv"),
        Some(t),
        Some(json!({"cuv": cuv})),
    );
    assert_eq!((st, &v["completo"]), (200, &json!(true)), "{v}");
}

#[test]
fn the_clerk_packs_a_complete_lote_and_radicates_it_with_the_payers_acknowledgement() {
    let d = demo();
    let base = d.base.clone();
    let fact = token(&base, "facturacion@demo.trazo");
    let (_, l) = api(
        &base,
        "GET",
        "/facturas?estado=expedida&per_page=200",
        Some(&fact),
        None,
    );
    let mut por_pagador: HashMap<String, Vec<Value>> = HashMap::new();
    for f in l["items"].as_array().unwrap() {
        por_pagador
            .entry(f["pagador_id"].as_str().unwrap().to_string())
            .or_default()
            .push(f.clone());
    }
    let (pagador, facturas) = por_pagador
        .into_iter()
        .filter(|(_, v)| v.len() >= 3)
        .min_by_key(|(p, _)| p.clone())
        .expect("a demo payer with three invoices to radicate");
    let (a, b, incompleta) = (facturas[0].clone(), facturas[1].clone(), facturas[2].clone());
    completar(&base, &fact, &a);
    completar(&base, &fact, &b);
    let id = |f: &Value| f["id"].as_str().unwrap().to_string();
    let (ida, idb, idi) = (id(&a), id(&b), id(&incompleta));

    let (url, p) = (base.clone(), pagador.clone());
    let numeros = [
        a["numero"].as_str().unwrap().to_string(),
        b["numero"].as_str().unwrap().to_string(),
    ];
    recorrido("paquete", 1280, move |n| {
        Box::pin(async move {
            n.ingresar(&url, "facturacion@demo.trazo", CLAVE).await;
            // An invoice without soportes says what it lacks, and asks a reason to radicate it.
            n.ir(&format!("{url}/facturas/{idi}")).await;
            let ch = n.texto("#chequeo").await;
            assert!(ch.contains("Incompletos") && ch.contains("no está registrado"), "{ch}");
            assert!(n
                .c
                .find(Locator::Css("textarea[name=excepcion][required]"))
                .await
                .is_ok());
            n.captura("factura-chequeo-incompleta-1280").await;
            n.ir(&format!("{url}/facturas/{ida}")).await;
            let ch = n.texto("#chequeo").await;
            assert!(ch.contains("Completos") && ch.contains("CUV del RIPS"), "{ch}");
            assert!(n.c.find(Locator::Css("textarea[name=excepcion]")).await.is_err());
            n.captura("factura-chequeo-completa-1280").await;

            // Tick both in the search and pack them.
            n.ir(&format!("{url}/facturas?estado=expedida&pagador_id={p}")).await;
            for x in [&ida, &idb] {
                n.c.find(Locator::Css(&format!("input[name=factura_ids][value='{x}']")))
                    .await
                    .unwrap()
                    .click()
                    .await
                    .unwrap();
            }
            n.c.find(Locator::Css(&format!(
                "#lote select[name=pagador_id] option[value='{p}']"
            )))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
            let q = pulsar_y_confirmar(n, "button[formaction='/paquetes']").await;
            assert!(q.contains("Armar el paquete"), "{q}");
            assert!(n.ruta().await.starts_with("/paquetes/"), "{}", n.ruta().await);
            assert!(n
                .texto(".aviso")
                .await
                .contains("Paquete armado: 2 facturas, 6 archivos"));
            let archivos = n.texto("#archivos").await;
            for numero in &numeros {
                assert!(archivos.contains(&format!("PDX_900123456_{numero}.pdf")), "{archivos}");
            }
            n.captura("paquete-1280").await;
            // The download is the recorded zip.
            let href =
                n.c.find(Locator::Css("a[href$='.zip']"))
                    .await
                    .unwrap()
                    .attr("href")
                    .await
                    .unwrap()
                    .unwrap();
            let cookie = n.cookie().await;
            let zip = ureq::get(&format!("{url}{href}"))
                .set("Cookie", &format!("trazo_sesion={cookie}"))
                .call()
                .unwrap();
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut zip.into_reader(), &mut bytes).unwrap();
            let hash = n.texto("#hash").await;
            assert_eq!(trazo::app::importaciones::hash(&bytes), hash.trim());

            n.escribir("input[name=numero_radicado]", "RAD-PAQ-1").await;
            n.escribir("input[name=acuse_hora]", "1030AM").await;
            n.escribir("input[name=acuse_referencia]", "ACUSE-991").await;
            let q = pulsar_y_confirmar(n, "form[action$='/radicar'] button").await;
            assert!(q.contains("Radicar las 2 facturas"), "{q}");
            assert!(n
                .texto(".aviso")
                .await
                .contains("2 facturas radicadas con el número RAD-PAQ-1"));
            assert!(n.texto("#acuse").await.contains("ACUSE-991"));
            n.captura("paquete-radicado-1280").await;
        })
    });
    for x in [&a, &b] {
        let (_, f) = api(&base, "GET", &format!("/facturas/{}", id(x)), Some(&fact), None);
        assert_eq!(
            (f["estado"].as_str(), f["numero_radicado"].as_str()),
            (Some("radicada"), Some("RAD-PAQ-1"))
        );
    }
    let (url, idi) = (base.clone(), id(&incompleta));
    recorrido("paquete-tableta", 800, move |n| {
        Box::pin(async move {
            n.ingresar(&url, "facturacion@demo.trazo", CLAVE).await;
            n.ir(&format!("{url}/facturas/{idi}")).await;
            n.captura("factura-chequeo-800").await;
            n.ir(&format!("{url}/paquetes")).await;
            assert!(n.texto("#paquetes").await.contains("Radicado"));
            n.pulsar("#paquetes a").await;
            n.captura("paquete-800").await;
        })
    });
}
