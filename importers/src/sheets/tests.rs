use std::str::FromStr;
use std::time::Instant;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, Workbook, Worksheet};

use super::valores::{self, Celda};
use super::*;

const EJEMPLO_EPS: &str = include_str!("../../../config/payers/ejemplo-eps.toml");
const EJEMPLO_ADRES: &str = include_str!("../../../config/payers/ejemplo-adres-giro-directo.toml");
const CSV_LATIN1: &[u8] = include_bytes!("../../tests/fixtures/sheets/glosas-latin1.csv");
const ODS: &[u8] = include_bytes!("../../tests/fixtures/sheets/glosas.ods");
const XLS: &[u8] = include_bytes!("../../tests/fixtures/sheets/pagos.xls");

fn d(texto: &str) -> Decimal {
    Decimal::from_str(texto).unwrap()
}

fn f(a: i32, m: u32, dia: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(a, m, dia).unwrap()
}

fn eps() -> Perfil {
    Perfil::parse(EJEMPLO_EPS, "config/payers/ejemplo-eps.toml").unwrap()
}

/// A cell to write in a test workbook.
#[derive(Clone, Copy)]
enum C<'a> {
    S(&'a str),
    N(f64),
    /// A date cell (date number format).
    F(i32, u32, u32),
    V,
}

