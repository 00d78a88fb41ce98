//! Cartera › Asientos contables: choose a period, see the totals per concept and per account
//! and whether the receivable reconciles with the cartera report, and download the entries as
//! CSV (for the ledger's import) or XLSX. The same use case as `GET /api/v1/reportes/asientos`.

use actix_web::{web, HttpResponse};
use askama::Template;
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use super::cartera::fecha_de;
use super::formato::{fecha, pesos};
use super::sesion::{pagina, Usuario};
use super::url;
use super::{ErrorWeb, Marco};
use crate::api::AppState;
use crate::app::asientos::{self, Asientos};
use crate::app::AppError;

/// `?desde=&hasta=` as the form sends them (empty: the current month to today).
#[derive(Deserialize, Default, Clone)]
pub struct Periodo {
    #[serde(default)]
    pub desde: String,
    #[serde(default)]
    pub hasta: String,
}

impl Periodo {
    fn leer(&self, hoy: NaiveDate) -> Result<(NaiveDate, NaiveDate), AppError> {
        let hasta = fecha_de("hasta", &self.hasta)?.unwrap_or(hoy);
        let desde = fecha_de("desde", &self.desde)?.unwrap_or(hasta.with_day(1).unwrap_or(hasta));
        Ok((desde, hasta))
    }
}

pub struct FilaConcepto {
    pub nombre: String,
    pub asientos: i64,
    pub valor: String,
    pub reversos: String,
}

pub struct FilaCuenta {
    pub cuenta: String,
    pub concepto: String,
    pub debitos: String,
    pub creditos: String,
}

/// What the page shows of a period's entries.
pub struct Datos {
    pub periodo: String,
    pub asientos: usize,
    pub conceptos: Vec<FilaConcepto>,
    pub cuentas: Vec<FilaCuenta>,
    pub total: String,
    pub cuenta: String,
    pub corte_inicial: String,
    pub hasta: String,
    pub saldo_inicial: String,
    pub debitos: String,
    pub creditos: String,
    pub saldo_final: String,
    pub cartera: String,
    pub diferencia: String,
    pub cuadra: bool,
    pub csv: String,
    pub xlsx: String,
}

#[derive(Template)]
#[template(path = "asientos.html")]
struct PaginaAsientos {
    marco: Marco,
    desde: String,
    hasta: String,
    /// What is wrong with the period asked, shown next to the form with what was typed.
    error: Option<String>,
    datos: Option<Datos>,
}

async fn calcular(state: web::Data<AppState>, u: &Usuario, q: &Periodo) -> Result<Asientos, ErrorWeb> {
    let (desde, hasta) = q.leer(state.hoy()).map_err(Marco::fallo(u))?;
    let actor = u.sesion.actor.clone();
    web::block(move || asientos::consultar(&state.db, &state.terminos, &state.contabilidad, &actor, desde, hasta))
        .await?
        .map_err(Marco::fallo(u))
}

fn enlace(ruta: &str, a: &Asientos) -> String {
    url(
        ruta,
        &[("desde", &a.desde.to_string()), ("hasta", &a.hasta.to_string())],
    )
}

async fn ver(state: web::Data<AppState>, u: Usuario, q: web::Query<Periodo>) -> Result<HttpResponse, ErrorWeb> {
    let q = q.into_inner();
    let revisado = q.leer(state.hoy()).and_then(|(desde, hasta)| {
        asientos::periodo(desde, hasta)
            .map(|()| (desde, hasta))
            .map_err(|v| AppError::Invalid(vec![v]))
    });
    let (desde, hasta) = match revisado {
        Ok(p) => p,
        Err(AppError::Invalid(v)) => {
            let p = PaginaAsientos {
                marco: Marco::de(&u, "Asientos contables", "/cartera"),
                desde: q.desde.clone(),
                hasta: q.hasta.clone(),
                error: Some(v.iter().map(|x| x.message.clone()).collect::<Vec<_>>().join("; ")),
                datos: None,
            };
            return pagina(&u, &p);
        }
        Err(e) => return Err(Marco::fallo(&u)(e)),
    };
    let periodo = Periodo {
        desde: desde.to_string(),
        hasta: hasta.to_string(),
    };
    let a = calcular(state, &u, &periodo).await?;
    let k = &a.conciliacion;
    let datos = Datos {
        periodo: format!("del {} al {}", fecha(a.desde), fecha(a.hasta)),
        asientos: a.asientos.len(),
        conceptos: a
            .por_concepto
            .iter()
            .map(|c| FilaConcepto {
                nombre: c.nombre.clone(),
                asientos: c.asientos,
                valor: pesos(c.valor),
                reversos: pesos(c.reversos),
            })
            .collect(),
        cuentas: a
            .por_cuenta
            .iter()
            .map(|c| FilaCuenta {
                cuenta: c.cuenta.clone(),
                concepto: c.concepto.nombre().into(),
                debitos: pesos(c.debitos),
                creditos: pesos(c.creditos),
            })
            .collect(),
        total: pesos(a.total),
        cuenta: k.cuenta.clone(),
        corte_inicial: fecha(k.corte_inicial),
        hasta: fecha(a.hasta),
        saldo_inicial: pesos(k.saldo_inicial),
        debitos: pesos(k.debitos),
        creditos: pesos(k.creditos),
        saldo_final: pesos(k.saldo_final),
        cartera: pesos(k.cartera_al_corte),
        diferencia: pesos(k.diferencia),
        cuadra: k.cuadra,
        csv: enlace("/cartera/asientos.csv", &a),
        xlsx: enlace("/cartera/asientos.xlsx", &a),
    };
    let p = PaginaAsientos {
        marco: Marco::de(&u, "Asientos contables", "/cartera"),
        desde: periodo.desde,
        hasta: periodo.hasta,
        error: None,
        datos: Some(datos),
    };
    pagina(&u, &p)
}

fn descarga(tipo: &str, nombre: String, bytes: Vec<u8>) -> HttpResponse {
    let mut r = HttpResponse::Ok()
        .content_type(tipo)
        .insert_header(("Content-Disposition", format!("attachment; filename=\"{nombre}\"")))
        .body(bytes);
    super::cabeceras(r.headers_mut());
    r
}

async fn csv(state: web::Data<AppState>, u: Usuario, q: web::Query<Periodo>) -> Result<HttpResponse, ErrorWeb> {
    let a = calcular(state, &u, &q).await?;
    let bytes = asientos::csv(&a).map_err(Marco::fallo(&u))?;
    Ok(descarga(
        "text/csv; charset=utf-8",
        format!("asientos-{}-{}.csv", a.desde, a.hasta),
        bytes,
    ))
}

async fn xlsx(state: web::Data<AppState>, u: Usuario, q: web::Query<Periodo>) -> Result<HttpResponse, ErrorWeb> {
    let a = calcular(state, &u, &q).await?;
    let bytes = asientos::xlsx(&a).map_err(Marco::fallo(&u))?;
    Ok(descarga(
        crate::api::reportes::XLSX,
        format!("asientos-{}-{}.xlsx", a.desde, a.hasta),
        bytes,
    ))
}

pub fn rutas(cfg: &mut web::ServiceConfig) {
    cfg.route("/cartera/asientos", web::get().to(ver))
        .route("/cartera/asientos.csv", web::get().to(csv))
        .route("/cartera/asientos.xlsx", web::get().to(xlsx));
}
