//! How long a small write waits while a large import writes to the same SQLite file, run on
//! demand (never in CI):
//!
//! ```sh
//! cargo bench -p trazo --bench escrituras -- 10000   # a DIAN import of 10,000 invoices
//! ```
//!
//! The import runs on one `Db` (a CLI import, its own process to SQLite); a clerk's invoice is
//! written every 50 ms through a second `Db` (the server) and, in a second run, through the
//! import's own `Db` (the server importing an upload). Every write must succeed; the worst
//! wait is the figure in BENCHMARKS.md.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use trazo::app::facturas::{NuevaFactura, NuevoItem};
use trazo::app::importaciones::{self, Contexto, Opciones, TipoImportacion};
use trazo::app::{self, Actor};
use trazo::db::{self, Db};
use trazo::domain::rol::Rol;
use trazo::domain::terminos::Terminos;
use trazo_importers::archivo::Origen;
use trazo_importers::dian::generador;

const NIT_PRESTADOR: &str = "900123456";
const NIT_PAGADOR: &str = "800250119";

fn hoy() -> NaiveDate {
    "2026-11-20".parse().unwrap()
}

struct Entorno {
    dir: tempfile::TempDir,
    db: Db,
    facturacion: Actor,
    pagador_id: String,
}

fn entorno() -> Entorno {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::connect(&dir.path().join("bench.db").to_string_lossy(), 4).unwrap();
    let pid = app::prestadores::crear(&db, NIT_PRESTADOR, "IPS Bench", "admin@bench.co", "clave-larga-123").unwrap();
    let admin = db
        .read(|c| Ok::<_, app::AppError>(db::usuarios::por_email(c, "admin@bench.co")?))
        .unwrap()
        .unwrap();
    let admin = Actor {
        usuario_id: admin.id,
        prestador_id: pid.clone(),
        rol: Rol::Admin,
    };
    let n = app::usuarios::NuevoUsuario {
        pagador_id: None,
        email: "facturacion@bench.co".into(),
        nombre: "B".into(),
        rol: Rol::Facturacion,
        password: "clave-larga-123".into(),
    };
    let p = app::usuarios::preparar(n).unwrap();
    let id = db.write(|c| app::usuarios::insertar(c, &pid, p)).unwrap().id;
    let facturacion = Actor {
        usuario_id: id,
        prestador_id: pid,
        rol: Rol::Facturacion,
    };
    let n = app::pagadores::NuevoPagador {
        nit: NIT_PAGADOR.into(),
        nombre: "EPS Bench".into(),
        tipo: trazo::domain::pagador::TipoPagador::EpsContributivo,
    };
    let pagador_id = app::pagadores::crear(&db, &admin, n).unwrap().id;
    Entorno {
        dir,
        db,
        facturacion,
        pagador_id,
    }
}

fn factura(numero: String, pagador_id: &str) -> NuevaFactura {
    NuevaFactura {
        numero,
        pagador_id: pagador_id.into(),
        fecha_expedicion: "2026-11-02".parse().unwrap(),
        valor_total: Decimal::from(100_000),
        copagos: None,
        cuotas_moderadoras: None,
        cufe: None,
        contrato_id: None,
        items: vec![NuevoItem {
            codigo: "890201".into(),
            descripcion: "Consulta".into(),
            cantidad: Decimal::ONE,
            valor_unitario: Decimal::from(100_000),
            valor_total: Decimal::from(100_000),
        }],
    }
}

fn correr(n: u64, otro_proceso: bool) {
    let e = entorno();
    let carpeta = e.dir.path().join("xml");
    std::fs::create_dir_all(&carpeta).unwrap();
    let origenes: Vec<Origen> = (1..=n)
        .map(|i| {
            let ruta = carpeta.join(format!("fev{i}.xml"));
            std::fs::write(&ruta, generador::attached_document(i, NIT_PRESTADOR, NIT_PAGADOR)).unwrap();
            Origen::Ruta {
                ruta,
                limites: Default::default(),
            }
        })
        .collect();
    let servidor = if otro_proceso {
        Db::connect(&e.dir.path().join("bench.db").to_string_lossy(), 4).unwrap()
    } else {
        e.db.clone()
    };
    let fin = Arc::new(AtomicBool::new(false));
    let clerk = {
        let (fin, actor, pagador) = (fin.clone(), e.facturacion.clone(), e.pagador_id.clone());
        std::thread::spawn(move || {
            let t = Terminos::por_defecto();
            let mut esperas = Vec::new();
            let mut i = 0;
            while !fin.load(Ordering::Relaxed) {
                let t0 = Instant::now();
                app::facturas::crear(&servidor, &t, hoy(), &actor, factura(format!("CLERK-{i}"), &pagador))
                    .expect("a clerk's write never fails");
                esperas.push(t0.elapsed());
                i += 1;
                std::thread::sleep(Duration::from_millis(50));
            }
            esperas
        })
    };
    let t = Terminos::por_defecto();
    let perfiles = importaciones::cargar_perfiles(std::path::Path::new("/nonexistent")).unwrap();
    let cx = Contexto {
        db: &e.db,
        terminos: &t,
        hoy: hoy(),
        perfiles: &perfiles,
        rips_total_distinto: Default::default(),
    };
    let o = Opciones {
        tipo: TipoImportacion::DianXml,
        perfil: None,
        simular: false,
    };
    let id = importaciones::crear(&e.db, &e.facturacion, &o, "bench").unwrap();
    let t0 = Instant::now();
    let v = importaciones::ejecutar(&cx, &e.facturacion, &id, &o, origenes, &|_, _| {}).unwrap();
    let s = t0.elapsed().as_secs_f64();
    std::thread::sleep(Duration::from_millis(200));
    fin.store(true, Ordering::Relaxed);
    let mut esperas = clerk.join().unwrap();
    assert_eq!(v.creados as u64, n, "{:?}", v.errores.first());
    esperas.sort();
    let p = |q: f64| esperas[((esperas.len() - 1) as f64 * q) as usize].as_secs_f64() * 1000.0;
    println!(
        "{}: import of {n} invoices in {s:.2} s; {} small writes beside it, none failed; wait p50 {:.0} ms, p99 {:.0} ms, worst {:.0} ms",
        if otro_proceso {
            "CLI import + server (two pools)"
        } else {
            "server import + server (one pool)"
        },
        esperas.len(),
        p(0.5),
        p(0.99),
        p(1.0)
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let n = args.first().and_then(|x| x.parse().ok()).unwrap_or(10_000);
    correr(n, true);
    correr(n, false);
}
