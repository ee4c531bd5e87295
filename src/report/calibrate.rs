//! Calibration against human evaluators (`callqa calibrate`): how far callqa's latest criterion
//! verdicts agree with an auditor's on the same calls — agreement, Cohen's kappa and the
//! confusion per criterion and overall, every disagreement with callqa's evidence, and the
//! thresholds each criterion uses, so a QA lead sees the knob next to the agreement.
//!
//! The labels file is CSV with a header: `call_id,rubric,criterion,verdict[,evaluator][,note]`
//! (columns in any order, others ignored). A call is named by the user's id (manifest or name
//! pattern), the file name, the audio hash or a unique hash prefix of at least 8 hex digits.
//! What cannot be compared (unknown calls, rubrics or criteria; a call not scored against the
//! criterion; a verdict that is not pass/fail/na) is listed, never fatal.

mod render;

use crate::analysis::rubric::{
    Check, Criterion, CriterionResult, CriterionVerdict, Rubric, RubricSet, SentimentMeasure,
};
use crate::analysis::CallAnalysis;
use crate::report::sample::Candidate;
use crate::store::{LabelledCall, Store, StoreError, StoredRubric};
use crate::transcript::Evidence;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{Read, Write};

pub use render::{render_html, render_markdown};

#[derive(Debug, thiserror::Error)]
pub enum CalibrateError {
    #[error("{file}: {source}")]
    Csv { file: String, source: csv::Error },
    #[error("{file}: the header has no {columns} column (expected call_id,rubric,criterion,verdict[,evaluator][,note])")]
    MissingColumns { file: String, columns: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("writing the verdict sheet: {0}")]
    Write(#[from] std::io::Error),
}

/// The three classes, in the order of the confusion's rows and columns.
pub const CLASSES: [CriterionVerdict; 3] = [
    CriterionVerdict::Pass,
    CriterionVerdict::Fail,
    CriterionVerdict::Na,
];

fn class(v: CriterionVerdict) -> usize {
    match v {
        CriterionVerdict::Pass => 0,
        CriterionVerdict::Fail => 1,
        CriterionVerdict::Na => 2,
    }
}

/// Counts of (human, callqa) verdict pairs: `counts[human][callqa]`, classes in [`CLASSES`]
/// order (pass, fail, na).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Confusion {
    pub counts: [[u64; 3]; 3],
}

impl Confusion {
    pub fn add(&mut self, human: CriterionVerdict, callqa: CriterionVerdict) {
        self.counts[class(human)][class(callqa)] += 1;
    }

    pub fn n(&self) -> u64 {
        self.counts.iter().flatten().sum()
    }

    fn agreed(&self) -> u64 {
        (0..3).map(|k| self.counts[k][k]).sum()
    }

    /// Share of pairs where callqa's verdict equals the human's (N/A included); `None` without
    /// pairs.
    pub fn agreement(&self) -> Option<f64> {
        let n = self.n();
        (n > 0).then(|| self.agreed() as f64 / n as f64)
    }

    /// Cohen's kappa, (po − pe) / (1 − pe), with pe the agreement expected by chance from the
    /// two raters' own shares of each class. `None` when undefined: no pairs, or pe = 1 (both
    /// raters gave one and the same class to every pair — agreement is then 1 and says it all).
    pub fn kappa(&self) -> Option<f64> {
        let n = self.n();
        if n == 0 {
            return None;
        }
        let n = n as f64;
        let po = self.agreed() as f64 / n;
        let pe: f64 = (0..3)
            .map(|k| {
                let human: u64 = self.counts[k].iter().sum();
                let callqa: u64 = (0..3).map(|h| self.counts[h][k]).sum();
                (human as f64 / n) * (callqa as f64 / n)
            })
            .sum();
        // pe is a sum of products of counts over n²; it equals 1 only when a single cell holds
        // every pair, and then exactly (k·k/n² with k = n).
        if 1.0 - pe <= 1e-12 {
            return None;
        }
        Some((po - pe) / (1.0 - pe))
    }
}

/// `pass`, `fail`, `na` or `n/a` in any case; `Ok(None)` for an empty cell (not yet judged).
pub fn parse_verdict(s: &str) -> Result<Option<CriterionVerdict>, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "" => Ok(None),
        "pass" => Ok(Some(CriterionVerdict::Pass)),
        "fail" => Ok(Some(CriterionVerdict::Fail)),
        "na" | "n/a" => Ok(Some(CriterionVerdict::Na)),
        _ => Err(format!("verdict {:?} is not pass, fail or na", s.trim())),
    }
}

