//! SQLite storage: schema, forward-only migrations (`PRAGMA user_version`), one transaction per
//! call so a crash never leaves half a call behind.

mod calibrate;
mod ids;
mod merge;
mod repeat;

pub use calibrate::{CalibrationRow, LabelledCall, StoredRubric};
pub use ids::{page_name, CallLookupError, FailedFile, ReportListing};
pub use merge::MergeCounts;
pub use repeat::CustomerCall;

use crate::analysis::flags::{Flag, FLAG_KINDS};
use crate::analysis::rubric::{
    CriterionResult, CriterionVerdict, Rubric, RubricResult, SectionScore,
};
use crate::analysis::CallAnalysis;
use crate::transcript::meta::Day;
use crate::transcript::{Evidence, RoleSource, Speaker, Transcript, Utterance, Word};
use rusqlite::{params, Connection, OptionalExtension};
use std::path::Path;
use std::time::Duration;

pub mod coaching;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database {path}: {source}")]
    Open {
        path: String,
        source: rusqlite::Error,
    },
    #[error("database {path} has schema version {found}, newer than this callqa understands ({known}); upgrade callqa")]
    TooNew {
        path: String,
        found: i64,
        known: i64,
    },
    #[error("cannot create database {path}: {source}")]
    Create {
        path: String,
        source: std::io::Error,
    },
    #[error("database {path} is read-only: {reason}; callqa must write to it (make it writable or pass --db with a writable path)")]
    ReadOnly { path: String, reason: String },
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

