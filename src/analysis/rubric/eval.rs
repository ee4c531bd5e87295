//! Scoring one call against compiled rubrics: every verdict carries the utterance (speaker,
//! time, words) or the measured value that justifies it.

use super::CriticalScope;
use super::{
    trim_number, Check, PhraseCheck, Phrases, Range, Rubric, RubricSet, SaidBy, SentimentMeasure,
};
use crate::analysis::flags::{clock, Flag};
use crate::analysis::metrics::CallMetrics;
use crate::analysis::pii::{self, PiiSpan};
use crate::analysis::sentiment::CallSentiment;
use crate::analysis::Context;
use crate::text::PhraseId;
use crate::transcript::{Evidence, Speaker, Transcript, Utterance};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CriterionVerdict {
    Pass,
    Fail,
    Na,
}

impl CriterionVerdict {
    pub fn as_str(self) -> &'static str {
        match self {
            CriterionVerdict::Pass => "pass",
            CriterionVerdict::Fail => "fail",
            CriterionVerdict::Na => "na",
        }
    }
}

impl std::str::FromStr for CriterionVerdict {
    type Err = String;
    /// Exactly what [`CriterionVerdict::as_str`] writes; anything else is an error, never N/A.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "pass" => Ok(CriterionVerdict::Pass),
            "fail" => Ok(CriterionVerdict::Fail),
            "na" => Ok(CriterionVerdict::Na),
            other => Err(format!("unknown verdict {other:?}")),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionResult {
    pub id: String,
    pub title: String,
    pub section: String,
    pub result: CriterionVerdict,
    pub points: f64,
    pub max_points: f64,
    pub critical: bool,
    pub evidence: Vec<Evidence>,
    /// The coaching tip, on failure.
    pub coach: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionScore {
    pub id: String,
    pub title: String,
    pub weight: f64,
    /// 0–100 over applicable points; `None` when nothing in the section applied.
    pub score: Option<f64>,
    pub earned: f64,
    pub possible: f64,
    pub critical_failed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RubricResult {
    pub rubric_id: String,
    pub title: String,
    pub version: u32,
    pub hash: String,
    /// 0–100; `None` when no criterion applied to this call.
    pub score: Option<f64>,
    pub critical_failed: bool,
    pub sections: Vec<SectionScore>,
    pub criteria: Vec<CriterionResult>,
}

/// What one pass of the rubric set's matcher found in a call's utterances.
pub struct UtteranceMatches {
    /// Phrase ids found in each utterance, ascending.
    pub phrases: Vec<Vec<PhraseId>>,
    pub cues: Vec<crate::analysis::cues::Cues>,
}

/// Everything known about a call that checks may ask, computed once for all rubrics.
pub struct CallFacts<'a> {
    pub transcript: &'a Transcript,
    pub metrics: &'a CallMetrics,
    pub sentiment: &'a CallSentiment,
    pub flags: &'a [Flag],
    pub pii: &'a [Vec<PiiSpan>],
    /// Phrase ids found in each utterance.
    matched: &'a [Vec<PhraseId>],
    first_speech: f64,
    last_speech: f64,
}

#[derive(Debug, Clone, Copy)]
enum Moment {
    Holds,
    DeadAir,
    Interruptions(Speaker),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Pass,
    Fail,
    /// Cannot be decided on this call (e.g. sentiment of a party who never spoke).
    Unknown,
}

#[derive(Debug, Clone)]
struct Outcome {
    verdict: Verdict,
    evidence: Vec<Evidence>,
    /// When the thing checked for first happened, for before/after rules.
    at: Option<f64>,
}

impl Outcome {
    fn pass(evidence: Vec<Evidence>, at: Option<f64>) -> Outcome {
        Outcome {
            verdict: Verdict::Pass,
            evidence,
            at,
        }
    }

    fn fail(evidence: Vec<Evidence>) -> Outcome {
        Outcome {
            verdict: Verdict::Fail,
            evidence,
            at: None,
        }
    }

    fn unknown(note: Evidence) -> Outcome {
        Outcome {
            verdict: Verdict::Unknown,
            evidence: vec![note],
            at: None,
        }
    }
}

/// Evidence lists stay readable: the first few quotes say enough.
const MAX_EVIDENCE: usize = 5;

fn said_by(who: SaidBy, speaker: Speaker) -> bool {
    match who {
        SaidBy::Any => true,
        SaidBy::Agent => speaker == Speaker::Agent,
        SaidBy::Customer => speaker == Speaker::Customer,
    }
}

fn who(by: SaidBy) -> &'static str {
    match by {
        SaidBy::Agent => "the agent",
        SaidBy::Customer => "the customer",
        SaidBy::Any => "anyone",
    }
}

impl RubricSet {
    /// Rubric phrases and conversation cues found in each utterance, in one pass.
    pub fn match_utterances(
        &self,
        transcript: &Transcript,
        tokens: &[Vec<crate::text::Token>],
    ) -> UtteranceMatches {
        let known = crate::text::KnownNames::new(
            self.vocabulary
                .iter()
                .chain(&transcript.names)
                .map(String::as_str),
            &transcript.language,
        );
        let phrases: Vec<Vec<PhraseId>> = transcript
            .utterances
            .iter()
            .zip(tokens)
            .map(|(u, tok)| {
                self.matcher
                    .find_all(&self.matcher.encode_tokens_with_names(&u.text, tok, &known))
            })
            .collect();
        let cues = phrases
            .iter()
            .map(|found| self.cues.of_found(found, &transcript.language))
            .collect();
        UtteranceMatches { phrases, cues }
    }

