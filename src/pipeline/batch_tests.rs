//! The batch loop against hostile surroundings: a database that stops taking writes, a second
//! batch after an abandoned one, symbolic links and manifest paths leading elsewhere; and its
//! skip, duplicate, interrupt and panic paths. Batch logic is tested with a fake recogniser
//! (`Fake`, milliseconds); what needs Whisper itself (abandoning inference in flight) uses the
//! real tiny.en model (models/, as the end-to-end tests do).

use super::*;
use crate::asr::whisper::{LanguageProbs, RawWord, WindowTranscript};
use crate::asr::{AsrError, TranscriberSession, WhisperModel};
use std::sync::Arc;

/// A recogniser that hears "hello there thank you" in every window after `delay` (waiting as
/// Whisper does, giving up when the batch abandons it), and panics on the calls whose number
/// (sessions in the order started, from 0) is in `panic_on`.
struct Fake {
    delay: Duration,
    panic_on: Vec<usize>,
    sessions: AtomicUsize,
    /// Windows transcribed to the end.
    finished: AtomicUsize,
}

impl Fake {
    fn new(delay_ms: u64) -> Fake {
        Fake {
            delay: Duration::from_millis(delay_ms),
            panic_on: Vec::new(),
            sessions: AtomicUsize::new(0),
            finished: AtomicUsize::new(0),
        }
    }
}

struct FakeSession<'f> {
    fake: &'f Fake,
    panics: bool,
}

impl Transcriber for Fake {
    fn name(&self) -> &str {
        "fake"
    }

    fn multilingual(&self) -> bool {
        false
    }

    fn session(&self) -> Result<Box<dyn TranscriberSession + '_>, AsrError> {
        let n = self.sessions.fetch_add(1, Ordering::SeqCst);
        Ok(Box::new(FakeSession {
            fake: self,
            panics: self.panic_on.contains(&n),
        }))
    }
}

