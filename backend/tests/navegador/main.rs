//! The web application in a real browser: headless Chromium (Debian's `chromium` and
//! `chromium-driver`, installed by `.ci/run` when missing) drives `trazo demo` — the same
//! command a clinic runs to try Trazo — through the journeys of the people who use it, and the
//! refusals. A failing step saves a screenshot in `target/capturas/`; with
//! `TRAZO_CAPTURAS=docs/capturas` the screens of the README are taken again there.
//!
//! This file is the harness (a demo server, a browser, steps that wait for the page they lead
//! to); each screen's journeys are a module beside it.

mod actas;
mod administracion;
mod asientos;
mod bancos;
mod cartera;
mod ciclo;
mod decisiones;
mod factura;
mod facturacion;
mod importar;
mod pagador;
mod pagos;
mod paquetes;
mod portal;
mod soportes;

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

pub const CLAVE: &str = "demo";

pub struct Proceso(Child);

impl Drop for Proceso {
    fn drop(&mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}

pub fn puerto_libre() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

pub fn esperar_http(url: &str) {
    let hasta = Instant::now() + Duration::from_secs(90);
    while ureq::get(url).call().is_err() {
        assert!(Instant::now() < hasta, "{url} did not answer in 90 s");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// `trazo demo` in a directory of its own, on a port it chose itself (`--port 0`, read from
/// the line it prints): a port picked here and bound later could be taken meanwhile by another
/// test's server or driver.
pub struct Demo {
    _proceso: Proceso,
    pub base: String,
    pub dir: tempfile::TempDir,
}

pub fn demo() -> Demo {
    demo_con(&[])
}

/// [`demo`] with these settings in its environment.
pub fn demo_con(entorno: &[(&str, &str)]) -> Demo {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_trazo"));
    cmd.arg("--data-dir")
        .arg(dir.path())
        .args(["demo", "--port", "0"])
        .env_remove("DATABASE_URL")
        .env("TRAZO_SERVER__HOST", "127.0.0.1")
        .env("TRAZO_LOG__LEVEL", "warn")
        .stdout(Stdio::piped());
    for (k, v) in entorno {
        cmd.env(k, v);
    }
    let mut hijo = cmd.spawn().expect("start trazo demo");
    let salida = hijo.stdout.take().unwrap();
    let p = Proceso(hijo);
    let mut base = None;
    for linea in std::io::BufReader::new(salida).lines() {
        let linea = linea.unwrap();
        if let Some(resto) = linea.split("escucha en ").nth(1) {
            base = resto
                .split_whitespace()
                .next()
                .map(|u| u.trim_end_matches('/').to_string());
            break;
        }
    }
    let base = base.expect("trazo demo stopped before saying where it listens");
    esperar_http(&format!("{base}/api/v1/health"));
    Demo { _proceso: p, base, dir }
}

/// Headless Chromium through chromium-driver, `ancho` pixels wide.
pub struct Navegador {
    pub c: Client,
    _driver: Proceso,
}

pub async fn navegador(ancho: u32) -> Navegador {
    let puerto = puerto_libre();
    let driver = Command::new("chromedriver")
        .arg(format!("--port={puerto}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver (apt-get install chromium chromium-driver)");
    let driver = Proceso(driver);
    esperar_http(&format!("http://127.0.0.1:{puerto}/status"));
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": "/usr/lib/chromium/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--no-first-run", "--lang=es-CO",
                     "--disable-gpu", format!("--window-size={ancho},1000")]
        }),
    );
    let c = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{puerto}"))
        .await
        .expect("connect to chromedriver");
    Navegador { c, _driver: driver }
}

impl Navegador {
    // Steps of a journey.
    pub async fn ir(&self, url: &str) {
        self.c.goto(url).await.unwrap();
    }

    pub async fn texto(&self, css: &str) -> String {
        self.c
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .text()
            .await
            .unwrap()
    }

    pub async fn ruta(&self) -> String {
        let u = self.c.current_url().await.unwrap();
        format!("{}{}", u.path(), u.query().map(|q| format!("?{q}")).unwrap_or_default())
    }

