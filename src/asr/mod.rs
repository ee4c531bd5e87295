//! Speech recognition: model files (import, download, resolution) and Whisper inference.

pub mod cache;
pub mod ct2;
pub mod ggml;
pub mod mel;
pub mod model;
mod transcriber;
pub mod whisper;

pub use model::{resolve_model, ModelError};
pub use transcriber::{Transcriber, TranscriberSession};
pub use whisper::{
    AbandonFlag, AsrConfig, AsrError, Decoding, Device, RawWord, WhisperModel, WindowTranscript,
};
