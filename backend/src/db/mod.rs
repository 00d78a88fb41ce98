//! Persistence: one diesel code path over SQLite (embedded default) and PostgreSQL.
//!
//! Every query function takes the caller's `prestador_id`: tenant isolation is enforced
//! here, in the WHERE clause, not left to the handlers.

pub mod actas;
pub mod anuncios;
pub mod asientos;
pub mod bancos;
pub mod cartera;
pub mod cobro;
pub mod contratos;
pub mod correcciones;
pub mod eventos;
pub mod facturas;
pub mod glosas;
pub mod importaciones;
pub mod movimientos;
pub mod notas;
pub mod pagadores;
pub mod pagos;
pub mod paquetes;
pub mod prestadores;
pub mod radicaciones;
pub mod reportes;
pub mod respaldo;
pub mod schema;
pub mod servidores;
pub mod sesiones;
pub mod soportes;
pub mod tipos;
pub mod usuarios;

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::r2d2::{CustomizeConnection, ManageConnection, Pool, PooledConnection};
use diesel::sqlite::SqliteConnection;
use diesel::Connection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

/// What the database layer fails with. It says what happened, not what it means to a user:
/// `app` maps it (an exhausted pool is "try again", a unique violation a conflict).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No connection could be had in time: every pooled connection is busy, or the server
    /// does not answer.
    #[error("no se obtuvo una conexión con la base de datos: {0}")]
    SinConexion(String),
    #[error(transparent)]
    Consulta(#[from] diesel::result::Error),
}

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/postgres");

/// A connection to either backend. Queries are written once against this type.
#[derive(diesel::MultiConnection)]
pub enum AnyConnection {
    Postgresql(PgConnection),
    Sqlite(SqliteConnection),
}

pub type Conn = PooledConnection<Manager>;

/// Runs a statement on the concrete connection inside [`AnyConnection`], for the few
/// statements the multi-backend cannot express (multi-row INSERT). The body is written
/// once and compiled for each backend.
macro_rules! por_backend {
    ($c:expr, |$conn:ident| $body:expr) => {
        match $c {
            $crate::db::AnyConnection::Sqlite($conn) => $body,
            $crate::db::AnyConnection::Postgresql($conn) => $body,
        }
    };
}
pub(crate) use por_backend;

/// Rows per multi-row INSERT: under SQLite's limit of bound parameters per statement
/// for the widest table.
pub const LOTE: usize = 500;

/// Rows per INSERT of [`insertar_en_lotes`].
pub const FILAS_POR_INSERT: usize = 64;

/// Inserts `filas` into `tabla` in statements of exactly [`FILAS_POR_INSERT`] rows and one
/// for the rest. A fixed-size batch has one SQL text, which diesel prepares once per
/// connection and reuses; a batch of any length is a new SQL text, prepared anew each time.
macro_rules! insertar_en_lotes {
    ($c:expr, $tabla:expr, $filas:expr) => {{
        let filas = $filas;
        let mut lotes = filas.chunks_exact($crate::db::FILAS_POR_INSERT);
        for lote in lotes.by_ref() {
            let lote: &[_; $crate::db::FILAS_POR_INSERT] = lote.try_into().expect("chunks_exact");
            $crate::db::por_backend!(&mut *$c, |conn| diesel::insert_into($tabla).values(lote).execute(conn))?;
        }
        let resto = lotes.remainder();
        if !resto.is_empty() {
            $crate::db::por_backend!(&mut *$c, |conn| diesel::insert_into($tabla).values(resto).execute(conn))?;
        }
    }};
}
pub(crate) use insertar_en_lotes;

/// The backend type of [`AnyConnection`], for boxed queries.
pub type DbBackend = <AnyConnection as Connection>::Backend;

