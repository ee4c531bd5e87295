//! The coaching figures from one period's rows: pure functions over [`PeriodData`], no store,
//! so each figure can be tested from rows built by hand. What the period rows lack (the agent's
//! words after a distress moment) is loaded beforehand and passed in as [`NextWords`].

use super::{
    short_id, ComplianceMiss, CriterionStat, CriticalCall, DistressCall, Labels, LeaderboardRow,
    MetricsSummary, Period, Quote, RepeatStats, RubricSummary, Summary, Trend, TrendPoint,
    TrendSeries, CRITERIA_SHOWN, QUOTES_PER_CRITERION,
};
use crate::analysis::flags::{clock, FlagKind};
use crate::analysis::metrics::CallMetrics;
use crate::store::coaching::{PeriodCriterion, PeriodData, PeriodFlag};
use crate::transcript::meta::Day;
use crate::transcript::Evidence;
use std::collections::{BTreeMap, HashMap, HashSet};

/// What the agent said right after each distress (or possible distress) flag, by the flag's
/// index in [`PeriodData::flags`]; a flag with nothing after it has no entry.
pub(super) type NextWords = HashMap<usize, Evidence>;

/// Rubric id → title, over both periods (a rubric scored only before still gets its trend row).
type Titles<'a> = BTreeMap<&'a str, &'a str>;

/// The last moment a flag's evidence covers (its own time when it has none later), from which
/// the agent's answer is looked for.
pub(super) fn flag_end(f: &PeriodFlag) -> f64 {
    f.evidence
        .iter()
        .map(|e| e.end)
        .fold(f.at_s.unwrap_or(0.0), f64::max)
}

/// The calls of `data` a report covers: one agent's, or everyone's.
pub(super) fn call_set<'a>(data: &'a PeriodData, agent: Option<&str>) -> HashSet<&'a str> {
    data.calls
        .iter()
        .filter(|c| agent.is_none_or(|a| c.agent_id == a))
        .map(|c| c.call_id.as_str())
        .collect()
}

/// One period's rows narrowed to the calls a report covers.
struct Scope<'a> {
    data: &'a PeriodData,
    calls: HashSet<&'a str>,
    /// The covered calls' criterion verdicts.
    criteria: Vec<&'a PeriodCriterion>,
    /// Call id → (day, agent).
    info: HashMap<&'a str, (&'a str, &'a str)>,
    labels: &'a Labels,
}

impl<'a> Scope<'a> {
    fn new(data: &'a PeriodData, agent: Option<&str>, labels: &'a Labels) -> Scope<'a> {
        let calls = call_set(data, agent);
        let criteria = data
            .criteria
            .iter()
            .filter(|c| calls.contains(c.call_id.as_str()))
            .collect();
        let info = data
            .calls
            .iter()
            .map(|c| (c.call_id.as_str(), (c.day.as_str(), c.agent_id.as_str())))
            .collect();
        Scope {
            data,
            calls,
            criteria,
            info,
            labels,
        }
    }

    fn covers(&self, call_id: &str) -> bool {
        self.calls.contains(call_id)
    }

    fn day_and_agent(&self, call_id: &str) -> (&'a str, &'a str) {
        self.info.get(call_id).copied().unwrap_or(("", ""))
    }

    fn quotes(&self, call_id: &str, evidence: &[Evidence]) -> Vec<Quote> {
        evidence
            .iter()
            .map(|e| Quote::of(self.labels, call_id, e))
            .collect()
    }
}

/// Every figure both reports show, for one agent's calls or (agent `None`) the team's.
pub(super) fn summary(
    period: &Period,
    data: &PeriodData,
    previous: &PeriodData,
    agent: Option<&str>,
    next_words: &NextWords,
) -> Summary {
    let labels = Labels::of(&[data, previous]);
    let now = Scope::new(data, agent, &labels);
    let previous_calls = call_set(previous, agent);
    let titles = rubric_titles(data, previous);
    let means = per_call_means(data, &now.calls);
    let previous_means = per_call_means(previous, &previous_calls);
    let stats = criterion_stats(&now.criteria, &labels);
    let (distress, possible_distress) = distress_calls(&now, next_words);
    Summary {
        calls: now.calls.len(),
        scored_calls: means.len(),
        mean_score: mean_of_call_means(&means),
        previous_calls: previous_calls.len(),
        previous_mean_score: mean_of_call_means(&previous_means),
        distress,
        possible_distress,
        trend: trend(period, data, &now.calls, &titles),
        rubrics: rubric_summaries(&titles, (data, &now.calls), (previous, &previous_calls)),
        weakest: stats.weakest,
        strongest: stats.strongest,
        criteria: stats.all,
        metrics: metrics_summary(data, &now.calls),
        repeat: repeat_stats(data, &now.calls),
        compliance_misses: compliance_misses(&now),
        critical_calls: critical_calls(&now),
    }
}

