use super::*;
use crate::analysis::metrics::tests::{call, utt};
use crate::transcript::{Speaker, Transcript};
use Speaker::{Agent as A, Customer as C};

fn compile(yaml: &str) -> RubricSet {
    let mut set = RubricSet::default();
    if let Err(e) = set.add_source("test.yaml", yaml) {
        panic!("rubric did not compile:\n{e}");
    }
    set
}

fn errors(yaml: &str) -> Vec<String> {
    let mut set = RubricSet::default();
    match set.add_source("bad.yaml", yaml) {
        Ok(()) => Vec::new(),
        Err(e) => e.issues(),
    }
}

/// The first rubric's result, scored as production scores it.
fn score(set: &RubricSet, t: &Transcript) -> RubricResult {
    crate::analysis::analyse(t, set).results.remove(0)
}

fn verdict(r: &RubricResult, id: &str) -> CriterionVerdict {
    r.criteria
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no criterion {id}"))
        .result
}

const RUBRIC: &str = r#"
id: demo
title: Demo
version: 2
languages: [en, he]
conditions:
  - id: account_action
    check:
      phrase:
        said_by: agent
        any_of: ["I have cancelled", "I have sent you a refund"]
  - id: hold
    check: {event: hold}
  - id: upset
    check:
      any:
        - sentiment: {speaker: customer, measure: min, at_most: -0.4}
        - phrase: {said_by: customer, any_of: ["this is the third time"]}
sections:
  - id: opening
    title: Opening
    weight: 1
    criteria:
      - id: greeting
        title: Greets
        points: 2
        check:
          phrase:
            said_by: agent
            within_first_s: 15
            any_of:
              en: ["thank you for calling", "good morning"]
              he: ["תודה שפנית"]
        coach: Greet the caller.
      - id: disclosure
        title: Recording disclosure
        points: 3
        critical: true
        check:
          phrase: {said_by: agent, any_of: ["this call may be recorded"]}
  - id: handling
    title: Handling
    weight: 3
    criteria:
      - id: verify
        title: Verifies before acting
        points: 5
        applies_when: account_action
        check:
          phrase:
            said_by: agent
            before: account_action
            any_of: ["date of birth", "confirm your full name"]
        coach: Verify identity first.
      - id: empathy
        title: Empathy when upset
        points: 2
        applies_when: upset
        check:
          phrase: {said_by: agent, any_of: ["I am sorry", "I understand"]}
      - id: hold_thanks
        title: Thanks after hold
        applies_when: hold
        check:
          phrase: {said_by: agent, after: hold, any_of: ["thank you for holding"]}
      - id: polite
        title: No rudeness
        check:
          phrase: {said_by: agent, none_of: ["calm down", "whatever"]}
      - id: pace
        title: Pace
        check:
          metric: {name: agent_wpm, at_most: 180}
"#;

fn good_call() -> Transcript {
    call(
        60.0,
        vec![
            utt(
                A,
                1.0,
                6.0,
                "Thank you for calling. This call may be recorded.",
            ),
            utt(C, 7.0, 10.0, "Hi, I need a refund."),
            utt(A, 11.0, 14.0, "Sure, can you tell me your date of birth?"),
            utt(C, 15.0, 17.0, "The fourth of March."),
            utt(A, 18.0, 24.0, "Thanks. I have sent you a refund."),
        ],
    )
}

#[test]
fn a_good_call_passes_and_na_criteria_leave_the_score_alone() {
    let set = compile(RUBRIC);
    let r = score(&set, &good_call());
    assert_eq!(verdict(&r, "greeting"), CriterionVerdict::Pass);
    assert_eq!(verdict(&r, "disclosure"), CriterionVerdict::Pass);
    assert_eq!(verdict(&r, "verify"), CriterionVerdict::Pass);
    assert_eq!(verdict(&r, "empathy"), CriterionVerdict::Na);
    assert_eq!(verdict(&r, "hold_thanks"), CriterionVerdict::Na);
    assert_eq!(verdict(&r, "polite"), CriterionVerdict::Pass);
    assert_eq!(r.score, Some(100.0));
    assert!(!r.critical_failed);
    // Evidence: the exact utterance and its time.
    let verify = r.criteria.iter().find(|c| c.id == "verify").unwrap();
    assert_eq!(verify.evidence[0].start, 11.0);
    assert_eq!(verify.evidence[0].speaker, Some(A));
    assert!(verify.evidence[0].quote.contains("date of birth"));
    // N/A is neither earned nor possible.
    let handling = &r.sections[1];
    assert_eq!(handling.possible, 5.0 + 1.0 + 1.0);
}