impl TranscriberSession for FakeSession<'_> {
    fn transcribe(
        &mut self,
        audio: &[f32],
        config: &AsrConfig,
    ) -> Result<WindowTranscript, AsrError> {
        let until = Instant::now() + self.fake.delay;
        while Instant::now() < until {
            if config.abandon.is_raised() {
                return Err(AsrError::Inference("abandoned".into()));
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        // After the wait: a call that fails late, while other files are reported.
        if self.panics {
            panic!("the fake recogniser tripped");
        }
        self.fake.finished.fetch_add(1, Ordering::SeqCst);
        let len = audio.len() as f64 / f64::from(crate::audio::TARGET_RATE);
        let words = ["hello", "there", "thank", "you"];
        let step = len / words.len() as f64;
        Ok(WindowTranscript {
            words: words
                .iter()
                .enumerate()
                .map(|(i, w)| RawWord {
                    text: format!(" {w}"),
                    start: i as f64 * step,
                    end: (i as f64 + 0.9) * step,
                    probability: 0.9,
                    logprob: -0.1,
                    no_speech_prob: 0.01,
                })
                .collect(),
            language: "en".into(),
            dropped_segments: 0,
        })
    }

    fn detect_language(
        &mut self,
        _audio: &[f32],
        _threads: usize,
    ) -> Result<LanguageProbs, AsrError> {
        Err(AsrError::Inference(
            "an English-only model cannot detect languages".into(),
        ))
    }
}

/// A fresh database with one run begun.
fn store_in(dir: &Path) -> (Store, i64) {
    let store = Store::open(&dir.join("qa.db")).unwrap();
    let run_id = store.begin_run("test").unwrap();
    (store, run_id)
}

/// What each file came to, in the order reported.
fn outcomes(
    files: &[PathBuf],
    model: &dyn Transcriber,
    store: &mut Store,
    run_id: i64,
    config: &PipelineConfig,
) -> (Result<BatchSummary, BatchError>, Vec<(PathBuf, String)>) {
    let rubrics = RubricSet::load(&[root().join("rubrics")]).unwrap();
    let mut seen = Vec::new();
    let result = run_batch(
        files,
        model,
        &rubrics,
        store,
        run_id,
        config,
        &mut |p, o| {
            let what = match o {
                FileOutcome::Transcribed(..) => "transcribed".to_string(),
                FileOutcome::Skipped { .. } => "skipped".to_string(),
                FileOutcome::Duplicate { .. } => "duplicate".to_string(),
                FileOutcome::Failed(msg) => format!("failed: {msg}"),
                FileOutcome::NotStarted => "not started".to_string(),
                FileOutcome::Abandoned => "abandoned".to_string(),
            };
            seen.push((p.to_path_buf(), what));
        },
    );
    (result, seen)
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn model() -> WhisperModel {
    let path = root().join("models/ggml-tiny.en.bin");
    assert!(
        path.is_file(),
        "{} is missing: run scripts/setup.sh",
        path.display()
    );
    WhisperModel::load(&path, &crate::asr::AsrConfig::default()).expect("load tiny.en")
}

fn config(stop: Arc<StopSignal>) -> PipelineConfig {
    PipelineConfig {
        asr: crate::asr::AsrConfig {
            threads: 2,
            ..Default::default()
        },
        vad: VadConfig::default(),
        channels: ChannelChoice::default(),
        limits: DecodeLimits::default(),
        jobs: 1,
        force: true,
        keep_pii: false,
        metadata: Default::default(),
        stop,
        queue_languages: Default::default(),
        language_source: LanguageSource::Flag,
    }
}

/// `n` different calls with speech (the same 3 s recording, each with its own trailing bytes
/// after the WAV data, so each has its own identity).
fn speech_calls(dir: &Path, n: usize) -> Vec<PathBuf> {
    let bytes = std::fs::read(root().join("tests/data/u8_8k_mono.wav")).unwrap();
    (0..n)
        .map(|i| {
            let path = dir.join(format!("call_{i:02}.wav"));
            let mut b = bytes.clone();
            b.extend_from_slice(format!("JUNK{i:04}").as_bytes());
            std::fs::write(&path, b).unwrap();
            path
        })
        .collect()
}

#[test]
fn a_storage_failure_stops_the_workers_before_they_transcribe_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("qa.db");
    let mut store = Store::open(&db).unwrap();
    let run_id = store.begin_run("test").unwrap();
    // Another connection takes away what a call and a file error are written to: every save
    // now fails, as on a full disk.
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch(
            "DROP VIEW IF EXISTS latest_rubric_results; DROP TABLE file_errors; DROP TABLE calls;",
        )
        .unwrap();
    let files = speech_calls(dir.path(), 6);
    // Each window takes a while, as Whisper's do, so later calls are in flight or waiting when
    // the first one's save fails.
    let model = Fake::new(300);
    let rubrics = RubricSet::load(&[root().join("rubrics")]).unwrap();
    let stop = Arc::new(StopSignal::default());
    let config = config(Arc::clone(&stop));
    let mut seen = Vec::new();
    let result = run_batch(
        &files,
        &model,
        &rubrics,
        &mut store,
        run_id,
        &config,
        &mut |p, _| seen.push(p.to_path_buf()),
    );
    let err = result.expect_err("nothing can be stored");
    // The first call's transcript was lost with the database; the worker was stopped at
    // once: the call in flight abandoned, the others never started. Before, all six were
    // transcribed and dropped.
    assert_eq!(err.left, files.len(), "{err}");
    assert!(err.to_string().contains("left for the next run"), "{err}");
    assert!(seen.is_empty(), "{seen:?}");
    // The batch's own abandon flag stopped the recogniser; nobody pressed Ctrl-C.
    assert!(!stop.stop_requested());
    let finished = model.finished.load(Ordering::SeqCst);
    assert!(finished < files.len(), "{finished} windows transcribed");
}

#[test]
fn a_rerun_skips_stored_calls_without_transcribing_them_again() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, run_id) = store_in(dir.path());
    let files = speech_calls(dir.path(), 3);
    let model = Fake::new(0);
    let rerun = PipelineConfig {
        force: false,
        ..config(Arc::default())
    };
    let (first, seen) = outcomes(&files, &model, &mut store, run_id, &rerun);
    let first = first.unwrap();
    assert_eq!(first.counts.done, 3, "{seen:?}");
    assert!(seen.iter().all(|(_, o)| o == "transcribed"), "{seen:?}");
    assert_eq!(first.call_ids.len(), 3);
    let sessions = model.sessions.load(Ordering::SeqCst);

    let (again, seen) = outcomes(&files, &model, &mut store, run_id, &rerun);
    let again = again.unwrap();
    assert_eq!(
        (again.counts.done, again.counts.skipped),
        (0, 3),
        "{seen:?}"
    );
    assert!(seen.iter().all(|(_, o)| o == "skipped"), "{seen:?}");
    assert_eq!(again.rescored, 0, "the rubrics did not change");
    let sorted = |mut ids: Vec<String>| {
        ids.sort();
        ids
    };
    assert_eq!(sorted(again.call_ids), sorted(first.call_ids));
    assert_eq!(
        model.sessions.load(Ordering::SeqCst),
        sessions,
        "nothing transcribed again"
    );

    // --force redoes them.
    let (forced, _) = outcomes(&files, &model, &mut store, run_id, &config(Arc::default()));
    assert_eq!(forced.unwrap().counts.done, 3);
}

