//! Whisper inference through whisper-rs (whisper.cpp): one context per model, a fresh state
//! per call (`CallSession` says why states are not reused).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use whisper_rs::{
    DtwMode, DtwModelPreset, DtwParameters, FullParams, SamplingStrategy, WhisperContext,
    WhisperContextParameters, WhisperState,
};

#[derive(Debug, thiserror::Error)]
pub enum AsrError {
    #[error("cannot load Whisper model {path}: {reason}")]
    Load { path: PathBuf, reason: String },
    #[error("Whisper inference failed: {0}")]
    Inference(String),
}

/// Set when the person at the terminal asks twice to stop (or the batch cannot store anything
/// more): Whisper gives up on the window it is decoding, so in-flight calls end at once. It
/// belongs to one batch (its stop signal), not to the process: a later batch, or any other
/// inference in the same process, runs normally.
#[derive(Debug, Clone, Default)]
pub struct AbandonFlag(Arc<AtomicBool>);

impl AbandonFlag {
    /// Makes every running and later inference given this flag stop with an error.
    pub fn raise(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn is_raised(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// whisper.cpp's abort callback; `data` is the `AtomicBool` of the [`AbandonFlag`] in the
/// `AsrConfig` the inference runs with, which outlives the call to `full`.
unsafe extern "C" fn abandon_requested_cb(data: *mut std::ffi::c_void) -> bool {
    // SAFETY: set in `run` from an `Arc<AtomicBool>` borrowed for the whole inference.
    !data.is_null() && unsafe { (*(data as *const AtomicBool)).load(Ordering::Relaxed) }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Device {
    /// GPU when built with a GPU feature, else CPU.
    Auto,
    Cpu,
    Gpu,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decoding {
    Greedy,
    Beam(u32),
    /// Beam search (width 5) for narrowband telephone audio (source ≤ 8 kHz), greedy otherwise:
    /// on the 8 kHz samples beam 5 cut tiny.en's word error rate from 18 % to 15 % for ~30 %
    /// more time, while wideband audio gains little (README, "Accuracy and speed").
    Auto,
}

impl Decoding {
    /// The strategy for one call, given its source sample rate.
    pub fn for_source_rate(self, rate: u32) -> Decoding {
        match self {
            Decoding::Auto if rate <= NARROWBAND_MAX_RATE => Decoding::Beam(5),
            Decoding::Auto => Decoding::Greedy,
            fixed => fixed,
        }
    }
}

/// Sources at or below this rate are telephone-band audio.
pub const NARROWBAND_MAX_RATE: u32 = 11_025;

#[derive(Debug, Clone)]
pub struct AsrConfig {
    pub decoding: Decoding,
    pub threads: usize,
    /// ISO code, or None to detect (multilingual models only; `.en` models are always English).
    pub language: Option<String>,
    pub device: Device,
    /// Segments more likely silence than speech (and poorly decoded) are dropped.
    pub no_speech_threshold: f32,
    /// Average token log-probability below which a no-speech-ish segment is dropped.
    pub logprob_threshold: f32,
    /// Shrink the encoder's context to short windows (faster, slightly less accurate).
    pub trim_encoder: bool,
    /// Raised to abandon inference in flight (see [`AbandonFlag`]).
    pub abandon: AbandonFlag,
    /// Proper names the audio is likely to contain (company, products, the agent): given to
    /// Whisper as its initial prompt, so a brand is written as the brand, not as common words.
    pub vocabulary: Vec<String>,
}

impl Default for AsrConfig {
    fn default() -> Self {
        AsrConfig {
            decoding: Decoding::Auto,
            threads: 2,
            language: None,
            device: Device::Auto,
            no_speech_threshold: 0.6,
            logprob_threshold: -1.0,
            trim_encoder: false,
            abandon: AbandonFlag::default(),
            vocabulary: Vec::new(),
        }
    }
}

/// Whisper's initial prompt for a vocabulary: the names as a comma-separated glossary, within
/// a budget well under the decoder's 224-token prompt half.
pub fn vocabulary_prompt(vocabulary: &[String]) -> Option<String> {
    const MAX_CHARS: usize = 300;
    let mut prompt = String::new();
    for name in vocabulary
        .iter()
        .map(|n| n.trim())
        .filter(|n| !n.is_empty())
    {
        if prompt.len() + name.len() + 2 > MAX_CHARS {
            break;
        }
        if !prompt.is_empty() {
            prompt.push_str(", ");
        }
        prompt.push_str(name);
    }
    (!prompt.is_empty()).then(|| format!("{prompt}."))
}

/// A word with times relative to the start of the audio window handed to Whisper.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RawWord {
    pub text: String,
    pub start: f64,
    pub end: f64,
    pub probability: f32,
    pub logprob: f32,
    pub no_speech_prob: f32,
}

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct WindowTranscript {
    pub words: Vec<RawWord>,
    pub language: String,
    /// Segments dropped by the hallucination guards.
    pub dropped_segments: usize,
}

pub struct WhisperModel {
    ctx: WhisperContext,
    pub path: PathBuf,
    pub name: String,
    pub multilingual: bool,
    pub backend: &'static str,
    eot: i32,
    dtw: bool,
}

/// One call's decoder state. whisper.cpp's sampler keeps a random generator in its state (used
/// by the temperature fallback), so a state shared across calls would make a call's words
/// depend on the calls decoded before it — on batch order, jobs and shards. Each call gets a
/// fresh state: the same audio gives the same transcript however the batch is cut.
pub struct CallSession<'m> {
    model: &'m WhisperModel,
    state: WhisperState,
}

impl CallSession<'_> {
    /// Transcribes one window (≤ 30 s of 16 kHz mono audio) of this call.
    pub fn transcribe(
        &mut self,
        audio: &[f32],
        config: &AsrConfig,
    ) -> Result<WindowTranscript, AsrError> {
        if audio.is_empty() {
            return Ok(WindowTranscript::default());
        }
        self.model.run(&mut self.state, audio, config)
    }

    /// Whisper's spoken-language probabilities for one window (multilingual models only; an
    /// English-only model has no language tokens to ask). Costs one encoder pass.
    pub fn detect_language(
        &mut self,
        audio: &[f32],
        threads: usize,
    ) -> Result<LanguageProbs, AsrError> {
        if !self.model.multilingual {
            return Err(AsrError::Inference(
                "an English-only model cannot detect languages".into(),
            ));
        }
        // whisper.cpp pads the mel to 30 s itself; an empty window has nothing to hear.
        if audio.is_empty() {
            return Ok(LanguageProbs::default());
        }
        let threads = threads.max(1);
        self.state
            .pcm_to_mel(audio, threads)
            .map_err(|e| AsrError::Inference(format!("mel spectrogram: {e}")))?;
        let (_, probs) = self
            .state
            .lang_detect(0, threads)
            .map_err(|e| AsrError::Inference(format!("language detection: {e}")))?;
        Ok(LanguageProbs(probs))
    }
}

/// Probability per Whisper language id, as whisper.cpp returns it.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LanguageProbs(pub Vec<f32>);

impl LanguageProbs {
    /// The most probable language and its probability.
    pub fn top(&self) -> Option<(&'static str, f32)> {
        let (id, p) = self
            .0
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))?;
        Some((whisper_rs::get_lang_str(id as i32)?, *p))
    }

