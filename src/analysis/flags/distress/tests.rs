use super::*;

/// The labelled statements (`tests/data/distress/statements.tsv`): language, split, label,
/// turns.
struct Row {
    lang: &'static str,
    split: &'static str,
    distress: bool,
    turns: Vec<&'static str>,
}

fn rows() -> Vec<Row> {
    include_str!("../../../../tests/data/distress/statements.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("lang\t") && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 4, "bad row: {l}");
            assert!(matches!(f[1], "tune" | "held"), "bad split: {l}");
            assert!(matches!(f[2], "distress" | "negative"), "bad label: {l}");
            Row {
                lang: f[0],
                split: f[1],
                distress: f[2] == "distress",
                turns: f[3].split(" || ").collect(),
            }
        })
        .collect()
}

#[derive(Default, Debug)]
struct Score {
    distress: usize,
    confirmed: usize,
    possible: usize,
    negatives: usize,
    false_confirmed: usize,
    false_possible: usize,
    missed: Vec<String>,
    false_alarms: Vec<String>,
}

impl Score {
    /// Counts one statement: `distress` is its label, `got` what the detector said.
    fn add(&mut self, distress: bool, got: Option<Tier>, shown: String) {
        if distress {
            self.distress += 1;
            match got {
                Some(Tier::Confirmed) => self.confirmed += 1,
                Some(Tier::Possible) => self.possible += 1,
                None => self.missed.push(shown),
            }
        } else {
            self.negatives += 1;
            match got {
                Some(Tier::Confirmed) => {
                    self.false_confirmed += 1;
                    self.false_alarms.push(shown);
                }
                Some(Tier::Possible) => self.false_possible += 1,
                None => {}
            }
        }
    }

    fn recall(&self) -> f64 {
        (self.confirmed + self.possible) as f64 / self.distress.max(1) as f64
    }
}

fn score(lang: Option<&str>, split: &str) -> Score {
    let mut s = Score::default();
    for r in rows()
        .into_iter()
        .filter(|r| r.split == split && lang.is_none_or(|l| l == r.lang))
    {
        let got = assess_texts(&r.turns, r.lang);
        s.add(
            r.distress,
            got,
            format!("{}: {}", r.lang, r.turns.join(" || ")),
        );
    }
    s
}

fn report(split: &str) -> Vec<(String, Score)> {
    let mut out = Vec::new();
    for lang in ["en", "he", "ar", "ru"] {
        out.push((lang.to_string(), score(Some(lang), split)));
    }
    out.push(("all".to_string(), score(None, split)));
    for (lang, s) in &out {
        println!(
            "{split} {lang}: recall {:.3} ({} confirmed + {} possible of {}), confirmed false alarms {:.3} ({} of {}), possible on negatives {}",
            (s.confirmed + s.possible) as f64 / s.distress.max(1) as f64,
            s.confirmed,
            s.possible,
            s.distress,
            s.false_confirmed as f64 / s.negatives.max(1) as f64,
            s.false_confirmed,
            s.negatives,
            s.false_possible,
        );
        if lang != "all" {
            for m in &s.missed {
                println!("  missed {m}");
            }
            for m in &s.false_alarms {
                println!("  false alarm {m}");
            }
        }
    }
    out
}

