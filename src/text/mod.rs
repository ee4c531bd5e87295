//! Text as the scorers see it: tokens normalised so that what Whisper writes ("I'm", "4th",
//! "$50", "Twenty-One") and what a rubric author types ("i am", "fourth", "fifty", "21") meet.
//! Every token keeps the byte range of the original text it came from, so evidence and PII
//! redaction can point back at the exact words.

mod fuzzy;
pub mod morph;
mod numbers;
pub mod sound;

pub use fuzzy::{EncodedText, KnownNames, Matcher, PhraseId};
pub use numbers::{digit_runs, DigitRun};

/// One normalised token and where it came from in the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub norm: String,
    /// Byte range in the original text.
    pub start: usize,
    pub end: usize,
}

/// A raw word as written: letters/digits with inner apostrophes, or a number with inner
/// separators ("4,000", "3.5").
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawWord<'a> {
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}')
}

/// Hebrew geresh/gershayim are part of words (abbreviations, foreign sounds), not punctuation.
fn is_word_mark(c: char) -> bool {
    matches!(c, '\u{05F3}' | '\u{05F4}')
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_word_mark(c) || is_combining_mark(c)
}

/// Combining diacritics (Hebrew niqqud, Arabic harakat, Latin accents in NFD) stay attached to
/// their word; normalisation strips them later.
fn is_combining_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x0591..=0x05C7 | 0x0610..=0x061A | 0x064B..=0x065F | 0x0670
        | 0x06D6..=0x06ED)
}

/// The ASCII digit for any decimal digit Whisper writes: ASCII, Arabic-Indic (٠-٩) or
/// Extended Arabic-Indic/Persian (۰-۹).
pub(crate) fn ascii_digit(c: char) -> Option<char> {
    let base = match c {
        '0'..='9' => return Some(c),
        '\u{0660}'..='\u{0669}' => 0x0660,
        '\u{06F0}'..='\u{06F9}' => 0x06F0,
        _ => return None,
    };
    char::from_digit(c as u32 - base, 10)
}

pub(crate) fn raw_words(text: &str) -> Vec<RawWord<'_>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut words = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if !is_word_char(c) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < chars.len() {
            let c = chars[j].1;
            if is_word_char(c) {
                j += 1;
                continue;
            }
            let prev = chars[j - 1].1;
            let next = chars.get(j + 1).map(|x| x.1);
            // "don't", "O'Brien": an apostrophe between letters joins them. Hebrew keyboards
            // type gershayim as an ASCII double quote: ת"ז is one word (תעודת זהות).
            let hebrew = |x: char| ('\u{05D0}'..='\u{05EA}').contains(&x);
            let joins_letters =
                (is_apostrophe(c) && prev.is_alphabetic() && next.is_some_and(char::is_alphabetic))
                    || (c == '"' && hebrew(prev) && next.is_some_and(hebrew));
            // "4,000", "3.5", "٤٬٠٠٠": a separator between digits joins them.
            let joins_digits = matches!(c, ',' | '.' | '\u{066B}' | '\u{066C}')
                && ascii_digit(prev).is_some()
                && next.is_some_and(|n| ascii_digit(n).is_some());
            if joins_letters || joins_digits {
                j += 2;
            } else {
                break;
            }
        }
        let end = chars.get(j).map_or(text.len(), |x| x.0);
        words.push(RawWord {
            text: &text[start..end],
            start,
            end,
        });
        i = j;
    }
    words
}

/// Lower-cases and folds the variants of one word that mean the same for matching: apostrophe
/// shapes, accents and script-specific marks (Hebrew niqqud, Arabic harakat and tatweel,
/// Arabic letter variants, Russian ё).
pub fn fold_word(word: &str) -> String {
    if word.is_ascii() {
        let mut out = word.to_ascii_lowercase();
        out.retain(|c| c != '"');
        let leading = out.bytes().take_while(|&b| b == b'\'').count();
        out.drain(..leading);
        return out;
    }
    let mut out = String::with_capacity(word.len());
    for c in word.chars().flat_map(char::to_lowercase) {
        if is_combining_mark(c) || c == '\u{0640}' {
            continue; // diacritics, tatweel
        }
        let c = match c {
            '\u{2019}' | '\u{2018}' | '\u{02BC}' => '\'',
            '\u{05F3}' => '\'', // geresh
            '\u{05F4}' => '"',  // gershayim
            'ё' => 'е',
            '\u{0660}'..='\u{0669}' | '\u{06F0}'..='\u{06F9}' => ascii_digit(c).unwrap_or(c),
            '\u{066B}' => '.', // Arabic decimal separator
            '\u{066C}' => ',', // Arabic thousands separator
            // Arabic alef with hamza/madda → bare alef; alef maqsura → ya; ta marbuta → ha.
            '\u{0622}' | '\u{0623}' | '\u{0625}' | '\u{0671}' => '\u{0627}',
            '\u{0649}' => '\u{064A}',
            '\u{0629}' => '\u{0647}',
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            c => c,
        };
        if c == '"' || c == '\'' && out.is_empty() {
            continue;
        }
        out.push(c);
    }
    out
}

