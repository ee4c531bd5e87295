//! A coaching report as Markdown: readable as-is in a terminal, and in any Markdown viewer.

use super::{
    fmt_duration, fmt_num, fmt_pct, fmt_score, fmt_trend, CriterionStat, DistressCall,
    LeaderboardRow, MetricsSummary, Quote, Summary, View,
};
use std::fmt::Write;

/// Stored text (agent ids, rubric and criterion titles, tips, quotes) as Markdown shows it
/// literally, on one line: `< > &` as entities, so no viewer renders a `<script>` or any other
/// inline HTML from a transcript or a manifest; Markdown's own marks (`` \ ` * [ ] | ``)
/// escaped, so a quote cannot become a link, code or a table column; other control
/// characters shown, not sent to a terminal.
fn md(s: &str) -> String {
    let flat = s.replace(['\n', '\r'], " ");
    let shown = crate::report::output::one_line(&flat);
    let mut out = String::with_capacity(shown.len());
    for c in shown.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '[' | ']' | '|' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

fn quote_line(q: &Quote) -> String {
    let who = q.speaker.as_deref().unwrap_or("measured");
    match &q.link {
        // The link target is a file name and a time callqa made (no Markdown marks in it).
        Some(href) => format!(
            "[`{}` {}](<{}>) {}: “{}”",
            md(&q.call_id),
            md(&q.at),
            href.replace(['<', '>', ' '], ""),
            md(who),
            md(&q.quote)
        ),
        None => format!(
            "`{}` {} {}: “{}”",
            md(&q.call_id),
            md(&q.at),
            md(who),
            md(&q.quote)
        ),
    }
}

/// A call listed under distress or possible distress: who, when, why, and what was said.
fn distress_call_lines(o: &mut String, d: &DistressCall) {
    let _ = writeln!(
        o,
        "- **call `{}`** ({}, agent {}){}: {}",
        md(&d.call_id),
        md(&d.day),
        md(&d.agent_id),
        d.at.as_ref()
            .map_or(String::new(), |a| format!(" at {}", md(a))),
        md(&d.detail)
    );
    for q in &d.quotes {
        let _ = writeln!(o, "  - {}", quote_line(q));
    }
}

/// What the agent said next, so a coach sees how the moment was answered.
fn next_agent_words(o: &mut String, d: &DistressCall) {
    if let Some(q) = &d.next_agent_utterance {
        let _ = writeln!(o, "  - agent's next words: {}", quote_line(q));
    }
}

pub(super) fn render(v: &View) -> String {
    let s: &Summary = v.s;
    let mut o = String::new();
    let _ = writeln!(o, "# {}\n", md(&v.title));
    let _ = writeln!(
        o,
        "Period **{} to {}** ({} days), compared with {} to {}.\n",
        v.period.from, v.period.to, v.period.days, v.previous.from, v.previous.to
    );
    distress_sections(&mut o, s);
    summary_table(&mut o, v);
    scores_section(&mut o, s);
    criteria_section(&mut o, "Focus areas (weakest criteria)", &s.weakest, true);
    criteria_section(&mut o, "Strengths (for praise)", &s.strongest, false);
    compliance_section(&mut o, s);
    metrics_section(&mut o, &s.metrics);
    if let Some(board) = v.leaderboard {
        leaderboard_section(&mut o, board);
    }
    o
}

/// Distress first, always; right after it, what the detector was unsure of, for a person to
/// judge.
fn distress_sections(o: &mut String, s: &Summary) {
    if !s.distress.is_empty() {
        let _ = writeln!(o, "## ⚠ Customers in distress ({})\n", s.distress.len());
        for d in &s.distress {
            distress_call_lines(o, d);
            let handled = match d.response.as_deref() {
                Some("pass") => "responded as required (distress_response: pass)",
                Some("fail") => "**did not respond as required** (distress_response: fail)",
                Some(_) => "response not assessed (distress_response: n/a)",
                None => "response not assessed (no distress_response criterion)",
            };
            let _ = writeln!(o, "  - handling: {handled}");
            next_agent_words(o, d);
        }
        o.push('\n');
    }
    if !s.possible_distress.is_empty() {
        let _ = writeln!(
            o,
            "## Possible distress — review ({})\n",
            s.possible_distress.len()
        );
        for d in &s.possible_distress {
            distress_call_lines(o, d);
            next_agent_words(o, d);
        }
        o.push('\n');
    }
}

fn summary_table(o: &mut String, v: &View) {
    let s = v.s;
    let _ = writeln!(o, "## Summary\n");
    let _ = writeln!(o, "| | |\n|---|---|");
    if let Some(a) = v.agent {
        let _ = writeln!(o, "| Agent | {} |", md(a));
    }
    if let Some(n) = v.agents {
        let _ = writeln!(o, "| Agents | {n} |");
    }
    let _ = writeln!(
        o,
        "| Calls | {} ({} scored; previous period {}) |",
        s.calls, s.scored_calls, s.previous_calls
    );
    let overall_trend = s.mean_score.zip(s.previous_mean_score).map(|(a, b)| a - b);
    let _ = writeln!(
        o,
        "| Mean score | {} ({} vs previous period) |",
        fmt_score(s.mean_score),
        fmt_trend(overall_trend)
    );
    if let Some((rank, of)) = v.rank {
        let rank = rank.map_or("unranked (no scored call)".into(), |r| {
            format!("{r} of {of}")
        });
        let _ = writeln!(o, "| Leaderboard rank | {rank} |");
    }
    let _ = writeln!(
        o,
        "| First-contact resolution | {} ({} of {} calls with a known customer unresolved) |",
        fmt_pct(s.repeat.fcr_rate),
        s.repeat.unresolved_first_contact,
        s.repeat.calls_with_customer
    );
    let _ = writeln!(
        o,
        "| Repeat calls | {} ({} of {}) |\n",
        fmt_pct(s.repeat.repeat_call_rate),
        s.repeat.repeat_calls,
        s.repeat.calls
    );
}

fn scores_section(o: &mut String, s: &Summary) {
    let _ = writeln!(o, "## Scores by rubric\n");
    if s.rubrics.is_empty() {
        let _ = writeln!(o, "No scored calls.\n");
        return;
    }
    let _ = writeln!(
        o,
        "| Rubric | Calls scored | Mean | Previous | Trend | Critical failures |\n|---|---:|---:|---:|---:|---:|"
    );
    for r in &s.rubrics {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} |",
            md(&r.title),
            r.calls_scored,
            fmt_score(r.mean),
            fmt_score(r.previous_mean),
            fmt_trend(r.trend),
            r.critical_failures
        );
    }
    o.push('\n');
}