    /// Adds `weight` times these probabilities into `into` (grown as needed).
    pub fn accumulate(&self, weight: f32, into: &mut LanguageProbs) {
        if into.0.len() < self.0.len() {
            into.0.resize(self.0.len(), 0.0);
        }
        for (sum, p) in into.0.iter_mut().zip(&self.0) {
            *sum += weight * p;
        }
    }
}

/// Whether whisper.cpp knows `code` as a language ("he", "ar", "ru", ...).
pub fn is_known_language(code: &str) -> bool {
    // whisper-rs panics on an interior NUL; codes are short ASCII letters anyway.
    (2..=3).contains(&code.len())
        && code.bytes().all(|b| b.is_ascii_lowercase())
        && whisper_rs::get_lang_id(code).is_some()
}

impl WhisperModel {
    pub fn load(path: &Path, config: &AsrConfig) -> Result<Self, AsrError> {
        let load_err = |reason: String| AsrError::Load {
            path: path.to_path_buf(),
            reason,
        };
        // whisper.cpp would print a parse failure and return null; an absent or obviously
        // wrong file gets a clearer message before it gets there.
        let mut magic = [0u8; 4];
        std::fs::File::open(path)
            .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut magic))
            .map_err(|e| load_err(e.to_string()))?;
        if u32::from_le_bytes(magic) != super::ggml::MAGIC {
            return Err(load_err(
                "not a whisper.cpp ggml model (bad magic); import CTranslate2 models with `callqa model import`".into(),
            ));
        }
        let gpu_built = cfg!(feature = "cuda");
        let want_gpu = match config.device {
            Device::Cpu => false,
            Device::Auto => gpu_built,
            Device::Gpu => {
                if !gpu_built {
                    log::warn!(
                        "a GPU was asked for but this callqa was built without the `cuda` feature; running on CPU"
                    );
                }
                gpu_built
            }
        };
        let mut params = WhisperContextParameters::default();
        params.use_gpu(want_gpu);
        // Word times come from DTW over the alignment heads: whisper.cpp's plain token
        // timestamps drift by most of a second across pauses. DTW and flash attention exclude
        // each other, and word times matter more to QA evidence than the speed-up.
        let preset = header_of(path).ok().and_then(|h| alignment_preset(&h));
        let dtw = preset.is_some();
        match preset {
            Some(model_preset) => {
                params.dtw_parameters(DtwParameters {
                    mode: DtwMode::ModelPreset { model_preset },
                    ..DtwParameters::default()
                });
            }
            None => {
                log::warn!("unrecognised model shape; word times will be approximate");
                params.flash_attn(want_gpu);
            }
        }
        let path_str = path
            .to_str()
            .ok_or_else(|| load_err("model path is not valid UTF-8".into()))?;
        let ctx = WhisperContext::new_with_params(path_str, params)
            .map_err(|e| load_err(format!("whisper.cpp rejected the file ({e})")))?;
        let system = whisper_rs::print_system_info();
        let backend = if want_gpu && system.contains("CUDA") {
            "cuda"
        } else {
            if want_gpu {
                log::warn!("GPU requested but whisper.cpp reports no CUDA backend ({system}); running on CPU");
            }
            "cpu"
        };
        log::info!(
            "model {} loaded ({}), backend {backend}",
            path.display(),
            ctx.model_type_readable_str_lossy()
                .map(|s| s.into_owned())
                .unwrap_or_default()
        );
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .map(|s| s.trim_start_matches("ggml-").to_string())
            .unwrap_or_else(|| "whisper".into());
        Ok(WhisperModel {
            multilingual: ctx.is_multilingual(),
            eot: ctx.token_eot(),
            dtw,
            ctx,
            path: path.to_path_buf(),
            name,
            backend,
        })
    }

    /// A fresh decoder state for one call.
    pub fn session(&self) -> Result<CallSession<'_>, AsrError> {
        let state = self
            .ctx
            .create_state()
            .map_err(|e| AsrError::Inference(format!("cannot create a decoder state: {e}")))?;
        Ok(CallSession { model: self, state })
    }

    fn run(
        &self,
        state: &mut WhisperState,
        audio: &[f32],
        config: &AsrConfig,
    ) -> Result<WindowTranscript, AsrError> {
        let strategy = match config.decoding {
            Decoding::Greedy | Decoding::Auto => SamplingStrategy::Greedy { best_of: 1 },
            Decoding::Beam(size) => SamplingStrategy::BeamSearch {
                beam_size: size.max(1) as i32,
                patience: -1.0,
            },
        };
        let mut params = FullParams::new(strategy);
        params.set_n_threads(config.threads.max(1) as i32);
        let language = if self.multilingual {
            config.language.as_deref().unwrap_or("auto")
        } else {
            "en"
        };
        params.set_language(Some(language));
        params.set_translate(false);
        // Each window is independent audio: carrying text over invites repeated hallucinations.
        params.set_no_context(true);
        params.set_token_timestamps(true);
        params.set_suppress_blank(true);
        params.set_suppress_nst(true);
        params.set_no_speech_thold(config.no_speech_threshold);
        params.set_logprob_thold(config.logprob_threshold);
        // Temperature fallback on low-confidence / repetitive output (whisper.cpp's entropy
        // threshold is its stand-in for the compression-ratio check).
        params.set_entropy_thold(2.4);
        params.set_temperature_inc(0.2);
        // A glossary, not a sentence: a prompt that reads like a greeting invites Whisper to
        // write that greeting into windows where nobody said it.
        let prompt = vocabulary_prompt(&config.vocabulary);
        if let Some(prompt) = &prompt {
            params.set_initial_prompt(prompt);
        }

        if config.trim_encoder {
            // The encoder costs the same for 3 s as for 30 s unless told the audio is short;
            // a margin of 128 frames (2.6 s) keeps the last words inside its view.
            let seconds = audio.len() as f32 / crate::audio::TARGET_RATE as f32;
            let frames = ((seconds / 30.0 * 1500.0).ceil() as i32 + 128).min(1500);
            params.set_audio_ctx(frames);
        }
        // SAFETY: the user data points into `config.abandon`'s Arc, which `config` keeps alive
        // until `state.full` below returns; the callback only loads the atomic.
        unsafe {
            params.set_abort_callback(Some(abandon_requested_cb));
            params.set_abort_callback_user_data(Arc::as_ptr(&config.abandon.0) as *mut _);
        }
        params.set_print_progress(false);
        params.set_print_realtime(false);
        params.set_print_special(false);
        params.set_print_timestamps(false);

        state
            .full(params, audio)
            .map_err(|e| AsrError::Inference(e.to_string()))?;

        let detected = whisper_rs::get_lang_str(state.full_lang_id_from_state())
            .unwrap_or(language)
            .to_string();
        let mut out = WindowTranscript {
            language: if language == "auto" {
                detected
            } else {
                language.to_string()
            },
            ..Default::default()
        };
        for segment in state.as_iter() {
            let no_speech = segment.no_speech_probability();
            let mut words: Vec<RawWord> = Vec::new();
            let mut logprob_sum = 0.0f32;
            let mut token_count = 0usize;
            let mut current: Option<PartialWord> = None;
            for t in 0..segment.n_tokens() {
                let Some(token) = segment.get_token(t) else {
                    continue;
                };
                let data = token.token_data();
                if data.id >= self.eot {
                    continue;
                }
                let bytes = token.to_bytes().unwrap_or(&[]);
                logprob_sum += data.plog;
                token_count += 1;
                let starts_word = bytes.first().is_some_and(|b| *b == b' ');
                let (t0, t1) = if self.dtw && data.t_dtw >= 0 {
                    // DTW gives one instant per token: where it is spoken.
                    let t = data.t_dtw as f64 / 100.0;
                    (t, t)
                } else {
                    (data.t0 as f64 / 100.0, data.t1 as f64 / 100.0)
                };
                match current.as_mut() {
                    Some(word) if !starts_word => {
                        word.bytes.extend_from_slice(bytes);
                        word.end = word.end.max(t1);
                        word.probs.push(data.p);
                        word.logprobs.push(data.plog);
                    }
                    _ => {
                        if let Some(done) = current.take() {
                            push_word(&mut words, done, no_speech);
                        }
                        current = Some(PartialWord {
                            bytes: bytes.to_vec(),
                            start: t0,
                            end: t1,
                            probs: vec![data.p],
                            logprobs: vec![data.plog],
                        });
                    }
                }
            }
            if let Some(done) = current.take() {
                push_word(&mut words, done, no_speech);
            }
            let avg_logprob = if token_count > 0 {
                logprob_sum / token_count as f32
            } else {
                f32::NEG_INFINITY
            };
            if is_hallucination(&words, no_speech, avg_logprob, config) {
                // Times and sizes only: logs are kept where transcripts' redaction never
                // reaches, and a dropped segment can be a card number as well as noise.
                log::debug!(
                    "dropped segment {:.2}-{:.2} s ({} words, {} characters; no_speech {no_speech:.2}, avg logprob {avg_logprob:.2})",
                    words.first().map_or(0.0, |w| w.start),
                    words.last().map_or(0.0, |w| w.end),
                    words.len(),
                    words.iter().map(|w| w.text.chars().count()).sum::<usize>()
                );
                out.dropped_segments += 1;
                continue;
            }
            out.words.extend(words);
        }
        Ok(out)
    }
}

