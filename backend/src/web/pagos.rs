//! Pagos: the payments received (filters kept in the URL, paged in SQL, XLSX exactly as
//! filtered, with what each still has to apply), registering one, and applying one to the
//! payer's invoices — those its reference names first, then the oldest, each prefilled with
//! min(saldo, what is left). The same use cases as `GET/POST /api/v1/pagos` and
//! `POST /api/v1/pagos/{id}/aplicaciones`.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;

use super::formato::{en_campo, fecha, leer_pesos, palabras, pesos};
use super::sesion::{con_aviso, en_bloque, formulario, pagina, Usuario};
use super::{html_con, ErrorWeb, Marco};
use crate::api::AppState;
use crate::app::pagadores::{self, ConsultaPagadores};
use crate::app::pagos::{self, ConsultaPagos, NuevaAplicacion, NuevasAplicaciones, NuevoPago};
use crate::app::AppError;

const POR_PAGINA: i64 = 50;
/// Invoices offered to apply a payment to, beyond those its reference names.
const OFRECIDAS: usize = 30;
/// The ways a payer pays.
const MEDIOS: &[(&str, &str)] = &[
    ("transferencia", "Transferencia"),
    ("giro_directo", "Giro directo (ADRES)"),
    ("consignacion", "Consignación"),
    ("cheque", "Cheque"),
    ("compensacion", "Compensación"),
];

fn medio(m: &str) -> String {
    MEDIOS
        .iter()
        .find(|(v, _)| *v == m)
        .map_or_else(|| palabras(m), |(_, t)| t.to_string())
}

/// The search as the URL keeps it.
#[derive(Deserialize, Default, Clone)]
pub struct Filtros {
    #[serde(default)]
    pub pagador_id: String,
    /// Who paid on the debtors' behalf (ADRES giro directo).
    #[serde(default)]
    pub pagado_por_id: String,
    #[serde(default)]
    pub desde: String,
    #[serde(default)]
    pub hasta: String,
    /// `1`: only payments with money still to apply.
    #[serde(default)]
    pub sin_aplicar: String,
    pub page: Option<i64>,
}

impl Filtros {
    fn consulta(&self, todas: bool) -> Result<ConsultaPagos, AppError> {
        let dia = super::formulario::fecha_filtro;
        Ok(ConsultaPagos {
            pagador_id: Some(self.pagador_id.trim().to_string()).filter(|v| !v.is_empty()),
            pagado_por_id: Some(self.pagado_por_id.trim().to_string()).filter(|v| !v.is_empty()),
            desde: dia("desde", &self.desde)?,
            hasta: dia("hasta", &self.hasta)?,
            sin_aplicar: Some(self.sin_aplicar == "1"),
            page: (!todas).then_some(self.page.unwrap_or(1).max(1)),
            per_page: Some(POR_PAGINA),
            formato: None,
        })
    }

    /// This search's URL at `ruta`, on page `pagina`, with "only to apply" as `sin_aplicar`.
    fn url(&self, ruta: &str, pagina: Option<i64>, sin_aplicar: bool) -> String {
        let p = pagina.map(|p| p.to_string()).unwrap_or_default();
        super::url(
            ruta,
            &[
                ("pagador_id", &self.pagador_id),
                ("pagado_por_id", &self.pagado_por_id),
                ("desde", &self.desde),
                ("hasta", &self.hasta),
                ("sin_aplicar", if sin_aplicar { "1" } else { "" }),
                ("page", &p),
            ],
        )
    }
}

pub struct FilaPago {
    pub id: String,
    pub fecha: String,
    pub pagador: String,
    /// The third party that paid for the payer (ADRES giro directo), if any.
    pub pagado_por: Option<String>,
    pub referencia: String,
    pub medio: String,
    pub valor: String,
    pub aplicado: String,
    pub sin_aplicar: String,
    pub pendiente: bool,
}

#[derive(Template)]
#[template(path = "pagos.html")]
struct Pagos {
    marco: Marco,
    f: Filtros,
    pagadores: Vec<(String, String)>,
    filas: Vec<FilaPago>,
    total: i64,
    pagina: i64,
    paginas: i64,
    anterior: Option<String>,
    siguiente: Option<String>,
    xlsx: String,
    todos: String,
    por_aplicar: String,
    solo_por_aplicar: bool,
    /// The user may register payments.
    registra: bool,
    /// Payments the payers announced from their window, waiting for confirmation.
    anunciados: Vec<FilaAnunciado>,
}