#[test]
fn every_pattern_compiles() {
    let errors = pattern_errors();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn the_statement_set_is_large_enough_and_split() {
    let rows = rows();
    for lang in ["en", "he", "ar", "ru"] {
        for distress in [true, false] {
            let n = |split: &str| {
                rows.iter()
                    .filter(|r| r.lang == lang && r.distress == distress && r.split == split)
                    .count()
            };
            assert!(
                n("tune") + n("held") >= 15 && n("held") >= 7,
                "{lang} {distress}: {} + {}",
                n("tune"),
                n("held")
            );
        }
    }
}

/// The target on both halves: every distress statement found (confirmed or possible), confirmed
/// false alarms on at most 3 % of the hard negatives.
#[test]
fn recall_and_false_alarms_on_the_tuning_half() {
    let all = report("tune");
    for (lang, s) in &all {
        assert!(s.missed.is_empty(), "{lang}: missed {:#?}", s.missed);
    }
    let (_, total) = &all[all.len() - 1];
    assert!(
        total.false_confirmed as f64 <= 0.03 * total.negatives as f64,
        "false alarms {:#?}",
        all.iter()
            .flat_map(|(_, s)| &s.false_alarms)
            .collect::<Vec<_>>()
    );
}

#[test]
fn recall_and_false_alarms_on_the_held_out_half() {
    let all = report("held");
    for (lang, s) in &all {
        assert!(s.missed.is_empty(), "{lang}: missed {:#?}", s.missed);
    }
    let (_, total) = &all[all.len() - 1];
    assert!(
        total.false_confirmed as f64 <= 0.03 * total.negatives as f64,
        "false alarms {:#?}",
        all.iter()
            .flat_map(|(_, s)| &s.false_alarms)
            .collect::<Vec<_>>()
    );
}

#[test]
fn idioms_and_sad_news_are_not_distress() {
    for text in [
        "I'm so sad my dog died",
        "this router is killing me",
        "I'm dying to know",
        "I could kill for a coffee",
        "my feet are killing me",
        "I can't go on hold again",
        "I won't be back",
        "I won't be able to pay until Friday",
        "I'm done with this company",
        "I'm going to disappear for the weekend",
        "I'd rather die than pay that fee",
        "I didn't wake up until ten, sorry I missed the technician",
        "I don't want to live in this apartment anymore",
        "Thank you for calling, goodbye.",
    ] {
        assert_eq!(assess_text(text, "en"), None, "false alarm: {text}");
    }
}

#[test]
fn a_negation_between_words_is_never_skipped() {
    assert_eq!(
        assess_text("I just want to disappear", "en"),
        Some(Tier::Confirmed)
    );
    // Negated just before: still shown, as possible.
    assert_eq!(
        assess_text("I don't want to disappear", "en"),
        Some(Tier::Possible)
    );
    assert_eq!(assess_text("I'm not suicidal", "en"), Some(Tier::Possible));
    assert_eq!(
        assess_text("No, honestly, I just want to disappear", "en"),
        Some(Tier::Confirmed),
        "a 'no' before a comma answers something else"
    );
}

#[test]
fn clauses_are_judged_separately() {
    // The guard ("killing me") covers its own clause only.
    assert_eq!(
        assess_text("This router is killing me. Honestly, I want to die.", "en"),
        Some(Tier::Confirmed)
    );
    // Words of two sentences never combine.
    assert_eq!(
        assess_text("It would be better. Off we go without me then.", "en"),
        None
    );
    // An everyday clause next to a distress one hides nothing.
    assert_eq!(
        assess_text(
            "I won't be able to pay until Friday, but everyone would be better off without me.",
            "en"
        ),
        Some(Tier::Confirmed)
    );
}

#[test]
fn a_thought_over_two_turns_is_one_thought() {
    assert_eq!(
        assess_texts(
            &["Everyone would be better off", "without me, honestly."],
            "en"
        ),
        Some(Tier::Confirmed)
    );
    assert_eq!(
        assess_texts(&["I just want to", "disappear."], "en"),
        Some(Tier::Confirmed)
    );
    // An unsure signal with another kind of signal in the adjacent turn is confirmed.
    assert_eq!(
        assess_text("I can't do this anymore.", "en"),
        Some(Tier::Possible)
    );
    assert_eq!(
        assess_texts(&["I can't do this anymore.", "I feel so hopeless."], "en"),
        Some(Tier::Confirmed)
    );
}

#[test]
fn garbled_words_are_found() {
    // One-letter slips and split or joined words count as the word.
    for (lang, text) in [
        ("en", "they'd be better of without me"),
        ("en", "I've thought about killing my self"),
        ("en", "I don't wanna wake up to morrow"),
        ("ru", "всем будет лучше безменя"),
        ("he", "אני חושב להתעבד"),
        ("ar", "افكر بالانتهار"),
    ] {
        assert_eq!(
            assess_text(text, lang),
            Some(Tier::Confirmed),
            "{lang}: {text}"
        );
    }
    // A word garbled beyond recognition leaves the rest: possible.
    assert_eq!(
        assess_text("there is no point in going own", "en"),
        Some(Tier::Possible)
    );
}

#[test]
fn the_script_of_the_words_chooses_the_patterns() {
    // Russian said on a call tagged Hebrew, English on a call tagged Russian.
    assert_eq!(assess_text("хочу умереть", "he"), Some(Tier::Confirmed));
    assert_eq!(assess_text("I want to die", "ru"), Some(Tier::Confirmed));
}

#[test]
fn everyday_sentences_in_hebrew_arabic_and_russian() {
    for (lang, text) in [
        ("he", "אני רוצה לבטל את המנוי"),
        ("he", "אין בעיה, אני אחכה"),
        ("he", "אני לא יכול להתחבר יותר לאתר"),
        ("he", "מת על השירות שלכם"),
        // "wait" is one letter from "suicide" in Arabic script: never confused.
        ("ar", "شكرا على الانتظار"),
        ("ar", "بدي انتظر الفني"),
        ("ar", "طيب أنا بالانتظار"),
        ("ar", "سأنتظر، لا مشكلة"),
        ("ar", "هنتظر حضرتك"),
        ("ar", "مش قادر استعمل التطبيق"),
        ("ar", "لا ما عندي شي ثاني، شكرا"),
        ("ru", "Я больше не могу войти в личный кабинет"),
        ("ru", "В смысле нет? Я же платил."),
        ("ru", "Хочу отменить подписку"),
        ("ru", "На счету ничего не осталось"),
    ] {
        assert_ne!(
            assess_text(text, lang),
            Some(Tier::Confirmed),
            "false alarm ({lang}): {text}"
        );
    }
}

/// `DISTRESS_EXPLAIN="lang|turn || turn" cargo test --lib explain_one -- --nocapture` prints
/// what matched, for tuning.
#[test]
fn explain_one() {
    if let Ok(file) = std::env::var("DISTRESS_EXPLAIN_FILE") {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        for line in text.lines() {
            let lang = if line.chars().any(|c| ('\u{0590}'..='\u{05FF}').contains(&c)) {
                "he"
            } else if line.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)) {
                "ar"
            } else if line.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c)) {
                "ru"
            } else {
                "en"
            };
            if let Some(tier) = assess_text(line, lang) {
                println!("{tier:?}: {line}");
                for e in explain(&[line], lang) {
                    println!("    {e}");
                }
            }
        }
        return;
    }
    let Ok(q) = std::env::var("DISTRESS_EXPLAIN") else {
        return;
    };
    let (lang, text) = q.split_once('|').unwrap_or(("en", q.as_str()));
    let turns: Vec<&str> = text.split(" || ").collect();
    println!("{:?}", assess_texts(&turns, lang));
    for line in explain(&turns, lang) {
        println!("{line}");
    }
}

