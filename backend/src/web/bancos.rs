//! "Bancos" in the web application: the prestador's accounts, a form to import a statement, the
//! summary (% applied automatically, unidentified money per payer), the credits that wait for a
//! person with their candidates and a form to decide, and every credit with its state, rule and
//! explanation. Every action calls the use case of `/api/v1/bancos/...`.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::NaiveDate;
use futures_util::StreamExt;
use serde::Deserialize;

use super::formato::{fecha, pesos, tamano};
use super::sesion::{con_aviso, exigir_csrf, formulario, pagina, Usuario};
use super::{subida, ErrorWeb, Marco};
use crate::api::AppState;
use crate::app::bancos::{
    self, ConsultaMovimientos, ConsultaReporte, CuentaBancaria, DecisionMovimiento, MovimientoVista,
    NuevaCuentaBancaria, ReporteBancos,
};
use crate::app::AppError;
use crate::domain::conciliacion_bancaria::{EstadoMovimiento, Regla};

/// Movements per page.
const POR_PAGINA: i64 = 50;

#[derive(Debug, Default, Deserialize)]
pub struct Filtros {
    #[serde(default)]
    pub cuenta_id: String,
    #[serde(default)]
    pub estado: String,
    #[serde(default)]
    pub desde: String,
    #[serde(default)]
    pub hasta: String,
    pub page: Option<i64>,
}

impl Filtros {
    fn fecha(texto: &str) -> Option<NaiveDate> {
        texto.parse().ok()
    }

    fn url(&self, pagina: i64) -> String {
        let q: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs([
                ("cuenta_id", self.cuenta_id.as_str()),
                ("estado", self.estado.as_str()),
                ("desde", self.desde.as_str()),
                ("hasta", self.hasta.as_str()),
            ])
            .append_pair("page", &pagina.to_string())
            .finish();
        format!("/bancos?{q}")
    }
}

pub struct Candidata {
    pub indice: usize,
    pub texto: String,
    pub pagador: String,
}

pub struct Fila {
    pub id: String,
    pub fecha: String,
    pub valor: String,
    pub referencia: String,
    pub descripcion: String,
    pub tercero: String,
    pub pagador: String,
    pub estado: &'static str,
    pub clase: &'static str,
    pub regla: &'static str,
    pub explicacion: String,
    pub automatico: bool,
    pub pago_id: Option<String>,
    pub candidatos: Vec<Candidata>,
    /// Unidentified without payer: a person may assign one or discard it.
    pub sin_pagador: bool,
}

pub struct FilaResumen {
    pub nombre: String,
    pub creditos: i64,
    pub valor: String,
    pub pct_automatico: String,
    pub pct_valor: String,
    pub pendientes: i64,
    pub sin_identificar: i64,
    pub saldo_sin_identificar: String,
}

#[derive(Template)]
#[template(path = "bancos.html")]
struct Pantalla {
    marco: Marco,
    actua: bool,
    cuentas: Vec<CuentaBancaria>,
    perfiles: Vec<(String, String)>,
    pagadores: Vec<(String, String)>,
    filtros: Filtros,
    estados: Vec<(&'static str, &'static str)>,
    total: FilaResumen,
    por_pagador: Vec<FilaResumen>,
    pendientes: Vec<Fila>,
    filas: Vec<Fila>,
    total_filas: i64,
    anterior: Option<String>,
    siguiente: Option<String>,
    reporte_xlsx: String,
    /// What went wrong with the last form sent, listed where it was sent.
    errores_cuenta: Vec<String>,
    errores_importacion: Vec<String>,
}

pub fn estado(e: EstadoMovimiento) -> (&'static str, &'static str) {
    match e {
        EstadoMovimiento::Conciliado => ("Conciliado", "ok"),
        EstadoMovimiento::Aplicado => ("Aplicado", "ok"),
        EstadoMovimiento::Pendiente => ("Pendiente", "alerta"),
        EstadoMovimiento::SinIdentificar => ("Sin identificar", "alerta"),
        EstadoMovimiento::Descartado => ("Descartado", "tenue"),
    }
}

