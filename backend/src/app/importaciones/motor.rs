//! The import engine: what every run does whatever it imports. It reads the files (zips
//! already opened), sets aside files already imported, parses on every core, has the format
//! check and write what they hold in one transaction, records the files it landed, and rolls
//! a dry run back. A format says only how its files are parsed and written: [`Formato`].

use std::collections::HashSet;

use trazo_importers::archivo::{Archivo, ErrorArchivo, Origen};
use trazo_importers::{ImportError, Ubicacion};

use super::{hash, Actor, AppError, Contexto, ErrorImportacion, Opciones, Resumen};
use crate::db::{self, AnyConnection};

/// One kind of file a run imports.
pub(super) trait Formato {
    /// What the parser makes of the files.
    type Documento: Send;

    /// How the engine goes through the run's files.
    const LECTURA: Lectura = Lectura::Entera;

    /// The run's files are one delivery, judged as a whole (flat RIPS: AF, US, AC...): a file
    /// identical to one of an earlier delivery (the same US, say) is read again with the rest,
    /// and only a delivery whose whole content was imported before is a duplicate. Read whole
    /// ([`Lectura::Entera`]).
    const POR_ENTREGA: bool = false;

    /// A file or row that could not be read does not stop the run before the database: what
    /// was read is still checked and written (then rolled back), so one run reports the
    /// problems of reading and of checking together (payer sheets: a bad date on one row and
    /// an unknown invoice on another come in the same answer). Formats whose checks would only
    /// repeat a reading problem in other words (a RIPS delivery missing its US file) keep the
    /// default: the first step that finds errors stops the run.
    const REVISA_TRAS_ERRORES_DE_LECTURA: bool = false;

    /// Parses the new files of a batch; files that parse alone go through [`en_paralelo`].
    fn parsear(&self, archivos: &[Nuevo]) -> Parseo<Self::Documento>;

    /// Checks a batch's documents against the database and writes them. A record refused is
    /// added to `errores`, the run's errors so far: if there is any when the run ends, the
    /// engine rolls all of it back, so a format need not write once there is one.
    fn escribir(
        &mut self,
        c: &mut AnyConnection,
        tanda: Tanda<'_, Self::Documento>,
        errores: &mut Vec<ErrorImportacion>,
    ) -> Result<Resumen, Falla>;

    /// After the last batch, what has to wait for the whole run.
    fn terminar(&mut self, _c: &mut AnyConnection, _errores: &mut Vec<ErrorImportacion>) -> Result<Resumen, Falla> {
        Ok(Resumen::default())
    }
}

/// How the engine goes through a run's files.
pub(super) enum Lectura {
    /// All at once, read and parsed before the transaction opens, so the database is held
    /// only to write; the first step that finds errors stops the run (unless the format
    /// [`Formato::REVISA_TRAS_ERRORES_DE_LECTURA`]).
    Entera,
    /// This many files at a time inside the one transaction, each batch dropped once written,
    /// so memory does not grow with the run; every batch is checked, so a run reports all its
    /// errors at once.
    PorTandas(usize),
}

/// A file of the run not imported before, with its content hash.
pub(super) struct Nuevo {
    pub archivo: Archivo,
    pub hash: String,
}

/// What the parser made of a batch's files: what it could read, and every error.
pub(super) struct Parseo<D> {
    pub documentos: Vec<D>,
    pub errores: Vec<ErrorImportacion>,
}

/// What one file holds, with the index of the file in its batch.
pub(super) struct Leido<T> {
    pub archivo: usize,
    pub contenido: T,
}

/// A batch handed to a format to check and write.
pub(super) struct Tanda<'a, D> {
    pub archivos: &'a [Nuevo],
    pub documentos: Vec<D>,
}

/// Why the transaction of a run did not commit.
pub(super) enum Falla {
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

impl From<db::Error> for Falla {
    fn from(e: db::Error) -> Self {
        Falla::App(e.into())
    }
}

/// Time spent in each phase of a run, logged at debug level (`RUST_LOG=trazo=debug`): where
/// a large file's seconds go, without a profiler.
pub(super) struct Fases(std::time::Instant);

impl Fases {
    pub fn empezar() -> Self {
        Fases(std::time::Instant::now())
    }

