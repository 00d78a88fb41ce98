//! Payer spreadsheets: the glosas ("relación de glosas") and payments ("relación de pagos",
//! "detalle de giro") that EPS, ADRES and insurers send, each with its own layout, read through a
//! mapping [`Perfil`].
//!
//! - Formats, decided by content and not by the file name: xlsx, xls, ods (and xlsb) through
//!   calamine; anything else as CSV text (delimiter `;`, `,` or tab, found from the header line; UTF-8 with
//!   or without BOM, UTF-16 with BOM, or Latin-1).
//! - The header row is the first row, among the first 30 of a sheet, that holds a header of every
//!   required field; title rows above it and empty columns to its left are fine. In a workbook the
//!   first sheet that has such a row is read, the other sheets are ignored.
//! - Below the header: empty rows are skipped, and so are "Subtotal" rows and repetitions of the
//!   header row; a row labelled "TOTAL" (in the invoice column, or anywhere when that column is
//!   empty) ends the data: **rows after it are ignored**.
//! - Merged cells (xlsx, xls): the value of a merged region counts in each of its cells, as the
//!   clerk sees it (an invoice number merged over the rows of its glosas).
//! - Every problem is collected (not only the first), each naming the file, the row as the
//!   spreadsheet numbers it, the field and what was expected, with the cell (`D14`) and the
//!   column's title. [`glosas`] and [`pagos`] also give the rows read whole and what could be read
//!   of the others ([`Lectura`]), so that the caller checks them against the database in the same
//!   run and a clerk learns every problem of a sheet at once; `leer_*` give `Err` with all of
//!   them when there is any.
//! - Optional columns hold every field of a glosa or a payment registered through the API:
//!   `hecho_nuevo` (yes/no), `medio` (a closed list, see [`valores`]), `nit_pagador`, `valor_pago`.
//!
//! Values: see [`valores`] — amounts in pesos with at most two decimals and never negative, dates
//! day-first, invoice numbers and codes as uppercase text.

mod perfil;
pub(crate) mod tabla;
pub(crate) mod valores;

#[cfg(test)]
mod tests;

use std::collections::HashMap;

use calamine::Reader as _;
use chrono::NaiveDate;
use rust_decimal::Decimal;

pub use perfil::{normalizar, Perfil};
pub(crate) use tabla::xls_celdas_declaradas;

use crate::error::{ImportError, Ubicacion};
use perfil::{CAMPOS_ESTADOS, CAMPOS_GLOSAS, CAMPOS_PAGOS, MAX_CAMPOS};
use tabla::{Buscado, Encabezado, Formato, Hoja, Parcial, FILAS_BUSQUEDA_ENCABEZADO};
use valores::{Celda, Problema};

/// One glosa read from a payer's sheet.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FilaGlosa {
    /// The row as the spreadsheet numbers it (1-based).
    pub fila: usize,
    /// Trimmed and uppercased (`"fe 10023 "` → `"FE 10023"`; a numeric cell `10023` → `"10023"`).
    pub numero_factura: String,
    /// Code of either glosa manual, as text (`"101"`, `"FA0101"`), uppercased.
    pub codigo: String,
    pub valor: Decimal,
    pub fecha_formulacion: NaiveDate,
    /// The date the prestador received the glosa; `fecha_formulacion` when the sheet has no such
    /// column or leaves the cell empty.
    pub fecha_recepcion: NaiveDate,
    pub item: Option<i32>,
    pub observacion: String,
    /// A glosa on a new fact, after the first formulation (Ley 1438/2011 art. 57); no when the
    /// sheet has no such column or leaves the cell empty.
    pub hecho_nuevo: bool,
}

/// One payment (or part of one) applied to an invoice, read from a payer's sheet.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FilaPago {
    /// The row as the spreadsheet numbers it (1-based).
    pub fila: usize,
    pub numero_factura: String,
    /// What this row applies to the invoice.
    pub valor: Decimal,
    pub fecha: NaiveDate,
    /// Transfer or giro reference; empty when the sheet has none.
    pub referencia: String,
    /// The means of payment as the payment use case records it (`transferencia`,
    /// `giro_directo`, `cheque`, `consignacion`, `efectivo`, `compensacion`); `None` when the
    /// sheet does not say.
    pub medio: Option<String>,
    /// The payer's NIT as written (checked against the payers in Trazo by the caller).
    pub nit_pagador: Option<String>,
    /// The whole payment (transfer) this row is part of, when the sheet says it.
    pub valor_pago: Option<Decimal>,
}

