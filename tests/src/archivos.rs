//! Files as payers and DIAN send them, and the workbooks Trazo answers with.

use std::io::Write;

/// The content type of an XLSX workbook.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A zip of `(name, bytes)` entries, deflated.
pub fn zip_de(entradas: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (nombre, bytes) in entradas {
        w.start_file(nombre.as_str(), opts).expect("zip entry");
        w.write_all(bytes).expect("zip entry");
    }
    w.finish().expect("zip").into_inner()
}

/// A payer's sheet: a title on row 1, a blank row 2, then `filas` from row 3 (header first),
/// every cell as text.
pub fn hoja_de_pagador(titulo: &str, filas: &[Vec<&str>]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, titulo).expect("title");
    for (r, fila) in filas.iter().enumerate() {
        for (c, v) in fila.iter().enumerate() {
            ws.write_string(r as u32 + 2, c as u16, *v).expect("cell");
        }
    }
    wb.save_to_buffer().expect("xlsx")
}

/// The cells of the sheet `nombre` of a workbook, as text (numbers without trailing zeros).
pub fn hoja(xlsx: &[u8], nombre: &str) -> Vec<Vec<String>> {
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx.to_vec())).expect("an XLSX workbook");
    let r = wb
        .worksheet_range(nombre)
        .unwrap_or_else(|e| panic!("sheet {nombre}: {e}"));
    r.rows().map(|f| f.iter().map(|c| c.to_string()).collect()).collect()
}
