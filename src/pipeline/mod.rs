//! The batch: find inputs, then per call hash → decode → voice activity → Whisper → store.
//! Workers transcribe in parallel; the calling thread alone writes to SQLite, one transaction
//! per call, so a failure or crash mid-batch never leaves a partial call.

pub mod language;
mod link;
mod shard;

pub use link::{link_repeats, LinkSummary};
pub use shard::{identity as shard_identity, Shard, ShardError};

use crate::analysis::{self, CallAnalysis};
use crate::asr::{AsrConfig, WhisperModel};
use crate::audio::{
    self, diarize, vad, AudioError, ChannelChoice, ChannelMap, DecodeLimits, DecodedAudio,
    SpeechRegion, VadConfig,
};
use crate::rubric::RubricSet;
use crate::store::{RunCounts, Store, StoreError};
use crate::transcript::{
    LanguageSource, RoleSource, SourceAudio, Speaker, Transcript, Utterance, Word,
};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Mutex};
use std::time::{Duration, Instant};

/// Extensions picked up when walking folders (files named explicitly are always tried).
pub const AUDIO_EXTENSIONS: &[&str] = &[
    "wav", "wave", "mp3", "flac", "ogg", "oga", "opus", "m4a", "mp4", "aac", "aif", "aiff", "caf",
    "mka", "webm",
];

/// Longest audio handed to Whisper at once; its encoder always sees 30 s.
const WINDOW_S: f64 = 29.5;
/// Silence placed between speech pieces packed into one window, so Whisper hears a pause.
/// It is wider than the lag of Whisper's word times (DTW places a word up to ~0.5 s late), so a
/// piece's last words never look like the next piece's first.
const PIECE_GAP_S: f64 = 1.0;
/// Context kept on each side of a speech region, so word edges are not clipped.
const PIECE_PAD_S: f64 = 0.15;
/// Same-speaker regions closer than this form one utterance (a turn with a breath in it).
const TURN_JOIN_S: f64 = 1.0;

