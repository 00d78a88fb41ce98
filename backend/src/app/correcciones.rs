//! Corrections keep history. A record entered by mistake is voided (anulado) with a reason:
//! it leaves the live tables — so balances, lists, alerts and deadlines stop counting it —
//! and stays in `correcciones` as it was, with who voided it and why, while the invoice's
//! trazabilidad gets a reversal event after the original one. Plain data (an invoice before
//! radicación, a contract, a payer) is edited in place under an optimistic version, each edit
//! kept here with the record before and after.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::hoja::{self, Celda, Hoja};
use super::{Actor, AppError, Lista, Pagina};
use crate::db::{self, correcciones::Correccion, AnyConnection, Db};
use crate::domain::rol::Rol;

/// At most this many characters of reason.
const MOTIVO_MAX: usize = 1000;

/// At most this many corrections in a workbook.
const FILAS_XLSX: i64 = 200_000;

/// Who reads the corrections of the whole prestador.
const LECTORES: &[Rol] = &[Rol::Auditor, Rol::Admin];

/// Voiding a record entered by mistake.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Anulacion {
    /// Why it is voided; it stays in the trazabilidad.
    #[schema(example = "código equivocado: el pagador glosó FA0201, no FA9999")]
    pub motivo: String,
}

impl Anulacion {
    /// The reason, trimmed; 422 when empty or too long.
    pub fn motivo(&self) -> Result<String, AppError> {
        motivo(&self.motivo)
    }
}

pub fn motivo(m: &str) -> Result<String, AppError> {
    let m = m.trim();
    if m.is_empty() {
        return Err(AppError::invalid(
            "motivo",
            "se espera el motivo de la corrección (por qué se anula o se cambia); llegó vacío",
        ));
    }
    if m.chars().count() > MOTIVO_MAX {
        return Err(AppError::invalid(
            "motivo",
            format!("se espera un motivo de hasta {MOTIVO_MAX} caracteres"),
        ));
    }
    Ok(m.to_string())
}

/// The roles that record a thing, and admin: who may void it.
pub fn quienes_anulan(registran: &[Rol]) -> Vec<Rol> {
    let mut v = registran.to_vec();
    if !v.contains(&Rol::Admin) {
        v.push(Rol::Admin);
    }
    v
}

/// What is being corrected.
pub struct Que<'a> {
    pub entidad: &'a str,
    pub entidad_id: &'a str,
    pub factura_id: Option<&'a str>,
}

/// Keeps a voided record as it was, in the caller's transaction.
pub fn anulado(
    c: &mut AnyConnection,
    actor: &Actor,
    que: Que<'_>,
    motivo: &str,
    antes: &impl Serialize,
    fecha: NaiveDate,
) -> Result<(), AppError> {
    guardar(
        c,
        actor,
        db::correcciones::ANULACION,
        que,
        motivo,
        antes,
        None::<&()>,
        fecha,
    )
}

/// Keeps an edit with the record before and after, in the caller's transaction.
pub fn modificado(
    c: &mut AnyConnection,
    actor: &Actor,
    que: Que<'_>,
    motivo: &str,
    antes: &impl Serialize,
    despues: &impl Serialize,
    fecha: NaiveDate,
) -> Result<(), AppError> {
    guardar(
        c,
        actor,
        db::correcciones::MODIFICACION,
        que,
        motivo,
        antes,
        Some(despues),
        fecha,
    )
}

#[allow(clippy::too_many_arguments)]
fn guardar<A: Serialize + ?Sized, D: Serialize + ?Sized>(
    c: &mut AnyConnection,
    actor: &Actor,
    accion: &str,
    que: Que<'_>,
    motivo: &str,
    antes: &A,
    despues: Option<&D>,
    fecha: NaiveDate,
) -> Result<(), AppError> {
    let json = |v: Result<String, serde_json::Error>| v.map_err(|e| AppError::Internal(e.into()));
    db::correcciones::insertar(
        c,
        &[Correccion {
            id: db::new_id(),
            prestador_id: actor.prestador_id.clone(),
            accion: accion.to_string(),
            entidad: que.entidad.to_string(),
            entidad_id: que.entidad_id.to_string(),
            factura_id: que.factura_id.map(str::to_string),
            motivo: motivo.to_string(),
            antes: json(serde_json::to_string(antes))?,
            despues: despues.map(|d| json(serde_json::to_string(d))).transpose()?,
            actor_id: actor.usuario_id.clone(),
            fecha,
            registrado_en: db::now(),
        }],
    )?;
    Ok(())
}

/// A record that is gone from its table: 404 that says when, by whom and why it was voided,
/// or the plain 404 when it never existed.
pub fn no_existe(c: &mut AnyConnection, actor: &Actor, id: &str, que: &str) -> AppError {
    match db::correcciones::anulacion_de(c, &actor.prestador_id, id) {
        Ok(Some(x)) => {
            let quien = db::usuarios::correos(c, &actor.prestador_id, &[x.actor_id.as_str()])
                .ok()
                .and_then(|m| m.get(&x.actor_id).cloned())
                .unwrap_or_default();
            AppError::NotFound(format!("{que} fue anulada el {} por {quien}: {}", x.fecha, x.motivo))
        }
        _ => AppError::not_found(que),
    }
}

