//! Importar: upload DIAN XML invoices, RIPS or a payer's sheet of glosas or payments (one file
//! or a zip of many), as a dry run or for real; follow the run as it goes; read every error
//! with its file and row; the history of runs. The same use cases as `/api/v1/importaciones`:
//! who may import what is `importaciones::exigir_rol`, the upload is checked and queued by
//! `importaciones::iniciar`.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use futures_util::StreamExt;
use serde::Deserialize;

use super::formato::{fecha, fecha_hora, pesos, tamano};
use super::sesion::{con_aviso, exigir_csrf, pagina, Usuario};
use super::{html, subida, ErrorWeb, Marco};
use crate::api::AppState;
use crate::app::importaciones::{
    self, ConsultaImportaciones, EstadoImportacion, ImportacionVista, Opciones, Subida, TipoImportacion,
};
use crate::app::{Actor, AppError};

/// What each kind of import is called on the screen.
pub fn etiqueta(t: TipoImportacion) -> &'static str {
    match t {
        TipoImportacion::DianXml => "Facturas electrónicas DIAN (XML)",
        TipoImportacion::RipsJson => "RIPS (JSON)",
        TipoImportacion::RipsPlanos => "RIPS (planos)",
        TipoImportacion::GlosasXlsx => "Glosas del pagador (hoja)",
        TipoImportacion::PagosXlsx => "Pagos del pagador (hoja)",
    }
}

/// What file to upload for each kind, in the clerk's words.
fn que_subir(t: TipoImportacion) -> &'static str {
    match t {
        TipoImportacion::DianXml => {
            "El XML validado por la DIAN: el AttachedDocument que entrega el facturador electrónico, o la \
             factura UBL 2.1 sola; también notas crédito. Varios a la vez, en un .zip."
        }
        TipoImportacion::RipsJson => "Un archivo JSON por factura (Resolución 2275 de 2023); varios, en un .zip.",
        TipoImportacion::RipsPlanos => {
            "Los archivos planos de una remisión (CT, AF, US, AC, AP…; Resolución 3374 de 2000), todos juntos en \
             un .zip."
        }
        TipoImportacion::GlosasXlsx => {
            "La relación de glosas que envía el pagador (xlsx, xls, ods o csv), leída con el perfil de ese \
             pagador. Cada error dice la fila de la hoja."
        }
        TipoImportacion::PagosXlsx => {
            "La relación de pagos o giros del pagador (xlsx, xls, ods o csv), leída con el perfil de ese pagador."
        }
    }
}

/// Whether a kind of import is a payer's sheet, read with a profile.
fn es_hoja(t: TipoImportacion) -> bool {
    matches!(t, TipoImportacion::GlosasXlsx | TipoImportacion::PagosXlsx)
}

/// Where a run stands, in words.
pub fn estado_en_palabras(e: EstadoImportacion) -> &'static str {
    match e {
        EstadoImportacion::EnCola => "En cola",
        EstadoImportacion::EnCurso => "En curso",
        EstadoImportacion::Terminada => "Terminada",
        EstadoImportacion::Simulada => "Simulada",
        EstadoImportacion::Rechazada => "Rechazada",
        EstadoImportacion::Fallida => "Fallida",
        EstadoImportacion::Interrumpida => "Interrumpida",
    }
}

/// What a run's state means for the person who uploaded it, and what to do next.
fn explicacion(v: &ImportacionVista) -> &'static str {
    match (v.estado, v.simulada) {
        (EstadoImportacion::EnCola, _) => "Esperando turno: otras importaciones se están procesando.",
        (EstadoImportacion::EnCurso, true) => "Revisando el archivo (simulación: no se guardará nada).",
        (EstadoImportacion::EnCurso, false) => "Leyendo y guardando el archivo.",
        (EstadoImportacion::Terminada, _) => "Todo quedó guardado.",
        (EstadoImportacion::Simulada, _) => {
            "Sin errores: vuelva a subir el archivo sin 'Simular' para guardarlo. Esta simulación no guardó nada."
        }
        (EstadoImportacion::Rechazada, true) => {
            "La simulación encontró errores (no se guardó nada). Corríjalos en el archivo y vuelva a subirlo."
        }
        (EstadoImportacion::Rechazada, false) => {
            "No se guardó nada porque el archivo tiene errores. Corríjalos y vuelva a subirlo completo."
        }
        (EstadoImportacion::Fallida, _) => "Falló el servidor y no se guardó nada. Vuelva a subir el archivo.",
        (EstadoImportacion::Interrumpida, _) => {
            "El servidor se detuvo antes de terminar y no se guardó nada. Vuelva a subir el archivo."
        }
    }
}

