//! Reports as workbooks people can open, filter and file: a few header lines, then a table with
//! a bold header row, frozen, with money as numbers in the Colombian way of reading them.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet, XlsxError};

use super::AppError;

/// A cell of a report.
#[derive(Debug, Clone)]
pub enum Celda {
    Texto(String),
    Dinero(Decimal),
    /// A ratio or a number of days, shown with two decimals.
    Numero(Decimal),
    Entero(i64),
    Fecha(NaiveDate),
    Vacia,
}

impl From<&str> for Celda {
    fn from(s: &str) -> Celda {
        Celda::Texto(s.to_string())
    }
}

impl From<String> for Celda {
    fn from(s: String) -> Celda {
        Celda::Texto(s)
    }
}

impl From<Option<NaiveDate>> for Celda {
    fn from(f: Option<NaiveDate>) -> Celda {
        f.map_or(Celda::Vacia, Celda::Fecha)
    }
}

impl From<Option<Decimal>> for Celda {
    fn from(v: Option<Decimal>) -> Celda {
        v.map_or(Celda::Vacia, Celda::Numero)
    }
}

/// A UTC instant as Bogotá's wall clock (UTC−5 all year, no daylight saving).
pub fn hora_bogota(t: chrono::DateTime<chrono::Utc>) -> String {
    (t - chrono::Duration::hours(5)).format("%Y-%m-%d %H:%M").to_string()
}

/// One sheet: what it is about (label, value lines above the table), its columns (title and
/// width) and its rows.
#[derive(Debug, Clone, Default)]
pub struct Hoja {
    pub nombre: String,
    pub encabezado: Vec<(String, String)>,
    pub columnas: Vec<(&'static str, f64)>,
    pub filas: Vec<Vec<Celda>>,
}

pub fn error(e: XlsxError) -> AppError {
    AppError::Internal(anyhow::anyhow!("xlsx: {e}"))
}

/// Writes an amount as a number (so it sums in Excel) when the double holds it to the
/// centavo — below 90 billion pesos — and as exact text beyond.
pub fn dinero(ws: &mut Worksheet, fila: u32, col: u16, v: Decimal, formato: &Format) -> Result<(), AppError> {
    match v.to_string().parse::<f64>() {
        Ok(f) if f.abs() < 9.0e13 => ws.write_number_with_format(fila, col, f, formato).map(|_| ()),
        _ => ws.write_string(fila, col, v.to_string()).map(|_| ()),
    }
    .map_err(error)
}

/// The workbook of these sheets.
pub fn libro(hojas: &[Hoja]) -> Result<Vec<u8>, AppError> {
    let mut wb = Workbook::new();
    let negrita = Format::new().set_bold();
    let titulo = Format::new()
        .set_bold()
        .set_background_color("#DCE6F1")
        .set_align(FormatAlign::Center)
        .set_text_wrap();
    let pesos = Format::new().set_num_format("#,##0.00");
    let numero = Format::new().set_num_format("0.00");
    let fecha = Format::new().set_num_format("yyyy-mm-dd");
    for h in hojas {
        let ws = wb.add_worksheet();
        ws.set_name(&h.nombre).map_err(error)?;
        for (i, (k, v)) in h.encabezado.iter().enumerate() {
            ws.write_string_with_format(i as u32, 0, k, &negrita).map_err(error)?;
            ws.write_string(i as u32, 1, v).map_err(error)?;
        }
        let primera = if h.encabezado.is_empty() {
            0
        } else {
            h.encabezado.len() as u32 + 1
        };
        for (c, (t, ancho)) in h.columnas.iter().enumerate() {
            ws.write_string_with_format(primera, c as u16, *t, &titulo)
                .map_err(error)?;
            ws.set_column_width(c as u16, *ancho).map_err(error)?;
        }
        for (i, fila) in h.filas.iter().enumerate() {
            let r = primera + 1 + i as u32;
            for (c, celda) in fila.iter().enumerate() {
                let c = c as u16;
                match celda {
                    Celda::Texto(s) => ws.write_string(r, c, s).map(|_| ()).map_err(error)?,
                    Celda::Dinero(v) => dinero(ws, r, c, *v, &pesos)?,
                    Celda::Numero(v) => dinero(ws, r, c, *v, &numero)?,
                    Celda::Entero(n) => ws.write_number(r, c, *n as f64).map(|_| ()).map_err(error)?,
                    Celda::Fecha(f) => ws.write_date_with_format(r, c, *f, &fecha).map(|_| ()).map_err(error)?,
                    Celda::Vacia => {}
                }
            }
        }
        ws.set_freeze_panes(primera + 1, 0).map_err(error)?;
        if !h.columnas.is_empty() {
            ws.autofilter(primera, 0, primera + h.filas.len() as u32, h.columnas.len() as u16 - 1)
                .map_err(error)?;
        }
    }
    wb.save_to_buffer().map_err(error)
}