/// `?usuario_id=&accion=&entidad=&entidad_id=&factura_id=&desde=&hasta=&page=&per_page=&formato=`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct ConsultaCorrecciones {
    /// Corrections made by this user.
    pub usuario_id: Option<String>,
    /// `anulacion` or `modificacion`.
    pub accion: Option<String>,
    /// `glosa`, `respuesta_glosa`, `decision_glosa`, `devolucion`, `respuesta_devolucion`,
    /// `decision_devolucion`, `radicacion`, `pago`, `aplicacion`, `factura`, `contrato`, `pagador`.
    pub entidad: Option<String>,
    /// The id of the corrected record.
    pub entidad_id: Option<String>,
    pub factura_id: Option<String>,
    /// Recorded on or after this Bogotá day.
    pub desde: Option<NaiveDate>,
    /// Recorded on or before this Bogotá day.
    pub hasta: Option<NaiveDate>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
    /// `xlsx` for a workbook of every correction that matches.
    pub formato: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CorreccionVista {
    pub id: String,
    /// `anulacion` or `modificacion`.
    pub accion: String,
    pub entidad: String,
    pub entidad_id: String,
    pub factura_id: Option<String>,
    pub motivo: String,
    /// The record as it was.
    #[schema(value_type = Object)]
    pub antes: serde_json::Value,
    /// The record after an edit; none for a voiding.
    #[schema(value_type = Option<Object>)]
    pub despues: Option<serde_json::Value>,
    /// The Bogotá day of the correction.
    pub fecha: NaiveDate,
    pub registrado_en: chrono::DateTime<chrono::Utc>,
    pub usuario_id: String,
    /// The e-mail of who made it.
    pub usuario: String,
}

/// The corrections that match, the last first; `todas` gives every match (a workbook).
/// Auditors and admins see the whole prestador's.
pub fn listar(
    db: &Db,
    actor: &Actor,
    q: &ConsultaCorrecciones,
    todas: bool,
) -> Result<Lista<CorreccionVista>, AppError> {
    actor.exigir(LECTORES, "consultar las correcciones")?;
    let validas = [db::correcciones::ANULACION, db::correcciones::MODIFICACION];
    if let Some(v) = q.accion.as_deref().filter(|v| !validas.contains(v)) {
        return Err(AppError::invalid(
            "accion",
            format!("se espera uno de: {}; llegó '{v}'", validas.join(", ")),
        ));
    }
    let pagina = Pagina::new(q.page, q.per_page)?;
    let (offset, limit) = pagina.rango(todas, FILAS_XLSX);
    db.read(|c| buscar(c, actor, q, offset, limit))
}

/// The last correction that matches, for whoever just made it.
pub fn ultima(c: &mut AnyConnection, actor: &Actor, q: &ConsultaCorrecciones) -> Result<CorreccionVista, AppError> {
    buscar(c, actor, q, 0, 1)?
        .items
        .pop()
        .ok_or_else(|| AppError::not_found("una corrección"))
}

fn buscar(
    c: &mut AnyConnection,
    actor: &Actor,
    q: &ConsultaCorrecciones,
    offset: i64,
    limit: i64,
) -> Result<Lista<CorreccionVista>, AppError> {
    let f = db::correcciones::Filtro {
        actor_id: q.usuario_id.clone(),
        accion: q.accion.clone(),
        entidad: q.entidad.clone(),
        entidad_id: q.entidad_id.clone(),
        factura_id: q.factura_id.clone(),
        desde: q.desde,
        hasta: q.hasta,
    };
    let (filas, total) = db::correcciones::listar(c, &actor.prestador_id, &f, offset, limit)?;
    let ids: Vec<&str> = filas.iter().map(|x| x.actor_id.as_str()).collect();
    let correos = db::usuarios::correos(c, &actor.prestador_id, &ids)?;
    let leer = |s: &str| serde_json::from_str(s).unwrap_or(serde_json::Value::Null);
    Ok(Lista {
        items: filas
            .into_iter()
            .map(|x| CorreccionVista {
                usuario: correos.get(&x.actor_id).cloned().unwrap_or_default(),
                antes: leer(&x.antes),
                despues: x.despues.as_deref().map(leer),
                id: x.id,
                accion: x.accion,
                entidad: x.entidad,
                entidad_id: x.entidad_id,
                factura_id: x.factura_id,
                motivo: x.motivo,
                fecha: x.fecha,
                registrado_en: x.registrado_en.and_utc(),
                usuario_id: x.actor_id,
            })
            .collect(),
        total,
    })
}

/// The list as a workbook, one row per correction.
pub fn xlsx(l: &Lista<CorreccionVista>) -> Result<Vec<u8>, AppError> {
    let filas = l
        .items
        .iter()
        .map(|x| {
            vec![
                Celda::Texto(hoja::hora_bogota(x.registrado_en)),
                x.usuario.as_str().into(),
                x.accion.as_str().into(),
                x.entidad.as_str().into(),
                x.entidad_id.as_str().into(),
                x.motivo.as_str().into(),
                Celda::Texto(x.antes.to_string()),
                Celda::Texto(x.despues.as_ref().map(|d| d.to_string()).unwrap_or_default()),
            ]
        })
        .collect();
    hoja::libro(&[Hoja {
        nombre: "Correcciones".into(),
        encabezado: vec![("Correcciones".into(), l.total.to_string())],
        columnas: vec![
            ("Registrada (hora de Bogotá)", 20.0),
            ("Usuario", 28.0),
            ("Acción", 14.0),
            ("Qué", 20.0),
            ("Id", 28.0),
            ("Motivo", 40.0),
            ("Antes", 60.0),
            ("Después", 60.0),
        ],
        filas,
    }])
}