pub fn regla(r: Regla) -> &'static str {
    match r {
        Regla::PagoRegistrado => "Pago ya registrado",
        Regla::Anuncio => "Pago anunciado",
        Regla::FacturasNombradas => "Facturas nombradas",
        Regla::SaldoUnico => "Única factura con ese saldo",
        Regla::VariosCandidatos => "Varios candidatos",
        Regla::SinCoincidencia => "Sin coincidencia",
        Regla::SinPagador => "Sin pagador",
        Regla::DecisionManual => "Decisión de una persona",
    }
}

fn fila(m: MovimientoVista) -> Fila {
    let (estado_texto, clase) = estado(m.estado);
    Fila {
        sin_pagador: m.estado == EstadoMovimiento::SinIdentificar && m.pagador_id.is_none(),
        id: m.id,
        fecha: fecha(m.fecha),
        valor: pesos(m.valor),
        referencia: m.referencia,
        descripcion: m.descripcion,
        tercero: [m.nombre_tercero, m.nit_tercero]
            .into_iter()
            .filter(|x| !x.is_empty())
            .collect::<Vec<_>>()
            .join(" · "),
        pagador: m.pagador.unwrap_or_default(),
        estado: estado_texto,
        clase,
        regla: regla(m.regla),
        explicacion: m.explicacion,
        automatico: m.automatico,
        pago_id: m.pago_id,
        candidatos: m
            .candidatos
            .into_iter()
            .enumerate()
            .map(|(i, c)| Candidata {
                indice: i,
                texto: c.texto,
                pagador: c.pagador,
            })
            .collect(),
    }
}

fn resumen(nombre: String, t: &bancos::TotalesBanco) -> FilaResumen {
    FilaResumen {
        nombre,
        creditos: t.creditos,
        valor: pesos(t.valor),
        pct_automatico: format!("{} %", t.pct_automatico.to_string().replace('.', ",")),
        pct_valor: format!("{} %", t.pct_valor_automatico.to_string().replace('.', ",")),
        pendientes: t.pendientes,
        sin_identificar: t.sin_identificar,
        saldo_sin_identificar: pesos(t.saldo_sin_identificar),
    }
}

/// Everything the page shows, read for `u` with filters `f`.
struct Datos {
    cuentas: Vec<CuentaBancaria>,
    reporte: ReporteBancos,
    pendientes: Vec<MovimientoVista>,
    movimientos: crate::app::Lista<MovimientoVista>,
    pagadores: Vec<(String, String)>,
}

fn leer(st: &AppState, u: &Usuario, f: &Filtros) -> Result<Datos, AppError> {
    let actor = &u.sesion.actor;
    let cuenta = Some(f.cuenta_id.clone()).filter(|c| !c.is_empty());
    let (desde, hasta) = (Filtros::fecha(&f.desde), Filtros::fecha(&f.hasta));
    let reporte = bancos::reporte(
        &st.db,
        actor,
        &ConsultaReporte {
            cuenta_id: cuenta.clone(),
            desde,
            hasta,
            formato: None,
        },
    )?;
    let pendientes = bancos::movimientos(
        &st.db,
        actor,
        &ConsultaMovimientos {
            cuenta_id: cuenta.clone(),
            estado: Some(EstadoMovimiento::Pendiente),
            per_page: Some(200),
            ..Default::default()
        },
    )?;
    let movimientos = bancos::movimientos(
        &st.db,
        actor,
        &ConsultaMovimientos {
            cuenta_id: cuenta,
            estado: f.estado.parse().ok(),
            desde,
            hasta,
            page: Some(f.page.unwrap_or(1).max(1)),
            per_page: Some(POR_PAGINA),
            ..Default::default()
        },
    )?;
    let pagadores = crate::db::pagadores::nombres;
    let mut pagadores: Vec<(String, String)> = st
        .db
        .read(|c| Ok::<_, AppError>(pagadores(c, &actor.prestador_id)?))?
        .into_iter()
        .collect();
    pagadores.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(Datos {
        cuentas: bancos::cuentas(&st.db, actor)?,
        reporte,
        pendientes: pendientes.items,
        movimientos,
        pagadores,
    })
}

