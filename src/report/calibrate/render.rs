//! A calibration as Markdown (terminal, tickets) or one self-contained HTML file.

use super::{
    mm_ss, Calibration, Confusion, CriterionCalibration, Disagreement, EvidenceLine, CLASSES,
};
use crate::report::coaching::html::{direction_attrs, esc};
use std::fmt::Write;

fn pct(v: Option<f64>) -> String {
    v.map_or("n/a".into(), |v| format!("{:.1} %", v * 100.0))
}

/// Kappa to two decimals, or why there is none.
fn kappa(v: Option<f64>, n: u64) -> String {
    match v {
        Some(k) => format!("{k:.2}"),
        None if n == 0 => "n/a".into(),
        None => "undefined".into(),
    }
}

/// Words said: "01:05 agent", as the quote's label; a finding (a measured value, a phrase not
/// said): its span, or nothing when it has none.
fn evidence_label(e: &EvidenceLine) -> String {
    match &e.speaker {
        Some(s) => format!("{} {s}", e.time),
        None if e.end > 0.0 => format!("{}–{} finding", e.time, mm_ss(e.end)),
        None => "finding".into(),
    }
}

fn agreed(c: &Confusion) -> u64 {
    (0..3).map(|k| c.counts[k][k]).sum()
}

/// Table cells cannot hold a pipe or a line break.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

fn not_compared(c: &Calibration) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let u = &c.unknown;
    for (what, list) in [
        ("unknown call ids", &u.call_ids),
        (
            "ambiguous call ids (more than one call matches)",
            &u.ambiguous_call_ids,
        ),
        ("unknown rubrics", &u.rubrics),
        ("unknown criteria", &u.criteria),
    ] {
        if !list.is_empty() {
            out.push((what.to_string(), list.clone()));
        }
    }
    if !c.not_scored.is_empty() {
        out.push((
            "not scored against the criterion".into(),
            c.not_scored
                .iter()
                .map(|n| format!("{} {}/{}", n.call_id, n.rubric, n.criterion))
                .collect(),
        ));
    }
    if !c.invalid_rows.is_empty() {
        out.push((
            "rows not read".into(),
            c.invalid_rows
                .iter()
                .map(|r| format!("line {}: {}", r.line, r.reason))
                .collect(),
        ));
    }
    if c.blank_rows > 0 {
        out.push((
            "rows without a verdict".into(),
            vec![c.blank_rows.to_string()],
        ));
    }
    out
}

fn who(d: &Disagreement) -> String {
    let mut s = String::new();
    if let Some(e) = &d.evaluator {
        s.push_str(&format!("evaluator {e}"));
    }
    if let Some(n) = &d.note {
        if !s.is_empty() {
            s.push_str(": ");
        }
        s.push_str(&format!("\"{n}\""));
    }
    s
}

fn md_confusion(out: &mut String, c: &Confusion) {
    out.push_str("| human \\ callqa | pass | fail | na |\n|---|---:|---:|---:|\n");
    for (h, class) in CLASSES.iter().enumerate() {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            class.as_str(),
            c.counts[h][0],
            c.counts[h][1],
            c.counts[h][2]
        );
    }
}

fn thresholds_text(c: &CriterionCalibration) -> String {
    if c.thresholds.is_empty() {
        "—".into()
    } else {
        c.thresholds.join("; ")
    }
}

pub fn render_markdown(c: &Calibration) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Calibration against human verdicts\n");
    let _ = writeln!(
        out,
        "Labels: `{}` — {} pair(s) compared over {} call(s).\n",
        c.labels_file, c.n, c.calls
    );
    let _ = writeln!(
        out,
        "**Overall: agreement {} ({} of {}), kappa {}**\n",
        pct(c.agreement),
        agreed(&c.confusion),
        c.n,
        kappa(c.kappa, c.n)
    );
    if !c.criteria.is_empty() {
        out.push_str(
            "| criterion | n | agreement | kappa | disagreements | thresholds |\n|---|---:|---:|---:|---:|---|\n",
        );
        for k in &c.criteria {
            let _ = writeln!(
                out,
                "| {}/{} | {} | {} | {} | {} | {} |",
                cell(&k.rubric),
                cell(&k.criterion),
                k.n,
                pct(k.agreement),
                kappa(k.kappa, k.n),
                k.disagreements.len(),
                cell(&thresholds_text(k))
            );
        }
        out.push('\n');
        out.push_str("Overall confusion (rows: human, columns: callqa):\n\n");
        md_confusion(&mut out, &c.confusion);
        out.push('\n');
    }
    for k in &c.criteria {
        let _ = writeln!(out, "## {}/{} — {}\n", k.rubric, k.criterion, k.title);
        let _ = writeln!(
            out,
            "n {} · agreement {} · kappa {} · thresholds: {}\n",
            k.n,
            pct(k.agreement),
            kappa(k.kappa, k.n),
            thresholds_text(k)
        );
        md_confusion(&mut out, &k.confusion);
        out.push('\n');
        if k.disagreements.is_empty() {
            continue;
        }
        out.push_str("Disagreements:\n\n");
        for d in &k.disagreements {
            let by = who(d);
            let _ = writeln!(
                out,
                "- `{}` ({}, line {}): human **{}**, callqa **{}**{}",
                d.call_id,
                d.file,
                d.line,
                d.human.as_str(),
                d.callqa.as_str(),
                if by.is_empty() {
                    String::new()
                } else {
                    format!(" — {by}")
                }
            );
            if d.evidence.is_empty() {
                let _ = writeln!(out, "  - (callqa found no evidence)");
            }
            for e in &d.evidence {
                let _ = writeln!(
                    out,
                    "  - {}: \"{}\"",
                    evidence_label(e),
                    e.quote.replace(['\n', '\r'], " ")
                );
            }
        }
        out.push('\n');
    }
    let skipped = not_compared(c);
    if !skipped.is_empty() {
        out.push_str("## Not compared\n\n");
        for (what, list) in skipped {
            let _ = writeln!(out, "- {what}: {}", list.join(", "));
        }
    }
    out
}