#[test]
fn ordering_rule_verification_must_come_first() {
    let set = compile(RUBRIC);
    let mut t = good_call();
    // The agent refunds first and asks for the date of birth afterwards.
    t.utterances[2].start = 30.0;
    t.utterances[2].end = 33.0;
    t.sort_utterances();
    let r = score(&set, &t);
    assert_eq!(verdict(&r, "verify"), CriterionVerdict::Fail);
    let v = r.criteria.iter().find(|c| c.id == "verify").unwrap();
    assert_eq!(v.coach.as_deref(), Some("Verify identity first."));
    assert!(
        v.evidence[0].quote.contains("before account_action"),
        "{:?}",
        v.evidence
    );
    // Weighted: opening 100 % (w 1), handling 2/7 (w 3).
    let expected = (100.0 + 3.0 * 100.0 * 2.0 / 7.0) / 4.0;
    assert!((r.score.unwrap() - expected).abs() < 0.01, "{:?}", r.score);
}

#[test]
fn verification_asked_in_the_sentence_that_names_the_account_counts_as_first() {
    let yaml = r#"
id: v
title: V
version: 1
conditions:
  - id: access
    check: {phrase: {said_by: agent, any_of: ["on your account", "your balance"]}}
sections:
  - id: s
    title: S
    criteria:
      - id: verify
        title: Verifies before access
        applies_when: access
        check: {phrase: {said_by: agent, before: access, any_of: ["security word"]}}
"#;
    let set = compile(yaml);
    let asked_with_access = call(
        30.0,
        vec![
            utt(A, 1.0, 4.0, "What is the security word on your account?"),
            utt(C, 5.0, 6.0, "Lighthouse."),
            utt(A, 7.0, 10.0, "Thanks. Your balance is forty pounds."),
        ],
    );
    assert_eq!(
        verdict(&score(&set, &asked_with_access), "verify"),
        CriterionVerdict::Pass
    );
    // Asked only after the balance was read out: still a failure.
    let asked_after = call(
        30.0,
        vec![
            utt(A, 1.0, 4.0, "Your balance is forty pounds."),
            utt(A, 7.0, 10.0, "What is the security word?"),
        ],
    );
    assert_eq!(
        verdict(&score(&set, &asked_after), "verify"),
        CriterionVerdict::Fail
    );
}