    pub fn marcar(&mut self, fase: &str) {
        tracing::debug!(fase, ms = self.0.elapsed().as_secs_f64() * 1000.0, "import phase");
        self.0 = std::time::Instant::now();
    }
}

/// One run going through the engine.
pub(super) struct Corrida<'a> {
    pub cx: &'a Contexto<'a>,
    pub actor: &'a Actor,
    /// The run's id.
    pub id: &'a str,
    pub opciones: &'a Opciones,
    /// Called with the number of files read so far.
    pub marcar: &'a dyn Fn(usize),
}

impl Corrida<'_> {
    /// Imports `origenes` as `formato` says.
    pub fn correr<F: Formato>(&self, formato: F, origenes: Vec<Origen>) -> Result<Resumen, Falla> {
        match F::LECTURA {
            Lectura::Entera => self.entera(formato, origenes),
            Lectura::PorTandas(n) => self.por_tandas(formato, origenes, n),
        }
    }

    fn entera<F: Formato>(&self, mut formato: F, origenes: Vec<Origen>) -> Result<Resumen, Falla> {
        let mut fases = Fases::empezar();
        let mut errores = Vec::new();
        let archivos = leer(&origenes, &mut errores);
        if !errores.is_empty() && !F::REVISA_TRAS_ERRORES_DE_LECTURA {
            return Err(Falla::Errores(errores));
        }
        let mut repetidos = Repetidos::default();
        let (nuevos, a_registrar) = if F::POR_ENTREGA {
            self.cx.db.read(|c| self.apartar_entrega(c, &mut repetidos, archivos))?
        } else {
            let nuevos = self.cx.db.read(|c| self.apartar(c, &mut repetidos, archivos))?;
            let a_registrar = registros(&nuevos);
            (nuevos, a_registrar)
        };
        let Parseo {
            documentos,
            errores: de_lectura,
        } = formato.parsear(&nuevos);
        errores.extend(de_lectura);
        if !errores.is_empty() && !F::REVISA_TRAS_ERRORES_DE_LECTURA {
            return Err(Falla::Errores(errores));
        }
        fases.marcar("lectura");
        (self.marcar)(origenes.len());
        self.transaccion(|c, de_la_escritura| {
            de_la_escritura.append(&mut errores);
            let errores = de_la_escritura;
            let tanda = Tanda {
                archivos: &nuevos,
                documentos,
            };
            let mut resumen = formato.escribir(c, tanda, errores)?;
            self.registrar(c, &a_registrar)?;
            resumen += formato.terminar(c, errores)?;
            resumen.duplicados += repetidos.archivos;
            Ok(resumen)
        })
    }

    fn por_tandas<F: Formato>(&self, mut formato: F, origenes: Vec<Origen>, tamano: usize) -> Result<Resumen, Falla> {
        self.transaccion(|c, errores| {
            let mut fases = Fases::empezar();
            let mut repetidos = Repetidos::default();
            let mut resumen = Resumen::default();
            for (n, origenes_tanda) in origenes.chunks(tamano).enumerate() {
                let archivos = leer(origenes_tanda, errores);
                let nuevos = self.apartar(c, &mut repetidos, archivos)?;
                let Parseo {
                    documentos,
                    errores: de_lectura,
                } = formato.parsear(&nuevos);
                errores.extend(de_lectura);
                fases.marcar("lectura");
                let tanda = Tanda {
                    archivos: &nuevos,
                    documentos,
                };
                resumen += formato.escribir(c, tanda, errores)?;
                self.registrar(c, &registros(&nuevos))?;
                fases.marcar("tanda");
                (self.marcar)(n * tamano + origenes_tanda.len());
            }
            resumen += formato.terminar(c, errores)?;
            resumen.duplicados += repetidos.archivos;
            Ok(resumen)
        })
    }

    /// The run's one transaction: what `escribir` did lands only if the run found no error
    /// and is not a dry run.
    fn transaccion(
        &self,
        escribir: impl FnOnce(&mut AnyConnection, &mut Vec<ErrorImportacion>) -> Result<Resumen, Falla>,
    ) -> Result<Resumen, Falla> {
        let mut fases = Fases::empezar();
        let r = self.cx.db.write(|c| {
            fases.marcar("conexion");
            let mut errores = Vec::new();
            let resumen = escribir(c, &mut errores)?;
            if !errores.is_empty() {
                return Err(Falla::Errores(errores));
            }
            if self.opciones.simular {
                return Err(Falla::Simulada(resumen));
            }
            fases.marcar("escritura");
            Ok(resumen)
        });
        fases.marcar("commit");
        r
    }

    /// The files not seen before, by content hash: neither imported by an earlier run of this
    /// type nor earlier in this one. The rest are counted in `repetidos`.
    fn apartar(
        &self,
        c: &mut AnyConnection,
        repetidos: &mut Repetidos,
        archivos: Vec<Archivo>,
    ) -> Result<Vec<Nuevo>, Falla> {
        let hashes: Vec<String> = archivos.iter().map(|a| hash(&a.bytes)).collect();
        let ya: HashSet<String> =
            db::importaciones::hashes_importados(c, &self.actor.prestador_id, self.opciones.tipo.as_str(), &hashes)?
                .into_iter()
                .collect();
        let mut nuevos = Vec::with_capacity(archivos.len());
        for (archivo, hash) in archivos.into_iter().zip(hashes) {
            if ya.contains(&hash) || !repetidos.vistos.insert(hash.clone()) {
                repetidos.archivos += 1;
            } else {
                nuevos.push(Nuevo { archivo, hash });
            }
        }
        Ok(nuevos)
    }

    /// A delivery judged as a whole ([`Formato::POR_ENTREGA`]): all its files when the
    /// delivery is new, even those identical to a file of an earlier delivery; none, counted in
    /// `repetidos`, when the same delivery was imported before. A file twice in the delivery is
    /// read once. Also what to record of it: its files not recorded before, and the delivery
    /// itself (the hash of its files' hashes, in any order).
    fn apartar_entrega(
        &self,
        c: &mut AnyConnection,
        repetidos: &mut Repetidos,
        archivos: Vec<Archivo>,
    ) -> Result<(Vec<Nuevo>, Vec<Registro>), Falla> {
        let mut nuevos: Vec<Nuevo> = Vec::with_capacity(archivos.len());
        for archivo in archivos {
            let h = hash(&archivo.bytes);
            if repetidos.vistos.insert(h.clone()) {
                nuevos.push(Nuevo { archivo, hash: h });
            } else {
                repetidos.archivos += 1;
            }
        }
        if nuevos.is_empty() {
            return Ok((nuevos, vec![]));
        }
        let mut de_archivos: Vec<&str> = nuevos.iter().map(|n| n.hash.as_str()).collect();
        de_archivos.sort_unstable();
        let entrega = format!("entrega:{}", hash(de_archivos.concat().as_bytes()));
        let mut buscados: Vec<String> = nuevos.iter().map(|n| n.hash.clone()).collect();
        buscados.push(entrega.clone());
        let ya: HashSet<String> =
            db::importaciones::hashes_importados(c, &self.actor.prestador_id, self.opciones.tipo.as_str(), &buscados)?
                .into_iter()
                .collect();
        if ya.contains(&entrega) || self.entrega_anterior(c, &nuevos, &ya)? {
            repetidos.archivos += nuevos.len();
            return Ok((vec![], vec![]));
        }
        let mut a_registrar: Vec<Registro> = nuevos
            .iter()
            .filter(|n| !ya.contains(&n.hash))
            .map(|n| Registro {
                nombre: n.archivo.nombre.clone(),
                hash: n.hash.clone(),
            })
            .collect();
        a_registrar.push(Registro {
            nombre: format!("entrega de {} archivos", nuevos.len()),
            hash: entrega,
        });
        Ok((nuevos, a_registrar))
    }

    /// Whether these files are exactly the files of one earlier run: a delivery imported
    /// before deliveries were recorded as a whole (see [`Self::apartar_entrega`]).
    fn entrega_anterior(&self, c: &mut AnyConnection, nuevos: &[Nuevo], ya: &HashSet<String>) -> Result<bool, Falla> {
        if !nuevos.iter().all(|n| ya.contains(&n.hash)) {
            return Ok(false);
        }
        let de_esa: HashSet<String> = db::importaciones::hashes_de_la_misma_importacion(
            c,
            &self.actor.prestador_id,
            self.opciones.tipo.as_str(),
            &nuevos[0].hash,
        )?
        .into_iter()
        .filter(|h| !h.starts_with("entrega:"))
        .collect();
        Ok(de_esa.len() == nuevos.len() && nuevos.iter().all(|n| de_esa.contains(&n.hash)))
    }

    /// Records the files the run landed, by content hash, so importing them again changes
    /// nothing.
    fn registrar(&self, c: &mut AnyConnection, archivos: &[Registro]) -> Result<(), Falla> {
        let filas: Vec<_> = archivos
            .iter()
            .map(|n| db::importaciones::ArchivoImportado {
                id: db::new_id(),
                prestador_id: self.actor.prestador_id.clone(),
                importacion_id: self.id.to_string(),
                tipo: self.opciones.tipo.as_str().into(),
                nombre: n.nombre.clone(),
                hash: n.hash.clone(),
                creado_en: db::now(),
            })
            .collect();
        Ok(db::importaciones::insertar_archivos(c, &filas)?)
    }
}

