//! Import runs: DIAN XML invoices, RIPS, and payer sheets of glosas and payments.
//!
//! A run is validated in full first; if anything is wrong nothing is written and every error
//! comes back, each naming its file, row or line and field. Otherwise all of it is written in
//! one transaction with its events. A file already imported (same content hash) and records
//! already present (same natural key) change nothing and are counted as `duplicados`. A dry
//! run (`simular`) does all of that and then rolls the transaction back.
//!
//! [`motor`] does all of that for every format; each format is one module that says how its
//! files are parsed and how what they hold is checked and written ([`motor::Formato`]).

pub mod cola;
mod dian;
mod glosas;
mod motor;
mod pagos;
pub mod proceso;
pub(crate) mod radian;
mod rips;

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;
use trazo_importers::archivo::{self, ErrorArchivo, LimitesArchivo, Origen};
use trazo_importers::sheets::Perfil;
use trazo_importers::{ImportError, Ubicacion};
use utoipa::ToSchema;

use self::motor::{Corrida, Falla};
use super::{Actor, AppError};
use crate::db::{self, Db};
use crate::domain::rol::Rol;
use crate::domain::terminos::Terminos;
use crate::domain::Violation;

pub use crate::domain::importacion::{EstadoImportacion, TipoImportacion};

/// One problem of an import, where it is.
#[derive(Debug, Clone, Serialize, serde::Deserialize, ToSchema)]
pub struct ErrorImportacion {
    pub archivo: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub row: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub campo: Option<String>,
    pub message: String,
}

impl From<&ImportError> for ErrorImportacion {
    fn from(e: &ImportError) -> Self {
        let (row, line, path) = match &e.ubicacion {
            Ubicacion::Fila(n) => (Some(*n), None, None),
            Ubicacion::Linea(n) => (None, Some(*n), None),
            Ubicacion::XPath(p) | Ubicacion::Json(p) => (None, None, Some(p.clone())),
            Ubicacion::Archivo => (None, None, None),
        };
        ErrorImportacion {
            archivo: e.archivo.clone(),
            row,
            line,
            path,
            campo: e.campo.clone(),
            message: e.to_string(),
        }
    }
}

/// A glosa a run created that was already past its answer term on the day of the import: the
/// prestador's silence accepted it (Ley 1438/2011 art. 57, `reglas.aceptacion_tacita`), so its
/// value is lost unless the payer takes a late answer. Listed so nobody learns it from the
/// balance weeks later.
#[derive(Debug, Clone, Serialize, serde::Deserialize, ToSchema)]
pub struct GlosaAceptadaTacitamente {
    pub archivo: String,
    /// The sheet's row.
    pub row: usize,
    pub factura_id: String,
    pub numero_factura: String,
    pub codigo: String,
    #[schema(value_type = String, example = "150000.00")]
    pub valor: rust_decimal::Decimal,
    /// The last day the prestador had to answer (15 días hábiles from its receipt).
    pub fecha_limite_respuesta: NaiveDate,
}

/// A payer's sheet names an invoice Trazo does not have: what came and what is expected.
fn factura_desconocida(numero: &str) -> String {
    format!(
        "la factura {numero} no está en Trazo; se espera el número de una factura registrada (con su prefijo, \
         o sin él si solo una factura tiene esos dígitos)"
    )
}

fn error(archivo: &str, ubicacion: Ubicacion, campo: Option<&str>, mensaje: impl Into<String>) -> ErrorImportacion {
    (&ImportError::new(archivo, ubicacion, campo, mensaje)).into()
}

