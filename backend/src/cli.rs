//! The `trazo` command: serve, demo, migrate, init, user, import, backup, restore.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::app::importaciones::{self, Contexto, EstadoImportacion, Opciones, TipoImportacion};
use crate::app::{self, usuarios::NuevoUsuario, Actor, AppError};
use crate::config::Settings;
use crate::db::{self, Db};
use crate::domain::rol::Rol;

#[derive(Debug, Parser)]
#[command(
    name = "trazo",
    version,
    about = "Trazabilidad de facturas médicas: radicación, glosas, pagos y cartera"
)]
pub struct Cli {
    /// A TOML file whose keys override config/default.toml.
    #[arg(long, global = true, env = "TRAZO_CONFIG")]
    pub config: Option<PathBuf>,
    /// Where the SQLite database and the signing key live [default: ./data].
    #[arg(long, global = true)]
    pub data_dir: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serves the API on the configured database (SQLite in <data-dir>/trazo.db by default).
    Serve {
        /// Port to listen on [env: TRAZO_PORT] [default: 8080].
        #[arg(long)]
        port: Option<u16>,
    },
    /// Serves a fresh demo data set in <data-dir>/demo (never the real database).
    Demo {
        /// Port to listen on [env: TRAZO_PORT] [default: 8080].
        #[arg(long)]
        port: Option<u16>,
    },
    /// Brings the database schema up to date and exits.
    Migrate,
    /// Creates a prestador and its first admin. Password from TRAZO_ADMIN_PASSWORD or a prompt.
    Init {
        #[arg(long)]
        prestador_nit: String,
        #[arg(long)]
        prestador_nombre: String,
        #[arg(long)]
        admin_email: String,
    },
    /// Imports files, folders (read recursively) or zips, with a progress bar. All of a run
    /// lands or none of it; importing the same files again changes nothing.
    Import {
        /// dian_xml, rips_json, rips_planos, glosas_xlsx or pagos_xlsx
        tipo: TipoImportacion,
        /// Files, folders or zips.
        #[arg(required = true)]
        rutas: Vec<PathBuf>,
        /// NIT of the prestador the files belong to.
        #[arg(long)]
        prestador_nit: String,
        /// E-mail of the user the run is recorded for (with the role for this import).
        #[arg(long)]
        usuario: String,
        /// Payer sheet profile (glosas/pagos); `generico` when absent.
        #[arg(long)]
        perfil: Option<String>,
        /// Validate and count, write nothing.
        #[arg(long)]
        simular: bool,
    },
    /// Writes a consistent copy of the SQLite database to a file, safe while the server runs
    /// and writes. For PostgreSQL it explains pg_dump.
    Backup {
        /// The file to write (a SQLite database, openable with any SQLite tool).
        archivo: PathBuf,
        /// Replace the file if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Puts a copy made by `trazo backup` in place of the SQLite database. Stop the server
    /// first. An existing database is replaced only with --force, and is kept beside it.
    Restore {
        /// The copy to restore.
        archivo: PathBuf,
        /// Replace the existing database.
        #[arg(long)]
        force: bool,
    },
    /// Manages users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Adds a user to a prestador. Password from TRAZO_USER_PASSWORD or a prompt.
    Add {
        /// NIT of the prestador the user works for.
        #[arg(long)]
        prestador_nit: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        nombre: String,
        /// admin, facturacion, cartera, finanzas or auditor.
        #[arg(long)]
        rol: Rol,
    },
}

/// Closed sets of values as command-line choices, spelled as in the API.
macro_rules! opcion_clap {
    ($t:ty) => {
        impl clap::ValueEnum for $t {
            fn value_variants<'a>() -> &'a [Self] {
                <$t>::ALL
            }
            fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
                Some(clap::builder::PossibleValue::new(self.as_str()))
            }
        }
    };
}
opcion_clap!(Rol);
opcion_clap!(TipoImportacion);

