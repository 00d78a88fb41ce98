//! What arrives: one file, or a zip of many. A zip is opened with limits that protect the
//! server (number of entries, size of each and of all, compression ratio), because a small
//! upload can expand to gigabytes (a "zip bomb").

use std::io::{Read, Seek};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::error::{ImportError, Ubicacion};

/// Limits on what a zip may expand to, and on what one file may describe (cells, strings,
/// elements: see [`crate::limites`]). The zip limits also hold for the parts of an xlsx or ods,
/// which are zips too.
#[derive(Debug, Clone)]
pub struct LimitesArchivo {
    pub max_entradas: usize,
    pub max_bytes_entrada: u64,
    pub max_bytes_total: u64,
    /// Largest uncompressed/compressed ratio of an entry; text compresses ~10×, a bomb 1000×.
    pub max_razon: u64,
    /// Cells of a workbook a parser may build: with content (xlsx), or of the dense range
    /// (ods, xls), repetitions included.
    pub max_celdas: u64,
    /// Rows of a sheet (with data; in ods through the last one with data, repetitions included).
    pub max_filas: u64,
    /// Columns of a sheet (cells of one row; in ods through the last one with data).
    pub max_columnas: u64,
    /// Shared strings of an xlsx, declared or present.
    pub max_cadenas: u64,
    /// Elements of an XML file (an embedded document included).
    pub max_elementos_xml: u64,
    /// Nesting of an XML file.
    pub max_profundidad_xml: usize,
}

impl Default for LimitesArchivo {
    fn default() -> Self {
        LimitesArchivo {
            max_entradas: 20_000,
            max_bytes_entrada: 64 << 20,
            max_bytes_total: 1 << 30,
            max_razon: 200,
            max_celdas: 2_000_000,
            max_filas: 500_000,
            max_columnas: 1_024,
            max_cadenas: 1_000_000,
            max_elementos_xml: 1_000_000,
            max_profundidad_xml: 64,
        }
    }
}

/// One file to parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Archivo {
    pub nombre: String,
    pub bytes: Vec<u8>,
}

/// Why an upload could not be opened: too big (the server refuses to expand it) or not a
/// readable archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorArchivo {
    Limite(ImportError),
    Formato(ImportError),
}

/// True for a name that is a zip to open (xlsx and ods are zips too, but are one file each).
pub fn es_zip(nombre: &str, bytes: &[u8]) -> bool {
    nombre.to_ascii_lowercase().ends_with(".zip") && bytes.starts_with(b"PK")
}

/// A zip opened once and read entry by entry, by whoever needs an entry.
pub struct ZipAbierto {
    nombre: String,
    zip: Mutex<zip::ZipArchive<Box<dyn LeerBuscar>>>,
    limites: LimitesArchivo,
    /// Bytes expanded so far, against `max_bytes_total`.
    expandidos: AtomicU64,
}

/// What a zip is read from: bytes in memory or a file on disk.
pub trait LeerBuscar: Read + Seek + Send {}
impl<T: Read + Seek + Send> LeerBuscar for T {}

/// A file of an upload, whose bytes are read only when they are needed, so a run of many
/// thousand files never holds them all at once.
pub enum Origen {
    /// An upload held in memory, already checked against the limits.
    Bytes(Archivo),
    /// A file on disk, checked when it is read.
    Ruta { ruta: PathBuf, limites: LimitesArchivo },
    EntradaZip {
        zip: Arc<ZipAbierto>,
        indice: usize,
        nombre: String,
    },
}

impl Origen {
    pub fn nombre(&self) -> String {
        match self {
            Origen::Bytes(a) => a.nombre.clone(),
            Origen::Ruta { ruta, .. } => ruta.to_string_lossy().into_owned(),
            Origen::EntradaZip { nombre, .. } => nombre.clone(),
        }
    }

