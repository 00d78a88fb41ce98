#![no_main]
// The pre-parse walk of `limites::revisar` reads hostile files first: it must never panic,
// whatever the bytes (a zip package, an OLE file, XML, anything).
use trazo_importers::archivo::LimitesArchivo;
use trazo_importers::limites::revisar;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let limites = LimitesArchivo {
        max_bytes_entrada: 4 << 20,
        max_celdas: 10_000,
        max_elementos_xml: 10_000,
        ..Default::default()
    };
    let _ = revisar("fuzz", data, &limites);
    let mut z = b"PK\x03\x04".to_vec();
    z.extend_from_slice(data);
    let _ = revisar("fuzz.xlsx", &z, &limites);
    let mut x = b"<".to_vec();
    x.extend_from_slice(data);
    let _ = revisar("fuzz.xml", &x, &limites);
});
