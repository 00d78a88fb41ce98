//! From bytes to a grid of cells: format detection, calamine for xlsx/xls/ods, the csv crate for
//! text, and the search for the header row.

use std::borrow::Cow;
use std::io::Cursor;

use calamine::{open_workbook_from_rs, Data, DataRef, Ods, Range, Reader, Sheets, Xls, Xlsb, Xlsx};

use super::perfil::{comienza_con, igual_normalizado, normalizar};
use super::valores::Celda;
use crate::error::{ImportError, Ubicacion};

/// How many rows from the top of a sheet may hold the header.
pub(crate) const FILAS_BUSQUEDA_ENCABEZADO: usize = 30;

/// A sheet as rows and columns of cells, whatever the file format.
pub(crate) trait Hoja {
    /// Rows held (index 0..filas).
    fn filas(&self) -> usize;
    /// The non-empty cells of a row with their column index (used for the header and labels only,
    /// so boxing costs nothing that matters).
    fn celdas(&self, fila: usize) -> Box<dyn Iterator<Item = (usize, Celda<'_>)> + '_>;
    fn celda(&self, fila: usize, col: usize) -> Celda<'_>;
    /// The row number as the spreadsheet shows it (1-based).
    fn numero_fila(&self, fila: usize) -> usize;
    /// The column letter as the spreadsheet shows it (`A`, `AB`).
    fn letra(&self, col: usize) -> String;
}

/// The formats read, decided by content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Formato {
    Xlsx,
    Xls,
    Xlsb,
    Ods,
    Csv,
}

impl Formato {
    fn nombre(self) -> &'static str {
        match self {
            Formato::Xlsx => "libro de Excel (xlsx)",
            Formato::Xls => "libro de Excel 97-2003 (xls)",
            Formato::Xlsb => "libro binario de Excel (xlsb)",
            Formato::Ods => "hoja de cálculo OpenDocument (ods)",
            Formato::Csv => "texto separado por comas (csv)",
        }
    }
}

/// The format by content, not by the file name: a zip holding `xl/` is xlsx (`xl/workbook.bin`:
/// xlsb), a zip whose first entry is the OpenDocument spreadsheet `mimetype` is ods, an OLE
/// compound file is xls, the rest is read as CSV text.
pub(crate) fn detectar(bytes: &[u8], archivo: &str) -> Result<Formato, ImportError> {
    const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    if bytes.starts_with(b"PK\x03\x04") {
        // The ODF spec puts an uncompressed `mimetype` entry first, so its text is in the clear.
        let inicio = &bytes[..bytes.len().min(200)];
        if contiene(inicio, b"mimetype") && contiene(inicio, b"application/vnd.oasis.opendocument.spreadsheet") {
            return Ok(Formato::Ods);
        }
        // Entry names are stored uncompressed in the local headers and the central directory.
        if contiene(bytes, b"xl/workbook.bin") {
            return Ok(Formato::Xlsb);
        }
        if contiene(bytes, b"xl/") {
            return Ok(Formato::Xlsx);
        }
        return Err(ImportError::new(
            archivo,
            Ubicacion::Archivo,
            None,
            "el archivo es un zip pero no es una hoja de cálculo: se espera xlsx, xls, ods o csv",
        ));
    }
    if bytes.starts_with(OLE) {
        return Ok(Formato::Xls);
    }
    if bytes.starts_with(b"%PDF") {
        return Err(ImportError::new(
            archivo,
            Ubicacion::Archivo,
            None,
            "el archivo es un PDF: se espera la hoja de cálculo (xlsx, xls, ods o csv)",
        ));
    }
    Ok(Formato::Csv)
}

fn contiene(pajar: &[u8], aguja: &[u8]) -> bool {
    pajar.windows(aguja.len()).any(|w| w == aguja)
}

/// Spreadsheet letters of a 0-based column index.
pub(crate) fn letra_columna(mut col: usize) -> String {
    let mut letras = Vec::new();
    loop {
        letras.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    letras.reverse();
    String::from_utf8(letras).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// Header search.

/// What to look for: for each field, its name, whether it is required, and its normalized header
/// names (empty when the profile does not map it).
pub(crate) struct Buscado<'a> {
    pub campos: &'a [(&'static str, bool)],
    pub alias: Vec<Vec<String>>,
}