#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error("{0}")]
    Audio(#[from] AudioError),
    #[error("{0}")]
    Asr(#[from] crate::asr::AsrError),
    #[error("cannot read file: {0}")]
    Io(#[from] std::io::Error),
    #[error("internal error while processing this file: {0}")]
    Panic(String),
    #[error("{0}")]
    Language(String),
}

#[derive(Debug, Clone)]
pub struct PipelineConfig {
    pub asr: AsrConfig,
    pub vad: VadConfig,
    /// Which channel carries which party, as the flags say; a manifest row may say otherwise
    /// for its call ([`ChannelChoice::with_row_agent`]).
    pub channels: ChannelChoice,
    /// Input bounds (sample rate, channels, duration), checked per file.
    pub limits: DecodeLimits,
    pub jobs: usize,
    pub force: bool,
    /// Store personal data as spoken; by default it is redacted before anything reaches disk.
    pub keep_pii: bool,
    /// Per input file: what a manifest or the file's name says about the call.
    pub metadata: std::collections::HashMap<PathBuf, crate::meta::CallMeta>,
    /// Asked to stop (Ctrl-C, SIGTERM) while the batch runs.
    pub stop: std::sync::Arc<StopSignal>,
    /// Spoken language per queue name (`--queue-language`), for calls whose manifest row
    /// names none.
    pub queue_languages: std::collections::HashMap<String, String>,
    /// Who set `asr.language` when it is set.
    pub language_source: LanguageSource,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct StageTimes {
    pub decode: Duration,
    pub vad: Duration,
    pub asr: Duration,
    pub score: Duration,
    pub store: Duration,
}

impl std::ops::AddAssign for StageTimes {
    fn add_assign(&mut self, o: Self) {
        self.decode += o.decode;
        self.vad += o.vad;
        self.asr += o.asr;
        self.score += o.score;
        self.store += o.store;
    }
}

/// Expands files and folders (recursively) into the audio files to process, sorted, without
/// duplicates. Inputs that do not exist are returned as errors for the caller to report.
/// Symbolic links met while walking a folder are followed only with `follow_symlinks`: a link
/// in a recordings folder can point anywhere (a link to /etc/shadow was opened and its size
/// logged). A skipped link with an audio extension is reported as that file's error; inputs
/// named explicitly are always followed.
pub fn collect_inputs(
    inputs: &[PathBuf],
    follow_symlinks: bool,
) -> (Vec<PathBuf>, Vec<(PathBuf, String)>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for input in inputs {
        if input.is_dir() {
            for entry in walkdir::WalkDir::new(input).follow_links(follow_symlinks) {
                match entry {
                    Ok(e) if e.file_type().is_file() && has_audio_extension(e.path()) => {
                        files.push(e.into_path())
                    }
                    Ok(e) if e.path_is_symlink() && !follow_symlinks => {
                        if has_audio_extension(e.path()) {
                            errors.push((
                                e.into_path(),
                                "a symbolic link, not followed (--follow-symlinks follows links in folders)"
                                    .to_string(),
                            ));
                        } else {
                            log::info!("{}: symbolic link not followed", e.path().display());
                        }
                    }
                    Ok(_) => {}
                    Err(err) => errors.push((
                        err.path().unwrap_or(input).to_path_buf(),
                        format!("cannot list: {err}"),
                    )),
                }
            }
        } else if input.is_file() {
            files.push(input.clone());
        } else {
            errors.push((input.clone(), "no such file or directory".to_string()));
        }
    }
    files.sort();
    files.dedup();
    (files, errors)
}

/// `--confine`: a manifest's file must stay under the manifest's folder, links resolved (an
/// absolute path, a `..` or a symbolic link leading out of it is that row's error). Returns
/// the reason when it does not.
pub fn confine_check(folder: &Path, file: &Path) -> Result<(), String> {
    let outside = || {
        format!(
            "outside the manifest's folder {} (--confine)",
            folder.display()
        )
    };
    let folder = folder
        .canonicalize()
        .map_err(|e| format!("cannot resolve the manifest's folder: {e}"))?;
    match file.canonicalize() {
        Ok(real) if real.starts_with(&folder) => Ok(()),
        Ok(_) => Err(outside()),
        // Not there: judge the path as written.
        Err(_) if lexically_under(file, &folder) => Ok(()),
        Err(_) => Err(outside()),
    }
}

/// Whether `path` (absolute, or relative to the current directory) stays under `folder` once
/// `.` and `..` are applied, without touching the file system.
fn lexically_under(path: &Path, folder: &Path) -> bool {
    use std::path::Component;
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        match std::env::current_dir() {
            Ok(dir) => dir.join(path),
            Err(_) => return false,
        }
    };
    let mut parts: Vec<Component> = Vec::new();
    for c in absolute.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(parts.last(), Some(Component::Normal(_))) {
                    parts.pop();
                }
            }
            other => parts.push(other),
        }
    }
    parts.iter().collect::<PathBuf>().starts_with(folder)
}

fn has_audio_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| AUDIO_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// SHA-256 of the file's bytes: a call's identity, whatever its path or name.
pub fn audio_hash(path: &Path) -> Result<String, std::io::Error> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(crate::asr::model::hex(&hasher.finalize()))
}

/// Decodes and transcribes one file into a transcript (nothing is stored).
pub fn transcribe_file(
    path: &Path,
    call_id: String,
    model: &WhisperModel,
    config: &PipelineConfig,
) -> Result<(Transcript, StageTimes), PipelineError> {
    let mut times = StageTimes::default();
    let t = Instant::now();
    let decoded = audio::decode_file_with(path, &config.limits)?;
    times.decode = t.elapsed();
    let (transcript, vad_time, asr_time) =
        transcribe_decoded(path, call_id, &decoded, model, config)?;
    times.vad = vad_time;
    times.asr = asr_time;
    Ok((transcript, times))
}

/// A stretch of one party's speech, as found by voice activity detection.
#[derive(Debug, Clone, Copy)]
struct Turn {
    speaker: Speaker,
    channel: usize,
    region: SpeechRegion,
}