pub struct FilaAnunciado {
    pub id: String,
    pub pagador: String,
    pub fecha: String,
    pub valor: String,
    pub referencia: String,
    pub facturas: String,
}

fn anunciados(st: &AppState, u: &Usuario) -> Result<Vec<FilaAnunciado>, AppError> {
    if !pagos::REGISTRAN.contains(&u.sesion.actor.rol) {
        return Ok(Vec::new());
    }
    Ok(crate::app::anuncios::listar(&st.db, &u.sesion.actor, None)?
        .into_iter()
        .map(|a| FilaAnunciado {
            facturas: super::portal::facturas_anunciadas(&a),
            id: a.id,
            pagador: a.pagador,
            fecha: fecha(a.fecha),
            valor: pesos(a.valor),
            referencia: a.referencia,
        })
        .collect())
}

fn lista_pagadores(st: &AppState, u: &Usuario) -> Result<Vec<(String, String)>, AppError> {
    let p = pagadores::listar(
        &st.db,
        &u.sesion.actor,
        ConsultaPagadores {
            tipo: None,
            q: None,
            page: Some(1),
            per_page: Some(500),
            formato: None,
        },
        false,
    )?;
    Ok(p.items.into_iter().map(|p| (p.id, p.nombre)).collect())
}

fn copia(u: &Usuario) -> Usuario {
    Usuario {
        sesion: u.sesion.clone(),
        aviso: None,
    }
}

async fn lista(state: web::Data<AppState>, u: Usuario, q: web::Query<Filtros>) -> Result<HttpResponse, ErrorWeb> {
    let f = q.into_inner();
    let consulta = f.consulta(false).map_err(Marco::fallo(&u))?;
    let st = state.clone();
    let u2 = copia(&u);
    let (l, pags, anunciados) = web::block(move || {
        let l = pagos::listar(&st.db, &u2.sesion.actor, &consulta, false)?;
        let anunciados = anunciados(&st, &u2)?;
        Ok::<_, AppError>((l, lista_pagadores(&st, &u2)?, anunciados))
    })
    .await?
    .map_err(Marco::fallo(&u))?;
    let actual = f.page.unwrap_or(1).max(1);
    let paginas = ((l.total + POR_PAGINA - 1) / POR_PAGINA).max(1);
    let solo = f.sin_aplicar == "1";
    let filas = l
        .items
        .into_iter()
        .map(|x| FilaPago {
            id: x.pago.id,
            fecha: fecha(x.pago.fecha),
            pagador: x.pagador,
            pagado_por: x.pagado_por,
            referencia: x.pago.referencia,
            medio: medio(&x.pago.medio),
            valor: pesos(x.pago.valor),
            aplicado: pesos(x.pago.aplicado),
            pendiente: !x.pago.sin_aplicar.is_zero(),
            sin_aplicar: pesos(x.pago.sin_aplicar),
        })
        .collect();
    let p = Pagos {
        marco: Marco::de(&u, "Pagos", "/pagos"),
        pagadores: pags,
        filas,
        total: l.total,
        pagina: actual,
        paginas,
        anterior: (actual > 1).then(|| f.url("/pagos", Some(actual - 1), solo)),
        siguiente: (actual < paginas).then(|| f.url("/pagos", Some(actual + 1), solo)),
        xlsx: f.url("/pagos.xlsx", None, solo),
        todos: f.url("/pagos", None, false),
        por_aplicar: f.url("/pagos", None, true),
        solo_por_aplicar: solo,
        registra: pagos::REGISTRAN.contains(&u.sesion.actor.rol),
        anunciados,
        f,
    };
    pagina(&u, &p)
}

#[derive(Deserialize)]
struct FormRechazo {
    #[serde(default)]
    motivo: String,
}

