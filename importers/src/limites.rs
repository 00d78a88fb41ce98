//! What a file may make the server hold, checked before it is parsed.
//!
//! A parser's memory follows what the file *describes*, not its size: an 841-byte ODS whose
//! row says `table:number-rows-repeated="6000"` over a cell repeated 16,384 columns makes
//! calamine build 98 million cells (6 GB); an xlsx declaring `uniqueCount="20000000"` makes it
//! reserve room for 20 million strings before reading one; 18 MB of `<a/>` is 4.5 million tree
//! nodes. So before a parser sees a file, [`revisar`] walks it once with a streaming reader and
//! counters — holding a few kilobytes whatever the file says — and refuses it as soon as a
//! count passes its limit, naming the limit and its configured value.
//!
//! What is counted is what the parsers will materialise:
//! - ODS (`content.xml`, every table, since calamine reads them all on opening): the rows
//!   through the last row holding a value (with their `number-rows-repeated`, the empty ones
//!   between included), the columns through the last cell holding a value (with
//!   `number-columns-repeated`), and their product, the cells of the dense range calamine builds.
//! - XLSX: the cells with content of each sheet and the rows holding them (we read xlsx sparse,
//!   so the declared `<dimension>` costs nothing and a stray value in `XFD1048576` is fine; the
//!   cells are what is held), the cells of one row, and the shared strings (`uniqueCount`, which
//!   calamine reserves at once, and the `<si>` really there). Every part of the package is held
//!   to the sizes of a zip entry ([`LimitesArchivo`]): they are expanded by calamine itself.
//! - XLS: the cells of the range each sheet's DIMENSIONS record declares (calamine reserves it).
//! - XML (DIAN): elements and nesting depth, the embedded document of an AttachedDocument
//!   included (its start tags inside CDATA or escaped text are counted too).