pub fn transcribe_decoded(
    path: &Path,
    call_id: String,
    decoded: &DecodedAudio,
    model: &WhisperModel,
    config: &PipelineConfig,
) -> Result<(Transcript, Duration, Duration), PipelineError> {
    let t_vad = Instant::now();
    let channel_map = config.channels.resolve()?;
    channel_map.validate(decoded.channels.len())?;
    let mut warnings = decoded.warnings.clone();
    let (turns, roles, signals) = find_turns(decoded, channel_map, config, &mut warnings);
    let vad_time = t_vad.elapsed();

    let t_asr = Instant::now();
    let names = config
        .metadata
        .get(path)
        .map(|m| m.known_names())
        .unwrap_or_default();
    // The call's own names first: they are the likeliest, and the prompt has a budget.
    let mut vocabulary = names.clone();
    vocabulary.extend(
        config
            .asr
            .vocabulary
            .iter()
            .filter(|w| !names.contains(w))
            .cloned(),
    );
    let asr_config = crate::asr::AsrConfig {
        decoding: config.asr.decoding.for_source_rate(decoded.source_rate),
        vocabulary,
        // Whisper stops when this batch is abandoned, and only then.
        abandon: config.stop.abandon.clone(),
        ..config.asr.clone()
    };
    let mut session = model.session()?;
    // Windows are rendered when used, not all held at once: an hour-long call's audio would
    // sit in memory twice.
    let windows: Vec<Window> = [Speaker::Agent, Speaker::Customer]
        .into_iter()
        .flat_map(|speaker| {
            let own: Vec<Turn> = turns
                .iter()
                .copied()
                .filter(|t| t.speaker == speaker)
                .collect();
            pack_windows(&own)
        })
        .collect();

    let (language, language_source, window_languages) =
        match (&config.asr.language, model.multilingual) {
            // An English-only model transcribes English whatever it is told (`score` refuses a
            // non-English call before this; `transcribe` says what it did).
            (_, false) => (
                "en".to_string(),
                LanguageSource::Model,
                vec!["en".to_string(); windows.len()],
            ),
            (Some(fixed), true) => (
                fixed.clone(),
                config.language_source,
                vec![fixed.clone(); windows.len()],
            ),
            (None, true) => {
                let mut detections = Vec::with_capacity(windows.len());
                let mut detected_s = [0.0f64; 2];
                for w in &windows {
                    let party = usize::from(w.speaker == Speaker::Customer);
                    let probs = if language::needs_detection(detected_s[party]) {
                        let audio = w.render(signals[w.channel_slot]);
                        let probs = session.detect_language(&audio, asr_config.threads)?;
                        detected_s[party] += w.speech_s();
                        if let Some((code, p)) = probs.top() {
                            log::debug!(
                                "{}: {:.1} s of {} speech heard as {code} (p {p:.2})",
                                path.display(),
                                w.speech_s(),
                                w.speaker.as_str()
                            );
                        }
                        Some(probs)
                    } else {
                        None
                    };
                    detections.push(language::Detection {
                        speaker: w.speaker,
                        speech_s: w.speech_s(),
                        probs,
                    });
                }
                match language::choose(&detections) {
                    Some((call, per_window)) => (call, LanguageSource::Detected, per_window),
                    // No speech: nothing to transcribe, and nothing to tell the language by.
                    None => (
                        "und".to_string(),
                        LanguageSource::Detected,
                        vec!["und".to_string(); windows.len()],
                    ),
                }
            }
        };
    let mut utterances = Vec::new();
    for (window, window_language) in windows.iter().zip(&window_languages) {
        let config = crate::asr::AsrConfig {
            language: Some(window_language.clone()),
            ..asr_config.clone()
        };
        let audio = window.render(signals[window.channel_slot]);
        let result = session.transcribe(&audio, &config)?;
        utterances.extend(window.utterances(&result.words));
    }
    let asr_time = t_asr.elapsed();

    let mut transcript = Transcript {
        names,
        call_id,
        source: SourceAudio {
            path: path.display().to_string(),
            codec: decoded.codec.clone(),
            sample_rate: decoded.source_rate,
            channels: decoded.source_channels,
            duration_s: decoded.duration_s(),
        },
        roles,
        language,
        language_source,
        model: model.name.clone(),
        utterances,
        warnings,
    };
    transcript.sort_utterances();
    Ok((transcript, vad_time, asr_time))
}

