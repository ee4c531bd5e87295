use super::*;
use crate::analysis::flags::{Flag, FlagKind};
use crate::analysis::metrics::CallMetrics;
use crate::analysis::rubric::{CriterionResult, CriterionVerdict, RubricResult, RubricSet};
use crate::analysis::CallAnalysis;
use crate::transcript::{RoleSource, SourceAudio, Speaker, Transcript, Utterance};

fn day(s: &str) -> Day {
    s.parse().unwrap()
}

fn rubrics() -> RubricSet {
    let mut set = RubricSet::default();
    for (file, id) in [("qa.yaml", "qa"), ("compliance.yaml", "compliance")] {
        set.add_source(
            file,
            &format!(
                "id: {id}\ntitle: {id} rubric\nversion: 1\nsections:\n  - id: s\n    title: S\n    criteria:\n      - id: x\n        title: X\n        check: {{phrase: {{any_of: [hello]}}}}\n"
            ),
        )
        .unwrap();
    }
    set
}

fn utterance(speaker: Speaker, start: f64, text: &str) -> Utterance {
    Utterance {
        speaker,
        channel: usize::from(speaker == Speaker::Customer),
        start,
        end: start + 2.0,
        text: text.into(),
        words: vec![],
        avg_logprob: -0.2,
        no_speech_prob: 0.01,
    }
}

fn ev(speaker: Speaker, start: f64, quote: &str) -> Evidence {
    Evidence {
        speaker: Some(speaker),
        start,
        end: start + 2.0,
        quote: quote.into(),
    }
}

fn criterion(id: &str, verdict: CriterionVerdict, quote: &str) -> CriterionResult {
    CriterionResult {
        id: id.into(),
        title: format!("Title of {id}"),
        section: "s".into(),
        result: verdict,
        points: 0.0,
        max_points: 5.0,
        critical: id == "disclosure",
        evidence: if quote.is_empty() {
            vec![]
        } else {
            vec![ev(Speaker::Agent, 65.0, quote)]
        },
        coach: Some(format!("Coach {id}.")),
    }
}

struct Call<'a> {
    id: &'a str,
    agent: &'a str,
    customer: Option<&'a str>,
    started: &'a str,
    qa: Option<f64>,
    compliance: Option<f64>,
    criteria: Vec<CriterionResult>,
    flags: Vec<Flag>,
}

fn add(store: &mut Store, set: &RubricSet, c: Call) {
    let t = Transcript {
        names: Vec::new(),
        call_id: c.id.into(),
        source: SourceAudio {
            path: format!("{}.wav", c.id),
            codec: "pcm".into(),
            sample_rate: 8000,
            channels: 2,
            duration_s: 120.0,
        },
        roles: RoleSource::Mapped,
        language: "en".into(),
        language_source: Default::default(),
        model: "tiny".into(),
        utterances: vec![
            utterance(Speaker::Agent, 0.0, "Hello, thanks for calling."),
            utterance(Speaker::Customer, 10.0, "I feel hopeless."),
            utterance(Speaker::Agent, 13.0, "I am sorry. Are you safe right now?"),
        ],
        warnings: vec![],
    };
    let result = |rubric: usize, score: Option<f64>, criteria: Vec<CriterionResult>| {
        let r = &set.rubrics[rubric];
        RubricResult {
            rubric_id: r.id.clone(),
            title: r.title.clone(),
            version: r.version,
            hash: r.hash.clone(),
            score,
            critical_failed: criteria
                .iter()
                .any(|c| c.critical && c.result == CriterionVerdict::Fail),
            sections: vec![],
            criteria,
        }
    };
    let (compliance, qa): (Vec<_>, Vec<_>) = c
        .criteria
        .into_iter()
        .partition(|k| k.id.starts_with("comp_"));
    let a = CallAnalysis {
        metrics: CallMetrics {
            duration_s: 120.0,
            agent_talk_s: 60.0,
            customer_talk_s: 20.0,
            hold_count: 1,
            agent_wpm: 150.0,
            ..Default::default()
        },
        sentiment: Default::default(),
        flags: c.flags,
        results: vec![result(0, c.qa, qa), result(1, c.compliance, compliance)],
    };
    store.save_call(&t, &a).unwrap();
    store
        .set_metadata(
            c.id,
            &crate::transcript::meta::CallMeta {
                agent_id: Some(c.agent.into()),
                customer_id: c.customer.map(Into::into),
                started_at: Some(c.started.into()),
                ..Default::default()
            },
        )
        .unwrap();
}

