use super::*;
use crate::analysis::rubric::{CriterionResult, RubricResult};
use crate::transcript::Speaker;
use CriterionVerdict::{Fail, Na, Pass};

fn confusion(pairs: &[(CriterionVerdict, CriterionVerdict, u64)]) -> Confusion {
    let mut c = Confusion::default();
    for &(h, q, times) in pairs {
        for _ in 0..times {
            c.add(h, q);
        }
    }
    c
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-12)
}

#[test]
fn agreement_and_kappa_equal_a_hand_computation() {
    // human \ callqa   pass fail na   row
    //   pass             4    1   0     5
    //   fail             1    2   0     3
    //   na               0    0   2     2
    //   column           5    3   2    n = 10
    // po = (4 + 2 + 2) / 10 = 0.8
    // pe = 5/10·5/10 + 3/10·3/10 + 2/10·2/10 = 0.25 + 0.09 + 0.04 = 0.38
    // kappa = (0.8 − 0.38) / (1 − 0.38) = 0.42 / 0.62 = 21/31 = 0.677419…
    let c = confusion(&[
        (Pass, Pass, 4),
        (Pass, Fail, 1),
        (Fail, Pass, 1),
        (Fail, Fail, 2),
        (Na, Na, 2),
    ]);
    assert_eq!(c.counts, [[4, 1, 0], [1, 2, 0], [0, 0, 2]]);
    assert_eq!(c.n(), 10);
    assert!(close(c.agreement(), 0.8));
    assert!(close(c.kappa(), 21.0 / 31.0), "{:?}", c.kappa());
}

#[test]
fn kappa_is_minus_one_for_systematic_disagreement_and_zero_for_chance() {
    // human pass / callqa fail ×2, human fail / callqa pass ×2: po = 0; both raters say pass
    // half the time and fail half: pe = 0.5·0.5 + 0.5·0.5 = 0.5; kappa = (0 − 0.5) / 0.5 = −1.
    let c = confusion(&[(Pass, Fail, 2), (Fail, Pass, 2)]);
    assert!(close(c.agreement(), 0.0));
    assert!(close(c.kappa(), -1.0));
    // The human says pass on all 4; callqa pass on 3, fail on 1: po = 0.75;
    // pe = 1·0.75 + 0·0.25 = 0.75; kappa = (0.75 − 0.75) / 0.25 = 0.
    let c = confusion(&[(Pass, Pass, 3), (Pass, Fail, 1)]);
    assert!(close(c.agreement(), 0.75));
    assert!(close(c.kappa(), 0.0));
    // N/A is a class like the others: human na, callqa pass ×1; na/na ×1; pass/pass ×2.
    // po = 3/4; human marginals pass 2/4, na 2/4; callqa pass 3/4, na 1/4;
    // pe = 2/4·3/4 + 2/4·1/4 = 6/16 + 2/16 = 0.5; kappa = (0.75 − 0.5) / 0.5 = 0.5.
    let c = confusion(&[(Na, Pass, 1), (Na, Na, 1), (Pass, Pass, 2)]);
    assert!(close(c.kappa(), 0.5));
}

#[test]
fn kappa_is_undefined_not_nan_when_chance_agreement_is_one() {
    // Both raters pass all 5: po = 1, pe = 1·1 = 1, (1 − 1) / (1 − 1) is 0/0.
    let c = confusion(&[(Pass, Pass, 5)]);
    assert!(close(c.agreement(), 1.0));
    assert_eq!(c.kappa(), None);
    // And it serialises as null, never NaN (which JSON cannot hold).
    let empty = Confusion::default();
    assert_eq!((empty.agreement(), empty.kappa()), (None, None));
    assert_eq!(
        serde_json::json!({ "k": c.kappa() })["k"],
        serde_json::Value::Null
    );
}

#[test]
fn verdicts_are_read_in_any_case_and_n_a_is_na() {
    assert_eq!(parse_verdict(" PASS "), Ok(Some(Pass)));
    assert_eq!(parse_verdict("Fail"), Ok(Some(Fail)));
    assert_eq!(parse_verdict("N/A"), Ok(Some(Na)));
    assert_eq!(parse_verdict("na"), Ok(Some(Na)));
    assert_eq!(parse_verdict(""), Ok(None));
    assert!(parse_verdict("maybe").is_err());
}