/// One human verdict from the labels file.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    /// 1-based line in the file.
    pub line: u64,
    pub call: String,
    pub rubric: String,
    pub criterion: String,
    pub verdict: CriterionVerdict,
    pub evaluator: Option<String>,
    pub note: Option<String>,
}

/// A row that could not be read as a verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InvalidRow {
    pub line: u64,
    pub reason: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Labels {
    pub labels: Vec<Label>,
    /// Rows with an empty verdict (a verdict sheet not filled in yet).
    pub blank: usize,
    pub invalid: Vec<InvalidRow>,
}

/// Reads a labels CSV (`file` names it in messages). A missing required column is an error;
/// a bad row is listed in `invalid` and the rest is read.
pub fn parse_labels<R: Read>(file: &str, mut reader: R) -> Result<Labels, CalibrateError> {
    let csv_err = |source| CalibrateError::Csv {
        file: file.to_string(),
        source,
    };
    // Read whole (a labels file is small) so a row's line is counted from its byte offset: the
    // csv reader's own position of a row that follows blank lines is the first blank line.
    let mut bytes = Vec::new();
    reader
        .read_to_end(&mut bytes)
        .map_err(|e| csv_err(e.into()))?;
    let newlines: Vec<usize> = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i)
        .collect();
    let line_of = |p: Option<&csv::Position>| -> u64 {
        p.map_or(0, |p| {
            let mut at = usize::try_from(p.byte()).unwrap_or(usize::MAX);
            while matches!(bytes.get(at), Some(b'\n' | b'\r')) {
                at += 1;
            }
            newlines.partition_point(|&n| n < at) as u64 + 1
        })
    };
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes.as_slice());
    let header: Vec<String> = rdr
        .byte_headers()
        .map_err(csv_err)?
        .iter()
        .map(|h| {
            String::from_utf8_lossy(h)
                .trim_start_matches('\u{feff}')
                .trim()
                .to_ascii_lowercase()
        })
        .collect();
    let column = |name: &str| header.iter().position(|h| h == name);
    let required = ["call_id", "rubric", "criterion", "verdict"];
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|c| column(c).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(CalibrateError::MissingColumns {
            file: file.to_string(),
            columns: missing.join(", "),
        });
    }
    let [call_col, rubric_col, criterion_col, verdict_col] = required.map(&column);
    let (evaluator_col, note_col) = (column("evaluator"), column("note"));
    let mut out = Labels::default();
    let mut record = csv::ByteRecord::new();
    loop {
        match rdr.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                // A malformed row (csv reports its position) is one invalid row; an I/O error
                // ends the file.
                match e.position() {
                    Some(p) if !matches!(e.kind(), csv::ErrorKind::Io(_)) => {
                        out.invalid.push(InvalidRow {
                            line: line_of(Some(p)),
                            reason: e.to_string(),
                        });
                        continue;
                    }
                    _ => return Err(csv_err(e)),
                }
            }
        }
        let line = line_of(record.position());
        let field = |col: Option<usize>| -> String {
            col.and_then(|c| record.get(c))
                .map(|b| String::from_utf8_lossy(b).trim().to_string())
                .unwrap_or_default()
        };
        let optional = |col: Option<usize>| Some(field(col)).filter(|s| !s.is_empty());
        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        let (call, rubric, criterion) = (field(call_col), field(rubric_col), field(criterion_col));
        let empty: Vec<&str> = [
            ("call_id", &call),
            ("rubric", &rubric),
            ("criterion", &criterion),
        ]
        .iter()
        .filter(|(_, v)| v.is_empty())
        .map(|(k, _)| *k)
        .collect();
        if !empty.is_empty() {
            out.invalid.push(InvalidRow {
                line,
                reason: format!("empty {}", empty.join(", ")),
            });
            continue;
        }
        match parse_verdict(&field(verdict_col)) {
            Ok(Some(verdict)) => out.labels.push(Label {
                line,
                call,
                rubric,
                criterion,
                verdict,
                evaluator: optional(evaluator_col),
                note: optional(note_col),
            }),
            Ok(None) => out.blank += 1,
            Err(reason) => out.invalid.push(InvalidRow { line, reason }),
        }
    }
    Ok(out)
}