/// English contractions, expanded so "I'm" matches "I am" and "can't" matches "cannot".
fn expand_contraction(word: &str) -> Option<&'static [&'static str]> {
    Some(match word {
        "can't" | "cant" | "cannot" => &["can", "not"],
        "won't" => &["will", "not"],
        "shan't" => &["shall", "not"],
        "ain't" => &["is", "not"],
        "i'm" | "im" => &["i", "am"],
        "let's" => &["let", "us"],
        "it's" => &["it", "is"],
        "that's" | "thats" => &["that", "is"],
        "what's" => &["what", "is"],
        "there's" => &["there", "is"],
        "here's" => &["here", "is"],
        "he's" => &["he", "is"],
        "she's" => &["she", "is"],
        "who's" => &["who", "is"],
        "where's" => &["where", "is"],
        "how's" => &["how", "is"],
        "dont" => &["do", "not"],
        "doesnt" => &["does", "not"],
        "didnt" => &["did", "not"],
        "isnt" => &["is", "not"],
        "wasnt" => &["was", "not"],
        "arent" => &["are", "not"],
        "havent" => &["have", "not"],
        "wouldnt" => &["would", "not"],
        "couldnt" => &["could", "not"],
        "shouldnt" => &["should", "not"],
        "gonna" => &["going", "to"],
        "wanna" => &["want", "to"],
        "gotta" => &["got", "to"],
        _ => return None,
    })
}

fn push_expanded(word: &str, start: usize, end: usize, out: &mut Vec<Token>) {
    let mut push = |norm: &str| {
        if !norm.is_empty() {
            out.push(Token {
                norm: norm.to_string(),
                start,
                end,
            })
        }
    };
    if let Some(parts) = expand_contraction(word) {
        parts.iter().for_each(|p| push(p));
        return;
    }
    if let Some((stem, suffix)) = word.rsplit_once('\'') {
        let tail: Option<&str> = match suffix {
            "t" if stem.ends_with('n') => {
                push(&stem[..stem.len() - 1]);
                Some("not")
            }
            "re" => {
                push(stem);
                Some("are")
            }
            "ll" => {
                push(stem);
                Some("will")
            }
            "ve" => {
                push(stem);
                Some("have")
            }
            "d" => {
                push(stem);
                Some("would")
            }
            "m" => {
                push(stem);
                Some("am")
            }
            // Possessive: "John's account" matches "John account"; "is" forms are listed above.
            "s" => {
                push(stem);
                None
            }
            _ => {
                push(&word.replace('\'', ""));
                None
            }
        };
        if let Some(t) = tail {
            push(t);
        }
        return;
    }
    push(word);
}

/// Normalises text into matching tokens: folded case and marks, contractions expanded,
/// number words and digits unified ("twenty-one" → "21", "fourth"/"4th" → "4th",
/// "4,000" → "4000"). `language` selects language-specific rules (contractions and number words
/// are English-only for now; folding applies to every script).
pub fn normalise(text: &str, language: &str) -> Vec<Token> {
    let mut folded = Vec::new();
    for w in raw_words(text) {
        let f = fold_word(w.text);
        if language == "en" || language.is_empty() || f.is_ascii() {
            push_expanded(&f, w.start, w.end, &mut folded);
        } else {
            let f = f.replace('\'', "");
            if !f.is_empty() {
                folded.push(Token {
                    norm: f,
                    start: w.start,
                    end: w.end,
                });
            }
        }
    }
    numbers::unify_numbers(folded)
}

/// Normalised token strings only (for phrases written by rubric authors).
pub fn normalise_words(text: &str, language: &str) -> Vec<String> {
    normalise(text, language)
        .into_iter()
        .map(|t| t.norm)
        .collect()
}

