//! Cartera, for finance (and the cartera team, admins and auditors, who may read it): the
//! aging by payer at any cut-off as a stacked bar chart with the same numbers in a table, the
//! drill-down to a payer's invoices, the indicators (DSO, rotación, CEI, % glosa, mora) with
//! their 12-month trend, and the glosas by cause; an XLSX of each. The same use cases as
//! `GET /api/v1/reportes/cartera`, `.../indicadores` and `.../glosas`.

use actix_web::{web, HttpResponse};
use askama::Template;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;

use super::formato::{fecha, fecha_o_guion, palabras, pesos};
use super::sesion::{pagina, Usuario};
use super::url;
use super::{ErrorWeb, Marco};
use crate::api::AppState;
use crate::app::cartera::{self, Cartera, Edades, Filtros, ReporteGlosas, ReporteIndicadores};
use crate::app::{pagadores, AppError, Pagina};
use crate::domain::pagador::TipoPagador;

// ---------------------------------------------------------------------------------------
// Charts: the geometry is computed here (and tested); the templates draw it.

/// An age band as the chart and the table show it: its words, and the CSS class and SVG
/// pattern that mark it (colour AND pattern, so colour is never the only signal).
pub struct Banda {
    pub clave: &'static str,
    pub texto: &'static str,
    pub i: usize,
}

pub const BANDAS: [Banda; 6] = [
    Banda {
        clave: "0-30",
        texto: "0 a 30 días",
        i: 0,
    },
    Banda {
        clave: "31-60",
        texto: "31 a 60 días",
        i: 1,
    },
    Banda {
        clave: "61-90",
        texto: "61 a 90 días",
        i: 2,
    },
    Banda {
        clave: "91-180",
        texto: "91 a 180 días",
        i: 3,
    },
    Banda {
        clave: "181-360",
        texto: "181 a 360 días",
        i: 4,
    },
    Banda {
        clave: ">360",
        texto: "Más de 360 días",
        i: 5,
    },
];

pub struct Segmento {
    pub x: String,
    pub ancho: String,
    pub banda: usize,
    pub titulo: String,
}

pub struct Barra {
    pub y: String,
    pub y_texto: String,
    pub etiqueta: String,
    pub nombre: String,
    pub segmentos: Vec<Segmento>,
    pub x_total: String,
    pub total: String,
}

