//! Trazo under load over HTTP, run on demand (never in CI): the screens people open all day
//! at a million invoices, and fifty people working at once (issue 17, items 2, 3 and 5).
//!
//! ```sh
//! cargo bench -p trazo --bench carga -- pantallas sqlite 1000000
//! cargo bench -p trazo --bench carga -- pantallas postgres 1000000
//! cargo bench -p trazo --bench carga -- usuarios sqlite 1000000 300      # 50 users, 300 s
//! cargo bench -p trazo --bench carga -- usuarios postgres 1000000 300 2  # two servers, one database
//! ```
//!
//! The data is `comun/datos.rs` (20 payers, a million invoices, 1.33 million ledger rows,
//! 50,000 glosas) plus about five events per invoice, with 40 cartera and 10 finanzas users.
//! `CARGA_BD` keeps it for the next run: a SQLite file, or the name of a PostgreSQL database
//! on 127.0.0.1:5432 (default `trazo_carga`, made again when it does not hold N invoices).
//!
//! The servers are the `trazo` binary itself (`trazo serve`), in processes of their own on
//! 127.0.0.1, so that their peak resident memory (`VmHWM`) is theirs alone. `pantallas` runs
//! Debian's `wrk` (`apt install wrk`) against each screen with a random invoice, page or number
//! per request; `usuarios` runs fifty threads, each a person with a session of their own, for
//! the given seconds (bounded: the run ends then), and counts at the end that every write the
//! server accepted is in the database.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use trazo::app::{self, Actor, AppError};
use trazo::db::Db;
use trazo::domain::rol::Rol;

#[path = "comun/datos.rs"]
mod datos;

const CLAVE: &str = "clave-larga-123";
const CARTERA: usize = 40;
const FINANZAS: usize = 10;
/// A person's pause between two clicks, in milliseconds (uniform): reading the page, typing
/// the next answer. Five seconds on average.
const PAUSA_MS: (u64, u64) = (2000, 8000);
/// The data's today (`comun/datos.rs`); the servers take it as theirs.
const HOY: &str = "2026-06-30";

/// Where the data lives and how to reach it.
struct Datos {
    url: String,
    sqlite: bool,
    dir: PathBuf,
    n: u64,
    _tmp: Option<tempfile::TempDir>,
}

fn preparar(backend: &str, n: u64) -> Datos {
    let guardar = std::env::var("CARGA_BD").ok();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_path_buf();
    let sqlite = backend == "sqlite";
    let url = if sqlite {
        guardar
            .clone()
            .unwrap_or_else(|| dir.join("carga.db").to_string_lossy().into_owned())
    } else {
        let nombre = guardar.clone().unwrap_or_else(|| "trazo_carga".into());
        format!("postgres://postgres@127.0.0.1:5432/{nombre}")
    };
    if hay(&url, n) {
        println!("{backend}: se usan los datos de {url}");
    } else {
        if sqlite {
            for f in ["", "-wal", "-shm"] {
                std::fs::remove_file(format!("{url}{f}")).ok();
            }
        } else {
            let nombre = url.rsplit('/').next().unwrap();
            psql(&format!("DROP DATABASE IF EXISTS {nombre} WITH (FORCE)"));
            psql(&format!("CREATE DATABASE {nombre}"));
        }
        generar(&url, sqlite, n);
    }
    Datos {
        url,
        sqlite,
        dir,
        n,
        _tmp: Some(tmp),
    }
}

fn psql(sql: &str) {
    let ok = Command::new("psql")
        .args(["-q", "postgres://postgres@127.0.0.1:5432/postgres", "-c", sql])
        .status()
        .unwrap()
        .success();
    assert!(ok, "psql: {sql}");
}

/// Whether `url` already holds the bench's data with `n` invoices.
fn hay(url: &str, n: u64) -> bool {
    let es_pg = url.starts_with("postgres");
    if !es_pg && !Path::new(url).exists() {
        return false;
    }
    let Ok(db) = Db::connect(url, 1) else {
        return false;
    };
    db.read(|c| {
        use diesel::prelude::*;
        use trazo::db::schema::facturas;
        Ok::<_, AppError>(facturas::table.count().get_result::<i64>(c)?)
    })
    .is_ok_and(|k| k as u64 == n)
}