/// A row with a problem in some cell: what could still be read of it, so the caller can check
/// that too (the invoice exists, the code is in a manual, the payer is known) and report every
/// problem of the row in the same run instead of one stage after another.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct FilaIncompleta {
    pub fila: usize,
    pub numero_factura: Option<String>,
    /// Glosas only.
    pub codigo: Option<String>,
    /// Payments only.
    pub nit_pagador: Option<String>,
}

/// What a sheet gave: the rows read whole, what could be read of the others, and every problem.
/// A sheet that could not be read at all (format, header) has only `errores`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lectura<T> {
    pub filas: Vec<T>,
    pub incompletas: Vec<FilaIncompleta>,
    pub errores: Vec<ImportError>,
}

impl<T> Lectura<T> {
    fn fallida(errores: Vec<ImportError>) -> Lectura<T> {
        Lectura {
            filas: Vec::new(),
            incompletas: Vec::new(),
            errores,
        }
    }

    /// Every row, or every problem.
    pub fn resultado(self) -> Result<Vec<T>, Vec<ImportError>> {
        if self.errores.is_empty() {
            Ok(self.filas)
        } else {
            Err(self.errores)
        }
    }
}

/// One invoice as a payer's statement of account shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FilaEstadoCuenta {
    /// The row as the spreadsheet numbers it (1-based).
    pub fila: usize,
    pub numero_factura: String,
    /// What the payer says it still owes.
    pub saldo: Decimal,
    pub valor_factura: Option<Decimal>,
    pub valor_glosado: Option<Decimal>,
    pub valor_pagado: Option<Decimal>,
}

// Field positions, in the order of CAMPOS_GLOSAS / CAMPOS_PAGOS / CAMPOS_ESTADOS.
const G_FACTURA: usize = 0;
const G_CODIGO: usize = 1;
const G_VALOR: usize = 2;
const G_FORMULACION: usize = 3;
const G_RECEPCION: usize = 4;
const G_ITEM: usize = 5;
const G_OBSERVACION: usize = 6;
const G_HECHO_NUEVO: usize = 7;
const P_FACTURA: usize = 0;
const P_VALOR: usize = 1;
const P_FECHA: usize = 2;
const P_REFERENCIA: usize = 3;
const P_MEDIO: usize = 4;
const P_NIT_PAGADOR: usize = 5;
const P_VALOR_PAGO: usize = 6;
const E_FACTURA: usize = 0;
const E_SALDO: usize = 1;
const E_VALOR: usize = 2;
const E_GLOSADO: usize = 3;
const E_PAGADO: usize = 4;

/// Reads the glosas of a payer's sheet (xlsx, xls, ods or csv) with a profile: every row, or every
/// problem found.
pub fn leer_glosas(bytes: &[u8], archivo: &str, perfil: &Perfil) -> Result<Vec<FilaGlosa>, Vec<ImportError>> {
    glosas(bytes, archivo, perfil).resultado()
}

