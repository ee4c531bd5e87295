//! callqa: call-center quality assurance over recorded calls.
//!
//! The modules follow the data: `audio` (decode, channels, resample, voice activity) → `asr`
//! (models, Whisper behind the `Transcriber` trait) → `transcript` (the central types and the
//! call's metadata) → `analysis` (one `Context` per call read by metrics, sentiment, PII, cues,
//! flags and the rubrics; `text` is its normaliser and phrase matcher) → `repeat` (repeat-call
//! links) → `store` (SQLite) → `report` (call view, export, samples, coaching, calibration,
//! output). `pipeline` runs them in order over a batch: plan, transcribe, analyse, store.

pub mod analysis;
pub mod asr;
pub mod audio;
pub mod pipeline;
pub mod repeat;
pub mod report;
pub mod store;
pub mod text;
pub mod transcript;