#[test]
fn a_rubric_vocabulary_names_the_company_as_heard() {
    let yaml = r#"
id: n
title: N
version: 1
vocabulary: ["Great Service", " ", "Great Service"]
sections:
  - id: s
    title: S
    criteria:
      - id: company
        title: Names the company
        check: {phrase: {said_by: agent, any_of: ["thank you for calling {company}"]}}
"#;
    let set = compile(yaml);
    assert_eq!(set.vocabulary, ["Great Service"]);
    let t = call(
        30.0,
        vec![utt(A, 1.0, 4.0, "thank you for calling great service")],
    );
    assert_eq!(verdict(&score(&set, &t), "company"), CriterionVerdict::Pass);
    // Without the vocabulary, two common words are no company name.
    let plain =
        compile(&yaml.replace(r#"vocabulary: ["Great Service", " ", "Great Service"]"#, ""));
    assert_eq!(
        verdict(&score(&plain, &t), "company"),
        CriterionVerdict::Fail
    );
    // The call's own names (the manifest's company column) do the same without a vocabulary.
    let mut named = t.clone();
    named.names = vec!["Great Service".into()];
    assert_eq!(
        verdict(&score(&plain, &named), "company"),
        CriterionVerdict::Pass
    );
}

#[test]
fn critical_failure_zeroes_the_rubric_or_only_its_section() {
    let set = compile(RUBRIC);
    let mut t = good_call();
    t.utterances[0].text = "Thank you for calling.".into();
    let r = score(&set, &t);
    assert_eq!(verdict(&r, "disclosure"), CriterionVerdict::Fail);
    assert!(r.critical_failed);
    assert_eq!(r.score, Some(0.0));

    let section_scoped = compile(&RUBRIC.replace(
        "languages: [en, he]",
        "languages: [en, he]\ncritical_scope: section",
    ));
    let r = score(&section_scoped, &t);
    assert!(r.critical_failed);
    assert_eq!(r.sections[0].score, Some(0.0));
    assert_eq!(r.score, Some(75.0));
}

#[test]
fn nothing_applicable_scores_null() {
    let set = compile(
        r#"
id: holds
title: Holds only
version: 1
conditions:
  - id: hold
    check: {event: hold}
sections:
  - id: s
    title: S
    criteria:
      - id: hold_thanks
        title: Thanks
        applies_when: hold
        check: {phrase: {said_by: agent, any_of: ["thank you for holding"]}}
"#,
    );
    let r = score(&set, &good_call());
    assert_eq!(verdict(&r, "hold_thanks"), CriterionVerdict::Na);
    assert_eq!(r.score, None);
    assert_eq!(r.sections[0].score, None);
}

#[test]
fn upset_empathy_holds_and_rudeness() {
    let set = compile(RUBRIC);
    let t = call(
        90.0,
        vec![
            utt(A, 0.5, 5.0, "Good morning, this call may be recorded."),
            utt(
                C,
                6.0,
                11.0,
                "This is the third time I have called about this!",
            ),
            utt(A, 12.0, 15.0, "Calm down. Let me put you on hold."),
            utt(A, 40.0, 43.0, "Thank you for holding."),
        ],
    );
    let r = score(&set, &t);
    assert_eq!(verdict(&r, "empathy"), CriterionVerdict::Fail);
    assert_eq!(verdict(&r, "hold_thanks"), CriterionVerdict::Pass);
    assert_eq!(verdict(&r, "polite"), CriterionVerdict::Fail);
    let polite = r.criteria.iter().find(|c| c.id == "polite").unwrap();
    assert_eq!(polite.evidence[0].start, 12.0);
    assert_eq!(verdict(&r, "verify"), CriterionVerdict::Na);
}

#[test]
fn per_language_phrases_and_folding() {
    let set = compile(RUBRIC);
    let mut t = good_call();
    t.language = "he".into();
    t.utterances[0].text = "תּוֹדָה שֶׁפָּנִית. This call may be recorded.".into();
    let r = score(&set, &t);
    assert_eq!(verdict(&r, "greeting"), CriterionVerdict::Pass);
}

#[test]
fn metric_checks_carry_value_and_threshold() {
    let set = compile(RUBRIC);
    let mut t = good_call();
    t.utterances[0].text = "thank you for calling this call may be recorded ".repeat(6);
    let r = score(&set, &t);
    let pace = r.criteria.iter().find(|c| c.id == "pace").unwrap();
    assert_eq!(pace.result, CriterionVerdict::Fail);
    assert!(
        pace.evidence[0].quote.starts_with("agent_wpm = "),
        "{:?}",
        pace.evidence
    );
    assert!(pace.evidence[0].quote.contains("must be at most 180"));
}

#[test]
fn validation_reports_file_line_column() {
    let e = errors("id: x\ntitle: X\nversion: 1\nsectons: []\n");
    assert_eq!(e.len(), 1);
    assert!(e[0].starts_with("bad.yaml:4:"), "{e:?}");
    assert!(e[0].contains("sectons"), "{e:?}");

    let e = errors(
        r#"id: x
title: X
version: 1
conditions:
  - id: a
    check: {event: hold}
  - id: a
    check: {event: holds}
sections:
  - id: s
    title: S
    weight: -2
    criteria:
      - id: c
        title: C
        points: 0
        applies_when: nope
        check: {metric: {name: agent_wmp, at_most: 1}}
      - id: c
        title: C2
        check: {metric: {name: agent_wpm, between: [5, 1]}}
      - id: d
        title: D
        check: {phrase: {any_of: ["x"], before: slow}}
      - id: e
        title: E
        check: {pii: {none_of: [credit_card]}}
"#,
    );
    let joined = e.join("\n");
    for expected in [
        "bad.yaml:7:9: duplicate condition id \"a\"",
        "bad.yaml:8:20: unknown event \"holds\"",
        "bad.yaml:12:13: section weight must be a positive number",
        "bad.yaml:16:17: points must be a positive number",
        "bad.yaml:17:23: unknown condition \"nope\"",
        "bad.yaml:18:32: unknown metric \"agent_wmp\"",
        "bad.yaml:19:13: duplicate criterion id \"c\"",
        "between needs [low, high]",
        "unknown condition \"slow\"",
        "unknown PII kind \"credit_card\"",
    ] {
        assert!(
            joined.contains(expected),
            "missing {expected:?} in:\n{joined}"
        );
    }
}

#[test]
fn conditions_without_time_cannot_anchor_and_cycles_are_found() {
    let e = errors(
        r#"id: x
title: X
version: 1
conditions:
  - id: slow
    check: {metric: {name: agent_wpm, at_least: 200}}
  - id: loop_a
    check: {condition: loop_b}
  - id: loop_b
    check: {not: {condition: loop_a}}
sections:
  - id: s
    title: S
    criteria:
      - id: d
        title: D
        check: {phrase: {any_of: ["x"], after: slow}}
"#,
    )
    .join("\n");
    assert!(e.contains("has no time"), "{e}");
    assert!(e.contains("\"loop_a\" refers back to itself"), "{e}");
}

#[test]
fn yaml_alias_bombs_are_refused() {
    let bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\n";
    let started = std::time::Instant::now();
    assert!(!errors(bomb).is_empty());
    assert!(started.elapsed().as_secs() < 5);
}

/// The worked example in rubrics/README.md compiles and behaves as the README says.
#[test]
fn readme_worked_example_does_what_it_says() {
    let readme = include_str!("../../../rubrics/README.md");
    let example = readme
        .split("## A worked example")
        .nth(1)
        .and_then(|s| s.split("```yaml\n").nth(1))
        .and_then(|s| s.split("```").next())
        .expect("worked example block");
    let set = compile(example);
    let mut t = call(
        90.0,
        vec![
            utt(
                A,
                1.0,
                8.0,
                "Hello, this is an attempt to collect a debt. Can I have your date of birth?",
            ),
            utt(C, 9.0, 11.0, "It's the fourth of May."),
            utt(
                A,
                12.0,
                16.0,
                "Thank you. Your balance is two hundred dollars.",
            ),
            utt(C, 17.0, 21.0, "I lost my job, I can't pay that."),
            utt(
                A,
                22.0,
                27.0,
                "I understand. We can set up a payment plan with smaller payments.",
            ),
            utt(C, 28.0, 30.0, "That would really help, thank you."),
        ],
    );
    let r = score(&set, &t);
    assert_eq!(r.score, Some(100.0), "{:#?}", r.criteria);

    // No hardship: payment_plan is N/A and the outcome section rests on mood_kept.
    t.utterances[3].text = "Okay.".into();
    let r = score(&set, &t);
    assert_eq!(verdict(&r, "payment_plan"), CriterionVerdict::Na);
    assert_eq!(r.sections[1].possible, 2.0);

    // No disclosure: critical failure, score 0, with the coaching tip and the README's evidence.
    t.utterances[0].text = "Hello. Can I have your date of birth?".into();
    let r = score(&set, &t);
    assert!(r.critical_failed);
    assert_eq!(r.score, Some(0.0));
    let miranda = r.criteria.iter().find(|c| c.id == "mini_miranda").unwrap();
    assert_eq!(
        miranda.coach.as_deref(),
        Some("Give the disclosure in the first minute of every collections call.")
    );
    assert_eq!(
        miranda.evidence[0].quote,
        "not said by the agent in the first 60 s: no phrase such as \"this is an attempt to collect a debt\""
    );
}

#[test]
fn silent_recordings_are_not_applicable_rather_than_failed() {
    let set = compile(RUBRIC);
    let r = score(&set, &call(30.0, vec![]));
    assert!(
        r.criteria.iter().all(|c| c.result == CriterionVerdict::Na),
        "{:#?}",
        r.criteria
    );
    assert_eq!(r.score, None);
    assert!(!r.critical_failed);
    // Only the customer was recorded: the agent's criteria are N/A, not failures.
    let r = score(
        &set,
        &call(30.0, vec![utt(C, 1.0, 5.0, "Hello? Is anybody there?")]),
    );
    assert_eq!(verdict(&r, "greeting"), CriterionVerdict::Na);
    assert_eq!(verdict(&r, "disclosure"), CriterionVerdict::Na);
    assert!(!r.critical_failed);
}

/// Scoring invariants over random rubrics and random calls.
mod properties {
    use super::*;
    use proptest::prelude::*;

    const SAID: [&str; 5] = [
        "thank you for calling",
        "this call may be recorded",
        "I have sent you a refund",
        "date of birth",
        "calm down",
    ];

    #[derive(Debug, Clone)]
    struct Crit {
        points: u32,
        critical: bool,
        /// A phrase check (index into SAID) or a metric bound on agent_talk_ratio.
        phrase: Option<usize>,
        at_most: f64,
        none_of: bool,
        na: bool,
    }

    fn crit() -> impl Strategy<Value = Crit> {
        (
            1u32..6,
            prop::bool::weighted(0.15),
            prop::option::of(0..SAID.len()),
            0.0f64..1.0,
            any::<bool>(),
            prop::bool::weighted(0.2),
        )
            .prop_map(|(points, critical, phrase, at_most, none_of, na)| Crit {
                points,
                critical,
                phrase,
                at_most,
                none_of,
                na,
            })
    }

    fn yaml(sections: &[(u32, Vec<Crit>)], scope: &str, extra_na: Option<usize>) -> String {
        let mut y = format!(
            "id: prop\ntitle: Prop\nversion: 1\ncritical_scope: {scope}\nconditions:\n  - id: never\n    check:\n      phrase: {{said_by: agent, any_of: [\"zebra quartz xylophone\"]}}\nsections:\n"
        );
        for (s, (weight, crits)) in sections.iter().enumerate() {
            y += &format!("  - id: s{s}\n    title: S{s}\n    weight: {weight}\n    criteria:\n");
            let mut all = crits.clone();
            if extra_na == Some(s) {
                // Would fail (and be critical) if it applied.
                all.push(Crit {
                    points: 5,
                    critical: true,
                    phrase: Some(0),
                    at_most: 0.0,
                    none_of: true,
                    na: true,
                });
            }
            for (c, k) in all.iter().enumerate() {
                y += &format!(
                    "      - id: c{s}_{c}\n        title: C\n        points: {}\n        critical: {}\n",
                    k.points, k.critical
                );
                if k.na {
                    y += "        applies_when: never\n";
                }
                match k.phrase {
                    Some(p) => {
                        let list = if k.none_of { "none_of" } else { "any_of" };
                        y += &format!(
                            "        check:\n          phrase: {{said_by: agent, {list}: [\"{}\"]}}\n",
                            SAID[p]
                        );
                    }
                    None => {
                        y += &format!(
                            "        check:\n          metric: {{name: agent_talk_ratio, at_most: {:.3}}}\n",
                            k.at_most
                        );
                    }
                }
            }
        }
        y
    }

    fn transcript() -> impl Strategy<Value = Transcript> {
        prop::collection::vec(
            (any::<bool>(), 0..SAID.len(), 0.0f64..50.0, 0.1f64..8.0),
            0..8,
        )
        .prop_map(|lines| {
            call(
                60.0,
                lines
                    .into_iter()
                    .map(|(agent, i, start, len)| {
                        utt(if agent { A } else { C }, start, start + len, SAID[i])
                    })
                    .collect(),
            )
        })
    }

    fn sections() -> impl Strategy<Value = Vec<(u32, Vec<Crit>)>> {
        prop::collection::vec((1u32..5, prop::collection::vec(crit(), 1..5)), 1..4)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 150, ..ProptestConfig::default() })]

        #[test]
        fn scores_are_in_range_na_changes_nothing_and_critical_zeroes(
            secs in sections(),
            t in transcript(),
            scope in prop_oneof![Just("rubric"), Just("section")],
            na_at in any::<prop::sample::Index>(),
        ) {
            let r = score(&compile(&yaml(&secs, scope, None)), &t);
            let in_range = |s: Option<f64>| s.is_none_or(|v| (0.0..=100.0).contains(&v));
            prop_assert!(in_range(r.score), "{:?}", r.score);
            for s in &r.sections {
                prop_assert!(in_range(s.score), "{:?}", s.score);
            }
            if r.critical_failed && scope == "rubric" {
                prop_assert_eq!(r.score, Some(0.0));
            }
            if scope == "section" {
                for s in r.sections.iter().filter(|s| s.critical_failed) {
                    prop_assert_eq!(s.score, Some(0.0));
                }
            }
            // Nothing applied: null, never 0 or 100.
            if r.criteria.iter().all(|c| c.result == CriterionVerdict::Na) {
                prop_assert_eq!(r.score, None);
            }
            // An extra N/A criterion (critical, and failing if it applied) changes no score.
            let with_na = score(&compile(&yaml(&secs, scope, Some(na_at.index(secs.len())))), &t);
            prop_assert_eq!(with_na.score, r.score);
            prop_assert_eq!(with_na.critical_failed, r.critical_failed);
            let a: Vec<_> = r.sections.iter().map(|s| s.score).collect();
            let b: Vec<_> = with_na.sections.iter().map(|s| s.score).collect();
            prop_assert_eq!(a, b);
        }
    }
}

