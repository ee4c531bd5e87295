//! Each party's turns: voice activity per channel (or diarization of a mono call), joined
//! across short pauses.

use super::*;

/// Same-speaker regions closer than this form one utterance (a turn with a breath in it).
const TURN_JOIN_S: f64 = 1.0;
/// A joined turn stays within the VAD's longest region (`VadConfig::max_region_s`), so it
/// still fits one Whisper window.
const MAX_JOINED_TURN_S: f64 = 28.0;

/// A stretch of one party's speech, as found by voice activity detection.
#[derive(Debug, Clone, Copy)]
pub(super) struct Turn {
    pub(super) speaker: Speaker,
    pub(super) channel: usize,
    pub(super) region: SpeechRegion,
}

/// Finds each party's turns. Returns the turns, how roles were decided, and the signal each
/// turn's `channel` slot refers to.
pub(super) fn find_turns<'a>(
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
pub(super) fn is_dual_mono(a: &[f32], b: &[f32]) -> bool {
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
pub(super) fn join_turns(turns: Vec<Turn>) -> Vec<Turn> {
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
                    && prev.region.end - prev.region.start + gap + turn.region.duration()
                        <= MAX_JOINED_TURN_S)
                    .then_some(i)
            });
        match joined {
            Some(i) => out[i].region.end = out[i].region.end.max(turn.region.end),
            None => out.push(turn),
        }
    }
    out
}