/// What an application error means at a place of a file.
fn en(archivo: &str, ubicacion: Ubicacion, e: AppError) -> Vec<ErrorImportacion> {
    match e {
        AppError::Invalid(v) => v
            .into_iter()
            .map(|x| error(archivo, ubicacion.clone(), Some(&x.path), x.message))
            .collect(),
        other => vec![error(archivo, ubicacion, None, other.to_string())],
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportacionVista {
    pub id: String,
    pub tipo: TipoImportacion,
    pub archivo: String,
    pub perfil: Option<String>,
    pub simulada: bool,
    pub estado: EstadoImportacion,
    pub procesados: i32,
    pub total: i32,
    pub creados: i32,
    pub duplicados: i32,
    pub errores: Vec<ErrorImportacion>,
    /// Glosas created (or, in a dry run, that would be) already accepted by silence on the day
    /// of the import; empty for other kinds of import and for a refused run.
    pub aceptadas_tacitamente: Vec<GlosaAceptadaTacitamente>,
    pub creado_en: chrono::DateTime<chrono::Utc>,
    pub terminado_en: Option<chrono::DateTime<chrono::Utc>>,
}

fn vista(i: db::importaciones::Importacion) -> ImportacionVista {
    ImportacionVista {
        tipo: i.tipo,
        estado: i.estado,
        errores: serde_json::from_str(&i.errores).unwrap_or_default(),
        aceptadas_tacitamente: serde_json::from_str(&i.aceptadas_tacitamente).unwrap_or_default(),
        id: i.id,
        archivo: i.archivo,
        perfil: i.perfil,
        simulada: i.simulada,
        procesados: i.procesados,
        total: i.total,
        creados: i.creados,
        duplicados: i.duplicados,
        creado_en: i.creado_en.and_utc(),
        terminado_en: i.terminado_en.map(|d| d.and_utc()),
    }
}

/// How a run goes.
#[derive(Debug, Clone)]
pub struct Opciones {
    pub tipo: TipoImportacion,
    pub perfil: Option<String>,
    pub simular: bool,
}

/// Who may import what.
pub fn exigir_rol(actor: &Actor, tipo: TipoImportacion) -> Result<(), AppError> {
    match tipo {
        TipoImportacion::DianXml | TipoImportacion::RipsJson | TipoImportacion::RipsPlanos => {
            actor.exigir(&[Rol::Facturacion], "importar facturas y RIPS")
        }
        TipoImportacion::GlosasXlsx => actor.exigir(&[Rol::Cartera], "importar glosas"),
        TipoImportacion::PagosXlsx => actor.exigir(&[Rol::Cartera, Rol::Finanzas], "importar pagos"),
    }
}

/// The profile a sheet is read with: by name, `generico` when none is given.
pub fn perfil<'a>(perfiles: &'a [Perfil], nombre: Option<&str>) -> Result<&'a Perfil, AppError> {
    let nombre = nombre.unwrap_or("generico");
    perfiles.iter().find(|p| p.nombre == nombre).ok_or_else(|| {
        let hay: Vec<_> = perfiles.iter().map(|p| p.nombre.as_str()).collect();
        AppError::invalid(
            "perfil",
            format!("no hay un perfil '{nombre}'; hay: {}", hay.join(", ")),
        )
    })
}

/// Every `*.toml` of a profiles folder, in name order: (its name — the file's stem, by which
/// `?perfil=` chooses it, with no spaces —, its path, its text). A missing folder has none.
pub fn archivos_de_perfiles(dir: &Path) -> anyhow::Result<Vec<(String, String, String)>> {
    let Ok(entradas) = std::fs::read_dir(dir) else {
        return Ok(Vec::new());
    };
    let mut rutas: Vec<_> = entradas
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    rutas.sort();
    rutas
        .into_iter()
        .map(|ruta| {
            let nombre = ruta
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            Ok((
                nombre,
                ruta.to_string_lossy().into_owned(),
                std::fs::read_to_string(&ruta)?,
            ))
        })
        .collect()
}

/// The built-in `generico` profile and every `*.toml` in `dir` (a deployment adds a payer's
/// layout by dropping a file there; no rebuild).
pub fn cargar_perfiles(dir: &Path) -> anyhow::Result<Vec<Perfil>> {
    let mut generico = Perfil::generico();
    generico.nombre = "generico".into();
    let mut v = vec![generico];
    for (nombre, ruta, texto) in archivos_de_perfiles(dir)? {
        let mut p = Perfil::leer(&texto, &ruta).map_err(|errores| {
            let lineas: Vec<String> = errores.iter().map(ToString::to_string).collect();
            anyhow::anyhow!("{}", lineas.join("\n"))
        })?;
        p.nombre = nombre;
        v.retain(|x| x.nombre != p.nombre);
        v.push(p);
    }
    Ok(v)
}

pub use crate::db::hash;

