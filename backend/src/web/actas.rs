//! Actas de conciliación de cartera (Circular Conjunta 030/2013) in the web application: from
//! a reconciliation, "Registrar acta" opens a form with each invoice that differs (what was
//! agreed, the value and the date per row; who attended; the commitments), recorded by
//! `actas::registrar` — the use case of `POST /api/v1/pagadores/{id}/actas`; then the acta's
//! page, with its commitments to mark fulfilled, its printable page with the Circular's
//! layout and signature blocks, and its workbook.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::NaiveDate;

use super::conciliacion::causa;
use super::formato::{en_campo, fecha, fecha_o_guion, leer_pesos, pesos, pesos_o_guion};
use super::sesion::{con_aviso, formulario, pagina, Usuario};
use super::{ErrorWeb, Marco};
use crate::api::AppState;
use crate::app::actas::{self, ActaVista, LineaActa, NuevaActa, NuevoCompromiso, Participante};
use crate::app::estados_cuenta::Conciliacion;
use crate::app::AppError;
use crate::domain::acta::{EstadoCompromiso, Parte, ResultadoActa};
use crate::domain::cobro::CausaDiferencia;

/// Rows for people at the meeting, per side, and for further commitments.
const PARTICIPANTES_POR_PARTE: usize = 3;
const COMPROMISOS_EXTRA: usize = 3;

/// One invoice of the form: what the reconciliation says of it and what was typed.
#[derive(Default, Clone)]
pub struct FilaForm {
    pub factura_id: String,
    pub numero: String,
    pub radicada: String,
    pub saldo_prestador: String,
    pub saldo_pagador: String,
    pub diferencia: String,
    pub causa: &'static str,
    /// What is usually agreed for its cause, as a hint: the clerk chooses what was agreed.
    pub sugerido: &'static str,
    pub resultado: String,
    pub valor: String,
    pub fecha: String,
    pub nota: String,
    pub error: Option<String>,
}

#[derive(Default, Clone)]
pub struct ParticipanteForm {
    pub nombre: String,
    pub cargo: String,
    pub entidad: &'static str,
}

#[derive(Default, Clone)]
pub struct CompromisoForm {
    pub responsable: String,
    pub descripcion: String,
    pub vence: String,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "acta_nueva.html")]
struct Formulario {
    marco: Marco,
    pagador_id: String,
    pagador: String,
    estado_cuenta_id: String,
    conciliacion: String,
    corte: String,
    numero: String,
    numero_error: Option<String>,
    fecha: String,
    fecha_error: Option<String>,
    lugar: String,
    observaciones: String,
    filas: Vec<FilaForm>,
    /// Invoices the payer lists that are not in Trazo: no acta line can name them.
    sin_factura: usize,
    participantes: Vec<ParticipanteForm>,
    participantes_error: Option<String>,
    compromisos: Vec<CompromisoForm>,
    /// What belongs to no field.
    errores: Vec<String>,
    resultados: Vec<(&'static str, &'static str)>,
}

impl Formulario {
    /// Whether the form comes back with a problem, of a field or of none.
    fn alguno(&self) -> bool {
        con_errores(self)
            || self.numero_error.is_some()
            || self.participantes_error.is_some()
            || !self.errores.is_empty()
    }
}

/// What is usually agreed for each cause of difference; the analyst changes it as agreed.
fn sugerido(c: CausaDiferencia) -> Option<ResultadoActa> {
    match c {
        CausaDiferencia::Conciliada | CausaDiferencia::Pagada | CausaDiferencia::NoRegistradaPrestador => None,
        CausaDiferencia::PagoNoAplicado => Some(ResultadoActa::AplicarPago),
        CausaDiferencia::NoRadicada | CausaDiferencia::Devuelta | CausaDiferencia::NoReconocidaPagador => {
            Some(ResultadoActa::RadicarDeNuevo)
        }
        CausaDiferencia::GlosaEnTramite | CausaDiferencia::DiferenciaValor => Some(ResultadoActa::EnDisputa),
    }
}