#[test]
fn the_same_audio_twice_in_one_batch_is_transcribed_once() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, run_id) = store_in(dir.path());
    let mut files = speech_calls(dir.path(), 2);
    let copy = dir.path().join("copy_of_call_00.wav");
    std::fs::copy(&files[0], &copy).unwrap();
    files.push(copy);
    let model = Fake::new(0);
    let (summary, seen) = outcomes(&files, &model, &mut store, run_id, &config(Arc::default()));
    let summary = summary.unwrap();
    assert_eq!(
        (summary.counts.done, summary.counts.skipped),
        (2, 1),
        "{seen:?}"
    );
    assert_eq!(
        seen.iter().filter(|(_, o)| o == "duplicate").count(),
        1,
        "{seen:?}"
    );
    assert_eq!(model.sessions.load(Ordering::SeqCst), 2);
}

/// The `file_errors` rows of a database: (path, error), by path.
fn file_errors(dir: &Path) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(dir.join("qa.db")).unwrap();
    let mut stmt = conn
        .prepare("SELECT path, error FROM file_errors ORDER BY path")
        .unwrap();
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    rows
}

/// Two copies of one undecodable file are two failures, whichever copy is claimed first and
/// however many workers run: before, the second was reported as a duplicate skip ("already
/// handled") while the first failed.
#[test]
fn both_copies_of_a_broken_file_fail() {
    for (jobs, reversed) in [(1, false), (1, true), (2, false), (2, true)] {
        let dir = tempfile::tempdir().unwrap();
        let (mut store, run_id) = store_in(dir.path());
        let good = speech_calls(dir.path(), 1).remove(0);
        let broken = ["broken_a.wav", "broken_b.wav"].map(|n| dir.path().join(n));
        for b in &broken {
            std::fs::write(b, "not audio at all\n".repeat(40)).unwrap();
        }
        let mut files = vec![broken[0].clone(), good, broken[1].clone()];
        if reversed {
            files.reverse();
        }
        let model = Fake::new(0);
        let config = PipelineConfig {
            jobs,
            ..config(Arc::default())
        };
        let (summary, seen) = outcomes(&files, &model, &mut store, run_id, &config);
        let summary = summary.unwrap();
        let case = format!("{jobs} job(s), reversed {reversed}: {seen:?}");
        assert_eq!(
            (
                summary.counts.done,
                summary.counts.skipped,
                summary.counts.failed
            ),
            (1, 0, 2),
            "{case}"
        );
        for b in &broken {
            assert!(
                seen.iter()
                    .any(|(p, o)| p == b && o.starts_with("failed: ")),
                "{}: {case}",
                b.display()
            );
        }
        // One copy fails as the file it is, the other says which file it copies and why that
        // one failed.
        let errors = file_errors(dir.path());
        assert_eq!(errors.len(), 2, "{errors:?}");
        let copies: Vec<_> = errors
            .iter()
            .filter(|(_, e)| e.starts_with("same audio as "))
            .collect();
        assert_eq!(copies.len(), 1, "{errors:?}");
        let (copy, reason) = copies[0];
        let first = errors.iter().find(|(p, _)| p != copy).unwrap();
        assert_eq!(
            reason,
            &format!("same audio as {}, which failed: {}", first.0, first.1),
            "{case}"
        );
    }
}

