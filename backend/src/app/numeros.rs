//! Finding invoices by the number a payer wrote: exactly, or — payers often drop the prefix or
//! pad with zeros — by its digits when exactly one invoice has them.

use std::collections::HashMap;

/// The digits of a number without leading zeros (`"FE-000123"` → `"123"`).
pub fn digitos(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_digit())
        .collect::<String>()
        .trim_start_matches('0')
        .to_string()
}

/// Invoice ids by number.
pub struct Numeros {
    exacto: HashMap<String, String>,
    por_digitos: HashMap<String, Option<String>>,
}

impl Numeros {
    /// From (numero, id) pairs.
    pub fn de(pares: impl IntoIterator<Item = (String, String)>) -> Numeros {
        let mut exacto = HashMap::new();
        let mut por_digitos: HashMap<String, Option<String>> = HashMap::new();
        for (numero, id) in pares {
            por_digitos
                .entry(digitos(&numero))
                .and_modify(|v| *v = None)
                .or_insert_with(|| Some(id.clone()));
            exacto.insert(numero, id);
        }
        Numeros { exacto, por_digitos }
    }

    pub fn buscar(&self, numero: &str) -> Option<&String> {
        let n = numero.trim().to_uppercase();
        self.exacto
            .get(&n)
            .or_else(|| self.por_digitos.get(&digitos(&n)).and_then(Option::as_ref))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_without_prefix_match_only_when_unambiguous() {
        let n = Numeros::de([
            ("FE-0123".to_string(), "a".to_string()),
            ("FE-200".to_string(), "b".to_string()),
            ("FX-200".to_string(), "c".to_string()),
        ]);
        assert_eq!(n.buscar("fe-0123").map(String::as_str), Some("a"));
        assert_eq!(n.buscar("123").map(String::as_str), Some("a"));
        // Two invoices end in 200: the bare number is ambiguous.
        assert_eq!(n.buscar("200"), None);
        assert_eq!(n.buscar("FX-200").map(String::as_str), Some("c"));
        assert_eq!(n.buscar("999"), None);
    }
}
