//! Backups of the embedded SQLite database: a consistent copy taken while the server runs
//! and writes, and its restoration in place of the database.
//!
//! The copy is SQLite's `VACUUM INTO`: it reads the whole database in one read transaction,
//! so under WAL it sees one committed state and never blocks the writers (they keep
//! appending to the WAL behind it). Copying the file with `cp` while the server writes can
//! catch half of a transaction, or miss what is still in `trazo.db-wal`.
//!
//! Neither writes its target in place: the copy goes to a file beside it, is checked,
//! synced and then renamed, so a power cut leaves the old file or the new one, never half of
//! one. PostgreSQL has its own tools (pg_dump, pg_restore); Trazo only explains them.

use std::fs::File;
use std::path::{Path, PathBuf};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use diesel::sqlite::{Sqlite, SqliteConnection};
use diesel_migrations::MigrationHarness;

use super::{redact, Backend, SQLITE_MIGRATIONS};

/// Rows of each table of a database, by table name, in name order.
pub type Conteos = Vec<(String, i64)>;

/// What a backup wrote.
#[derive(Debug)]
pub struct Copia {
    pub archivo: PathBuf,
    pub bytes: u64,
    pub conteos: Conteos,
}

/// What a restore did.
#[derive(Debug)]
pub struct Restauracion {
    /// The database that now holds the copy.
    pub base: PathBuf,
    pub conteos: Conteos,
    /// Where the database that was replaced was kept, if there was one.
    pub anterior: Option<PathBuf>,
}

/// Writes a consistent copy of the SQLite database `url` names to `destino`. Safe while the
/// server runs: it waits for no writer and no writer waits for it. An existing `destino` is
/// replaced only with `forzar`.
pub fn respaldar(url: &str, destino: &Path, forzar: bool) -> anyhow::Result<Copia> {
    let origen = ruta_sqlite(url, "backup")?;
    anyhow::ensure!(
        origen.is_file(),
        "no existe la base de datos {}: no hay nada que copiar (¿DATABASE_URL o --data-dir apuntan a otra parte?)",
        origen.display()
    );
    if destino.exists() {
        anyhow::ensure!(
            !mismo_archivo(&origen, destino),
            "{} es la base de datos misma; la copia debe ir a otro archivo",
            destino.display()
        );
        anyhow::ensure!(
            forzar,
            "ya existe {}; elija otro nombre o use --force para reemplazarlo",
            destino.display()
        );
        anyhow::ensure!(destino.is_file(), "{} no es un archivo", destino.display());
    }
    if let Some(carpeta) = destino.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(carpeta)
            .map_err(|e| anyhow::anyhow!("no se pudo crear la carpeta {}: {e}", carpeta.display()))?;
    }
    let temporal = beside(destino, "parcial")?;
    let r = (|| {
        let texto = temporal
            .to_str()
            .ok_or_else(|| anyhow::anyhow!("la ruta {} no es texto UTF-8; use otra", destino.display()))?;
        let mut c = abrir(&origen)?;
        diesel::sql_query("VACUUM INTO ?")
            .bind::<Text, _>(texto)
            .execute(&mut c)
            .map_err(|e| anyhow::anyhow!("no se pudo copiar {} en {}: {e}", origen.display(), destino.display()))?;
        drop(c);
        let conteos = verificar(&temporal, &origen)?;
        sincronizar_y_renombrar(&temporal, destino)?;
        Ok(conteos)
    })();
    match r {
        Ok(conteos) => Ok(Copia {
            archivo: destino.to_path_buf(),
            bytes: std::fs::metadata(destino)?.len(),
            conteos,
        }),
        Err(e) => {
            borrar_con_acompanantes(&temporal);
            Err(e)
        }
    }
}

