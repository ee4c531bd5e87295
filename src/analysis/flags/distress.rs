//! Distress: a customer voicing hopelessness, self-harm or suicidal ideation. Missing one is the
//! failure this product may not have, so the detector favours recall, and what it is unsure of
//! is reported as *possible* distress rather than dropped.
//!
//! A statement is recognised by **patterns**: ordered slots of interchangeable words ("better |
//! easier | happier", "off", "without", "me") that must appear in order within a clause, a few
//! words apart at most — so paraphrases with words inserted ("they'd all honestly be so much
//! better off without me") match, and words from two sentences never combine. Words match as
//! the rubric matcher matches them (stems, Hebrew and Arabic clitics, Russian endings, a
//! one-letter ASR slip), and a word Whisper split or joined ("my self", "безменя") is rejoined
//! or split. Tiers:
//!
//! - **confirmed** (`distress`): an unambiguous pattern matched in full ("better off without
//!   me", "I don't want to wake up", "no point in living", "kill myself", taking all the pills);
//!   or an ambiguous one ("I can't do this anymore", "I bought a rope", "say goodbye") together
//!   with another signal of a different kind in the same or an adjacent customer turn.
//! - **possible** (`possible_distress`): an ambiguous pattern alone; an unambiguous one with one
//!   of its words garbled (a slot missing), negated just before ("I'm not suicidal"), or within
//!   a doubtful context ("disappear for a while").
//!
//! **Guards** are patterns for the everyday sentences that share words with distress ("I can't
//! go on hold again", "disappear for the weekend", "I don't want to wake up at six", "I won't be
//! here tomorrow"): a signal overlapping a guard is dropped. Idioms that never contain a
//! pattern ("this router is killing me", "I'm dying to know", "I won't be back") need none.
//!
//! A negation between two matched words is never skipped ("I want to disappear" is not "I don't
//! want to disappear"). Clauses end at sentence punctuation and "but"; a customer's thought
//! spread over two adjacent turns is matched across the turn boundary. The pattern lists of
//! every shipped language (en, he, ar, ru) are in `patterns.rs`; a clause is read with the
//! lists of the scripts its words are written in, so English or Russian said on a Hebrew call
//! still counts.

mod patterns;

use crate::text::morph::{self, Script};
use crate::text::{is_negation, normalise, sound, Matcher, Token};
use crate::transcript::{RoleSource, Speaker, Transcript};
use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

/// How sure the detector is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tier {
    Possible,
    Confirmed,
}

/// What a pattern contributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Distress on its own.
    Confirmed,
    /// Distress only with another signal nearby; possible distress alone.
    Possible,
    /// Raises nothing alone; makes a possible signal nearby confirmed (a farewell letter).
    Context,
    /// An everyday sentence: signals overlapping it are dropped.
    Guard,
    /// A doubtful context: signals overlapping it are at most possible.
    Doubt,
}

/// Words a slot allows between it and the slot before.
const GAP: usize = 3;
/// The same after `..` (the slots belong together but the speaker may say a lot in between).
const WIDE_GAP: usize = 7;
/// Tokens before a match searched for a negation that makes it doubtful.
const NEGATION_REACH: usize = 3;
/// Two customer turns further apart than this are not one thought.
const ADJACENT_TURN_S: f64 = 30.0;

#[derive(Debug)]
enum Alt {
    Word(u32),
    Prefix(String),
    Negation,
    Number,
}

#[derive(Debug)]
struct Slot {
    alts: Vec<Alt>,
    optional: bool,
    /// Never taken as the garbled word.
    key: bool,
    wide: bool,
}

#[derive(Debug)]
struct Pattern {
    kind: Kind,
    category: &'static str,
    slots: Vec<Slot>,
    required: usize,
    max_skips: usize,
    /// The pattern carries its own negation, so one before it is part of it.
    starts_negated: bool,
    #[cfg_attr(not(test), allow(dead_code))]
    source: &'static str,
}

struct Book {
    matcher: Matcher,
    /// English pattern words by their consonant skeleton (`text::sound`): what a word Whisper
    /// misheard may have been.
    sounds: HashMap<String, Vec<u32>>,
    /// Patterns per script.
    scripts: Vec<(Script, Vec<Pattern>)>,
    /// Words that end a clause when they start a word ("but").
    clause_words: Vec<&'static str>,
}