/// The whisper.cpp file header's hyperparameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModelHeader {
    pub n_vocab: i32,
    pub n_audio_layer: i32,
    pub n_text_layer: i32,
    pub n_mels: i32,
}

pub fn header_of(path: &Path) -> std::io::Result<ModelHeader> {
    let mut buf = [0u8; 48];
    std::io::Read::read_exact(&mut std::fs::File::open(path)?, &mut buf)?;
    let int =
        |i: usize| i32::from_le_bytes([buf[i * 4], buf[i * 4 + 1], buf[i * 4 + 2], buf[i * 4 + 3]]);
    Ok(ModelHeader {
        n_vocab: int(1),
        n_audio_layer: int(5),
        n_text_layer: int(9),
        n_mels: int(10),
    })
}

/// The published alignment heads for the model this shape belongs to.
pub fn alignment_preset(h: &ModelHeader) -> Option<DtwModelPreset> {
    let multilingual = h.n_vocab >= 51865;
    use DtwModelPreset::*;
    Some(match (h.n_audio_layer, h.n_text_layer, multilingual) {
        (4, 4, false) => TinyEn,
        (4, 4, true) => Tiny,
        (6, 6, false) => BaseEn,
        (6, 6, true) => Base,
        (12, 12, false) => SmallEn,
        (12, 12, true) => Small,
        (24, 24, false) => MediumEn,
        (24, 24, true) => Medium,
        (32, 4, true) => LargeV3Turbo,
        (32, 32, true) if h.n_mels == 128 => LargeV3,
        (32, 32, true) => LargeV2,
        _ => return None,
    })
}