/// A stacked horizontal bar chart: one bar per payer, one segment per age band.
pub struct Apiladas {
    pub alto: i64,
    pub barras: Vec<Barra>,
    pub leyenda: Vec<(String, usize, &'static str)>,
}

const X_BARRAS: f64 = 250.0;
const LARGO_BARRA: f64 = 560.0;
const ALTO_FILA: i64 = 30;
const ARRIBA: i64 = 44;

fn coord(v: f64) -> String {
    format!("{v:.1}")
}

/// A name cut to fit beside its bar.
pub fn corto(nombre: &str, max: usize) -> String {
    if nombre.chars().count() <= max {
        nombre.to_string()
    } else {
        let mut s: String = nombre.chars().take(max - 1).collect();
        s.push('…');
        s
    }
}

fn a_f64(d: Decimal) -> f64 {
    d.to_string().parse().unwrap_or(0.0)
}

/// The chart of `filas` (name, its six bands): bars scaled to the largest total; negative
/// balances (money to give back) are left out of the drawing, never out of the table.
pub fn apiladas(filas: &[(String, [Decimal; 6])]) -> Apiladas {
    let positivos = |v: &[Decimal; 6]| v.iter().map(|d| a_f64(*d).max(0.0)).collect::<Vec<_>>();
    let maximo = filas
        .iter()
        .map(|(_, v)| positivos(v).iter().sum::<f64>())
        .fold(0.0_f64, f64::max);
    let escala = if maximo > 0.0 { LARGO_BARRA / maximo } else { 0.0 };
    let barras = filas
        .iter()
        .enumerate()
        .map(|(i, (nombre, v))| {
            let y = ARRIBA + i as i64 * ALTO_FILA;
            let mut x = X_BARRAS;
            let mut segmentos = Vec::new();
            for (b, valor) in positivos(v).into_iter().enumerate() {
                let ancho = valor * escala;
                if ancho <= 0.0 {
                    continue;
                }
                segmentos.push(Segmento {
                    x: coord(x),
                    ancho: coord(ancho),
                    banda: b,
                    titulo: format!("{nombre} — {}: {}", BANDAS[b].texto, pesos(v[b])),
                });
                x += ancho;
            }
            let total: Decimal = v.iter().sum();
            Barra {
                y: y.to_string(),
                y_texto: (y + 15).to_string(),
                etiqueta: corto(nombre, 28),
                nombre: nombre.clone(),
                segmentos,
                x_total: coord(x + 6.0),
                total: pesos(total),
            }
        })
        .collect();
    Apiladas {
        alto: ARRIBA + filas.len() as i64 * ALTO_FILA + 8,
        barras,
        leyenda: BANDAS
            .iter()
            .map(|b| (coord(10.0 + b.i as f64 * 155.0), b.i, b.texto))
            .collect(),
    }
}

/// A point of a line chart.
pub struct Punto {
    pub x: String,
    pub y: String,
    pub titulo: String,
}

/// A line chart of one indicator over the months: the points with a value joined in order
/// (a month without one — nothing invoiced — is a gap in the table, skipped by the line).
pub struct Linea {
    pub id: String,
    pub nombre: String,
    pub puntos: Vec<Punto>,
    pub trazo: String,
    pub meses: Vec<(String, String)>,
    pub maximo: String,
    pub minimo: String,
    pub y_cero: Option<String>,
    pub desc: String,
}

const L_ANCHO: f64 = 420.0;
const L_ALTO: f64 = 170.0;
const L_IZQ: f64 = 62.0;
const L_DER: f64 = 30.0;
const L_ARRIBA: f64 = 14.0;
const L_ABAJO: f64 = 30.0;

pub fn linea(id: &str, nombre: &str, meses: &[String], valores: &[Option<Decimal>]) -> Linea {
    let con: Vec<f64> = valores.iter().flatten().map(|d| a_f64(*d)).collect();
    let mut alto = con.iter().copied().fold(f64::MIN, f64::max);
    let mut bajo = con.iter().copied().fold(f64::MAX, f64::min).min(0.0);
    if con.is_empty() {
        (alto, bajo) = (1.0, 0.0);
    }
    if (alto - bajo).abs() < f64::EPSILON {
        alto = bajo + 1.0;
    }
    let n = meses.len().max(2) as f64 - 1.0;
    let x = |i: usize| L_IZQ + (L_ANCHO - L_IZQ - L_DER) * i as f64 / n;
    let y = |v: f64| L_ARRIBA + (L_ALTO - L_ARRIBA - L_ABAJO) * (alto - v) / (alto - bajo);
    let puntos: Vec<Punto> = valores
        .iter()
        .enumerate()
        .filter_map(|(i, v)| {
            v.map(|d| Punto {
                x: coord(x(i)),
                y: coord(y(a_f64(d))),
                titulo: format!("{}: {}", meses.get(i).cloned().unwrap_or_default(), cifra(Some(d))),
            })
        })
        .collect();
    let trazo = puntos
        .iter()
        .map(|p| format!("{},{}", p.x, p.y))
        .collect::<Vec<_>>()
        .join(" ");
    let desc = meses
        .iter()
        .zip(valores)
        .map(|(m, v)| format!("{m}: {}", cifra(*v)))
        .collect::<Vec<_>>()
        .join("; ");
    Linea {
        id: id.into(),
        nombre: nombre.into(),
        puntos,
        trazo,
        meses: meses
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 2 == meses.len().saturating_sub(1) % 2)
            .map(|(i, m)| (coord(x(i)), m.clone()))
            .collect(),
        maximo: cifra(Some(Decimal::try_from(alto).unwrap_or_default().round_dp(2))),
        minimo: cifra(Some(Decimal::try_from(bajo).unwrap_or_default().round_dp(2))),
        y_cero: (bajo < 0.0).then(|| coord(y(0.0))),
        desc,
    }
}

/// A ratio or a number of days the Colombian way (`1.234,50`), or a dash when there is none.
pub fn cifra(v: Option<Decimal>) -> String {
    v.map_or_else(|| "—".to_string(), |d| pesos(d).replacen("$ ", "", 1))
}

/// A month as people say it: `ene 2026`.
pub fn mes(d: NaiveDate) -> String {
    use chrono::Datelike;
    const M: [&str; 12] = [
        "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic",
    ];
    format!("{} {}", M[d.month0() as usize], d.year())
}

// ---------------------------------------------------------------------------------------
// Queries as the URL keeps them.

pub(super) fn fecha_de(campo: &str, v: &str) -> Result<Option<NaiveDate>, AppError> {
    let v = v.trim();
    if v.is_empty() {
        return Ok(None);
    }
    v.parse::<NaiveDate>()
        .map(Some)
        .map_err(|_| AppError::invalid(campo, format!("'{v}' no es una fecha (AAAA-MM-DD)")))
}

fn texto(v: &str) -> Option<String> {
    Some(v.trim().to_string()).filter(|v| !v.is_empty())
}