/// Finds each party's turns. Returns the turns, how roles were decided, and the signal each
/// turn's `channel` slot refers to.
fn find_turns<'a>(
    decoded: &'a DecodedAudio,
    channel_map: ChannelMap,
    config: &PipelineConfig,
    warnings: &mut Vec<String>,
) -> (Vec<Turn>, RoleSource, Vec<&'a [f32]>) {
    let channels = &decoded.channels;
    let stereo = channels.len() >= 2;
    let (a, c) = (channel_map.agent, channel_map.customer);
    if stereo && !is_dual_mono(&channels[a], &channels[c]) {
        let [agent_regions, customer_regions] =
            vad::detect_stereo(&channels[a], &channels[c], &config.vad);
        let mut turns: Vec<Turn> = agent_regions
            .into_iter()
            .map(|region| Turn {
                speaker: Speaker::Agent,
                channel: 0,
                region,
            })
            .chain(customer_regions.into_iter().map(|region| Turn {
                speaker: Speaker::Customer,
                channel: 1,
                region,
            }))
            .collect();
        turns.sort_by(|x, y| x.region.start.total_cmp(&y.region.start));
        return (
            join_turns(turns),
            RoleSource::Mapped,
            vec![&channels[a], &channels[c]],
        );
    }
    if stereo {
        warnings.push("both channels carry the same audio (a mono mixdown in a stereo file); speakers inferred".into());
    }
    let mono = &channels[0];
    // Turn changes on one channel are short pauses: split finer than on stereo, then let
    // voices decide who spoke.
    let mono_vad = VadConfig {
        min_gap_s: 0.25,
        ..config.vad.clone()
    };
    let regions = vad::detect(mono, &mono_vad);
    let attribution = diarize::attribute(mono, &regions);
    if let Some(w) = attribution.warning {
        warnings.push(w);
    }
    let turns = regions
        .into_iter()
        .zip(attribution.speakers)
        .map(|(region, speaker)| Turn {
            speaker,
            channel: 0,
            region,
        })
        .collect();
    (
        join_turns(turns),
        RoleSource::Inferred,
        vec![mono.as_slice(), mono.as_slice()],
    )
}

/// A stereo file whose two channels are the same signal is a mono recording in disguise.
fn is_dual_mono(a: &[f32], b: &[f32]) -> bool {
    let n = a.len().min(b.len());
    if n == 0 {
        return false;
    }
    let (mut energy, mut diff) = (0.0f64, 0.0f64);
    for i in 0..n {
        energy += f64::from(a[i]).powi(2) + f64::from(b[i]).powi(2);
        diff += f64::from(a[i] - b[i]).powi(2);
    }
    energy > 1e-6 && diff < energy * 1e-3
}

/// Joins a party's consecutive regions into one turn when the gap is short and the other
/// party did not speak in it. Expects turns sorted by start.
fn join_turns(turns: Vec<Turn>) -> Vec<Turn> {
    let mut out: Vec<Turn> = Vec::new();
    for turn in turns {
        let joined = out
            .iter()
            .rposition(|t| t.speaker == turn.speaker)
            .and_then(|i| {
                let prev = out[i];
                let gap = turn.region.start - prev.region.end;
                let other_spoke = out[i + 1..].iter().any(|t| t.speaker != turn.speaker);
                (gap < TURN_JOIN_S
                    && !other_spoke
                    && prev.region.end - prev.region.start + gap + turn.region.duration() <= 28.0)
                    .then_some(i)
            });
        match joined {
            Some(i) => out[i].region.end = out[i].region.end.max(turn.region.end),
            None => out.push(turn),
        }
    }
    out
}

/// One Whisper window: a party's turns laid end to end with short gaps.
struct Window {
    channel_slot: usize,
    speaker: Speaker,
    pieces: Vec<Piece>,
}

#[derive(Clone, Copy)]
struct Piece {
    turn: SpeechRegion,
    /// The audio span copied (the turn plus padding), in call time.
    src_start: f64,
    src_end: f64,
    /// Where that span starts inside the window.
    offset: f64,
}

