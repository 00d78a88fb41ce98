//! NIT (número de identificación tributaria) of prestadores and pagadores.
//!
//! Stored as its digits without the dígito de verificación, so `900.123.456-8`, `900123456-8`
//! and `900123456` are the same party. When a DV is written it must be right: a wrong DV is
//! almost always a typing error in the number.

use std::fmt;

/// Weights of the DIAN check-digit algorithm, applied from the rightmost digit
/// (DIAN, cálculo del dígito de verificación, módulo 11).
const PESOS: [u32; 15] = [3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71];

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Nit(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NitError {
    #[error("el NIT '{0}' debe tener entre 5 y 15 dígitos (puntos, espacios y el guion del dígito de verificación se permiten)")]
    Formato(String),
    #[error("el dígito de verificación de '{nit}' no es {dado}: para ese número es {esperado}")]
    DigitoVerificacion { nit: String, dado: u32, esperado: u32 },
}

impl Nit {
    /// Parses a NIT as people write it: `900.123.456-8`, `900123456 - 8` or `900123456`.
    pub fn parse(text: &str) -> Result<Nit, NitError> {
        let compact: String = text.chars().filter(|c| !c.is_whitespace() && *c != '.').collect();
        let (numero, dv) = match compact.split_once('-') {
            Some((n, d)) => (n, Some(d)),
            None => (compact.as_str(), None),
        };
        let valid_digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
        if !valid_digits(numero) || !(5..=15).contains(&numero.len()) {
            return Err(NitError::Formato(text.to_string()));
        }
        if let Some(dv) = dv {
            if dv.len() != 1 || !valid_digits(dv) {
                return Err(NitError::Formato(text.to_string()));
            }
            let dado = dv.parse::<u32>().unwrap_or(10);
            let esperado = digito_verificacion(numero);
            if dado != esperado {
                return Err(NitError::DigitoVerificacion {
                    nit: text.to_string(),
                    dado,
                    esperado,
                });
            }
        }
        Ok(Nit(numero.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn dv(&self) -> u32 {
        digito_verificacion(&self.0)
    }
}

impl fmt::Display for Nit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.0, self.dv())
    }
}

/// The DIAN check digit of a string of ASCII digits.
pub fn digito_verificacion(digits: &str) -> u32 {
    let suma: u32 = digits
        .bytes()
        .rev()
        .zip(PESOS.iter())
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    match suma % 11 {
        r @ (0 | 1) => r,
        r => 11 - r,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digit_of_known_public_nits() {
        // Published NITs: Bancolombia, ADRES, DIAN.
        assert_eq!(digito_verificacion("890903938"), 8);
        assert_eq!(digito_verificacion("901037916"), 1);
        assert_eq!(digito_verificacion("800197268"), 4);
    }

    #[test]
    fn the_ways_people_write_a_nit_are_one_nit() {
        let a = Nit::parse("901.037.916-1").unwrap();
        assert_eq!(a, Nit::parse("901037916").unwrap());
        assert_eq!(a, Nit::parse(" 901037916 - 1 ").unwrap());
        assert_eq!(a.as_str(), "901037916");
        assert_eq!(a.to_string(), "901037916-1");
    }

    #[test]
    fn wrong_check_digit_says_which_is_right() {
        let err = Nit::parse("901037916-7").unwrap_err();
        assert_eq!(
            err,
            NitError::DigitoVerificacion {
                nit: "901037916-7".into(),
                dado: 7,
                esperado: 1
            }
        );
        assert!(err.to_string().contains("es 1"));
    }

    #[test]
    fn malformed_nits_are_refused() {
        for bad in [
            "",
            "abc",
            "1234",
            "90103791A",
            "901037916-",
            "901037916-12",
            "1234567890123456",
        ] {
            assert!(matches!(Nit::parse(bad), Err(NitError::Formato(_))), "{bad}");
        }
    }
}