#[test]
fn labels_tolerate_bom_column_order_extra_columns_and_quoted_notes() {
    let text = "\u{feff}Verdict,call_id,rubric,criterion,reviewed_on,note,evaluator\n\
                PASS,A1,qa,greeting,2026-03-01,,ann\n\
                n/a,A1,qa,empathy,2026-03-01,\"said, \"\"sorry\"\"\nthen hung up\",bob\n\
                ,A2,qa,greeting,,,\n\
                maybe,A2,qa,empathy,,,\n\
                fail,,qa,empathy,,,\n\
                \n\
                fail,A3,qa,closing\n";
    let l = parse_labels("l.csv", text.as_bytes()).unwrap();
    assert_eq!(l.labels.len(), 3, "{l:?}");
    assert_eq!(l.labels[0].verdict, Pass);
    assert_eq!(l.labels[0].evaluator.as_deref(), Some("ann"));
    assert_eq!(l.labels[0].note, None);
    assert_eq!(l.labels[0].line, 2);
    assert_eq!(l.labels[1].verdict, Na);
    assert_eq!(
        l.labels[1].note.as_deref(),
        Some("said, \"sorry\"\nthen hung up")
    );
    // A short row (no evaluator, no note) is read.
    assert_eq!(
        (
            l.labels[2].call.as_str(),
            l.labels[2].verdict,
            l.labels[2].line
        ),
        ("A3", Fail, 9)
    );
    assert_eq!(l.blank, 1);
    assert_eq!(l.invalid.len(), 2);
    assert_eq!(l.invalid[0].line, 6);
    assert!(l.invalid[0].reason.contains("maybe"));
    assert!(l.invalid[1].reason.contains("call_id"));
}

#[test]
fn a_labels_file_without_a_required_column_says_which() {
    let err = parse_labels("l.csv", "call_id,rubric,verdict\nA,qa,pass\n".as_bytes()).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("l.csv") && msg.contains("criterion"), "{msg}");
}

const H1: &str = "aaaa1111bbbb2222cccc3333dddd4444eeee5555ffff6666aaaa7777bbbb8888";
const H2: &str = "aaaa1111ffff0000cccc3333dddd4444eeee5555ffff6666aaaa7777bbbb8888";
const H3: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

fn index() -> CallIndex {
    CallIndex::new(vec![
        LabelledCall {
            call_id: H1.into(),
            path: "/calls/night1/a.wav".into(),
            external_id: Some("T-1".into()),
        },
        LabelledCall {
            call_id: H2.into(),
            path: "/calls/night2/a.wav".into(),
            external_id: None,
        },
        LabelledCall {
            call_id: H3.into(),
            path: "/calls/night2/c.wav".into(),
            external_id: Some("T-3".into()),
        },
    ])
}

#[test]
fn calls_resolve_by_user_id_file_name_hash_and_prefix() {
    let ix = index();
    let id = |k: &str| match ix.resolve(k) {
        Resolved::Call(c) => Some(c.call_id.clone()),
        _ => None,
    };
    assert_eq!(id("T-1").as_deref(), Some(H1));
    assert_eq!(id(" T-3 ").as_deref(), Some(H3));
    assert_eq!(id("c.wav").as_deref(), Some(H3));
    assert_eq!(id("/calls/night2/a.wav").as_deref(), Some(H2));
    assert_eq!(id(H1).as_deref(), Some(H1));
    assert_eq!(id(&H3.to_uppercase()).as_deref(), Some(H3));
    assert_eq!(id("01234567").as_deref(), Some(H3));
    // Shorter than 8 hex digits is not a prefix; one file name in two folders is ambiguous, as
    // is a prefix both hashes start with.
    assert_eq!(ix.resolve("0123456"), Resolved::Unknown);
    assert_eq!(ix.resolve("a.wav"), Resolved::Ambiguous(2));
    assert_eq!(ix.resolve("aaaa1111"), Resolved::Ambiguous(2));
    assert_eq!(id("aaaa1111b").as_deref(), Some(H1));
    assert_eq!(ix.resolve("T-9"), Resolved::Unknown);
    assert_eq!(ix.resolve(""), Resolved::Unknown);
    // A sheet names each call by the first id that finds it alone.
    assert_eq!(ix.key_for(H1), "T-1");
    assert_eq!(ix.key_for(H2), H2, "a.wav is ambiguous, so the hash");
    assert_eq!(ix.key_for(H3), "T-3");
}

fn criterion(id: &str, result: CriterionVerdict, quote: &str) -> CriterionResult {
    CriterionResult {
        id: id.into(),
        title: format!("{id} title"),
        section: "s".into(),
        result,
        points: 1.0,
        max_points: 1.0,
        critical: false,
        evidence: vec![Evidence {
            speaker: Some(Speaker::Agent),
            start: 65.4,
            end: 67.0,
            quote: quote.into(),
        }],
        coach: None,
    }
}

