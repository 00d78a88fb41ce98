//! Creating a tenant (`trazo init`) with its first administrator.

use super::usuarios::{self, NuevoUsuario};
use super::AppError;
use crate::db::{self, prestadores::Prestador, Db};
use crate::domain::nit::Nit;
use crate::domain::rol::Rol;

/// Creates a prestador and its first admin in one transaction. Returns the prestador id.
pub fn crear(db: &Db, nit: &str, nombre: &str, admin_email: &str, admin_password: &str) -> Result<String, AppError> {
    let nit = Nit::parse(nit).map_err(|e| AppError::invalid("prestador_nit", e.to_string()))?;
    let nombre = nombre.trim();
    if nombre.is_empty() {
        return Err(AppError::invalid("prestador_nombre", "falta el nombre del prestador"));
    }
    let admin = NuevoUsuario {
        pagador_id: None,
        email: admin_email.to_string(),
        nombre: "Administrador".into(),
        rol: Rol::Admin,
        password: admin_password.to_string(),
    };
    let fila = usuarios::preparar(admin)?;
    db.write(|c| {
        if db::prestadores::por_nit(c, nit.as_str())?.is_some() {
            return Err(AppError::Conflict(format!("ya existe un prestador con NIT {nit}")));
        }
        let p = Prestador {
            id: db::new_id(),
            nit: nit.as_str().to_string(),
            nombre: nombre.to_string(),
            creado_en: db::now(),
        };
        db::prestadores::insertar(c, &p)?;
        usuarios::insertar(c, &p.id, fila)?;
        Ok(p.id)
    })
}
