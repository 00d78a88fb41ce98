//! Import runs: DIAN XML invoices, RIPS, and payer sheets of glosas and payments.
//!
//! A run is validated in full first; if anything is wrong nothing is written and every error
//! comes back, each naming its file, row or line and field. Otherwise all of it is written in
//! one transaction with its events. A file already imported (same content hash) and records
//! already present (same natural key) change nothing and are counted as `duplicados`. A dry
//! run (`simular`) does all of that and then rolls the transaction back.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use trazo_importers::archivo::{Archivo, ErrorArchivo, Origen};
use trazo_importers::sheets::Perfil;
use trazo_importers::{dian, rips, sheets, ImportError, Ubicacion};
use utoipa::ToSchema;

use super::facturas::FacturaLista;
use super::numeros::Numeros;
use super::{ciclo, Actor, AppError};
use crate::db::{self, AnyConnection, Db};
use crate::domain::factura::{self as dominio, FacturaEntrada, ItemEntrada};
use crate::domain::money::from_centavos;
use crate::domain::nit::Nit;
use crate::domain::rol::Rol;
use crate::domain::terminos::Terminos;

crate::domain::text_enum! {
    /// What a run imports.
    TipoImportacion {
        /// Invoices and notas crédito: UBL 2.1 XML, bare or inside an AttachedDocument.
        DianXml => "dian_xml",
        /// RIPS JSON of Res. 2275/2023, one file per invoice.
        RipsJson => "rips_json",
        /// Flat RIPS of Res. 3374/2000 (AF, US, AC... files of one delivery).
        RipsPlanos => "rips_planos",
        /// A payer's sheet of glosas (xlsx, xls, ods, csv).
        GlosasXlsx => "glosas_xlsx",
        /// A payer's sheet of payments.
        PagosXlsx => "pagos_xlsx",
    }
}

crate::domain::text_enum! {
    EstadoImportacion {
        EnCurso => "en_curso",
        /// Everything was written.
        Terminada => "terminada",
        /// Something was wrong: nothing was written; see `errores`.
        Rechazada => "rechazada",
        /// Dry run: what would have been written was counted, nothing was.
        Simulada => "simulada",
        /// The server failed; nothing was written.
        Fallida => "fallida",
    }
}

/// One problem of an import, where it is.
#[derive(Debug, Clone, Serialize, serde::Deserialize, ToSchema)]
pub struct ErrorImportacion {
    pub archivo: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
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
    pub creado_en: chrono::DateTime<chrono::Utc>,
    pub terminado_en: Option<chrono::DateTime<chrono::Utc>>,
}

fn vista(i: db::importaciones::Importacion) -> ImportacionVista {
    ImportacionVista {
        tipo: i.tipo.parse().unwrap_or(TipoImportacion::DianXml),
        estado: i.estado.parse().unwrap_or(EstadoImportacion::Fallida),
        errores: serde_json::from_str(&i.errores).unwrap_or_default(),
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

/// The built-in `generico` profile and every `*.toml` in `dir` (a deployment adds a payer's
/// layout by dropping a file there; no rebuild).
pub fn cargar_perfiles(dir: &Path) -> anyhow::Result<Vec<Perfil>> {
    let mut generico = Perfil::generico();
    generico.nombre = "generico".into();
    let mut v = vec![generico];
    let Ok(entradas) = std::fs::read_dir(dir) else {
        return Ok(v);
    };
    let mut rutas: Vec<_> = entradas
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    rutas.sort();
    for ruta in rutas {
        let texto = std::fs::read_to_string(&ruta)?;
        let mut p = Perfil::parse(&texto, &ruta.to_string_lossy()).map_err(|e| anyhow::anyhow!("{e}"))?;
        // A profile is chosen by its file's name (`?perfil=eps-ejemplo`), which has no spaces.
        p.nombre = ruta
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or(p.nombre);
        v.retain(|x| x.nombre != p.nombre);
        v.push(p);
    }
    Ok(v)
}

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

/// Registers a run (before its work starts) and returns its id.
pub fn crear(db: &Db, actor: &Actor, o: &Opciones, archivo: &str) -> Result<String, AppError> {
    exigir_rol(actor, o.tipo)?;
    let fila = db::importaciones::Importacion {
        id: db::new_id(),
        prestador_id: actor.prestador_id.clone(),
        tipo: o.tipo.as_str().into(),
        perfil: o.perfil.clone(),
        archivo: archivo.to_string(),
        simulada: o.simular,
        estado: EstadoImportacion::EnCurso.as_str().into(),
        total: 0,
        procesados: 0,
        creados: 0,
        duplicados: 0,
        errores: "[]".into(),
        actor_id: actor.usuario_id.clone(),
        creado_en: db::now(),
        terminado_en: None,
    };
    db.write(|c| Ok::<_, AppError>(db::importaciones::insertar(c, &fila)?))?;
    Ok(fila.id)
}

pub fn obtener(db: &Db, actor: &Actor, id: &str) -> Result<ImportacionVista, AppError> {
    let mut v = db
        .read(|c| {
            db::importaciones::por_id(c, &actor.prestador_id, id)?.ok_or_else(|| AppError::not_found("una importación"))
        })
        .map(vista)?;
    if let (EstadoImportacion::EnCurso, Some((procesados, total))) = (v.estado, progreso_de(id)) {
        v.procesados = procesados as i32;
        v.total = total as i32;
    }
    Ok(v)
}

/// What a run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Resumen {
    pub creados: usize,
    pub duplicados: usize,
}

/// Why the transaction of a run did not commit.
enum Falla {
    App(AppError),
    Errores(Vec<ErrorImportacion>),
    Simulada(Resumen),
}

impl From<AppError> for Falla {
    fn from(e: AppError) -> Self {
        match e {
            // A value refused by the rules is an error of the input, with its field.
            AppError::Invalid(v) => Falla::Errores(
                v.into_iter()
                    .map(|x| ErrorImportacion {
                        archivo: String::new(),
                        row: None,
                        line: None,
                        path: Some(x.path.clone()),
                        campo: Some(x.path.clone()),
                        message: format!("{}: {}", x.path, x.message),
                    })
                    .collect(),
            ),
            other => Falla::App(other),
        }
    }
}

impl From<diesel::result::Error> for Falla {
    fn from(e: diesel::result::Error) -> Self {
        Falla::App(e.into())
    }
}

/// Everything a run needs besides its files.
pub struct Contexto<'a> {
    pub db: &'a Db,
    pub terminos: &'a Terminos,
    pub hoy: NaiveDate,
    pub perfiles: &'a [Perfil],
}