/// Pattern text that cannot be compiled (caught by the unit tests, skipped at run time).
#[derive(Debug, thiserror::Error)]
#[error("distress pattern {pattern:?} ({lang}): {reason}")]
pub struct PatternError {
    lang: &'static str,
    pattern: String,
    reason: String,
}

fn compile(
    matcher: &mut Matcher,
    sounds: &mut HashMap<String, Vec<u32>>,
    lang: &'static str,
    macros: &[(&str, &str)],
    kind: Kind,
    category: &'static str,
    text: &'static str,
) -> Result<Pattern, PatternError> {
    let err = |reason: String| PatternError {
        lang,
        pattern: text.to_string(),
        reason,
    };
    let mut slots = Vec::new();
    let mut wide = false;
    let mut first_negates = false;
    for raw in text.split_whitespace() {
        if raw == ".." {
            wide = true;
            continue;
        }
        let (optional, key, body) = match raw.as_bytes().first() {
            Some(b'?') => (true, false, &raw[1..]),
            Some(b'!') => (false, true, &raw[1..]),
            _ => (false, false, raw),
        };
        let mut alts = Vec::new();
        let mut words: Vec<&str> = Vec::new();
        for part in body.split('|') {
            match part.strip_prefix('@') {
                Some(name) => match macros.iter().find(|(n, _)| *n == name) {
                    Some((_, list)) => words.extend(list.split('|')),
                    None => return Err(err(format!("unknown macro @{name}"))),
                },
                None => words.push(part),
            }
        }
        let first = slots.is_empty();
        for w in words {
            if first && (w == "NEG" || is_negation(&crate::text::fold_word(w))) {
                first_negates = true;
            }
            if w == "NEG" {
                alts.push(Alt::Negation);
            } else if w == "#" {
                alts.push(Alt::Number);
            } else if let Some(prefix) = w.strip_suffix('*') {
                alts.push(Alt::Prefix(crate::text::fold_word(prefix)));
            } else {
                let norm = normalise(w, lang);
                if norm.len() != 1 {
                    return Err(err(format!("{w:?} is not one word once normalised")));
                }
                if matcher.add(w, lang).is_none() {
                    return Err(err(format!("{w:?} is an article")));
                }
                match matcher.word_id(&norm[0].norm) {
                    Some(id) => {
                        if lang == "en" {
                            if let Some(key) = sound::skeleton(&norm[0].norm) {
                                let ids = sounds.entry(key).or_default();
                                if !ids.contains(&id) {
                                    ids.push(id);
                                }
                            }
                        }
                        alts.push(Alt::Word(id))
                    }
                    None => return Err(err(format!("{w:?} was not interned"))),
                }
            }
        }
        if alts.is_empty() {
            return Err(err("empty slot".into()));
        }
        slots.push(Slot {
            alts,
            optional,
            key: key || body.split('|').any(|w| w == "NEG"),
            wide,
        });
        wide = false;
    }
    let required = slots.iter().filter(|s| !s.optional).count();
    if required == 0 {
        return Err(err("no required slot".into()));
    }
    let starts_negated = first_negates;
    Ok(Pattern {
        kind,
        category,
        max_skips: match required {
            0..=2 => 0,
            3..=5 => 1,
            _ => 2,
        },
        required,
        slots,
        starts_negated,
        source: text,
    })
}

fn script_of_lang(lang: &str) -> Script {
    match lang {
        "he" => Script::Hebrew,
        "ar" => Script::Arabic,
        "ru" => Script::Cyrillic,
        _ => Script::Latin,
    }
}

