//! A coaching report as one self-contained HTML file: inline CSS and SVG charts, no script, no
//! external resources. Every string from the database is escaped; transcript quotes carry
//! their own `dir` (and `lang` for Hebrew and Arabic), so right-to-left speech renders the right
//! way round even when it starts with an English word or a number.

use super::{
    fmt_duration, fmt_num, fmt_pct, fmt_score, fmt_trend, svg, CriterionStat, DistressCall,
    LeaderboardRow, MetricsSummary, Quote, Summary, View,
};
use crate::text::morph::{script_of_char, Script};
use std::fmt::Write;

/// Text safe inside HTML elements and attribute values.
pub(crate) fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

const CSS: &str = r#"
:root{--ink:#1f2937;--muted:#6b7280;--line:#e5e7eb;--bg:#f6f7fb;--card:#fff;--brand:#1e3a5f;--good:#2e9e6b;--warn:#c77d0a;--bad:#c0392b}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.5 -apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",sans-serif}
header{background:linear-gradient(135deg,#1e3a5f,#2c5d8f);color:#fff;padding:28px 40px 24px}
header h1{margin:0 0 4px;font-size:26px;font-weight:650;letter-spacing:-.01em}
header p{margin:0;opacity:.85}
main{max-width:1100px;margin:0 auto;padding:24px 32px 48px}
section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:20px 24px;margin:0 0 20px;box-shadow:0 1px 2px rgba(16,24,40,.04)}
h2{font-size:17px;margin:0 0 14px;color:var(--brand)}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(160px,1fr));gap:14px;margin:0 0 20px}
.kpi{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 16px}
.kpi .label{font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}
.kpi .value{font-size:26px;font-weight:650;margin-top:2px}
.kpi .sub{font-size:12px;color:var(--muted)}
.up{color:var(--good)}.down{color:var(--bad)}.flat{color:var(--muted)}
table{width:100%;border-collapse:collapse}
th,td{text-align:left;padding:7px 10px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);font-weight:600}
td.nw{white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
tr.me td{background:#eef4fb;font-weight:600}
.alert{border:1px solid #f1b0a8;border-left:6px solid var(--bad);background:#fff6f5}
.alert h2{color:var(--bad)}
.item{padding:12px 0;border-top:1px solid var(--line)}
.item:first-of-type{border-top:0;padding-top:0}
.item h3{margin:0 0 4px;font-size:15px}
.meta{color:var(--muted);font-size:12px}
.tip{background:#f0f6ff;border-left:4px solid #2c5d8f;padding:8px 12px;margin:8px 0;border-radius:0 6px 6px 0}
.praise .tip{background:#effaf4;border-color:var(--good)}
blockquote{margin:6px 0;padding:6px 12px;border-left:3px solid #cbd5e1;background:#fafbfc;border-radius:0 6px 6px 0}
blockquote .who{font-size:12px;color:var(--muted);margin-right:6px}
blockquote .q[dir=rtl]{display:block;text-align:right}
code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f1f3f7;padding:1px 5px;border-radius:4px}
.badge{display:inline-block;font-size:11px;font-weight:600;padding:1px 8px;border-radius:10px;vertical-align:1px}
.b-pass{background:#e3f5ec;color:#1d7a50}.b-fail{background:#fde8e6;color:#a93226}.b-na{background:#eef0f4;color:#555}
.rate{font-weight:650}
.legend{display:flex;flex-wrap:wrap;gap:14px;margin:6px 0 0;font-size:12px;color:var(--muted)}
.legend span::before{content:"";display:inline-block;width:12px;height:3px;margin-right:6px;vertical-align:middle;background:var(--c)}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:20px}
.metrics{display:grid;grid-template-columns:repeat(auto-fit,minmax(180px,1fr));gap:10px}
.metric{border:1px solid var(--line);border-radius:8px;padding:10px 12px}
.metric .label{font-size:12px;color:var(--muted)}.metric .value{font-size:18px;font-weight:600}
.empty{color:var(--muted);font-style:italic}
footer{color:var(--muted);font-size:12px;text-align:center;margin-top:8px}
@media (max-width:800px){.grid2{grid-template-columns:1fr}main{padding:16px}}
@media print{body{background:#fff}section,.kpi{box-shadow:none;break-inside:avoid}}
"#;

/// The `dir` and `lang` attributes for a quote: right-to-left when most of its letters are
/// Hebrew or Arabic. Browsers' `dir="auto"` goes by the first strong letter, which sets a Hebrew
/// sentence that opens with "OK" or a product name left-to-right, its words in reverse order.
pub(crate) fn direction_attrs(text: &str) -> &'static str {
    let (mut hebrew, mut arabic, mut ltr) = (0usize, 0usize, 0usize);
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        match script_of_char(c) {
            Script::Hebrew => hebrew += 1,
            Script::Arabic => arabic += 1,
            _ => ltr += 1,
        }
    }
    if hebrew + arabic == 0 {
        return r#" dir="auto""#;
    }
    if hebrew + arabic < ltr {
        return r#" dir="ltr""#;
    }
    if hebrew >= arabic {
        r#" dir="rtl" lang="he""#
    } else {
        r#" dir="rtl" lang="ar""#
    }
}

fn quote(q: &Quote) -> String {
    let who = q.speaker.as_deref().unwrap_or("measured");
    // With review pages beside the report, the call and time play the moment.
    let (open, close) = match &q.link {
        Some(href) => (format!(r#"<a href="{}">"#, esc(href)), "</a>"),
        None => (String::new(), ""),
    };
    format!(
        r#"<blockquote><span class="who">{open}<code>{}</code> {}{close} · {}</span><span class="q"{}>{}</span></blockquote>"#,
        esc(&q.call_id),
        esc(&q.at),
        esc(who),
        direction_attrs(&q.quote),
        esc(&q.quote)
    )
}

fn trend_class(v: Option<f64>) -> &'static str {
    match v {
        Some(v) if v >= 0.05 => "up",
        Some(v) if v <= -0.05 => "down",
        _ => "flat",
    }
}

fn arrow(v: Option<f64>) -> &'static str {
    match trend_class(v) {
        "up" => "▲ ",
        "down" => "▼ ",
        _ => "",
    }
}

fn kpi(o: &mut String, label: &str, value: &str, sub: &str) {
    let _ = write!(
        o,
        r#"<div class="kpi"><div class="label">{}</div><div class="value">{}</div><div class="sub">{}</div></div>"#,
        esc(label),
        value,
        sub
    );
}

pub(super) fn render(v: &View) -> String {
    let s: &Summary = v.s;
    let mut o = String::new();
    head(&mut o, v);
    // Distress first, always.
    if !s.distress.is_empty() {
        let _ = write!(
            o,
            r#"<section class="alert"><h2>⚠ Customers in distress ({})</h2>"#,
            s.distress.len()
        );
        for d in &s.distress {
            distress_item(&mut o, d, Some(handling_badge(d)));
        }
        o.push_str("</section>");
    }
    // Right after: what the detector was unsure of, for a person to judge.
    if !s.possible_distress.is_empty() {
        let _ = write!(
            o,
            r#"<section class="alert"><h2>Possible distress — review ({})</h2>"#,
            s.possible_distress.len()
        );
        for d in &s.possible_distress {
            distress_item(&mut o, d, None);
        }
        o.push_str("</section>");
    }
    headline_figures(&mut o, v);
    scores_section(&mut o, s);
    o.push_str(r#"<div class="grid2">"#);
    criteria_section(&mut o, "Focus areas", &s.weakest, false);
    criteria_section(&mut o, "Strengths to praise", &s.strongest, true);
    o.push_str("</div>");
    if !s.criteria.is_empty() {
        o.push_str(r#"<section><h2>Criterion pass rates</h2>"#);
        o.push_str(&svg::pass_rate_chart(&s.criteria));
        o.push_str("</section>");
    }
    compliance_section(&mut o, s);
    metrics_section(&mut o, &s.metrics);
    if let Some(board) = v.leaderboard {
        leaderboard_section(&mut o, board);
    }
    o.push_str("<footer>Generated by callqa · scores are the newest result per call and rubric</footer></main></body></html>\n");
    o
}

/// The document head and the page header with the period.
fn head(o: &mut String, v: &View) {
    let _ = write!(
        o,
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>{}</title><style>{CSS}</style></head><body>"#,
        esc(&v.title)
    );
    let _ = write!(
        o,
        r#"<header><h1 dir="auto">{}</h1><p>{} – {} · {} days · compared with {} – {}</p></header><main>"#,
        esc(&v.title),
        v.period.from,
        v.period.to,
        v.period.days,
        v.previous.from,
        v.previous.to
    );
}

/// The badge class and words for how a distress call was handled.
fn handling_badge(d: &DistressCall) -> (&'static str, &'static str) {
    match d.response.as_deref() {
        Some("pass") => ("b-pass", "responded as required"),
        Some("fail") => ("b-fail", "did not respond as required"),
        Some(_) => ("b-na", "response not assessed"),
        None => ("b-na", "no distress_response criterion"),
    }
}

/// One distress or possible-distress call; `badge` (class, words) says how it was handled.
fn distress_item(o: &mut String, d: &DistressCall, badge: Option<(&str, &str)>) {
    let badge = badge.map_or(String::new(), |(class, handled)| {
        format!(r#" <span class="badge {class}">{handled}</span>"#)
    });
    let _ = write!(
        o,
        r#"<div class="item"><h3>Call <code>{}</code>{badge}</h3><div class="meta">{} · agent {}{}</div><p dir="auto">{}</p>"#,
        esc(&d.call_id),
        esc(&d.day),
        esc(&d.agent_id),
        d.at.as_ref()
            .map_or(String::new(), |a| format!(" · at {}", esc(a))),
        esc(&d.detail)
    );
    for q in &d.quotes {
        o.push_str(&quote(q));
    }
    if let Some(q) = &d.next_agent_utterance {
        o.push_str(r#"<div class="meta">The agent's next words:</div>"#);
        o.push_str(&quote(q));
    }
    o.push_str("</div>");
}

fn headline_figures(o: &mut String, v: &View) {
    let s = v.s;
    o.push_str(r#"<div class="kpis">"#);
    let overall = s.mean_score.zip(s.previous_mean_score).map(|(a, b)| a - b);
    kpi(
        o,
        "Mean score",
        &fmt_score(s.mean_score),
        &format!(
            r#"<span class="{}">{}{}</span> vs previous period"#,
            trend_class(overall),
            arrow(overall),
            fmt_trend(overall)
        ),
    );
    kpi(
        o,
        "Calls",
        &s.calls.to_string(),
        &format!(
            "{} scored · {} in previous period",
            s.scored_calls, s.previous_calls
        ),
    );
    if let Some((rank, of)) = v.rank {
        let value = rank.map_or("–".to_string(), |r| format!("#{r}"));
        kpi(o, "Team rank", &value, &format!("of {of} ranked agents"));
    }
    if let Some(n) = v.agents {
        kpi(o, "Agents", &n.to_string(), "with calls in the period");
    }
    kpi(
        o,
        "First-contact resolution",
        &fmt_pct(s.repeat.fcr_rate),
        &format!(
            "{} of {} with a known customer unresolved",
            s.repeat.unresolved_first_contact, s.repeat.calls_with_customer
        ),
    );
    kpi(
        o,
        "Repeat calls",
        &fmt_pct(s.repeat.repeat_call_rate),
        &format!("{} of {} calls", s.repeat.repeat_calls, s.repeat.calls),
    );
    o.push_str("</div>");
}

/// Scores by rubric, then the trend chart with its legend.
fn scores_section(o: &mut String, s: &Summary) {
    o.push_str(r#"<section><h2>Scores by rubric</h2>"#);
    if s.rubrics.is_empty() {
        o.push_str(r#"<p class="empty">No scored calls in this period.</p>"#);
    } else {
        o.push_str(r#"<table><tr><th>Rubric</th><th class="num">Calls scored</th><th class="num">Mean</th><th class="num">Previous</th><th class="num">Trend</th><th class="num">Critical failures</th></tr>"#);
        for r in &s.rubrics {
            let _ = write!(
                o,
                r#"<tr><td>{}</td><td class="num">{}</td><td class="num"><b>{}</b></td><td class="num">{}</td><td class="num {}">{}{}</td><td class="num">{}</td></tr>"#,
                esc(&r.title),
                r.calls_scored,
                fmt_score(r.mean),
                fmt_score(r.previous_mean),
                trend_class(r.trend),
                arrow(r.trend),
                fmt_trend(r.trend),
                r.critical_failures
            );
        }
        o.push_str("</table>");
    }
    if !s.trend.series.is_empty() {
        let _ = write!(
            o,
            r#"<h2 style="margin-top:20px">Score trend (per {})</h2>"#,
            esc(&s.trend.bucket)
        );
        o.push_str(&svg::trend_chart(&s.trend));
        o.push_str(r#"<div class="legend">"#);
        for (k, series) in s.trend.series.iter().enumerate() {
            let _ = write!(
                o,
                r#"<span style="--c:{}">{}</span>"#,
                svg::PALETTE[k % svg::PALETTE.len()],
                esc(&series.title)
            );
        }
        o.push_str("</div>");
    }
    o.push_str("</section>");
}

fn compliance_section(o: &mut String, s: &Summary) {
    o.push_str(r#"<section><h2>Compliance</h2>"#);
    if s.compliance_misses.is_empty() && s.critical_calls.is_empty() {
        o.push_str(r#"<p class="empty">No compliance misses and no critical failures.</p>"#);
    }
    if !s.compliance_misses.is_empty() {
        o.push_str(r#"<table><tr><th>Call</th><th>Day</th><th>Agent</th><th>Criterion</th><th>Evidence</th></tr>"#);
        for m in &s.compliance_misses {
            let _ = write!(
                o,
                r#"<tr><td><code>{}</code></td><td class="nw">{}</td><td>{}</td><td>{}{}</td><td>"#,
                esc(&m.call_id),
                esc(&m.day),
                esc(&m.agent_id),
                esc(&m.title),
                if m.critical {
                    r#" <span class="badge b-fail">critical</span>"#
                } else {
                    ""
                }
            );
            for q in &m.quotes {
                o.push_str(&quote(q));
            }
            o.push_str("</td></tr>");
        }
        o.push_str("</table>");
    }
    if !s.critical_calls.is_empty() {
        o.push_str(r#"<h2 style="margin-top:18px">Calls with a critical failure</h2><table><tr><th>Call</th><th>Day</th><th>Agent</th><th>Rubrics</th><th>Failed critical criteria</th></tr>"#);
        for c in &s.critical_calls {
            let _ = write!(
                o,
                r#"<tr><td><code>{}</code></td><td class="nw">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>"#,
                esc(&c.call_id),
                esc(&c.day),
                esc(&c.agent_id),
                esc(&c.rubrics.join(", ")),
                esc(&c.criteria.join("; "))
            );
        }
        o.push_str("</table>");
    }
    o.push_str("</section>");
}

fn metrics_section(o: &mut String, m: &MetricsSummary) {
    o.push_str(r#"<section><h2>Conversation metrics <span class="meta">(average per call)</span></h2><div class="metrics">"#);
    for (label, value) in [
        ("Handle time", fmt_duration(m.avg_handle_time_s)),
        ("Agent talk share", fmt_pct(m.agent_talk_share)),
        ("Holds", fmt_num(m.avg_hold_count, 1)),
        ("Hold time", format!("{} s", fmt_num(m.avg_hold_s, 1))),
        ("Dead air (> 10 s)", fmt_num(m.avg_dead_air_count, 1)),
        ("Silence", format!("{} s", fmt_num(m.avg_silence_s, 1))),
        (
            "Interruptions by agent",
            fmt_num(m.avg_interruptions_by_agent, 1),
        ),
        (
            "Interruptions by customer",
            fmt_num(m.avg_interruptions_by_customer, 1),
        ),
        ("Overtalk", format!("{} s", fmt_num(m.avg_overtalk_s, 1))),
        ("Agent pace", format!("{} wpm", fmt_num(m.avg_agent_wpm, 0))),
    ] {
        let _ = write!(
            o,
            r#"<div class="metric"><div class="label">{}</div><div class="value">{}</div></div>"#,
            esc(label),
            esc(&value)
        );
    }
    o.push_str("</div></section>");
}

fn leaderboard_section(o: &mut String, board: &[LeaderboardRow]) {
    o.push_str(r#"<section><h2>Leaderboard</h2>"#);
    if board.is_empty() {
        o.push_str(r#"<p class="empty">No agent has a scored call in this period.</p>"#);
    } else {
        o.push_str(r#"<table><tr><th class="num">Rank</th><th>Agent</th><th class="num">Calls</th><th class="num">Scored</th><th class="num">Mean score</th><th class="num">FCR</th></tr>"#);
        for r in board {
            let _ = write!(
                o,
                r#"<tr><td class="num">{}</td><td>{}</td><td class="num">{}</td><td class="num">{}</td><td class="num"><b>{:.1}</b></td><td class="num">{}</td></tr>"#,
                r.rank,
                esc(&r.agent_id),
                r.calls,
                r.scored_calls,
                r.mean_score,
                fmt_pct(r.fcr_rate)
            );
        }
        o.push_str("</table>");
    }
    o.push_str("</section>");
}

fn criteria_section(o: &mut String, heading: &str, list: &[CriterionStat], praise: bool) {
    let _ = write!(
        o,
        r#"<section{}><h2>{}</h2>"#,
        if praise { r#" class="praise""# } else { "" },
        esc(heading)
    );
    if list.is_empty() {
        o.push_str(r#"<p class="empty">None in this period.</p>"#);
    }
    for c in list {
        let _ = write!(
            o,
            r#"<div class="item"><h3 dir="auto">{}</h3><div class="meta">{} · pass rate <span class="rate">{}</span> · {} pass, {} fail, {} n/a</div>"#,
            esc(&c.title),
            esc(&c.rubric_id),
            fmt_pct(c.pass_rate),
            c.pass,
            c.fail,
            c.na
        );
        if !praise {
            if let Some(tip) = &c.coach {
                let _ = write!(o, r#"<div class="tip" dir="auto">{}</div>"#, esc(tip));
            }
        }
        for q in &c.quotes {
            o.push_str(&quote(q));
        }
        o.push_str("</div>");
    }
    o.push_str("</section>");
}
