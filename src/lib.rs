//! callqa: call-center quality assurance over recorded calls.
//!
//! The modules follow the data: `audio` (decode, channels, resample, voice activity) →
//! `asr` (models, Whisper) → `transcript` (the central types) → `store` (SQLite), with
//! `pipeline` running them in order over a batch.

pub mod analysis;
pub mod asr;
pub mod audio;
pub mod meta;
pub mod output;
pub mod pipeline;
pub mod repeat;
pub mod report;
pub mod rubric;
pub mod store;
pub mod text;
pub mod transcript;