fn analysis(criteria: Vec<CriterionResult>) -> CallAnalysis {
    CallAnalysis {
        metrics: Default::default(),
        sentiment: Default::default(),
        flags: Vec::new(),
        results: vec![RubricResult {
            rubric_id: "qa".into(),
            title: "QA".into(),
            version: 1,
            hash: "h".into(),
            score: None,
            critical_failed: false,
            sections: Vec::new(),
            criteria,
        }],
    }
}

fn label(line: u64, call: &str, rubric: &str, criterion: &str, v: CriterionVerdict) -> Label {
    Label {
        line,
        call: call.into(),
        rubric: rubric.into(),
        criterion: criterion.into(),
        verdict: v,
        evaluator: Some("ann".into()),
        note: None,
    }
}

#[test]
fn compute_compares_per_criterion_and_overall_and_lists_what_it_cannot() {
    let ix = index();
    let mut analyses = HashMap::new();
    analyses.insert(
        H1.to_string(),
        analysis(vec![
            criterion("greeting", Pass, "hello"),
            criterion("empathy", Na, "-"),
        ]),
    );
    analyses.insert(
        H3.to_string(),
        analysis(vec![
            criterion("greeting", Fail, "what"),
            criterion("empathy", Fail, "calm down"),
        ]),
    );
    let rubrics = vec![KnownRubric {
        id: "qa".into(),
        criteria: vec![
            KnownCriterion {
                id: "greeting".into(),
                title: "Greets".into(),
                thresholds: vec!["within the first 30 s".into()],
            },
            KnownCriterion {
                id: "empathy".into(),
                title: "Empathy".into(),
                thresholds: Vec::new(),
            },
            KnownCriterion {
                id: "closing".into(),
                title: "Closes".into(),
                thresholds: Vec::new(),
            },
        ],
    }];
    let labels = Labels {
        labels: vec![
            label(2, "T-1", "qa", "greeting", Pass),      // agree
            label(3, "c.wav", "qa", "greeting", Pass),    // callqa fail
            label(4, &H1[..10], "QA", "Empathy", Na),     // agree (ids in another case)
            label(5, H3, "qa", "empathy", Fail),          // agree
            label(6, "T-3", "qa", "closing", Pass),       // known, not scored on this call
            label(7, "nobody", "qa", "greeting", Pass),   // unknown call
            label(8, "a.wav", "qa", "greeting", Pass),    // ambiguous
            label(9, "T-1", "sales", "upsell", Pass),     // unknown rubric
            label(10, "T-1", "qa", "telepathy", Pass),    // unknown criterion
            label(11, "nobody", "qa", "telepathy", Fail), // both unknown
        ],
        blank: 2,
        invalid: vec![InvalidRow {
            line: 12,
            reason: "x".into(),
        }],
    };
    let c = compute("l.csv", &labels, &ix, &analyses, &rubrics);
    // Four pairs: (pass,pass) (pass,fail) (na,na) (fail,fail).
    // po = 3/4. Human marginals: pass 2/4, fail 1/4, na 1/4; callqa: pass 1/4, fail 2/4, na 1/4.
    // pe = 2/4·1/4 + 1/4·2/4 + 1/4·1/4 = 2/16 + 2/16 + 1/16 = 5/16.
    // kappa = (12/16 − 5/16) / (11/16) = 7/11.
    assert_eq!(c.n, 4);
    assert_eq!(c.calls, 2);
    assert!(close(c.agreement, 0.75));
    assert!(close(c.kappa, 7.0 / 11.0), "{:?}", c.kappa);
    assert_eq!(c.confusion.counts, [[1, 1, 0], [0, 1, 0], [0, 0, 1]]);
    // Criteria in the rubric's order. greeting: (pass,pass), (pass,fail): po = 1/2; human all
    // pass, so pe = 1·1/2 + 0·1/2 = 1/2 and kappa = 0. empathy: (na,na), (fail,fail): po = 1,
    // pe = 1/2·1/2 + 1/2·1/2 = 1/2, kappa = 1.
    let ids: Vec<&str> = c.criteria.iter().map(|k| k.criterion.as_str()).collect();
    assert_eq!(ids, ["greeting", "empathy"]);
    let g = &c.criteria[0];
    assert_eq!((g.n, g.title.as_str()), (2, "Greets"));
    assert!(close(g.agreement, 0.5) && close(g.kappa, 0.0));
    assert_eq!(g.thresholds, ["within the first 30 s"]);
    assert_eq!(g.disagreements.len(), 1);
    let d = &g.disagreements[0];
    assert_eq!(
        (
            d.line,
            d.call_id.as_str(),
            d.audio_hash.as_str(),
            d.file.as_str()
        ),
        (3, "c.wav", H3, "c.wav")
    );
    assert_eq!((d.human, d.callqa), (Pass, Fail));
    assert_eq!(d.evidence[0].time, "01:05");
    assert_eq!(d.evidence[0].speaker.as_deref(), Some("agent"));
    assert_eq!(d.evidence[0].quote, "what");
    let e = &c.criteria[1];
    assert!(close(e.agreement, 1.0) && close(e.kappa, 1.0));
    assert!(e.disagreements.is_empty());

    assert_eq!(c.unknown.call_ids, ["nobody"]);
    assert_eq!(c.unknown.ambiguous_call_ids, ["a.wav"]);
    assert_eq!(c.unknown.rubrics, ["sales"]);
    assert_eq!(c.unknown.criteria, ["qa/telepathy"]);
    assert_eq!(
        c.not_scored,
        [NotScored {
            call_id: "T-3".into(),
            rubric: "qa".into(),
            criterion: "closing".into()
        }]
    );
    assert_eq!((c.blank_rows, c.invalid_rows.len()), (2, 1));

    let json = serde_json::to_value(&c).unwrap();
    assert_eq!(json["agreement"], 0.75);
    assert_eq!(json["criteria"][0]["confusion"]["counts"][0][1], 1);
    assert_eq!(json["criteria"][0]["disagreements"][0]["human"], "pass");
    assert_eq!(json["classes"], serde_json::json!(["pass", "fail", "na"]));

    let md = render_markdown(&c);
    assert!(md.contains("agreement 75.0 % (3 of 4), kappa 0.64"), "{md}");
    assert!(md.contains("| qa/greeting | 2 | 50.0 % | 0.00 | 1 | within the first 30 s |"));
    assert!(md.contains("01:05 agent: \"what\""));
    assert!(md.contains("unknown call ids: nobody"));
    let html = render_html(&c);
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("qa/telepathy"));
}