fn generar(url: &str, sqlite: bool, n: u64) {
    let db = Db::connect(url, 2).unwrap();
    let prestador = app::prestadores::crear(&db, "900123456", "IPS Carga", "admin@bench.co", CLAVE).unwrap();
    let admin = db
        .read(|c| Ok::<_, AppError>(trazo::db::usuarios::por_email(c, "admin@bench.co")?))
        .unwrap()
        .unwrap();
    let actor = Actor {
        usuario_id: admin.id.clone(),
        prestador_id: prestador.clone(),
        rol: Rol::Admin,
    };
    for (k, rol) in (0..CARTERA)
        .map(|k| (k, Rol::Cartera))
        .chain((0..FINANZAS).map(|k| (k, Rol::Finanzas)))
    {
        let nombre = if rol == Rol::Cartera { "cartera" } else { "finanzas" };
        app::usuarios::crear(
            &db,
            &actor,
            app::usuarios::NuevoUsuario {
                pagador_id: None,
                email: format!("{nombre}{k}@bench.co"),
                nombre: format!("{nombre} {k}"),
                rol,
                password: CLAVE.into(),
            },
        )
        .unwrap();
    }
    let t0 = Instant::now();
    db.write(|c| {
        use diesel::connection::SimpleConnection;
        c.batch_execute(&datos::cartera(sqlite, n, &prestador))?;
        Ok::<_, AppError>(c.batch_execute(&datos::eventos(sqlite, n, &prestador, &admin.id))?)
    })
    .unwrap();
    println!(
        "{n} facturas y sus eventos generados en {:.1} s",
        t0.elapsed().as_secs_f64()
    );
}

/// A `trazo serve` of its own on 127.0.0.1, on a port the system picks.
struct Servidor {
    proceso: Child,
    base: String,
}

impl Servidor {
    fn lanzar(d: &Datos) -> Servidor {
        let mut proceso = Command::new(env!("CARGO_BIN_EXE_trazo"))
            .arg("--data-dir")
            .arg(&d.dir)
            .args(["serve", "--port", "0"])
            .env("TRAZO_DATABASE__URL", &d.url)
            .env("TRAZO_SERVER__HOST", "127.0.0.1")
            .env("TRAZO_RELOJ__FECHA_FIJA", HOY)
            .env("TRAZO_LOG__LEVEL", "warn")
            // As README says for several servers: one secret, so any token is valid on all.
            .env("TRAZO_AUTH__JWT_SECRET", "5a2f".repeat(16))
            // Fifty people sign in from one address within a second.
            .env("TRAZO_AUTH__LOGIN_ATTEMPTS_PER_MINUTE_PER_ADDRESS", "1000")
            .stdout(Stdio::piped())
            .spawn()
            .expect("trazo serve");
        let mut linea = String::new();
        let mut salida = BufReader::new(proceso.stdout.take().unwrap());
        while !linea.contains("escucha en") {
            linea.clear();
            assert!(
                salida.read_line(&mut linea).unwrap() > 0,
                "el servidor terminó sin escuchar"
            );
        }
        let puerto = linea
            .split("http://")
            .nth(1)
            .and_then(|r| r.split(['/', ' ']).next())
            .and_then(|h| h.rsplit(':').next())
            .unwrap()
            .to_string();
        // Keep reading its output so it never blocks on a full pipe.
        std::thread::spawn(move || for _ in salida.lines() {});
        Servidor {
            proceso,
            base: format!("http://127.0.0.1:{puerto}"),
        }
    }

    /// Peak resident memory of the server process so far, in MiB.
    fn pico_mib(&self) -> f64 {
        let s = std::fs::read_to_string(format!("/proc/{}/status", self.proceso.id())).unwrap();
        let kb: f64 = s
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap();
        kb / 1024.0
    }
}

impl Drop for Servidor {
    fn drop(&mut self) {
        self.proceso.kill().ok();
        self.proceso.wait().ok();
    }
}

fn agente() -> ureq::Agent {
    ureq::AgentBuilder::new()
        .redirects(0)
        .timeout(Duration::from_secs(60))
        .build()
}

/// A web session's cookie.
fn cookie(base: &str, email: &str) -> String {
    let r = agente()
        .post(&format!("{base}/ingresar"))
        .send_form(&[("email", email), ("password", CLAVE)])
        .unwrap();
    assert_eq!(r.status(), 303, "sign-in failed for {email}");
    r.header("set-cookie").unwrap().split(';').next().unwrap().to_string()
}

