//! Everything computed from a transcript without audio: metrics, sentiment, flags and rubric
//! results. It is cheap and deterministic, so `rescore` can redo it for stored calls at will.

use crate::flags::{self, Flag};
use crate::metrics::{self, CallMetrics};
use crate::rubric::{RubricResult, RubricSet};
use crate::sentiment::{self, CallSentiment};
use crate::transcript::Transcript;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallAnalysis {
    pub metrics: CallMetrics,
    pub sentiment: CallSentiment,
    /// Distress first, then the other kinds (`flags::FLAG_KINDS` order).
    pub flags: Vec<Flag>,
    pub results: Vec<RubricResult>,
}

pub fn analyse(transcript: &Transcript, rubrics: &RubricSet) -> CallAnalysis {
    // Normalised once, read by every scorer.
    let tokens = transcript.normalised();
    // One matcher pass finds rubric phrases and conversation cues alike.
    let matches = rubrics.match_utterances(transcript, &tokens);
    let metrics = metrics::compute_with(transcript, &matches.cues);
    let sentiment = sentiment::analyse_with(transcript, &tokens);
    let pii = flags::pii_by_utterance_with(transcript, &tokens);
    let flags = flags::detect_with(transcript, &metrics, &pii, &tokens, &matches.cues);
    let facts = rubrics.facts_with(
        transcript,
        &metrics,
        &sentiment,
        &flags,
        &pii,
        matches.phrases,
    );
    let results = rubrics.score(&facts);
    CallAnalysis {
        metrics,
        sentiment,
        flags,
        results,
    }
}