fn flag(kind: FlagKind, of_call: Option<&str>) -> Flag {
    Flag {
        kind,
        detail: format!("{kind} <detail>"),
        at: Some(10.0),
        evidence: vec![ev(Speaker::Customer, 10.0, "I feel hopeless.")],
        of_call: of_call.map(Into::into),
    }
}

/// alice: three calls in March (one unscored qa, one distress), one in February; bob: two in
/// March.
fn fixture() -> Store {
    use CriterionVerdict::*;
    let mut store = Store::open_in_memory().unwrap();
    let set = rubrics();
    store.register_rubrics(&set.rubrics).unwrap();
    let calls = vec![
        Call {
            id: "a0aaaaaaaaaaaaaaaa",
            agent: "alice",
            customer: Some("C1"),
            started: "2026-02-20T09:00:00Z",
            qa: Some(50.0),
            compliance: Some(100.0),
            criteria: vec![criterion("greet", Fail, "yo")],
            flags: vec![],
        },
        Call {
            id: "a1aaaaaaaaaaaaaaaa",
            agent: "alice",
            customer: Some("C1"),
            started: "2026-03-02T09:00:00Z",
            qa: Some(80.0),
            compliance: Some(100.0),
            criteria: vec![
                criterion("greet", Pass, "Hello, thanks for calling."),
                criterion("empathy", Fail, "Whatever <b>."),
                criterion("hold", Pass, "May I place you on hold?"),
                criterion("thanks", Pass, "Thanks!"),
                criterion("comp_disclose", Fail, "no disclosure"),
            ],
            flags: vec![flag(
                FlagKind::UnresolvedFirstContact,
                Some("a2aaaaaaaaaaaaaaaa"),
            )],
        },
        Call {
            id: "a2aaaaaaaaaaaaaaaa",
            agent: "alice",
            customer: Some("C1"),
            started: "2026-03-10T09:00:00Z",
            qa: None,
            compliance: Some(60.0),
            criteria: vec![
                criterion("greet", Pass, "Good morning."),
                criterion("empathy", Fail, "Not my problem."),
                criterion("hold", Na, ""),
                criterion("thanks", Pass, "Thank you."),
                criterion("disclosure", Fail, "no disclosure"),
            ],
            flags: vec![
                flag(FlagKind::RepeatCall, Some("a1aaaaaaaaaaaaaaaa")),
                flag(FlagKind::PossibleDistress, None),
            ],
        },
        Call {
            id: "a3aaaaaaaaaaaaaaaa",
            agent: "alice",
            customer: None,
            started: "2026-03-25T09:00:00Z",
            qa: Some(90.0),
            compliance: Some(70.0),
            criteria: vec![
                criterion("greet", Pass, "Hi."),
                criterion("empathy", Pass, "I am sorry."),
                criterion("thanks", Fail, "bye"),
                criterion("comp_distress_response", Pass, "Are you safe right now?"),
            ],
            flags: vec![flag(FlagKind::Distress, None)],
        },
        Call {
            id: "b1bbbbbbbbbbbbbbbb",
            agent: "bob",
            customer: Some("C9"),
            started: "2026-03-05T09:00:00Z",
            qa: Some(100.0),
            compliance: Some(100.0),
            criteria: vec![criterion("greet", Pass, "Hello.")],
            flags: vec![],
        },
        Call {
            id: "c1cccccccccccccccc",
            agent: "carol",
            customer: None,
            started: "2026-03-06T09:00:00Z",
            qa: None,
            compliance: None,
            criteria: vec![],
            flags: vec![],
        },
    ];
    for c in calls {
        add(&mut store, &set, c);
    }
    store
}

