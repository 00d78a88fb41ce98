//! Payers (entidades responsables de pago).

super::text_enum! {
    /// The kind of payer; it decides which rules and terms apply to its invoices.
    TipoPagador {
        EpsContributivo => "eps_contributivo",
        EpsSubsidiado => "eps_subsidiado",
        /// Administradora de los Recursos del SGSSS (giro directo, reclamaciones).
        Adres => "adres",
        /// Secretarías de salud, for the population without an EPS.
        EnteTerritorial => "ente_territorial",
        /// Traffic-accident insurers (FURIPS claims).
        Soat => "soat",
        /// Work-accident insurers.
        Arl => "arl",
        Prepagada => "prepagada",
        Particular => "particular",
        Otro => "otro",
    }
}
