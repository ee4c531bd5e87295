//! Sentiment per utterance in [-1, 1] and its course over the call.
//!
//! English uses the VADER lexicon (C.J. Hutto, MIT licence, `VADER_LICENSE.txt`) with its
//! rules for negation ("not happy"), intensifiers ("really upset"), "but" shifts and
//! exclamation, plus a few call-center overrides: words that are business terms on a
//! service call ("charged", "cancel", a bare "no") carry no emotion there.

use crate::text::{is_negation, normalise, Token};
use crate::transcript::{Speaker, Transcript};
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

const VADER_EN: &str = include_str!("vader_lexicon_en.tsv");

/// Call-center meanings that differ from VADER's social-media ones.
const OVERRIDES_EN: &[(&str, f32)] = &[
    ("no", 0.0),
    ("number", 0.0),
    ("charged", 0.0),
    ("charge", 0.0),
    ("cancel", -0.3),
    ("cancelled", -0.3),
    ("hold", 0.0),
    ("like", 0.0),
    ("please", 0.3),
    ("sorry", -0.3),
    ("problem", -1.2),
    ("unacceptable", -2.5),
    ("useless", -2.3),
    ("fed", 0.0),
    ("again", 0.0),
    ("still", 0.0),
    ("waiting", -0.3),
    ("finally", 0.0),
];

/// Phrases whose meaning is not the sum of their words.
const IDIOMS_EN: &[(&[&str], f32)] = &[
    (&["fed", "up"], -2.2),
    (&["third", "time"], -1.2),
    (&["3th", "time"], -1.2),
    (&["waste", "of", "time"], -2.0),
    (&["no", "problem"], 1.0),
    (&["not", "a", "problem"], 1.0),
    (&["no", "worries"], 1.0),
    (&["not", "happy"], -1.8),
    (&["what", "a", "joke"], -2.0),
];

const BOOST: f32 = 0.293;
const NEGATION_SCALE: f32 = -0.74;

fn boosters(word: &str) -> Option<f32> {
    Some(match word {
        "absolutely" | "completely" | "deeply" | "entirely" | "especially" | "extremely"
        | "highly" | "incredibly" | "particularly" | "really" | "so" | "totally" | "truly"
        | "utterly" | "very" | "seriously" | "super" | "terribly" | "awfully" | "most" => BOOST,
        "almost" | "barely" | "hardly" | "slightly" | "somewhat" | "little" | "kinda"
        | "partly" | "bit" => -BOOST,
        _ => return None,
    })
}

fn lexicon_en() -> &'static HashMap<&'static str, f32> {
    static LEXICON: OnceLock<HashMap<&'static str, f32>> = OnceLock::new();
    LEXICON.get_or_init(|| {
        let mut map: HashMap<&'static str, f32> = VADER_EN
            .lines()
            .filter_map(|line| {
                let (word, value) = line.split_once('\t')?;
                Some((word, value.trim().parse().ok()?))
            })
            .collect();
        for &(word, value) in OVERRIDES_EN {
            map.insert(word, value);
        }
        map
    })
}

fn lexicon(language: &str) -> Option<&'static HashMap<&'static str, f32>> {
    match language {
        "en" | "" => Some(lexicon_en()),
        _ => None,
    }
}

/// Sentiment of one utterance in [-1, 1] (0 = neutral or unknown language).
pub fn score(text: &str, language: &str) -> f32 {
    score_tokens(text, &normalise(text, "en"), language)
}

/// `score` from tokens already normalised.
pub fn score_tokens(text: &str, tokens: &[Token], language: &str) -> f32 {
    let Some(lexicon) = lexicon(language).or_else(|| text.is_ascii().then(lexicon_en)) else {
        return 0.0;
    };
    let words: Vec<&str> = tokens.iter().map(|t| t.norm.as_str()).collect();
    let mut valences = vec![0.0f32; words.len()];
    let mut consumed = vec![false; words.len()];
    for &(idiom, value) in IDIOMS_EN {
        for start in 0..words.len().saturating_sub(idiom.len() - 1) {
            if words[start..start + idiom.len()] == *idiom {
                valences[start] = value;
                consumed[start..start + idiom.len()]
                    .iter_mut()
                    .for_each(|c| *c = true);
            }
        }
    }
    for (i, word) in words.iter().enumerate() {
        if consumed[i] {
            continue;
        }
        let Some(&base) = lexicon.get(word) else {
            continue;
        };
        if base == 0.0 {
            continue;
        }
        let mut v = base;
        for (k, scale) in [(1usize, 1.0f32), (2, 0.95), (3, 0.9)] {
            if let Some(b) = i.checked_sub(k).and_then(|j| boosters(words[j])) {
                v += v.signum() * b * scale;
            }
        }
        if (1..=3).any(|k| {
            i.checked_sub(k)
                .is_some_and(|j| !consumed[j] && is_negation(words[j]))
        }) {
            v *= NEGATION_SCALE;
        }
        valences[i] = v;
    }
    if let Some(but) = words.iter().position(|w| *w == "but") {
        for (i, v) in valences.iter_mut().enumerate() {
            *v *= if i < but { 0.5 } else { 1.5 };
        }
    }
    let mut sum: f32 = valences.iter().sum();
    let exclamations = text.matches('!').count().min(4) as f32;
    if sum != 0.0 {
        sum += sum.signum() * exclamations * 0.292;
    }
    (sum / (sum * sum + 15.0).sqrt()).clamp(-1.0, 1.0)
}

