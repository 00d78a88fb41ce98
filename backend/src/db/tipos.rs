//! The closed sets of the domain (states, roles, types) stored as text: written as their
//! text and read back into their enum, or refused with an error that names the column and
//! the value — never a silent default.

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;

use super::DbBackend;

/// A stored value outside its set: the database holds something this version of Trazo does
/// not know (a hand edit, a newer version's value).
#[derive(Debug, thiserror::Error)]
#[error("{columna} guarda {error}")]
pub struct ValorDesconocido {
    pub columna: &'static str,
    pub error: crate::domain::UnknownValue,
}

/// `ToSql`/`FromSql` of a text enum for one backend: written as its text, read back through
/// its `FromStr`.
macro_rules! texto_en {
    ($tipo:ty, $columna:literal, $backend:ty) => {
        impl ToSql<Text, $backend> for $tipo {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, $backend>) -> serialize::Result {
                <str as ToSql<Text, $backend>>::to_sql(self.as_str(), out)
            }
        }

        impl FromSql<Text, $backend> for $tipo {
            fn from_sql(bytes: <$backend as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                let texto = <String as FromSql<Text, $backend>>::from_sql(bytes)?;
                texto.parse::<$tipo>().map_err(|error| {
                    Box::new(ValorDesconocido {
                        columna: $columna,
                        error,
                    }) as Box<dyn std::error::Error + Send + Sync>
                })
            }
        }
    };
}

/// Each backend binds and reads on its own (a multi-row INSERT goes to the concrete
/// connection), so every type needs all three.
macro_rules! columnas_de_texto {
    ($($tipo:ty => $columna:literal),+ $(,)?) => {$(
        texto_en!($tipo, $columna, DbBackend);
        texto_en!($tipo, $columna, diesel::sqlite::Sqlite);
        texto_en!($tipo, $columna, diesel::pg::Pg);
    )+};
}

columnas_de_texto! {
    crate::domain::factura::EstadoFactura => "facturas.estado",
    crate::domain::glosa::EstadoGlosa => "glosas.estado",
    crate::domain::glosa::ResultadoDecision => "glosas.resultado_decision",
    crate::domain::rol::Rol => "usuarios.rol",
    crate::domain::pagador::TipoPagador => "pagadores.tipo",
    crate::domain::contrato::Modalidad => "contratos.modalidad",
    crate::domain::cobro::Etapa => "cobro_pagadores.etapa / etapas.etapa",
    crate::domain::cobro::TipoGestion => "gestiones.tipo",
    crate::domain::devolucion::DecisionDevolucion => "devoluciones.decision",
    crate::domain::importacion::TipoImportacion => "importaciones.tipo",
    crate::domain::importacion::EstadoImportacion => "importaciones.estado",
    crate::domain::acta::ResultadoActa => "acta_facturas.resultado",
    crate::domain::acta::Parte => "compromisos.responsable",
}

#[cfg(test)]
mod tests {
    use diesel::QueryableByName;

    use super::*;
    use crate::db::{cartera, Db};
    use crate::domain::factura::EstadoFactura;

    #[derive(Debug, QueryableByName)]
    struct Fila {
        #[diesel(sql_type = Text)]
        estado: EstadoFactura,
    }

    #[test]
    fn a_stored_state_is_read_into_its_enum_or_refused_naming_column_and_value() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::connect(&dir.path().join("t.db").to_string_lossy(), 1).unwrap();
        let mut c = db.conn().unwrap();
        let leer = |c: &mut crate::db::AnyConnection, valor: &str| {
            cartera::consultar::<Fila>(c, "SELECT ? AS estado", &[cartera::Param::Texto(valor.into())])
        };
        assert_eq!(leer(&mut c, "glosada").unwrap()[0].estado, EstadoFactura::Glosada);
        // Before, an unknown state was read as `expedida`.
        let e = leer(&mut c, "en_el_limbo").unwrap_err().to_string();
        assert!(e.contains("facturas.estado") && e.contains("en_el_limbo"), "{e}");
    }
}