/// The upload form as it was filled, with what is wrong with each field.
#[derive(Default)]
struct Formulario {
    tipo: String,
    perfil: String,
    simular: bool,
    error: Option<String>,
    error_tipo: Option<String>,
    error_perfil: Option<String>,
    error_archivo: Option<String>,
}

/// A kind of import the user may choose.
struct OpcionTipo {
    valor: &'static str,
    texto: &'static str,
    ayuda: &'static str,
    hoja: bool,
}

/// A run in the history.
struct FilaCorrida {
    id: String,
    inicio: String,
    tipo: &'static str,
    archivo: String,
    perfil: String,
    simulada: bool,
    estado: &'static str,
    total: i32,
    creados: i32,
    duplicados: i32,
    errores: usize,
    usuario: String,
}

#[derive(Template)]
#[template(path = "importar.html")]
struct Importar {
    marco: Marco,
    tipos: Vec<OpcionTipo>,
    /// Some kind the user may import is a payer's sheet: the profile is asked.
    con_hojas: bool,
    perfiles: Vec<String>,
    form: Formulario,
    maximo: String,
    f: Filtros,
    todos_tipos: Vec<(&'static str, &'static str)>,
    estados: Vec<(&'static str, &'static str)>,
    filas: Vec<FilaCorrida>,
    total: i64,
    pagina: i64,
    paginas: i64,
    anterior: Option<String>,
    siguiente: Option<String>,
    xlsx: String,
}

/// The history's search as the URL keeps it.
#[derive(Deserialize, Default, Clone)]
pub struct Filtros {
    #[serde(default)]
    pub tipo: String,
    #[serde(default)]
    pub estado: String,
    #[serde(default)]
    pub desde: String,
    #[serde(default)]
    pub hasta: String,
    pub page: Option<i64>,
}

const POR_PAGINA: i64 = 25;

impl Filtros {
    fn consulta(&self, todas: bool) -> Result<ConsultaImportaciones, AppError> {
        let fecha = super::formulario::fecha_filtro;
        let tipo = (!self.tipo.is_empty())
            .then(|| {
                self.tipo
                    .parse::<TipoImportacion>()
                    .map_err(|_| AppError::invalid("tipo", format!("'{}' no es un tipo de importación", self.tipo)))
            })
            .transpose()?;
        let estado = (!self.estado.is_empty())
            .then(|| {
                self.estado.parse::<EstadoImportacion>().map_err(|_| {
                    AppError::invalid("estado", format!("'{}' no es un estado de importación", self.estado))
                })
            })
            .transpose()?;
        Ok(ConsultaImportaciones {
            tipo,
            estado,
            usuario_id: None,
            desde: fecha("desde", &self.desde)?,
            hasta: fecha("hasta", &self.hasta)?,
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
                ("tipo", &self.tipo),
                ("estado", &self.estado),
                ("desde", &self.desde),
                ("hasta", &self.hasta),
                ("page", &p),
            ],
        )
    }
}

/// The kinds of import `actor` may start (the use case's own rule).
fn tipos_de(actor: &Actor) -> Vec<OpcionTipo> {
    TipoImportacion::ALL
        .iter()
        .filter(|t| importaciones::exigir_rol(actor, **t).is_ok())
        .map(|t| OpcionTipo {
            valor: t.as_str(),
            texto: etiqueta(*t),
            ayuda: que_subir(*t),
            hoja: es_hoja(*t),
        })
        .collect()
}

