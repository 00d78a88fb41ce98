//! Registering a glosa (the due date of the answer shown before saving, extemporánea said at
//! once), answering one (only the response codes that fit), the payer's decision on the answer
//! and the conciliation of what it ratified, from an invoice's page; and the glosa's row on
//! that page, with the actions its state and the user's role allow. The same use cases as
//! `POST /api/v1/facturas/{id}/glosas`, `/glosas/{id}/respuesta`, `/glosas/{id}/decisiones`
//! and `/glosas/{id}/conciliaciones`.

use std::collections::HashMap;

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use chrono::NaiveDate;

use super::formato::{dias_habiles, fecha, fecha_o_guion, palabras, pesos};
use super::formulario::{estado, leer_fecha, leer_valor, por_campo, Errores, Opcion};
use super::sesion::{con_aviso, en_bloque, formulario, pagina, Usuario};
use super::{html_con, ErrorWeb, Marco};
use crate::api::AppState;
use crate::app::glosas::{self, GlosaVista, NuevaConciliacion, NuevaDecision, NuevaGlosa, NuevaRespuesta};
use crate::app::reportes::{self, TipoAlerta};
use crate::app::{correcciones, facturas, AppError};
use crate::domain::calendario::dias_habiles_entre;
use crate::domain::catalogo::{Catalogo, RespondeA};
use crate::domain::glosa::{EstadoGlosa, ResultadoDecision};
use crate::domain::rol::Rol;
use crate::domain::terminos::Terminos;

/// What a form typed, as typed, to give it back with its errors.
#[derive(Deserialize, Default, Clone)]
pub struct FormGlosa {
    #[serde(default)]
    pub codigo: String,
    #[serde(default)]
    pub valor: String,
    #[serde(default)]
    pub fecha_formulacion: String,
    #[serde(default)]
    pub fecha_recepcion: String,
    #[serde(default)]
    pub item: String,
    #[serde(default)]
    pub observacion: String,
    /// `revisar` to see what would be recorded, anything else to record it.
    #[serde(default)]
    pub accion: String,
}

#[derive(Template)]
#[template(path = "glosa_nueva.html")]
struct GlosaNueva {
    marco: Marco,
    factura_id: String,
    numero: String,
    saldo: String,
    f: FormGlosa,
    codigos: Vec<Opcion>,
    lineas: Vec<(i32, String)>,
    errores: HashMap<String, String>,
    /// What would be recorded, after "Revisar".
    revision: Option<Revision>,
}

/// A form that comes back: what was typed, its errors by field, and the review if asked.
type Vuelta = (FormGlosa, HashMap<String, String>, Option<Revision>);

pub struct Revision {
    pub vence: String,
    pub plazo: String,
    pub fuente: String,
    pub extemporanea: bool,
}

impl FormGlosa {
    /// The use case's input, or the errors of what could not be read.
    fn nueva(&self) -> Result<NuevaGlosa, HashMap<String, String>> {
        let mut e = HashMap::new();
        let valor = leer_valor("valor", &self.valor, &mut e);
        let formulacion = leer_fecha("fecha_formulacion", &self.fecha_formulacion, &mut e);
        let recepcion = leer_fecha("fecha_recepcion", &self.fecha_recepcion, &mut e);
        let item = match self.item.trim() {
            "" => None,
            i => match i.parse() {
                Ok(n) => Some(n),
                Err(_) => {
                    e.insert("item".into(), "elija un servicio de la lista".into());
                    None
                }
            },
        };
        match (valor, formulacion, recepcion) {
            (Some(valor), Some(fecha_formulacion), Some(fecha_recepcion)) if e.is_empty() => Ok(NuevaGlosa {
                codigo: self.codigo.trim().to_string(),
                valor,
                fecha_formulacion,
                fecha_recepcion,
                item,
                observacion: self.observacion.trim().to_string(),
                hecho_nuevo: false,
                reemplaza: None,
            }),
            _ => Err(e),
        }
    }
}

