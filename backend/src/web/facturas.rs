//! Facturas: the search (filters kept in the URL, paged in SQL, XLSX exactly as filtered) and
//! one invoice — its saldo, lines, glosas, devoluciones, deadlines and trazabilidad as a
//! timeline. The same use cases as `GET /api/v1/facturas` and `.../trazabilidad`.

use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::formato::{dias_habiles, fecha, fecha_o_guion, palabras, pesos};
use super::sesion::{pagina, Usuario};
use super::{ErrorWeb, Marco};
use crate::api::AppState;
use crate::app::facturas::{self, ConsultaFacturas};
use crate::app::pagadores::{self, ConsultaPagadores};
use crate::app::{trazabilidad, AppError};
use crate::domain::factura::EstadoFactura;

pub struct FilaFactura {
    pub id: String,
    pub numero: String,
    pub pagador: String,
    pub expedida: String,
    pub estado: String,
    pub valor: String,
    pub saldo: String,
    pub en_discusion: String,
    pub radicada: String,
}

#[derive(Template)]
#[template(path = "facturas.html")]
struct Facturas {
    marco: Marco,
    f: Filtros,
    estados: Vec<(&'static str, String)>,
    pagadores: Vec<(String, String)>,
    filas: Vec<FilaFactura>,
    total: i64,
    pagina: i64,
    paginas: i64,
    anterior: Option<String>,
    siguiente: Option<String>,
    xlsx: String,
    /// The user may radicate: the list offers "radicar en lote" (of one payer).
    lote: bool,
    /// The user registers invoices: the list offers "Nueva factura".
    puede_crear: bool,
    volver: String,
    hoy: String,
}

/// The search as the URL keeps it.
#[derive(Deserialize, Default, Clone)]
pub struct Filtros {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub estado: String,
    #[serde(default)]
    pub pagador_id: String,
    #[serde(default)]
    pub desde: String,
    #[serde(default)]
    pub hasta: String,
    pub page: Option<i64>,
}

const POR_PAGINA: i64 = 50;

impl Filtros {
    fn consulta(&self, todas: bool) -> Result<ConsultaFacturas, AppError> {
        let fecha = super::formulario::fecha_filtro;
        let texto = |v: &str| Some(v.trim().to_string()).filter(|v| !v.is_empty());
        Ok(ConsultaFacturas {
            estado: texto(&self.estado),
            pagador_id: texto(&self.pagador_id),
            desde: fecha("desde", &self.desde)?,
            hasta: fecha("hasta", &self.hasta)?,
            q: texto(&self.q),
            page: (!todas).then_some(self.page.unwrap_or(1).max(1)),
            per_page: Some(POR_PAGINA),
            formato: None,
        })
    }

