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
    let metrics = metrics::compute(transcript);
    let sentiment = sentiment::analyse(transcript);
    let pii = flags::pii_by_utterance(transcript);
    let flags = flags::detect(transcript, &metrics, &pii);
    let facts = rubrics.facts(transcript, &metrics, &sentiment, &flags, &pii);
    let results = rubrics.score(&facts);
    CallAnalysis {
        metrics,
        sentiment,
        flags,
        results,
    }
}
