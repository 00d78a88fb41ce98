//! Mi bandeja: the signed-in person's work by legal deadline — glosas and devoluciones to
//! answer, invoices to radicate, payer decisions and payments overdue — and, for cartera,
//! the agreement instalments falling due and the payers to call. The same use cases as
//! `GET /api/v1/alertas` and `GET /api/v1/trabajo`.

use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::formato::{dias_habiles, fecha, palabras, pesos};
use super::sesion::{en_bloque, pagina, Usuario};
use super::{ErrorWeb, Marco};
use crate::api::AppState;
use crate::app::reportes::{self, ConsultaAlertas, TipoAlerta};
use crate::app::trabajo;
use crate::domain::rol::Rol;

pub struct FilaAlerta {
    pub vence: String,
    pub plazo: String,
    pub vencida: bool,
    pub tipo: String,
    pub factura_id: String,
    pub numero: String,
    pub pagador: String,
    pub codigo: String,
    pub valor: String,
    pub accion: String,
    /// A glosa to answer, for who answers them: its id, to its form (which offers the next
    /// one after).
    pub responder: Option<String>,
}

pub struct FilaCuota {
    pub acuerdo: String,
    pub cuota: i32,
    pub vence: String,
    pub vencida: bool,
    pub pendiente: String,
}

pub struct FilaLlamada {
    pub pagador: String,
    pub etapa: String,
    pub vencido: String,
    pub ultima: String,
    pub motivo: String,
}

