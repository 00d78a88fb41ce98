//! Cell values: amounts in pesos, dates and texts as payers write them.
//!
//! Every function here takes one [`Celda`] and returns the typed value or the problem as a Spanish
//! sentence for a billing clerk (the caller adds the file, the row and the column).

use std::fmt::Write as _;
use std::str::FromStr;

use calamine::ExcelDateTime;
use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};

/// One cell, borrowed from the workbook or the CSV record: no allocation to look at it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Celda<'a> {
    Vacia,
    Texto(&'a str),
    /// A numeric cell (calamine gives every number as f64, or i64 for some ods/xls cells).
    Numero(f64),
    /// A cell with a date format (its serial and epoch are inside).
    Fecha(ExcelDateTime),
    /// An ods date, ISO 8601 (`2024-03-05` or `2024-03-05T00:00:00`).
    FechaIso(&'a str),
    Logico(bool),
    /// A formula error (`#N/A`, `#¡VALOR!`...).
    Error,
}

impl<'a> Celda<'a> {
    /// From a calamine cell.
    pub(crate) fn de_calamine(dato: &'a calamine::Data) -> Celda<'a> {
        use calamine::Data;
        match dato {
            Data::Empty => Celda::Vacia,
            Data::String(s) => {
                if s.trim().is_empty() {
                    Celda::Vacia
                } else {
                    Celda::Texto(s)
                }
            }
            Data::Float(f) => Celda::Numero(*f),
            Data::Int(i) => Celda::Numero(*i as f64),
            Data::Bool(b) => Celda::Logico(*b),
            Data::DateTime(d) => Celda::Fecha(*d),
            Data::DateTimeIso(s) => Celda::FechaIso(s),
            Data::DurationIso(s) => Celda::Texto(s),
            Data::Error(_) => Celda::Error,
        }
    }

    /// From a calamine cell of the xlsx cell reader.
    pub(crate) fn de_dataref(dato: &'a calamine::DataRef<'_>) -> Celda<'a> {
        use calamine::DataRef;
        match dato {
            DataRef::Empty => Celda::Vacia,
            DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) if s.trim().is_empty() => {
                Celda::Vacia
            }
            DataRef::SharedString(s) if s.trim().is_empty() => Celda::Vacia,
            DataRef::String(s) | DataRef::DurationIso(s) => Celda::Texto(s),
            DataRef::SharedString(s) => Celda::Texto(s),
            DataRef::DateTimeIso(s) => Celda::FechaIso(s),
            DataRef::Float(f) => Celda::Numero(*f),
            DataRef::Int(i) => Celda::Numero(*i as f64),
            DataRef::Bool(b) => Celda::Logico(*b),
            DataRef::DateTime(d) => Celda::Fecha(*d),
            DataRef::Error(_) => Celda::Error,
        }
    }

    /// From a CSV field: text, or empty when it holds only spaces.
    pub(crate) fn de_texto(s: &'a str) -> Celda<'a> {
        if s.trim().is_empty() {
            Celda::Vacia
        } else {
            Celda::Texto(s)
        }
    }

    pub(crate) fn es_vacia(&self) -> bool {
        matches!(self, Celda::Vacia)
    }

    /// The text of a text cell, trimmed.
    pub(crate) fn texto(&self) -> Option<&'a str> {
        match self {
            Celda::Texto(s) | Celda::FechaIso(s) => Some(s.trim()),
            _ => None,
        }
    }

    /// What the cell shows, for error messages.
    pub(crate) fn mostrar(&self) -> String {
        match self {
            Celda::Vacia => String::new(),
            Celda::Texto(s) | Celda::FechaIso(s) => s.trim().to_string(),
            Celda::Numero(f) => format!("{f}"),
            Celda::Fecha(d) if !d.is_duration() && (1.0..=SERIAL_MAXIMO).contains(&d.as_f64()) => {
                let (a, m, dia, ..) = d.to_ymd_hms_milli();
                format!("{dia:02}/{m:02}/{a:04}")
            }
            Celda::Fecha(d) => format!("{}", d.as_f64()),
            Celda::Logico(b) => if *b { "VERDADERO" } else { "FALSO" }.to_string(),
            Celda::Error => "#ERROR".to_string(),
        }
    }
}

/// A problem with one cell, as said to the clerk (without the place, which the caller adds).
pub(crate) type Problema = String;

