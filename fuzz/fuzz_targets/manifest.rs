//! Arbitrary text as a manifest CSV: the CSV parser, then the manifest reader (header, columns,
//! timestamps, files resolved relative to the CSV) on the same text written to a temp file.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::OnceLock;

fn manifest_path() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("callqa-fuzz-manifest-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        dir.join("manifest.csv")
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = callqa::transcript::meta::parse_csv(text);
    let path = manifest_path();
    if std::fs::write(path, data).is_ok() {
        let _ = callqa::transcript::meta::read_manifest(path);
    }
});