/// The outcome as the form's list says it.
pub fn resultado(r: ResultadoActa) -> &'static str {
    match r {
        ResultadoActa::Pagar => "El pagador paga",
        ResultadoActa::GlosaAceptada => "La IPS acepta glosa",
        ResultadoActa::RadicarDeNuevo => "Radicar de nuevo",
        ResultadoActa::AplicarPago => "Aplicar pago del pagador",
        ResultadoActa::EnDisputa => "Sigue en disputa",
        ResultadoActa::Conforme => "Conforme",
    }
}

/// Each invoice of the reconciliation with a difference, with the outcome its cause suggests.
fn filas_de(r: &Conciliacion) -> Vec<FilaForm> {
    r.filas
        .iter()
        .filter(|f| !f.diferencia.is_zero())
        .filter_map(|f| {
            let id = f.factura_id.clone()?;
            let s = sugerido(f.causa)?;
            Some(FilaForm {
                factura_id: id,
                numero: f.numero_factura.clone(),
                radicada: fecha_o_guion(f.fecha_radicacion),
                saldo_prestador: pesos_o_guion(f.saldo_prestador),
                saldo_pagador: pesos_o_guion(f.saldo_pagador),
                diferencia: pesos(f.diferencia),
                causa: causa(f.causa).0,
                sugerido: resultado(s),
                // Nothing goes in the acta that nobody chose: a meeting rarely settles every
                // difference, and an outcome chosen by default would be recorded unread.
                resultado: String::new(),
                valor: if s == ResultadoActa::AplicarPago {
                    en_campo(f.diferencia)
                } else {
                    String::new()
                },
                ..FilaForm::default()
            })
        })
        .collect()
}

fn participantes_vacios() -> Vec<ParticipanteForm> {
    Parte::ALL
        .iter()
        .flat_map(|p| {
            (0..PARTICIPANTES_POR_PARTE).map(|_| ParticipanteForm {
                entidad: p.as_str(),
                ..ParticipanteForm::default()
            })
        })
        .collect()
}

fn formulario_de(u: &Usuario, r: &Conciliacion, hoy: NaiveDate) -> Formulario {
    Formulario {
        marco: Marco::de(u, format!("Acta de conciliación con {}", r.pagador), "/cartera"),
        pagador_id: r.pagador_id.clone(),
        pagador: r.pagador.clone(),
        estado_cuenta_id: r.id.clone(),
        conciliacion: format!("/pagadores/{}/estados-cuenta/{}", r.pagador_id, r.id),
        corte: fecha(r.corte),
        numero: String::new(),
        numero_error: None,
        fecha: hoy.to_string(),
        fecha_error: None,
        lugar: String::new(),
        observaciones: String::new(),
        filas: filas_de(r),
        sin_factura: r.filas.iter().filter(|f| f.factura_id.is_none()).count(),
        participantes: participantes_vacios(),
        participantes_error: None,
        compromisos: vec![CompromisoForm::default(); COMPROMISOS_EXTRA],
        errores: Vec::new(),
        resultados: ResultadoActa::ALL.iter().map(|r| (r.as_str(), resultado(*r))).collect(),
    }
}

/// `GET /pagadores/{id}/estados-cuenta/{eid}/acta`: the form, prefilled from the reconciliation.
async fn nueva(
    state: web::Data<AppState>,
    u: Usuario,
    ids: web::Path<(String, String)>,
) -> Result<HttpResponse, ErrorWeb> {
    let (pid, eid) = ids.into_inner();
    u.sesion
        .actor
        .exigir(actas::REGISTRAN, "registrar actas de conciliación de cartera")
        .map_err(Marco::fallo(&u))?;
    let r = super::conciliacion::leer(&state, &u, pid, eid).await?;
    pagina(&u, &formulario_de(&u, &r, state.hoy()))
}

/// What the form sent, by name.
struct Campos(HashMap<String, String>);

impl Campos {
    fn get(&self, k: &str) -> String {
        self.0.get(k).map(|v| v.trim().to_string()).unwrap_or_default()
    }
}