/// How a labels file's `call_id` resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved<'a> {
    Call(&'a LabelledCall),
    Unknown,
    /// More than one call matches (the count).
    Ambiguous(usize),
}

/// Every stored call by each id a person may use for it.
#[derive(Debug, Clone, Default)]
pub struct CallIndex {
    /// Sorted by hash.
    calls: Vec<LabelledCall>,
    external: HashMap<String, Vec<usize>>,
    name: HashMap<String, Vec<usize>>,
    path: HashMap<String, Vec<usize>>,
}

/// The file name of a stored path.
pub fn file_name(path: &str) -> &str {
    std::path::Path::new(path)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(path)
}

impl CallIndex {
    pub fn new(mut calls: Vec<LabelledCall>) -> CallIndex {
        calls.sort_by(|a, b| a.call_id.cmp(&b.call_id));
        let mut index = CallIndex::default();
        for (i, c) in calls.iter().enumerate() {
            if let Some(e) = &c.external_id {
                index.external.entry(e.clone()).or_default().push(i);
            }
            index
                .name
                .entry(file_name(&c.path).to_string())
                .or_default()
                .push(i);
            index.path.entry(c.path.clone()).or_default().push(i);
        }
        index.calls = calls;
        index
    }

    /// By, in this order: the audio hash, the user's call id, the file name, the stored path,
    /// a hash prefix of at least 8 hex digits. The first kind that matches decides; when it
    /// matches more than one call the id is ambiguous.
    pub fn resolve(&self, key: &str) -> Resolved<'_> {
        let key = key.trim();
        if key.is_empty() {
            return Resolved::Unknown;
        }
        let hex = key.to_ascii_lowercase();
        let is_hex = hex.bytes().all(|b| b.is_ascii_hexdigit());
        if is_hex {
            if let Ok(i) = self
                .calls
                .binary_search_by(|c| c.call_id.as_str().cmp(&hex))
            {
                return Resolved::Call(&self.calls[i]);
            }
        }
        for map in [&self.external, &self.name, &self.path] {
            match map.get(key).map(Vec::as_slice) {
                Some([i]) => return Resolved::Call(&self.calls[*i]),
                Some(many) if many.len() > 1 => return Resolved::Ambiguous(many.len()),
                _ => {}
            }
        }
        if is_hex && hex.len() >= 8 {
            let from = self
                .calls
                .partition_point(|c| c.call_id.as_str() < hex.as_str());
            let matching: Vec<&LabelledCall> = self.calls[from..]
                .iter()
                .take_while(|c| c.call_id.starts_with(&hex))
                .collect();
            return match matching.as_slice() {
                [] => Resolved::Unknown,
                [one] => Resolved::Call(one),
                many => Resolved::Ambiguous(many.len()),
            };
        }
        Resolved::Unknown
    }

    /// The id a verdict sheet names a call by: the user's id, else the file name, else the
    /// hash — the first that resolves back to this call alone.
    pub fn key_for(&self, call_id: &str) -> String {
        let Ok(i) = self
            .calls
            .binary_search_by(|c| c.call_id.as_str().cmp(call_id))
        else {
            return call_id.to_string();
        };
        let c = &self.calls[i];
        let candidates = [c.external_id.as_deref(), Some(file_name(&c.path))];
        candidates
            .into_iter()
            .flatten()
            .find(|k| matches!(self.resolve(k), Resolved::Call(x) if x.call_id == call_id))
            .map_or_else(|| call_id.to_string(), str::to_string)
    }
}

/// A criterion as its rubric defines it: title and the thresholds it uses.
#[derive(Debug, Clone, PartialEq)]
pub struct KnownCriterion {
    pub id: String,
    pub title: String,
    pub thresholds: Vec<String>,
}

/// A rubric's criteria, in the rubric's order, over every stored version (the newest version's
/// titles and thresholds).
#[derive(Debug, Clone, PartialEq)]
pub struct KnownRubric {
    pub id: String,
    pub criteria: Vec<KnownCriterion>,
}