/// An API bearer token.
fn token(base: &str, email: &str) -> String {
    let r: serde_json::Value = agente()
        .post(&format!("{base}/api/v1/auth/login"))
        .send_json(serde_json::json!({"email": email, "password": CLAVE}))
        .unwrap()
        .into_json()
        .unwrap();
    r["access_token"].as_str().unwrap().to_string()
}

// ---------------------------------------------------------------- pantallas (item 2)

/// One screen: its name, the path with `%d` for the random part, and the random part's range.
struct Pantalla {
    nombre: &'static str,
    ruta: &'static str,
    hasta: u64,
    web: bool,
}

fn pantallas(d: &Datos, segundos: u64, conexiones: u32) {
    let s = Servidor::lanzar(d);
    let galleta = cookie(&s.base, "cartera0@bench.co");
    let portador = token(&s.base, "cartera0@bench.co");
    let n = d.n;
    let lista = [
        Pantalla {
            nombre: "trazabilidad (página de la factura)",
            ruta: "/facturas/f%d",
            hasta: n,
            web: true,
        },
        Pantalla {
            nombre: "trazabilidad (API)",
            ruta: "/api/v1/facturas/f%d/trazabilidad",
            hasta: n,
            web: false,
        },
        Pantalla {
            nombre: "búsqueda por número (página)",
            ruta: "/facturas?q=FE-%d",
            hasta: n,
            web: true,
        },
        Pantalla {
            nombre: "búsqueda por radicado (página)",
            ruta: "/facturas?q=R-%d",
            hasta: n,
            web: true,
        },
        Pantalla {
            nombre: "búsqueda por número (API)",
            ruta: "/api/v1/facturas?q=FE-%d",
            hasta: n,
            web: false,
        },
        Pantalla {
            nombre: "lista de glosas, una página (API)",
            ruta: "/api/v1/glosas?page=%d",
            hasta: 100,
            web: false,
        },
        Pantalla {
            nombre: "lista de glosas por responder (API)",
            ruta: "/api/v1/glosas?estado=formulada&page=%d",
            hasta: 100,
            web: false,
        },
        Pantalla {
            nombre: "bandeja",
            ruta: "/bandeja?page=%d",
            hasta: 1,
            web: true,
        },
        Pantalla {
            nombre: "bandeja, vencidas",
            ruta: "/bandeja?ver=vencidas&page=%d",
            hasta: 1,
            web: true,
        },
    ];
    let solo: Vec<String> = std::env::var("CARGA_SOLO")
        .map(|s| s.split(',').map(str::to_string).collect())
        .unwrap_or_default();
    println!(
        "wrk, {segundos} s por pantalla, {conexiones} conexiones, 1 hilo; servidor {}",
        if d.sqlite { "SQLite" } else { "PostgreSQL" }
    );
    println!("| pantalla | peticiones/s | p50 | p99 | errores |\n| --- | --- | --- | --- | --- |");
    for p in lista
        .iter()
        .filter(|p| solo.is_empty() || solo.iter().any(|s| p.nombre.contains(s.as_str())))
    {
        let cabecera = if p.web {
            format!("[\"Cookie\"] = \"{galleta}\"")
        } else {
            format!("[\"Authorization\"] = \"Bearer {portador}\"")
        };
        let guion = d.dir.join("pantalla.lua");
        std::fs::write(
            &guion,
            format!(
                "math.randomseed(17)\n\
                 local h = {{{cabecera}}}\n\
                 request = function()\n  \
                   return wrk.format(\"GET\", string.format(\"{}\", math.random(1, {})), h)\n\
                 end\n",
                p.ruta, p.hasta
            ),
        )
        .unwrap();
        // Two seconds first, not counted: the pages of the indexes this screen reads come into
        // the caches, as they are on a server in use.
        Command::new("wrk")
            .args(["-t1", &format!("-c{conexiones}"), "-d2s", "-s"])
            .arg(&guion)
            .arg(&s.base)
            .output()
            .expect("wrk (apt install wrk)");
        let salida = Command::new("wrk")
            .args([
                "-t1",
                &format!("-c{conexiones}"),
                &format!("-d{segundos}s"),
                "--latency",
                "-s",
            ])
            .arg(&guion)
            .arg(&s.base)
            .output()
            .expect("wrk (apt install wrk)");
        let texto = String::from_utf8_lossy(&salida.stdout);
        let r = Wrk::leer(&texto);
        println!(
            "| {} | {:.0} | {:.1} ms | {:.1} ms | {} |",
            p.nombre, r.por_segundo, r.p50, r.p99, r.errores
        );
    }
    println!("pico de memoria residente del servidor: {:.0} MiB", s.pico_mib());
}

