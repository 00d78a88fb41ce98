//! Time to render the web application's pages, run on demand (never in CI):
//!
//! ```sh
//! cargo bench -p trazo --bench paginas -- demo             # the demo's data
//! cargo bench -p trazo --bench paginas -- sqlite 1000000   # a prestador with a million invoices
//! cargo bench -p trazo --bench paginas -- sqlite 1000000 /bandeja,/facturas   # only these pages
//! cargo bench -p trazo --bench paginas -- sqlite 1000000 -/cartera/indicadores # all but this one
//! ```
//!
//! Starts a real server on 127.0.0.1 (a random port), signs in as a cartera user through
//! `/ingresar`, and asks each page 30 times in a row after two warm-up requests, timing the
//! whole answer (server work and transfer, not the browser's drawing). Prints p50, p95 and the
//! slowest per page. Results go to BENCHMARKS.md.

use std::time::{Duration, Instant};

use trazo::app::{self, Actor};
use trazo::config::Settings;
use trazo::db::{self, Db};
use trazo::domain::rol::Rol;
use trazo::domain::terminos::Terminos;

#[path = "comun/datos.rs"]
mod datos;

const VECES: usize = 30;

/// A server on 127.0.0.1 in a thread of its own, on `url`, taking `fecha` as today.
fn servir(url: &str, dir: &std::path::Path, fecha: Option<&str>) -> String {
    let mut s = Settings::load(None, std::iter::empty()).unwrap();
    s.data_dir = dir.to_path_buf();
    s.database.url = url.to_string();
    s.server.host = "127.0.0.1".into();
    s.server.port = 0;
    s.log.level = "warn".into();
    if let Some(f) = fecha {
        s.reloj.fecha_fija = f.into();
    }
    let (tx, rx) = std::sync::mpsc::channel();
    let dir = dir.to_path_buf();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let db = Db::connect(&s.database_url(), s.database.pool_size).unwrap();
            let b = trazo::startup::bind(&s, db, &dir).unwrap();
            tx.send(b.port).unwrap();
            b.server.await.ok();
        })
    });
    format!("http://127.0.0.1:{}", rx.recv().unwrap())
}

fn ingresar(base: &str, email: &str, clave: &str) -> String {
    let agente = ureq::AgentBuilder::new().redirects(0).build();
    let r = agente
        .post(&format!("{base}/ingresar"))
        .send_form(&[("email", email), ("password", clave)])
        .unwrap();
    assert_eq!(r.status(), 303, "sign-in failed for {email}");
    let c = r.header("set-cookie").unwrap();
    c.split(';').next().unwrap().to_string()
}