fn build() -> (Book, Vec<PatternError>) {
    let mut matcher = Matcher::new();
    let mut sounds = HashMap::new();
    let mut scripts: Vec<(Script, Vec<Pattern>)> = Vec::new();
    let mut errors = Vec::new();
    for set in patterns::LANGUAGES {
        let mut compiled = Vec::new();
        for (kind, category, text) in set.patterns {
            match compile(
                &mut matcher,
                &mut sounds,
                set.lang,
                set.macros,
                *kind,
                category,
                text,
            ) {
                Ok(p) => compiled.push(p),
                Err(e) => errors.push(e),
            }
        }
        scripts.push((script_of_lang(set.lang), compiled));
    }
    let clause_words = patterns::LANGUAGES
        .iter()
        .flat_map(|l| l.clause_words.iter().copied())
        .collect();
    (
        Book {
            matcher,
            sounds,
            scripts,
            clause_words,
        },
        errors,
    )
}

fn book() -> &'static Book {
    static BOOK: OnceLock<Book> = OnceLock::new();
    BOOK.get_or_init(|| build().0)
}

/// Every pattern that does not compile (empty in a correct build).
pub fn pattern_errors() -> Vec<PatternError> {
    build().1
}

/// One word of a turn as the patterns see it.
#[derive(Debug, Clone)]
struct Tok {
    cands: Vec<u32>,
    /// Pattern words that sound like this one and are not among `cands` (what Whisper may have
    /// misheard as it): a slot they fill counts as garbled.
    sound: Vec<u32>,
    norm: String,
    neg: bool,
    number: bool,
    clause: u32,
    script: Script,
}

fn is_article(w: &str) -> bool {
    matches!(w, "a" | "an" | "the")
}

/// A turn's words, clause by clause (clause ids start at `first_clause`).
fn prepare(b: &Book, text: &str, tokens: &[Token], first_clause: u32) -> Vec<Tok> {
    let kept: Vec<Token> = tokens
        .iter()
        .filter(|t| !is_article(&t.norm))
        .cloned()
        .collect();
    let encoded = b.matcher.encode_tokens(text, &kept);
    let mut out: Vec<Tok> = Vec::with_capacity(kept.len());
    let mut clause = first_clause;
    let mut prev_end: Option<usize> = None;
    for (j, t) in kept.iter().enumerate() {
        if let Some(pe) = prev_end {
            let between = text.get(pe..t.start).unwrap_or("");
            if between.contains(['.', '?', '!', ';', '…', '؟', '؛'])
                || b.clause_words.contains(&t.norm.as_str())
            {
                clause += 1;
            }
        }
        prev_end = Some(t.end);
        // "No, I just want to disappear": a "no" before a comma answers something else.
        let interjection = text
            .get(t.end..)
            .is_some_and(|rest| rest.trim_start().starts_with([',', '،']));
        let mut cands = if j < encoded.token_count() {
            encoded.word_candidates(j).to_vec()
        } else {
            Vec::new()
        };
        // Whisper split a word ("my self", "with out", "to morrow"): the pair is the word.
        let joined_with = |other: &Token, before: bool| {
            let w = if before {
                format!("{}{}", other.norm, t.norm)
            } else {
                format!("{}{}", t.norm, other.norm)
            };
            b.matcher.word_id(&w)
        };
        cands.extend(kept.get(j + 1).and_then(|n| joined_with(n, false)));
        cands.extend(
            j.checked_sub(1)
                .and_then(|p| kept.get(p))
                .and_then(|p| joined_with(p, true)),
        );
        cands.sort_unstable();
        cands.dedup();
        let script = morph::script_of(&t.norm);
        // Whisper joined two words ("безменя"): split where both halves are pattern words.
        if cands.is_empty() {
            if let Some((l, r)) = split_join(b, &t.norm) {
                for id in [l, r] {
                    out.push(Tok {
                        cands: vec![id],
                        sound: Vec::new(),
                        norm: t.norm.clone(),
                        neg: false,
                        number: false,
                        clause,
                        script,
                    });
                }
                continue;
            }
        }
        let heard_as = (!is_negation(&t.norm))
            .then(|| sound::skeleton(&t.norm))
            .flatten();
        let sound = match heard_as.and_then(|k| b.sounds.get(&k)) {
            Some(ids) => ids
                .iter()
                .copied()
                .filter(|id| cands.binary_search(id).is_err())
                .collect(),
            None => Vec::new(),
        };
        out.push(Tok {
            cands,
            sound,
            neg: is_negation(&t.norm) && !interjection,
            number: t.norm.starts_with(|c: char| c.is_ascii_digit()),
            norm: t.norm.clone(),
            clause,
            script,
        });
    }
    out
}