#[test]
fn dates_round_trip_and_reject_non_days() {
    for d in ["1970-01-01", "2024-02-29", "2026-03-01", "1999-12-31"] {
        assert_eq!(day(d).to_string(), d);
    }
    assert_eq!(day("1970-01-02").number(), 1);
    for bad in [
        "2025-02-29",
        "2026-13-01",
        "2026-1-01",
        "nope",
        "2026-04-31",
    ] {
        assert!(bad.parse::<Day>().is_err(), "{bad}");
    }
    let p = Period::of(day("2026-03-01"), day("2026-03-30"));
    assert_eq!(p.days, 30);
    let prev = p.previous();
    assert_eq!((prev.from, prev.to), (day("2026-01-30"), day("2026-02-28")));
    assert_eq!(prev.days, 30);
}

#[test]
fn default_period_is_thirty_days_ending_at_the_newest_call() {
    let store = fixture();
    let p = Period::resolve(&store, None, None).unwrap();
    assert_eq!(
        (p.from, p.to, p.days),
        (day("2026-02-24"), day("2026-03-25"), 30)
    );
    assert!(Period::resolve(&store, Some(day("2026-03-10")), Some(day("2026-03-01"))).is_err());
    let empty = Store::open_in_memory().unwrap();
    assert!(matches!(
        Period::resolve(&empty, None, None),
        Err(CoachingError::Empty)
    ));
}

