//! Cartera reports (aging, indicators, glosas, segmentation) and the reconciliation with a
//! payer's statement of account. JSON, or XLSX with `?formato=xlsx`.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::IntoParams;

use super::error::ApiError;
use super::error::Problema;
use super::importaciones::{cuerpo, nombre};
use super::reportes::{quiere_xlsx, xlsx, FormatoQuery};
use super::{blocking, AppState, PaginaQuery};
use crate::app::cartera::{self, Cartera, Filtros, ReporteGlosas, ReporteIndicadores, SaldoFactura};
use crate::app::estados_cuenta::{self, Conciliacion, ConsultaEstadosCuenta, EstadoCuentaRecibido};
use crate::app::segmentacion::{segmentar, Segmento};
use crate::app::{Actor, Lista};

#[derive(Debug, Deserialize, IntoParams)]
pub struct CarteraQuery {
    /// Cut-off date (default today).
    pub corte: Option<NaiveDate>,
    /// `pagador` (default) or `factura`.
    pub por: Option<String>,
    /// Age counted since `radicacion` (default; expedición for what was not radicated) or `expedicion`.
    pub base: Option<String>,
    pub pagador_id: Option<String>,
    /// Payer type (`eps_contributivo`, `adres`, ...).
    pub tipo: Option<String>,
    pub contrato_id: Option<String>,
    /// `xlsx` for a workbook.
    pub formato: Option<String>,
    /// With `por=factura`: from 1.
    pub page: Option<i64>,
    /// With `por=factura`: default 50, at most 500 (a workbook has every invoice).
    pub per_page: Option<i64>,
}

fn filtros(pagador_id: &Option<String>, tipo: &Option<String>, contrato_id: &Option<String>) -> Filtros {
    Filtros {
        pagador_id: pagador_id.clone(),
        tipo: tipo.clone(),
        contrato_id: contrato_id.clone(),
    }
}

/// What `GET /reportes/cartera` answers: by payer, or invoice by invoice with `por=factura`.
#[derive(serde::Serialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum CarteraPor {
    Pagador(Cartera),
    Factura(Lista<SaldoFactura>),
}

/// Cartera por edades at a cut-off (0–30, 31–60, 61–90, 91–180, 181–360, >360 days): by payer
/// with totals, overdue and not radicated, or invoice by invoice (`por=factura`).
#[utoipa::path(tag = "cartera", params(CarteraQuery), security(("bearer" = [])),
    responses((status = 200, body = CarteraPor), (status = 403, body = Problema), (status = 422, body = Problema)))]
#[get("/reportes/cartera")]
pub async fn edades(
    state: web::Data<AppState>,
    actor: Actor,
    q: super::query::Query<CarteraQuery>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let q = q.into_inner();
    let en_xlsx = quiere_xlsx(q.formato.as_deref(), &req)?;
    let base = cartera::base(q.base.as_deref())?;
    let corte = q.corte.unwrap_or(state.hoy());
    let f = filtros(&q.pagador_id, &q.tipo, &q.contrato_id);
    match q.por.as_deref().unwrap_or("pagador") {
        "pagador" => {
            let r = blocking(move || cartera::por_pagador(&state.db, &state.terminos, &actor, corte, base, &f)).await?;
            if en_xlsx {
                return Ok(xlsx(&format!("cartera-{corte}.xlsx"), cartera::xlsx_por_pagador(&r)?));
            }
            Ok(HttpResponse::Ok().json(r))
        }
        "factura" => {
            let pagina = if en_xlsx {
                None
            } else {
                Some(
                    PaginaQuery {
                        page: q.page,
                        per_page: q.per_page,
                    }
                    .pagina()?,
                )
            };
            let l: Lista<SaldoFactura> =
                blocking(move || cartera::por_factura(&state.db, &state.terminos, &actor, corte, base, &f, pagina))
                    .await?;
            if en_xlsx {
                return Ok(xlsx(
                    &format!("cartera-facturas-{corte}.xlsx"),
                    cartera::xlsx_por_factura(corte, base, &l)?,
                ));
            }
            Ok(HttpResponse::Ok().json(l))
        }
        p => Err(ApiError::invalid(
            "por",
            format!("'{p}' no es una agrupación; se espera pagador o factura"),
        )),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct PeriodoQuery {
    /// First day of the period (default: the first of this month).
    pub desde: Option<NaiveDate>,
    /// Last day of the period (default today).
    pub hasta: Option<NaiveDate>,
    pub pagador_id: Option<String>,
    pub tipo: Option<String>,
    pub contrato_id: Option<String>,
    /// For glosas: `codigo` (default), `servicio` or `pagador`.
    pub por: Option<String>,
    pub formato: Option<String>,
}

fn periodo(q: &PeriodoQuery, hoy: NaiveDate) -> (NaiveDate, NaiveDate) {
    use chrono::Datelike;
    let hasta = q.hasta.unwrap_or(hoy);
    (q.desde.unwrap_or(hasta.with_day(1).unwrap_or(hasta)), hasta)
}

/// Indicators per payer over a period: facturado, radicado, glosado (% of radicado), glosa
/// accepted and lifted (recovery %), pagado, cartera at the start and the end, DSO, rotación,
/// CEI, % vencida and the mora interest owed.
#[utoipa::path(tag = "cartera", params(PeriodoQuery), security(("bearer" = [])),
    responses((status = 200, body = ReporteIndicadores), (status = 403, body = Problema), (status = 422, body = Problema)))]