fn rubric_titles<'a>(data: &'a PeriodData, previous: &'a PeriodData) -> Titles<'a> {
    let mut titles = Titles::new();
    for s in data.scores.iter().chain(&previous.scores) {
        titles
            .entry(s.rubric_id.as_str())
            .or_insert(s.rubric_title.as_str());
    }
    titles
}

fn rubric_scores(data: &PeriodData, calls: &HashSet<&str>, rubric: &str) -> Vec<f64> {
    data.scores
        .iter()
        .filter(|s| s.rubric_id == rubric && calls.contains(s.call_id.as_str()))
        .filter_map(|s| s.score)
        .collect()
}

/// Each rubric's mean now and in the previous period, with its critical failures now.
fn rubric_summaries(
    titles: &Titles,
    (data, calls): (&PeriodData, &HashSet<&str>),
    (previous, previous_calls): (&PeriodData, &HashSet<&str>),
) -> Vec<RubricSummary> {
    titles
        .iter()
        .map(|(&id, &title)| {
            let now = rubric_scores(data, calls, id);
            let before = rubric_scores(previous, previous_calls, id);
            let (m, p) = (mean(now.iter().copied()), mean(before.iter().copied()));
            RubricSummary {
                rubric_id: id.to_string(),
                title: title.to_string(),
                calls_scored: now.len(),
                mean: m,
                previous_calls_scored: before.len(),
                previous_mean: p,
                trend: m.zip(p).map(|(m, p)| m - p),
                critical_failures: data
                    .scores
                    .iter()
                    .filter(|s| {
                        s.rubric_id == id && s.critical_failed && calls.contains(s.call_id.as_str())
                    })
                    .count(),
            }
        })
        .collect()
}

/// Criterion pass rates: the weakest and strongest few with quotes, and every criterion that
/// applied at least once.
struct CriterionStats {
    weakest: Vec<CriterionStat>,
    strongest: Vec<CriterionStat>,
    all: Vec<CriterionStat>,
}

/// A criterion's verdicts over the covered calls, by (rubric, criterion).
type ByCriterion<'a> = BTreeMap<(&'a str, &'a str), Vec<&'a PeriodCriterion>>;

fn stat_key(c: &CriterionStat) -> (&str, &str) {
    (c.rubric_id.as_str(), c.criterion_id.as_str())
}

fn criterion_stats(criteria: &[&PeriodCriterion], labels: &Labels) -> CriterionStats {
    let mut by_criterion = ByCriterion::new();
    for c in criteria {
        by_criterion
            .entry((c.rubric_id.as_str(), c.criterion_id.as_str()))
            .or_default()
            .push(c);
    }
    let mut all: Vec<CriterionStat> = by_criterion.values().map(|r| criterion_stat(r)).collect();
    let with_quotes = |c: &CriterionStat, verdict: &str| CriterionStat {
        quotes: verdict_quotes(&by_criterion, labels, stat_key(c), verdict),
        ..c.clone()
    };
    let weakest: Vec<CriterionStat> = weakest_first(&all)
        .into_iter()
        .take(CRITERIA_SHOWN)
        .map(|c| with_quotes(c, "fail"))
        .collect();
    let weak_keys: HashSet<_> = weakest.iter().map(stat_key).collect();
    let strongest: Vec<CriterionStat> = strongest_first(&all)
        .into_iter()
        .filter(|c| !weak_keys.contains(&stat_key(c)))
        .take(CRITERIA_SHOWN)
        .map(|c| with_quotes(c, "pass"))
        .collect();
    all.retain(|c| c.pass_rate.is_some());
    all.sort_by(|a, b| {
        a.pass_rate
            .unwrap_or(0.0)
            .total_cmp(&b.pass_rate.unwrap_or(0.0))
            .then_with(|| stat_key(a).cmp(&stat_key(b)))
    });
    CriterionStats {
        weakest,
        strongest,
        all,
    }
}