#[derive(Template)]
#[template(path = "bandeja.html")]
struct Bandeja {
    marco: Marco,
    dias: u32,
    tipo: String,
    tipos: Vec<(&'static str, String)>,
    hasta: String,
    total: usize,
    /// This view is of the deadlines already missed.
    vencidas: bool,
    /// How many the other view holds, and its link.
    otras: usize,
    otra_vista: String,
    filas: Vec<FilaAlerta>,
    /// Whether the cartera work list is shown (it loads after the page).
    trabajo: bool,
    anterior: Option<String>,
    siguiente: Option<String>,
}

#[derive(Deserialize)]
struct Consulta {
    dias: Option<u32>,
    tipo: Option<String>,
    /// `vencidas` for the deadlines already missed; otherwise those still running, due
    /// soonest first: the work that can still be done in time comes first.
    ver: Option<String>,
    page: Option<i64>,
}

const POR_PAGINA: i64 = 50;

/// The window the bandeja looks ahead, in días hábiles: 10 unless asked, from 1 to 60.
fn dias_habiles_de(pedidos: Option<u32>) -> u32 {
    pedidos.unwrap_or(10).clamp(1, 60)
}

async fn bandeja(state: web::Data<AppState>, u: Usuario, q: web::Query<Consulta>) -> Result<HttpResponse, ErrorWeb> {
    let Consulta { dias, tipo, ver, page } = q.into_inner();
    let vencidas = ver.as_deref() == Some("vencidas");
    let dias = dias_habiles_de(dias);
    let tipo = tipo.filter(|t| !t.is_empty());
    let page = page.unwrap_or(1).max(1);
    let actor = u.sesion.actor.clone();
    let st = state.clone();
    let consulta = ConsultaAlertas {
        dias: Some(dias),
        tipo: tipo.clone(),
        pagador_id: None,
        vencidas: Some(vencidas),
        page: Some(page),
        per_page: Some(POR_PAGINA),
        formato: None,
    };
    let (alertas, otras) = web::block(move || {
        let hoy = st.hoy();
        let otra = ConsultaAlertas {
            vencidas: Some(!vencidas),
            page: Some(1),
            per_page: Some(1),
            tipo: consulta.tipo.clone(),
            ..ConsultaAlertas::default()
        };
        // One computation of the alerts for both views.
        reportes::filtrar(reportes::Alertas::default(), &consulta, false)?;
        let todas = reportes::alertas(&st.db, &st.terminos, &actor, dias, hoy)?;
        let otras = reportes::filtrar(todas.clone(), &otra, false)?.total;
        let a = reportes::filtrar(todas, &consulta, false)?;
        Ok::<_, crate::app::AppError>((a, otras))
    })
    .await?
    .map_err(Marco::fallo(&u))?;
    let responde = crate::app::glosas::CARTERA.contains(&u.sesion.actor.rol);
    let filas: Vec<FilaAlerta> = alertas
        .items
        .iter()
        .map(|a| FilaAlerta {
            vence: fecha(a.vence),
            plazo: dias_habiles(a.dias_habiles_restantes),
            vencida: a.vencida,
            tipo: palabras(a.tipo.as_str()),
            factura_id: a.factura_id.clone(),
            numero: a.numero.clone(),
            pagador: a.pagador.clone(),
            codigo: a.codigo.clone().unwrap_or_default(),
            valor: pesos(a.valor),
            accion: a.accion.clone(),
            responder: a
                .glosa_id
                .as_ref()
                .filter(|_| responde && matches!(a.tipo, TipoAlerta::GlosaPorResponder | TipoAlerta::GlosaExtemporanea))
                .cloned(),
        })
        .collect();
    let enlace_a = |vencidas: bool, p: i64| {
        super::url(
            "/bandeja",
            &[
                ("dias", &dias.to_string()),
                ("tipo", tipo.as_deref().unwrap_or_default()),
                ("ver", if vencidas { "vencidas" } else { "" }),
                ("page", &p.to_string()),
            ],
        )
    };
    let enlace = |p: i64| enlace_a(vencidas, p);
    let paginas = (alertas.total as i64 + POR_PAGINA - 1) / POR_PAGINA;
    let p = Bandeja {
        marco: Marco::de(&u, "Mi bandeja", "/bandeja"),
        dias,
        tipo: tipo.clone().unwrap_or_default(),
        tipos: TipoAlerta::ALL
            .iter()
            .map(|t| (t.as_str(), palabras(t.as_str())))
            .collect(),
        hasta: fecha(alertas.hasta),
        total: alertas.total,
        vencidas,
        otras,
        otra_vista: enlace_a(!vencidas, 1),
        filas,
        trabajo: trabajo_visible(u.sesion.actor.rol),
        anterior: (page > 1).then(|| enlace(page - 1)),
        siguiente: (page < paginas).then(|| enlace(page + 1)),
    };
    pagina(&u, &p)
}

#[derive(Template)]
#[template(path = "bandeja_trabajo.html")]
struct Trabajo {
    cuotas: Vec<FilaCuota>,
    compromisos: Vec<FilaCompromiso>,
    llamar: Vec<FilaLlamada>,
}

/// A commitment of an acta de conciliación due in the window, or broken.
struct FilaCompromiso {
    acta_id: String,
    acta: String,
    responsable: &'static str,
    descripcion: String,
    vence: String,
    vencido: bool,
}

#[derive(Template)]
#[template(path = "bandeja_trabajo_pagina.html")]
struct TrabajoPagina {
    marco: Marco,
    dias: u32,
    cuotas: Vec<FilaCuota>,
    compromisos: Vec<FilaCompromiso>,
    llamar: Vec<FilaLlamada>,
}

#[derive(Deserialize)]
struct ConsultaTrabajo {
    dias: Option<u32>,
}

/// `/bandeja/trabajo`: the instalments falling due and the payers to call, which Mi bandeja
/// loads after its deadlines (they need every payer's overdue debt, the aging at today); a
/// page of its own when asked without htmx.
async fn trabajo(
    state: web::Data<AppState>,
    u: Usuario,
    q: web::Query<ConsultaTrabajo>,
    req: actix_web::HttpRequest,
) -> Result<HttpResponse, ErrorWeb> {
    let dias = dias_habiles_de(q.dias);
    let st = state.clone();
    let l = en_bloque(&u, move |u| {
        trabajo::sin_glosas(&st.db, &st.terminos, &u.sesion.actor, dias, st.hoy())
    })
    .await?;
    let cuotas = l
        .cuotas
        .iter()
        .map(|c| FilaCuota {
            acuerdo: c.acuerdo.clone(),
            cuota: c.cuota,
            vence: fecha(c.vence),
            vencida: c.vencida,
            pendiente: pesos(c.pendiente),
        })
        .collect();
    let compromisos = l
        .compromisos
        .iter()
        .map(|c| FilaCompromiso {
            acta_id: c.acta_id.clone(),
            acta: c.acta.clone(),
            responsable: match c.responsable {
                crate::domain::acta::Parte::Prestador => "IPS",
                crate::domain::acta::Parte::Pagador => "Pagador",
            },
            descripcion: c.descripcion.clone(),
            vence: fecha(c.vence),
            vencido: c.estado == crate::domain::acta::EstadoCompromiso::Vencido,
        })
        .collect();
    let llamar = l
        .llamar
        .iter()
        .map(|p| FilaLlamada {
            pagador: p.pagador.clone(),
            etapa: palabras(p.etapa.as_str()),
            vencido: pesos(p.vencido),
            ultima: p.ultima_gestion.map_or_else(|| "nunca".into(), fecha),
            motivo: p.motivo.clone(),
        })
        .collect();
    if req.headers().contains_key("HX-Request") {
        super::html(&Trabajo {
            cuotas,
            compromisos,
            llamar,
        })
    } else {
        pagina(
            &u,
            &TrabajoPagina {
                marco: Marco::de(&u, "Cuotas y pagadores por llamar", "/bandeja"),
                dias,
                cuotas,
                compromisos,
                llamar,
            },
        )
    }
}

/// Whether the bandeja shows the cartera work list (instalments, payers to call): to whom its
/// use case shows it.
fn trabajo_visible(rol: Rol) -> bool {
    crate::app::cobro::GESTORES.contains(&rol)
}

pub fn rutas(cfg: &mut web::ServiceConfig) {
    cfg.route("/bandeja", web::get().to(bandeja))
        .route("/bandeja/trabajo", web::get().to(trabajo));
}
