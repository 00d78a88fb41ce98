//! This process, as the runner of import runs: its id, its heartbeat in `servidores`, and the
//! sweep that marks `interrumpida` the runs of a process that stopped (a crash, a restart, a
//! `kill -9`), so no run stays `en_curso` for ever and any server reports the truth.

use std::sync::OnceLock;
use std::time::Duration;

use super::ErrorImportacion;
use crate::app::AppError;
use crate::db::{self, Db};

/// How often a process says it is alive, and sweeps.
const LATIDO: Duration = Duration::from_secs(10);

/// A process silent for this long is taken for dead. A process never sweeps its own runs, so
/// its heartbeat waiting behind its own large import on SQLite (about 47 s for 100,000
/// invoices, BENCHMARKS.md) does not make it look dead to itself; another server on the same
/// SQLite file is not a deployment Trazo supports.
pub const SILENCIO: Duration = Duration::from_secs(60);

/// This process's id in `servidores`.
pub fn id() -> &'static str {
    static ID: OnceLock<String> = OnceLock::new();
    ID.get_or_init(db::new_id)
}

/// Says this process is alive, and keeps saying it (and sweeping) every [`LATIDO`] on a
/// thread of its own, started once.
pub fn latir(base: &Db) -> Result<(), AppError> {
    base.write(|c| Ok::<_, AppError>(db::servidores::latir(c, id(), db::now())?))?;
    static HILO: OnceLock<()> = OnceLock::new();
    HILO.get_or_init(|| {
        let base = base.clone();
        std::thread::spawn(move || loop {
            std::thread::sleep(LATIDO);
            let r = base
                .write(|c| Ok::<_, AppError>(db::servidores::latir(c, id(), db::now())?))
                .and_then(|_| barrer(&base));
            if let Err(e) = r {
                tracing::warn!(error = ?e, "import heartbeat failed");
            }
        });
    });
    Ok(())
}

/// Marks `interrumpida` the runs of processes silent for [`SILENCIO`]; returns how many.
pub fn barrer(base: &Db) -> Result<usize, AppError> {
    let silencio = chrono::Duration::from_std(SILENCIO).unwrap_or_default();
    let errores = serde_json::to_string(&[ErrorImportacion {
        archivo: "(importación)".into(),
        row: None,
        line: None,
        path: None,
        campo: None,
        message: "el servidor que hacía esta importación se detuvo antes de terminarla; como cada \
                  importación se escribe entera o nada, no quedó nada escrito: súbala de nuevo"
            .into(),
    }])
    .map_err(|e| AppError::Internal(e.into()))?;
    let n = base.write(|c| {
        let ahora = db::now();
        Ok::<_, AppError>(db::servidores::interrumpir_huerfanas(
            c,
            id(),
            ahora - silencio,
            &errores,
            ahora,
        )?)
    })?;
    if n > 0 {
        tracing::warn!(runs = n, "import runs of a stopped server marked interrumpida");
    }
    Ok(n)
}