use std::io::{BufReader, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::archivo::{ErrorArchivo, LimitesArchivo};
use crate::error::{ImportError, Ubicacion};

/// Refuses `bytes` (a file called `nombre`) if reading it would go past a limit. Files whose
/// kind has no such limit (CSV, JSON, flat text: bounded by their size) and files too damaged to
/// walk pass: their parser says what is wrong with them.
pub fn revisar(nombre: &str, bytes: &[u8], l: &LimitesArchivo) -> Result<(), ErrorArchivo> {
    const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    if bytes.starts_with(b"PK\x03\x04") {
        return revisar_paquete(nombre, bytes, l);
    }
    if bytes.starts_with(OLE) {
        let celdas = crate::sheets::xls_celdas_declaradas(bytes);
        if celdas > l.max_celdas {
            return Err(excedido(
                nombre,
                format!(
                    "una hoja declara {celdas} celdas; el máximo es {} (importaciones.max_celdas)",
                    l.max_celdas
                ),
            ));
        }
        return Ok(());
    }
    if parece_xml(bytes) {
        return revisar_xml(nombre, bytes, l);
    }
    Ok(())
}

fn excedido(nombre: &str, mensaje: String) -> ErrorArchivo {
    ErrorArchivo::Limite(ImportError::new(nombre, Ubicacion::Archivo, None, mensaje))
}

/// XML after an optional BOM and blanks (UTF-16 XML is not walked: the DIAN parser bounds it).
fn parece_xml(bytes: &[u8]) -> bool {
    let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    b.iter().find(|c| !c.is_ascii_whitespace()) == Some(&b'<')
}

// ---------------------------------------------------------------------------------------------
// XML.

fn revisar_xml(nombre: &str, bytes: &[u8], l: &LimitesArchivo) -> Result<(), ErrorArchivo> {
    let mut r = Reader::from_reader(bytes);
    r.config_mut().check_end_names = false;
    let mut buf = Vec::new();
    let (mut elementos, mut profundidad) = (0u64, 0usize);
    let demasiados = || {
        excedido(
            nombre,
            format!(
                "el XML tiene más de {0} elementos; el máximo es {0} (importaciones.max_elementos_xml)",
                l.max_elementos_xml
            ),
        )
    };
    // quick-xml gives `&lt;` as a reference of its own: whether it opens a tag is seen in the
    // text after it.
    let mut tras_lt = false;
    loop {
        let evento = r.read_event_into(&mut buf);
        if std::mem::take(&mut tras_lt) {
            let cierra = matches!(&evento, Ok(Event::Text(t)) if t.starts_with(['/', '!', '?']));
            if !cierra {
                elementos += 1;
            }
        }
        match evento {
            Ok(Event::GeneralRef(r)) if &*r == "lt" => tras_lt = true,
            Ok(Event::Start(_)) => {
                elementos += 1;
                profundidad += 1;
                if profundidad > l.max_profundidad_xml {
                    return Err(excedido(
                        nombre,
                        format!(
                            "el XML anida más de {0} elementos; el máximo es {0} (importaciones.max_profundidad_xml)",
                            l.max_profundidad_xml
                        ),
                    ));
                }
            }
            Ok(Event::Empty(_)) => elementos += 1,
            Ok(Event::End(_)) => profundidad = profundidad.saturating_sub(1),
            // The invoice inside an AttachedDocument is parsed as a second tree.
            Ok(Event::CData(t)) => elementos += etiquetas_de_inicio(t.as_bytes(), b"<"),
            Ok(Event::Eof) => return Ok(()),
            // Damaged: the parser will say where; it stops there too.
            Err(_) => return Ok(()),
            Ok(_) => {}
        }
        if elementos > l.max_elementos_xml {
            return Err(demasiados());
        }
        buf.clear();
    }
}

/// Start tags in a text (`<x`, not `</`, `<!` or `<?`).
fn etiquetas_de_inicio(texto: &[u8], abre: &[u8]) -> u64 {
    let mut n = 0;
    let mut i = 0;
    while let Some(p) = texto[i..].windows(abre.len()).position(|w| w == abre) {
        let siguiente = i + p + abre.len();
        if texto.get(siguiente).is_some_and(|c| !matches!(c, b'/' | b'!' | b'?')) {
            n += 1;
        }
        i = siguiente;
    }
    n
}

// ---------------------------------------------------------------------------------------------
// Zip packages (xlsx, xlsb, ods).

/// A zip entry read with its real size counted: refused past `max` bytes whatever it declares.
struct Tope<R> {
    interno: R,
    leidos: u64,
    max: u64,
}

impl<R: Read> Read for Tope<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.interno.read(buf)?;
        self.leidos += n as u64;
        if self.leidos > self.max {
            return Err(std::io::Error::other("tope"));
        }
        Ok(n)
    }
}

/// Below this, a part's compression ratio is not looked at: only large parts make a bomb, and a
/// small sheet of identical cells compresses a lot.
const SIN_RAZON_HASTA: u64 = 1 << 20;