fn measure_name(m: SentimentMeasure) -> &'static str {
    match m {
        SentimentMeasure::Start => "start",
        SentimentMeasure::End => "end",
        SentimentMeasure::Trend => "trend",
        SentimentMeasure::Min => "min",
        SentimentMeasure::Mean => "mean",
    }
}

fn collect_thresholds(rubric: &Rubric, check: &Check, depth: usize, out: &mut Vec<String>) {
    // Conditions may refer to conditions; the compiler rejects cycles, the depth is a backstop.
    if depth > 16 {
        return;
    }
    match check {
        Check::Metric { name, range } => out.push(format!("{name} {}", range.describe())),
        Check::Sentiment {
            speaker,
            measure,
            range,
        } => out.push(format!(
            "{speaker} sentiment {} {}",
            measure_name(*measure),
            range.describe()
        )),
        Check::Phrase(p) => {
            if let Some(s) = p.within_first_s {
                out.push(format!(
                    "within the first {} s",
                    crate::analysis::rubric::trim_number(s)
                ));
            }
            if let Some(s) = p.within_last_s {
                out.push(format!(
                    "within the last {} s",
                    crate::analysis::rubric::trim_number(s)
                ));
            }
        }
        Check::Condition(i) => {
            if let Some(c) = rubric.conditions.get(*i) {
                collect_thresholds(rubric, &c.check, depth + 1, out);
            }
        }
        Check::All(cs) | Check::Any(cs) => {
            for c in cs {
                collect_thresholds(rubric, c, depth + 1, out);
            }
        }
        Check::Not(c) => collect_thresholds(rubric, c, depth + 1, out),
        Check::Pii { .. } | Check::Event(_) => {}
    }
}

/// The numeric knobs a criterion's verdict turns on: metric and sentiment limits, phrase time
/// windows — its own check's, then its `applies_when` condition's.
pub fn thresholds(rubric: &Rubric, criterion: &Criterion) -> Vec<String> {
    let mut out = Vec::new();
    collect_thresholds(rubric, &criterion.check, 0, &mut out);
    if let Some(cond) = criterion
        .applies_when
        .and_then(|i| rubric.conditions.get(i))
    {
        let mut when = Vec::new();
        collect_thresholds(rubric, &cond.check, 0, &mut when);
        out.extend(
            when.into_iter()
                .map(|t| format!("applies when {}: {t}", cond.id)),
        );
    }
    out.dedup();
    out
}

/// The rubrics as stored with their results: every version compiled (one that no longer
/// compiles is left out; its criteria are still known from the calls' results), criteria of
/// all versions, titles and thresholds of the newest.
pub fn known_rubrics(stored: &[StoredRubric]) -> Vec<KnownRubric> {
    let mut by_id: BTreeMap<String, KnownRubric> = BTreeMap::new();
    // Newest first: its order, titles and thresholds stand; older versions only add the
    // criteria it dropped (their results may still be a call's latest).
    let mut ordered: Vec<&StoredRubric> = stored.iter().collect();
    ordered.sort_by_key(|r| !r.newest);
    for s in ordered {
        let mut set = RubricSet::default();
        if set.add_source(&s.path, &s.source).is_err() {
            log::warn!(
                "stored rubric {} ({}) no longer compiles; its thresholds are not shown",
                s.rubric_id,
                s.path
            );
            continue;
        }
        let Some(rubric) = set.rubrics.first() else {
            continue;
        };
        let known = by_id
            .entry(rubric.id.clone())
            .or_insert_with(|| KnownRubric {
                id: rubric.id.clone(),
                criteria: Vec::new(),
            });
        for (_, c) in rubric.criteria() {
            let entry = KnownCriterion {
                id: c.id.clone(),
                title: c.title.clone(),
                thresholds: thresholds(rubric, c),
            };
            if !known.criteria.iter().any(|k| k.id == c.id) {
                known.criteria.push(entry);
            }
        }
    }
    by_id.into_values().collect()
}

/// One of callqa's evidence items, as a reader wants it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvidenceLine {
    /// `agent`, `customer`, or null for a measured value.
    pub speaker: Option<String>,
    /// mm:ss into the call.
    pub time: String,
    pub start: f64,
    pub end: f64,
    pub quote: String,
}

/// mm:ss (minutes beyond 99 widen).
pub fn mm_ss(seconds: f64) -> String {
    let s = seconds.max(0.0).round() as u64;
    format!("{:02}:{:02}", s / 60, s % 60)
}

