//! Users of a prestador.

use diesel::prelude::*;

use super::schema::usuarios;
use super::AnyConnection;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = usuarios)]
pub struct Usuario {
    pub id: String,
    pub prestador_id: String,
    pub email: String,
    pub nombre: String,
    pub rol: crate::domain::rol::Rol,
    pub password_hash: String,
    pub activo: bool,
    pub version: i32,
    pub creado_en: chrono::NaiveDateTime,
    /// For role `pagador`: the one payer whose window this user sees.
    pub pagador_id: Option<String>,
}

pub fn insertar(c: &mut AnyConnection, u: &Usuario) -> QueryResult<()> {
    diesel::insert_into(usuarios::table).values(u).execute(c).map(|_| ())
}

/// Looks an e-mail up across tenants: the e-mail is how a person logs in, before any tenant
/// is known.
pub fn por_email(c: &mut AnyConnection, email: &str) -> QueryResult<Option<Usuario>> {
    usuarios::table
        .filter(usuarios::email.eq(email))
        .select(Usuario::as_select())
        .first(c)
        .optional()
}

pub fn por_id(c: &mut AnyConnection, prestador_id: &str, id: &str) -> QueryResult<Option<Usuario>> {
    usuarios::table
        .filter(usuarios::prestador_id.eq(prestador_id).and(usuarios::id.eq(id)))
        .select(Usuario::as_select())
        .first(c)
        .optional()
}

pub fn listar(c: &mut AnyConnection, prestador_id: &str, offset: i64, limit: i64) -> QueryResult<(Vec<Usuario>, i64)> {
    let total = usuarios::table
        .filter(usuarios::prestador_id.eq(prestador_id))
        .count()
        .get_result(c)?;
    let items = usuarios::table
        .filter(usuarios::prestador_id.eq(prestador_id))
        .order(usuarios::email.asc())
        .offset(offset)
        .limit(limit)
        .select(Usuario::as_select())
        .load(c)?;
    Ok((items, total))
}

/// (id, email) of these users of the tenant.
pub fn emails(c: &mut AnyConnection, prestador_id: &str, ids: &[String]) -> QueryResult<Vec<(String, String)>> {
    usuarios::table
        .filter(usuarios::prestador_id.eq(prestador_id).and(usuarios::id.eq_any(ids)))
        .select((usuarios::id, usuarios::email))
        .load(c)
}

/// The e-mail of each of these users, by id: lists say who did something, not only its id.
pub fn correos(
    c: &mut AnyConnection,
    prestador_id: &str,
    ids: &[&str],
) -> QueryResult<std::collections::HashMap<String, String>> {
    Ok(usuarios::table
        .filter(usuarios::prestador_id.eq(prestador_id).and(usuarios::id.eq_any(ids)))
        .select((usuarios::id, usuarios::email))
        .load::<(String, String)>(c)?
        .into_iter()
        .collect())
}

/// Writes a user's name, role, state and password if the user is still at `version`.
pub fn actualizar(c: &mut AnyConnection, u: &Usuario, version: i32) -> QueryResult<usize> {
    diesel::update(
        usuarios::table.filter(
            usuarios::prestador_id
                .eq(&u.prestador_id)
                .and(usuarios::id.eq(&u.id))
                .and(usuarios::version.eq(version)),
        ),
    )
    .set((
        usuarios::nombre.eq(&u.nombre),
        usuarios::rol.eq(u.rol),
        usuarios::activo.eq(u.activo),
        usuarios::password_hash.eq(&u.password_hash),
        usuarios::version.eq(version + 1),
    ))
    .execute(c)
}

/// (prestador, role, active) of a user, whatever the tenant: what a token's holder is now.
pub fn vigencia(c: &mut AnyConnection, id: &str) -> QueryResult<Option<(String, crate::domain::rol::Rol, bool)>> {
    usuarios::table
        .filter(usuarios::id.eq(id))
        .select((usuarios::prestador_id, usuarios::rol, usuarios::activo))
        .first(c)
        .optional()
}