    /// This search's URL at `ruta`, on page `pagina`.
    fn url(&self, ruta: &str, pagina: Option<i64>) -> String {
        let p = pagina.map(|p| p.to_string()).unwrap_or_default();
        super::url(
            ruta,
            &[
                ("q", &self.q),
                ("estado", &self.estado),
                ("pagador_id", &self.pagador_id),
                ("desde", &self.desde),
                ("hasta", &self.hasta),
                ("page", &p),
            ],
        )
    }
}

/// The tenant's payers to pick from, by id and name.
pub(super) fn nombres_pagadores(st: &AppState, actor: &crate::app::Actor) -> Result<Vec<(String, String)>, AppError> {
    let p = pagadores::listar(
        &st.db,
        actor,
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

async fn lista(state: web::Data<AppState>, u: Usuario, q: web::Query<Filtros>) -> Result<HttpResponse, ErrorWeb> {
    let f = q.into_inner();
    let consulta = f.consulta(false).map_err(Marco::fallo(&u))?;
    let actor = u.sesion.actor.clone();
    let st = state.clone();
    let (l, pags) = web::block(move || {
        let l = facturas::listar(&st.db, &st.terminos, st.hoy(), &actor, consulta, false)?;
        Ok::<_, AppError>((l, nombres_pagadores(&st, &actor)?))
    })
    .await?
    .map_err(Marco::fallo(&u))?;
    let pagina_actual = f.page.unwrap_or(1).max(1);
    let paginas = ((l.total + POR_PAGINA - 1) / POR_PAGINA).max(1);
    let filas = l
        .items
        .into_iter()
        .map(|i| FilaFactura {
            id: i.factura.id,
            numero: i.factura.numero,
            pagador: i.pagador,
            expedida: fecha(i.factura.fecha_expedicion),
            estado: palabras(i.factura.estado.as_str()),
            valor: pesos(i.factura.valor_total),
            saldo: pesos(i.factura.saldo),
            en_discusion: pesos(i.factura.en_discusion),
            radicada: fecha_o_guion(i.factura.fecha_radicacion),
        })
        .collect();
    let p = Facturas {
        marco: Marco::de(&u, "Facturas", "/facturas"),
        estados: EstadoFactura::ALL
            .iter()
            .map(|e| (e.as_str(), palabras(e.as_str())))
            .collect(),
        pagadores: pags,
        filas,
        total: l.total,
        pagina: pagina_actual,
        paginas,
        anterior: (pagina_actual > 1).then(|| f.url("/facturas", Some(pagina_actual - 1))),
        siguiente: (pagina_actual < paginas).then(|| f.url("/facturas", Some(pagina_actual + 1))),
        xlsx: f.url("/facturas.xlsx", None),
        lote: crate::app::radicaciones::RADICAN.contains(&u.sesion.actor.rol),
        puede_crear: facturas::REGISTRAN.contains(&u.sesion.actor.rol),
        volver: f.url("/facturas", Some(pagina_actual)),
        hoy: state.hoy().to_string(),
        f,
    };
    pagina(&u, &p)
}

/// Every invoice of the search, as a workbook (the API's own).
async fn lista_xlsx(state: web::Data<AppState>, u: Usuario, q: web::Query<Filtros>) -> Result<HttpResponse, ErrorWeb> {
    let consulta = q.consulta(true)?;
    let actor = u.sesion.actor.clone();
    let bytes = web::block(move || {
        let l = facturas::listar(&state.db, &state.terminos, state.hoy(), &actor, consulta, true)?;
        facturas::xlsx(&l)
    })
    .await?
    .map_err(Marco::fallo(&u))?;
    let mut r = crate::api::reportes::xlsx("facturas.xlsx", bytes);
    super::cabeceras(r.headers_mut());
    Ok(r)
}

pub struct Linea {
    pub linea: i32,
    pub codigo: String,
    pub descripcion: String,
    pub cantidad: String,
    pub unitario: String,
    pub total: String,
}

pub struct FilaPlazo {
    pub nombre: String,
    pub responsable: String,
    pub vence: String,
    pub texto: String,
    pub vencido: bool,
    pub fuente: String,
}

/// A line of the saldo's breakdown: what it is, its amount and its sign ("−", "+" or "=").
pub struct LineaSaldo {
    pub texto: &'static str,
    pub signo: &'static str,
    pub valor: String,
}

/// A payment applied to the invoice.
pub struct FilaPagoFactura {
    pub pago_id: String,
    pub fecha: String,
    pub recibido: String,
    pub referencia: String,
    pub valor: String,
    pub recuperacion: bool,
}

pub struct Hito {
    pub fecha: String,
    pub tipo: String,
    pub actor: String,
    pub saldo: String,
    pub termino: String,
    /// "cumplido", "vencido" or empty.
    pub cumplimiento: &'static str,
    pub abre: Vec<String>,
    pub anulado: Option<String>,
}

#[derive(Template)]
#[template(path = "factura.html")]
struct Factura {
    marco: Marco,
    id: String,
    hoy: String,
    /// The user's role may radicate, and the invoice is waiting to be radicated.
    puede_radicar: bool,
    /// The user's role registers and answers glosas.
    puede_glosar: bool,
    /// ... and the invoice is in the payer's hands, never returned before.
    puede_devolver: bool,
    numero: String,
    pagador: String,
    estado: String,
    cufe: String,
    expedida: String,
    radicada: String,
    radicado: String,
    /// valor − copagos − ... = saldo, each line of the ledger that is not zero.
    desglose: Vec<LineaSaldo>,
    saldo: String,
    en_discusion: String,
    pagos: Vec<FilaPagoFactura>,
    total_pagos: String,
    lineas: Vec<Linea>,
    glosas: Vec<super::glosas::FilaGlosa>,
    devoluciones: Vec<super::devoluciones::FilaDevolucion>,
    /// The user may void the radicación in force (the use case still checks nothing rests on it).
    puede_anular_radicacion: bool,
    /// Came from answering a glosa of Mi bandeja: the next one to answer, or none left.
    siguiente: Option<Option<String>>,
    plazos: Vec<FilaPlazo>,
    hitos: Vec<Hito>,
    /// While the invoice waits to be radicated: its soportes checklist (Res. 2284/2023 Anexo 1).
    chequeo: Option<crate::app::chequeo::ChequeoFactura>,
    /// Radicating an incomplete invoice asks for a reason (`radicacion.exigir_soportes`).
    exigir_soportes: bool,
    /// The user registers a RIPS's CUV.
    puede_cuv: bool,
    /// What the checklist's list of soportes does not already show: the RIPS's state.
    avisos_chequeo: Vec<String>,
}

/// `?desde=bandeja&siguiente=<glosa>`: the invoice is shown after answering a glosa from Mi
/// bandeja, and offers the next one (none left when `siguiente` is empty).
#[derive(Deserialize)]
struct Vuelta {
    #[serde(default)]
    desde: String,
    #[serde(default)]
    siguiente: String,
}

async fn una(
    state: web::Data<AppState>,
    u: Usuario,
    id: web::Path<String>,
    q: web::Query<Vuelta>,
) -> Result<HttpResponse, ErrorWeb> {
    let id = id.into_inner();
    let state_hoy = state.hoy().to_string();
    let actor = u.sesion.actor.clone();
    let st = state.clone();
    let (f, t, d, pagos, chequeo) = web::block(move || {
        let hoy = st.hoy();
        let f = facturas::obtener(&st.db, &st.terminos, hoy, &actor, &id)?;
        let t = trazabilidad::construir(&st.db, &st.terminos, hoy, &actor, &id)?;
        let d = facturas::desglose(&st.db, &st.terminos, hoy, &actor, &id)?;
        let p = crate::app::pagos::de_factura(&st.db, &actor, &id)?;
        let ch = matches!(f.estado, EstadoFactura::Expedida | EstadoFactura::Devuelta)
            .then(|| crate::app::chequeo::de_factura(&st.db, &actor, &id))
            .transpose()?;
        Ok::<_, AppError>((f, t, d, p, ch))
    })
    .await?
    .map_err(Marco::fallo(&u))?;
    let lineas = f
        .items
        .unwrap_or_default()
        .into_iter()
        .map(|i| Linea {
            linea: i.linea,
            codigo: i.codigo,
            descripcion: i.descripcion,
            cantidad: i.cantidad.normalize().to_string(),
            unitario: pesos(i.valor_unitario),
            total: pesos(i.valor_total),
        })
        .collect();
    let (rol, hoy) = (u.sesion.actor.rol, state.hoy());
    let glosas = f
        .glosas
        .unwrap_or_default()
        .into_iter()
        .map(|g| super::glosas::fila(g, rol, &state.terminos, hoy))
        .collect();
    let devoluciones: Vec<_> = f
        .devoluciones
        .unwrap_or_default()
        .into_iter()
        .map(|d| super::devoluciones::fila(d, rol))
        .collect();
    let plazos = t
        .plazos
        .iter()
        .map(|p| FilaPlazo {
            nombre: palabras(&p.termino),
            responsable: palabras(p.responsable),
            vence: fecha(p.vence),
            texto: dias_habiles(p.dias_habiles_restantes),
            vencido: p.vencido,
            fuente: p.fuente.clone(),
        })
        .collect();
    let hitos = t
        .eventos
        .iter()
        .map(|e| Hito {
            fecha: fecha(e.fecha),
            tipo: palabras(&e.tipo),
            actor: e.actor.clone(),
            saldo: pesos(e.saldo),
            termino: e.termino.as_deref().map(palabras).unwrap_or_default(),
            cumplimiento: match e.cumplido {
                Some(true) => "cumplido",
                Some(false) => "vencido",
                None => "",
            },
            abre: e
                .abre
                .iter()
                .map(|a| format!("{}: vence el {}", palabras(&a.nombre), fecha(a.vence)))
                .collect(),
            anulado: e
                .anulado
                .as_ref()
                .map(|a| format!("Anulado el {} por {}: {}", fecha(a.fecha), a.por, a.motivo)),
        })
        .collect();
    let total_pagos = pesos(pagos.iter().map(|p| p.valor).sum());
    let pagos = pagos
        .into_iter()
        .map(|p| FilaPagoFactura {
            pago_id: p.pago_id,
            fecha: fecha(p.fecha),
            recibido: fecha(p.fecha_pago),
            referencia: p.referencia,
            valor: pesos(p.valor),
            recuperacion: p.recuperacion,
        })
        .collect();
    let q = q.into_inner();
    // Only an id goes into the link.
    let siguiente = (q.desde == "bandeja").then(|| {
        Some(q.siguiente).filter(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
    });
    let p = Factura {
        marco: Marco::de(&u, format!("Factura {}", f.numero), "/facturas"),
        id: f.id.clone(),
        hoy: state_hoy,
        puede_radicar: crate::app::radicaciones::RADICAN.contains(&rol)
            && matches!(f.estado, EstadoFactura::Expedida | EstadoFactura::Devuelta),
        puede_glosar: crate::app::glosas::CARTERA.contains(&rol),
        puede_anular_radicacion: super::correcciones::anula_radicaciones(rol) && f.fecha_radicacion.is_some(),
        siguiente,
        puede_devolver: crate::app::devoluciones::REGISTRAN.contains(&rol)
            && matches!(f.estado, EstadoFactura::Radicada | EstadoFactura::Reradicada)
            && devoluciones.is_empty(),
        numero: f.numero,
        pagador: t.factura.pagador.clone(),
        estado: palabras(f.estado.as_str()),
        cufe: f.cufe.unwrap_or_default(),
        expedida: fecha(f.fecha_expedicion),
        radicada: fecha_o_guion(f.fecha_radicacion),
        radicado: f.numero_radicado.unwrap_or_default(),
        desglose: lineas_saldo(&d),
        saldo: pesos(f.saldo),
        en_discusion: pesos(f.en_discusion),
        pagos,
        total_pagos,
        lineas,
        glosas,
        devoluciones,
        plazos,
        hitos,
        avisos_chequeo: chequeo
            .as_ref()
            .map(|c| {
                c.faltantes
                    .iter()
                    .zip(&c.mensajes)
                    .filter(|(f, _)| !matches!(f, crate::domain::anexo1::Faltante::Soporte { .. }))
                    .map(|(_, m)| m.clone())
                    .collect()
            })
            .unwrap_or_default(),
        chequeo,
        exigir_soportes: state.radicacion.exigir_soportes,
        puede_cuv: crate::app::chequeo::REGISTRAN_CUV.contains(&rol),
    };
    pagina(&u, &p)
}

/// The breakdown's lines as the "Saldo" card shows them: the value always, the rest when not zero.
pub fn lineas_saldo(d: &facturas::Desglose) -> Vec<LineaSaldo> {
    let lineas = [
        ("Valor de la factura", "", d.valor),
        ("Copagos", "−", d.copagos),
        ("Cuotas moderadoras", "−", d.cuotas),
        ("Notas débito", "+", d.notas_debito),
        ("Anticipos del pagador", "−", d.anticipos),
        ("Glosas aceptadas", "−", d.glosa_aceptada),
        ("Glosas conciliadas (a cargo del prestador)", "−", d.glosa_conciliada),
        ("Glosas aceptadas por silencio", "−", d.aceptada_por_silencio),
        ("Pagos aplicados", "−", d.pagos),
        ("Notas crédito", "−", d.notas_credito),
        ("Castigado", "−", d.castigado),
    ];
    lineas
        .into_iter()
        .enumerate()
        .filter(|(i, (_, _, v))| *i == 0 || !v.is_zero())
        .map(|(_, (texto, signo, v))| {
            // A reversal can leave a line negative: it then adds.
            let (signo, v) = match (signo, v.is_sign_negative()) {
                ("−", true) => ("+", -v),
                ("+", true) => ("−", -v),
                _ => (signo, v),
            };
            LineaSaldo {
                texto,
                signo,
                valor: pesos(v),
            }
        })
        .collect()
}

pub fn rutas(cfg: &mut web::ServiceConfig) {
    cfg.route("/facturas", web::get().to(lista))
        .route("/facturas.xlsx", web::get().to(lista_xlsx))
        .route("/facturas/{id}", web::get().to(una));
}
