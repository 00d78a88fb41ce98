//! The payer's window: a user of role `pagador` belongs to one payer of one prestador and sees
//! only that payer's invoices, trazabilidad and statement of account, and announces payments
//! (`anuncios`). Everything here is scoped by the user's payer as read from the database on
//! each request, never by an id the client sends.

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::facturas::{ConsultaFacturas, FacturaEnLista, FacturaVista};
use super::trazabilidad::Trazabilidad;
use super::{Actor, AppError, Lista};
use crate::db::{self, pagadores::Pagador, AnyConnection, Db};
use crate::domain::rol::Rol;
use crate::domain::terminos::Terminos;

/// The payer whose window `actor` sees; 403 for any other role.
pub fn pagador_de(c: &mut AnyConnection, actor: &Actor) -> Result<Pagador, AppError> {
    actor.exigir(&[Rol::Pagador], "usar la ventana del pagador")?;
    let id = db::usuarios::por_id(c, &actor.prestador_id, &actor.usuario_id)?
        .and_then(|u| u.pagador_id)
        .ok_or_else(|| AppError::Forbidden("este usuario no pertenece a un pagador".into()))?;
    super::pagadores::buscar(c, &actor.prestador_id, &id)
}

/// Who the window's user is, and of whom.
#[derive(Debug, Serialize, ToSchema)]
pub struct Ventana {
    pub pagador_id: String,
    pub pagador: String,
    pub nit: String,
    pub prestador: String,
    pub prestador_nit: String,
}

pub fn ventana(db: &Db, actor: &Actor) -> Result<Ventana, AppError> {
    db.read(|c| {
        let p = pagador_de(c, actor)?;
        let yo = db::prestadores::por_id(c, &actor.prestador_id)?
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("prestador {} sin fila", actor.prestador_id)))?;
        Ok(Ventana {
            pagador_id: p.id,
            pagador: p.nombre,
            nit: p.nit,
            prestador: yo.nombre,
            prestador_nit: yo.nit,
        })
    })
}

/// The payer's invoices, with the filters of the prestador's list (its own payer forced).
pub fn facturas(
    db: &Db,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    mut q: ConsultaFacturas,
    todas: bool,
) -> Result<Lista<FacturaEnLista>, AppError> {
    let p = db.read(|c| pagador_de(c, actor))?;
    q.pagador_id = Some(p.id);
    super::facturas::listar(db, t, hoy, actor, q, todas)
}

/// One invoice of the payer with its trazabilidad, as the payer may see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct FacturaDelPagador {
    pub factura: FacturaVista,
    pub trazabilidad: Trazabilidad,
}

/// The prestador's own management of its collection (calls, stages, write-offs, provisions,
/// edits and packages before radicación) is not the payer's to read.
fn interno(tipo: &str) -> bool {
    tipo.contains("castig")
        || tipo.contains("provision")
        || matches!(
            tipo,
            "gestion_cobro" | "etapa_cobro" | "factura_modificada" | "paquete_generado"
        )
}

/// One of the payer's invoices; another payer's (or another prestador's) is a 404, so the
/// window does not tell which invoices exist elsewhere.
pub fn factura(db: &Db, t: &Terminos, hoy: NaiveDate, actor: &Actor, id: &str) -> Result<FacturaDelPagador, AppError> {
    let p = db.read(|c| pagador_de(c, actor))?;
    let factura = match super::facturas::obtener(db, t, hoy, actor, id) {
        Ok(f) if f.pagador_id == p.id => f,
        Ok(_) | Err(AppError::NotFound(_)) => return Err(AppError::not_found("una factura de su entidad")),
        Err(e) => return Err(e),
    };
    let mut trazabilidad = super::trazabilidad::construir(db, t, hoy, actor, id)?;
    trazabilidad.eventos.retain(|e| !interno(&e.tipo));
    // Who at the prestador did it is the prestador's to know (a payer's user records no event
    // of an invoice: its announcements become payments recorded by cartera).
    for e in trazabilidad.eventos.iter_mut() {
        if e.actor != "regla" {
            e.actor = "prestador".into();
        }
        // Why the prestador radicated without every soporte is its own business.
        if let Some(d) = e.detalle.as_object_mut() {
            d.remove("excepcion");
            if let Some(p) = d.get_mut("paquete").and_then(|p| p.as_object_mut()) {
                p.remove("excepcion");
            }
        }
    }
    Ok(FacturaDelPagador { factura, trazabilidad })
}

/// The payer's statement of account at `hoy` (the same workbook the prestador sends by e-mail):
/// its file name and bytes.
pub fn estado_de_cuenta(db: &Db, t: &Terminos, hoy: NaiveDate, actor: &Actor) -> Result<(String, Vec<u8>), AppError> {
    let (prestador, pagador, facturas) = db.read(|c| {
        let pagador = pagador_de(c, actor)?;
        let prestador = db::prestadores::por_id(c, &actor.prestador_id)?
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("prestador sin fila")))?;
        let facturas = super::recordatorios::deuda_al_dia(c, &t.reglas, &actor.prestador_id, &pagador.id, hoy)?;
        let pagos = super::recordatorios::pagos_recibidos(c, &actor.prestador_id, &pagador.id, hoy)?;
        Ok::<_, AppError>((prestador, pagador, (facturas, pagos)))
    })?;
    let (facturas, pagos) = facturas;
    let libro = super::recordatorios::estado_de_cuenta(
        &prestador.nombre,
        &pagador.nombre,
        &pagador.nit,
        hoy,
        &facturas,
        &pagos,
    )?;
    Ok((format!("estado-de-cuenta-{}-{hoy}.xlsx", pagador.nit), libro))
}