pub(crate) const FORMATOS_FECHA: &str = "dd/mm/aaaa, d/m/aa, aaaa-mm-dd, dd-mm-aaaa o una celda de fecha de Excel";
pub(crate) const FORMATOS_VALOR: &str = "1.234.567,89, 1,234,567.89, $ 1.234.567 o 1234567";

const ERROR_FORMULA: &str = "la celda tiene un error de fórmula de Excel";

/// Largest Excel serial date (9999-12-31).
const SERIAL_MAXIMO: f64 = 2_958_465.0;

// ---------------------------------------------------------------------------------------------
// Texts: invoice numbers, codes, observations.

/// Writes an identifier cell (invoice number, glosa code, reference) into `salida`: text trimmed
/// and uppercased; a numeric cell holding a whole number as that number (`10023.0` → `"10023"`,
/// as Excel shows it), so that codes such as 101 and invoice numbers typed as numbers survive.
/// A CSV field written as `="00123"` (how some exports keep leading zeros) is read as `00123`.
/// An empty cell leaves `salida` empty.
pub(crate) fn identificador(celda: Celda<'_>, salida: &mut String) -> Result<(), Problema> {
    salida.clear();
    match celda {
        Celda::Vacia => {}
        Celda::Texto(s) => {
            let s = s.trim();
            let s = s
                .strip_prefix("=\"")
                .and_then(|r| r.strip_suffix('"'))
                .map_or(s, str::trim);
            if s.is_ascii() {
                salida.push_str(s);
                salida.make_ascii_uppercase();
            } else {
                salida.extend(s.chars().flat_map(char::to_uppercase));
            }
        }
        Celda::Numero(f) => {
            if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
                let _ = write!(salida, "{}", f as i64);
            } else {
                return Err(format!(
                    "«{f}» no es un identificador: se espera un número entero o un texto"
                ));
            }
        }
        Celda::Fecha(_) | Celda::FechaIso(_) => {
            return Err(format!(
                "«{}» es una fecha: se espera un texto o un número",
                celda.mostrar()
            ))
        }
        Celda::Logico(_) => return Err(format!("«{}» no es un texto ni un número", celda.mostrar())),
        Celda::Error => return Err(ERROR_FORMULA.to_string()),
    }
    Ok(())
}

/// A free text (observation): trimmed; whole numbers without decimals, dates as dd/mm/yyyy.
pub(crate) fn texto_libre(celda: Celda<'_>) -> String {
    match celda {
        Celda::Vacia | Celda::Error => String::new(),
        Celda::Numero(f) if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
        otra => otra.mostrar(),
    }
}

/// An item (line) number: a positive whole number, or nothing.
pub(crate) fn item(celda: Celda<'_>) -> Result<Option<i32>, Problema> {
    let problema = || {
        format!(
            "«{}» no es un número de ítem: se espera un número entero positivo",
            celda.mostrar()
        )
    };
    match celda {
        Celda::Vacia => Ok(None),
        Celda::Numero(f) => {
            if f.fract() == 0.0 && f >= 1.0 && f <= i32::MAX as f64 {
                Ok(Some(f as i32))
            } else {
                Err(problema())
            }
        }
        Celda::Texto(s) => match s.trim().parse::<i32>() {
            Ok(n) if n >= 1 => Ok(Some(n)),
            _ => Err(problema()),
        },
        Celda::Error => Err(ERROR_FORMULA.to_string()),
        _ => Err(problema()),
    }
}

/// Whether a glosa is raised on a new fact (Res. 2284/2023; Ley 1438/2011 art. 57: after the
/// first formulation only new facts found in the answer may be glosed): yes or no as a clerk or a
/// payer's export writes it. An empty cell is no: most glosas are not.
pub(crate) fn si_no(celda: Celda<'_>) -> Result<bool, Problema> {
    let problema = || {
        format!(
            "«{}» no dice sí o no; se espera {SI_NO} o la celda vacía (no)",
            celda.mostrar()
        )
    };
    match celda {
        Celda::Vacia => Ok(false),
        Celda::Logico(b) => Ok(b),
        Celda::Numero(1.0) => Ok(true),
        Celda::Numero(0.0) => Ok(false),
        Celda::Texto(s) => match super::perfil::normalizar(s).as_str() {
            "si" | "s" | "x" | "1" | "verdadero" | "v" | "true" | "hechonuevo" => Ok(true),
            "no" | "n" | "0" | "falso" | "f" | "false" => Ok(false),
            _ => Err(problema()),
        },
        Celda::Error => Err(ERROR_FORMULA.to_string()),
        _ => Err(problema()),
    }
}

