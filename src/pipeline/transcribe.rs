//! One call from audio to transcript: decode, each party's turns, windows for Whisper, the
//! call's language, the words mapped back to call time.

use super::*;

/// Decodes and transcribes one file into a transcript (nothing is stored).
pub fn transcribe_file(
    path: &Path,
    call_id: String,
    model: &dyn Transcriber,
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

pub fn transcribe_decoded(
    path: &Path,
    call_id: String,
    decoded: &DecodedAudio,
    model: &dyn Transcriber,
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
        match (&config.asr.language, model.multilingual()) {
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
                                crate::analysis::pii::display_path(path),
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
        model: model.name().to_string(),
        utterances,
        warnings,
    };
    transcript.sort_utterances();
    if transcript.roles == RoleSource::Inferred
        && crate::transcript::roles::correct_by_words(&mut transcript)
    {
        log::info!(
            "{}: mono call: the second voice greets as the agent; roles swapped",
            path.display()
        );
    }
    Ok((transcript, vad_time, asr_time))
}