/// The page of the form, with what the invoice offers to pick.
fn form_glosa(
    st: &AppState,
    u: &Usuario,
    factura_id: &str,
    f: FormGlosa,
    errores: HashMap<String, String>,
    revision: Option<Revision>,
) -> Result<GlosaNueva, AppError> {
    let fac = facturas::obtener(&st.db, &st.terminos, st.hoy(), &u.sesion.actor, factura_id)?;
    let codigos = Catalogo::oficial()
        .glosas_para(fac.fecha_expedicion)
        .into_iter()
        .map(Opcion::de)
        .collect();
    let lineas = fac
        .items
        .unwrap_or_default()
        .into_iter()
        .map(|i| {
            (
                i.linea,
                format!("{} · {} · {}", i.linea, i.descripcion, pesos(i.valor_total)),
            )
        })
        .collect();
    Ok(GlosaNueva {
        marco: Marco::de(u, format!("Registrar glosa · {}", fac.numero), "/facturas"),
        factura_id: fac.id,
        numero: fac.numero,
        saldo: pesos(fac.saldo),
        f,
        codigos,
        lineas,
        errores,
        revision,
    })
}

async fn nueva(state: web::Data<AppState>, u: Usuario, id: web::Path<String>) -> Result<HttpResponse, ErrorWeb> {
    let hoy = state.hoy().to_string();
    let f = FormGlosa {
        fecha_formulacion: hoy.clone(),
        fecha_recepcion: hoy,
        ..Default::default()
    };
    let st = state.clone();
    let id = id.into_inner();
    let u2 = Usuario {
        sesion: u.sesion.clone(),
        aviso: None,
    };
    let p = web::block(move || {
        u2.sesion.actor.exigir(glosas::CARTERA, "registrar glosas")?;
        form_glosa(&st, &u2, &id, f, HashMap::new(), None)
    })
    .await?
    .map_err(Marco::fallo(&u))?;
    pagina(&u, &p)
}