/// One criterion's counts; `rows` is never empty (it is a group of [`ByCriterion`]).
fn criterion_stat(rows: &[&PeriodCriterion]) -> CriterionStat {
    let count = |v: &str| rows.iter().filter(|r| r.result == v).count();
    let (pass, fail, na) = (count("pass"), count("fail"), count("na"));
    let first = rows[0];
    CriterionStat {
        rubric_id: first.rubric_id.clone(),
        criterion_id: first.criterion_id.clone(),
        title: first.title.clone(),
        pass,
        fail,
        na,
        pass_rate: rate(pass, pass + fail),
        coach: rows.iter().find_map(|r| r.coach.clone()),
        quotes: Vec::new(),
    }
}

/// Criteria that failed at least once, lowest pass rate first, then the most fails.
fn weakest_first(all: &[CriterionStat]) -> Vec<&CriterionStat> {
    let mut weak: Vec<&CriterionStat> = all.iter().filter(|c| c.fail > 0).collect();
    weak.sort_by(|a, b| {
        a.pass_rate
            .unwrap_or(0.0)
            .total_cmp(&b.pass_rate.unwrap_or(0.0))
            .then(b.fail.cmp(&a.fail))
            .then_with(|| stat_key(a).cmp(&stat_key(b)))
    });
    weak
}

/// Criteria that passed at least once, highest pass rate first, then the most passes.
fn strongest_first(all: &[CriterionStat]) -> Vec<&CriterionStat> {
    let mut strong: Vec<&CriterionStat> = all.iter().filter(|c| c.pass > 0).collect();
    strong.sort_by(|a, b| {
        b.pass_rate
            .unwrap_or(0.0)
            .total_cmp(&a.pass_rate.unwrap_or(0.0))
            .then(b.pass.cmp(&a.pass))
            .then_with(|| stat_key(a).cmp(&stat_key(b)))
    });
    strong
}

fn verdict_quotes(
    by_criterion: &ByCriterion,
    labels: &Labels,
    key: (&str, &str),
    verdict: &str,
) -> Vec<Quote> {
    let results: Vec<&PeriodCriterion> = by_criterion
        .get(&key)
        .map(|rows| {
            rows.iter()
                .copied()
                .filter(|r| r.result == verdict)
                .collect()
        })
        .unwrap_or_default();
    quotes_of(labels, &results, QUOTES_PER_CRITERION)
}

/// Up to `n` quotes from these results' evidence, one per result in turn (so two quotes come
/// from two calls when there are two).
fn quotes_of(labels: &Labels, results: &[&PeriodCriterion], n: usize) -> Vec<Quote> {
    let mut out = Vec::new();
    let longest = results.iter().map(|r| r.evidence.len()).max().unwrap_or(0);
    for i in 0..longest {
        for r in results {
            if out.len() == n {
                return out;
            }
            if let Some(e) = r.evidence.get(i) {
                out.push(Quote::of(labels, &r.call_id, e));
            }
        }
    }
    out
}

fn metrics_summary(data: &PeriodData, calls: &HashSet<&str>) -> MetricsSummary {
    let metrics: Vec<&CallMetrics> = data
        .metrics
        .iter()
        .filter(|(id, _)| calls.contains(id.as_str()))
        .map(|(_, m)| m)
        .collect();
    let avg = |name: &str| mean(metrics.iter().filter_map(|m| m.get(name)));
    let agent_talk: f64 = metrics.iter().map(|m| m.agent_talk_s).sum();
    let all_talk: f64 = metrics
        .iter()
        .map(|m| m.agent_talk_s + m.customer_talk_s)
        .sum();
    MetricsSummary {
        calls: metrics.len(),
        avg_handle_time_s: mean(
            data.calls
                .iter()
                .filter(|c| calls.contains(c.call_id.as_str()))
                .map(|c| c.duration_s),
        ),
        agent_talk_share: (all_talk > 0.0).then(|| agent_talk / all_talk),
        avg_hold_count: avg("hold_count"),
        avg_hold_s: avg("hold_s"),
        avg_dead_air_count: avg("dead_air_count"),
        avg_silence_s: avg("silence_s"),
        avg_interruptions_by_agent: avg("interruptions_by_agent"),
        avg_interruptions_by_customer: avg("interruptions_by_customer"),
        avg_overtalk_s: avg("overtalk_s"),
        avg_agent_wpm: mean(
            metrics
                .iter()
                .filter(|m| m.agent_wpm > 0.0)
                .map(|m| m.agent_wpm),
        ),
    }
}