fn revisar_paquete(nombre: &str, bytes: &[u8], l: &LimitesArchivo) -> Result<(), ErrorArchivo> {
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return Ok(());
    };
    if zip.len() > l.max_entradas {
        return Err(excedido(
            nombre,
            format!(
                "el archivo contiene {} partes; el máximo es {} (importaciones.zip_max_archivos)",
                zip.len(),
                l.max_entradas
            ),
        ));
    }
    let mut partes = Vec::with_capacity(zip.len());
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let Ok(e) = zip.by_index_raw(i) else { return Ok(()) };
        let parte = e.name().unwrap_or_default().to_string();
        let (tamano, comprimido) = (e.size(), e.compressed_size().max(1));
        if tamano > l.max_bytes_entrada {
            return Err(excedido(
                nombre,
                format!(
                    "la parte «{parte}» se expande a {tamano} bytes; el máximo es {} (importaciones.zip_max_bytes_archivo)",
                    l.max_bytes_entrada
                ),
            ));
        }
        if tamano > SIN_RAZON_HASTA && tamano / comprimido > l.max_razon {
            return Err(excedido(
                nombre,
                format!(
                    "la parte «{parte}» se expande {} veces su tamaño comprimido; el máximo es {} \
                     (importaciones.zip_max_razon): parece una bomba zip",
                    tamano / comprimido,
                    l.max_razon
                ),
            ));
        }
        total = total.saturating_add(tamano);
        if total > l.max_bytes_total {
            return Err(excedido(
                nombre,
                format!(
                    "su contenido se expande a más de {} bytes (importaciones.zip_max_bytes)",
                    l.max_bytes_total
                ),
            ));
        }
        partes.push(parte);
    }
    for (i, parte) in partes.iter().enumerate() {
        let clase = if parte == "content.xml" {
            Parte::Ods
        } else if parte.ends_with("sharedStrings.xml") {
            Parte::Cadenas
        } else if parte.starts_with("xl/worksheets/") && parte.ends_with(".xml") {
            Parte::HojaXlsx
        } else if parte.ends_with(".xml") || parte.ends_with(".rels") {
            Parte::Otra
        } else {
            continue;
        };
        let Ok(entrada) = zip.by_index(i) else { return Ok(()) };
        let mut r = Reader::from_reader(BufReader::new(Tope {
            interno: entrada,
            leidos: 0,
            max: l.max_bytes_entrada,
        }));
        // As calamine reads them.
        r.config_mut().check_end_names = false;
        r.config_mut().check_comments = false;
        let resultado = match clase {
            Parte::Ods => contar_ods(&mut r, nombre, l),
            Parte::Cadenas => contar_cadenas(&mut r, nombre, l),
            Parte::HojaXlsx => contar_hoja_xlsx(&mut r, nombre, parte, l),
            Parte::Otra => contar_elementos(&mut r, nombre, parte, l),
        };
        if r.get_ref().get_ref().leidos > l.max_bytes_entrada {
            return Err(excedido(
                nombre,
                format!(
                    "la parte «{parte}» se expande a más de {} bytes (importaciones.zip_max_bytes_archivo), más de lo que declara",
                    l.max_bytes_entrada
                ),
            ));
        }
        resultado?;
    }
    Ok(())
}

enum Parte {
    Ods,
    Cadenas,
    HojaXlsx,
    Otra,
}

type Lector<'a, R> = Reader<BufReader<Tope<R>>>;

/// A numeric attribute (`table:number-rows-repeated`), 1 when absent or unreadable (calamine
/// refuses an unreadable one).
fn repeticiones(e: &BytesStart<'_>, atributo: &str) -> u64 {
    e.try_get_attribute(atributo)
        .ok()
        .flatten()
        .and_then(|a| a.value.trim().parse::<u64>().ok())
        .unwrap_or(1)
}

fn tiene(e: &BytesStart<'_>, atributo: &str) -> bool {
    e.try_get_attribute(atributo).ok().flatten().is_some()
}

