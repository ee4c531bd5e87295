//! The batch loop: workers transcribe in parallel, the calling thread alone stores; stop
//! requests, duplicates, stored calls and storage failures handled on the way.

use super::*;

/// A request to stop the batch (Ctrl-C, SIGTERM). The first stops new calls from starting and
/// lets the ones in flight finish and be stored; the second abandons those too. One signal
/// serves one batch: its abandon flag reaches only the inference of the calls run with it.
#[derive(Debug, Default)]
pub struct StopSignal {
    requests: AtomicUsize,
    pub(super) abandon: crate::asr::AbandonFlag,
}

impl StopSignal {
    /// Records one more request; returns how many there have been.
    pub fn request(&self) -> usize {
        let n = self.requests.fetch_add(1, Ordering::SeqCst) + 1;
        if n >= 2 {
            self.abandon.raise();
        }
        n
    }

    pub fn stop_requested(&self) -> bool {
        self.requests.load(Ordering::SeqCst) >= 1
    }

    pub fn abandon_requested(&self) -> bool {
        self.abandon.is_raised()
    }

    /// Abandons the calls in flight without counting as a request (the batch cannot store
    /// them anyway).
    fn abandon_in_flight(&self) {
        self.abandon.raise();
    }
}

/// What happened to one input file.
#[derive(Debug)]
pub enum FileOutcome {
    Transcribed(Box<Transcript>, Box<CallAnalysis>, StageTimes),
    /// Already in the database (same audio bytes), not redone.
    Skipped {
        call_id: String,
    },
    /// Same bytes as another file in this batch, `of`, which was stored. (A copy of a file
    /// that failed fails too, with its own reason.)
    Duplicate {
        call_id: String,
        of: PathBuf,
    },
    Failed(String),
    /// Not started: the batch was asked to stop first. The next run does it.
    NotStarted,
    /// Started, then abandoned on a second stop request; nothing of it was stored.
    Abandoned,
}

#[derive(Debug, Default)]
pub struct BatchSummary {
    pub counts: RunCounts,
    pub audio_s: f64,
    pub wall: Duration,
    pub stages: StageTimes,
    pub failures: Vec<(PathBuf, String)>,
    /// Already-stored calls scored again because a rubric changed since.
    pub rescored: usize,
    /// Every call this batch covered (transcribed or found stored), for per-rubric averages.
    pub call_ids: Vec<String>,
    /// Files left for the next run because the batch was stopped.
    pub left: usize,
    pub interrupted: bool,
}

impl BatchSummary {
    /// Seconds of audio processed per second of wall time.
    pub fn speed(&self) -> f64 {
        let wall = self.wall.as_secs_f64();
        if wall > 0.0 {
            self.audio_s / wall
        } else {
            0.0
        }
    }
}

/// The batch could not store what it did (a full disk, a database gone read-only). The workers
/// were stopped first: nothing more was transcribed only to be dropped.
#[derive(Debug, thiserror::Error)]
#[error("{error}; the batch stopped: {left} file(s) not done, left for the next run")]
pub struct BatchError {
    pub error: StoreError,
    /// Files not stored: never started, abandoned in flight, or finished after the failure.
    pub left: usize,
}

