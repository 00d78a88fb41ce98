//! Backups and one SQLite file shared by several writers (issue 15, items 5 and 6).
//!
//! Two `Db` handles on one file are two pools with their own in-process write queue: to
//! SQLite they are what the server and a CLI import beside it are, two independent writers.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use rust_decimal::Decimal;
use trazo::app::facturas::{NuevaFactura, NuevoItem};
use trazo::app::{self, demo, Actor, AppError};
use trazo::db::{respaldo, schema, Db};
use trazo::domain::rol::Rol;
use trazo::domain::terminos::Terminos;

fn hoy() -> chrono::NaiveDate {
    "2026-11-23".parse().unwrap()
}

/// A database with the demo data set, and who may create invoices in it.
fn con_demo(ruta: &std::path::Path) -> (Db, Actor, String) {
    let db = Db::connect(&ruta.to_string_lossy(), 4).unwrap();
    demo::cargar(&db, &Terminos::por_defecto(), hoy()).unwrap();
    let (actor, pagador) = quien_factura(&db);
    (db, actor, pagador)
}

fn quien_factura(db: &Db) -> (Actor, String) {
    let mut c = db.conn().unwrap();
    let (prestador_id, usuario_id): (String, String) = schema::usuarios::table
        .filter(schema::usuarios::rol.eq("facturacion"))
        .select((schema::usuarios::prestador_id, schema::usuarios::id))
        .first(&mut c)
        .unwrap();
    let pagador: String = schema::pagadores::table
        .filter(schema::pagadores::prestador_id.eq(&prestador_id))
        .select(schema::pagadores::id)
        .first(&mut c)
        .unwrap();
    let actor = Actor {
        usuario_id,
        prestador_id,
        rol: Rol::Facturacion,
    };
    (actor, pagador)
}

/// Creates one invoice with two lines and its event, in one transaction, as the API does.
fn facturar(db: &Db, actor: &Actor, pagador: &str, numero: &str) -> Result<(), AppError> {
    let item = |codigo: &str, valor: i64| NuevoItem {
        codigo: codigo.into(),
        descripcion: "Consulta".into(),
        cantidad: Decimal::ONE,
        valor_unitario: Decimal::from(valor),
        valor_total: Decimal::from(valor),
    };
    let n = NuevaFactura {
        numero: numero.into(),
        pagador_id: pagador.into(),
        fecha_expedicion: "2026-11-02".parse().unwrap(),
        valor_total: Decimal::from(100_000),
        copagos: None,
        cuotas_moderadoras: None,
        cufe: None,
        contrato_id: None,
        items: vec![item("890201", 60_000), item("890202", 40_000)],
    };
    app::facturas::crear(db, &Terminos::por_defecto(), hoy(), actor, n).map(|_| ())
}

fn cuenta(conteos: &respaldo::Conteos, tabla: &str) -> i64 {
    conteos
        .iter()
        .find(|(t, _)| t == tabla)
        .unwrap_or_else(|| panic!("no table {tabla} in {conteos:?}"))
        .1
}

/// Invoices whose lines or creation event are missing: a copy that caught half of a
/// transaction would show some.
fn facturas_a_medias(ruta: &std::path::Path) -> i64 {
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let mut c = SqliteConnection::establish(&ruta.to_string_lossy()).unwrap();
    diesel::sql_query(
        "SELECT COUNT(*) AS n FROM facturas f WHERE NOT EXISTS (SELECT 1 FROM eventos e WHERE e.factura_id = f.id) \
         OR NOT EXISTS (SELECT 1 FROM factura_items i WHERE i.factura_id = f.id)",
    )
    .get_result::<N>(&mut c)
    .unwrap()
    .n
}