/// Progress of the runs working in this process: a run writes in one transaction, so its
/// row cannot show progress until it ends.
static PROGRESO: std::sync::Mutex<Option<HashMap<String, (usize, usize)>>> = std::sync::Mutex::new(None);

fn progreso_de(id: &str) -> Option<(usize, usize)> {
    PROGRESO.lock().ok()?.as_ref()?.get(id).copied()
}

fn marcar_progreso(id: &str, avance: Option<(usize, usize)>) {
    if let Ok(mut m) = PROGRESO.lock() {
        let m = m.get_or_insert_with(HashMap::new);
        match avance {
            Some(a) => m.insert(id.to_string(), a),
            None => m.remove(id),
        };
    }
}

/// Everything a run needs besides its files.
pub struct Contexto<'a> {
    pub db: &'a Db,
    pub terminos: &'a Terminos,
    pub hoy: NaiveDate,
    pub perfiles: &'a [Perfil],
    /// `importaciones.rips_total_distinto`: refuse or warn of a RIPS whose total is not its
    /// invoice's value.
    pub rips_total_distinto: crate::config::RipsTotalDistinto,
}

/// An upload to import: one file, or a zip of many.
pub struct Subida {
    pub opciones: Opciones,
    /// The file's name; a `.zip` is opened and its entries are the run's files.
    pub nombre: String,
    pub bytes: Vec<u8>,
    /// What a zip may expand to, and what a file may describe.
    pub limites: LimitesArchivo,
    /// Where the run waits its turn.
    pub cola: std::sync::Arc<cola::Cola>,
}

/// Starts an import: checks who imports, the upload (a single file against the limits of what
/// it may describe, a zip against what it declares, at once) and the profile, records the run
/// `en_cola` with its upload and puts it in line ([`cola::Cola`]), so the caller answers at
/// once and the run's progress is read with [`obtener`]. The upload is kept in the database
/// until the run ends, so the run waits its turn without holding it in memory and a server
/// that stops mid-run leaves it for another to run again ([`proceso`]).
pub fn iniciar(cx: &Contexto, actor: &Actor, subida: Subida) -> Result<ImportacionVista, AppError> {
    let Subida {
        opciones,
        nombre,
        bytes,
        limites,
        cola,
    } = subida;
    exigir_rol(actor, opciones.tipo)?;
    if bytes.is_empty() {
        return Err(AppError::invalid("(cuerpo)", "el cuerpo está vacío: envíe el archivo"));
    }
    archivo::revisar(&nombre, &bytes, &limites).map_err(error_de_archivo)?;
    if opciones.tipo == TipoImportacion::GlosasXlsx || opciones.tipo == TipoImportacion::PagosXlsx {
        perfil(cx.perfiles, opciones.perfil.as_deref())?;
    }
    let lugar = cola.reservar()?;
    let id = registrar(
        cx.db,
        actor,
        &opciones,
        &nombre,
        EstadoImportacion::EnCola,
        Some(&bytes),
    )?;
    drop(bytes);
    encolar(cx, lugar, actor.clone(), id.clone(), opciones, limites);
    obtener(cx.db, actor, &id)
}

fn error_de_archivo(e: ErrorArchivo) -> AppError {
    match e {
        ErrorArchivo::Limite(e) => AppError::Excedido(e.to_string()),
        ErrorArchivo::Formato(e) => AppError::Invalid(vec![Violation::new(e.archivo.clone(), e.mensaje)]),
    }
}

/// Puts run `id`, recorded with its upload, in line. When its turn comes it reads the upload
/// from the database and runs; the run outlives the request, with its own copy of the terms
/// and profiles in force when it was put in line.
fn encolar(cx: &Contexto, lugar: cola::Lugar, actor: Actor, id: String, opciones: Opciones, limites: LimitesArchivo) {
    let (db, terminos, perfiles, hoy) = (cx.db.clone(), cx.terminos.clone(), cx.perfiles.to_vec(), cx.hoy);
    let rips_total_distinto = cx.rips_total_distinto;
    lugar.enviar(move || {
        let cx = Contexto {
            db: &db,
            terminos: &terminos,
            hoy,
            perfiles: &perfiles,
            rips_total_distinto,
        };
        if let Err(e) = correr_guardada(&cx, &actor, &id, &opciones, &limites) {
            tracing::error!(error = ?e, importacion = %id, "import job failed");
        }
    });
}

