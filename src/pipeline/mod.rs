//! The batch: find inputs, then per call hash → decode → voice activity → Whisper → store.
//! Workers transcribe in parallel; the calling thread alone writes to SQLite, one transaction
//! per call, so a failure or crash mid-batch never leaves a partial call.

mod batch;
mod inputs;
pub mod language;
mod link;
mod plan;
mod shard;
mod transcribe;
mod turns;
mod windows;

pub use batch::{iso_utc, run_batch, BatchError, BatchSummary, FileOutcome, StopSignal};
pub use inputs::{audio_hash, collect_inputs, confine_check, AUDIO_EXTENSIONS};
pub use link::{link_repeats, LinkSummary};
pub use plan::{plan, BatchPlan, PlanError, PlanRequest};
pub use shard::{identity as shard_identity, Shard, ShardError};
pub use transcribe::{transcribe_decoded, transcribe_file};
use turns::*;
use windows::*;

use crate::analysis::rubric::RubricSet;
use crate::analysis::{self, CallAnalysis};
use crate::asr::{AsrConfig, Transcriber};
use crate::audio::{
    self, diarize, vad, AudioError, ChannelChoice, ChannelMap, DecodeLimits, DecodedAudio,
    SpeechRegion, VadConfig,
};
use crate::store::{RunCounts, Store, StoreError};
use crate::transcript::{
    LanguageSource, RoleSource, SourceAudio, Speaker, Transcript, Utterance, Word,
};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Mutex};
use std::time::{Duration, Instant};

#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error("{0}")]
    Audio(#[from] AudioError),
    #[error("{0}")]
    Asr(#[from] crate::asr::AsrError),
    #[error("cannot read file: {0}")]
    Io(#[from] std::io::Error),
    #[error("internal error while processing this file: {0}")]
    Panic(String),
    #[error("{0}")]
    Language(String),
}

#[derive(Debug, Clone)]
pub struct PipelineConfig {
    pub asr: AsrConfig,
    pub vad: VadConfig,
    /// Which channel carries which party, as the flags say; a manifest row may say otherwise
    /// for its call ([`ChannelChoice::with_row_agent`]).
    pub channels: ChannelChoice,
    /// Input bounds (sample rate, channels, duration), checked per file.
    pub limits: DecodeLimits,
    pub jobs: usize,
    pub force: bool,
    /// Store personal data as spoken; by default it is redacted before anything reaches disk.
    pub keep_pii: bool,
    /// Per input file: what a manifest or the file's name says about the call.
    pub metadata: std::collections::HashMap<PathBuf, crate::transcript::meta::CallMeta>,
    /// Asked to stop (Ctrl-C, SIGTERM) while the batch runs.
    pub stop: std::sync::Arc<StopSignal>,
    /// Spoken language per queue name (`--queue-language`), for calls whose manifest row
    /// names none.
    pub queue_languages: std::collections::HashMap<String, String>,
    /// Who set `asr.language` when it is set.
    pub language_source: LanguageSource,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct StageTimes {
    pub decode: Duration,
    pub vad: Duration,
    pub asr: Duration,
    pub score: Duration,
    pub store: Duration,
}

impl std::ops::AddAssign for StageTimes {
    fn add_assign(&mut self, o: Self) {
        self.decode += o.decode;
        self.vad += o.vad;
        self.asr += o.asr;
        self.score += o.score;
        self.store += o.store;
    }
}

#[cfg(test)]
mod batch_tests;

#[cfg(test)]
mod tests {
    use super::*;

    fn turn(speaker: Speaker, start: f64, end: f64) -> Turn {
        Turn {
            speaker,
            channel: if speaker == Speaker::Agent { 0 } else { 1 },
            region: SpeechRegion { start, end },
        }
    }

    #[test]
    fn turns_join_across_short_pauses_but_not_across_the_other_party() {
        use Speaker::*;
        let turns = vec![
            turn(Agent, 0.0, 2.0),
            turn(Agent, 2.5, 4.0),
            turn(Customer, 4.6, 6.0),
            turn(Agent, 6.5, 7.0),
        ];
        let joined = join_turns(turns);
        assert_eq!(joined.len(), 3);
        assert_eq!(joined[0].region.end, 4.0);
    }

    #[test]
    fn windows_stay_under_thirty_seconds_and_map_times_back() {
        let turns: Vec<Turn> = (0..10)
            .map(|i| turn(Speaker::Agent, i as f64 * 10.0, i as f64 * 10.0 + 6.0))
            .collect();
        let windows = pack_windows(&turns);
        assert!(windows.len() >= 3);
        assert!(windows.iter().all(|w| w.end() <= WINDOW_S));
        let total: usize = windows.iter().map(|w| w.pieces.len()).sum();
        assert_eq!(total, 10);
        // A word 1 s into the second piece of the first window lands 1 s into turn 2.
        let w = &windows[0];
        let p = w.pieces[1];
        let word = crate::asr::RawWord {
            text: "hi".into(),
            start: p.offset + 1.0,
            end: p.offset + 1.2,
            probability: 0.9,
            logprob: -0.1,
            no_speech_prob: 0.0,
        };
        let utts = w.utterances(&[word]);
        assert_eq!(utts.len(), 1);
        assert!((utts[0].words[0].start - (p.src_start + 1.0)).abs() < 1e-9);
        assert_eq!(utts[0].start, 10.0);
    }

    #[test]
    fn iso_dates() {
        let at = |s: u64| iso_utc(std::time::UNIX_EPOCH + Duration::from_secs(s)).unwrap();
        assert_eq!(at(0), "1970-01-01T00:00:00Z");
        assert_eq!(at(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(at(1_795_388_709), "2026-11-22T23:05:09Z");
    }

    #[test]
    fn dual_mono_is_detected() {
        let a: Vec<f32> = (0..1000).map(|i| (i as f32 * 0.1).sin()).collect();
        assert!(is_dual_mono(&a, &a));
        let b: Vec<f32> = (0..1000).map(|i| (i as f32 * 0.37).sin()).collect();
        assert!(!is_dual_mono(&a, &b));
        assert!(!is_dual_mono(&[0.0; 100], &[0.0; 100]));
    }
}
