//! Review pages (`callqa review`, `sample --review`): one self-contained HTML file per call for
//! auditors and coaches — header, flags first, every rubric's scorecard with evidence and
//! coaching tips, the transcript in speaker lanes, the call's audio embedded (personal data
//! replaced by a tone) and a timeline. Every quote, evidence item, transcript line and timeline
//! marker carries `data-start`; clicking it plays the call from there. No network: inline CSS,
//! one small inline script, the audio as a data URI, a Content-Security-Policy that allows
//! nothing else. Everything from the store is HTML-escaped.

pub mod audio;
mod timeline;

use crate::analysis::flags::clock;
use crate::analysis::rubric::CriterionVerdict;
use crate::analysis::CallAnalysis;
use crate::store::CallRow;
use crate::transcript::{Evidence, Transcript};
use std::collections::HashMap;
use std::fmt::Write;

pub(crate) use crate::report::coaching::html::{direction_attrs, esc};

/// What one page shows.
pub struct ReviewCall<'a> {
    pub row: &'a CallRow,
    pub transcript: &'a Transcript,
    pub analysis: Option<&'a CallAnalysis>,
    /// The embedded audio (`data:` URI), when the recording could be read.
    pub audio: Option<&'a str>,
    /// Why there is no audio, when there is none.
    pub audio_note: Option<&'a str>,
    /// Spans of personal data muted in the audio.
    pub muted: &'a [audio::Span],
    /// Whether personal data was kept (`--keep-pii`).
    pub keep_pii: bool,
    /// Other calls with a page in the same folder: audio hash → (id shown, page file name).
    pub pages: &'a HashMap<String, (String, String)>,
}

