//! Money: exact decimals in the API and the domain, integer centavos in the database.
//! Never `f64`.

use rust_decimal::Decimal;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("el valor {0} tiene más de dos decimales (se esperan pesos con centavos, p. ej. \"1250000.00\")")]
    Decimales(Decimal),
    #[error("el valor {0} no puede ser negativo")]
    Negativo(Decimal),
    #[error("el valor {0} supera el máximo que Trazo acepta en un valor ($ 1.000.000.000.000,00, un billón de pesos)")]
    Desborde(Decimal),
}

/// The largest amount one value may carry: a billón de pesos, far above any invoice or
/// payment of the sector, and low enough that sums of millions of values never overflow.
pub const MAXIMO_CENTAVOS: i64 = 1_000_000_000_000 * 100;

/// Converts pesos to centavos, refusing sub-centavo precision instead of rounding it away.
pub fn to_centavos(valor: Decimal) -> Result<i64, MoneyError> {
    let normal = valor.normalize();
    if normal.scale() > 2 {
        return Err(MoneyError::Decimales(valor));
    }
    let centavos = normal
        .checked_mul(Decimal::ONE_HUNDRED)
        .ok_or(MoneyError::Desborde(valor))?;
    i64::try_from(centavos)
        .ok()
        .filter(|c| c.abs() <= MAXIMO_CENTAVOS)
        .ok_or(MoneyError::Desborde(valor))
}

/// Like [`to_centavos`] for values that can only be zero or more (invoice totals, payments).
pub fn to_centavos_no_negativo(valor: Decimal) -> Result<i64, MoneyError> {
    if valor.is_sign_negative() && !valor.is_zero() {
        return Err(MoneyError::Negativo(valor));
    }
    to_centavos(valor)
}

/// Centavos back to pesos, always with two decimals so `"1250000.00"` reads as money.
pub fn from_centavos(centavos: i64) -> Decimal {
    Decimal::new(centavos, 2)
}

/// An amount as people in Colombia write it: `$ 30.380.750,00` (thousands with dots, decimals
/// with a comma).
pub fn pesos_colombianos(centavos: i64) -> String {
    let signo = if centavos < 0 { "-" } else { "" };
    let c = centavos.unsigned_abs();
    let enteros = (c / 100).to_string();
    let mut miles = String::new();
    for (i, d) in enteros.chars().enumerate() {
        if i > 0 && (enteros.len() - i).is_multiple_of(3) {
            miles.push('.');
        }
        miles.push(d);
    }
    format!("{signo}$ {miles},{:02}", c % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_written_the_colombian_way() {
        assert_eq!(pesos_colombianos(3_038_075_000), "$ 30.380.750,00");
        assert_eq!(pesos_colombianos(5), "$ 0,05");
        assert_eq!(pesos_colombianos(100_000), "$ 1.000,00");
        assert_eq!(pesos_colombianos(-12_345_678), "-$ 123.456,78");
    }
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn pesos_and_centavos_round_trip_exactly() {
        assert_eq!(to_centavos(d("1250000.00")).unwrap(), 125_000_000);
        assert_eq!(to_centavos(d("0.1")).unwrap(), 10);
        assert_eq!(to_centavos(d("7")).unwrap(), 700);
        assert_eq!(to_centavos(d("12.3400")).unwrap(), 1234);
        assert_eq!(from_centavos(125_000_000).to_string(), "1250000.00");
        assert_eq!(from_centavos(5).to_string(), "0.05");
        // 0.1 + 0.2 is 0.3 to the centavo, which f64 cannot promise.
        assert_eq!(
            from_centavos(to_centavos(d("0.1")).unwrap() + to_centavos(d("0.2")).unwrap()),
            d("0.30")
        );
    }

    #[test]
    fn sub_centavo_negative_and_huge_values_are_refused() {
        assert_eq!(to_centavos(d("10.005")), Err(MoneyError::Decimales(d("10.005"))));
        assert_eq!(
            to_centavos_no_negativo(d("-1.00")),
            Err(MoneyError::Negativo(d("-1.00")))
        );
        assert_eq!(to_centavos_no_negativo(d("0.00")).unwrap(), 0);
        assert!(matches!(
            to_centavos(d("99999999999999999999")),
            Err(MoneyError::Desborde(_))
        ));
        // The largest i64 of centavos is no amount anyone owes; a billón is the ceiling.
        assert_eq!(to_centavos(d("1000000000000.00")).unwrap(), MAXIMO_CENTAVOS);
        for fuera in ["1000000000000.01", "92233720368547758.07", "-1000000000000.01"] {
            assert!(matches!(to_centavos(d(fuera)), Err(MoneyError::Desborde(_))), "{fuera}");
        }
    }
}