/// The header row found: its relative index and, per field, the column and the title it has there.
#[derive(Debug, Clone)]
pub(crate) struct Encabezado {
    pub fila: usize,
    pub columnas: Vec<Option<(usize, String)>>,
}

/// The best partial header seen, for the error: (row number, fields missing).
pub(crate) type Parcial = Option<(usize, Vec<&'static str>)>;

/// The first row among the first [`FILAS_BUSQUEDA_ENCABEZADO`] of the sheet that holds a header of
/// every required field.
pub(crate) fn buscar_encabezado<H: Hoja>(hoja: &H, buscado: &Buscado<'_>, mejor: &mut Parcial) -> Option<Encabezado> {
    for fila in 0..hoja.filas() {
        if hoja.numero_fila(fila) > FILAS_BUSQUEDA_ENCABEZADO {
            break;
        }
        let mut columnas: Vec<Option<(usize, String)>> = vec![None; buscado.campos.len()];
        for (col, celda) in hoja.celdas(fila) {
            let Some(texto) = celda.texto() else {
                continue;
            };
            let normal = normalizar(texto);
            if normal.is_empty() {
                continue;
            }
            // A column is one field only; the first column with a field's header wins (a header
            // merged over two columns appears in both).
            if let Some(k) =
                (0..buscado.campos.len()).find(|&k| columnas[k].is_none() && buscado.alias[k].contains(&normal))
            {
                columnas[k] = Some((col, texto.to_string()));
            }
        }
        let faltan: Vec<&'static str> = buscado
            .campos
            .iter()
            .zip(&columnas)
            .filter(|((_, requerido), c)| *requerido && c.is_none())
            .map(|((campo, _), _)| *campo)
            .collect();
        if faltan.is_empty() {
            return Some(Encabezado { fila, columnas });
        }
        let requeridos = buscado.campos.iter().filter(|(_, r)| *r).count();
        if faltan.len() < requeridos && mejor.as_ref().is_none_or(|(_, f)| faltan.len() < f.len()) {
            *mejor = Some((hoja.numero_fila(fila), faltan));
        }
    }
    None
}

/// Whether a text is one of the normalized header names (a header row repeated in the data).
pub(crate) fn es_alias(texto: &str, alias: &[String]) -> bool {
    alias.iter().any(|a| igual_normalizado(texto, a))
}

/// A row that closes the data: its label starts with "total" ("TOTAL", "Total general",
/// "TOTALES"), but not "subtotal".
pub(crate) fn es_total(texto: &str) -> bool {
    comienza_con(texto, "total")
}

pub(crate) fn es_subtotal(texto: &str) -> bool {
    comienza_con(texto, "subtotal")
}

// ---------------------------------------------------------------------------------------------
// Workbooks (calamine).

/// The workbook types read through calamine, over the uploaded bytes.
pub(crate) type Lector<'b> = Cursor<&'b [u8]>;

fn ilegible(archivo: &str, formato: Formato, detalle: &str) -> ImportError {
    ImportError::new(
        archivo,
        Ubicacion::Archivo,
        None,
        format!("no se pudo leer el archivo como {}: {detalle}", formato.nombre()),
    )
}

/// Runs a calamine call, turning its panics into an error. calamine 0.38 panics on some damaged
/// files (out-of-range slices in its xls/OLE reader, found by our byte-flip test); a damaged upload
/// must be an error for the clerk, not a crash of the import. (Needs the default panic = "unwind".)
fn sin_panico<T>(
    archivo: &str,
    formato: Formato,
    f: impl FnOnce() -> Result<T, ImportError>,
) -> Result<T, ImportError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .unwrap_or_else(|_| Err(ilegible(archivo, formato, "el archivo está dañado")))
}

