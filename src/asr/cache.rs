//! A cache of Whisper's output per window, for test suites and experiments that run the same
//! audio through the same model and settings many times (`CALLQA_TRANSCRIPT_CACHE=<folder>`).
//!
//! Each window's entry is keyed by everything its words depend on: the model file, the callqa
//! binary, the decoding settings, the window's samples and every step the call's decoder state
//! took before it (whisper.cpp's sampler keeps a random generator in its state, so a window's
//! words can depend on the windows decoded before it). On a miss after hits, a fresh state
//! replays the call's earlier steps first, so what is computed is exactly what an uncached run
//! computes. Nothing is cached from a failed or abandoned window.
//!
//! Off unless the variable is set; `scripts/test.sh` points it at a new folder for each run of
//! the suite, so every window a test needs is transcribed for real once per run.

use super::transcriber::{Transcriber, TranscriberSession};
use super::whisper::{AsrConfig, AsrError, LanguageProbs, WindowTranscript};
use serde::{de::DeserializeOwned, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The environment variable naming the cache folder.
pub const CACHE_ENV: &str = "CALLQA_TRANSCRIPT_CACHE";

/// A [`Transcriber`] that answers repeated windows from `folder`.
pub struct CachedTranscriber<'m> {
    inner: &'m dyn Transcriber,
    folder: PathBuf,
    /// Model file and callqa binary, as size and modification time.
    identity: String,
}

impl<'m> CachedTranscriber<'m> {
    /// The cache named by [`CACHE_ENV`], if set and usable, around `inner` (loaded from
    /// `model_path`).
    pub fn from_env(inner: &'m dyn Transcriber, model_path: &Path) -> Option<Self> {
        let folder = PathBuf::from(std::env::var_os(CACHE_ENV)?);
        if let Err(e) = std::fs::create_dir_all(&folder) {
            log::warn!("transcript cache {}: {e}; not used", folder.display());
            return None;
        }
        let stamp = |p: &Path| {
            std::fs::metadata(p).ok().map(|m| {
                let modified = m
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos());
                format!("{}:{}:{modified}", p.display(), m.len())
            })
        };
        let exe = std::env::current_exe().ok();
        let identity = format!(
            "{:?}|{:?}|{}",
            stamp(model_path),
            exe.as_deref().and_then(stamp),
            inner.name()
        );
        log::info!("transcript cache in {}", folder.display());
        Some(CachedTranscriber {
            inner,
            folder,
            identity,
        })
    }
}

impl Transcriber for CachedTranscriber<'_> {
    fn name(&self) -> &str {
        self.inner.name()
    }

    fn multilingual(&self) -> bool {
        self.inner.multilingual()
    }

    fn session(&self) -> Result<Box<dyn TranscriberSession + '_>, AsrError> {
        let mut chain = Sha256::new();
        chain.update(self.identity.as_bytes());
        Ok(Box::new(CachedSession {
            cache: self,
            inner: None,
            chain: chain.finalize().into(),
            steps: Vec::new(),
        }))
    }
}

/// One step of a call's decoder state, kept to replay it on a later miss.
enum Step {
    Transcribe(Vec<f32>, AsrConfig),
    Detect(Vec<f32>, usize),
}

struct CachedSession<'c> {
    cache: &'c CachedTranscriber<'c>,
    /// The real session, in step with `steps` when present.
    inner: Option<Box<dyn TranscriberSession + 'c>>,
    /// Hash of the identity and every step so far.
    chain: [u8; 32],
    /// Steps answered from the cache that the real session has not taken.
    steps: Vec<Step>,
}

impl<'c> CachedSession<'c> {
    /// The real session, brought to the state an uncached run would have here.
    fn real(&mut self) -> Result<&mut (dyn TranscriberSession + 'c), AsrError> {
        let session = match self.inner.take() {
            Some(s) => s,
            None => {
                let mut fresh = self.cache.inner.session()?;
                for step in &self.steps {
                    match step {
                        Step::Transcribe(audio, config) => {
                            fresh.transcribe(audio, config)?;
                        }
                        Step::Detect(audio, threads) => {
                            fresh.detect_language(audio, *threads)?;
                        }
                    }
                }
                self.steps.clear();
                fresh
            }
        };
        Ok(self.inner.insert(session).as_mut())
    }

    /// Answers one step from the cache or the real session, and records it.
    fn step<T: Serialize + DeserializeOwned>(
        &mut self,
        what: &str,
        audio: &[f32],
        settings: String,
        step: impl FnOnce() -> Step,
        run: impl FnOnce(&mut dyn TranscriberSession) -> Result<T, AsrError>,
    ) -> Result<T, AsrError> {
        let mut h = Sha256::new();
        h.update(self.chain);
        h.update(what.as_bytes());
        h.update(settings.as_bytes());
        for s in audio {
            h.update(s.to_le_bytes());
        }
        let key: [u8; 32] = h.finalize().into();
        let path = self.cache.folder.join(super::model::hex(&key));
        let cached = std::fs::read(&path)
            .ok()
            .and_then(|b| serde_json::from_slice::<T>(&b).ok());
        let value = match cached {
            Some(v) => {
                if self.inner.is_some() {
                    // The real session moves on only when needed: drop it, replay later.
                    self.inner = None;
                }
                self.steps.push(step());
                v
            }
            None => {
                let v = run(self.real()?)?;
                store(&path, &v);
                v
            }
        };
        self.chain = key;
        Ok(value)
    }
}