    /// What checks may ask about a call, from its context (phrases already found by
    /// `match_utterances`) and the other scorers' results.
    pub fn facts<'a>(
        &self,
        ctx: &'a Context,
        metrics: &'a CallMetrics,
        sentiment: &'a CallSentiment,
        flags: &'a [Flag],
        pii: &'a [Vec<PiiSpan>],
    ) -> CallFacts<'a> {
        let transcript = ctx.transcript;
        let matched = &ctx.phrases;
        let first_speech = transcript
            .utterances
            .iter()
            .map(|u| u.start)
            .fold(f64::INFINITY, f64::min);
        let last_speech = transcript
            .utterances
            .iter()
            .map(|u| u.end)
            .fold(0.0, f64::max);
        CallFacts {
            transcript,
            metrics,
            sentiment,
            flags,
            pii,
            matched,
            first_speech: if first_speech.is_finite() {
                first_speech
            } else {
                0.0
            },
            last_speech,
        }
    }

    pub fn score(&self, facts: &CallFacts) -> Vec<RubricResult> {
        self.rubrics
            .iter()
            .map(|r| score_rubric(r, facts))
            .collect()
    }
}

struct Evaluator<'r, 'f> {
    rubric: &'r Rubric,
    facts: &'f CallFacts<'f>,
    conditions: Vec<Option<Outcome>>,
}

fn score_rubric(rubric: &Rubric, facts: &CallFacts) -> RubricResult {
    let mut ev = Evaluator {
        rubric,
        facts,
        conditions: vec![None; rubric.conditions.len()],
    };
    let mut criteria = Vec::new();
    let mut sections = Vec::new();
    let mut any_critical_failed = false;
    for section in &rubric.sections {
        let (mut earned, mut possible, mut critical_failed) = (0.0, 0.0, false);
        for c in &section.criteria {
            let applies = c.applies_when.map(|i| (i, ev.condition(i)));
            let (result, evidence) = match applies {
                Some((i, cond)) if cond.verdict != Verdict::Pass => (
                    CriterionVerdict::Na,
                    vec![Evidence::note(
                        0.0,
                        facts.metrics.duration_s,
                        format!("not applicable: {} did not occur", rubric.conditions[i].id),
                    )],
                ),
                _ => {
                    let o = ev.check(&c.check);
                    let verdict = match o.verdict {
                        Verdict::Pass => CriterionVerdict::Pass,
                        Verdict::Fail => CriterionVerdict::Fail,
                        Verdict::Unknown => CriterionVerdict::Na,
                    };
                    (verdict, o.evidence)
                }
            };
            let mut evidence = evidence;
            evidence.truncate(MAX_EVIDENCE);
            if result != CriterionVerdict::Na {
                possible += c.points;
            }
            if result == CriterionVerdict::Pass {
                earned += c.points;
            }
            if result == CriterionVerdict::Fail && c.critical {
                critical_failed = true;
            }
            criteria.push(CriterionResult {
                id: c.id.clone(),
                title: c.title.clone(),
                section: section.id.clone(),
                result,
                points: if result == CriterionVerdict::Pass {
                    c.points
                } else {
                    0.0
                },
                max_points: c.points,
                critical: c.critical,
                evidence,
                coach: (result == CriterionVerdict::Fail)
                    .then(|| c.coach.clone())
                    .flatten(),
            });
        }
        any_critical_failed |= critical_failed;
        let score = (possible > 0.0).then(|| {
            if critical_failed && rubric.critical_scope == CriticalScope::Section {
                0.0
            } else {
                100.0 * earned / possible
            }
        });
        sections.push(SectionScore {
            id: section.id.clone(),
            title: section.title.clone(),
            weight: section.weight,
            score,
            earned,
            possible,
            critical_failed,
        });
    }
    let weighted: Vec<(f64, f64)> = sections
        .iter()
        .filter_map(|s| Some((s.weight, s.score?)))
        .collect();
    let total_weight: f64 = weighted.iter().map(|(w, _)| w).sum();
    let mut score = (total_weight > 0.0)
        .then(|| weighted.iter().map(|(w, s)| w * s).sum::<f64>() / total_weight);
    if any_critical_failed && rubric.critical_scope == CriticalScope::Rubric && score.is_some() {
        score = Some(0.0);
    }
    RubricResult {
        rubric_id: rubric.id.clone(),
        title: rubric.title.clone(),
        version: rubric.version,
        hash: rubric.hash.clone(),
        score: score.map(|s| (s * 100.0).round() / 100.0),
        critical_failed: any_critical_failed,
        sections,
        criteria,
    }
}

