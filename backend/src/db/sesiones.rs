//! Sessions of the web application, by the hash of their cookie.

use diesel::prelude::*;

use super::schema::{sesiones, usuarios};
use super::AnyConnection;

pub fn abrir(
    c: &mut AnyConnection,
    id: &str,
    usuario_id: &str,
    csrf: &str,
    ahora: chrono::NaiveDateTime,
    expira_en: chrono::NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(sesiones::table)
        .values((
            sesiones::id.eq(id),
            sesiones::usuario_id.eq(usuario_id),
            sesiones::csrf.eq(csrf),
            sesiones::creada_en.eq(ahora),
            sesiones::expira_en.eq(expira_en),
        ))
        .execute(c)
        .map(|_| ())
}

/// An open, unexpired session of an active user: who, with the role and prestador the
/// database says now, its CSRF token, and the user's name and e-mail to greet them.
pub struct Abierta {
    pub usuario_id: String,
    pub prestador_id: String,
    pub rol: crate::domain::rol::Rol,
    pub csrf: String,
    pub nombre: String,
    pub email: String,
}

pub fn abierta(c: &mut AnyConnection, id: &str, ahora: chrono::NaiveDateTime) -> QueryResult<Option<Abierta>> {
    sesiones::table
        .inner_join(usuarios::table)
        .filter(
            sesiones::id
                .eq(id)
                .and(sesiones::cerrada_en.is_null())
                .and(sesiones::expira_en.gt(ahora))
                .and(usuarios::activo.eq(true)),
        )
        .select((
            sesiones::usuario_id,
            usuarios::prestador_id,
            usuarios::rol,
            sesiones::csrf,
            usuarios::nombre,
            usuarios::email,
        ))
        .first::<(String, String, crate::domain::rol::Rol, String, String, String)>(c)
        .optional()
        .map(|o| {
            o.map(|(usuario_id, prestador_id, rol, csrf, nombre, email)| Abierta {
                usuario_id,
                prestador_id,
                rol,
                csrf,
                nombre,
                email,
            })
        })
}

pub fn cerrar(c: &mut AnyConnection, id: &str, ahora: chrono::NaiveDateTime) -> QueryResult<usize> {
    diesel::update(sesiones::table.filter(sesiones::id.eq(id).and(sesiones::cerrada_en.is_null())))
        .set(sesiones::cerrada_en.eq(Some(ahora)))
        .execute(c)
}

/// Closes every open session of a user (disabled, or a new password).
pub fn cerrar_de_usuario(c: &mut AnyConnection, usuario_id: &str, ahora: chrono::NaiveDateTime) -> QueryResult<usize> {
    diesel::update(sesiones::table.filter(sesiones::usuario_id.eq(usuario_id).and(sesiones::cerrada_en.is_null())))
        .set(sesiones::cerrada_en.eq(Some(ahora)))
        .execute(c)
}