#[get("/reportes/indicadores")]
pub async fn indicadores(
    state: web::Data<AppState>,
    actor: Actor,
    q: super::query::Query<PeriodoQuery>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let en_xlsx = quiere_xlsx(q.formato.as_deref(), &req)?;
    let hoy = state.hoy();
    let (desde, hasta) = periodo(&q, hoy);
    let f = filtros(&q.pagador_id, &q.tipo, &q.contrato_id);
    let r = blocking(move || {
        cartera::indicadores(
            &state.db,
            &state.terminos,
            &state.cobro.tasas_mora,
            &actor,
            desde,
            hasta,
            hoy,
            &f,
        )
    })
    .await?;
    if en_xlsx {
        return Ok(xlsx(
            &format!("indicadores-{desde}-{hasta}.xlsx"),
            cartera::xlsx_indicadores(&r)?,
        ));
    }
    Ok(HttpResponse::Ok().json(r))
}

/// Glosas received in a period by code, service or payer: glosado, accepted, lifted, lost,
/// still in dispute, and the top causes of loss.
#[utoipa::path(tag = "cartera", params(PeriodoQuery), security(("bearer" = [])),
    responses((status = 200, body = ReporteGlosas), (status = 403, body = Problema), (status = 422, body = Problema)))]
#[get("/reportes/glosas")]
pub async fn glosas(
    state: web::Data<AppState>,
    actor: Actor,
    q: super::query::Query<PeriodoQuery>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let en_xlsx = quiere_xlsx(q.formato.as_deref(), &req)?;
    let por = cartera::agrupar(q.por.as_deref())?;
    let hoy = state.hoy();
    let (desde, hasta) = periodo(&q, hoy);
    let f = filtros(&q.pagador_id, &q.tipo, &q.contrato_id);
    let r = blocking(move || cartera::glosas(&state.db, &state.terminos, &actor, por, desde, hasta, hoy, &f)).await?;
    if en_xlsx {
        return Ok(xlsx(&format!("glosas-{desde}-{hasta}.xlsx"), cartera::xlsx_glosas(&r)?));
    }
    Ok(HttpResponse::Ok().json(r))
}

/// Payers ranked by risk (days to pay, % glosa, broken agreements, overdue debt), with reasons.
#[utoipa::path(tag = "cartera", security(("bearer" = [])), responses((status = 200, body = Lista<Segmento>), (status = 403, body = Problema)))]
#[get("/reportes/segmentacion")]
pub async fn segmentacion(state: web::Data<AppState>, actor: Actor) -> Result<HttpResponse, ApiError> {
    let hoy = state.hoy();
    let r = blocking(move || segmentar(&state.db, &state.terminos, &actor, hoy)).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "total": r.len(), "items": r })))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct EstadoCuentaQuery {
    /// The statement's cut-off date.
    pub corte: NaiveDate,
    /// Sheet profile (`generico` when absent): its `[estados_cuenta]` columns.
    pub perfil: Option<String>,
    /// The file's name (also from `Content-Disposition`).
    pub archivo: Option<String>,
}