/// Runs run `id` from its kept upload.
fn correr_guardada(
    cx: &Contexto,
    actor: &Actor,
    id: &str,
    opciones: &Opciones,
    limites: &LimitesArchivo,
) -> Result<(), AppError> {
    let Some((nombre, bytes)) = cx.db.read(|c| Ok::<_, AppError>(db::importaciones::subida(c, id)?))? else {
        // Ended meanwhile (another server took it): nothing to run.
        return Ok(());
    };
    let archivos = match archivo::origenes(&nombre, bytes, limites) {
        Ok(a) => a,
        // Checked when it came, so only a change of limits since (a run taken from a stopped
        // server) refuses it here.
        Err(e) => {
            let errores = vec![ErrorImportacion::from(match &e {
                ErrorArchivo::Limite(e) | ErrorArchivo::Formato(e) => e,
            })];
            return terminar(cx, id, EstadoImportacion::Rechazada, 0, &Resumen::default(), &errores);
        }
    };
    cx.db.write(|c| {
        Ok::<_, AppError>(db::importaciones::progreso(
            c,
            id,
            EstadoImportacion::EnCurso.as_str(),
            0,
            archivos.len() as i32,
        )?)
    })?;
    ejecutar(cx, actor, id, opciones, archivos, &|_, _| {}).map(|_| ())
}

/// Runs again from the start run `id`, which this process took from a stopped server
/// ([`proceso::barrer`]): as the user who started it, if that user may still import it.
pub fn reanudar(cx: &Contexto, id: &str, limites: &LimitesArchivo, cola: &std::sync::Arc<cola::Cola>) {
    let r = (|| {
        let Some(fila) = cx.db.read(|c| Ok::<_, AppError>(db::importaciones::buscar(c, id)?))? else {
            return Ok(());
        };
        let usuario = cx
            .db
            .read(|c| Ok::<_, AppError>(db::usuarios::por_id(c, &fila.prestador_id, &fila.actor_id)?))?;
        let actor = usuario.filter(|u| u.activo).map(|u| Actor {
            usuario_id: u.id,
            prestador_id: u.prestador_id,
            rol: u.rol,
        });
        let opciones = Opciones {
            tipo: fila.tipo,
            perfil: fila.perfil,
            simular: fila.simulada,
        };
        match actor.filter(|a| exigir_rol(a, opciones.tipo).is_ok()) {
            Some(actor) => {
                encolar(
                    cx,
                    cola.reservar_siempre(),
                    actor,
                    id.to_string(),
                    opciones,
                    limites.clone(),
                );
                Ok(())
            }
            None => {
                let errores = vec![error(
                    "(importación)",
                    Ubicacion::Archivo,
                    None,
                    "el servidor que hacía esta importación se detuvo, y quien la subió ya no puede \
                     importar este tipo de archivo (usuario desactivado o con otro rol); no se escribió nada",
                )];
                terminar(
                    cx,
                    id,
                    EstadoImportacion::Interrumpida,
                    0,
                    &Resumen::default(),
                    &errores,
                )
            }
        }
    })();
    if let Err(e) = r {
        tracing::error!(error = ?e, importacion = %id, "could not run again an import a stopped server left");
    }
}

/// Registers a run (before its work starts) and returns its id.
pub fn crear(db: &Db, actor: &Actor, opciones: &Opciones, archivo: &str) -> Result<String, AppError> {
    registrar(db, actor, opciones, archivo, EstadoImportacion::EnCurso, None)
}

fn registrar(
    db: &Db,
    actor: &Actor,
    opciones: &Opciones,
    archivo: &str,
    estado: EstadoImportacion,
    subida: Option<&[u8]>,
) -> Result<String, AppError> {
    exigir_rol(actor, opciones.tipo)?;
    let fila = db::importaciones::Importacion {
        id: db::new_id(),
        prestador_id: actor.prestador_id.clone(),
        tipo: opciones.tipo,
        perfil: opciones.perfil.clone(),
        archivo: archivo.to_string(),
        simulada: opciones.simular,
        estado,
        total: 0,
        procesados: 0,
        creados: 0,
        duplicados: 0,
        errores: "[]".into(),
        aceptadas_tacitamente: "[]".into(),
        actor_id: actor.usuario_id.clone(),
        creado_en: db::now(),
        terminado_en: None,
        servidor_id: Some(proceso::id().to_string()),
    };
    proceso::latir(db)?;
    db.write(|c| {
        db::importaciones::insertar(c, &fila)?;
        if let Some(bytes) = subida {
            db::importaciones::guardar_subida(c, &fila.id, archivo, bytes)?;
        }
        Ok::<_, AppError>(())
    })?;
    Ok(fila.id)
}