/// Writes rows from (fila, col) — 0-based — into a worksheet.
fn escribir(hoja: &mut Worksheet, fila: u32, col: u16, filas: &[&[C<'_>]]) {
    let fecha = Format::new().set_num_format("dd/mm/yyyy");
    for (i, celdas) in filas.iter().enumerate() {
        for (j, celda) in celdas.iter().enumerate() {
            let (r, c) = (fila + i as u32, col + j as u16);
            match *celda {
                C::S(s) => {
                    hoja.write_string(r, c, s).unwrap();
                }
                C::N(n) => {
                    hoja.write_number(r, c, n).unwrap();
                }
                C::F(a, m, dia) => {
                    hoja.write_date_with_format(r, c, f(a, m, dia), &fecha).unwrap();
                }
                C::V => {}
            }
        }
    }
}

/// An xlsx with one sheet holding `filas` from A1.
fn xlsx(filas: &[&[C<'_>]]) -> Vec<u8> {
    let mut libro = Workbook::new();
    escribir(libro.add_worksheet(), 0, 0, filas);
    libro.save_to_buffer().unwrap()
}

const ENCABEZADO_GENERICO: &[C<'static>] = &[
    C::S("numero_factura"),
    C::S("codigo"),
    C::S("valor"),
    C::S("fecha_formulacion"),
    C::S("fecha_recepcion"),
    C::S("item"),
    C::S("observacion"),
];

/// Test-only generator: an xlsx of `n` glosas with the generic headers, numbers and date cells
/// as a payer's system exports them.
pub(super) fn generar_glosas_xlsx(n: usize) -> Vec<u8> {
    let mut libro = Workbook::new();
    let hoja = libro.add_worksheet();
    let fecha = Format::new().set_num_format("dd/mm/yyyy");
    escribir(hoja, 0, 0, &[ENCABEZADO_GENERICO]);
    let codigos = ["FA0101", "TA0201", "SO0301", "AU0401", "CO0501", "CL0601", "223", "101"];
    let formulacion = f(2024, 3, 1);
    for i in 0..n {
        let r = 1 + i as u32;
        hoja.write_string(r, 0, format!("FE{}", 100_000 + i / 3)).unwrap();
        hoja.write_string(r, 1, codigos[i % codigos.len()]).unwrap();
        hoja.write_number(r, 2, 1000.0 + (i % 997) as f64 * 1234.5 + 0.25)
            .unwrap();
        hoja.write_date_with_format(r, 3, formulacion + chrono::Days::new((i % 60) as u64), &fecha)
            .unwrap();
        hoja.write_date_with_format(r, 4, formulacion + chrono::Days::new((i % 60) as u64 + 2), &fecha)
            .unwrap();
        hoja.write_number(r, 5, (i % 40 + 1) as f64).unwrap();
        hoja.write_string(r, 6, "Soportes incompletos: falta la epicrisis del servicio")
            .unwrap();
    }
    libro.save_to_buffer().unwrap()
}

fn mensajes(errores: &[ImportError]) -> Vec<String> {
    errores.iter().map(ToString::to_string).collect()
}

// ---------------------------------------------------------------------------------------------
// Profiles.

#[test]
fn generic_profile_headers_are_the_field_names() {
    let p = Perfil::generico();
    assert_eq!(p.nombre, "Genérico");
    assert_eq!(p.glosas.len(), 8);
    assert_eq!(p.pagos.len(), 7);
    for (campo, encabezados) in p.glosas.iter().chain(&p.pagos) {
        assert_eq!(encabezados, &vec![campo.clone()], "{campo}");
    }
}

#[test]
fn generic_profile_reads_a_complete_glosa_sheet() {
    let bytes = xlsx(&[
        ENCABEZADO_GENERICO,
        &[
            C::S(" fe 1001 "),
            C::S("fa0101"),
            C::N(150000.0),
            C::F(2024, 3, 5),
            C::F(2024, 3, 8),
            C::N(3.0),
            C::S(" Sin soporte "),
        ],
        &[
            C::N(10023.0),
            C::N(101.0),
            C::S("$1.234.567,00"),
            C::S("06/03/2024"),
            C::V,
            C::V,
            C::V,
        ],
    ]);
    let glosas = leer_glosas(&bytes, "glosas.xlsx", &Perfil::generico()).unwrap();
    assert_eq!(
        glosas,
        vec![
            FilaGlosa {
                fila: 2,
                numero_factura: "FE 1001".into(),
                codigo: "FA0101".into(),
                valor: d("150000"),
                fecha_formulacion: f(2024, 3, 5),
                fecha_recepcion: f(2024, 3, 8),
                item: Some(3),
                observacion: "Sin soporte".into(),
                hecho_nuevo: false,
            },
            FilaGlosa {
                fila: 3,
                numero_factura: "10023".into(),
                codigo: "101".into(),
                valor: d("1234567"),
                fecha_formulacion: f(2024, 3, 6),
                fecha_recepcion: f(2024, 3, 6),
                item: None,
                observacion: String::new(),
                hecho_nuevo: false,
            },
        ]
    );
}

#[test]
fn fecha_recepcion_defaults_to_fecha_formulacion_without_the_column() {
    let bytes = xlsx(&[
        &[
            C::S("Numero Factura"),
            C::S("CODIGO"),
            C::S("Valor"),
            C::S("Fecha Formulación"),
        ],
        &[C::S("FE1"), C::S("FA0101"), C::N(100.0), C::S("2024-03-05")],
    ]);
    let glosas = leer_glosas(&bytes, "g.xlsx", &Perfil::generico()).unwrap();
    assert_eq!(glosas[0].fecha_recepcion, f(2024, 3, 5));
    assert_eq!(glosas[0].item, None);
}

#[test]
fn example_payer_profile_maps_its_aliases() {
    let p = eps();
    assert_eq!(p.nombre, "EPS de ejemplo");
    // Headers as the EPS writes them: other case, accents, punctuation and spacing.
    let bytes = xlsx(&[
        &[
            C::S("NO. FACTURA"),
            C::S("Cód. Glosa"),
            C::S("Vr.  Glosa"),
            C::S("FECHA GLOSA"),
            C::S("Fecha notificacion"),
            C::S("OBSERVACIONES"),
        ],
        &[
            C::S("FEV-881"),
            C::S("TA0201"),
            C::S("1.500.000"),
            C::S("15/04/2024"),
            C::S("18/04/2024"),
            C::S("Tarifa superior a la pactada"),
        ],
    ]);
    let glosas = leer_glosas(&bytes, "eps.xlsx", &p).unwrap();
    assert_eq!(glosas.len(), 1);
    let g = &glosas[0];
    assert_eq!(
        (g.numero_factura.as_str(), g.codigo.as_str(), g.valor),
        ("FEV-881", "TA0201", d("1500000"))
    );
    assert_eq!(
        (g.fecha_formulacion, g.fecha_recepcion),
        (f(2024, 4, 15), f(2024, 4, 18))
    );
    assert_eq!(g.observacion, "Tarifa superior a la pactada");

    // The same profile reads this EPS's payments.
    let pagos = xlsx(&[
        &[
            C::S("Factura"),
            C::S("Valor Pagado"),
            C::S("Fecha de Pago"),
            C::S("No. Comprobante"),
        ],
        &[C::S("FEV-881"), C::N(98000.5), C::F(2024, 5, 2), C::S("CE-7781")],
    ]);
    let pagos = leer_pagos(&pagos, "pagos.xlsx", &p).unwrap();
    assert_eq!(
        pagos,
        vec![FilaPago {
            fila: 2,
            numero_factura: "FEV-881".into(),
            valor: d("98000.50"),
            fecha: f(2024, 5, 2),
            referencia: "CE-7781".into(),
            medio: None,
            nit_pagador: None,
            valor_pago: None,
        }]
    );
}

#[test]
fn a_profile_without_payments_refuses_to_read_payments() {
    let adres = Perfil::parse(EJEMPLO_ADRES, "ejemplo-adres-giro-directo.toml").unwrap();
    assert!(adres.glosas.is_empty());
    let csv = "NUM_FACTURA,VALOR_GIRADO,FECHA_GIRO,ID Giro\nFE10,\"1,234,567.89\",2024-05-02,778\n";
    let pagos = leer_pagos(csv.as_bytes(), "giro.csv", &adres).unwrap();
    assert_eq!((pagos[0].valor, pagos[0].referencia.as_str()), (d("1234567.89"), "778"));
    let errores = leer_glosas(csv.as_bytes(), "giro.csv", &adres).unwrap_err();
    assert_eq!(
        mensajes(&errores),
        ["giro.csv: el perfil «ADRES giro directo (ejemplo)» no define las columnas de glosas"]
    );
}

#[test]
fn profile_errors_name_the_file_and_the_key() {
    let e = Perfil::parse("nombre = \"X\"\n[glosas]\nnumero_factura = [\"Factura\"]\n", "x.toml").unwrap_err();
    assert_eq!(
        e.to_string(),
        "x.toml, glosas.codigo: falta la lista de encabezados del campo obligatorio codigo"
    );

    let e = Perfil::parse(
        "nombre = \"X\"\n[pagos]\nnumero_factura = \"F\"\nvalor = \"V\"\nfecha = \"D\"\nbanco = [\"B\"]\n",
        "x.toml",
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "x.toml, pagos.banco: campo desconocido «banco»; los campos de pagos son: numero_factura, valor, fecha, \
         referencia, medio, nit_pagador, valor_pago"
    );

    let e = Perfil::parse(
        "nombre = \"X\"\n[pagos]\nnumero_factura = [\"Factura\"]\nvalor = [3]\n",
        "x.toml",
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "x.toml, pagos.valor: se espera una lista de encabezados de texto"
    );

    let e = Perfil::parse(
        "nombre = \"X\"\n[pagos]\nnumero_factura = [\"Factura\"]\nvalor = [\"Valor\"]\nfecha = [\"Fecha\"]\nreferencia = [\"FACTURA\"]\n",
        "x.toml",
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "x.toml, pagos.referencia: el encabezado «FACTURA» ya está asignado a pagos.numero_factura; \
         cada encabezado debe identificar un solo campo"
    );

    let e = Perfil::parse("[glosas]\n", "x.toml").unwrap_err();
    assert_eq!(
        e.to_string(),
        "x.toml, nombre: falta el nombre del perfil (nombre = \"...\")"
    );

    let e = Perfil::parse("nombre = \"X\"\n\n[glosas\n", "x.toml").unwrap_err();
    assert_eq!(e.ubicacion, Ubicacion::Linea(3));
    assert!(e.mensaje.starts_with("el perfil no es TOML válido"), "{e}");

    // Every problem of a profile at once, for whoever edits it.
    let errores = Perfil::leer(
        "nombre = \"\"\nbancos = 1\n[glosas]\nnumero_factura = \"Factura\"\ncodigo = [2]\nvalor = \"Factura\"\n\
         [pagos]\nnumero_factura = \"F\"\nvalor = \"V\"\nfecha = \"D\"\nmedio = []\n",
        "x.toml",
    )
    .unwrap_err();
    let claves: Vec<Option<&str>> = errores.iter().map(|e| e.campo.as_deref()).collect();
    assert_eq!(
        claves,
        [
            Some("nombre"),
            Some("bancos"),
            Some("glosas.codigo"),
            Some("glosas.valor"),
            Some("glosas.fecha_formulacion"),
            Some("pagos.medio"),
        ],
        "{errores:?}"
    );

    let e = Perfil::parse("nombre = \"X\"\n", "x.toml").unwrap_err();
    assert_eq!(
        e.to_string(),
        "x.toml, glosas: el perfil no define columnas: se espera una sección [glosas], [pagos] o [estados_cuenta]"
    );
}

// ---------------------------------------------------------------------------------------------
// Layout.

#[test]
fn header_shifted_down_and_right_is_found() {
    let mut libro = Workbook::new();
    let hoja = libro.add_worksheet();
    hoja.write_string(0, 2, "EPS DE EJEMPLO S.A.").unwrap();
    hoja.write_string(1, 2, "Relación de glosas - marzo 2024").unwrap();
    hoja.write_string(2, 2, "NIT 900.000.000-1").unwrap();
    // Header at row 5, from column C; columns A and B empty.
    escribir(
        hoja,
        4,
        2,
        &[
            &[
                C::S("No."),
                C::S("No. Factura"),
                C::S("Código Glosa"),
                C::S("Valor Glosado"),
                C::S("Fecha Glosa"),
            ],
            &[C::N(1.0), C::S("FE500"), C::S("FA0101"), C::N(1000.0), C::F(2024, 3, 1)],
            &[C::N(2.0), C::S("FE501"), C::S("FA0102"), C::N(2000.0), C::F(2024, 3, 2)],
        ],
    );
    let bytes = libro.save_to_buffer().unwrap();
    let glosas = leer_glosas(&bytes, "g.xlsx", &eps()).unwrap();
    assert_eq!(
        glosas
            .iter()
            .map(|g| (g.fila, g.numero_factura.as_str()))
            .collect::<Vec<_>>(),
        [(6, "FE500"), (7, "FE501")]
    );

    // Errors name the cell as the spreadsheet shows it.
    let mut libro = Workbook::new();
    escribir(
        libro.add_worksheet(),
        4,
        2,
        &[
            &[
                C::S("No. Factura"),
                C::S("Código Glosa"),
                C::S("Valor Glosado"),
                C::S("Fecha Glosa"),
            ],
            &[C::S("FE500"), C::V, C::N(1000.0), C::F(2024, 3, 1)],
        ],
    );
    let errores = leer_glosas(&libro.save_to_buffer().unwrap(), "g.xlsx", &eps()).unwrap_err();
    assert_eq!(
        mensajes(&errores),
        ["g.xlsx, fila 6, codigo: falta el código de glosa (celda D6, columna «Código Glosa»)"]
    );
}

#[test]
fn header_is_found_on_a_later_sheet() {
    let mut libro = Workbook::new();
    escribir(
        libro.add_worksheet(),
        0,
        0,
        &[&[C::S("Resumen")], &[C::S("Total glosado"), C::N(5.0)]],
    );
    escribir(
        libro.add_worksheet(),
        0,
        0,
        &[
            ENCABEZADO_GENERICO,
            &[C::S("FE1"), C::S("FA0101"), C::N(5.0), C::S("01/02/2024")],
        ],
    );
    let glosas = leer_glosas(&libro.save_to_buffer().unwrap(), "g.xlsx", &Perfil::generico()).unwrap();
    assert_eq!(glosas.len(), 1);
}

#[test]
fn merged_cells_count_in_every_cell_they_cover() {
    let mut libro = Workbook::new();
    let hoja = libro.add_worksheet();
    let normal = Format::new();
    // A title merged over the width of the table.
    hoja.merge_range(0, 0, 0, 5, "RELACIÓN DE GLOSAS", &normal).unwrap();
    // Header: "Valor Glosado" merged over two columns (C:D); the value sits in C.
    escribir(hoja, 2, 0, &[&[C::S("No. Factura"), C::S("Código Glosa")]]);
    hoja.merge_range(2, 2, 2, 3, "Valor Glosado", &normal).unwrap();
    escribir(hoja, 2, 4, &[&[C::S("Fecha Glosa"), C::S("Observación")]]);
    // The invoice number merged down over the three rows of its glosas (A4:A6).
    hoja.merge_range(3, 0, 5, 0, "FE900", &normal).unwrap();
    escribir(
        hoja,
        3,
        1,
        &[
            &[C::S("FA0101"), C::N(100.0), C::V, C::F(2024, 6, 3), C::S("uno")],
            &[C::S("TA0201"), C::N(200.0), C::V, C::F(2024, 6, 3), C::S("dos")],
            &[C::S("SO0301"), C::N(300.0), C::V, C::F(2024, 6, 3), C::S("tres")],
        ],
    );
    // An observation merged over two rows with the next invoice.
    hoja.write_string(6, 0, "FE901").unwrap();
    escribir(hoja, 6, 1, &[&[C::S("FA0101"), C::N(50.0), C::V, C::F(2024, 6, 4)]]);
    hoja.merge_range(6, 5, 7, 5, "compartida", &normal).unwrap();
    hoja.write_string(7, 0, "FE902").unwrap();
    escribir(hoja, 7, 1, &[&[C::S("FA0101"), C::N(60.0), C::V, C::F(2024, 6, 4)]]);
    let glosas = leer_glosas(&libro.save_to_buffer().unwrap(), "g.xlsx", &eps()).unwrap();
    let vistas: Vec<(usize, &str, &str, Decimal, &str)> = glosas
        .iter()
        .map(|g| {
            (
                g.fila,
                g.numero_factura.as_str(),
                g.codigo.as_str(),
                g.valor,
                g.observacion.as_str(),
            )
        })
        .collect();
    assert_eq!(
        vistas,
        [
            (4, "FE900", "FA0101", d("100"), "uno"),
            (5, "FE900", "TA0201", d("200"), "dos"),
            (6, "FE900", "SO0301", d("300"), "tres"),
            (7, "FE901", "FA0101", d("50"), "compartida"),
            (8, "FE902", "FA0101", d("60"), "compartida"),
        ]
    );
}

#[test]
fn a_merge_over_an_otherwise_empty_row_does_not_make_a_glosa() {
    let mut libro = Workbook::new();
    let hoja = libro.add_worksheet();
    escribir(hoja, 0, 0, &[ENCABEZADO_GENERICO]);
    hoja.merge_range(1, 0, 3, 0, "FE1", &Format::new()).unwrap();
    escribir(
        hoja,
        1,
        1,
        &[
            &[C::S("FA0101"), C::N(1.0), C::S("01/03/2024")],
            &[C::S("FA0102"), C::N(2.0), C::S("01/03/2024")],
        ],
    );
    let glosas = leer_glosas(&libro.save_to_buffer().unwrap(), "g.xlsx", &Perfil::generico()).unwrap();
    assert_eq!(
        glosas
            .iter()
            .map(|g| (g.fila, g.numero_factura.as_str()))
            .collect::<Vec<_>>(),
        [(2, "FE1"), (3, "FE1")]
    );
}

#[test]
fn a_stray_value_in_the_last_cell_of_the_sheet_costs_nothing() {
    // A dense reading of this sheet would need 17 billion cells.
    let mut libro = Workbook::new();
    let hoja = libro.add_worksheet();
    escribir(
        hoja,
        0,
        0,
        &[
            ENCABEZADO_GENERICO,
            &[C::S("FE1"), C::S("FA0101"), C::N(1.0), C::S("01/03/2024")],
        ],
    );
    hoja.write_string(1_048_575, 16_383, "nota perdida").unwrap();
    hoja.write_string(0, 16_383, "otra").unwrap();
    let glosas = leer_glosas(&libro.save_to_buffer().unwrap(), "g.xlsx", &Perfil::generico()).unwrap();
    assert_eq!(glosas.len(), 1);
}

#[test]
fn empty_rows_subtotals_and_repeated_headers_are_skipped_and_total_ends_the_data() {
    let bytes = xlsx(&[
        &[
            C::S("numero_factura"),
            C::S("codigo"),
            C::S("valor"),
            C::S("fecha_formulacion"),
            C::S("observacion"),
        ],
        &[C::S("FE1"), C::S("FA0101"), C::N(10.0), C::S("01/03/2024")],
        &[],
        &[C::V, C::V, C::V, C::V, C::S("   ")],
        &[C::S("FE2"), C::S("FA0101"), C::N(20.0), C::S("01/03/2024")],
        &[C::S("Subtotal FE"), C::V, C::N(30.0)],
        &[
            C::S("NUMERO FACTURA"),
            C::S("CODIGO"),
            C::S("VALOR"),
            C::S("FECHA FORMULACION"),
        ],
        &[
            C::S("FE3"),
            C::S("FA0101"),
            C::N(30.0),
            C::S("01/03/2024"),
            C::S("Total de la factura glosada"),
        ],
        &[C::S("TOTAL GENERAL"), C::V, C::N(60.0)],
        &[C::S("Elaboró: auditor"), C::V, C::S("firma")],
    ]);
    let glosas = leer_glosas(&bytes, "g.xlsx", &Perfil::generico()).unwrap();
    assert_eq!(
        glosas
            .iter()
            .map(|g| (g.fila, g.numero_factura.as_str()))
            .collect::<Vec<_>>(),
        [(2, "FE1"), (5, "FE2"), (8, "FE3")]
    );

    // "TOTAL" in a column the profile does not map, with the invoice cell empty.
    let bytes = xlsx(&[
        &[
            C::S("Consecutivo"),
            C::S("numero_factura"),
            C::S("codigo"),
            C::S("valor"),
            C::S("fecha_formulacion"),
        ],
        &[C::N(1.0), C::S("FE1"), C::S("FA0101"), C::N(10.0), C::S("01/03/2024")],
        &[C::S("Totales"), C::V, C::V, C::N(10.0)],
        &[C::N(2.0), C::S("basura"), C::V, C::S("no es un valor")],
    ]);
    assert_eq!(leer_glosas(&bytes, "g.xlsx", &Perfil::generico()).unwrap().len(), 1);
}

#[test]
fn missing_header_lists_the_expected_columns_and_the_profile() {
    let bytes = xlsx(&[&[C::S("Factura"), C::S("Valor")], &[C::S("FE1"), C::N(10.0)]]);
    let errores = leer_glosas(&bytes, "glosas.xlsx", &Perfil::generico()).unwrap_err();
    assert_eq!(
        mensajes(&errores),
        [
            "glosas.xlsx: no se encontró la fila de encabezados de glosas en las primeras 30 filas: según el perfil \
          «Genérico» se esperan las columnas numero_factura («numero_factura»), codigo («codigo»), valor («valor»), \
          fecha_formulacion («fecha_formulacion»); la fila 1 tiene algunas, pero le faltan: numero_factura, codigo, \
          fecha_formulacion"
        ]
    );
    assert_eq!(errores[0].ubicacion, Ubicacion::Archivo);

    let errores = leer_pagos(b"nada que ver\n1;2;3\n", "pagos.csv", &eps()).unwrap_err();
    assert_eq!(
        mensajes(&errores),
        [
            "pagos.csv: no se encontró la fila de encabezados de pagos en las primeras 30 filas: según el perfil \
          «EPS de ejemplo» se esperan las columnas numero_factura («No. Factura» o «Número Factura» o «Nro. Factura» \
          o «Factura»), valor («Valor Pagado» o «Vr. Pago» o «Vlr. Pagado» o «Valor Girado» o «Valor Neto Pagado»), \
          fecha («Fecha Pago» o «Fecha de Pago» o «Fecha Giro» o «Fecha Transferencia»)"
        ]
    );

    // A header below row 30 is not looked for.
    let mut filas: Vec<&[C<'_>]> = vec![&[C::S("relleno")]; 30];
    filas.push(ENCABEZADO_GENERICO);
    let errores = leer_glosas(&xlsx(&filas), "g.xlsx", &Perfil::generico()).unwrap_err();
    assert!(
        errores[0].mensaje.starts_with("no se encontró la fila de encabezados"),
        "{:?}",
        errores
    );
}

// ---------------------------------------------------------------------------------------------
// Values.

#[test]
fn dates_in_every_accepted_form() {
    let bytes = xlsx(&[
        &[
            C::S("numero_factura"),
            C::S("codigo"),
            C::S("valor"),
            C::S("fecha_formulacion"),
        ],
        &[C::S("FE1"), C::S("A1"), C::N(1.0), C::F(2024, 2, 29)],
        &[C::S("FE2"), C::S("A1"), C::N(1.0), C::N(45351.0)],
        &[C::S("FE3"), C::S("A1"), C::N(1.0), C::S("29/02/2024")],
        &[C::S("FE4"), C::S("A1"), C::N(1.0), C::S("1/3/24")],
        &[C::S("FE5"), C::S("A1"), C::N(1.0), C::S("2024-03-02")],
        &[C::S("FE6"), C::S("A1"), C::N(1.0), C::S("03-03-2024")],
        &[C::S("FE7"), C::S("A1"), C::N(1.0), C::S("04/03/2024 00:00:00")],
        &[C::S("FE8"), C::S("A1"), C::N(1.0), C::N(45356.75)],
    ]);
    let glosas = leer_glosas(&bytes, "g.xlsx", &Perfil::generico()).unwrap();
    let fechas: Vec<NaiveDate> = glosas.iter().map(|g| g.fecha_formulacion).collect();
    assert_eq!(
        fechas,
        [
            f(2024, 2, 29),
            f(2024, 2, 29),
            f(2024, 2, 29),
            f(2024, 3, 1),
            f(2024, 3, 2),
            f(2024, 3, 3),
            f(2024, 3, 4),
            f(2024, 3, 5)
        ]
    );
}

#[test]
fn unparseable_dates_list_the_accepted_formats() {
    let bytes = xlsx(&[
        &[
            C::S("numero_factura"),
            C::S("codigo"),
            C::S("valor"),
            C::S("fecha_formulacion"),
            C::S("fecha_recepcion"),
        ],
        &[C::S("FE1"), C::S("A1"), C::N(1.0), C::S("31/02/2024"), C::S("marzo 5")],
        &[C::S("FE2"), C::S("A1"), C::N(1.0), C::N(-3.0)],
        &[C::S("FE3"), C::S("A1"), C::N(1.0), C::V],
    ]);
    let errores = leer_glosas(&bytes, "g.xlsx", &Perfil::generico()).unwrap_err();
    assert_eq!(
        mensajes(&errores),
        [
            "g.xlsx, fila 2, fecha_formulacion: «31/02/2024» no es una fecha válida; se aceptan dd/mm/aaaa, d/m/aa, \
             aaaa-mm-dd, dd-mm-aaaa o una celda de fecha de Excel (celda D2, columna «fecha_formulacion»)",
            "g.xlsx, fila 2, fecha_recepcion: «marzo 5» no es una fecha válida; se aceptan dd/mm/aaaa, d/m/aa, \
             aaaa-mm-dd, dd-mm-aaaa o una celda de fecha de Excel (celda E2, columna «fecha_recepcion»)",
            "g.xlsx, fila 3, fecha_formulacion: «-3» no es una fecha válida; se aceptan dd/mm/aaaa, d/m/aa, \
             aaaa-mm-dd, dd-mm-aaaa o una celda de fecha de Excel (celda D3, columna «fecha_formulacion»)",
            "g.xlsx, fila 4, fecha_formulacion: falta la fecha de formulación de la glosa \
             (celda D4, columna «fecha_formulacion»)",
        ]
    );
}

#[test]
fn amounts_in_every_accepted_form() {
    let textos = [
        ("1.234.567,89", "1234567.89"),
        ("1,234,567.89", "1234567.89"),
        ("$ 1.234.567", "1234567"),
        ("1234567", "1234567"),
        ("$1.234.567,00", "1234567"),
        ("1.234", "1234"),
        ("1,234", "1234"),
        ("1234,5", "1234.5"),
        ("1234.56", "1234.56"),
        ("0,50", "0.5"),
        (" COP 45.000 ", "45000"),
        ("1 234 567,89", "1234567.89"),
        ("0", "0"),
    ];
    for (texto, esperado) in textos {
        assert_eq!(valores::valor(Celda::Texto(texto)), Ok(d(esperado)), "{texto}");
    }
    let numeros = [
        (150000.0, "150000"),
        (1234.56, "1234.56"),
        (0.1 + 0.2, "0.3"),
        (1234.56 * 3.0, "3703.68"),
        (123456789012.35, "123456789012.35"),
        (0.005 * 2.0, "0.01"),
    ];
    for (n, esperado) in numeros {
        assert_eq!(valores::valor(Celda::Numero(n)), Ok(d(esperado)), "{n}");
    }
    // A formula result carrying binary noise is the amount it shows.
    assert_eq!(valores::valor_de_numero(1234.5600000000002), Ok(d("1234.56")));
}

#[test]
fn unparseable_amounts_are_errors_with_the_accepted_forms() {
    for texto in [
        "1.234.56",
        "12,34,567",
        "1.234,567",
        "1,234.567.89",
        "1234,567",
        "abc",
        "1.2345",
        "0.123",
        "$",
        "1,,234",
        "1.234,5,6",
    ] {
        assert!(valores::valor(Celda::Texto(texto)).is_err(), "{texto}");
    }
    let bytes = xlsx(&[
        &[
            C::S("numero_factura"),
            C::S("codigo"),
            C::S("valor"),
            C::S("fecha_formulacion"),
        ],
        &[C::S("FE1"), C::S("A1"), C::S("1.234,567"), C::S("01/03/2024")],
        &[C::S("FE2"), C::S("A1"), C::N(1234.567), C::S("01/03/2024")],
        &[C::S("FE3"), C::S("A1"), C::V, C::S("01/03/2024")],
    ]);
    let errores = leer_glosas(&bytes, "g.xlsx", &Perfil::generico()).unwrap_err();
    assert_eq!(
        mensajes(&errores),
        [
            "g.xlsx, fila 2, valor: «1.234,567» no es un valor en pesos válido; se aceptan 1.234.567,89, \
             1,234,567.89, $ 1.234.567 o 1234567 (celda C2, columna «valor»)",
            "g.xlsx, fila 3, valor: «1234.567» tiene más de dos decimales; se espera un valor en pesos con centavos \
             como máximo (celda C3, columna «valor»)",
            "g.xlsx, fila 4, valor: falta el valor (celda C4, columna «valor»)",
        ]
    );
}

#[test]
fn negative_amounts_are_refused() {
    let bytes = xlsx(&[
        &[C::S("numero_factura"), C::S("valor"), C::S("fecha")],
        &[C::S("FE1"), C::N(-1500.0), C::S("01/03/2024")],
        &[C::S("FE2"), C::S("-1.500,00"), C::S("01/03/2024")],
        &[C::S("FE3"), C::S("($ 2.000)"), C::S("01/03/2024")],
        &[C::S("FE4"), C::N(-0.0), C::S("01/03/2024")],
    ]);
    let errores = leer_pagos(&bytes, "pagos.xlsx", &Perfil::generico()).unwrap_err();
    assert_eq!(
        mensajes(&errores),
        [
            "pagos.xlsx, fila 2, valor: el valor no puede ser negativo: «-1500» (celda B2, columna «valor»)",
            "pagos.xlsx, fila 3, valor: el valor no puede ser negativo: «-1.500,00» (celda B3, columna «valor»)",
            "pagos.xlsx, fila 4, valor: el valor no puede ser negativo: «($ 2.000)» (celda B4, columna «valor»)",
        ]
    );
}

#[test]
fn invoice_numbers_and_codes_are_text() {
    let mut s = String::new();
    valores::identificador(Celda::Numero(10023.0), &mut s).unwrap();
    assert_eq!(s, "10023");
    valores::identificador(Celda::Texto("  fe-00123 "), &mut s).unwrap();
    assert_eq!(s, "FE-00123");
    valores::identificador(Celda::Texto("=\"00123\""), &mut s).unwrap();
    assert_eq!(s, "00123");
    valores::identificador(Celda::Texto("fáctura ñ"), &mut s).unwrap();
    assert_eq!(s, "FÁCTURA Ñ");
    assert_eq!(
        valores::identificador(Celda::Numero(10023.5), &mut s),
        Err("«10023.5» no es un identificador: se espera un número entero o un texto".to_string())
    );
}

#[test]
fn a_date_cell_where_an_amount_goes_is_shown_as_a_date() {
    let bytes = xlsx(&[
        &[C::S("numero_factura"), C::S("valor"), C::S("fecha"), C::S("referencia")],
        &[C::S("FE1"), C::F(2024, 3, 5), C::F(2024, 3, 5), C::F(2024, 3, 6)],
    ]);
    let errores = leer_pagos(&bytes, "p.xlsx", &Perfil::generico()).unwrap_err();
    assert_eq!(
        mensajes(&errores),
        [
            "p.xlsx, fila 2, valor: «05/03/2024» no es un valor en pesos; se aceptan 1.234.567,89, 1,234,567.89, \
             $ 1.234.567 o 1234567 (celda B2, columna «valor»)",
            "p.xlsx, fila 2, referencia: «06/03/2024» es una fecha: se espera un texto o un número \
             (celda D2, columna «referencia»)",
        ]
    );
}

#[test]
fn items_are_positive_whole_numbers() {
    assert_eq!(valores::item(Celda::Numero(3.0)), Ok(Some(3)));
    assert_eq!(valores::item(Celda::Texto(" 12 ")), Ok(Some(12)));
    assert_eq!(valores::item(Celda::Vacia), Ok(None));
    assert_eq!(
        valores::item(Celda::Numero(2.5)),
        Err("«2.5» no es un número de ítem: se espera un número entero positivo".to_string())
    );
    assert!(valores::item(Celda::Texto("0")).is_err());
}

#[test]
fn text_dates_unit() {
    assert_eq!(valores::fecha_de_texto("05/03/2024"), Some(f(2024, 3, 5)));
    assert_eq!(valores::fecha_de_texto("5/3/24"), Some(f(2024, 3, 5)));
    assert_eq!(valores::fecha_de_texto("2024-03-05T00:00:00"), Some(f(2024, 3, 5)));
    assert_eq!(valores::fecha_de_texto("05-03-2024"), Some(f(2024, 3, 5)));
    assert_eq!(valores::fecha_de_texto("05.03.2024"), Some(f(2024, 3, 5)));
    for malo in [
        "05/03",
        "05/03/202",
        "2024-3",
        "05/03-2024",
        "5//2024",
        "05/03/2024/1",
        "13/13/2024",
        "",
        "/",
        "2024-03-05-",
    ] {
        assert_eq!(valores::fecha_de_texto(malo), None, "{malo}");
    }
}

#[test]
fn duplicated_rows_name_the_first_one() {
    let bytes = xlsx(&[
        &[C::S("RELACIÓN DE GLOSAS")],
        &[],
        &[
            C::S("numero_factura"),
            C::S("codigo"),
            C::S("valor"),
            C::S("fecha_formulacion"),
            C::S("item"),
        ],
        &[C::S("FE1"), C::S("FA0101"), C::N(100.0), C::S("01/03/2024")],
        &[C::S("FE2"), C::S("FA0101"), C::N(100.0), C::S("01/03/2024")],
        &[C::S("FE3"), C::S("FA0101"), C::N(100.0), C::S("01/03/2024"), C::N(1.0)],
        &[C::S("FE4"), C::S("FA0101"), C::N(100.0), C::S("01/03/2024")],
        &[C::S("FE3"), C::S("FA0101"), C::N(100.0), C::S("01/03/2024"), C::N(2.0)],
        &[C::S("fe4 "), C::S("fa0101"), C::S("100,00"), C::F(2024, 3, 1)],
    ]);
    let errores = leer_glosas(&bytes, "g.xlsx", &Perfil::generico()).unwrap_err();
    assert_eq!(mensajes(&errores), ["g.xlsx, fila 9: la fila 9 repite la fila 7"]);
    assert_eq!(
        (errores[0].ubicacion.clone(), errores[0].campo.clone()),
        (Ubicacion::Fila(9), None)
    );

    let csv =
        "numero_factura;valor;fecha;referencia\nFE1;100;01/03/2024;T1\nFE1;100;01/03/2024;T2\nFE1;100;01/03/2024;T1\n";
    let errores = leer_pagos(csv.as_bytes(), "p.csv", &Perfil::generico()).unwrap_err();
    assert_eq!(mensajes(&errores), ["p.csv, fila 4: la fila 4 repite la fila 2"]);
}

#[test]
fn all_problems_are_collected_in_row_order() {
    let bytes = xlsx(&[
        &[
            C::S("numero_factura"),
            C::S("codigo"),
            C::S("valor"),
            C::S("fecha_formulacion"),
            C::S("item"),
        ],
        &[C::V, C::S("FA0101"), C::S("diez"), C::S("01/03/2024"), C::S("uno")],
        &[C::S("FE1"), C::S("FA0101"), C::N(1.0), C::S("01/03/2024")],
        &[C::S("FE1"), C::S("FA0101"), C::N(1.0), C::S("01/03/2024")],
    ]);
    let errores = leer_glosas(&bytes, "g.xlsx", &Perfil::generico()).unwrap_err();
    assert_eq!(
        mensajes(&errores),
        [
            "g.xlsx, fila 2, numero_factura: falta el número de factura (celda A2, columna «numero_factura»)",
            "g.xlsx, fila 2, valor: «diez» no es un valor en pesos válido; se aceptan 1.234.567,89, 1,234,567.89, \
             $ 1.234.567 o 1234567 (celda C2, columna «valor»)",
            "g.xlsx, fila 2, item: «uno» no es un número de ítem: se espera un número entero positivo \
             (celda E2, columna «item»)",
            "g.xlsx, fila 4: la fila 4 repite la fila 3",
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Every field of a glosa and a payment, and rows read in part.

#[test]
fn hecho_nuevo_is_read_as_yes_or_no_and_anything_else_is_named() {
    let bytes = xlsx(&[
        &[
            C::S("numero_factura"),
            C::S("codigo"),
            C::S("valor"),
            C::S("fecha_formulacion"),
            C::S("Hecho Nuevo"),
        ],
        &[C::S("FE1"), C::S("FA0101"), C::N(100.0), C::S("01/03/2024"), C::S("Sí")],
        &[C::S("FE2"), C::S("FA0101"), C::N(100.0), C::S("01/03/2024"), C::S("x")],
        &[C::S("FE3"), C::S("FA0101"), C::N(100.0), C::S("01/03/2024"), C::N(1.0)],
        &[C::S("FE4"), C::S("FA0101"), C::N(100.0), C::S("01/03/2024"), C::S("NO")],
        &[C::S("FE5"), C::S("FA0101"), C::N(100.0), C::S("01/03/2024"), C::V],
        &[
            C::S("FE6"),
            C::S("FA0101"),
            C::N(100.0),
            C::S("01/03/2024"),
            C::S("tal vez"),
        ],
    ]);
    let l = glosas(&bytes, "g.xlsx", &Perfil::generico());
    let si: Vec<(&str, bool)> = l
        .filas
        .iter()
        .map(|g| (g.numero_factura.as_str(), g.hecho_nuevo))
        .collect();
    assert_eq!(
        si,
        [
            ("FE1", true),
            ("FE2", true),
            ("FE3", true),
            ("FE4", false),
            ("FE5", false)
        ]
    );
    assert_eq!(
        mensajes(&l.errores),
        [
            "g.xlsx, fila 7, hecho_nuevo: «tal vez» no dice sí o no; se espera SI o NO (también S/N, X, 1/0, \
          VERDADERO/FALSO) o la celda vacía (no) (celda E7, columna «Hecho Nuevo»)"
        ]
    );
    // The row is not lost: its invoice and code can still be checked by the caller.
    assert_eq!(
        l.incompletas,
        [FilaIncompleta {
            fila: 7,
            numero_factura: Some("FE6".into()),
            codigo: Some("FA0101".into()),
            nit_pagador: None,
        }]
    );
}

#[test]
fn a_payment_row_carries_its_means_payer_and_whole_value() {
    let csv = "numero_factura;valor;fecha;referencia;medio;nit_pagador;valor_pago\n\
               FE1;100;01/03/2024;T1;Giro Directo;900.156.264-2;1.000\n\
               FE2;50;01/03/2024;T1;cheque;;\n\
               FE3;50;01/03/2024;T2;;;\n\
               FE4;50;01/03/2024;T3;bitcoin;;\n";
    let l = pagos(csv.as_bytes(), "p.csv", &Perfil::generico());
    type Leido<'a> = (&'a str, Option<&'a str>, Option<&'a str>, Option<Decimal>);
    let leidos: Vec<Leido<'_>> = l
        .filas
        .iter()
        .map(|p| {
            (
                p.numero_factura.as_str(),
                p.medio.as_deref(),
                p.nit_pagador.as_deref(),
                p.valor_pago,
            )
        })
        .collect();
    assert_eq!(
        leidos,
        [
            ("FE1", Some("giro_directo"), Some("900.156.264-2"), Some(d("1000"))),
            ("FE2", Some("cheque"), None, None),
            ("FE3", None, None, None),
        ]
    );
    assert_eq!(
        mensajes(&l.errores),
        [
            "p.csv, fila 5, medio: «bitcoin» no es un medio de pago conocido; se acepta transferencia, giro_directo, \
          cheque, consignacion, efectivo, compensacion (también escrito «giro directo», «transferencia \
          electrónica», «cruce de cuentas»...) (celda E5, columna «medio»)"
        ]
    );
    assert_eq!(l.incompletas[0].numero_factura.as_deref(), Some("FE4"));
}

#[test]
fn the_example_profile_maps_every_field() {
    let p = eps();
    let bytes = xlsx(&[
        &[
            C::S("No. Factura"),
            C::S("Código Glosa"),
            C::S("Valor Glosado"),
            C::S("Fecha Glosa"),
            C::S("Fecha Recepción"),
            C::S("Ítem"),
            C::S("Observación"),
            C::S("Glosa por Hecho Nuevo"),
        ],
        &[
            C::S("FE1"),
            C::S("FA0101"),
            C::N(100.0),
            C::S("01/03/2024"),
            C::S("02/03/2024"),
            C::N(2.0),
            C::S("tarifa"),
            C::S("S"),
        ],
    ]);
    let g = &leer_glosas(&bytes, "g.xlsx", &p).unwrap()[0];
    assert_eq!(
        (g.item, g.hecho_nuevo, g.observacion.as_str()),
        (Some(2), true, "tarifa")
    );
    let bytes = xlsx(&[
        &[
            C::S("Factura"),
            C::S("Valor Pagado"),
            C::S("Fecha de Pago"),
            C::S("Comprobante"),
            C::S("Forma de Pago"),
            C::S("NIT EPS"),
            C::S("Valor Transferencia"),
        ],
        &[
            C::S("FE1"),
            C::N(100.0),
            C::S("01/03/2024"),
            C::S("CE-1"),
            C::S("Consignación"),
            C::N(900156264.0),
            C::N(500.0),
        ],
    ]);
    let pago = &leer_pagos(&bytes, "p.xlsx", &p).unwrap()[0];
    assert_eq!(
        (pago.medio.as_deref(), pago.nit_pagador.as_deref(), pago.valor_pago),
        (Some("consignacion"), Some("900156264"), Some(d("500")))
    );
}

#[test]
fn a_sheet_with_bad_rows_still_gives_its_good_rows_and_what_it_could_read_of_the_bad() {
    let bytes = xlsx(&[
        ENCABEZADO_GENERICO,
        &[C::S("FE1"), C::S("FA0101"), C::N(100.0), C::S("31/02/2024")],
        &[C::S("FE2"), C::S("FA0101"), C::N(100.0), C::S("01/03/2024")],
        &[C::V, C::S("ZZ99"), C::S("mil"), C::S("01/03/2024")],
        &[C::S("FE2"), C::S("FA0101"), C::N(100.0), C::S("01/03/2024")],
    ]);
    let l = glosas(&bytes, "g.xlsx", &Perfil::generico());
    assert_eq!(l.filas.iter().map(|g| g.fila).collect::<Vec<_>>(), [3]);
    assert_eq!(
        l.incompletas,
        [
            FilaIncompleta {
                fila: 2,
                numero_factura: Some("FE1".into()),
                codigo: Some("FA0101".into()),
                nit_pagador: None,
            },
            FilaIncompleta {
                fila: 4,
                numero_factura: None,
                codigo: Some("ZZ99".into()),
                nit_pagador: None,
            },
        ]
    );
    // Every problem, in row order; the repeated row is left out of the rows to check.
    let donde: Vec<(Option<usize>, Option<&str>)> =
        l.errores.iter().map(|e| (e.numero(), e.campo.as_deref())).collect();
    assert_eq!(
        donde,
        [
            (Some(2), Some("fecha_formulacion")),
            (Some(4), Some("numero_factura")),
            (Some(4), Some("valor")),
            (Some(5), None),
        ]
    );
    assert_eq!(
        leer_glosas(&bytes, "g.xlsx", &Perfil::generico()).unwrap_err(),
        l.errores
    );
}

// ---------------------------------------------------------------------------------------------
// Formats.

#[test]
fn csv_with_semicolons_in_latin1() {
    let glosas = leer_glosas(CSV_LATIN1, "glosas.csv", &eps()).unwrap();
    assert_eq!(
        glosas,
        vec![
            FilaGlosa {
                fila: 3,
                numero_factura: "FE 1001".into(),
                codigo: "FA0101".into(),
                valor: d("1234567.89"),
                fecha_formulacion: f(2024, 3, 5),
                fecha_recepcion: f(2024, 3, 5),
                item: None,
                observacion: "Facturación sin autorización".into(),
                hecho_nuevo: false,
            },
            FilaGlosa {
                fila: 4,
                numero_factura: "FE 1002".into(),
                codigo: "223".into(),
                valor: d("45000"),
                fecha_formulacion: f(2024, 3, 6),
                fecha_recepcion: f(2024, 3, 6),
                item: None,
                observacion: "Tarifa según contrato año 2024".into(),
                hecho_nuevo: false,
            },
            FilaGlosa {
                fila: 6,
                numero_factura: "FE 1003".into(),
                codigo: "SO0301".into(),
                valor: d("12500"),
                fecha_formulacion: f(2024, 3, 7),
                fecha_recepcion: f(2024, 3, 7),
                item: None,
                observacion: "Señor auditor: falta epicrisis".into(),
                hecho_nuevo: false,
            },
        ]
    );
}

#[test]
fn csv_delimiters_bom_and_row_numbers() {
    // Comma, UTF-8 BOM, amounts quoted because they hold commas.
    let csv = "\u{feff}numero_factura,valor,fecha\nFE1,\"1,234,567.89\",2024-03-01\n";
    let pagos = leer_pagos(csv.as_bytes(), "p.csv", &Perfil::generico()).unwrap();
    assert_eq!(pagos[0].valor, d("1234567.89"));

    // Tab; an empty line and a quoted line break: rows as a spreadsheet numbers them.
    let csv =
        "numero_factura\tvalor\tfecha\treferencia\n\nFE1\t10\t01/03/2024\t\"línea\nsegunda\"\nFE2\tx\t01/03/2024\t\n";
    let errores = leer_pagos(csv.as_bytes(), "p.tsv", &Perfil::generico()).unwrap_err();
    assert_eq!(
        mensajes(&errores),
        [
            "p.tsv, fila 4, valor: «x» no es un valor en pesos válido; se aceptan 1.234.567,89, 1,234,567.89, \
          $ 1.234.567 o 1234567 (celda B4, columna «valor»)"
        ]
    );

    // UTF-16 (Excel's "Texto Unicode").
    let texto = "numero_factura\tvalor\tfecha\r\nFÉ1\t10\t01/03/2024\r\n";
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(texto.encode_utf16().flat_map(u16::to_le_bytes));
    let pagos = leer_pagos(&utf16, "p.txt", &Perfil::generico()).unwrap();
    assert_eq!(pagos[0].numero_factura, "FÉ1");
}

#[test]
fn ods_fixture_is_read() {
    let glosas = leer_glosas(ODS, "glosas.ods", &Perfil::generico()).unwrap();
    assert_eq!(
        glosas,
        vec![
            FilaGlosa {
                fila: 2,
                numero_factura: "FE100".into(),
                codigo: "FA0101".into(),
                valor: d("150000.5"),
                fecha_formulacion: f(2024, 3, 5),
                fecha_recepcion: f(2024, 3, 5),
                item: None,
                observacion: "Soporte incompleto".into(),
                hecho_nuevo: false,
            },
            FilaGlosa {
                fila: 3,
                numero_factura: "10023".into(),
                codigo: "101".into(),
                valor: d("1234567.89"),
                fecha_formulacion: f(2024, 3, 6),
                fecha_recepcion: f(2024, 3, 6),
                item: None,
                observacion: String::new(),
                hecho_nuevo: false,
            },
        ]
    );
}

#[test]
fn xls_fixture_is_read_with_its_merged_cells() {
    let pagos = leer_pagos(XLS, "pagos.xls", &eps()).unwrap();
    assert_eq!(
        pagos,
        vec![
            FilaPago {
                fila: 4,
                numero_factura: "FE200".into(),
                valor: d("1500000"),
                fecha: f(2024, 4, 10),
                referencia: "CE-001".into(),
                medio: None,
                nit_pagador: None,
                valor_pago: None,
            },
            FilaPago {
                fila: 5,
                numero_factura: "FE200".into(),
                valor: d("250000.75"),
                fecha: f(2024, 4, 11),
                referencia: "CE-002".into(),
                medio: None,
                nit_pagador: None,
                valor_pago: None,
            },
            FilaPago {
                fila: 6,
                numero_factura: "10023".into(),
                valor: d("1000000"),
                fecha: f(2024, 4, 12),
                referencia: "778899".into(),
                medio: None,
                nit_pagador: None,
                valor_pago: None,
            },
        ]
    );
}

#[test]
fn an_xls_claiming_an_impossible_size_is_refused_before_calamine_allocates_it() {
    let mut bytes = XLS.to_vec();
    let i = bytes
        .windows(4)
        .position(|w| w == [0x00, 0x02, 0x0E, 0x00])
        .expect("DIMENSIONS record");
    bytes[i + 8..i + 12].copy_from_slice(&[0xFF; 4]);
    let errores = leer_pagos(&bytes, "pagos.xls", &eps()).unwrap_err();
    assert_eq!(
        mensajes(&errores),
        ["pagos.xls: no se pudo leer el archivo como libro de Excel 97-2003 (xls): el archivo está dañado (una hoja \
          declara más celdas de las que caben en un xls)"]
    );
}

#[test]
fn format_is_decided_by_content() {
    // An xlsx named .csv is still an xlsx.
    let bytes = xlsx(&[
        ENCABEZADO_GENERICO,
        &[C::S("FE1"), C::S("A"), C::N(1.0), C::S("01/01/2024")],
    ]);
    assert_eq!(leer_glosas(&bytes, "glosas.csv", &Perfil::generico()).unwrap().len(), 1);

    let errores = leer_glosas(b"PK\x03\x04otra cosa", "x.zip", &Perfil::generico()).unwrap_err();
    assert_eq!(
        mensajes(&errores),
        ["x.zip: el archivo es un zip pero no es una hoja de cálculo: se espera xlsx, xls, ods o csv"]
    );
    let errores = leer_glosas(b"%PDF-1.7", "x.xlsx", &Perfil::generico()).unwrap_err();
    assert_eq!(
        mensajes(&errores),
        ["x.xlsx: el archivo es un PDF: se espera la hoja de cálculo (xlsx, xls, ods o csv)"]
    );
    let errores = leer_glosas(&bytes[..bytes.len() / 2], "roto.xlsx", &Perfil::generico()).unwrap_err();
    assert!(
        errores[0]
            .mensaje
            .starts_with("no se pudo leer el archivo como libro de Excel (xlsx): "),
        "{errores:?}"
    );

    let errores = leer_glosas(b"", "vacio.csv", &Perfil::generico()).unwrap_err();
    assert!(
        errores[0].mensaje.starts_with("no se encontró la fila de encabezados"),
        "{errores:?}"
    );
}

#[test]
fn column_letters() {
    use super::tabla::letra_columna;
    assert_eq!(
        [
            letra_columna(0),
            letra_columna(25),
            letra_columna(26),
            letra_columna(27),
            letra_columna(701),
            letra_columna(702)
        ],
        ["A", "Z", "AA", "AB", "ZZ", "AAA"]
    );
}

// ---------------------------------------------------------------------------------------------
// Robustness and speed.

/// A tiny LCG (Numerical Recipes constants), fixed seed: the same cases every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn no_panica(bytes: &[u8]) {
    let glosas = leer_glosas(bytes, "x", &Perfil::generico());
    let pagos = leer_pagos(bytes, "x", &Perfil::generico());
    // Ok or Err, and an Err always says something.
    if let Err(e) = glosas {
        assert!(!e.is_empty());
    }
    if let Err(e) = pagos {
        assert!(!e.is_empty());
    }
}

#[test]
fn truncations_and_byte_flips_never_panic() {
    let csv = "numero_factura;codigo;valor;fecha_formulacion;fecha_recepcion;item;observacion\n\
               FE1;FA0101;1.234,56;01/03/2024;02/03/2024;1;\"con ; y \"\"comillas\"\"\"\n\
               FE2;101;$ 2.000;2024-03-01;;2;ñandú\n"
        .as_bytes()
        .to_vec();
    let xlsx = generar_glosas_xlsx(5);
    let mut lcg = Lcg(0x5eed_7a20);
    for muestra in [csv.as_slice(), xlsx.as_slice(), ODS, XLS] {
        for largo in (0..muestra.len()).step_by((muestra.len() / 200).max(1)) {
            no_panica(&muestra[..largo]);
        }
        for _ in 0..300 {
            let mut copia = muestra.to_vec();
            for _ in 0..1 + lcg.below(4) {
                let i = lcg.below(copia.len());
                copia[i] = lcg.next() as u8;
            }
            no_panica(&copia);
        }
    }
}

#[test]
fn two_thousand_generated_rows() {
    let bytes = generar_glosas_xlsx(2_000);
    let glosas = leer_glosas(&bytes, "g.xlsx", &Perfil::generico()).unwrap();
    assert_eq!(glosas.len(), 2_000);
    assert_eq!(glosas[0].fila, 2);
    assert_eq!(glosas[0].valor, d("1000.25"));
    assert_eq!(glosas[1_999].fila, 2_001);
    assert_eq!(glosas[1_999].numero_factura, "FE100666");
    assert_eq!(glosas[1_999].item, Some(1_999 % 40 + 1));
}

/// `cargo test --release -- --ignored --nocapture cien_mil`
#[test]
#[ignore]
fn cien_mil_filas_en_release() {
    let bytes = generar_glosas_xlsx(100_000);
    let perfil = Perfil::generico();
    let mut mejor = f64::MAX;
    for _ in 0..3 {
        let inicio = Instant::now();
        let glosas = leer_glosas(&bytes, "g.xlsx", &perfil).unwrap();
        let t = inicio.elapsed().as_secs_f64();
        assert_eq!(glosas.len(), 100_000);
        mejor = mejor.min(t);
        println!("100.000 filas ({} bytes): {:.3} s", bytes.len(), t);
    }
    assert!(mejor < 2.0, "{mejor} s");
}

/// A sheet written out of order (rows and cells), with a cell written twice: read in the
/// sheet's order, the last value written for a cell winning. Every known writer writes in
/// order, and the reader takes a faster path then; this is the other one.
#[test]
fn an_xlsx_written_out_of_order_is_read_in_the_sheets_order() {
    use std::io::{Read, Write};
    let base = xlsx(&[ENCABEZADO_GENERICO, &[C::S("FE0")]]);
    let hoja = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="3"><c r="B3" t="inlineStr"><is><t>TA0201</t></is></c><c r="A3" t="inlineStr"><is><t>FE2</t></is></c><c r="C3"><v>20</v></c><c r="D3" t="inlineStr"><is><t>02/03/2024</t></is></c></row>
<row r="1"><c r="A1" t="inlineStr"><is><t>numero_factura</t></is></c><c r="B1" t="inlineStr"><is><t>codigo</t></is></c><c r="C1" t="inlineStr"><is><t>valor</t></is></c><c r="D1" t="inlineStr"><is><t>fecha_formulacion</t></is></c></row>
<row r="2"><c r="A2" t="inlineStr"><is><t>FE1</t></is></c><c r="B2" t="inlineStr"><is><t>FA0101</t></is></c><c r="C2"><v>5</v></c><c r="C2"><v>10</v></c><c r="D2" t="inlineStr"><is><t>01/03/2024</t></is></c></row>
</sheetData></worksheet>"#;
    let mut origen = zip::ZipArchive::new(std::io::Cursor::new(base)).unwrap();
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..origen.len() {
        let mut parte = origen.by_index(i).unwrap();
        let nombre = parte.name().unwrap_or_default().to_string();
        let mut bytes = Vec::new();
        parte.read_to_end(&mut bytes).unwrap();
        if nombre == "xl/worksheets/sheet1.xml" {
            bytes = hoja.as_bytes().to_vec();
        }
        w.start_file(nombre, zip::write::SimpleFileOptions::default()).unwrap();
        w.write_all(&bytes).unwrap();
    }
    let libro = w.finish().unwrap().into_inner();
    let glosas = leer_glosas(&libro, "g.xlsx", &Perfil::generico()).unwrap();
    let vistas: Vec<(usize, &str, &str, Decimal)> = glosas
        .iter()
        .map(|g| (g.fila, g.numero_factura.as_str(), g.codigo.as_str(), g.valor))
        .collect();
    assert_eq!(vistas, [(2, "FE1", "FA0101", d("10")), (3, "FE2", "TA0201", d("20"))]);
}
