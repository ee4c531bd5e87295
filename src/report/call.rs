//! One evaluated call as QA staff read it in a terminal: what happened (flags, distress first,
//! possible distress next),
//! the scores with every criterion's evidence and coaching tip, the metrics, and the transcript.

use crate::analysis::flags::clock;
use crate::analysis::metrics::METRIC_NAMES;
use crate::analysis::rubric::CriterionVerdict;
use crate::analysis::CallAnalysis;
use crate::report::output::one_line as l;
use crate::store::CallRow;
use crate::transcript::{Evidence, Transcript};
use std::fmt::Write;

/// "0:13 agent: "Calm down."" for words said; "0:00–0:52: agent_wpm = 146, ..." for findings.
fn evidence_line(e: &Evidence) -> String {
    match e.speaker {
        Some(s) => format!("{} {}: \"{}\"", clock(e.start), s.as_str(), l(&e.quote)),
        None => format!("{}–{}: {}", clock(e.start), clock(e.end), l(&e.quote)),
    }
}

/// Every stored text is shown on its own line with control characters escaped ([`l`]): a
/// manifest's agent id or a file name cannot steer the reader's terminal or forge a line.
pub fn render_call(t: &Transcript, meta: Option<&CallRow>, a: Option<&CallAnalysis>) -> String {
    let mut out = String::new();
    write_header(&mut out, t, meta);
    let Some(a) = a else {
        let _ = writeln!(out, "\nnot scored yet (run callqa rescore)");
        write_transcript(&mut out, t);
        return out;
    };

    if !a.flags.is_empty() {
        let _ = writeln!(out, "\nFLAGS");
        for f in &a.flags {
            let _ = writeln!(
                out,
                "  {} — {}",
                l(&f.kind.as_str().to_uppercase()),
                l(&f.detail)
            );
            // Every word behind distress is shown; other flags are summed up by three.
            let shown = if f.kind.is_distress() {
                f.evidence.len()
            } else {
                3
            };
            for e in f.evidence.iter().take(shown) {
                let _ = writeln!(out, "      {}", evidence_line(e));
            }
        }
    }

    for r in &a.results {
        let score = r
            .score
            .map_or("n/a (nothing applied)".to_string(), |s| format!("{s:.0}"));
        let _ = writeln!(
            out,
            "\n{} v{} — {}{}",
            l(&r.rubric_id),
            r.version,
            score,
            if r.critical_failed {
                "  CRITICAL FAILURE"
            } else {
                ""
            }
        );
        for s in &r.sections {
            let _ = writeln!(
                out,
                "  {} (weight {}): {}",
                l(&s.title),
                crate::analysis::rubric::trim_number(s.weight),
                s.score.map_or("n/a".to_string(), |v| format!("{v:.0}"))
            );
            for c in r.criteria.iter().filter(|c| c.section == s.id) {
                let mark = match c.result {
                    CriterionVerdict::Pass => "pass",
                    CriterionVerdict::Fail => "FAIL",
                    CriterionVerdict::Na => "n/a ",
                };
                let _ = writeln!(
                    out,
                    "    {mark} {:<24} {}/{}{}",
                    l(&c.id),
                    crate::analysis::rubric::trim_number(c.points),
                    crate::analysis::rubric::trim_number(c.max_points),
                    if c.critical { " critical" } else { "" }
                );
                if c.result != CriterionVerdict::Na {
                    for e in c.evidence.iter().take(3) {
                        let _ = writeln!(out, "         {}", evidence_line(e));
                    }
                }
                if let Some(tip) = &c.coach {
                    let _ = writeln!(out, "         coach: {}", l(tip));
                }
            }
        }
    }

    let _ = writeln!(out, "\nMETRICS");
    for name in METRIC_NAMES {
        if let Some(v) = a.metrics.get(name) {
            let estimate = if a.metrics.estimated.iter().any(|e| e == name) {
                " (estimate)"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "  {name:<26} {}{estimate}",
                crate::analysis::rubric::trim_number(v)
            );
        }
    }
    let q = |v: &[Option<f32>; 4]| {
        v.iter()
            .map(|x| x.map_or("  –  ".to_string(), |x| format!("{x:+.2}")))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let _ = writeln!(
        out,
        "  sentiment by quarter   customer {}",
        q(&a.sentiment.customer_quarters)
    );
    let _ = writeln!(
        out,
        "                         agent    {}",
        q(&a.sentiment.agent_quarters)
    );
    write_transcript(&mut out, t);
    out
}

/// The call's identity, metadata, source and warnings.
fn write_header(out: &mut String, t: &Transcript, meta: Option<&CallRow>) {
    match meta.and_then(|m| m.external_id.as_deref()) {
        Some(id) => {
            let _ = writeln!(out, "call {}", l(id));
            let _ = writeln!(out, "  audio hash {}", t.call_id);
        }
        None => {
            let _ = writeln!(out, "call {}", t.call_id);
        }
    }
    if let Some(m) = meta {
        let or_unknown = |v: &Option<String>| l(v.as_deref().unwrap_or("unknown")).into_owned();
        let _ = writeln!(
            out,
            "  agent {} | customer {} | started {} | queue {} | direction {} | topic {}",
            l(&m.agent_id),
            or_unknown(&m.customer_id),
            or_unknown(&m.started_at),
            or_unknown(&m.queue),
            or_unknown(&m.direction),
            or_unknown(&m.topic)
        );
    }
    let _ = writeln!(
        out,
        "  file {} | {} {} Hz, {} channel(s), {:.1} s | roles {} | language {} ({}) | model {}",
        l(&t.source.path),
        l(&t.source.codec),
        t.source.sample_rate,
        t.source.channels,
        t.source.duration_s,
        t.roles.as_str(),
        l(&t.language),
        t.language_source.as_str(),
        l(&t.model)
    );
    for w in &t.warnings {
        let _ = writeln!(out, "  warning: {}", l(w));
    }
}

fn write_transcript(out: &mut String, t: &Transcript) {
    let _ = writeln!(out, "\nTRANSCRIPT");
    for u in &t.utterances {
        let _ = writeln!(
            out,
            "  [{}–{}] {:<8} {}",
            clock(u.start),
            clock(u.end),
            u.speaker.as_str(),
            l(u.text.trim())
        );
    }
}