/// The Importar page: the upload form (as `form` was filled) and the history searched by `f`.
async fn pantalla(
    state: web::Data<AppState>,
    u: &Usuario,
    f: Filtros,
    form: Formulario,
    status: StatusCode,
) -> Result<HttpResponse, ErrorWeb> {
    let consulta = f.consulta(false).map_err(Marco::fallo(u))?;
    let actor = u.sesion.actor.clone();
    let st = state.clone();
    let l = web::block(move || importaciones::listar(&st.db, &actor, &consulta, false))
        .await?
        .map_err(Marco::fallo(u))?;
    let pagina_actual = f.page.unwrap_or(1).max(1);
    let paginas = ((l.total + POR_PAGINA - 1) / POR_PAGINA).max(1);
    let filas = l
        .items
        .into_iter()
        .map(|i| FilaCorrida {
            id: i.id,
            inicio: fecha_hora(i.creado_en),
            tipo: etiqueta(i.tipo),
            archivo: i.archivo,
            perfil: i.perfil.unwrap_or_default(),
            simulada: i.simulada,
            estado: estado_en_palabras(i.estado),
            total: i.total,
            creados: i.creados,
            duplicados: i.duplicados,
            errores: i.errores,
            usuario: i.usuario,
        })
        .collect();
    let tipos = tipos_de(&u.sesion.actor);
    let p = Importar {
        marco: Marco::de(u, "Importar", "/importar"),
        con_hojas: tipos.iter().any(|t| t.hoja),
        tipos,
        perfiles: state.perfiles.iter().map(|p| p.nombre.clone()).collect(),
        form,
        maximo: tamano(state.importaciones.max_bytes),
        todos_tipos: TipoImportacion::ALL
            .iter()
            .map(|t| (t.as_str(), etiqueta(*t)))
            .collect(),
        estados: EstadoImportacion::ALL
            .iter()
            .map(|e| (e.as_str(), estado_en_palabras(*e)))
            .collect(),
        filas,
        total: l.total,
        pagina: pagina_actual,
        paginas,
        anterior: (pagina_actual > 1).then(|| f.url("/importar", Some(pagina_actual - 1))),
        siguiente: (pagina_actual < paginas).then(|| f.url("/importar", Some(pagina_actual + 1))),
        xlsx: f.url("/importar.xlsx", None),
        f,
    };
    let mut r = pagina(u, &p)?;
    *r.status_mut() = status;
    Ok(r)
}

async fn inicio(state: web::Data<AppState>, u: Usuario, q: web::Query<Filtros>) -> Result<HttpResponse, ErrorWeb> {
    let form = Formulario {
        perfil: "generico".into(),
        ..Formulario::default()
    };
    pantalla(state, &u, q.into_inner(), form, StatusCode::OK).await
}

/// Every run of the search, as a workbook (the API's own).
async fn historial_xlsx(
    state: web::Data<AppState>,
    u: Usuario,
    q: web::Query<Filtros>,
) -> Result<HttpResponse, ErrorWeb> {
    let consulta = q.consulta(true).map_err(Marco::fallo(&u))?;
    let actor = u.sesion.actor.clone();
    let bytes = web::block(move || {
        let l = importaciones::listar(&state.db, &actor, &consulta, true)?;
        importaciones::xlsx(&l)
    })
    .await?
    .map_err(Marco::fallo(&u))?;
    let mut r = crate::api::reportes::xlsx("importaciones.xlsx", bytes);
    super::cabeceras(r.headers_mut());
    Ok(r)
}