/// Opens an xlsx workbook.
pub(crate) fn abrir_xlsx<'b>(bytes: &'b [u8], archivo: &str) -> Result<Xlsx<Lector<'b>>, ImportError> {
    sin_panico(archivo, Formato::Xlsx, || {
        open_workbook_from_rs::<Xlsx<_>, _>(Cursor::new(bytes))
            .map_err(|e| ilegible(archivo, Formato::Xlsx, &e.to_string()))
    })
}

/// Opens an xls, xlsb or ods workbook (the reader chosen by the detected format, so a damaged file
/// gets its own error rather than "format not detected").
pub(crate) fn abrir_otro<'b>(
    bytes: &'b [u8],
    archivo: &str,
    formato: Formato,
) -> Result<Sheets<Lector<'b>>, ImportError> {
    if formato == Formato::Xls && xls_con_dimensiones_imposibles(bytes) {
        return Err(ilegible(
            archivo,
            formato,
            "el archivo está dañado (una hoja declara más celdas de las que caben en un xls)",
        ));
    }
    sin_panico(archivo, formato, || {
        let cursor = Cursor::new(bytes);
        let error = |e: String| ilegible(archivo, formato, &e);
        Ok(match formato {
            Formato::Xls => Sheets::Xls(open_workbook_from_rs::<Xls<_>, _>(cursor).map_err(|e| error(e.to_string()))?),
            Formato::Xlsb => {
                Sheets::Xlsb(open_workbook_from_rs::<Xlsb<_>, _>(cursor).map_err(|e| error(e.to_string()))?)
            }
            _ => Sheets::Ods(open_workbook_from_rs::<Ods<_>, _>(cursor).map_err(|e| error(e.to_string()))?),
        })
    })
}

/// Most cells an xls sheet can have (65,536 rows × 256 columns).
const CELDAS_MAXIMAS_XLS: u64 = 65_536 * 256;

/// calamine 0.38 reserves room for the rows × columns that an xls sheet's DIMENSIONS record claims
/// before it reads a cell: a damaged record asks for hundreds of gigabytes, and a failed allocation
/// aborts the process (there is no panic to catch). So we look first: the raw bytes are scanned for
/// DIMENSIONS records (type 0x0200, 10, 14 or 16 bytes; MS-XLS 2.4.90), computing the size as
/// calamine does, and a file claiming more than an xls sheet can hold is refused (and, through
/// [`crate::limites`], one claiming more than the configured cells). A record split across two
/// non-adjacent sectors of a fragmented file escapes this scan; no such file is known.
fn xls_con_dimensiones_imposibles(bytes: &[u8]) -> bool {
    xls_celdas_declaradas(bytes) > CELDAS_MAXIMAS_XLS
}

/// The most cells any DIMENSIONS record of an xls declares, as calamine computes them.
pub(crate) fn xls_celdas_declaradas(bytes: &[u8]) -> u64 {
    let u16_en = |i: usize| u16::from_le_bytes([bytes[i], bytes[i + 1]]) as u32;
    let u32_en = |i: usize| u32::from_le_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
    (0..bytes.len().saturating_sub(4))
        .map(|i| {
            if bytes[i] != 0x00 || bytes[i + 1] != 0x02 {
                return 0;
            }
            let largo = u16_en(i + 2) as usize;
            let datos = i + 4;
            if !matches!(largo, 10 | 14 | 16) || datos + largo > bytes.len() {
                return 0;
            }
            let (rf, rl, mut cf, cl) = if largo == 10 {
                (u16_en(datos), u16_en(datos + 2), u16_en(datos + 4), u16_en(datos + 6))
            } else {
                (u32_en(datos), u32_en(datos + 4), u16_en(datos + 8), u16_en(datos + 10))
            };
            if cf > 0xFF || cl < cf {
                cf = 0;
            }
            if rl < 1 || cl < 1 {
                return 0;
            }
            // As calamine: end = (rl - 1, cl - 1); rows = end - start + 1, wrapping in release builds.
            let filas = (rl - 1).wrapping_sub(rf).wrapping_add(1) as u64;
            let columnas = (cl - 1).wrapping_sub(cf).wrapping_add(1) as u64;
            filas.saturating_mul(columnas)
        })
        .max()
        .unwrap_or(0)
}

