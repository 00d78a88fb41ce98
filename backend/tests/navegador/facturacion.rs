//! The billing clerk's journey, and the refusals every page owes.

use std::process::Command;

use fantoccini::Locator;
use serde_json::json;

use super::{api, demo, post_a_mano, recorrido, token, CLAVE};

#[test]
fn the_clerk_signs_in_finds_an_invoice_and_reads_its_trazabilidad() {
    let d = demo();
    let base = d.base.clone();
    recorrido("facturacion", 1280, |n| {
        Box::pin(async move {
            // Not signed in: to the sign-in page, and back where she was going after.
            n.ir(&format!("{base}/facturas?estado=radicada")).await;
            assert!(n.ruta().await.starts_with("/ingresar?siguiente="), "{}", n.ruta().await);
            n.captura("ingresar").await;
            n.escribir("#email", "facturacion@demo.trazo").await;
            n.escribir("#password", "equivocada").await;
            n.pulsar("button[type=submit]").await;
            assert!(n
                .texto("#error-ingreso")
                .await
                .contains("Correo o contraseña incorrectos"));
            // What she typed is still there.
            let email =
                n.c.find(Locator::Css("#email"))
                    .await
                    .unwrap()
                    .prop("value")
                    .await
                    .unwrap();
            assert_eq!(email.as_deref(), Some("facturacion@demo.trazo"));
            n.escribir("#password", CLAVE).await;
            n.pulsar("button[type=submit]").await;
            assert_eq!(n.ruta().await, "/facturas?estado=radicada");
            assert_eq!(n.texto("h1").await, "Facturas");

            // Her work first: the bandeja, by deadline.
            n.ir(&format!("{base}/")).await;
            assert_eq!(n.ruta().await, "/bandeja");
            assert_eq!(n.texto("h1").await, "Mi bandeja");
            n.captura("bandeja").await;

            // Find one invoice by its number; the filter stays in the URL.
            n.ir(&format!("{base}/facturas")).await;
            let numero = n.texto("table.tabla tbody tr td a").await;
            n.escribir("#q", &numero).await;
            n.pulsar("form.filtros button[type=submit]").await;
            assert!(n.ruta().await.contains(&format!("q={numero}")), "{}", n.ruta().await);
            let primera = n.texto("table.tabla tbody tr td a").await;
            assert_eq!(primera, numero);
            n.captura("facturas").await;
            n.pulsar("table.tabla tbody tr td a").await;
            assert!(n.texto("h1").await.starts_with(&format!("Factura {numero}")));
            let traza = n.texto("ol.linea-tiempo").await;
            assert!(traza.contains("Saldo después: $ "), "{traza}");
            let saldo = n.texto("dl.cuentas").await;
            assert!(saldo.contains("Saldo que debe el pagador"), "{saldo}");
            n.captura("factura").await;

            // The XLSX of the search, as filtered, with her session.
            let cookie = n.cookie().await;
            let r = ureq::get(&format!("{base}/facturas.xlsx?q={numero}"))
                .set("Cookie", &format!("trazo_sesion={cookie}"))
                .call()
                .unwrap();
            assert_eq!(
                r.content_type(),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            );
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut r.into_reader(), &mut bytes).unwrap();
            assert!(bytes.starts_with(b"PK"));

            // Signing out closes the session: the back button shows nothing private.
            let aqui = n.ruta().await;
            n.pulsar("form[action='/salir'] button").await;
            assert_eq!(n.ruta().await, "/ingresar?salio=1");
            assert!(n.texto(".aviso").await.contains("Sesión cerrada"));
            n.c.back().await.unwrap();
            n.c.refresh().await.unwrap();
            assert!(n.ruta().await.starts_with("/ingresar"), "{aqui} → {}", n.ruta().await);
            // And the old cookie opens nothing.
            let r = ureq::AgentBuilder::new()
                .redirects(0)
                .build()
                .get(&format!("{base}/facturas"))
                .set("Cookie", &format!("trazo_sesion={cookie}"))
                .call()
                .unwrap();
            assert_eq!(r.status(), 303);
        })
    });
}