    /// The file's bytes, enforcing the zip's limits on what an entry really expands to and the
    /// limits on what a file may describe ([`crate::limites::revisar`]).
    pub fn leer(&self) -> Result<Archivo, ErrorArchivo> {
        match self {
            Origen::Bytes(a) => Ok(a.clone()),
            Origen::Ruta { ruta, limites } => {
                let bytes = std::fs::read(ruta).map_err(|e| {
                    ErrorArchivo::Formato(ImportError::new(
                        &self.nombre(),
                        Ubicacion::Archivo,
                        None,
                        format!("no se pudo leer: {e}"),
                    ))
                })?;
                let nombre = self.nombre();
                crate::limites::revisar(&nombre, &bytes, limites)?;
                Ok(Archivo { nombre, bytes })
            }
            Origen::EntradaZip { zip, indice, nombre } => zip.leer(*indice, nombre),
        }
    }
}

impl ZipAbierto {
    fn leer(&self, indice: usize, ruta: &str) -> Result<Archivo, ErrorArchivo> {
        let l = &self.limites;
        let mut zip = self.zip.lock().unwrap_or_else(|p| p.into_inner());
        let formato = |m: String| ErrorArchivo::Formato(ImportError::new(ruta, Ubicacion::Archivo, None, m));
        let mut entrada = zip
            .by_index(indice)
            .map_err(|e| formato(format!("la entrada está dañada: {e}")))?;
        let comprimido = entrada.compressed_size().max(1);
        // Declared sizes can lie: read at most one byte past the limit to find out.
        let mut buf = Vec::with_capacity(entrada.size().min(l.max_bytes_entrada) as usize);
        (&mut entrada)
            .take(l.max_bytes_entrada + 1)
            .read_to_end(&mut buf)
            .map_err(|e| formato(format!("no se pudo leer: {e}")))?;
        let limite = |m: String| ErrorArchivo::Limite(ImportError::new(ruta, Ubicacion::Archivo, None, m));
        if buf.len() as u64 > l.max_bytes_entrada || buf.len() as u64 / comprimido > l.max_razon {
            return Err(limite("se expande más de lo que declara: parece una bomba zip".into()));
        }
        let total = self.expandidos.fetch_add(buf.len() as u64, Ordering::Relaxed) + buf.len() as u64;
        if total > l.max_bytes_total {
            return Err(ErrorArchivo::Limite(ImportError::new(
                &self.nombre,
                Ubicacion::Archivo,
                None,
                format!("el contenido del zip supera {} bytes", l.max_bytes_total),
            )));
        }
        crate::limites::revisar(ruta, &buf, l)?;
        Ok(Archivo {
            nombre: ruta.to_string(),
            bytes: buf,
        })
    }
}

/// Opens a zip (its directory only) and checks what it declares against the limits; its
/// entries are read later, one by one.
fn abrir_zip(nombre: &str, fuente: Box<dyn LeerBuscar>, l: &LimitesArchivo) -> Result<Vec<Origen>, ErrorArchivo> {
    let mut zip = leer_directorio(nombre, fuente)?;
    let entradas = entradas(nombre, &mut zip, l)?;
    let abierto = Arc::new(ZipAbierto {
        nombre: nombre.to_string(),
        zip: Mutex::new(zip),
        limites: l.clone(),
        expandidos: AtomicU64::new(0),
    });
    Ok(entradas
        .into_iter()
        .map(|(indice, nombre)| Origen::EntradaZip {
            zip: abierto.clone(),
            indice,
            nombre,
        })
        .collect())
}

fn leer_directorio<R: Read + Seek>(nombre: &str, fuente: R) -> Result<zip::ZipArchive<R>, ErrorArchivo> {
    zip::ZipArchive::new(fuente).map_err(|e| {
        ErrorArchivo::Formato(ImportError::new(
            nombre,
            Ubicacion::Archivo,
            None,
            format!("no es un zip legible: {e}"),
        ))
    })
}