/// Reads the form into the form's rows (to come back with them) and the request; what cannot be
/// read is said beside its row. Returns, besides, which form row each acta line and commitment
/// came from, to put the use case's violations beside them.
fn leer(c: &Campos, f: &mut Formulario) -> (NuevaActa, Vec<usize>, Vec<usize>) {
    f.numero = c.get("numero");
    f.fecha = c.get("fecha");
    f.lugar = c.get("lugar");
    f.observaciones = c.get("observaciones");
    let fecha_acta = f.fecha.parse::<NaiveDate>().ok();
    if fecha_acta.is_none() {
        f.fecha_error = Some("Escriba la fecha de la reunión.".into());
    }
    let mut lineas = Vec::new();
    let mut de_fila = Vec::new();
    for (i, fila) in f.filas.iter_mut().enumerate() {
        fila.resultado = c.get(&format!("f{i}_resultado"));
        fila.valor = c.get(&format!("f{i}_valor"));
        fila.fecha = c.get(&format!("f{i}_fecha"));
        fila.nota = c.get(&format!("f{i}_nota"));
        if fila.resultado.is_empty() {
            continue;
        }
        let Ok(r) = fila.resultado.parse::<ResultadoActa>() else {
            fila.error = Some("Elija qué se acordó.".into());
            continue;
        };
        let valor = if fila.valor.is_empty() {
            None
        } else {
            let v = leer_pesos(&fila.valor);
            if v.is_none() {
                fila.error = Some(format!(
                    "'{}' no es un valor en pesos; escríbalo como 150.000 o 150.000,50",
                    fila.valor
                ));
                continue;
            }
            v
        };
        let fecha_compromiso = if fila.fecha.is_empty() {
            None
        } else {
            match fila.fecha.parse::<NaiveDate>() {
                Ok(d) => Some(d),
                Err(_) => {
                    fila.error = Some("Escriba la fecha del compromiso (dd/mm/aaaa).".into());
                    continue;
                }
            }
        };
        lineas.push(LineaActa {
            factura_id: fila.factura_id.clone(),
            resultado: r,
            valor,
            fecha_compromiso,
            nota: fila.nota.clone(),
        });
        de_fila.push(i);
    }
    let mut participantes = Vec::new();
    for (i, p) in f.participantes.iter_mut().enumerate() {
        p.nombre = c.get(&format!("p{i}_nombre"));
        p.cargo = c.get(&format!("p{i}_cargo"));
        if let Some(e) = Parte::ALL
            .iter()
            .find(|x| x.as_str() == c.get(&format!("p{i}_entidad")))
        {
            p.entidad = e.as_str();
        }
        if !p.nombre.is_empty() {
            participantes.push(Participante {
                nombre: p.nombre.clone(),
                cargo: p.cargo.clone(),
                entidad: p.entidad.parse().unwrap_or(Parte::Prestador),
            });
        }
    }
    let mut compromisos = Vec::new();
    let mut de_compromiso = Vec::new();
    for (j, x) in f.compromisos.iter_mut().enumerate() {
        x.responsable = c.get(&format!("c{j}_responsable"));
        x.descripcion = c.get(&format!("c{j}_descripcion"));
        x.vence = c.get(&format!("c{j}_vence"));
        if x.descripcion.is_empty() && x.vence.is_empty() {
            continue;
        }
        let Ok(vence) = x.vence.parse::<NaiveDate>() else {
            x.error = Some("Escriba para cuándo es el compromiso.".into());
            continue;
        };
        compromisos.push(NuevoCompromiso {
            responsable: x.responsable.parse().unwrap_or(Parte::Pagador),
            descripcion: x.descripcion.clone(),
            vence,
            factura_id: None,
        });
        de_compromiso.push(j);
    }
    let n = NuevaActa {
        numero: f.numero.clone(),
        // A date not read is said beside its field; this one is never recorded.
        fecha: fecha_acta.unwrap_or_default(),
        estado_cuenta_id: Some(f.estado_cuenta_id.clone()),
        corte: None,
        lugar: f.lugar.clone(),
        participantes,
        observaciones: f.observaciones.clone(),
        facturas: lineas,
        compromisos,
    };
    (n, de_fila, de_compromiso)
}