/// Whether a run is in flight on another process, which may have stopped.
fn de_otro_en_curso(i: &db::importaciones::Importacion) -> bool {
    matches!(i.estado, EstadoImportacion::EnCurso | EstadoImportacion::EnCola)
        && i.servidor_id.as_deref() != Some(proceso::id())
}

pub fn obtener(db: &Db, actor: &Actor, id: &str) -> Result<ImportacionVista, AppError> {
    let leer = || {
        db.read(|c| {
            db::importaciones::por_id(c, &actor.prestador_id, id)?.ok_or_else(|| AppError::not_found("una importación"))
        })
    };
    let mut fila = leer()?;
    // Any server answers for any run: one whose process stopped is told as interrupted.
    if de_otro_en_curso(&fila) && proceso::barrer(db, None)? > 0 {
        fila = leer()?;
    }
    let mut v = vista(fila);
    if let (EstadoImportacion::EnCurso, Some((procesados, total))) = (v.estado, progreso_de(id)) {
        v.procesados = procesados as i32;
        v.total = total as i32;
    }
    Ok(v)
}

/// What a history of import runs asks for: `?tipo=&estado=&usuario_id=&desde=&hasta=&page=&per_page=&formato=`.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct ConsultaImportaciones {
    pub tipo: Option<TipoImportacion>,
    pub estado: Option<EstadoImportacion>,
    /// Runs started by this user.
    pub usuario_id: Option<String>,
    /// Started on or after this day.
    pub desde: Option<NaiveDate>,
    /// Started on or before this day.
    pub hasta: Option<NaiveDate>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
    /// `xlsx` for a workbook of every run that matches.
    pub formato: Option<String>,
}

/// A run in the history: what it was, how it ended, who started it; its errors are counted
/// here and listed by `GET /importaciones/{id}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportacionEnLista {
    pub id: String,
    pub tipo: TipoImportacion,
    pub archivo: String,
    pub perfil: Option<String>,
    pub simulada: bool,
    pub estado: EstadoImportacion,
    pub total: i32,
    pub creados: i32,
    pub duplicados: i32,
    /// How many errors the run reported.
    pub errores: usize,
    pub usuario_id: String,
    /// The e-mail of who started it.
    pub usuario: String,
    pub creado_en: chrono::DateTime<chrono::Utc>,
    pub terminado_en: Option<chrono::DateTime<chrono::Utc>>,
}

/// At most this many runs in a workbook.
const FILAS_XLSX: i64 = 100_000;

/// The history of import runs, newest first; `todas` gives every match (for a workbook).
pub fn listar(
    db: &Db,
    actor: &Actor,
    q: &ConsultaImportaciones,
    todas: bool,
) -> Result<super::Lista<ImportacionEnLista>, AppError> {
    let pagina = super::Pagina::new(q.page, q.per_page)?;
    let f = db::importaciones::Filtro {
        tipo: q.tipo,
        estado: q.estado,
        actor_id: q.usuario_id.clone(),
        desde: q.desde,
        hasta: q.hasta,
    };
    let (offset, limit) = pagina.rango(todas, FILAS_XLSX);
    let leer = || db.read(|c| Ok::<_, AppError>(db::importaciones::listar(c, &actor.prestador_id, &f, offset, limit)?));
    let (mut filas, mut total) = leer()?;
    if filas.iter().any(|(i, _)| de_otro_en_curso(i)) && proceso::barrer(db, None)? > 0 {
        (filas, total) = leer()?;
    }
    let items = filas
        .into_iter()
        .map(|(i, usuario)| {
            let errores = serde_json::from_str::<Vec<serde_json::Value>>(&i.errores).map_or(0, |v| v.len());
            ImportacionEnLista {
                id: i.id,
                tipo: i.tipo,
                archivo: i.archivo,
                perfil: i.perfil,
                simulada: i.simulada,
                estado: i.estado,
                total: i.total,
                creados: i.creados,
                duplicados: i.duplicados,
                errores,
                usuario_id: i.actor_id,
                usuario,
                creado_en: i.creado_en.and_utc(),
                terminado_en: i.terminado_en.map(|d| d.and_utc()),
            }
        })
        .collect();
    Ok(super::Lista { items, total })
}