/// Confirms (the money arrived: it becomes a payment with the announced detail) or rejects
/// (with the reason the payer reads) a payment announced from a payer's window.
async fn decidir_anuncio(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: Usuario,
    ruta: web::Path<(String, String)>,
    cuerpo: web::Bytes,
) -> Result<HttpResponse, ErrorWeb> {
    let f = formulario::<FormRechazo>(&req, &u, &cuerpo)?;
    let (id, decision) = ruta.into_inner();
    let st = state.clone();
    let a = en_bloque(&u, move |u| match decision.as_str() {
        "confirmacion" => crate::app::anuncios::confirmar(&st.db, &st.terminos, st.hoy(), &u.sesion.actor, &id),
        "rechazo" => crate::app::anuncios::rechazar(
            &st.db,
            &u.sesion.actor,
            &id,
            crate::app::anuncios::Rechazo { motivo: f.motivo },
        ),
        _ => Err(AppError::not_found("esa acción")),
    })
    .await?;
    let aviso = match (&a.estado[..], &a.pago_id) {
        ("confirmado", Some(p)) => {
            return Ok(con_aviso(
                &format!("/pagos/{p}"),
                &format!(
                    "Pago anunciado por {} confirmado y aplicado: {}.",
                    a.pagador,
                    pesos(a.valor)
                ),
            ))
        }
        _ => format!(
            "Pago anunciado por {} rechazado; {} verá el motivo.",
            a.pagador, a.pagador
        ),
    };
    Ok(con_aviso("/pagos", &aviso))
}

/// Every payment of the search, as a workbook (the API's own).
async fn lista_xlsx(state: web::Data<AppState>, u: Usuario, q: web::Query<Filtros>) -> Result<HttpResponse, ErrorWeb> {
    let consulta = q.consulta(true).map_err(Marco::fallo(&u))?;
    let actor = u.sesion.actor.clone();
    let bytes = web::block(move || {
        let l = pagos::listar(&state.db, &actor, &consulta, true)?;
        pagos::xlsx(&l)
    })
    .await?
    .map_err(Marco::fallo(&u))?;
    let mut r = crate::api::reportes::xlsx("pagos.xlsx", bytes);
    super::cabeceras(r.headers_mut());
    Ok(r)
}

/// What "Registrar pago" typed, as typed.
#[derive(Deserialize, Default, Clone)]
pub struct FormPago {
    #[serde(default)]
    pub pagador_id: String,
    #[serde(default)]
    pub fecha: String,
    #[serde(default)]
    pub valor: String,
    #[serde(default)]
    pub referencia: String,
    #[serde(default)]
    pub medio: String,
}

#[derive(Template)]
#[template(path = "pagos_nuevo.html")]
struct PagoNuevo {
    marco: Marco,
    f: FormPago,
    pagadores: Vec<(String, String)>,
    medios: &'static [(&'static str, &'static str)],
    errores: HashMap<String, String>,
    hoy: String,
}

/// Every violation by its field (the first of each).
fn por_campo(e: AppError) -> Result<HashMap<String, String>, AppError> {
    match e {
        AppError::Invalid(v) => {
            let mut m = HashMap::new();
            for x in v {
                m.entry(x.path).or_insert(x.message);
            }
            Ok(m)
        }
        otro => Err(otro),
    }
}

fn form_pago(st: &AppState, u: &Usuario, f: FormPago, errores: HashMap<String, String>) -> Result<PagoNuevo, AppError> {
    Ok(PagoNuevo {
        marco: Marco::de(u, "Registrar pago", "/pagos"),
        pagadores: lista_pagadores(st, u)?,
        medios: MEDIOS,
        hoy: st.hoy().to_string(),
        f,
        errores,
    })
}

async fn nuevo(state: web::Data<AppState>, u: Usuario, q: web::Query<FormPago>) -> Result<HttpResponse, ErrorWeb> {
    let st = state.clone();
    let u2 = copia(&u);
    let mut f = q.into_inner();
    if f.fecha.is_empty() {
        f.fecha = state.hoy().to_string();
    }
    if f.medio.is_empty() {
        f.medio = "transferencia".into();
    }
    let p = web::block(move || {
        u2.sesion.actor.exigir(pagos::REGISTRAN, "registrar pagos")?;
        form_pago(&st, &u2, f, HashMap::new())
    })
    .await?
    .map_err(Marco::fallo(&u))?;
    pagina(&u, &p)
}

