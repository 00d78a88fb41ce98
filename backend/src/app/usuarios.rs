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
    /// For role `pagador` (and only for it): the payer whose window the user sees.
    #[serde(default)]
    pub pagador_id: Option<String>,
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
    /// For role `pagador`: the payer whose window the user sees.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub pagador_id: Option<String>,
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
            pagador_id: u.pagador_id,
        }
    }
}

/// A user checked and hashed, ready to insert in some prestador.
pub struct UsuarioPreparado {
    email: String,
    nombre: String,
    rol: Rol,
    password_hash: String,
    pagador_id: Option<String>,
}

impl UsuarioPreparado {
    /// The same user, belonging to `pagador_id` (for a payer's user prepared before its payer
    /// existed, as the demo does).
    pub fn del_pagador(self, pagador_id: &str) -> Self {
        UsuarioPreparado {
            pagador_id: Some(pagador_id.to_string()),
            ..self
        }
    }
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
    let pagador_id = n.pagador_id.as_deref().map(str::trim).filter(|p| !p.is_empty());
    match (n.rol, pagador_id) {
        (Rol::Pagador, None) => errs.push(crate::domain::Violation::new(
            "pagador_id",
            "un usuario de rol pagador pertenece a un pagador: se espera pagador_id",
        )),
        (Rol::Pagador, Some(_)) | (_, None) => {}
        (otro, Some(_)) => errs.push(crate::domain::Violation::new(
            "pagador_id",
            format!("solo un usuario de rol pagador pertenece a un pagador; el rol '{otro}' no lleva pagador_id"),
        )),
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
        pagador_id: pagador_id.map(str::to_string),
    })
}

/// Inserts a prepared user in `prestador_id`; e-mails are unique across Trazo because the
/// e-mail is the login.
pub fn insertar(c: &mut AnyConnection, prestador_id: &str, u: UsuarioPreparado) -> Result<Usuario, AppError> {
    // The same answer whether the e-mail is used here or in another prestador: which
    // e-mails other clients of Trazo have is not this admin's to learn.
    if db::usuarios::por_email(c, &u.email)?.is_some() {
        return Err(AppError::Conflict(format!(
            "el correo {} no está disponible para un usuario nuevo; use otro",
            u.email
        )));
    }
    if let Some(p) = &u.pagador_id {
        super::pagadores::buscar(c, prestador_id, p)
            .map_err(|_| AppError::invalid("pagador_id", "no hay un pagador con ese id en su prestador"))?;
    }
    let fila = Usuario {
        pagador_id: u.pagador_id,
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

/// A change of a user by the admin: only the fields sent change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CambioUsuario {
    /// The version read: 409 if someone changed the user since.
    pub version: i32,
    pub nombre: Option<String>,
    pub rol: Option<Rol>,
    /// `false` disables the user: its tokens stop working at once and it cannot log in.
    pub activo: Option<bool>,
    /// A new password (at least 10 characters), to give the user by a safe channel.
    pub password: Option<String>,
    /// Why it changes; kept with the change.
    #[serde(default)]
    pub motivo: String,
}

/// Disables a user, changes its role or name, or resets its password (admin). An admin
/// cannot disable itself nor take away its own admin role, so a prestador never loses its
/// last way in. The change is kept with the user before and after (never the password).
pub fn modificar(
    db: &Db,
    hoy: chrono::NaiveDate,
    actor: &Actor,
    id: &str,
    cambio: CambioUsuario,
) -> Result<UsuarioVista, AppError> {
    actor.exigir(&[Rol::Admin], "modificar usuarios")?;
    let mut errs = Vec::new();
    if cambio.nombre.as_deref().is_some_and(|n| n.trim().is_empty()) {
        errs.push(crate::domain::Violation::new(
            "nombre",
            "se espera el nombre; llegó vacío",
        ));
    }
    if let Some(p) = cambio.password.as_deref().filter(|p| p.chars().count() < PASSWORD_MIN) {
        errs.push(crate::domain::Violation::new(
            "password",
            format!(
                "la contraseña debe tener al menos {PASSWORD_MIN} caracteres; llegó una de {}",
                p.chars().count()
            ),
        ));
    }
    if !errs.is_empty() {
        return Err(AppError::Invalid(errs));
    }
    if id == actor.usuario_id && (cambio.activo == Some(false) || cambio.rol.is_some_and(|r| r != Rol::Admin)) {
        return Err(AppError::Conflict(
            "un administrador no puede desactivarse ni quitarse el rol de administrador a sí mismo; \
             pídaselo a otro administrador"
                .into(),
        ));
    }
    let hash = cambio.password.as_deref().map(super::auth::hash_password).transpose()?;
    db.write(|c| {
        let antes =
            db::usuarios::por_id(c, &actor.prestador_id, id)?.ok_or_else(|| AppError::not_found("un usuario"))?;
        // A payer's user sees one payer: turning it into a prestador's role (or back) would
        // carry its payer's access across; a new user is created instead.
        if cambio
            .rol
            .is_some_and(|r| (r == Rol::Pagador) != (antes.rol == Rol::Pagador))
        {
            return Err(AppError::Conflict(
                "el rol pagador no se pone ni se quita a un usuario existente; cree otro usuario".into(),
            ));
        }
        if antes.version != cambio.version {
            return Err(super::pagadores::stale(antes.version, cambio.version));
        }
        let despues = db::usuarios::Usuario {
            nombre: cambio
                .nombre
                .as_deref()
                .map(str::trim)
                .map_or(antes.nombre.clone(), str::to_string),
            rol: cambio.rol.unwrap_or(antes.rol),
            activo: cambio.activo.unwrap_or(antes.activo),
            password_hash: hash.clone().unwrap_or_else(|| antes.password_hash.clone()),
            version: antes.version + 1,
            ..antes.clone()
        };
        if db::usuarios::actualizar(c, &despues, antes.version)? == 0 {
            return Err(super::pagadores::stale(antes.version + 1, antes.version));
        }
        if !despues.activo || hash.is_some() {
            // A disabled user, or one whose password was reset, keeps no web session open.
            db::sesiones::cerrar_de_usuario(c, id, db::now())?;
        }
        let que = super::correcciones::Que {
            entidad: "usuario",
            entidad_id: id,
            factura_id: None,
        };
        let mut d = serde_json::to_value(UsuarioVista::from(despues.clone())).unwrap_or_default();
        d["password_restablecida"] = serde_json::json!(hash.is_some());
        super::correcciones::modificado(c, actor, que, cambio.motivo.trim(), &UsuarioVista::from(antes), &d, hoy)?;
        Ok(despues.into())
    })
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
            pagador_id: None,
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
