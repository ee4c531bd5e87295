//! Arbitrary text as a rubric file: YAML parse, schema, compile (phrases, conditions, points).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut set = callqa::analysis::rubric::RubricSet::default();
    let _ = set.add_source("fuzz.yaml", &text);
});