pub(crate) const SI_NO: &str = "SI o NO (también S/N, X, 1/0, VERDADERO/FALSO)";

/// The means of payment, as the payment use case records it (`medio`), from the ways payers'
/// remittances write it. Unlike a payment typed in the API (free text), a sheet's value must be
/// one of these, so that a typo does not split one means into many in the reports.
pub(crate) const MEDIOS: &[(&str, &[&str])] = &[
    (
        "transferencia",
        &[
            "transferencia",
            "transferenciaelectronica",
            "transferenciabancaria",
            "transf",
            "ach",
            "pse",
        ],
    ),
    ("giro_directo", &["girodirecto", "giro", "giroadres"]),
    ("cheque", &["cheque"]),
    ("consignacion", &["consignacion", "consignacionbancaria", "deposito"]),
    ("efectivo", &["efectivo"]),
    ("compensacion", &["compensacion", "crucedecuentas", "cruce"]),
];

/// A means of payment (see [`MEDIOS`]); `None` for an empty cell.
pub(crate) fn medio(celda: Celda<'_>) -> Result<Option<&'static str>, Problema> {
    let problema = || {
        let nombres: Vec<&str> = MEDIOS.iter().map(|(m, _)| *m).collect();
        format!(
            "«{}» no es un medio de pago conocido; se acepta {} (también escrito «giro directo», \
             «transferencia electrónica», «cruce de cuentas»...)",
            celda.mostrar(),
            nombres.join(", ")
        )
    };
    match celda {
        Celda::Vacia => Ok(None),
        Celda::Texto(s) => {
            let n = super::perfil::normalizar(s);
            MEDIOS
                .iter()
                .find(|(_, formas)| formas.contains(&n.as_str()))
                .map(|(m, _)| Some(*m))
                .ok_or_else(problema)
        }
        Celda::Error => Err(ERROR_FORMULA.to_string()),
        _ => Err(problema()),
    }
}

// ---------------------------------------------------------------------------------------------
// Amounts.

/// An amount in pesos, at most two decimals, not negative.
pub(crate) fn valor(celda: Celda<'_>) -> Result<Decimal, Problema> {
    let v = match celda {
        Celda::Numero(f) => valor_de_numero(f)?,
        Celda::Texto(s) => valor_de_texto(s)?,
        Celda::Error => return Err(ERROR_FORMULA.to_string()),
        _ => {
            return Err(format!(
                "«{}» no es un valor en pesos; se aceptan {FORMATOS_VALOR}",
                celda.mostrar()
            ))
        }
    };
    if v.is_sign_negative() && !v.is_zero() {
        return Err(format!("el valor no puede ser negativo: «{}»", celda.mostrar()));
    }
    // -0 → 0; 1234567.00 → 1234567.
    Ok(v.abs().normalize())
}

/// A numeric cell as an exact amount.
///
/// Calamine hands us the cell as the f64 Excel stored. We never convert that binary value
/// directly (`Decimal::from_f64` would carry the binary error: 0.1 is 0.1000000000000000055...).
/// Instead we take Rust's shortest representation that reads back as the same f64 (`{}`), which
/// is the decimal the clerk typed whenever the cell was typed. A cell computed by a formula
/// (`=B2*0.19`, `=SUMA(...)`) may still carry binary noise in that representation
/// (`1234.5600000000002`); Excel itself keeps and shows only 15 significant digits, so we round to
/// 15 significant digits to drop that noise, and the amount is what remains: if it still has more
/// than two decimals, the cell really holds fractions of a centavo and that is an error (we do not
/// silently change money). Rounding is half away from zero, the rule of Excel's REDONDEAR and of
/// the pesos rounding used in DIAN documents, so we agree with what the sheet displays.
pub(crate) fn valor_de_numero(f: f64) -> Result<Decimal, Problema> {
    if !f.is_finite() {
        return Err(format!("«{f}» no es un valor en pesos"));
    }
    let mut buf = Pila::default();
    if write!(buf, "{f}").is_err() {
        return Err(format!("«{f}» es demasiado grande para un valor en pesos"));
    }
    let texto = buf.as_str();
    let d = Decimal::from_str(texto).map_err(|_| format!("«{texto}» no es un valor en pesos válido"))?;
    // Digits of the integer part, to know how many decimals fit in 15 significant digits.
    let sin_signo = texto.trim_start_matches('-');
    let digitos_enteros = match sin_signo.find('.').unwrap_or(sin_signo.len()) {
        1 if sin_signo.starts_with('0') => 0,
        n => n as u32,
    };
    let decimales_visibles = 15u32.saturating_sub(digitos_enteros).max(2);
    let visible = d
        .round_dp_with_strategy(decimales_visibles, RoundingStrategy::MidpointAwayFromZero)
        .normalize();
    if visible.scale() > 2 {
        return Err(format!(
            "«{visible}» tiene más de dos decimales; se espera un valor en pesos con centavos como máximo"
        ));
    }
    Ok(visible.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero))
}

