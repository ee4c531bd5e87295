//! Arbitrary text as a repeat-call topics file (`--topics`).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = callqa::repeat::TopicSet::parse("fuzz.yaml", &text);
});