/// Reads the glosas of a payer's sheet with a profile: the rows read whole, what could be read of
/// the rows with a problem, and every problem (rows in order).
pub fn glosas(bytes: &[u8], archivo: &str, perfil: &Perfil) -> Lectura<FilaGlosa> {
    let mut glosas: Vec<FilaGlosa> = Vec::new();
    let mut incompletas: Vec<FilaIncompleta> = Vec::new();
    let errores = recorrer(bytes, archivo, perfil, Tipo::Glosas, |fila| {
        let numero_factura = fila.identificador(G_FACTURA);
        let codigo = fila.identificador(G_CODIGO);
        let valor = fila.valor(G_VALOR);
        let fecha_formulacion = fila.fecha(G_FORMULACION, true).ok().flatten();
        let fecha_recepcion = fila.fecha(G_RECEPCION, false);
        let item = fila.item(G_ITEM);
        let observacion = fila.texto(G_OBSERVACION);
        let hecho_nuevo = fila.si_no(G_HECHO_NUEVO);
        match (
            numero_factura,
            codigo,
            valor,
            fecha_formulacion,
            fecha_recepcion,
            item,
            hecho_nuevo,
        ) {
            (
                Some(numero_factura),
                Some(codigo),
                Some(valor),
                Some(fecha_formulacion),
                Ok(recepcion),
                Ok(item),
                Ok(hecho_nuevo),
            ) => glosas.push(FilaGlosa {
                fila: fila.numero,
                numero_factura,
                codigo,
                valor,
                fecha_formulacion,
                fecha_recepcion: recepcion.unwrap_or(fecha_formulacion),
                item,
                observacion,
                hecho_nuevo,
            }),
            (numero_factura, codigo, ..) => incompletas.push(FilaIncompleta {
                fila: fila.numero,
                numero_factura,
                codigo,
                nit_pagador: None,
            }),
        }
    });
    let mut errores = match errores {
        Ok(e) => e,
        Err(e) => return Lectura::fallida(e),
    };
    // The same glosa twice: same invoice, code, value and date of formulation (and item, so two
    // lines of one invoice glosed alike are not taken for a repetition). The repetition is its
    // only problem: it is not checked again against its invoice (which would also say that the
    // two go over what is left to glose).
    // Keys borrowed from the rows: no copy of two texts per row.
    let mut vistas: HashMap<(&str, &str, Decimal, NaiveDate, Option<i32>), usize> =
        HashMap::with_capacity(glosas.len());
    let mut repetidas = vec![false; glosas.len()];
    for (i, g) in glosas.iter().enumerate() {
        let clave = (
            g.numero_factura.as_str(),
            g.codigo.as_str(),
            g.valor,
            g.fecha_formulacion,
            g.item,
        );
        match vistas.entry(clave) {
            std::collections::hash_map::Entry::Occupied(o) => {
                errores.push(repetida(archivo, g.fila, *o.get()));
                repetidas[i] = true;
            }
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(g.fila);
            }
        }
    }
    drop(vistas);
    let mut i = 0;
    glosas.retain(|_| {
        i += 1;
        !repetidas[i - 1]
    });
    terminar(glosas, incompletas, errores)
}

/// Reads the payments of a payer's sheet (xlsx, xls, ods or csv) with a profile: every row, or
/// every problem found.
pub fn leer_pagos(bytes: &[u8], archivo: &str, perfil: &Perfil) -> Result<Vec<FilaPago>, Vec<ImportError>> {
    pagos(bytes, archivo, perfil).resultado()
}

/// Reads the payments of a payer's sheet with a profile: the rows read whole, what could be read
/// of the rows with a problem, and every problem (rows in order).
pub fn pagos(bytes: &[u8], archivo: &str, perfil: &Perfil) -> Lectura<FilaPago> {
    let mut pagos: Vec<FilaPago> = Vec::new();
    let mut incompletas: Vec<FilaIncompleta> = Vec::new();
    let errores = recorrer(bytes, archivo, perfil, Tipo::Pagos, |fila| {
        let numero_factura = fila.identificador(P_FACTURA);
        let valor = fila.valor(P_VALOR);
        let fecha = fila.fecha(P_FECHA, true).ok().flatten();
        let referencia = fila.referencia(P_REFERENCIA);
        let medio = fila.medio(P_MEDIO);
        let nit_pagador = fila
            .referencia(P_NIT_PAGADOR)
            .map(|n| Some(n).filter(|n| !n.is_empty()));
        let valor_pago = fila.valor_opcional(P_VALOR_PAGO);
        match (numero_factura, valor, fecha, referencia, medio, nit_pagador, valor_pago) {
            (
                Some(numero_factura),
                Some(valor),
                Some(fecha),
                Some(referencia),
                Ok(medio),
                Some(nit_pagador),
                Ok(valor_pago),
            ) => pagos.push(FilaPago {
                fila: fila.numero,
                numero_factura,
                valor,
                fecha,
                referencia,
                medio: medio.map(str::to_string),
                nit_pagador,
                valor_pago,
            }),
            (numero_factura, _, _, _, _, nit_pagador, _) => incompletas.push(FilaIncompleta {
                fila: fila.numero,
                numero_factura,
                codigo: None,
                nit_pagador: nit_pagador.flatten(),
            }),
        }
    });
    let mut errores = match errores {
        Ok(e) => e,
        Err(e) => return Lectura::fallida(e),
    };
    let mut vistos: HashMap<(String, Decimal, NaiveDate, String), usize> = HashMap::with_capacity(pagos.len());
    pagos.retain(|p| {
        let clave = (p.numero_factura.clone(), p.valor, p.fecha, p.referencia.clone());
        if let Some(&primera) = vistos.get(&clave) {
            errores.push(repetida(archivo, p.fila, primera));
            false
        } else {
            vistos.insert(clave, p.fila);
            true
        }
    });
    terminar(pagos, incompletas, errores)
}

