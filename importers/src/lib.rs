//! Parsing only: bytes in, typed records or precise errors out. No database, no HTTP.
//!
//! - [`dian`]: UBL 2.1 Invoice / CreditNote / DebitNote and the AttachedDocument wrapper;
//! - [`rips`]: RIPS JSON (Res. 2275/2023) and flat-file RIPS (Res. 3374/2000);
//! - [`sheets`]: payer spreadsheets (xlsx, xls, ods, csv) read through mapping profiles;
//! - [`banco`]: bank statements (camt.053 XML, and banks' CSV/Excel exports by profile).
//!
//! No input makes these parsers panic: every problem is an [`ImportError`] that names the
//! file, the row, line or path, the field, and what was expected.

pub mod archivo;
pub mod banco;
pub mod dian;
pub mod error;
pub mod limites;
pub mod rips;
pub mod sheets;

pub use error::{ImportError, Ubicacion};