fn pack_windows(turns: &[Turn]) -> Vec<Window> {
    let mut windows: Vec<Window> = Vec::new();
    for turn in turns {
        let src_start = (turn.region.start - PIECE_PAD_S).max(0.0);
        let src_end = turn.region.end + PIECE_PAD_S;
        let len = src_end - src_start;
        let fits = windows
            .last()
            .is_some_and(|w| w.end() + PIECE_GAP_S + len <= WINDOW_S);
        if !fits {
            windows.push(Window {
                channel_slot: turn.channel,
                speaker: turn.speaker,
                pieces: Vec::new(),
            });
        }
        if let Some(w) = windows.last_mut() {
            let offset = if w.pieces.is_empty() {
                0.0
            } else {
                w.end() + PIECE_GAP_S
            };
            w.pieces.push(Piece {
                turn: turn.region,
                src_start,
                src_end,
                offset,
            });
        }
    }
    windows
}

impl Window {
    /// Seconds of speech in the window (the silence packed between pieces not counted).
    fn speech_s(&self) -> f64 {
        self.pieces.iter().map(|p| p.turn.end - p.turn.start).sum()
    }

    fn end(&self) -> f64 {
        self.pieces
            .last()
            .map_or(0.0, |p| p.offset + (p.src_end - p.src_start))
    }

    fn render(&self, signal: &[f32]) -> Vec<f32> {
        let rate = f64::from(audio::TARGET_RATE);
        let mut out = vec![0.0f32; (self.end() * rate).ceil() as usize];
        for p in &self.pieces {
            let lo = ((p.src_start * rate) as usize).min(signal.len());
            let hi = ((p.src_end * rate) as usize).min(signal.len());
            let at = (p.offset * rate) as usize;
            for (k, v) in signal[lo..hi].iter().enumerate() {
                if let Some(slot) = out.get_mut(at + k) {
                    *slot = *v;
                }
            }
        }
        out
    }

    /// Maps words back to call time and groups them into one utterance per turn.
    fn utterances(&self, words: &[crate::asr::RawWord]) -> Vec<Utterance> {
        let mut per_piece: Vec<Vec<(Word, f32, f32)>> = vec![Vec::new(); self.pieces.len()];
        for w in words {
            // Word times lag the audio, never lead it: a word reported before a piece's start
            // belongs to an earlier piece.
            let anchor = w.start;
            let idx = self
                .pieces
                .iter()
                .rposition(|p| p.offset <= anchor)
                .unwrap_or(0);
            let p = self.pieces[idx];
            let to_call = |t: f64| (p.src_start + (t - p.offset)).clamp(p.src_start, p.src_end);
            per_piece[idx].push((
                Word {
                    text: w.text.clone(),
                    start: to_call(w.start),
                    end: to_call(w.end),
                    probability: w.probability,
                },
                w.logprob,
                w.no_speech_prob,
            ));
        }
        self.pieces
            .iter()
            .zip(per_piece)
            .filter(|(_, ws)| !ws.is_empty())
            .map(|(p, ws)| {
                let n = ws.len() as f32;
                let text = ws
                    .iter()
                    .map(|(w, _, _)| w.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                Utterance {
                    speaker: self.speaker,
                    channel: self.channel_slot,
                    start: p.turn.start,
                    end: p.turn.end,
                    text,
                    avg_logprob: ws.iter().map(|(_, l, _)| l).sum::<f32>() / n,
                    no_speech_prob: ws.iter().map(|(_, _, s)| *s).fold(0.0, f32::max),
                    words: ws.into_iter().map(|(w, _, _)| w).collect(),
                }
            })
            .collect()
    }
}

/// A request to stop the batch (Ctrl-C, SIGTERM). The first stops new calls from starting and
/// lets the ones in flight finish and be stored; the second abandons those too. One signal
/// serves one batch: its abandon flag reaches only the inference of the calls run with it.
#[derive(Debug, Default)]
pub struct StopSignal {
    requests: AtomicUsize,
    abandon: crate::asr::AbandonFlag,
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
    /// Same bytes as another file in this batch.
    Duplicate {
        call_id: String,
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
    model: &WhisperModel,
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
    let claimed = Mutex::new(HashSet::<String>::new());
    let hashes: Vec<String> = rubrics.rubrics.iter().map(|r| r.hash.clone()).collect();
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
    let mut summary = BatchSummary::default();
    let (tx, rx) = mpsc::channel::<(PathBuf, FileOutcome)>();
    // Set when nothing more can be stored: workers start no new file and Whisper abandons the
    // ones in flight (their results could only be dropped).
    let halted = AtomicBool::new(false);
    let mut failure: Option<StoreError> = None;
    let mut left_after_failure = 0usize;

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
            if let Err(e) = record_outcome(
                &path,
                &outcome,
                store,
                run_id,
                config,
                rubrics,
                &hashes,
                &mut summary,
                on_file,
            ) {
                halted.store(true, Ordering::SeqCst);
                stop.abandon_in_flight();
                failure = Some(e);
                // This file's work is lost too.
                left_after_failure += 1;
            }
        }
    });
    if let Some(error) = failure {
        return Err(BatchError {
            error,
            left: left_after_failure,
        });
    }
    summary.wall = started.elapsed();
    summary.interrupted = stop.stop_requested();
    Ok(summary)
}