/// Starts an import from the form: the same checks and run as `POST /api/v1/importaciones`.
/// The CSRF token comes inside the multipart body, before the file; the file is read only
/// after it was checked and who may import that kind was asked (a refused upload is not
/// stored), and only up to `importaciones.max_bytes`.
async fn subir(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: Usuario,
    mut partes: Multipart,
) -> Result<HttpResponse, ErrorWeb> {
    let maximo = state.importaciones.max_bytes;
    let actor = u.sesion.actor.clone();
    let mut csrf: Option<String> = None;
    let mut form = Formulario::default();
    let mut archivo: Option<subida::Archivo> = None;
    while let Some(campo) = partes.next().await {
        let mut campo = campo.map_err(subida::ilegible)?;
        let nombre = campo.name().unwrap_or_default().to_string();
        if nombre == "archivo" {
            exigir_csrf(&req, &u, csrf.as_deref().unwrap_or_default())?;
            if let Ok(t) = form.tipo.parse::<TipoImportacion>() {
                importaciones::exigir_rol(&actor, t).map_err(Marco::fallo(&u))?;
            }
            let a = subida::archivo(&mut campo, maximo, &u).await?;
            if !a.nombre.is_empty() {
                archivo = Some(a);
            }
        } else {
            let v = subida::texto(&mut campo).await?;
            match nombre.as_str() {
                "csrf" => csrf = Some(v),
                "tipo" => form.tipo = v,
                "perfil" => form.perfil = v,
                "simular" => form.simular = true,
                _ => {}
            }
        }
    }
    exigir_csrf(&req, &u, csrf.as_deref().unwrap_or_default())?;

    let tipo = form.tipo.parse::<TipoImportacion>();
    if let Ok(t) = tipo {
        importaciones::exigir_rol(&actor, t).map_err(Marco::fallo(&u))?;
    }
    let mut status = StatusCode::UNPROCESSABLE_ENTITY;
    if tipo.is_err() {
        form.error_tipo = Some("Elija qué va a importar.".into());
    }
    match &archivo {
        None => form.error_archivo = Some("Elija el archivo que va a importar (o un .zip con varios).".into()),
        Some(a) if a.demasiado => {
            form.error_archivo = Some(format!(
                "«{}» pesa más de {}, el máximo que recibe este servidor. Divídalo en partes más pequeñas \
                 (por ejemplo, un .zip por mes) y súbalas una por una.",
                a.nombre,
                tamano(maximo)
            ));
            status = StatusCode::PAYLOAD_TOO_LARGE;
        }
        Some(a) if a.bytes.is_empty() => {
            form.error_archivo = Some(format!("«{}» está vacío: elija el archivo con los datos.", a.nombre))
        }
        Some(_) => {}
    }
    let (Ok(tipo), Some(a), None) = (tipo, archivo, &form.error_archivo) else {
        return pantalla(state, &u, Filtros::default(), form, status).await;
    };

    let nombre = a.nombre.clone();
    let subida = Subida {
        nombre: a.nombre,
        bytes: a.bytes,
        limites: state.importaciones.limites.clone(),
        cola: state.importaciones.cola.clone(),
        opciones: Opciones {
            tipo,
            perfil: es_hoja(tipo).then(|| form.perfil.clone()).filter(|p| !p.is_empty()),
            simular: form.simular,
        },
    };
    let st = state.clone();
    let r = web::block(move || importaciones::iniciar(&st.contexto_importacion(), &actor, subida)).await?;
    match r {
        Ok(v) => {
            let aviso = if v.simulada {
                format!("«{nombre}» recibido para simular: se revisará sin guardar nada.")
            } else {
                format!("«{nombre}» recibido: la importación está en marcha.")
            };
            Ok(con_aviso(&format!("/importar/{}", v.id), &aviso))
        }
        Err(AppError::Invalid(violaciones)) => {
            for v in violaciones {
                match v.path.as_str() {
                    "perfil" => form.error_perfil = Some(v.message),
                    "tipo" => form.error_tipo = Some(v.message),
                    "(cuerpo)" => form.error_archivo = Some(format!("«{nombre}» está vacío.")),
                    p if p == nombre => form.error_archivo = Some(format!("«{nombre}»: {}", v.message)),
                    p => form.error_archivo = Some(format!("«{nombre}», {p}: {}", v.message)),
                }
            }
            pantalla(state, &u, Filtros::default(), form, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(AppError::Excedido(m)) => {
            form.error_archivo = Some(format!("«{nombre}» es demasiado grande: {m}."));
            pantalla(state, &u, Filtros::default(), form, StatusCode::PAYLOAD_TOO_LARGE).await
        }
        Err(AppError::Ocupado(m)) => {
            form.error = Some(format!("No se pudo recibir ahora: {m}"));
            pantalla(state, &u, Filtros::default(), form, StatusCode::SERVICE_UNAVAILABLE).await
        }
        Err(e @ AppError::NoDisponible(_)) => {
            form.error = Some(format!(
                "No se pudo recibir ahora: {e}. Inténtelo de nuevo en unos minutos."
            ));
            pantalla(state, &u, Filtros::default(), form, StatusCode::SERVICE_UNAVAILABLE).await
        }
        Err(e) => Err(Marco::fallo(&u)(e)),
    }
}

/// One problem of a run, where it is.
struct FilaError {
    archivo: String,
    lugar: String,
    campo: String,
    mensaje: String,
}

/// A glosa the run created already accepted by the prestador's silence.
struct FilaTacita {
    archivo: String,
    fila: usize,
    factura_id: String,
    factura: String,
    codigo: String,
    valor: String,
    limite: String,
}

/// A run as the page shows it.
struct Resultado {
    id: String,
    estado: &'static str,
    estado_texto: &'static str,
    explicacion: &'static str,
    en_marcha: bool,
    rechazada: bool,
    procesados: i32,
    total: i32,
    creados: i32,
    duplicados: i32,
    errores: Vec<FilaError>,
    tacitas: Vec<FilaTacita>,
    terminada: String,
}

#[derive(Template)]
#[template(path = "importacion.html", blocks = ["resultado"])]
struct Corrida {
    marco: Marco,
    tipo: &'static str,
    archivo: String,
    perfil: String,
    simulada: bool,
    subida: String,
    r: Resultado,
}

/// Where in its file a problem is, in words.
fn lugar(e: &importaciones::ErrorImportacion) -> String {
    match (e.row, e.line, &e.path) {
        (Some(f), _, _) => format!("fila {f}"),
        (_, Some(l), _) => format!("línea {l}"),
        (_, _, Some(p)) => p.clone(),
        _ => "—".into(),
    }
}

/// An error's message without the place the table already shows in its own columns (the
/// stored message reads as a sentence with its place: "a.xlsx, fila 5, valor: ...").
fn sin_lugar(e: &importaciones::ErrorImportacion) -> &str {
    let mut prefijo = e.archivo.clone();
    match (e.row, e.line, &e.path) {
        (Some(f), _, _) => prefijo.push_str(&format!(", fila {f}")),
        (_, Some(l), _) => prefijo.push_str(&format!(", línea {l}")),
        (_, _, Some(p)) => prefijo.push_str(&format!(", {p}")),
        _ => {}
    }
    if let Some(c) = &e.campo {
        prefijo.push_str(&format!(", {c}"));
    }
    prefijo.push_str(": ");
    e.message.strip_prefix(prefijo.as_str()).unwrap_or(&e.message)
}

fn resultado(v: &ImportacionVista) -> Resultado {
    Resultado {
        id: v.id.clone(),
        estado: v.estado.as_str(),
        estado_texto: estado_en_palabras(v.estado),
        explicacion: explicacion(v),
        en_marcha: matches!(v.estado, EstadoImportacion::EnCola | EstadoImportacion::EnCurso),
        rechazada: !matches!(v.estado, EstadoImportacion::Terminada | EstadoImportacion::Simulada),
        procesados: v.procesados,
        total: v.total,
        creados: v.creados,
        duplicados: v.duplicados,
        errores: v
            .errores
            .iter()
            .map(|e| FilaError {
                archivo: e.archivo.clone(),
                lugar: lugar(e),
                campo: e.campo.clone().unwrap_or_default(),
                mensaje: sin_lugar(e).to_string(),
            })
            .collect(),
        tacitas: v
            .aceptadas_tacitamente
            .iter()
            .map(|g| FilaTacita {
                archivo: g.archivo.clone(),
                fila: g.row,
                factura_id: g.factura_id.clone(),
                factura: g.numero_factura.clone(),
                codigo: g.codigo.clone(),
                valor: pesos(g.valor),
                limite: fecha(g.fecha_limite_respuesta),
            })
            .collect(),
        terminada: v.terminado_en.map(fecha_hora).unwrap_or_default(),
    }
}

async fn leer(state: web::Data<AppState>, u: &Usuario, id: String) -> Result<ImportacionVista, ErrorWeb> {
    let actor = u.sesion.actor.clone();
    web::block(move || importaciones::obtener(&state.db, &actor, &id))
        .await?
        .map_err(Marco::fallo(u))
}

fn corrida(u: &Usuario, v: ImportacionVista) -> Corrida {
    let r = resultado(&v);
    Corrida {
        marco: Marco::de(u, format!("Importación de {}", v.archivo), "/importar"),
        tipo: etiqueta(v.tipo),
        perfil: v.perfil.unwrap_or_default(),
        simulada: v.simulada,
        subida: fecha_hora(v.creado_en),
        archivo: v.archivo,
        r,
    }
}

async fn una(state: web::Data<AppState>, u: Usuario, id: web::Path<String>) -> Result<HttpResponse, ErrorWeb> {
    let v = leer(state, &u, id.into_inner()).await?;
    pagina(&u, &corrida(&u, v))
}

/// The run's state, progress and errors alone: what the page polls while the run goes (htmx),
/// from the same template.
async fn progreso(state: web::Data<AppState>, u: Usuario, id: web::Path<String>) -> Result<HttpResponse, ErrorWeb> {
    let v = leer(state, &u, id.into_inner()).await?;
    html(&corrida(&u, v).as_resultado())
}

pub fn rutas(cfg: &mut web::ServiceConfig) {
    cfg.route("/importar", web::get().to(inicio))
        .route("/importar", web::post().to(subir))
        .route("/importar.xlsx", web::get().to(historial_xlsx))
        .route("/importar/{id}", web::get().to(una))
        .route("/importar/{id}/progreso", web::get().to(progreso));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_and_kind_has_its_words() {
        for e in EstadoImportacion::ALL {
            assert!(!estado_en_palabras(*e).is_empty());
        }
        assert_eq!(estado_en_palabras(EstadoImportacion::EnCola), "En cola");
        assert_eq!(etiqueta(TipoImportacion::DianXml), "Facturas electrónicas DIAN (XML)");
        assert!(es_hoja(TipoImportacion::PagosXlsx) && !es_hoja(TipoImportacion::RipsPlanos));
    }

    fn vista(estado: EstadoImportacion, simulada: bool) -> ImportacionVista {
        ImportacionVista {
            id: "abc".into(),
            tipo: TipoImportacion::DianXml,
            archivo: "lote.zip".into(),
            perfil: None,
            simulada,
            estado,
            procesados: 1,
            total: 3,
            creados: 0,
            duplicados: 0,
            errores: Vec::new(),
            aceptadas_tacitamente: Vec::new(),
            creado_en: chrono::Utc::now(),
            terminado_en: None,
        }
    }

    fn bloque(v: ImportacionVista) -> String {
        let p = Corrida {
            marco: Marco::publico("x"),
            tipo: etiqueta(v.tipo),
            archivo: v.archivo.clone(),
            perfil: String::new(),
            simulada: v.simulada,
            subida: String::new(),
            r: resultado(&v),
        };
        let html = p.as_resultado().render().unwrap();
        html
    }

    #[test]
    fn a_run_polls_for_its_progress_only_while_it_goes() {
        for estado in [EstadoImportacion::EnCola, EstadoImportacion::EnCurso] {
            let b = bloque(vista(estado, false));
            assert!(b.trim_start().starts_with("<section id=\"resultado\""), "{b}");
            assert!(b.contains(r#"hx-get="/importar/abc/progreso""#), "{b}");
            assert!(
                b.contains(r#"hx-trigger="every 1s""#) && b.contains(r#"hx-swap="outerHTML""#),
                "{b}"
            );
            assert!(
                b.contains(r#"<progress id="avance" max="3" value="1"></progress>"#),
                "{b}"
            );
            assert!(!b.contains("<html"), "{b}");
        }
        for estado in [
            EstadoImportacion::Terminada,
            EstadoImportacion::Rechazada,
            EstadoImportacion::Interrumpida,
        ] {
            assert!(!bloque(vista(estado, false)).contains("hx-get"), "{estado}");
        }
        let b = bloque(vista(EstadoImportacion::Simulada, true));
        assert!(!b.contains("hx-get"));
        assert!(b.contains("Sin errores: vuelva a subir el archivo sin"), "{b}");
    }

    #[test]
    fn an_error_says_where_it_is() {
        let e = |row, line, path: Option<&str>| importaciones::ErrorImportacion {
            archivo: "a.xlsx".into(),
            row,
            line,
            path: path.map(str::to_string),
            campo: None,
            message: "m".into(),
        };
        assert_eq!(lugar(&e(Some(5), None, None)), "fila 5");
        assert_eq!(lugar(&e(None, Some(3), None)), "línea 3");
        assert_eq!(lugar(&e(None, None, Some("/Invoice/cbc:ID"))), "/Invoice/cbc:ID");
        assert_eq!(lugar(&e(None, None, None)), "—");
        let mut x = e(Some(5), None, None);
        x.campo = Some("valor".into());
        x.message = "a.xlsx, fila 5, valor: 'doce' no es un valor en pesos".into();
        assert_eq!(sin_lugar(&x), "'doce' no es un valor en pesos");
        let mut x = e(None, None, Some("/AttachedDocument"));
        x.message = "a.xlsx, /AttachedDocument: falta el CUFE".into();
        assert_eq!(sin_lugar(&x), "falta el CUFE");
        x.message = "otra cosa".into();
        assert_eq!(sin_lugar(&x), "otra cosa");
    }
}
