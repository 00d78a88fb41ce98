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

/// One invoice's RIPS JSON (Res. 2275/2023) from prestador `nit`: one user with one procedure
/// per value of `valores` (pesos, as JSON numbers).
pub fn rips_json(nit: &str, factura: &str, valores: &[&str]) -> String {
    let procedimientos: Vec<String> = valores
        .iter()
        .enumerate()
        .map(|(i, v)| {
            format!(
                r#"{{"codPrestador": "110010000101", "fechaInicioAtencion": "2026-10-0{} 08:30", "numAutorizacion": null, "codProcedimiento": "89020{i}", "codDiagnosticoPrincipal": "J069", "vrServicio": {v}, "consecutivo": {}}}"#,
                i % 9 + 1,
                i + 1
            )
        })
        .collect();
    format!(
        r#"{{"numDocumentoIdObligado": "{nit}", "numFactura": "{factura}", "tipoNota": null, "numNota": null,
  "usuarios": [{{"tipoDocumentoIdentificacion": "CC", "numDocumentoIdentificacion": "1000000001", "consecutivo": 1,
    "servicios": {{"procedimientos": [{}]}}}}]}}"#,
        procedimientos.join(", ")
    )
}

/// A flat RIPS delivery (Res. 3374/2000) numbered `remision`: AF with each invoice
/// `(número, valor)` of `facturas`, US with the one patient, and AP with one procedure
/// `codigo` per invoice worth its value.
pub fn rips_planos(nit: &str, remision: u32, facturas: &[(&str, &str)], codigo: &str) -> Vec<(String, Vec<u8>)> {
    let af: String = facturas
        .iter()
        .map(|(n, v)| {
            format!("110010000101,IPS PRUEBA,NI,{nit},{n},01/10/2026,01/10/2026,31/10/2026,EPS001,EPS PRUEBA,,,,0,0,0,{v}\r\n")
        })
        .collect();
    let ap: String = facturas
        .iter()
        .map(|(n, v)| format!("{n},110010000101,CC,1000000001,02/10/2026,,{codigo},1,1,,J069,,,,{v}\r\n"))
        .collect();
    vec![
        (format!("AF{remision:06}.txt"), af.into_bytes()),
        (
            "US000001.txt".to_string(),
            b"CC,1000000001,EPS001,1,PEREZ,GOMEZ,ANA,,34,1,F,11,001,U\r\n".to_vec(),
        ),
        (format!("AP{remision:06}.txt"), ap.into_bytes()),
    ]
}