impl From<&Evidence> for EvidenceLine {
    fn from(e: &Evidence) -> EvidenceLine {
        EvidenceLine {
            speaker: e.speaker.map(|s| s.as_str().to_string()),
            time: mm_ss(e.start),
            start: e.start,
            end: e.end,
            quote: e.quote.clone(),
        }
    }
}

/// A pair where callqa and the human differ.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Disagreement {
    /// Line in the labels file.
    pub line: u64,
    /// The call as the labels file names it.
    pub call_id: String,
    pub audio_hash: String,
    pub file: String,
    pub human: CriterionVerdict,
    pub callqa: CriterionVerdict,
    pub evaluator: Option<String>,
    pub note: Option<String>,
    /// callqa's evidence for its verdict.
    pub evidence: Vec<EvidenceLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionCalibration {
    pub rubric: String,
    pub criterion: String,
    pub title: String,
    pub n: u64,
    pub agreement: Option<f64>,
    pub kappa: Option<f64>,
    /// `counts[human][callqa]`, classes pass, fail, na.
    pub confusion: Confusion,
    pub thresholds: Vec<String>,
    pub disagreements: Vec<Disagreement>,
}

/// What the labels named that callqa does not know; each list sorted, without repeats.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Unknown {
    pub call_ids: Vec<String>,
    /// Ids that match more than one call (e.g. one file name in two folders).
    pub ambiguous_call_ids: Vec<String>,
    pub rubrics: Vec<String>,
    /// `rubric/criterion`.
    pub criteria: Vec<String>,
}

/// A known call and criterion with no stored verdict (the call was not scored against it).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct NotScored {
    pub call_id: String,
    pub rubric: String,
    pub criterion: String,
}

/// The result of one calibration run, as `--format json` prints it and `calibrations` keeps it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Calibration {
    pub labels_file: String,
    /// Pairs compared, over every criterion.
    pub n: u64,
    /// Calls with at least one pair compared.
    pub calls: usize,
    pub agreement: Option<f64>,
    pub kappa: Option<f64>,
    pub confusion: Confusion,
    /// Classes of the confusion's rows (human) and columns (callqa).
    pub classes: [CriterionVerdict; 3],
    pub criteria: Vec<CriterionCalibration>,
    pub unknown: Unknown,
    pub not_scored: Vec<NotScored>,
    pub invalid_rows: Vec<InvalidRow>,
    /// Rows with an empty verdict.
    pub blank_rows: usize,
}

/// Compares the labels with callqa's verdicts. `analyses` holds the latest analysis of every
/// call the labels resolve to (a call without one has no verdicts); `rubrics` the rubrics as
/// stored. Pure: no database.
pub fn compute(
    labels_file: &str,
    labels: &Labels,
    index: &CallIndex,
    analyses: &HashMap<String, CallAnalysis>,
    rubrics: &[KnownRubric],
) -> Calibration {
    let known = known_with_results(rubrics, analyses);
    let mut tally = Tally::default();
    for label in &labels.labels {
        tally.add(label, &known, index, analyses);
    }
    tally.into_calibration(labels_file, labels)
}

/// Rubrics and criteria as known from the stored rubric texts and from the labelled calls'
/// results (a rubric text that no longer compiles still has results), sorted by id.
fn known_with_results(
    rubrics: &[KnownRubric],
    analyses: &HashMap<String, CallAnalysis>,
) -> Vec<KnownRubric> {
    let mut known: Vec<KnownRubric> = rubrics.to_vec();
    for r in analyses.values().flat_map(|a| &a.results) {
        let pos = match known.iter().position(|k| k.id == r.rubric_id) {
            Some(p) => p,
            None => {
                known.push(KnownRubric {
                    id: r.rubric_id.clone(),
                    criteria: Vec::new(),
                });
                known.len() - 1
            }
        };
        for c in &r.criteria {
            if !known[pos].criteria.iter().any(|k| k.id == c.id) {
                known[pos].criteria.push(KnownCriterion {
                    id: c.id.clone(),
                    title: c.title.clone(),
                    thresholds: Vec::new(),
                });
            }
        }
    }
    known.sort_by(|a, b| a.id.cmp(&b.id));
    known
}

