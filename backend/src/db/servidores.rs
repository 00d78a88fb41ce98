//! The processes that run imports, and whether each still says it is alive.

use diesel::prelude::*;

use super::schema::{importaciones, servidores};
use super::AnyConnection;

/// Says that process `id` is alive now.
pub fn latir(c: &mut AnyConnection, id: &str, ahora: chrono::NaiveDateTime) -> QueryResult<()> {
    let n = diesel::update(servidores::table.filter(servidores::id.eq(id)))
        .set(servidores::latido.eq(ahora))
        .execute(c)?;
    if n == 0 {
        // In a savepoint: a refused insert must not abort the caller's transaction (PostgreSQL).
        let r = c.transaction(|c| {
            diesel::insert_into(servidores::table)
                .values((
                    servidores::id.eq(id),
                    servidores::iniciado_en.eq(ahora),
                    servidores::latido.eq(ahora),
                ))
                .execute(c)
        });
        match r {
            // Two servers of one process starting at once: the other inserted it first.
            Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {
                diesel::update(servidores::table.filter(servidores::id.eq(id)))
                    .set(servidores::latido.eq(ahora))
                    .execute(c)?;
            }
            r => {
                r?;
            }
        }
    }
    Ok(())
}

/// Marks `interrumpida`, with `errores`, every run still working or waiting whose process is
/// not `yo` and has not said it is alive since `vivos_desde` (or that no process claims).
/// Returns how many.
pub fn interrumpir_huerfanas(
    c: &mut AnyConnection,
    yo: &str,
    vivos_desde: chrono::NaiveDateTime,
    errores: &str,
    ahora: chrono::NaiveDateTime,
) -> QueryResult<usize> {
    let vivos = servidores::table
        .filter(servidores::latido.ge(vivos_desde))
        .select(servidores::id.nullable());
    diesel::update(
        importaciones::table.filter(
            importaciones::estado.eq_any(["en_curso", "en_cola"]).and(
                importaciones::servidor_id.is_null().or(importaciones::servidor_id
                    .ne(yo)
                    .and(importaciones::servidor_id.ne_all(vivos))),
            ),
        ),
    )
    .set((
        importaciones::estado.eq("interrumpida"),
        importaciones::errores.eq(errores),
        importaciones::terminado_en.eq(Some(ahora)),
    ))
    .execute(c)
}