/// The entries of a zip worth reading (index and name), each checked against the limits on
/// what it declares.
fn entradas<R: Read + Seek>(
    nombre: &str,
    zip: &mut zip::ZipArchive<R>,
    l: &LimitesArchivo,
) -> Result<Vec<(usize, String)>, ErrorArchivo> {
    let err = |m: String| ImportError::new(nombre, Ubicacion::Archivo, None, m);
    if zip.len() > l.max_entradas {
        return Err(ErrorArchivo::Limite(err(format!(
            "el zip tiene {} archivos; el máximo es {}",
            zip.len(),
            l.max_entradas
        ))));
    }
    let mut entradas = Vec::new();
    let mut declarado: u64 = 0;
    for i in 0..zip.len() {
        let entrada = zip
            .by_index_raw(i)
            .map_err(|e| ErrorArchivo::Formato(err(format!("la entrada {} está dañada: {e}", i + 1))))?;
        let ruta = entrada
            .name()
            .map(|n| n.to_string())
            .unwrap_or_else(|_| format!("entrada {}", i + 1));
        if entrada.is_dir()
            || ruta.starts_with("__MACOSX/")
            || ruta.rsplit('/').next().is_some_and(|n| n.starts_with('.'))
        {
            continue;
        }
        let limite = |m: String| ErrorArchivo::Limite(ImportError::new(&ruta, Ubicacion::Archivo, None, m));
        let comprimido = entrada.compressed_size().max(1);
        if entrada.size() > l.max_bytes_entrada {
            return Err(limite(format!(
                "se expande a {} bytes; el máximo por archivo es {}",
                entrada.size(),
                l.max_bytes_entrada
            )));
        }
        if entrada.size() / comprimido > l.max_razon {
            return Err(limite(format!(
                "se expande {} veces su tamaño comprimido (máximo {}): parece una bomba zip",
                entrada.size() / comprimido,
                l.max_razon
            )));
        }
        declarado += entrada.size();
        if declarado > l.max_bytes_total {
            return Err(ErrorArchivo::Limite(err(format!(
                "el contenido del zip supera {} bytes",
                l.max_bytes_total
            ))));
        }
        entradas.push((i, ruta));
    }
    Ok(entradas)
}

/// The files of an upload: the upload itself, or the entries of a zip (folders inside it are
/// flattened into `carpeta/archivo.xml` names; system clutter such as `__MACOSX/` is skipped).
/// A single file is checked against the limits at once (so an upload over them is refused
/// before any work starts); the entries of a zip, as each is read.
pub fn origenes(nombre: &str, bytes: Vec<u8>, l: &LimitesArchivo) -> Result<Vec<Origen>, ErrorArchivo> {
    if !es_zip(nombre, &bytes) {
        crate::limites::revisar(nombre, &bytes, l)?;
        return Ok(vec![Origen::Bytes(Archivo {
            nombre: nombre.to_string(),
            bytes,
        })]);
    }
    abrir_zip(nombre, Box::new(std::io::Cursor::new(bytes)), l)
}

/// Checks an upload as [`origenes`] does, without keeping it, and says how many files it
/// holds: for a caller that stores the upload and opens it again when its turn comes.
pub fn revisar(nombre: &str, bytes: &[u8], l: &LimitesArchivo) -> Result<usize, ErrorArchivo> {
    if !es_zip(nombre, bytes) {
        crate::limites::revisar(nombre, bytes, l)?;
        return Ok(1);
    }
    let mut zip = leer_directorio(nombre, std::io::Cursor::new(bytes))?;
    Ok(entradas(nombre, &mut zip, l)?.len())
}

/// The same for a file on disk, read only when its turn comes.
pub fn origenes_de_ruta(ruta: &Path, l: &LimitesArchivo) -> Result<Vec<Origen>, ErrorArchivo> {
    let nombre = ruta.to_string_lossy().into_owned();
    let es_zip_nombre = nombre.to_ascii_lowercase().ends_with(".zip");
    if !es_zip_nombre {
        return Ok(vec![Origen::Ruta {
            ruta: ruta.to_path_buf(),
            limites: l.clone(),
        }]);
    }
    let f = std::fs::File::open(ruta).map_err(|e| {
        ErrorArchivo::Formato(ImportError::new(
            &nombre,
            Ubicacion::Archivo,
            None,
            format!("no se pudo abrir: {e}"),
        ))
    })?;
    abrir_zip(&nombre, Box::new(std::io::BufReader::new(f)), l)
}

