//! Acuerdos de voluntades between prestador and pagador.

super::text_enum! {
    /// How the contract pays for services.
    Modalidad {
        /// Each service is billed.
        Evento => "evento",
        /// Fixed amount per affiliate per month.
        Capita => "capita",
        /// Pago global prospectivo.
        Pgp => "pgp",
        /// Paquete, canasta or conjunto integral de atenciones.
        Paquete => "paquete",
        /// Grupo relacionado por diagnóstico.
        Grd => "grd",
        Otra => "otra",
    }
}

/// Longest payment term a contract may state, in days. Ley 1122/2007 art. 13 lit. d sets 30
/// days for evento; longer agreed terms exist, but a year is a typing error, not a contract.
pub const PLAZO_PAGO_MAX_DIAS: i32 = 360;