/// BPE pieces collected until the next piece that starts with a space.
struct PartialWord {
    bytes: Vec<u8>,
    start: f64,
    end: f64,
    probs: Vec<f32>,
    logprobs: Vec<f32>,
}

fn push_word(words: &mut Vec<RawWord>, word: PartialWord, no_speech_prob: f32) {
    let PartialWord {
        bytes,
        start,
        end,
        probs,
        logprobs: logs,
    } = word;
    let text = String::from_utf8_lossy(&bytes).trim().to_string();
    if text.is_empty() {
        return;
    }
    let n = probs.len().max(1) as f32;
    words.push(RawWord {
        text,
        start,
        end: end.max(start),
        probability: probs.iter().sum::<f32>() / n,
        logprob: logs.iter().sum::<f32>() / n,
        no_speech_prob,
    });
}

/// The guards against text invented in silence or stuck in a loop: a segment Whisper itself
/// thinks is silence and decoded with low confidence, or one that is mostly one phrase repeated.
fn is_hallucination(words: &[RawWord], no_speech: f32, avg_logprob: f32, c: &AsrConfig) -> bool {
    if words.is_empty() {
        return true;
    }
    if no_speech > c.no_speech_threshold && avg_logprob < c.logprob_threshold {
        return true;
    }
    is_repetition_loop(words.iter().map(|w| w.text.as_str()))
}

