//! The uploads issue 15 built to take the server's memory, generated here (never committed):
//! a few bytes each that describe millions of cells, strings or elements. Used by the tests
//! that assert their refusal and by the measurement of the server's peak memory
//! (`limites::peak_rss_under_the_attacks`, see BENCHMARKS.md).

use std::io::Write;

type Escritor = zip::ZipWriter<std::io::Cursor<Vec<u8>>>;

fn paquete(partes: &mut dyn FnMut(&mut Escritor)) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    partes(&mut w);
    w.finish().expect("zip").into_inner()
}

fn opciones(metodo: zip::CompressionMethod) -> zip::write::SimpleFileOptions {
    // Large parts need the zip64 extension.
    zip::write::SimpleFileOptions::default()
        .compression_method(metodo)
        .large_file(true)
}

/// An ODS whose one row is repeated 6,000 times, with one value repeated over 16,384 columns:
/// 98 million cells for calamine, under 1 KB on the wire.
pub fn ods_repetida() -> Vec<u8> {
    ods_de(6_000, 16_384)
}

/// An ODS of `filas` rows repeated over a value repeated `columnas` columns: at the limits
/// (2,000 × 1,000 = 2,000,000 cells) it passes them, and calamine builds all of it.
pub fn ods_de(filas: u64, columnas: u64) -> Vec<u8> {
    let contenido = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Glosas"><table:table-row table:number-rows-repeated="{filas}"><table:table-cell table:number-columns-repeated="{columnas}" office:value-type="float" office:value="1"/></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    paquete(&mut |w| {
        w.start_file("mimetype", opciones(zip::CompressionMethod::Stored))
            .expect("zip");
        w.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .expect("zip");
        w.start_file("META-INF/manifest.xml", opciones(zip::CompressionMethod::Deflated))
            .expect("zip");
        w.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#)
            .expect("zip");
        w.start_file("content.xml", opciones(zip::CompressionMethod::Deflated))
            .expect("zip");
        w.write_all(contenido.as_bytes()).expect("zip");
    })
}

/// An xlsx of `filas` × `columnas` distinct numbers (so it compresses like a real sheet).
pub fn xlsx_de_numeros(filas: usize, columnas: usize) -> Vec<u8> {
    paquete(&mut |w| {
        libro(w);
        w.start_file("xl/worksheets/sheet1.xml", opciones(zip::CompressionMethod::Deflated))
            .expect("zip");
        w.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#)
            .expect("zip");
        let mut n: u64 = 7;
        for _ in 0..filas {
            let mut fila = String::from("<row>");
            for _ in 0..columnas {
                n = n.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                fila.push_str(&format!("<c><v>{}</v></c>", n >> 40));
            }
            fila.push_str("</row>");
            w.write_all(fila.as_bytes()).expect("zip");
        }
        w.write_all(b"</sheetData></worksheet>").expect("zip");
    })
}

/// The parts of a workbook around its sheet and shared strings.
fn libro(w: &mut Escritor) {
    let d = opciones(zip::CompressionMethod::Deflated);
    let partes: [(&str, &str); 4] = [
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#,
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Glosas" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#,
        ),
    ];
    for (n, t) in partes {
        w.start_file(n, d).expect("zip");
        w.write_all(t.as_bytes()).expect("zip");
    }
}

/// An xlsx whose sheet has `filas` rows of `columnas` numbers, written as it is compressed.
pub fn xlsx_de_celdas(filas: usize, columnas: usize) -> Vec<u8> {
    paquete(&mut |w| {
        libro(w);
        w.start_file("xl/worksheets/sheet1.xml", opciones(zip::CompressionMethod::Deflated))
            .expect("zip");
        w.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#)
            .expect("zip");
        let fila = format!("<row>{}</row>", "<c><v>1</v></c>".repeat(columnas));
        for _ in 0..filas {
            w.write_all(fila.as_bytes()).expect("zip");
        }
        w.write_all(b"</sheetData></worksheet>").expect("zip");
    })
}

/// The issue's xlsx of 10 million cells.
pub fn xlsx_diez_millones_de_celdas() -> Vec<u8> {
    xlsx_de_celdas(100_000, 100)
}

/// An xlsx with `n` empty shared strings, declared in `uniqueCount` too.
pub fn xlsx_de_textos(n: usize) -> Vec<u8> {
    paquete(&mut |w| {
        libro(w);
        w.start_file("xl/worksheets/sheet1.xml", opciones(zip::CompressionMethod::Deflated))
            .expect("zip");
        w.write_all(
            br#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>"#,
        )
        .expect("zip");
        w.start_file("xl/sharedStrings.xml", opciones(zip::CompressionMethod::Deflated))
            .expect("zip");
        write!(
            w,
            r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{n}" uniqueCount="{n}">"#
        )
        .expect("zip");
        let mil = "<si><t/></si>".repeat(1000);
        for _ in 0..n / 1000 {
            w.write_all(mil.as_bytes()).expect("zip");
        }
        w.write_all("<si><t/></si>".repeat(n % 1000).as_bytes()).expect("zip");
        w.write_all(b"</sst>").expect("zip");
    })
}

/// The issue's xlsx of 20 million shared strings.
pub fn xlsx_veinte_millones_de_textos() -> Vec<u8> {
    xlsx_de_textos(20_000_000)
}

/// An XML of `n` empty elements under one root.
pub fn xml_de_elementos(n: usize) -> Vec<u8> {
    let mut v = Vec::with_capacity(n * 4 + 16);
    v.extend_from_slice(b"<Invoice>");
    for _ in 0..n {
        v.extend_from_slice(b"<a/>");
    }
    v.extend_from_slice(b"</Invoice>");
    v
}

/// The issue's 18 MB XML of empty elements.
pub fn xml_de_18_mb() -> Vec<u8> {
    xml_de_elementos(18 * 1024 * 1024 / 4)
}

/// The peak resident memory of this process so far, in KiB (Linux: `VmHWM`).
pub fn pico_rss_kib() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    s.lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}