/// An xlsx sheet kept sparse: only the cells that hold something, sorted by row and column, and
/// borrowing the workbook's shared strings (no copy of each text). calamine's `worksheet_range`
/// would allocate rows × columns of the used area: one stray value in cell XFD1048576 would ask
/// for 17 billion cells and bring the server down, so we read the cells with its cell reader.
pub(crate) struct HojaXlsx<'l> {
    celdas: Vec<(u32, DataRef<'l>)>,
    /// Per non-empty row: its 0-based spreadsheet row and where its cells start in `celdas`.
    filas: Vec<(u32, usize)>,
}

impl HojaXlsx<'_> {
    fn de_fila(&self, fila: usize) -> &[(u32, DataRef<'_>)] {
        let inicio = self.filas[fila].1;
        let fin = self.filas.get(fila + 1).map_or(self.celdas.len(), |f| f.1);
        &self.celdas[inicio..fin]
    }
}

impl Hoja for HojaXlsx<'_> {
    fn filas(&self) -> usize {
        self.filas.len()
    }
    fn celdas(&self, fila: usize) -> Box<dyn Iterator<Item = (usize, Celda<'_>)> + '_> {
        Box::new(
            self.de_fila(fila)
                .iter()
                .map(|(c, v)| (*c as usize, Celda::de_dataref(v))),
        )
    }
    fn celda(&self, fila: usize, col: usize) -> Celda<'_> {
        let celdas = self.de_fila(fila);
        match celdas.binary_search_by_key(&col, |(c, _)| *c as usize) {
            Ok(i) => Celda::de_dataref(&celdas[i].1),
            Err(_) => Celda::Vacia,
        }
    }
    fn numero_fila(&self, fila: usize) -> usize {
        self.filas[fila].0 as usize + 1
    }
    fn letra(&self, col: usize) -> String {
        letra_columna(col)
    }
}

/// Whether an xlsx may hold merged regions: some part of the package other than its shared
/// strings names a `mergeCell`. calamine finds a sheet's merges only by parsing the whole sheet
/// a second time (as long as reading its cells, for a sheet of 100,000 rows); the text search
/// over the unzipped parts takes a tenth of that. A false "yes" (the word inside a text) only
/// costs that parse; an unreadable package says yes and leaves the error to calamine.
pub(crate) fn xlsx_con_combinadas(bytes: &[u8]) -> bool {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return true;
    };
    let buscador = memchr::memmem::Finder::new(b"mergeCell");
    let solapa = b"mergeCell".len() - 1;
    let mut buf = vec![0u8; 1 << 16];
    for i in 0..zip.len() {
        let Ok(mut parte) = zip.by_index(i) else {
            return true;
        };
        let nombre = parte.name().unwrap_or_default();
        if !nombre.ends_with(".xml") || nombre.ends_with("sharedStrings.xml") {
            continue;
        }
        // Chunk by chunk, keeping the end of the last one so a word split between two is found.
        let mut guardados = 0;
        loop {
            let n = match std::io::Read::read(&mut parte, &mut buf[guardados..]) {
                Ok(0) => break,
                Ok(n) => n,
                Err(_) => return true,
            };
            let hasta = guardados + n;
            if buscador.find(&buf[..hasta]).is_some() {
                return true;
            }
            let desde = hasta.saturating_sub(solapa);
            buf.copy_within(desde..hasta, 0);
            guardados = hasta - desde;
        }
    }
    false
}

