//! The batch loop against hostile surroundings: a database that stops taking writes, a second
//! batch after an abandoned one, symbolic links and manifest paths leading elsewhere. The
//! tests that transcribe use the real tiny.en model (models/, as the end-to-end tests do).

use super::*;
use std::sync::Arc;

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
    let model = model();
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
    // The batch's own abandon flag stopped Whisper; nobody pressed Ctrl-C.
    assert!(!stop.stop_requested());
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