/// A copy reported while its first copy is still being transcribed waits for it: it fails when
/// the first fails late, and is a duplicate skip when the first is stored.
#[test]
fn a_copy_comes_to_what_its_first_copy_comes_to() {
    for fails in [true, false] {
        let dir = tempfile::tempdir().unwrap();
        let (mut store, run_id) = store_in(dir.path());
        let original = speech_calls(dir.path(), 1).remove(0);
        let copy = dir.path().join("copy_of_call_00.wav");
        std::fs::copy(&original, &copy).unwrap();
        let files = [original, copy];
        // Two workers, one file each: the copy is hashed and reported long before the first
        // copy's transcription ends.
        let model = Fake {
            panic_on: if fails { vec![0] } else { Vec::new() },
            ..Fake::new(300)
        };
        let config = PipelineConfig {
            jobs: 2,
            ..config(Arc::default())
        };
        let (summary, seen) = outcomes(&files, &model, &mut store, run_id, &config);
        let summary = summary.unwrap();
        assert_eq!(model.sessions.load(Ordering::SeqCst), 1, "{seen:?}");
        if fails {
            assert_eq!(
                (
                    summary.counts.done,
                    summary.counts.skipped,
                    summary.counts.failed
                ),
                (0, 0, 2),
                "{seen:?}"
            );
            let reasons: Vec<&str> = seen.iter().map(|(_, o)| o.as_str()).collect();
            assert!(
                reasons[0].contains("the fake recogniser tripped"),
                "{seen:?}"
            );
            assert!(
                reasons[1].starts_with("failed: same audio as ")
                    && reasons[1].contains(", which failed: internal error")
                    && reasons[1].contains("the fake recogniser tripped"),
                "{seen:?}"
            );
            assert_eq!(file_errors(dir.path()).len(), 2);
        } else {
            assert_eq!(
                (
                    summary.counts.done,
                    summary.counts.skipped,
                    summary.counts.failed
                ),
                (1, 1, 0),
                "{seen:?}"
            );
            let what: Vec<&str> = seen.iter().map(|(_, o)| o.as_str()).collect();
            assert_eq!(what, ["transcribed", "duplicate"], "{seen:?}");
            assert!(file_errors(dir.path()).is_empty());
        }
    }
}

#[test]
fn a_stop_request_leaves_the_calls_not_started_for_the_next_run() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, run_id) = store_in(dir.path());
    let files = speech_calls(dir.path(), 4);
    // Slow enough that the request comes while the second call is in flight.
    let model = Fake::new(100);
    let stop = Arc::new(StopSignal::default());
    let config = config(Arc::clone(&stop));
    let rubrics = RubricSet::load(&[root().join("rubrics")]).unwrap();
    let mut seen = Vec::new();
    // Ctrl-C as the first call is reported: it is stored, the rest are not started.
    let summary = run_batch(
        &files,
        &model,
        &rubrics,
        &mut store,
        run_id,
        &config,
        &mut |p, o| {
            if matches!(o, FileOutcome::Transcribed(..)) && !stop.stop_requested() {
                stop.request();
            }
            seen.push((p.to_path_buf(), matches!(o, FileOutcome::NotStarted)));
        },
    )
    .unwrap();
    assert!(summary.interrupted);
    assert!(
        !stop.abandon_requested(),
        "one request lets calls in flight finish"
    );
    assert_eq!(summary.counts.done + summary.left, files.len(), "{seen:?}");
    assert!(summary.counts.done >= 1 && summary.left >= 1, "{seen:?}");
    assert_eq!(store.call_ids().unwrap().len(), summary.counts.done);

    // The next run does the rest, and only the rest.
    let rerun = PipelineConfig {
        force: false,
        ..self::config(Arc::default())
    };
    let (next, _) = outcomes(&files, &model, &mut store, run_id, &rerun);
    let next = next.unwrap();
    assert_eq!(next.counts.done, summary.left);
    assert_eq!(next.counts.skipped, summary.counts.done);
    assert!(!next.interrupted);
}

#[test]
fn a_second_stop_request_abandons_the_calls_in_flight() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, run_id) = store_in(dir.path());
    let files = speech_calls(dir.path(), 2);
    let model = Fake::new(60_000);
    let stop = Arc::new(StopSignal::default());
    let config = config(Arc::clone(&stop));
    let rubrics = RubricSet::load(&[root().join("rubrics")]).unwrap();
    let pressing = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(200));
            stop.request();
            stop.request();
        })
    };
    let started = Instant::now();
    let mut seen = Vec::new();
    let summary = run_batch(
        &files,
        &model,
        &rubrics,
        &mut store,
        run_id,
        &config,
        &mut |_, o| {
            seen.push(format!("{o:?}"));
        },
    )
    .unwrap();
    pressing.join().unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "the recogniser was not stopped"
    );
    assert!(summary.interrupted);
    assert_eq!(
        (summary.counts.done, summary.counts.failed),
        (0, 0),
        "{seen:?}"
    );
    assert_eq!(summary.left, files.len(), "{seen:?}");
    assert!(seen.iter().any(|o| o == "Abandoned"), "{seen:?}");
    assert!(store.call_ids().unwrap().is_empty());
}

