//! Rubrics: YAML scorecards (QA, etiquette, compliance, or your own) compiled into checks that
//! score a call with evidence. The file format is documented in `rubrics/README.md`.
//!
//! Loading validates everything a typo could break — unknown keys, unknown conditions, metrics,
//! events or PII kinds, duplicate ids, bad numbers, cycles between conditions — and reports each
//! problem as `file:line:column: message`.

mod eval;
mod schema;

pub use eval::{CriterionResult, CriterionVerdict, RubricResult, SectionScore, UtteranceMatches};
pub use schema::{CriticalScope, SaidBy, SentimentMeasure};

use crate::analysis::metrics::METRIC_NAMES;
use crate::analysis::pii::PiiKind;
use crate::text::{Matcher, PhraseId};
use schema::*;
use serde_saphyr::Location;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::PathBuf;

/// Built-in events a check can ask about (`event: hold`).
pub const EVENTS: &[&str] = &[
    "hold",
    "dead_air",
    "interruption_by_agent",
    "interruption_by_customer",
    crate::analysis::flags::DISTRESS,
    crate::analysis::flags::POSSIBLE_DISTRESS,
    crate::analysis::flags::PII_SPOKEN,
    crate::analysis::flags::TRANSFER,
    crate::analysis::flags::OFF_TOPIC_LONG,
];

/// One problem in a rubric file, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RubricIssue {
    pub file: String,
    pub line: u64,
    pub column: u64,
    pub message: String,
}

impl fmt::Display for RubricIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RubricError {
    #[error("{}", .0.iter().map(|i| i.to_string()).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<RubricIssue>),
    #[error("cannot read rubric {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("no rubric files (*.yaml, *.yml) in {0}")]
    NoneFound(String),
    #[error("rubric id {id:?} is used by both {first} and {second}")]
    DuplicateRubric {
        id: String,
        first: String,
        second: String,
    },
}

impl RubricError {
    pub fn issues(&self) -> Vec<String> {
        match self {
            RubricError::Invalid(issues) => issues.iter().map(|i| i.to_string()).collect(),
            other => vec![other.to_string()],
        }
    }
}

/// A numeric comparison: at most, at least, or both (between).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Range {
    pub at_least: Option<f64>,
    pub at_most: Option<f64>,
}

impl Range {
    pub fn contains(&self, v: f64) -> bool {
        self.at_least.is_none_or(|lo| v >= lo - 1e-9)
            && self.at_most.is_none_or(|hi| v <= hi + 1e-9)
    }

    pub fn describe(&self) -> String {
        match (self.at_least, self.at_most) {
            (Some(lo), Some(hi)) => format!("between {} and {}", trim_number(lo), trim_number(hi)),
            (Some(lo), None) => format!("at least {}", trim_number(lo)),
            (None, Some(hi)) => format!("at most {}", trim_number(hi)),
            (None, None) => "any value".into(),
        }
    }
}