/// What `wrk --latency` printed.
struct Wrk {
    p50: f64,
    p99: f64,
    por_segundo: f64,
    errores: u64,
}

impl Wrk {
    fn leer(texto: &str) -> Wrk {
        let ms = |v: &str| {
            let (num, unidad) = v.split_at(v.find(|c: char| c.is_ascii_alphabetic()).unwrap());
            let x: f64 = num.parse().unwrap();
            match unidad {
                "us" => x / 1000.0,
                "ms" => x,
                "s" => x * 1000.0,
                "m" => x * 60_000.0,
                u => panic!("unidad de wrk {u}"),
            }
        };
        let campo = |clave: &str| {
            texto
                .lines()
                .find_map(|l| l.trim().strip_prefix(clave))
                .map(|v| v.trim().to_string())
        };
        let errores = campo("Non-2xx or 3xx responses:").map_or(0, |v| v.parse().unwrap())
            + campo("Socket errors:").map_or(0, |v| {
                v.split(',')
                    .filter_map(|p| p.split_whitespace().last()?.parse::<u64>().ok())
                    .sum()
            });
        Wrk {
            p50: ms(&campo("50%").unwrap_or_else(|| panic!("salida de wrk: {texto}"))),
            p99: ms(&campo("99%").unwrap()),
            por_segundo: campo("Requests/sec:").unwrap().parse().unwrap(),
            errores,
        }
    }
}

// ---------------------------------------------------------------- usuarios (items 3 and 5)

/// What the fifty people did, by kind: latencies of what succeeded, and what failed.
#[derive(Default)]
struct Registro {
    tiempos: BTreeMap<&'static str, Vec<Duration>>,
    errores: Vec<String>,
    aceptadas: BTreeMap<&'static str, u64>,
}

/// One person: a cartera analyst (glosas and their answers) or a finanzas analyst (payments
/// applied to invoices), on the invoices of their own share so that two people never write
/// the same invoice at the same moment (a real team splits its work the same way).
struct Persona {
    base: String,
    galleta: String,
    portador: String,
    cartera: bool,
    facturas: Vec<u64>,
    glosas: Vec<String>,
    rng: rand::rngs::StdRng,
}

impl Persona {
    fn pedir(
        &self,
        metodo: &str,
        ruta: &str,
        cuerpo: Option<serde_json::Value>,
        web: bool,
    ) -> Result<(u16, String), String> {
        let url = format!("{}{ruta}", self.base);
        let a = agente();
        let r = a.request(metodo, &url);
        let r = if web {
            r.set("Cookie", &self.galleta)
        } else {
            r.set("Authorization", &format!("Bearer {}", self.portador))
        };
        let r = match cuerpo {
            Some(c) => r.send_json(c),
            None => r.call(),
        };
        match r {
            Ok(r) => Ok((r.status(), r.into_string().unwrap_or_default())),
            Err(ureq::Error::Status(s, r)) => {
                Err(format!("{metodo} {ruta}: {s} {}", r.into_string().unwrap_or_default()))
            }
            Err(e) => Err(format!("{metodo} {ruta}: {e}")),
        }
    }

    /// One action, chosen 80% reads and 20% writes. Returns its kind, whether it wrote, and
    /// what the server said.
    fn actuar(&mut self, n: u64) -> (&'static str, bool, Result<(u16, String), String>) {
        let x = self.rng.gen_range(0..100);
        let f = self.rng.gen_range(1..=n);
        match x {
            0..20 => ("bandeja", false, self.pedir("GET", "/bandeja", None, true)),
            20..30 => {
                let p = self.rng.gen_range(1..200);
                (
                    "lista de facturas",
                    false,
                    self.pedir("GET", &format!("/api/v1/facturas?page={p}"), None, false),
                )
            }
            30..40 => {
                let p = self.rng.gen_range(1..100);
                (
                    "lista de glosas",
                    false,
                    self.pedir("GET", &format!("/api/v1/glosas?page={p}"), None, false),
                )
            }
            40..70 => (
                "trazabilidad",
                false,
                self.pedir("GET", &format!("/api/v1/facturas/f{f}/trazabilidad"), None, false),
            ),
            70..80 => (
                "edades",
                false,
                self.pedir("GET", "/api/v1/reportes/cartera", None, false),
            ),
            _ => self.escribir(),
        }
    }