#[test]
fn a_backup_taken_while_two_writers_write_restores_to_the_same_count_of_every_table() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("trazo.db");
    let url = base.to_string_lossy().into_owned();
    let (db, actor, pagador) = con_demo(&base);
    let antes = respaldo::conteos(&base).unwrap();

    // Two writers, each its own pool (the server and a CLI beside it), never stopping for
    // the backup; every write must succeed.
    let parar = Arc::new(AtomicBool::new(false));
    let escritas = Arc::new(AtomicUsize::new(0));
    let escritores: Vec<_> = (0..2)
        .map(|w| {
            let db = if w == 0 {
                db.clone()
            } else {
                Db::connect(&url, 2).unwrap()
            };
            let (actor, pagador, parar, escritas) = (actor.clone(), pagador.clone(), parar.clone(), escritas.clone());
            std::thread::spawn(move || {
                let mut i = 0;
                while !parar.load(Ordering::Relaxed) {
                    facturar(&db, &actor, &pagador, &format!("RESP-{w}-{i}")).unwrap();
                    escritas.fetch_add(1, Ordering::Relaxed);
                    i += 1;
                }
            })
        })
        .collect();
    while escritas.load(Ordering::Relaxed) < 20 {
        std::thread::sleep(Duration::from_millis(10));
    }
    // Into a folder that does not exist yet.
    let copia = dir.path().join("copias").join("durante.db");
    let durante = respaldo::respaldar(&url, &copia, false).unwrap();
    let escritas_al_copiar = escritas.load(Ordering::Relaxed);
    while escritas.load(Ordering::Relaxed) < escritas_al_copiar + 20 {
        std::thread::sleep(Duration::from_millis(10));
    }
    parar.store(true, Ordering::Relaxed);
    for e in escritores {
        e.join().expect("a writer failed while the backup ran");
    }
    let total = escritas.load(Ordering::Relaxed) as i64;

    // The copy is one committed state taken mid-stream: more than before, less than at the
    // end, and no invoice without its lines or its event.
    let en_copia = cuenta(&durante.conteos, "facturas") - cuenta(&antes, "facturas");
    assert!(
        en_copia > 0 && en_copia < total,
        "{en_copia} of {total} invoices in the copy"
    );
    assert_eq!(facturas_a_medias(&copia), 0);
    assert_eq!(durante.conteos, respaldo::conteos(&copia).unwrap());

    // Restored where there is no database yet: every table has the rows the copy had.
    let otra = dir.path().join("otra").join("trazo.db");
    let r = respaldo::restaurar(&otra.to_string_lossy(), &copia, false).unwrap();
    assert_eq!(r.anterior, None);
    assert_eq!(r.conteos, durante.conteos);
    assert_eq!(respaldo::conteos(&otra).unwrap(), durante.conteos);

    // Quiet now: a second copy has exactly the live counts, and restored over the live
    // database (server stopped, --force) it serves them.
    let vivas = respaldo::conteos(&base).unwrap();
    assert_eq!(cuenta(&vivas, "facturas"), cuenta(&antes, "facturas") + total);
    let e = respaldo::respaldar(&url, &copia, false).unwrap_err().to_string();
    assert!(e.contains("ya existe") && e.contains("--force"), "{e}");
    let despues = respaldo::respaldar(&url, &copia, true).unwrap();
    assert_eq!(despues.conteos, vivas);
    drop(db);
    facturar_en(&url, "DESPUES-DE-LA-COPIA");
    let r = respaldo::restaurar(&url, &copia, true).unwrap();
    let anterior = r.anterior.expect("the replaced database is kept");
    assert_eq!(respaldo::conteos(&base).unwrap(), vivas);
    // The search index of the restored file agrees with its invoices (FTS5 checks it against
    // the content table; it points at rowids, which the copy may have renumbered).
    let restaurada = Db::connect(&url, 1).unwrap();
    restaurada
        .write(|c| {
            c.batch_execute("INSERT INTO facturas_busqueda (facturas_busqueda, rank) VALUES ('integrity-check', 1)")
                .map_err(AppError::from)
        })
        .expect("the restored search index matches the invoices");
    drop(restaurada);
    assert_eq!(
        cuenta(&respaldo::conteos(&anterior).unwrap(), "facturas"),
        cuenta(&vivas, "facturas") + 1,
        "the replaced database, with what it had after the copy"
    );
    let db = Db::connect(&url, 2).unwrap();
    let (actor, pagador) = quien_factura(&db);
    facturar(&db, &actor, &pagador, "TRAS-RESTAURAR").unwrap();
    assert!(
        ls(dir.path()).iter().all(|f| !f.starts_with('.')),
        "no temporary file is left behind: {:?}",
        ls(dir.path())
    );
}

fn facturar_en(url: &str, numero: &str) {
    let db = Db::connect(url, 1).unwrap();
    let (actor, pagador) = quien_factura(&db);
    facturar(&db, &actor, &pagador, numero).unwrap();
}