async fn mostrar(
    state: &web::Data<AppState>,
    u: &Usuario,
    f: Filtros,
    errores_cuenta: Vec<String>,
    errores_importacion: Vec<String>,
    status: StatusCode,
) -> Result<HttpResponse, ErrorWeb> {
    let st = state.clone();
    let u2 = Usuario {
        sesion: u.sesion.clone(),
        aviso: None,
    };
    let f2 = Filtros {
        cuenta_id: f.cuenta_id.clone(),
        estado: f.estado.clone(),
        desde: f.desde.clone(),
        hasta: f.hasta.clone(),
        page: f.page,
    };
    let d = web::block(move || leer(&st, &u2, &f2))
        .await?
        .map_err(Marco::fallo(u))?;
    let actual = f.page.unwrap_or(1).max(1);
    let paginas = ((d.movimientos.total + POR_PAGINA - 1) / POR_PAGINA).max(1);
    let reporte_xlsx = {
        let q: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs([
                ("cuenta_id", f.cuenta_id.as_str()),
                ("desde", f.desde.as_str()),
                ("hasta", f.hasta.as_str()),
            ])
            .finish();
        format!("/bancos/reporte.xlsx?{q}")
    };
    let t = Pantalla {
        marco: Marco::de(u, "Bancos", "/bancos"),
        actua: bancos::ACTUAN.contains(&u.sesion.actor.rol),
        perfiles: state
            .bancos
            .iter()
            .map(|p| (p.nombre.clone(), format!("{} (hoja CSV o Excel)", p.banco)))
            .collect(),
        pagadores: d.pagadores,
        estados: EstadoMovimiento::ALL
            .iter()
            .map(|e| (e.as_str(), estado(*e).0))
            .collect(),
        total: resumen("Total".into(), &d.reporte.total),
        por_pagador: d
            .reporte
            .por_pagador
            .iter()
            .map(|p| resumen(p.pagador.clone(), &p.totales))
            .collect(),
        pendientes: d.pendientes.into_iter().map(fila).collect(),
        filas: d.movimientos.items.into_iter().map(fila).collect(),
        total_filas: d.movimientos.total,
        anterior: (actual > 1).then(|| f.url(actual - 1)),
        siguiente: (actual < paginas).then(|| f.url(actual + 1)),
        cuentas: d.cuentas,
        filtros: f,
        reporte_xlsx,
        errores_cuenta,
        errores_importacion,
    };
    let mut r = pagina(u, &t)?;
    *r.status_mut() = status;
    Ok(r)
}

async fn inicio(state: web::Data<AppState>, u: Usuario, q: web::Query<Filtros>) -> Result<HttpResponse, ErrorWeb> {
    mostrar(&state, &u, q.into_inner(), Vec::new(), Vec::new(), StatusCode::OK).await
}

async fn libro(state: web::Data<AppState>, u: Usuario, q: web::Query<Filtros>) -> Result<HttpResponse, ErrorWeb> {
    let f = q.into_inner();
    let st = state.clone();
    let actor = u.sesion.actor.clone();
    let bytes = web::block(move || {
        let r = bancos::reporte(
            &st.db,
            &actor,
            &ConsultaReporte {
                cuenta_id: Some(f.cuenta_id).filter(|c| !c.is_empty()),
                desde: Filtros::fecha(&f.desde),
                hasta: Filtros::fecha(&f.hasta),
                formato: None,
            },
        )?;
        bancos::xlsx(&r)
    })
    .await?
    .map_err(Marco::fallo(&u))?;
    Ok(crate::api::reportes::xlsx("extractos-bancarios.xlsx", bytes))
}

#[derive(Debug, Deserialize)]
struct FormCuenta {
    banco: String,
    numero: String,
    #[serde(default)]
    nombre: String,
}