#[test]
fn pii_said_before_a_condition_counts_only_before_it() {
    let rubric = r#"
id: dob
title: Date of birth first
version: 1
conditions:
  - id: account_access
    check: {phrase: {said_by: agent, any_of: ["your balance is"]}}
sections:
  - id: s
    title: S
    weight: 1
    criteria:
      - id: verified
        title: Verified
        points: 1
        check: {pii: {said_by: customer, any_of: [date_of_birth], before: account_access}}
"#;
    let set = compile(rubric);
    let dob = "Yes, it's Margaret Lewis, born on the 2nd of November 1948.";
    // The question was garbled, the answer was not: proof given before the account was read.
    let first = call(
        30.0,
        vec![
            utt(
                A,
                0.0,
                3.0,
                "Before I look at that, can I flurb your blarg?",
            ),
            utt(C, 4.0, 8.0, dob),
            utt(A, 9.0, 12.0, "Thank you. Your balance is forty pounds."),
        ],
    );
    assert_eq!(
        verdict(&score(&set, &first), "verified"),
        CriterionVerdict::Pass
    );
    // Given only after the balance was read out: too late.
    let late = call(
        30.0,
        vec![
            utt(A, 0.0, 3.0, "Your balance is forty pounds."),
            utt(A, 4.0, 6.0, "Oh, I should have asked first, sorry."),
            utt(C, 7.0, 10.0, dob),
        ],
    );
    let r = score(&set, &late);
    assert_eq!(verdict(&r, "verified"), CriterionVerdict::Fail);
    let note = &r.criteria[0].evidence[0].quote;
    assert!(note.contains("before account_access (0:00)"), "{note}");
    // `before` without any_of says nothing and is refused.
    let bad = rubric.replace("any_of: [date_of_birth], ", "none_of: [card_number], ");
    assert!(
        errors(&bad)
            .iter()
            .any(|e| e.contains("`before` needs any_of")),
        "{:?}",
        errors(&bad)
    );
}