/// A number without trailing zeros ("180", "0.7"), as rubric messages and reports print them.
pub fn trim_number(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// One language's phrases (`None` = every language), as ids and as written.
pub type PhraseListFor = (Option<String>, Vec<(PhraseId, String)>);

/// Phrases of one check, per language.
#[derive(Debug, Clone)]
pub struct Phrases {
    pub lists: Vec<PhraseListFor>,
}

impl Phrases {
    /// Phrases that count on a call in `language`: its own list plus English (calls mix them)
    /// plus language-free lists; every list when the language has none of its own.
    pub fn for_language(&self, language: &str) -> Vec<(PhraseId, &str)> {
        let has_own = self
            .lists
            .iter()
            .any(|(l, _)| l.as_deref() == Some(language));
        self.lists
            .iter()
            .filter(|(l, _)| match l.as_deref() {
                None => true,
                Some(l) => !has_own || l == language || l == "en",
            })
            .flat_map(|(_, ps)| ps.iter().map(|(id, text)| (*id, text.as_str())))
            .collect()
    }

    /// For `all_of`: the one list that must be said in full on a call in `language`.
    pub fn all_for_language(&self, language: &str) -> Vec<(PhraseId, &str)> {
        let pick = self
            .lists
            .iter()
            .find(|(l, _)| l.as_deref() == Some(language))
            .or_else(|| self.lists.iter().find(|(l, _)| l.is_none()))
            .or_else(|| self.lists.iter().find(|(l, _)| l.as_deref() == Some("en")))
            .or_else(|| self.lists.first());
        pick.map(|(_, ps)| ps.iter().map(|(id, t)| (*id, t.as_str())).collect())
            .unwrap_or_default()
    }
}

#[derive(Debug, Clone)]
pub struct PhraseCheck {
    pub said_by: SaidBy,
    pub any_of: Option<Phrases>,
    pub all_of: Option<Phrases>,
    pub none_of: Option<Phrases>,
    pub within_first_s: Option<f64>,
    pub within_last_s: Option<f64>,
    /// Condition indexes.
    pub before: Option<usize>,
    pub after: Option<usize>,
}

#[derive(Debug, Clone)]
pub enum Check {
    Phrase(PhraseCheck),
    Metric {
        name: &'static str,
        range: Range,
    },
    Sentiment {
        speaker: crate::transcript::Speaker,
        measure: SentimentMeasure,
        range: Range,
    },
    Pii {
        said_by: SaidBy,
        any_of: Vec<PiiKind>,
        none_of: Vec<PiiKind>,
        /// Only utterances starting before this condition's first occurrence.
        before: Option<usize>,
    },
    Event(&'static str),
    Condition(usize),
    All(Vec<Check>),
    Any(Vec<Check>),
    Not(Box<Check>),
}

#[derive(Debug, Clone)]
pub struct Condition {
    pub id: String,
    pub description: Option<String>,
    pub check: Check,
}

#[derive(Debug, Clone)]
pub struct Criterion {
    pub id: String,
    pub title: String,
    pub points: f64,
    pub critical: bool,
    pub applies_when: Option<usize>,
    pub check: Check,
    pub coach: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Section {
    pub id: String,
    pub title: String,
    pub weight: f64,
    pub criteria: Vec<Criterion>,
}

#[derive(Debug, Clone)]
pub struct Rubric {
    pub id: String,
    pub title: String,
    pub version: u32,
    pub description: Option<String>,
    pub languages: Vec<String>,
    pub critical_scope: CriticalScope,
    pub conditions: Vec<Condition>,
    pub sections: Vec<Section>,
    /// Hex SHA-256 of the file's bytes: results are stored against it, so history survives
    /// rubric edits.
    pub hash: String,
    pub path: String,
    /// The YAML as loaded, kept with stored results so history shows what was applied.
    pub source: String,
}

impl Rubric {
    pub fn criteria(&self) -> impl Iterator<Item = (&Section, &Criterion)> {
        self.sections
            .iter()
            .flat_map(|s| s.criteria.iter().map(move |c| (s, c)))
    }
}

/// Rubrics compiled together: their phrases share one matcher, so a call's utterances are
/// matched once for all of them.
#[derive(Debug, Clone)]
pub struct RubricSet {
    pub rubrics: Vec<Rubric>,
    pub(crate) matcher: Matcher,
    /// The conversation cues (holds, transfers, distress) live in the same matcher.
    pub(crate) cues: crate::analysis::cues::CuePhrases,
    /// Every loaded rubric's `vocabulary:` (proper names the calls use), in order, once each.
    pub vocabulary: Vec<String>,
}

impl Default for RubricSet {
    fn default() -> RubricSet {
        let mut matcher = Matcher::new();
        let cues = crate::analysis::cues::CuePhrases::register(&mut matcher);
        RubricSet {
            rubrics: Vec::new(),
            matcher,
            cues,
            vocabulary: Vec::new(),
        }
    }
}

/// Rubric files in a folder (sorted), or the files given.
pub fn rubric_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, RubricError> {
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            let entries = std::fs::read_dir(p).map_err(|source| RubricError::Io {
                path: p.display().to_string(),
                source,
            })?;
            let mut found: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| {
                    f.extension()
                        .and_then(|e| e.to_str())
                        .is_some_and(|e| e == "yaml" || e == "yml")
                })
                .collect();
            found.sort();
            if found.is_empty() {
                return Err(RubricError::NoneFound(p.display().to_string()));
            }
            files.extend(found);
        } else {
            files.push(p.clone());
        }
    }
    Ok(files)
}