/// Words that reverse a phrase's meaning; fuzzy matching never skips or substitutes one.
pub fn is_negation(token: &str) -> bool {
    if matches!(
        token,
        "not" | "no" | "never" | "nothing" | "none" | "nobody" | "nor" | "neither"
        // ru
        | "не" | "нет" | "ни" | "никогда" | "нету"
    ) {
        return true;
    }
    // Hebrew and Arabic write "and" onto the next word: "ולא", "ولا" still negate.
    let core = token
        .strip_prefix('ו')
        .or_else(|| token.strip_prefix('و'))
        .filter(|rest| !rest.is_empty())
        .unwrap_or(token);
    matches!(
        core,
        "לא" | "אין" | "אל" | "لا" | "لم" | "لن" | "ليس" | "ما" | "مش" | "مو" | "مب"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> String {
        normalise_words(s, "en").join(" ")
    }

    #[test]
    fn case_punctuation_and_contractions() {
        assert_eq!(norm("I'm SORRY, I can't!"), "i am sorry i can not");
        assert_eq!(norm("That’s not my problem."), "that is not my problem");
        assert_eq!(
            norm("We'll call you; you're all set"),
            "we will call you you are all set"
        );
        assert_eq!(norm("I cannot log in"), "i can not log in");
        assert_eq!(norm("John's account"), "john account");
        assert_eq!(norm("O'Brien"), "obrien");
    }

    #[test]
    fn numbers_in_words_and_digits_meet() {
        assert_eq!(norm("twenty-one dollars"), norm("21 dollars"));
        assert_eq!(norm("the fourth of March"), norm("the 4th of march"));
        assert_eq!(norm("one hundred and five"), "105");
        assert_eq!(norm("$4,000.50"), "4000.50");
        assert_eq!(norm("two thousand twenty four"), "2024");
    }

    #[test]
    fn offsets_point_at_the_original_words() {
        let text = "Hi, it's twenty-one.";
        let toks = normalise(text, "en");
        let last = toks.last().unwrap();
        assert_eq!(last.norm, "21");
        assert_eq!(&text[last.start..last.end], "twenty-one");
        assert_eq!(&text[toks[1].start..toks[1].end], "it's");
    }

    #[test]
    fn scripts_fold_their_variants() {
        // Hebrew niqqud, Arabic harakat + tatweel + alef variants, Russian ё.
        assert_eq!(normalise_words("שָׁלוֹם", "he"), ["שלום"]);
        // Gershayim, typed or as an ASCII quote, and geresh: one word, the marks folded away.
        assert_eq!(normalise_words("ת\"ז", "he"), normalise_words("ת״ז", "he"));
        assert_eq!(normalise_words("מה הת\"ז שלך", "he").len(), 3);
        assert_eq!(
            normalise_words("ג׳ירפה", "he"),
            normalise_words("ג'ירפה", "he")
        );
        assert_eq!(normalise_words("مَرْحَـبًا", "ar"), ["مرحبا"]);
        assert_eq!(normalise_words("أهلا", "ar"), normalise_words("اهلا", "ar"));
        assert_eq!(normalise_words("Всё хорошо", "ru"), ["все", "хорошо"]);
    }

    #[test]
    fn arabic_indic_digits_are_digits() {
        assert_eq!(fold_word("٤٥٣٢"), "4532");
        assert_eq!(fold_word("۱۲۳"), "123");
        assert_eq!(
            normalise_words("المبلغ ٤٬٠٠٠ ريال", "ar"),
            ["المبلغ", "4000", "ريال"]
        );
        assert_eq!(normalise_words("٣٫٥", "ar"), ["3.5"]);
        let text = "رقم ٤٥٣٢ شكرا";
        let t = &normalise(text, "ar")[1];
        assert_eq!((t.norm.as_str(), &text[t.start..t.end]), ("4532", "٤٥٣٢"));
    }

    #[test]
    fn negations_with_attached_conjunction() {
        for w in [
            "לא", "ולא", "ואין", "لا", "ولا", "ولم", "مش", "ومش", "не", "нет",
        ] {
            assert!(is_negation(w), "{w}");
        }
        // A bare conjunction letter, and words that merely start with one, are not negations.
        for w in ["ו", "و", "ולד", "والد", "לאה", "ماما", "немного"] {
            assert!(!is_negation(w), "{w}");
        }
    }
}
