//! The aging report over a large cartera, run on demand (never in CI):
//!
//! ```sh
//! cargo bench -p trazo --bench cartera -- sqlite 1000000
//! cargo bench -p trazo --bench cartera -- postgres 1000000   # PostgreSQL on 127.0.0.1:5432, trust auth
//! ```
//!
//! Generates (in SQL) one prestador with 20 payers and N invoices over two and a half years:
//! 90% radicated, a third of those with a partial payment, one in twenty with a glosa; then
//! runs the aging report by payer at a cut-off 10 times and prints p50, p95 and the slowest.
//! PostgreSQL gets a database of its own, dropped at the end. Results go to BENCHMARKS.md.
//! With `CARTERA_BD` set, the data stays to study query plans: the SQLite file at that path,
//! or the PostgreSQL database `trazo_bench_cartera`.

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use diesel::connection::SimpleConnection;
use diesel::Connection;
use trazo::app::cartera::{self, Filtros};
use trazo::app::{self, Actor};
use trazo::db::cartera::Base;
use trazo::db::{self, Db};
use trazo::domain::rol::Rol;
use trazo::domain::terminos::Terminos;

#[path = "comun/datos.rs"]
mod datos;

const PG_ADMIN: &str = "postgres://postgres@127.0.0.1:5432/postgres";
const PG_DB: &str = "trazo_bench_cartera";

/// Peak resident memory of this process (Linux).
fn pico_rss_mib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb / 1024)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let backend = args.first().map(String::as_str).unwrap_or("sqlite");
    let n: u64 = args.get(1).and_then(|x| x.parse().ok()).unwrap_or(1_000_000);
    let dir = tempfile::tempdir().unwrap();
    let url = match backend {
        // CARTERA_BD keeps the generated database at that path, to study its query plans.
        "sqlite" => {
            std::env::var("CARTERA_BD").unwrap_or_else(|_| dir.path().join("bench.db").to_string_lossy().into_owned())
        }
        "postgres" => {
            let mut c = diesel::pg::PgConnection::establish(PG_ADMIN).expect("PostgreSQL on 127.0.0.1:5432");
            // One statement each: PostgreSQL runs a multi-statement string as one transaction.
            c.batch_execute(&format!("DROP DATABASE IF EXISTS {PG_DB}")).unwrap();
            c.batch_execute(&format!("CREATE DATABASE {PG_DB}")).unwrap();
            format!("postgres://postgres@127.0.0.1:5432/{PG_DB}")
        }
        otro => panic!("backend '{otro}': se espera sqlite o postgres"),
    };
    // A kept SQLite file (CARTERA_BD) is measured again without generating it anew.
    let reusar = backend == "sqlite" && std::path::Path::new(&url).exists();
    let db = Db::connect(&url, 4).unwrap();
    if !reusar {
        app::prestadores::crear(&db, "900123456", "IPS Bench", "admin@bench.co", "clave-larga-123").unwrap();
    }
    let u = db
        .read(|c| Ok::<_, app::AppError>(db::usuarios::por_email(c, "admin@bench.co")?))
        .unwrap()
        .unwrap();
    let (usuario, prestador) = (u.id, u.prestador_id);
    if !reusar {
        let t0 = Instant::now();
        db.write(|c| Ok::<_, app::AppError>(c.batch_execute(&datos::cartera(backend == "sqlite", n, &prestador))?))
            .unwrap();
        println!(
            "{backend}: {n} facturas generadas en {:.1} s",
            t0.elapsed().as_secs_f64()
        );
    }
    let actor = Actor {
        usuario_id: usuario,
        prestador_id: prestador,
        rol: Rol::Finanzas,
    };
    let terminos = Terminos::por_defecto();
    let tasas = trazo::config::Settings::load(None, Vec::new())
        .unwrap()
        .cobro
        .tasas_mora;
    let filtros = Filtros::default();
    // The data's "today": payments run until late July 2026.
    let hoy: NaiveDate = "2026-06-30".parse().unwrap();
    let medir_n = |veces: usize, nombre: &str, f: &dyn Fn() -> String| {
        let muestra = f();
        let mut tiempos: Vec<Duration> = (0..veces)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect();
        tiempos.sort();
        let p = |q: f64| tiempos[((tiempos.len() as f64 * q).ceil() as usize).saturating_sub(1)];
        println!(
            "{nombre:<44} p50 {:>6.0} ms  p95 {:>6.0} ms  máx {:>6.0} ms  ({muestra})",
            p(0.50).as_secs_f64() * 1000.0,
            p(0.95).as_secs_f64() * 1000.0,
            tiempos.last().unwrap().as_secs_f64() * 1000.0
        );
    };
    let medir = |nombre: &str, f: &dyn Fn() -> String| medir_n(10, nombre, f);
    let edades = |corte: NaiveDate| {
        let r = cartera::por_pagador(&db, &terminos, &actor, corte, Base::Radicacion, &filtros).unwrap();
        format!(
            "{} facturas con saldo, total {}",
            r.filas.iter().map(|f| f.facturas).sum::<i64>(),
            r.total
        )
    };
    // The straightforward computation the fast one is measured against (same figures: the
    // property test in tests/tests/e2e/cartera_rapida.rs).
    let directo = |corte: NaiveDate| {
        let limites = [30, 60, 90, 180, 360].map(|d| corte - chrono::Duration::days(d));
        let silencio = cartera::silencio(&terminos.reglas);
        let celdas = db
            .read(|c| {
                Ok::<_, app::AppError>(db::cartera::edades_por(
                    c,
                    &actor.prestador_id,
                    corte,
                    limites,
                    Base::Radicacion,
                    silencio,
                    &Default::default(),
                    db::cartera::Camino::Directo,
                )?)
            })
            .unwrap();
        let total: i64 = celdas.iter().map(|c| c.saldo).sum();
        format!(
            "{} facturas con saldo, total {}",
            celdas.iter().map(|c| c.facturas).sum::<i64>(),
            trazo::domain::money::from_centavos(total)
        )
    };
    for dias in [0, 45, 90] {
        let corte = hoy - chrono::Duration::days(dias);
        medir(&format!("edades al {corte} (hoy − {dias} días)"), &|| edades(corte));
    }
    for corte in ["2025-12-31", "2025-06-30", "2024-12-31", "2024-06-30"] {
        let corte: NaiveDate = corte.parse().unwrap();
        medir(&format!("edades al {corte}"), &|| edades(corte));
    }
    medir(&format!("edades al {hoy}, sumando el libro (antes)"), &|| directo(hoy));
    // Three runs: each takes seconds (see BENCHMARKS.md for where).
    medir_n(3, "indicadores 2025-07-01..2026-06-30", &|| {
        let desde: NaiveDate = "2025-07-01".parse().unwrap();
        let r = cartera::indicadores(&db, &terminos, &tasas, &actor, desde, hoy, hoy, &filtros).unwrap();
        format!("{} pagadores", r.filas.len())
    });
    println!("memoria residente máxima: {} MiB", pico_rss_mib());
    drop(db);
    if backend == "postgres" && std::env::var("CARTERA_BD").is_err() {
        let mut c = diesel::pg::PgConnection::establish(PG_ADMIN).unwrap();
        c.batch_execute(&format!("DROP DATABASE IF EXISTS {PG_DB}")).unwrap();
    }
}
