//! Use cases: one function per thing a user does, each in one transaction, each taking the
//! acting user so that tenant and role are never forgotten.

pub mod actas;
pub mod anuncios;
pub mod asientos;
pub mod auditoria;
pub mod auth;
pub mod bancos;
pub mod cartera;
pub mod chequeo;
pub mod ciclo;
pub mod cobro;
pub mod configuracion;
pub mod contratos;
pub mod correcciones;
pub mod demo;
pub mod devoluciones;
pub mod estados_cuenta;
pub mod exacto;
pub mod facturas;
pub mod glosas;
pub mod hoja;
pub mod importaciones;
pub mod notas;
pub mod numeros;
pub mod pagadores;
pub mod pagos;
pub mod paquetes;
pub mod plazos;
pub mod portal;
pub mod prestadores;
pub mod radicaciones;
pub mod recordatorios;
pub mod reportes;
pub mod segmentacion;
pub mod sesiones;
pub mod soportes;
pub mod trabajo;
pub mod trazabilidad;
pub mod usuarios;

use crate::domain::rol::Rol;
use crate::domain::Violation;

/// Who is acting: the authenticated user, their prestador (the tenant) and role.
#[derive(Debug, Clone)]
pub struct Actor {
    pub usuario_id: String,
    pub prestador_id: String,
    pub rol: Rol,
}

impl Actor {
    /// Refuses the action unless the actor has one of `roles`.
    pub fn exigir(&self, roles: &[Rol], accion: &str) -> Result<(), AppError> {
        if roles.contains(&self.rol) {
            Ok(())
        } else {
            let quien: Vec<_> = roles.iter().map(|r| r.as_str()).collect();
            Err(AppError::Forbidden(format!(
                "el rol '{}' no puede {accion}; pueden hacerlo: {}",
                self.rol,
                quien.join(", ")
            )))
        }
    }
}

/// Every failure a use case can report, each mapped to one HTTP status by the API (failures
/// of HTTP itself — a malformed body, a body too large, logins too fast — are `api::error`'s).
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("los datos enviados tienen errores")]
    Invalid(Vec<Violation>),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    /// An upload whose content would exceed the server's limits once opened (a zip bomb).
    #[error("{0}")]
    Excedido(String),
    /// A file whose content is not of a kind the action takes (an executable as a soporte).
    #[error("{0}")]
    NoAdmitido(String),
    /// Something the deployment has not configured (a mail server).
    #[error("{0}")]
    NoDisponible(String),
    /// The database could not serve the request now (every connection busy, or the server
    /// down): the same request may succeed in a moment.
    #[error("el servicio está ocupado; intente de nuevo en unos segundos")]
    Ocupado(String),
    /// The mail server refused or did not answer.
    #[error("{0}")]
    Correo(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    pub fn not_found(que: &str) -> AppError {
        AppError::NotFound(format!("no existe {que} con ese id en su prestador"))
    }

    pub fn invalid(path: &str, message: impl Into<String>) -> AppError {
        AppError::Invalid(vec![Violation::new(path, message)])
    }
}

impl From<crate::db::Error> for AppError {
    fn from(e: crate::db::Error) -> AppError {
        match e {
            crate::db::Error::SinConexion(m) => AppError::Ocupado(m),
            crate::db::Error::Consulta(e) => e.into(),
        }
    }
}

/// How a write refused by a unique key begins: another writer recorded the same thing first.
pub const YA_EXISTE: &str = "ya existe un registro con esos datos";

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> AppError {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                AppError::Conflict(format!("{YA_EXISTE} ({})", info.message()))
            }
            other => AppError::Internal(anyhow::Error::new(other)),
        }
    }
}

/// Today's civil date in Colombia (America/Bogota is UTC−5 all year, without DST since 1993),
/// which is the date users and the law count terms in.
pub fn hoy_bogota() -> chrono::NaiveDate {
    chrono::Utc::now().with_timezone(&bogota()).date_naive()
}

/// Bogotá's offset: UTC−5 all year (Colombia keeps no daylight saving time).
pub fn bogota() -> chrono::FixedOffset {
    chrono::FixedOffset::west_opt(5 * 3600).expect("valid offset")
}