/// Stores one file's outcome and tells `on_file`. An error here means the database takes
/// nothing more (a call that merely failed to be saved is recorded as that file's failure).
#[allow(clippy::too_many_arguments)]
fn record_outcome(
    path: &Path,
    outcome: &FileOutcome,
    store: &mut Store,
    run_id: i64,
    config: &PipelineConfig,
    rubrics: &RubricSet,
    hashes: &[String],
    summary: &mut BatchSummary,
    on_file: &mut dyn FnMut(&Path, &FileOutcome),
) -> Result<(), StoreError> {
    let path_str = path.display().to_string();
    match outcome {
        FileOutcome::Transcribed(t, analysis, times) => {
            let t0 = Instant::now();
            match store.save_call(t, analysis) {
                Ok(()) => {
                    if let Some(meta) = config.metadata.get(path) {
                        store.set_metadata(&t.call_id, meta)?;
                    }
                    // Without call metadata, the recording's modification time is the best
                    // guess of when the call took place.
                    if let Some(when) = std::fs::metadata(path)
                        .and_then(|m| m.modified())
                        .ok()
                        .and_then(iso_utc)
                    {
                        store.set_started_at_if_unknown(&t.call_id, &when)?;
                    }
                    summary.counts.done += 1;
                    summary.call_ids.push(t.call_id.clone());
                    summary.audio_s += t.duration_s();
                    let mut times = *times;
                    times.store = t0.elapsed();
                    summary.stages += times;
                }
                Err(e) => {
                    let msg = format!("cannot store: {e}");
                    store.record_file_error_of(run_id, &path_str, &msg, user_id(config, path))?;
                    summary.counts.failed += 1;
                    summary.failures.push((path.to_path_buf(), msg.clone()));
                    // Report it as the failure it is, not "ok" (a full disk showed an "ok"
                    // line for a call that was never stored).
                    on_file(path, &FileOutcome::Failed(msg));
                    return Ok(());
                }
            }
        }
        FileOutcome::Skipped { call_id } => {
            summary.counts.skipped += 1;
            summary.call_ids.push(call_id.clone());
            store.touch_path(call_id, &path_str)?;
            if let Some(meta) = config.metadata.get(path) {
                store.set_metadata(call_id, meta)?;
            }
            if !store.is_scored_with(call_id, hashes)? {
                if let Some(t) = store.load_transcript(call_id)? {
                    let a = analysis::analyse(&t, rubrics);
                    store.save_analysis(call_id, &a)?;
                    summary.rescored += 1;
                }
            }
        }
        FileOutcome::Duplicate { .. } => summary.counts.skipped += 1,
        FileOutcome::NotStarted | FileOutcome::Abandoned => summary.left += 1,
        FileOutcome::Failed(msg) => {
            store.record_file_error_of(run_id, &path_str, msg, user_id(config, path))?;
            summary.counts.failed += 1;
            summary.failures.push((path.to_path_buf(), msg.clone()));
        }
    }
    on_file(path, outcome);
    Ok(())
}