/// True when a long word sequence is dominated by a repeated n-gram (1 to 4 words), the
/// signature of a decoding loop ("thank you thank you thank you ...").
pub fn is_repetition_loop<'a>(words: impl Iterator<Item = &'a str>) -> bool {
    let norm: Vec<String> = words
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect()
        })
        .collect();
    if norm.len() < 12 {
        return false;
    }
    for n in 1..=4 {
        let grams: Vec<&[String]> = norm.windows(n).collect();
        let mut counts: std::collections::HashMap<&[String], usize> =
            std::collections::HashMap::new();
        for g in &grams {
            *counts.entry(g).or_default() += 1;
        }
        let top = counts.values().copied().max().unwrap_or(0);
        if top * n * 2 > norm.len() && top >= 6 {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_decoding_uses_beam_search_for_telephone_audio_only() {
        assert_eq!(Decoding::Auto.for_source_rate(8000), Decoding::Beam(5));
        assert_eq!(Decoding::Auto.for_source_rate(16000), Decoding::Greedy);
        assert_eq!(Decoding::Greedy.for_source_rate(8000), Decoding::Greedy);
        assert_eq!(Decoding::Beam(3).for_source_rate(44100), Decoding::Beam(3));
    }

    #[test]
    fn repetition_loops_are_caught_but_normal_speech_is_not() {
        let looped = "thank you ".repeat(10);
        assert!(is_repetition_loop(looped.split_whitespace()));
        let normal = "thank you for calling acme this is sam how can i help you today i see \
                      that your bill was charged twice let me fix that for you";
        assert!(!is_repetition_loop(normal.split_whitespace()));
        let short = "yes yes yes";
        assert!(!is_repetition_loop(short.split_whitespace()));
    }

    #[test]
    fn the_vocabulary_prompt_is_a_bounded_glossary() {
        assert_eq!(vocabulary_prompt(&[]), None);
        assert_eq!(vocabulary_prompt(&[" ".into()]), None);
        let names = vec!["City Power".to_string(), " Grace ".into()];
        assert_eq!(
            vocabulary_prompt(&names).as_deref(),
            Some("City Power, Grace.")
        );
        // A long vocabulary stops at the budget instead of crowding out the decoder's context.
        let many: Vec<String> = (0..200).map(|i| format!("Brand{i}")).collect();
        let prompt = vocabulary_prompt(&many).unwrap();
        assert!(prompt.len() <= 301, "{}", prompt.len());
        assert!(prompt.starts_with("Brand0, Brand1,"));
    }
}
