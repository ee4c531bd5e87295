//! The seam in front of the speech recogniser: what the pipeline asks of a model, so the batch
//! loop can be tested with a fake in milliseconds instead of Whisper in minutes.

use super::whisper::{
    AsrConfig, AsrError, CallSession, LanguageProbs, WhisperModel, WindowTranscript,
};

/// A speech recogniser: Whisper in production (`WhisperModel`), a fake in the batch tests.
pub trait Transcriber: Sync {
    /// The model's name, stored with every transcript ("tiny.en").
    fn name(&self) -> &str;
    /// Whether it knows languages other than English (and can tell them apart).
    fn multilingual(&self) -> bool;
    /// A fresh decoder state for one call (see `CallSession` for why states are not shared).
    fn session(&self) -> Result<Box<dyn TranscriberSession + '_>, AsrError>;
}

/// One call's decoding, window by window.
pub trait TranscriberSession {
    /// Transcribes one window (≤ 30 s of 16 kHz mono audio) of the call.
    fn transcribe(
        &mut self,
        audio: &[f32],
        config: &AsrConfig,
    ) -> Result<WindowTranscript, AsrError>;
    /// The spoken-language probabilities of one window (multilingual models only).
    fn detect_language(&mut self, audio: &[f32], threads: usize)
        -> Result<LanguageProbs, AsrError>;
}

impl Transcriber for WhisperModel {
    fn name(&self) -> &str {
        &self.name
    }

    fn multilingual(&self) -> bool {
        self.multilingual
    }

    fn session(&self) -> Result<Box<dyn TranscriberSession + '_>, AsrError> {
        Ok(Box::new(WhisperModel::session(self)?))
    }
}

impl TranscriberSession for CallSession<'_> {
    fn transcribe(
        &mut self,
        audio: &[f32],
        config: &AsrConfig,
    ) -> Result<WindowTranscript, AsrError> {
        CallSession::transcribe(self, audio, config)
    }

    fn detect_language(
        &mut self,
        audio: &[f32],
        threads: usize,
    ) -> Result<LanguageProbs, AsrError> {
        CallSession::detect_language(self, audio, threads)
    }
}
