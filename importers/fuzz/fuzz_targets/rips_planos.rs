#![no_main]
// The input is split in two files of one delivery: an AF and an AC.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let mitad = data.len() / 2;
    let archivos = vec![("AF000001.txt".to_string(), data[..mitad].to_vec()), ("AC000001.txt".to_string(), data[mitad..].to_vec())];
    let _ = trazo_importers::rips::parse_planos(&archivos);
});