/// Whether the form has a problem of its own before the use case sees it.
fn con_errores(f: &Formulario) -> bool {
    f.fecha_error.is_some()
        || f.filas.iter().any(|x| x.error.is_some())
        || f.compromisos.iter().any(|x| x.error.is_some())
}

/// Puts each violation of the use case beside its field.
fn ubicar(f: &mut Formulario, v: Vec<crate::domain::Violation>, de_fila: &[usize], de_compromiso: &[usize]) {
    let indice =
        |path: &str, prefijo: &str| -> Option<usize> { path.strip_prefix(prefijo)?.split(']').next()?.parse().ok() };
    for x in v {
        let agregar = |dest: &mut Option<String>| match dest {
            Some(t) => {
                t.push(' ');
                t.push_str(&x.message);
            }
            None => *dest = Some(x.message.clone()),
        };
        if let Some(i) = indice(&x.path, "facturas[").and_then(|k| de_fila.get(k)) {
            agregar(&mut f.filas[*i].error);
        } else if let Some(j) = indice(&x.path, "compromisos[").and_then(|k| de_compromiso.get(k)) {
            agregar(&mut f.compromisos[*j].error);
        } else if x.path.starts_with("participantes") {
            agregar(&mut f.participantes_error);
        } else if x.path == "numero" {
            agregar(&mut f.numero_error);
        } else if x.path == "fecha" {
            agregar(&mut f.fecha_error);
        } else if x.path == "facturas" {
            f.errores
                .push("Elija qué se acordó en al menos una factura: el acta concilia al menos una.".into());
        } else {
            f.errores.push(x.message);
        }
    }
}

/// `POST /pagadores/{id}/actas`: records the acta; refused, the form comes back as typed with
/// each problem beside its row.
async fn registrar(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: Usuario,
    pid: web::Path<String>,
    cuerpo: web::Bytes,
) -> Result<HttpResponse, ErrorWeb> {
    let pares: Vec<(String, String)> = formulario(&req, &u, &cuerpo)?;
    let campos = Campos(pares.into_iter().collect());
    let pid = pid.into_inner();
    let r = super::conciliacion::leer(&state, &u, pid.clone(), campos.get("estado_cuenta_id")).await?;
    let hoy = state.hoy();
    let mut f = formulario_de(&u, &r, hoy);
    let (n, de_fila, de_compromiso) = leer(&campos, &mut f);
    if con_errores(&f) {
        return super::html_con(StatusCode::UNPROCESSABLE_ENTITY, &f);
    }
    let actor = u.sesion.actor.clone();
    let st = state.clone();
    let hecho = web::block(move || actas::registrar(&st.db, &st.terminos, &actor, hoy, &pid, n)).await?;
    match hecho {
        Ok(a) => Ok(con_aviso(
            &format!("/actas/{}", a.id),
            &format!(
                "Acta {} registrada: {} factura{}{}, {} compromiso{}.",
                a.numero,
                a.facturas.len(),
                if a.facturas.len() == 1 { "" } else { "s" },
                if a.acuerdo_id.is_some() {
                    " (lo que el pagador paga quedó como acuerdo de pago ACTA-".to_string() + &a.numero + ")"
                } else {
                    String::new()
                },
                a.compromisos.len(),
                if a.compromisos.len() == 1 { "" } else { "s" },
            ),
        )),
        Err(AppError::Invalid(v)) => {
            ubicar(&mut f, v, &de_fila, &de_compromiso);
            super::html_con(StatusCode::UNPROCESSABLE_ENTITY, &f)
        }
        Err(AppError::Conflict(m)) => {
            f.numero_error = Some(format!("{m}; use otro número."));
            super::html_con(StatusCode::CONFLICT, &f)
        }
        Err(e) => Err(Marco::fallo(&u)(e)),
    }
}