diesel::define_sql_function! {
    /// SQL `lower`, the same in SQLite and PostgreSQL for the text Trazo searches.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

diesel::define_sql_function! {
    /// [`lower`] of a column that may be NULL.
    #[sql_name = "lower"]
    fn lower_nulo(x: diesel::sql_types::Nullable<diesel::sql_types::Text>) -> diesel::sql_types::Nullable<diesel::sql_types::Text>;
}

/// `SUM` of a BIGINT column as a BIGINT on both backends (PostgreSQL's own SUM of bigint is
/// numeric). Sums of centavos fit in i64 by far.
pub fn suma(
    columna: &'static str,
) -> diesel::expression::SqlLiteral<diesel::sql_types::Nullable<diesel::sql_types::BigInt>> {
    diesel::dsl::sql(&format!("CAST(SUM({columna}) AS BIGINT)"))
}

/// PostgreSQL numbers its parameters (`$1`, `$2`...) where SQLite takes `?`: raw report SQL
/// is written once with `?` and numbered for PostgreSQL. (No `?` appears inside literals.)
pub fn numerar_parametros(sql: &str) -> String {
    let mut n = 0;
    sql.chars()
        .map(|ch| {
            if ch == '?' {
                n += 1;
                format!("${n}")
            } else {
                ch.to_string()
            }
        })
        .collect()
}

/// When a Bogotá civil day starts, as the UTC timestamps the tables store: Bogotá is UTC−5
/// all year (no daylight saving).
pub fn inicio_del_dia_en_utc(d: chrono::NaiveDate) -> chrono::NaiveDateTime {
    d.and_time(chrono::NaiveTime::MIN) + chrono::Duration::hours(5)
}

/// A `LIKE` pattern that finds `text` anywhere, case-insensitively (compare with `lower`).
/// The user's own wildcard characters are dropped: a search box is not a pattern language.
pub fn contiene(text: &str) -> String {
    let plain: String = text
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| !matches!(c, '%' | '_' | '\\'))
        .collect();
    format!("%{plain}%")
}

/// Opens connections of the backend the URL names. (The derive's own `establish` tries
/// each backend in turn, which would turn a PostgreSQL URL that does not answer into an
/// SQLite file of that name.)
#[derive(Debug)]
pub struct Manager {
    url: String,
    backend: Backend,
}

impl ManageConnection for Manager {
    type Connection = AnyConnection;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<AnyConnection, Self::Error> {
        match self.backend {
            Backend::Postgres => PgConnection::establish(&self.url).map(AnyConnection::Postgresql),
            Backend::Sqlite => SqliteConnection::establish(&self.url).map(AnyConnection::Sqlite),
        }
        .map_err(diesel::r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut AnyConnection) -> Result<(), Self::Error> {
        conn.batch_execute("SELECT 1").map_err(diesel::r2d2::Error::QueryError)
    }

    /// Called when a connection goes back to the pool: one left in a broken state (a
    /// transaction that could not be rolled back, a lost server) is dropped, not reused.
    fn has_broken(&self, conn: &mut AnyConnection) -> bool {
        use diesel::r2d2::R2D2Connection;
        match conn {
            AnyConnection::Postgresql(c) => c.is_broken(),
            AnyConnection::Sqlite(c) => c.is_broken(),
        }
    }
}

/// Which database a URL points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// Reads a database URL: `postgres://` or `postgresql://` for PostgreSQL; `sqlite://RUTA`,
    /// `sqlite:RUTA` or a plain file path for SQLite. Returns the backend and what its driver
    /// opens. Any other scheme is refused: a typo (`postgress://`, `mysql://`) must not be
    /// taken as the name of a new, empty SQLite file.
    pub fn of(url: &str) -> Result<(Backend, &str), String> {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok((Backend::Postgres, url));
        }
        if let Some(ruta) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
            return if ruta.is_empty() {
                Err("DATABASE_URL: falta la ruta del archivo SQLite después de 'sqlite://'".into())
            } else {
                Ok((Backend::Sqlite, ruta))
            };
        }
        if url.is_empty() {
            return Err("DATABASE_URL está vacía: se espera postgres://... o la ruta de un archivo SQLite".into());
        }
        // A scheme is letters, digits, '+', '-' or '.' before ':' (RFC 3986); one letter
        // before ':' is a Windows drive (C:\datos\trazo.db), a path.
        let esquema = url.split_once(':').map(|(e, _)| e).filter(|e| {
            e.len() > 1
                && e.starts_with(|c: char| c.is_ascii_alphabetic())
                && e.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        });
        match esquema {
            Some(e) => Err(format!(
                "DATABASE_URL: el esquema '{e}' no es uno que Trazo conozca; se espera postgres://usuario@servidor/base, \
                 postgresql://..., sqlite://ruta/al/archivo.db o la ruta de un archivo SQLite"
            )),
            None => Ok((Backend::Sqlite, url)),
        }
    }
}