/// Runs the batch. `on_file` is told about each finished file (for progress display).
pub fn run_batch(
    files: &[PathBuf],
    model: &dyn Transcriber,
    rubrics: &RubricSet,
    store: &mut Store,
    run_id: i64,
    config: &PipelineConfig,
    on_file: &mut dyn FnMut(&Path, &FileOutcome),
) -> Result<BatchSummary, BatchError> {
    let started = Instant::now();
    let stop = &config.stop;
    let before_start = |error| BatchError {
        error,
        left: files.len(),
    };
    let known: HashSet<String> = if config.force {
        HashSet::new()
    } else {
        store
            .call_ids()
            .map_err(before_start)?
            .into_iter()
            .collect()
    };
    // Audio hash → the file that claimed it: the one of several copies that is transcribed.
    let claimed = Mutex::new(HashMap::<String, PathBuf>::new());
    store
        .register_rubrics(&rubrics.rubrics)
        .map_err(before_start)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.jobs.max(1))
        .build()
        .map_err(|e| {
            before_start(StoreError::Corrupt(format!(
                "cannot start worker threads: {e}"
            )))
        })?;
    let mut recorder = Recorder {
        store,
        run_id,
        config,
        rubrics,
        hashes: rubrics.rubrics.iter().map(|r| r.hash.clone()).collect(),
        summary: BatchSummary::default(),
        on_file,
    };
    let (tx, rx) = mpsc::channel::<(PathBuf, FileOutcome)>();
    // Set when nothing more can be stored: workers start no new file and Whisper abandons the
    // ones in flight (their results could only be dropped).
    let halted = AtomicBool::new(false);
    let mut failure: Option<StoreError> = None;
    let mut left_after_failure = 0usize;
    // What each recorded file came to, and the copies still waiting for the file they copy:
    // a copy is reported only once its first is settled, whichever a worker reached first.
    let mut settled: HashMap<PathBuf, Settled> = HashMap::new();
    let mut waiting: HashMap<PathBuf, Vec<(PathBuf, String)>> = HashMap::new();

    std::thread::scope(|scope| {
        scope.spawn(|| {
            pool.install(|| {
                files.par_iter().for_each_with(tx, |tx, path| {
                    let outcome = if stop.stop_requested() || halted.load(Ordering::SeqCst) {
                        FileOutcome::NotStarted
                    } else {
                        let outcome = process_one(path, model, rubrics, config, &known, &claimed);
                        // Whisper stopped by the abandon request fails the call: that is not
                        // the file's fault. A call that finished in time is kept.
                        if stop.abandon_requested() && matches!(outcome, FileOutcome::Failed(_)) {
                            FileOutcome::Abandoned
                        } else {
                            outcome
                        }
                    };
                    let _ = tx.send((path.clone(), outcome));
                });
            });
        });
        for (path, outcome) in rx {
            if failure.is_some() {
                // Draining what the workers still send, so they end; none of it is stored.
                left_after_failure += 1;
                continue;
            }
            let mut queue = vec![(path, outcome)];
            while let Some((path, outcome)) = queue.pop() {
                let outcome = match outcome {
                    FileOutcome::Duplicate { call_id, of } => match settled.get(&of) {
                        Some(first) => first.for_copy_of(&of, call_id),
                        None => {
                            waiting.entry(of).or_default().push((path, call_id));
                            continue;
                        }
                    },
                    outcome => outcome,
                };
                match recorder.record(&path, &outcome) {
                    Ok(how) => {
                        for (copy, call_id) in waiting.remove(&path).unwrap_or_default() {
                            queue.push((
                                copy,
                                FileOutcome::Duplicate {
                                    call_id,
                                    of: path.clone(),
                                },
                            ));
                        }
                        settled.insert(path, how);
                    }
                    Err(e) => {
                        halted.store(true, Ordering::SeqCst);
                        stop.abandon_in_flight();
                        failure = Some(e);
                        // This file's work is lost too, and so are the copies about to follow.
                        left_after_failure += 1 + queue.len();
                        break;
                    }
                }
            }
        }
    });
    let copies_waiting: usize = waiting.values().map(Vec::len).sum();
    if let Some(error) = failure {
        return Err(BatchError {
            error,
            left: left_after_failure + copies_waiting,
        });
    }
    // Every first file reports, so none should be left; if one were, its copies are the next
    // run's, not silently dropped.
    for (copy, _) in waiting.into_values().flatten() {
        recorder
            .record(&copy, &FileOutcome::NotStarted)
            .map_err(|error| BatchError {
                error,
                left: copies_waiting,
            })?;
    }
    let mut summary = recorder.summary;
    summary.wall = started.elapsed();
    summary.interrupted = stop.stop_requested();
    Ok(summary)
}

/// What a file came to once recorded: what a copy of the same audio in the batch comes to.
#[derive(Debug, Clone)]
pub(super) enum Settled {
    /// Stored, or already stored.
    Done,
    Failed(String),
    /// Not started or abandoned: the next run does it.
    Left,
}

impl Settled {
    /// The outcome of a copy (`call_id`, the same audio) of `first`, which came to this. A
    /// copy of a failed file fails too: reported as a skip, it reads as "already handled".
    fn for_copy_of(&self, first: &Path, call_id: String) -> FileOutcome {
        match self {
            Settled::Done => FileOutcome::Duplicate {
                call_id,
                of: first.to_path_buf(),
            },
            Settled::Failed(reason) => FileOutcome::Failed(format!(
                "same audio as {}, which failed: {reason}",
                crate::analysis::pii::display_path(first)
            )),
            Settled::Left => FileOutcome::NotStarted,
        }
    }
}