// ---------------------------------------------------------------------------------------
// The acta

pub struct LineaPagina {
    pub factura_id: String,
    pub numero: String,
    pub radicada: String,
    pub valor_factura: String,
    pub saldo_prestador: String,
    pub saldo_pagador: String,
    pub diferencia: String,
    pub resultado: &'static str,
    pub valor: String,
    pub fecha_compromiso: String,
    pub nota: String,
}

pub struct TotalPagina {
    pub resultado: &'static str,
    pub facturas: i64,
    pub saldo_prestador: String,
    pub valor: String,
}

pub struct CompromisoPagina {
    pub id: String,
    pub responsable: &'static str,
    pub descripcion: String,
    pub numero_factura: String,
    pub vence: String,
    pub cumplido_en: String,
    pub estado: &'static str,
    pub estado_codigo: &'static str,
    pub abierto: bool,
}

pub struct Firma {
    pub nombre: String,
    pub cargo: String,
    pub entidad: String,
}

/// What both pages of an acta show.
pub struct Datos {
    pub id: String,
    pub numero: String,
    pub prestador: String,
    pub prestador_nit: String,
    pub pagador_id: String,
    pub pagador: String,
    pub pagador_nit: String,
    pub fecha: String,
    pub corte: String,
    pub lugar: String,
    pub observaciones: String,
    pub conciliacion: Option<String>,
    pub acuerdo: Option<String>,
    pub lineas: Vec<LineaPagina>,
    pub totales: Vec<TotalPagina>,
    pub total_facturas: usize,
    pub total_saldo: String,
    pub total_valor: String,
    pub compromisos: Vec<CompromisoPagina>,
    pub firmas_prestador: Vec<Firma>,
    pub firmas_pagador: Vec<Firma>,
}

fn parte(p: Parte) -> &'static str {
    match p {
        Parte::Prestador => "IPS",
        Parte::Pagador => "Pagador",
    }
}

fn estado(e: EstadoCompromiso) -> &'static str {
    match e {
        EstadoCompromiso::Pendiente => "Pendiente",
        EstadoCompromiso::Vencido => "Vencido",
        EstadoCompromiso::Cumplido => "Cumplido",
        EstadoCompromiso::CumplidoTarde => "Cumplido tarde",
    }
}

fn datos(a: ActaVista) -> Datos {
    let firmas = |p: Parte, entidad: &str| -> Vec<Firma> {
        a.participantes
            .iter()
            .filter(|x| x.entidad == p)
            .map(|x| Firma {
                nombre: x.nombre.clone(),
                cargo: x.cargo.clone(),
                entidad: entidad.to_string(),
            })
            .collect()
    };
    Datos {
        firmas_prestador: firmas(Parte::Prestador, &a.prestador),
        firmas_pagador: firmas(Parte::Pagador, &a.pagador),
        conciliacion: a
            .estado_cuenta_id
            .as_ref()
            .map(|e| format!("/pagadores/{}/estados-cuenta/{e}", a.pagador_id)),
        acuerdo: a.acuerdo_id.as_ref().map(|_| format!("ACTA-{}", a.numero)),
        lineas: a
            .facturas
            .iter()
            .map(|l| LineaPagina {
                factura_id: l.factura_id.clone(),
                numero: l.numero_factura.clone(),
                radicada: fecha_o_guion(l.fecha_radicacion),
                valor_factura: pesos(l.valor_factura),
                saldo_prestador: pesos(l.saldo_prestador),
                saldo_pagador: pesos_o_guion(l.saldo_pagador),
                diferencia: pesos_o_guion(l.diferencia),
                resultado: resultado(l.resultado),
                valor: if l.valor.is_zero() && !l.resultado.exige_valor() {
                    "—".into()
                } else {
                    pesos(l.valor)
                },
                fecha_compromiso: fecha_o_guion(l.fecha_compromiso),
                nota: l.nota.clone(),
            })
            .collect(),
        totales: a
            .totales
            .iter()
            .map(|t| TotalPagina {
                resultado: resultado(t.resultado),
                facturas: t.facturas,
                saldo_prestador: pesos(t.saldo_prestador),
                valor: pesos(t.valor),
            })
            .collect(),
        total_facturas: a.facturas.len(),
        total_saldo: pesos(a.facturas.iter().map(|l| l.saldo_prestador).sum()),
        total_valor: pesos(a.facturas.iter().map(|l| l.valor).sum()),
        compromisos: a
            .compromisos
            .iter()
            .map(|x| CompromisoPagina {
                id: x.id.clone(),
                responsable: parte(x.responsable),
                descripcion: x.descripcion.clone(),
                numero_factura: x.numero_factura.clone().unwrap_or_default(),
                vence: fecha(x.vence),
                cumplido_en: fecha_o_guion(x.cumplido_en),
                estado: estado(x.estado),
                estado_codigo: x.estado.as_str(),
                abierto: x.cumplido_en.is_none(),
            })
            .collect(),
        id: a.id,
        numero: a.numero,
        prestador: a.prestador,
        prestador_nit: a.prestador_nit,
        pagador_id: a.pagador_id,
        pagador: a.pagador,
        pagador_nit: a.pagador_nit,
        fecha: fecha(a.fecha),
        corte: fecha(a.corte),
        lugar: a.lugar,
        observaciones: a.observaciones,
    }
}