/// Puts the copy `origen` in place of the SQLite database `url` names. The server must be
/// stopped: a database some process has open is refused. An existing database is replaced
/// only with `forzar`, and is then kept beside it as `<nombre>.anterior-<fecha>`.
pub fn restaurar(url: &str, origen: &Path, forzar: bool) -> anyhow::Result<Restauracion> {
    let base = ruta_sqlite(url, "restore")?;
    anyhow::ensure!(
        origen.is_file(),
        "no existe el archivo {} para restaurar",
        origen.display()
    );
    let wal = con_sufijo(origen, "-wal");
    anyhow::ensure!(
        std::fs::metadata(&wal).map(|m| m.len() == 0).unwrap_or(true),
        "junto a {} hay un {}: es una base de datos en uso, o copiada mientras se usaba, y parte de sus \
         datos está en ese archivo; restaure una copia hecha con `trazo backup`",
        origen.display(),
        wal.display()
    );
    let existe = base.exists();
    if existe {
        anyhow::ensure!(
            !mismo_archivo(&base, origen),
            "{} es la base de datos misma; indique la copia que quiere restaurar",
            origen.display()
        );
        anyhow::ensure!(
            forzar,
            "ya existe la base de datos {}: restaurar la reemplaza. Detenga el servidor y repita con --force \
             (la actual se guardará junto a ella como {}.anterior-<fecha>)",
            base.display(),
            base.display()
        );
        exigir_libre(&base)?;
    }
    if let Some(carpeta) = base.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(carpeta)
            .map_err(|e| anyhow::anyhow!("no se pudo crear la carpeta {}: {e}", carpeta.display()))?;
    }
    let temporal = beside(&base, "restaurando")?;
    let r = (|| {
        std::fs::copy(origen, &temporal)
            .map_err(|e| anyhow::anyhow!("no se pudo copiar {} junto a {}: {e}", origen.display(), base.display()))?;
        verificar(&temporal, origen)?;
        // A copy from an older Trazo is brought up to date here, where a failure leaves the
        // current database untouched, rather than at the next start of the server.
        let mut c = abrir(&temporal)?;
        c.run_pending_migrations(SQLITE_MIGRATIONS)
            .map_err(|e| anyhow::anyhow!("no se pudo poner al día el esquema de {}: {e}", origen.display()))?;
        // The search index points at rowids, which a copy by VACUUM INTO may renumber.
        diesel::connection::SimpleConnection::batch_execute(
            &mut c,
            "INSERT INTO facturas_busqueda (facturas_busqueda) VALUES ('rebuild')",
        )
        .map_err(|e| {
            anyhow::anyhow!(
                "no se pudo reconstruir el índice de búsqueda de {}: {e}",
                origen.display()
            )
        })?;
        drop(c);
        let conteos = conteos(&temporal)?;
        // Checked again just before the swap: the server may have been started meanwhile.
        let anterior = if existe {
            exigir_libre(&base)?;
            Some(apartar(&base)?)
        } else {
            None
        };
        // A -wal or -shm left by the database that was there would be read as part of the
        // new one (SQLite finds them by name): a WAL of another file corrupts it.
        for sufijo in ["-wal", "-shm"] {
            borrar_si_existe(&con_sufijo(&base, sufijo))?;
        }
        sincronizar_y_renombrar(&temporal, &base)?;
        Ok((conteos, anterior))
    })();
    match r {
        Ok((conteos, anterior)) => Ok(Restauracion {
            base,
            conteos,
            anterior,
        }),
        Err(e) => {
            borrar_con_acompanantes(&temporal);
            Err(e)
        }
    }
}