/// The cells calamine will build of an ODS, table by table (see the module's note).
fn contar_ods<R: Read>(r: &mut Lector<'_, R>, nombre: &str, l: &LimitesArchivo) -> Result<(), ErrorArchivo> {
    let mut buf = Vec::new();
    // Cells of the tables already closed.
    let mut previas: u64 = 0;
    // The table being read: rows so far, rows through the last one with a value, widest.
    let (mut filas, mut alto, mut ancho) = (0u64, 0u64, 0u64);
    // The row being read: its repetition, columns so far, columns through the last value.
    let (mut repite_fila, mut columna, mut hasta) = (1u64, 0u64, 0u64);
    // A cell open: its repetition, and whether it holds something yet.
    let mut celda: Option<(u64, bool)> = None;
    let comprobar = |alto: u64, ancho: u64, previas: u64| -> Result<(), ErrorArchivo> {
        if alto > l.max_filas {
            return Err(excedido(
                nombre,
                format!(
                    "una hoja tiene {alto} filas contando las repetidas (table:number-rows-repeated); el máximo es {} (importaciones.max_filas)",
                    l.max_filas
                ),
            ));
        }
        if ancho > l.max_columnas {
            return Err(excedido(
                nombre,
                format!(
                    "una hoja tiene {ancho} columnas contando las repetidas (table:number-columns-repeated); el máximo es {} (importaciones.max_columnas)",
                    l.max_columnas
                ),
            ));
        }
        let celdas = previas.saturating_add(alto.saturating_mul(ancho));
        if celdas > l.max_celdas {
            return Err(excedido(
                nombre,
                format!(
                    "el libro tiene {celdas} celdas contando filas y columnas repetidas; el máximo es {} (importaciones.max_celdas)",
                    l.max_celdas
                ),
            ));
        }
        Ok(())
    };
    loop {
        let evento = match r.read_event_into(&mut buf) {
            Ok(Event::Eof) | Err(_) => return Ok(()),
            Ok(e) => e,
        };
        // An Empty event has no End: a cell written so ends where it starts.
        let vacio = matches!(evento, Event::Empty(_));
        match evento {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "table:table" => {
                (filas, alto, ancho) = (0, 0, 0);
            }
            Event::End(e) if e.name().as_ref() == "table:table" => {
                previas = previas.saturating_add(alto.saturating_mul(ancho));
                (filas, alto, ancho) = (0, 0, 0);
            }
            Event::Start(e) if e.name().as_ref() == "table:table-row" => {
                repite_fila = repeticiones(&e, "table:number-rows-repeated");
                (columna, hasta) = (0, 0);
            }
            Event::Empty(e) if e.name().as_ref() == "table:table-row" => {
                filas = filas.saturating_add(repeticiones(&e, "table:number-rows-repeated"));
            }
            Event::End(e) if e.name().as_ref() == "table:table-row" => {
                filas = filas.saturating_add(repite_fila);
                if hasta > 0 {
                    alto = filas;
                    ancho = ancho.max(hasta);
                    comprobar(alto, ancho, previas)?;
                }
            }
            Event::Start(e) | Event::Empty(e)
                if matches!(e.name().as_ref(), "table:table-cell" | "table:covered-table-cell") =>
            {
                let repite = repeticiones(&e, "table:number-columns-repeated");
                let con_valor = tiene(&e, "office:value-type") || tiene(&e, "table:formula");
                if vacio {
                    columna = columna.saturating_add(repite);
                    if con_valor {
                        hasta = columna;
                    }
                } else {
                    celda = Some((repite, con_valor));
                }
            }
            Event::Text(t) if celda.is_some() && t.chars().any(|c| !c.is_whitespace()) => {
                if let Some((_, con_valor)) = celda.as_mut() {
                    *con_valor = true;
                }
            }
            Event::End(e) if matches!(e.name().as_ref(), "table:table-cell" | "table:covered-table-cell") => {
                if let Some((repite, con_valor)) = celda.take() {
                    columna = columna.saturating_add(repite);
                    if con_valor {
                        hasta = columna;
                    }
                }
                // A row's own cells are held before its repetition is applied.
                if hasta > l.max_columnas {
                    comprobar(0, hasta, previas)?;
                }
            }
            _ => {}
        }
        buf.clear();
    }
}

/// The shared strings of an xlsx: the declared `uniqueCount` (reserved at once by calamine) and
/// the `<si>` really there.
fn contar_cadenas<R: Read>(r: &mut Lector<'_, R>, nombre: &str, l: &LimitesArchivo) -> Result<(), ErrorArchivo> {
    let mut buf = Vec::new();
    let mut cadenas: u64 = 0;
    let demasiadas = |n: u64, como: &str| {
        excedido(
            nombre,
            format!(
                "el libro {como} {n} textos compartidos (xl/sharedStrings.xml); el máximo es {} (importaciones.max_textos_compartidos)",
                l.max_cadenas
            ),
        )
    };
    loop {
        match r.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if e.local_name().as_ref() == "sst" => {
                for atributo in ["uniqueCount", "count"] {
                    let declaradas = repeticiones(&e, atributo);
                    if declaradas > l.max_cadenas {
                        return Err(demasiadas(declaradas, "declara"));
                    }
                }
            }
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "si" => {
                cadenas += 1;
                if cadenas > l.max_cadenas {
                    return Err(demasiadas(cadenas, "tiene más de"));
                }
            }
            Ok(Event::Eof) | Err(_) => return Ok(()),
            _ => {}
        }
        buf.clear();
    }
}