/// The history as a workbook, one row per run, times in Bogotá.
pub fn xlsx(l: &super::Lista<ImportacionEnLista>) -> Result<Vec<u8>, AppError> {
    use super::hoja::{self, Celda, Hoja};
    let filas = l
        .items
        .iter()
        .map(|i| {
            vec![
                hoja::hora_bogota(i.creado_en).into(),
                i.tipo.as_str().into(),
                i.archivo.as_str().into(),
                i.perfil.clone().unwrap_or_default().into(),
                i.estado.as_str().into(),
                Celda::Entero(i.total.into()),
                Celda::Entero(i.creados.into()),
                Celda::Entero(i.duplicados.into()),
                Celda::Entero(i.errores as i64),
                i.usuario.as_str().into(),
            ]
        })
        .collect();
    hoja::libro(&[Hoja {
        nombre: "Importaciones".into(),
        encabezado: vec![("Importaciones".into(), l.total.to_string())],
        columnas: vec![
            ("Inicio (Bogotá)", 18.0),
            ("Tipo", 14.0),
            ("Archivo", 36.0),
            ("Perfil", 14.0),
            ("Estado", 12.0),
            ("Registros", 10.0),
            ("Creados", 10.0),
            ("Duplicados", 10.0),
            ("Errores", 10.0),
            ("Usuario", 30.0),
        ],
        filas,
    }])
}

/// What a run did.
#[derive(Debug, Clone, Default)]
pub struct Resumen {
    pub creados: usize,
    pub duplicados: usize,
    /// What was imported anyway but deserves a look (a RIPS whose total is not its invoice's
    /// value, with `importaciones.rips_total_distinto = "advertir"`): recorded with the run,
    /// in its `errores`, though it ends `terminada`.
    pub advertencias: Vec<ErrorImportacion>,
    /// Glosas created already accepted by silence (see [`GlosaAceptadaTacitamente`]).
    pub aceptadas_tacitamente: Vec<GlosaAceptadaTacitamente>,
}

impl std::ops::AddAssign for Resumen {
    fn add_assign(&mut self, otro: Resumen) {
        self.creados += otro.creados;
        self.duplicados += otro.duplicados;
        self.advertencias.extend(otro.advertencias);
        self.aceptadas_tacitamente.extend(otro.aceptadas_tacitamente);
    }
}