async fn crear_cuenta(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: Usuario,
    cuerpo: web::Bytes,
) -> Result<HttpResponse, ErrorWeb> {
    let f: FormCuenta = formulario(&req, &u, &cuerpo)?;
    let st = state.clone();
    let actor = u.sesion.actor.clone();
    let r = web::block(move || {
        bancos::crear_cuenta(
            &st.db,
            &actor,
            NuevaCuentaBancaria {
                banco: f.banco,
                numero: f.numero,
                nombre: f.nombre,
            },
        )
    })
    .await?;
    match r {
        Ok(c) => Ok(con_aviso(
            &format!("/bancos?cuenta_id={}", c.id),
            &format!(
                "Cuenta {} {} registrada. Ya puede importar sus extractos.",
                c.banco, c.numero
            ),
        )),
        Err(AppError::Invalid(v)) => {
            let errores = v.into_iter().map(|v| v.message).collect();
            mostrar(
                &state,
                &u,
                Filtros::default(),
                errores,
                Vec::new(),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(AppError::Conflict(m)) => {
            mostrar(
                &state,
                &u,
                Filtros::default(),
                vec![m],
                Vec::new(),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => Err(Marco::fallo(&u)(e)),
    }
}

/// Problems of a file listed under the form; a file wrong throughout is not listed to its end.
const ERRORES_MAXIMOS: usize = 30;

/// The statement from the form, checked as the API checks it (role before the bytes, size,
/// what the file describes, the profile).
async fn importar(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: Usuario,
    mut partes: Multipart,
) -> Result<HttpResponse, ErrorWeb> {
    u.sesion
        .actor
        .exigir(bancos::ACTUAN, "importar extractos bancarios")
        .map_err(Marco::fallo(&u))?;
    let maximo = state.importaciones.max_bytes;
    let (mut csrf, mut cuenta, mut perfil) = (None::<String>, String::new(), String::new());
    let mut archivo: Option<subida::Archivo> = None;
    while let Some(campo) = partes.next().await {
        let mut campo = campo.map_err(subida::ilegible)?;
        let nombre = campo.name().unwrap_or_default().to_string();
        if nombre == "archivo" {
            exigir_csrf(&req, &u, csrf.as_deref().unwrap_or_default())?;
            archivo = Some(subida::archivo(&mut campo, maximo, &u).await?);
        } else {
            let v = subida::texto(&mut campo).await?;
            match nombre.as_str() {
                "csrf" => csrf = Some(v),
                "cuenta_id" => cuenta = v,
                "perfil" => perfil = v,
                _ => {}
            }
        }
    }
    exigir_csrf(&req, &u, csrf.as_deref().unwrap_or_default())?;
    let volver = Filtros {
        cuenta_id: cuenta.clone(),
        ..Default::default()
    };
    let (nombre, bytes) = match archivo {
        Some(a) if a.demasiado => {
            let m = format!(
                "«{}» pesa más de {}, el máximo que recibe este servidor.",
                a.nombre,
                tamano(maximo)
            );
            return mostrar(&state, &u, volver, Vec::new(), vec![m], StatusCode::PAYLOAD_TOO_LARGE).await;
        }
        Some(a) if !a.bytes.is_empty() => (a.nombre, a.bytes),
        _ => {
            let m = "Elija el archivo del extracto que descargó del banco.".to_string();
            return mostrar(
                &state,
                &u,
                volver,
                Vec::new(),
                vec![m],
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    if cuenta.is_empty() {
        let m = "Elija la cuenta a la que pertenece el extracto.".to_string();
        return mostrar(
            &state,
            &u,
            volver,
            Vec::new(),
            vec![m],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let st = state.clone();
    let actor = u.sesion.actor.clone();
    let (c2, n2) = (cuenta.clone(), nombre.clone());
    let r = web::block(move || {
        let perfil = Some(perfil.as_str())
            .filter(|p| !p.is_empty())
            .map(|p| bancos::perfil(&st.bancos, p))
            .transpose()?;
        trazo_importers::limites::revisar(&n2, &bytes, &st.importaciones.limites).map_err(|e| match e {
            trazo_importers::archivo::ErrorArchivo::Limite(e) | trazo_importers::archivo::ErrorArchivo::Formato(e) => {
                AppError::Excedido(e.to_string())
            }
        })?;
        bancos::importar(&st.db, &st.terminos, st.hoy(), &actor, &c2, &n2, &bytes, perfil)
    })
    .await?;
    match r {
        Ok(x) if x.duplicado => Ok(con_aviso(
            &format!("/bancos?cuenta_id={cuenta}"),
            &format!("«{}» ya se había importado: no cambió nada.", x.archivo),
        )),
        Ok(x) => {
            let cuenta_de = |e: &str| x.por_estado.get(e).copied().unwrap_or(0);
            let aviso = format!(
                "«{}»: {} abonos nuevos de {} ({} ya estaban); {} aplicados o conciliados, {} pendientes de una persona, \
                 {} sin identificar. {} débitos no se importan.",
                x.archivo,
                x.nuevos,
                x.creditos,
                x.creditos - x.nuevos,
                cuenta_de("aplicado") + cuenta_de("conciliado"),
                cuenta_de("pendiente"),
                cuenta_de("sin_identificar"),
                x.debitos
            );
            Ok(con_aviso(&format!("/bancos?cuenta_id={cuenta}"), &aviso))
        }
        Err(AppError::Invalid(v)) => {
            let n = v.len();
            let mut errores: Vec<String> = v
                .into_iter()
                .take(ERRORES_MAXIMOS)
                .map(|v| {
                    if v.path == nombre {
                        v.message
                    } else {
                        format!("{}: {}", v.path, v.message)
                    }
                })
                .collect();
            if n > ERRORES_MAXIMOS {
                errores.push(format!("… y {} errores más. No se importó nada.", n - ERRORES_MAXIMOS));
            } else {
                errores.push("No se importó nada: corrija el archivo o elija otro perfil.".into());
            }
            mostrar(
                &state,
                &u,
                volver,
                Vec::new(),
                errores,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(AppError::Excedido(m)) => {
            let m = format!("«{nombre}» es demasiado grande: {m}.");
            mostrar(&state, &u, volver, Vec::new(), vec![m], StatusCode::PAYLOAD_TOO_LARGE).await
        }
        Err(e) => Err(Marco::fallo(&u)(e)),
    }
}

#[derive(Debug, Deserialize)]
struct FormDecision {
    accion: String,
    candidato: Option<usize>,
    #[serde(default)]
    motivo: String,
    #[serde(default)]
    pagador_id: String,
    #[serde(default)]
    cuenta_id: String,
}

async fn decidir(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: Usuario,
    id: web::Path<String>,
    cuerpo: web::Bytes,
) -> Result<HttpResponse, ErrorWeb> {
    let f: FormDecision = formulario(&req, &u, &cuerpo)?;
    let volver = format!("/bancos?cuenta_id={}", f.cuenta_id);
    let d = match f.accion.as_str() {
        "elegir" => match f.candidato {
            Some(candidato) => DecisionMovimiento::Elegir { candidato },
            None => return Ok(con_aviso(&volver, "Elija uno de los candidatos antes de aplicar.")),
        },
        "sin_identificar" => DecisionMovimiento::SinIdentificar { motivo: f.motivo },
        "descartar" => DecisionMovimiento::Descartar { motivo: f.motivo },
        "asignar_pagador" => DecisionMovimiento::AsignarPagador {
            pagador_id: f.pagador_id,
        },
        _ => return Err(Marco::fallo(&u)(AppError::invalid("accion", "acción desconocida"))),
    };
    let st = state.clone();
    let actor = u.sesion.actor.clone();
    let id = id.into_inner();
    let r = web::block(move || bancos::decidir(&st.db, &st.terminos, st.hoy(), &actor, &id, d)).await?;
    match r {
        Ok(m) => {
            let (e, _) = estado(m.estado);
            Ok(con_aviso(
                &volver,
                &format!(
                    "Abono de {} del {}: {e}. {}",
                    pesos(m.valor),
                    fecha(m.fecha),
                    m.explicacion
                ),
            ))
        }
        // Said where the person acted: what to fix is in the message.
        Err(AppError::Invalid(v)) => Ok(con_aviso(
            &volver,
            &format!(
                "No se guardó la decisión: {}",
                v.into_iter().map(|v| v.message).collect::<Vec<_>>().join("; ")
            ),
        )),
        Err(AppError::Conflict(m)) => Ok(con_aviso(&volver, &format!("No se guardó la decisión: {m}"))),
        Err(e) => Err(Marco::fallo(&u)(e)),
    }
}

pub fn rutas(cfg: &mut web::ServiceConfig) {
    cfg.route("/bancos", web::get().to(inicio))
        .route("/bancos/reporte.xlsx", web::get().to(libro))
        .route("/bancos/cuentas", web::post().to(crear_cuenta))
        .route("/bancos/extractos", web::post().to(importar))
        .route("/bancos/movimientos/{id}/decision", web::post().to(decidir));
}