/// `?corte=&base=&tipo=&page=` of the aging pages.
#[derive(Deserialize, Default, Clone)]
pub struct Corte {
    #[serde(default)]
    pub corte: String,
    #[serde(default)]
    pub base: String,
    #[serde(default)]
    pub tipo: String,
    pub page: Option<i64>,
}

impl Corte {
    fn leer(&self, hoy: NaiveDate) -> Result<(NaiveDate, crate::db::cartera::Base), AppError> {
        let corte = fecha_de("corte", &self.corte)?.unwrap_or(hoy);
        let base = cartera::base(texto(&self.base).as_deref())?;
        Ok((corte, base))
    }

    fn filtros(&self, pagador_id: Option<String>) -> Filtros {
        Filtros {
            pagador_id,
            tipo: texto(&self.tipo),
            contrato_id: None,
        }
    }

    fn url(&self, ruta: &str, pagina: Option<i64>) -> String {
        let p = pagina.map(|p| p.to_string()).unwrap_or_default();
        url(
            ruta,
            &[
                ("corte", &self.corte),
                ("base", &self.base),
                ("tipo", &self.tipo),
                ("page", &p),
            ],
        )
    }
}

/// A payer type in the words of the sector (`ADRES`, `SOAT`, "EPS del régimen subsidiado").
pub fn tipo_pagador(codigo: &str) -> String {
    match codigo {
        "adres" => "ADRES".into(),
        "soat" => "SOAT".into(),
        "arl" => "ARL".into(),
        "prepagada" => "Medicina prepagada".into(),
        otro => palabras(otro),
    }
}

fn tipos() -> Vec<(&'static str, String)> {
    TipoPagador::ALL
        .iter()
        .map(|t| (t.as_str(), tipo_pagador(t.as_str())))
        .collect()
}

fn bandas(e: &Edades) -> [Decimal; 6] {
    [e.d0_30, e.d31_60, e.d61_90, e.d91_180, e.d181_360, e.mas_360]
}

fn xlsx(nombre: &str, bytes: Vec<u8>) -> HttpResponse {
    let mut r = crate::api::reportes::xlsx(nombre, bytes);
    super::cabeceras(r.headers_mut());
    r
}

// ---------------------------------------------------------------------------------------
// GET /cartera

pub struct FilaEdades {
    pub pagador_id: String,
    pub pagador: String,
    pub tipo: String,
    pub facturas: i64,
    pub bandas: Vec<String>,
    pub total: String,
    pub vencido: String,
}

