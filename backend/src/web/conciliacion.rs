//! Conciliación de cartera with a payer (Circular Conjunta 030/2013 MinSalud – Supersalud):
//! its statement of account received from the Pagador page, and the reconciliation read side
//! by side — totals, the differences by cause, each invoice with both balances — and taken
//! away as the workbook. The same use cases as `POST /api/v1/pagadores/{id}/estados-cuenta`
//! (`estados_cuenta::recibir`) and `GET /api/v1/estados-cuenta/{id}` (`obtener`, `xlsx`).

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::NaiveDate;
use futures_util::StreamExt;
use serde::Deserialize;

use super::formato::{fecha, fecha_o_guion, pesos, pesos_o_guion, tamano};
use super::pagador::{responder, Formularios};
use super::sesion::{con_aviso, exigir_csrf, pagina, Usuario};
use super::{subida, ErrorWeb, Marco};
use crate::api::AppState;
use crate::app::estados_cuenta::{self, Conciliacion, FilaConciliacion};
use crate::app::{importaciones, AppError};
use crate::domain::cobro::CausaDiferencia;

/// What was chosen in "Recibir estado de cuenta", to come back with it.
#[derive(Default, Clone)]
pub struct FormEstado {
    pub corte: String,
    pub perfil: String,
    pub corte_error: Option<String>,
    pub perfil_error: Option<String>,
    /// Every problem of the file, each with its row.
    pub archivo_errores: Vec<String>,
    /// What belongs to no field.
    pub otro: Option<String>,
}

impl FormEstado {
    pub fn alguno(&self) -> bool {
        self.corte_error.is_some()
            || self.perfil_error.is_some()
            || !self.archivo_errores.is_empty()
            || self.otro.is_some()
    }
}

/// A cause of difference as the cartera analyst says it, and what to do about it.
pub fn causa(c: CausaDiferencia) -> (&'static str, &'static str) {
    match c {
        CausaDiferencia::Conciliada => ("Conciliada", "el mismo saldo en ambos lados"),
        CausaDiferencia::Pagada => ("Pagada", "ninguno de los dos registra saldo"),
        CausaDiferencia::NoRadicada => ("No radicada", "aún no se ha radicado ante el pagador"),
        CausaDiferencia::Devuelta => ("Devuelta", "el pagador la devolvió; falta radicarla de nuevo"),
        CausaDiferencia::NoReconocidaPagador => (
            "No reconocida por el pagador",
            "radicada, pero el pagador no la incluye en su estado de cuenta",
        ),
        CausaDiferencia::NoRegistradaPrestador => (
            "No registrada en Trazo",
            "el pagador la reporta y no está en los libros",
        ),
        CausaDiferencia::PagoNoAplicado => (
            "Pago no aplicado",
            "el pagador reporta un pago que aún no se ha aplicado aquí",
        ),
        CausaDiferencia::GlosaEnTramite => ("Glosa en trámite", "el pagador descuenta lo que sigue en discusión"),
        CausaDiferencia::DiferenciaValor => ("Diferencia de valor", "por aclarar con el pagador"),
    }
}

// ---------------------------------------------------------------------------------------
// POST /pagadores/{id}/estados-cuenta

/// Row errors listed under the file; a sheet wrong throughout is not listed to its end.
const ERRORES_MAXIMOS: usize = 30;

