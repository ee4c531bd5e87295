//! The rubric file as written: YAML structures with source locations kept on everything a
//! validation message may need to point at.

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::fmt;

pub type S<T> = Spanned<T>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RubricFile {
    pub id: S<String>,
    pub title: String,
    pub version: S<u32>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub languages: Vec<S<String>>,
    /// Where a failed critical criterion zeroes the score: the whole rubric (default) or only
    /// its section.
    #[serde(default)]
    pub critical_scope: CriticalScope,
    #[serde(default)]
    pub conditions: Vec<ConditionDef>,
    pub sections: Vec<SectionDef>,
    /// Proper names the calls use (company, products, agents): Whisper's prompt, and known
    /// values of `{company}` / `{agent_name}` / `{name}` slots as heard.
    #[serde(default)]
    pub vocabulary: Vec<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CriticalScope {
    #[default]
    Rubric,
    Section,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConditionDef {
    pub id: S<String>,
    #[serde(default)]
    pub description: Option<String>,
    pub check: CheckDef,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionDef {
    pub id: S<String>,
    pub title: String,
    #[serde(default = "one")]
    pub weight: S<f64>,
    pub criteria: Vec<CriterionDef>,
}

fn one() -> S<f64> {
    Spanned {
        value: 1.0,
        referenced: serde_saphyr::Location::UNKNOWN,
        defined: serde_saphyr::Location::UNKNOWN,
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CriterionDef {
    pub id: S<String>,
    pub title: String,
    #[serde(default = "one")]
    pub points: S<f64>,
    #[serde(default)]
    pub critical: bool,
    #[serde(default)]
    pub applies_when: Option<S<String>>,
    pub check: CheckDef,
    #[serde(default)]
    pub coach: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckDef {
    Phrase(S<PhraseCheckDef>),
    Metric(MetricCheckDef),
    Sentiment(SentimentCheckDef),
    Pii(S<PiiCheckDef>),
    /// A built-in event or flag happened: hold, dead_air, interruption_by_agent,
    /// interruption_by_customer, distress, possible_distress, pii_spoken, transfer,
    /// off_topic_long.
    Event(S<String>),
    /// Another named condition holds.
    Condition(S<String>),
    All(Vec<CheckDef>),
    Any(Vec<CheckDef>),
    Not(Box<CheckDef>),
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SaidBy {
    Agent,
    Customer,
    #[default]
    Any,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhraseCheckDef {
    #[serde(default)]
    pub said_by: SaidBy,
    #[serde(default)]
    pub any_of: Option<PhraseList>,
    #[serde(default)]
    pub all_of: Option<PhraseList>,
    #[serde(default)]
    pub none_of: Option<PhraseList>,
    /// Only utterances starting within this many seconds of the first speech.
    #[serde(default)]
    pub within_first_s: Option<S<f64>>,
    /// Only utterances ending within this many seconds of the last speech.
    #[serde(default)]
    pub within_last_s: Option<S<f64>>,
    /// Only utterances starting before the named condition's first occurrence.
    #[serde(default)]
    pub before: Option<S<String>>,
    /// Only utterances starting at or after the named condition's first occurrence.
    #[serde(default)]
    pub after: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricCheckDef {
    pub name: S<String>,
    #[serde(default)]
    pub at_most: Option<S<f64>>,
    #[serde(default)]
    pub at_least: Option<S<f64>>,
    #[serde(default)]
    pub between: Option<S<[f64; 2]>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SentimentMeasure {
    /// Mean of the party's first quarter with speech.
    Start,
    /// Mean of the party's last quarter with speech.
    End,
    /// End minus start.
    Trend,
    /// The party's most negative utterance.
    Min,
    /// Mean over the party's utterances.
    Mean,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SentimentCheckDef {
    pub speaker: S<SaidBy>,
    pub measure: SentimentMeasure,
    #[serde(default)]
    pub at_most: Option<S<f64>>,
    #[serde(default)]
    pub at_least: Option<S<f64>>,
    #[serde(default)]
    pub between: Option<S<[f64; 2]>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PiiCheckDef {
    #[serde(default)]
    pub said_by: SaidBy,
    #[serde(default)]
    pub any_of: Vec<S<String>>,
    #[serde(default)]
    pub none_of: Vec<S<String>>,
    /// Only utterances starting before the named condition's first occurrence.
    #[serde(default)]
    pub before: Option<S<String>>,
}

/// Phrases, either one list for every language or one list per language code.
#[derive(Debug)]
pub enum PhraseList {
    Plain(Vec<S<String>>),
    PerLanguage(Vec<(S<String>, Vec<S<String>>)>),
}

impl<'de> Deserialize<'de> for PhraseList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ListVisitor;
        impl<'de> Visitor<'de> for ListVisitor {
            type Value = PhraseList;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of phrases, or a map from language code to a list of phrases")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<PhraseList, A::Error> {
                let mut out = Vec::new();
                while let Some(p) = seq.next_element::<S<String>>()? {
                    out.push(p);
                }
                Ok(PhraseList::Plain(out))
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PhraseList, A::Error> {
                let mut out = Vec::new();
                while let Some(lang) = map.next_key::<S<String>>()? {
                    let phrases = map.next_value::<Vec<S<String>>>()?;
                    out.push((lang, phrases));
                }
                if out.is_empty() {
                    return Err(de::Error::custom("empty phrase map"));
                }
                Ok(PhraseList::PerLanguage(out))
            }
        }
        deserializer.deserialize_any(ListVisitor)
    }
}