fn split_join(b: &Book, word: &str) -> Option<(u32, u32)> {
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    if chars.len() < 5 {
        return None;
    }
    for &(at, _) in chars.iter().skip(2).take(chars.len().saturating_sub(4)) {
        let (l, r) = word.split_at(at);
        if let (Some(a), Some(c)) = (b.matcher.word_id(l), b.matcher.word_id(r)) {
            return Some((a, c));
        }
    }
    None
}

fn alt_matches(alt: &Alt, t: &Tok) -> bool {
    match alt {
        Alt::Word(id) => t.cands.binary_search(id).is_ok(),
        Alt::Negation => t.neg,
        Alt::Number => t.number,
        Alt::Prefix(p) => {
            if t.norm.starts_with(p.as_str()) {
                return true;
            }
            let mut found = false;
            if morph::is_semitic(&t.norm) {
                morph::for_each_remainder(&t.norm, |rest| found |= rest.starts_with(p.as_str()));
            }
            found
        }
    }
}

/// Where a pattern matched: token range (inclusive) and how many slots were taken as garbled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Hit {
    start: usize,
    end: usize,
    skips: usize,
}

impl Pattern {
    fn is_context_guard(&self) -> bool {
        matches!(self.kind, Kind::Guard | Kind::Doubt)
    }
}

fn keep_better(best: &mut Option<Hit>, h: Option<Hit>) {
    if let Some(h) = h {
        if best.is_none_or(|b| h.skips < b.skips) {
            *best = Some(h);
        }
    }
}

struct Search<'a> {
    p: &'a Pattern,
    toks: &'a [Tok],
    /// Whether a match over this token range may count.
    accept: &'a dyn Fn(usize, usize) -> bool,
}

impl Search<'_> {
    fn best(&self) -> Option<Hit> {
        self.step(0, None, None, 0, 0, 0)
    }

    fn step(
        &self,
        i: usize,
        first: Option<usize>,
        last: Option<usize>,
        extra: usize,
        skips: usize,
        matched: usize,
    ) -> Option<Hit> {
        if i == self.p.slots.len() {
            let (f, l) = (first?, last?);
            let enough = matched >= self.p.required.min(2);
            return (enough && (self.accept)(f, l)).then_some(Hit {
                start: f,
                end: l,
                skips,
            });
        }
        let slot = &self.p.slots[i];
        let mut best: Option<Hit> = None;
        let positions = match last {
            None => 0..self.toks.len(),
            Some(l) => {
                let gap = if slot.wide { WIDE_GAP } else { GAP } + extra;
                (l + 1)..(l + 2 + gap).min(self.toks.len())
            }
        };
        for pos in positions {
            let t = &self.toks[pos];
            if let Some(l) = last {
                if t.clause != self.toks[l].clause {
                    break;
                }
                // A negation is never stepped over (guards describe context, where it may be).
                if pos > l + 1 && self.toks[pos - 1].neg && !self.p.is_context_guard() {
                    break;
                }
            }
            let exact = slot.alts.iter().any(|a| alt_matches(a, t));
            // A word that sounds like the slot's is taken as it misheard — as a garbled word,
            // and only in a pattern of two words or more, so that another matched exactly.
            let misheard = !exact
                && self.p.required >= 2
                && skips < self.p.max_skips.max(1)
                && slot.alts.iter().any(|a| match a {
                    Alt::Word(id) => t.sound.contains(id),
                    _ => false,
                });
            if exact || misheard {
                let s = skips + usize::from(misheard);
                let h = self.step(i + 1, first.or(Some(pos)), Some(pos), 0, s, matched + 1);
                keep_better(&mut best, h);
                if best.is_some_and(|b| b.skips == skips) {
                    return best;
                }
            }
        }
        if slot.optional {
            let h = self.step(i + 1, first, last, extra, skips, matched);
            keep_better(&mut best, h);
        } else if !slot.key && skips < self.p.max_skips && first.is_some() {
            // This word was garbled: the next may be one word further.
            let h = self.step(i + 1, first, last, extra + 1, skips + 1, matched);
            keep_better(&mut best, h);
        }
        best
    }
}