/// Receives the payer's statement from the form: checked as the API checks it (size, what the
/// sheet describes, the profile) and reconciled by `estados_cuenta::recibir`. The CSRF token
/// comes first in the multipart body and is checked before the file is read; the file is read
/// only up to `importaciones.max_bytes`.
async fn recibir(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: Usuario,
    id: web::Path<String>,
    mut partes: Multipart,
) -> Result<HttpResponse, ErrorWeb> {
    let id = id.into_inner();
    let maximo = state.importaciones.max_bytes;
    let mut csrf: Option<String> = None;
    let mut form = FormEstado::default();
    let mut archivo: Option<(String, Vec<u8>)> = None;
    let mut demasiado: Option<String> = None;
    while let Some(campo) = partes.next().await {
        let mut campo = campo.map_err(subida::ilegible)?;
        let nombre = campo.name().unwrap_or_default().to_string();
        if nombre == "archivo" {
            exigir_csrf(&req, &u, csrf.as_deref().unwrap_or_default())?;
            let a = subida::archivo(&mut campo, maximo, &u).await?;
            if a.demasiado {
                demasiado = Some(a.nombre);
            } else if !a.nombre.is_empty() {
                archivo = Some((a.nombre, a.bytes));
            }
        } else {
            let v = subida::texto(&mut campo).await?;
            match nombre.as_str() {
                "csrf" => csrf = Some(v),
                "corte" => form.corte = v,
                "perfil" => form.perfil = v,
                _ => {}
            }
        }
    }
    exigir_csrf(&req, &u, csrf.as_deref().unwrap_or_default())?;

    let mut status = StatusCode::UNPROCESSABLE_ENTITY;
    let corte = if form.corte.is_empty() {
        form.corte_error = Some("Escriba la fecha de corte del estado de cuenta (la que dice el pagador).".into());
        None
    } else {
        form.corte
            .parse::<NaiveDate>()
            .map_err(|_| form.corte_error = Some(format!("'{}' no es una fecha (dd/mm/aaaa)", form.corte)))
            .ok()
    };
    if let Err(AppError::Invalid(v)) = importaciones::perfil(&state.perfiles, Some(&form.perfil)) {
        form.perfil_error = v.into_iter().next().map(|v| v.message);
    }
    match (&archivo, &demasiado) {
        (_, Some(n)) => {
            form.archivo_errores.push(format!(
                "«{n}» pesa más de {}, el máximo que recibe este servidor.",
                tamano(maximo)
            ));
            status = StatusCode::PAYLOAD_TOO_LARGE;
        }
        (None, None) => form
            .archivo_errores
            .push("Elija el archivo del estado de cuenta que envió el pagador.".into()),
        (Some((n, b)), None) if b.is_empty() => form
            .archivo_errores
            .push(format!("«{n}» está vacío: elija el archivo con los datos.")),
        _ => {}
    }
    let (Some(corte), Some((nombre, bytes)), false) = (corte, archivo, form.alguno()) else {
        return de_vuelta(&state, &u, id, form, status).await;
    };

    let actor = u.sesion.actor.clone();
    let st = state.clone();
    let (pid, perfil, archivo_n) = (id.clone(), form.perfil.clone(), nombre.clone());
    let r = web::block(move || {
        let perfil = importaciones::perfil(&st.perfiles, Some(&perfil))?;
        // What the sheet describes, before calamine builds it (the limits of imports).
        trazo_importers::limites::revisar(&archivo_n, &bytes, &st.importaciones.limites).map_err(|e| match e {
            trazo_importers::archivo::ErrorArchivo::Limite(e) | trazo_importers::archivo::ErrorArchivo::Formato(e) => {
                AppError::Excedido(e.to_string())
            }
        })?;
        estados_cuenta::recibir(
            &st.db,
            perfil,
            &st.terminos.reglas,
            &actor,
            st.hoy(),
            &pid,
            corte,
            &archivo_n,
            &bytes,
        )
    })
    .await?;
    match r {
        Ok(c) => Ok(con_aviso(&ruta(&id, &c.id), &aviso(&c))),
        Err(AppError::Invalid(v)) => {
            let mut omitidos = 0;
            for v in v {
                match v.path.as_str() {
                    "corte" => form.corte_error = Some(v.message),
                    "perfil" => form.perfil_error = Some(v.message),
                    _ if form.archivo_errores.len() >= ERRORES_MAXIMOS => omitidos += 1,
                    // The reader's errors name the file and row in their message; the
                    // others, in their path.
                    p if p == nombre => form.archivo_errores.push(v.message),
                    p => form.archivo_errores.push(format!("{p}: {}", v.message)),
                }
            }
            if omitidos > 0 {
                form.otro = Some(format!(
                    "El archivo tiene {} errores; abajo están los primeros {}. No se guardó nada.",
                    form.archivo_errores.len() + omitidos,
                    form.archivo_errores.len()
                ));
            }
            de_vuelta(&state, &u, id, form, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(AppError::Excedido(m)) => {
            form.archivo_errores
                .push(format!("«{nombre}» es demasiado grande: {m}."));
            de_vuelta(&state, &u, id, form, StatusCode::PAYLOAD_TOO_LARGE).await
        }
        Err(e) => Err(Marco::fallo(&u)(e)),
    }
}

async fn de_vuelta(
    state: &web::Data<AppState>,
    u: &Usuario,
    id: String,
    estado: FormEstado,
    status: StatusCode,
) -> Result<HttpResponse, ErrorWeb> {
    let f = Formularios {
        estado,
        ..Formularios::default()
    };
    responder(state, u, id, f, status).await
}

fn ruta(pagador_id: &str, estado_id: &str) -> String {
    format!("/pagadores/{pagador_id}/estados-cuenta/{estado_id}")
}

/// What was done with the statement: recorded and reconciled, or already there.
fn aviso(c: &Conciliacion) -> String {
    if c.duplicado {
        return format!(
            "«{}» ya se había recibido (corte {}): no se registró nada nuevo. Esta es su conciliación con los \
             libros de hoy.",
            c.archivo,
            fecha(c.corte)
        );
    }
    let del_pagador = c.filas.iter().filter(|f| f.fila.is_some()).count();
    format!(
        "Estado de cuenta «{}» con corte {} recibido: {} factura{} del pagador. Saldo según Trazo {}, según el \
         pagador {}; diferencia {}.",
        c.archivo,
        fecha(c.corte),
        del_pagador,
        if del_pagador == 1 { "" } else { "s" },
        pesos(c.saldo_prestador),
        pesos(c.saldo_pagador),
        pesos(c.diferencia)
    )
}

// ---------------------------------------------------------------------------------------
// GET /pagadores/{id}/estados-cuenta/{eid}

/// The invoices' filters, kept in the URL.
#[derive(Deserialize, Default, Clone)]
pub struct Filtro {
    #[serde(default)]
    pub causa: String,
    #[serde(default)]
    pub numero: String,
    pub page: Option<i64>,
    /// Every row on one page (to print it).
    #[serde(default)]
    pub todas: String,
}

impl Filtro {
    fn url(&self, ruta: &str, pagina: Option<i64>, todas: bool) -> String {
        let p = pagina.map(|p| p.to_string()).unwrap_or_default();
        super::url(
            ruta,
            &[
                ("causa", &self.causa),
                ("numero", &self.numero),
                ("page", &p),
                ("todas", if todas { "1" } else { "" }),
            ],
        )
    }

    fn deja(&self, f: &FilaConciliacion) -> bool {
        (self.causa.is_empty() || f.causa.as_str() == self.causa)
            && (self.numero.trim().is_empty()
                || f.numero_factura
                    .to_lowercase()
                    .contains(&self.numero.trim().to_lowercase()))
    }
}

pub struct FilaResumen {
    pub codigo: &'static str,
    pub nombre: &'static str,
    pub explica: &'static str,
    pub facturas: i64,
    pub saldo_prestador: String,
    pub saldo_pagador: String,
    pub diferencia: String,
    pub url: String,
    pub actual: bool,
}

pub struct FilaVista {
    pub numero: String,
    pub factura_id: Option<String>,
    pub fila: String,
    pub radicada: String,
    pub saldo_prestador: String,
    pub pagado_prestador: String,
    pub glosa_en_tramite: String,
    pub saldo_pagador: String,
    pub pagado_pagador: String,
    pub glosado_pagador: String,
    pub diferencia: String,
    pub con_diferencia: bool,
    pub causa_codigo: &'static str,
    pub causa: &'static str,
}

#[derive(Template)]
#[template(path = "conciliacion.html")]
struct Vista {
    marco: Marco,
    pagador_id: String,
    pagador: String,
    corte: String,
    archivo: String,
    del_pagador: usize,
    total_filas: usize,
    saldo_prestador: String,
    saldo_pagador: String,
    diferencia: String,
    /// What the difference means, in words.
    sentido: String,
    resumen: Vec<FilaResumen>,
    total_resumen: i64,
    causas: Vec<(&'static str, &'static str)>,
    f: Filtro,
    filas: Vec<FilaVista>,
    filtradas: usize,
    pagina: i64,
    paginas: i64,
    anterior: Option<String>,
    siguiente: Option<String>,
    todas: Option<String>,
    limpiar: String,
    xlsx: String,
    /// "Registrar acta" for those who record actas de conciliación.
    acta: Option<String>,
}

const POR_PAGINA: usize = 100;

/// The reconciliation of statement `eid` of payer `pid` (404 when it is another payer's, as
/// when it is another prestador's).
pub(super) async fn leer(
    state: &web::Data<AppState>,
    u: &Usuario,
    pid: String,
    eid: String,
) -> Result<Conciliacion, ErrorWeb> {
    let actor = u.sesion.actor.clone();
    let st = state.clone();
    web::block(move || {
        let r = estados_cuenta::obtener(&st.db, &st.terminos.reglas, &actor, &eid)?;
        if r.pagador_id != pid {
            return Err(AppError::not_found("un estado de cuenta"));
        }
        Ok(r)
    })
    .await?
    .map_err(Marco::fallo(u))
}

fn vista(u: &Usuario, r: Conciliacion, f: Filtro) -> Vista {
    let base = ruta(&r.pagador_id, &r.id);
    let filtradas: Vec<&FilaConciliacion> = r.filas.iter().filter(|x| f.deja(x)).collect();
    let todas = !f.todas.is_empty();
    let paginas = if todas {
        1
    } else {
        (filtradas.len().div_ceil(POR_PAGINA) as i64).max(1)
    };
    let pagina = if todas {
        1
    } else {
        f.page.unwrap_or(1).clamp(1, paginas)
    };
    let desde = if todas { 0 } else { (pagina as usize - 1) * POR_PAGINA };
    let cuantas = if todas { filtradas.len() } else { POR_PAGINA };
    let filas = filtradas
        .iter()
        .skip(desde)
        .take(cuantas)
        .map(|x| {
            let (nombre, _) = causa(x.causa);
            FilaVista {
                numero: x.numero_factura.clone(),
                factura_id: x.factura_id.clone(),
                fila: x.fila.map_or_else(|| "—".into(), |n| n.to_string()),
                radicada: fecha_o_guion(x.fecha_radicacion),
                saldo_prestador: pesos_o_guion(x.saldo_prestador),
                pagado_prestador: pesos_o_guion(x.pagado_prestador),
                glosa_en_tramite: pesos_o_guion(x.glosa_en_tramite),
                saldo_pagador: pesos_o_guion(x.saldo_pagador),
                pagado_pagador: pesos_o_guion(x.pagado_pagador),
                glosado_pagador: pesos_o_guion(x.glosado_pagador),
                diferencia: pesos(x.diferencia),
                con_diferencia: !x.diferencia.is_zero(),
                causa_codigo: x.causa.as_str(),
                causa: nombre,
            }
        })
        .collect();
    let sentido = if r.diferencia.is_zero() {
        "Los dos saldos coinciden.".to_string()
    } else if r.diferencia.is_sign_positive() {
        format!(
            "Trazo registra {} más de lo que el pagador reconoce.",
            pesos(r.diferencia)
        )
    } else {
        format!(
            "El pagador reporta {} más de lo que registra Trazo.",
            pesos(-r.diferencia)
        )
    };
    let resumen = r
        .resumen
        .iter()
        .map(|x| {
            let (nombre, explica) = causa(x.causa);
            let filtro = Filtro {
                causa: x.causa.as_str().to_string(),
                ..Filtro::default()
            };
            FilaResumen {
                codigo: x.causa.as_str(),
                nombre,
                explica,
                facturas: x.facturas,
                saldo_prestador: pesos(x.saldo_prestador),
                saldo_pagador: pesos(x.saldo_pagador),
                diferencia: pesos(x.diferencia),
                url: filtro.url(&base, None, false),
                actual: f.causa == x.causa.as_str(),
            }
        })
        .collect();
    Vista {
        marco: Marco::de(
            u,
            format!("Conciliación con {} al {}", r.pagador, fecha(r.corte)),
            "/cartera",
        ),
        del_pagador: r.filas.iter().filter(|x| x.fila.is_some()).count(),
        total_filas: r.filas.len(),
        total_resumen: r.resumen.iter().map(|x| x.facturas).sum(),
        causas: r.resumen.iter().map(|x| (x.causa.as_str(), causa(x.causa).0)).collect(),
        saldo_prestador: pesos(r.saldo_prestador),
        saldo_pagador: pesos(r.saldo_pagador),
        diferencia: pesos(r.diferencia),
        sentido,
        resumen,
        filtradas: filtradas.len(),
        filas,
        pagina,
        paginas,
        anterior: (pagina > 1).then(|| f.url(&base, Some(pagina - 1), false)),
        siguiente: (pagina < paginas).then(|| f.url(&base, Some(pagina + 1), false)),
        todas: (!todas && paginas > 1).then(|| f.url(&base, None, true)),
        limpiar: base.clone(),
        xlsx: format!("{base}.xlsx"),
        acta: crate::app::actas::REGISTRAN
            .contains(&u.sesion.actor.rol)
            .then(|| format!("{base}/acta")),
        pagador_id: r.pagador_id,
        pagador: r.pagador,
        corte: fecha(r.corte),
        archivo: r.archivo,
        f,
    }
}

async fn ver(
    state: web::Data<AppState>,
    u: Usuario,
    ids: web::Path<(String, String)>,
    q: web::Query<Filtro>,
) -> Result<HttpResponse, ErrorWeb> {
    let (pid, eid) = ids.into_inner();
    let r = leer(&state, &u, pid, eid).await?;
    pagina(&u, &vista(&u, r, q.into_inner()))
}

/// The side-by-side workbook with its summary by cause: the API's own.
async fn libro(
    state: web::Data<AppState>,
    u: Usuario,
    ids: web::Path<(String, String)>,
) -> Result<HttpResponse, ErrorWeb> {
    let (pid, eid) = ids.into_inner();
    let r = leer(&state, &u, pid, eid).await?;
    let actor = u.sesion.actor.clone();
    let (nombre, bytes) = web::block(move || {
        let (nit, nombre, nit_pagador) = estados_cuenta::partes(&state.db, &actor, &r.pagador_id)?;
        let bytes = estados_cuenta::xlsx(&r, (&nit, &nombre), &nit_pagador)?;
        Ok::<_, AppError>((format!("conciliacion-{nit_pagador}-{}.xlsx", r.corte), bytes))
    })
    .await?
    .map_err(Marco::fallo(&u))?;
    let mut r = crate::api::reportes::xlsx(&nombre, bytes);
    super::cabeceras(r.headers_mut());
    Ok(r)
}

pub fn rutas(cfg: &mut web::ServiceConfig) {
    cfg.route("/pagadores/{id}/estados-cuenta", web::post().to(recibir))
        .route("/pagadores/{id}/estados-cuenta/{eid}.xlsx", web::get().to(libro))
        .route("/pagadores/{id}/estados-cuenta/{eid}", web::get().to(ver));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::estados_cuenta::ResumenCausa;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn fila(numero: &str, c: CausaDiferencia, dif: &str) -> FilaConciliacion {
        FilaConciliacion {
            numero_factura: numero.into(),
            factura_id: None,
            fila: Some(2),
            fecha_expedicion: None,
            fecha_radicacion: None,
            valor_prestador: None,
            saldo_prestador: Some(d("100")),
            pagado_prestador: None,
            glosa_en_tramite: None,
            valor_pagador: None,
            glosado_pagador: None,
            pagado_pagador: None,
            saldo_pagador: None,
            diferencia: d(dif),
            causa: c,
        }
    }

    #[test]
    fn every_cause_has_plain_words() {
        for c in CausaDiferencia::ALL {
            let (nombre, explica) = causa(*c);
            assert!(
                !nombre.is_empty() && !explica.is_empty() && !nombre.contains('_'),
                "{c:?}"
            );
        }
    }

    #[test]
    fn a_cause_filter_keeps_its_rows_and_a_number_search_ignores_case() {
        let f = Filtro {
            causa: "pago_no_aplicado".into(),
            ..Filtro::default()
        };
        assert!(f.deja(&fila("R-1", CausaDiferencia::PagoNoAplicado, "1")));
        assert!(!f.deja(&fila("R-2", CausaDiferencia::Conciliada, "0")));
        let f = Filtro {
            numero: " r-1 ".into(),
            ..Filtro::default()
        };
        assert!(f.deja(&fila("FE-R-10", CausaDiferencia::Conciliada, "0")));
        assert!(!f.deja(&fila("FE-9", CausaDiferencia::Conciliada, "0")));
        assert_eq!(f.url("/x", Some(2), false), "/x?numero=+r-1+&page=2".to_string());
    }

    #[test]
    fn the_difference_is_said_in_words_and_new_and_repeated_files_are_told_apart() {
        let mut c = Conciliacion {
            id: "e1".into(),
            pagador_id: "p1".into(),
            pagador: "EPS".into(),
            corte: NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
            archivo: "estado.csv".into(),
            duplicado: false,
            saldo_prestador: d("1000"),
            saldo_pagador: d("400"),
            diferencia: d("600"),
            resumen: vec![ResumenCausa {
                causa: CausaDiferencia::PagoNoAplicado,
                facturas: 1,
                saldo_prestador: d("1000"),
                saldo_pagador: d("400"),
                diferencia: d("600"),
            }],
            filas: vec![fila("R-1", CausaDiferencia::PagoNoAplicado, "600")],
        };
        assert!(
            aviso(&c).contains("corte 30/06/2026 recibido: 1 factura del pagador"),
            "{}",
            aviso(&c)
        );
        assert!(aviso(&c).contains("diferencia $ 600,00"));
        c.duplicado = true;
        assert!(aviso(&c).contains("no se registró nada nuevo"));
    }
}
