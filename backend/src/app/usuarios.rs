//! Users of a prestador.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Actor, AppError, Lista, Pagina};
use crate::db::{self, usuarios::Usuario, AnyConnection, Db};
use crate::domain::rol::Rol;

/// Shortest password Trazo accepts (the demo's `demo` is created without this check).
pub const PASSWORD_MIN: usize = 10;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NuevoUsuario {
    #[schema(example = "ana.perez@clinica.co")]
    pub email: String,
    pub nombre: String,
    pub rol: Rol,
    /// At least 10 characters.
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UsuarioVista {
    pub id: String,
    pub email: String,
    pub nombre: String,
    pub rol: Rol,
    pub activo: bool,
    pub version: i32,
    pub creado_en: chrono::DateTime<chrono::Utc>,
}

impl From<Usuario> for UsuarioVista {
    fn from(u: Usuario) -> Self {
        UsuarioVista {
            rol: u.rol,
            id: u.id,
            email: u.email,
            nombre: u.nombre,
            activo: u.activo,
            version: u.version,
            creado_en: u.creado_en.and_utc(),
        }
    }
}

/// A user checked and hashed, ready to insert in some prestador.
pub struct UsuarioPreparado {
    email: String,
    nombre: String,
    rol: Rol,
    password_hash: String,
}

fn email_valido(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.contains(char::is_whitespace)
}

/// Checks and hashes a new user's data; every problem is reported at once.
pub fn preparar(n: NuevoUsuario) -> Result<UsuarioPreparado, AppError> {
    preparar_con(n, PASSWORD_MIN)
}

pub(crate) fn preparar_con(n: NuevoUsuario, password_min: usize) -> Result<UsuarioPreparado, AppError> {
    let email = n.email.trim().to_lowercase();
    let mut errs = Vec::new();
    if !email_valido(&email) {
        errs.push(crate::domain::Violation::new(
            "email",
            format!("'{}' no es un correo válido", n.email),
        ));
    }
    if n.nombre.trim().is_empty() {
        errs.push(crate::domain::Violation::new("nombre", "falta el nombre"));
    }
    if n.password.chars().count() < password_min {
        errs.push(crate::domain::Violation::new(
            "password",
            format!("la contraseña debe tener al menos {password_min} caracteres"),
        ));
    }
    if !errs.is_empty() {
        return Err(AppError::Invalid(errs));
    }
    Ok(UsuarioPreparado {
        email,
        nombre: n.nombre.trim().to_string(),
        rol: n.rol,
        password_hash: super::auth::hash_password(&n.password)?,
    })
}

/// Inserts a prepared user in `prestador_id`; e-mails are unique across Trazo because the
/// e-mail is the login.
pub fn insertar(c: &mut AnyConnection, prestador_id: &str, u: UsuarioPreparado) -> Result<Usuario, AppError> {
    if db::usuarios::por_email(c, &u.email)?.is_some() {
        return Err(AppError::Conflict(format!(
            "ya existe un usuario con el correo {}",
            u.email
        )));
    }
    let fila = Usuario {
        id: db::new_id(),
        prestador_id: prestador_id.to_string(),
        email: u.email,
        nombre: u.nombre,
        rol: u.rol,
        password_hash: u.password_hash,
        activo: true,
        version: 1,
        creado_en: db::now(),
    };
    db::usuarios::insertar(c, &fila)?;
    Ok(fila)
}

pub fn crear(db: &Db, actor: &Actor, n: NuevoUsuario) -> Result<UsuarioVista, AppError> {
    actor.exigir(&[Rol::Admin], "crear usuarios")?;
    let u = preparar(n)?;
    db.write(|c| insertar(c, &actor.prestador_id, u)).map(Into::into)
}

pub fn listar(db: &Db, actor: &Actor, pagina: Pagina) -> Result<Lista<UsuarioVista>, AppError> {
    actor.exigir(&[Rol::Admin], "ver los usuarios")?;
    let (items, total) = db.read(|c| {
        Ok::<_, AppError>(db::usuarios::listar(
            c,
            &actor.prestador_id,
            pagina.offset(),
            pagina.per_page,
        )?)
    })?;
    Ok(Lista {
        items: items.into_iter().map(Into::into).collect(),
        total,
    })
}

pub fn obtener(db: &Db, actor: &Actor, id: &str) -> Result<UsuarioVista, AppError> {
    actor.exigir(&[Rol::Admin], "ver los usuarios")?;
    db.read(|c| db::usuarios::por_id(c, &actor.prestador_id, id)?.ok_or_else(|| AppError::not_found("un usuario")))
        .map(Into::into)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_checked_and_normalised() {
        assert!(email_valido("ana@clinica.co"));
        for bad in [
            "",
            "ana",
            "ana@",
            "@clinica.co",
            "ana@clinica",
            "ana @clinica.co",
            "ana@.co",
        ] {
            assert!(!email_valido(bad), "{bad}");
        }
    }

    #[test]
    fn a_new_user_reports_every_problem() {
        let n = NuevoUsuario {
            email: "x".into(),
            nombre: " ".into(),
            rol: Rol::Cartera,
            password: "corta".into(),
        };
        match preparar(n) {
            Err(AppError::Invalid(v)) => {
                let paths: Vec<_> = v.iter().map(|e| e.path.as_str()).collect();
                assert_eq!(paths, ["email", "nombre", "password"]);
            }
            _ => panic!("expected invalid"),
        }
    }
}