#[test]
fn agent_report_figures() {
    let store = fixture();
    let r = agent_report(
        &store,
        "alice",
        Some(day("2026-03-01")),
        Some(day("2026-03-30")),
    )
    .unwrap();
    let s = &r.summary;
    assert_eq!(s.calls, 3);
    // a2's qa score is NULL: left out of the qa mean, its compliance score still counts.
    let qa = s.rubrics.iter().find(|x| x.rubric_id == "qa").unwrap();
    assert_eq!((qa.calls_scored, qa.mean), (2, Some(85.0)));
    assert_eq!(qa.previous_mean, Some(50.0));
    assert_eq!(qa.trend, Some(35.0));
    let comp = s
        .rubrics
        .iter()
        .find(|x| x.rubric_id == "compliance")
        .unwrap();
    assert!((comp.mean.unwrap() - 230.0 / 3.0).abs() < 1e-9);
    assert_eq!((comp.critical_failures, qa.critical_failures), (0, 1));
    // Per-call means: a1 90, a2 60, a3 80 → 76.67.
    assert!((s.mean_score.unwrap() - 230.0 / 3.0).abs() < 1e-9);
    assert_eq!(s.previous_mean_score, Some(75.0));

    // Never passed (ties broken by rubric and id), then empathy 1/3 before thanks 2/3.
    let weak: Vec<&str> = s.weakest.iter().map(|c| c.criterion_id.as_str()).collect();
    assert_eq!(weak, ["comp_disclose", "disclosure", "empathy"]);
    let empathy = &s.weakest[2];
    assert_eq!((empathy.pass, empathy.fail, empathy.na), (1, 2, 0));
    assert_eq!(empathy.coach.as_deref(), Some("Coach empathy."));
    let quotes: Vec<(&str, &str)> = empathy
        .quotes
        .iter()
        .map(|q| (q.call_id.as_str(), q.quote.as_str()))
        .collect();
    assert_eq!(
        quotes,
        [
            ("a1aaaaaaaaaa", "Whatever <b>."),
            ("a2aaaaaaaaaa", "Not my problem.")
        ]
    );
    assert_eq!(empathy.quotes[0].at, "1:05");
    // greet 3/3 is the strongest, quotes from passing results.
    assert_eq!(s.strongest[0].criterion_id, "greet");
    assert_eq!(s.strongest[0].quotes.len(), 2);
    assert!(s
        .strongest
        .iter()
        .all(|c| !weak.contains(&c.criterion_id.as_str())));
    // hold: one pass and one N/A → 100 %.
    let hold = s
        .criteria
        .iter()
        .find(|c| c.criterion_id == "hold")
        .unwrap();
    assert_eq!((hold.pass_rate, hold.na), (Some(1.0), 1));

    // Repeat calls and FCR: a2 is a repeat; a1 (known customer) is unresolved; a3 has no customer.
    assert_eq!((s.repeat.repeat_calls, s.repeat.calls), (1, 3));
    assert_eq!(s.repeat.calls_with_customer, 2);
    assert_eq!(s.repeat.fcr_rate, Some(0.5));

    assert_eq!(s.compliance_misses.len(), 1);
    assert_eq!(s.compliance_misses[0].criterion_id, "comp_disclose");
    assert_eq!(s.critical_calls.len(), 1);
    assert_eq!(s.critical_calls[0].call_id, "a2aaaaaaaaaa");

    assert_eq!(s.distress.len(), 1);
    assert_eq!(s.possible_distress.len(), 1);
    assert_eq!(s.possible_distress[0].call_id, "a2aaaaaaaaaa");
    assert_eq!(s.possible_distress[0].quotes[0].quote, "I feel hopeless.");
    let d = &s.distress[0];
    assert_eq!(d.call_id, "a3aaaaaaaaaa");
    assert_eq!(
        d.response, None,
        "the criterion is comp_distress_response, not distress_response"
    );
    assert_eq!(
        d.next_agent_utterance.as_ref().map(|q| q.quote.as_str()),
        Some("I am sorry. Are you safe right now?")
    );

    assert_eq!(s.metrics.avg_handle_time_s, Some(120.0));
    assert_eq!(s.metrics.agent_talk_share, Some(0.75));
    assert_eq!(s.metrics.avg_hold_count, Some(1.0));

    // bob 100 is first, alice second; carol has no scored call.
    assert_eq!((r.rank, r.ranked_agents), (Some(2), 2));
    // Daily trend, one point per day of the period.
    assert_eq!(s.trend.bucket, "day");
    assert_eq!(s.trend.series[0].points.len(), 30);
}

#[test]
fn team_report_leaderboard_and_unknown_agent() {
    let store = fixture();
    let t = team_report(&store, Some(day("2026-03-01")), Some(day("2026-03-30"))).unwrap();
    assert_eq!(t.agents, 3);
    assert_eq!(t.summary.calls, 5);
    let board: Vec<(usize, &str)> = t
        .leaderboard
        .iter()
        .map(|r| (r.rank, r.agent_id.as_str()))
        .collect();
    assert_eq!(board, [(1, "bob"), (2, "alice")]);
    assert_eq!(t.leaderboard[0].fcr_rate, Some(1.0));
    let err = agent_report(
        &store,
        "nobody",
        Some(day("2026-03-01")),
        Some(day("2026-03-30")),
    )
    .unwrap_err();
    assert!(matches!(err, CoachingError::AgentNotFound { .. }), "{err}");
    // alice's February call is outside March.
    let t = team_report(&store, Some(day("2026-01-01")), Some(day("2026-06-30"))).unwrap();
    assert_eq!(t.summary.trend.bucket, "week");
}