/// What the engine records of a run: a file, or a whole delivery, by content hash.
struct Registro {
    nombre: String,
    hash: String,
}

fn registros(nuevos: &[Nuevo]) -> Vec<Registro> {
    nuevos
        .iter()
        .map(|n| Registro {
            nombre: n.archivo.nombre.clone(),
            hash: n.hash.clone(),
        })
        .collect()
}

/// The files a run set aside as seen before.
#[derive(Default)]
struct Repetidos {
    /// Hashes of the run's files so far.
    vistos: HashSet<String>,
    archivos: usize,
}

/// Reads files now; an unreadable one is an error of the run.
fn leer(origenes: &[Origen], errores: &mut Vec<ErrorImportacion>) -> Vec<Archivo> {
    let mut archivos = Vec::with_capacity(origenes.len());
    for origen in origenes {
        match origen.leer() {
            Ok(a) => archivos.push(a),
            Err(ErrorArchivo::Limite(e) | ErrorArchivo::Formato(e)) => errores.push(ErrorImportacion::from(&e)),
        }
    }
    archivos
}

/// Parses each file alone, on all cores, with a parser that gives what it could read of a file
/// besides its errors (payer sheets: the good rows and what could be read of the bad ones).
pub(super) fn en_paralelo_parcial<T: Send>(
    archivos: &[Nuevo],
    parse: impl Fn(&Archivo) -> (T, Vec<ImportError>) + Sync,
) -> Parseo<Leido<T>> {
    let Parseo { documentos, errores } = en_paralelo(archivos, |a| Ok::<_, Vec<ImportError>>(parse(a)));
    // Only a reader that panicked left errors here; the rest come with their files, in order.
    let mut errores = errores;
    let documentos = documentos
        .into_iter()
        .map(|Leido { archivo, contenido }| {
            let (contenido, de_este) = contenido;
            errores.extend(de_este.iter().map(ErrorImportacion::from));
            Leido { archivo, contenido }
        })
        .collect();
    Parseo { documentos, errores }
}