/// The cells with content of an xlsx sheet, the rows holding them and the cells of one row.
fn contar_hoja_xlsx<R: Read>(
    r: &mut Lector<'_, R>,
    nombre: &str,
    parte: &str,
    l: &LimitesArchivo,
) -> Result<(), ErrorArchivo> {
    let mut buf = Vec::new();
    let (mut celdas, mut filas, mut en_fila, mut combinadas) = (0u64, 0u64, 0u64, 0u64);
    let hoja = parte.trim_start_matches("xl/worksheets/").trim_end_matches(".xml");
    loop {
        match r.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if e.local_name().as_ref() == "row" => en_fila = 0,
            Ok(Event::End(e)) if e.local_name().as_ref() == "row" && en_fila > 0 => {
                filas += 1;
                if filas > l.max_filas {
                    return Err(excedido(
                        nombre,
                        format!(
                            "la hoja «{hoja}» tiene más de {0} filas con datos; el máximo es {0} (importaciones.max_filas)",
                            l.max_filas
                        ),
                    ));
                }
            }
            // `<c r="B2" s="1"/>` holds only a format: it is not kept.
            Ok(Event::Start(e)) if e.local_name().as_ref() == "c" => {
                celdas += 1;
                en_fila += 1;
                if en_fila > l.max_columnas {
                    return Err(excedido(
                        nombre,
                        format!(
                            "una fila de la hoja «{hoja}» tiene más de {0} celdas; el máximo es {0} (importaciones.max_columnas)",
                            l.max_columnas
                        ),
                    ));
                }
                if celdas > l.max_celdas {
                    return Err(excedido(
                        nombre,
                        format!(
                            "la hoja «{hoja}» tiene más de {0} celdas con datos; el máximo es {0} (importaciones.max_celdas)",
                            l.max_celdas
                        ),
                    ));
                }
            }
            // Merged regions are filled into the cells they cover, and each is kept.
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "mergeCell" => {
                combinadas += 1;
                if combinadas > l.max_celdas {
                    return Err(excedido(
                        nombre,
                        format!(
                            "la hoja «{hoja}» tiene más de {0} celdas combinadas; el máximo es {0} (importaciones.max_celdas)",
                            l.max_celdas
                        ),
                    ));
                }
            }
            Ok(Event::Eof) | Err(_) => return Ok(()),
            _ => {}
        }
        buf.clear();
    }
}