async fn registrar(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: Usuario,
    cuerpo: web::Bytes,
) -> Result<HttpResponse, ErrorWeb> {
    let f: FormPago = formulario(&req, &u, &cuerpo)?;
    let st = state.clone();
    let u2 = copia(&u);
    let r = web::block(
        move || -> Result<Result<(pagos::PagoVista, String), PagoNuevo>, AppError> {
            let mut errores = HashMap::new();
            let valor = leer_pesos(&f.valor);
            if valor.is_none() {
                errores.insert(
                    "valor".to_string(),
                    format!(
                        "'{}' no es un valor en pesos; escríbalo como 1.500.000 o 1.500.000,50",
                        f.valor
                    ),
                );
            }
            let dia = f.fecha.parse::<NaiveDate>().ok();
            if dia.is_none() {
                errores.insert("fecha".into(), "escriba la fecha en que se recibió el pago".into());
            }
            if f.pagador_id.trim().is_empty() {
                errores.insert("pagador_id".into(), "elija el pagador que pagó".into());
            }
            let (Some(valor), Some(dia)) = (valor, dia) else {
                return Ok(Err(form_pago(&st, &u2, f, errores)?));
            };
            if !errores.is_empty() {
                return Ok(Err(form_pago(&st, &u2, f, errores)?));
            }
            let n = NuevoPago {
                pagado_por_id: None,
                pagador_id: f.pagador_id.trim().to_string(),
                fecha: dia,
                valor,
                referencia: f.referencia.trim().to_string(),
                medio: f.medio.trim().to_string(),
                aplicaciones: Vec::new(),
            };
            match pagos::registrar(&st.db, &st.terminos, st.hoy(), &u2.sesion.actor, n) {
                Ok(p) => {
                    let nombre = pagadores::obtener(&st.db, &u2.sesion.actor, &p.pagador_id)?.nombre;
                    Ok(Ok((p, nombre)))
                }
                Err(AppError::NotFound(m)) => {
                    let mut e = HashMap::new();
                    e.insert("pagador_id".to_string(), m);
                    Ok(Err(form_pago(&st, &u2, f, e)?))
                }
                Err(e) => {
                    let errores = por_campo(e)?;
                    Ok(Err(form_pago(&st, &u2, f, errores)?))
                }
            }
        },
    )
    .await?
    .map_err(Marco::fallo(&u))?;
    match r {
        Ok((p, nombre)) => Ok(con_aviso(
            &format!("/pagos/{}", p.id),
            &format!(
                "Pago de {} de {nombre} registrado. Aplíquelo a sus facturas.",
                pesos(p.valor)
            ),
        )),
        Err(p) => html_con(StatusCode::UNPROCESSABLE_ENTITY, &p),
    }
}

pub struct FilaAplicada {
    /// To void this application.
    pub id: String,
    pub factura_id: String,
    pub numero: String,
    pub fecha: String,
    pub valor: String,
}

/// An invoice offered to apply the payment to, as the form shows it.
pub struct FilaOfrecida {
    pub factura_id: String,
    pub numero: String,
    pub expedida: String,
    pub saldo: String,
    /// The amount in the field (the suggestion, or what was typed).
    pub valor: String,
    pub marcada: bool,
    pub nombrada: bool,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "pagos_detalle.html")]
struct PagoDetalle {
    marco: Marco,
    id: String,
    pagador_id: String,
    pagador: String,
    fecha: String,
    valor: String,
    aplicado: String,
    sin_aplicar: String,
    pendiente: bool,
    referencia: String,
    medio: String,
    aplicadas: Vec<FilaAplicada>,
    /// The user may apply it (and there is money left).
    aplica: bool,
    /// The user may void it, or one of its applications.
    anula: bool,
    ofrecidas: Vec<FilaOfrecida>,
    sobrante: String,
    hay_sobrante: bool,
    omitidas: i64,
    fecha_aplicacion: String,
    hoy: String,
    /// Errors not of one invoice (the total, the date).
    errores: HashMap<String, String>,
    /// Some invoice's amount has an error.
    errores_fila: bool,
}

/// What the apply form sent: the invoices ticked and the amount typed for each, by id.
struct Aplicar {
    marcadas: Vec<String>,
    valores: HashMap<String, String>,
    fecha: String,
}

impl Aplicar {
    fn de(pares: Vec<(String, String)>) -> Aplicar {
        let mut a = Aplicar {
            marcadas: Vec::new(),
            valores: HashMap::new(),
            fecha: String::new(),
        };
        for (k, v) in pares {
            if k == "factura" {
                if !a.marcadas.contains(&v) {
                    a.marcadas.push(v);
                }
            } else if let Some(id) = k.strip_prefix("valor_") {
                a.valores.insert(id.to_string(), v);
            } else if k == "fecha" {
                a.fecha = v;
            }
        }
        a
    }
}