    fn escribir(&mut self) -> (&'static str, bool, Result<(u16, String), String>) {
        let i = self.facturas[self.rng.gen_range(0..self.facturas.len())];
        if !self.cartera {
            let cuerpo = serde_json::json!({
                "pagador_id": format!("p{}", i % 20 + 1), "fecha": HOY, "valor": "10.00",
                "referencia": format!("TRF-{}", uuid::Uuid::new_v4()), "medio": "transferencia",
                "aplicaciones": [{"factura_id": format!("f{i}"), "valor": "10.00"}]});
            return (
                "pago con aplicación",
                true,
                self.pedir("POST", "/api/v1/pagos", Some(cuerpo), false),
            );
        }
        if let Some(g) = (self.rng.gen_bool(0.4)).then(|| self.glosas.pop()).flatten() {
            let cuerpo = serde_json::json!({"codigo": "RE9602", "valor_aceptado": "0", "valor_sustentado": "10.00",
                "justificacion": "Se adjuntan los soportes", "fecha": HOY});
            return (
                "respuesta a glosa",
                true,
                self.pedir("POST", &format!("/api/v1/glosas/{g}/respuestas"), Some(cuerpo), false),
            );
        }
        let cuerpo = serde_json::json!({"codigo": "FA0101", "valor": "10.00", "fecha_formulacion": "2026-06-29",
            "fecha_recepcion": "2026-06-29", "observacion": "carga"});
        let r = self.pedir("POST", &format!("/api/v1/facturas/f{i}/glosas"), Some(cuerpo), false);
        if let Ok((_, cuerpo)) = &r {
            if let Some(id) = serde_json::from_str::<serde_json::Value>(cuerpo)
                .ok()
                .and_then(|v| v["id"].as_str().map(String::from))
            {
                self.glosas.push(id);
            }
        }
        ("glosa", true, r)
    }
}

/// Rows the writes leave: glosas, answers (their events) and payments with their applications.
fn contar(url: &str) -> BTreeMap<&'static str, i64> {
    let db = Db::connect(url, 1).unwrap();
    let sql = [
        ("glosa", "SELECT COUNT(*) AS n FROM glosas"),
        (
            "respuesta a glosa",
            "SELECT COUNT(*) AS n FROM eventos WHERE tipo = 'glosa_respondida'",
        ),
        ("pago con aplicación", "SELECT COUNT(*) AS n FROM aplicaciones"),
    ];
    db.read(|c| {
        use diesel::prelude::*;
        #[derive(QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let mut m = BTreeMap::new();
        for (k, q) in sql {
            m.insert(k, diesel::sql_query(q).get_result::<N>(c)?.n);
        }
        Ok::<_, AppError>(m)
    })
    .unwrap()
}

