//! Entries for the books of a period: JSON, CSV for a ledger's import, or XLSX.

use actix_web::{get, web, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::error::{ApiError, Problema};
use super::reportes::xlsx;
use super::{blocking, AppState};
use crate::app::asientos::{self as uso, Asientos};
use crate::app::Actor;

/// What the entries are answered as.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum FormatoAsientos {
    #[default]
    Json,
    /// UTF-8 with BOM, `;` separated, values with a point (`1234567.89`).
    Csv,
    /// Sheets: Asientos, Totales (per account and concept), Conciliación.
    Xlsx,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct AsientosQuery {
    /// First day of the period, AAAA-MM-DD (default: the first of `hasta`'s month).
    pub desde: Option<NaiveDate>,
    /// Last day of the period, AAAA-MM-DD (default today).
    pub hasta: Option<NaiveDate>,
    /// `json` (default), `csv` or `xlsx`.
    #[param(inline)]
    pub formato: Option<FormatoAsientos>,
}

/// The period's facts that change what the payers owe, each a balanced double entry (débito =
/// crédito) with the accounts of `[contabilidad]`: invoices, notas débito and crédito,
/// anticipos, glosas accepted (also by silence), payments applied and their reversals,
/// castigos and recoveries. With the totals per concept and per account, and the
/// reconciliation of the receivable with the cartera report at `hasta`. Finance, cartera,
/// admin and auditor read it.
#[utoipa::path(tag = "reportes", params(AsientosQuery), security(("bearer" = [])),
    responses(
        (status = 200, description = "The entries (JSON), or as CSV or XLSX with `formato`",
            content((Asientos = "application/json"), (String = "text/csv"))),
        (status = 400, description = "A date cannot be read, or `desde` is after `hasta`: names the parameter", body = Problema),
        (status = 403, body = Problema)))]
#[get("/reportes/asientos")]
pub async fn asientos(
    state: web::Data<AppState>,
    actor: Actor,
    q: super::query::Query<AsientosQuery>,
) -> Result<HttpResponse, ApiError> {
    use chrono::Datelike;
    let hasta = q.hasta.unwrap_or(state.hoy());
    let desde = q.desde.unwrap_or(hasta.with_day(1).unwrap_or(hasta));
    // A period that ends before it starts is a query that cannot be read, like a bad date.
    uso::periodo(desde, hasta).map_err(ApiError::Malformed)?;
    let formato = q.formato.unwrap_or_default();
    let a =
        blocking(move || uso::consultar(&state.db, &state.terminos, &state.contabilidad, &actor, desde, hasta)).await?;
    let nombre = format!("asientos-{desde}-{hasta}");
    Ok(match formato {
        FormatoAsientos::Json => HttpResponse::Ok().json(a),
        FormatoAsientos::Xlsx => xlsx(&format!("{nombre}.xlsx"), uso::xlsx(&a)?),
        FormatoAsientos::Csv => HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header(("Content-Disposition", format!("attachment; filename=\"{nombre}.csv\"")))
            .body(uso::csv(&a)?),
    })
}

super::rutas!(asientos);
