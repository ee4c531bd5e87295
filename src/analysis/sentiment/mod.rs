//! Sentiment per utterance in [-1, 1] and its course over the call.
//!
//! English uses the VADER lexicon (C.J. Hutto, MIT licence, `VADER_LICENSE.txt`) with its
//! rules for negation ("not happy"), intensifiers ("really upset"), "but" shifts and
//! exclamation, plus a few call-center overrides: words that are business terms on a
//! service call ("charged", "cancel", a bare "no") carry no emotion there.
//!
//! Hebrew, Arabic and Russian use lexicons written for this project (`lexicon_he.tsv`,
//! `lexicon_ar.tsv`, `lexicon_ru.tsv`) with the same rules and each language's negators,
//! intensifiers and "but". Words are looked up as written, then under their matching keys
//! (clitics and endings removed, `text::morph`), so "והמרוצים", "довольны", "بطاقتي" score as
//! their base forms. Each word is scored with the lexicon of its own script, so a Hebrew call
//! with an English sentence, or an English call with a Russian one, scores both.

use crate::analysis::Context;
use crate::text::morph::{self, Script};
use crate::text::{is_negation, normalise, Token};
use crate::transcript::Speaker;
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

const VADER_EN: &str = include_str!("vader_lexicon_en.tsv");
const LEXICON_HE: &str = include_str!("lexicon_he.tsv");
const LEXICON_AR: &str = include_str!("lexicon_ar.tsv");
const LEXICON_RU: &str = include_str!("lexicon_ru.tsv");

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

/// Hebrew, Arabic and Russian phrases whose meaning is not the sum of their words (folded).
const IDIOMS_OTHER: &[(&[&str], f32)] = &[
    (&["אין", "בעיה"], 1.0),
    (&["לא", "נורא"], 0.8),
    (&["כל", "הכבוד"], 2.5),
    (&["בסדר", "גמור"], 1.8),
    (&["לא", "בסדר"], -1.5),
    (&["לא", "מקובל"], -2.5),
    (&["לא", "עובד"], -1.2),
    (&["על", "הפנים"], -2.5),
    (&["עורך", "דין"], -1.8),
    (&["פעם", "שלישית"], -1.2),
    (&["3", "פעמים"], -1.0),
    (&["لا", "مشكله"], 1.0),
    (&["مش", "مشكله"], 1.0),
    (&["ولا", "يهمك"], 1.2),
    (&["يعطيك", "العافيه"], 1.8),
    (&["الحمد", "لله"], 1.2),
    (&["غير", "مقبول"], -2.5),
    (&["مش", "معقول"], -1.5),
    (&["ما", "يشتغل"], -1.2),
    (&["مش", "شغال"], -1.2),
    (&["нет", "проблем"], 1.0),
    (&["без", "проблем"], 1.0),
    (&["не", "за", "что"], 1.0),
    (&["ничего", "страшного"], 0.8),
    (&["в", "порядке"], 1.0),
    (&["не", "работает"], -1.2),
    (&["третий", "раз"], -1.2),
];

/// Negators beyond `is_negation` ("without", "non-"), with or without a Hebrew/Arabic "and".
fn is_other_negator(word: &str) -> bool {
    let core = word
        .strip_prefix('ו')
        .or_else(|| word.strip_prefix('و'))
        .filter(|r| r.chars().count() >= 2)
        .unwrap_or(word);
    matches!(
        core,
        "בלי" | "אף" | "غير" | "بدون" | "مافي" | "مافيش" | "ماكو" | "без"
    )
}

/// Hebrew, Arabic and Russian intensifiers (English ones are in `boosters`).
fn boosters_other(word: &str) -> Option<f32> {
    Some(match word {
        "מאוד"
        | "ממש"
        | "נורא"
        | "הכי"
        | "לגמרי"
        | "באמת"
        | "ביותר"
        | "מדי"
        | "כך"
        | "جدا"
        | "كثير"
        | "كتير"
        | "مره"
        | "تماما"
        | "للغايه"
        | "اوي"
        | "بجد"
        | "خالص"
        | "очень"
        | "совсем"
        | "крайне"
        | "абсолютно"
        | "слишком"
        | "так"
        | "реально"
        | "совершенно"
        | "полностью"
        | "чрезвычайно"
        | "невероятно"
        | "настолько" => BOOST,
        "קצת" | "شوي" | "شويه" | "قليلا" | "немного" | "чуть" | "слегка" | "почти" => {
            -BOOST
        }
        _ => return None,
    })
}

/// "But" in each language: what follows it outweighs what came before.
fn is_but(word: &str) -> bool {
    matches!(
        word,
        "but" | "אבל" | "لكن" | "ولكن" | "بس" | "но" | "однако"
    )
}

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