pub fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let mut settings = Settings::load(cli.config.as_deref(), std::env::vars())?;
    if let Some(d) = cli.data_dir {
        settings.data_dir = d;
    }
    crate::telemetry::init(settings.log.format, &settings.log.level);
    match cli.command {
        Command::Serve { port } => {
            if let Some(p) = port {
                settings.server.port = p;
            }
            let db = open(&settings)?;
            serve(&settings, db, settings.data_dir.clone(), None)
        }
        Command::Demo { port } => {
            if let Some(p) = port {
                settings.server.port = p;
            }
            demo(settings)
        }
        Command::Migrate => {
            open(&settings)?;
            println!("esquema al día en {}", db::redact(&settings.database_url()));
            Ok(())
        }
        Command::Init {
            prestador_nit,
            prestador_nombre,
            admin_email,
        } => {
            let password = password("TRAZO_ADMIN_PASSWORD", &format!("Contraseña para {admin_email}"))?;
            let db = open(&settings)?;
            app::prestadores::crear(&db, &prestador_nit, &prestador_nombre, &admin_email, &password)
                .map_err(explain)?;
            println!("prestador '{prestador_nombre}' creado; inicie sesión como {admin_email}");
            Ok(())
        }
        Command::Import {
            tipo,
            rutas,
            prestador_nit,
            usuario,
            perfil,
            simular,
        } => {
            let db = open(&settings)?;
            importar(&settings, &db, tipo, &rutas, &prestador_nit, &usuario, perfil, simular)
        }
        Command::Backup { archivo, force } => {
            let c = db::respaldo::respaldar(&settings.database_url(), &archivo, force)?;
            println!(
                "copia de seguridad escrita en {} ({}; {})",
                c.archivo.display(),
                tamano(c.bytes),
                resumen(&c.conteos)
            );
            Ok(())
        }
        Command::Restore { archivo, force } => {
            let r = db::respaldo::restaurar(&settings.database_url(), &archivo, force)?;
            println!(
                "{} restaurada en {} ({})",
                archivo.display(),
                r.base.display(),
                resumen(&r.conteos)
            );
            if let Some(a) = r.anterior {
                println!(
                    "la base de datos que había quedó en {}; bórrela cuando ya no la necesite",
                    a.display()
                );
            }
            println!("inicie el servidor con `trazo serve`");
            Ok(())
        }
        Command::User {
            command:
                UserCommand::Add {
                    prestador_nit,
                    email,
                    nombre,
                    rol,
                },
        } => {
            let password = password("TRAZO_USER_PASSWORD", &format!("Contraseña para {email}"))?;
            let db = open(&settings)?;
            let nit = crate::domain::nit::Nit::parse(&prestador_nit)?;
            let prestador = db
                .read(|c| Ok(db::prestadores::por_nit(c, nit.as_str())?))
                .map_err(explain)?
                .ok_or_else(|| anyhow::anyhow!("no existe un prestador con NIT {nit}; créelo con `trazo init`"))?;
            let u = app::usuarios::preparar(NuevoUsuario {
                pagador_id: None,
                email: email.clone(),
                nombre,
                rol,
                password,
            })
            .map_err(explain)?;
            db.write(|c| app::usuarios::insertar(c, &prestador.id, u))
                .map_err(explain)?;
            println!("usuario {email} ({rol}) agregado a {}", prestador.nombre);
            Ok(())
        }
    }
}

/// Counts a user recognises, from the rows of every table.
fn resumen(conteos: &[(String, i64)]) -> String {
    let n = |t: &str| conteos.iter().find(|(x, _)| x == t).map_or(0, |(_, n)| *n);
    format!(
        "{} prestadores, {} facturas, {} glosas, {} pagos, {} eventos",
        n("prestadores"),
        n("facturas"),
        n("glosas"),
        n("pagos"),
        n("eventos")
    )
}

fn tamano(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 => format!("{} KiB", b >> 10),
        b => format!("{b} bytes"),
    }
}

fn open(settings: &Settings) -> anyhow::Result<Db> {
    Db::connect(&settings.database_url(), settings.database.pool_size)
}

/// Runs the server until Ctrl-C.
fn serve(settings: &Settings, db: Db, keys_dir: PathBuf, banner: Option<String>) -> anyhow::Result<()> {
    actix_web::rt::System::new().block_on(async move {
        let backend = db.backend();
        let bound = crate::startup::bind(settings, db, &keys_dir)?;
        let host = match settings.server.host.as_str() {
            "0.0.0.0" | "::" => "localhost",
            h => h,
        };
        if let Some(b) = banner {
            println!("{b}");
        }
        println!(
            "Trazo escucha en http://{host}:{}/  (API: /api/v1, documentación: /docs, base de datos: {backend:?})",
            bound.port
        );
        bound.server.await?;
        Ok(())
    })
}

/// A fresh demo database, apart from the real one, then serve it.
fn demo(mut settings: Settings) -> anyhow::Result<()> {
    let dir = settings.data_dir.join("demo");
    for f in ["trazo.db", "trazo.db-wal", "trazo.db-shm"] {
        match std::fs::remove_file(dir.join(f)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                anyhow::bail!("no se pudo reiniciar la demostración en {}: {e}", dir.display())
            }
            _ => {}
        }
    }
    settings.database.url = dir.join("trazo.db").to_string_lossy().into_owned();
    let db = open(&settings)?;
    let r = app::demo::cargar(&db, &settings.terminos()?, app::hoy_bogota()).map_err(explain)?;
    let mut banner = format!(
        "Datos de demostración en {}: {}, {} pagadores, {} contratos, {} facturas.\nUsuarios (contraseña \"{}\"):",
        dir.display(),
        r.prestador,
        r.pagadores,
        r.contratos,
        r.facturas,
        app::demo::DEMO_PASSWORD
    );
    for (rol, email) in &r.usuarios {
        banner.push_str(&format!("\n  {email:<26} {rol}"));
    }
    serve(&settings, db, dir, Some(banner))
}

fn password(var: &str, prompt: &str) -> anyhow::Result<String> {
    if let Ok(p) = std::env::var(var) {
        return Ok(p);
    }
    let p = rpassword::prompt_password(format!("{prompt}: "))
        .map_err(|e| anyhow::anyhow!("no se pudo leer la contraseña ({e}); defina {var}"))?;
    let again = rpassword::prompt_password("Repítala: ")?;
    anyhow::ensure!(p == again, "las contraseñas no coinciden");
    Ok(p)
}