#[test]
fn thresholds_come_from_the_check_and_its_condition() {
    let yaml = "id: r\ntitle: R\nversion: 1\n\
        conditions:\n  - id: upset\n    check: {sentiment: {speaker: customer, measure: mean, at_most: -0.3}}\n\
        sections:\n  - id: s\n    title: S\n    criteria:\n\
        \x20     - id: pace\n        title: Pace\n        check: {metric: {name: agent_wpm, at_most: 180}}\n\
        \x20     - id: hello\n        title: Hello\n        check: {phrase: {any_of: [hello], within_first_s: 30}}\n\
        \x20     - id: sorry\n        title: Sorry\n        applies_when: upset\n        check: {phrase: {any_of: [sorry]}}\n";
    let stored = |version: &str, newest| StoredRubric {
        rubric_id: "r".into(),
        hash: version.into(),
        path: "r.yaml".into(),
        source: if version == "new" {
            yaml.replace("at_most: 180", "at_most: 200")
        } else {
            // The old version had a criterion the new one dropped.
            format!("{yaml}      - id: legacy\n        title: Legacy\n        check: {{metric: {{name: hold_count, at_most: 1}}}}\n")
        },
        newest,
    };
    let known = known_rubrics(&[stored("new", true), stored("old", false)]);
    assert_eq!(known.len(), 1);
    let t: Vec<(&str, Vec<String>)> = known[0]
        .criteria
        .iter()
        .map(|c| (c.id.as_str(), c.thresholds.clone()))
        .collect();
    assert_eq!(
        t,
        [
            ("pace", vec!["agent_wpm at most 200".to_string()]),
            ("hello", vec!["within the first 30 s".to_string()]),
            (
                "sorry",
                vec!["applies when upset: customer sentiment mean at most -0.3".to_string()]
            ),
            ("legacy", vec!["hold_count at most 1".to_string()]),
        ],
        "the newest version's limits, then what only the older one had"
    );
}

#[test]
fn a_verdict_sheet_names_each_call_and_criterion_once_with_an_empty_verdict() {
    let ix = index();
    let row = |id: &str| crate::store::CallRow {
        call_id: id.into(),
        path: "x".into(),
        agent_id: "a".into(),
        customer_id: None,
        started_at: None,
        queue: None,
        direction: None,
        transcribed_at: "t".into(),
        topic: None,
        external_id: None,
        language: "en".into(),
    };
    let sample = vec![
        Candidate {
            row: row(H1),
            analysis: Some(analysis(vec![
                criterion("greeting", Pass, "hi"),
                criterion("empathy", Na, ""),
            ])),
        },
        Candidate {
            row: row(H2),
            analysis: None,
        },
    ];
    let rows = template_rows(&ix, &sample);
    assert_eq!(
        rows,
        [
            ["T-1", "qa", "greeting", "", "", ""].map(String::from),
            ["T-1", "qa", "empathy", "", "", ""].map(String::from),
        ]
    );
}