fn compliance_section(o: &mut String, s: &Summary) {
    let _ = writeln!(o, "## Compliance\n");
    if s.compliance_misses.is_empty() && s.critical_calls.is_empty() {
        let _ = writeln!(o, "No compliance misses and no critical failures.\n");
        return;
    }
    for m in &s.compliance_misses {
        let _ = writeln!(
            o,
            "- call `{}` ({}, agent {}): **{}**{}",
            md(&m.call_id),
            md(&m.day),
            md(&m.agent_id),
            md(&m.title),
            if m.critical { " (critical)" } else { "" }
        );
        for q in &m.quotes {
            let _ = writeln!(o, "  - {}", quote_line(q));
        }
    }
    if !s.critical_calls.is_empty() {
        let _ = writeln!(o, "\nCalls with a critical failure:\n");
        for c in &s.critical_calls {
            let _ = writeln!(
                o,
                "- call `{}` ({}, agent {}): {} — {}",
                md(&c.call_id),
                md(&c.day),
                md(&c.agent_id),
                md(&c.rubrics.join(", ")),
                md(&c.criteria.join("; "))
            );
        }
    }
    o.push('\n');
}

fn metrics_section(o: &mut String, m: &MetricsSummary) {
    let _ = writeln!(o, "## Conversation metrics (average per call)\n");
    let _ = writeln!(o, "| Metric | Value |\n|---|---:|");
    let rows = [
        ("Handle time", fmt_duration(m.avg_handle_time_s)),
        ("Agent talk share", fmt_pct(m.agent_talk_share)),
        ("Holds", fmt_num(m.avg_hold_count, 1)),
        ("Hold time (s)", fmt_num(m.avg_hold_s, 1)),
        ("Dead air (> 10 s)", fmt_num(m.avg_dead_air_count, 1)),
        ("Silence (s)", fmt_num(m.avg_silence_s, 1)),
        (
            "Interruptions by agent",
            fmt_num(m.avg_interruptions_by_agent, 1),
        ),
        (
            "Interruptions by customer",
            fmt_num(m.avg_interruptions_by_customer, 1),
        ),
        ("Overtalk (s)", fmt_num(m.avg_overtalk_s, 1)),
        ("Agent pace (words/min)", fmt_num(m.avg_agent_wpm, 0)),
    ];
    for (name, value) in rows {
        let _ = writeln!(o, "| {name} | {value} |");
    }
    o.push('\n');
}

fn leaderboard_section(o: &mut String, board: &[LeaderboardRow]) {
    let _ = writeln!(o, "## Leaderboard\n");
    if board.is_empty() {
        let _ = writeln!(o, "No agent has a scored call in this period.\n");
        return;
    }
    let _ = writeln!(
        o,
        "| Rank | Agent | Calls | Scored | Mean score | FCR |\n|---:|---|---:|---:|---:|---:|"
    );
    for r in board {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {:.1} | {} |",
            r.rank,
            md(&r.agent_id),
            r.calls,
            r.scored_calls,
            r.mean_score,
            fmt_pct(r.fcr_rate)
        );
    }
    o.push('\n');
}

fn criteria_section(o: &mut String, heading: &str, list: &[CriterionStat], tips: bool) {
    let _ = writeln!(o, "## {heading}\n");
    if list.is_empty() {
        let _ = writeln!(o, "None in this period.\n");
        return;
    }
    for (i, c) in list.iter().enumerate() {
        let _ = writeln!(
            o,
            "{}. **{}** ({}) — pass rate {} ({} pass, {} fail, {} n/a)",
            i + 1,
            md(&c.title),
            md(&c.rubric_id),
            fmt_pct(c.pass_rate),
            c.pass,
            c.fail,
            c.na
        );
        if tips {
            if let Some(tip) = &c.coach {
                let _ = writeln!(o, "   - Tip: {}", md(tip));
            }
        }
        for q in &c.quotes {
            let _ = writeln!(o, "   - {}", quote_line(q));
        }
    }
    o.push('\n');
}