/// Rows of every table of the SQLite database at `ruta` (without opening it for writing
/// anything but SQLite's own WAL bookkeeping).
pub fn conteos(ruta: &Path) -> anyhow::Result<Conteos> {
    #[derive(QueryableByName)]
    struct Nombre {
        #[diesel(sql_type = Text)]
        name: String,
    }
    #[derive(QueryableByName)]
    struct Cuenta {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let mut c = abrir(ruta)?;
    let tablas: Vec<Nombre> = diesel::sql_query(
        // The search index and its shadow tables are derived from `facturas`, not data.
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
         AND name NOT LIKE 'facturas\\_busqueda%' ESCAPE '\\' ORDER BY name",
    )
    .load(&mut c)?;
    tablas
        .into_iter()
        .map(|t| {
            let n = diesel::sql_query(format!("SELECT COUNT(*) AS n FROM \"{}\"", t.name.replace('"', "\"\"")))
                .get_result::<Cuenta>(&mut c)?
                .n;
            Ok((t.name, n))
        })
        .collect()
}

/// The SQLite file of `url`, or the explanation of what to use for PostgreSQL instead.
fn ruta_sqlite(url: &str, orden: &str) -> anyhow::Result<PathBuf> {
    let (backend, ruta) = Backend::of(url).map_err(|e| anyhow::anyhow!(e))?;
    match backend {
        Backend::Sqlite => Ok(PathBuf::from(ruta)),
        Backend::Postgres => {
            let url = redact(ruta);
            let como = if orden == "backup" {
                format!("pg_dump --format=custom --file=trazo.dump '{url}'")
            } else {
                format!("pg_restore --clean --if-exists --no-owner --dbname='{url}' trazo.dump")
            };
            anyhow::bail!(
                "la base de datos es PostgreSQL ({url}): `trazo {orden}` copia solo la base SQLite incluida. \
                 Use las herramientas de PostgreSQL, por ejemplo: {como} (README, «Copias de seguridad»)"
            )
        }
    }
}

/// A connection that waits for other processes' locks instead of failing.
fn abrir(ruta: &Path) -> anyhow::Result<SqliteConnection> {
    let texto = ruta
        .to_str()
        .ok_or_else(|| anyhow::anyhow!("la ruta {} no es texto UTF-8", ruta.display()))?;
    let mut c =
        SqliteConnection::establish(texto).map_err(|e| anyhow::anyhow!("no se pudo abrir {}: {e}", ruta.display()))?;
    c.batch_execute("PRAGMA busy_timeout = 10000;")?;
    Ok(c)
}

/// Checks that `ruta` (a copy of `nombre`) is a sound Trazo database this version can serve,
/// and counts its rows.
fn verificar(ruta: &Path, nombre: &Path) -> anyhow::Result<Conteos> {
    #[derive(QueryableByName)]
    struct Linea {
        #[diesel(sql_type = Text)]
        integrity_check: String,
    }
    #[derive(QueryableByName)]
    struct Version {
        #[diesel(sql_type = Text)]
        version: String,
    }
    let mut c = abrir(ruta)?;
    let problemas: Vec<Linea> = diesel::sql_query("PRAGMA integrity_check").load(&mut c).map_err(|e| {
        let e = e.to_string();
        if e.contains("malformed") || e.contains("corrupt") {
            anyhow::anyhow!(
                "{} está dañada según SQLite ({e}): no se puede restaurar",
                nombre.display()
            )
        } else {
            anyhow::anyhow!(
                "{} no es una base de datos SQLite legible ({e}); se esperaba una copia hecha con `trazo backup`",
                nombre.display()
            )
        }
    })?;
    let problemas: Vec<String> = problemas
        .into_iter()
        .map(|l| l.integrity_check)
        .filter(|l| l != "ok")
        .collect();
    anyhow::ensure!(
        problemas.is_empty(),
        "{} está dañada según SQLite (integrity_check): {}",
        nombre.display(),
        problemas.iter().take(5).cloned().collect::<Vec<_>>().join("; ")
    );
    let versiones: Vec<Version> = diesel::sql_query("SELECT version FROM __diesel_schema_migrations")
        .load(&mut c)
        .map_err(|_| {
            anyhow::anyhow!(
                "{} es una base de datos SQLite pero no de Trazo: no tiene la tabla de migraciones \
                 (__diesel_schema_migrations)",
                nombre.display()
            )
        })?;
    let conocidas: Vec<String> = diesel::migration::MigrationSource::<Sqlite>::migrations(&SQLITE_MIGRATIONS)
        .map_err(|e| anyhow::anyhow!("migraciones incluidas: {e}"))?
        .iter()
        .map(|m| m.name().version().to_string())
        .collect();
    let desconocidas: Vec<String> = versiones
        .into_iter()
        .map(|v| v.version)
        .filter(|v| !conocidas.contains(v))
        .collect();
    anyhow::ensure!(
        desconocidas.is_empty(),
        "{} viene de una versión más nueva de Trazo (migraciones que esta no conoce: {}); restáurela con esa versión",
        nombre.display(),
        desconocidas.join(", ")
    );
    drop(c);
    let conteos = conteos(ruta)?;
    for tabla in ["facturas", "eventos", "prestadores"] {
        anyhow::ensure!(
            conteos.iter().any(|(t, _)| t == tabla),
            "{} no parece una base de datos de Trazo: le falta la tabla {tabla}",
            nombre.display()
        );
    }
    Ok(conteos)
}

/// Fails when some process (a server, a CLI import, a sqlite3 shell) has the database open.
///
/// Every connection to a WAL database holds a shared lock on the file while open; an
/// exclusive lock is granted only when no other connection exists.
fn exigir_libre(base: &Path) -> anyhow::Result<()> {
    let texto = base
        .to_str()
        .ok_or_else(|| anyhow::anyhow!("la ruta {} no es texto UTF-8", base.display()))?;
    let mut c =
        SqliteConnection::establish(texto).map_err(|e| anyhow::anyhow!("no se pudo abrir {}: {e}", base.display()))?;
    let r = c.batch_execute("PRAGMA busy_timeout = 0; PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; COMMIT;");
    match r {
        Ok(()) => Ok(()),
        Err(e) if super::esta_ocupada(&e) => anyhow::bail!(
            "la base de datos {} está abierta por otro proceso (¿el servidor de Trazo, o una importación?): \
             deténgalo antes de restaurar; restaurar con el servidor andando perdería lo que escriba",
            base.display()
        ),
        Err(e) => anyhow::bail!("no se pudo comprobar que {} esté libre: {e}", base.display()),
    }
}

/// Moves the database at `base`, with its WAL, out of the way; returns where it went.
fn apartar(base: &Path) -> anyhow::Result<PathBuf> {
    let sello = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let anterior = con_sufijo(base, &format!(".anterior-{sello}"));
    std::fs::rename(base, &anterior)
        .map_err(|e| anyhow::anyhow!("no se pudo apartar {} como {}: {e}", base.display(), anterior.display()))?;
    let wal = con_sufijo(base, "-wal");
    if wal.exists() {
        std::fs::rename(&wal, con_sufijo(&anterior, "-wal"))?;
    }
    Ok(anterior)
}

/// Syncs `temporal` to disk, renames it to `destino` and syncs the folder, so that after a
/// crash `destino` is either what it was or the whole new file.
fn sincronizar_y_renombrar(temporal: &Path, destino: &Path) -> anyhow::Result<()> {
    let wal = con_sufijo(temporal, "-wal");
    anyhow::ensure!(
        !wal.exists(),
        "{} quedó con un {} tras cerrarse; no se reemplaza nada",
        temporal.display(),
        wal.display()
    );
    File::open(temporal)
        .and_then(|f| f.sync_all())
        .map_err(|e| anyhow::anyhow!("no se pudo escribir en disco {}: {e}", temporal.display()))?;
    std::fs::rename(temporal, destino).map_err(|e| {
        anyhow::anyhow!(
            "no se pudo renombrar {} a {}: {e}",
            temporal.display(),
            destino.display()
        )
    })?;
    borrar_si_existe(&con_sufijo(temporal, "-shm"))?;
    #[cfg(unix)]
    if let Some(carpeta) = destino.parent() {
        let carpeta = if carpeta.as_os_str().is_empty() {
            Path::new(".")
        } else {
            carpeta
        };
        File::open(carpeta)
            .and_then(|f| f.sync_all())
            .map_err(|e| anyhow::anyhow!("no se pudo escribir en disco la carpeta {}: {e}", carpeta.display()))?;
    }
    Ok(())
}

/// A fresh name beside `archivo` for the file being written (same folder, so the rename is
/// atomic; hidden; with the process id, so two runs do not meet).
fn beside(archivo: &Path, que: &str) -> anyhow::Result<PathBuf> {
    let nombre = archivo
        .file_name()
        .ok_or_else(|| anyhow::anyhow!("{} no nombra un archivo", archivo.display()))?
        .to_string_lossy();
    let t = archivo.with_file_name(format!(".{nombre}.{que}-{}", std::process::id()));
    borrar_con_acompanantes(&t);
    Ok(t)
}

fn con_sufijo(ruta: &Path, sufijo: &str) -> PathBuf {
    let mut s = ruta.as_os_str().to_owned();
    s.push(sufijo);
    PathBuf::from(s)
}

fn borrar_si_existe(ruta: &Path) -> anyhow::Result<()> {
    match std::fs::remove_file(ruta) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            anyhow::bail!("no se pudo borrar {}: {e}", ruta.display())
        }
        _ => Ok(()),
    }
}

fn borrar_con_acompanantes(ruta: &Path) {
    for sufijo in ["", "-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(con_sufijo(ruta, sufijo));
    }
}

fn mismo_archivo(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
