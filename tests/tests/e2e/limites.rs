//! Memory bounded by configuration, not by the input (issue 15): the uploads built to take the
//! server's memory are refused at once with 413 naming the limit and its value; at most
//! `importaciones.max_simultaneas` runs work at once, the rest wait `en_cola`, in order.

use serde_json::Value;
use trazo_importers::dian::generador;
use trazo_tests::ataques;
use trazo_tests::{id, zip_de, TestApp};

const NIT_PAGADOR: &str = "800250119";

fn subir(app: &TestApp, token: &str, query: &str, body: &[u8]) -> trazo_tests::Resp {
    app.request(
        "POST",
        &format!("/api/v1/importaciones?{query}"),
        Some(token),
        Some("application/octet-stream"),
        Some(body),
    )
}

fn detalle(p: &Value) -> &str {
    p["detail"].as_str().unwrap_or_default()
}

#[test]
fn the_issue_attacks_are_refused_at_once_naming_the_limit_and_nothing_is_recorded() {
    let app = TestApp::spawn();
    let e = app.equipo();
    let ods = ataques::ods_repetida();
    assert!(ods.len() < 1024, "{}", ods.len());
    let ataques: [(&str, &str, Vec<u8>, &str); 4] = [
        (
            "tipo=glosas_xlsx&archivo=glosas.ods",
            &e.cartera,
            ods.clone(),
            "glosas.ods: una hoja tiene 16384 columnas contando las repetidas (table:number-columns-repeated); \
             el máximo es 1024 (importaciones.max_columnas)",
        ),
        (
            "tipo=glosas_xlsx&archivo=celdas.xlsx",
            &e.cartera,
            ataques::xlsx_diez_millones_de_celdas(),
            "(importaciones.zip_max_",
        ),
        (
            "tipo=pagos_xlsx&archivo=textos.xlsx",
            &e.cartera,
            ataques::xlsx_veinte_millones_de_textos(),
            "(importaciones.zip_max_",
        ),
        (
            "tipo=dian_xml&archivo=vacios.xml",
            &e.facturacion,
            ataques::xml_de_18_mb(),
            "vacios.xml: el XML tiene más de 1000000 elementos; el máximo es 1000000 (importaciones.max_elementos_xml)",
        ),
    ];
    for (query, token, body, espera) in &ataques {
        let p = subir(&app, token, query, body).problem(413);
        assert!(detalle(&p).contains(espera), "{query}: {p}");
        assert!(
            detalle(&p).contains("máximo") || detalle(&p).contains("más de"),
            "{query}: {p}"
        );
    }
    // Refused before a run is recorded.
    for token in [&e.cartera, &e.facturacion] {
        let l = app.get("/api/v1/importaciones", token).expect(200).json();
        assert_eq!(l["total"], 0, "{l}");
    }
    // The statement of account reads sheets too.
    let p = app
        .request(
            "POST",
            &format!(
                "/api/v1/pagadores/{}/estados-cuenta?corte=2026-06-30&archivo=estado.ods",
                e.pagador_id
            ),
            Some(&e.cartera),
            Some("application/octet-stream"),
            Some(&ods),
        )
        .problem(413);
    assert!(detalle(&p).contains("(importaciones.max_columnas)"), "{p}");
}

#[test]
fn the_limits_are_the_configured_ones_and_hold_inside_a_zip() {
    let app = TestApp::con(|s| {
        s.importaciones.max_celdas = 1000;
        s.importaciones.max_textos_compartidos = 50;
    });
    let e = app.equipo();
    let p = subir(
        &app,
        &e.cartera,
        "tipo=glosas_xlsx&archivo=g.xlsx",
        &ataques::xlsx_de_celdas(11, 100),
    )
    .problem(413);
    assert!(
        detalle(&p).contains(
            "g.xlsx: la hoja «sheet1» tiene más de 1000 celdas con datos; el máximo es 1000 (importaciones.max_celdas)"
        ),
        "{p}"
    );
    // 1000 cells are within 1000: the sheet reaches its parser (which finds no header).
    let r = app.importar(
        &e.cartera,
        "tipo=glosas_xlsx&archivo=g.xlsx",
        "application/octet-stream",
        &ataques::xlsx_de_celdas(10, 100),
    );
    assert_eq!(r["estado"], "rechazada", "{r}");
    assert!(
        r["errores"][0]["message"].as_str().unwrap().contains("encabezados"),
        "{r}"
    );
    let p = subir(
        &app,
        &e.cartera,
        "tipo=pagos_xlsx&archivo=t.xlsx",
        &ataques::xlsx_de_textos(51),
    )
    .problem(413);
    assert!(
        detalle(&p).contains("declara 51 textos compartidos") && detalle(&p).contains("el máximo es 50"),
        "{p}"
    );
    // The entries of a zip are checked as each is read: the run is refused, naming the entry.
    let zip = zip_de(&[("lote/glosas.ods".to_string(), ataques::ods_repetida())]);
    let r = app.importar(&e.cartera, "tipo=glosas_xlsx&archivo=lote.zip", "application/zip", &zip);
    assert_eq!(r["estado"], "rechazada", "{r}");
    let m = r["errores"][0]["message"].as_str().unwrap();
    assert!(
        m.starts_with("lote/glosas.ods: una hoja tiene 16384 columnas") && m.contains("(importaciones.max_columnas)"),
        "{m}"
    );
}

