//! Values as DIAN writes them: amounts, dates and NITs. Shared by the document (`ubl.rs`) and
//! its health-sector extension (`salud.rs`), which both depend on this module and not on each
//! other.

use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::xml::muestra;

/// Why a value is not an acceptable amount.
pub(crate) enum ErrorMonto {
    NoNumerico,
    Negativo,
    Desborde,
}

/// An amount as DIAN writes it: digits with an optional decimal point (`1250000.00`). No
/// thousands separators, no exponent, no sign other than a (refused) minus.
pub(crate) fn monto(valor: &str) -> Result<Decimal, ErrorMonto> {
    let t = valor.trim();
    let sin_signo = t.strip_prefix('-').unwrap_or(t);
    let (entera, decimales) = match sin_signo.split_once('.') {
        Some((e, d)) => (e, Some(d)),
        None => (sin_signo, None),
    };
    let digitos = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digitos(entera) || !decimales.is_none_or(digitos) {
        return Err(ErrorMonto::NoNumerico);
    }
    let d = Decimal::from_str(t).map_err(|_| ErrorMonto::Desborde)?;
    if d.is_sign_negative() && !d.is_zero() {
        return Err(ErrorMonto::Negativo);
    }
    Ok(d)
}

/// Like [`monto`], and a leading minus is allowed (`cbc:PayableRoundingAmount` may lower the
/// total).
pub(crate) fn monto_con_signo(valor: &str) -> Result<Decimal, ErrorMonto> {
    let t = valor.trim();
    match t.strip_prefix('-') {
        Some(resto) => monto(resto).map(|d| -d),
        None => monto(t),
    }
}

pub(crate) fn mensaje_monto(e: &ErrorMonto, valor: &str) -> String {
    let v = muestra(valor.trim());
    match e {
        ErrorMonto::NoNumerico => format!("se espera un valor numérico como 1250000.00; llegó '{v}'"),
        ErrorMonto::Negativo => format!("el valor no puede ser negativo; llegó '{v}'"),
        ErrorMonto::Desborde => format!("el valor '{v}' es demasiado grande"),
    }
}

pub(crate) fn fecha(valor: &str) -> Option<NaiveDate> {
    let b = valor.as_bytes();
    let forma = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !forma {
        return None;
    }
    NaiveDate::parse_from_str(valor, "%Y-%m-%d").ok()
}

/// A NIT as digits only: dots and spaces removed, and a trailing `-d` check digit dropped.
pub(crate) fn nit(valor: &str) -> Option<String> {
    let limpio: String = valor.chars().filter(|c| !c.is_whitespace() && *c != '.').collect();
    let sin_dv = match limpio.rsplit_once('-') {
        Some((n, dv)) if dv.len() == 1 && dv.bytes().all(|b| b.is_ascii_digit()) => n.to_string(),
        _ => limpio,
    };
    (!sin_dv.is_empty() && sin_dv.bytes().all(|b| b.is_ascii_digit())).then_some(sin_dv)
}
