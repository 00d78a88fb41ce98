//! What an import run is and where it stands: stored as text in `importaciones`.

super::text_enum! {
    /// What a run imports.
    TipoImportacion {
        /// Invoices and notas crédito: UBL 2.1 XML, bare or inside an AttachedDocument.
        DianXml => "dian_xml",
        /// RIPS JSON of Res. 2275/2023, one file per invoice.
        RipsJson => "rips_json",
        /// Flat RIPS of Res. 3374/2000 (AF, US, AC... files of one delivery).
        RipsPlanos => "rips_planos",
        /// A payer's sheet of glosas (xlsx, xls, ods, csv).
        GlosasXlsx => "glosas_xlsx",
        /// A payer's sheet of payments.
        PagosXlsx => "pagos_xlsx",
    }
}

super::text_enum! {
    EstadoImportacion {
        /// Waiting its turn: at most `importaciones.max_simultaneas` runs work at once.
        EnCola => "en_cola",
        EnCurso => "en_curso",
        /// Everything was written.
        Terminada => "terminada",
        /// Something was wrong: nothing was written; see `errores`.
        Rechazada => "rechazada",
        /// Dry run: what would have been written was counted, nothing was.
        Simulada => "simulada",
        /// The server failed; nothing was written.
        Fallida => "fallida",
        /// The server running it stopped before it ended (a crash, a restart); nothing was
        /// written: upload it again.
        Interrumpida => "interrumpida",
    }
}
