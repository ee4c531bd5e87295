//! Reproducible random samples of calls for compliance audits.
//!
//! Each call gets a pseudo-random key from the seed and its id; a sample is the calls with the
//! smallest keys (per stratum, in proportion to the strata's sizes). The same seed over the
//! same calls always gives the same sample, and adding calls later changes it only where a new
//! call's key is smaller — an audit can be re-drawn and checked.

use crate::analysis::CallAnalysis;
use crate::store::CallRow;
use std::collections::BTreeMap;

/// One call as the sampler sees it.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub row: CallRow,
    pub analysis: Option<CallAnalysis>,
}

impl Candidate {
    /// A call as the sampler keeps it: of its analysis only what sampling, the sample's listing
    /// and the verdict sheet read (rubric scores, critical failures, criterion ids and verdicts,
    /// flag kinds), so drawing from a year
    /// of calls holds a few hundred bytes per call, not every transcript's evidence.
    pub fn new(row: CallRow, analysis: Option<CallAnalysis>) -> Candidate {
        let analysis = analysis.map(|a| CallAnalysis {
            metrics: Default::default(),
            sentiment: Default::default(),
            flags: a
                .flags
                .into_iter()
                .map(|f| crate::analysis::flags::Flag {
                    evidence: Vec::new(),
                    detail: String::new(),
                    ..f
                })
                .collect(),
            results: a
                .results
                .into_iter()
                .map(|r| crate::analysis::rubric::RubricResult {
                    sections: Vec::new(),
                    // Which criteria were judged (the verdict sheet lists them), not why.
                    criteria: r
                        .criteria
                        .into_iter()
                        .map(|c| crate::analysis::rubric::CriterionResult {
                            title: String::new(),
                            section: String::new(),
                            evidence: Vec::new(),
                            coach: None,
                            ..c
                        })
                        .collect(),
                    ..r
                })
                .collect(),
        });
        Candidate { row, analysis }
    }

    pub fn score(&self, rubric: &str) -> Option<f64> {
        self.analysis
            .as_ref()?
            .results
            .iter()
            .find(|r| r.rubric_id == rubric)?
            .score
    }

    fn has_flag(&self, kind: &str) -> bool {
        self.analysis
            .as_ref()
            .is_some_and(|a| a.flags.iter().any(|f| f.kind.as_str() == kind))
    }

