//! Arbitrary bytes through the audio decoder (probe, demux, decode, resample). The first byte
//! picks the file-extension hint a file name would give, so every format's reader is reached.
#![no_main]
use libfuzzer_sys::fuzz_target;

const HINTS: [Option<&str>; 8] = [
    None,
    Some("wav"),
    Some("mp3"),
    Some("flac"),
    Some("ogg"),
    Some("m4a"),
    Some("aac"),
    Some("mka"),
];

fuzz_target!(|data: &[u8]| {
    let Some((&sel, bytes)) = data.split_first() else {
        return;
    };
    let hint = HINTS[usize::from(sel) % HINTS.len()];
    if let Ok(audio) = callqa::audio::decode_bytes(bytes, hint) {
        let _ = audio.duration_s();
    }
});