/// The statements with one word (of three letters or more) at a time replaced by a nonsense word
/// or dropped, as ASR does: (found, variants, what was missed).
fn single_word_garbles(split: &str) -> (usize, usize, Vec<String>) {
    let (mut found, mut total, mut missed) = (0, 0, Vec::new());
    for r in rows()
        .into_iter()
        .filter(|r| r.split == split && r.distress && r.lang == "en")
    {
        let text = r.turns.join(" ");
        let words: Vec<&str> = text.split(' ').collect();
        for i in 0..words.len() {
            if words[i].trim_matches(|c: char| !c.is_alphabetic()).len() < 3 {
                continue;
            }
            for garble in ["flurb", ""] {
                let mut w = words.clone();
                w[i] = garble;
                let t = w.join(" ");
                total += 1;
                if assess_text(&t, "en").is_some() {
                    found += 1;
                } else {
                    missed.push(t);
                }
            }
        }
    }
    (found, total, missed)
}

#[test]
fn most_single_word_garbles_of_a_statement_are_still_found() {
    let (found, total, missed) = single_word_garbles("tune");
    let (held_found, held_total, _) = single_word_garbles("held");
    println!(
        "single-word garbles found: tune {found} of {total}, held-out {held_found} of {held_total}"
    );
    assert!(
        found * 100 >= total * 80,
        "{found} of {total}; missed:\n{}",
        missed.join("\n")
    );
}