/// Parser limits for the YAML callqa reads (rubrics, topic sets). serde-saphyr's defaults are
/// already bounded, but sized for large configs (64 MiB of scalar text, 50,000 aliases, a
/// million replayed alias events); a rubric is a few KiB, so a file with an alias bomb
/// ("billion laughs", or one long string repeated through thousands of aliases) is refused
/// after a few MiB of work instead. Stated here so a dependency upgrade cannot loosen them.
pub fn yaml_options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_aliases = 10_000;
    budget.max_anchors = 10_000;
    budget.max_events = 1_000_000;
    budget.max_nodes = 250_000;
    budget.max_depth = 64;
    budget.max_total_scalar_bytes = 16 * 1024 * 1024;
    budget.max_recorded_anchor_bytes = 16 * 1024 * 1024;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options.alias_limits.max_total_replayed_events = 100_000;
    options.alias_limits.max_replay_stack_depth = 32;
    options
}

impl RubricSet {
    /// Loads and compiles rubric files (folders are expanded to their *.yaml files). All
    /// problems of all files are reported together.
    pub fn load(paths: &[PathBuf]) -> Result<RubricSet, RubricError> {
        let mut set = RubricSet::default();
        let mut issues = Vec::new();
        let mut seen: HashMap<String, String> = HashMap::new();
        for file in rubric_files(paths)? {
            let text = std::fs::read_to_string(&file).map_err(|source| RubricError::Io {
                path: file.display().to_string(),
                source,
            })?;
            match set.add_source(&file.display().to_string(), &text) {
                Ok(()) => {
                    let r = set.rubrics.last().map(|r| r.id.clone()).unwrap_or_default();
                    if let Some(first) = seen.insert(r.clone(), file.display().to_string()) {
                        return Err(RubricError::DuplicateRubric {
                            id: r,
                            first,
                            second: file.display().to_string(),
                        });
                    }
                }
                Err(RubricError::Invalid(mut more)) => issues.append(&mut more),
                Err(other) => return Err(other),
            }
        }
        if issues.is_empty() {
            Ok(set)
        } else {
            Err(RubricError::Invalid(issues))
        }
    }

    /// Compiles one rubric from YAML text; `name` is used in messages.
    pub fn add_source(&mut self, name: &str, yaml: &str) -> Result<(), RubricError> {
        let file: RubricFile =
            serde_saphyr::from_str_with_options(yaml, yaml_options()).map_err(|e| {
                let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
                RubricError::Invalid(vec![RubricIssue {
                    file: name.to_string(),
                    line,
                    column,
                    message: first_line(&e.to_string()),
                }])
            })?;
        let hash = crate::asr::model::hex(&Sha256::digest(yaml.as_bytes()));
        let vocabulary: Vec<String> = file
            .vocabulary
            .iter()
            .map(|w| w.trim().to_string())
            .filter(|w| !w.is_empty())
            .collect();
        let mut compiler = Compiler {
            file: name,
            matcher: &mut self.matcher,
            issues: Vec::new(),
            conditions: HashMap::new(),
            languages: file.languages.iter().map(|l| l.value.clone()).collect(),
        };
        let mut rubric = compiler.rubric(file, hash, name);
        rubric.source = yaml.to_string();
        if compiler.issues.is_empty() {
            self.rubrics.push(rubric);
            for word in vocabulary {
                if !self.vocabulary.contains(&word) {
                    self.vocabulary.push(word);
                }
            }
            Ok(())
        } else {
            Err(RubricError::Invalid(compiler.issues))
        }
    }

    pub fn is_empty(&self) -> bool {
        self.rubrics.is_empty()
    }
}

pub(crate) fn first_line(message: &str) -> String {
    // serde-saphyr appends a source snippet after the first line; the location is ours to print.
    let mut line = message.lines().next().unwrap_or(message).trim();
    line = line.strip_prefix("error: ").unwrap_or(line);
    // "line 75 column 40: ..." — the location is printed in front already.
    if line.starts_with("line ") {
        if let Some((_, rest)) = line.split_once(": ") {
            line = rest;
        }
    }
    match line.rfind(" at line ") {
        Some(i) => line[..i].to_string(),
        None => line.to_string(),
    }
}

struct Compiler<'a> {
    file: &'a str,
    matcher: &'a mut Matcher,
    issues: Vec<RubricIssue>,
    conditions: HashMap<String, (usize, bool)>,
    languages: Vec<String>,
}