/// Parses each file alone, on all cores: what parsed, with its file, and every error of every
/// file.
pub(super) fn en_paralelo<T: Send>(
    archivos: &[Nuevo],
    parse: impl Fn(&Archivo) -> Result<T, Vec<ImportError>> + Sync,
) -> Parseo<Leido<T>> {
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
                        .map(|(j, n)| (k * por_hilo + j, parse(&n.archivo)))
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
                        .map(|(j, n)| {
                            let e = ImportError::new(
                                &n.archivo.nombre,
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
    let mut documentos = Vec::with_capacity(resultados.len());
    let mut errores = Vec::new();
    for (archivo, r) in resultados {
        match r {
            Ok(contenido) => documentos.push(Leido { archivo, contenido }),
            Err(e) => errores.extend(e.iter().map(ErrorImportacion::from)),
        }
    }
    Parseo { documentos, errores }
}

/// Sorts a run's errors by file (in the order of the run; errors of files that could not be
/// opened first) and row, keeping the order of the problems of one row.
pub(super) fn ordenar(errores: &mut [ErrorImportacion], archivos: &[Nuevo]) {
    let posicion: std::collections::HashMap<&str, usize> = archivos
        .iter()
        .enumerate()
        .rev()
        .map(|(i, n)| (n.archivo.nombre.as_str(), i + 1))
        .collect();
    errores.sort_by_key(|e| {
        (
            posicion.get(e.archivo.as_str()).copied().unwrap_or(0),
            e.row.unwrap_or(0),
        )
    });
}