const CSS: &str = r#"
:root{--ink:#1f2937;--muted:#6b7280;--line:#e5e7eb;--bg:#f6f7fb;--card:#fff;--brand:#1e3a5f;--good:#2e9e6b;--warn:#c77d0a;--bad:#c0392b}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:var(--ink);background:var(--bg)}
header{background:var(--brand);color:#fff;padding:14px 24px}header h1{margin:0 0 6px;font-size:20px}
header dl{display:flex;flex-wrap:wrap;gap:4px 18px;margin:0}header dt{opacity:.7;font-size:12px}header dd{margin:0 8px 0 0;font-weight:600}
.player{position:sticky;top:0;z-index:2;background:#fff;border-bottom:1px solid var(--line);padding:8px 24px;display:flex;gap:16px;align-items:center}
.player audio{width:min(640px,100%)}.note{color:var(--muted);font-size:12px}
main{padding:12px 24px;max-width:1200px}section{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 16px;margin:12px 0}
h2{font-size:16px;margin:0 0 8px}h3{font-size:14px;margin:12px 0 6px}
.flag{border-left:4px solid var(--bad);padding:4px 10px;margin:6px 0}.flag.possible_distress{border-color:var(--warn)}.flag.pii{border-color:#7c3aed}
.seek{cursor:pointer}a.seek,button.seek{color:inherit}button.seek{font:inherit;background:none;border:0;padding:0;text-align:left}
.ev{display:block;text-decoration:none;margin:2px 0;padding:2px 6px;border-radius:4px;background:#f3f4f6}.ev:hover,.u:hover{background:#e0e7ff}
.ev .at{font-variant-numeric:tabular-nums;color:var(--muted);margin-right:6px}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid var(--line);padding:5px 6px;vertical-align:top;text-align:left}
.v{font-weight:700;text-transform:uppercase;font-size:12px}.v.pass{color:var(--good)}.v.fail{color:var(--bad)}.v.na{color:var(--muted)}
tr.fail{background:#fff5f5}.tip{color:#374151;font-style:italic}.crit{color:var(--bad);font-size:11px;font-weight:700}
.lanes{display:grid;grid-template-columns:1fr 1fr;gap:2px 24px}.lanes .h{font-weight:700;color:var(--muted)}
.u{padding:4px 8px;border-radius:6px;margin:1px 0}.u.agent{grid-column:1;background:#eef2ff}.u.customer{grid-column:2;background:#fff7ed}
.u .at{color:var(--muted);font-size:12px;margin-right:6px;font-variant-numeric:tabular-nums}
.timeline text{font-size:11px;fill:#6b7280}.timeline .seek:hover{opacity:.7}
.playing{outline:2px solid #6366f1}
"#;

/// Plays the call from an element's `data-start` when it is clicked (or from `#t=SECONDS` in
/// the address, as the sample's index links); marks the transcript line being heard.
const SCRIPT: &str = r#"
(function(){
var p=document.getElementById('player');
function seek(s){if(!p||!isFinite(s))return;p.currentTime=s;var r=p.play();if(r&&r.catch)r.catch(function(){});}
document.addEventListener('click',function(e){var el=e.target.closest('[data-start]');if(!el)return;e.preventDefault();seek(parseFloat(el.getAttribute('data-start')));});
document.addEventListener('keydown',function(e){if(e.key!=='Enter')return;var el=e.target.closest&&e.target.closest('[data-start]');if(el){e.preventDefault();seek(parseFloat(el.getAttribute('data-start')));}});
var m=/^#t=([0-9.]+)$/.exec(location.hash);if(m&&p){var go=function(){p.currentTime=parseFloat(m[1]);};if(p.readyState>0)go();else p.addEventListener('loadedmetadata',go,{once:true});}
if(p){var lines=[].slice.call(document.querySelectorAll('.u[data-start]'));p.addEventListener('timeupdate',function(){var t=p.currentTime;lines.forEach(function(l){var s=parseFloat(l.getAttribute('data-start')),e=parseFloat(l.getAttribute('data-end'));l.classList.toggle('playing',t>=s&&t<e);});});}
})();
"#;

/// The page's policy: nothing from the network, only what the page carries.
const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; media-src data:; img-src data:";

fn seconds_attr(s: f64) -> String {
    format!("{:.2}", s.max(0.0))
}

/// One evidence item: when, who, the words; plays from its start.
fn evidence(e: &Evidence) -> String {
    let who = e.speaker.map_or("measured", |s| s.as_str());
    format!(
        r##"<a class="ev seek" href="#t={0}" data-start="{0}"><span class="at">{1}</span><b>{2}</b> <span class="q"{3}>{4}</span></a>"##,
        seconds_attr(e.start),
        clock(e.start),
        who,
        direction_attrs(&e.quote),
        esc(e.quote.trim())
    )
}

fn verdict_class(v: CriterionVerdict) -> &'static str {
    match v {
        CriterionVerdict::Pass => "pass",
        CriterionVerdict::Fail => "fail",
        CriterionVerdict::Na => "na",
    }
}

/// A review page's whole HTML.
pub fn render_page(c: &ReviewCall) -> String {
    let t = c.transcript;
    let row = c.row;
    let id = row.id();
    let mut o = String::with_capacity(64 * 1024 + c.audio.map_or(0, str::len));
    let _ = write!(
        o,
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="{CSP}"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer"><title>Call {} — callqa review</title><style>{CSS}</style></head><body>"#,
        esc(id)
    );
    page_header(&mut o, c);
    page_player(&mut o, c);
    // Flags first.
    if let Some(a) = c.analysis {
        page_flags(&mut o, c, a);
    }
    // Timeline.
    let _ = write!(
        o,
        r#"<section id="timeline"><h2>Timeline</h2>{}<p class="note">Lanes: agent and customer speech; grey silence (2 s or more), violet holds, red dead air; pink overtalk; sentiment per quarter (green positive, red negative; customer above, agent below); diamonds flags, triangles failed criteria.</p></section>"#,
        timeline::render(t, c.analysis)
    );
    page_scorecards(&mut o, c.analysis);
    page_transcript(&mut o, t);
    let _ = writeln!(o, "</main><script>{SCRIPT}</script></body></html>");
    o
}

fn page_header(o: &mut String, c: &ReviewCall) {
    let t = c.transcript;
    let row = c.row;
    let id = row.id();
    let _ = write!(
        o,
        r#"<header><h1>Call <span id="call-id">{}</span></h1><dl>"#,
        esc(id)
    );
    let unknown = |v: &Option<String>| esc(v.as_deref().unwrap_or("—"));
    let fields: [(&str, String); 10] = [
        (
            "audio hash",
            esc(&row.call_id.chars().take(16).collect::<String>()),
        ),
        ("agent", esc(&row.agent_id)),
        ("customer", unknown(&row.customer_id)),
        ("queue", unknown(&row.queue)),
        ("direction", unknown(&row.direction)),
        ("started", unknown(&row.started_at)),
        ("duration", esc(&clock(t.source.duration_s))),
        (
            "language",
            format!("{} ({})", esc(&t.language), esc(t.language_source.as_str())),
        ),
        ("model", esc(&t.model)),
        ("topic", unknown(&row.topic)),
    ];
    for (k, v) in fields {
        let _ = write!(o, "<div><dt>{k}</dt><dd>{v}</dd></div>");
    }
    o.push_str("</dl></header>");
}

fn page_player(o: &mut String, c: &ReviewCall) {
    o.push_str(r#"<div class="player">"#);
    match c.audio {
        Some(uri) => {
            let _ = write!(
                o,
                r#"<audio id="player" controls preload="auto" src="{}"></audio>"#,
                esc(uri)
            );
            let note = if c.keep_pii {
                "personal data NOT muted (--keep-pii)".to_string()
            } else if c.muted.is_empty() {
                "no personal data found to mute".to_string()
            } else {
                format!(
                    "personal data muted (a tone) in {} span(s): {}",
                    c.muted.len(),
                    c.muted
                        .iter()
                        .map(|s| format!("{}–{}", clock(s.start), clock(s.end)))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            let _ = write!(
                o,
                r#"<span class="note" id="mute-note">{}</span>"#,
                esc(&note)
            );
        }
        None => {
            let _ = write!(
                o,
                r#"<span class="note">no audio: {}</span>"#,
                esc(c.audio_note.unwrap_or("the recording could not be read"))
            );
        }
    }
    o.push_str(
        r#"<span class="note">click any time, quote or line to play from there</span></div><main>"#,
    );
}

fn page_flags(o: &mut String, c: &ReviewCall, a: &CallAnalysis) {
    if !a.flags.is_empty() {
        o.push_str(r#"<section id="flags"><h2>Flags</h2>"#);
        for f in &a.flags {
            let _ = write!(
                o,
                r#"<div class="flag {}"><b>{}</b> — {}"#,
                esc(f.kind.as_str()),
                esc(&f.kind.as_str().replace('_', " ").to_uppercase()),
                esc(&f.detail)
            );
            if let Some(other) = &f.of_call {
                match c.pages.get(other) {
                    Some((shown, page)) => {
                        let _ = write!(
                            o,
                            r#" · <a class="other" href="{}">call {}</a>"#,
                            esc(page),
                            esc(shown)
                        );
                    }
                    None => {
                        let _ = write!(o, " · call {}", esc(other));
                    }
                }
            }
            for e in &f.evidence {
                o.push_str(&evidence(e));
            }
            o.push_str("</div>");
        }
        o.push_str("</section>");
    }
}

/// Failed criteria first in each rubric: what a coach reads first.
fn page_scorecards(o: &mut String, analysis: Option<&CallAnalysis>) {
    match analysis {
        None => o.push_str(r#"<section id="scorecards"><h2>Scorecards</h2><p>Not scored yet (run <code>callqa rescore</code>).</p></section>"#),
        Some(a) => {
            o.push_str(r#"<section id="scorecards"><h2>Scorecards</h2>"#);
            for r in &a.results {
                let score = r.score.map_or("n/a".into(), |s| format!("{s:.0}"));
                let _ = write!(
                    o,
                    r#"<h3 class="rubric" data-rubric="{}">{} — {}{}</h3><table><tr><th>verdict</th><th>criterion</th><th>points</th><th>evidence</th><th>coaching tip</th></tr>"#,
                    esc(&r.rubric_id),
                    esc(&r.title),
                    esc(&score),
                    if r.critical_failed { r#" <span class="crit">CRITICAL FAILURE</span>"# } else { "" }
                );
                // Failed criteria first: what a coach reads first.
                let mut criteria: Vec<_> = r.criteria.iter().collect();
                criteria.sort_by_key(|c| match c.result {
                    CriterionVerdict::Fail => 0,
                    CriterionVerdict::Pass => 1,
                    CriterionVerdict::Na => 2,
                });
                for k in criteria {
                    let class = verdict_class(k.result);
                    let _ = write!(
                        o,
                        r#"<tr class="{class}" data-criterion="{}"><td class="v {class}">{}</td><td>{}{}</td><td>{:.0} / {:.0}</td><td>{}</td><td class="tip">{}</td></tr>"#,
                        esc(&k.id),
                        k.result.as_str(),
                        esc(&k.title),
                        if k.critical { r#" <span class="crit">critical</span>"# } else { "" },
                        k.points,
                        k.max_points,
                        k.evidence.iter().map(evidence).collect::<String>(),
                        if k.result == CriterionVerdict::Fail {
                            esc(k.coach.as_deref().unwrap_or(""))
                        } else {
                            String::new()
                        }
                    );
                }
                o.push_str("</table>");
            }
            o.push_str("</section>");
        }
    }
}

/// The transcript in speaker lanes.
fn page_transcript(o: &mut String, t: &Transcript) {
    o.push_str(r#"<section id="transcript"><h2>Transcript</h2><div class="lanes"><div class="h">agent</div><div class="h">customer</div>"#);
    for u in &t.utterances {
        let _ = write!(
            o,
            r#"<div class="u {} seek" tabindex="0" data-start="{}" data-end="{}"><span class="at">{}</span><span{}>{}</span></div>"#,
            u.speaker.as_str(),
            seconds_attr(u.start),
            seconds_attr(u.end),
            clock(u.start),
            direction_attrs(&u.text),
            esc(u.text.trim())
        );
    }
    o.push_str("</div></section>");
    for w in &t.warnings {
        let _ = write!(o, r#"<p class="note">warning: {}</p>"#, esc(w));
    }
}

/// One line of a sample's index.
pub struct IndexEntry {
    pub id: String,
    pub page: String,
    pub agent: String,
    pub started_at: Option<String>,
    pub scores: Vec<(String, Option<f64>, bool)>,
    pub flags: Vec<String>,
    /// Failed criteria: (rubric, criterion title, start of its first evidence).
    pub failed: Vec<(String, String, Option<f64>)>,
}

/// `index.html` of a set of review pages: each call with its scores and flags, and every failed
/// criterion linking to the second it happened (`page#t=SECONDS`).
pub fn render_index(title: &str, entries: &[IndexEntry]) -> String {
    let mut o = String::new();
    let _ = write!(
        o,
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"><meta name="referrer" content="no-referrer"><title>{}</title><style>{CSS}</style></head><body><header><h1>{}</h1></header><main><section><table><tr><th>call</th><th>started</th><th>agent</th><th>scores</th><th>flags</th><th>failed criteria</th></tr>"#,
        esc(title),
        esc(title)
    );
    for e in entries {
        let scores = e
            .scores
            .iter()
            .map(|(r, s, critical)| {
                format!(
                    "{} {}{}",
                    esc(r),
                    s.map_or("n/a".into(), |s| format!("{s:.0}")),
                    if *critical { "!" } else { "" }
                )
            })
            .collect::<Vec<_>>()
            .join("<br>");
        let failed = e
            .failed
            .iter()
            .map(|(r, title, at)| match at {
                Some(at) => format!(
                    r#"<a href="{}#t={}">{} / {} at {}</a>"#,
                    esc(&e.page),
                    seconds_attr(*at),
                    esc(r),
                    esc(title),
                    clock(*at)
                ),
                None => format!("{} / {}", esc(r), esc(title)),
            })
            .collect::<Vec<_>>()
            .join("<br>");
        let _ = write!(
            o,
            r#"<tr><td><a class="call" href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>"#,
            esc(&e.page),
            esc(&e.id),
            esc(e.started_at.as_deref().unwrap_or("—")),
            esc(&e.agent),
            scores,
            esc(&e.flags.join(", ")),
            failed
        );
    }
    o.push_str("</table></section></main></body></html>\n");
    o
}

#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    #[error("{0}")]
    Store(#[from] crate::store::StoreError),
    #[error("call {0} has no stored transcript")]
    Missing(String),
}

/// How pages are made.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReviewOptions {
    /// Keep personal data: audio unmuted, and text as stored (a database scored with
    /// `--keep-pii` holds it as spoken).
    pub keep_pii: bool,
    /// Leave the audio out (a smaller page).
    pub no_audio: bool,
}

/// A call's page, built from the store: its HTML, its index line, and what was muted.
pub struct BuiltPage {
    pub html: String,
    pub entry: IndexEntry,
    pub muted: Vec<audio::Span>,
    /// Why the audio is missing, when it is.
    pub audio_note: Option<String>,
}

/// Builds one call's page. Unless `keep_pii`, what the page shows is redacted again as `score`
/// redacts it (a no-op for a database scored without `--keep-pii`; one scored with it shows
/// no personal data either), and the redacted words' times are muted in the audio. The audio
/// is read from the call's stored path; when it cannot be read the page has none and says why.
pub fn build_page(
    store: &crate::store::Store,
    audio_hash: &str,
    options: ReviewOptions,
    pages: &HashMap<String, (String, String)>,
) -> Result<BuiltPage, ReviewError> {
    let mut t = store
        .load_transcript(audio_hash)?
        .ok_or_else(|| ReviewError::Missing(audio_hash.to_string()))?;
    let row = store
        .call_row(audio_hash)?
        .ok_or_else(|| ReviewError::Missing(audio_hash.to_string()))?;
    let mut a = store.load_analysis(audio_hash)?;
    if !options.keep_pii {
        redact_again(&mut t, a.as_mut());
    }
    let muted = if options.keep_pii {
        Vec::new()
    } else {
        audio::pii_spans(&t)
    };
    let (uri, audio_note) = if options.no_audio {
        (None, Some("left out (--no-audio)".to_string()))
    } else {
        match crate::audio::decode_file(std::path::Path::new(&t.source.path)) {
            Ok(decoded) => {
                let channels = audio::channels_to_embed(&t, decoded.channels.len());
                (
                    Some(audio::data_uri(&decoded.channels, &channels, &muted)),
                    None,
                )
            }
            Err(e) => (None, Some(format!("{}: {e}", t.source.path))),
        }
    };
    let page = crate::store::page_name(row.id(), &row.call_id);
    let html = render_page(&ReviewCall {
        row: &row,
        transcript: &t,
        analysis: a.as_ref(),
        audio: uri.as_deref(),
        audio_note: audio_note.as_deref(),
        muted: &muted,
        keep_pii: options.keep_pii,
        pages,
    });
    let entry = IndexEntry {
        id: row.id().to_string(),
        page,
        agent: row.agent_id.clone(),
        started_at: row.started_at.clone(),
        scores: a
            .iter()
            .flat_map(|a| &a.results)
            .map(|r| (r.rubric_id.clone(), r.score, r.critical_failed))
            .collect(),
        flags: a
            .iter()
            .flat_map(|a| &a.flags)
            .map(|f| f.kind.to_string())
            .collect(),
        failed: a
            .iter()
            .flat_map(|a| &a.results)
            .flat_map(|r| {
                r.criteria
                    .iter()
                    .filter(|c| c.result == CriterionVerdict::Fail)
                    .map(|c| {
                        (
                            r.rubric_id.clone(),
                            c.title.clone(),
                            c.evidence.first().map(|e| e.start),
                        )
                    })
            })
            .collect(),
    };
    Ok(BuiltPage {
        html,
        entry,
        muted,
        audio_note,
    })
}

/// Redacts what a page shows as `score` redacts before storing: the transcript, and the quotes
/// of words said. Measured findings ("agent_talk_ratio = 0.59, must be between 0.25 and 0.7")
/// are callqa's own figures, not speech, and are left alone (read against the whole call their
/// digits could look like a dictated number's).
fn redact_again(t: &mut Transcript, a: Option<&mut CallAnalysis>) {
    let sources = crate::analysis::redact_transcript(t);
    let Some(a) = a else { return };
    let language = t.language.clone();
    let evidence = a
        .flags
        .iter_mut()
        .flat_map(|f| f.evidence.iter_mut())
        .chain(
            a.results
                .iter_mut()
                .flat_map(|r| r.criteria.iter_mut())
                .flat_map(|c| c.evidence.iter_mut()),
        );
    for e in evidence.filter(|e| e.speaker.is_some()) {
        e.quote = crate::analysis::redact_quote(e, &sources, &language);
    }
}

/// Links every quote of a coaching report to its moment in the call's review page
/// (`DIR/PAGE#t=SECONDS`), for the calls whose page is in `dir`.
pub fn link_quotes(summary: &mut crate::report::coaching::Summary, dir: &std::path::Path) {
    let link = |q: &mut crate::report::coaching::Quote| {
        if dir.join(&q.page).is_file() {
            let base = dir.to_string_lossy();
            let base = base.trim_end_matches('/');
            q.link = Some(format!("{base}/{}#t={}", q.page, seconds_attr(q.start)));
        }
    };
    for c in summary
        .weakest
        .iter_mut()
        .chain(summary.strongest.iter_mut())
    {
        c.quotes.iter_mut().for_each(link);
    }
    for m in &mut summary.compliance_misses {
        m.quotes.iter_mut().for_each(link);
    }
    for d in summary
        .distress
        .iter_mut()
        .chain(summary.possible_distress.iter_mut())
    {
        d.quotes.iter_mut().for_each(link);
        d.response_quotes.iter_mut().for_each(link);
        d.next_agent_utterance.iter_mut().for_each(link);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::{RoleSource, SourceAudio, Speaker, Utterance};

    const HOSTILE: &str = r#"<script>alert(1)</script>"><img src=x onerror=alert(2)>"#;

    #[test]
    fn every_stored_text_is_escaped_and_every_moment_timed() {
        let utt = |speaker, start: f64, text: &str| Utterance {
            speaker,
            channel: 0,
            start,
            end: start + 2.0,
            text: text.into(),
            words: vec![],
            avg_logprob: 0.0,
            no_speech_prob: 0.0,
        };
        let t = Transcript {
            call_id: "ab".repeat(32),
            source: SourceAudio {
                path: HOSTILE.into(),
                codec: "pcm".into(),
                sample_rate: 8000,
                channels: 1,
                duration_s: 30.0,
            },
            roles: RoleSource::Inferred,
            language: "en".into(),
            language_source: Default::default(),
            model: HOSTILE.into(),
            utterances: vec![
                utt(Speaker::Agent, 1.0, HOSTILE),
                utt(Speaker::Customer, 4.5, "אני רוצה לבטל"),
            ],
            warnings: vec![HOSTILE.into()],
            names: vec![],
        };
        let row = CallRow {
            call_id: t.call_id.clone(),
            path: HOSTILE.into(),
            agent_id: HOSTILE.into(),
            customer_id: Some(HOSTILE.into()),
            started_at: None,
            queue: Some(HOSTILE.into()),
            direction: None,
            transcribed_at: "t".into(),
            topic: None,
            language: "en".into(),
            external_id: Some(HOSTILE.into()),
        };
        let html = render_page(&ReviewCall {
            row: &row,
            transcript: &t,
            analysis: None,
            audio: Some("data:audio/wav;base64,AAAA"),
            audio_note: None,
            muted: &[audio::Span {
                start: 3.0,
                end: 4.0,
            }],
            keep_pii: false,
            pages: &HashMap::new(),
        });
        assert_eq!(
            html.matches("<script>").count(),
            1,
            "only the page's own script"
        );
        assert!(!html.contains("<img"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains(r#"data-start="1.00" data-end="3.00""#));
        assert!(html.contains(r#"data-start="4.50""#));
        assert!(html.contains(r#"dir="rtl" lang="he""#));
        assert!(html.contains("muted (a tone) in 1 span(s): 0:03–0:04"));
        let index = render_index(
            HOSTILE,
            &[IndexEntry {
                id: HOSTILE.into(),
                page: "call-abab.html".into(),
                agent: HOSTILE.into(),
                started_at: None,
                scores: vec![("qa".into(), Some(40.0), true)],
                flags: vec![HOSTILE.into()],
                failed: vec![("qa".into(), HOSTILE.into(), Some(12.345))],
            }],
        );
        assert!(!index.contains("<script") && !index.contains("<img"));
        assert!(index.contains(r#"href="call-abab.html#t=12.35""#));
        assert!(index.contains("qa 40!"));
    }
}