fn is_identifier(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

impl Compiler<'_> {
    fn issue(&mut self, at: Location, message: impl Into<String>) {
        self.issues.push(RubricIssue {
            file: self.file.to_string(),
            line: at.line(),
            column: at.column(),
            message: message.into(),
        });
    }

    fn rubric(&mut self, file: RubricFile, hash: String, path: &str) -> Rubric {
        self.check_header(&file);
        let conditions = self.conditions(&file.conditions);
        let sections = self.sections(&file);
        Rubric {
            id: file.id.value,
            title: file.title,
            version: file.version.value,
            description: file.description,
            languages: self.languages.clone(),
            critical_scope: file.critical_scope,
            conditions,
            sections,
            hash,
            path: path.to_string(),
            source: String::new(),
        }
    }

    /// An id a rubric file declares: lower-case letters, digits, '_' or '-'.
    fn check_identifier(&mut self, what: &str, id: &S<String>) {
        if !is_identifier(&id.value) {
            self.issue(
                id.referenced,
                format!(
                    "{what} id {:?} must be lower-case letters, digits, '_' or '-'",
                    id.value
                ),
            );
        }
    }

    /// The rubric's id, version and languages.
    fn check_header(&mut self, file: &RubricFile) {
        self.check_identifier("rubric", &file.id);
        if file.version.value == 0 {
            self.issue(file.version.referenced, "version must be 1 or more");
        }
        for l in &file.languages {
            if !is_language(&l.value) {
                self.issue(
                    l.referenced,
                    format!(
                        "{:?} is not a language code (use ISO 639-1, e.g. en, he, ar, ru)",
                        l.value
                    ),
                );
            }
        }
    }

    fn conditions(&mut self, defs: &[ConditionDef]) -> Vec<Condition> {
        self.declare_conditions(defs);
        self.untime_conditions(defs);
        let conditions: Vec<Condition> = defs
            .iter()
            .map(|c| Condition {
                id: c.id.value.clone(),
                description: c.description.clone(),
                check: self.check(&c.check),
            })
            .collect();
        self.find_cycles(defs, &conditions);
        conditions
    }

    /// Conditions may refer to conditions defined before them; declaring them all first
    /// lets any order work, and cycles are found afterwards.
    fn declare_conditions(&mut self, defs: &[ConditionDef]) {
        for (i, c) in defs.iter().enumerate() {
            self.check_identifier("condition", &c.id);
            let timed = has_time(&c.check);
            if self
                .conditions
                .insert(c.id.value.clone(), (i, timed))
                .is_some()
            {
                self.issue(
                    c.id.referenced,
                    format!("duplicate condition id {:?}", c.id.value),
                );
            }
        }
    }

    /// A condition that refers to a condition without a time cannot have one either; repeated
    /// until nothing changes, so chains of any length in any order settle.
    fn untime_conditions(&mut self, defs: &[ConditionDef]) {
        let mut changed = true;
        while changed {
            changed = false;
            for c in defs {
                let timed = self.timed_check(&c.check);
                if let Some(entry) = self.conditions.get_mut(&c.id.value) {
                    if entry.1 && !timed {
                        entry.1 = false;
                        changed = true;
                    }
                }
            }
        }
    }

    fn sections(&mut self, file: &RubricFile) -> Vec<Section> {
        if file.sections.is_empty() {
            self.issue(file.id.referenced, "a rubric needs at least one section");
        }
        let mut section_ids: HashSet<&str> = HashSet::new();
        // Criterion ids are unique across the whole rubric, not per section.
        let mut criterion_ids: HashSet<&str> = HashSet::new();
        let mut sections = Vec::new();
        for s in &file.sections {
            if !section_ids.insert(&s.id.value) {
                self.issue(
                    s.id.referenced,
                    format!("duplicate section id {:?}", s.id.value),
                );
            }
            sections.push(self.section(s, &mut criterion_ids));
        }
        sections
    }

    fn section<'f>(&mut self, s: &'f SectionDef, criterion_ids: &mut HashSet<&'f str>) -> Section {
        if !(s.weight.value.is_finite() && s.weight.value > 0.0) {
            self.issue(
                s.weight.referenced,
                format!(
                    "section weight must be a positive number, not {}",
                    s.weight.value
                ),
            );
        }
        if s.criteria.is_empty() {
            self.issue(
                s.id.referenced,
                format!("section {:?} has no criteria", s.id.value),
            );
        }
        let criteria = s
            .criteria
            .iter()
            .map(|c| self.criterion(c, criterion_ids))
            .collect();
        Section {
            id: s.id.value.clone(),
            title: s.title.clone(),
            weight: s.weight.value,
            criteria,
        }
    }

    fn criterion<'f>(
        &mut self,
        c: &'f CriterionDef,
        criterion_ids: &mut HashSet<&'f str>,
    ) -> Criterion {
        self.check_identifier("criterion", &c.id);
        if !criterion_ids.insert(&c.id.value) {
            self.issue(
                c.id.referenced,
                format!("duplicate criterion id {:?}", c.id.value),
            );
        }
        if !(c.points.value.is_finite() && c.points.value > 0.0) {
            self.issue(
                c.points.referenced,
                format!("points must be a positive number, not {}", c.points.value),
            );
        }
        let applies_when = c.applies_when.as_ref().and_then(|a| self.condition_ref(a));
        Criterion {
            id: c.id.value.clone(),
            title: c.title.clone(),
            points: c.points.value,
            critical: c.critical,
            applies_when,
            check: self.check(&c.check),
            coach: c.coach.clone(),
        }
    }

    fn condition_ref(&mut self, name: &S<String>) -> Option<usize> {
        match self.conditions.get(&name.value) {
            Some(&(i, _)) => Some(i),
            None => {
                let known: Vec<&str> = self.conditions.keys().map(String::as_str).collect();
                let hint = if known.is_empty() {
                    "this rubric defines no conditions".to_string()
                } else {
                    let mut k = known;
                    k.sort();
                    format!("defined: {}", k.join(", "))
                };
                self.issue(
                    name.referenced,
                    format!("unknown condition {:?} ({hint})", name.value),
                );
                None
            }
        }
    }

    fn timed_check(&self, check: &CheckDef) -> bool {
        match check {
            CheckDef::Condition(name) => self.conditions.get(&name.value).is_none_or(|c| c.1),
            CheckDef::All(cs) | CheckDef::Any(cs) => cs.iter().all(|c| self.timed_check(c)),
            other => has_time(other),
        }
    }

    fn range(
        &mut self,
        at_most: &Option<S<f64>>,
        at_least: &Option<S<f64>>,
        between: &Option<S<[f64; 2]>>,
        at: Location,
        bounds: Option<(f64, f64)>,
    ) -> Range {
        let mut range = Range {
            at_least: at_least.as_ref().map(|v| v.value),
            at_most: at_most.as_ref().map(|v| v.value),
        };
        for v in [at_most, at_least].into_iter().flatten() {
            if !v.value.is_finite() {
                self.issue(v.referenced, "not a finite number");
            }
        }
        if let Some(b) = between {
            if at_most.is_some() || at_least.is_some() {
                self.issue(
                    b.referenced,
                    "use either between or at_least/at_most, not both",
                );
            }
            let [lo, hi] = b.value;
            if !(lo.is_finite() && hi.is_finite()) || lo > hi {
                self.issue(
                    b.referenced,
                    format!("between needs [low, high] with low <= high, not [{lo}, {hi}]"),
                );
            }
            range = Range {
                at_least: Some(lo),
                at_most: Some(hi),
            };
        }
        if range.at_least.is_none() && range.at_most.is_none() {
            self.issue(at, "give at_most, at_least or between");
        }
        if let (Some(lo), Some(hi)) = (range.at_least, range.at_most) {
            if lo > hi {
                self.issue(
                    at,
                    format!("at_least {lo} is above at_most {hi}: nothing can pass"),
                );
            }
        }
        if let Some((min, max)) = bounds {
            for (v, loc) in [(at_most, "at_most"), (at_least, "at_least")] {
                if let Some(v) = v {
                    if v.value < min || v.value > max {
                        self.issue(
                            v.referenced,
                            format!(
                                "{loc} {} is outside the possible range {min}..{max}",
                                v.value
                            ),
                        );
                    }
                }
            }
        }
        range
    }

    fn phrases(&mut self, list: &Option<PhraseList>) -> Option<Phrases> {
        let list = list.as_ref()?;
        let mut lists = Vec::new();
        let mut add = |this: &mut Self, lang: Option<&S<String>>, phrases: &[S<String>]| {
            let code = lang.map(|l| l.value.clone());
            if let Some(l) = lang {
                if !is_language(&l.value) {
                    this.issue(
                        l.referenced,
                        format!("{:?} is not a language code", l.value),
                    );
                } else if !this.languages.is_empty() && !this.languages.contains(&l.value) {
                    this.issue(
                        l.referenced,
                        format!(
                            "language {:?} is not in the rubric's languages ({})",
                            l.value,
                            this.languages.join(", ")
                        ),
                    );
                }
            }
            let norm_lang = code.clone().unwrap_or_else(|| "en".into());
            let mut ids = Vec::new();
            for p in phrases {
                match this.matcher.add(&p.value, &norm_lang) {
                    Some(id) => ids.push((id, p.value.clone())),
                    None => this.issue(
                        p.referenced,
                        format!("phrase {:?} has no words to match", p.value),
                    ),
                }
            }
            if phrases.is_empty() {
                if let Some(l) = lang {
                    this.issue(l.referenced, "empty phrase list");
                }
            }
            lists.push((code, ids));
        };
        match list {
            PhraseList::Plain(ps) => add(self, None, ps),
            PhraseList::PerLanguage(per) => {
                for (lang, ps) in per {
                    add(self, Some(lang), ps);
                }
            }
        }
        Some(Phrases { lists })
    }

    fn check(&mut self, check: &CheckDef) -> Check {
        match check {
            CheckDef::Phrase(spanned) => {
                let p = &spanned.value;
                let any_of = self.phrases(&p.any_of);
                let all_of = self.phrases(&p.all_of);
                let none_of = self.phrases(&p.none_of);
                if any_of.is_none() && all_of.is_none() && none_of.is_none() {
                    self.issue(
                        spanned.referenced,
                        "a phrase check needs any_of, all_of or none_of",
                    );
                }
                for w in [&p.within_first_s, &p.within_last_s].into_iter().flatten() {
                    if !(w.value.is_finite() && w.value > 0.0) {
                        self.issue(w.referenced, "window must be a positive number of seconds");
                    }
                }
                let before = self.timed_condition(&p.before);
                let after = self.timed_condition(&p.after);
                Check::Phrase(PhraseCheck {
                    said_by: p.said_by,
                    any_of,
                    all_of,
                    none_of,
                    within_first_s: p.within_first_s.as_ref().map(|v| v.value),
                    within_last_s: p.within_last_s.as_ref().map(|v| v.value),
                    before,
                    after,
                })
            }
            CheckDef::Metric(m) => {
                let name = match METRIC_NAMES.iter().find(|n| **n == m.name.value) {
                    Some(n) => *n,
                    None => {
                        self.issue(
                            m.name.referenced,
                            format!(
                                "unknown metric {:?} (known: {})",
                                m.name.value,
                                METRIC_NAMES.join(", ")
                            ),
                        );
                        "duration_s"
                    }
                };
                let bounds = if name == "agent_talk_ratio" {
                    Some((0.0, 1.0))
                } else {
                    Some((0.0, f64::MAX))
                };
                let range = self.range(
                    &m.at_most,
                    &m.at_least,
                    &m.between,
                    m.name.referenced,
                    bounds,
                );
                Check::Metric { name, range }
            }
            CheckDef::Sentiment(s) => {
                let speaker = match s.speaker.value {
                    SaidBy::Agent => crate::transcript::Speaker::Agent,
                    SaidBy::Customer => crate::transcript::Speaker::Customer,
                    SaidBy::Any => {
                        self.issue(
                            s.speaker.referenced,
                            "sentiment speaker must be agent or customer",
                        );
                        crate::transcript::Speaker::Customer
                    }
                };
                let bounds = if s.measure == SentimentMeasure::Trend {
                    (-2.0, 2.0)
                } else {
                    (-1.0, 1.0)
                };
                let range = self.range(
                    &s.at_most,
                    &s.at_least,
                    &s.between,
                    s.speaker.referenced,
                    Some(bounds),
                );
                Check::Sentiment {
                    speaker,
                    measure: s.measure,
                    range,
                }
            }
            CheckDef::Pii(spanned) => {
                let p = &spanned.value;
                let kinds = |this: &mut Self, list: &[S<String>]| -> Vec<PiiKind> {
                    list.iter()
                        .filter_map(|k| {
                            let kind = PiiKind::parse(&k.value);
                            if kind.is_none() {
                                this.issue(
                                    k.referenced,
                                    format!(
                                        "unknown PII kind {:?} (known: {})",
                                        k.value,
                                        PiiKind::ALL.map(PiiKind::as_str).join(", ")
                                    ),
                                );
                            }
                            kind
                        })
                        .collect()
                };
                let any_of = kinds(self, &p.any_of);
                let none_of = kinds(self, &p.none_of);
                if p.any_of.is_empty() && p.none_of.is_empty() {
                    self.issue(spanned.referenced, "a pii check needs any_of or none_of");
                }
                if p.before.is_some() && any_of.is_empty() {
                    self.issue(
                        spanned.referenced,
                        "`before` needs any_of: it limits where the PII must be found",
                    );
                }
                Check::Pii {
                    said_by: p.said_by,
                    any_of,
                    none_of,
                    before: self.timed_condition(&p.before),
                }
            }
            CheckDef::Event(e) => match EVENTS.iter().find(|n| **n == e.value) {
                Some(n) => Check::Event(n),
                None => {
                    self.issue(
                        e.referenced,
                        format!("unknown event {:?} (known: {})", e.value, EVENTS.join(", ")),
                    );
                    Check::Event("hold")
                }
            },
            CheckDef::Condition(name) => match self.condition_ref(name) {
                Some(i) => Check::Condition(i),
                None => Check::All(Vec::new()),
            },
            CheckDef::All(cs) => Check::All(cs.iter().map(|c| self.check(c)).collect()),
            CheckDef::Any(cs) => Check::Any(cs.iter().map(|c| self.check(c)).collect()),
            CheckDef::Not(c) => Check::Not(Box::new(self.check(c))),
        }
    }

    /// A condition named by `before:` / `after:`, which must have a time.
    fn timed_condition(&mut self, name: &Option<S<String>>) -> Option<usize> {
        let e = name.as_ref()?;
        let i = self.condition_ref(e)?;
        if !self.conditions.get(&e.value).is_some_and(|c| c.1) {
            self.issue(e.referenced, format!("condition {:?} has no time (metric and sentiment checks do not), so nothing can be before or after it", e.value));
        }
        Some(i)
    }

    fn find_cycles(&mut self, defs: &[ConditionDef], conditions: &[Condition]) {
        fn refs(check: &Check, out: &mut Vec<usize>) {
            match check {
                Check::Condition(i) => out.push(*i),
                Check::Phrase(p) => out.extend(p.before.iter().chain(p.after.iter())),
                Check::Pii { before, .. } => out.extend(before.iter()),
                Check::All(cs) | Check::Any(cs) => cs.iter().for_each(|c| refs(c, out)),
                Check::Not(c) => refs(c, out),
                _ => {}
            }
        }
        let edges: Vec<Vec<usize>> = conditions
            .iter()
            .map(|c| {
                let mut out = Vec::new();
                refs(&c.check, &mut out);
                out
            })
            .collect();
        for start in 0..conditions.len() {
            // Depth-first search for a path back to `start`.
            let mut stack = edges[start].clone();
            let mut seen = vec![false; conditions.len()];
            while let Some(n) = stack.pop() {
                if n == start {
                    self.issue(
                        defs[start].id.referenced,
                        format!("condition {:?} refers back to itself", conditions[start].id),
                    );
                    break;
                }
                if n < seen.len() && !seen[n] {
                    seen[n] = true;
                    stack.extend(edges[n].iter().copied());
                }
            }
        }
    }
}

/// Whether a check (before resolving condition references) can say when it happened.
fn has_time(check: &CheckDef) -> bool {
    match check {
        CheckDef::Phrase(p) => p.value.any_of.is_some() || p.value.all_of.is_some(),
        CheckDef::Event(_) | CheckDef::Condition(_) => true,
        CheckDef::Pii(p) => !p.value.any_of.is_empty(),
        CheckDef::All(cs) | CheckDef::Any(cs) => !cs.is_empty() && cs.iter().all(has_time),
        CheckDef::Metric(_) | CheckDef::Sentiment(_) | CheckDef::Not(_) => false,
    }
}

fn is_language(code: &str) -> bool {
    (2..=3).contains(&code.len()) && code.chars().all(|c| c.is_ascii_lowercase())
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_multilingual;