#[test]
fn a_panic_on_one_call_fails_that_call_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, run_id) = store_in(dir.path());
    let files = speech_calls(dir.path(), 3);
    let model = Fake {
        panic_on: vec![1],
        ..Fake::new(0)
    };
    let (summary, seen) = outcomes(&files, &model, &mut store, run_id, &config(Arc::default()));
    let summary = summary.unwrap();
    assert_eq!(
        (summary.counts.done, summary.counts.failed),
        (2, 1),
        "{seen:?}"
    );
    let (path, msg) = &summary.failures[0];
    assert!(
        msg.contains("internal error while processing this file")
            && msg.contains("the fake recogniser tripped"),
        "{path:?}: {msg}"
    );
    assert!(seen
        .iter()
        .any(|(p, o)| p == path && o.starts_with("failed: ")));
    assert_eq!(store.call_ids().unwrap().len(), 2);
}

#[test]
fn an_abandoned_batch_leaves_later_inference_in_the_process_working() {
    let dir = tempfile::tempdir().unwrap();
    let call = &speech_calls(dir.path(), 1)[0];
    let model = model();

    let first = Arc::new(StopSignal::default());
    first.request();
    first.request();
    let abandoned = transcribe_file(call, "a".into(), &model, &config(Arc::clone(&first)));
    assert!(
        abandoned.is_err(),
        "an abandoned batch's inference must stop"
    );

    // The next batch in the same process (a fresh stop signal) transcribes normally; the
    // process-wide flag made every later inference fail.
    let second = Arc::new(StopSignal::default());
    let (t, _) = transcribe_file(call, "b".into(), &model, &config(second)).unwrap();
    let words: usize = t.utterances.iter().map(|u| u.words.len()).sum();
    assert!(words >= 3, "{:?}", t.utterances);
}

#[test]
fn folder_walks_do_not_follow_symbolic_links_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.txt");
    std::fs::write(&secret, "not audio").unwrap();
    std::fs::create_dir(outside.path().join("more")).unwrap();
    std::fs::write(outside.path().join("more/elsewhere.wav"), b"RIFF").unwrap();
    let calls = dir.path().join("calls");
    std::fs::create_dir(&calls).unwrap();
    std::fs::write(calls.join("real.wav"), b"RIFF").unwrap();
    std::os::unix::fs::symlink(&secret, calls.join("shadow.wav")).unwrap();
    std::os::unix::fs::symlink(&secret, calls.join("notes.txt")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("more"), calls.join("linked_dir")).unwrap();

    let (files, errors) = collect_inputs(std::slice::from_ref(&calls), false);
    assert_eq!(files, vec![calls.join("real.wav")]);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, calls.join("shadow.wav"));
    assert!(errors[0].1.contains("--follow-symlinks"), "{}", errors[0].1);

    let (files, errors) = collect_inputs(std::slice::from_ref(&calls), true);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        files,
        vec![
            calls.join("linked_dir/elsewhere.wav"),
            calls.join("real.wav"),
            calls.join("shadow.wav"),
        ]
    );
    // A link named on the command line is what the user asked for.
    let (files, errors) = collect_inputs(&[calls.join("shadow.wav")], false);
    assert_eq!((files.len(), errors.len()), (1, 0));
}

#[test]
fn confined_manifest_paths_stay_under_the_manifest_folder() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("night");
    std::fs::create_dir_all(folder.join("sub")).unwrap();
    std::fs::write(folder.join("sub/in.wav"), b"x").unwrap();
    std::fs::write(dir.path().join("out.wav"), b"x").unwrap();
    std::os::unix::fs::symlink(dir.path().join("out.wav"), folder.join("link.wav")).unwrap();

    assert!(confine_check(&folder, &folder.join("sub/in.wav")).is_ok());
    assert!(confine_check(&folder, &folder.join("sub/../sub/in.wav")).is_ok());
    for escaping in [
        folder.join("../out.wav"),
        dir.path().join("out.wav"),
        folder.join("link.wav"),
        PathBuf::from("/etc/passwd"),
        // Not there, but pointing out of the folder all the same.
        folder.join("../../missing.wav"),
    ] {
        let err = confine_check(&folder, &escaping).expect_err(&escaping.display().to_string());
        assert!(err.contains("--confine"), "{err}");
    }
    assert!(confine_check(&folder, &folder.join("sub/missing.wav")).is_ok());
}
