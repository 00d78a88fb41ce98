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

/// The runs still working or waiting whose process is not `yo` and has not said it is alive
/// since `vivos_desde` (or that no process claims), each with the process it had.
pub fn huerfanas(
    c: &mut AnyConnection,
    yo: &str,
    vivos_desde: chrono::NaiveDateTime,
) -> QueryResult<Vec<(String, Option<String>)>> {
    let vivos = servidores::table
        .filter(servidores::latido.ge(vivos_desde))
        .select(servidores::id.nullable());
    importaciones::table
        .filter(
            importaciones::estado.eq_any(["en_curso", "en_cola"]).and(
                importaciones::servidor_id.is_null().or(importaciones::servidor_id
                    .ne(yo)
                    .and(importaciones::servidor_id.ne_all(vivos))),
            ),
        )
        .select((importaciones::id, importaciones::servidor_id))
        .load(c)
}

/// Changes orphan run `id`, if it is still working or waiting for the process `de`, as `cambio`
/// says; false when another server got to it first.
fn tomar<C>(c: &mut AnyConnection, id: &str, de: Option<&str>, cambio: C) -> QueryResult<bool>
where
    C: diesel::query_builder::AsChangeset<Target = importaciones::table>,
    C::Changeset: diesel::query_builder::QueryFragment<<AnyConnection as diesel::Connection>::Backend>,
{
    let fila = importaciones::table.filter(
        importaciones::id
            .eq(id)
            .and(importaciones::estado.eq_any(["en_curso", "en_cola"])),
    );
    let n = match de {
        Some(de) => diesel::update(fila.filter(importaciones::servidor_id.eq(de)))
            .set(cambio)
            .execute(c)?,
        None => diesel::update(fila.filter(importaciones::servidor_id.is_null()))
            .set(cambio)
            .execute(c)?,
    };
    Ok(n == 1)
}

/// Takes orphan run `id` for process `yo` to run again from the start, waiting its turn.
pub fn reclamar(c: &mut AnyConnection, id: &str, de: Option<&str>, yo: &str) -> QueryResult<bool> {
    tomar(
        c,
        id,
        de,
        (
            importaciones::servidor_id.eq(yo),
            importaciones::estado.eq("en_cola"),
            importaciones::procesados.eq(0),
        ),
    )
}

/// Marks orphan run `id` `interrumpida`, with `errores`.
pub fn interrumpir(
    c: &mut AnyConnection,
    id: &str,
    de: Option<&str>,
    errores: &str,
    ahora: chrono::NaiveDateTime,
) -> QueryResult<bool> {
    tomar(
        c,
        id,
        de,
        (
            importaciones::estado.eq("interrumpida"),
            importaciones::errores.eq(errores),
            importaciones::terminado_en.eq(Some(ahora)),
        ),
    )
}