/// Reads a payer's statement of account (xlsx, xls, ods or csv) with a profile: every row, or every
/// problem found. An invoice listed twice is a problem: the statement must say one balance.
pub fn leer_estado_cuenta(
    bytes: &[u8],
    archivo: &str,
    perfil: &Perfil,
) -> Result<Vec<FilaEstadoCuenta>, Vec<ImportError>> {
    let mut filas: Vec<FilaEstadoCuenta> = Vec::new();
    let mut errores = recorrer(bytes, archivo, perfil, Tipo::EstadoCuenta, |fila| {
        let numero_factura = fila.identificador(E_FACTURA);
        let saldo = fila.valor(E_SALDO);
        let opcionales = [E_VALOR, E_GLOSADO, E_PAGADO].map(|k| fila.valor_opcional(k));
        if let (Some(numero_factura), Some(saldo), [Ok(valor_factura), Ok(valor_glosado), Ok(valor_pagado)]) =
            (numero_factura, saldo, opcionales)
        {
            filas.push(FilaEstadoCuenta {
                fila: fila.numero,
                numero_factura,
                saldo,
                valor_factura,
                valor_glosado,
                valor_pagado,
            });
        }
    })?;
    let mut vistas: HashMap<&str, usize> = HashMap::with_capacity(filas.len());
    for f in &filas {
        if let Some(&primera) = vistas.get(f.numero_factura.as_str()) {
            errores.push(ImportError::new(
                archivo,
                Ubicacion::Fila(f.fila),
                Some("numero_factura"),
                format!(
                    "la factura {} ya está en la fila {primera}; el estado de cuenta debe dar un solo saldo por factura",
                    f.numero_factura
                ),
            ));
        } else {
            vistas.insert(&f.numero_factura, f.fila);
        }
    }
    terminar(filas, Vec::new(), errores).resultado()
}

fn repetida(archivo: &str, fila: usize, primera: usize) -> ImportError {
    ImportError::new(
        archivo,
        Ubicacion::Fila(fila),
        None,
        format!("la fila {fila} repite la fila {primera}"),
    )
}

fn terminar<T>(filas: Vec<T>, incompletas: Vec<FilaIncompleta>, mut errores: Vec<ImportError>) -> Lectura<T> {
    // Row order (stable: the problems of one row keep the order of its columns).
    errores.sort_by_key(|e| e.numero().unwrap_or(0));
    Lectura {
        filas,
        incompletas,
        errores,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tipo {
    Glosas,
    Pagos,
    EstadoCuenta,
}

impl Tipo {
    fn campos(self) -> &'static [(&'static str, bool)] {
        match self {
            Tipo::Glosas => CAMPOS_GLOSAS,
            Tipo::Pagos => CAMPOS_PAGOS,
            Tipo::EstadoCuenta => CAMPOS_ESTADOS,
        }
    }
    fn nombre(self) -> &'static str {
        match self {
            Tipo::Glosas => "glosas",
            Tipo::Pagos => "pagos",
            Tipo::EstadoCuenta => "estados_cuenta",
        }
    }
    fn columnas(self, perfil: &Perfil) -> &HashMap<String, Vec<String>> {
        match self {
            Tipo::Glosas => &perfil.glosas,
            Tipo::Pagos => &perfil.pagos,
            Tipo::EstadoCuenta => &perfil.estados_cuenta,
        }
    }
    /// Fields of free text, where a "total" is not a label.
    fn es_texto_libre(self, k: usize) -> bool {
        match self {
            Tipo::Glosas => k == G_OBSERVACION,
            Tipo::Pagos => k == P_REFERENCIA,
            Tipo::EstadoCuenta => false,
        }
    }
}