/// Reads one sheet of an xlsx workbook, with its merged regions filled when the workbook may
/// have some ([`xlsx_con_combinadas`]).
pub(crate) fn hoja_xlsx<'l>(
    libro: &'l mut Xlsx<Lector<'_>>,
    nombre: &str,
    archivo: &str,
    con_combinadas: bool,
) -> Result<HojaXlsx<'l>, ImportError> {
    let danada = move |e: String| ilegible(archivo, Formato::Xlsx, &format!("la hoja «{nombre}» está dañada ({e})"));
    sin_panico(archivo, Formato::Xlsx, move || {
        // Before the cells: the cell reader keeps the workbook borrowed.
        let regiones = if con_combinadas {
            libro.merge_cells_by_sheet_name(nombre).unwrap_or_default()
        } else {
            Vec::new()
        };
        let mut lector = libro
            .worksheet_cells_reader(nombre)
            .map_err(|e| danada(e.to_string()))?;
        // Cells in the sheet's order (as every writer known writes them) go straight into the
        // sparse sheet; a sheet out of order, or with merges to fill, takes the long way.
        let mut hoja = HojaXlsx {
            celdas: Vec::new(),
            filas: Vec::new(),
        };
        let mut desordenadas: Option<Vec<(u32, u32, DataRef<'l>)>> = None;
        let mut ultima: Option<(u32, u32)> = None;
        while let Some(celda) = lector.next_cell().map_err(|e| danada(e.to_string()))? {
            if matches!(celda.get_value(), DataRef::Empty) {
                continue;
            }
            let (f, c) = celda.get_position();
            let valor = celda.get_value().clone();
            if let Some(v) = desordenadas.as_mut() {
                v.push((f, c, valor));
                continue;
            }
            if ultima.is_some_and(|u| (f, c) <= u) {
                let mut v = hoja.trios();
                v.push((f, c, valor));
                desordenadas = Some(v);
                continue;
            }
            ultima = Some((f, c));
            if hoja.filas.last().is_none_or(|&(fa, _)| fa != f) {
                hoja.filas.push((f, hoja.celdas.len()));
            }
            hoja.celdas.push((c, valor));
        }
        let desordenada = desordenadas.is_some();
        if !desordenada && regiones.is_empty() {
            return Ok(hoja);
        }
        let mut celdas = desordenadas.unwrap_or_else(|| hoja.trios());
        if desordenada {
            // A file written out of order: the last value written for a cell wins.
            celdas.reverse();
            celdas.sort_by_key(|&(f, c, _)| (f, c));
            celdas.dedup_by_key(|&mut (f, c, _)| (f, c));
        }
        llenar_combinadas_dispersas(&mut celdas, &regiones);
        let mut filas: Vec<(u32, usize)> = Vec::new();
        let mut solo = Vec::with_capacity(celdas.len());
        for (i, (f, c, v)) in celdas.into_iter().enumerate() {
            if filas.last().is_none_or(|&(fa, _)| fa != f) {
                filas.push((f, i));
            }
            solo.push((c, v));
        }
        Ok(HojaXlsx { celdas: solo, filas })
    })
}

impl<'l> HojaXlsx<'l> {
    /// The cells as (row, column, value), emptying the sheet.
    fn trios(&mut self) -> Vec<(u32, u32, DataRef<'l>)> {
        let celdas = std::mem::take(&mut self.celdas);
        let filas = std::mem::take(&mut self.filas);
        let mut out = Vec::with_capacity(celdas.len());
        let mut k = 0;
        for (i, (c, v)) in celdas.into_iter().enumerate() {
            while k + 1 < filas.len() && filas[k + 1].1 <= i {
                k += 1;
            }
            out.push((filas[k].0, c, v));
        }
        out
    }
}