/// The database handle shared by every request.
#[derive(Clone)]
pub struct Db {
    pool: Pool<Manager>,
    backend: Backend,
    /// SQLite admits one writer at a time. Writers of this process queue here, in order,
    /// instead of polling SQLite's lock; writers of other processes (the CLI beside the
    /// server) are waited for in [`Db::write`].
    sqlite_writer: Arc<Mutex<()>>,
    /// How long a write waits for another process's write transaction before giving up.
    espera_escritura: Duration,
    /// The SQLite file, to name it in the waiting message.
    ruta: Arc<str>,
}

/// How long SQLite's busy handler waits in one attempt to take the write lock; after each
/// failed attempt [`Db::write`] says it is waiting and tries again.
const INTENTO_DE_ESCRITURA: Duration = Duration::from_secs(2);

/// How long a write waits, in all, for another process's write transaction (a large import
/// from the command line) before answering "busy". A run holds the lock for its whole write:
/// ~5 s for 10,000 DIAN invoices (BENCHMARKS.md), growing with the size of the run.
pub const ESPERA_DE_ESCRITURA: Duration = Duration::from_secs(300);

/// SQLite's page cache of a reading connection, in KiB (negative, as the pragma takes it).
const CACHE_LECTURA: i32 = -8192;
/// ... and of the one writing: a large import's transaction spilled dirty pages to the WAL and
/// read index pages back many times over with less than 64 MiB. One write at a time holds it.
const CACHE_ESCRITURA: i32 = -65536;

#[derive(Debug)]
struct SqlitePragmas;

impl CustomizeConnection<AnyConnection, diesel::r2d2::Error> for SqlitePragmas {
    fn on_acquire(&self, conn: &mut AnyConnection) -> Result<(), diesel::r2d2::Error> {
        if let AnyConnection::Sqlite(c) = conn {
            // An 8 MiB page cache per connection (the default is 2 MiB): the pool's readers
            // at a million invoices fill theirs, and eight of 64 MiB made a server of a
            // gigabyte (BENCHMARKS.md, issue 17); the file's pages stay in the system's cache
            // anyway. A write raises its own to [`CACHE_ESCRITURA`] while it lasts.
            //
            // busy_timeout makes SQLite wait (not fail) for a lock another process holds: reads
            // hardly ever need it under WAL; writes take the lock with BEGIN IMMEDIATE
            // (`Db::write`), so the wait applies to them too.
            c.batch_execute(&format!(
                "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {}; PRAGMA synchronous = NORMAL; \
                 PRAGMA cache_size = {CACHE_LECTURA};",
                INTENTO_DE_ESCRITURA.as_millis()
            ))
            .map_err(diesel::r2d2::Error::QueryError)?;
        }
        Ok(())
    }
}

impl Db {
    /// Opens the pool and brings the schema up to date. For SQLite the file and its folder
    /// are created when missing.
    pub fn connect(url: &str, pool_size: u32) -> anyhow::Result<Db> {
        Db::connect_con_espera(url, pool_size, Duration::from_secs(10))
    }