    fn critical(&self, rubric: &str) -> bool {
        self.analysis.as_ref().is_some_and(|a| {
            a.results
                .iter()
                .any(|r| r.rubric_id == rubric && r.critical_failed)
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stratify {
    Agent,
    Queue,
    ScoreBand,
}

/// A filter from `--where`: `flag=distress`, `agent=ChrisL`, `queue=billing`, `language=en`,
/// `critical=compliance`, `qa<60`, `etiquette>=90` (any rubric id with <, <=, >, >=, =).
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    Flag(String),
    Agent(String),
    Queue(String),
    Language(String),
    Critical(String),
    Score {
        rubric: String,
        op: String,
        value: f64,
    },
}

pub fn parse_filter(s: &str) -> Result<Filter, String> {
    for op in ["<=", ">=", "<", ">", "="] {
        if let Some((key, value)) = s.split_once(op) {
            let (key, value) = (key.trim(), value.trim());
            if key.is_empty() || value.is_empty() {
                break;
            }
            return Ok(match (key, op) {
                ("flag", "=") => Filter::Flag(value.into()),
                ("agent", "=") => Filter::Agent(value.into()),
                ("queue", "=") => Filter::Queue(value.into()),
                ("language", "=") => Filter::Language(value.to_ascii_lowercase()),
                ("critical", "=") => Filter::Critical(value.into()),
                (rubric, op) => Filter::Score {
                    rubric: rubric.into(),
                    op: op.into(),
                    value: value
                        .parse()
                        .map_err(|_| format!("{s:?}: {value:?} is not a number"))?,
                },
            });
        }
    }
    Err(format!(
        "{s:?}: expected flag=KIND, agent=ID, queue=NAME, language=CODE, critical=RUBRIC or RUBRIC<N (<, <=, >, >=, =)"
    ))
}

impl Filter {
    /// Whether the call passes this filter.
    pub fn keeps(&self, c: &Candidate) -> bool {
        match self {
            Filter::Flag(kind) => c.has_flag(kind),
            Filter::Agent(id) => c.row.agent_id == *id,
            Filter::Queue(q) => c.row.queue.as_deref() == Some(q.as_str()),
            Filter::Language(l) => c.row.language == *l,
            Filter::Critical(rubric) => c.critical(rubric),
            Filter::Score { rubric, op, value } => {
                c.score(rubric).is_some_and(|s| match op.as_str() {
                    "<" => s < *value,
                    "<=" => s <= *value,
                    ">" => s > *value,
                    ">=" => s >= *value,
                    _ => (s - value).abs() < 1e-9,
                })
            }
        }
    }
}

/// SplitMix64: a tiny, well-mixed generator; fixed here so samples never change with a crate
/// upgrade.
fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

fn key(seed: u64, call_id: &str) -> u64 {
    // FNV-1a of the id, mixed with the seed.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in call_id.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    splitmix(h ^ splitmix(seed))
}

fn band(score: Option<f64>) -> String {
    match score {
        None => "n/a".into(),
        Some(s) if s < 60.0 => "0-59".into(),
        Some(s) if s < 80.0 => "60-79".into(),
        Some(_) => "80-100".into(),
    }
}

/// Draws up to `n` calls. With strata, each gets a share proportional to its size (largest
/// remainders first), and every stratum at least one call when `n` allows.
pub fn draw(
    candidates: Vec<Candidate>,
    filters: &[Filter],
    n: usize,
    seed: u64,
    stratify: Option<Stratify>,
    band_rubric: &str,
) -> Vec<Candidate> {
    let mut kept: Vec<(u64, Candidate)> = candidates
        .into_iter()
        .filter(|c| filters.iter().all(|f| f.keeps(c)))
        .map(|c| (key(seed, &c.row.call_id), c))
        .collect();
    kept.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| a.1.row.call_id.cmp(&b.1.row.call_id))
    });
    let Some(how) = stratify else {
        return kept.into_iter().take(n).map(|(_, c)| c).collect();
    };
    let mut strata: BTreeMap<String, Vec<Candidate>> = BTreeMap::new();
    for (_, c) in kept {
        let stratum = match how {
            Stratify::Agent => c.row.agent_id.clone(),
            Stratify::Queue => c.row.queue.clone().unwrap_or_else(|| "(none)".into()),
            Stratify::ScoreBand => band(c.score(band_rubric)),
        };
        strata.entry(stratum).or_default().push(c);
    }
    let total: usize = strata.values().map(Vec::len).sum();
    let n = n.min(total);
    if n == 0 {
        return Vec::new();
    }
    // Proportional allocation, then at least one per stratum while calls remain to give.
    let mut shares: Vec<(String, usize, f64)> = strata
        .iter()
        .map(|(k, v)| {
            let exact = n as f64 * v.len() as f64 / total as f64;
            (k.clone(), exact.floor() as usize, exact - exact.floor())
        })
        .collect();
    let mut given: usize = shares.iter().map(|s| s.1).sum();
    if n >= shares.len() {
        for s in shares.iter_mut().filter(|s| s.1 == 0) {
            s.1 = 1;
            given += 1;
        }
    }
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|&a, &b| shares[b].2.total_cmp(&shares[a].2).then(a.cmp(&b)));
    let mut i = 0;
    while given < n && i < order.len() * 2 {
        let s = &mut shares[order[i % order.len()]];
        if s.1 < strata[&s.0].len() {
            s.1 += 1;
            given += 1;
        }
        i += 1;
    }
    while given > n {
        // Minimums overshot: take back from the largest shares.
        if let Some(s) = shares.iter_mut().filter(|s| s.1 > 1).max_by_key(|s| s.1) {
            s.1 -= 1;
            given -= 1;
        } else {
            break;
        }
    }
    let mut out = Vec::with_capacity(n);
    for (stratum, take, _) in shares {
        if let Some(calls) = strata.remove(&stratum) {
            out.extend(calls.into_iter().take(take));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(i: usize, agent: &str) -> Candidate {
        Candidate {
            row: CallRow {
                call_id: format!("{i:064x}"),
                path: format!("c{i}.wav"),
                agent_id: agent.into(),
                customer_id: None,
                started_at: None,
                queue: None,
                direction: None,
                transcribed_at: "2026-11-22".into(),
                topic: None,
                language: if i.is_multiple_of(4) { "he" } else { "en" }.into(),
                external_id: None,
            },
            analysis: None,
        }
    }

    fn ids(v: &[Candidate]) -> Vec<String> {
        v.iter().map(|c| c.row.call_id.clone()).collect()
    }

    #[test]
    fn same_seed_same_sample_and_new_calls_disturb_little() {
        let calls: Vec<Candidate> = (0..200).map(|i| candidate(i, "a")).collect();
        let a = draw(calls.clone(), &[], 10, 42, None, "qa");
        let b = draw(
            calls.iter().rev().cloned().collect(),
            &[],
            10,
            42,
            None,
            "qa",
        );
        assert_eq!(ids(&a), ids(&b), "order of the input does not matter");
        assert_ne!(ids(&a), ids(&draw(calls.clone(), &[], 10, 43, None, "qa")));
        let mut more = calls.clone();
        more.extend((200..210).map(|i| candidate(i, "a")));
        let c = draw(more, &[], 10, 42, None, "qa");
        let kept = ids(&a).iter().filter(|id| ids(&c).contains(id)).count();
        assert!(kept >= 8, "adding 5 % more calls kept {kept} of 10");
    }

    #[test]
    fn strata_get_proportional_shares_and_at_least_one() {
        let mut calls: Vec<Candidate> = (0..90).map(|i| candidate(i, "big")).collect();
        calls.extend((90..99).map(|i| candidate(i, "mid")));
        calls.push(candidate(99, "tiny"));
        let s = draw(calls, &[], 10, 7, Some(Stratify::Agent), "qa");
        let count = |a: &str| s.iter().filter(|c| c.row.agent_id == a).count();
        assert_eq!(s.len(), 10);
        assert_eq!((count("big"), count("mid"), count("tiny")), (8, 1, 1));
    }

    #[test]
    fn a_candidate_keeps_what_sampling_reads_and_drops_the_evidence() {
        let evidence = crate::transcript::Evidence {
            speaker: None,
            start: 0.0,
            end: 1.0,
            quote: "a long quote".into(),
        };
        let analysis = CallAnalysis {
            metrics: crate::analysis::metrics::CallMetrics {
                duration_s: 60.0,
                ..Default::default()
            },
            sentiment: Default::default(),
            flags: vec![crate::analysis::flags::Flag {
                kind: crate::analysis::flags::FlagKind::Distress,
                detail: "said so".into(),
                at: Some(1.0),
                evidence: vec![evidence.clone()],
                of_call: None,
            }],
            results: vec![crate::analysis::rubric::RubricResult {
                rubric_id: "qa".into(),
                title: "QA".into(),
                version: 1,
                hash: "h".into(),
                score: Some(42.0),
                critical_failed: true,
                sections: vec![],
                criteria: vec![crate::analysis::rubric::CriterionResult {
                    id: "c".into(),
                    title: "C".into(),
                    section: "s".into(),
                    result: crate::analysis::rubric::CriterionVerdict::Fail,
                    points: 0.0,
                    max_points: 1.0,
                    critical: true,
                    evidence: vec![evidence],
                    coach: Some("tip".into()),
                }],
            }],
        };
        let c = Candidate::new(candidate(1, "a").row, Some(analysis));
        assert_eq!(c.score("qa"), Some(42.0));
        assert!(c.critical("qa") && c.has_flag("distress"));
        let kept = c.analysis.unwrap();
        // The verdict sheet needs each criterion's id; its evidence and tip are dropped.
        let criterion = &kept.results[0].criteria[0];
        assert_eq!(
            (criterion.id.as_str(), criterion.result),
            ("c", crate::analysis::rubric::CriterionVerdict::Fail)
        );
        assert!(criterion.evidence.is_empty() && criterion.coach.is_none());
        assert!(kept.flags[0].evidence.is_empty());
        assert_eq!(kept.metrics.duration_s, 0.0);
    }

    #[test]
    fn filters_parse_and_apply() {
        assert_eq!(
            parse_filter("flag=distress"),
            Ok(Filter::Flag("distress".into()))
        );
        assert_eq!(
            parse_filter("qa<60"),
            Ok(Filter::Score {
                rubric: "qa".into(),
                op: "<".into(),
                value: 60.0
            })
        );
        assert!(parse_filter("qa<lots").is_err());
        assert!(parse_filter("nonsense").is_err());
        let calls: Vec<Candidate> = (0..20)
            .map(|i| candidate(i, if i % 2 == 0 { "x" } else { "y" }))
            .collect();
        let s = draw(
            calls,
            &[parse_filter("agent=x").unwrap()],
            50,
            1,
            None,
            "qa",
        );
        assert_eq!(s.len(), 10);
        assert!(s.iter().all(|c| c.row.agent_id == "x"));
        let calls: Vec<Candidate> = (0..20).map(|i| candidate(i, "x")).collect();
        let he = draw(
            calls,
            &[parse_filter("language=HE").unwrap()],
            50,
            1,
            None,
            "qa",
        );
        assert_eq!(he.len(), 5);
        assert!(he.iter().all(|c| c.row.language == "he"));
    }
}
