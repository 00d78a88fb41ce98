//! Amounts of a bank statement, exact, in the notation its profile states.
//!
//! A sheet's amounts are read with the notation the profile declares and no other: a bank exports
//! all its amounts alike, and guessing per value would read `1.234` as 1234 pesos in one file and
//! 1,234 in another. Fractions of a centavo are refused, never rounded (money is not changed).

use std::str::FromStr;

use rust_decimal::Decimal;

use super::perfil::FormatoValor;

/// A signed amount as text: `1.234.567,89` or `1234567.89` (per `formato`), with an optional
/// `$`/`COP`, a sign (`-1.500,00`, `1.500,00-`, `(1.500,00)`) and spaces.
pub(crate) fn de_texto(texto: &str, formato: FormatoValor) -> Result<Decimal, String> {
    let invalido = || {
        format!(
            "«{}» no es un valor en pesos como lo escribe este banco ({})",
            texto.trim(),
            formato.ejemplo()
        )
    };
    let mut s = texto.trim();
    let mut negativo = false;
    if let Some(r) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        negativo = true;
        s = r.trim();
    }
    if let Some(r) = s.strip_prefix('-') {
        negativo = true;
        s = r.trim_start();
    }
    if let Some(r) = s.strip_suffix('-') {
        negativo = true;
        s = r.trim_end();
    }
    for moneda in ["$", "COP", "cop"] {
        if let Some(r) = s.strip_prefix(moneda) {
            s = r.trim_start();
        }
    }
    if let Some(r) = s.strip_prefix('-') {
        negativo = true;
        s = r.trim_start();
    }
    let (decimal, grupos) = match formato {
        FormatoValor::PuntoMiles => (',', '.'),
        FormatoValor::PuntoDecimal => ('.', ','),
    };
    let limpio: String = s
        .chars()
        .filter(|c| !(c.is_whitespace() || *c == '\u{a0}' || *c == '\u{202f}'))
        .collect();
    if limpio.is_empty()
        || !limpio
            .chars()
            .all(|c| c.is_ascii_digit() || c == decimal || c == grupos)
    {
        return Err(invalido());
    }
    let (entero, fraccion) = match limpio.split_once(decimal) {
        Some((e, f)) => (e, Some(f)),
        None => (limpio.as_str(), None),
    };
    if let Some(f) = fraccion {
        if f.is_empty() || !f.chars().all(|c| c.is_ascii_digit()) {
            return Err(invalido());
        }
        if f.len() > 2 && f[2..].chars().any(|c| c != '0') {
            return Err(format!(
                "«{}» tiene fracciones de centavo: se esperan pesos con dos decimales como máximo",
                texto.trim()
            ));
        }
    }
    // Group separators are optional, but when present every group after the first has three
    // digits: `1.23.4` is a typing error, not 1234.
    let partes: Vec<&str> = entero.split(grupos).collect();
    if partes.iter().any(|p| p.is_empty())
        || (partes.len() > 1 && (partes[0].len() > 3 || partes[1..].iter().any(|p| p.len() != 3)))
    {
        return Err(invalido());
    }
    let mut numero: String = partes.concat();
    if let Some(f) = fraccion {
        numero.push('.');
        numero.push_str(&f[..f.len().min(2)]);
    }
    let mut v = Decimal::from_str(&numero).map_err(|_| invalido())?;
    if negativo {
        v.set_sign_negative(true);
    }
    Ok(v.normalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn each_notation_reads_only_its_own_amounts() {
        let m = FormatoValor::PuntoMiles;
        assert_eq!(de_texto("1.234.567,89", m).unwrap(), d("1234567.89"));
        assert_eq!(de_texto("$ 3.450.000,00", m).unwrap(), d("3450000"));
        assert_eq!(de_texto("1234567,5", m).unwrap(), d("1234567.5"));
        assert_eq!(de_texto("-1.500,00", m).unwrap(), d("-1500"));
        assert_eq!(de_texto("1.500,00-", m).unwrap(), d("-1500"));
        assert_eq!(de_texto("(1.500)", m).unwrap(), d("-1500"));
        // In this notation a point groups thousands: 1.234 is 1234 pesos.
        assert_eq!(de_texto("1.234", m).unwrap(), d("1234"));
        assert!(de_texto("1234567.89", m).is_err());
        assert!(de_texto("1.23.4", m).is_err());
        let p = FormatoValor::PuntoDecimal;
        assert_eq!(de_texto("1234567.89", p).unwrap(), d("1234567.89"));
        assert_eq!(de_texto("1,234,567.89", p).unwrap(), d("1234567.89"));
        assert!(de_texto("1.234.567,89", p).is_err());
        assert!(de_texto("abc", p).is_err());
        assert!(de_texto("", p).is_err());
    }

    #[test]
    fn a_fraction_of_a_centavo_is_refused_not_rounded() {
        let e = de_texto("1.000,005", FormatoValor::PuntoMiles).unwrap_err();
        assert!(e.contains("fracciones de centavo"), "{e}");
        assert!(de_texto("1000.001", FormatoValor::PuntoDecimal).is_err());
        // Trailing zeros are not a fraction.
        assert_eq!(de_texto("1000.500", FormatoValor::PuntoDecimal).unwrap(), d("1000.5"));
    }
}
