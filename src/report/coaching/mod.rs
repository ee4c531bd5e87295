//! Coaching reports (`callqa report agent|team`): what an agent (or the team) did over a period,
//! built from the store — scores and their trend against the previous period of equal length,
//! the weakest criteria with coaching tips and evidence, the strongest for praise, conversation
//! metrics, repeat calls / first-contact resolution, compliance misses, distress calls (always
//! first, possible distress right after) and the leaderboard. Rendered as Markdown, JSON (these structs) or one self-contained
//! HTML file with SVG charts; every generated report is kept in `coaching_reports`.

mod aggregate;
pub(crate) mod html;
mod markdown;
mod svg;

use crate::analysis::flags::clock;
use crate::store::coaching::{CoachingReportRow, PeriodData};
use crate::store::{Store, StoreError};
use crate::transcript::meta::Day;
use crate::transcript::Evidence;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// Days in the default period, ending at the newest stored call's day.
pub const DEFAULT_DAYS: i64 = 30;
/// Weakest and strongest criteria shown.
pub const CRITERIA_SHOWN: usize = 3;
/// Evidence quotes per weakest/strongest criterion.
pub const QUOTES_PER_CRITERION: usize = 2;

#[derive(Debug, thiserror::Error)]
pub enum CoachingError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Period(String),
    #[error("agent {agent:?} has no stored calls between {from} and {to}")]
    AgentNotFound { agent: String, from: Day, to: Day },
    #[error("no calls are stored yet: score some calls first (or give --from and --to)")]
    Empty,
    #[error("cannot encode the report: {0}")]
    Json(#[from] serde_json::Error),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Md,
    Html,
    Json,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Md => "md",
            Format::Html => "html",
            Format::Json => "json",
        }
    }
}

/// Days, inclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Period {
    pub from: Day,
    pub to: Day,
    pub days: i64,
}

impl Period {
    /// `--from`/`--to` as given; what is missing is filled in: `to` defaults to the newest
    /// stored call's day, `from` to [`DEFAULT_DAYS`] days ending at `to`.
    pub fn resolve(
        store: &Store,
        from: Option<Day>,
        to: Option<Day>,
    ) -> Result<Period, CoachingError> {
        let to = match to {
            Some(t) => t,
            None => match store.newest_call_day()? {
                Some(d) => d,
                None if from.is_some() => {
                    return Err(CoachingError::Period(
                        "--to is needed when no calls are stored".into(),
                    ))
                }
                None => return Err(CoachingError::Empty),
            },
        };
        let from = from.unwrap_or(to.plus(-(DEFAULT_DAYS - 1)));
        if from > to {
            return Err(CoachingError::Period(format!(
                "the period starts ({from}) after it ends ({to})"
            )));
        }
        Ok(Period::of(from, to))
    }

    fn of(from: Day, to: Day) -> Period {
        Period {
            from,
            to,
            days: to.number() - from.number() + 1,
        }
    }

    /// The same number of days immediately before this period.
    pub fn previous(&self) -> Period {
        Period::of(self.from.plus(-self.days), self.from.plus(-1))
    }
}

/// Words said (or a measured finding) that justify a verdict or flag.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quote {
    /// The user's call id, else the first 12 hex characters of the audio hash.
    pub call_id: String,
    /// The call's audio hash (for linking to its review page; not part of the JSON).
    #[serde(skip)]
    pub audio_hash: String,
    /// The call's review page file name (`callqa review`), whether or not one was written.
    #[serde(skip)]
    pub page: String,
    /// Where the quote plays in its review page (`--review-dir`), when the page exists.
    #[serde(skip)]
    pub link: Option<String>,
    /// m:ss into the call.
    pub at: String,
    pub start: f64,
    /// "agent", "customer", or null for a measured finding.
    pub speaker: Option<String>,
    pub quote: String,
}

impl Quote {
    fn of(labels: &Labels, call_id: &str, e: &Evidence) -> Quote {
        Quote {
            call_id: labels.get(call_id),
            audio_hash: call_id.to_string(),
            page: crate::store::page_name(labels.full(call_id), call_id),
            link: None,
            at: clock(e.start),
            start: e.start,
            speaker: e.speaker.map(|s| s.as_str().to_string()),
            quote: e.quote.trim().to_string(),
        }
    }
}

pub fn short_id(call_id: &str) -> String {
    call_id.chars().take(12).collect()
}

/// How a report names calls: the user's own call id when one was given, else the first 12
/// hex digits of the audio hash ([`short_id`]).
#[derive(Debug, Default)]
pub(crate) struct Labels(HashMap<String, String>);

