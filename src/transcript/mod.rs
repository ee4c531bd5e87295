//! The central types every later stage reads: a call, its utterances and their words.

mod format;
pub mod meta;
pub mod roles;

pub use format::{render, OutputFormat};

use serde::{Deserialize, Serialize};

/// Who is speaking. Stereo calls know it from the channel map; mono calls infer it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Speaker {
    Agent,
    Customer,
}

impl Speaker {
    pub fn as_str(self) -> &'static str {
        match self {
            Speaker::Agent => "agent",
            Speaker::Customer => "customer",
        }
    }

    pub fn other(self) -> Speaker {
        match self {
            Speaker::Agent => Speaker::Customer,
            Speaker::Customer => Speaker::Agent,
        }
    }
}

impl std::fmt::Display for Speaker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Speaker {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "agent" => Ok(Speaker::Agent),
            "customer" => Ok(Speaker::Customer),
            other => Err(format!("unknown speaker {other:?}")),
        }
    }
}

/// Who decided the language a call was transcribed in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LanguageSource {
    /// Whisper's detection over the call's speech.
    #[default]
    Detected,
    /// The manifest's `language` column (or a file-name pattern's `language` group).
    Manifest,
    /// The call's queue (`--queue-language`).
    Queue,
    /// `--language`.
    Flag,
    /// An English-only model: English is all it can hear.
    Model,
}

impl LanguageSource {
    pub fn as_str(self) -> &'static str {
        match self {
            LanguageSource::Detected => "detected",
            LanguageSource::Manifest => "manifest",
            LanguageSource::Queue => "queue",
            LanguageSource::Flag => "flag",
            LanguageSource::Model => "model",
        }
    }
}

impl std::str::FromStr for LanguageSource {
    type Err = String;
    /// Exactly what [`LanguageSource::as_str`] writes; anything else is an error.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "detected" => Ok(LanguageSource::Detected),
            "manifest" => Ok(LanguageSource::Manifest),
            "queue" => Ok(LanguageSource::Queue),
            "flag" => Ok(LanguageSource::Flag),
            "model" => Ok(LanguageSource::Model),
            other => Err(format!("unknown language source {other:?}")),
        }
    }
}

/// How speaker roles were decided, so reports can say how much to trust them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RoleSource {
    /// One party per channel, mapped by configuration.
    Mapped,
    /// One mixed channel; roles come from the diarization heuristic.
    Inferred,
}

impl RoleSource {
    pub fn as_str(self) -> &'static str {
        match self {
            RoleSource::Mapped => "mapped",
            RoleSource::Inferred => "inferred",
        }
    }
}

impl std::str::FromStr for RoleSource {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "mapped" => Ok(RoleSource::Mapped),
            "inferred" => Ok(RoleSource::Inferred),
            other => Err(format!("unknown roles {other:?}")),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Word {
    pub text: String,
    pub start: f64,
    pub end: f64,
    pub probability: f32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Utterance {
    pub speaker: Speaker,
    /// Source channel index (0 = left / mono).
    pub channel: usize,
    pub start: f64,
    pub end: f64,
    pub text: String,
    pub words: Vec<Word>,
    pub avg_logprob: f32,
    pub no_speech_prob: f32,
}

/// Facts about the audio as it arrived, before resampling.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceAudio {
    pub path: String,
    pub codec: String,
    pub sample_rate: u32,
    pub channels: usize,
    pub duration_s: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transcript {
    /// Stable identity: the hex SHA-256 of the audio file's bytes.
    pub call_id: String,
    pub source: SourceAudio,
    pub roles: RoleSource,
    pub language: String,
    #[serde(default)]
    pub language_source: LanguageSource,
    pub model: String,
    pub utterances: Vec<Utterance>,
    /// Non-fatal problems met while decoding (e.g. a truncated file that still yielded audio).
    pub warnings: Vec<String>,
    /// Proper names this call is known to use — its company and agent, from the manifest's
    /// `company` and `agent_name` — for Whisper's prompt and the matcher's `{name}` slots.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<String>,
}

impl Transcript {
    pub fn duration_s(&self) -> f64 {
        self.source.duration_s
    }

    /// All words of one party, in time order, for word error rate and talk metrics.
    pub fn text_of(&self, speaker: Speaker) -> String {
        self.utterances
            .iter()
            .filter(|u| u.speaker == speaker)
            .map(|u| u.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Every utterance's matching tokens (see `text::normalise`), computed once per call and
    /// shared by the scorers.
    pub fn normalised(&self) -> Vec<Vec<crate::text::Token>> {
        self.utterances
            .iter()
            .map(|u| crate::text::normalise(&u.text, &self.language))
            .collect()
    }

    pub fn sort_utterances(&mut self) {
        self.utterances
            .sort_by(|a, b| a.start.total_cmp(&b.start).then(a.channel.cmp(&b.channel)));
    }
}

/// Why a verdict or flag was given: the words and when they were said, or (for metric checks
/// and call-level findings) a statement of the measured value, with no speaker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub speaker: Option<Speaker>,
    pub start: f64,
    pub end: f64,
    pub quote: String,
}

impl Evidence {
    pub fn of(u: &Utterance) -> Evidence {
        Evidence {
            speaker: Some(u.speaker),
            start: u.start,
            end: u.end,
            quote: u.text.trim().to_string(),
        }
    }

    pub fn note(start: f64, end: f64, quote: impl Into<String>) -> Evidence {
        Evidence {
            speaker: None,
            start,
            end,
            quote: quote.into(),
        }
    }
}
