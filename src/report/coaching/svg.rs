//! Inline SVG charts for the HTML report: the score trend per rubric and criterion pass rates.
//! Plain SVG elements only (no script, no external references).

use super::html::esc;
use super::{CriterionStat, Trend};
use std::fmt::Write;

/// Series colours (colour-blind friendly: Okabe–Ito).
pub(super) const PALETTE: &[&str] = &[
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
];

/// Score (0–100) per rubric over the period's days or weeks, one line per rubric through the
/// buckets that have a scored call.
pub(super) fn trend_chart(t: &Trend) -> String {
    let (w, h) = (760.0, 280.0);
    let (left, right, top, bottom) = (44.0, 16.0, 16.0, 40.0);
    let n = t.series.first().map_or(0, |s| s.points.len());
    let mut o = String::new();
    let _ = write!(
        o,
        r#"<svg class="chart" viewBox="0 0 {w} {h}" width="100%" role="img" aria-label="Score trend per rubric">"#
    );
    let plot_w = w - left - right;
    let plot_h = h - top - bottom;
    let x = |i: usize| {
        if n <= 1 {
            left + plot_w / 2.0
        } else {
            left + plot_w * i as f64 / (n - 1) as f64
        }
    };
    let y = |v: f64| top + plot_h * (1.0 - v.clamp(0.0, 100.0) / 100.0);
    for g in [0.0, 25.0, 50.0, 75.0, 100.0] {
        let _ = write!(
            o,
            r##"<line x1="{left}" y1="{y:.1}" x2="{x2}" y2="{y:.1}" stroke="#e3e7ee" stroke-width="1"/><text x="{tx}" y="{ty:.1}" font-size="11" fill="#6b7280" text-anchor="end">{g}</text>"##,
            y = y(g),
            x2 = w - right,
            tx = left - 6.0,
            ty = y(g) + 4.0,
        );
    }
    if let Some(first) = t.series.first() {
        // At most ~8 date labels, counted back from the newest so it is always labelled.
        let step = n.div_ceil(8).max(1);
        for (i, p) in first.points.iter().enumerate() {
            if !(n - 1 - i).is_multiple_of(step) {
                continue;
            }
            let label = p.bucket.get(5..).unwrap_or(&p.bucket);
            let _ = write!(
                o,
                r##"<text x="{:.1}" y="{}" font-size="11" fill="#6b7280" text-anchor="middle">{}</text>"##,
                x(i),
                h - bottom + 18.0,
                esc(label)
            );
        }
    }
    for (k, s) in t.series.iter().enumerate() {
        let colour = PALETTE[k % PALETTE.len()];
        // Buckets without a scored call are stepped over: the line joins the scored ones.
        let pts: Vec<String> = s
            .points
            .iter()
            .enumerate()
            .filter_map(|(i, p)| Some(format!("{:.1},{:.1}", x(i), y(p.mean?))))
            .collect();
        if pts.len() > 1 {
            let _ = write!(
                o,
                r#"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round"/>"#,
                pts.join(" ")
            );
        }
        for (i, p) in s.points.iter().enumerate() {
            if let Some(v) = p.mean {
                let _ = write!(
                    o,
                    r##"<circle cx="{:.1}" cy="{:.1}" r="3.5" fill="{colour}" stroke="#fff" stroke-width="1.5"><title>{} {}: {:.1} ({} call(s))</title></circle>"##,
                    x(i),
                    y(v),
                    esc(&s.title),
                    esc(&p.bucket),
                    v,
                    p.calls
                );
            }
        }
    }
    o.push_str("</svg>");
    o
}

/// One horizontal bar per criterion: its pass rate, red below 60 %, amber below 85 %.
pub(super) fn pass_rate_chart(criteria: &[CriterionStat]) -> String {
    let row = 24.0;
    let (label_w, bar_w, value_w) = (300.0, 380.0, 80.0);
    let w = label_w + bar_w + value_w;
    let h = row * criteria.len() as f64 + 28.0;
    let mut o = String::new();
    let _ = write!(
        o,
        r#"<svg class="chart" viewBox="0 0 {w} {h}" width="100%" role="img" aria-label="Criterion pass rates">"#
    );
    for g in [0.0, 0.5, 1.0] {
        let gx = label_w + bar_w * g;
        let _ = write!(
            o,
            r##"<line x1="{gx}" y1="0" x2="{gx}" y2="{}" stroke="#e3e7ee"/><text x="{gx}" y="{}" font-size="11" fill="#6b7280" text-anchor="middle">{:.0}%</text>"##,
            h - 20.0,
            h - 6.0,
            g * 100.0
        );
    }
    for (i, c) in criteria.iter().enumerate() {
        let r = c.pass_rate.unwrap_or(0.0);
        let y0 = i as f64 * row + 4.0;
        let colour = if r < 0.6 {
            "#d1495b"
        } else if r < 0.85 {
            "#edae49"
        } else {
            "#2e9e6b"
        };
        let mut label: String = c.title.chars().take(44).collect();
        if c.title.chars().count() > 44 {
            label.push('…');
        }
        let _ = write!(
            o,
            r##"<text x="{}" y="{:.1}" font-size="12" fill="#1f2937" text-anchor="end">{}</text><rect x="{label_w}" y="{y0:.1}" width="{bar_w}" height="{:.1}" rx="3" fill="#f1f3f7"/><rect x="{label_w}" y="{y0:.1}" width="{:.1}" height="{:.1}" rx="3" fill="{colour}"><title>{} ({}): {} pass, {} fail</title></rect><text x="{:.1}" y="{:.1}" font-size="12" fill="#1f2937">{:.0}%  <tspan fill="#6b7280">{}/{}</tspan></text>"##,
            label_w - 8.0,
            y0 + 12.5,
            esc(&label),
            row - 8.0,
            (bar_w * r).max(1.5),
            row - 8.0,
            esc(&c.title),
            esc(&c.rubric_id),
            c.pass,
            c.fail,
            label_w + bar_w + 8.0,
            y0 + 12.5,
            r * 100.0,
            c.pass,
            c.pass + c.fail
        );
    }
    o.push_str("</svg>");
    o
}