#[test]
fn runs_beyond_the_configured_number_wait_en_cola_and_then_work_in_order() {
    let app = TestApp::con(|s| {
        s.importaciones.max_simultaneas = 1;
        s.importaciones.max_en_cola = 1;
    });
    let e = app.equipo_con_pagador(NIT_PAGADOR);
    let lote = |desde: u64, n: u64| {
        let docs: Vec<(String, Vec<u8>)> = (desde..desde + n)
            .map(|i| {
                (
                    format!("fev{i}.xml"),
                    generador::attached_document(i, &e.tenant.nit, NIT_PAGADOR).into_bytes(),
                )
            })
            .collect();
        zip_de(&docs)
    };
    // Three runs sent one after the other. How far the first got when the others arrive
    // depends on the machine (the order and the refusal when the line is full are proven
    // without timing in `app::importaciones::cola`'s tests); what holds always: each is
    // accepted (working or waiting) or refused as busy, and the accepted ones work in the
    // order they came.
    let q = "tipo=dian_xml&archivo=lote.zip";
    let mut aceptadas = Vec::new();
    for lote in [lote(1, 600), lote(1001, 2), lote(2001, 2)] {
        let r = subir(&app, &e.facturacion, q, &lote);
        if r.status == 503 {
            let p = r.problem(503);
            assert!(p.to_string().contains("ocupado"), "{p}");
        } else {
            let v = r.expect(202).json();
            assert!(v["estado"] == "en_cola" || v["estado"] == "en_curso", "{v}");
            aceptadas.push(v);
        }
    }
    assert!(aceptadas.len() >= 2, "{aceptadas:?}");

    let fin = |v: &Value| loop {
        let v = app
            .get(&format!("/api/v1/importaciones/{}", id(v)), &e.facturacion)
            .expect(200)
            .json();
        if v["estado"] != "en_cola" && v["estado"] != "en_curso" {
            return v;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let hechas: Vec<Value> = aceptadas.iter().map(fin).collect();
    for (v, creados) in hechas.iter().zip([600, 2, 2]) {
        assert_eq!(
            (v["estado"].as_str(), v["creados"].as_i64()),
            (Some("terminada"), Some(creados)),
            "{v}"
        );
    }
    // One at a time, in the order they came.
    for par in hechas.windows(2) {
        assert!(
            par[1]["terminado_en"].as_str() > par[0]["terminado_en"].as_str(),
            "{par:?}"
        );
    }
}

/// Peak resident memory of a server (this process) under one upload, sent `TRAZO_VECES` times at
/// once (default 1), with the default limits: `TRAZO_ATAQUE` names it (`ods`, `celdas`,
/// `textos`, `xml`: the issue's attacks; `ods_limite`, `xlsx_limite`, `xml_limite`: the largest
/// files the limits let through, parsed in full). VmHWM only grows, so each figure needs a
/// process of its own; `scripts/pico-rss.sh` runs them all (see BENCHMARKS.md).
#[test]
#[ignore]
fn peak_rss_under_one_attack() {
    let app = TestApp::spawn();
    let e = app.equipo();
    let ataque = std::env::var("TRAZO_ATAQUE").unwrap_or_else(|_| "ods".into());
    let veces: usize = std::env::var("TRAZO_VECES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let (q, body) = match ataque.as_str() {
        "ods" => ("tipo=glosas_xlsx&archivo=a.ods", ataques::ods_repetida()),
        "celdas" => (
            "tipo=glosas_xlsx&archivo=b.xlsx",
            ataques::xlsx_diez_millones_de_celdas(),
        ),
        "textos" => (
            "tipo=pagos_xlsx&archivo=c.xlsx",
            ataques::xlsx_veinte_millones_de_textos(),
        ),
        "xml" => ("tipo=dian_xml&archivo=d.xml", ataques::xml_de_18_mb()),
        "ods_limite" => ("tipo=glosas_xlsx&archivo=e.ods", ataques::ods_de(2_000, 1_000)),
        "xlsx_limite" => ("tipo=glosas_xlsx&archivo=f.xlsx", ataques::xlsx_de_numeros(20_000, 100)),
        "xml_limite" => ("tipo=dian_xml&archivo=g.xml", ataques::xml_de_elementos(999_998)),
        otro => panic!("TRAZO_ATAQUE desconocido: {otro}"),
    };
    let token = if q.contains("dian") { &e.facturacion } else { &e.cartera };
    let kib = || ataques::pico_rss_kib().unwrap_or(0);
    let antes = kib();
    let t = std::time::Instant::now();
    let resultados: Vec<String> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..veces)
            .map(|_| {
                s.spawn(|| {
                    let r = subir(&app, token, q, &body);
                    if r.status != 202 {
                        return r.status.to_string();
                    }
                    let r = r.json();
                    loop {
                        let v = app
                            .get(&format!("/api/v1/importaciones/{}", id(&r)), token)
                            .expect(200)
                            .json();
                        if v["estado"] != "en_cola" && v["estado"] != "en_curso" {
                            let causa: String = v["errores"][0]["message"]
                                .as_str()
                                .unwrap_or_default()
                                .chars()
                                .take(70)
                                .collect();
                            return format!("202 {} ({causa})", v["estado"].as_str().unwrap_or_default());
                        }
                        std::thread::sleep(std::time::Duration::from_millis(20));
                    }
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut distintos = resultados.clone();
    distintos.dedup();
    println!(
        "| {ataque} | {veces} | {} | {} | {} | {} | {} |",
        body.len(),
        distintos.join(", "),
        t.elapsed().as_millis(),
        antes / 1024,
        kib() / 1024
    );
}

/// A run whose server stopped mid-way (a crash, `kill -9`, a restart) is told `interrumpida` by
/// any server, never `en_curso` for ever; a run of a server still alive is left at work.
#[test]
fn a_run_left_by_a_stopped_server_is_interrupted_not_en_curso_for_ever() {
    use diesel::connection::SimpleConnection;
    let app = TestApp::spawn();
    let e = app.equipo_con_pagador(NIT_PAGADOR);
    let doc = generador::attached_document(1, &e.tenant.nit, NIT_PAGADOR).into_bytes();
    let hecha = |archivo: &str| {
        app.importar(
            &e.facturacion,
            &format!("tipo=dian_xml&simular=true&archivo={archivo}"),
            "application/xml",
            &doc,
        )
    };
    let (muerta, viva) = (hecha("a.xml"), hecha("b.xml"));
    // What a crash leaves: the runs at work, one on a server silent for an hour, one on a
    // server that said it was alive a moment ago.
    let db = trazo::db::Db::connect(&app.database_url, 1).unwrap();
    let mut c = db.conn().unwrap();
    let ahora = trazo::db::now();
    trazo::db::servidores::latir(&mut c, "servidor-muerto", ahora - chrono::Duration::hours(1)).unwrap();
    trazo::db::servidores::latir(&mut c, "servidor-vivo", ahora).unwrap();
    for (run, servidor) in [(&muerta, "servidor-muerto"), (&viva, "servidor-vivo")] {
        c.batch_execute(&format!(
            "UPDATE importaciones SET estado = 'en_curso', terminado_en = NULL, servidor_id = '{servidor}' WHERE id = '{}'",
            id(run)
        ))
        .unwrap();
    }
    let ver = |run: &Value| {
        app.get(&format!("/api/v1/importaciones/{}", id(run)), &e.facturacion)
            .expect(200)
            .json()
    };
    let v = ver(&muerta);
    assert_eq!(v["estado"], "interrumpida", "{v}");
    assert!(
        v["errores"][0]["message"].as_str().unwrap().contains("súbala de nuevo"),
        "{v}"
    );
    assert!(v["terminado_en"].is_string(), "{v}");
    assert_eq!(ver(&viva)["estado"], "en_curso");
    // The history says so too.
    let l = app
        .get("/api/v1/importaciones?estado=interrumpida", &e.facturacion)
        .expect(200)
        .json();
    assert_eq!(l["total"], 1, "{l}");
}

/// A run whose server stopped, with its upload kept: the running server takes it and runs it
/// again from the start as the user who started it; if that user was disabled since, it is
/// marked `interrumpida` saying why, and nothing is written. (A real `kill -9` of a server on
/// both backends: `backend/tests/durables.rs`.)
#[test]
fn a_run_a_stopped_server_left_is_run_again_unless_its_user_may_no_longer_import() {
    use diesel::connection::SimpleConnection;
    let app = TestApp::spawn();
    let e = app.equipo_con_pagador(NIT_PAGADOR);
    let otro = app.user(&e.tenant, trazo::domain::rol::Rol::Facturacion);
    let doc = |n| generador::attached_document(n, &e.tenant.nit, NIT_PAGADOR).into_bytes();
    let correr = |token: &str, n| {
        let r = app.importar(
            token,
            "tipo=dian_xml&simular=true&archivo=f.xml",
            "application/xml",
            &doc(n),
        );
        assert_eq!(r["estado"], "simulada", "{r}");
        r
    };
    let (sigue, desactivado) = (correr(&e.facturacion, 1), correr(&otro, 2));
    let db = trazo::db::Db::connect(&app.database_url, 1).unwrap();
    let mut c = db.conn().unwrap();
    trazo::db::servidores::latir(
        &mut c,
        "servidor-apagado",
        trazo::db::now() - chrono::Duration::hours(1),
    )
    .unwrap();
    for (run, n) in [(&sigue, 1), (&desactivado, 2)] {
        c.batch_execute(&format!(
            "UPDATE importaciones SET estado = 'en_curso', terminado_en = NULL, creados = 0, \
             servidor_id = 'servidor-apagado' WHERE id = '{}'",
            id(run)
        ))
        .unwrap();
        trazo::db::importaciones::guardar_subida(&mut c, &id(run), "f.xml", &doc(n)).unwrap();
    }
    drop(c);
    let items = |ruta: &str| app.get(ruta, &e.tenant.admin).expect(200).json()["items"].clone();
    let quien = items("/api/v1/importaciones")
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == desactivado["id"])
        .unwrap()["usuario_id"]
        .clone();
    let usuario = items("/api/v1/usuarios")
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == quien)
        .cloned()
        .unwrap();
    app.patch(
        &format!("/api/v1/usuarios/{}", id(&usuario)),
        &e.tenant.admin,
        &serde_json::json!({"version": usuario["version"], "activo": false, "motivo": "retiro"}),
    )
    .expect(200);

    // The server sweeps every ten seconds (a sixth of importaciones.silencio_segundos).
    let hasta = std::time::Instant::now() + std::time::Duration::from_secs(40);
    let ver = |run: &Value| {
        app.get(&format!("/api/v1/importaciones/{}", id(run)), &e.tenant.admin)
            .expect(200)
            .json()
    };
    let (a, b) = loop {
        let (a, b) = (ver(&sigue), ver(&desactivado));
        let hecho = |v: &Value| !matches!(v["estado"].as_str(), Some("en_curso" | "en_cola"));
        if hecho(&a) && hecho(&b) {
            break (a, b);
        }
        assert!(std::time::Instant::now() < hasta, "not taken in 40 s: {a} {b}");
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    assert_eq!(a["estado"], "simulada", "{a}");
    assert_eq!(a["creados"], 1, "{a}");
    assert_eq!(b["estado"], "interrumpida", "{b}");
    assert!(
        b["errores"][0]["message"]
            .as_str()
            .unwrap()
            .contains("ya no puede importar"),
        "{b}"
    );
    for run in [&sigue, &desactivado] {
        let kept = db
            .read(|c| Ok::<_, trazo::app::AppError>(trazo::db::importaciones::subida(c, &id(run))?))
            .unwrap();
        assert!(kept.is_none(), "an ended run's upload is let go");
    }
}

/// The same upload sent twice at once: one run writes it; the other finds it already there
/// (duplicates) or, when both checked before either wrote, is refused saying so — never a
/// `fallida` with the database's words, never written twice.
#[test]
fn the_same_upload_twice_at_once_is_written_once_and_said_plainly() {
    let app = TestApp::spawn();
    let e = app.equipo_con_pagador(NIT_PAGADOR);
    for ronda in 0..4u64 {
        let docs: Vec<(String, Vec<u8>)> = (0..150)
            .map(|i| {
                let n = ronda * 1000 + i;
                (
                    format!("fev{n}.xml"),
                    generador::attached_document(n, &e.tenant.nit, NIT_PAGADOR).into_bytes(),
                )
            })
            .collect();
        let zip = zip_de(&docs);
        let fin: Vec<Value> = std::thread::scope(|s| {
            let hilos: Vec<_> = (0..2)
                .map(|_| {
                    s.spawn(|| {
                        app.importar(
                            &e.facturacion,
                            "tipo=dian_xml&archivo=lote.zip",
                            "application/zip",
                            &zip,
                        )
                    })
                })
                .collect();
            hilos.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let estados: Vec<&str> = fin.iter().map(|v| v["estado"].as_str().unwrap()).collect();
        assert!(estados.contains(&"terminada"), "{fin:?}");
        for v in &fin {
            match v["estado"].as_str() {
                Some("terminada") => {}
                Some("rechazada") => assert!(
                    v["errores"][0]["message"]
                        .as_str()
                        .unwrap()
                        .contains("al mismo tiempo en otra corrida"),
                    "{v}"
                ),
                _ => panic!("{v}"),
            }
        }
        let creados: i64 = fin.iter().map(|v| v["creados"].as_i64().unwrap()).sum();
        assert_eq!(creados, 150, "written once: {fin:?}");
    }
}
