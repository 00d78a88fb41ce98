//! The administrator's journey (users and their roles, the legal terms in force) and the
//! auditor's (the event log by invoice), with the refusals of both screens.

use std::time::{Duration, Instant};

use fantoccini::Locator;

use super::{api, demo, navegador, post_a_mano, recorrido, token, valor, Navegador, CLAVE};

const NUEVA: &str = "nueva.cartera@demo.trazo";
const CLAVE_NUEVA: &str = "una-clave-segura-1";

/// Clicks a button whose form asks to confirm, accepts the question, and waits for the page
/// the form leads to.
pub async fn pulsar_y_confirmar(n: &Navegador, css: &str) -> String {
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

#[test]
fn the_admin_creates_a_user_and_disabling_it_closes_its_open_session() {
    let d = demo();
    let base = d.base.clone();
    let b = base.clone();
    recorrido("administracion", 1280, |n| {
        Box::pin(async move {
            n.ingresar(&base, "admin@demo.trazo", CLAVE).await;
            let nav = n.texto("header.barra nav").await;
            assert!(nav.contains("Administración") && nav.contains("Auditoría"), "{nav}");
            n.pulsar("header.barra nav a[href='/administracion']").await;
            assert_eq!(n.texto("h1").await, "Administración");
            n.pulsar("nav.pestanas a[href='/administracion/usuarios']").await;

            // A password too short: the error beside it, the rest as typed.
            n.escribir("#nuevo-email", NUEVA).await;
            n.escribir("#nuevo-nombre", "Nueva Cartera").await;
            n.c.find(Locator::Css("#nuevo-rol"))
                .await
                .unwrap()
                .select_by_value("cartera")
                .await
                .unwrap();
            n.escribir("#nuevo-password", "corta").await;
            n.pulsar("form[action='/administracion/usuarios'] button[type=submit]")
                .await;
            let e = n.texto("#error-password").await;
            assert!(e.contains("al menos 10 caracteres"), "{e}");
            assert_eq!(valor(n, "#nuevo-email").await, NUEVA);
            assert_eq!(valor(n, "#nuevo-nombre").await, "Nueva Cartera");
            assert_eq!(valor(n, "#nuevo-rol").await, "cartera");
            assert_eq!(valor(n, "#nuevo-password").await, "", "the password is never sent back");
            n.captura("admin-usuarios-error-1280").await;

            n.escribir("#nuevo-password", CLAVE_NUEVA).await;
            n.pulsar("form[action='/administracion/usuarios'] button[type=submit]")
                .await;
            assert_eq!(n.ruta().await, "/administracion/usuarios");
            let aviso = n.texto(".aviso").await;
            assert!(
                aviso.contains(&format!("Usuario {NUEVA} creado con el rol Cartera")),
                "{aviso}"
            );
            let fila = n.texto(&format!("tr[data-email='{NUEVA}']")).await;
            assert!(fila.contains("Nueva Cartera") && fila.contains("Activo"), "{fila}");
            n.captura("admin-usuarios-1280").await;

            // The new user signs in, in a browser of her own.
            let otra = navegador(1280).await;
            otra.ingresar(&base, NUEVA, CLAVE_NUEVA).await;
            assert_eq!(otra.texto("h1").await, "Mi bandeja");
            assert!(!otra.texto("header.barra nav").await.contains("Administración"));

            // The admin cannot disable herself: the use case's own words.
            let yo = "tr[data-email='admin@demo.trazo']";
            n.c.find(Locator::Css(&format!("{yo} summary")))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            n.escribir(&format!("{yo} input[id^='motivo-estado-']"), "prueba").await;
            pulsar_y_confirmar(n, &format!("{yo} input[value=desactivar] ~ button")).await;
            let e = n.texto(&format!("{yo} .error-campo")).await;
            assert!(e.contains("no puede desactivarse"), "{e}");
            n.captura("admin-usuarios-propio-1280").await;

            // She disables the new user: asked first, then its open session is over.
            let ella = format!("tr[data-email='{NUEVA}']");
            n.c.find(Locator::Css(&format!("{ella} summary")))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            n.escribir(
                &format!("{ella} input[id^='motivo-estado-']"),
                "Ya no trabaja en la clínica",
            )
            .await;
            let pregunta = pulsar_y_confirmar(n, &format!("{ella} input[value=desactivar] ~ button")).await;
            assert!(pregunta.contains(&format!("¿Desactivar a {NUEVA}?")), "{pregunta}");
            let aviso = n.texto(".aviso").await;
            assert!(aviso.contains(&format!("Usuario {NUEVA} desactivado")), "{aviso}");
            assert!(n.texto(&ella).await.contains("Desactivado"));
            otra.ir(&format!("{base}/facturas")).await;
            assert!(otra.ruta().await.starts_with("/ingresar"), "{}", otra.ruta().await);
            otra.c.clone().close().await.ok();

            // The API agrees.
            let t = token(&base, "admin@demo.trazo");
            let (_, l) = api(&base, "GET", "/usuarios?per_page=100", Some(&t), None);
            let u = l["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|u| u["email"] == NUEVA)
                .unwrap()
                .clone();
            assert_eq!(u["activo"], false);
            assert_eq!(u["rol"], "cartera");

            // A change sent with a version read before another change: the conflict, said.
            let cookie = n.cookie().await;
            let csrf = valor(n, "form[action='/salir'] input[name=csrf]").await;
            let id = u["id"].as_str().unwrap();
            let st = post_a_mano(
                &base,
                &format!("/administracion/usuarios/{id}"),
                &cookie,
                &format!("csrf={csrf}&version=1&accion=activar&motivo=viejo"),
                &[],
            );
            assert_eq!(st, 409);

            // A payer: a NIT that is not one is said beside it, then the payer is created.
            n.pulsar("nav.pestanas a[href='/administracion/pagadores']").await;
            n.escribir("#nuevo-nit", "abc").await;
            n.escribir("#nuevo-nombre", "EPS de Prueba").await;
            n.c.find(Locator::Css("#nuevo-tipo"))
                .await
                .unwrap()
                .select_by_value("eps_subsidiado")
                .await
                .unwrap();
            n.pulsar("form[action='/administracion/pagadores'] button[type=submit]")
                .await;
            assert!(!n.texto("#error-nit").await.is_empty());
            assert_eq!(valor(n, "#nuevo-nombre").await, "EPS de Prueba");
            n.escribir("#nuevo-nit", "901999888").await;
            n.pulsar("form[action='/administracion/pagadores'] button[type=submit]")
                .await;
            let aviso = n.texto(".aviso").await;
            assert!(aviso.contains("Pagador EPS de Prueba (NIT 901999888-"), "{aviso}");
            n.escribir("#q", "EPS de Prueba").await;
            n.pulsar("form.filtros button[type=submit]").await;
            assert!(n.ruta().await.contains("q=EPS+de+Prueba"), "{}", n.ruta().await);
            assert!(n
                .texto("table.tabla tbody")
                .await
                .contains("EPS del régimen subsidiado"));
            n.captura("admin-pagadores-1280").await;
            n.pulsar("nav.pestanas a[href='/administracion/perfiles']").await;
            assert!(n.texto("main").await.contains("numero_factura"));
            n.captura("admin-perfiles-1280").await;
            n.pulsar("nav.pestanas a[href='/administracion/contratos']").await;
            n.captura("admin-contratos-1280").await;

            // The legal terms in force, with their sources.
            n.pulsar("nav.pestanas a[href='/administracion/terminos']").await;
            let tabla = n.texto("table.terminos").await;
            assert!(tabla.contains("Respuesta a la glosa"), "{tabla}");
            assert!(
                tabla.contains("15 días hábiles") && tabla.contains("Ley 1438/2011 art. 57"),
                "{tabla}"
            );
            n.captura("admin-terminos-1280").await;
        })
    });
    recorrido("administracion-800", 800, |n| {
        Box::pin(async move {
            n.ingresar(&b, "admin@demo.trazo", CLAVE).await;
            n.ir(&format!("{b}/administracion/usuarios")).await;
            assert_eq!(n.texto("h1").await, "Usuarios y roles");
            n.captura("admin-usuarios-800").await;
        })
    });
}

#[test]
fn the_auditor_reads_the_log_of_an_invoice_and_may_not_administer() {
    let d = demo();
    let base = d.base.clone();
    recorrido("auditoria", 1280, |n| {
        Box::pin(async move {
            n.ingresar(&base, "auditor@demo.trazo", CLAVE).await;
            let nav = n.texto("header.barra nav").await;
            assert!(nav.contains("Auditoría"), "{nav}");
            assert!(!nav.contains("Administración"), "{nav}");
            n.pulsar("header.barra nav a[href='/auditoria']").await;
            assert_eq!(n.texto("h1").await, "Auditoría");

            // Filter by the invoice of the last event: only its events, as many as the API says.
            let numero = n.texto("table.auditoria tbody tr td a").await;
            let href =
                n.c.find(Locator::Css("table.auditoria tbody tr td a"))
                    .await
                    .unwrap()
                    .attr("href")
                    .await
                    .unwrap()
                    .unwrap();
            let factura_id = href.trim_start_matches("/facturas/").to_string();
            n.escribir("#factura", &numero).await;
            n.pulsar("form.filtros button[type=submit]").await;
            assert!(
                n.ruta().await.contains(&format!("factura={numero}")),
                "{}",
                n.ruta().await
            );
            let filas = n.c.find_all(Locator::Css("table.auditoria tbody tr")).await.unwrap();
            assert!(!filas.is_empty());
            for f in &filas {
                let t = f.find(Locator::Css("td a")).await.unwrap().text().await.unwrap();
                assert_eq!(t, numero);
            }
            let t = token(&base, "auditor@demo.trazo");
            let (st, l) = api(
                &base,
                "GET",
                &format!("/eventos?factura_id={factura_id}"),
                Some(&t),
                None,
            );
            assert_eq!(st, 200, "{l}");
            let resumen = n.texto("p.resumen").await;
            assert!(
                resumen.starts_with(&format!("{} evento", l["total"])),
                "{resumen} vs {}",
                l["total"]
            );
            n.captura("auditoria-1280").await;
            // Each event's invoice opens it.
            n.pulsar("table.auditoria tbody tr td a").await;
            assert!(n.texto("h1").await.starts_with(&format!("Factura {numero}")));

            // No Administración for the auditor: a 403 page, and a forged form refused.
            n.ir(&format!("{base}/administracion")).await;
            assert_eq!(n.texto("h1").await, "Sin permiso");
            let cookie = n.cookie().await;
            let r = ureq::get(&format!("{base}/administracion"))
                .set("Cookie", &format!("trazo_sesion={cookie}"))
                .call();
            assert!(matches!(r, Err(ureq::Error::Status(403, _))));
            let csrf =
                n.c.find(Locator::Css("form[action='/salir'] input[name=csrf]"))
                    .await
                    .unwrap()
                    .prop("value")
                    .await
                    .unwrap()
                    .unwrap();
            let cuerpo =
                format!("csrf={csrf}&email=intruso%40demo.trazo&nombre=Intruso&rol=admin&password=una-clave-larga");
            assert_eq!(
                post_a_mano(&base, "/administracion/usuarios", &cookie, &cuerpo, &[]),
                403
            );
            let (_, l) = api(
                &base,
                "GET",
                "/usuarios?per_page=100",
                Some(&token(&base, "admin@demo.trazo")),
                None,
            );
            assert!(!l.to_string().contains("intruso@demo.trazo"));
        })
    });
}