/// Each entry upgrades the schema from version `index` to `index + 1`. Never edit a shipped
/// entry: add a new one.
const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE calls (
    call_id       TEXT PRIMARY KEY,          -- sha256 of the audio file's bytes
    path          TEXT NOT NULL,             -- where it was last seen
    codec         TEXT NOT NULL,
    sample_rate   INTEGER NOT NULL,
    channels      INTEGER NOT NULL,
    duration_s    REAL NOT NULL,
    roles         TEXT NOT NULL CHECK (roles IN ('mapped', 'inferred')),
    language      TEXT NOT NULL,
    model         TEXT NOT NULL,
    warnings      TEXT NOT NULL DEFAULT '[]', -- JSON array of strings
    transcribed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE TABLE utterances (
    call_id        TEXT NOT NULL REFERENCES calls(call_id) ON DELETE CASCADE,
    idx            INTEGER NOT NULL,
    speaker        TEXT NOT NULL CHECK (speaker IN ('agent', 'customer')),
    channel        INTEGER NOT NULL,
    start_s        REAL NOT NULL,
    end_s          REAL NOT NULL,
    text           TEXT NOT NULL,
    words          TEXT NOT NULL,              -- JSON [{text, start, end, probability}]
    avg_logprob    REAL NOT NULL,
    no_speech_prob REAL NOT NULL,
    PRIMARY KEY (call_id, idx)
);
CREATE INDEX utterances_by_speaker ON utterances(call_id, speaker);
CREATE TABLE runs (
    run_id       INTEGER PRIMARY KEY,
    started_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    finished_at  TEXT,
    arguments    TEXT NOT NULL,
    calls_done   INTEGER NOT NULL DEFAULT 0,
    calls_skipped INTEGER NOT NULL DEFAULT 0,
    calls_failed INTEGER NOT NULL DEFAULT 0,
    status       TEXT NOT NULL DEFAULT 'running'
);
CREATE TABLE file_errors (
    run_id   INTEGER NOT NULL REFERENCES runs(run_id),
    path     TEXT NOT NULL,
    error    TEXT NOT NULL,
    at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
"#,
    r#"
CREATE TABLE call_metrics (
    call_id     TEXT PRIMARY KEY REFERENCES calls(call_id) ON DELETE CASCADE,
    metrics     TEXT NOT NULL,   -- JSON: every metric by name, estimates, holds, dead air, interruptions
    sentiment   TEXT NOT NULL,   -- JSON: per utterance, per quarter per party
    analysed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE TABLE flags (
    call_id  TEXT NOT NULL REFERENCES calls(call_id) ON DELETE CASCADE,
    kind     TEXT NOT NULL,
    detail   TEXT NOT NULL,
    at_s     REAL,
    of_call  TEXT,               -- the other call, for flags linking two calls
    evidence TEXT NOT NULL       -- JSON [{speaker, start, end, quote}]
);
CREATE INDEX flags_by_call ON flags(call_id);
CREATE INDEX flags_by_kind ON flags(kind);
CREATE TABLE rubrics (
    rubric_hash TEXT PRIMARY KEY,  -- sha256 of the YAML file
    rubric_id   TEXT NOT NULL,
    version     INTEGER NOT NULL,
    title       TEXT NOT NULL,
    path        TEXT NOT NULL,
    source      TEXT NOT NULL,
    first_used  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE TABLE rubric_results (
    result_id       INTEGER PRIMARY KEY,
    call_id         TEXT NOT NULL REFERENCES calls(call_id) ON DELETE CASCADE,
    rubric_id       TEXT NOT NULL,
    rubric_version  INTEGER NOT NULL,
    rubric_hash     TEXT NOT NULL REFERENCES rubrics(rubric_hash),
    score           REAL,          -- 0..100, NULL when nothing applied
    critical_failed INTEGER NOT NULL,
    sections        TEXT NOT NULL, -- JSON [{id, title, weight, score, earned, possible, critical_failed}]
    scored_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (call_id, rubric_id, rubric_hash)
);
CREATE INDEX rubric_results_by_rubric ON rubric_results(rubric_id, call_id);
CREATE TABLE criterion_results (
    result_id    INTEGER NOT NULL REFERENCES rubric_results(result_id) ON DELETE CASCADE,
    criterion_id TEXT NOT NULL,
    section_id   TEXT NOT NULL,
    title        TEXT NOT NULL,
    result       TEXT NOT NULL CHECK (result IN ('pass', 'fail', 'na')),
    points       REAL NOT NULL,
    max_points   REAL NOT NULL,
    critical     INTEGER NOT NULL,
    evidence     TEXT NOT NULL,   -- JSON [{speaker, start, end, quote}]
    coach        TEXT,
    PRIMARY KEY (result_id, criterion_id)
);
CREATE INDEX criterion_results_by_criterion ON criterion_results(criterion_id, result);
-- The newest result per call and rubric (a re-score with an edited rubric adds a row).
CREATE VIEW latest_rubric_results AS
    SELECT r.* FROM rubric_results r
    WHERE r.result_id = (SELECT max(r2.result_id) FROM rubric_results r2
                         WHERE r2.call_id = r.call_id AND r2.rubric_id = r.rubric_id);
"#,
    r#"
-- Call metadata (telephony manifest, file-name pattern, or the file's modification time).
ALTER TABLE calls ADD COLUMN agent_id TEXT NOT NULL DEFAULT 'unassigned';
ALTER TABLE calls ADD COLUMN customer_id TEXT;
ALTER TABLE calls ADD COLUMN started_at TEXT;   -- ISO 8601, UTC when known
ALTER TABLE calls ADD COLUMN queue TEXT;
ALTER TABLE calls ADD COLUMN direction TEXT;
ALTER TABLE calls ADD COLUMN metadata TEXT NOT NULL DEFAULT '{}';  -- JSON: any further columns
CREATE INDEX calls_by_started_at ON calls(started_at);
CREATE INDEX calls_by_agent ON calls(agent_id);
"#,
    r#"
-- Every auditor sample drawn: who, when, how, and which calls, so an audit can be reproduced.
CREATE TABLE audit_samples (
    sample_id  INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    auditor    TEXT NOT NULL,
    parameters TEXT NOT NULL,  -- JSON: n, seed, stratify, where, from, to
    call_ids   TEXT NOT NULL   -- JSON array, in sample order
);
"#,
    r#"
-- Repeat-call linking: each call's topic (from the topic keyword sets; NULL when none fits) and
-- a customer's calls in time order.
ALTER TABLE calls ADD COLUMN topic TEXT;
CREATE INDEX calls_by_customer ON calls(customer_id, started_at);
-- Every coaching report generated, so a coach's history of reports is kept.
CREATE TABLE coaching_reports (
    report_id   INTEGER PRIMARY KEY,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    scope       TEXT NOT NULL CHECK (scope IN ('agent', 'team')),
    agent_id    TEXT,            -- NULL for a team report
    period_from TEXT NOT NULL,   -- YYYY-MM-DD, inclusive
    period_to   TEXT NOT NULL,
    format      TEXT NOT NULL CHECK (format IN ('md', 'html', 'json')),
    data        TEXT NOT NULL,   -- JSON: the figures the report shows
    body        TEXT NOT NULL    -- the rendered report
);
CREATE INDEX coaching_reports_by_agent ON coaching_reports(agent_id, created_at);
"#,
    r#"
-- Who decided a call's language: detected, manifest, queue, flag or model (English-only);
-- NULL for calls stored before it was recorded.
ALTER TABLE calls ADD COLUMN language_source TEXT;
CREATE INDEX calls_by_language ON calls(language);
"#,
    r#"
-- Every calibration run (`callqa calibrate`): callqa's verdicts against a human evaluator's.
CREATE TABLE calibrations (
    calibration_id INTEGER PRIMARY KEY,
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    labels_file    TEXT NOT NULL,   -- the labels CSV as named on the command line
    n              INTEGER NOT NULL, -- (call, criterion) pairs compared
    agreement      REAL,            -- 0..1; NULL when nothing was compared
    kappa          REAL,            -- Cohen's kappa; NULL when undefined
    result         TEXT NOT NULL    -- JSON: the whole result, as `--format json` prints it
);
"#,
    r#"
-- The user's own call id (the manifest's or file-name pattern's `call_id`): what people see and
-- type; NULL when none was given (the audio hash stands in). Earlier versions kept it only as
-- metadata.external_call_id, which stays.
ALTER TABLE calls ADD COLUMN external_id TEXT;
UPDATE calls SET external_id = CASE WHEN json_valid(metadata) THEN
    CASE WHEN json_type(metadata, '$.external_call_id') = 'text'
         THEN json_extract(metadata, '$.external_call_id') END END;
CREATE INDEX calls_by_external_id ON calls(external_id);
-- A failed file's own call id, when its manifest row or file name gave one.
ALTER TABLE file_errors ADD COLUMN call_id TEXT;
"#,
];

pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub struct Store {
    conn: Connection,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunCounts {
    pub done: usize,
    pub skipped: usize,
    pub failed: usize,
}

impl Store {
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        // SQLite's own words for a read-only file or folder ("unable to open database file",
        // "attempt to write a readonly database") do not say what to fix; find out why.
        Store::open_rw(path).map_err(|e| match read_only_reason(path) {
            Some(reason) => StoreError::ReadOnly {
                path: path.display().to_string(),
                reason,
            },
            None => e,
        })
    }

    fn open_rw(path: &Path) -> Result<Store, StoreError> {
        let open_err = |source| StoreError::Open {
            path: path.display().to_string(),
            source,
        };
        create_private(path).map_err(|source| StoreError::Create {
            path: path.display().to_string(),
            source,
        })?;
        let conn = Connection::open(path).map_err(open_err)?;
        // A second writer waits for the lock rather than failing or corrupting.
        conn.busy_timeout(Duration::from_secs(60))
            .map_err(open_err)?;
        // Switching a new file to WAL needs it to itself for a moment, and SQLite answers "busy"
        // without waiting: retry for as long as the busy timeout would have waited.
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        loop {
            match conn.pragma_update(None, "journal_mode", "WAL") {
                Ok(()) => break,
                Err(rusqlite::Error::SqliteFailure(e, _))
                    if matches!(
                        e.code,
                        rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                    ) && std::time::Instant::now() < deadline =>
                {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(e) => return Err(open_err(e)),
            }
        }
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(open_err)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(open_err)?;
        let mut store = Store { conn };
        store.migrate(path)?;
        Ok(store)
    }

    pub fn open_in_memory() -> Result<Store, StoreError> {
        let conn = Connection::open_in_memory()?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let mut store = Store { conn };
        store.migrate(Path::new(":memory:"))?;
        Ok(store)
    }

    fn migrate(&mut self, path: &Path) -> Result<(), StoreError> {
        let version: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                path: path.display().to_string(),
                found: version,
                known: SCHEMA_VERSION,
            });
        }
        if version == SCHEMA_VERSION {
            return Ok(());
        }
        // Two runs opening an old (or new) database at once: the write lock is taken before the
        // version is read again, so exactly one of them migrates and the other finds it done.
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let version: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        for (index, sql) in MIGRATIONS.iter().enumerate().skip(version.max(0) as usize) {
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", index as i64 + 1)?;
        }
        tx.commit()?;
        Ok(())
    }

    pub fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// Whether a call is stored (tests check what a run kept; production looks calls up
    /// with what it needs from them).
    #[cfg(test)]
    pub fn has_call(&self, call_id: &str) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT 1 FROM calls WHERE call_id = ?1", [call_id], |_| {
                Ok(())
            })
            .optional()?
            .is_some())
    }

    /// Records where an already-stored call's audio now lives (same bytes, new path).
    pub fn touch_path(&self, call_id: &str, path: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE calls SET path = ?2 WHERE call_id = ?1",
            params![call_id, crate::analysis::pii::redact_field(path, "")],
        )?;
        Ok(())
    }

    /// Replaces the call and all its utterances in one transaction.
    pub fn save_transcript(&mut self, t: &Transcript) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        write_transcript(&tx, t)?;
        tx.commit()?;
        Ok(())
    }

    /// Replaces the call, its utterances and its analysis in one transaction: a crash leaves
    /// either the whole call or none of it.
    pub fn save_call(&mut self, t: &Transcript, analysis: &CallAnalysis) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        write_transcript(&tx, t)?;
        write_analysis(&tx, &t.call_id, analysis)?;
        tx.commit()?;
        Ok(())
    }

    /// Replaces a stored call's analysis (metrics, sentiment, its own flags, and the results
    /// for the rubrics applied); results for other rubric versions are kept as history.
    pub fn save_analysis(
        &mut self,
        call_id: &str,
        analysis: &CallAnalysis,
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        write_analysis(&tx, call_id, analysis)?;
        tx.commit()?;
        Ok(())
    }

    /// Saves many calls' analyses in one transaction (rescoring thousands of calls).
    pub fn save_analyses(&mut self, analyses: &[(String, CallAnalysis)]) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        for (call_id, a) in analyses {
            write_analysis(&tx, call_id, a)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Records the rubrics in use (their text, by content hash) so results can refer to them.
    pub fn register_rubrics(&mut self, rubrics: &[Rubric]) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        for r in rubrics {
            tx.execute(
                "INSERT OR IGNORE INTO rubrics (rubric_hash, rubric_id, version, title, path, source)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![r.hash, r.id, r.version, r.title, r.path, r.source],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Whether the call has results for every one of these rubric hashes.
    pub fn is_scored_with(&self, call_id: &str, hashes: &[String]) -> Result<bool, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT 1 FROM rubric_results WHERE call_id = ?1 AND rubric_hash = ?2",
        )?;
        for h in hashes {
            if !stmt.exists(params![call_id, h])? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    pub fn load_analysis(&self, call_id: &str) -> Result<Option<CallAnalysis>, StoreError> {
        let row = self
            .conn
            .query_row(
                "SELECT metrics, sentiment FROM call_metrics WHERE call_id = ?1",
                [call_id],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
            )
            .optional()?;
        let Some((metrics, sentiment)) = row else {
            return Ok(None);
        };
        let metrics = from_json(&metrics)?;
        let sentiment = from_json(&sentiment)?;
        let mut stmt = self.conn.prepare(
            "SELECT kind, detail, at_s, of_call, evidence FROM flags WHERE call_id = ?1 ORDER BY rowid",
        )?;
        let mut flags = Vec::new();
        for row in stmt.query_map([call_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<f64>>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, String>(4)?,
            ))
        })? {
            let (kind, detail, at, of_call, evidence) = row?;
            flags.push(Flag {
                kind: kind
                    .parse()
                    .map_err(|e| StoreError::Corrupt(format!("call {call_id}, flag: {e}")))?,
                detail,
                at,
                of_call,
                evidence: from_json(&evidence)?,
            });
        }
        let mut results = Vec::new();
        let mut stmt = self.conn.prepare(
            "SELECT r.result_id, r.rubric_id, r.rubric_version, r.rubric_hash, r.score, r.critical_failed,
                    r.sections, k.title
             FROM latest_rubric_results r JOIN rubrics k ON k.rubric_hash = r.rubric_hash
             WHERE r.call_id = ?1 ORDER BY r.rubric_id",
        )?;
        let rows: Vec<_> = stmt
            .query_map([call_id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, u32>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, Option<f64>>(4)?,
                    r.get::<_, bool>(5)?,
                    r.get::<_, String>(6)?,
                    r.get::<_, String>(7)?,
                ))
            })?
            .collect::<Result<_, _>>()?;
        let mut crit = self.conn.prepare(
            "SELECT criterion_id, section_id, title, result, points, max_points, critical, evidence, coach
             FROM criterion_results WHERE result_id = ?1 ORDER BY rowid",
        )?;
        for (result_id, rubric_id, version, hash, score, critical_failed, sections, title) in rows {
            let sections: Vec<SectionScore> = from_json(&sections)?;
            let mut criteria = Vec::new();
            for row in crit.query_map([result_id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, f64>(4)?,
                    r.get::<_, f64>(5)?,
                    r.get::<_, bool>(6)?,
                    r.get::<_, String>(7)?,
                    r.get::<_, Option<String>>(8)?,
                ))
            })? {
                let (id, section, title, result, points, max_points, critical, evidence, coach) =
                    row?;
                let result: CriterionVerdict = result.parse().map_err(|e| {
                    StoreError::Corrupt(format!("call {call_id}, criterion {id}: {e}"))
                })?;
                let evidence: Vec<Evidence> = from_json(&evidence)?;
                criteria.push(CriterionResult {
                    id,
                    title,
                    section,
                    result,
                    points,
                    max_points,
                    critical,
                    evidence,
                    coach,
                });
            }
            results.push(RubricResult {
                rubric_id,
                title,
                version,
                hash,
                score,
                critical_failed,
                sections,
                criteria,
            });
        }
        Ok(Some(CallAnalysis {
            metrics,
            sentiment,
            flags,
            results,
        }))
    }

    /// Per rubric (latest results) over the given calls: (rubric id, calls, mean score over
    /// calls with a score, calls with a critical failure).
    pub fn rubric_averages(&self, call_ids: &[String]) -> Result<Vec<RubricAverage>, StoreError> {
        let mut by_rubric: std::collections::BTreeMap<String, RubricAverage> = Default::default();
        let mut stmt = self.conn.prepare_cached(
            "SELECT rubric_id, score, critical_failed FROM latest_rubric_results WHERE call_id = ?1",
        )?;
        for id in call_ids {
            let rows = stmt.query_map([id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<f64>>(1)?,
                    r.get::<_, bool>(2)?,
                ))
            })?;
            for row in rows {
                let (rubric, score, critical) = row?;
                let a = by_rubric
                    .entry(rubric.clone())
                    .or_insert_with(|| RubricAverage {
                        rubric_id: rubric,
                        ..Default::default()
                    });
                a.calls += 1;
                if let Some(s) = score {
                    a.scored += 1;
                    a.sum += s;
                }
                a.critical_failed += usize::from(critical);
            }
        }
        Ok(by_rubric.into_values().collect())
    }
    pub fn load_transcript(&self, call_id: &str) -> Result<Option<Transcript>, StoreError> {
        let call = self
            .conn
            .query_row(
                "SELECT path, codec, sample_rate, channels, duration_s, roles, language, model, warnings,
                        language_source, metadata
                 FROM calls WHERE call_id = ?1",
                [call_id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, u32>(2)?,
                        r.get::<_, i64>(3)?,
                        r.get::<_, f64>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, String>(6)?,
                        r.get::<_, String>(7)?,
                        r.get::<_, String>(8)?,
                        r.get::<_, Option<String>>(9)?,
                        r.get::<_, String>(10)?,
                    ))
                },
            )
            .optional()?;
        let Some((
            path,
            codec,
            sample_rate,
            channels,
            duration_s,
            roles,
            language,
            model,
            warnings,
            language_source,
            metadata,
        )) = call
        else {
            return Ok(None);
        };
        let corrupt =
            |what: &str, e: String| StoreError::Corrupt(format!("call {call_id}, {what}: {e}"));
        let roles: RoleSource = roles.parse().map_err(|e| corrupt("roles", e))?;
        // NULL: stored before the source was recorded, when detection was the only way.
        let language_source = match language_source {
            Some(s) => s.parse().map_err(|e| corrupt("language_source", e))?,
            None => crate::transcript::LanguageSource::default(),
        };
        let warnings: Vec<String> =
            serde_json::from_str(&warnings).map_err(|e| corrupt("warnings", e.to_string()))?;
        let metadata: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&metadata).map_err(|e| corrupt("metadata", e.to_string()))?;
        let names: Vec<String> = crate::transcript::meta::NAME_COLUMNS
            .iter()
            .filter_map(|c| metadata.get(*c).and_then(|v| v.as_str()))
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .collect();
        let mut stmt = self.conn.prepare(
            "SELECT speaker, channel, start_s, end_s, text, words, avg_logprob, no_speech_prob
             FROM utterances WHERE call_id = ?1 ORDER BY idx",
        )?;
        let rows = stmt.query_map([call_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, f64>(2)?,
                r.get::<_, f64>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, f64>(6)?,
                r.get::<_, f64>(7)?,
            ))
        })?;
        let mut utterances = Vec::new();
        for row in rows {
            let (speaker, channel, start, end, text, words, avg_logprob, no_speech_prob) = row?;
            let speaker: Speaker = speaker.parse().map_err(StoreError::Corrupt)?;
            let words: Vec<Word> =
                serde_json::from_str(&words).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            utterances.push(Utterance {
                speaker,
                channel: channel.max(0) as usize,
                start,
                end,
                text,
                words,
                avg_logprob: avg_logprob as f32,
                no_speech_prob: no_speech_prob as f32,
            });
        }
        Ok(Some(Transcript {
            names,
            call_id: call_id.to_string(),
            source: crate::transcript::SourceAudio {
                path,
                codec,
                sample_rate,
                channels: channels.max(0) as usize,
                duration_s,
            },
            roles,
            language,
            language_source,
            model,
            utterances,
            warnings,
        }))
    }

    /// A call by audio hash, the user's own call id, stored path or unique hash prefix
    /// ([`Store::lookup_call`]). `Ok(None)` when nothing matches or the key is ambiguous.
    pub fn find_call(&self, key: &str) -> Result<Option<String>, StoreError> {
        match self.lookup_call(key) {
            Ok(id) => Ok(Some(id)),
            Err(CallLookupError::Store(e)) => Err(e),
            Err(_) => Ok(None),
        }
    }

    /// Applies what a manifest or file name says about a call; what it does not say is kept.
    pub fn set_metadata(
        &self,
        call_id: &str,
        meta: &crate::transcript::meta::CallMeta,
    ) -> Result<(), StoreError> {
        let stored: Option<String> = self
            .conn
            .query_row(
                "SELECT metadata FROM calls WHERE call_id = ?1",
                [call_id],
                |r| r.get(0),
            )
            .optional()?;
        let mut extra: serde_json::Map<String, serde_json::Value> = stored
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default();
        // Extra columns are whatever the telephony export carries (a `card_on_file`...): their
        // personal data is redacted like a transcript's; the typed ids are the user's own.
        for (k, v) in &meta.extra {
            extra.insert(
                k.clone(),
                serde_json::Value::String(crate::analysis::pii::redact_field(v, k)),
            );
        }
        if let Some(id) = &meta.external_id {
            extra.insert(
                "external_call_id".into(),
                serde_json::Value::String(id.clone()),
            );
        }
        self.conn.execute(
            "UPDATE calls SET agent_id = coalesce(?2, agent_id), customer_id = coalesce(?3, customer_id),
                 started_at = coalesce(?4, started_at), queue = coalesce(?5, queue),
                 direction = coalesce(?6, direction), metadata = ?7,
                 external_id = coalesce(?8, external_id)
             WHERE call_id = ?1",
            params![
                call_id,
                meta.agent_id,
                meta.customer_id,
                meta.started_at,
                meta.queue,
                meta.direction,
                to_json(&extra)?,
                meta.external_id
            ],
        )?;
        Ok(())
    }

    /// Sets when a call started, unless something (a manifest) already did.
    pub fn set_started_at_if_unknown(
        &self,
        call_id: &str,
        started_at: &str,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE calls SET started_at = ?2 WHERE call_id = ?1 AND started_at IS NULL",
            params![call_id, started_at],
        )?;
        Ok(())
    }
}

