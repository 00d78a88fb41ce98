//! Import benchmarks, run on demand (never in CI):
//!
//! ```sh
//! cargo bench -p trazo --bench importaciones -- dian 10000     # AttachedDocument XML end to end
//! cargo bench -p trazo --bench importaciones -- glosas 100000  # payer glosa sheet end to end (+ pandas)
//! cargo bench -p trazo --bench importaciones -- parse          # raw parser throughput
//! ```
//!
//! Each run uses a fresh SQLite database in a temporary folder and prints its figures and the
//! process's peak resident memory (VmHWM). Results are recorded in BENCHMARKS.md.

use std::sync::Mutex;
use std::time::Instant;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use trazo::app::facturas::FacturaLista;
use trazo::app::importaciones::{self, Contexto, Opciones, TipoImportacion};
use trazo::app::{self, Actor};
use trazo::db::{self, Db};
use trazo::domain::factura::{validar, FacturaEntrada};
use trazo::domain::rol::Rol;
use trazo::domain::terminos::Terminos;
use trazo_importers::archivo::{Archivo, Origen};
use trazo_importers::dian::generador;
use trazo_importers::sheets::Perfil;

const NIT_PRESTADOR: &str = "900123456";
const NIT_PAGADOR: &str = "800250119";

/// The phases the import logs (`import phase`, fase and ms), kept to print beside the totals.
static FASES: Mutex<Vec<(String, f64)>> = Mutex::new(Vec::new());

struct CapturaFases;

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for CapturaFases {
    fn on_event(&self, evento: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        #[derive(Default)]
        struct Campos {
            fase: Option<String>,
            ms: Option<f64>,
        }
        impl tracing::field::Visit for Campos {
            fn record_str(&mut self, campo: &tracing::field::Field, valor: &str) {
                if campo.name() == "fase" {
                    self.fase = Some(valor.to_string());
                }
            }
            fn record_f64(&mut self, campo: &tracing::field::Field, valor: f64) {
                if campo.name() == "ms" {
                    self.ms = Some(valor);
                }
            }
            fn record_debug(&mut self, _: &tracing::field::Field, _: &dyn std::fmt::Debug) {}
        }
        let mut c = Campos::default();
        evento.record(&mut c);
        if let (Some(fase), Some(ms)) = (c.fase, c.ms) {
            FASES.lock().unwrap().push((fase, ms));
        }
    }
}

/// The phases logged so far, in order, forgetting them.
fn fases_tomar() -> Vec<(String, f64)> {
    std::mem::take(&mut *FASES.lock().unwrap())
}

/// What a Python reader printed: (rows, seconds, peak MiB), or why there is none.
fn lector_python(script: &str, ruta: &str) -> Result<(u64, f64, f64), String> {
    let o = std::process::Command::new("python3")
        .arg(format!("{}/../bench/{script}", env!("CARGO_MANIFEST_DIR")))
        .arg(ruta)
        .output()
        .map_err(|e| e.to_string())?;
    if !o.status.success() {
        return Err(String::from_utf8_lossy(&o.stderr)
            .lines()
            .last()
            .unwrap_or("")
            .to_string());
    }
    let texto = String::from_utf8_lossy(&o.stdout);
    let campo = |k: &str| {
        texto
            .split_whitespace()
            .find_map(|p| p.strip_prefix(k).and_then(|v| v.strip_prefix('=')))
            .and_then(|v| v.parse::<f64>().ok())
    };
    match (campo("filas"), campo("segundos"), campo("pico_mib")) {
        (Some(f), Some(s), Some(m)) => Ok((f as u64, s, m)),
        _ => Err(format!("unexpected output: {texto}")),
    }
}

fn hoy() -> NaiveDate {
    "2026-11-20".parse().unwrap()
}

/// Peak resident memory of this process so far, in MiB (Linux).
fn memoria_pico_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(|l| l.to_string()))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|k| k.parse::<f64>().ok()))
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

struct Entorno {
    _dir: tempfile::TempDir,
    db: Db,
    facturacion: Actor,
    cartera: Actor,
    pagador_id: String,
}

fn entorno() -> Entorno {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::connect(&dir.path().join("bench.db").to_string_lossy(), 4).unwrap();
    let pid = app::prestadores::crear(&db, NIT_PRESTADOR, "IPS Bench", "admin@bench.co", "clave-larga-123").unwrap();
    let mut actores = Vec::new();
    for rol in [Rol::Facturacion, Rol::Cartera, Rol::Admin] {
        let u = db
            .read(|c| Ok::<_, app::AppError>(db::usuarios::por_email(c, "admin@bench.co")?))
            .unwrap()
            .filter(|_| rol == Rol::Admin)
            .map(|u| u.id);
        let id = match u {
            Some(id) => id,
            None => {
                let n = app::usuarios::NuevoUsuario {
                    pagador_id: None,
                    email: format!("{rol}@bench.co"),
                    nombre: "B".into(),
                    rol,
                    password: "clave-larga-123".into(),
                };
                let p = app::usuarios::preparar(n).unwrap();
                db.write(|c| app::usuarios::insertar(c, &pid, p)).unwrap().id
            }
        };
        actores.push(Actor {
            usuario_id: id,
            prestador_id: pid.clone(),
            rol,
        });
    }
    let admin = actores.pop().unwrap();
    let cartera = actores.pop().unwrap();
    let facturacion = actores.pop().unwrap();
    let n = app::pagadores::NuevoPagador {
        nit: NIT_PAGADOR.into(),
        nombre: "EPS Bench".into(),
        tipo: trazo::domain::pagador::TipoPagador::EpsContributivo,
    };
    let pagador_id = app::pagadores::crear(&db, &admin, n).unwrap().id;
    Entorno {
        _dir: dir,
        db,
        facturacion,
        cartera,
        pagador_id,
    }
}