/// What a field is, said to the clerk.
fn descripcion(campo: &str) -> &'static str {
    match campo {
        "numero_factura" => "el número de factura",
        "codigo" => "el código de glosa",
        "valor" => "el valor",
        "fecha_formulacion" => "la fecha de formulación de la glosa",
        "fecha_recepcion" => "la fecha de recepción de la glosa",
        "item" => "el ítem",
        "observacion" => "la observación",
        "hecho_nuevo" => "si la glosa es por un hecho nuevo",
        "medio" => "el medio de pago",
        "nit_pagador" => "el NIT del pagador",
        "valor_pago" => "el valor total del pago",
        "fecha" => "la fecha del pago",
        "referencia" => "la referencia del pago",
        "saldo" => "el saldo que reconoce el pagador",
        "valor_factura" => "el valor de la factura",
        "valor_glosado" => "el valor glosado",
        "valor_pagado" => "el valor pagado",
        _ => "el dato",
    }
}

/// A field's column in the sheet found.
struct Columna {
    campo: &'static str,
    /// Relative column index, its letter and its title, when the sheet has the column.
    posicion: Option<(usize, String, String)>,
}

/// One data row being read: its cells per field, and where its problems go.
struct Fila<'h, 'e> {
    numero: usize,
    celdas: [Celda<'h>; MAX_CAMPOS],
    columnas: &'e [Columna],
    archivo: &'e str,
    errores: &'e mut Vec<ImportError>,
}

impl Fila<'_, '_> {
    fn error(&mut self, k: usize, problema: Problema) {
        let columna = &self.columnas[k];
        let mensaje = match &columna.posicion {
            Some((_, letra, titulo)) => format!("{problema} (celda {letra}{}, columna «{titulo}»)", self.numero),
            None => problema,
        };
        self.errores.push(ImportError::new(
            self.archivo,
            Ubicacion::Fila(self.numero),
            Some(columna.campo),
            mensaje,
        ));
    }

    fn falta(&mut self, k: usize) {
        let problema = format!("falta {}", descripcion(self.columnas[k].campo));
        self.error(k, problema);
    }

    /// A required identifier (invoice number, code).
    fn identificador(&mut self, k: usize) -> Option<String> {
        let mut salida = String::new();
        match valores::identificador(self.celdas[k], &mut salida) {
            Ok(()) if salida.is_empty() => {
                self.falta(k);
                None
            }
            Ok(()) => Some(salida),
            Err(p) => {
                self.error(k, p);
                None
            }
        }
    }

    /// An optional identifier (payment reference): empty when absent.
    fn referencia(&mut self, k: usize) -> Option<String> {
        let mut salida = String::new();
        match valores::identificador(self.celdas[k], &mut salida) {
            Ok(()) => Some(salida),
            Err(p) => {
                self.error(k, p);
                None
            }
        }
    }

    fn valor(&mut self, k: usize) -> Option<Decimal> {
        if self.celdas[k].es_vacia() {
            self.falta(k);
            return None;
        }
        valores::valor(self.celdas[k]).map_err(|p| self.error(k, p)).ok()
    }

    /// An optional amount: `Ok(None)` when the cell is empty, `Err(())` on a problem (recorded).
    fn valor_opcional(&mut self, k: usize) -> Result<Option<Decimal>, ()> {
        if self.celdas[k].es_vacia() {
            return Ok(None);
        }
        valores::valor(self.celdas[k]).map(Some).map_err(|p| self.error(k, p))
    }