/// Facts are recorded when they happened, never ahead: a date after today is a typing error,
/// and so is one before [`crate::domain::FECHA_MINIMA`].
pub fn no_futura(path: &str, fecha: chrono::NaiveDate, hoy: chrono::NaiveDate) -> Result<(), AppError> {
    if let Some(m) = crate::domain::antes_de_lo_posible(fecha) {
        return Err(AppError::invalid(path, m));
    }
    if fecha > hoy {
        return Err(AppError::invalid(
            path,
            format!("la fecha {fecha} es posterior a hoy ({hoy})"),
        ));
    }
    Ok(())
}

/// Runs `f` in one write transaction. With `guardar`, commits what it wrote; without, rolls
/// it back after every check and write ran as if it were saved, and returns what it would have
/// given: what a form shows before the user saves it (a glosa's or a devolución's due date).
pub(crate) fn ensayar<T>(
    db: &crate::db::Db,
    guardar: bool,
    f: impl FnOnce(&mut crate::db::AnyConnection) -> Result<T, AppError>,
) -> Result<T, AppError> {
    /// Why the transaction did not commit: an error, or a review that writes nothing.
    enum Ensayo<T> {
        Error(AppError),
        Revisado(Box<T>),
    }
    impl<T> From<crate::db::Error> for Ensayo<T> {
        fn from(e: crate::db::Error) -> Self {
            Ensayo::Error(e.into())
        }
    }
    impl<T> From<diesel::result::Error> for Ensayo<T> {
        fn from(e: diesel::result::Error) -> Self {
            Ensayo::Error(e.into())
        }
    }
    let r = db.write(|c| match f(c) {
        Ok(v) if guardar => Ok(v),
        Ok(v) => Err(Ensayo::Revisado(Box::new(v))),
        Err(e) => Err(Ensayo::Error(e)),
    });
    match r {
        Ok(v) => Ok(v),
        Err(Ensayo::Revisado(v)) => Ok(*v),
        Err(Ensayo::Error(e)) => Err(e),
    }
}

/// Page of a list as the API returns it.
#[derive(Debug, Clone, Copy)]
pub struct Pagina {
    pub page: i64,
    pub per_page: i64,
}

impl Pagina {
    pub const POR_DEFECTO: i64 = 50;
    pub const MAXIMO: i64 = 500;
    /// The last page one may ask for: beyond it the offset would overflow, and no list of
    /// the sector is that long.
    pub const ULTIMA: i64 = 10_000_000;

    pub fn new(page: Option<i64>, per_page: Option<i64>) -> Result<Pagina, AppError> {
        let page = page.unwrap_or(1);
        let per_page = per_page.unwrap_or(Self::POR_DEFECTO);
        if !(1..=Self::ULTIMA).contains(&page) {
            return Err(AppError::invalid(
                "page",
                format!("se espera una página entre 1 y {}; llegó {page}", Self::ULTIMA),
            ));
        }
        if !(1..=Self::MAXIMO).contains(&per_page) {
            return Err(AppError::invalid(
                "per_page",
                format!("se esperan entre 1 y {} por página", Self::MAXIMO),
            ));
        }
        Ok(Pagina { page, per_page })
    }

    pub fn offset(&self) -> i64 {
        (self.page - 1) * self.per_page
    }

    /// (offset, limit) of the rows to read: this page, or for a workbook (`todas`) every row
    /// from the first, at most `maximo`.
    pub fn rango(&self, todas: bool, maximo: i64) -> (i64, i64) {
        if todas {
            (0, maximo)
        } else {
            (self.offset(), self.per_page)
        }
    }
}

/// A page of results and how many there are in all.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Lista<T> {
    pub items: Vec<T>,
    pub total: i64,
}

/// The schema of a decimal a client sends (an amount in pesos, a quantity): text
/// (`"1500000.50"`) or a JSON number (`1500000.50`), both read exactly (`api/json.rs`: serde_json
/// keeps the number's digits, so it never passes through a float). Answers always write
/// decimals as text.
pub struct DecimalExacto;

impl utoipa::PartialSchema for DecimalExacto {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Type};
        OneOfBuilder::new()
            .item(ObjectBuilder::new().schema_type(Type::String))
            .item(ObjectBuilder::new().schema_type(Type::Number))
            .description(Some(
                "Decimal con punto, como texto (\"1500000.50\", recomendado) o como número JSON \
                 (1500000.50); se lee exacto",
            ))
            .into()
    }
}

impl utoipa::ToSchema for DecimalExacto {}