impl Labels {
    fn of(data: &[&PeriodData]) -> Labels {
        Labels(
            data.iter()
                .flat_map(|d| &d.calls)
                .filter_map(|c| Some((c.call_id.clone(), c.external_id.clone()?)))
                .collect(),
        )
    }

    /// The user's id, else the whole audio hash.
    pub(crate) fn full<'a>(&'a self, call_id: &'a str) -> &'a str {
        self.0.get(call_id).map_or(call_id, String::as_str)
    }

    pub(crate) fn get(&self, call_id: &str) -> String {
        self.0
            .get(call_id)
            .cloned()
            .unwrap_or_else(|| short_id(call_id))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RubricSummary {
    pub rubric_id: String,
    pub title: String,
    /// Calls with a score (something applied).
    pub calls_scored: usize,
    pub mean: Option<f64>,
    pub previous_calls_scored: usize,
    pub previous_mean: Option<f64>,
    /// `mean - previous_mean`; null when either period has no scored call.
    pub trend: Option<f64>,
    pub critical_failures: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionStat {
    pub rubric_id: String,
    pub criterion_id: String,
    pub title: String,
    pub pass: usize,
    pub fail: usize,
    pub na: usize,
    /// pass / (pass + fail); null when it never applied.
    pub pass_rate: Option<f64>,
    pub coach: Option<String>,
    /// From failing results (weakest) or passing results (strongest); empty in `criteria`.
    pub quotes: Vec<Quote>,
}

/// Per-call averages of the conversation metrics (null when no call has metrics).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricsSummary {
    pub calls: usize,
    /// Mean call duration (seconds).
    pub avg_handle_time_s: Option<f64>,
    /// Agent's share of the talk time, 0..1.
    pub agent_talk_share: Option<f64>,
    pub avg_hold_count: Option<f64>,
    pub avg_hold_s: Option<f64>,
    pub avg_dead_air_count: Option<f64>,
    pub avg_silence_s: Option<f64>,
    pub avg_interruptions_by_agent: Option<f64>,
    pub avg_interruptions_by_customer: Option<f64>,
    pub avg_overtalk_s: Option<f64>,
    /// Agent's words per minute.
    pub avg_agent_wpm: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RepeatStats {
    pub calls: usize,
    /// Calls flagged `repeat_call` (the customer called again about the same thing).
    pub repeat_calls: usize,
    pub repeat_call_rate: Option<f64>,
    /// Calls whose customer is known.
    pub calls_with_customer: usize,
    /// Of those, calls flagged `unresolved_first_contact`.
    pub unresolved_first_contact: usize,
    /// Share of calls with a known customer and no `unresolved_first_contact` flag.
    pub fcr_rate: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComplianceMiss {
    pub call_id: String,
    pub day: String,
    pub agent_id: String,
    pub criterion_id: String,
    pub title: String,
    pub critical: bool,
    pub quotes: Vec<Quote>,
}

/// A call with a critical failure in at least one rubric.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriticalCall {
    pub call_id: String,
    pub day: String,
    pub agent_id: String,
    pub rubrics: Vec<String>,
    /// Titles of the failed critical criteria.
    pub criteria: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DistressCall {
    pub call_id: String,
    pub day: String,
    pub agent_id: String,
    pub detail: String,
    pub at: Option<String>,
    pub quotes: Vec<Quote>,
    /// The `distress_response` criterion's verdict ("pass", "fail", "na"), if scored.
    pub response: Option<String>,
    pub response_quotes: Vec<Quote>,
    /// What the agent said next.
    pub next_agent_utterance: Option<Quote>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeaderboardRow {
    pub rank: usize,
    pub agent_id: String,
    pub calls: usize,
    pub scored_calls: usize,
    /// Mean of the per-call mean scores across rubrics.
    pub mean_score: f64,
    pub fcr_rate: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendPoint {
    /// First day of the bucket.
    pub bucket: String,
    pub calls: usize,
    pub mean: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendSeries {
    pub rubric_id: String,
    pub title: String,
    pub points: Vec<TrendPoint>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    /// "day" (periods up to 31 days) or "week".
    pub bucket: String,
    pub series: Vec<TrendSeries>,
}

/// The figures both reports show, over one set of calls.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub calls: usize,
    /// Calls with at least one rubric score.
    pub scored_calls: usize,
    /// Mean of the per-call mean scores across rubrics.
    pub mean_score: Option<f64>,
    pub previous_calls: usize,
    pub previous_mean_score: Option<f64>,
    /// Listed first: calls with a customer in distress and how they were handled.
    pub distress: Vec<DistressCall>,
    /// Listed right after: what the distress detector was unsure of, for a person to judge.
    pub possible_distress: Vec<DistressCall>,
    pub rubrics: Vec<RubricSummary>,
    pub weakest: Vec<CriterionStat>,
    pub strongest: Vec<CriterionStat>,
    /// Every criterion that applied at least once, lowest pass rate first.
    pub criteria: Vec<CriterionStat>,
    pub metrics: MetricsSummary,
    pub repeat: RepeatStats,
    pub compliance_misses: Vec<ComplianceMiss>,
    pub critical_calls: Vec<CriticalCall>,
    pub trend: Trend,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgentReport {
    pub scope: &'static str,
    pub agent_id: String,
    pub period: Period,
    pub previous_period: Period,
    /// Place on the team leaderboard (null without a scored call).
    pub rank: Option<usize>,
    /// Agents on the leaderboard.
    pub ranked_agents: usize,
    #[serde(flatten)]
    pub summary: Summary,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamReport {
    pub scope: &'static str,
    pub period: Period,
    pub previous_period: Period,
    pub agents: usize,
    pub leaderboard: Vec<LeaderboardRow>,
    #[serde(flatten)]
    pub summary: Summary,
}

pub fn agent_report(
    store: &Store,
    agent: &str,
    from: Option<Day>,
    to: Option<Day>,
) -> Result<AgentReport, CoachingError> {
    let period = Period::resolve(store, from, to)?;
    let previous_period = period.previous();
    let data = store.period_data(period.from, period.to)?;
    if !data.calls.iter().any(|c| c.agent_id == agent) {
        return Err(CoachingError::AgentNotFound {
            agent: agent.to_string(),
            from: period.from,
            to: period.to,
        });
    }
    let previous = store.period_data(previous_period.from, previous_period.to)?;
    let summary = summarise(store, &period, &data, &previous, Some(agent))?;
    let board = aggregate::leaderboard(&data);
    Ok(AgentReport {
        scope: "agent",
        agent_id: agent.to_string(),
        rank: board.iter().find(|r| r.agent_id == agent).map(|r| r.rank),
        ranked_agents: board.len(),
        period,
        previous_period,
        summary,
    })
}

pub fn team_report(
    store: &Store,
    from: Option<Day>,
    to: Option<Day>,
) -> Result<TeamReport, CoachingError> {
    let period = Period::resolve(store, from, to)?;
    let previous_period = period.previous();
    let data = store.period_data(period.from, period.to)?;
    let previous = store.period_data(previous_period.from, previous_period.to)?;
    let summary = summarise(store, &period, &data, &previous, None)?;
    let agents: HashSet<&str> = data.calls.iter().map(|c| c.agent_id.as_str()).collect();
    Ok(TeamReport {
        scope: "team",
        agents: agents.len(),
        leaderboard: aggregate::leaderboard(&data),
        period,
        previous_period,
        summary,
    })
}

/// A rendered report and where it was stored.
#[derive(Debug, Clone)]
pub struct Generated {
    pub report_id: i64,
    pub body: String,
}

pub fn render_agent(r: &AgentReport, format: Format) -> Result<String, CoachingError> {
    Ok(match format {
        Format::Json => serde_json::to_string_pretty(r)? + "\n",
        Format::Md => markdown::render(&View::agent(r)),
        Format::Html => html::render(&View::agent(r)),
    })
}

pub fn render_team(r: &TeamReport, format: Format) -> Result<String, CoachingError> {
    Ok(match format {
        Format::Json => serde_json::to_string_pretty(r)? + "\n",
        Format::Md => markdown::render(&View::team(r)),
        Format::Html => html::render(&View::team(r)),
    })
}

/// Builds, renders and stores an agent's report.
pub fn generate_agent(
    store: &Store,
    agent: &str,
    from: Option<Day>,
    to: Option<Day>,
    format: Format,
) -> Result<Generated, CoachingError> {
    generate_agent_linked(store, agent, from, to, format, None)
}

/// [`generate_agent`], each quote linking to its moment in the call's review page when one is
/// in `review_dir`.
pub fn generate_agent_linked(
    store: &Store,
    agent: &str,
    from: Option<Day>,
    to: Option<Day>,
    format: Format,
    review_dir: Option<&std::path::Path>,
) -> Result<Generated, CoachingError> {
    let mut report = agent_report(store, agent, from, to)?;
    if let Some(dir) = review_dir {
        crate::report::review::link_quotes(&mut report.summary, dir);
    }
    let body = render_agent(&report, format)?;
    let data = serde_json::to_value(&report)?;
    let report_id = store.save_coaching_report(&CoachingReportRow {
        scope: "agent",
        agent_id: Some(agent),
        period_from: report.period.from,
        period_to: report.period.to,
        format: format.as_str(),
        data: &data,
        body: &body,
    })?;
    Ok(Generated { report_id, body })
}

/// Builds, renders and stores the team's report.
pub fn generate_team(
    store: &Store,
    from: Option<Day>,
    to: Option<Day>,
    format: Format,
) -> Result<Generated, CoachingError> {
    generate_team_linked(store, from, to, format, None)
}

/// [`generate_team`] with quotes linked to review pages in `review_dir`.
pub fn generate_team_linked(
    store: &Store,
    from: Option<Day>,
    to: Option<Day>,
    format: Format,
    review_dir: Option<&std::path::Path>,
) -> Result<Generated, CoachingError> {
    let mut report = team_report(store, from, to)?;
    if let Some(dir) = review_dir {
        crate::report::review::link_quotes(&mut report.summary, dir);
    }
    let body = render_team(&report, format)?;
    let data = serde_json::to_value(&report)?;
    let report_id = store.save_coaching_report(&CoachingReportRow {
        scope: "team",
        agent_id: None,
        period_from: report.period.from,
        period_to: report.period.to,
        format: format.as_str(),
        data: &data,
        body: &body,
    })?;
    Ok(Generated { report_id, body })
}

/// What the Markdown and HTML renderers show: an agent's or the team's report.
pub(crate) struct View<'a> {
    pub title: String,
    pub period: &'a Period,
    pub previous: &'a Period,
    pub agent: Option<&'a str>,
    pub rank: Option<(Option<usize>, usize)>,
    pub agents: Option<usize>,
    pub leaderboard: Option<&'a [LeaderboardRow]>,
    pub s: &'a Summary,
}

impl<'a> View<'a> {
    fn agent(r: &'a AgentReport) -> View<'a> {
        View {
            title: format!("Coaching report — {}", r.agent_id),
            period: &r.period,
            previous: &r.previous_period,
            agent: Some(&r.agent_id),
            rank: Some((r.rank, r.ranked_agents)),
            agents: None,
            leaderboard: None,
            s: &r.summary,
        }
    }

    fn team(r: &'a TeamReport) -> View<'a> {
        View {
            title: "Team coaching report".into(),
            period: &r.period,
            previous: &r.previous_period,
            agent: None,
            rank: None,
            agents: Some(r.agents),
            leaderboard: Some(&r.leaderboard),
            s: &r.summary,
        }
    }
}

/// Loads what the period rows lack from the store, then aggregates without it.
fn summarise(
    store: &Store,
    period: &Period,
    data: &PeriodData,
    previous: &PeriodData,
    agent: Option<&str>,
) -> Result<Summary, CoachingError> {
    let next_words = next_agent_words(store, data, agent)?;
    Ok(aggregate::summary(
        period,
        data,
        previous,
        agent,
        &next_words,
    ))
}

/// What the agent said next after each distress flag on the covered calls.
fn next_agent_words(
    store: &Store,
    data: &PeriodData,
    agent: Option<&str>,
) -> Result<aggregate::NextWords, StoreError> {
    let calls = aggregate::call_set(data, agent);
    let mut out = aggregate::NextWords::new();
    for (i, f) in data.flags.iter().enumerate() {
        if !calls.contains(f.call_id.as_str()) || !f.kind.is_distress() {
            continue;
        }
        if let Some(e) = store.next_agent_utterance(&f.call_id, aggregate::flag_end(f) - 0.05)? {
            out.insert(i, e);
        }
    }
    Ok(out)
}

/// "82.5", "n/a".
pub(crate) fn fmt_score(v: Option<f64>) -> String {
    v.map_or("n/a".into(), |v| format!("{v:.1}"))
}

/// "+4.2", "−3.0", "n/a".
pub(crate) fn fmt_trend(v: Option<f64>) -> String {
    match v {
        None => "n/a".into(),
        Some(v) if v.abs() < 0.05 => "±0.0".into(),
        Some(v) if v > 0.0 => format!("+{v:.1}"),
        Some(v) => format!("−{:.1}", -v),
    }
}

/// "73%", "n/a".
pub(crate) fn fmt_pct(v: Option<f64>) -> String {
    v.map_or("n/a".into(), |v| format!("{:.0}%", v * 100.0))
}

/// "1.5", "n/a".
pub(crate) fn fmt_num(v: Option<f64>, decimals: usize) -> String {
    v.map_or("n/a".into(), |v| format!("{v:.decimals$}"))
}

/// "4:05" for a duration in seconds.
pub(crate) fn fmt_duration(v: Option<f64>) -> String {
    v.map_or("n/a".into(), clock)
}

#[cfg(test)]
mod tests;