fn detalle(
    st: &AppState,
    u: &Usuario,
    id: &str,
    enviado: Option<&Aplicar>,
    mut errores: HashMap<String, String>,
) -> Result<PagoDetalle, AppError> {
    let actor = &u.sesion.actor;
    let hoy = st.hoy();
    let p = pagos::obtener(&st.db, actor, id)?;
    let pagador = pagadores::obtener(&st.db, actor, &p.pagador_id)?.nombre;
    let apls = p.aplicaciones.unwrap_or_default();
    let ids: Vec<String> = apls.iter().map(|a| a.factura_id.clone()).collect();
    let numeros = pagos::numeros(&st.db, actor, &ids)?;
    let aplicadas = apls
        .into_iter()
        .map(|a| FilaAplicada {
            id: a.id,
            numero: numeros.get(&a.factura_id).cloned().unwrap_or_default(),
            factura_id: a.factura_id,
            fecha: fecha(a.fecha),
            valor: pesos(a.valor),
        })
        .collect();
    let pendiente = !p.sin_aplicar.is_zero();
    let aplica = pendiente && pagos::REGISTRAN.contains(&actor.rol);
    let (ofrecidas, sobrante, omitidas) = if aplica {
        let s = pagos::sugerir(&st.db, &st.terminos, hoy, actor, id, OFRECIDAS)?;
        let filas = s
            .facturas
            .into_iter()
            .map(|x| {
                let (marcada, valor) = match enviado {
                    Some(e) => (
                        e.marcadas.contains(&x.factura_id),
                        e.valores.get(&x.factura_id).cloned().unwrap_or_default(),
                    ),
                    None => (
                        !x.sugerido.is_zero(),
                        if x.sugerido.is_zero() {
                            String::new()
                        } else {
                            en_campo(x.sugerido)
                        },
                    ),
                };
                FilaOfrecida {
                    error: errores.remove(&format!("valor_{}", x.factura_id)),
                    numero: x.numero,
                    expedida: fecha(x.fecha_expedicion),
                    saldo: pesos(x.saldo),
                    factura_id: x.factura_id,
                    valor,
                    marcada,
                    nombrada: x.nombrada,
                }
            })
            .collect();
        (filas, s.sobrante, s.omitidas)
    } else {
        (Vec::new(), rust_decimal::Decimal::ZERO, 0)
    };
    Ok(PagoDetalle {
        marco: Marco::de(u, format!("Pago de {} · {pagador}", pesos(p.valor)), "/pagos"),
        id: p.id,
        pagador_id: p.pagador_id,
        pagador,
        fecha: fecha(p.fecha),
        valor: pesos(p.valor),
        aplicado: pesos(p.aplicado),
        sin_aplicar: pesos(p.sin_aplicar),
        pendiente,
        referencia: p.referencia,
        medio: medio(&p.medio),
        aplicadas,
        aplica,
        anula: super::correcciones::anula_pagos(actor.rol),
        hay_sobrante: !sobrante.is_zero(),
        sobrante: pesos(sobrante),
        omitidas,
        fecha_aplicacion: enviado
            .map(|e| e.fecha.clone())
            .filter(|f| !f.is_empty())
            .unwrap_or_else(|| p.fecha.to_string()),
        hoy: hoy.to_string(),
        errores_fila: ofrecidas.iter().any(|o| o.error.is_some()),
        ofrecidas,
        errores,
    })
}

async fn uno(state: web::Data<AppState>, u: Usuario, id: web::Path<String>) -> Result<HttpResponse, ErrorWeb> {
    let st = state.clone();
    let u2 = copia(&u);
    let id = id.into_inner();
    let mut p = web::block(move || detalle(&st, &u2, &id, None, HashMap::new()))
        .await?
        .map_err(Marco::fallo(&u))?;
    p.marco.aviso = u.aviso.clone();
    pagina(&u, &p)
}