fn usuarios(d: &Datos, segundos: u64, servidores: usize) {
    let ss: Vec<Servidor> = (0..servidores).map(|_| Servidor::lanzar(d)).collect();
    let antes = contar(&d.url);
    // Each person's share: the recent invoices (issued from 2026-05-30, Res. 2284 codes)
    // already radicated and not yet glosadas by the payer (a later glosa needs new facts:
    // Ley 1438/2011 art. 57), split by blocks of 900. Amounts are small (the invoices are of
    // 1,000 to 10,600 pesos) so that no glosa or payment ever exceeds what is left.
    let personas: Vec<Persona> = (0..CARTERA + FINANZAS)
        .map(|k| {
            let cartera = k < CARTERA;
            let email = if cartera {
                format!("cartera{k}@bench.co")
            } else {
                format!("finanzas{}@bench.co", k - CARTERA)
            };
            let base = ss[k % servidores].base.clone();
            Persona {
                galleta: cookie(&base, &email),
                portador: token(&base, &email),
                base,
                cartera,
                facturas: (1..=d.n)
                    .filter(|i| {
                        i % 900 >= 880 && i % 10 != 0 && i % 20 != 1 && (i / 900) as usize % (CARTERA + FINANZAS) == k
                    })
                    .collect(),
                glosas: Vec::new(),
                rng: rand::rngs::StdRng::seed_from_u64(k as u64),
            }
        })
        .collect();
    println!(
        "{} personas, {segundos} s, {servidores} servidor(es) {}",
        personas.len(),
        if d.sqlite { "SQLite" } else { "PostgreSQL" }
    );
    let registro = Arc::new(Mutex::new(Registro::default()));
    let fin = Instant::now() + Duration::from_secs(segundos);
    let n = d.n;
    let hilos: Vec<_> = personas
        .into_iter()
        .map(|mut p| {
            let registro = registro.clone();
            std::thread::spawn(move || {
                while Instant::now() < fin {
                    let t = Instant::now();
                    let (tipo, escribe, r) = p.actuar(n);
                    let dt = t.elapsed();
                    let mut reg = registro.lock().unwrap();
                    match r {
                        Ok((s, _)) if s < 400 => {
                            reg.tiempos.entry(tipo).or_default().push(dt);
                            if escribe {
                                *reg.aceptadas.entry(tipo).or_default() += 1;
                            }
                        }
                        Ok((s, cuerpo)) => reg.errores.push(format!("{tipo}: {s} {cuerpo}")),
                        Err(e) => reg.errores.push(format!("{tipo}: {e}")),
                    }
                    drop(reg);
                    // A person reads what came back before the next click.
                    std::thread::sleep(Duration::from_millis(p.rng.gen_range(PAUSA_MS.0..PAUSA_MS.1)));
                }
            })
        })
        .collect();
    for h in hilos {
        h.join().unwrap();
    }
    let reg = registro.lock().unwrap();
    println!("| tipo | peticiones | por segundo | p50 | p99 |\n| --- | --- | --- | --- | --- |");
    let mut total = 0;
    for (tipo, t) in &reg.tiempos {
        let mut t = t.clone();
        t.sort();
        let p = |q: f64| t[((t.len() as f64 * q).ceil() as usize).saturating_sub(1)].as_secs_f64() * 1000.0;
        total += t.len();
        println!(
            "| {tipo} | {} | {:.1} | {:.0} ms | {:.0} ms |",
            t.len(),
            t.len() as f64 / segundos as f64,
            p(0.5),
            p(0.99)
        );
    }
    println!(
        "total: {total} peticiones, {:.1} por segundo",
        total as f64 / segundos as f64
    );
    println!("errores: {}", reg.errores.len());
    for e in reg.errores.iter().take(10) {
        println!("  {}", e.chars().take(300).collect::<String>());
    }
    let despues = contar(&d.url);
    for (tipo, aceptadas) in &reg.aceptadas {
        let nuevas = despues[tipo] - antes[tipo];
        println!(
            "{tipo}: {aceptadas} aceptadas, {nuevas} nuevas en la base de datos {}",
            if nuevas == *aceptadas as i64 { "✔" } else { "✘" }
        );
    }
    for (k, s) in ss.iter().enumerate() {
        println!("servidor {}: pico de memoria residente {:.0} MiB", k + 1, s.pico_mib());
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let modo = args.first().map(String::as_str).unwrap_or("pantallas");
    let backend = args.get(1).map(String::as_str).unwrap_or("sqlite");
    assert!(matches!(backend, "sqlite" | "postgres"), "se espera sqlite o postgres");
    let n: u64 = args.get(2).and_then(|x| x.parse().ok()).unwrap_or(1_000_000);
    let d = preparar(backend, n);
    match modo {
        "pantallas" => pantallas(
            &d,
            args.get(3).and_then(|x| x.parse().ok()).unwrap_or(15),
            args.get(4).and_then(|x| x.parse().ok()).unwrap_or(4),
        ),
        "usuarios" => usuarios(
            &d,
            args.get(3).and_then(|x| x.parse().ok()).unwrap_or(300),
            args.get(4).and_then(|x| x.parse().ok()).unwrap_or(1),
        ),
        otro => panic!("modo '{otro}': se espera pantallas o usuarios"),
    }
}