#[test]
fn forged_posts_other_tenants_and_disabled_users_are_refused() {
    let d = demo();
    let base = d.base.clone();
    // Another prestador on the same database, with an invoice of its own.
    let o = Command::new(env!("CARGO_BIN_EXE_trazo"))
        .arg("--data-dir")
        .arg(d.dir.path())
        .args([
            "init",
            "--prestador-nit",
            "900654321",
            "--prestador-nombre",
            "Otra IPS",
            "--admin-email",
            "jefe@otra.co",
        ])
        .env("DATABASE_URL", d.dir.path().join("demo/trazo.db"))
        .env("TRAZO_ADMIN_PASSWORD", "una-clave-larga")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (_, v) = api(
        &base,
        "POST",
        "/auth/login",
        None,
        Some(json!({"email": "jefe@otra.co", "password": "una-clave-larga"})),
    );
    let otra = v["access_token"].as_str().unwrap().to_string();
    let (_, p) = api(
        &base,
        "POST",
        "/pagadores",
        Some(&otra),
        Some(json!({"nit": "800250119", "nombre": "EPS", "tipo": "eps_contributivo"})),
    );
    let (st, f) = api(
        &base,
        "POST",
        "/usuarios",
        Some(&otra),
        Some(json!({"email": "fact@otra.co", "nombre": "F", "rol": "facturacion", "password": "una-clave-larga"})),
    );
    assert_eq!(st, 201, "{f}");
    let (_, v) = api(
        &base,
        "POST",
        "/auth/login",
        None,
        Some(json!({"email": "fact@otra.co", "password": "una-clave-larga"})),
    );
    let fact_otra = v["access_token"].as_str().unwrap().to_string();
    let (st, ajena) = api(
        &base,
        "POST",
        "/facturas",
        Some(&fact_otra),
        Some(json!({
            "numero": "OTRA-1", "pagador_id": p["id"], "fecha_expedicion": "2026-01-05", "valor_total": "1000.00"
        })),
    );
    assert_eq!(st, 201, "{ajena}");
    let ajena = ajena["id"].as_str().unwrap().to_string();

    recorrido("rechazos", 1280, |n| {
        Box::pin(async move {
            n.ingresar(&base, "cartera@demo.trazo", CLAVE).await;
            assert_eq!(n.texto("h1").await, "Mi bandeja");
            // Another prestador's invoice does not exist here.
            n.ir(&format!("{base}/facturas/{ajena}")).await;
            assert_eq!(n.texto("h1").await, "No encontrado");

            // A post without the session's token, or from another site, is refused.
            let cookie = n.cookie().await;
            assert_eq!(post_a_mano(&base, "/salir", &cookie, "", &[]), 403);
            let marco =
                n.c.find(Locator::Css("form[action='/salir'] input[name=csrf]"))
                    .await
                    .unwrap();
            let csrf = marco.prop("value").await.unwrap().unwrap();
            assert_eq!(
                post_a_mano(
                    &base,
                    "/salir",
                    &cookie,
                    &format!("csrf={csrf}"),
                    &[("Sec-Fetch-Site", "cross-site")]
                ),
                403
            );
            assert_eq!(
                post_a_mano(
                    &base,
                    "/salir",
                    &cookie,
                    &format!("csrf={csrf}"),
                    &[("Origin", "http://otro.sitio")]
                ),
                403
            );
            // The session survived those: still signed in.
            n.ir(&format!("{base}/facturas")).await;
            assert_eq!(n.texto("h1").await, "Facturas");

            // The admin disables her: her open session ends at once.
            let admin = token(&base, "admin@demo.trazo");
            let (_, l) = api(&base, "GET", "/usuarios", Some(&admin), None);
            let u = l["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|u| u["email"] == "cartera@demo.trazo")
                .unwrap()
                .clone();
            let (st, v) = api(
                &base,
                "PATCH",
                &format!("/usuarios/{}", u["id"].as_str().unwrap()),
                Some(&admin),
                Some(json!({"version": u["version"], "activo": false, "motivo": "retiro"})),
            );
            assert_eq!(st, 200, "{v}");
            n.ir(&format!("{base}/facturas")).await;
            assert!(n.ruta().await.starts_with("/ingresar"), "{}", n.ruta().await);
        })
    });
}

#[test]
fn the_main_screens_fit_a_tablet_without_scrolling_sideways() {
    let d = demo();
    let base = d.base.clone();
    recorrido("tableta", 800, |n| {
        Box::pin(async move {
            n.ingresar(&base, "cartera@demo.trazo", CLAVE).await;
            n.ir(&format!("{base}/facturas?estado=glosada")).await;
            let factura =
                n.c.find(Locator::Css("table.tabla tbody tr td a"))
                    .await
                    .unwrap()
                    .attr("href")
                    .await
                    .unwrap()
                    .unwrap();
            for (ruta, nombre) in [
                ("/bandeja".to_string(), "bandeja-800"),
                ("/facturas".to_string(), "facturas-800"),
                (factura, "factura-800"),
            ] {
                n.ir(&format!("{base}{ruta}")).await;
                let ancho =
                    n.c.execute(
                        "return [document.documentElement.scrollWidth, window.innerWidth];",
                        vec![],
                    )
                    .await
                    .unwrap();
                let (pagina, ventana) = (ancho[0].as_i64().unwrap(), ancho[1].as_i64().unwrap());
                n.captura(nombre).await;
                assert!(pagina <= ventana, "{ruta}: {pagina} px wide in a {ventana} px window");
            }
        })
    });
}