fn correr(
    e: &Entorno,
    actor: &Actor,
    tipo: TipoImportacion,
    archivos: Vec<Origen>,
) -> (f64, importaciones::ImportacionVista) {
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
        tipo,
        perfil: None,
        simular: false,
    };
    let id = importaciones::crear(&e.db, actor, &o, "bench").unwrap();
    let t0 = Instant::now();
    let v = importaciones::ejecutar(&cx, actor, &id, &o, archivos, &|_, _| {}).unwrap();
    (t0.elapsed().as_secs_f64(), v)
}

fn documentos(n: u64) -> Vec<Archivo> {
    (1..=n)
        .map(|i| Archivo {
            nombre: format!("fev{i}.xml"),
            bytes: generador::attached_document(i, NIT_PRESTADOR, NIT_PAGADOR).into_bytes(),
        })
        .collect()
}

fn bench_dian(n: u64) {
    let e = entorno();
    // Written to disk first (not timed) and read by the run as the CLI reads a folder, so the
    // process never holds them all.
    let carpeta = tempfile::tempdir().unwrap();
    let mut mb = 0.0;
    let mut origenes = Vec::new();
    for i in 1..=n {
        let ruta = carpeta.path().join(format!("fev{i}.xml"));
        let xml = generador::attached_document(i, NIT_PRESTADOR, NIT_PAGADOR);
        mb += xml.len() as f64 / 1e6;
        std::fs::write(&ruta, xml).unwrap();
        origenes.push(Origen::Ruta {
            ruta,
            limites: Default::default(),
        });
    }
    let (s, v) = correr(&e, &e.facturacion, TipoImportacion::DianXml, origenes);
    assert_eq!(v.creados as u64, n, "{:?}", v.errores.first());
    println!(
        "dian_xml end to end: {n} AttachedDocument ({mb:.1} MB) in {s:.2} s = {:.0} invoices/s; peak memory {:.0} MiB",
        n as f64 / s,
        memoria_pico_mib()
    );
}

fn hoja_glosas(numeros: &[String], filas: usize) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in [
        "numero_factura",
        "codigo",
        "valor",
        "fecha_formulacion",
        "fecha_recepcion",
        "observacion",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let fecha = rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 1, 20).unwrap();
    let formato = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    for r in 0..filas {
        let row = r as u32 + 1;
        ws.write_string(row, 0, &numeros[r % numeros.len()]).unwrap();
        // Application codes of the Res. 2284/2023 manual, in force for invoices of 2026.
        ws.write_string(row, 1, ["FA0101", "TA0101", "SO0101", "AU0101", "CL0101"][r % 5])
            .unwrap();
        // Distinct values per invoice so no row repeats another.
        ws.write_number(row, 2, 1000.0 + (r / numeros.len()) as f64).unwrap();
        ws.write_datetime_with_format(row, 3, &fecha, &formato).unwrap();
        ws.write_datetime_with_format(row, 4, &fecha, &formato).unwrap();
        ws.write_string(row, 5, "Glosa de prueba de rendimiento").unwrap();
    }
    wb.save_to_buffer().unwrap()
}

/// Invoices already radicated, for glosas to land on.
fn facturas_radicadas(e: &Entorno, n: usize) -> Vec<String> {
    let t = Terminos::por_defecto();
    let lote: Vec<FacturaLista> = (0..n)
        .map(|i| {
            let f = FacturaEntrada {
                numero: format!("FB{}", 100_000 + i),
                fecha_expedicion: "2026-01-05".parse().unwrap(),
                valor_total: Decimal::from(1_000_000),
                copagos: Decimal::ZERO,
                cuotas_moderadoras: Decimal::ZERO,
                cufe: None,
                items: vec![],
            };
            FacturaLista {
                factura: validar(f, hoy()).unwrap(),
                pagador_id: e.pagador_id.clone(),
                contrato_id: None,
                origen: None,
            }
        })
        .collect();
    let filas =
        e.db.write(|c| app::facturas::insertar(c, &e.facturacion, &t, lote))
            .unwrap();
    for ids in filas.chunks(5000) {
        let r = app::radicaciones::RadicacionLote {
            pagador_id: e.pagador_id.clone(),
            numero_radicado: "RAD-BENCH".into(),
            fecha_radicacion: "2026-01-10".parse().unwrap(),
            factura_ids: ids.iter().map(|f| f.id.clone()).collect(),
            excepcion: None,
        };
        // The bench's invoices carry no soportes: radicated as before the checklist existed.
        app::radicaciones::radicar_lote(&e.db, &t, hoy(), &e.facturacion, false, r).unwrap();
    }
    filas.into_iter().map(|f| f.numero).collect()
}