/// Does the work of run `id` over `archivos` (zips already opened) and records its outcome.
/// `progreso(procesados, total)` is called as files are read.
pub fn ejecutar(
    cx: &Contexto,
    actor: &Actor,
    id: &str,
    o: &Opciones,
    archivos: Vec<Origen>,
    progreso: &dyn Fn(usize, usize),
) -> Result<ImportacionVista, AppError> {
    let total = archivos.len();
    let marcar = |procesados: usize| {
        progreso(procesados, total);
        marcar_progreso(id, Some((procesados, total)));
    };
    marcar(0);
    let (estado, resumen, errores) = match procesar(cx, actor, id, o, archivos, &marcar) {
        Ok(r) => (EstadoImportacion::Terminada, r, vec![]),
        Err(Falla::Simulada(r)) => (EstadoImportacion::Simulada, r, vec![]),
        Err(Falla::Errores(e)) => (EstadoImportacion::Rechazada, Resumen::default(), e),
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
    marcar_progreso(id, None);
    let errores_json = serde_json::to_string(&errores).unwrap_or_else(|_| "[]".into());
    cx.db.write(|c| {
        db::importaciones::progreso(c, id, estado.as_str(), total as i32, total as i32)?;
        db::importaciones::terminar(
            c,
            id,
            estado.as_str(),
            resumen.creados as i32,
            resumen.duplicados as i32,
            &errores_json,
        )?;
        Ok::<_, AppError>(())
    })?;
    obtener(cx.db, actor, id)
}

/// Time spent in each phase of a run, logged at debug level (`RUST_LOG=trazo=debug`): where
/// a large file's seconds go, without a profiler.
struct Fases(std::time::Instant);

impl Fases {
    fn empezar() -> Self {
        Fases(std::time::Instant::now())
    }

    fn marcar(&mut self, fase: &str) {
        tracing::debug!(fase, ms = self.0.elapsed().as_secs_f64() * 1000.0, "import phase");
        self.0 = std::time::Instant::now();
    }
}

pub fn hash(bytes: &[u8]) -> String {
    let d = Sha256::digest(bytes);
    d.iter().map(|b| format!("{b:02x}")).collect()
}

fn procesar(
    cx: &Contexto,
    actor: &Actor,
    id: &str,
    o: &Opciones,
    origenes: Vec<Origen>,
    marcar: &dyn Fn(usize),
) -> Result<Resumen, Falla> {
    if o.tipo == TipoImportacion::DianXml {
        return procesar_dian(cx, actor, id, o, origenes, marcar);
    }
    let archivos = leer(&origenes)?;
    // Files already imported whole are skipped: the same file twice changes nothing.
    let hashes: Vec<String> = archivos.iter().map(|a| hash(&a.bytes)).collect();
    let ya: HashSet<String> = cx
        .db
        .read(|c| {
            Ok::<_, AppError>(db::importaciones::hashes_importados(
                c,
                &actor.prestador_id,
                o.tipo.as_str(),
                &hashes,
            )?)
        })?
        .into_iter()
        .collect();
    let mut vistos = HashSet::new();
    let mut nuevos = Vec::new();
    let mut duplicados_archivo = 0;
    for (a, h) in archivos.into_iter().zip(hashes) {
        if ya.contains(&h) || !vistos.insert(h.clone()) {
            duplicados_archivo += 1;
        } else {
            nuevos.push((a, h));
        }
    }
    let total = nuevos.len() + duplicados_archivo;
    let resumen = match o.tipo {
        TipoImportacion::DianXml => unreachable!("DIAN runs stream, above"),
        TipoImportacion::RipsJson => {
            let docs = parsear_todo(&nuevos, |a| rips::parse_json(&a.bytes, &a.nombre))?;
            marcar(total);
            escribir(cx, actor, id, o, &nuevos, |c| {
                let docs = docs
                    .into_iter()
                    .map(|(i, r)| Rips::Json(nuevos[i].0.nombre.clone(), nuevos[i].1.clone(), r))
                    .collect();
                importar_rips(c, cx.hoy, actor, docs)
            })?
        }
        TipoImportacion::RipsPlanos => {
            let entrada: Vec<(String, Vec<u8>)> = nuevos
                .iter()
                .map(|(a, _)| (a.nombre.clone(), a.bytes.clone()))
                .collect();
            let planos = if entrada.is_empty() {
                vec![]
            } else {
                rips::parse_planos(&entrada).map_err(errores)?
            };
            let h = hash(&nuevos.iter().flat_map(|(_, h)| h.bytes()).collect::<Vec<u8>>());
            marcar(total);
            escribir(cx, actor, id, o, &nuevos, |c| {
                importar_rips(
                    c,
                    cx.hoy,
                    actor,
                    planos.into_iter().map(|p| Rips::Plano(p, h.clone())).collect(),
                )
            })?
        }
        TipoImportacion::GlosasXlsx | TipoImportacion::PagosXlsx => {
            let perfil = perfil(cx.perfiles, o.perfil.as_deref())?;
            if o.tipo == TipoImportacion::GlosasXlsx {
                let mut fases = Fases::empezar();
                let filas = parsear_todo(&nuevos, |a| sheets::leer_glosas(&a.bytes, &a.nombre, perfil))?;
                fases.marcar("lectura");
                marcar(total);
                escribir(cx, actor, id, o, &nuevos, |c| {
                    importar_glosas(c, cx, actor, &nuevos, filas)
                })?
            } else {
                let filas = parsear_todo(&nuevos, |a| sheets::leer_pagos(&a.bytes, &a.nombre, perfil))?;
                marcar(total);
                escribir(cx, actor, id, o, &nuevos, |c| {
                    importar_pagos(c, cx, actor, &nuevos, filas)
                })?
            }
        }
    };
    Ok(Resumen {
        creados: resumen.creados,
        duplicados: resumen.duplicados + duplicados_archivo,
    })
}

/// Reads every file of a run now; unreadable ones are errors of the run.
fn leer(origenes: &[Origen]) -> Result<Vec<Archivo>, Falla> {
    let mut archivos = Vec::with_capacity(origenes.len());
    let mut errs = Vec::new();
    for o in origenes {
        match o.leer() {
            Ok(a) => archivos.push(a),
            Err(ErrorArchivo::Limite(e) | ErrorArchivo::Formato(e)) => errs.push(ErrorImportacion::from(&e)),
        }
    }
    if errs.is_empty() {
        Ok(archivos)
    } else {
        Err(Falla::Errores(errs))
    }
}

/// Files a batch has not seen before, with their hashes; counts the rest as duplicates.
fn sin_repetir(
    c: &mut AnyConnection,
    actor: &Actor,
    tipo: TipoImportacion,
    archivos: Vec<Archivo>,
    vistos: &mut HashSet<String>,
    duplicados: &mut usize,
) -> Result<Vec<(Archivo, String)>, Falla> {
    let hashes: Vec<String> = archivos.iter().map(|a| hash(&a.bytes)).collect();
    let ya: HashSet<String> = db::importaciones::hashes_importados(c, &actor.prestador_id, tipo.as_str(), &hashes)?
        .into_iter()
        .collect();
    let mut nuevos = Vec::new();
    for (a, h) in archivos.into_iter().zip(hashes) {
        if ya.contains(&h) || !vistos.insert(h.clone()) {
            *duplicados += 1;
        } else {
            nuevos.push((a, h));
        }
    }
    Ok(nuevos)
}

/// Files per batch of a streamed run: enough to keep all cores busy, few enough that memory
/// does not grow with the run.
const TANDA: usize = 1000;

/// A DIAN run, streamed: batch after batch is read, parsed, checked and written in one
/// transaction; errors of every batch are collected, and any error rolls all of it back.
fn procesar_dian(
    cx: &Contexto,
    actor: &Actor,
    id: &str,
    o: &Opciones,
    origenes: Vec<Origen>,
    marcar: &dyn Fn(usize),
) -> Result<Resumen, Falla> {
    cx.db.write_con(|c| {
        let mut imp = ImportDian::nuevo(c, actor)?;
        let mut errs: Vec<ErrorImportacion> = Vec::new();
        let (mut vistos, mut duplicados) = (HashSet::new(), 0);
        for (n, tanda) in origenes.chunks(TANDA).enumerate() {
            let mut archivos = Vec::with_capacity(tanda.len());
            for o in tanda {
                match o.leer() {
                    Ok(a) => archivos.push(a),
                    Err(ErrorArchivo::Limite(e) | ErrorArchivo::Formato(e)) => errs.push(ErrorImportacion::from(&e)),
                }
            }
            let nuevos = sin_repetir(c, actor, o.tipo, archivos, &mut vistos, &mut duplicados)?;
            let (docs, e) = parsear_paralelo(&nuevos, |a| dian::parse(&a.bytes, &a.nombre));
            errs.extend(e);
            imp.tanda(c, cx, actor, &nuevos, docs, &mut errs)?;
            registrar_archivos(c, actor, id, o.tipo, &nuevos)?;
            marcar(n * TANDA + tanda.len());
        }
        imp.notas(c, cx, actor, &mut errs)?;
        if !errs.is_empty() {
            return Err(Falla::Errores(errs));
        }
        let r = Resumen {
            creados: imp.creados,
            duplicados: imp.duplicados + duplicados,
        };
        if o.simular {
            return Err(Falla::Simulada(r));
        }
        Ok(r)
    })
}

fn errores(v: Vec<ImportError>) -> Falla {
    Falla::Errores(v.iter().map(Into::into).collect())
}

/// Parses files on all cores: what parsed, and every error of every file.
fn parsear_paralelo<T: Send>(
    archivos: &[(Archivo, String)],
    parse: impl Fn(&Archivo) -> Result<T, Vec<ImportError>> + Sync,
) -> (Vec<(usize, T)>, Vec<ErrorImportacion>) {
    let hilos = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(8);
    let por_hilo = archivos.len().div_ceil(hilos).max(1);
    let parse = &parse;
    let resultados: Vec<(usize, Result<T, Vec<ImportError>>)> = std::thread::scope(|s| {
        let hs: Vec<_> = archivos
            .chunks(por_hilo)
            .enumerate()
            .map(|(k, trozo)| {
                let h = s.spawn(move || {
                    trozo
                        .iter()
                        .enumerate()
                        .map(|(j, (a, _))| (k * por_hilo + j, parse(a)))
                        .collect::<Vec<_>>()
                });
                (trozo, k, h)
            })
            .collect();
        // The parsers are fuzzed not to panic; if one still does, its files are refused with
        // a reason instead of taking the run (or the server) down.
        hs.into_iter()
            .flat_map(|(trozo, k, h)| {
                h.join().unwrap_or_else(|_| {
                    trozo
                        .iter()
                        .enumerate()
                        .map(|(j, (a, _))| {
                            let e = ImportError::new(
                                &a.nombre,
                                Ubicacion::Archivo,
                                None,
                                "no se pudo leer este archivo (falla interna del lector)",
                            );
                            (k * por_hilo + j, Err(vec![e]))
                        })
                        .collect()
                })
            })
            .collect()
    });
    let mut ok = Vec::with_capacity(resultados.len());
    let mut errs = Vec::new();
    for (i, r) in resultados {
        match r {
            Ok(t) => ok.push((i, t)),
            Err(e) => errs.extend(e.iter().map(ErrorImportacion::from)),
        }
    }
    (ok, errs)
}

/// [`parsear_paralelo`] for runs read whole: any error stops the run.
fn parsear_todo<T: Send>(
    archivos: &[(Archivo, String)],
    parse: impl Fn(&Archivo) -> Result<T, Vec<ImportError>> + Sync,
) -> Result<Vec<(usize, T)>, Falla> {
    match parsear_paralelo(archivos, parse) {
        (ok, errs) if errs.is_empty() => Ok(ok),
        (_, errs) => Err(Falla::Errores(errs)),
    }
}

/// Records the files a run landed, by content hash, so importing them again changes nothing.
fn registrar_archivos(
    c: &mut AnyConnection,
    actor: &Actor,
    id: &str,
    tipo: TipoImportacion,
    archivos: &[(Archivo, String)],
) -> Result<(), Falla> {
    let filas: Vec<_> = archivos
        .iter()
        .map(|(a, h)| db::importaciones::ArchivoImportado {
            id: db::new_id(),
            prestador_id: actor.prestador_id.clone(),
            importacion_id: id.to_string(),
            tipo: tipo.as_str().into(),
            nombre: a.nombre.clone(),
            hash: h.clone(),
            creado_en: db::now(),
        })
        .collect();
    Ok(db::importaciones::insertar_archivos(c, &filas)?)
}

/// Runs the writes of a run in one transaction and records its files; a dry run rolls back.
fn escribir(
    cx: &Contexto,
    actor: &Actor,
    id: &str,
    o: &Opciones,
    archivos: &[(Archivo, String)],
    f: impl FnOnce(&mut AnyConnection) -> Result<Resumen, Falla>,
) -> Result<Resumen, Falla> {
    let mut fases = Fases::empezar();
    let r = cx.db.write_con(|c| {
        fases.marcar("conexion");
        let r = f(c)?;
        registrar_archivos(c, actor, id, o.tipo, archivos)?;
        if o.simular {
            return Err(Falla::Simulada(r));
        }
        fases.marcar("escritura");
        Ok(r)
    });
    fases.marcar("commit");
    r
}

/// A DIAN run, batch after batch in one transaction: what it has seen and done so far.
struct ImportDian {
    prestador_nit: String,
    pagadores: HashMap<String, String>,
    contratos: HashMap<(String, String), String>,
    /// numero → CUFE of the invoices of this run.
    vistos: HashMap<String, String>,
    /// Notas crédito wait for every invoice of the run to exist.
    notas: Vec<(String, dian::DocumentoDian)>,
    creados: usize,
    duplicados: usize,
}

impl ImportDian {
    fn nuevo(c: &mut AnyConnection, actor: &Actor) -> Result<ImportDian, Falla> {
        let prestador =
            db::prestadores::por_id(c, &actor.prestador_id)?.ok_or_else(|| AppError::not_found("el prestador"))?;
        let pagadores: HashMap<String, String> =
            db::pagadores::listar(c, &actor.prestador_id, &Default::default(), 0, i64::MAX)?
                .0
                .into_iter()
                .map(|p| (p.nit, p.id))
                .collect();
        let contratos: HashMap<(String, String), String> =
            db::contratos::listar(c, &actor.prestador_id, None, 0, i64::MAX)?
                .0
                .into_iter()
                .map(|x| ((x.pagador_id, x.numero), x.id))
                .collect();
        Ok(ImportDian {
            prestador_nit: prestador.nit,
            pagadores,
            contratos,
            vistos: HashMap::new(),
            notas: Vec::new(),
            creados: 0,
            duplicados: 0,
        })
    }

    /// Checks one batch of parsed documents; writes its invoices when the run has no error yet.
    fn tanda(
        &mut self,
        c: &mut AnyConnection,
        cx: &Contexto,
        actor: &Actor,
        archivos: &[(Archivo, String)],
        docs: Vec<(usize, dian::DocumentoDian)>,
        errs: &mut Vec<ErrorImportacion>,
    ) -> Result<(), Falla> {
        let (prestador_nit, pagadores, contratos) = (&self.prestador_nit, &self.pagadores, &self.contratos);
        let numeros: Vec<String> = docs.iter().map(|(_, d)| d.numero.trim().to_uppercase()).collect();
        let existentes: HashMap<String, Option<String>> = db::facturas::por_numeros(c, &actor.prestador_id, &numeros)?
            .into_iter()
            .map(|f| (f.numero, f.cufe))
            .collect();
        let mut lote = Vec::new();
        let (vistos, notas, duplicados) = (&mut self.vistos, &mut self.notas, &mut self.duplicados);
        let xp = |p: &str| Ubicacion::XPath(p.to_string());
        for (i, d) in docs {
            let archivo = archivos[i].0.nombre.clone();
            let numero = d.numero.trim().to_uppercase();
            match Nit::parse(&d.nit_emisor) {
                Ok(n) if n.as_str() == *prestador_nit => {}
                _ => {
                    errs.push(error(
                        &archivo,
                        xp("/Invoice/cac:AccountingSupplierParty//cbc:CompanyID"),
                        Some("CompanyID"),
                        format!(
                            "la factura es del NIT {}, no del prestador ({})",
                            d.nit_emisor, prestador_nit
                        ),
                    ));
                    continue;
                }
            }
            match d.tipo {
                dian::TipoDocumento::NotaDebito => {
                    errs.push(error(
                        &archivo,
                        xp("/DebitNote"),
                        None,
                        "las notas débito aún no se registran en Trazo; retire este archivo",
                    ));
                    continue;
                }
                dian::TipoDocumento::NotaCredito => {
                    notas.push((archivo, d));
                    continue;
                }
                dian::TipoDocumento::Factura => {}
            }
            let cufe = d.cufe.to_lowercase();
            if let Some(otro) = existentes.get(&numero) {
                if otro.as_deref() == Some(cufe.as_str()) {
                    *duplicados += 1;
                } else {
                    errs.push(error(
                        &archivo,
                        xp("/Invoice/cbc:UUID"),
                        Some("UUID"),
                        format!("ya existe la factura {numero} con otro CUFE"),
                    ));
                }
                continue;
            }
            if let Some(otro) = vistos.get(&numero) {
                if *otro == cufe {
                    *duplicados += 1;
                } else {
                    errs.push(error(
                        &archivo,
                        xp("/Invoice/cbc:ID"),
                        Some("ID"),
                        format!("la factura {numero} viene dos veces con distinto CUFE"),
                    ));
                }
                continue;
            }
            vistos.insert(numero.clone(), cufe.clone());
            let Some(pagador_id) = Nit::parse(&d.nit_adquirente)
                .ok()
                .and_then(|n| pagadores.get(n.as_str()).cloned())
            else {
                errs.push(error(
                    &archivo,
                    xp("/Invoice/cac:AccountingCustomerParty//cbc:CompanyID"),
                    Some("CompanyID"),
                    format!(
                        "el pagador NIT {} no está registrado; créelo en Pagadores e importe de nuevo",
                        d.nit_adquirente
                    ),
                ));
                continue;
            };
            let s = &d.salud;
            let cero = rust_decimal::Decimal::ZERO;
            let copagos =
                s.copago.unwrap_or(cero) + s.cuota_recuperacion.unwrap_or(cero) + s.pagos_compartidos.unwrap_or(cero);
            let cuotas = s.cuota_moderadora.unwrap_or(cero);
            let valor_total = d.valor_bruto + d.impuestos;
            // What the payer owes by the invoice must be what Trazo will say it owes.
            if valor_total - copagos - cuotas != d.valor_a_pagar {
                errs.push(error(
                    &archivo,
                    xp("/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount"),
                    Some("PayableAmount"),
                    format!(
                    "el valor a pagar ({}) no es el valor de la factura ({valor_total}) menos copagos y cuotas ({})",
                    d.valor_a_pagar,
                    copagos + cuotas
                ),
                ));
                continue;
            }
            let items = if d.impuestos.is_zero() {
                d.lineas
                    .iter()
                    .map(|l| ItemEntrada {
                        codigo: l.codigo.clone(),
                        descripcion: l.descripcion.clone(),
                        cantidad: l.cantidad,
                        valor_unitario: l.valor_unitario,
                        valor_total: l.valor_total,
                    })
                    .collect()
            } else {
                Vec::new()
            };
            let entrada = FacturaEntrada {
                numero: numero.clone(),
                fecha_expedicion: d.fecha_emision,
                valor_total,
                copagos,
                cuotas_moderadoras: cuotas,
                cufe: Some(cufe),
                items,
            };
            match dominio::validar(entrada, cx.hoy) {
                Ok(factura) => {
                    let contrato_id = s
                        .numero_contrato
                        .as_ref()
                        .and_then(|n| contratos.get(&(pagador_id.clone(), n.trim().to_string())).cloned());
                    lote.push(FacturaLista {
                        factura,
                        pagador_id,
                        contrato_id,
                    });
                }
                Err(v) => errs.extend(
                    v.into_iter()
                        .map(|x| error(&archivo, xp("/Invoice"), Some(&x.path), x.message)),
                ),
            }
        }
        if errs.is_empty() {
            self.creados += super::facturas::insertar(c, actor, cx.terminos, lote)?.len();
        }
        Ok(())
    }

    /// Notas crédito, once every invoice of the run exists.
    fn notas(
        &mut self,
        c: &mut AnyConnection,
        cx: &Contexto,
        actor: &Actor,
        errs: &mut Vec<ErrorImportacion>,
    ) -> Result<(), Falla> {
        let xp = |p: &str| Ubicacion::XPath(p.to_string());
        let numeros = Numeros::de(db::facturas::numeros(c, &actor.prestador_id)?);
        for (archivo, d) in std::mem::take(&mut self.notas) {
            let ubic = xp("/CreditNote/cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID");
            let Some(fid) = d
                .factura_referenciada
                .as_deref()
                .and_then(|n| numeros.buscar(n))
                .cloned()
            else {
                errs.push(error(
                    &archivo,
                    ubic,
                    Some("ID"),
                    format!(
                        "la nota {} se refiere a la factura {}, que no está en Trazo",
                        d.numero,
                        d.factura_referenciada.clone().unwrap_or_default()
                    ),
                ));
                continue;
            };
            if db::notas::existe_numero(c, &actor.prestador_id, &d.numero.trim().to_uppercase())? {
                self.duplicados += 1;
                continue;
            }
            let n = super::notas::NuevaNota {
                numero: d.numero.clone(),
                cude: Some(d.cufe.to_lowercase()),
                valor: d.valor_a_pagar,
                fecha: d.fecha_emision,
                motivo: "Nota crédito importada (DIAN)".into(),
                anulacion: false,
            };
            match super::notas::nota_credito_en(c, cx.terminos, cx.hoy, actor, &fid, &n) {
                Ok(()) => self.creados += 1,
                Err(e) => errs.extend(en(&archivo, ubic, e)),
            }
        }
        Ok(())
    }
}

enum Rips {
    /// (file name, file hash, its RIPS)
    Json(String, String, rips::RipsFactura),
    /// (one invoice of a flat delivery, the delivery's hash)
    Plano(rips::RipsPlano, String),
}

/// RIPS of invoices already in Trazo; the event is dated the day it was registered (Bogotá).
fn importar_rips(c: &mut AnyConnection, hoy: NaiveDate, actor: &Actor, docs: Vec<Rips>) -> Result<Resumen, Falla> {
    let prestador =
        db::prestadores::por_id(c, &actor.prestador_id)?.ok_or_else(|| AppError::not_found("el prestador"))?;
    let numeros = Numeros::de(db::facturas::numeros(c, &actor.prestador_id)?);
    let mut errs = Vec::new();
    let mut filas = Vec::new();
    let mut eventos = Vec::new();
    for d in docs {
        let (archivo, numero, obligado, usuarios, servicios, valor, formato, h) = match &d {
            Rips::Json(nombre, h, r) => (
                nombre.clone(),
                r.num_factura.clone(),
                Some(r.num_documento_id_obligado.clone()),
                r.usuarios.len(),
                r.cantidad_servicios(),
                r.valor_servicios(),
                "json",
                h.clone(),
            ),
            Rips::Plano(p, h) => (
                format!("RIPS AF {}", p.numero_factura),
                p.numero_factura.clone(),
                Some(p.nit_prestador.clone()),
                p.usuarios.len(),
                p.usuarios.iter().map(|u| u.servicios.len()).sum(),
                p.usuarios.iter().flat_map(|u| &u.servicios).map(|s| s.valor).sum(),
                "planos",
                format!("{h}:{}", p.numero_factura),
            ),
        };
        if let Some(o) = obligado {
            if Nit::parse(&o).map(|n| n.as_str() != prestador.nit).unwrap_or(true) {
                errs.push(error(
                    &archivo,
                    Ubicacion::Json("numDocumentoIdObligado".into()),
                    Some("numDocumentoIdObligado"),
                    format!("el RIPS es del obligado {o}, no del prestador ({})", prestador.nit),
                ));
                continue;
            }
        }
        let Some(fid) = numeros.buscar(&numero).cloned() else {
            errs.push(error(
                &archivo,
                Ubicacion::Json("numFactura".into()),
                Some("numFactura"),
                format!("la factura {numero} no está en Trazo; impórtela primero"),
            ));
            continue;
        };
        filas.push(db::importaciones::Rips {
            id: db::new_id(),
            prestador_id: actor.prestador_id.clone(),
            factura_id: fid,
            formato: formato.into(),
            usuarios: usuarios as i32,
            servicios: servicios as i32,
            valor_servicios: crate::domain::money::to_centavos(valor).unwrap_or(0),
            hash: h,
            creado_en: db::now(),
        });
    }
    if !errs.is_empty() {
        return Err(Falla::Errores(errs));
    }
    let hashes: Vec<String> = filas.iter().map(|f| f.hash.clone()).collect();
    let ya: HashSet<(String, String)> = db::importaciones::rips_existentes(c, &actor.prestador_id, &hashes)?
        .into_iter()
        .collect();
    let (nuevas, repetidas): (Vec<_>, Vec<_>) = filas
        .into_iter()
        .partition(|f| !ya.contains(&(f.factura_id.clone(), f.hash.clone())));
    let ids: Vec<String> = nuevas.iter().map(|f| f.factura_id.clone()).collect();
    let saldos: HashMap<String, (i64, i64)> = db::facturas::por_ids(c, &actor.prestador_id, &ids)?
        .into_iter()
        .map(|f| (f.id, (f.saldo, f.en_discusion)))
        .collect();
    for f in &nuevas {
        eventos.push(ciclo::nuevo_evento(
            actor,
            &f.factura_id,
            "rips_registrado",
            hoy,
            json!({"formato": f.formato, "usuarios": f.usuarios, "servicios": f.servicios, "valor_servicios": from_centavos(f.valor_servicios)}),
            saldos.get(&f.factura_id).copied().unwrap_or_default(),
        ));
    }
    db::importaciones::insertar_rips(c, &nuevas)?;
    db::eventos::insertar(c, &eventos)?;
    Ok(Resumen {
        creados: nuevas.len(),
        duplicados: repetidas.len(),
    })
}

fn importar_glosas(
    c: &mut AnyConnection,
    cx: &Contexto,
    actor: &Actor,
    archivos: &[(Archivo, String)],
    filas: Vec<(usize, Vec<sheets::FilaGlosa>)>,
) -> Result<Resumen, Falla> {
    let mut fases = Fases::empezar();
    let numeros = Numeros::de(db::facturas::numeros(c, &actor.prestador_id)?);
    fases.marcar("numeros");
    let mut errs = Vec::new();
    // The rows of each invoice in the sheet's order: an invoice's glosas are checked one after
    // the other (each sees the ones before it), different invoices on different cores.
    let mut por_factura: HashMap<String, Vec<(usize, sheets::FilaGlosa)>> = HashMap::new();
    for (a, fs) in filas {
        for f in fs {
            match numeros.buscar(&f.numero_factura) {
                Some(id) => por_factura.entry(id.clone()).or_default().push((a, f)),
                None => errs.push(error(
                    &archivos[a].0.nombre,
                    Ubicacion::Fila(f.fila),
                    Some("numero_factura"),
                    format!("la factura {} no está en Trazo", f.numero_factura),
                )),
            }
        }
    }
    let ids: Vec<String> = por_factura.keys().cloned().collect();
    let mut exps: HashMap<String, ciclo::Expediente> = ciclo::cargar_varias(c, cx.terminos, &actor.prestador_id, &ids)?
        .into_iter()
        .map(|e| (e.fila.id.clone(), e))
        .collect();
    fases.marcar("facturas");
    let mut trabajo: Vec<_> = exps
        .iter_mut()
        .filter_map(|(id, e)| por_factura.remove(id).map(|fs| (e, fs)))
        .collect();
    // In invoice id order, so that the glosas and events are inserted next to each other in
    // the (prestador_id, factura_id) indexes rather than scattered over them (20% slower).
    trabajo.sort_unstable_by(|x, y| x.0.fila.id.cmp(&y.0.fila.id));
    let hilos = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    let por_hilo = trabajo.len().div_ceil(hilos).max(1);
    let partes: Vec<Reglas> = std::thread::scope(|s| {
        let hs: Vec<_> = trabajo
            .chunks_mut(por_hilo)
            .map(|t| s.spawn(move || Reglas::de(t, cx, actor)))
            .collect();
        hs.into_iter()
            .map(|h| {
                h.join()
                    .map_err(|_| AppError::Internal(anyhow::anyhow!("the glosa rules thread panicked")))
            })
            .collect::<Result<_, _>>()
    })?;
    let mut nuevas = Vec::new();
    let mut eventos = Vec::new();
    let mut duplicados = 0;
    let mut fallas = Vec::new();
    for p in partes {
        nuevas.extend(p.nuevas);
        eventos.extend(p.eventos);
        duplicados += p.duplicados;
        fallas.extend(p.errores);
    }
    // Errors in the order of the files and their rows, as a user reads them.
    fallas.sort_by_key(|(a, fila, _)| (*a, *fila));
    for (a, fila, err) in fallas {
        errs.extend(en(&archivos[a].0.nombre, Ubicacion::Fila(fila), err));
    }
    if !errs.is_empty() {
        return Err(Falla::Errores(errs));
    }
    fases.marcar("reglas");
    db::glosas::insertar(c, &nuevas)?;
    fases.marcar("glosas");
    db::eventos::insertar(c, &eventos)?;
    fases.marcar("eventos");
    // In id order, like the inserts: the updated rows sit next to each other in the table.
    let mut tocadas: Vec<&str> = nuevas.iter().map(|g| g.factura_id.as_str()).collect();
    tocadas.sort_unstable();
    tocadas.dedup();
    let tocadas: Vec<&ciclo::Expediente> = tocadas.into_iter().map(|id| &exps[id]).collect();
    ciclo::guardar_saldos(c, &tocadas, &cx.terminos.reglas)?;
    fases.marcar("saldos");
    Ok(Resumen {
        creados: nuevas.len(),
        duplicados,
    })
}

/// What the rules made of some invoices' glosa rows: glosas and events to write, rows already
/// in Trazo, and refused rows as (file, row, why).
#[derive(Default)]
struct Reglas {
    nuevas: Vec<db::glosas::Glosa>,
    eventos: Vec<db::eventos::Evento>,
    duplicados: usize,
    errores: Vec<(usize, usize, AppError)>,
}

impl Reglas {
    fn de(
        trabajo: &mut [(&mut ciclo::Expediente, Vec<(usize, sheets::FilaGlosa)>)],
        cx: &Contexto,
        actor: &Actor,
    ) -> Self {
        let mut r = Reglas::default();
        for (e, fs) in trabajo {
            for (a, f) in std::mem::take(fs) {
                r.fila(e, cx, actor, a, f);
            }
        }
        r
    }

    /// Checks row `f` of file `a` against its invoice `e` and, when it holds, adds the glosa
    /// to `e` so that the invoice's next rows see it.
    fn fila(&mut self, e: &mut ciclo::Expediente, cx: &Contexto, actor: &Actor, a: usize, f: sheets::FilaGlosa) {
        use super::glosas::{entrada, preparar, NuevaGlosa};
        let n = NuevaGlosa {
            codigo: f.codigo,
            valor: f.valor,
            fecha_formulacion: f.fecha_formulacion,
            fecha_recepcion: f.fecha_recepcion,
            item: f.item,
            observacion: f.observacion,
            hecho_nuevo: false,
        };
        let (cod, valor) = match entrada(&n, e.dominio.fecha_expedicion)
            .and_then(|x| super::no_futura("fecha_recepcion", n.fecha_recepcion, cx.hoy).map(|_| x))
        {
            Ok(x) => x,
            Err(err) => return self.errores.push((a, f.fila, err)),
        };
        // The same glosa already in Trazo (a sheet imported again, or typed by hand).
        if e.glosas.iter().any(|g| {
            g.codigo == cod.codigo
                && g.valor == valor
                && g.fecha_formulacion == n.fecha_formulacion
                && g.item_linea == n.item
        }) {
            self.duplicados += 1;
            return;
        }
        match preparar(e, cx.terminos, actor, &cod, &n, valor) {
            Ok((g, ev)) => {
                self.nuevas.push(g);
                self.eventos.push(ev);
            }
            Err(err) => self.errores.push((a, f.fila, err)),
        }
    }
}

fn importar_pagos(
    c: &mut AnyConnection,
    cx: &Contexto,
    actor: &Actor,
    archivos: &[(Archivo, String)],
    filas: Vec<(usize, Vec<sheets::FilaPago>)>,
) -> Result<Resumen, Falla> {
    use super::pagos::{registrar_en, NuevaAplicacion, NuevoPago};
    let numeros = Numeros::de(db::facturas::numeros(c, &actor.prestador_id)?);
    let ids: Vec<String> = filas
        .iter()
        .flat_map(|(_, fs)| fs.iter().filter_map(|f| numeros.buscar(&f.numero_factura).cloned()))
        .collect();
    let pagador_de: HashMap<String, String> = db::facturas::por_ids(c, &actor.prestador_id, &ids)?
        .into_iter()
        .map(|f| (f.id, f.pagador_id))
        .collect();
    let mut errs = Vec::new();
    // One payment per payer, date and reference: a transfer that covers many invoices.
    // (payer, date, reference) → (file, row, application) of each of its rows.
    type Grupo = ((String, NaiveDate, String), Vec<(String, usize, NuevaAplicacion)>);
    let mut grupos: Vec<Grupo> = Vec::new();
    for (a, fs) in filas {
        let archivo = archivos[a].0.nombre.clone();
        for f in fs {
            let Some(fid) = numeros.buscar(&f.numero_factura).cloned() else {
                errs.push(error(
                    &archivo,
                    Ubicacion::Fila(f.fila),
                    Some("numero_factura"),
                    format!("la factura {} no está en Trazo", f.numero_factura),
                ));
                continue;
            };
            let clave = (pagador_de[&fid].clone(), f.fecha, f.referencia.trim().to_string());
            let ap = (
                archivo.clone(),
                f.fila,
                NuevaAplicacion {
                    factura_id: fid,
                    valor: f.valor,
                },
            );
            match grupos.iter_mut().find(|(k, _)| *k == clave) {
                Some((_, v)) => v.push(ap),
                None => grupos.push((clave, vec![ap])),
            }
        }
    }
    if !errs.is_empty() {
        return Err(Falla::Errores(errs));
    }
    let (mut creados, mut duplicados) = (0, 0);
    for ((pagador_id, fecha, referencia), aps) in grupos {
        let valor: rust_decimal::Decimal = aps.iter().map(|(_, _, a)| a.valor).sum();
        let centavos = crate::domain::money::to_centavos(valor).unwrap_or(0);
        if db::pagos::existe(c, &actor.prestador_id, &pagador_id, fecha, &referencia, centavos)? {
            duplicados += aps.len();
            continue;
        }
        let lugares: Vec<(String, usize)> = aps.iter().map(|(a, f, _)| (a.clone(), *f)).collect();
        let n = NuevoPago {
            pagador_id,
            fecha,
            valor,
            referencia,
            medio: "transferencia".into(),
            aplicaciones: aps.into_iter().map(|(_, _, a)| a).collect(),
        };
        match registrar_en(c, cx.terminos, cx.hoy, actor, &n) {
            Ok(_) => creados += lugares.len(),
            Err(AppError::Invalid(v)) => {
                for x in v {
                    // aplicaciones[i].valor → the row of application i.
                    let i = x
                        .path
                        .strip_prefix("aplicaciones[")
                        .and_then(|r| r.split(']').next())
                        .and_then(|n| n.parse::<usize>().ok());
                    let (archivo, fila) = i
                        .and_then(|i| lugares.get(i))
                        .cloned()
                        .unwrap_or_else(|| lugares[0].clone());
                    let campo = x.path.rsplit('.').next().unwrap_or("valor").to_string();
                    errs.push(error(&archivo, Ubicacion::Fila(fila), Some(&campo), x.message));
                }
            }
            Err(e) => errs.extend(en(&lugares[0].0, Ubicacion::Fila(lugares[0].1), e)),
        }
    }
    if !errs.is_empty() {
        return Err(Falla::Errores(errs));
    }
    Ok(Resumen { creados, duplicados })
}
