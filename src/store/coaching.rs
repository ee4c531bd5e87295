//! The read queries coaching reports need, and where a generated report is kept
//! (`coaching_reports`). Calls are dated by `coalesce(started_at, transcribed_at)`, as
//! [`Store::call_rows`] dates them; scores are the newest result per call and rubric.

use super::{from_json, Store, StoreError};
use crate::analysis::flags::FlagKind;
use crate::analysis::metrics::CallMetrics;
use crate::transcript::meta::Day;
use crate::transcript::Evidence;
use rusqlite::{params, OptionalExtension};

/// The day a call is dated by, as SQL.
const CALL_DAY: &str = "substr(coalesce(c.started_at, c.transcribed_at), 1, 10)";

/// One call in a report period.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodCall {
    pub call_id: String,
    pub agent_id: String,
    pub customer_id: Option<String>,
    /// YYYY-MM-DD.
    pub day: String,
    pub started_at: Option<String>,
    pub duration_s: f64,
    /// The user's own call id, when one was given.
    pub external_id: Option<String>,
}

/// A call's latest result for one rubric.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodScore {
    pub call_id: String,
    pub rubric_id: String,
    pub rubric_title: String,
    pub score: Option<f64>,
    pub critical_failed: bool,
}

/// One criterion verdict of a call's latest rubric result.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodCriterion {
    pub call_id: String,
    pub rubric_id: String,
    pub criterion_id: String,
    pub title: String,
    /// "pass", "fail" or "na".
    pub result: String,
    pub critical: bool,
    pub evidence: Vec<Evidence>,
    pub coach: Option<String>,
}

/// A flag raised on a call.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodFlag {
    pub call_id: String,
    pub kind: FlagKind,
    pub detail: String,
    pub at_s: Option<f64>,
    pub of_call: Option<String>,
    pub evidence: Vec<Evidence>,
}

/// Everything stored about the calls of one period (every agent), oldest call first.
#[derive(Debug, Clone, Default)]
pub struct PeriodData {
    pub calls: Vec<PeriodCall>,
    pub scores: Vec<PeriodScore>,
    pub criteria: Vec<PeriodCriterion>,
    pub flags: Vec<PeriodFlag>,
    pub metrics: Vec<(String, CallMetrics)>,
}

/// What a generated report is stored as.
#[derive(Debug, Clone, Copy)]
pub struct CoachingReportRow<'a> {
    /// "agent" or "team".
    pub scope: &'a str,
    pub agent_id: Option<&'a str>,
    pub period_from: Day,
    pub period_to: Day,
    /// "md", "html" or "json".
    pub format: &'a str,
    pub data: &'a serde_json::Value,
    pub body: &'a str,
}

impl Store {
    /// The day (YYYY-MM-DD) of the newest stored call, `None` for an empty database. Only real
    /// calendar days up to tomorrow count: a start that is no date ("next tuesday") or a year
    /// typo (2205) stored by an older callqa would otherwise put the default report period
    /// where no call is.
    pub fn newest_call_day(&self) -> Result<Option<Day>, StoreError> {
        self.newest_call_day_until(Day::today().plus(1))
    }