/// Where `id` is among `ids`: the exact id, else one that differs only in letter case.
fn position_of<'a>(mut ids: impl Iterator<Item = &'a str> + Clone, id: &str) -> Option<usize> {
    ids.clone()
        .position(|k| k == id)
        .or_else(|| ids.position(|k| k.eq_ignore_ascii_case(id)))
}

/// callqa's stored verdict on one criterion of one call, if it scored it.
fn stored_verdict<'a>(
    analyses: &'a HashMap<String, CallAnalysis>,
    call_id: &str,
    rubric: &str,
    criterion: &str,
) -> Option<&'a CriterionResult> {
    analyses
        .get(call_id)?
        .results
        .iter()
        .find(|r| r.rubric_id == rubric)?
        .criteria
        .iter()
        .find(|c| c.id == criterion)
}

/// What the labels add up to, one label at a time.
#[derive(Default)]
struct Tally {
    unknown_calls: BTreeSet<String>,
    ambiguous: BTreeSet<String>,
    unknown_rubrics: BTreeSet<String>,
    unknown_criteria: BTreeSet<String>,
    not_scored: BTreeSet<NotScored>,
    /// (rubric index, criterion index) in the known rubrics → its calibration.
    per: BTreeMap<(usize, usize), CriterionCalibration>,
    overall: Confusion,
    calls_compared: BTreeSet<String>,
}

impl Tally {
    fn add(
        &mut self,
        label: &Label,
        known: &[KnownRubric],
        index: &CallIndex,
        analyses: &HashMap<String, CallAnalysis>,
    ) {
        // An unknown call is listed even when its rubric or criterion is unknown too.
        let call = self.resolve_call(label, index);
        let Some((ri, ci)) = self.resolve_criterion(label, known) else {
            return;
        };
        let Some(call) = call else {
            return;
        };
        let (rubric, criterion) = (&known[ri], &known[ri].criteria[ci]);
        let Some(result) = stored_verdict(analyses, &call.call_id, &rubric.id, &criterion.id)
        else {
            self.not_scored.insert(NotScored {
                call_id: label.call.clone(),
                rubric: rubric.id.clone(),
                criterion: criterion.id.clone(),
            });
            return;
        };
        self.calls_compared.insert(call.call_id.clone());
        self.overall.add(label.verdict, result.result);
        let entry = self
            .per
            .entry((ri, ci))
            .or_insert_with(|| CriterionCalibration::empty(&rubric.id, criterion));
        entry.confusion.add(label.verdict, result.result);
        if label.verdict != result.result {
            entry
                .disagreements
                .push(Disagreement::of(label, call, result));
        }
    }

    fn resolve_call<'a>(
        &mut self,
        label: &Label,
        index: &'a CallIndex,
    ) -> Option<&'a LabelledCall> {
        match index.resolve(&label.call) {
            Resolved::Call(c) => Some(c),
            Resolved::Unknown => {
                self.unknown_calls.insert(label.call.clone());
                None
            }
            Resolved::Ambiguous(_) => {
                self.ambiguous.insert(label.call.clone());
                None
            }
        }
    }

    /// The label's rubric and criterion as indexes into `known`; an unknown one is listed.
    fn resolve_criterion(
        &mut self,
        label: &Label,
        known: &[KnownRubric],
    ) -> Option<(usize, usize)> {
        let Some(ri) = position_of(known.iter().map(|r| r.id.as_str()), &label.rubric) else {
            self.unknown_rubrics.insert(label.rubric.clone());
            return None;
        };
        let rubric = &known[ri];
        let criteria = rubric.criteria.iter().map(|c| c.id.as_str());
        let Some(ci) = position_of(criteria, &label.criterion) else {
            self.unknown_criteria
                .insert(format!("{}/{}", rubric.id, label.criterion));
            return None;
        };
        Some((ri, ci))
    }

    fn into_calibration(self, labels_file: &str, labels: &Labels) -> Calibration {
        let criteria = self
            .per
            .into_values()
            .map(|mut c| {
                c.n = c.confusion.n();
                c.agreement = c.confusion.agreement();
                c.kappa = c.confusion.kappa();
                c
            })
            .collect();
        Calibration {
            labels_file: labels_file.to_string(),
            n: self.overall.n(),
            calls: self.calls_compared.len(),
            agreement: self.overall.agreement(),
            kappa: self.overall.kappa(),
            confusion: self.overall,
            classes: CLASSES,
            criteria,
            unknown: Unknown {
                call_ids: self.unknown_calls.into_iter().collect(),
                ambiguous_call_ids: self.ambiguous.into_iter().collect(),
                rubrics: self.unknown_rubrics.into_iter().collect(),
                criteria: self.unknown_criteria.into_iter().collect(),
            },
            not_scored: self.not_scored.into_iter().collect(),
            invalid_rows: labels.invalid.clone(),
            blank_rows: labels.blank,
        }
    }
}