/// Stores each file's outcome as the workers hand it over, and tells `on_file`.
struct Recorder<'a> {
    store: &'a mut Store,
    run_id: i64,
    config: &'a PipelineConfig,
    rubrics: &'a RubricSet,
    /// The rubric set's hashes: a skipped call scored with other rubrics is rescored.
    hashes: Vec<String>,
    summary: BatchSummary,
    on_file: &'a mut dyn FnMut(&Path, &FileOutcome),
}

impl Recorder<'_> {
    /// A file that failed: its `file_errors` row and the summary's count and list.
    fn failed(&mut self, path: &Path, path_str: &str, msg: &str) -> Result<(), StoreError> {
        self.store
            .record_file_error_of(self.run_id, path_str, msg, user_id(self.config, path))?;
        self.summary.counts.failed += 1;
        self.summary
            .failures
            .push((path.to_path_buf(), msg.to_string()));
        Ok(())
    }

    /// Stores one file's outcome and tells `on_file`; returns what the file came to. An error
    /// here means the database takes nothing more (a call that merely failed to be saved is
    /// recorded as that file's failure).
    fn record(&mut self, path: &Path, outcome: &FileOutcome) -> Result<Settled, StoreError> {
        let path_str = path.display().to_string();
        match outcome {
            FileOutcome::Transcribed(t, analysis, times) => {
                let t0 = Instant::now();
                match self.store.save_call(t, analysis) {
                    Ok(()) => {
                        if let Some(meta) = self.config.metadata.get(path) {
                            self.store.set_metadata(&t.call_id, meta)?;
                        }
                        // Without call metadata, the recording's modification time is the best
                        // guess of when the call took place.
                        if let Some(when) = std::fs::metadata(path)
                            .and_then(|m| m.modified())
                            .ok()
                            .and_then(iso_utc)
                        {
                            self.store.set_started_at_if_unknown(&t.call_id, &when)?;
                        }
                        self.summary.counts.done += 1;
                        self.summary.call_ids.push(t.call_id.clone());
                        self.summary.audio_s += t.duration_s();
                        let mut times = *times;
                        times.store = t0.elapsed();
                        self.summary.stages += times;
                    }
                    Err(e) => {
                        let msg = format!("cannot store: {e}");
                        self.failed(path, &path_str, &msg)?;
                        // Report it as the failure it is, not "ok" (a full disk showed an "ok"
                        // line for a call that was never stored).
                        (self.on_file)(path, &FileOutcome::Failed(msg.clone()));
                        return Ok(Settled::Failed(msg));
                    }
                }
            }
            FileOutcome::Skipped { call_id } => {
                self.summary.counts.skipped += 1;
                self.summary.call_ids.push(call_id.clone());
                self.store.touch_path(call_id, &path_str)?;
                if let Some(meta) = self.config.metadata.get(path) {
                    self.store.set_metadata(call_id, meta)?;
                }
                if !self.store.is_scored_with(call_id, &self.hashes)? {
                    if let Some(t) = self.store.load_transcript(call_id)? {
                        let a = analysis::analyse(&t, self.rubrics);
                        self.store.save_analysis(call_id, &a)?;
                        self.summary.rescored += 1;
                    }
                }
            }
            FileOutcome::Duplicate { .. } => self.summary.counts.skipped += 1,
            FileOutcome::NotStarted | FileOutcome::Abandoned => self.summary.left += 1,
            FileOutcome::Failed(msg) => self.failed(path, &path_str, msg)?,
        }
        (self.on_file)(path, outcome);
        Ok(match outcome {
            FileOutcome::Transcribed(..)
            | FileOutcome::Skipped { .. }
            | FileOutcome::Duplicate { .. } => Settled::Done,
            FileOutcome::Failed(msg) => Settled::Failed(msg.clone()),
            FileOutcome::NotStarted | FileOutcome::Abandoned => Settled::Left,
        })
    }
}