/// Any other part of a package (styles, workbook, relations): its elements.
fn contar_elementos<R: Read>(
    r: &mut Lector<'_, R>,
    nombre: &str,
    parte: &str,
    l: &LimitesArchivo,
) -> Result<(), ErrorArchivo> {
    let mut buf = Vec::new();
    let mut elementos: u64 = 0;
    loop {
        match r.read_event_into(&mut buf) {
            Ok(Event::Start(_) | Event::Empty(_)) => {
                elementos += 1;
                if elementos > l.max_elementos_xml {
                    return Err(excedido(
                        nombre,
                        format!(
                            "la parte «{parte}» tiene más de {0} elementos XML; el máximo es {0} (importaciones.max_elementos_xml)",
                            l.max_elementos_xml
                        ),
                    ));
                }
            }
            Ok(Event::Eof) | Err(_) => return Ok(()),
            _ => {}
        }
        buf.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn paquete(partes: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (i, (n, b)) in partes.iter().enumerate() {
            // The ODF `mimetype` goes first and stored.
            let metodo = if i == 0 && *n == "mimetype" {
                zip::CompressionMethod::Stored
            } else {
                zip::CompressionMethod::Deflated
            };
            w.start_file(*n, zip::write::SimpleFileOptions::default().compression_method(metodo))
                .unwrap();
            w.write_all(b).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn ods(tabla: &str) -> Vec<u8> {
        let contenido = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="Hoja1">{tabla}</table:table></office:spreadsheet></office:body></office:document-content>"#
        );
        paquete(&[
            ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
            ("content.xml", contenido.as_bytes()),
        ])
    }

    fn mensaje(r: Result<(), ErrorArchivo>) -> String {
        match r {
            Err(ErrorArchivo::Limite(e)) => e.to_string(),
            otro => panic!("se esperaba un límite: {otro:?}"),
        }
    }

    /// The issue's attack: one row repeated 6,000 times, one value repeated over 16,384 columns.
    #[test]
    fn an_ods_repeating_a_row_and_a_cell_is_refused_by_its_columns_before_calamine() {
        let b = ods(
            r#"<table:table-row table:number-rows-repeated="6000"><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"/></table:table-row>"#,
        );
        assert!(b.len() < 1200, "{}", b.len());
        let m = mensaje(revisar("glosas.ods", &b, &LimitesArchivo::default()));
        assert!(
            m.starts_with("glosas.ods: una hoja tiene 16384 columnas")
                && m.contains("el máximo es 1024 (importaciones.max_columnas)"),
            "{m}"
        );
        // Within the columns, the repeated rows are what is too much.
        let l = LimitesArchivo {
            max_columnas: 20_000,
            ..Default::default()
        };
        let m = mensaje(revisar("glosas.ods", &b, &l));
        assert!(
            m.contains("98304000 celdas") && m.contains("el máximo es 2000000 (importaciones.max_celdas)"),
            "{m}"
        );
        let l = LimitesArchivo {
            max_filas: 100,
            ..Default::default()
        };
        let b = ods(
            r#"<table:table-row table:number-rows-repeated="6000"><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>"#,
        );
        let m = mensaje(revisar("glosas.ods", &b, &l));
        assert!(
            m.contains("6000 filas") && m.contains("(importaciones.max_filas)"),
            "{m}"
        );
    }

    #[test]
    fn empty_repeated_rows_and_columns_after_the_data_cost_nothing_and_pass() {
        // What LibreOffice writes after the last row of a formatted sheet.
        let b = ods(
            r#"<table:table-row><table:table-cell office:value-type="string"><text:p>Factura</text:p></table:table-cell><table:table-cell table:number-columns-repeated="16383"/></table:table-row><table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#,
        );
        assert_eq!(revisar("glosas.ods", &b, &LimitesArchivo::default()), Ok(()));
        let real = include_bytes!("../tests/fixtures/sheets/glosas.ods");
        assert_eq!(revisar("glosas.ods", real, &LimitesArchivo::default()), Ok(()));
    }

    fn xlsx(hoja: &str, cadenas: Option<&str>) -> Vec<u8> {
        let mut partes: Vec<(&str, &[u8])> = vec![("xl/worksheets/sheet1.xml", hoja.as_bytes())];
        if let Some(c) = cadenas {
            partes.push(("xl/sharedStrings.xml", c.as_bytes()));
        }
        paquete(&partes)
    }

    #[test]
    fn an_xlsx_with_too_many_cells_rows_or_strings_is_refused() {
        let fila = "<row><c><v>1</v></c><c><v>2</v></c><c r=\"C1\" s=\"1\"/></row>";
        let hoja = format!("<worksheet><sheetData>{}</sheetData></worksheet>", fila.repeat(50));
        let l = LimitesArchivo {
            max_celdas: 99,
            ..Default::default()
        };
        let m = mensaje(revisar("g.xlsx", &xlsx(&hoja, None), &l));
        assert!(
            m.contains("la hoja «sheet1» tiene más de 99 celdas con datos; el máximo es 99 (importaciones.max_celdas)"),
            "{m}"
        );
        // The format-only cells are not counted: 100 cells are within 100.
        let l = LimitesArchivo {
            max_celdas: 100,
            ..Default::default()
        };
        assert_eq!(revisar("g.xlsx", &xlsx(&hoja, None), &l), Ok(()));
        let l = LimitesArchivo {
            max_filas: 49,
            ..Default::default()
        };
        assert!(mensaje(revisar("g.xlsx", &xlsx(&hoja, None), &l)).contains("más de 49 filas con datos"));
        let l = LimitesArchivo {
            max_columnas: 1,
            ..Default::default()
        };
        assert!(mensaje(revisar("g.xlsx", &xlsx(&hoja, None), &l))
            .contains("tiene más de 1 celdas; el máximo es 1 (importaciones.max_columnas)"));

        // Shared strings: declared (calamine reserves them at once) or really there.
        let declaradas = r#"<sst xmlns="x" count="20000000" uniqueCount="20000000"><si><t>a</t></si></sst>"#;
        let m = mensaje(revisar(
            "g.xlsx",
            &xlsx("<worksheet/>", Some(declaradas)),
            &LimitesArchivo::default(),
        ));
        assert!(
            m.contains("declara 20000000 textos compartidos")
                && m.contains("el máximo es 1000000 (importaciones.max_textos_compartidos)"),
            "{m}"
        );
        let presentes = format!("<sst>{}</sst>", "<si><t>a</t></si>".repeat(11));
        let l = LimitesArchivo {
            max_cadenas: 10,
            ..Default::default()
        };
        let m = mensaje(revisar("g.xlsx", &xlsx("<worksheet/>", Some(&presentes)), &l));
        assert!(m.contains("tiene más de 11 textos compartidos"), "{m}");
    }

    #[test]
    fn a_part_expanding_beyond_an_entry_is_refused_by_its_size() {
        let hoja = format!("<worksheet><sheetData>{}</sheetData></worksheet>", " ".repeat(3 << 20));
        let l = LimitesArchivo {
            max_bytes_entrada: 1 << 20,
            max_razon: 1_000_000,
            ..Default::default()
        };
        let m = mensaje(revisar("g.xlsx", &xlsx(&hoja, None), &l));
        assert!(
            m.contains("la parte «xl/worksheets/sheet1.xml» se expande a")
                && m.contains("(importaciones.zip_max_bytes_archivo)"),
            "{m}"
        );
        let m = mensaje(revisar("g.xlsx", &xlsx(&hoja, None), &LimitesArchivo::default()));
        assert!(
            m.contains("bomba zip") && m.contains("(importaciones.zip_max_razon)"),
            "{m}"
        );
    }

    #[test]
    fn an_xml_of_too_many_or_too_deep_elements_is_refused_and_a_real_invoice_passes() {
        let l = LimitesArchivo {
            max_elementos_xml: 1000,
            ..Default::default()
        };
        let plano = format!("<a>{}</a>", "<b/>".repeat(1000));
        let m = mensaje(revisar("f.xml", plano.as_bytes(), &l));
        assert!(
            m.starts_with(
                "f.xml: el XML tiene más de 1000 elementos; el máximo es 1000 (importaciones.max_elementos_xml)"
            ),
            "{m}"
        );
        // Inside an AttachedDocument, in CDATA or escaped.
        let cdata = format!("<a><d><![CDATA[<i>{}</i>]]></d></a>", "<b/>".repeat(1000));
        assert!(mensaje(revisar("f.xml", cdata.as_bytes(), &l)).contains("más de 1000 elementos"));
        let escapado = format!("<a><d>&lt;i&gt;{}&lt;/i&gt;</d></a>", "&lt;b/&gt;".repeat(1000));
        assert!(mensaje(revisar("f.xml", escapado.as_bytes(), &l)).contains("más de 1000 elementos"));
        let hondo = format!("{}{}", "<a>".repeat(65), "</a>".repeat(65));
        let m = mensaje(revisar("f.xml", hondo.as_bytes(), &LimitesArchivo::default()));
        assert!(
            m.contains("anida más de 64 elementos; el máximo es 64 (importaciones.max_profundidad_xml)"),
            "{m}"
        );
        for f in ["Generica.xml", "Servicios.xml", "CreditNote.xml"] {
            let b = std::fs::read(format!("../../shared/samples/dian-xml/{f}")).unwrap();
            assert_eq!(revisar(f, &b, &l), Ok(()), "{f}");
        }
    }

    #[test]
    fn an_xls_declaring_more_cells_than_allowed_is_refused() {
        let xls = include_bytes!("../tests/fixtures/sheets/pagos.xls");
        assert_eq!(revisar("p.xls", xls, &LimitesArchivo::default()), Ok(()));
        let l = LimitesArchivo {
            max_celdas: 2,
            ..Default::default()
        };
        let m = mensaje(revisar("p.xls", xls, &l));
        assert!(m.contains("el máximo es 2 (importaciones.max_celdas)"), "{m}");
    }
}
