//! Rescoring throughput: metrics, sentiment, flags and the three shipped rubrics for one call,
//! on one core, from a transcript already in memory (what `callqa rescore` does per call after
//! loading it). Run with `cargo bench --bench scoring`; calls/s = 1 / reported time per call.
//!
//! The transcripts are the sample calls' scripts (samples/*.json) turned into utterances with
//! word timings, so the phrase matcher sees real call-center language.

use callqa::analysis::analyse;
use callqa::rubric::RubricSet;
use callqa::transcript::{RoleSource, SourceAudio, Speaker, Transcript, Utterance, Word};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use serde::Deserialize;
use std::hint::black_box;
use std::path::PathBuf;

#[derive(Deserialize)]
struct Reference {
    call: String,
    duration_s: f64,
    channels: usize,
    turns: Vec<Turn>,
}

#[derive(Deserialize)]
struct Turn {
    speaker: String,
    start: f64,
    end: f64,
    text: String,
}

fn sample_transcripts() -> Vec<Transcript> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut out = Vec::new();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("samples/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    for path in paths {
        let r: Reference =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
        let utterances = r
            .turns
            .iter()
            .map(|t| {
                let words: Vec<&str> = t.text.split_whitespace().collect();
                let step = (t.end - t.start) / words.len().max(1) as f64;
                Utterance {
                    speaker: if t.speaker == "agent" {
                        Speaker::Agent
                    } else {
                        Speaker::Customer
                    },
                    channel: usize::from(t.speaker != "agent"),
                    start: t.start,
                    end: t.end,
                    text: t.text.clone(),
                    words: words
                        .iter()
                        .enumerate()
                        .map(|(i, w)| Word {
                            text: w.to_string(),
                            start: t.start + i as f64 * step,
                            end: t.start + (i + 1) as f64 * step,
                            probability: 0.9,
                        })
                        .collect(),
                    avg_logprob: -0.2,
                    no_speech_prob: 0.01,
                }
            })
            .collect();
        out.push(Transcript {
            names: Vec::new(),
            call_id: r.call.clone(),
            source: SourceAudio {
                path: r.call,
                codec: "pcm".into(),
                sample_rate: 8000,
                channels: r.channels,
                duration_s: r.duration_s,
            },
            roles: if r.channels == 1 {
                RoleSource::Inferred
            } else {
                RoleSource::Mapped
            },
            language: "en".into(),
            language_source: Default::default(),
            model: "script".into(),
            utterances,
            warnings: Vec::new(),
        });
    }
    out
}

fn scoring(c: &mut Criterion) {
    let rubrics = RubricSet::load(&[PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("rubrics")])
        .expect("shipped rubrics");
    let calls = sample_transcripts();
    let mut group = c.benchmark_group("rescore");
    group.throughput(Throughput::Elements(calls.len() as u64));
    group.bench_function(format!("{}_sample_calls_3_rubrics", calls.len()), |b| {
        b.iter(|| {
            for t in &calls {
                black_box(analyse(black_box(t), &rubrics));
            }
        })
    });
    group.finish();

    // A contact-center call is longer than the samples: 8 of them back to back make one
    // ~8-minute call with ~80 utterances.
    let mut long = calls[0].clone();
    long.utterances.clear();
    let mut offset = 0.0;
    for t in calls.iter().cycle().take(8) {
        for u in &t.utterances {
            let mut u = u.clone();
            u.start += offset;
            u.end += offset;
            u.words.iter_mut().for_each(|w| {
                w.start += offset;
                w.end += offset;
            });
            long.utterances.push(u);
        }
        offset += t.source.duration_s;
    }
    long.source.duration_s = offset;
    let mut group = c.benchmark_group("rescore_long");
    group.throughput(Throughput::Elements(1));
    group.bench_function(
        format!(
            "one_{:.0}_min_call_{}_utterances",
            offset / 60.0,
            long.utterances.len()
        ),
        |b| b.iter(|| black_box(analyse(black_box(&long), &rubrics))),
    );
    group.finish();
}

criterion_group!(benches, scoring);
criterion_main!(benches);