/// calamine gives a merged region's value in its first cell only; the clerk sees it in every cell
/// of the region (an invoice number merged over the rows of its glosas), so we copy it there —
/// only into rows that hold something else (a row that is empty but for a merge stays empty) and
/// within the columns in use. Work is bounded by the size of the sheet, whatever the file claims.
fn llenar_combinadas_dispersas<'l>(celdas: &mut Vec<(u32, u32, DataRef<'l>)>, regiones: &[calamine::Dimensions]) {
    if regiones.is_empty() || celdas.is_empty() {
        return;
    }
    let mut filas: Vec<u32> = celdas.iter().map(|&(f, _, _)| f).collect();
    filas.dedup();
    let col_max = celdas.iter().map(|&(_, c, _)| c).max().unwrap_or(0);
    let buscar =
        |celdas: &[(u32, u32, DataRef<'l>)], f: u32, c: u32| celdas.binary_search_by_key(&(f, c), |&(f, c, _)| (f, c));
    let mut presupuesto = celdas.len().saturating_mul(2).saturating_add(10_000);
    let mut nuevas = Vec::new();
    for region in regiones {
        let (ra, ca) = region.start;
        let (rb, cb) = region.end;
        let Ok(i) = buscar(celdas, ra, ca) else { continue };
        let valor = celdas[i].2.clone();
        let desde = filas.partition_point(|&f| f < ra);
        for &f in filas[desde..].iter().take_while(|&&f| f <= rb) {
            for c in ca..=cb.min(col_max) {
                if presupuesto == 0 {
                    break;
                }
                presupuesto -= 1;
                if buscar(celdas, f, c).is_err() {
                    nuevas.push((f, c, valor.clone()));
                }
            }
        }
    }
    if !nuevas.is_empty() {
        celdas.extend(nuevas);
        // Stable: of two overlapping (invalid) regions, the first keeps the cell.
        celdas.sort_by_key(|&(f, c, _)| (f, c));
        celdas.dedup_by_key(|&mut (f, c, _)| (f, c));
    }
}

/// An xls, xlsb or ods sheet: a calamine range (dense; those formats bound its size: xls has at
/// most 65,536 × 256 cells), relative indices inside it, spreadsheet numbers from its start.
pub(crate) struct HojaDensa {
    rango: Range<Data>,
    fila0: usize,
    col0: usize,
}

impl Hoja for HojaDensa {
    fn filas(&self) -> usize {
        self.rango.height()
    }
    fn celdas(&self, fila: usize) -> Box<dyn Iterator<Item = (usize, Celda<'_>)> + '_> {
        Box::new(
            (0..self.rango.width())
                .map(move |c| (c, self.celda(fila, c)))
                .filter(|(_, v)| !v.es_vacia()),
        )
    }
    fn celda(&self, fila: usize, col: usize) -> Celda<'_> {
        self.rango.get((fila, col)).map_or(Celda::Vacia, Celda::de_calamine)
    }
    fn numero_fila(&self, fila: usize) -> usize {
        self.fila0 + fila + 1
    }
    fn letra(&self, col: usize) -> String {
        letra_columna(self.col0 + col)
    }
}

/// Reads one sheet of an xls, xlsb or ods workbook, with its merged regions filled (xls only:
/// calamine does not report ods or xlsb merges).
pub(crate) fn hoja_densa(
    libro: &mut Sheets<Lector<'_>>,
    nombre: &str,
    archivo: &str,
    formato: Formato,
) -> Result<HojaDensa, ImportError> {
    sin_panico(archivo, formato, || {
        let mut rango = libro
            .worksheet_range(nombre)
            .map_err(|e| ilegible(archivo, formato, &format!("la hoja «{nombre}» está dañada ({e})")))?;
        if let Sheets::Xls(x) = libro {
            llenar_combinadas(&mut rango, &x.merge_cells_by_sheet_name(nombre).unwrap_or_default());
        }
        let (fila0, col0) = rango.start().map_or((0, 0), |(f, c)| (f as usize, c as usize));
        Ok(HojaDensa { rango, fila0, col0 })
    })
}

/// [`llenar_combinadas_dispersas`] for a dense range: inside the range only, and bounded.
fn llenar_combinadas(rango: &mut Range<Data>, regiones: &[calamine::Dimensions]) {
    let (Some((f0, c0)), Some((f1, c1))) = (rango.start(), rango.end()) else {
        return;
    };
    let mut presupuesto = rango
        .height()
        .saturating_mul(rango.width())
        .saturating_mul(2)
        .saturating_add(10_000);
    for region in regiones {
        let (ra, ca) = region.start;
        let (rb, cb) = region.end;
        let Some(valor) = rango.get_value((ra, ca)).filter(|v| !matches!(v, Data::Empty)).cloned() else {
            continue;
        };
        for f in ra.max(f0)..=rb.min(f1) {
            let fila_con_datos = (c0..=c1).any(|c| !matches!(rango.get_value((f, c)), Some(Data::Empty) | None));
            if !fila_con_datos {
                continue;
            }
            for c in ca.max(c0)..=cb.min(c1) {
                if presupuesto == 0 {
                    return;
                }
                presupuesto -= 1;
                if matches!(rango.get_value((f, c)), Some(Data::Empty)) {
                    rango.set_value((f, c), valor.clone());
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// CSV.

/// CSV records with the row number each has when the file is opened in a spreadsheet.
pub(crate) struct HojaCsv {
    registros: Vec<csv::StringRecord>,
    numeros: Vec<usize>,
}

impl Hoja for HojaCsv {
    fn filas(&self) -> usize {
        self.registros.len()
    }
    fn celdas(&self, fila: usize) -> Box<dyn Iterator<Item = (usize, Celda<'_>)> + '_> {
        Box::new(
            self.registros[fila]
                .iter()
                .map(Celda::de_texto)
                .enumerate()
                .filter(|(_, v)| !v.es_vacia()),
        )
    }
    fn celda(&self, fila: usize, col: usize) -> Celda<'_> {
        self.registros[fila].get(col).map_or(Celda::Vacia, Celda::de_texto)
    }
    fn numero_fila(&self, fila: usize) -> usize {
        self.numeros[fila]
    }
    fn letra(&self, col: usize) -> String {
        letra_columna(col)
    }
}

/// The text of a CSV: UTF-8 (a BOM is dropped), UTF-16 with BOM (Excel's "Texto Unicode"), or
/// else Latin-1 (read as Windows-1252, its superset, which is what Excel writes in Spanish).
pub(crate) fn decodificar(bytes: &[u8]) -> Cow<'_, str> {
    if let Some((codificacion, largo_bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return codificacion.decode_without_bom_handling(&bytes[largo_bom..]).0;
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0,
    }
}

/// Reads up to `limite` records of a CSV text with a delimiter.
pub(crate) fn leer_csv(texto: &str, delimitador: u8, limite: usize) -> HojaCsv {
    let mut lector = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimitador)
        .from_reader(texto.as_bytes());
    let bytes = texto.as_bytes();
    let mut registros = Vec::new();
    let mut numeros = Vec::new();
    // Where the last record started and its line, to count lines incrementally.
    let (mut cursor, mut linea) = (0usize, 1usize);
    // Line breaks inside quoted fields: a spreadsheet shows such a record in one row.
    let mut saltos_internos = 0usize;
    let mut registro = csv::StringRecord::new();
    while registros.len() < limite {
        match lector.read_record(&mut registro) {
            Ok(true) => {}
            // Our text is valid UTF-8 and the reader is flexible: an error here means no more
            // usable records.
            Ok(false) | Err(_) => break,
        }
        // The reader gives the offset where it started looking, before the line ends and blank
        // lines it skips; the record starts after them. (Its line count is not used: with CRLF
        // it lags one line.)
        let mut inicio = registro
            .position()
            .map_or(cursor, |p| p.byte() as usize)
            .clamp(cursor, bytes.len());
        while inicio < bytes.len() && matches!(bytes[inicio], b'\r' | b'\n') {
            inicio += 1;
        }
        linea += bytes[cursor..inicio].iter().filter(|&&b| b == b'\n').count();
        cursor = inicio;
        numeros.push(linea.saturating_sub(saltos_internos).max(1));
        saltos_internos += registro.as_slice().bytes().filter(|&b| b == b'\n').count();
        registros.push(std::mem::take(&mut registro));
    }
    HojaCsv { registros, numeros }
}

/// The delimiter of a CSV: the one among `;`, `,` and tab with which the header row is found; if
/// none finds it, the most frequent in the first non-empty line.
pub(crate) fn delimitador(texto: &str, buscado: &Buscado<'_>) -> u8 {
    const CANDIDATOS: [u8; 3] = [b';', b',', b'\t'];
    for d in CANDIDATOS {
        let muestra = leer_csv(texto, d, FILAS_BUSQUEDA_ENCABEZADO);
        if buscar_encabezado(&muestra, buscado, &mut None).is_some() {
            return d;
        }
    }
    let primera = texto.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    CANDIDATOS
        .into_iter()
        .min_by_key(|&d| std::cmp::Reverse(primera.bytes().filter(|&b| b == d).count()))
        .unwrap_or(b';')
}