impl CriterionCalibration {
    /// Nothing compared yet; the figures are filled in once every label is counted.
    fn empty(rubric: &str, criterion: &KnownCriterion) -> CriterionCalibration {
        CriterionCalibration {
            rubric: rubric.to_string(),
            criterion: criterion.id.clone(),
            title: criterion.title.clone(),
            n: 0,
            agreement: None,
            kappa: None,
            confusion: Confusion::default(),
            thresholds: criterion.thresholds.clone(),
            disagreements: Vec::new(),
        }
    }
}

impl Disagreement {
    fn of(label: &Label, call: &LabelledCall, result: &CriterionResult) -> Disagreement {
        Disagreement {
            line: label.line,
            call_id: label.call.clone(),
            audio_hash: call.call_id.clone(),
            file: file_name(&call.path).to_string(),
            human: label.verdict,
            callqa: result.result,
            evaluator: label.evaluator.clone(),
            note: label.note.clone(),
            evidence: result.evidence.iter().map(EvidenceLine::from).collect(),
        }
    }
}

/// Reads the labels, compares them with what the store holds, and keeps the run in
/// `calibrations`; returns the result and the run's id.
pub fn calibrate_store<R: Read>(
    store: &Store,
    labels_file: &str,
    reader: R,
) -> Result<(Calibration, i64), CalibrateError> {
    let labels = parse_labels(labels_file, reader)?;
    let index = CallIndex::new(store.labelled_call_keys()?);
    let mut analyses = HashMap::new();
    for label in &labels.labels {
        if let Resolved::Call(c) = index.resolve(&label.call) {
            if !analyses.contains_key(&c.call_id) {
                if let Some(a) = store.load_analysis(&c.call_id)? {
                    analyses.insert(c.call_id.clone(), a);
                }
            }
        }
    }
    let rubrics = known_rubrics(&store.stored_rubrics()?);
    let result = compute(labels_file, &labels, &index, &analyses, &rubrics);
    let json = serde_json::to_value(&result).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let id = store.save_calibration(
        labels_file,
        result.n as usize,
        result.agreement,
        result.kappa,
        &json,
    )?;
    Ok((result, id))
}

/// The header of a verdict sheet (and of a labels file).
pub const TEMPLATE_HEADER: [&str; 6] = [
    "call_id",
    "rubric",
    "criterion",
    "verdict",
    "evaluator",
    "note",
];

/// A verdict sheet's rows: one per sampled call and criterion of the rubrics it was scored
/// against (its latest results), the call named as `index` would resolve it, verdict empty.
pub fn template_rows(index: &CallIndex, sample: &[Candidate]) -> Vec<[String; 6]> {
    let mut rows = Vec::new();
    for c in sample {
        let Some(a) = &c.analysis else {
            continue;
        };
        let key = index.key_for(&c.row.call_id);
        for r in &a.results {
            for k in &r.criteria {
                rows.push([
                    key.clone(),
                    r.rubric_id.clone(),
                    k.id.clone(),
                    String::new(),
                    String::new(),
                    String::new(),
                ]);
            }
        }
    }
    rows
}

/// Writes the verdict sheet for a drawn sample (`callqa sample --format csv --template`).
pub fn write_template<W: Write>(
    store: &Store,
    sample: &[Candidate],
    out: W,
) -> Result<(), CalibrateError> {
    let index = CallIndex::new(store.labelled_call_keys()?);
    let mut w = csv::Writer::from_writer(out);
    let io = |e: csv::Error| match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => std::io::Error::other(format!("{other:?}")),
    };
    w.write_record(TEMPLATE_HEADER).map_err(io)?;
    for row in template_rows(&index, sample) {
        w.write_record(&row).map_err(io)?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests;
