//! Reading a [`super::DecimalExacto`] from a request: plain decimal notation only. `"1e5"`
//! parses as a number elsewhere, but nobody writes an amount so, and a clerk who did made a
//! mistake worth naming.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

const EJEMPLO: &str = "un valor escrito con punto decimal y sin exponente, p. ej. \"1250000.50\"";

fn leer<E: serde::de::Error>(v: Value) -> Result<Decimal, E> {
    let texto = match v {
        Value::String(s) => s.trim().to_string(),
        // serde_json keeps the digits as written (arbitrary_precision).
        Value::Number(n) => n.to_string(),
        _ => return Err(E::custom(format!("se espera {EJEMPLO}"))),
    };
    let simple = !texto.is_empty()
        && texto
            .chars()
            .enumerate()
            .all(|(i, c)| c.is_ascii_digit() || c == '.' || (i == 0 && (c == '-' || c == '+')));
    if !simple {
        return Err(E::custom(format!("se espera {EJEMPLO}")));
    }
    Decimal::from_str(&texto).map_err(|_| E::custom(format!("se espera {EJEMPLO}")))
}

pub fn requerido<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    leer(Value::deserialize(d)?)
}

pub fn opcional<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(v) => leer(v).map(Some),
    }
}

#[cfg(test)]
mod tests {
    #[derive(serde::Deserialize)]
    struct Monto {
        #[serde(deserialize_with = "super::requerido")]
        valor: rust_decimal::Decimal,
        #[serde(default, deserialize_with = "super::opcional")]
        otro: Option<rust_decimal::Decimal>,
    }

    #[test]
    fn amounts_in_plain_notation_only() {
        let m: Monto = serde_json::from_str(r#"{"valor": 100000.10, "otro": "0.20"}"#).unwrap();
        assert_eq!(
            (m.valor.to_string(), m.otro.unwrap().to_string()),
            ("100000.10".to_string(), "0.20".to_string())
        );
        let m: Monto = serde_json::from_str(r#"{"valor": "7"}"#).unwrap();
        assert!(m.otro.is_none());
        for malo in [
            r#""1e5""#,
            "1e5",
            r#""1E+5""#,
            r#""12,5""#,
            r#""$100""#,
            r#""""#,
            "true",
        ] {
            let r = serde_json::from_str::<Monto>(&format!(r#"{{"valor": {malo}}}"#));
            let e = r.err().map(|e| e.to_string()).unwrap_or_default();
            assert!(e.contains("sin exponente"), "{malo}: {e}");
        }
    }
}