impl Evaluator<'_, '_> {
    fn condition(&mut self, i: usize) -> Outcome {
        if let Some(o) = &self.conditions[i] {
            return o.clone();
        }
        // Cycles are rejected at load time; this guards against recursion all the same.
        self.conditions[i] = Some(Outcome::unknown(Evidence::note(
            0.0,
            0.0,
            "condition cycle",
        )));
        let rubric = self.rubric;
        let o = self.check(&rubric.conditions[i].check);
        self.conditions[i] = Some(o.clone());
        o
    }

    fn check(&mut self, check: &Check) -> Outcome {
        match check {
            Check::Phrase(p) => self.phrase(p),
            Check::Metric { name, range } => self.metric(name, range),
            Check::Sentiment {
                speaker,
                measure,
                range,
            } => self.sentiment(*speaker, *measure, range),
            Check::Pii {
                said_by,
                any_of,
                none_of,
                before,
            } => self.pii(*said_by, any_of, none_of, *before),
            Check::Event(name) => self.event(name),
            Check::Condition(i) => self.condition(*i),
            Check::All(cs) => {
                let outcomes: Vec<Outcome> = cs.iter().map(|c| self.check(c)).collect();
                if let Some(failed) = outcomes.iter().find(|o| o.verdict == Verdict::Fail) {
                    return Outcome::fail(failed.evidence.clone());
                }
                if let Some(unknown) = outcomes.iter().find(|o| o.verdict == Verdict::Unknown) {
                    return unknown.clone();
                }
                let at = outcomes
                    .iter()
                    .filter_map(|o| o.at)
                    .fold(None, |m: Option<f64>, t| Some(m.map_or(t, |m| m.max(t))));
                Outcome::pass(outcomes.into_iter().flat_map(|o| o.evidence).collect(), at)
            }
            Check::Any(cs) => {
                let outcomes: Vec<Outcome> = cs.iter().map(|c| self.check(c)).collect();
                let passed: Vec<&Outcome> = outcomes
                    .iter()
                    .filter(|o| o.verdict == Verdict::Pass)
                    .collect();
                if !passed.is_empty() {
                    let at = passed
                        .iter()
                        .filter_map(|o| o.at)
                        .fold(None, |m: Option<f64>, t| Some(m.map_or(t, |m| m.min(t))));
                    return Outcome::pass(
                        passed.iter().flat_map(|o| o.evidence.clone()).collect(),
                        at,
                    );
                }
                if outcomes.iter().any(|o| o.verdict == Verdict::Fail) {
                    return Outcome::fail(outcomes.into_iter().flat_map(|o| o.evidence).collect());
                }
                outcomes
                    .into_iter()
                    .next()
                    .unwrap_or_else(|| Outcome::unknown(Evidence::note(0.0, 0.0, "empty any")))
            }
            Check::Not(c) => {
                let o = self.check(c);
                match o.verdict {
                    Verdict::Pass => Outcome::fail(o.evidence),
                    Verdict::Fail => Outcome::pass(o.evidence, None),
                    Verdict::Unknown => o,
                }
            }
        }
    }