/// Does the work of run `id` over `archivos` (zips already opened) and records its outcome.
/// `progreso(procesados, total)` is called as files are read.
pub fn ejecutar(
    cx: &Contexto,
    actor: &Actor,
    id: &str,
    opciones: &Opciones,
    archivos: Vec<Origen>,
    progreso: &dyn Fn(usize, usize),
) -> Result<ImportacionVista, AppError> {
    let total = archivos.len();
    let guardado = std::cell::Cell::new(std::time::Instant::now());
    let marcar = |procesados: usize| {
        progreso(procesados, total);
        marcar_progreso(id, Some((procesados, total)));
        if guardado.get().elapsed() >= AVANCE_GUARDADO {
            guardado.set(std::time::Instant::now());
            guardar_avance(cx.db, id, procesados, total);
        }
    };
    marcar(0);
    let corrida = Corrida {
        cx,
        actor,
        id,
        opciones,
        marcar: &marcar,
    };
    let (estado, resumen, errores) = match procesar(&corrida, archivos) {
        Ok(mut r) => {
            let advertencias = std::mem::take(&mut r.advertencias);
            (EstadoImportacion::Terminada, r, advertencias)
        }
        Err(Falla::Simulada(mut r)) => {
            let advertencias = std::mem::take(&mut r.advertencias);
            (EstadoImportacion::Simulada, r, advertencias)
        }
        Err(Falla::Errores(e)) => (EstadoImportacion::Rechazada, Resumen::default(), e),
        // Checked as new, then recorded by another run before this one wrote: the same upload
        // twice at once. This run's transaction rolled back; nothing is written twice.
        Err(Falla::App(AppError::Conflict(m))) if m.starts_with(super::YA_EXISTE) => (
            EstadoImportacion::Rechazada,
            Resumen::default(),
            vec![error(
                "",
                Ubicacion::Archivo,
                None,
                "estos mismos datos se estaban importando al mismo tiempo en otra corrida, que los \
                 registró primero; esta no escribió nada: vea la otra en el historial",
            )],
        ),
        Err(Falla::App(e)) => {
            tracing::error!(error = ?e, importacion = id, "import failed");
            let m = match &e {
                AppError::Internal(_) => "falló el servidor; no se escribió nada".to_string(),
                other => other.to_string(),
            };
            (
                EstadoImportacion::Fallida,
                Resumen::default(),
                vec![error("", Ubicacion::Archivo, None, m)],
            )
        }
    };
    let mut fases = motor::Fases::empezar();
    marcar_progreso(id, None);
    terminar(cx, id, estado, total, &resumen, &errores)?;
    fases.marcar("registro");
    let v = obtener(cx.db, actor, id);
    fases.marcar("vista");
    v
}

/// Records how run `id` ended (which also lets its upload go).
fn terminar(
    cx: &Contexto,
    id: &str,
    estado: EstadoImportacion,
    total: usize,
    resumen: &Resumen,
    errores: &[ErrorImportacion],
) -> Result<(), AppError> {
    let errores_json = serde_json::to_string(errores).unwrap_or_else(|_| "[]".into());
    let aceptadas_json = serde_json::to_string(&resumen.aceptadas_tacitamente).unwrap_or_else(|_| "[]".into());
    cx.db.write(|c| {
        db::importaciones::progreso(c, id, estado.as_str(), total as i32, total as i32)?;
        db::importaciones::terminar(
            c,
            id,
            estado.as_str(),
            resumen.creados as i32,
            resumen.duplicados as i32,
            &errores_json,
            &aceptadas_json,
        )?;
        Ok::<_, AppError>(())
    })
}

/// How often a run working writes its progress to its row.
const AVANCE_GUARDADO: std::time::Duration = std::time::Duration::from_secs(1);

/// Writes a run's progress to its row, for any server to report it, when a connection is free
/// at once. On PostgreSQL that is beside the run's own transaction; SQLite admits one writer,
/// the run itself, so there progress is told from this process's memory ([`obtener`]) — by
/// the one server SQLite is served by.
fn guardar_avance(db: &Db, id: &str, procesados: usize, total: usize) {
    if db.backend() != db::Backend::Postgres {
        return;
    }
    if let Some(mut c) = db.conn_libre() {
        if let Err(e) = db::importaciones::avance(&mut c, id, procesados as i32, total as i32) {
            tracing::warn!(error = %e, importacion = id, "could not record an import's progress");
        }
    }
}

/// The run through the engine, with the format it imports.
fn procesar(corrida: &Corrida, archivos: Vec<Origen>) -> Result<Resumen, Falla> {
    let (cx, actor) = (corrida.cx, corrida.actor);
    let perfil_elegido = || perfil(cx.perfiles, corrida.opciones.perfil.as_deref());
    match corrida.opciones.tipo {
        TipoImportacion::DianXml => corrida.correr(dian::Dian::nuevo(cx, actor), archivos),
        TipoImportacion::RipsJson => corrida.correr(rips::RipsJson { cx, actor }, archivos),
        TipoImportacion::RipsPlanos => corrida.correr(rips::RipsPlanos { cx, actor }, archivos),
        TipoImportacion::GlosasXlsx => corrida.correr(
            glosas::Glosas {
                cx,
                actor,
                perfil: perfil_elegido()?,
            },
            archivos,
        ),
        TipoImportacion::PagosXlsx => corrida.correr(
            pagos::Pagos {
                cx,
                actor,
                perfil: perfil_elegido()?,
            },
            archivos,
        ),
    }
}