/// Applies the ticked invoices, each with the amount typed; errors come back next to each.
async fn aplicar(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: Usuario,
    id: web::Path<String>,
    cuerpo: web::Bytes,
) -> Result<HttpResponse, ErrorWeb> {
    let a = Aplicar::de(formulario::<Vec<(String, String)>>(&req, &u, &cuerpo)?);
    let st = state.clone();
    let u2 = copia(&u);
    let id = id.into_inner();
    let r = web::block(
        move || -> Result<Result<(pagos::PagoVista, rust_decimal::Decimal, usize), PagoDetalle>, AppError> {
            let mut errores = HashMap::new();
            let mut aplicaciones = Vec::new();
            for fid in &a.marcadas {
                let texto = a.valores.get(fid).map(String::as_str).unwrap_or_default();
                match leer_pesos(texto) {
                    Some(valor) => aplicaciones.push(NuevaAplicacion {
                        factura_id: fid.clone(),
                        valor,
                    }),
                    None => {
                        errores.insert(
                            format!("valor_{fid}"),
                            if texto.trim().is_empty() {
                                "escriba cuánto de este pago va a esta factura".to_string()
                            } else {
                                format!("'{texto}' no es un valor en pesos; escríbalo como 150.000 o 150.000,50")
                            },
                        );
                    }
                }
            }
            let dia = match a.fecha.trim() {
                "" => None,
                t => match t.parse::<NaiveDate>() {
                    Ok(d) => Some(d),
                    Err(_) => {
                        errores.insert("fecha".into(), "escriba la fecha de la aplicación".into());
                        None
                    }
                },
            };
            if !errores.is_empty() {
                return Ok(Err(detalle(&st, &u2, &id, Some(&a), errores)?));
            }
            let total: rust_decimal::Decimal = aplicaciones.iter().map(|x| x.valor).sum();
            let n = aplicaciones.len();
            let ids: Vec<String> = aplicaciones.iter().map(|x| x.factura_id.clone()).collect();
            let pedido = NuevasAplicaciones {
                aplicaciones,
                fecha: dia,
            };
            match pagos::aplicar(&st.db, &st.terminos, st.hoy(), &u2.sesion.actor, &id, pedido) {
                Ok(p) => Ok(Ok((p, total, n))),
                Err(e) => {
                    // `aplicaciones[i].valor` is the field of the i-th invoice sent.
                    let errores = por_campo(e)?
                        .into_iter()
                        .map(|(k, v)| {
                            let fila = k
                                .strip_prefix("aplicaciones[")
                                .and_then(|r| r.split_once(']'))
                                .and_then(|(i, _)| i.parse::<usize>().ok())
                                .and_then(|i| ids.get(i));
                            match fila {
                                Some(fid) => (format!("valor_{fid}"), v),
                                None => (k, v),
                            }
                        })
                        .collect();
                    Ok(Err(detalle(&st, &u2, &id, Some(&a), errores)?))
                }
            }
        },
    )
    .await?
    .map_err(Marco::fallo(&u))?;
    match r {
        Ok((p, total, n)) => Ok(con_aviso(
            &format!("/pagos/{}", p.id),
            &format!(
                "{} aplicados a {n} factura{}; quedan {} por aplicar.",
                pesos(total),
                if n == 1 { "" } else { "s" },
                pesos(p.sin_aplicar)
            ),
        )),
        Err(p) => html_con(StatusCode::UNPROCESSABLE_ENTITY, &p),
    }
}

/// A payment without the payer's detail, applied by the rule of Res. 2284/2023 art. 7.
async fn sin_detalle(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: Usuario,
    id: web::Path<String>,
    cuerpo: web::Bytes,
) -> Result<HttpResponse, ErrorWeb> {
    formulario::<serde::de::IgnoredAny>(&req, &u, &cuerpo)?;
    let st = state.clone();
    let actor = u.sesion.actor.clone();
    let id = id.into_inner();
    let p = web::block(move || {
        pagos::aplicar_sin_detalle(
            &st.db,
            &st.terminos,
            st.hoy(),
            &actor,
            &id,
            pagos::AplicacionSinDetalle { fecha: None },
        )
    })
    .await?
    .map_err(Marco::fallo(&u))?;
    Ok(con_aviso(
        &format!("/pagos/{}", p.id),
        &format!(
            "Pago aplicado a las facturas más antiguas aceptadas (Res. 2284 de 2023, art. 7): {} aplicados, {} por aplicar.",
            pesos(p.aplicado),
            pesos(p.sin_aplicar)
        ),
    ))
}

pub fn rutas(cfg: &mut web::ServiceConfig) {
    cfg.route("/pagos", web::get().to(lista))
        .route("/pagos", web::post().to(registrar))
        .route("/pagos.xlsx", web::get().to(lista_xlsx))
        .route("/pagos/nuevo", web::get().to(nuevo))
        .route("/pagos/{id}", web::get().to(uno))
        .route("/pagos/{id}/aplicaciones", web::post().to(aplicar))
        .route("/pagos/{id}/sin-detalle", web::post().to(sin_detalle))
        .route("/pagos/anuncios/{id}/{decision}", web::post().to(decidir_anuncio));
}