/// A hand-written lexicon: entries as written, and under their matching keys (from the
/// entry itself, never with a clitic removed, so an entry cannot shrink into another word).
struct Lexicon {
    exact: HashMap<&'static str, f32>,
    keyed: HashMap<String, f32>,
}

/// Keys shorter than this are too ambiguous to stand for a word (Russian "рад" glad is also
/// the stem of "радио").
const MIN_KEY_LETTERS: usize = 4;

impl Lexicon {
    fn parse(source: &'static str) -> Lexicon {
        let mut exact = HashMap::default();
        let mut keyed = HashMap::default();
        for line in source.lines().filter(|l| !l.starts_with('#')) {
            let Some((word, value)) = line.split_once('\t') else {
                continue;
            };
            let Ok(value) = value.trim().parse::<f32>() else {
                continue;
            };
            exact.insert(word, value);
            for (key, stripped) in morph::keys(word) {
                if !stripped && key.chars().count() >= MIN_KEY_LETTERS {
                    keyed.entry(key).or_insert(value);
                }
            }
        }
        Lexicon { exact, keyed }
    }

    fn get(&self, word: &str, buf: &mut String) -> Option<f32> {
        if let Some(&v) = self.exact.get(word) {
            return Some(v);
        }
        let mut found = None;
        morph::for_each_key(word, buf, |k, _| {
            if found.is_none() && k.chars().count() >= MIN_KEY_LETTERS {
                found = self.keyed.get(k).copied();
            }
        });
        found
    }
}

