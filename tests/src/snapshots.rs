//! Snapshots of large answers (a trazabilidad, problem bodies, the OpenAPI document) with
//! what changes from run to run redacted, so one snapshot holds on SQLite and PostgreSQL.
//! They live in `tests/e2e/snapshots/`; `cargo insta review` accepts a change after an
//! intended one. CI (CI=true) never writes them: a missing or different snapshot fails.

use insta::internals::Content;

/// Keys whose values are ids, which are new on every run.
const IDS: &[&str] = &[
    "id",
    "acuerdo_id",
    "contrato_id",
    "devolucion_id",
    "factura_id",
    "glosa_id",
    "pagador_id",
    "pago_id",
    "prestador_id",
    "responsable_id",
    "usuario_id",
];

/// Keys whose values are the moment something was written.
const TIMES: &[&str] = &["registrado_en", "creado_en", "actualizado_en"];

/// Keys whose text may carry ids or the random part of a test user's e-mail.
const TEXTS: &[&str] = &["actor", "detail", "message"];

/// Redactions for every snapshot of the suite: ids, write times, and the random parts of
/// e-mails and messages (`facturacion-0197…@prueba.trazo` becomes
/// `facturacion-[id]@prueba.trazo`, keeping who did it).
pub fn redactions() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    for key in IDS {
        s.add_redaction(&format!(".**.{key}"), insta::dynamic_redaction(|v, _| redact_id(v)));
    }
    for key in TIMES {
        s.add_redaction(
            &format!(".**.{key}"),
            insta::dynamic_redaction(|v: Content, _| match v.as_str() {
                Some(_) => Content::from("[time]"),
                None => v,
            }),
        );
    }
    for key in TEXTS {
        s.add_redaction(
            &format!(".**.{key}"),
            insta::dynamic_redaction(|v: Content, _| match v.as_str() {
                Some(text) => Content::from(without_ids(text)),
                None => v,
            }),
        );
    }
    s
}

/// An id (or a list of them) becomes `[id]`; a null stays null, so the snapshot still says
/// whether there was one.
fn redact_id(v: Content) -> Content {
    match v {
        Content::Seq(ids) => Content::Seq(ids.into_iter().map(redact_id).collect()),
        v if v.as_str().is_some() => Content::from("[id]"),
        v => v,
    }
}

/// `text` with every UUID (hyphenated or not) replaced by `[id]`.
pub fn without_ids(text: &str) -> String {
    let b = text.as_bytes();
    let hex = |i: usize| b.get(i).is_some_and(u8::is_ascii_hexdigit);
    let uuid_at = |i: usize| -> Option<usize> {
        let hyphenated = (0..36).all(|k| match k {
            8 | 13 | 18 | 23 => b.get(i + k) == Some(&b'-'),
            _ => hex(i + k),
        });
        if hyphenated && !hex(i + 36) {
            return Some(36);
        }
        ((0..32).all(|k| hex(i + k)) && !hex(i + 32)).then_some(32)
    };
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        let starts = i == 0 || !hex(i - 1);
        match uuid_at(i).filter(|_| starts) {
            Some(len) => {
                out.push_str("[id]");
                i += len;
            }
            None => {
                let c = text[i..].chars().next().expect("char");
                out.push(c);
                i += c.len_utf8();
            }
        }
    }
    out
}

/// `snapshot!("name", value)`: the JSON snapshot `name` of `value` with the suite's
/// [`redactions`], stored beside the calling module in `snapshots/`.
#[macro_export]
macro_rules! snapshot {
    ($name:expr, $value:expr) => {
        $crate::snapshots::redactions()
            .bind(|| $crate::insta::assert_json_snapshot!($name, $crate::snapshots::Plano(&$value)))
    };
}

/// A JSON value that serializes its numbers as numbers to any serializer. Trazo reads JSON
/// numbers exactly (serde_json's `arbitrary_precision`, so amounts never pass through a
/// float); serde_json then hands numbers to other serializers, such as insta's, as a private
/// map, which would make every snapshot say `{"$serde_json::private::Number": "400"}`.
pub struct Plano<'a>(pub &'a serde_json::Value);

impl serde::Serialize for Plano<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde_json::Value;
        match self.0 {
            Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => s.serialize_u64(u),
                (_, Some(i), _) => s.serialize_i64(i),
                (_, _, Some(f)) => s.serialize_f64(f),
                _ => s.serialize_str(&n.to_string()),
            },
            Value::Array(a) => s.collect_seq(a.iter().map(Plano)),
            Value::Object(o) => s.collect_map(o.iter().map(|(k, v)| (k, Plano(v)))),
            otro => otro.serialize(s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::without_ids;

    #[test]
    fn uuids_and_random_email_parts_are_redacted_and_nothing_else() {
        assert_eq!(
            without_ids("facturacion-0197a3b2c4d5e6f708192a3b4c5d6e7f@prueba.trazo"),
            "facturacion-[id]@prueba.trazo"
        );
        assert_eq!(
            without_ids("no existe la factura 0197a3b2-c4d5-7e6f-8081-92a3b4c5d6e7."),
            "no existe la factura [id]."
        );
        assert_eq!(without_ids("FEV-10023 por $1.000.000"), "FEV-10023 por $1.000.000");
        assert_eq!(without_ids("regla"), "regla");
    }
}