/// "2026-11-22T23:05:09Z" for a system time (UTC, whole seconds).
pub fn iso_utc(t: std::time::SystemTime) -> Option<String> {
    let secs = t.duration_since(std::time::UNIX_EPOCH).ok()?.as_secs() as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (year, month, day) = crate::transcript::meta::civil_from_days(days);
    Some(format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    ))
}

/// A call fixed to a language the model cannot transcribe is that call's error, not a night of
/// English gibberish scored as if it were real.
pub(super) fn check_language(
    language: &str,
    source: LanguageSource,
    model: &dyn Transcriber,
) -> Result<(), PipelineError> {
    let from = match source {
        LanguageSource::Manifest => "the manifest",
        LanguageSource::Queue => "its queue (--queue-language)",
        _ => "--language",
    };
    if !crate::asr::whisper::is_known_language(language) {
        return Err(PipelineError::Language(format!(
            "language {language:?} from {from} is not a language Whisper knows (ISO 639-1 codes such as en, he, ar, ru)"
        )));
    }
    if language != "en" && !model.multilingual() {
        return Err(PipelineError::Language(format!(
            "language {language:?} from {from} needs a multilingual model, but {} is English-only (try --model base; see `scripts/setup.sh --multilingual`)",
            model.name()
        )));
    }
    Ok(())
}

pub(super) fn process_one(
    path: &Path,
    model: &dyn Transcriber,
    rubrics: &RubricSet,
    config: &PipelineConfig,
    known: &HashSet<String>,
    claimed: &Mutex<HashMap<String, PathBuf>>,
) -> FileOutcome {
    // A bug tripped by one odd file must not take the night's batch down with it.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // Every empty file has the same hash: without this, the second of two would be
        // skipped as "the same audio" as the first instead of failing as what it is.
        if std::fs::metadata(path)?.len() == 0 {
            return Err(PipelineError::Audio(AudioError::Empty));
        }
        let call_id = audio_hash(path)?;
        if known.contains(&call_id) {
            return Ok(FileOutcome::Skipped { call_id });
        }
        // A poisoned lock (a worker panicked holding it) only costs the duplicate check.
        let first = claimed
            .lock()
            .map(|mut c| {
                c.entry(call_id.clone())
                    .or_insert_with(|| path.to_path_buf())
                    .clone()
            })
            .unwrap_or_else(|_| path.to_path_buf());
        if first != path {
            // What it comes to depends on how the first copy ends: the batch loop decides.
            return Ok(FileOutcome::Duplicate { call_id, of: first });
        }
        let meta = config.metadata.get(path);
        let fixed = language::fixed_language(
            meta,
            &config.queue_languages,
            config.asr.language.as_deref(),
        );
        if let Some((language, source)) = &fixed {
            check_language(language, *source, model)?;
        }
        // A manifest may say this call's agent is on another channel, or its language.
        let agent_channel = meta.and_then(|m| m.agent_channel);
        let overridden;
        let config = if agent_channel.is_some() || fixed.is_some() {
            let mut c = config.clone();
            if let Some(agent) = agent_channel {
                let (choice, note) = c.channels.with_row_agent(agent);
                if let Some(note) = note {
                    log::info!("{}: {note}", crate::analysis::pii::display_path(path));
                }
                c.channels = choice;
            }
            if let Some((language, source)) = fixed {
                c.asr.language = Some(language);
                c.language_source = source;
            }
            overridden = c;
            &overridden
        } else {
            config
        };
        let (t, mut times) = transcribe_file(path, call_id, model, config)?;
        let t0 = Instant::now();
        let mut t = t;
        let mut analysis = analysis::analyse(&t, rubrics);
        if !config.keep_pii {
            analysis::redact(&mut t, &mut analysis);
        }
        times.score = t0.elapsed();
        Ok::<_, PipelineError>(FileOutcome::Transcribed(
            Box::new(t),
            Box::new(analysis),
            times,
        ))
    }));
    match result {
        Ok(Ok(outcome)) => outcome,
        Ok(Err(e)) => FileOutcome::Failed(e.to_string()),
        Err(panic) => {
            let msg = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            FileOutcome::Failed(PipelineError::Panic(msg).to_string())
        }
    }
}

/// The user's own call id for a file, when its manifest row or name gave one.
fn user_id<'a>(config: &'a PipelineConfig, path: &Path) -> Option<&'a str> {
    config
        .metadata
        .get(path)
        .and_then(|m| m.external_id.as_deref())
}