fn lexicon_other(script: Script) -> Option<&'static Lexicon> {
    static HE: OnceLock<Lexicon> = OnceLock::new();
    static AR: OnceLock<Lexicon> = OnceLock::new();
    static RU: OnceLock<Lexicon> = OnceLock::new();
    Some(match script {
        Script::Hebrew => HE.get_or_init(|| Lexicon::parse(LEXICON_HE)),
        Script::Arabic => AR.get_or_init(|| Lexicon::parse(LEXICON_AR)),
        Script::Cyrillic => RU.get_or_init(|| Lexicon::parse(LEXICON_RU)),
        Script::Latin | Script::Other => return None,
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
    // Latin-script words are read as English in English calls, in the languages that have a
    // lexicon here (their calls mix in English) and in all-ASCII text; in a call in another
    // language they may be that language, which has no lexicon.
    let english =
        (lexicon(language).is_some() || matches!(language, "he" | "ar" | "ru") || text.is_ascii())
            .then(lexicon_en);
    let words: Vec<&str> = tokens.iter().map(|t| t.norm.as_str()).collect();
    let mut valences = vec![0.0f32; words.len()];
    let mut consumed = vec![false; words.len()];
    let other_scripts = !text.is_ascii();
    let idioms = IDIOMS_EN
        .iter()
        .chain(IDIOMS_OTHER.iter().filter(|_| other_scripts));
    for &(idiom, value) in idioms {
        for start in 0..words.len().saturating_sub(idiom.len() - 1) {
            if words[start..start + idiom.len()] == *idiom {
                valences[start] = value;
                consumed[start..start + idiom.len()]
                    .iter_mut()
                    .for_each(|c| *c = true);
            }
        }
    }
    let mut buf = String::new();
    for (i, word) in words.iter().enumerate() {
        if consumed[i] {
            continue;
        }
        let base = match morph::script_of(word) {
            s @ (Script::Hebrew | Script::Arabic | Script::Cyrillic) => {
                lexicon_other(s).and_then(|l| l.get(word, &mut buf))
            }
            Script::Latin | Script::Other => english.and_then(|l| l.get(word).copied()),
        };
        let Some(base) = base else {
            continue;
        };
        if base == 0.0 {
            continue;
        }
        let mut v = base;
        for (k, scale) in [(1usize, 1.0f32), (2, 0.95), (3, 0.9)] {
            if let Some(b) = i
                .checked_sub(k)
                .and_then(|j| boosters(words[j]).or_else(|| boosters_other(words[j])))
            {
                v += v.signum() * b * scale;
            }
        }
        // Arabic puts the intensifier after its word ("سيء جدا", "زين مره").
        if morph::script_of(word) == Script::Arabic {
            if let Some(b) = words
                .get(i + 1)
                .filter(|w| morph::script_of(w) == Script::Arabic)
                .and_then(|w| boosters_other(w))
            {
                v += v.signum() * b;
            }
        }
        if (1..=3).any(|k| {
            i.checked_sub(k).is_some_and(|j| {
                !consumed[j] && (is_negation(words[j]) || is_other_negator(words[j]))
            })
        }) {
            v *= NEGATION_SCALE;
        }
        valences[i] = v;
    }
    if let Some(but) = words.iter().position(|w| is_but(w)) {
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

/// Each party's sentiment per quarter of the call, from the context's tokens.
pub fn analyse(ctx: &Context) -> CallSentiment {
    let (transcript, tokens) = (ctx.transcript, ctx.tokens.as_slice());
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
        use crate::analysis::metrics::tests::{call, utt};
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
        let s = analyse(&Context::of(&t));
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

    fn in_range(s: f32) -> f32 {
        assert!((-1.0..=1.0).contains(&s), "{s}");
        s
    }

    fn sc(text: &str, language: &str) -> f32 {
        in_range(score_tokens(text, &normalise(text, language), language))
    }

    #[test]
    fn hebrew_polarity_negation_and_intensity() {
        assert!(sc("תודה רבה, השירות היה מעולה", "he") > 0.5);
        assert!(sc("אני ממש מרוצה מהטיפול", "he") > 0.3);
        assert!(sc("אני מאוכזבת מאוד, זה שערורייה", "he") < -0.5);
        assert!(sc("נמאס לי, אני רוצה לדבר עם עורך דין", "he") < -0.4);
        assert!(sc("אני לא מרוצה", "he") < 0.0);
        assert!(sc("ולא הייתי מרוצה", "he") < 0.0);
        assert!(sc("זה ממש גרוע", "he") < sc("זה גרוע", "he"));
        assert_eq!(sc("אני רוצה לבדוק את החשבון שלי", "he"), 0.0);
        assert!(sc("אין בעיה, תודה", "he") > 0.0);
        // Inflected and prefixed forms.
        assert!(sc("והמרוצים", "he") > 0.0);
        assert!(sc("הם כועסים", "he") < 0.0);
    }

    #[test]
    fn arabic_polarity_negation_and_intensity() {
        assert!(sc("شكرا جزيلا، الخدمة ممتازة", "ar") > 0.5);
        assert!(sc("أنا مبسوط جداً", "ar") > 0.3);
        assert!(sc("هذا نصب واحتيال، خدمة فاشلة", "ar") < -0.5);
        assert!(sc("أنا مش مبسوط", "ar") < 0.0);
        assert!(sc("أنا غير راض عن الخدمة", "ar") < 0.0);
        assert!(sc("هذا سيء جدا", "ar") < sc("هذا سيء", "ar"));
        assert_eq!(sc("أريد أن أعرف رصيد الحساب", "ar"), 0.0);
        assert!(sc("لا مشكلة، شكرا", "ar") > 0.0);
        assert!(sc("كانت مشكلتي كبيرة", "ar") < 0.0);
    }

    #[test]
    fn russian_polarity_negation_and_intensity() {
        assert!(sc("Спасибо большое, всё отлично!", "ru") > 0.5);
        assert!(sc("Я очень довольна обслуживанием", "ru") > 0.3);
        assert!(sc("Это ужасно, вы мошенники, я буду жаловаться", "ru") < -0.5);
        assert!(sc("я не доволен", "ru") < 0.0);
        assert!(sc("это совсем плохо", "ru") < sc("это плохо", "ru"));
        assert_eq!(sc("Я хочу узнать баланс на счете", "ru"), 0.0);
        assert!(sc("Без проблем, спасибо", "ru") > 0.0);
        // Inflected forms through the stemmer, and a short stem that must not spread.
        assert!(sc("ужасное обслуживание", "ru") < 0.0);
        assert_eq!(sc("включите радио", "ru"), 0.0);
    }

    #[test]
    fn lexicon_follows_the_words_script() {
        // An English sentence in a Hebrew call, a Russian one in an English call.
        assert!(sc("thank you so much, that is great", "he") > 0.5);
        assert!(sc("спасибо, всё отлично", "en") > 0.3);
        assert!(sc("זה terrible, ממש גרוע", "he") < -0.4);
        // "But" shifts the weight in every language.
        assert!(sc("השירות טוב אבל המחיר גרוע", "he") < 0.0);
        assert!(sc("сервис хороший но цена ужасная", "ru") < 0.0);
    }

    #[test]
    fn other_lexicons_stay_in_range() {
        let s = sc("מעולה מדהים מושלם נפלא מצוין תודה!!!!", "he");
        assert!(s > 0.9);
        let s = sc("فظيع كارثه مقرف فاشل زفت حرامي", "ar");
        assert!(s < -0.9);
        let s = sc("ужасно кошмар отвратительно позор мошенники", "ru");
        assert!(s < -0.9);
        assert_eq!(sc("", "he"), 0.0);
    }
}