fn ls(dir: &std::path::Path) -> std::collections::BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn a_restore_checks_the_copy_and_refuses_to_replace_a_database_in_use_or_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("trazo.db");
    let url = base.to_string_lossy().into_owned();
    let db = Db::connect(&url, 2).unwrap();
    app::prestadores::crear(&db, "900123456", "Clínica Norte", "jefe@norte.co", "una-clave-larga").unwrap();
    let copia = dir.path().join("copia.db");
    respaldo::respaldar(&url, &copia, false).unwrap();
    let vivas = respaldo::conteos(&base).unwrap();

    let e = respaldo::restaurar(&url, &copia, false).unwrap_err().to_string();
    assert!(e.contains("ya existe la base de datos") && e.contains("--force"), "{e}");
    // The server (this pool) has the file open.
    let e = respaldo::restaurar(&url, &copia, true).unwrap_err().to_string();
    assert!(e.contains("está abierta por otro proceso"), "{e}");

    // Not a database, a database of something else, a damaged copy: refused with the reason,
    // the live database untouched.
    let texto = dir.path().join("notas.txt");
    std::fs::write(&texto, "esto no es una base de datos ".repeat(200)).unwrap();
    let ajena = dir.path().join("ajena.db");
    SqliteConnection::establish(&ajena.to_string_lossy())
        .unwrap()
        .batch_execute("CREATE TABLE clientes (id INTEGER PRIMARY KEY); INSERT INTO clientes VALUES (1);")
        .unwrap();
    let danada = dir.path().join("danada.db");
    let mut bytes = std::fs::read(&copia).unwrap();
    let mitad = bytes.len() / 2;
    bytes.truncate(mitad);
    std::fs::write(&danada, bytes).unwrap();
    drop(db);
    for (archivo, se_espera) in [
        (&texto, "no es una base de datos SQLite legible"),
        (&ajena, "no de Trazo"),
        (&danada, "dañada"),
        (&dir.path().join("no-existe.db"), "no existe el archivo"),
    ] {
        let e = respaldo::restaurar(&url, archivo, true).unwrap_err().to_string();
        assert!(e.contains(se_espera), "{}: {e}", archivo.display());
        assert!(e.contains(&*archivo.to_string_lossy()), "names the file: {e}");
    }
    assert_eq!(respaldo::conteos(&base).unwrap(), vivas);
    assert!(
        ls(dir.path()).iter().all(|f| !f.starts_with('.')),
        "no temporary file is left behind: {:?}",
        ls(dir.path())
    );
    // A file copied beside its WAL holds part of its data there.
    std::fs::write(dir.path().join("copia.db-wal"), b"frames").unwrap();
    let e = respaldo::restaurar(&url, &copia, true).unwrap_err().to_string();
    assert!(e.contains("copia.db-wal"), "{e}");
}

#[test]
fn postgresql_is_backed_up_with_its_own_tools() {
    let dir = tempfile::tempdir().unwrap();
    let url = "postgres://trazo:secreta@db:5432/trazo";
    let e = respaldo::respaldar(url, &dir.path().join("x.db"), false)
        .unwrap_err()
        .to_string();
    assert!(e.contains("pg_dump") && !e.contains("secreta"), "{e}");
    let e = respaldo::restaurar(url, &dir.path().join("x.db"), false)
        .unwrap_err()
        .to_string();
    assert!(e.contains("pg_restore") && !e.contains("secreta"), "{e}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

/// Item 5: a small write while another writer holds a long write transaction (a large import)
/// waits for it and succeeds. With the deferred BEGIN of before, the invoice's write, which
/// reads first, failed at once with "database is locked".
#[test]
fn a_write_waits_for_another_writers_long_transaction_instead_of_failing() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("trazo.db");
    let url = base.to_string_lossy().into_owned();
    let (servidor, actor, pagador) = con_demo(&base);
    let cli = Db::connect(&url, 1).unwrap();
    let sostener = Duration::from_millis(3000);
    let (tx, rx) = std::sync::mpsc::channel();
    let importacion = std::thread::spawn(move || {
        cli.write(|c| {
            c.batch_execute("UPDATE facturas SET numero = numero")?;
            tx.send(()).unwrap();
            std::thread::sleep(sostener);
            Ok::<_, AppError>(())
        })
        .unwrap();
    });
    rx.recv().unwrap();
    let mut peor = Duration::ZERO;
    let desde = Instant::now();
    let mut i = 0;
    while desde.elapsed() < sostener + Duration::from_millis(500) {
        let t = Instant::now();
        facturar(&servidor, &actor, &pagador, &format!("ESPERA-{i}")).expect("the write waits, it does not fail");
        peor = peor.max(t.elapsed());
        i += 1;
    }
    importacion.join().unwrap();
    assert!(peor >= sostener - Duration::from_millis(500), "it did wait: {peor:?}");
    assert!(
        peor < sostener + Duration::from_secs(1),
        "no longer than the other's transaction: {peor:?}"
    );

    // A bounded wait ends as "busy" (503 over HTTP), naming the file, never as an SQL error.
    let impaciente = Db::connect(&url, 1)
        .unwrap()
        .con_espera_de_escritura(Duration::from_millis(500));
    let cli = Db::connect(&url, 1).unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let larga = std::thread::spawn(move || {
        cli.write(|c| {
            c.batch_execute("UPDATE facturas SET numero = numero")?;
            tx.send(()).unwrap();
            std::thread::sleep(Duration::from_millis(3000));
            Ok::<_, AppError>(())
        })
        .unwrap();
    });
    rx.recv().unwrap();
    match facturar(&impaciente, &actor, &pagador, "IMPACIENTE") {
        Err(AppError::Ocupado(m)) => assert!(m.contains("ocupada por otro proceso") && m.contains("trazo.db"), "{m}"),
        otro => panic!("{otro:?}"),
    }
    larga.join().unwrap();
}
