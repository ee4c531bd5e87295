//! The call at a glance as one SVG: agent and customer speech lanes, silences, holds, dead air,
//! overtalk, sentiment per quarter, and a marker for every failed criterion and flag. Every
//! marker carries `data-start` (the page's script plays from there) and a `<title>`. Plain SVG
//! elements only.

use super::esc;
use crate::analysis::flags::clock;
use crate::analysis::metrics::{union, Interval};
use crate::analysis::rubric::CriterionVerdict;
use crate::analysis::CallAnalysis;
use crate::transcript::{Speaker, Transcript};
use std::fmt::Write;

const W: f64 = 960.0;
const LEFT: f64 = 90.0;
const PLOT: f64 = W - LEFT - 10.0;

/// One lane's intervals of speech.
fn speech(t: &Transcript, who: Speaker) -> Vec<Interval> {
    union(
        t.utterances
            .iter()
            .filter(|u| u.speaker == who)
            .map(|u| Interval {
                start: u.start,
                end: u.end,
            })
            .collect(),
    )
}

fn overlap(a: &[Interval], b: &[Interval]) -> Vec<Interval> {
    let mut out = Vec::new();
    for x in a {
        for y in b {
            let (s, e) = (x.start.max(y.start), x.end.min(y.end));
            if e > s {
                out.push(Interval { start: s, end: e });
            }
        }
    }
    out
}

/// The gaps of at least 2 s where nobody speaks.
fn silences(duration: f64, talk: &[Interval]) -> Vec<Interval> {
    let mut out = Vec::new();
    let mut at = 0.0;
    for i in talk {
        if i.start - at >= 2.0 {
            out.push(Interval {
                start: at,
                end: i.start,
            });
        }
        at = at.max(i.end);
    }
    if duration - at >= 2.0 {
        out.push(Interval {
            start: at,
            end: duration,
        });
    }
    out
}

fn sentiment_colour(v: f32) -> &'static str {
    if v >= 0.2 {
        "#2e9e6b"
    } else if v <= -0.2 {
        "#c0392b"
    } else {
        "#9ca3af"
    }
}

pub fn render(t: &Transcript, a: Option<&CallAnalysis>) -> String {
    let duration = t
        .source
        .duration_s
        .max(t.utterances.iter().map(|u| u.end).fold(0.0, f64::max))
        .max(1.0);
    let sc = Scale { duration };
    let mut o = String::new();
    axes(&mut o, &sc);
    let agent = speech(t, Speaker::Agent);
    let customer = speech(t, Speaker::Customer);
    speech_lanes(&mut o, &sc, &agent, &customer);
    silence_lane(&mut o, &sc, &agent, &customer, a);
    for i in overlap(&agent, &customer) {
        interval_rect(&mut o, &sc, &i, (92, 16, "#db2777"), "overtalk");
    }
    if let Some(a) = a {
        sentiment_lane(&mut o, &sc, a);
        findings_lane(&mut o, &sc, a);
    }
    o.push_str("</svg>");
    o
}

/// One interval drawn in a lane at (y, height, fill), clickable to play from its start.
fn interval_rect(o: &mut String, sc: &Scale, i: &Interval, at: (u32, u32, &str), what: &str) {
    let (y, height, fill) = at;
    let _ = write!(
        o,
        r#"<rect class="seek" data-start="{:.2}" x="{:.1}" y="{y}" width="{:.1}" height="{height}" fill="{fill}"><title>{what} {}–{}</title></rect>"#,
        i.start,
        sc.x(i.start),
        sc.w(i),
        clock(i.start),
        clock(i.end)
    );
}

/// Where a time falls on the plot, and how wide an interval is drawn.
struct Scale {
    duration: f64,
}

impl Scale {
    fn x(&self, s: f64) -> f64 {
        LEFT + (s.clamp(0.0, self.duration) / self.duration) * PLOT
    }

    fn w(&self, i: &Interval) -> f64 {
        ((i.end.min(self.duration) - i.start.max(0.0)) / self.duration * PLOT).max(1.0)
    }
}