/// Receives a payer's statement of account (xlsx, xls, ods or csv) and returns the
/// reconciliation with the books at its cut-off. The same file again changes nothing.
#[utoipa::path(tag = "cartera", params(EstadoCuentaQuery), request_body(content = Vec<u8>, content_type = "*/*", description = "The statement as it came (xlsx, xls, ods or csv); its Content-Type is not read"),
    security(("bearer" = [])),
    responses((status = 201, body = Conciliacion), (status = 200, description = "The same file had been received", body = Conciliacion),
        (status = 413, body = Problema), (status = 422, body = Problema), (status = 403, body = Problema), (status = 404, body = Problema)))]
#[post("/pagadores/{id}/estados-cuenta")]
pub async fn recibir_estado(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
    q: super::query::Query<EstadoCuentaQuery>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let q = q.into_inner();
    crate::app::importaciones::perfil(&state.perfiles, q.perfil.as_deref())?;
    let bytes = cuerpo(payload, &req, state.importaciones.max_bytes).await?;
    if bytes.is_empty() {
        return Err(ApiError::invalid(
            "(cuerpo)",
            "el cuerpo está vacío: envíe el estado de cuenta",
        ));
    }
    let archivo = nombre(q.archivo.as_deref(), &req);
    let r = blocking(move || {
        let perfil = crate::app::importaciones::perfil(&state.perfiles, q.perfil.as_deref())?;
        // What the sheet describes, before calamine builds it (the limits of imports).
        trazo_importers::limites::revisar(&archivo, &bytes, &state.importaciones.limites).map_err(|e| match e {
            trazo_importers::archivo::ErrorArchivo::Limite(e) | trazo_importers::archivo::ErrorArchivo::Formato(e) => {
                crate::app::AppError::Excedido(e.to_string())
            }
        })?;
        estados_cuenta::recibir(
            &state.db,
            perfil,
            &state.terminos.reglas,
            &actor,
            state.hoy(),
            &id,
            q.corte,
            &archivo,
            &bytes,
        )
    })
    .await?;
    if r.duplicado {
        return Ok(HttpResponse::Ok().json(r));
    }
    Ok(super::created(format!("/api/v1/estados-cuenta/{}", r.id), r))
}

/// The reconciliation of a statement received, as the books stand now (`?formato=xlsx`: the
/// side-by-side workbook with a summary by cause).
#[utoipa::path(tag = "cartera", params(FormatoQuery), security(("bearer" = [])),
    responses((status = 200, body = Conciliacion), (status = 404, body = Problema), (status = 403, body = Problema)))]
#[get("/estados-cuenta/{id}")]
pub async fn conciliacion(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<String>,
    q: super::query::Query<FormatoQuery>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let en_xlsx = quiere_xlsx(q.formato.as_deref(), &req)?;
    let (r, partes) = blocking(move || {
        let r = estados_cuenta::obtener(&state.db, &state.terminos.reglas, &actor, &id)?;
        let partes = estados_cuenta::partes(&state.db, &actor, &r.pagador_id)?;
        Ok((r, partes))
    })
    .await?;
    if en_xlsx {
        let (nit, nombre, nit_pagador) = partes;
        return Ok(xlsx(
            &format!("conciliacion-{nit_pagador}-{}.xlsx", r.corte),
            estados_cuenta::xlsx(&r, (&nit, &nombre), &nit_pagador)?,
        ));
    }
    Ok(HttpResponse::Ok().json(r))
}

/// The payers' statements of account received, the latest cut-off first: by payer and
/// cut-off; each with how many invoices it lists, what the payer says it owes and who
/// received it. `?formato=xlsx` gives every statement that matches.
#[utoipa::path(tag = "cartera", params(ConsultaEstadosCuenta), security(("bearer" = [])),
    responses((status = 200, body = Lista<EstadoCuentaRecibido>), (status = 400, body = Problema), (status = 403, body = Problema)))]
#[get("/estados-cuenta")]
pub async fn estados_recibidos(
    state: web::Data<AppState>,
    actor: Actor,
    q: super::query::Query<ConsultaEstadosCuenta>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let q = q.into_inner();
    let en_xlsx = quiere_xlsx(q.formato.as_deref(), &req)?;
    let l = blocking(move || estados_cuenta::listar(&state.db, &actor, &q, en_xlsx)).await?;
    if en_xlsx {
        return Ok(xlsx("estados-de-cuenta.xlsx", estados_cuenta::xlsx_recibidos(&l)?));
    }
    Ok(HttpResponse::Ok().json(l))
}

super::rutas!(
    edades,
    indicadores,
    glosas,
    segmentacion,
    recibir_estado,
    estados_recibidos,
    conciliacion
);
