//! `callqa export`: every call as one JSON object per line (the documented, stable contract in
//! the README) or one CSV row, for BI tools and auditors.

use crate::analysis::metrics::METRIC_NAMES;
use crate::report::output::csv_text;
use crate::report::sample::{Candidate, Filter};
use crate::store::{CallRow, FailedFile, Store, StoreError};
use crate::transcript::meta::Day;
use serde_json::{json, Map, Value};
use std::borrow::Cow;
use std::io::Write;

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("cannot write the export: {0}")]
    Io(#[from] std::io::Error),
    #[error("cannot encode the export: {0}")]
    Json(#[from] serde_json::Error),
    #[error("cannot write the export: {0}")]
    Csv(#[from] csv::Error),
}

impl ExportError {
    /// The reader went away (`callqa export | head`): it has what it wanted.
    pub fn is_broken_pipe(&self) -> bool {
        let pipe = Some(std::io::ErrorKind::BrokenPipe);
        match self {
            ExportError::Io(e) => Some(e.kind()) == pipe,
            ExportError::Json(e) => e.io_error_kind() == pipe,
            ExportError::Csv(e) => match e.kind() {
                csv::ErrorKind::Io(e) => Some(e.kind()) == pipe,
                _ => false,
            },
            ExportError::Store(_) => false,
        }
    }
}

/// Every exported call as a JSON value (stored calls, then files that failed), oldest first.
pub fn export_values(
    store: &Store,
    from: Option<Day>,
    to: Option<Day>,
) -> Result<Vec<Value>, ExportError> {
    let mut out = Vec::new();
    each_value(store, from, to, &[], |v| {
        out.push(v);
        Ok(())
    })?;
    Ok(out)
}

/// Hands each exported value to `f` as it is read (stored calls oldest first, then files whose
/// latest attempt failed), never holding more than one call: an export of a year of calls
/// needs the memory of one. With `filters` (`--where`, as `sample` reads them) only the calls
/// passing every one are exported, and no failed file (it has nothing a filter could match).
pub fn each_value(
    store: &Store,
    from: Option<Day>,
    to: Option<Day>,
    filters: &[Filter],
    mut f: impl FnMut(Value) -> Result<(), ExportError>,
) -> Result<(), ExportError> {
    store.each_call_row(from, to, |row| match call_value(store, row, filters)? {
        Some(v) => f(v),
        None => Ok(()),
    })?;
    if filters.is_empty() {
        for failed in store.failed_files_with_ids(from, to)? {
            f(failed_value(failed))?;
        }
    }
    Ok(())
}

fn call_value(
    store: &Store,
    row: CallRow,
    filters: &[Filter],
) -> Result<Option<Value>, ExportError> {
    let a = store.load_analysis(&row.call_id)?;
    let (row, a) = if filters.is_empty() {
        (row, a)
    } else {
        let candidate = Candidate { row, analysis: a };
        if !filters.iter().all(|f| f.keeps(&candidate)) {
            return Ok(None);
        }
        (candidate.row, candidate.analysis)
    };
    let Some(t) = store.load_transcript(&row.call_id)? else {
        return Ok(None);
    };
    let utterances: Vec<Value> = t
        .utterances
        .iter()
        .map(|u| json!({"speaker": u.speaker.as_str(), "start": u.start, "end": u.end, "text": u.text.trim()}))
        .collect();
    let mut metrics = Map::new();
    let (mut sentiment, mut rubrics, mut flags, mut estimated) =
        (Value::Null, Vec::new(), Vec::new(), Vec::new());
    if let Some(a) = &a {
        for (name, v) in a.metrics.named() {
            // Counts are integers in the contract; durations, ratios and rates are numbers.
            let is_count = name.ends_with("_count")
                || name.ends_with("_turns")
                || name.starts_with("interruptions_");
            let value = if is_count {
                json!(v.round() as i64)
            } else {
                json!(v)
            };
            metrics.insert(name.to_string(), value);
        }
        estimated = a.metrics.estimated.clone();
        sentiment = json!({
            "customer_quarters": a.sentiment.customer_quarters,
            "agent_quarters": a.sentiment.agent_quarters,
        });
        rubrics = a
            .results
            .iter()
            .map(|r| {
                json!({
                    "id": r.rubric_id,
                    "version": r.version,
                    "score": r.score,
                    "critical_failed": r.critical_failed,
                    "criteria": r.criteria.iter().map(|c| json!({
                        "id": c.id,
                        "result": c.result.as_str(),
                        "points": c.points,
                        "max_points": c.max_points,
                        "evidence": c.evidence.iter().map(|e| json!({
                            "speaker": e.speaker.map(|s| s.as_str()),
                            "start": e.start,
                            "end": e.end,
                            "quote": e.quote,
                        })).collect::<Vec<_>>(),
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        flags = a
            .flags
            .iter()
            .map(|f| -> Result<Value, StoreError> {
                // The other call as people know it (its own id when given).
                let of_call = match &f.of_call {
                    Some(other) => Some(store.display_id(other)?.unwrap_or_else(|| other.clone())),
                    None => None,
                };
                Ok(json!({
                    "kind": f.kind,
                    "detail": f.detail,
                    "of_call": of_call,
                    "evidence": f.evidence.iter().map(|e| json!({
                        "speaker": e.speaker.map(|s| s.as_str()),
                        "start": e.start,
                        "end": e.end,
                        "quote": e.quote,
                    })).collect::<Vec<_>>(),
                }))
            })
            .collect::<Result<_, _>>()?;
    }
    Ok(Some(json!({
        // The user's own call id when the manifest or file name gave one, else the audio hash.
        "call_id": row.id(),
        "file": row.path,
        "audio_hash": t.call_id,
        "agent_id": row.agent_id,
        "customer_id": row.customer_id,
        "started_at": row.started_at,
        "queue": row.queue,
        "direction": row.direction,
        "topic": row.topic,
        "duration_s": t.source.duration_s,
        "channels": t.source.channels,
        "roles": t.roles.as_str(),
        "language": t.language,
        "language_source": t.language_source.as_str(),
        "model": t.model,
        "transcribed_at": row.transcribed_at,
        "status": "scored",
        "error": Value::Null,
        "warnings": t.warnings,
        "utterances": utterances,
        "metrics": metrics,
        "estimated_metrics": estimated,
        "sentiment": sentiment,
        "rubrics": rubrics,
        "flags": flags,
    })))
}

fn failed_value(failed: FailedFile) -> Value {
    let FailedFile {
        path,
        error,
        at,
        call_id,
    } = failed;
    json!({
        "call_id": call_id,
        "file": path,
        "audio_hash": Value::Null,
        "agent_id": Value::Null,
        "customer_id": Value::Null,
        "started_at": Value::Null,
        "queue": Value::Null,
        "direction": Value::Null,
        "topic": Value::Null,
        "duration_s": Value::Null,
        "channels": Value::Null,
        "roles": Value::Null,
        "language": Value::Null,
        "language_source": Value::Null,
        "model": Value::Null,
        "transcribed_at": Value::Null,
        "failed_at": at,
        "status": "failed",
        "error": error,
        "warnings": [],
        "utterances": [],
        "metrics": {},
        "estimated_metrics": [],
        "sentiment": Value::Null,
        "rubrics": [],
        "flags": [],
    })
}

/// One JSON object per line; returns how many.
pub fn write_jsonl(
    store: &Store,
    from: Option<Day>,
    to: Option<Day>,
    filters: &[Filter],
    out: &mut dyn Write,
) -> Result<usize, ExportError> {
    let mut n = 0;
    each_value(store, from, to, filters, |v| {
        serde_json::to_writer(&mut *out, &v)?;
        out.write_all(b"\n")?;
        n += 1;
        Ok(())
    })?;
    Ok(n)
}

/// A CSV cell: text defused for spreadsheets ([`csv_text`]), numbers and booleans as JSON
/// writes them, nothing for null.
fn csv_cell(v: &Value) -> Cow<'_, str> {
    match v {
        Value::Null => Cow::Borrowed(""),
        Value::String(s) => csv_text(s),
        other => Cow::Owned(other.to_string()),
    }
}

const CSV_FIXED: &[&str] = &[
    "call_id",
    "file",
    "agent_id",
    "customer_id",
    "started_at",
    "queue",
    "direction",
    "topic",
    "duration_s",
    "channels",
    "roles",
    "language",
    "language_source",
    "status",
    "error",
];

/// Flags whose evidence gets a CSV column of its own.
const EVIDENCE_COLUMNS: [&str; 2] = [
    crate::analysis::flags::DISTRESS,
    crate::analysis::flags::POSSIBLE_DISTRESS,
];

/// A flag's evidence as one cell: "0:14 customer: words | 0:31 customer: words".
fn evidence_text(call: &Value, kind: &str) -> String {
    let Some(flags) = call["flags"].as_array() else {
        return String::new();
    };
    flags
        .iter()
        .filter(|f| f["kind"].as_str() == Some(kind))
        .flat_map(|f| f["evidence"].as_array().cloned().unwrap_or_default())
        .map(|e| {
            format!(
                "{} {}: {}",
                crate::analysis::flags::clock(e["start"].as_f64().unwrap_or(0.0)),
                e["speaker"].as_str().unwrap_or("measured"),
                e["quote"].as_str().unwrap_or("").replace(['\n', '\r'], " ")
            )
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

/// One row per call: identity and metadata, each rubric's score and critical failure, every
/// metric, the flag kinds, and the evidence of distress and possible distress. Returns how many
/// rows.
pub fn write_csv(
    store: &Store,
    from: Option<Day>,
    to: Option<Day>,
    filters: &[Filter],
    out: &mut dyn Write,
) -> Result<usize, ExportError> {
    let rubric_ids = store.rubric_ids_between(from, to)?;
    let metric_columns: Vec<&str> = METRIC_NAMES
        .iter()
        .copied()
        .filter(|m| !CSV_FIXED.contains(m))
        .collect();
    let mut csv = csv::Writer::from_writer(out);
    let mut header: Vec<String> = CSV_FIXED.iter().map(|s| s.to_string()).collect();
    for id in &rubric_ids {
        header.push(format!("{id}_score"));
        header.push(format!("{id}_critical_failed"));
    }
    header.extend(metric_columns.iter().map(|s| s.to_string()));
    header.push("flags".into());
    // The words behind distress, confirmed and possible, so a spreadsheet shows them unopened.
    for kind in EVIDENCE_COLUMNS {
        header.push(format!("{kind}_evidence"));
    }
    // Last, so the columns that were there keep their places.
    header.push("audio_hash".into());
    csv.write_record(&header)?;
    let mut n = 0;
    each_value(store, from, to, filters, |v| {
        let mut row: Vec<Cow<str>> = CSV_FIXED.iter().map(|k| csv_cell(&v[*k])).collect();
        for id in &rubric_ids {
            let r = v["rubrics"]
                .as_array()
                .and_then(|rs| rs.iter().find(|r| r["id"].as_str() == Some(id)));
            row.push(r.map_or(Cow::Borrowed(""), |r| csv_cell(&r["score"])));
            row.push(r.map_or(Cow::Borrowed(""), |r| csv_cell(&r["critical_failed"])));
        }
        for m in &metric_columns {
            row.push(csv_cell(&v["metrics"][*m]));
        }
        let kinds: Vec<&str> = v["flags"]
            .as_array()
            .map(|fs| fs.iter().filter_map(|f| f["kind"].as_str()).collect())
            .unwrap_or_default();
        row.push(Cow::Owned(csv_text(&kinds.join(";")).into_owned()));
        for kind in EVIDENCE_COLUMNS {
            row.push(Cow::Owned(csv_text(&evidence_text(&v, kind)).into_owned()));
        }
        row.push(csv_cell(&v["audio_hash"]));
        csv.write_record(row.iter().map(|c| c.as_bytes()))?;
        n += 1;
        Ok(())
    })?;
    csv.flush()?;
    Ok(n)
}