fn compliance_misses(scope: &Scope) -> Vec<ComplianceMiss> {
    scope
        .criteria
        .iter()
        .filter(|c| c.rubric_id == "compliance" && c.result == "fail")
        .map(|c| {
            let (day, agent_id) = scope.day_and_agent(&c.call_id);
            ComplianceMiss {
                call_id: scope.labels.get(&c.call_id),
                day: day.to_string(),
                agent_id: agent_id.to_string(),
                criterion_id: c.criterion_id.clone(),
                title: c.title.clone(),
                critical: c.critical,
                quotes: scope.quotes(&c.call_id, &c.evidence),
            }
        })
        .collect()
}

/// Covered calls with a critical failure in at least one rubric, oldest first.
fn critical_calls(scope: &Scope) -> Vec<CriticalCall> {
    let mut out = Vec::new();
    for call in scope.data.calls.iter().filter(|c| scope.covers(&c.call_id)) {
        let rubrics: Vec<String> = scope
            .data
            .scores
            .iter()
            .filter(|s| s.call_id == call.call_id && s.critical_failed)
            .map(|s| s.rubric_id.clone())
            .collect();
        if rubrics.is_empty() {
            continue;
        }
        let criteria = scope
            .criteria
            .iter()
            .filter(|c| c.call_id == call.call_id && c.critical && c.result == "fail")
            .map(|c| c.title.clone())
            .collect();
        out.push(CriticalCall {
            call_id: scope.labels.get(&call.call_id),
            day: call.day.clone(),
            agent_id: call.agent_id.clone(),
            rubrics,
            criteria,
        });
    }
    out
}

/// Distress calls and how they were handled, then possible distress the same way. Every one
/// is listed: no other section (nor a noisy flag) can push one out.
fn distress_calls(scope: &Scope, next_words: &NextWords) -> (Vec<DistressCall>, Vec<DistressCall>) {
    let mut distress = Vec::new();
    let mut possible_distress = Vec::new();
    for (i, f) in scope.data.flags.iter().enumerate() {
        if !scope.covers(&f.call_id) {
            continue;
        }
        let list = match f.kind {
            FlagKind::Distress => &mut distress,
            FlagKind::PossibleDistress => &mut possible_distress,
            _ => continue,
        };
        list.push(distress_call(scope, f, next_words.get(&i)));
    }
    (distress, possible_distress)
}

fn distress_call(scope: &Scope, f: &PeriodFlag, next: Option<&Evidence>) -> DistressCall {
    let (day, agent_id) = scope.day_and_agent(&f.call_id);
    let response = scope
        .criteria
        .iter()
        .find(|c| c.call_id == f.call_id && c.criterion_id == "distress_response");
    DistressCall {
        call_id: scope.labels.get(&f.call_id),
        day: day.to_string(),
        agent_id: agent_id.to_string(),
        detail: f.detail.clone(),
        at: f.at_s.map(clock),
        quotes: scope.quotes(&f.call_id, &f.evidence),
        response: response.map(|c| c.result.clone()),
        response_quotes: response
            .map(|c| scope.quotes(&c.call_id, &c.evidence))
            .unwrap_or_default(),
        next_agent_utterance: next.map(|e| Quote::of(scope.labels, &f.call_id, e)),
    }
}

pub(super) fn repeat_stats(data: &PeriodData, calls: &HashSet<&str>) -> RepeatStats {
    let flagged = |kind: FlagKind| -> HashSet<&str> {
        data.flags
            .iter()
            .filter(|f| f.kind == kind && calls.contains(f.call_id.as_str()))
            .map(|f| f.call_id.as_str())
            .collect()
    };
    let repeat = flagged(FlagKind::RepeatCall);
    let unresolved = flagged(FlagKind::UnresolvedFirstContact);
    let known: Vec<&str> = data
        .calls
        .iter()
        .filter(|c| calls.contains(c.call_id.as_str()) && c.customer_id.is_some())
        .map(|c| c.call_id.as_str())
        .collect();
    let unresolved_known = known.iter().filter(|c| unresolved.contains(*c)).count();
    RepeatStats {
        calls: calls.len(),
        repeat_calls: repeat.len(),
        repeat_call_rate: rate(repeat.len(), calls.len()),
        calls_with_customer: known.len(),
        unresolved_first_contact: unresolved_known,
        fcr_rate: rate(known.len() - unresolved_known, known.len()),
    }
}

