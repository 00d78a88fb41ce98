#![no_main]
use trazo_importers::archivo::{expandir, LimitesArchivo};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let limites = LimitesArchivo { max_bytes_total: 16 << 20, max_bytes_entrada: 4 << 20, ..Default::default() };
    let mut z = b"PK".to_vec();
    z.extend_from_slice(data);
    let _ = expandir("fuzz.zip", z, &limites);
});