/// The English statements as Whisper heard them on the telephone
/// (`tests/data/distress/asr_statements.tsv`, made by `scripts/distress_asr.py`).
struct HeardRow {
    split: &'static str,
    distress: bool,
    said: &'static str,
    heard: Vec<&'static str>,
}

fn heard_rows() -> Vec<HeardRow> {
    include_str!("../../../../tests/data/distress/asr_statements.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("lang\t") && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 8, "bad row: {l}");
            assert!(matches!(f[1], "tune" | "held"), "bad split: {l}");
            assert!(matches!(f[2], "distress" | "negative"), "bad label: {l}");
            HeardRow {
                split: f[1],
                distress: f[2] == "distress",
                said: f[6],
                heard: f[7].split(" || ").collect(),
            }
        })
        .collect()
}

/// Words only, lower case: what "heard word for word" compares.
fn bare_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The Whisper-heard statements of one half, and the distress rows Whisper heard word for word
/// that the detector missed (there must be none: those are the statements of the clean set).
fn heard_score(split: &str) -> (Score, Vec<String>) {
    let mut s = Score::default();
    let mut clean_missed = Vec::new();
    for r in heard_rows().into_iter().filter(|r| r.split == split) {
        let got = assess_texts(&r.heard, "en");
        let heard = r.heard.join(" || ");
        if r.distress
            && got.is_none()
            && bare_words(&heard) == bare_words(&r.said.replace("||", " "))
        {
            clean_missed.push(heard.clone());
        }
        s.add(r.distress, got, format!("{heard} <- {}", r.said));
    }
    println!(
        "ASR-heard {split}: recall {:.3} ({} confirmed + {} possible of {}), confirmed false alarms {} of {}, possible on negatives {}",
        s.recall(),
        s.confirmed,
        s.possible,
        s.distress,
        s.false_confirmed,
        s.negatives,
        s.false_possible,
    );
    // The held-out rows' texts stay unread while tuning (DISTRESS_SHOW_HELD=1 shows them).
    if split == "tune" || std::env::var_os("DISTRESS_SHOW_HELD").is_some() {
        for m in &s.missed {
            println!("  missed {m}");
        }
        for m in &s.false_alarms {
            println!("  false alarm {m}");
        }
    }
    (s, clean_missed)
}

/// The committed Whisper output is fixed text, so these hold on every machine: everything heard
/// word for word is found, no confirmed false alarm beyond 3 % of the negatives, and recall on
/// each half at least what this round measured (tune 0.81, held-out 0.76): a change to the
/// patterns that loses a garbled statement fails here.
#[test]
fn statements_as_whisper_heard_them_on_the_telephone() {
    for (split, floor) in [("tune", 0.80), ("held", 0.75)] {
        let (s, clean_missed) = heard_score(split);
        assert!(s.distress >= 50 && s.negatives >= 50, "{s:?}");
        assert!(clean_missed.is_empty(), "{split}: {clean_missed:#?}");
        assert!(
            s.false_confirmed as f64 <= 0.03 * s.negatives as f64,
            "{split}: {} confirmed false alarms",
            s.false_confirmed
        );
        assert!(s.recall() >= floor, "{split}: recall {:.3}", s.recall());
    }
}

/// A word Whisper misheard as one that sounds alike fills the slot, as a garbled word (possible,
/// not confirmed); an everyday sentence whose short words sound like pattern words does not.
#[test]
fn sound_alike_words_are_possible_distress_only() {
    assert_eq!(
        assess_text("I'm tired of leaving.", "en"),
        Some(Tier::Possible)
    );
    assert_eq!(
        assess_text("I keep thinking about jumping in front of a terrain.", "en"),
        Some(Tier::Possible)
    );
    for everyday in [
        "No, that's great.",
        "My water bill has gone up again, I'm fed up.",
        "There's water coming up outside number 40 and it's been running all night.",
        "I'm leaving for work at eight, can the engineer come after that?",
    ] {
        assert_eq!(assess_text(everyday, "en"), None, "{everyday}");
    }
}