/// How each party's mood moved through the call.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CallSentiment {
    /// Per utterance, in transcript order.
    pub utterances: Vec<f32>,
    /// Mean per quarter of the call; `None` where the party did not speak.
    pub customer_quarters: [Option<f32>; 4],
    pub agent_quarters: [Option<f32>; 4],
}

impl CallSentiment {
    pub fn quarters(&self, speaker: Speaker) -> &[Option<f32>; 4] {
        match speaker {
            Speaker::Agent => &self.agent_quarters,
            Speaker::Customer => &self.customer_quarters,
        }
    }

    /// First quarter in which the party spoke.
    pub fn start(&self, speaker: Speaker) -> Option<f32> {
        self.quarters(speaker).iter().flatten().next().copied()
    }

    /// Last quarter in which the party spoke.
    pub fn end(&self, speaker: Speaker) -> Option<f32> {
        self.quarters(speaker).iter().flatten().next_back().copied()
    }

    /// End minus start: positive when the party left happier than they came.
    pub fn trend(&self, speaker: Speaker) -> Option<f32> {
        Some(self.end(speaker)? - self.start(speaker)?)
    }
}

pub fn analyse(transcript: &Transcript) -> CallSentiment {
    analyse_with(transcript, &transcript.normalised())
}

/// `analyse` with the utterances' tokens already normalised (`Transcript::normalised`).
pub fn analyse_with(transcript: &Transcript, tokens: &[Vec<Token>]) -> CallSentiment {
    let utterances: Vec<f32> = transcript
        .utterances
        .iter()
        .zip(tokens)
        .map(|(u, tok)| score_tokens(&u.text, tok, &transcript.language))
        .collect();
    let duration = transcript
        .duration_s()
        .max(
            transcript
                .utterances
                .iter()
                .map(|u| u.end)
                .fold(0.0, f64::max),
        )
        .max(1e-6);
    let mut sums = [[(0.0f32, 0usize); 4]; 2];
    for (u, s) in transcript.utterances.iter().zip(&utterances) {
        let middle = (u.start + u.end) / 2.0;
        let quarter = ((middle / duration * 4.0) as usize).min(3);
        let party = usize::from(u.speaker == Speaker::Customer);
        sums[party][quarter].0 += s;
        sums[party][quarter].1 += 1;
    }
    let mean = |row: [(f32, usize); 4]| row.map(|(s, n)| (n > 0).then(|| s / n as f32));
    CallSentiment {
        utterances,
        agent_quarters: mean(sums[0]),
        customer_quarters: mean(sums[1]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polarity_negation_and_intensity() {
        assert!(score("Thank you so much, that is great!", "en") > 0.5);
        assert!(score("I am really upset and frustrated.", "en") < -0.4);
        assert!(score("I am not happy with this.", "en") < -0.2);
        assert!(score("That is not bad at all.", "en") > 0.0);
        assert!(score("I am really upset", "en") < score("I am upset", "en"));
        assert_eq!(score("My account number changed in March.", "en"), 0.0);
        assert!(score("No problem, thanks.", "en") > 0.0);
        assert!(score("This is the third time I have called!", "en") < -0.2);
    }

    #[test]
    fn quarters_start_end_and_trend() {
        use crate::metrics::tests::{call, utt};
        use Speaker::{Agent as A, Customer as C};
        let t = call(
            80.0,
            vec![
                utt(C, 1.0, 5.0, "This is terrible, I am furious."),
                utt(A, 6.0, 9.0, "I am sorry about that."),
                utt(C, 41.0, 45.0, "I see."),
                utt(C, 70.0, 75.0, "Great, thank you so much!"),
            ],
        );
        let s = analyse(&t);
        assert_eq!(s.utterances.len(), 4);
        assert!(s.customer_quarters[0].unwrap() < -0.4);
        assert_eq!(s.customer_quarters[1], None);
        assert_eq!(s.customer_quarters[2], Some(0.0));
        assert!(s.customer_quarters[3].unwrap() > 0.5);
        assert_eq!(s.start(C), s.customer_quarters[0]);
        assert_eq!(s.end(C), s.customer_quarters[3]);
        assert!(s.trend(C).unwrap() > 1.0);
        assert_eq!(s.agent_quarters[1..], [None, None, None]);
        assert_eq!(s.trend(A), Some(0.0));
    }

    #[test]
    fn scores_stay_in_range() {
        let s = score(
            "great great great wonderful amazing excellent fantastic love love!!!!",
            "en",
        );
        assert!(s <= 1.0 && s > 0.9);
        let s = score("hate hate awful terrible horrible worst disgusting", "en");
        assert!((-1.0..-0.9).contains(&s));
        assert_eq!(score("", "en"), 0.0);
    }
}