/// What a run of tokens contains, for ruling out patterns before searching them: most patterns
/// share no two words with a given turn, and the search would try every token for their first
/// slot (and again for an optional one).
struct Present {
    /// Indexed by word id.
    words: Vec<bool>,
    negation: bool,
    number: bool,
}

impl Present {
    fn of(toks: &[Tok]) -> Present {
        let ids = || {
            toks.iter()
                .flat_map(|t| t.cands.iter().chain(t.sound.iter()).copied())
        };
        let mut words = vec![false; ids().max().map_or(0, |m| m as usize + 1)];
        ids().for_each(|id| words[id as usize] = true);
        Present {
            words,
            negation: toks.iter().any(|t| t.neg),
            number: toks.iter().any(|t| t.number),
        }
    }

    /// False when fewer of the pattern's slots than a match needs have any word here (a
    /// prefix alternative is assumed present).
    fn may_match(&self, p: &Pattern) -> bool {
        let found = p
            .slots
            .iter()
            .filter(|slot| {
                slot.alts.iter().any(|a| match a {
                    Alt::Word(id) => self.words.get(*id as usize).copied().unwrap_or(false),
                    Alt::Negation => self.negation,
                    Alt::Number => self.number,
                    Alt::Prefix(_) => true,
                })
            })
            .count();
        found >= p.required.min(2)
    }
}

/// A pattern found in a turn (or across two adjacent turns).
#[derive(Debug, Clone)]
struct Signal {
    kind: Kind,
    category: &'static str,
    /// Turn indices (into the call's candidate turns) it was said in.
    turns: Vec<usize>,
    garbled: bool,
    negated: bool,
    doubtful: bool,
}

fn overlaps(spans: &[(usize, usize)], s: usize, e: usize) -> bool {
    spans.iter().any(|&(a, b)| a <= e && s <= b)
}

/// Signals in a run of tokens. `boundary`: for two joined turns, the first token of the second;
/// only matches spanning both are kept (each turn alone is searched separately).
fn signals_in(
    b: &Book,
    toks: &[Tok],
    boundary: Option<usize>,
) -> Vec<(Kind, &'static str, Hit, bool, bool)> {
    let mut scripts: Vec<Script> = toks.iter().map(|t| t.script).collect();
    scripts.sort_unstable_by_key(|s| *s as u8);
    scripts.dedup();
    let sets: Vec<&Vec<Pattern>> = b
        .scripts
        .iter()
        .filter(|(s, _)| scripts.contains(s))
        .map(|(_, p)| p)
        .collect();
    let present = Present::of(toks);
    let mut guards: Vec<(usize, usize)> = Vec::new();
    let mut doubts: Vec<(usize, usize)> = Vec::new();
    for p in sets.iter().flat_map(|s| s.iter()) {
        if !matches!(p.kind, Kind::Guard | Kind::Doubt) || !present.may_match(p) {
            continue;
        }
        // Every occurrence: a guard found once must not hide a second everyday sentence.
        let mut from = 0;
        while from < toks.len() {
            let after = |s: usize, _: usize| s >= from;
            let search = Search {
                p,
                toks,
                accept: &after,
            };
            let Some(h) = search.best().filter(|h| h.skips == 0) else {
                break;
            };
            if p.kind == Kind::Guard {
                guards.push((h.start, h.end));
            } else {
                doubts.push((h.start, h.end));
            }
            from = h.start + 1;
        }
    }
    let mut out = Vec::new();
    for p in sets.iter().flat_map(|s| s.iter()) {
        if matches!(p.kind, Kind::Guard | Kind::Doubt) || !present.may_match(p) {
            continue;
        }
        let crosses = |s: usize, e: usize| boundary.is_none_or(|bd| s < bd && bd <= e);
        let clear = |s: usize, e: usize| {
            crosses(s, e) && !overlaps(&guards, s, e) && !overlaps(&doubts, s, e)
        };
        let unguarded = |s: usize, e: usize| crosses(s, e) && !overlaps(&guards, s, e);
        let (hit, doubtful) = match (Search {
            p,
            toks,
            accept: &clear,
        })
        .best()
        {
            Some(h) => (h, false),
            None => match (Search {
                p,
                toks,
                accept: &unguarded,
            })
            .best()
            {
                Some(h) => (h, true),
                None => continue,
            },
        };
        let negated = !p.starts_negated
            && toks[hit.start.saturating_sub(NEGATION_REACH)..hit.start]
                .iter()
                .any(|t| t.neg && t.clause == toks[hit.start].clause);
        #[cfg(test)]
        EXPLAIN.with(|e| {
            e.borrow_mut().push(format!(
                "{:?} {:?} skips={} negated={negated} doubtful={doubtful} [{}..{}] {}",
                p.kind, p.category, hit.skips, hit.start, hit.end, p.source
            ))
        });
        out.push((p.kind, p.category, hit, negated, doubtful));
    }
    out
}