/// The SVG element, lane labels and lines, and minute ticks.
fn axes(o: &mut String, sc: &Scale) {
    let duration = sc.duration;
    let lanes: [(&str, f64); 6] = [
        ("agent", 22.0),
        ("customer", 48.0),
        ("silence / hold", 74.0),
        ("overtalk", 100.0),
        ("sentiment", 126.0),
        ("findings", 156.0),
    ];
    let height = 186.0;
    let _ = write!(
        o,
        r#"<svg class="timeline" viewBox="0 0 {W} {height}" width="100%" role="img" aria-label="Timeline of the call" xmlns="http://www.w3.org/2000/svg">"#
    );
    for (label, y) in lanes {
        let _ = write!(
            o,
            r##"<text x="4" y="{}" class="lane">{label}</text><line x1="{LEFT}" x2="{}" y1="{}" y2="{}" stroke="#e5e7eb"/>"##,
            y + 4.0,
            W - 10.0,
            y + 9.0,
            y + 9.0
        );
    }
    // Minute ticks.
    let step = [10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0]
        .into_iter()
        .find(|s| duration / s <= 10.0)
        .unwrap_or(3600.0);
    let mut tick = 0.0;
    while tick <= duration {
        let _ = write!(
            o,
            r##"<text x="{:.1}" y="182" class="tick">{}</text>"##,
            sc.x(tick),
            clock(tick)
        );
        tick += step;
    }
}

fn speech_lanes(o: &mut String, sc: &Scale, agent: &[Interval], customer: &[Interval]) {
    for (who, list, y, colour) in [
        (Speaker::Agent, agent, 14.0, "#1e3a5f"),
        (Speaker::Customer, customer, 40.0, "#c77d0a"),
    ] {
        for i in list {
            let _ = write!(
                o,
                r#"<rect class="seek" data-start="{:.2}" x="{:.1}" y="{y}" width="{:.1}" height="16" fill="{colour}"><title>{} {}–{}</title></rect>"#,
                i.start,
                sc.x(i.start),
                sc.w(i),
                who.as_str(),
                clock(i.start),
                clock(i.end)
            );
        }
    }
}

/// Silence (2 s or more without speech), holds and dead air share a lane.
fn silence_lane(
    o: &mut String,
    sc: &Scale,
    agent: &[Interval],
    customer: &[Interval],
    a: Option<&CallAnalysis>,
) {
    let mut talk = agent.to_vec();
    talk.extend(customer.iter().copied());
    let talk = union(talk);
    for i in silences(sc.duration, &talk) {
        interval_rect(o, sc, &i, (66, 16, "#d1d5db"), "silence");
    }
    if let Some(a) = a {
        for h in &a.metrics.holds {
            let i = Interval {
                start: h.start,
                end: h.end,
            };
            interval_rect(o, sc, &i, (70, 8, "#7c3aed"), "hold");
        }
        for i in &a.metrics.dead_air {
            interval_rect(o, sc, i, (66, 4, "#c0392b"), "dead air");
        }
    }
}

/// Sentiment per quarter: customer above, agent below the lane's line.
fn sentiment_lane(o: &mut String, sc: &Scale, a: &CallAnalysis) {
    let duration = sc.duration;
    for (who, quarters, y) in [
        ("customer", &a.sentiment.customer_quarters, 118.0),
        ("agent", &a.sentiment.agent_quarters, 127.0),
    ] {
        for (q, v) in quarters.iter().enumerate() {
            let Some(v) = v else { continue };
            let start = duration * q as f64 / 4.0;
            let _ = write!(
                o,
                r#"<rect class="seek" data-start="{start:.2}" x="{:.1}" y="{y}" width="{:.1}" height="8" fill="{}"><title>{who} sentiment, quarter {}: {v:+.2}</title></rect>"#,
                sc.x(start),
                PLOT / 4.0 - 2.0,
                sentiment_colour(*v),
                q + 1
            );
        }
    }
}

/// Findings: flags (diamonds) and failed criteria (triangles) at their first evidence.
fn findings_lane(o: &mut String, sc: &Scale, a: &CallAnalysis) {
    for f in &a.flags {
        let at =
            f.at.or_else(|| f.evidence.first().map(|e| e.start))
                .unwrap_or(0.0);
        let cx = sc.x(at);
        let _ = write!(
            o,
            r##"<path class="seek marker flag" data-start="{at:.2}" d="M{cx:.1} 148 l6 8 l-6 8 l-6 -8 z" fill="#b91c1c"><title>{} at {}: {}</title></path>"##,
            esc(f.kind.as_str()),
            clock(at),
            esc(&f.detail)
        );
    }
    for r in &a.results {
        for c in r
            .criteria
            .iter()
            .filter(|c| c.result == CriterionVerdict::Fail)
        {
            let at = c.evidence.first().map_or(0.0, |e| e.start);
            let cx = sc.x(at);
            let _ = write!(
                o,
                r##"<path class="seek marker fail" data-start="{at:.2}" d="M{cx:.1} 150 l6 12 l-12 0 z" fill="#c77d0a"><title>failed: {} / {} at {}</title></path>"##,
                esc(&r.rubric_id),
                esc(&c.title),
                clock(at)
            );
        }
    }
}