    /// A date; an empty optional one is `Ok(None)`, a problem is `Err(())` (already recorded).
    fn fecha(&mut self, k: usize, requerida: bool) -> Result<Option<NaiveDate>, ()> {
        if self.celdas[k].es_vacia() {
            if requerida {
                self.falta(k);
                return Err(());
            }
            return Ok(None);
        }
        valores::fecha(self.celdas[k]).map(Some).map_err(|p| self.error(k, p))
    }

    fn item(&mut self, k: usize) -> Result<Option<i32>, ()> {
        valores::item(self.celdas[k]).map_err(|p| self.error(k, p))
    }

    /// A yes/no cell (`hecho_nuevo`): no when empty.
    fn si_no(&mut self, k: usize) -> Result<bool, ()> {
        valores::si_no(self.celdas[k]).map_err(|p| self.error(k, p))
    }

    /// A means of payment, `None` when empty.
    fn medio(&mut self, k: usize) -> Result<Option<&'static str>, ()> {
        valores::medio(self.celdas[k]).map_err(|p| self.error(k, p))
    }

    fn texto(&self, k: usize) -> String {
        valores::texto_libre(self.celdas[k])
    }
}

/// Finds the sheet and its header, then hands every data row to `leer_fila`. Returns the problems
/// found in the rows, or the problem that stopped the reading (format, header) alone.
fn recorrer(
    bytes: &[u8],
    archivo: &str,
    perfil: &Perfil,
    tipo: Tipo,
    mut leer_fila: impl FnMut(&mut Fila<'_, '_>),
) -> Result<Vec<ImportError>, Vec<ImportError>> {
    let campos = tipo.campos();
    let columnas_perfil = tipo.columnas(perfil);
    if columnas_perfil.is_empty() {
        return Err(vec![ImportError::new(
            archivo,
            Ubicacion::Archivo,
            None,
            format!(
                "el perfil «{}» no define las columnas de {}",
                perfil.nombre,
                tipo.nombre()
            ),
        )]);
    }
    let buscado = Buscado {
        campos,
        alias: campos
            .iter()
            .map(|(c, _)| {
                columnas_perfil
                    .get(*c)
                    .map(|v| v.iter().map(|a| normalizar(a)).collect())
                    .unwrap_or_default()
            })
            .collect(),
    };
    let formato = tabla::detectar(bytes, archivo).map_err(|e| vec![e])?;
    let mut mejor: Parcial = None;
    // The first sheet with the header is read; the later ones are not even parsed.
    match formato {
        Formato::Csv => {
            let texto = tabla::decodificar(bytes);
            let delimitador = tabla::delimitador(&texto, &buscado);
            let hoja = tabla::leer_csv(&texto, delimitador, usize::MAX);
            if let Some(errores) = leer_hoja(&hoja, &buscado, tipo, archivo, &mut mejor, &mut leer_fila) {
                return Ok(errores);
            }
        }
        Formato::Xlsx => {
            let mut libro = tabla::abrir_xlsx(bytes, archivo).map_err(|e| vec![e])?;
            let con_combinadas = tabla::xlsx_con_combinadas(bytes);
            for nombre in libro.sheet_names() {
                let hoja = tabla::hoja_xlsx(&mut libro, &nombre, archivo, con_combinadas).map_err(|e| vec![e])?;
                if let Some(errores) = leer_hoja(&hoja, &buscado, tipo, archivo, &mut mejor, &mut leer_fila) {
                    return Ok(errores);
                }
            }
        }
        Formato::Xls | Formato::Xlsb | Formato::Ods => {
            let mut libro = tabla::abrir_otro(bytes, archivo, formato).map_err(|e| vec![e])?;
            for nombre in libro.sheet_names() {
                let hoja = tabla::hoja_densa(&mut libro, &nombre, archivo, formato).map_err(|e| vec![e])?;
                if let Some(errores) = leer_hoja(&hoja, &buscado, tipo, archivo, &mut mejor, &mut leer_fila) {
                    return Ok(errores);
                }
            }
        }
    }
    Err(vec![sin_encabezado(archivo, perfil, tipo, mejor)])
}