#[derive(Template)]
#[template(path = "acta.html")]
struct Pagina {
    marco: Marco,
    a: Datos,
    /// Whether this user marks commitments fulfilled.
    registra: bool,
    hoy: String,
}

#[derive(Template)]
#[template(path = "acta_imprimir.html")]
struct Impresion {
    marco: Marco,
    a: Datos,
}

async fn leer_acta(state: &web::Data<AppState>, u: &Usuario, id: String) -> Result<ActaVista, ErrorWeb> {
    let actor = u.sesion.actor.clone();
    let st = state.clone();
    web::block(move || actas::obtener(&st.db, &actor, st.hoy(), &id))
        .await?
        .map_err(Marco::fallo(u))
}

async fn ver(state: web::Data<AppState>, u: Usuario, id: web::Path<String>) -> Result<HttpResponse, ErrorWeb> {
    let a = leer_acta(&state, &u, id.into_inner()).await?;
    let p = Pagina {
        marco: Marco::de(&u, format!("Acta de conciliación {}", a.numero), "/cartera"),
        registra: actas::REGISTRAN.contains(&u.sesion.actor.rol),
        hoy: state.hoy().to_string(),
        a: datos(a),
    };
    pagina(&u, &p)
}

async fn imprimir(state: web::Data<AppState>, u: Usuario, id: web::Path<String>) -> Result<HttpResponse, ErrorWeb> {
    let a = leer_acta(&state, &u, id.into_inner()).await?;
    let p = Impresion {
        marco: Marco::de(&u, format!("Acta de conciliación de cartera {}", a.numero), "/cartera"),
        a: datos(a),
    };
    pagina(&u, &p)
}

async fn libro(state: web::Data<AppState>, u: Usuario, id: web::Path<String>) -> Result<HttpResponse, ErrorWeb> {
    let a = leer_acta(&state, &u, id.into_inner()).await?;
    let numero = a.numero.clone();
    let bytes = web::block(move || actas::xlsx(&a)).await?.map_err(Marco::fallo(&u))?;
    let mut r = crate::api::reportes::xlsx(
        &format!("acta-{}.xlsx", crate::api::actas::nombre_de_archivo(&numero)),
        bytes,
    );
    super::cabeceras(r.headers_mut());
    Ok(r)
}

#[derive(serde::Deserialize)]
struct FormCumplimiento {
    fecha: String,
    acta_id: String,
}