/// An amount written as text: `1.234.567,89`, `1,234,567.89`, `$ 1.234.567`, `1234567`,
/// `$1.234.567,00`, `COP 1.500`, `-1.500` / `(1.500)` (negative).
///
/// The meaning of `.` and `,` is decided for each value: the last of them, when 1 or 2 digits
/// follow it, is the decimal separator; every other one must separate groups of exactly three
/// digits (and be the other character). `1.234` and `1,234` are therefore 1234 pesos, never 1.234.
pub(crate) fn valor_de_texto(texto: &str) -> Result<Decimal, Problema> {
    let invalido = || {
        format!(
            "«{}» no es un valor en pesos válido; se aceptan {FORMATOS_VALOR}",
            texto.trim()
        )
    };
    let mut s = texto.trim();
    let mut negativo = false;
    if let Some(resto) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        negativo = true;
        s = resto.trim();
    }
    if let Some(resto) = s.strip_prefix('-') {
        negativo = true;
        s = resto.trim_start();
    }
    for moneda in ["$", "COP", "cop"] {
        if let Some(resto) = s.strip_prefix(moneda) {
            s = resto.trim_start();
            break;
        }
    }
    if let Some(resto) = s.strip_prefix('-') {
        negativo = true;
        s = resto.trim_start();
    }
    // Spaces (also non-breaking, and thin ones some exports use) are group separators at most.
    let mut limpio = [0u8; 64];
    let mut n = 0;
    for c in s.chars() {
        if c.is_whitespace() || c == '\u{a0}' || c == '\u{202f}' {
            continue;
        }
        if !(c.is_ascii_digit() || c == '.' || c == ',') || n == limpio.len() {
            return Err(invalido());
        }
        limpio[n] = c as u8;
        n += 1;
    }
    let b = &limpio[..n];
    if b.is_empty() || !b[0].is_ascii_digit() {
        return Err(invalido());
    }
    // Decide the decimal separator.
    let ultimo = b.iter().rposition(|&c| c == b'.' || c == b',');
    let (entero, decimales, separador_decimal) = match ultimo {
        None => (b, &b[..0], None),
        Some(p) => {
            let tras = b.len() - p - 1;
            if tras == 1 || tras == 2 {
                (&b[..p], &b[p + 1..], Some(b[p]))
            } else if tras == 3 {
                (b, &b[..0], None)
            } else {
                return Err(invalido());
            }
        }
    };
    if !decimales.iter().all(u8::is_ascii_digit) {
        return Err(invalido());
    }
    // The integer part: plain digits, or groups of three after a first group of 1 to 3 digits
    // (not starting with 0), all separated by the same character, which is not the decimal one.
    let mut numero = String::with_capacity(b.len() + 1);
    let mut separador_grupos = None;
    let mut largo_grupo = 0;
    let mut primer_grupo = true;
    for &c in entero {
        if c.is_ascii_digit() {
            numero.push(c as char);
            largo_grupo += 1;
            continue;
        }
        let grupo_valido = if primer_grupo {
            (1..=3).contains(&largo_grupo) && entero[0] != b'0'
        } else {
            largo_grupo == 3
        };
        if !grupo_valido || Some(c) == separador_decimal || separador_grupos.is_some_and(|s| s != c) {
            return Err(invalido());
        }
        separador_grupos = Some(c);
        primer_grupo = false;
        largo_grupo = 0;
    }
    if separador_grupos.is_some() && largo_grupo != 3 {
        return Err(invalido());
    }
    if !decimales.is_empty() {
        numero.push('.');
        numero.extend(decimales.iter().map(|&c| c as char));
    }
    let mut v = Decimal::from_str(&numero).map_err(|_| invalido())?;
    if negativo {
        v.set_sign_negative(true);
    }
    Ok(v)
}