impl TranscriberSession for CachedSession<'_> {
    fn transcribe(
        &mut self,
        audio: &[f32],
        config: &AsrConfig,
    ) -> Result<WindowTranscript, AsrError> {
        let settings = format!(
            "{:?}|{}|{:?}|{:?}|{}|{}|{}|{:?}",
            config.decoding,
            config.threads,
            config.language,
            config.device,
            config.no_speech_threshold,
            config.logprob_threshold,
            config.trim_encoder,
            config.vocabulary
        );
        self.step(
            "transcribe",
            audio,
            settings,
            || Step::Transcribe(audio.to_vec(), config.clone()),
            |s| s.transcribe(audio, config),
        )
    }

    fn detect_language(
        &mut self,
        audio: &[f32],
        threads: usize,
    ) -> Result<LanguageProbs, AsrError> {
        self.step(
            "detect",
            audio,
            threads.to_string(),
            || Step::Detect(audio.to_vec(), threads),
            |s| s.detect_language(audio, threads),
        )
    }
}

/// Writes an entry whole or not at all (another process may read it at the same moment).
fn store<T: Serialize>(path: &Path, value: &T) {
    let Ok(bytes) = serde_json::to_vec(value) else {
        return;
    };
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    if std::fs::write(&tmp, bytes).is_ok() && std::fs::rename(&tmp, path).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asr::RawWord;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Words that depend on the window and on how many steps the session took before it, the
    /// way whisper.cpp's sampler state can make them.
    struct Counting {
        runs: AtomicUsize,
    }

    struct CountingSession<'a> {
        model: &'a Counting,
        steps: usize,
    }

    impl Transcriber for Counting {
        fn name(&self) -> &str {
            "counting"
        }
        fn multilingual(&self) -> bool {
            false
        }
        fn session(&self) -> Result<Box<dyn TranscriberSession + '_>, AsrError> {
            Ok(Box::new(CountingSession {
                model: self,
                steps: 0,
            }))
        }
    }

    impl TranscriberSession for CountingSession<'_> {
        fn transcribe(
            &mut self,
            audio: &[f32],
            _config: &AsrConfig,
        ) -> Result<WindowTranscript, AsrError> {
            self.model.runs.fetch_add(1, Ordering::SeqCst);
            self.steps += 1;
            Ok(WindowTranscript {
                words: vec![RawWord {
                    text: format!("w{}s{}", audio.len(), self.steps),
                    start: 0.0,
                    end: 1.0,
                    probability: 1.0,
                    logprob: 0.0,
                    no_speech_prob: 0.0,
                }],
                language: "en".into(),
                dropped_segments: 0,
            })
        }
        fn detect_language(
            &mut self,
            _audio: &[f32],
            _threads: usize,
        ) -> Result<LanguageProbs, AsrError> {
            self.steps += 1;
            Ok(LanguageProbs(vec![1.0]))
        }
    }

    fn words(s: &mut dyn TranscriberSession, n: usize) -> String {
        let t = s.transcribe(&vec![0.0; n], &AsrConfig::default()).unwrap();
        t.words[0].text.clone()
    }

    #[test]
    fn repeated_windows_are_answered_from_the_cache_and_a_later_miss_replays_the_state() {
        let dir = tempfile::tempdir().unwrap();
        let model = Counting {
            runs: AtomicUsize::new(0),
        };
        let cache = CachedTranscriber {
            inner: &model,
            folder: dir.path().to_path_buf(),
            identity: "test".into(),
        };
        let mut first = cache.session().unwrap();
        assert_eq!(words(first.as_mut(), 10), "w10s1");
        assert_eq!(words(first.as_mut(), 20), "w20s2");
        assert_eq!(model.runs.load(Ordering::SeqCst), 2);

        // The same call again: nothing transcribed.
        let mut again = cache.session().unwrap();
        assert_eq!(words(again.as_mut(), 10), "w10s1");
        assert_eq!(words(again.as_mut(), 20), "w20s2");
        assert_eq!(model.runs.load(Ordering::SeqCst), 2);
        // A new third window: the real state replays the two before it, as an uncached run.
        assert_eq!(words(again.as_mut(), 30), "w30s3");
        assert_eq!(model.runs.load(Ordering::SeqCst), 5);

        // The same window after different history is a different entry.
        let mut other = cache.session().unwrap();
        assert_eq!(words(other.as_mut(), 20), "w20s1");
        // Other settings are other entries.
        let mut s = cache.session().unwrap();
        let config = AsrConfig {
            threads: 1,
            ..AsrConfig::default()
        };
        let before = model.runs.load(Ordering::SeqCst);
        s.transcribe(&[0.0; 10], &config).unwrap();
        assert_eq!(model.runs.load(Ordering::SeqCst), before + 1);
    }
}