/// Registers a glosa, or with `accion=revisar` shows what would be recorded and keeps the form.
async fn registrar(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: Usuario,
    id: web::Path<String>,
    cuerpo: web::Bytes,
) -> Result<HttpResponse, ErrorWeb> {
    let f: FormGlosa = formulario(&req, &u, &cuerpo)?;
    let id = id.into_inner();
    let st = state.clone();
    let sesion = u.sesion.clone();
    let resultado = web::block(move || -> Result<Result<GlosaVista, Vuelta>, AppError> {
        let u = Usuario { sesion, aviso: None };
        let actor = &u.sesion.actor;
        let n = match f.nueva() {
            Ok(n) => n,
            Err(errores) => return Ok(Err((f, errores, None))),
        };
        let hoy = st.hoy();
        if f.accion == "revisar" {
            return match glosas::revisar(&st.db, &st.terminos, hoy, actor, &id, n) {
                Ok(g) => {
                    let r = Revision {
                        vence: fecha(g.fecha_limite_respuesta),
                        plazo: dias_habiles(dias_habiles_entre(hoy, g.fecha_limite_respuesta)),
                        fuente: st.terminos.respuesta.fuente.clone(),
                        extemporanea: g.extemporanea,
                    };
                    Ok(Err((f, HashMap::new(), Some(r))))
                }
                Err(e) => Ok(Err((f, por_campo(e)?, None))),
            };
        }
        match glosas::glosar(&st.db, &st.terminos, hoy, actor, &id, n) {
            Ok(g) => Ok(Ok(g)),
            Err(e) => Ok(Err((f, por_campo(e)?, None))),
        }
    })
    .await?
    .map_err(Marco::fallo(&u))?;
    match resultado {
        Ok(g) => Ok(con_aviso(
            &format!("/facturas/{}", g.factura_id),
            &format!(
                "Glosa {} por {} registrada; respóndala a más tardar el {}.",
                g.codigo,
                pesos(g.valor),
                fecha(g.fecha_limite_respuesta)
            ),
        )),
        Err((f, errores, revision)) => {
            let status = estado(&errores);
            let st = state.clone();
            let sesion = u.sesion.clone();
            let fid = req.match_info().get("id").unwrap_or_default().to_string();
            let p = web::block(move || {
                let u = Usuario { sesion, aviso: None };
                form_glosa(&st, &u, &fid, f, errores, revision)
            })
            .await?
            .map_err(Marco::fallo(&u))?;
            html_con(status, &p)
        }
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct FormRespuesta {
    #[serde(default)]
    pub codigo: String,
    #[serde(default)]
    pub valor_aceptado: String,
    #[serde(default)]
    pub valor_sustentado: String,
    #[serde(default)]
    pub justificacion: String,
    #[serde(default)]
    pub fecha: String,
    /// `bandeja` when the clerk came from Mi bandeja: after answering, the next glosa is offered.
    #[serde(default)]
    pub desde: String,
}

#[derive(Template)]
#[template(path = "glosa_respuesta.html")]
struct GlosaRespuesta {
    marco: Marco,
    glosa_id: String,
    factura_id: String,
    numero: String,
    codigo: String,
    descripcion: String,
    valor: String,
    vence: String,
    plazo: String,
    vencida: bool,
    f: FormRespuesta,
    codigos: Vec<Opcion>,
    errores: HashMap<String, String>,
}

fn form_respuesta(
    st: &AppState,
    u: &Usuario,
    glosa_id: &str,
    f: FormRespuesta,
    errores: HashMap<String, String>,
) -> Result<GlosaRespuesta, AppError> {
    let hoy = st.hoy();
    let g = glosas::obtener(&st.db, &st.terminos, hoy, &u.sesion.actor, glosa_id)?;
    let fac = facturas::obtener(&st.db, &st.terminos, hoy, &u.sesion.actor, &g.factura_id)?;
    let codigos = Catalogo::oficial()
        .respuestas_para(RespondeA::Glosa, g.extemporanea, fac.fecha_expedicion)
        .into_iter()
        .map(Opcion::de)
        .collect();
    let f = if f.valor_sustentado.is_empty() && f.valor_aceptado.is_empty() {
        FormRespuesta {
            valor_aceptado: "0".into(),
            valor_sustentado: super::formato::en_campo(g.valor),
            fecha: hoy.to_string(),
            ..f
        }
    } else {
        f
    };
    Ok(GlosaRespuesta {
        marco: Marco::de(u, format!("Responder glosa {} · {}", g.codigo, fac.numero), "/facturas"),
        glosa_id: g.id,
        factura_id: fac.id,
        numero: fac.numero,
        codigo: g.codigo,
        descripcion: g.descripcion_codigo.unwrap_or_default(),
        valor: pesos(g.valor),
        vence: fecha(g.fecha_limite_respuesta),
        plazo: dias_habiles(dias_habiles_entre(hoy, g.fecha_limite_respuesta)),
        vencida: hoy > g.fecha_limite_respuesta,
        f,
        codigos,
        errores,
    })
}

#[derive(Deserialize)]
struct Desde {
    #[serde(default)]
    desde: String,
}

async fn responder_form(
    state: web::Data<AppState>,
    u: Usuario,
    id: web::Path<String>,
    q: web::Query<Desde>,
) -> Result<HttpResponse, ErrorWeb> {
    let st = state.clone();
    let sesion = u.sesion.clone();
    let id = id.into_inner();
    let f = FormRespuesta {
        desde: q.into_inner().desde,
        ..Default::default()
    };
    let p = web::block(move || {
        let u = Usuario { sesion, aviso: None };
        u.sesion.actor.exigir(glosas::CARTERA, "responder glosas")?;
        form_respuesta(&st, &u, &id, f, HashMap::new())
    })
    .await?
    .map_err(Marco::fallo(&u))?;
    pagina(&u, &p)
}

async fn responder(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: Usuario,
    id: web::Path<String>,
    cuerpo: web::Bytes,
) -> Result<HttpResponse, ErrorWeb> {
    let f: FormRespuesta = formulario(&req, &u, &cuerpo)?;
    let id = id.into_inner();
    let st = state.clone();
    let sesion = u.sesion.clone();
    let r = web::block(
        move || -> Result<Result<(GlosaVista, Option<String>), GlosaRespuesta>, AppError> {
            let u = Usuario { sesion, aviso: None };
            let mut errores = HashMap::new();
            let aceptado = leer_valor("valor_aceptado", &f.valor_aceptado, &mut errores);
            let sustentado = leer_valor("valor_sustentado", &f.valor_sustentado, &mut errores);
            let dia = leer_fecha("fecha", &f.fecha, &mut errores);
            let (Some(valor_aceptado), Some(valor_sustentado), Some(fecha)) = (aceptado, sustentado, dia) else {
                return Ok(Err(form_respuesta(&st, &u, &id, f, errores)?));
            };
            let n = NuevaRespuesta {
                codigo: f.codigo.trim().to_string(),
                valor_aceptado,
                valor_sustentado,
                justificacion: f.justificacion.trim().to_string(),
                fecha,
            };
            let desde_bandeja = f.desde == "bandeja";
            match glosas::responder(&st.db, &st.terminos, st.hoy(), &u.sesion.actor, &id, n) {
                Ok(g) if desde_bandeja => Ok(Ok((g, Some(siguiente_por_responder(&st, &u)?.unwrap_or_default())))),
                Ok(g) => Ok(Ok((g, None))),
                Err(e) => {
                    let errores = por_campo(e)?;
                    Ok(Err(form_respuesta(&st, &u, &id, f, errores)?))
                }
            }
        },
    )
    .await?
    .map_err(Marco::fallo(&u))?;
    match r {
        Ok((g, siguiente)) => Ok(con_aviso(
            &match siguiente {
                // From Mi bandeja: the invoice's page offers the next glosa to answer, or says
                // none is left.
                Some(s) => super::url(
                    &format!("/facturas/{}", g.factura_id),
                    &[("desde", "bandeja"), ("siguiente", &s)],
                ),
                None => format!("/facturas/{}", g.factura_id),
            },
            &format!(
                "Glosa {} respondida: aceptado {}, sustentado {}. Estado: {}.",
                g.codigo,
                pesos(g.valor_aceptado),
                pesos(g.valor_sustentado),
                palabras(g.estado.as_str())
            ),
        )),
        Err(p) => html_con(actix_web::http::StatusCode::UNPROCESSABLE_ENTITY, &p),
    }
}

/// The next glosa to answer, as Mi bandeja orders its work (by due date, those still in time
/// first; then an extemporánea one, still to be answered RE9502): the same alerts, not a
/// query of its own. Its id, if any is left.
fn siguiente_por_responder(st: &AppState, u: &Usuario) -> Result<Option<String>, AppError> {
    let actor = &u.sesion.actor;
    // The widest window the bandeja offers: the next one due, whatever the view chosen.
    let todas = reportes::alertas(&st.db, &st.terminos, actor, 60, st.hoy())?;
    let por_responder =
        |a: &&reportes::Alerta| matches!(a.tipo, TipoAlerta::GlosaPorResponder | TipoAlerta::GlosaExtemporanea);
    let a = todas
        .items
        .iter()
        .filter(por_responder)
        .find(|a| !a.vencida)
        .or_else(|| {
            todas
                .items
                .iter()
                .filter(por_responder)
                .find(|a| a.tipo == TipoAlerta::GlosaExtemporanea)
        });
    Ok(a.and_then(|a| a.glosa_id.clone()))
}

/// A glosa's row on its invoice's page: where it stands, its next deadline and the actions
/// its state and the user's role allow (each refused again by its use case if forced).
pub struct FilaGlosa {
    pub id: String,
    pub codigo: String,
    pub descripcion: String,
    pub valor: String,
    pub recibida: String,
    pub estado: String,
    pub extemporanea: bool,
    /// What was answered and decided, in words ("aceptado $ … · sustentado $ …").
    pub detalle: Vec<String>,
    /// The deadline running now: what, by when, in días hábiles, and its norm.
    pub plazo: Option<PlazoGlosa>,
    pub responder: bool,
    pub decidir: bool,
    pub conciliar: bool,
    pub anular: bool,
    pub anular_respuesta: bool,
    pub anular_decision: bool,
}

pub struct PlazoGlosa {
    pub que: &'static str,
    pub vence: String,
    pub texto: String,
    pub vencido: bool,
    pub fuente: String,
}

impl FilaGlosa {
    pub fn alguna_correccion(&self) -> bool {
        self.anular || self.anular_respuesta || self.anular_decision
    }
}

/// An amount that does not break between "$" and its digits in a narrow cell.
fn junto(v: rust_decimal::Decimal) -> String {
    pesos(v).replace(' ', "\u{a0}")
}

/// The deadline running now on `g`. Ley 1438/2011 art. 57: the prestador answers, the payer
/// decides, the prestador may cure what was ratified; each term in its turn.
fn plazo(g: &GlosaVista, t: &Terminos, hoy: NaiveDate) -> Option<PlazoGlosa> {
    let plazo = |que, vence: NaiveDate, fuente: &str| PlazoGlosa {
        que,
        vence: fecha(vence),
        texto: dias_habiles(dias_habiles_entre(hoy, vence)),
        vencido: hoy > vence,
        fuente: fuente.to_string(),
    };
    match g.estado {
        EstadoGlosa::Formulada if !g.aceptada_tacitamente => {
            Some(plazo("Responder", g.fecha_limite_respuesta, &t.respuesta.fuente))
        }
        EstadoGlosa::Respondida => g
            .fecha_limite_decision
            .map(|v| plazo("Decisión del pagador", v, &t.decision.fuente)),
        EstadoGlosa::Ratificada => g
            .fecha_limite_subsanacion
            .map(|v| plazo("Subsanar", v, &t.subsanacion.fuente)),
        _ => None,
    }
}

pub fn fila(g: GlosaVista, rol: Rol, t: &Terminos, hoy: NaiveDate) -> FilaGlosa {
    let registra = glosas::CARTERA.contains(&rol);
    let anula = correcciones::quienes_anulan(glosas::CARTERA).contains(&rol);
    let conciliando = matches!(g.estado, EstadoGlosa::EnConciliacion | EstadoGlosa::Conciliada);
    let plazo = plazo(&g, t, hoy);
    let mut detalle = Vec::new();
    if g.aceptada_tacitamente {
        detalle.push("Aceptada por silencio: no se respondió a tiempo (RE2202)".to_string());
    }
    if let Some(c) = &g.respuesta_codigo {
        detalle.push(format!(
            "{c}: aceptado {}, sustentado {}",
            junto(g.valor_aceptado),
            junto(g.valor_sustentado)
        ));
    }
    if g.resultado_decision.is_some() {
        detalle.push(format!(
            "Levantado {}, ratificado {}",
            junto(g.valor_levantado),
            junto(g.valor_ratificado)
        ));
    }
    if g.estado == EstadoGlosa::Conciliada {
        detalle.push(format!(
            "Conciliada: {} a favor del prestador, {} a favor del pagador",
            junto(g.valor_a_favor_prestador),
            junto(g.valor_a_favor_pagador)
        ));
    }
    if g.decision_vencida {
        detalle.push("Decisión del pagador vencida: sigue en discusión".to_string());
    }
    FilaGlosa {
        responder: registra && g.estado == EstadoGlosa::Formulada,
        decidir: registra && g.estado == EstadoGlosa::Respondida,
        conciliar: registra && matches!(g.estado, EstadoGlosa::Ratificada | EstadoGlosa::EnConciliacion),
        anular: anula,
        anular_respuesta: anula && g.fecha_respuesta.is_some() && g.resultado_decision.is_none() && !conciliando,
        anular_decision: anula && g.resultado_decision.is_some() && !conciliando,
        id: g.id,
        codigo: g.codigo,
        descripcion: g.descripcion_codigo.unwrap_or_default(),
        valor: pesos(g.valor),
        recibida: fecha(g.fecha_recepcion),
        estado: palabras(g.estado.as_str()),
        extemporanea: g.extemporanea,
        detalle,
        plazo,
    }
}

/// What the glosa is, as the decision and conciliation forms show it above the fields.
pub struct Resumen {
    pub glosa_id: String,
    pub factura_id: String,
    pub numero: String,
    pub codigo: String,
    pub descripcion: String,
    pub valor: String,
    pub aceptado: String,
    pub sustentado: String,
    pub respuesta: String,
    pub respondida: String,
    pub levantado: String,
    pub ratificado: String,
    pub plazo: Option<PlazoGlosa>,
}

fn resumen(st: &AppState, u: &Usuario, glosa_id: &str) -> Result<(Resumen, GlosaVista), AppError> {
    let hoy = st.hoy();
    let g = glosas::obtener(&st.db, &st.terminos, hoy, &u.sesion.actor, glosa_id)?;
    let fac = facturas::obtener(&st.db, &st.terminos, hoy, &u.sesion.actor, &g.factura_id)?;
    let plazo = plazo(&g, &st.terminos, hoy);
    let r = Resumen {
        glosa_id: g.id.clone(),
        factura_id: fac.id,
        numero: fac.numero,
        codigo: g.codigo.clone(),
        descripcion: g.descripcion_codigo.clone().unwrap_or_default(),
        valor: pesos(g.valor),
        aceptado: pesos(g.valor_aceptado),
        sustentado: pesos(g.valor_sustentado),
        respuesta: g.respuesta_codigo.clone().unwrap_or_default(),
        respondida: fecha_o_guion(g.fecha_respuesta),
        levantado: pesos(g.valor_levantado),
        ratificado: pesos(g.valor_ratificado),
        plazo,
    };
    Ok((r, g))
}

#[derive(Deserialize, Default, Clone)]
pub struct FormDecision {
    /// `levantada`, `parcial` or `ratificada`.
    #[serde(default)]
    pub resultado: String,
    #[serde(default)]
    pub valor_levantado: String,
    #[serde(default)]
    pub fecha: String,
}

#[derive(Template)]
#[template(path = "glosa_decision.html")]
struct GlosaDecision {
    marco: Marco,
    g: Resumen,
    f: FormDecision,
    errores: Errores,
}

fn form_decision(
    st: &AppState,
    u: &Usuario,
    id: &str,
    f: FormDecision,
    errores: Errores,
) -> Result<GlosaDecision, AppError> {
    let (g, _) = resumen(st, u, id)?;
    let f = if f.fecha.is_empty() {
        FormDecision {
            fecha: st.hoy().to_string(),
            ..f
        }
    } else {
        f
    };
    Ok(GlosaDecision {
        marco: Marco::de(
            u,
            format!("Decisión del pagador · glosa {} · {}", g.codigo, g.numero),
            "/facturas",
        ),
        g,
        f,
        errores,
    })
}

async fn decidir_form(state: web::Data<AppState>, u: Usuario, id: web::Path<String>) -> Result<HttpResponse, ErrorWeb> {
    let id = id.into_inner();
    let p = en_bloque(&u, move |u| {
        u.sesion
            .actor
            .exigir(glosas::CARTERA, "registrar la decisión del pagador")?;
        form_decision(&state, u, &id, FormDecision::default(), Errores::new())
    })
    .await?;
    pagina(&u, &p)
}

/// The payer's decision on the answer (Ley 1438/2011 art. 57): lifted in full, in part, or
/// ratified; left empty, the value lifted of a full lifting is all that was sustained, and of
/// a ratification nothing.
async fn decidir(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: Usuario,
    id: web::Path<String>,
    cuerpo: web::Bytes,
) -> Result<HttpResponse, ErrorWeb> {
    let f: FormDecision = formulario(&req, &u, &cuerpo)?;
    let id = id.into_inner();
    let r = en_bloque(
        &u,
        move |u| -> Result<Result<(GlosaVista, String), GlosaDecision>, AppError> {
            let actor = &u.sesion.actor;
            actor.exigir(glosas::CARTERA, "registrar la decisión del pagador")?;
            let mut errores = Errores::new();
            let resultado = match f.resultado.as_str() {
                "levantada" => Some(ResultadoDecision::Levantada),
                "parcial" => Some(ResultadoDecision::Parcial),
                "ratificada" => Some(ResultadoDecision::Ratificada),
                _ => {
                    errores.insert("resultado".into(), "elija qué decidió el pagador".into());
                    None
                }
            };
            let g = glosas::obtener(&state.db, &state.terminos, state.hoy(), actor, &id)?;
            let valor = match (resultado, f.valor_levantado.trim()) {
                (Some(ResultadoDecision::Levantada), "") => Some(g.valor_sustentado),
                (Some(ResultadoDecision::Ratificada), "") => Some(rust_decimal::Decimal::ZERO),
                _ => leer_valor("valor_levantado", &f.valor_levantado, &mut errores),
            };
            let dia = leer_fecha("fecha", &f.fecha, &mut errores);
            let (Some(resultado), Some(valor_levantado), Some(fecha)) = (resultado, valor, dia) else {
                return Ok(Err(form_decision(&state, u, &id, f, errores)?));
            };
            let n = NuevaDecision {
                resultado,
                valor_levantado,
                fecha,
            };
            match glosas::decidir(&state.db, &state.terminos, state.hoy(), actor, &id, n) {
                Ok(g) => {
                    let mut aviso = format!(
                        "Decisión del pagador sobre la glosa {} registrada: levantado {}, ratificado {}. Estado: {}.",
                        g.codigo,
                        pesos(g.valor_levantado),
                        pesos(g.valor_ratificado),
                        palabras(g.estado.as_str())
                    );
                    if !g.valor_levantado.is_zero() {
                        // Ley 1438/2011 art. 57: what is lifted is paid within 5 días hábiles.
                        let t = &state.terminos.pago_levantado;
                        aviso.push_str(&format!(
                            " El pagador debe pagar lo levantado a más tardar el {} ({}).",
                            super::formato::fecha(t.vence(fecha)),
                            t.fuente
                        ));
                    }
                    if let Some(s) = g.fecha_limite_subsanacion {
                        aviso.push_str(&format!(
                            " Lo ratificado puede subsanarse hasta el {} ({}) o llevarse a conciliación.",
                            super::formato::fecha(s),
                            state.terminos.subsanacion.fuente
                        ));
                    }
                    Ok(Ok((g, aviso)))
                }
                Err(e) => Ok(Err(form_decision(&state, u, &id, f, por_campo(e)?)?)),
            }
        },
    )
    .await?;
    match r {
        Ok((g, aviso)) => Ok(con_aviso(&format!("/facturas/{}", g.factura_id), &aviso)),
        Err(p) => html_con(actix_web::http::StatusCode::UNPROCESSABLE_ENTITY, &p),
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct FormConciliacion {
    #[serde(default)]
    pub valor_a_favor_prestador: String,
    #[serde(default)]
    pub valor_a_favor_pagador: String,
    #[serde(default)]
    pub acta: String,
    #[serde(default)]
    pub fecha: String,
}

#[derive(Template)]
#[template(path = "glosa_conciliacion.html")]
struct GlosaConciliacion {
    marco: Marco,
    g: Resumen,
    /// Already in conciliation: only its outcome is left to record.
    en_conciliacion: bool,
    f: FormConciliacion,
    errores: Errores,
}

fn form_conciliacion(
    st: &AppState,
    u: &Usuario,
    id: &str,
    f: FormConciliacion,
    errores: Errores,
) -> Result<GlosaConciliacion, AppError> {
    let (g, v) = resumen(st, u, id)?;
    let f = if f.fecha.is_empty() {
        FormConciliacion {
            fecha: st.hoy().to_string(),
            ..f
        }
    } else {
        f
    };
    Ok(GlosaConciliacion {
        marco: Marco::de(
            u,
            format!("Conciliación · glosa {} · {}", g.codigo, g.numero),
            "/facturas",
        ),
        g,
        en_conciliacion: v.estado == EstadoGlosa::EnConciliacion,
        f,
        errores,
    })
}

async fn conciliar_form(
    state: web::Data<AppState>,
    u: Usuario,
    id: web::Path<String>,
) -> Result<HttpResponse, ErrorWeb> {
    let id = id.into_inner();
    let p = en_bloque(&u, move |u| {
        u.sesion.actor.exigir(glosas::CARTERA, "registrar conciliaciones")?;
        form_conciliacion(&state, u, &id, FormConciliacion::default(), Errores::new())
    })
    .await?;
    pagina(&u, &p)
}

/// Opens the conciliation of what the payer ratified (no values), or records the acta's split
/// of it (Ley 1438/2011 art. 57).
async fn conciliar(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: Usuario,
    id: web::Path<String>,
    cuerpo: web::Bytes,
) -> Result<HttpResponse, ErrorWeb> {
    let f: FormConciliacion = formulario(&req, &u, &cuerpo)?;
    let id = id.into_inner();
    let r = en_bloque(
        &u,
        move |u| -> Result<Result<(GlosaVista, String), GlosaConciliacion>, AppError> {
            let actor = &u.sesion.actor;
            actor.exigir(glosas::CARTERA, "registrar conciliaciones")?;
            let mut errores = Errores::new();
            let (p, q) = (f.valor_a_favor_prestador.trim(), f.valor_a_favor_pagador.trim());
            // Both values come from the acta; neither, to record that the conciliation started.
            let valores = match (p.is_empty(), q.is_empty()) {
                (true, true) => Some((None, None)),
                (false, true) => {
                    errores.insert(
                        "valor_a_favor_pagador".into(),
                        "escriba también lo que quedó a favor del pagador (0 si nada)".into(),
                    );
                    None
                }
                (true, false) => {
                    errores.insert(
                        "valor_a_favor_prestador".into(),
                        "escriba también lo que quedó a favor del prestador (0 si nada)".into(),
                    );
                    None
                }
                (false, false) => match (
                    leer_valor("valor_a_favor_prestador", p, &mut errores),
                    leer_valor("valor_a_favor_pagador", q, &mut errores),
                ) {
                    (Some(p), Some(q)) => Some((Some(p), Some(q))),
                    _ => None,
                },
            };
            let dia = leer_fecha("fecha", &f.fecha, &mut errores);
            let (Some((p, q)), Some(fecha)) = (valores, dia) else {
                return Ok(Err(form_conciliacion(&state, u, &id, f, errores)?));
            };
            let acta = Some(f.acta.trim().to_string()).filter(|a| !a.is_empty());
            let n = NuevaConciliacion {
                valor_a_favor_prestador: p,
                valor_a_favor_pagador: q,
                acta,
                fecha,
            };
            match glosas::conciliar(&state.db, &state.terminos, state.hoy(), actor, &id, n) {
                Ok(g) if g.estado == EstadoGlosa::EnConciliacion => {
                    let t = &state.terminos.conciliacion;
                    let aviso = format!(
                        "Conciliación de la glosa {} iniciada por {} ratificados; meta para el acta: {} ({}).",
                        g.codigo,
                        pesos(g.valor_ratificado),
                        super::formato::fecha(t.vence(fecha)),
                        t.fuente
                    );
                    Ok(Ok((g, aviso)))
                }
                Ok(g) => {
                    let aviso = format!(
                        "Glosa {} conciliada: {} a favor del prestador y {} a favor del pagador.",
                        g.codigo,
                        pesos(g.valor_a_favor_prestador),
                        pesos(g.valor_a_favor_pagador)
                    );
                    Ok(Ok((g, aviso)))
                }
                Err(e) => Ok(Err(form_conciliacion(&state, u, &id, f, por_campo(e)?)?)),
            }
        },
    )
    .await?;
    match r {
        Ok((g, aviso)) => Ok(con_aviso(&format!("/facturas/{}", g.factura_id), &aviso)),
        Err(p) => html_con(actix_web::http::StatusCode::UNPROCESSABLE_ENTITY, &p),
    }
}

pub fn rutas(cfg: &mut web::ServiceConfig) {
    cfg.route("/facturas/{id}/glosas/nueva", web::get().to(nueva))
        .route("/facturas/{id}/glosas", web::post().to(registrar))
        .route("/glosas/{id}/responder", web::get().to(responder_form))
        .route("/glosas/{id}/respuesta", web::post().to(responder))
        .route("/glosas/{id}/decidir", web::get().to(decidir_form))
        .route("/glosas/{id}/decision", web::post().to(decidir))
        .route("/glosas/{id}/conciliar", web::get().to(conciliar_form))
        .route("/glosas/{id}/conciliacion", web::post().to(conciliar));
}
