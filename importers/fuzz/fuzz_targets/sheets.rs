#![no_main]
use std::sync::OnceLock;

use trazo_importers::sheets::{leer_glosas, leer_pagos, Perfil};

// CSV, xlsx, xls and ods are all tried: the reader detects the format from the bytes.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    static PERFIL: OnceLock<Perfil> = OnceLock::new();
    let perfil = PERFIL.get_or_init(Perfil::generico);
    let _ = leer_glosas(data, "fuzz.xlsx", perfil);
    let _ = leer_pagos(data, "fuzz.csv", perfil);
});
