//! Bank statements (extractos bancarios) of the prestador's accounts, to match the payers'
//! transfers with payments and invoices.
//!
//! - ISO 20022 **camt.053** (`BkToCstmrStmt/Stmt/Ntry`), the statement Colombian banks give to
//!   companies on request and through their host-to-host channels: [`camt053`].
//! - The CSV / xlsx / xls / ods exports of the banks' web portals, read through a mapping
//!   [`PerfilBanco`] (`config/bancos/*.toml`) like the payers' sheets: [`hoja`].
//!
//! Only credits (abonos) are kept in [`Extracto::movimientos`]: they are the money payers send.
//! Debits (the IPS's own payments, bank charges, taxes) match no invoice of the cartera and are
//! only counted in [`Extracto::debitos`]. Amounts are exact pesos with at most two decimals; a
//! fraction of a centavo is refused, never rounded.

mod camt;
mod hoja;
mod perfil;
mod valor;

#[cfg(test)]
mod tests;

use chrono::NaiveDate;
use rust_decimal::Decimal;

pub use camt::{camt053, es_camt053};
pub use hoja::hoja;
pub use perfil::{FormatoValor, PerfilBanco};

use crate::error::ImportError;

/// One credit of a statement.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Movimiento {
    /// Where it is in the file: `fila 12` of a sheet, `Ntry[3]` of a camt.053.
    pub posicion: String,
    /// Booking date (camt.053 `BookgDt`; the sheet's date column).
    pub fecha: NaiveDate,
    /// Value date (`ValDt`), when the file gives one.
    pub fecha_valor: Option<NaiveDate>,
    /// Pesos, positive, at most two decimals.
    pub valor: Decimal,
    /// The bank's reference of the entry (`AcctSvcrRef`, else `NtryRef`), uppercased; empty
    /// when the file has none.
    pub referencia: String,
    /// What the payer wrote (`RmtInf/Ustrd`) and the bank's own text (`AddtlNtryInf`), or the
    /// sheet's description column.
    pub descripcion: String,
    /// The payer's identification as written (`RltdPties/Dbtr ... OrgId/Othr/Id`: a NIT).
    pub nit_tercero: String,
    /// The payer's name (`RltdPties/Dbtr/Nm`).
    pub nombre_tercero: String,
}

/// What a statement gave: its credits, in file order, and how many debits were left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracto {
    /// The account the file says it is of (camt.053 `Stmt/Acct/Id`), when it says.
    pub cuenta: Option<String>,
    pub movimientos: Vec<Movimiento>,
    pub debitos: usize,
}

impl Extracto {
    /// First and last booking date of its credits.
    pub fn periodo(&self) -> Option<(NaiveDate, NaiveDate)> {
        let min = self.movimientos.iter().map(|m| m.fecha).min()?;
        let max = self.movimientos.iter().map(|m| m.fecha).max()?;
        Some((min, max))
    }
}

/// Reads a statement: camt.053 when the bytes are that XML, else a sheet with `perfil` (an error
/// naming the file when there is no profile for a sheet).
pub fn leer(bytes: &[u8], archivo: &str, perfil: Option<&PerfilBanco>) -> Result<Extracto, Vec<ImportError>> {
    if es_camt053(bytes) {
        return camt053(bytes, archivo);
    }
    match perfil {
        Some(p) => hoja(bytes, archivo, p),
        None => Err(vec![ImportError::new(
            archivo,
            crate::error::Ubicacion::Archivo,
            None,
            "el archivo no es un extracto camt.053 (XML ISO 20022 BkToCstmrStmt); para una hoja CSV o Excel \
             del portal del banco indique el perfil del banco (?perfil=)",
        )]),
    }
}
