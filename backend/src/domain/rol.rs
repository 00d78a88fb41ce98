//! Roles of the people who use Trazo, and what each may do.

super::text_enum! {
    /// What a user does at the prestador; it decides which actions the user may take.
    Rol {
        /// Manages users, payers and contracts of the prestador.
        Admin => "admin",
        /// Billing staff: issue and radicate invoices.
        Facturacion => "facturacion",
        /// Answers glosas and collects.
        Cartera => "cartera",
        /// Reads and reports.
        Finanzas => "finanzas",
        /// Read-only, sees the event log.
        Auditor => "auditor",
        /// A payer's analyst in the payer's window: sees only that payer's invoices, statement
        /// and trazabilidad, and announces payments for the cartera team to confirm.
        Pagador => "pagador",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_and_unknown_lists_allowed() {
        for r in Rol::ALL {
            assert_eq!(r.as_str().parse::<Rol>().unwrap(), *r);
        }
        let err = "gerente".parse::<Rol>().unwrap_err().to_string();
        assert!(
            err.contains("'gerente'") && err.contains("facturacion") && err.contains("auditor"),
            "{err}"
        );
    }
}