fn filas_edades(r: &Cartera) -> Vec<FilaEdades> {
    r.filas
        .iter()
        .map(|f| FilaEdades {
            pagador_id: f.pagador_id.clone(),
            pagador: f.pagador.clone(),
            tipo: tipo_pagador(&f.tipo),
            facturas: f.facturas,
            bandas: bandas(&f.edades).into_iter().map(pesos).collect(),
            total: pesos(f.total),
            vencido: pesos(f.vencido),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "cartera.html")]
struct PaginaCartera {
    marco: Marco,
    q: Corte,
    corte: String,
    corte_iso: String,
    base_radicacion: bool,
    tipos: Vec<(&'static str, String)>,
    bandas: &'static [Banda],
    grafico: Apiladas,
    desc: String,
    filas: Vec<FilaEdades>,
    facturas: i64,
    totales: Vec<String>,
    total: String,
    vencido: String,
    sin_radicar: String,
    xlsx: String,
}

async fn edades(state: web::Data<AppState>, u: Usuario, q: web::Query<Corte>) -> Result<HttpResponse, ErrorWeb> {
    let q = q.into_inner();
    let (corte, base) = q.leer(state.hoy()).map_err(Marco::fallo(&u))?;
    let f = q.filtros(None);
    let actor = u.sesion.actor.clone();
    let r = web::block(move || cartera::por_pagador(&state.db, &state.terminos, &actor, corte, base, &f))
        .await?
        .map_err(Marco::fallo(&u))?;
    let datos: Vec<(String, [Decimal; 6])> = r.filas.iter().map(|f| (f.pagador.clone(), bandas(&f.edades))).collect();
    let desc = format!(
        "Saldo por pagador y edad al {}: total {}, de ello vencido {}. {}",
        fecha(corte),
        pesos(r.total),
        pesos(r.vencido),
        r.filas
            .iter()
            .map(|f| format!("{}: {}", f.pagador, pesos(f.total)))
            .collect::<Vec<_>>()
            .join("; ")
    );
    let p = PaginaCartera {
        marco: Marco::de(&u, "Cartera por edades", "/cartera"),
        corte: fecha(corte),
        corte_iso: corte.to_string(),
        base_radicacion: r.base == "radicacion",
        tipos: tipos(),
        bandas: &BANDAS,
        grafico: apiladas(&datos),
        desc,
        filas: filas_edades(&r),
        facturas: r.filas.iter().map(|f| f.facturas).sum(),
        totales: bandas(&r.totales).into_iter().map(pesos).collect(),
        total: pesos(r.total),
        vencido: pesos(r.vencido),
        sin_radicar: pesos(r.sin_radicar),
        xlsx: q.url("/cartera.xlsx", None),
        q,
    };
    pagina(&u, &p)
}

async fn edades_xlsx(state: web::Data<AppState>, u: Usuario, q: web::Query<Corte>) -> Result<HttpResponse, ErrorWeb> {
    let (corte, base) = q.leer(state.hoy()).map_err(Marco::fallo(&u))?;
    let f = q.filtros(None);
    let actor = u.sesion.actor.clone();
    let bytes = web::block(move || {
        let r = cartera::por_pagador(&state.db, &state.terminos, &actor, corte, base, &f)?;
        cartera::xlsx_por_pagador(&r)
    })
    .await?
    .map_err(Marco::fallo(&u))?;
    Ok(xlsx(&format!("cartera-{corte}.xlsx"), bytes))
}

// ---------------------------------------------------------------------------------------
// GET /cartera/pagadores/{id}

pub struct FilaSaldo {
    pub factura_id: String,
    pub numero: String,
    pub estado: String,
    pub expedida: String,
    pub radicada: String,
    pub dias: i64,
    pub edad: String,
    pub vence: String,
    pub dias_mora: i64,
    pub saldo: String,
}

/// The invoices of a page of `por_factura`, as rows.
pub fn filas_saldo(l: &crate::app::Lista<cartera::SaldoFactura>) -> Vec<FilaSaldo> {
    l.items
        .iter()
        .map(|s| FilaSaldo {
            factura_id: s.factura_id.clone(),
            numero: s.numero.clone(),
            estado: palabras(&s.estado),
            expedida: fecha(s.fecha_expedicion),
            radicada: fecha_o_guion(s.fecha_radicacion),
            dias: s.dias,
            edad: s.edad.clone(),
            vence: fecha_o_guion(s.vence),
            dias_mora: s.dias_mora,
            saldo: pesos(s.saldo),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "cartera_pagador.html")]
struct PaginaDetalle {
    marco: Marco,
    pagador_id: String,
    pagador: String,
    corte: String,
    volver: String,
    fila: Option<FilaEdades>,
    bandas: &'static [Banda],
    filas: Vec<FilaSaldo>,
    total: i64,
    pagina: i64,
    paginas: i64,
    anterior: Option<String>,
    siguiente: Option<String>,
    xlsx: String,
}

const POR_PAGINA: i64 = 50;

async fn detalle(
    state: web::Data<AppState>,
    u: Usuario,
    id: web::Path<String>,
    q: web::Query<Corte>,
) -> Result<HttpResponse, ErrorWeb> {
    let id = id.into_inner();
    let q = q.into_inner();
    let (corte, base) = q.leer(state.hoy()).map_err(Marco::fallo(&u))?;
    let pagina_actual = q.page.unwrap_or(1).max(1);
    let pag = Pagina::new(Some(pagina_actual), Some(POR_PAGINA)).map_err(Marco::fallo(&u))?;
    let f = q.filtros(Some(id.clone()));
    let actor = u.sesion.actor.clone();
    let pid = id.clone();
    let (p, r, l) = web::block(move || {
        let r = cartera::por_pagador(&state.db, &state.terminos, &actor, corte, base, &f)?;
        let l = cartera::por_factura(&state.db, &state.terminos, &actor, corte, base, &f, Some(pag))?;
        let p = pagadores::obtener(&state.db, &actor, &pid)?;
        Ok::<_, AppError>((p, r, l))
    })
    .await?
    .map_err(Marco::fallo(&u))?;
    let paginas = ((l.total + POR_PAGINA - 1) / POR_PAGINA).max(1);
    let ruta = format!("/cartera/pagadores/{id}");
    let sin_tipo = Corte {
        tipo: String::new(),
        ..q.clone()
    };
    let p = PaginaDetalle {
        marco: Marco::de(&u, format!("Cartera de {}", p.nombre), "/cartera"),
        pagador: p.nombre,
        corte: fecha(corte),
        volver: q.url("/cartera", None),
        fila: filas_edades(&r).into_iter().next(),
        bandas: &BANDAS,
        filas: filas_saldo(&l),
        total: l.total,
        pagina: pagina_actual,
        paginas,
        anterior: (pagina_actual > 1).then(|| sin_tipo.url(&ruta, Some(pagina_actual - 1))),
        siguiente: (pagina_actual < paginas).then(|| sin_tipo.url(&ruta, Some(pagina_actual + 1))),
        xlsx: sin_tipo.url(&format!("/cartera/pagadores/{id}.xlsx"), None),
        pagador_id: id,
    };
    pagina(&u, &p)
}

async fn detalle_xlsx(
    state: web::Data<AppState>,
    u: Usuario,
    id: web::Path<String>,
    q: web::Query<Corte>,
) -> Result<HttpResponse, ErrorWeb> {
    let (corte, base) = q.leer(state.hoy()).map_err(Marco::fallo(&u))?;
    let f = q.filtros(Some(id.into_inner()));
    let actor = u.sesion.actor.clone();
    let bytes = web::block(move || {
        let l = cartera::por_factura(&state.db, &state.terminos, &actor, corte, base, &f, None)?;
        cartera::xlsx_por_factura(corte, base, &l)
    })
    .await?
    .map_err(Marco::fallo(&u))?;
    Ok(xlsx(&format!("cartera-facturas-{corte}.xlsx"), bytes))
}

// ---------------------------------------------------------------------------------------
// GET /cartera/indicadores

/// `?desde=&hasta=&tipo=` of the indicators and glosas pages (and `por` for glosas).
#[derive(Deserialize, Default, Clone)]
pub struct Periodo {
    #[serde(default)]
    pub desde: String,
    #[serde(default)]
    pub hasta: String,
    #[serde(default)]
    pub tipo: String,
    #[serde(default)]
    pub por: String,
}

impl Periodo {
    /// The period asked, by default from `defecto(hasta)` to today.
    fn leer(&self, hoy: NaiveDate, defecto: fn(NaiveDate) -> NaiveDate) -> Result<(NaiveDate, NaiveDate), AppError> {
        let hasta = fecha_de("hasta", &self.hasta)?.unwrap_or(hoy);
        let desde = fecha_de("desde", &self.desde)?.unwrap_or_else(|| defecto(hasta));
        Ok((desde, hasta))
    }

    fn filtros(&self) -> Filtros {
        Filtros {
            pagador_id: None,
            tipo: texto(&self.tipo),
            contrato_id: None,
        }
    }

    fn url(&self, ruta: &str) -> String {
        url(
            ruta,
            &[
                ("desde", &self.desde),
                ("hasta", &self.hasta),
                ("tipo", &self.tipo),
                ("por", &self.por),
            ],
        )
    }
}

fn primero_del_mes(d: NaiveDate) -> NaiveDate {
    use chrono::Datelike;
    d.with_day(1).unwrap_or(d)
}

/// The first day of the month eleven months before: a year of glosas.
fn un_anio(d: NaiveDate) -> NaiveDate {
    cartera::meses_hasta(d, 12).first().map_or(d, |m| m.0)
}

pub struct FilaIndicadores {
    pub pagador: String,
    pub facturado: String,
    pub radicado: String,
    pub pagado: String,
    pub cartera_final: String,
    pub vencida: String,
    pub dso: String,
    pub rotacion: String,
    pub cei: String,
    pub pct_glosa: String,
    pub pct_vencida: String,
    pub interes_mora: String,
}

fn fila_indicadores(nombre: String, i: &cartera::Indicadores) -> FilaIndicadores {
    FilaIndicadores {
        pagador: nombre,
        facturado: pesos(i.facturado),
        radicado: pesos(i.radicado),
        pagado: pesos(i.pagado),
        cartera_final: pesos(i.cartera_final),
        vencida: pesos(i.cartera_vencida),
        dso: cifra(i.dso),
        rotacion: cifra(i.rotacion),
        cei: cifra(i.cei),
        pct_glosa: cifra(i.pct_glosa),
        pct_vencida: cifra(i.pct_vencida),
        interes_mora: pesos(i.interes_mora),
    }
}

#[derive(Template)]
#[template(path = "cartera_indicadores.html")]
struct PaginaIndicadores {
    marco: Marco,
    q: Periodo,
    desde_iso: String,
    hasta_iso: String,
    hasta: String,
    periodo: String,
    tipos: Vec<(&'static str, String)>,
    lineas: Vec<Linea>,
    meses: Vec<FilaIndicadores>,
    filas: Vec<FilaIndicadores>,
    total: FilaIndicadores,
    xlsx: String,
}

type Tendencia = (ReporteIndicadores, Vec<ReporteIndicadores>);

async fn calcular_indicadores(
    state: web::Data<AppState>,
    u: &Usuario,
    q: &Periodo,
) -> Result<(NaiveDate, NaiveDate, Tendencia), ErrorWeb> {
    let hoy = state.hoy();
    let (desde, hasta) = q.leer(hoy, primero_del_mes).map_err(Marco::fallo(u))?;
    let f = q.filtros();
    let actor = u.sesion.actor.clone();
    let r = web::block(move || {
        let (t, tasas) = (&state.terminos, &state.cobro.tasas_mora);
        let r = cartera::indicadores(&state.db, t, tasas, &actor, desde, hasta, hoy, &f)?;
        let m = cartera::tendencia(&state.db, t, tasas, &actor, hasta, 12, hoy, &f)?;
        Ok::<_, AppError>((r, m))
    })
    .await?
    .map_err(Marco::fallo(u))?;
    Ok((desde, hasta, r))
}

async fn indicadores(state: web::Data<AppState>, u: Usuario, q: web::Query<Periodo>) -> Result<HttpResponse, ErrorWeb> {
    let q = q.into_inner();
    let (desde, hasta, (r, m)) = calcular_indicadores(state, &u, &q).await?;
    let nombres: Vec<String> = m.iter().map(|x| mes(x.desde)).collect();
    let serie = |f: fn(&cartera::Indicadores) -> Option<Decimal>| m.iter().map(|x| f(&x.total)).collect::<Vec<_>>();
    let lineas = vec![
        linea("dso", "DSO (días de cartera)", &nombres, &serie(|i| i.dso)),
        linea("rotacion", "Rotación (veces)", &nombres, &serie(|i| i.rotacion)),
        linea("cei", "CEI (% cobrado de lo cobrable)", &nombres, &serie(|i| i.cei)),
        linea(
            "glosa",
            "% glosa (glosado / radicado)",
            &nombres,
            &serie(|i| i.pct_glosa),
        ),
        linea(
            "mora",
            "% en mora (vencida / cartera)",
            &nombres,
            &serie(|i| i.pct_vencida),
        ),
    ];
    let p = PaginaIndicadores {
        marco: Marco::de(&u, "Indicadores de cartera", "/cartera"),
        desde_iso: desde.to_string(),
        hasta_iso: hasta.to_string(),
        hasta: fecha(hasta),
        periodo: format!("{} a {}", fecha(desde), fecha(hasta)),
        tipos: tipos(),
        lineas,
        meses: m
            .iter()
            .zip(&nombres)
            .map(|(x, n)| fila_indicadores(n.clone(), &x.total))
            .collect(),
        filas: r.filas.iter().map(|i| fila_indicadores(i.pagador.clone(), i)).collect(),
        total: fila_indicadores("Total".into(), &r.total),
        xlsx: q.url("/cartera/indicadores.xlsx"),
        q,
    };
    pagina(&u, &p)
}

async fn indicadores_xlsx(
    state: web::Data<AppState>,
    u: Usuario,
    q: web::Query<Periodo>,
) -> Result<HttpResponse, ErrorWeb> {
    let (desde, hasta, (r, m)) = calcular_indicadores(state, &u, &q).await?;
    let bytes = cartera::xlsx_tendencia(&r, &m).map_err(Marco::fallo(&u))?;
    Ok(xlsx(&format!("indicadores-{desde}-{hasta}.xlsx"), bytes))
}

// ---------------------------------------------------------------------------------------
// GET /cartera/glosas

pub struct FilaGlosas {
    pub clave: String,
    pub descripcion: String,
    pub glosas: i64,
    pub glosado: String,
    pub pct_del_total: String,
    pub aceptado: String,
    pub levantado: String,
    pub conciliado_pagador: String,
    pub en_discusion: String,
    pub perdido: String,
    pub pct_recuperacion: String,
}

fn fila_glosas(g: &cartera::FilaGlosas) -> FilaGlosas {
    FilaGlosas {
        clave: g.clave.clone(),
        descripcion: g.descripcion.clone(),
        glosas: g.glosas,
        glosado: pesos(g.glosado),
        pct_del_total: cifra(g.pct_del_total),
        aceptado: pesos(g.aceptado),
        levantado: pesos(g.levantado),
        conciliado_pagador: pesos(g.conciliado_pagador),
        en_discusion: pesos(g.en_discusion),
        perdido: pesos(g.perdido),
        pct_recuperacion: cifra(g.pct_recuperacion),
    }
}

/// A simple bar: one per group, its length the glosado.
pub struct BarraSimple {
    pub y: String,
    pub y_texto: String,
    pub etiqueta: String,
    pub nombre: String,
    pub ancho: String,
    pub x_valor: String,
    pub valor: String,
}

/// The bars of the first `max` groups (the report lists the most glosado first).
pub fn barras(filas: &[(String, Decimal)], max: usize) -> (i64, Vec<BarraSimple>) {
    let filas = &filas[..filas.len().min(max)];
    let maximo = filas.iter().map(|(_, v)| a_f64(*v)).fold(0.0_f64, f64::max);
    let escala = if maximo > 0.0 { LARGO_BARRA / maximo } else { 0.0 };
    let b = filas
        .iter()
        .enumerate()
        .map(|(i, (n, v))| {
            let y = 8 + i as i64 * ALTO_FILA;
            let ancho = a_f64(*v).max(0.0) * escala;
            BarraSimple {
                y: y.to_string(),
                y_texto: (y + 15).to_string(),
                etiqueta: corto(n, 30),
                nombre: n.clone(),
                ancho: coord(ancho),
                x_valor: coord(X_BARRAS + ancho + 6.0),
                valor: pesos(*v),
            }
        })
        .collect();
    (8 + filas.len() as i64 * ALTO_FILA + 8, b)
}

#[derive(Template)]
#[template(path = "cartera_glosas.html")]
struct PaginaGlosas {
    marco: Marco,
    q: Periodo,
    desde_iso: String,
    hasta_iso: String,
    periodo: String,
    por: String,
    agrupaciones: [(&'static str, &'static str); 3],
    tipos: Vec<(&'static str, String)>,
    alto: i64,
    barras: Vec<BarraSimple>,
    desc: String,
    filas: Vec<FilaGlosas>,
    principales: Vec<FilaGlosas>,
    total: FilaGlosas,
    xlsx: String,
}

async fn calcular_glosas(
    state: web::Data<AppState>,
    u: &Usuario,
    q: &Periodo,
) -> Result<(NaiveDate, NaiveDate, ReporteGlosas), ErrorWeb> {
    let hoy = state.hoy();
    let (desde, hasta) = q.leer(hoy, un_anio).map_err(Marco::fallo(u))?;
    let por = cartera::agrupar(texto(&q.por).as_deref()).map_err(Marco::fallo(u))?;
    let f = q.filtros();
    let actor = u.sesion.actor.clone();
    let r = web::block(move || cartera::glosas(&state.db, &state.terminos, &actor, por, desde, hasta, hoy, &f))
        .await?
        .map_err(Marco::fallo(u))?;
    Ok((desde, hasta, r))
}

async fn glosas(state: web::Data<AppState>, u: Usuario, q: web::Query<Periodo>) -> Result<HttpResponse, ErrorWeb> {
    let q = q.into_inner();
    let (desde, hasta, r) = calcular_glosas(state, &u, &q).await?;
    let datos: Vec<(String, Decimal)> = r
        .filas
        .iter()
        .map(|g| {
            let n = if g.descripcion.is_empty() || r.por == "pagador" {
                if r.por == "pagador" {
                    g.descripcion.clone()
                } else {
                    g.clave.clone()
                }
            } else {
                format!("{} {}", g.clave, g.descripcion)
            };
            (if n.is_empty() { g.clave.clone() } else { n }, g.glosado)
        })
        .collect();
    let (alto, barras) = barras(&datos, 12);
    let desc = datos
        .iter()
        .take(12)
        .map(|(n, v)| format!("{n}: {}", pesos(*v)))
        .collect::<Vec<_>>()
        .join("; ");
    let p = PaginaGlosas {
        marco: Marco::de(&u, "Glosas por causa", "/cartera"),
        desde_iso: desde.to_string(),
        hasta_iso: hasta.to_string(),
        periodo: format!("{} a {}", fecha(desde), fecha(hasta)),
        por: r.por.clone(),
        agrupaciones: [
            ("codigo", "Causa (código)"),
            ("servicio", "Servicio"),
            ("pagador", "Pagador"),
        ],
        tipos: tipos(),
        alto,
        barras,
        desc,
        filas: r.filas.iter().map(fila_glosas).collect(),
        principales: r.principales_causas.iter().map(fila_glosas).collect(),
        total: fila_glosas(&r.total),
        xlsx: q.url("/cartera/glosas.xlsx"),
        q,
    };
    pagina(&u, &p)
}

async fn glosas_xlsx(state: web::Data<AppState>, u: Usuario, q: web::Query<Periodo>) -> Result<HttpResponse, ErrorWeb> {
    let (desde, hasta, r) = calcular_glosas(state, &u, &q).await?;
    let bytes = cartera::xlsx_glosas(&r).map_err(Marco::fallo(&u))?;
    Ok(xlsx(&format!("glosas-{desde}-{hasta}.xlsx"), bytes))
}

pub fn rutas(cfg: &mut web::ServiceConfig) {
    cfg.route("/cartera", web::get().to(edades))
        .route("/cartera.xlsx", web::get().to(edades_xlsx))
        .route("/cartera/indicadores", web::get().to(indicadores))
        .route("/cartera/indicadores.xlsx", web::get().to(indicadores_xlsx))
        .route("/cartera/glosas", web::get().to(glosas))
        .route("/cartera/glosas.xlsx", web::get().to(glosas_xlsx))
        .route("/cartera/pagadores/{id}.xlsx", web::get().to(detalle_xlsx))
        .route("/cartera/pagadores/{id}", web::get().to(detalle));
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn the_longest_bar_fills_the_width_and_segments_follow_each_other() {
        let g = apiladas(&[
            ("EPS Uno".into(), [d("100"), d("100"), d("0"), d("0"), d("0"), d("200")]),
            ("EPS Dos".into(), [d("200"), d("0"), d("0"), d("0"), d("0"), d("-50")]),
        ]);
        let a = &g.barras[0];
        // Empty bands draw nothing; the three others end where the longest bar ends.
        assert_eq!(a.segmentos.len(), 3);
        assert_eq!(a.segmentos[0].x, "250.0");
        assert_eq!(a.segmentos[0].ancho, "140.0");
        assert_eq!(a.segmentos[1].x, "390.0");
        assert_eq!(a.segmentos[2].banda, 5);
        assert_eq!(a.x_total, "816.0");
        assert_eq!(a.total, "$ 400,00");
        assert!(a.segmentos[2].titulo.contains("Más de 360 días: $ 200,00"));
        // A negative band is not drawn, but the total says it.
        let b = &g.barras[1];
        assert_eq!(b.segmentos.len(), 1);
        assert_eq!(b.segmentos[0].ancho, "280.0");
        assert_eq!(b.total, "$ 150,00");
        assert_eq!(b.y, "74");
        assert_eq!(g.alto, 44 + 60 + 8);
    }

    #[test]
    fn nothing_owed_draws_no_bar() {
        let g = apiladas(&[("EPS".into(), [Decimal::ZERO; 6])]);
        assert!(g.barras[0].segmentos.is_empty());
    }

    #[test]
    fn a_line_skips_months_without_a_value_and_keeps_zero_in_view() {
        let meses: Vec<String> = ["ene 2026", "feb 2026", "mar 2026"].map(String::from).to_vec();
        let l = linea("dso", "DSO", &meses, &[Some(d("10")), None, Some(d("20"))]);
        assert_eq!(l.puntos.len(), 2);
        // Zero at the bottom, 20 at the top.
        assert_eq!(l.puntos[1].y, "14.0");
        assert_eq!(l.puntos[0].y, "77.0");
        assert_eq!(l.trazo, "62.0,77.0 390.0,14.0");
        assert_eq!(l.maximo, "20,00");
        assert_eq!(l.minimo, "0,00");
        assert!(l.desc.contains("feb 2026: —"));
        assert!(l.y_cero.is_none());
        let neg = linea("cei", "CEI", &meses, &[Some(d("-10")), Some(d("10")), None]);
        assert!(neg.y_cero.is_some());
    }

    #[test]
    fn ratios_and_months_are_written_the_colombian_way() {
        assert_eq!(cifra(Some(d("1234.5"))), "1.234,50");
        assert_eq!(cifra(Some(d("-3.25"))), "-3,25");
        assert_eq!(cifra(None), "—");
        assert_eq!(mes(NaiveDate::from_ymd_opt(2026, 1, 31).unwrap()), "ene 2026");
        assert_eq!(corto("Entidad Promotora de Salud Sanitas S.A.S.", 12), "Entidad Pro…");
        assert_eq!(corto("EPS", 12), "EPS");
        assert_eq!(tipo_pagador("adres"), "ADRES");
        assert_eq!(tipo_pagador("eps_subsidiado"), "EPS del régimen subsidiado");
    }

    #[test]
    fn the_url_keeps_only_what_was_asked() {
        let c = Corte {
            corte: "2026-06-30".into(),
            base: String::new(),
            tipo: "eps_subsidiado".into(),
            page: None,
        };
        assert_eq!(
            c.url("/cartera", Some(2)),
            "/cartera?corte=2026-06-30&tipo=eps_subsidiado&page=2"
        );
        assert_eq!(Corte::default().url("/cartera.xlsx", None), "/cartera.xlsx");
    }
}