fn medir(base: &str, cookie: &str, ruta: &str) {
    let agente = ureq::AgentBuilder::new().redirects(0).build();
    let pedir = || {
        let t = Instant::now();
        let r = agente.get(&format!("{base}{ruta}")).set("Cookie", cookie).call();
        let status = match r {
            Ok(r) => {
                let s = r.status();
                r.into_string().ok();
                s
            }
            Err(ureq::Error::Status(s, _)) => s,
            Err(e) => panic!("{ruta}: {e}"),
        };
        (t.elapsed(), status)
    };
    let (_, status) = pedir();
    if status != 200 {
        println!("{ruta:<44} {status} (no se mide)");
        return;
    }
    pedir();
    let mut t: Vec<Duration> = (0..VECES).map(|_| pedir().0).collect();
    t.sort();
    let p = |q: f64| t[((t.len() as f64 * q).ceil() as usize).saturating_sub(1)].as_secs_f64() * 1000.0;
    println!(
        "{ruta:<44} p50 {:>7.1} ms   p95 {:>7.1} ms   máx {:>7.1} ms",
        p(0.5),
        p(0.95),
        t.last().unwrap().as_secs_f64() * 1000.0
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let modo = args.first().map(String::as_str).unwrap_or("demo");
    // The pages to time: those starting with one of these (all by default), but not those
    // starting with one written after a `-` (`-/cartera/indicadores`).
    let lista: Vec<String> = args
        .get(if modo == "demo" { 1 } else { 2 })
        .map_or_else(Vec::new, |s| s.split(',').map(str::to_string).collect());
    let (fuera, mut solo): (Vec<String>, Vec<String>) = lista.into_iter().partition(|s| s.starts_with('-'));
    if solo.is_empty() {
        solo.push("/".to_string());
    }
    let dir = tempfile::tempdir().unwrap();
    let url = dir.path().join("bench.db").to_string_lossy().into_owned();
    let db = Db::connect(&url, 4).unwrap();
    let terminos = Terminos::por_defecto();
    let (base, cookie, factura, pagador) = match modo {
        "demo" => {
            let hoy = app::hoy_bogota();
            let r = app::demo::cargar(&db, &terminos, hoy).unwrap();
            println!("demo: {} facturas", r.facturas);
            let factura = db
                .read(|c| {
                    use diesel::prelude::*;
                    db::schema::facturas::table
                        .select(db::schema::facturas::id)
                        .first::<String>(c)
                        .map_err(app::AppError::from)
                })
                .unwrap();
            let pagador = db
                .read(|c| {
                    use diesel::prelude::*;
                    db::schema::pagadores::table
                        .select(db::schema::pagadores::id)
                        .first::<String>(c)
                        .map_err(app::AppError::from)
                })
                .unwrap();
            let base = servir(&url, dir.path(), None);
            let cookie = ingresar(&base, "cartera@demo.trazo", app::demo::DEMO_PASSWORD);
            (base, cookie, factura, pagador)
        }
        "sqlite" => {
            let n: u64 = args.get(1).and_then(|x| x.parse().ok()).unwrap_or(1_000_000);
            let prestador =
                app::prestadores::crear(&db, "900123456", "IPS Bench", "admin@bench.co", "clave-larga-123").unwrap();
            let admin = db
                .read(|c| Ok::<_, app::AppError>(db::usuarios::por_email(c, "admin@bench.co")?))
                .unwrap()
                .unwrap();
            let actor = Actor {
                usuario_id: admin.id,
                prestador_id: prestador.clone(),
                rol: Rol::Admin,
            };
            app::usuarios::crear(
                &db,
                &actor,
                app::usuarios::NuevoUsuario {
                    pagador_id: None,
                    email: "cartera@bench.co".into(),
                    nombre: "Cartera".into(),
                    rol: Rol::Cartera,
                    password: "clave-larga-123".into(),
                },
            )
            .unwrap();
            let t0 = Instant::now();
            db.write(|c| {
                use diesel::connection::SimpleConnection;
                c.batch_execute(&datos::cartera(true, n, &prestador))?;
                Ok::<_, app::AppError>(c.batch_execute(&datos::eventos(true, n, &prestador, &actor.usuario_id))?)
            })
            .unwrap();
            println!("sqlite: {n} facturas generadas en {:.1} s", t0.elapsed().as_secs_f64());
            let base = servir(&url, dir.path(), Some("2026-06-30"));
            let cookie = ingresar(&base, "cartera@bench.co", "clave-larga-123");
            (base, cookie, "f12345".to_string(), "p1".to_string())
        }
        otro => panic!("modo '{otro}': se espera demo o sqlite N"),
    };
    for ruta in [
        "/bandeja".to_string(),
        "/bandeja?ver=vencidas".to_string(),
        "/facturas".to_string(),
        "/facturas?q=12345".to_string(),
        "/facturas?estado=radicada&page=20".to_string(),
        format!("/facturas/{factura}"),
        format!("/facturas/{factura}/glosas/nueva"),
        "/cartera".to_string(),
        "/cartera/indicadores".to_string(),
        "/cartera/glosas".to_string(),
        "/importar".to_string(),
        format!("/pagadores/{pagador}"),
        format!("/cartera/pagadores/{pagador}"),
    ] {
        if solo.iter().any(|s| ruta.starts_with(s)) && !fuera.iter().any(|s| ruta.starts_with(&s[1..])) {
            medir(&base, &cookie, &ruta);
        }
    }
}
