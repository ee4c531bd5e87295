//! What a call is about: topic keyword sets (YAML) matched against its transcript.

use crate::text::{Matcher, PhraseId};
use crate::transcript::{Evidence, RoleSource, Speaker, Transcript};
use rustc_hash::FxHashMap;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The topic file shipped with callqa (`rubrics/topics/default.yaml`), used unless another is
/// given.
pub const DEFAULT_TOPICS: &str = include_str!("../../rubrics/topics/default.yaml");

/// The customer's first utterance about any topic says why they called: its keywords weigh
/// this much more than later side issues.
const OPENING_WEIGHT: f64 = 3.0;
/// Agents restate the issue, and say much that is not about it.
const AGENT_WEIGHT: f64 = 0.5;

#[derive(Debug, thiserror::Error)]
pub enum TopicError {
    #[error("cannot read topics file {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TopicsFile {
    #[serde(default = "default_min_score")]
    min_score: f64,
    topics: Vec<TopicEntry>,
}

fn default_min_score() -> f64 {
    1.5
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TopicEntry {
    id: String,
    #[serde(default)]
    title: Option<String>,
    keywords: Keywords,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Keywords {
    Any(Vec<String>),
    PerLanguage(BTreeMap<String, Vec<String>>),
}

#[derive(Debug, Clone)]
pub struct Topic {
    pub id: String,
    pub title: String,
    /// Languages this topic has its own keyword list for.
    languages: Vec<String>,
}

/// Compiled topic keyword sets.
#[derive(Debug, Clone)]
pub struct TopicSet {
    pub topics: Vec<Topic>,
    min_score: f64,
    matcher: Matcher,
    /// Per keyword phrase: (topic index, the language of its list, `None` for every language).
    keywords: FxHashMap<PhraseId, Vec<(usize, Option<String>)>>,
}

/// A call's topic with the score that decided it and the utterance that shows it best.
#[derive(Debug, Clone, PartialEq)]
pub struct TopicMatch {
    pub topic: String,
    pub score: f64,
    pub evidence: Evidence,
}

impl TopicSet {
    pub fn shipped() -> TopicSet {
        // The shipped file is compiled in and covered by a test; it cannot fail to parse.
        TopicSet::parse("rubrics/topics/default.yaml", DEFAULT_TOPICS).unwrap_or_else(|_| {
            TopicSet {
                topics: Vec::new(),
                min_score: default_min_score(),
                matcher: Matcher::new(),
                keywords: FxHashMap::default(),
            }
        })
    }

    pub fn load(path: &Path) -> Result<TopicSet, TopicError> {
        let text = std::fs::read_to_string(path).map_err(|source| TopicError::Io {
            path: path.display().to_string(),
            source,
        })?;
        TopicSet::parse(&path.display().to_string(), &text)
    }

    pub fn parse(name: &str, yaml: &str) -> Result<TopicSet, TopicError> {
        let invalid = |line: usize, column: usize, message: String| TopicError::Invalid {
            path: name.to_string(),
            line,
            column,
            message,
        };
        let file: TopicsFile =
            serde_saphyr::from_str_with_options(yaml, crate::analysis::rubric::yaml_options())
                .map_err(|e| {
                    let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
                    invalid(
                        line as usize,
                        column as usize,
                        crate::analysis::rubric::first_line(&e.to_string()),
                    )
                })?;
        if file.min_score.is_nan() || file.min_score <= 0.0 {
            return Err(invalid(0, 0, "min_score must be above 0".into()));
        }
        let mut set = TopicSet {
            topics: Vec::new(),
            min_score: file.min_score,
            matcher: Matcher::new(),
            keywords: FxHashMap::default(),
        };
        for (index, entry) in file.topics.into_iter().enumerate() {
            if set.topics.iter().any(|t| t.id == entry.id) {
                return Err(invalid(
                    0,
                    0,
                    format!("topic {:?} is defined twice", entry.id),
                ));
            }
            let lists: Vec<(Option<String>, Vec<String>)> = match entry.keywords {
                Keywords::Any(words) => vec![(None, words)],
                Keywords::PerLanguage(map) => map.into_iter().map(|(l, w)| (Some(l), w)).collect(),
            };
            if lists.iter().all(|(_, w)| w.is_empty()) {
                return Err(invalid(
                    0,
                    0,
                    format!("topic {:?} has no keywords", entry.id),
                ));
            }
            for (language, words) in &lists {
                for word in words {
                    let Some(id) = set.matcher.add(word, language.as_deref().unwrap_or("en"))
                    else {
                        return Err(invalid(
                            0,
                            0,
                            format!(
                                "topic {:?}: keyword {word:?} has nothing to match",
                                entry.id
                            ),
                        ));
                    };
                    set.keywords
                        .entry(id)
                        .or_default()
                        .push((index, language.clone()));
                }
            }
            set.topics.push(Topic {
                title: entry.title.unwrap_or_else(|| entry.id.clone()),
                id: entry.id,
                languages: lists.into_iter().filter_map(|(l, _)| l).collect(),
            });
        }
        Ok(set)
    }

    /// Whether a keyword list in `list_language` speaks for a call in `language`: its own
    /// language, English (calls mix it in), language-free lists, or any list when the topic has
    /// none in the call's language.
    fn counts_for(&self, topic: usize, list_language: Option<&str>, language: &str) -> bool {
        match list_language {
            None => true,
            Some(l) => {
                l == language
                    || l == "en"
                    || !self.topics[topic].languages.iter().any(|t| t == language)
            }
        }
    }

    /// The call's topic, or `None` when no topic reaches the minimum score or two tie.
    pub fn classify(&self, t: &Transcript) -> Option<TopicMatch> {
        if self.topics.is_empty() {
            return None;
        }
        let tokens = t.normalised();
        let mut scores = vec![0.0f64; self.topics.len()];
        // Per topic, the heaviest utterance that spoke for it: (weight × hits, utterance).
        let mut best_evidence: Vec<Option<(f64, usize)>> = vec![None; self.topics.len()];
        let mut opening_heard = false;
        for (i, (u, toks)) in t.utterances.iter().zip(&tokens).enumerate() {
            let encoded = self.matcher.encode_tokens(&u.text, toks);
            let mut hits = vec![0usize; self.topics.len()];
            for id in self.matcher.find_all(&encoded) {
                for (topic, list_language) in self.keywords.get(&id).into_iter().flatten() {
                    if self.counts_for(*topic, list_language.as_deref(), &t.language) {
                        hits[*topic] += 1;
                    }
                }
            }
            if hits.iter().all(|n| *n == 0) {
                continue;
            }
            // With inferred roles a wrong label must not mute the customer's words.
            let customer = u.speaker == Speaker::Customer || t.roles == RoleSource::Inferred;
            let weight = match (customer, opening_heard) {
                (true, false) => {
                    opening_heard = true;
                    OPENING_WEIGHT
                }
                (true, true) => 1.0,
                (false, _) => AGENT_WEIGHT,
            };
            for (topic, n) in hits.into_iter().enumerate().filter(|(_, n)| *n > 0) {
                let gained = weight * n as f64;
                scores[topic] += gained;
                if best_evidence[topic].is_none_or(|(w, _)| gained > w) {
                    best_evidence[topic] = Some((gained, i));
                }
            }
        }
        let mut order: Vec<usize> = (0..scores.len()).collect();
        order.sort_by(|a, b| scores[*b].total_cmp(&scores[*a]));
        let top = order[0];
        let runner_up = order.get(1).map_or(0.0, |i| scores[*i]);
        if scores[top] < self.min_score || scores[top] <= runner_up {
            return None;
        }
        let (_, at) = best_evidence[top]?;
        Some(TopicMatch {
            topic: self.topics[top].id.clone(),
            score: scores[top],
            evidence: Evidence::of(&t.utterances[at]),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::metrics::tests::{call, utt};
    use Speaker::*;

    #[test]
    fn the_shipped_topics_compile() {
        let set = TopicSet::parse("default.yaml", DEFAULT_TOPICS).unwrap();
        assert!(set.topics.len() >= 6);
        assert_eq!(TopicSet::shipped().topics.len(), set.topics.len());
    }

    #[test]
    fn the_customer_opening_decides_over_later_side_issues() {
        let set = TopicSet::shipped();
        // An outage call that ends with a credit on the bill is still about the outage.
        let t = call(
            60.0,
            vec![
                utt(Agent, 0.0, 3.0, "Thank you for calling, how can I help?"),
                utt(
                    Customer,
                    4.0,
                    8.0,
                    "My internet has been down since this morning.",
                ),
                utt(Agent, 9.0, 12.0, "There is an outage in your area."),
                utt(
                    Customer,
                    13.0,
                    16.0,
                    "Will I get some money back on my bill?",
                ),
                utt(
                    Agent,
                    17.0,
                    20.0,
                    "Yes, we will take it off your next bill.",
                ),
            ],
        );
        let m = set.classify(&t).unwrap();
        assert_eq!(m.topic, "technical");
        assert!(m.evidence.quote.contains("internet"), "{m:?}");
    }

    #[test]
    fn asr_variants_still_find_the_topic_and_small_talk_finds_none() {
        let set = TopicSet::shipped();
        let t = call(
            30.0,
            vec![utt(
                Customer,
                0.0,
                5.0,
                "I was CHARGED twice, I want a refund for the double charge.",
            )],
        );
        assert_eq!(set.classify(&t).unwrap().topic, "billing");
        let t = call(
            30.0,
            vec![
                utt(
                    Customer,
                    0.0,
                    5.0,
                    "Hello, how are you today? Lovely weather.",
                ),
                utt(Agent, 6.0, 9.0, "It is, thank you."),
            ],
        );
        assert_eq!(set.classify(&t), None);
    }

    #[test]
    fn a_tie_is_unknown_not_a_guess() {
        let set = TopicSet::parse(
            "t.yaml",
            "min_score: 1\ntopics:\n  - id: a\n    keywords: [apple]\n  - id: b\n    keywords: [banana]\n",
        )
        .unwrap();
        let t = call(10.0, vec![utt(Customer, 0.0, 2.0, "apple and banana")]);
        assert_eq!(set.classify(&t), None);
    }

    #[test]
    fn per_language_keywords_apply_to_calls_in_that_language() {
        let set = TopicSet::parse(
            "t.yaml",
            "topics:\n  - id: billing\n    keywords:\n      en: [refund]\n      ru: [возврат денег]\n",
        )
        .unwrap();
        let mut t = call(10.0, vec![utt(Customer, 0.0, 2.0, "Я хочу возврат денег")]);
        t.language = "ru".into();
        assert_eq!(set.classify(&t).unwrap().topic, "billing");
    }

    #[test]
    fn shipped_topics_speak_hebrew_arabic_and_russian() {
        let set = TopicSet::shipped();
        for (lang, opening, topic) in [
            (
                "he",
                "שלום, חויבתי פעמיים על אותו חודש ואני רוצה החזר כספי",
                "billing",
            ),
            ("he", "האינטרנט לא עובד מהבוקר, הראוטר מהבהב", "technical"),
            (
                "he",
                "שכחתי את הסיסמה ואני לא מצליחה להיכנס לאפליקציה",
                "account_access",
            ),
            ("he", "ההזמנה שלי לא הגיעה, השליח לא הגיע", "order"),
            ("he", "גנבו לי את הכרטיס ויש עסקה לא מוכרת", "fraud"),
            (
                "ar",
                "وصلتني الفاتورة والمبلغ غلط، انخصم مني مرتين",
                "billing",
            ),
            ("ar", "النت مقطوع من امبارح والراوتر مش شغال", "technical"),
            ("ar", "بدي ألغي الاشتراك لو سمحت", "cancellation"),
            ("ar", "أبغى أغير الباقة وعندي عنوان جديد", "account_change"),
            ("ar", "في عمليات مشبوهة على حسابي، البطاقة مسروقة", "fraud"),
            (
                "ru",
                "Мне выставили счёт, списали дважды, верните деньги",
                "billing",
            ),
            ("ru", "Не могу оплатить, платёж не прошёл", "payment"),
            (
                "ru",
                "Забыла пароль, не могу войти в личный кабинет",
                "account_access",
            ),
            ("ru", "Заказ не пришёл, курьер не привёз посылку", "order"),
            (
                "ru",
                "Хочу сменить тариф, я переехал, новый адрес",
                "account_change",
            ),
        ] {
            let mut t = call(
                30.0,
                vec![
                    utt(Agent, 0.0, 3.0, "..."),
                    utt(Customer, 4.0, 9.0, opening),
                ],
            );
            t.language = lang.into();
            let m = set.classify(&t);
            assert_eq!(
                m.map(|m| m.topic),
                Some(topic.to_string()),
                "{lang}: {opening}"
            );
        }
        // Small talk has no topic in any language.
        for (lang, text) in [
            ("he", "שלום, מה שלומך היום?"),
            ("ar", "مرحبا، كيف حالك اليوم؟"),
            ("ru", "Здравствуйте, как у вас дела?"),
        ] {
            let mut t = call(10.0, vec![utt(Customer, 0.0, 3.0, text)]);
            t.language = lang.into();
            assert_eq!(set.classify(&t), None, "{lang}: {text}");
        }
    }

    #[test]
    fn bad_files_are_refused_with_their_location() {
        let err = TopicSet::parse("t.yaml", "topics:\n  - id: a\n    keywordz: [x]\n")
            .err()
            .unwrap();
        assert!(err.to_string().starts_with("t.yaml:"), "{err}");
        let err = TopicSet::parse(
            "t.yaml",
            "topics:\n  - id: a\n    keywords: [pear]\n  - id: a\n    keywords: [plum]\n",
        )
        .err()
        .unwrap();
        assert!(err.to_string().contains("twice"), "{err}");
    }
}
