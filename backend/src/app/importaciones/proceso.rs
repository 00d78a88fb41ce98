//! This process, as the runner of import runs: its id, its heartbeat in `servidores`, and the
//! sweep of the runs a stopped process left (a crash, a restart, a `kill -9`). A run whose
//! upload was kept ([`super::iniciar`]) is taken by a server that can run it and run again
//! from the start — safe, because a run writes all of itself or nothing; one without (a
//! command-line run) is marked `interrumpida` with a message. No run stays `en_curso` for ever.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{OnceLock, Weak};
use std::time::Duration;

use super::ErrorImportacion;
use crate::app::AppError;
use crate::db::{self, Db};

/// A process silent for this long is taken for dead (`importaciones.silencio_segundos`,
/// 60 by default). A process never sweeps its own runs, so its heartbeat waiting behind its
/// own large import on SQLite (about 47 s for 100,000 invoices, BENCHMARKS.md) does not make
/// it look dead to itself; another server on the same SQLite file is not a deployment Trazo
/// supports.
static SILENCIO_MS: AtomicU64 = AtomicU64::new(60_000);

/// Sets how long a process may be silent before its runs are taken for orphans. Every process
/// on one database must use the same value: a process says it is alive six times in that span.
pub fn configurar(silencio: Duration) {
    SILENCIO_MS.store(silencio.as_millis().max(1_000) as u64, Ordering::Relaxed);
}

pub fn silencio() -> Duration {
    Duration::from_millis(SILENCIO_MS.load(Ordering::Relaxed))
}

/// How often a process says it is alive, and sweeps.
fn latido() -> Duration {
    silencio() / 6
}

/// This process's id in `servidores`.
pub fn id() -> &'static str {
    static ID: OnceLock<String> = OnceLock::new();
    ID.get_or_init(db::new_id)
}

/// Says this process is alive.
pub fn latir(base: &Db) -> Result<(), AppError> {
    base.write(|c| Ok::<_, AppError>(db::servidores::latir(c, id(), db::now())?))
}

/// Says this process is alive, and sweeps, every [`latido`] on a thread of its own, for as
/// long as `de` is alive: a server passes its state (and with `reanudar` runs again the runs
/// it takes), the command line its database while it imports.
pub fn latir_mientras<S: Send + Sync + 'static>(de: Weak<S>, base: fn(&S) -> &Db, reanudar: Option<fn(&S, &str)>) {
    let lanzado = std::thread::Builder::new().name("latido".into()).spawn(move || loop {
        std::thread::sleep(latido());
        let Some(s) = de.upgrade() else { return };
        let db = base(&s);
        let r = latir(db).and_then(|_| match reanudar {
            Some(f) => barrer(db, Some(&|id: &str| f(&s, id))),
            None => barrer(db, None),
        });
        if let Err(e) = r {
            tracing::warn!(error = ?e, "import heartbeat failed");
        }
    });
    if let Err(e) = lanzado {
        tracing::error!(error = %e, "could not start the import heartbeat");
    }
}

/// Deals with the runs of processes silent for [`silencio`]: with `reanudar`, a run whose
/// upload was kept is taken by this process and handed to it to run again; without, it is
/// left for a server that can. The others are marked `interrumpida`. Returns how many runs
/// changed.
pub fn barrer(base: &Db, reanudar: Option<&dyn Fn(&str)>) -> Result<usize, AppError> {
    let silencio = chrono::Duration::from_std(silencio()).unwrap_or_default();
    let errores = serde_json::to_string(&[ErrorImportacion {
        archivo: "(importación)".into(),
        row: None,
        line: None,
        path: None,
        campo: None,
        message: "el proceso que hacía esta importación se detuvo antes de terminarla y no guardó el \
                  archivo para repetirla; como cada importación se escribe entera o nada, no quedó nada \
                  escrito: súbala de nuevo"
            .into(),
    }])
    .map_err(|e| AppError::Internal(e.into()))?;
    let (cambiadas, tomadas) = base.write(|c| {
        let ahora = db::now();
        let huerfanas = db::servidores::huerfanas(c, id(), ahora - silencio)?;
        if huerfanas.is_empty() {
            return Ok::<_, AppError>((0, Vec::new()));
        }
        let ids: Vec<String> = huerfanas.iter().map(|(i, _)| i.clone()).collect();
        let con_subida = db::importaciones::con_subida(c, &ids)?;
        let (mut cambiadas, mut tomadas) = (0, Vec::new());
        for (run, de) in &huerfanas {
            let de = de.as_deref();
            if con_subida.contains(run) {
                if reanudar.is_some() && db::servidores::reclamar(c, run, de, id())? {
                    tomadas.push(run.clone());
                }
            } else if db::servidores::interrumpir(c, run, de, &errores, ahora)? {
                cambiadas += 1;
            }
        }
        Ok((cambiadas, tomadas))
    })?;
    if cambiadas > 0 {
        tracing::warn!(runs = cambiadas, "import runs of a stopped process marked interrumpida");
    }
    if let Some(f) = reanudar {
        for run in &tomadas {
            tracing::warn!(importacion = %run, "running again an import a stopped server left");
            f(run);
        }
    }
    Ok(cambiadas + tomadas.len())
}