/// A day binds as its YYYY-MM-DD text, the form calls' and errors' times start with.
impl rusqlite::types::ToSql for Day {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(rusqlite::types::ToSqlOutput::from(self.to_string()))
    }
}

impl Store {
    /// Stored calls with their metadata, oldest first, optionally limited to calls that started
    /// (or, when the start is unknown, were transcribed) within [from, to] (ISO dates, inclusive).
    pub fn call_rows(
        &self,
        from: Option<Day>,
        to: Option<Day>,
    ) -> Result<Vec<CallRow>, StoreError> {
        let mut rows = Vec::new();
        self.each_call_row(from, to, |row| {
            rows.push(row);
            Ok::<(), StoreError>(())
        })?;
        Ok(rows)
    }

    /// [`Store::call_rows`] one row at a time, as the query yields them: an export of every
    /// call never holds more than one in memory.
    pub fn each_call_row<E: From<StoreError>>(
        &self,
        from: Option<Day>,
        to: Option<Day>,
        mut f: impl FnMut(CallRow) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT call_id, path, agent_id, customer_id, started_at, queue, direction, transcribed_at,
                    topic, language, external_id
             FROM calls
             WHERE (?1 IS NULL OR substr(coalesce(started_at, transcribed_at), 1, 10) >= ?1)
               AND (?2 IS NULL OR substr(coalesce(started_at, transcribed_at), 1, 10) <= ?2)
             ORDER BY coalesce(started_at, transcribed_at), call_id",
            )
            .map_err(StoreError::from)?;
        let mut rows = stmt.query(params![from, to]).map_err(StoreError::from)?;
        while let Some(row) = rows.next().map_err(StoreError::from)? {
            f(call_row_from(row).map_err(StoreError::from)?)?;
        }
        Ok(())
    }

    /// The rubrics with a result for any call within [from, to] (dated as
    /// [`Store::call_rows`] dates them), sorted: the columns of a CSV export, known before its
    /// first row.
    pub fn rubric_ids_between(
        &self,
        from: Option<Day>,
        to: Option<Day>,
    ) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT DISTINCT r.rubric_id
             FROM latest_rubric_results r JOIN rubrics k ON k.rubric_hash = r.rubric_hash
             JOIN calls c ON c.call_id = r.call_id
             JOIN call_metrics m ON m.call_id = r.call_id
             WHERE (?1 IS NULL OR substr(coalesce(c.started_at, c.transcribed_at), 1, 10) >= ?1)
               AND (?2 IS NULL OR substr(coalesce(c.started_at, c.transcribed_at), 1, 10) <= ?2)
             ORDER BY r.rubric_id",
        )?;
        let ids = stmt
            .query_map(params![from, to], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(ids)
    }

    /// One stored call's metadata.
    pub fn call_row(&self, call_id: &str) -> Result<Option<CallRow>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT call_id, path, agent_id, customer_id, started_at, queue, direction,
                        transcribed_at, topic, language, external_id
                 FROM calls WHERE call_id = ?1",
                [call_id],
                call_row_from,
            )
            .optional()?)
    }

    /// Files whose latest attempt failed and that are not stored under that path: (path, error,
    /// when), newest error per path. Tests only: exports read
    /// [`Store::failed_files_with_ids`], which also names each file's call id.
    #[cfg(test)]
    pub fn failed_files(
        &self,
        from: Option<Day>,
        to: Option<Day>,
    ) -> Result<Vec<(String, String, String)>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT e.path, e.error, e.at FROM file_errors e
             WHERE e.rowid = (SELECT max(e2.rowid) FROM file_errors e2 WHERE e2.path = e.path)
               AND NOT EXISTS (SELECT 1 FROM calls c WHERE c.path = e.path)
               AND (?1 IS NULL OR substr(e.at, 1, 10) >= ?1)
               AND (?2 IS NULL OR substr(e.at, 1, 10) <= ?2)
             ORDER BY e.at, e.path",
        )?;
        let rows = stmt
            .query_map(params![from, to], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// Records a drawn sample; returns its id.
    pub fn record_sample(
        &self,
        auditor: &str,
        parameters: &serde_json::Value,
        call_ids: &[String],
    ) -> Result<i64, StoreError> {
        self.conn.execute(
            "INSERT INTO audit_samples (auditor, parameters, call_ids) VALUES (?1, ?2, ?3)",
            params![auditor, to_json(parameters)?, to_json(&call_ids)?],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    pub fn call_ids(&self) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.conn.prepare("SELECT call_id FROM calls")?;
        let ids = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(ids)
    }

    pub fn call_count(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM calls", [], |r| r.get(0))?)
    }

    pub fn begin_run(&self, arguments: &str) -> Result<i64, StoreError> {
        self.conn.execute(
            "INSERT INTO runs (arguments) VALUES (?1)",
            [crate::analysis::pii::redact_field(arguments, "")],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    pub fn record_file_error(
        &self,
        run_id: i64,
        path: &str,
        error: &str,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO file_errors (run_id, path, error) VALUES (?1, ?2, ?3)",
            params![
                run_id,
                crate::analysis::pii::redact_field(path, ""),
                crate::analysis::pii::redact_field(error, "")
            ],
        )?;
        Ok(())
    }

    pub fn finish_run(
        &self,
        run_id: i64,
        counts: RunCounts,
        status: &str,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE runs SET finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
                 calls_done = ?2, calls_skipped = ?3, calls_failed = ?4, status = ?5
             WHERE run_id = ?1",
            params![
                run_id,
                counts.done as i64,
                counts.skipped as i64,
                counts.failed as i64,
                status
            ],
        )?;
        Ok(())
    }
}

fn call_row_from(r: &rusqlite::Row) -> rusqlite::Result<CallRow> {
    Ok(CallRow {
        call_id: r.get(0)?,
        path: r.get(1)?,
        agent_id: r.get(2)?,
        customer_id: r.get(3)?,
        started_at: r.get(4)?,
        queue: r.get(5)?,
        direction: r.get(6)?,
        transcribed_at: r.get(7)?,
        topic: r.get(8)?,
        language: r.get(9)?,
        external_id: r.get(10)?,
    })
}

/// A stored call's identity and metadata, as exports and reports list calls.
#[derive(Debug, Clone, PartialEq)]
pub struct CallRow {
    /// The audio hash: the key callqa stores the call under (exported as `audio_hash`).
    pub call_id: String,
    pub path: String,
    pub agent_id: String,
    pub customer_id: Option<String>,
    pub started_at: Option<String>,
    pub queue: Option<String>,
    pub direction: Option<String>,
    pub transcribed_at: String,
    /// What the call was about (topic keyword sets), once repeat linking has seen it.
    pub topic: Option<String>,
    /// The language it was transcribed in.
    pub language: String,
    /// The user's own call id (manifest or file-name pattern), when one was given.
    pub external_id: Option<String>,
}

impl CallRow {
    /// The id people see: the user's own call id when one was given, else the audio hash.
    pub fn id(&self) -> &str {
        self.external_id.as_deref().unwrap_or(&self.call_id)
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct RubricAverage {
    pub rubric_id: String,
    pub calls: usize,
    pub scored: usize,
    pub sum: f64,
    pub critical_failed: usize,
}

impl RubricAverage {
    pub fn mean(&self) -> Option<f64> {
        (self.scored > 0).then(|| self.sum / self.scored as f64)
    }
}

/// Why the database cannot be written, if that is the reason opening it failed: the file is not
/// writable, or its folder is not (SQLite creates the `-wal` and `-shm` files beside it). Only
/// called after a failed open; the folder probe creates and removes one empty file.
fn read_only_reason(path: &Path) -> Option<String> {
    if path.as_os_str() == ":memory:" {
        return None;
    }
    if path.exists() {
        if let Err(e) = std::fs::OpenOptions::new().write(true).open(path) {
            return Some(format!("the file cannot be opened for writing ({e})"));
        }
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let probe = dir.join(format!(".callqa-write-probe-{}", std::process::id()));
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
    {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            None
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => None,
        Err(e) => Some(format!(
            "its folder {} is not writable ({e}); SQLite creates the -wal and -shm files there",
            dir.display()
        )),
    }
}

/// A new database file is readable by its owner only: it holds what customers said. SQLite gives
/// its -wal and -shm files the database file's permissions. It is never created through a
/// symbolic link; an existing database reached through one is opened as it is.
fn create_private(path: &Path) -> std::io::Result<()> {
    if path.as_os_str() == ":memory:" {
        return Ok(());
    }
    crate::report::output::create_private_if_missing(path)
}

fn from_json<T: serde::de::DeserializeOwned>(s: &str) -> Result<T, StoreError> {
    serde_json::from_str(s).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn write_transcript(tx: &rusqlite::Transaction, t: &Transcript) -> Result<(), StoreError> {
    // Upsert rather than delete: re-transcribing a call (--force) keeps its scoring history.
    tx.execute("DELETE FROM utterances WHERE call_id = ?1", [&t.call_id])?;
    let warnings =
        serde_json::to_string(&t.warnings).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    tx.execute(
        "INSERT INTO calls (call_id, path, codec, sample_rate, channels, duration_s, roles, language, model, warnings, language_source)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT (call_id) DO UPDATE SET path = excluded.path, codec = excluded.codec,
             sample_rate = excluded.sample_rate, channels = excluded.channels,
             duration_s = excluded.duration_s, roles = excluded.roles, language = excluded.language,
             language_source = excluded.language_source,
             model = excluded.model, warnings = excluded.warnings,
             transcribed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
        params![
            t.call_id,
            // A card or phone number in a file name is personal data like a spoken one.
            crate::analysis::pii::redact_field(&t.source.path, ""),
            t.source.codec,
            t.source.sample_rate,
            t.source.channels as i64,
            t.source.duration_s,
            t.roles.as_str(),
            t.language,
            t.model,
            warnings,
            t.language_source.as_str()
        ],
    )?;
    {
        let mut insert = tx.prepare(
            "INSERT INTO utterances (call_id, idx, speaker, channel, start_s, end_s, text, words, avg_logprob, no_speech_prob)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?;
        for (idx, u) in t.utterances.iter().enumerate() {
            let words =
                serde_json::to_string(&u.words).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            insert.execute(params![
                t.call_id,
                idx as i64,
                u.speaker.as_str(),
                u.channel as i64,
                u.start,
                u.end,
                u.text,
                words,
                f64::from(u.avg_logprob),
                f64::from(u.no_speech_prob),
            ])?;
        }
    }
    Ok(())
}

fn write_analysis(
    tx: &rusqlite::Transaction,
    call_id: &str,
    a: &CallAnalysis,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT OR REPLACE INTO call_metrics (call_id, metrics, sentiment) VALUES (?1, ?2, ?3)",
        params![call_id, to_json(&a.metrics)?, to_json(&a.sentiment)?],
    )?;
    // Only the kinds analysis raises are replaced; flags linking calls belong to other stages.
    for kind in FLAG_KINDS {
        tx.execute(
            "DELETE FROM flags WHERE call_id = ?1 AND kind = ?2",
            params![call_id, kind],
        )?;
    }
    for f in &a.flags {
        tx.execute(
            "INSERT INTO flags (call_id, kind, detail, at_s, of_call, evidence) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![call_id, f.kind.as_str(), f.detail, f.at, f.of_call, to_json(&f.evidence)?],
        )?;
    }
    for r in &a.results {
        tx.execute(
            "DELETE FROM rubric_results WHERE call_id = ?1 AND rubric_id = ?2 AND rubric_hash = ?3",
            params![call_id, r.rubric_id, r.hash],
        )?;
        tx.execute(
            "INSERT INTO rubric_results (call_id, rubric_id, rubric_version, rubric_hash, score, critical_failed, sections)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![call_id, r.rubric_id, r.version, r.hash, r.score, r.critical_failed, to_json(&r.sections)?],
        )?;
        let result_id = tx.last_insert_rowid();
        let mut insert = tx.prepare_cached(
            "INSERT INTO criterion_results (result_id, criterion_id, section_id, title, result, points, max_points, critical, evidence, coach)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?;
        for c in &r.criteria {
            insert.execute(params![
                result_id,
                c.id,
                c.section,
                c.title,
                c.result.as_str(),
                c.points,
                c.max_points,
                c.critical,
                to_json(&c.evidence)?,
                c.coach
            ])?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::{LanguageSource, SourceAudio};

    fn transcript(id: &str) -> Transcript {
        Transcript {
            names: Vec::new(),
            call_id: id.into(),
            source: SourceAudio {
                path: "calls/ä b.wav".into(),
                codec: "pcm_mulaw".into(),
                sample_rate: 8000,
                channels: 2,
                duration_s: 42.5,
            },
            roles: RoleSource::Mapped,
            language: "en".into(),
            // Not the default, so the round trip shows it is stored.
            language_source: crate::transcript::LanguageSource::Manifest,
            model: "tiny.en".into(),
            utterances: vec![Utterance {
                speaker: Speaker::Customer,
                channel: 1,
                start: 1.25,
                end: 3.5,
                text: "My bill is wrong.".into(),
                words: vec![Word {
                    text: "My".into(),
                    start: 1.25,
                    end: 1.4,
                    probability: 0.9,
                }],
                avg_logprob: -0.25,
                no_speech_prob: 0.01,
            }],
            warnings: vec!["file is truncated".into()],
        }
    }

    #[test]
    fn transcript_round_trips_and_resave_replaces() {
        let mut store = Store::open_in_memory().unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        let t = transcript("abc");
        store.save_transcript(&t).unwrap();
        store.save_transcript(&t).unwrap();
        assert_eq!(store.call_count().unwrap(), 1);
        assert_eq!(store.load_transcript("abc").unwrap().unwrap(), t);
        assert!(store.load_transcript("nope").unwrap().is_none());
    }

    #[test]
    fn reopening_a_file_database_keeps_data_and_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("q.db");
        {
            let mut store = Store::open(&path).unwrap();
            store.save_transcript(&transcript("x")).unwrap();
        }
        let store = Store::open(&path).unwrap();
        assert!(store.has_call("x").unwrap());
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    }

    fn analysed(t: &Transcript) -> (crate::analysis::rubric::RubricSet, CallAnalysis) {
        let mut set = crate::analysis::rubric::RubricSet::default();
        set.add_source(
            "r.yaml",
            "id: r\ntitle: R\nversion: 1\nsections:\n  - id: s\n    title: S\n    criteria:\n      - id: bill\n        title: Bill\n        check: {phrase: {any_of: [my bill]}}\n        coach: Ask about the bill.\n",
        )
        .unwrap();
        let a = crate::analysis::analyse(t, &set);
        (set, a)
    }

    #[test]
    fn analysis_round_trips_and_rescoring_keeps_history() {
        let mut store = Store::open_in_memory().unwrap();
        let t = transcript("abc");
        let (set, a) = analysed(&t);
        assert_eq!(a.results[0].score, Some(100.0));
        store.register_rubrics(&set.rubrics).unwrap();
        store.save_call(&t, &a).unwrap();
        assert_eq!(store.load_analysis("abc").unwrap().unwrap(), a);
        assert!(store
            .is_scored_with("abc", &[set.rubrics[0].hash.clone()])
            .unwrap());
        assert!(!store.is_scored_with("abc", &["other".into()]).unwrap());
        // Re-saving the same rubric version replaces; re-transcribing keeps results.
        store.save_analysis("abc", &a).unwrap();
        store.save_transcript(&t).unwrap();
        let n: i64 = store
            .conn
            .query_row("SELECT count(*) FROM rubric_results", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 1);
        let avg = store.rubric_averages(&["abc".into()]).unwrap();
        assert_eq!((avg[0].calls, avg[0].mean()), (1, Some(100.0)));
    }

    #[test]
    fn unknown_stored_values_are_corruption_not_defaults() {
        let mut store = Store::open_in_memory().unwrap();
        let t = transcript("abc");
        let (set, a) = analysed(&t);
        store.register_rubrics(&set.rubrics).unwrap();
        store.save_call(&t, &a).unwrap();
        let corrupt = |e: StoreError, value: &str| {
            assert!(
                matches!(&e, StoreError::Corrupt(m) if m.contains(value) && m.contains("abc")),
                "{e}"
            );
        };
        let sql = |store: &Store, q: &str| store.conn.execute(q, []).unwrap();
        sql(&store, "UPDATE calls SET language_source = 'guessed'");
        corrupt(store.load_transcript("abc").unwrap_err(), "guessed");
        // NULL is a call stored before the source was recorded: detected, as then.
        sql(&store, "UPDATE calls SET language_source = NULL");
        let loaded = store.load_transcript("abc").unwrap().unwrap();
        assert_eq!(loaded.language_source, LanguageSource::Detected);
        sql(&store, "UPDATE calls SET warnings = 'truncated'");
        corrupt(store.load_transcript("abc").unwrap_err(), "warnings");
        sql(&store, "UPDATE calls SET warnings = '[]'");
        // The schema's CHECK keeps SQL from writing an unknown verdict; a file edited with the
        // check off (or by another tool) still must not read as N/A.
        store
            .conn
            .pragma_update(None, "ignore_check_constraints", true)
            .unwrap();
        sql(&store, "UPDATE criterion_results SET result = 'passed'");
        corrupt(store.load_analysis("abc").unwrap_err(), "passed");
        sql(&store, "UPDATE criterion_results SET result = 'pass'");
        sql(&store, "UPDATE calls SET roles = 'guessed'");
        corrupt(store.load_transcript("abc").unwrap_err(), "guessed");
    }

    #[test]
    fn migrates_from_every_earlier_version_keeping_data() {
        for from in 0..SCHEMA_VERSION {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("old.db");
            {
                let mut conn = Connection::open(&path).unwrap();
                for (i, sql) in MIGRATIONS.iter().enumerate().take(from as usize) {
                    let tx = conn.transaction().unwrap();
                    tx.execute_batch(sql).unwrap();
                    tx.pragma_update(None, "user_version", i as i64 + 1)
                        .unwrap();
                    tx.commit().unwrap();
                }
                if from >= 1 {
                    conn.execute(
                        "INSERT INTO calls (call_id, path, codec, sample_rate, channels, duration_s, roles, language, model)
                         VALUES ('old', 'a.wav', 'pcm', 8000, 2, 10.0, 'mapped', 'en', 'tiny')",
                        [],
                    )
                    .unwrap();
                }
            }
            let mut store = Store::open(&path).unwrap();
            assert_eq!(
                store.schema_version().unwrap(),
                SCHEMA_VERSION,
                "from v{from}"
            );
            assert_eq!(store.has_call("old").unwrap(), from >= 1);
            let t = transcript("new");
            let (_, a) = analysed(&t);
            let (set, _) = analysed(&t);
            store.register_rubrics(&set.rubrics).unwrap();
            store.save_call(&t, &a).unwrap();
            // Calibration (v7) works on every migrated database and sees the old call.
            let keys = store.labelled_call_keys().unwrap();
            assert_eq!(keys.len(), if from >= 1 { 2 } else { 1 }, "from v{from}");
            assert!(keys.iter().all(|k| k.external_id.is_none()), "from v{from}");
            assert!(store.stored_rubrics().unwrap()[0].newest, "from v{from}");
            store
                .save_calibration("l.csv", 1, Some(1.0), None, &serde_json::json!({}))
                .unwrap();
            assert_eq!(store.calibrations().unwrap().len(), 1, "from v{from}");
        }
    }

    #[test]
    fn concurrent_opens_of_a_new_database_migrate_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("race.db");
        let opened: Vec<Result<i64, String>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..4)
                .map(|_| {
                    s.spawn(|| {
                        Store::open(&path)
                            .and_then(|st| st.schema_version())
                            .map_err(|e| e.to_string())
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for o in opened {
            assert_eq!(o, Ok(SCHEMA_VERSION));
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_new_database_is_private_to_its_owner() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("private.db");
        let mut store = Store::open(&path).unwrap();
        store.save_transcript(&transcript("p")).unwrap();
        for file in [path.clone(), dir.path().join("private.db-wal")] {
            let mode = std::fs::metadata(&file).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "{} is mode {mode:o}", file.display());
        }
    }

    #[test]
    fn newer_schema_is_refused_not_touched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("future.db");
        {
            let conn = Connection::open(&path).unwrap();
            conn.pragma_update(None, "user_version", 99).unwrap();
        }
        let err = Store::open(&path).err().unwrap();
        assert!(err.to_string().contains("newer"), "{err}");
    }
}