/// Use-case errors as one readable line for the terminal.
fn explain(e: AppError) -> anyhow::Error {
    match e {
        AppError::Invalid(v) => {
            anyhow::anyhow!(
                "{}",
                v.iter()
                    .map(|x| format!("{}: {}", x.path, x.message))
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        }
        other => anyhow::anyhow!("{other}"),
    }
}

/// Every file under the given paths (folders read recursively; zips opened with the
/// limits), to be read when its turn comes.
fn archivos(rutas: &[PathBuf], settings: &Settings) -> anyhow::Result<Vec<trazo_importers::archivo::Origen>> {
    fn recorrer(p: &std::path::Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
        if p.is_dir() {
            let mut hijos: Vec<_> = std::fs::read_dir(p)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
            hijos.sort();
            for h in hijos {
                recorrer(&h, out)?;
            }
        } else {
            out.push(p.to_path_buf());
        }
        Ok(())
    }
    let mut rutas_archivos = Vec::new();
    for r in rutas {
        anyhow::ensure!(r.exists(), "no existe {}", r.display());
        recorrer(r, &mut rutas_archivos)?;
    }
    let limites = settings.importaciones.limites();
    let mut out = Vec::new();
    for r in rutas_archivos {
        out.extend(
            trazo_importers::archivo::origenes_de_ruta(&r, &limites).map_err(|e| match e {
                trazo_importers::archivo::ErrorArchivo::Limite(e)
                | trazo_importers::archivo::ErrorArchivo::Formato(e) => {
                    anyhow::anyhow!("{e}")
                }
            })?,
        );
    }
    Ok(out)
}

#[allow(clippy::too_many_arguments)]
fn importar(
    settings: &Settings,
    db: &Db,
    tipo: TipoImportacion,
    rutas: &[PathBuf],
    prestador_nit: &str,
    usuario: &str,
    perfil: Option<String>,
    simular: bool,
) -> anyhow::Result<()> {
    let nit = crate::domain::nit::Nit::parse(prestador_nit)?;
    let email = usuario.trim().to_lowercase();
    let (prestador, u) = db
        .read(|c| {
            Ok((
                db::prestadores::por_nit(c, nit.as_str())?,
                db::usuarios::por_email(c, &email)?,
            ))
        })
        .map_err(explain)?;
    let prestador = prestador.ok_or_else(|| anyhow::anyhow!("no existe un prestador con NIT {nit}"))?;
    let u = u
        .filter(|u| u.prestador_id == prestador.id)
        .ok_or_else(|| anyhow::anyhow!("{email} no es usuario de {}", prestador.nombre))?;
    let actor = Actor {
        usuario_id: u.id,
        prestador_id: prestador.id,
        rol: u.rol,
    };
    let archivos = archivos(rutas, settings)?;
    let o = Opciones { tipo, perfil, simular };
    let perfiles = importaciones::cargar_perfiles(&settings.importaciones.perfiles_dir)?;
    let nombre = rutas.iter().map(|r| r.to_string_lossy()).collect::<Vec<_>>().join(", ");
    importaciones::proceso::configurar(settings.importaciones.silencio());
    let id = importaciones::crear(db, &actor, &o, &nombre).map_err(explain)?;
    // Says this process is alive while it imports, so a server does not take the run for one
    // a stopped process left.
    let vivo = std::sync::Arc::new(db.clone());
    importaciones::proceso::latir_mientras(std::sync::Arc::downgrade(&vivo), |d: &Db| d, None);
    let barra = indicatif::ProgressBar::new(archivos.len() as u64);
    barra.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} archivos  {elapsed_precise}  {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let terminos = settings.terminos()?;
    let hoy = settings.fecha_fija()?.unwrap_or_else(app::hoy_bogota);
    let cx = Contexto {
        db,
        terminos: &terminos,
        hoy,
        perfiles: &perfiles,
        rips_total_distinto: settings.importaciones.rips_total_distinto,
    };
    let v = importaciones::ejecutar(&cx, &actor, &id, &o, archivos, &|p, _| barra.set_position(p as u64))
        .map_err(explain)?;
    drop(vivo);
    barra.finish_and_clear();
    println!(
        "importación {}: {}; {} creados, {} ya estaban",
        v.id, v.estado, v.creados, v.duplicados
    );
    for e in &v.errores {
        println!("  {}", e.message);
    }
    for a in &v.aceptadas_tacitamente {
        println!(
            "  aceptada tácitamente: {}, fila {}: glosa {} de {} a la factura {}; el término para responder venció el {}",
            a.archivo, a.row, a.codigo, a.valor, a.numero_factura, a.fecha_limite_respuesta
        );
    }
    match v.estado {
        EstadoImportacion::Terminada | EstadoImportacion::Simulada => Ok(()),
        _ => anyhow::bail!("no se escribió nada: {} errores", v.errores.len()),
    }
}