    fn utterances(&self) -> &[Utterance] {
        &self.facts.transcript.utterances
    }

    /// Utterance indexes a phrase check may look at, and a description of that window.
    fn eligible(&mut self, p: &PhraseCheck) -> (Vec<usize>, String) {
        let mut window = String::new();
        let before = p.before.map(|i| (i, self.condition(i)));
        let after = p.after.map(|i| (i, self.condition(i)));
        let f = self.facts;
        let mut out = Vec::new();
        for (k, u) in f.transcript.utterances.iter().enumerate() {
            if !said_by(p.said_by, u.speaker) {
                continue;
            }
            if p.within_first_s
                .is_some_and(|s| u.start > f.first_speech + s)
            {
                continue;
            }
            if p.within_last_s.is_some_and(|s| u.end < f.last_speech - s) {
                continue;
            }
            if let Some((_, o)) = &before {
                if let (Verdict::Pass, Some(t)) = (o.verdict, o.at) {
                    // The utterance where the condition first holds still counts: a question
                    // may name the account while it asks for the security word on it.
                    if u.start > t + 1e-6 {
                        continue;
                    }
                }
            }
            if let Some((_, o)) = &after {
                match (o.verdict, o.at) {
                    (Verdict::Pass, Some(t)) if u.start + 1e-6 >= t => {}
                    _ => continue,
                }
            }
            out.push(k);
        }
        if let Some(s) = p.within_first_s {
            window.push_str(&format!(" in the first {} s", trim_number(s)));
        }
        if let Some(s) = p.within_last_s {
            window.push_str(&format!(" in the last {} s", trim_number(s)));
        }
        if let Some((i, o)) = &before {
            match o.at {
                Some(t) if o.verdict == Verdict::Pass => window.push_str(&format!(
                    " before {} ({})",
                    self.rubric.conditions[*i].id,
                    clock(t)
                )),
                _ => {}
            }
        }
        if let Some((i, _)) = &after {
            window.push_str(&format!(" after {}", self.rubric.conditions[*i].id));
        }
        (out, window)
    }

    /// A party that never spoke (a silent recording, a one-sided channel) cannot be judged on
    /// what it said: such checks are N/A, not failures.
    fn silent(&self, by: SaidBy) -> Option<Outcome> {
        let spoke = self.utterances().iter().any(|u| said_by(by, u.speaker));
        (!spoke).then(|| {
            let d = self.facts.metrics.duration_s;
            Outcome::unknown(Evidence::note(
                0.0,
                d,
                format!("{} never spoke on this call", who(by)),
            ))
        })
    }

    fn phrase(&mut self, p: &PhraseCheck) -> Outcome {
        if let Some(silent) = self.silent(p.said_by) {
            return silent;
        }
        let (eligible, window) = self.eligible(p);
        let lang = self.facts.transcript.language.clone();
        let f = self.facts;
        let has = |k: usize, ids: &[(PhraseId, &str)]| {
            ids.iter()
                .any(|(id, _)| f.matched[k].binary_search(id).is_ok())
        };
        let example = |ps: &Phrases| {
            ps.for_language(&lang)
                .first()
                .map_or(String::new(), |(_, t)| format!(" such as \"{t}\""))
        };
        let span = (f.first_speech, f.last_speech.max(f.first_speech));
        let mut evidence = Vec::new();
        let mut at: Option<f64> = None;

        if let Some(ps) = &p.any_of {
            let ids = ps.for_language(&lang);
            match eligible.iter().find(|&&k| has(k, &ids)) {
                Some(&k) => {
                    evidence.push(Evidence::of(&self.utterances()[k]));
                    at = Some(self.utterances()[k].start);
                }
                None => {
                    return Outcome::fail(vec![Evidence::note(
                        span.0,
                        span.1,
                        format!(
                            "not said by {}{}: no phrase{}",
                            who(p.said_by),
                            window,
                            example(ps)
                        ),
                    )])
                }
            }
        }
        if let Some(ps) = &p.all_of {
            let list = ps.all_for_language(&lang);
            let mut missing = Vec::new();
            for (id, text) in &list {
                match eligible
                    .iter()
                    .find(|&&k| f.matched[k].binary_search(id).is_ok())
                {
                    Some(&k) => {
                        let u = &self.utterances()[k];
                        at = Some(at.map_or(u.start, |a: f64| a.max(u.start)));
                        if !evidence
                            .iter()
                            .any(|e: &Evidence| e.start == u.start && e.speaker == Some(u.speaker))
                        {
                            evidence.push(Evidence::of(u));
                        }
                    }
                    None => missing.push(*text),
                }
            }
            if !missing.is_empty() {
                return Outcome::fail(vec![Evidence::note(
                    span.0,
                    span.1,
                    format!(
                        "not said by {}{}: \"{}\"",
                        who(p.said_by),
                        window,
                        missing.join("\", \"")
                    ),
                )]);
            }
        }
        if let Some(ps) = &p.none_of {
            let ids = ps.for_language(&lang);
            let violations: Vec<Evidence> = eligible
                .iter()
                .filter(|&&k| has(k, &ids))
                .map(|&k| Evidence::of(&self.utterances()[k]))
                .collect();
            if !violations.is_empty() {
                return Outcome::fail(violations);
            }
            if p.any_of.is_none() && p.all_of.is_none() {
                evidence.push(Evidence::note(
                    span.0,
                    span.1,
                    format!(
                        "none of {} phrase(s) said by {}{}",
                        ids.len(),
                        who(p.said_by),
                        window
                    ),
                ));
            }
        }
        Outcome::pass(evidence, at)
    }

