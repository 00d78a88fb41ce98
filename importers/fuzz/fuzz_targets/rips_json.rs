#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = trazo_importers::rips::parse_json(data, "fuzz.json");
});