    pub async fn escribir(&self, css: &str, texto: &str) {
        let e = self.c.find(Locator::Css(css)).await.unwrap();
        e.clear().await.ok();
        e.send_keys(texto).await.unwrap();
    }

    /// Clicks what `css` finds and waits for the page it leads to (the old page's body gone).
    pub async fn pulsar(&self, css: &str) {
        let antes = self.c.find(Locator::Css("body")).await.unwrap();
        self.c
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .click()
            .await
            .unwrap();
        let hasta = Instant::now() + Duration::from_secs(10);
        while antes.tag_name().await.is_ok() {
            assert!(Instant::now() < hasta, "clicking {css} led nowhere in 10 s");
            tokio::time::sleep(Duration::from_millis(30)).await;
        }
    }

    pub async fn ingresar(&self, base: &str, email: &str, clave: &str) {
        self.ir(&format!("{base}/ingresar")).await;
        self.escribir("#email", email).await;
        self.escribir("#password", clave).await;
        self.pulsar("form[action='/ingresar'] button[type=submit]").await;
    }

    /// The session cookie's value, for requests made outside the browser.
    pub async fn cookie(&self) -> String {
        self.c
            .get_named_cookie("trazo_sesion")
            .await
            .unwrap()
            .value()
            .to_string()
    }

    /// A screenshot: always in target/capturas/, and in the README's folder when asked.
    pub async fn captura(&self, nombre: &str) {
        let png = self.c.screenshot().await.unwrap();
        let destino = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/capturas");
        std::fs::create_dir_all(&destino).unwrap();
        std::fs::write(destino.join(format!("{nombre}.png")), &png).unwrap();
        if let Ok(d) = std::env::var("TRAZO_CAPTURAS") {
            let d = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(d);
            std::fs::create_dir_all(&d).unwrap();
            std::fs::write(d.join(format!("{nombre}.png")), &png).unwrap();
        }
    }
}

/// The value of a field as the browser holds it (what was typed, or sent back filled).
pub async fn valor(n: &Navegador, css: &str) -> String {
    n.c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default()
}

/// Runs a journey; if it fails, the page as it was is kept in target/capturas/.
pub fn recorrido<F>(nombre: &str, ancho: u32, f: F)
where
    F: for<'a> FnOnce(&'a Navegador) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + 'a>>,
{
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let n = rt.block_on(navegador(ancho));
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| rt.block_on(f(&n))));
    if r.is_err() {
        rt.block_on(n.captura(&format!("fallo-{nombre}")));
    }
    rt.block_on(n.c.clone().close()).ok();
    if let Err(e) = r {
        std::panic::resume_unwind(e);
    }
}

pub fn api(base: &str, metodo: &str, ruta: &str, token: Option<&str>, cuerpo: Option<Value>) -> (u16, Value) {
    let mut r = ureq::request(metodo, &format!("{base}/api/v1{ruta}"));
    if let Some(t) = token {
        r = r.set("Authorization", &format!("Bearer {t}"));
    }
    let r = match cuerpo {
        Some(c) => r.send_json(c),
        None => r.call(),
    };
    let r = match r {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{metodo} {ruta}: {e}"),
    };
    (r.status(), r.into_json().unwrap_or(Value::Null))
}

pub fn token(base: &str, email: &str) -> String {
    let (_, v) = api(
        base,
        "POST",
        "/auth/login",
        None,
        Some(json!({"email": email, "password": CLAVE})),
    );
    v["access_token"].as_str().unwrap().to_string()
}

/// A form post made by hand (not by the browser), with the session's cookie.
pub fn post_a_mano(base: &str, ruta: &str, cookie: &str, cuerpo: &str, cabeceras: &[(&str, &str)]) -> u16 {
    let mut r = ureq::AgentBuilder::new()
        .redirects(0)
        .build()
        .post(&format!("{base}{ruta}"))
        .set("Cookie", &format!("trazo_sesion={cookie}"))
        .set("Content-Type", "application/x-www-form-urlencoded");
    for (k, v) in cabeceras {
        r = r.set(k, v);
    }
    match r.send_string(cuerpo) {
        Ok(r) => r.status(),
        Err(ureq::Error::Status(s, _)) => s,
        Err(e) => panic!("{e}"),
    }
}