const CSS: &str = r#"
body{margin:0;background:#f6f7fb;color:#1f2937;font:14px/1.5 -apple-system,"Segoe UI",Roboto,Arial,"Noto Sans",sans-serif}
header{background:#1e3a5f;color:#fff;padding:24px 40px}
header h1{margin:0 0 4px;font-size:24px}header p{margin:0;opacity:.85}
main{max-width:1100px;margin:0 auto;padding:24px 32px 48px}
section{background:#fff;border:1px solid #e5e7eb;border-radius:10px;padding:18px 22px;margin:0 0 18px}
h2{font-size:16px;margin:0 0 10px;color:#1e3a5f}
table{border-collapse:collapse;margin:6px 0 10px}
th,td{text-align:left;padding:5px 10px;border-bottom:1px solid #e5e7eb;vertical-align:top}
th{font-size:12px;color:#6b7280;font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.diag{background:#e3f5ec}
.kpi{font-size:22px;font-weight:650}
.meta{color:#6b7280;font-size:12px}
blockquote{margin:4px 0 4px 16px;padding:4px 10px;border-left:3px solid #cbd5e1;background:#fafbfc}
blockquote .who{font-size:12px;color:#6b7280;margin-right:6px}
blockquote .q[dir=rtl]{display:block;text-align:right}
.warn{border-left:6px solid #c77d0a}
"#;

fn html_confusion(out: &mut String, c: &Confusion) {
    out.push_str(
        "<table><tr><th>human \\ callqa</th><th class=num>pass</th><th class=num>fail</th><th class=num>na</th></tr>",
    );
    for (h, class) in CLASSES.iter().enumerate() {
        let _ = write!(out, "<tr><th>{}</th>", class.as_str());
        for k in 0..3 {
            let _ = write!(
                out,
                "<td class=\"num{}\">{}</td>",
                if h == k { " diag" } else { "" },
                c.counts[h][k]
            );
        }
        out.push_str("</tr>");
    }
    out.push_str("</table>\n");
}

pub fn render_html(c: &Calibration) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Calibration: {}</title><style>{CSS}</style></head><body>\n",
        esc(&c.labels_file)
    );
    let _ = writeln!(
        out,
        "<header><h1>Calibration against human verdicts</h1><p>Labels {} — {} pair(s) over {} call(s)</p></header><main>",
        esc(&c.labels_file),
        c.n,
        c.calls
    );
    let _ = write!(
        out,
        "<section><h2>Overall</h2><p><span class=kpi>{}</span> agreement ({} of {}) · kappa <span class=kpi>{}</span></p>",
        pct(c.agreement),
        agreed(&c.confusion),
        c.n,
        kappa(c.kappa, c.n)
    );
    if !c.criteria.is_empty() {
        out.push_str("<table><tr><th>criterion</th><th class=num>n</th><th class=num>agreement</th><th class=num>kappa</th><th class=num>disagreements</th><th>thresholds</th></tr>");
        for k in &c.criteria {
            let _ = write!(
                out,
                "<tr><td>{}/{}</td><td class=num>{}</td><td class=num>{}</td><td class=num>{}</td><td class=num>{}</td><td>{}</td></tr>",
                esc(&k.rubric),
                esc(&k.criterion),
                k.n,
                pct(k.agreement),
                kappa(k.kappa, k.n),
                k.disagreements.len(),
                esc(&thresholds_text(k))
            );
        }
        out.push_str("</table><p class=meta>Confusion, rows human, columns callqa:</p>");
        html_confusion(&mut out, &c.confusion);
    }
    out.push_str("</section>\n");
    for k in &c.criteria {
        let _ = write!(
            out,
            "<section><h2>{}/{} — {}</h2><p class=meta>n {} · agreement {} · kappa {} · thresholds: {}</p>",
            esc(&k.rubric),
            esc(&k.criterion),
            esc(&k.title),
            k.n,
            pct(k.agreement),
            kappa(k.kappa, k.n),
            esc(&thresholds_text(k))
        );
        html_confusion(&mut out, &k.confusion);
        for d in &k.disagreements {
            let by = who(d);
            let _ = write!(
                out,
                "<p><code>{}</code> ({}, line {}): human <b>{}</b>, callqa <b>{}</b>{}</p>",
                esc(&d.call_id),
                esc(&d.file),
                d.line,
                d.human.as_str(),
                d.callqa.as_str(),
                if by.is_empty() {
                    String::new()
                } else {
                    format!(" — {}", esc(&by))
                }
            );
            for e in &d.evidence {
                let _ = write!(
                    out,
                    "<blockquote><span class=who>{}</span><span class=q{}>{}</span></blockquote>",
                    esc(&evidence_label(e)),
                    direction_attrs(&e.quote),
                    esc(&e.quote)
                );
            }
        }
        out.push_str("</section>\n");
    }
    let skipped = not_compared(c);
    if !skipped.is_empty() {
        out.push_str("<section class=warn><h2>Not compared</h2><ul>");
        for (what, list) in skipped {
            let _ = write!(out, "<li>{}: {}</li>", esc(&what), esc(&list.join(", ")));
        }
        out.push_str("</ul></section>\n");
    }
    out.push_str("</main></body></html>\n");
    out
}