/// `POST /compromisos/{id}/cumplimiento`: back to the acta with what was done or why not.
async fn cumplir(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: Usuario,
    id: web::Path<String>,
    cuerpo: web::Bytes,
) -> Result<HttpResponse, ErrorWeb> {
    let form: FormCumplimiento = formulario(&req, &u, &cuerpo)?;
    let ruta = format!("/actas/{}", form.acta_id);
    let Ok(f) = form.fecha.parse::<NaiveDate>() else {
        return Ok(con_aviso(&ruta, "No se marcó: escriba la fecha en que se cumplió."));
    };
    let actor = u.sesion.actor.clone();
    let st = state.clone();
    let r = web::block(move || actas::cumplir(&st.db, &actor, st.hoy(), &id, actas::Cumplimiento { fecha: f })).await?;
    match r {
        Ok(x) => Ok(con_aviso(
            &ruta,
            &format!("Compromiso cumplido el {}: {}.", fecha(f), x.descripcion),
        )),
        Err(AppError::Invalid(v)) => Ok(con_aviso(
            &ruta,
            &format!(
                "No se marcó: {}.",
                v.into_iter().map(|v| v.message).collect::<Vec<_>>().join("; ")
            ),
        )),
        Err(AppError::Conflict(m)) => Ok(con_aviso(&ruta, &format!("No se marcó: {m}."))),
        Err(e) => Err(Marco::fallo(&u)(e)),
    }
}

pub fn rutas(cfg: &mut web::ServiceConfig) {
    cfg.route("/pagadores/{id}/estados-cuenta/{eid}/acta", web::get().to(nueva))
        .route("/pagadores/{id}/actas", web::post().to(registrar))
        .route("/actas/{id}.xlsx", web::get().to(libro))
        .route("/actas/{id}/imprimir", web::get().to(imprimir))
        .route("/actas/{id}", web::get().to(ver))
        .route("/compromisos/{id}/cumplimiento", web::post().to(cumplir));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Violation;
    use rust_decimal::Decimal;

    #[test]
    fn every_cause_with_a_difference_suggests_an_outcome_with_words() {
        for c in CausaDiferencia::ALL {
            if let Some(r) = sugerido(*c) {
                assert!(!resultado(r).is_empty());
            }
        }
        assert_eq!(
            sugerido(CausaDiferencia::PagoNoAplicado),
            Some(ResultadoActa::AplicarPago)
        );
        assert_eq!(en_campo(Decimal::new(-30_000_050, 2)), "300.000,50");
    }

    #[test]
    fn a_violation_lands_beside_the_row_it_came_from() {
        let mut f = Formulario {
            marco: Marco {
                titulo: String::new(),
                nombre: String::new(),
                email: String::new(),
                rol: "",
                csrf: String::new(),
                nav: Vec::new(),
                aviso: None,
                css: "",
                js: "",
                htmx: "",
            },
            pagador_id: String::new(),
            pagador: String::new(),
            estado_cuenta_id: String::new(),
            conciliacion: String::new(),
            corte: String::new(),
            numero: String::new(),
            numero_error: None,
            fecha: String::new(),
            fecha_error: None,
            lugar: String::new(),
            observaciones: String::new(),
            filas: vec![FilaForm::default(); 3],
            sin_factura: 0,
            participantes: participantes_vacios(),
            participantes_error: None,
            compromisos: vec![CompromisoForm::default(); 2],
            errores: Vec::new(),
            resultados: Vec::new(),
        };
        // Row 0 was left out of the acta: line 0 is row 1, line 1 is row 2.
        ubicar(
            &mut f,
            vec![
                Violation::new("facturas[1].valor", "muy alto"),
                Violation::new("compromisos[0].vence", "antes del acta"),
                Violation::new("participantes", "falta el pagador"),
            ],
            &[1, 2],
            &[1],
        );
        assert_eq!(f.filas[2].error.as_deref(), Some("muy alto"));
        assert!(f.filas[1].error.is_none());
        assert_eq!(f.compromisos[1].error.as_deref(), Some("antes del acta"));
        assert!(f.participantes_error.is_some());
    }
}
