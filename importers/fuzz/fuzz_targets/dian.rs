#![no_main]
// Any bytes: the DIAN parser returns a document or errors, never panics or hangs.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = trazo_importers::dian::parse(data, "fuzz.xml");
});
