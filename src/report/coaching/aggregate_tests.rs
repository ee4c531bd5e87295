//! Aggregation from rows built by hand: no store, no SQLite.

use super::*;
use crate::store::coaching::{PeriodCall, PeriodScore};
use crate::transcript::Speaker;

fn day(s: &str) -> Day {
    s.parse().unwrap()
}

fn call(id: &str, agent: &str, customer: Option<&str>, day: &str) -> PeriodCall {
    PeriodCall {
        call_id: id.into(),
        agent_id: agent.into(),
        customer_id: customer.map(Into::into),
        day: day.into(),
        started_at: Some(format!("{day}T09:00:00Z")),
        duration_s: 120.0,
        external_id: None,
    }
}

fn ev(start: f64, quote: &str) -> Evidence {
    Evidence {
        speaker: Some(Speaker::Customer),
        start,
        end: start + 2.0,
        quote: quote.into(),
    }
}

fn verdict(call: &str, criterion: &str, result: &str) -> PeriodCriterion {
    PeriodCriterion {
        call_id: call.into(),
        rubric_id: "qa".into(),
        criterion_id: criterion.into(),
        title: criterion.to_uppercase(),
        result: result.into(),
        critical: false,
        evidence: vec![ev(1.0, &format!("{criterion} in {call}"))],
        coach: Some(format!("coach {criterion}")),
    }
}

fn score(call: &str, rubric: &str, score: Option<f64>) -> PeriodScore {
    PeriodScore {
        call_id: call.into(),
        rubric_id: rubric.into(),
        rubric_title: rubric.to_uppercase(),
        score,
        critical_failed: false,
    }
}

fn flag(call: &str, kind: FlagKind, at_s: f64) -> PeriodFlag {
    PeriodFlag {
        call_id: call.into(),
        kind,
        detail: format!("{kind} detail"),
        at_s: Some(at_s),
        of_call: None,
        evidence: vec![ev(at_s, "I cannot go on."), ev(at_s + 5.0, "Really.")],
    }
}

fn period() -> Period {
    Period::of(day("2026-03-01"), day("2026-03-07"))
}

#[test]
fn weakest_and_strongest_never_share_a_criterion_and_all_keeps_what_applied() {
    let rows = [
        verdict("c1", "greet", "pass"),
        verdict("c2", "greet", "fail"),
        verdict("c1", "empathy", "fail"),
        verdict("c2", "empathy", "fail"),
        verdict("c1", "hold", "na"),
        verdict("c1", "thanks", "pass"),
    ];
    let refs: Vec<&PeriodCriterion> = rows.iter().collect();
    let stats = criterion_stats(&refs, &Labels::default());
    let ids =
        |v: &[CriterionStat]| -> Vec<String> { v.iter().map(|c| c.criterion_id.clone()).collect() };
    assert_eq!(ids(&stats.weakest), ["empathy", "greet"]);
    // greet passed once too, but it is already a focus area.
    assert_eq!(ids(&stats.strongest), ["thanks"]);
    // hold never applied (only n/a): no pass rate, not listed.
    assert_eq!(ids(&stats.all), ["empathy", "greet", "thanks"]);
    assert_eq!(stats.weakest[0].quotes.len(), 2);
    assert_eq!(stats.weakest[0].coach.as_deref(), Some("coach empathy"));
    assert!(stats.all.iter().all(|c| c.quotes.is_empty()));
}

#[test]
fn distress_lists_every_flag_with_its_loaded_next_words() {
    let data = PeriodData {
        calls: vec![
            call("c1", "alice", None, "2026-03-02"),
            call("c2", "alice", None, "2026-03-03"),
            call("c3", "bob", None, "2026-03-03"),
        ],
        criteria: vec![verdict("c1", "distress_response", "pass")],
        flags: vec![
            flag("c1", FlagKind::Distress, 10.0),
            flag("c2", FlagKind::PossibleDistress, 20.0),
            flag("c3", FlagKind::Distress, 30.0),
            flag("c1", FlagKind::RepeatCall, 0.0),
        ],
        ..Default::default()
    };
    assert_eq!(flag_end(&data.flags[0]), 17.0);
    let mut next = NextWords::new();
    next.insert(0, ev(18.0, "Are you safe?"));
    let s = summary(
        &period(),
        &data,
        &PeriodData::default(),
        Some("alice"),
        &next,
    );
    assert_eq!(s.distress.len(), 1, "bob's call is not alice's");
    let d = &s.distress[0];
    assert_eq!(
        (d.day.as_str(), d.agent_id.as_str()),
        ("2026-03-02", "alice")
    );
    assert_eq!(d.response.as_deref(), Some("pass"));
    assert_eq!(d.quotes.len(), 2);
    assert_eq!(
        d.next_agent_utterance.as_ref().map(|q| q.quote.as_str()),
        Some("Are you safe?")
    );
    assert_eq!(s.possible_distress.len(), 1);
    assert_eq!(s.possible_distress[0].response, None);
    assert_eq!(s.possible_distress[0].next_agent_utterance, None);
}

#[test]
fn means_trend_and_first_contact_resolution_from_rows() {
    let data = PeriodData {
        calls: vec![
            call("c1", "alice", Some("K1"), "2026-03-01"),
            call("c2", "alice", Some("K1"), "2026-03-03"),
            call("c3", "alice", None, "2026-03-03"),
            call("c4", "bob", Some("K2"), "2026-03-04"),
        ],
        scores: vec![
            score("c1", "qa", Some(60.0)),
            score("c1", "compliance", Some(100.0)),
            score("c2", "qa", Some(90.0)),
            score("c2", "compliance", None),
            score("c4", "qa", Some(50.0)),
        ],
        flags: vec![
            flag("c1", FlagKind::UnresolvedFirstContact, 0.0),
            flag("c2", FlagKind::RepeatCall, 0.0),
        ],
        ..Default::default()
    };
    let previous = PeriodData {
        calls: vec![call("p1", "alice", None, "2026-02-25")],
        scores: vec![score("p1", "qa", Some(70.0))],
        ..Default::default()
    };
    let s = summary(
        &period(),
        &data,
        &previous,
        Some("alice"),
        &NextWords::new(),
    );
    assert_eq!((s.calls, s.scored_calls), (3, 2));
    // c1: (60 + 100) / 2 = 80; c2: 90 (its null compliance score left out).
    assert_eq!(s.mean_score, Some(85.0));
    assert_eq!(s.previous_mean_score, Some(70.0));
    let qa = s.rubrics.iter().find(|r| r.rubric_id == "qa").unwrap();
    assert_eq!((qa.mean, qa.trend), (Some(75.0), Some(5.0)));
    // Two calls with a known customer, one unresolved; c3's customer is unknown.
    assert_eq!(s.repeat.calls_with_customer, 2);
    assert_eq!(s.repeat.fcr_rate, Some(0.5));
    assert_eq!(s.repeat.repeat_call_rate, Some(1.0 / 3.0));
    assert_eq!(s.trend.bucket, "day");
    let qa_trend = s.trend.series.iter().find(|t| t.rubric_id == "qa").unwrap();
    assert_eq!(qa_trend.points.len(), 7);
    assert_eq!(qa_trend.points[0].mean, Some(60.0));
    assert_eq!(qa_trend.points[2].mean, Some(90.0));
    assert_eq!(qa_trend.points[1].calls, 0);

    let board = leaderboard(&data);
    let ranked: Vec<(&str, usize)> = board
        .iter()
        .map(|r| (r.agent_id.as_str(), r.rank))
        .collect();
    assert_eq!(ranked, [("alice", 1), ("bob", 2)]);
}