fn bench_glosas(filas: usize) {
    let e = entorno();
    let numeros = facturas_radicadas(&e, (filas / 5).max(1));
    let bytes = hoja_glosas(&numeros, filas);
    let ruta = format!("{}/../bench/glosas_{filas}.xlsx", env!("CARGO_MANIFEST_DIR"));
    std::fs::write(&ruta, &bytes).unwrap();
    let mb = bytes.len() as f64 / 1e6;
    fases_tomar();
    let (s, v) = correr(
        &e,
        &e.cartera,
        TipoImportacion::GlosasXlsx,
        vec![Origen::Bytes(Archivo {
            nombre: "glosas.xlsx".into(),
            bytes,
        })],
    );
    assert_eq!(v.creados as usize, filas, "{:?}", v.errores.first());
    let fases = fases_tomar();
    let lectura = fases
        .iter()
        .filter(|(f, _)| f == "lectura")
        .map(|(_, ms)| ms)
        .sum::<f64>()
        / 1000.0;
    let pico = memoria_pico_mib();
    println!(
        "glosas_xlsx end to end: {filas} rows ({mb:.1} MB) in {s:.2} s = {:.0} rows/s; reading phase {lectura:.3} s; peak memory {pico:.0} MiB",
        filas as f64 / s,
    );
    println!(
        "phases (ms): {}",
        fases
            .iter()
            .map(|(f, ms)| format!("{f} {ms:.0}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    match lector_python("pandas_read.py", &ruta) {
        Ok((n, p, m)) => println!(
            "pandas.read_excel (openpyxl) of the same file: {n} rows in {p:.2} s, peak memory {m:.0} MiB; \
             Trazo's whole import is {:.2}x faster than pandas only reading it",
            p / s
        ),
        Err(e) => println!("pandas not measured: {e}"),
    }
    match lector_python("polars_read.py", &ruta) {
        Ok((n, p, m)) => println!(
            "polars.read_excel (calamine) of the same file: {n} rows in {p:.3} s, peak memory {m:.0} MiB; \
             Trazo's reading phase takes {:.2}x polars' time (at most 1.00 is as fast)",
            lectura / p
        ),
        Err(e) => println!("polars not measured: {e}"),
    }
}

fn bench_parse() {
    let docs = documentos(10_000);
    let bytes = docs.iter().map(|a| a.bytes.len()).sum::<usize>() as f64;
    let t0 = Instant::now();
    for a in &docs {
        trazo_importers::dian::parse(&a.bytes, &a.nombre).unwrap();
    }
    let s = t0.elapsed().as_secs_f64();
    println!(
        "dian parse (one thread): {:.1} MB/s, {:.0} documents/s",
        bytes / 1e6 / s,
        docs.len() as f64 / s
    );
    let numeros: Vec<String> = (0..20_000).map(|i| format!("FB{}", 100_000 + i)).collect();
    let hoja = hoja_glosas(&numeros, 100_000);
    let t0 = Instant::now();
    let filas = trazo_importers::sheets::leer_glosas(&hoja, "glosas.xlsx", &Perfil::generico()).unwrap();
    let s = t0.elapsed().as_secs_f64();
    println!(
        "sheet read (xlsx, 100000 rows): {:.1} MB/s, {:.0} rows/s",
        hoja.len() as f64 / 1e6 / s,
        filas.len() as f64 / s
    );
}

fn main() {
    // The phases of an import are always kept (and printed); RUST_LOG=trazo=debug also logs them
    // as they happen.
    {
        use tracing_subscriber::prelude::*;
        let registro = std::env::var("RUST_LOG").ok().map(|_| {
            tracing_subscriber::fmt::layer()
                .with_writer(std::io::stderr)
                .with_filter(tracing_subscriber::EnvFilter::from_default_env())
        });
        let fases = CapturaFases.with_filter(
            tracing_subscriber::filter::Targets::new().with_target("trazo::app::importaciones", tracing::Level::DEBUG),
        );
        tracing_subscriber::registry().with(fases).with(registro).init();
    }
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let n = |d: u64| args.get(1).and_then(|x| x.parse().ok()).unwrap_or(d);
    match args.first().map(String::as_str) {
        Some("dian") => bench_dian(n(10_000)),
        Some("glosas") => bench_glosas(n(100_000) as usize),
        Some("parse") => bench_parse(),
        _ => {
            bench_parse();
            bench_dian(10_000);
            bench_glosas(100_000);
        }
    }
}