/// Reads a sheet if it has the header: `Some(problems of its rows)`, or `None` to try the next.
fn leer_hoja<H: Hoja>(
    hoja: &H,
    buscado: &Buscado<'_>,
    tipo: Tipo,
    archivo: &str,
    mejor: &mut Parcial,
    leer_fila: &mut impl FnMut(&mut Fila<'_, '_>),
) -> Option<Vec<ImportError>> {
    let encabezado = tabla::buscar_encabezado(hoja, buscado, mejor)?;
    let mut errores = Vec::new();
    leer_filas(hoja, &encabezado, buscado, tipo, archivo, &mut errores, leer_fila);
    Some(errores)
}

/// The rows below the header.
fn leer_filas<H: Hoja>(
    hoja: &H,
    encabezado: &Encabezado,
    buscado: &Buscado<'_>,
    tipo: Tipo,
    archivo: &str,
    errores: &mut Vec<ImportError>,
    leer_fila: &mut impl FnMut(&mut Fila<'_, '_>),
) {
    let columnas: Vec<Columna> = buscado
        .campos
        .iter()
        .zip(&encabezado.columnas)
        .map(|((campo, _), pos)| Columna {
            campo,
            posicion: pos
                .as_ref()
                .map(|(col, titulo)| (*col, hoja.letra(*col), titulo.clone())),
        })
        .collect();
    let indices: Vec<Option<usize>> = columnas.iter().map(|c| c.posicion.as_ref().map(|p| p.0)).collect();
    let libres: Vec<usize> = (0..columnas.len())
        .filter(|&k| tipo.es_texto_libre(k))
        .filter_map(|k| indices[k])
        .collect();
    for f in encabezado.fila + 1..hoja.filas() {
        let mut celdas = [Celda::Vacia; MAX_CAMPOS];
        for (k, col) in indices.iter().enumerate() {
            if let Some(col) = col {
                celdas[k] = hoja.celda(f, *col);
            }
        }
        if celdas.iter().all(Celda::es_vacia) {
            continue;
        }
        // The invoice column is the first field of both kinds.
        match celdas[0].texto() {
            Some(t) if tabla::es_subtotal(t) => continue,
            Some(t) if tabla::es_total(t) => break,
            Some(t) if tabla::es_alias(t, &buscado.alias[0]) => continue,
            Some(_) => {}
            None if celdas[0].es_vacia() => {
                // A label elsewhere in the row ("TOTAL" under a column the profile does not map).
                let etiqueta = hoja
                    .celdas(f)
                    .filter(|(c, _)| !libres.contains(c))
                    .filter_map(|(_, v)| v.texto())
                    .find(|t| tabla::es_total(t) || tabla::es_subtotal(t));
                match etiqueta {
                    Some(t) if tabla::es_subtotal(t) => continue,
                    Some(_) => break,
                    None => {}
                }
            }
            None => {}
        }
        let mut fila = Fila {
            numero: hoja.numero_fila(f),
            celdas,
            columnas: &columnas,
            archivo,
            errores,
        };
        leer_fila(&mut fila);
    }
}

/// The header was not found: say which columns the profile expects.
fn sin_encabezado(archivo: &str, perfil: &Perfil, tipo: Tipo, mejor: Parcial) -> ImportError {
    let columnas = tipo.columnas(perfil);
    let esperadas: Vec<String> = tipo
        .campos()
        .iter()
        .filter(|(_, requerido)| *requerido)
        .map(|(campo, _)| {
            let nombres: Vec<String> = columnas
                .get(*campo)
                .map(|v| v.iter().map(|a| format!("«{a}»")).collect())
                .unwrap_or_default();
            format!("{campo} ({})", nombres.join(" o "))
        })
        .collect();
    let mut mensaje = format!(
        "no se encontró la fila de encabezados de {} en las primeras {FILAS_BUSQUEDA_ENCABEZADO} filas: \
         según el perfil «{}» se esperan las columnas {}",
        tipo.nombre(),
        perfil.nombre,
        esperadas.join(", ")
    );
    if let Some((fila, faltan)) = mejor {
        mensaje.push_str(&format!(
            "; la fila {fila} tiene algunas, pero le faltan: {}",
            faltan.join(", ")
        ));
    }
    ImportError::new(archivo, Ubicacion::Archivo, None, mensaje)
}