/// Agents ranked by the mean of their per-call mean scores (at least one scored call); equal
/// means share a rank.
pub(super) fn leaderboard(data: &PeriodData) -> Vec<LeaderboardRow> {
    let mut agents: BTreeMap<&str, HashSet<&str>> = BTreeMap::new();
    for c in &data.calls {
        agents
            .entry(c.agent_id.as_str())
            .or_default()
            .insert(c.call_id.as_str());
    }
    let mut rows: Vec<LeaderboardRow> = agents
        .into_iter()
        .filter_map(|(agent, calls)| {
            let means = per_call_means(data, &calls);
            Some(LeaderboardRow {
                rank: 0,
                agent_id: agent.to_string(),
                calls: calls.len(),
                scored_calls: means.len(),
                mean_score: mean_of_call_means(&means)?,
                fcr_rate: repeat_stats(data, &calls).fcr_rate,
            })
        })
        .collect();
    rows.sort_by(|a, b| {
        b.mean_score
            .total_cmp(&a.mean_score)
            .then_with(|| a.agent_id.cmp(&b.agent_id))
    });
    for i in 0..rows.len() {
        rows[i].rank = if i > 0 && rows[i].mean_score == rows[i - 1].mean_score {
            rows[i - 1].rank
        } else {
            i + 1
        };
    }
    rows
}

/// Mean score per rubric per day (periods up to 31 days) or per week from the period's start.
fn trend(period: &Period, data: &PeriodData, calls: &HashSet<&str>, titles: &Titles) -> Trend {
    let width = if period.days <= 31 { 1 } else { 7 };
    let buckets = ((period.days + width - 1) / width).max(1) as usize;
    let day_of = call_days(data);
    let series = titles
        .iter()
        .filter_map(|(&id, &title)| {
            let mut sums = vec![(0.0, 0usize); buckets];
            for s in data
                .scores
                .iter()
                .filter(|s| s.rubric_id == id && calls.contains(s.call_id.as_str()))
            {
                let (Some(score), Some(day)) = (s.score, day_of.get(s.call_id.as_str())) else {
                    continue;
                };
                let b = ((day.number() - period.from.number()) / width).clamp(0, buckets as i64 - 1)
                    as usize;
                sums[b].0 += score;
                sums[b].1 += 1;
            }
            if sums.iter().all(|s| s.1 == 0) {
                return None;
            }
            Some(TrendSeries {
                rubric_id: id.to_string(),
                title: title.to_string(),
                points: trend_points(&sums, period.from, width),
            })
        })
        .collect();
    Trend {
        bucket: if width == 1 { "day" } else { "week" }.into(),
        series,
    }
}

/// Each call's day number. A call whose stored start is no calendar day (written by an older
/// callqa, or by hand) is left out of the trend, never put on 1970-01-01; the period's query
/// already needed its text to sort inside the period.
fn call_days(data: &PeriodData) -> HashMap<&str, Day> {
    data.calls
        .iter()
        .filter_map(|c| match c.day.parse::<Day>() {
            Ok(d) => Some((c.call_id.as_str(), d)),
            Err(_) => {
                log::warn!(
                    "call {}: start {:?} is not a calendar day; left out of the trend",
                    short_id(&c.call_id),
                    c.day
                );
                None
            }
        })
        .collect()
}

/// Bucket `i` starts `i * width` days after `from`; `sums` holds (sum, count) per bucket.
fn trend_points(sums: &[(f64, usize)], from: Day, width: i64) -> Vec<TrendPoint> {
    sums.iter()
        .enumerate()
        .map(|(i, &(sum, n))| TrendPoint {
            bucket: from.plus(i as i64 * width).to_string(),
            calls: n,
            mean: (n > 0).then(|| sum / n as f64),
        })
        .collect()
}

fn mean(values: impl IntoIterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values
        .into_iter()
        .fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}

fn rate(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// Each scored call's mean score across its rubrics (rubrics with no score left out), as
/// (sum, count).
fn per_call_means<'a>(
    data: &'a PeriodData,
    calls: &HashSet<&str>,
) -> BTreeMap<&'a str, (f64, usize)> {
    let mut by_call: BTreeMap<&str, (f64, usize)> = BTreeMap::new();
    for s in &data.scores {
        if let (Some(score), true) = (s.score, calls.contains(s.call_id.as_str())) {
            let e = by_call.entry(s.call_id.as_str()).or_default();
            e.0 += score;
            e.1 += 1;
        }
    }
    by_call
}

fn mean_of_call_means(means: &BTreeMap<&str, (f64, usize)>) -> Option<f64> {
    mean(means.values().map(|(s, n)| s / *n as f64))
}

#[cfg(test)]
#[path = "aggregate_tests.rs"]
mod tests;