/// "2026-11-22T23:05:09Z" for a system time (UTC, whole seconds).
pub fn iso_utc(t: std::time::SystemTime) -> Option<String> {
    let secs = t.duration_since(std::time::UNIX_EPOCH).ok()?.as_secs() as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (year, month, day) = crate::meta::civil_from_days(days);
    Some(format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    ))
}

/// A call fixed to a language the model cannot transcribe is that call's error, not a night of
/// English gibberish scored as if it were real.
fn check_language(
    language: &str,
    source: LanguageSource,
    model: &WhisperModel,
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
    if language != "en" && !model.multilingual {
        return Err(PipelineError::Language(format!(
            "language {language:?} from {from} needs a multilingual model, but {} is English-only (try --model base; see `scripts/setup.sh --multilingual`)",
            model.name
        )));
    }
    Ok(())
}

fn process_one(
    path: &Path,
    model: &WhisperModel,
    rubrics: &RubricSet,
    config: &PipelineConfig,
    known: &HashSet<String>,
    claimed: &Mutex<HashSet<String>>,
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
        let first = claimed
            .lock()
            .map(|mut c| c.insert(call_id.clone()))
            .unwrap_or(true);
        if !first {
            return Ok(FileOutcome::Duplicate { call_id });
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
                    log::info!("{}: {note}", path.display());
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

#[cfg(test)]
mod batch_tests;

#[cfg(test)]
mod tests {
    use super::*;

    fn turn(speaker: Speaker, start: f64, end: f64) -> Turn {
        Turn {
            speaker,
            channel: if speaker == Speaker::Agent { 0 } else { 1 },
            region: SpeechRegion { start, end },
        }
    }

    #[test]
    fn turns_join_across_short_pauses_but_not_across_the_other_party() {
        use Speaker::*;
        let turns = vec![
            turn(Agent, 0.0, 2.0),
            turn(Agent, 2.5, 4.0),
            turn(Customer, 4.6, 6.0),
            turn(Agent, 6.5, 7.0),
        ];
        let joined = join_turns(turns);
        assert_eq!(joined.len(), 3);
        assert_eq!(joined[0].region.end, 4.0);
    }

    #[test]
    fn windows_stay_under_thirty_seconds_and_map_times_back() {
        let turns: Vec<Turn> = (0..10)
            .map(|i| turn(Speaker::Agent, i as f64 * 10.0, i as f64 * 10.0 + 6.0))
            .collect();
        let windows = pack_windows(&turns);
        assert!(windows.len() >= 3);
        assert!(windows.iter().all(|w| w.end() <= WINDOW_S));
        let total: usize = windows.iter().map(|w| w.pieces.len()).sum();
        assert_eq!(total, 10);
        // A word 1 s into the second piece of the first window lands 1 s into turn 2.
        let w = &windows[0];
        let p = w.pieces[1];
        let word = crate::asr::RawWord {
            text: "hi".into(),
            start: p.offset + 1.0,
            end: p.offset + 1.2,
            probability: 0.9,
            logprob: -0.1,
            no_speech_prob: 0.0,
        };
        let utts = w.utterances(&[word]);
        assert_eq!(utts.len(), 1);
        assert!((utts[0].words[0].start - (p.src_start + 1.0)).abs() < 1e-9);
        assert_eq!(utts[0].start, 10.0);
    }

    #[test]
    fn iso_dates() {
        let at = |s: u64| iso_utc(std::time::UNIX_EPOCH + Duration::from_secs(s)).unwrap();
        assert_eq!(at(0), "1970-01-01T00:00:00Z");
        assert_eq!(at(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(at(1_795_388_709), "2026-11-22T23:05:09Z");
    }

    #[test]
    fn dual_mono_is_detected() {
        let a: Vec<f32> = (0..1000).map(|i| (i as f32 * 0.1).sin()).collect();
        assert!(is_dual_mono(&a, &a));
        let b: Vec<f32> = (0..1000).map(|i| (i as f32 * 0.37).sin()).collect();
        assert!(!is_dual_mono(&a, &b));
        assert!(!is_dual_mono(&[0.0; 100], &[0.0; 100]));
    }
}
