//! The rules of the domain: pure, no I/O, no database. Where a rule comes from a norm, the
//! norm is cited next to it.

pub mod acta;
pub mod anexo1;
pub mod asiento;
pub mod calendario;
pub mod catalogo;
pub mod ciclo;
pub mod cobro;
pub mod conciliacion_bancaria;
pub mod contrato;
pub mod devolucion;
pub mod factura;
pub mod glosa;
pub mod importacion;
pub mod money;
pub mod nit;
pub mod pagador;
pub mod rol;
pub mod soporte;
pub mod terminos;

/// Declares a closed set of values stored and sent as snake_case text: the enum, its text
/// form, parsing with an error that lists what is allowed, serde and the OpenAPI schema.
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        // Stored as its text: `db::tipos` reads it back or fails naming the column and value.
        #[derive(diesel::AsExpression, diesel::FromSqlRow)]
        #[diesel(sql_type = diesel::sql_types::Text)]
        // utoipa does not read a `rename` whose text comes from a macro argument, so the
        // document would show `EpsContributivo`; every text is its variant in snake_case, which
        // utoipa does read (a test compares the document with the texts).
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        /// A value read back from a text column: one outside the set is an error naming the
        /// type and the value, never a silent default.
        impl TryFrom<String> for $name {
            type Error = $crate::domain::ValorGuardado;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                s.parse().map_err(|error| $crate::domain::ValorGuardado {
                    tipo: stringify!($name),
                    error,
                })
            }
        }

        impl From<$name> for String {
            fn from(v: $name) -> String {
                v.as_str().to_string()
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::domain::UnknownValue;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err($crate::domain::UnknownValue {
                        value: s.to_string(),
                        allowed: &[$($text),+],
                    }),
                }
            }
        }
    };
}
pub(crate) use text_enum;

/// A text that is not one of a closed set of values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{value}' no es un valor permitido; se espera uno de: {}", allowed.join(", "))]
pub struct UnknownValue {
    pub value: String,
    pub allowed: &'static [&'static str],
}

/// A stored value that is not one of its closed set: the database holds something this
/// version of Trazo does not know (a hand edit, a newer version's value).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("valor guardado desconocido para {tipo}: {error}")]
pub struct ValorGuardado {
    pub tipo: &'static str,
    pub error: UnknownValue,
}

/// One thing wrong with what a user sent, and where (`items[2].valor_total`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Violation {
    pub path: String,
    pub message: String,
}

impl Violation {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Violation {
        Violation {
            path: path.into(),
            message: message.into(),
        }
    }
}

/// Why the rules refuse an action: the invoice or glosa is not in a state that allows it
/// (a conflict with what already happened), or some values are wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rechazo {
    Estado(String),
    Valores(Vec<Violation>),
}

impl Rechazo {
    pub fn uno(path: &str, message: impl Into<String>) -> Rechazo {
        Rechazo::Valores(vec![Violation::new(path, message)])
    }
}

/// The earliest date of a fact Trazo records: the sector's invoices of before are long
/// prescribed (Código de Comercio art. 789), and `0001-01-01` is a typing error.
pub const FECHA_MINIMA: chrono::NaiveDate = match chrono::NaiveDate::from_ymd_opt(2000, 1, 1) {
    Some(f) => f,
    None => panic!("valid date"),
};

/// Letters and digits of a text, upper-case: `fe-1001`, `FE 1001` and a bank's `FE1001` read
/// alike when references and invoice numbers are compared.
pub fn normal(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect()
}

/// Why `fecha` is too early to be a fact of an invoice's life, if it is.
pub fn antes_de_lo_posible(fecha: chrono::NaiveDate) -> Option<String> {
    (fecha < FECHA_MINIMA).then(|| format!("se espera una fecha desde {FECHA_MINIMA}; llegó {fecha}"))
}
