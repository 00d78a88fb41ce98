//! The configuration Trazo runs with, for those who oversee it: the legal terms in force
//! (`config/terminos.toml` or the deployment's own file) and the payer sheet profiles
//! (`config/payers/`). Read only: both change by editing their files.

use trazo_importers::sheets::Perfil;

use super::{Actor, AppError};
use crate::domain::rol::Rol;
use crate::domain::terminos::Terminos;

/// Who reads the configuration: the administrator, and the auditor who checks it.
const LECTORES: &[Rol] = &[Rol::Admin, Rol::Auditor];

/// The legal terms in force, with their sources.
pub fn terminos<'a>(actor: &Actor, t: &'a Terminos) -> Result<&'a Terminos, AppError> {
    actor.exigir(LECTORES, "ver los términos legales configurados")?;
    Ok(t)
}

/// The payer sheet profiles in use.
pub fn perfiles<'a>(actor: &Actor, p: &'a [Perfil]) -> Result<&'a [Perfil], AppError> {
    actor.exigir(LECTORES, "ver los perfiles de hojas de los pagadores")?;
    Ok(p)
}
