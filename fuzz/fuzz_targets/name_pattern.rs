//! `--name-pattern`: the first line is the pattern, the rest a file name to match against it.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (pattern, name) = text.split_once('\n').unwrap_or((&text, "AGENT_a1_DT_2025-02-19T06-01-22.wav"));
    if let Ok(p) = callqa::transcript::meta::NamePattern::new(pattern) {
        if let Some(meta) = p.meta(Path::new(name)) {
            if let Some(ts) = meta.started_at {
                let _ = callqa::transcript::meta::parse_timestamp(&ts);
            }
        }
    }
});