/// Every file of an upload, read now (for callers that need them all at once).
pub fn expandir(nombre: &str, bytes: Vec<u8>, l: &LimitesArchivo) -> Result<Vec<Archivo>, ErrorArchivo> {
    origenes(nombre, bytes, l)?.iter().map(Origen::leer).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_de(entradas: &[(&str, Vec<u8>)]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (n, b) in entradas {
            w.start_file(*n, opts).unwrap();
            w.write_all(b).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn a_plain_file_is_itself() {
        let v = expandir("f.xml", b"<x/>".to_vec(), &LimitesArchivo::default()).unwrap();
        assert_eq!(
            v,
            vec![Archivo {
                nombre: "f.xml".into(),
                bytes: b"<x/>".to_vec()
            }]
        );
        // An xlsx is a zip but one file.
        assert_eq!(
            expandir("g.xlsx", b"PK\x03\x04".to_vec(), &LimitesArchivo::default())
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn a_zip_gives_its_files_without_clutter() {
        let z = zip_de(&[
            ("a/1.xml", b"<a/>".to_vec()),
            ("__MACOSX/a/._1.xml", b"x".to_vec()),
            ("b.xml", b"<b/>".to_vec()),
        ]);
        let v = expandir("lote.zip", z, &LimitesArchivo::default()).unwrap();
        let nombres: Vec<_> = v.iter().map(|a| a.nombre.as_str()).collect();
        assert_eq!(nombres, ["a/1.xml", "b.xml"]);
    }

    #[test]
    fn a_zip_bomb_is_refused_by_its_ratio() {
        let z = zip_de(&[("bomba.xml", vec![b'a'; 5 << 20])]);
        match expandir("lote.zip", z, &LimitesArchivo::default()) {
            Err(ErrorArchivo::Limite(e)) => assert!(
                e.to_string().starts_with("bomba.xml: se expande") && e.mensaje.contains("bomba zip"),
                "{e}"
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn too_many_entries_or_too_much_content_is_refused() {
        let z = zip_de(&[
            ("1.xml", b"1".to_vec()),
            ("2.xml", b"2".to_vec()),
            ("3.xml", b"3".to_vec()),
        ]);
        let l = LimitesArchivo {
            max_entradas: 2,
            ..Default::default()
        };
        assert!(
            matches!(expandir("lote.zip", z.clone(), &l), Err(ErrorArchivo::Limite(e)) if e.mensaje.contains("3 archivos"))
        );
        let l = LimitesArchivo {
            max_bytes_total: 2,
            ..Default::default()
        };
        assert!(matches!(expandir("lote.zip", z, &l), Err(ErrorArchivo::Limite(_))));
        assert!(matches!(
            expandir("roto.zip", b"PK\x03\x04basura".to_vec(), &LimitesArchivo::default()),
            Err(ErrorArchivo::Formato(_))
        ));
    }

    #[test]
    fn checking_an_upload_without_keeping_it_refuses_what_opening_it_refuses() {
        let z = zip_de(&[
            ("1.xml", b"<a/>".to_vec()),
            ("__MACOSX/._1.xml", b"x".to_vec()),
            ("2.xml", b"<b/>".to_vec()),
        ]);
        assert_eq!(revisar("lote.zip", &z, &LimitesArchivo::default()), Ok(2));
        assert_eq!(revisar("f.xml", b"<x/>", &LimitesArchivo::default()), Ok(1));
        let l = LimitesArchivo {
            max_entradas: 1,
            ..Default::default()
        };
        assert_eq!(
            revisar("lote.zip", &z, &l).unwrap_err(),
            origenes("lote.zip", z.clone(), &l).err().unwrap()
        );
        let bomba = zip_de(&[("bomba.xml", vec![b'a'; 5 << 20])]);
        assert!(matches!(
            revisar("lote.zip", &bomba, &LimitesArchivo::default()),
            Err(ErrorArchivo::Limite(_))
        ));
        assert!(matches!(
            revisar("roto.zip", b"PK\x03\x04basura", &LimitesArchivo::default()),
            Err(ErrorArchivo::Formato(_))
        ));
    }
}
