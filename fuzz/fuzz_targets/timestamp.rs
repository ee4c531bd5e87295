//! Timestamps as manifests and file names give them.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = callqa::transcript::meta::normalise_timestamp(&text);
    let _ = callqa::transcript::meta::parse_timestamp(&text);
});
