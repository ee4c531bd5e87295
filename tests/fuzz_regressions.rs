//! Inputs the fuzz targets (fuzz/, scripts/fuzz.sh) or their review turned up, kept as
//! regression tests: each must end in an error or a value, never a panic, a hang or a huge
//! allocation. Inputs live in tests/data/fuzz/.

use callqa::asr::ct2::Ct2Model;
use std::path::PathBuf;

fn input(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/fuzz")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// An int8 variable `w` whose scale name `w_scale` is an alias of `w` itself: dequantising it
/// recursed without end (stack overflow, SIGSEGV).
#[test]
fn ct2_int8_scale_that_aliases_its_own_variable_is_an_error() {
    let m = Ct2Model::parse("cycle.bin".into(), input("ct2_int8_scale_alias_cycle.bin")).unwrap();
    let err = m.f32("w").unwrap_err().to_string();
    assert!(err.contains("cycle.bin") && err.contains("scale"), "{err}");
}

/// fuzz/audio_decode: a mutated WAV (first byte: the format hint, as the target reads it) made
/// rubato's FFT resampler panic.
#[test]
fn audio_input_that_made_the_resampler_panic_decodes_or_fails_cleanly() {
    let data = input("audio_rubato_panic.bin");
    let (sel, bytes) = data.split_first().unwrap();
    let hints = [
        None,
        Some("wav"),
        Some("mp3"),
        Some("flac"),
        Some("ogg"),
        Some("m4a"),
        Some("aac"),
        Some("mka"),
    ];
    let hint = hints[usize::from(*sel) % hints.len()];
    if let Ok(audio) = callqa::audio::decode_bytes(bytes, hint) {
        assert!(audio.channels.iter().flatten().all(|v| v.is_finite()));
    }
}
