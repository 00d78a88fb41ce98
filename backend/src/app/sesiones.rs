//! Sessions of the web application: opened with an e-mail and password (the same check and
//! refusal as a token), kept in the database by the hash of a random cookie value, closed at
//! sign-out, at expiry, and the moment their user is disabled or has the password reset.

use chrono::Duration;
use rand::RngCore;

use super::{Actor, AppError};
use crate::db::{self, Db};

/// A session open now.
#[derive(Debug, Clone)]
pub struct SesionWeb {
    pub actor: Actor,
    /// The token every form and htmx request of this session carries.
    pub csrf: String,
    pub nombre: String,
    pub email: String,
}

fn aleatorio() -> String {
    let mut b = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// What is stored of a cookie value: its hash, so a copy of the database opens nothing.
fn clave(cookie: &str) -> String {
    super::importaciones::hash(cookie.as_bytes())
}

/// Checks the e-mail and password and opens a session for `duracion`; returns the cookie's
/// value.
pub fn abrir(db: &Db, email: &str, password: &str, duracion: Duration) -> Result<String, AppError> {
    let u = super::auth::verificar(db, email, password)?;
    let cookie = aleatorio();
    let ahora = db::now();
    db.write(|c| {
        Ok::<_, AppError>(db::sesiones::abrir(
            c,
            &clave(&cookie),
            &u.id,
            &aleatorio(),
            ahora,
            ahora + duracion,
        )?)
    })?;
    Ok(cookie)
}

/// The session a cookie opens now, if any: open, unexpired, of an active user.
pub fn leer(db: &Db, cookie: &str) -> Result<Option<SesionWeb>, AppError> {
    if cookie.len() != 64 || !cookie.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let s = db.read(|c| Ok::<_, AppError>(db::sesiones::abierta(c, &clave(cookie), db::now())?))?;
    Ok(s.map(|s| SesionWeb {
        actor: Actor {
            usuario_id: s.usuario_id,
            prestador_id: s.prestador_id,
            rol: s.rol,
        },
        csrf: s.csrf,
        nombre: s.nombre,
        email: s.email,
    }))
}

/// Closes the session of a cookie (sign-out).
pub fn cerrar(db: &Db, cookie: &str) -> Result<(), AppError> {
    db.write(|c| Ok::<_, AppError>(db::sesiones::cerrar(c, &clave(cookie), db::now())?))?;
    Ok(())
}