    /// [`Db::connect`] waiting at most `espera` for a free connection before giving up.
    pub fn connect_con_espera(url: &str, pool_size: u32, espera: Duration) -> anyhow::Result<Db> {
        let (backend, url) = Backend::of(url).map_err(|e| anyhow::anyhow!(e))?;
        if backend == Backend::Sqlite {
            if let Some(parent) = Path::new(url).parent() {
                if !parent.as_os_str().is_empty() {
                    std::fs::create_dir_all(parent).map_err(|e| {
                        anyhow::anyhow!("no se pudo crear la carpeta de datos {}: {e}", parent.display())
                    })?;
                }
            }
        }
        if backend == Backend::Sqlite {
            // WAL lets readers work while one writer writes. It is a property of the file, set
            // once here: switching it from every pooled connection at once would race for the lock.
            let abrir =
                |e: &dyn std::fmt::Display| anyhow::anyhow!("no se pudo abrir la base de datos SQLite {url}: {e}");
            // The busy timeout first: another process (the server, while this is the CLI) may
            // hold the file, and without it the pragma fails at once with "database is locked".
            let mut c = SqliteConnection::establish(url).map_err(|e| abrir(&e))?;
            c.batch_execute("PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL;")
                .map_err(|e| abrir(&e))?;
        }
        let pool = Pool::builder()
            .max_size(pool_size.max(1))
            .connection_timeout(espera)
            .connection_customizer(Box::new(SqlitePragmas))
            .build(Manager {
                url: url.to_string(),
                backend,
            })
            .map_err(|e| anyhow::anyhow!("no se pudo conectar a la base de datos ({}): {e}", redact(url)))?;
        let db = Db {
            pool,
            backend,
            sqlite_writer: Arc::new(Mutex::new(())),
            espera_escritura: ESPERA_DE_ESCRITURA,
            ruta: url.into(),
        };
        db.migrate()?;
        Ok(db)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The same database, waiting at most `espera` for another process's write transaction.
    pub fn con_espera_de_escritura(mut self, espera: Duration) -> Db {
        self.espera_escritura = espera;
        self
    }

    pub fn conn(&self) -> Result<Conn, Error> {
        self.pool.get().map_err(|e| Error::SinConexion(e.to_string()))
    }

    /// A connection if one is idle now, without waiting: for work that may be skipped (a
    /// run's progress) and must never wait behind the run itself.
    pub fn conn_libre(&self) -> Option<Conn> {
        self.pool.try_get()
    }

    /// Runs `f` in one transaction that writes: either all of it lands or none. The caller's
    /// error type says what a failure means.
    pub fn write<T, E>(&self, f: impl FnOnce(&mut AnyConnection) -> Result<T, E>) -> Result<T, E>
    where
        E: From<Error> + From<diesel::result::Error>,
    {
        let _guard = match self.backend {
            Backend::Sqlite => Some(self.sqlite_writer.lock().unwrap_or_else(|p| p.into_inner())),
            Backend::Postgres => None,
        };
        let mut conn = self.conn()?;
        match self.backend {
            Backend::Postgres => conn.transaction(|c| f(c)),
            Backend::Sqlite => {
                cache_sqlite(&mut conn, CACHE_ESCRITURA)?;
                let r = self
                    .empezar_escritura_sqlite(&mut conn)
                    .map_err(E::from)
                    .and_then(|()| terminar_transaccion(&mut conn, f));
                // Shrinking frees the pages beyond the reader's size. It runs after the commit:
                // a failure here must not report a write that was made as failed.
                if let Err(e) = cache_sqlite(&mut conn, CACHE_LECTURA) {
                    tracing::warn!("no se pudo reducir la caché de la conexión tras escribir: {e}");
                }
                r
            }
        }
    }

    /// Opens a write transaction with BEGIN IMMEDIATE, waiting for the write lock as long
    /// as [`Db::espera_escritura`] allows.
    ///
    /// A deferred BEGIN takes the write lock only at the first write, as an upgrade of a
    /// read transaction; SQLite then answers SQLITE_BUSY at once, without calling the busy
    /// handler (waiting could deadlock two upgraders), or SQLITE_BUSY_SNAPSHOT when another
    /// process committed since the read began. That was the "database is locked" of a CLI
    /// import beside a server taking writes. BEGIN IMMEDIATE takes the lock first, where the
    /// busy handler applies, and once held the transaction cannot be refused for it.
    fn empezar_escritura_sqlite(&self, conn: &mut AnyConnection) -> Result<(), Error> {
        let AnyConnection::Sqlite(c) = conn else {
            return Ok(());
        };
        let desde = Instant::now();
        let mut avisos = 0u32;
        loop {
            match diesel::connection::AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE") {
                Ok(()) => {
                    if avisos > 0 {
                        tracing::info!(
                            "la base de datos {} quedó libre tras {:.1} s; la escritura sigue",
                            self.ruta,
                            desde.elapsed().as_secs_f64()
                        );
                    }
                    return Ok(());
                }
                Err(e) if esta_ocupada(&e) => {
                    let esperado = desde.elapsed();
                    if esperado >= self.espera_escritura {
                        return Err(Error::SinConexion(format!(
                            "la base de datos {} sigue ocupada por otro proceso que escribe (el servidor o una \
                             importación por línea de comandos) tras {} s de espera",
                            self.ruta,
                            esperado.as_secs()
                        )));
                    }
                    // Said once, then every ~10 s: the wait is normal, silence would look like a hang.
                    if avisos.is_multiple_of(5) {
                        tracing::warn!(
                            "la base de datos {} está ocupada por otro proceso que escribe (el servidor o una \
                             importación); esta escritura espera su turno ({} s hasta ahora, a lo sumo {} s)",
                            self.ruta,
                            esperado.as_secs(),
                            self.espera_escritura.as_secs()
                        );
                    }
                    avisos += 1;
                }
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// Runs `f` for reads.
    pub fn read<T, E>(&self, f: impl FnOnce(&mut AnyConnection) -> Result<T, E>) -> Result<T, E>
    where
        E: From<Error>,
    {
        let mut conn = self.conn()?;
        f(&mut conn)
    }

    fn migrate(&self) -> anyhow::Result<()> {
        let mut conn = self.pool.get()?;
        match &mut *conn {
            AnyConnection::Sqlite(c) => {
                c.run_pending_migrations(SQLITE_MIGRATIONS)
                    .map_err(|e| anyhow::anyhow!("migraciones SQLite: {e}"))?;
            }
            AnyConnection::Postgresql(c) => {
                // Several app servers may start at once against one database: the advisory
                // lock lets exactly one of them migrate.
                c.batch_execute("SELECT pg_advisory_lock(727210)")?;
                let res = c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|_| ());
                c.batch_execute("SELECT pg_advisory_unlock(727210)")?;
                res.map_err(|e| anyhow::anyhow!("migraciones PostgreSQL: {e}"))?;
            }
        }
        Ok(())
    }

    /// True when the database answers a trivial query.
    pub fn ping(&self) -> bool {
        self.conn()
            .map(|mut c| c.batch_execute("SELECT 1").is_ok())
            .unwrap_or(false)
    }
}

/// Sets the SQLite page cache of `conn` to `kib` KiB (negative, as the pragma takes it).
fn cache_sqlite(conn: &mut AnyConnection, kib: i32) -> Result<(), diesel::result::Error> {
    conn.batch_execute(&format!("PRAGMA cache_size = {kib}"))
}

/// Runs `f` in the transaction just opened on `conn` and commits it, or rolls it back when
/// `f` fails (what `Connection::transaction` does after its own BEGIN).
fn terminar_transaccion<T, E>(
    conn: &mut AnyConnection,
    f: impl FnOnce(&mut AnyConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<Error> + From<diesel::result::Error>,
{
    use diesel::connection::TransactionManager;
    type Tm = <AnyConnection as Connection>::TransactionManager;
    match f(conn) {
        Ok(v) => {
            Tm::commit_transaction(conn)?;
            Ok(v)
        }
        Err(e) => match Tm::rollback_transaction(conn) {
            Ok(()) | Err(diesel::result::Error::BrokenTransactionManager) => Err(e),
            Err(r) => Err(r.into()),
        },
    }
}

/// SQLITE_BUSY: another connection holds the lock this one needs.
fn esta_ocupada(e: &diesel::result::Error) -> bool {
    matches!(e, diesel::result::Error::DatabaseError(_, info) if info.message().contains("database is locked"))
}

/// Hides the password of a database URL in messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &creds[..c], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// A fresh time-ordered id.
/// SHA-256 of `bytes`, lowercase hex: how an imported file, a stored soporte and a radicación
/// package are known by their content.
pub fn hash(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    format!("{:x}", Sha256::digest(bytes))
}

pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Now, in UTC, as stored in `*_en` columns.
pub fn now() -> chrono::NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Migration 000017 makes `usuarios` again (SQLite cannot change its CHECK in place): a
    /// database with users, and rows that reference them, must come through it whole.
    #[test]
    fn a_database_with_users_and_their_sessions_upgrades_to_the_payer_role() {
        use diesel::migration::MigrationSource;
        let mut c = SqliteConnection::establish(":memory:").unwrap();
        c.batch_execute("PRAGMA foreign_keys = ON").unwrap();
        let es_la_17 = |c: &mut SqliteConnection| {
            c.pending_migrations(SQLITE_MIGRATIONS).unwrap()[0]
                .name()
                .to_string()
                .contains("000017")
        };
        assert!(
            MigrationSource::<diesel::sqlite::Sqlite>::migrations(&SQLITE_MIGRATIONS)
                .unwrap()
                .len()
                >= 17
        );
        while !es_la_17(&mut c) {
            c.run_next_migration(SQLITE_MIGRATIONS).unwrap();
        }
        c.batch_execute(
            "INSERT INTO prestadores (id, nit, nombre, creado_en) VALUES ('p', '900123456', 'IPS', '2026-01-01');
             INSERT INTO usuarios (id, prestador_id, email, nombre, rol, password_hash, activo, version, creado_en)
                 VALUES ('u', 'p', 'ana@ips.co', 'Ana', 'cartera', 'h', 1, 1, '2026-01-01');
             INSERT INTO sesiones (id, usuario_id, csrf, creada_en, expira_en)
                 VALUES ('s', 'u', 'c', '2026-01-01', '2026-01-02');",
        )
        .unwrap();
        c.run_pending_migrations(SQLITE_MIGRATIONS).unwrap();
        use diesel::RunQueryDsl;
        let quedan: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
            "(SELECT count(*) FROM usuarios WHERE rol = 'cartera') + (SELECT count(*) FROM sesiones WHERE usuario_id = 'u')",
        ))
        .get_result(&mut c)
        .unwrap();
        assert_eq!(quedan, 2);
        // The new role, only with its payer.
        let pagador = "INSERT INTO pagadores (id, prestador_id, nit, nombre, tipo, version, creado_en, actualizado_en)
                           VALUES ('eps', 'p', '800250119', 'EPS', 'eps_contributivo', 1, '2026-01-01', '2026-01-01');";
        c.batch_execute(pagador).unwrap();
        let usuario = |id: &str, pagador: &str| {
            format!(
                "INSERT INTO usuarios (id, prestador_id, email, nombre, rol, password_hash, creado_en, pagador_id)
                 VALUES ('{id}', 'p', '{id}@eps.co', 'X', 'pagador', 'h', '2026-01-01', {pagador})"
            )
        };
        assert!(c.batch_execute(&usuario("sin", "NULL")).is_err());
        c.batch_execute(&usuario("con", "'eps'")).unwrap();
        // And back.
        c.revert_last_migration(SQLITE_MIGRATIONS).unwrap();
    }

    #[test]
    fn backend_is_chosen_by_url_scheme() {
        assert_eq!(
            Backend::of("postgres://u@h/db"),
            Ok((Backend::Postgres, "postgres://u@h/db"))
        );
        assert_eq!(Backend::of("postgresql://u@h/db").unwrap().0, Backend::Postgres);
        assert_eq!(Backend::of("./data/trazo.db"), Ok((Backend::Sqlite, "./data/trazo.db")));
        assert_eq!(Backend::of("/var/lib/trazo/trazo.db").unwrap().0, Backend::Sqlite);
        assert_eq!(Backend::of("trazo.db").unwrap().0, Backend::Sqlite);
        assert_eq!(
            Backend::of("sqlite:///var/trazo.db"),
            Ok((Backend::Sqlite, "/var/trazo.db"))
        );
        assert_eq!(
            Backend::of("sqlite:datos/trazo.db"),
            Ok((Backend::Sqlite, "datos/trazo.db"))
        );
        assert_eq!(Backend::of(r"C:\datos\trazo.db").unwrap().0, Backend::Sqlite);
    }

    #[test]
    fn an_unknown_scheme_is_refused_instead_of_creating_an_empty_database() {
        for url in [
            "postgress://u@h/db",
            "mysql://u@h/db",
            "postgres:u@h/db",
            "http://h/db",
            "",
            "sqlite://",
        ] {
            let e = Backend::of(url).unwrap_err();
            assert!(e.contains("DATABASE_URL"), "{url}: {e}");
        }
        assert!(Backend::of("mysql://u@h/db").unwrap_err().contains("'mysql'"));
        let dir = tempfile::tempdir().unwrap();
        let e = Db::connect("postgress://u@127.0.0.1/db", 1).err().unwrap().to_string();
        assert!(e.contains("postgress"), "{e}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "no file was created");
    }

    #[test]
    fn redact_hides_password_only() {
        assert_eq!(
            redact("postgres://trazo:s3cret@db:5432/trazo"),
            "postgres://trazo:***@db:5432/trazo"
        );
        assert_eq!(redact("postgres://trazo@db/trazo"), "postgres://trazo@db/trazo");
    }
}