    fn metric(&mut self, name: &str, range: &Range) -> Outcome {
        if let Some(silent) = self.silent(SaidBy::Any) {
            return silent;
        }
        let m = self.facts.metrics;
        let Some(value) = m.get(name) else {
            return Outcome::unknown(Evidence::note(0.0, 0.0, format!("no metric {name}")));
        };
        let estimate = if m.estimated.iter().any(|e| e == name) {
            " (estimate: both parties on one channel)"
        } else {
            ""
        };
        let mut evidence = vec![Evidence::note(
            0.0,
            m.duration_s,
            format!(
                "{name} = {}, must be {}{estimate}",
                trim_number(value),
                range.describe()
            ),
        )];
        let pass = range.contains(value);
        if !pass {
            // Point the coach at the moments behind the number.
            let moment = match name {
                "interruptions_by_agent" => Some(Moment::Interruptions(Speaker::Agent)),
                "interruptions_by_customer" => Some(Moment::Interruptions(Speaker::Customer)),
                "dead_air_count" | "longest_silence_s" | "silence_s" => Some(Moment::DeadAir),
                "hold_count" | "hold_s" => Some(Moment::Holds),
                _ => None,
            };
            if let Some(moment) = moment {
                evidence.extend(self.moments(moment));
            }
        }
        if pass {
            Outcome::pass(evidence, None)
        } else {
            Outcome::fail(evidence)
        }
    }

    fn sentiment(&mut self, speaker: Speaker, measure: SentimentMeasure, range: &Range) -> Outcome {
        let s = self.facts.sentiment;
        let t = self.facts.transcript;
        let mut evidence = Vec::new();
        let value: Option<f32> = match measure {
            SentimentMeasure::Start => s.start(speaker),
            SentimentMeasure::End => s.end(speaker),
            SentimentMeasure::Trend => s.trend(speaker),
            SentimentMeasure::Mean => {
                let v: Vec<f32> = t
                    .utterances
                    .iter()
                    .zip(&s.utterances)
                    .filter(|(u, _)| u.speaker == speaker)
                    .map(|(_, v)| *v)
                    .collect();
                (!v.is_empty()).then(|| v.iter().sum::<f32>() / v.len() as f32)
            }
            SentimentMeasure::Min => {
                let lowest = t
                    .utterances
                    .iter()
                    .zip(&s.utterances)
                    .filter(|(u, _)| u.speaker == speaker)
                    .min_by(|a, b| a.1.total_cmp(b.1));
                lowest.map(|(u, v)| {
                    evidence.push(Evidence::of(u));
                    *v
                })
            }
        };
        let label = format!("{} sentiment {:?}", speaker.as_str(), measure).to_lowercase();
        let Some(value) = value else {
            return Outcome::unknown(Evidence::note(
                0.0,
                0.0,
                format!("{label}: {} never spoke", speaker.as_str()),
            ));
        };
        evidence.insert(
            0,
            Evidence::note(
                0.0,
                self.facts.metrics.duration_s,
                format!("{label} = {:.2}, must be {}", value, range.describe()),
            ),
        );
        let at = evidence.get(1).map(|e| e.start);
        if range.contains(f64::from(value)) {
            Outcome::pass(evidence, at)
        } else {
            Outcome::fail(evidence)
        }
    }