/// A small stack buffer to format a number without allocating (f64 `{}` of a money amount fits;
/// longer output is refused).
struct Pila {
    buf: [u8; 64],
    len: usize,
}

impl Default for Pila {
    fn default() -> Pila {
        Pila { buf: [0; 64], len: 0 }
    }
}

impl Pila {
    fn as_str(&self) -> &str {
        // Only whole `&str`s are ever copied in, so the bytes are UTF-8.
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or("")
    }
}

impl std::fmt::Write for Pila {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let fin = self.len + s.len();
        if fin > self.buf.len() {
            return Err(std::fmt::Error);
        }
        self.buf[self.len..fin].copy_from_slice(s.as_bytes());
        self.len = fin;
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Dates.

/// A date: a date cell, an Excel serial number, or text `dd/mm/yyyy`, `d/m/yy`, `yyyy-mm-dd`,
/// `dd-mm-yyyy` (also `dd.mm.yyyy`; a time after the date is ignored). Day before month always:
/// Colombia writes dates that way. Two-digit years are 2000–2099.
pub(crate) fn fecha(celda: Celda<'_>) -> Result<NaiveDate, Problema> {
    let invalida = || {
        format!(
            "«{}» no es una fecha válida; se aceptan {FORMATOS_FECHA}",
            celda.mostrar()
        )
    };
    match celda {
        Celda::Fecha(d) => {
            if d.is_duration() || !(1.0..=SERIAL_MAXIMO).contains(&d.as_f64()) {
                return Err(invalida());
            }
            let (a, m, dia, ..) = d.to_ymd_hms_milli();
            NaiveDate::from_ymd_opt(a as i32, m as u32, dia as u32).ok_or_else(invalida)
        }
        Celda::Numero(f) => {
            if !(1.0..=SERIAL_MAXIMO).contains(&f) {
                return Err(invalida());
            }
            // A number in a date column is an Excel serial (1900 epoch, the default of every
            // spreadsheet; a 1904 workbook marks its dates as date cells, handled above).
            let (a, m, dia, ..) =
                ExcelDateTime::new(f, calamine::ExcelDateTimeType::DateTime, false).to_ymd_hms_milli();
            NaiveDate::from_ymd_opt(a as i32, m as u32, dia as u32).ok_or_else(invalida)
        }
        Celda::Texto(s) | Celda::FechaIso(s) => fecha_de_texto(s).ok_or_else(invalida),
        Celda::Error => Err(ERROR_FORMULA.to_string()),
        _ => Err(invalida()),
    }
}

/// A date written as text; `None` when it is not one of the accepted forms or not a real date.
pub(crate) fn fecha_de_texto(texto: &str) -> Option<NaiveDate> {
    let s = texto.trim();
    // Drop a time part: "05/03/2024 00:00", "2024-03-05T00:00:00".
    let s = s.split([' ', 'T']).next().unwrap_or(s);
    let b = s.as_bytes();
    let mut partes = [0u32; 3];
    let mut largos = [0usize; 3];
    let mut i = 0;
    let mut separador = None;
    for (k, &c) in b.iter().enumerate() {
        if c.is_ascii_digit() {
            if largos[i] == 4 {
                return None;
            }
            partes[i] = partes[i] * 10 + (c - b'0') as u32;
            largos[i] += 1;
        } else if matches!(c, b'/' | b'-' | b'.') {
            if i == 2 || largos[i] == 0 || separador.is_some_and(|s| s != c) || k + 1 == b.len() {
                return None;
            }
            separador = Some(c);
            i += 1;
        } else {
            return None;
        }
    }
    if i != 2 || largos[2] == 0 {
        return None;
    }
    let (anio, mes, dia) = if largos[0] == 4 {
        // yyyy-mm-dd (or yyyy/mm/dd)
        if largos[1] > 2 || largos[2] > 2 {
            return None;
        }
        (partes[0] as i32, partes[1], partes[2])
    } else {
        if largos[0] > 2 || largos[1] > 2 {
            return None;
        }
        let anio = match largos[2] {
            4 => partes[2] as i32,
            2 => 2000 + partes[2] as i32,
            _ => return None,
        };
        (anio, partes[1], partes[0])
    };
    NaiveDate::from_ymd_opt(anio, mes, dia)
}