    /// [`Store::newest_call_day`] with the latest day allowed.
    pub fn newest_call_day_until(&self, latest: Day) -> Result<Option<Day>, StoreError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT DISTINCT {CALL_DAY} AS day FROM calls c WHERE day <= ?1 ORDER BY day DESC"
        ))?;
        let mut rows = stmt.query([latest])?;
        while let Some(row) = rows.next()? {
            let day: String = row.get(0)?;
            if let Ok(day) = day.parse() {
                return Ok(Some(day));
            }
        }
        Ok(None)
    }

    /// Every call dated within [from, to] (YYYY-MM-DD, inclusive) with its latest scores,
    /// criterion verdicts, flags and metrics.
    pub fn period_data(&self, from: Day, to: Day) -> Result<PeriodData, StoreError> {
        let within = format!("{CALL_DAY} >= ?1 AND {CALL_DAY} <= ?2");
        let mut data = PeriodData::default();

        let mut stmt = self.conn.prepare(&format!(
            "SELECT c.call_id, c.agent_id, c.customer_id, {CALL_DAY}, c.started_at, c.duration_s,
                    c.external_id
             FROM calls c WHERE {within}
             ORDER BY coalesce(c.started_at, c.transcribed_at), c.call_id"
        ))?;
        data.calls = stmt
            .query_map(params![from, to], |r| {
                Ok(PeriodCall {
                    call_id: r.get(0)?,
                    agent_id: r.get(1)?,
                    customer_id: r.get(2)?,
                    day: r.get(3)?,
                    started_at: r.get(4)?,
                    duration_s: r.get(5)?,
                    external_id: r.get(6)?,
                })
            })?
            .collect::<Result<_, _>>()?;

        let mut stmt = self.conn.prepare(&format!(
            "SELECT r.call_id, r.rubric_id, coalesce(k.title, r.rubric_id), r.score, r.critical_failed
             FROM latest_rubric_results r JOIN calls c ON c.call_id = r.call_id
             LEFT JOIN rubrics k ON k.rubric_hash = r.rubric_hash
             WHERE {within} ORDER BY r.call_id, r.rubric_id"
        ))?;
        data.scores = stmt
            .query_map(params![from, to], |r| {
                Ok(PeriodScore {
                    call_id: r.get(0)?,
                    rubric_id: r.get(1)?,
                    rubric_title: r.get(2)?,
                    score: r.get(3)?,
                    critical_failed: r.get(4)?,
                })
            })?
            .collect::<Result<_, _>>()?;

        let mut stmt = self.conn.prepare(&format!(
            "SELECT r.call_id, r.rubric_id, k.criterion_id, k.title, k.result, k.critical,
                    k.evidence, k.coach
             FROM latest_rubric_results r JOIN calls c ON c.call_id = r.call_id
             JOIN criterion_results k ON k.result_id = r.result_id
             WHERE {within}
             ORDER BY coalesce(c.started_at, c.transcribed_at), c.call_id, r.rubric_id, k.rowid"
        ))?;
        let rows: Vec<_> = stmt
            .query_map(params![from, to], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, bool>(5)?,
                    r.get::<_, String>(6)?,
                    r.get::<_, Option<String>>(7)?,
                ))
            })?
            .collect::<Result<_, _>>()?;
        for (call_id, rubric_id, criterion_id, title, result, critical, evidence, coach) in rows {
            data.criteria.push(PeriodCriterion {
                call_id,
                rubric_id,
                criterion_id,
                title,
                result,
                critical,
                evidence: from_json(&evidence)?,
                coach,
            });
        }

        let mut stmt = self.conn.prepare(&format!(
            "SELECT f.call_id, f.kind, f.detail, f.at_s, f.of_call, f.evidence
             FROM flags f JOIN calls c ON c.call_id = f.call_id
             WHERE {within}
             ORDER BY coalesce(c.started_at, c.transcribed_at), c.call_id, f.rowid"
        ))?;
        let rows: Vec<_> = stmt
            .query_map(params![from, to], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<f64>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, String>(5)?,
                ))
            })?
            .collect::<Result<_, _>>()?;
        for (call_id, kind, detail, at_s, of_call, evidence) in rows {
            // A kind this callqa does not know (a newer one wrote it) feeds no figure.
            let Ok(kind) = kind.parse::<FlagKind>() else {
                continue;
            };
            data.flags.push(PeriodFlag {
                call_id,
                kind,
                detail,
                at_s,
                of_call,
                evidence: from_json(&evidence)?,
            });
        }

        let mut stmt = self.conn.prepare(&format!(
            "SELECT m.call_id, m.metrics FROM call_metrics m JOIN calls c ON c.call_id = m.call_id
             WHERE {within} ORDER BY c.call_id"
        ))?;
        let rows: Vec<(String, String)> = stmt
            .query_map(params![from, to], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        for (call_id, metrics) in rows {
            data.metrics.push((call_id, from_json(&metrics)?));
        }
        Ok(data)
    }

    /// The agent's first utterance starting at or after `after_s` seconds into the call.
    pub fn next_agent_utterance(
        &self,
        call_id: &str,
        after_s: f64,
    ) -> Result<Option<Evidence>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT start_s, end_s, text FROM utterances
                 WHERE call_id = ?1 AND speaker = 'agent' AND start_s >= ?2
                 ORDER BY start_s, idx LIMIT 1",
                params![call_id, after_s],
                |r| {
                    Ok(Evidence {
                        speaker: Some(crate::transcript::Speaker::Agent),
                        start: r.get(0)?,
                        end: r.get(1)?,
                        quote: r.get::<_, String>(2)?.trim().to_string(),
                    })
                },
            )
            .optional()?)
    }

    /// Keeps a generated coaching report; returns its id.
    pub fn save_coaching_report(&self, row: &CoachingReportRow) -> Result<i64, StoreError> {
        self.conn.execute(
            "INSERT INTO coaching_reports (scope, agent_id, period_from, period_to, format, data, body)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                row.scope,
                row.agent_id,
                row.period_from,
                row.period_to,
                row.format,
                super::to_json(row.data)?,
                row.body
            ],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Stored coaching reports, newest first: (report id, created at, scope, agent, from, to,
    /// format).
    #[allow(clippy::type_complexity)]
    pub fn coaching_reports(
        &self,
    ) -> Result<Vec<(i64, String, String, Option<String>, String, String, String)>, StoreError>
    {
        let mut stmt = self.conn.prepare(
            "SELECT report_id, created_at, scope, agent_id, period_from, period_to, format
             FROM coaching_reports ORDER BY report_id DESC",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }
}
