//! The audit log: every event recorded on the tenant's invoices, by user, type, invoice and
//! day — what an auditor asks ("what did this user change last week"). Read only: events are
//! never edited (the database refuses it).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::hoja::{self, Celda, Hoja};
use super::{Actor, AppError, Lista, Pagina};
use crate::db::{self, Db};
use crate::domain::rol::Rol;

/// Who reads the audit log.
const LECTORES: &[Rol] = &[Rol::Auditor, Rol::Admin];

/// At most this many events in a workbook.
const FILAS_XLSX: i64 = 200_000;

/// `?usuario_id=&tipo=&factura_id=&desde=&hasta=&page=&per_page=&formato=`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct ConsultaEventos {
    /// Events recorded by this user.
    pub usuario_id: Option<String>,
    /// An event type, e.g. `glosa_respondida`.
    pub tipo: Option<String>,
    pub factura_id: Option<String>,
    /// Recorded on or after this Bogotá day.
    pub desde: Option<NaiveDate>,
    /// Recorded on or before this Bogotá day.
    pub hasta: Option<NaiveDate>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
    /// `xlsx` for a workbook of every event that matches.
    pub formato: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EventoAuditado {
    pub id: String,
    pub tipo: String,
    pub factura_id: String,
    pub numero_factura: String,
    /// The civil date the fact happened on, as the user stated it.
    pub fecha: NaiveDate,
    /// When the server recorded it.
    pub registrado_en: chrono::DateTime<chrono::Utc>,
    pub usuario_id: String,
    /// The e-mail of who recorded it.
    pub usuario: String,
    /// What changed, as recorded.
    #[schema(value_type = Object)]
    pub datos: serde_json::Value,
}

/// The events that match, the last recorded first; `todas` gives every match (a workbook).
pub fn listar(db: &Db, actor: &Actor, q: &ConsultaEventos, todas: bool) -> Result<Lista<EventoAuditado>, AppError> {
    actor.exigir(LECTORES, "consultar el registro de auditoría")?;
    let pagina = Pagina::new(q.page, q.per_page)?;
    let f = db::eventos::Filtro {
        actor_id: q.usuario_id.clone(),
        tipo: q.tipo.clone(),
        factura_id: q.factura_id.clone(),
        desde: q.desde,
        hasta: q.hasta,
    };
    let (offset, limit) = pagina.rango(todas, FILAS_XLSX);
    let (filas, total) =
        db.read(|c| Ok::<_, AppError>(db::eventos::listar(c, &actor.prestador_id, &f, offset, limit)?))?;
    let items = filas
        .into_iter()
        .map(|x| EventoAuditado {
            datos: serde_json::from_str(&x.evento.datos).unwrap_or(serde_json::Value::Null),
            id: x.evento.id,
            tipo: x.evento.tipo,
            factura_id: x.evento.factura_id,
            numero_factura: x.numero_factura,
            fecha: x.evento.fecha,
            registrado_en: x.evento.registrado_en.and_utc(),
            usuario_id: x.evento.actor_id,
            usuario: x.usuario,
        })
        .collect();
    Ok(Lista { items, total })
}

/// The users of the tenant as the log names them (id, e-mail), to filter the log by one.
pub fn usuarios(db: &Db, actor: &Actor) -> Result<Vec<(String, String)>, AppError> {
    actor.exigir(LECTORES, "consultar el registro de auditoría")?;
    let (filas, _) =
        db.read(|c| Ok::<_, AppError>(db::usuarios::listar(c, &actor.prestador_id, 0, Pagina::MAXIMO)?))?;
    Ok(filas.into_iter().map(|u| (u.id, u.email)).collect())
}

/// The log as a workbook, times in Bogotá.
pub fn xlsx(l: &Lista<EventoAuditado>) -> Result<Vec<u8>, AppError> {
    let filas = l
        .items
        .iter()
        .map(|e| {
            vec![
                hoja::hora_bogota(e.registrado_en).into(),
                e.usuario.as_str().into(),
                e.tipo.as_str().into(),
                e.numero_factura.as_str().into(),
                Celda::Fecha(e.fecha),
                e.datos.to_string().into(),
            ]
        })
        .collect();
    hoja::libro(&[Hoja {
        nombre: "Auditoría".into(),
        encabezado: vec![("Eventos".into(), l.total.to_string())],
        columnas: vec![
            ("Registrado (Bogotá)", 18.0),
            ("Usuario", 30.0),
            ("Evento", 24.0),
            ("Factura", 16.0),
            ("Fecha del hecho", 14.0),
            ("Detalle", 80.0),
        ],
        filas,
    }])
}