/// One finding for the flags: the turns it rests on and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub tier: Tier,
    /// Indices of the call's utterances it rests on, in time order.
    pub utterances: Vec<usize>,
    /// What was said, in words a reviewer reads ("better off without me", "means").
    pub categories: Vec<&'static str>,
    /// Why it is only possible, or what confirmed it; empty when it stands alone confirmed.
    pub note: String,
}

/// A call's distress findings, confirmed first.
pub fn assess_call(t: &Transcript, tokens: &[Vec<Token>]) -> Vec<Finding> {
    let roles_known = t.roles == RoleSource::Mapped;
    let turns: Vec<usize> = t
        .utterances
        .iter()
        .enumerate()
        .filter(|(_, u)| !roles_known || u.speaker == Speaker::Customer)
        .map(|(i, _)| i)
        .collect();
    let texts: Vec<(&str, &[Token], f64, f64)> = turns
        .iter()
        .map(|&i| {
            let u = &t.utterances[i];
            (u.text.as_str(), tokens[i].as_slice(), u.start, u.end)
        })
        .collect();
    let mut findings = assess_turns(&texts);
    for f in &mut findings {
        f.utterances = f.utterances.iter().map(|&k| turns[k]).collect();
    }
    findings
}

/// Findings over consecutive turns of one speaker: (text, its normalised tokens, start, end).
/// `Finding::utterances` index into `turns`.
fn assess_turns(turns: &[(&str, &[Token], f64, f64)]) -> Vec<Finding> {
    let b = book();
    let prepared: Vec<Vec<Tok>> = turns
        .iter()
        .map(|(text, tokens, _, _)| prepare(b, text, tokens, 0))
        .collect();
    let mut signals: Vec<Signal> = Vec::new();
    let mut push = |found: Vec<(Kind, &'static str, Hit, bool, bool)>, turns: Vec<usize>| {
        for (kind, category, hit, negated, doubtful) in found {
            signals.push(Signal {
                kind,
                category,
                turns: turns.clone(),
                garbled: hit.skips > 0,
                negated,
                doubtful,
            });
        }
    };
    for (k, toks) in prepared.iter().enumerate() {
        if toks.is_empty() {
            continue;
        }
        push(signals_in(b, toks, None), vec![k]);
        // The customer's next turn, if it follows closely: one thought over two turns.
        let Some(next) = prepared.get(k + 1) else {
            continue;
        };
        if next.is_empty() || turns[k + 1].2 - turns[k].3 > ADJACENT_TURN_S {
            continue;
        }
        let last_clause = toks.last().map_or(0, |t| t.clause);
        let mut joined = toks.clone();
        joined.extend(next.iter().map(|t| Tok {
            clause: t.clause + last_clause,
            ..t.clone()
        }));
        push(signals_in(b, &joined, Some(toks.len())), vec![k, k + 1]);
    }

    // Turns k and k + 1 are one stretch of talk when the second follows closely.
    let close = |k: usize| turns[k + 1].2 - turns[k].3 <= ADJACENT_TURN_S;
    let near = |a: &Signal, c: &Signal| {
        a.turns.iter().any(|&x| {
            c.turns
                .iter()
                .any(|&y| x == y || x.abs_diff(y) == 1 && close(x.min(y)))
        })
    };
    let mut findings = Vec::new();
    // "I don't know what I'm going to do" is worry, not a plan: negated context is no context.
    signals.retain(|s| !(s.kind == Kind::Context && s.negated));
    for s in signals.iter().filter(|s| s.kind != Kind::Context) {
        let base = match s.kind {
            Kind::Confirmed => Some(Tier::Confirmed),
            Kind::Possible => Some(Tier::Possible),
            _ => None,
        };
        let Some(base) = base else { continue };
        let mut reasons = Vec::new();
        if s.garbled {
            reasons.push("a word garbled");
        }
        if s.negated {
            reasons.push("negated");
        }
        if s.doubtful {
            reasons.push("doubtful context");
        }
        let downgraded = !reasons.is_empty();
        let alone = match (base, downgraded) {
            (Tier::Confirmed, false) => Some(Tier::Confirmed),
            (Tier::Confirmed, true) | (Tier::Possible, false) => Some(Tier::Possible),
            // An ambiguous phrase that is also garbled or negated is too weak alone.
            (Tier::Possible, true) => None,
        };
        // Another kind of signal in the same or an adjacent turn makes an unsure one surer.
        let support: Vec<&Signal> = signals
            .iter()
            .filter(|o| o.category != s.category && near(s, o))
            .collect();
        let mut utterances: BTreeSet<usize> = s.turns.iter().copied().collect();
        let mut note = String::new();
        let tier = if alone != Some(Tier::Confirmed) && !support.is_empty() {
            let with: BTreeSet<&str> = support.iter().map(|o| o.category).collect();
            note = format!("with {}", with.into_iter().collect::<Vec<_>>().join(", "));
            if !reasons.is_empty() {
                note = format!("{note}; {}", reasons.join(", "));
            }
            utterances.extend(support.iter().flat_map(|o| o.turns.iter().copied()));
            Some(if alone.is_some() {
                Tier::Confirmed
            } else {
                Tier::Possible
            })
        } else {
            if alone == Some(Tier::Possible) {
                note = if reasons.is_empty() {
                    "ambiguous alone".to_string()
                } else {
                    reasons.join(", ")
                };
            }
            alone
        };
        if let Some(tier) = tier {
            findings.push(Finding {
                tier,
                utterances: utterances.into_iter().collect(),
                categories: vec![s.category],
                note,
            });
        }
    }
    // One finding per tier and set of turns, categories merged.
    let mut merged: Vec<Finding> = Vec::new();
    for f in findings {
        match merged
            .iter_mut()
            .find(|m| m.tier == f.tier && m.utterances == f.utterances)
        {
            Some(m) => {
                for c in f.categories {
                    if !m.categories.contains(&c) {
                        m.categories.push(c);
                    }
                }
                if m.note.is_empty() {
                    m.note = f.note;
                }
            }
            None => merged.push(f),
        }
    }
    merged.sort_by(|a, b| {
        b.tier
            .cmp(&a.tier)
            .then_with(|| a.utterances.cmp(&b.utterances))
    });
    merged
}

/// The strongest tier found in what one customer said over consecutive turns (each a text).
pub fn assess_texts(turns: &[&str], language: &str) -> Option<Tier> {
    let tokens: Vec<Vec<Token>> = turns.iter().map(|t| normalise(t, language)).collect();
    let input: Vec<(&str, &[Token], f64, f64)> = turns
        .iter()
        .zip(&tokens)
        .enumerate()
        .map(|(i, (t, tok))| (*t, tok.as_slice(), i as f64 * 5.0, i as f64 * 5.0 + 4.0))
        .collect();
    assess_turns(&input).first().map(|f| f.tier)
}

/// The strongest tier found in one utterance.
pub fn assess_text(text: &str, language: &str) -> Option<Tier> {
    assess_texts(&[text], language)
}

#[cfg(test)]
thread_local! {
    static EXPLAIN: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Every pattern that matched in the turns, for tuning.
#[cfg(test)]
pub(crate) fn explain(turns: &[&str], language: &str) -> Vec<String> {
    EXPLAIN.with(|e| e.borrow_mut().clear());
    assess_texts(turns, language);
    EXPLAIN.with(|e| e.borrow().clone())
}

#[cfg(test)]
mod tests;