#[test]
fn every_format_puts_distress_first_and_is_stored() {
    let store = fixture();
    for format in [Format::Md, Format::Html, Format::Json] {
        let g = generate_agent(
            &store,
            "alice",
            Some(day("2026-03-01")),
            Some(day("2026-03-30")),
            format,
        )
        .unwrap();
        let distress = g.body.find("distress").unwrap();
        let possible = g.body.find("possible_distress").unwrap();
        assert!(distress < possible, "{format:?}: possible distress first");
        for later in ["Scores by rubric", "Focus areas", "\"rubrics\""] {
            if let Some(at) = g.body.find(later) {
                assert!(distress < at, "{format:?}: distress after {later}");
                assert!(possible < at, "{format:?}: possible distress after {later}");
            }
        }
        assert!(g.report_id > 0);
    }
    let g = generate_team(&store, None, None, Format::Html).unwrap();
    assert!(g.body.contains("<svg") && g.body.contains("<polyline"));
    assert!(!g.body.contains("<script") && !g.body.contains("http"));
    // Database strings are escaped; quotes carry their direction.
    assert!(g.body.contains("Whatever &lt;b&gt;.") && !g.body.contains("<b>."));
    assert!(g.body.contains("distress &lt;detail&gt;"));
    assert!(g
        .body
        .contains(r#"<span class="q" dir="auto">I feel hopeless.</span>"#));
    let md = generate_team(&store, None, None, Format::Md).unwrap().body;
    assert!(md.contains("| 1 | bob |"), "{md}");
    let rows = store.coaching_reports().unwrap();
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[0].2, "team");
    assert_eq!(rows[0].3, None);
    assert_eq!(rows[4].3.as_deref(), Some("alice"));
    assert_eq!(
        (rows[4].4.as_str(), rows[4].5.as_str()),
        ("2026-03-01", "2026-03-30")
    );
}

#[test]
fn weakest_ties_put_more_fails_first_and_null_scores_are_left_out() {
    use CriterionVerdict::*;
    let mut store = Store::open_in_memory().unwrap();
    let set = rubrics();
    store.register_rubrics(&set.rubrics).unwrap();
    for (id, day, second) in [
        ("d1dddddddddddddd", "2026-05-01", Fail),
        ("d2dddddddddddddd", "2026-05-02", Na),
    ] {
        add(
            &mut store,
            &set,
            Call {
                id,
                agent: "dave",
                customer: None,
                started: day,
                qa: None,
                compliance: None,
                criteria: vec![
                    criterion("b_more", Fail, "x"),
                    criterion("a_less", second, "y"),
                ],
                flags: vec![],
            },
        );
    }
    let r = agent_report(&store, "dave", None, None).unwrap();
    let weak: Vec<&str> = r
        .summary
        .weakest
        .iter()
        .map(|c| c.criterion_id.as_str())
        .collect();
    assert_eq!(weak, ["b_more", "a_less"]);
    assert!(r.summary.strongest.is_empty());
    // Nothing scored: no mean, no rank, still a report.
    assert_eq!(
        (r.summary.mean_score, r.rank, r.ranked_agents),
        (None, None, 0)
    );
    assert!(r
        .summary
        .rubrics
        .iter()
        .all(|x| x.mean.is_none() && x.trend.is_none()));
    assert_eq!(r.summary.repeat.fcr_rate, None);
    let md = render_agent(&r, Format::Md).unwrap();
    assert!(md.contains("unranked"), "{md}");
    render_agent(&r, Format::Html).unwrap();
}

#[test]
fn right_to_left_quotes_are_marked_by_their_letters_not_their_first_word() {
    use super::html::direction_attrs;
    // Opens with an English word and a number: dir="auto" would set it left-to-right.
    assert_eq!(
        direction_attrs("OK, 250 שקל הוחזרו לכרטיס שלך"),
        r#" dir="rtl" lang="he""#
    );
    assert_eq!(
        direction_attrs("Visa ٤٥٣٢ تم الدفع بالبطاقة"),
        r#" dir="rtl" lang="ar""#
    );
    assert_eq!(
        direction_attrs("The refund, תודה, is done today"),
        r#" dir="ltr""#
    );
    assert_eq!(direction_attrs("Спасибо"), r#" dir="auto""#);
    assert_eq!(direction_attrs("4532"), r#" dir="auto""#);
}

#[test]
fn markdown_shows_stored_text_literally() {
    let mut store = fixture();
    let set = rubrics();
    let agent = "<script>alert(1)</script>\u{1b}]0;owned\u{7}[x](javascript:y)";
    add(
        &mut store,
        &set,
        Call {
            id: "e1eeeeeeeeeeeeeeee",
            agent,
            customer: None,
            started: "2026-03-07T09:00:00Z",
            qa: Some(40.0),
            compliance: None,
            criteria: vec![criterion(
                "empathy",
                CriterionVerdict::Fail,
                "<img src=x onerror=alert(1)> & `rm` | *x*",
            )],
            flags: vec![],
        },
    );
    let md = generate_agent(
        &store,
        agent,
        Some(day("2026-03-01")),
        Some(day("2026-03-30")),
        Format::Md,
    )
    .unwrap()
    .body;
    for raw in ["<script", "<img", "\u{1b}", "\u{7}", "[x](", "<b>"] {
        assert!(!md.contains(raw), "{raw:?} reached the Markdown:\n{md}");
    }
    assert!(md.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{md}");
    assert!(
        md.contains("&lt;img src=x onerror=alert(1)&gt; &amp; \\`rm\\` \\| \\*x\\*"),
        "{md}"
    );
    let alice = generate_agent(
        &store,
        "alice",
        Some(day("2026-03-01")),
        Some(day("2026-03-30")),
        Format::Md,
    )
    .unwrap()
    .body;
    assert!(alice.contains("Whatever &lt;b&gt;."), "{alice}");
    // Plain ids and tips read as before.
    let team = generate_team(&store, None, None, Format::Md).unwrap().body;
    assert!(team.contains("| 1 | bob |"), "{team}");
}

#[test]
fn the_default_period_ignores_starts_that_are_no_day_or_far_ahead() {
    let mut store = fixture();
    let set = rubrics();
    for (id, started) in [
        ("f1ffffffffffffffff", "next tuesday"),
        ("f2ffffffffffffffff", "2205-03-01T09:00:00Z"),
        ("f3ffffffffffffffff", "2026-02-30T09:00:00Z"),
    ] {
        add(
            &mut store,
            &set,
            Call {
                id,
                agent: "alice",
                customer: None,
                started,
                qa: Some(10.0),
                compliance: None,
                criteria: vec![],
                flags: vec![],
            },
        );
    }
    let today = day("2026-12-02");
    assert_eq!(
        store.newest_call_day_until(today.plus(1)).unwrap(),
        Some(day("2026-03-25"))
    );
    // Against the real clock too (any day from 2026-03-25 to 2205).
    let p = Period::resolve(&store, None, None).unwrap();
    assert_eq!((p.from, p.to), (day("2026-02-24"), day("2026-03-25")));
    // The call on no calendar day sorts into February's text range but is in no trend bucket.
    let r = team_report(&store, Some(day("2026-02-01")), Some(day("2026-03-30"))).unwrap();
    let calls_in_trend: usize = r.summary.trend.series[0]
        .points
        .iter()
        .map(|p| p.calls)
        .sum();
    assert_eq!(r.summary.calls, 7, "f3 is in the period by its text");
    assert!(calls_in_trend < r.summary.calls);
}

#[test]
fn dates_are_read_by_one_strict_parser() {
    for bad in [
        "2025-13-45",
        "2025-02-29",
        "2026-04-31",
        "2026-00-10",
        "2026-1-01",
    ] {
        assert!(crate::transcript::meta::parse_day(bad).is_none(), "{bad}");
        assert!(bad.parse::<Day>().is_err(), "{bad}");
        assert!(
            crate::transcript::meta::parse_timestamp(&format!("{bad}T10:00:00Z")).is_none(),
            "{bad}"
        );
    }
    assert_eq!(
        crate::transcript::meta::parse_day("2024-02-29"),
        Some(19_782)
    );
}