    fn pii(
        &mut self,
        by: SaidBy,
        any_of: &[pii::PiiKind],
        none_of: &[pii::PiiKind],
        before: Option<usize>,
    ) -> Outcome {
        if let Some(silent) = self.silent(by) {
            return silent;
        }
        // As for phrases: the utterance where the condition first holds still counts.
        let until = before
            .map(|i| self.condition(i))
            .and_then(|o| (o.verdict == Verdict::Pass).then_some(o.at).flatten());
        let window = match (before, until) {
            (Some(i), Some(t)) => {
                format!(" before {} ({})", self.rubric.conditions[i].id, clock(t))
            }
            _ => String::new(),
        };
        let f = self.facts;
        let found = |kinds: &[pii::PiiKind]| -> Vec<Evidence> {
            f.transcript
                .utterances
                .iter()
                .zip(f.pii)
                .filter(|(u, spans)| {
                    said_by(by, u.speaker)
                        && spans.iter().any(|s| kinds.contains(&s.kind))
                        && until.is_none_or(|t| u.start <= t + 1e-6)
                })
                .map(|(u, spans)| {
                    let mut e = Evidence::of(u);
                    e.quote = pii::redact(&u.text, spans).trim().to_string();
                    e
                })
                .collect()
        };
        let names = |kinds: &[pii::PiiKind]| {
            kinds
                .iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut evidence = Vec::new();
        let mut at = None;
        if !any_of.is_empty() {
            let hits = found(any_of);
            if hits.is_empty() {
                return Outcome::fail(vec![Evidence::note(
                    0.0,
                    f.metrics.duration_s,
                    format!("{} did not say any {}{window}", who(by), names(any_of)),
                )]);
            }
            at = hits.first().map(|e| e.start);
            evidence.extend(hits);
        }
        if !none_of.is_empty() {
            let hits = found(none_of);
            if !hits.is_empty() {
                return Outcome::fail(hits);
            }
            evidence.push(Evidence::note(
                0.0,
                f.metrics.duration_s,
                format!("{} said no {}", who(by), names(none_of)),
            ));
        }
        Outcome::pass(evidence, at)
    }

    /// The moments behind a metric or event, as evidence: each hold, each dead-air silence,
    /// each interrupting utterance.
    fn moments(&self, what: Moment) -> Vec<Evidence> {
        let m = self.facts.metrics;
        let span = |start: f64, end: f64, what: &str| {
            Evidence::note(
                start,
                end,
                format!(
                    "{what} {}–{} ({:.0} s)",
                    clock(start),
                    clock(end),
                    end - start
                ),
            )
        };
        match what {
            Moment::Holds => m
                .holds
                .iter()
                .map(|h| span(h.start, h.end, "hold"))
                .collect(),
            Moment::DeadAir => m
                .dead_air
                .iter()
                .map(|d| span(d.start, d.end, "silence"))
                .collect(),
            Moment::Interruptions(by) => m
                .interruptions
                .iter()
                .filter(|i| i.by == by)
                .filter_map(|i| self.utterances().get(i.utterance).map(Evidence::of))
                .collect(),
        }
    }

    fn event(&mut self, name: &str) -> Outcome {
        let m = self.facts.metrics;
        let notes: Vec<Evidence> = match name {
            "hold" => self.moments(Moment::Holds),
            "dead_air" => self.moments(Moment::DeadAir),
            "interruption_by_agent" => self.moments(Moment::Interruptions(Speaker::Agent)),
            "interruption_by_customer" => self.moments(Moment::Interruptions(Speaker::Customer)),
            flag => self
                .facts
                .flags
                .iter()
                .filter(|f| f.kind.as_str() == flag)
                .flat_map(|f| f.evidence.iter().cloned())
                .collect(),
        };
        match notes.first() {
            Some(first) => {
                let at = Some(first.start);
                Outcome::pass(notes, at)
            }
            None => Outcome::fail(vec![Evidence::note(
                0.0,
                m.duration_s,
                format!("no {name}"),
            )]),
        }
    }
}
