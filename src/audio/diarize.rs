//! Who speaks when, on a mono mixdown (both parties on one channel).
//!
//! The heuristic, documented in the README:
//! 1. Voice activity splits the call into speech regions at pauses (turn changes are pauses).
//! 2. Each region gets a voice print: its median pitch (autocorrelation F0 over voiced frames)
//!    and its median zero-crossing rate (a cheap timbre cue).
//! 3. Two-means clustering on those prints separates the two voices.
//! 4. The cluster that speaks first is the agent: inbound service calls open with the greeting.
//!
//! When the two voices cannot be told apart (one region, or cluster centres too close) every
//! region keeps the first speaker's role and the call carries a warning. Roles on mono calls are
//! always stored as `inferred`.

use super::vad::SpeechRegion;
use super::TARGET_RATE;
use crate::transcript::Speaker;

const PITCH_FRAME: usize = 640; // 40 ms
const PITCH_HOP: usize = 320;
const MIN_F0: f32 = 65.0;
const MAX_F0: f32 = 400.0;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VoicePrint {
    /// Median F0 in Hz over voiced frames; 0 when the region has no voiced frame.
    pub pitch_hz: f32,
    pub zero_crossing_rate: f32,
}

#[derive(Debug, Clone)]
pub struct Attribution {
    pub speakers: Vec<Speaker>,
    /// Set when the voices could not be separated.
    pub warning: Option<String>,
}

pub fn attribute(samples: &[f32], regions: &[SpeechRegion]) -> Attribution {
    if regions.is_empty() {
        return Attribution {
            speakers: Vec::new(),
            warning: None,
        };
    }
    let prints: Vec<VoicePrint> = regions.iter().map(|r| voice_print(samples, r)).collect();
    let features: Vec<[f32; 2]> = prints
        .iter()
        .map(|p| {
            [
                if p.pitch_hz > 0.0 {
                    p.pitch_hz.ln()
                } else {
                    f32::NAN
                },
                p.zero_crossing_rate,
            ]
        })
        .collect();
    let same = |warning: &str| Attribution {
        speakers: vec![Speaker::Agent; regions.len()],
        warning: Some(warning.to_string()),
    };
    let voiced: Vec<usize> = (0..features.len())
        .filter(|&i| features[i][0].is_finite())
        .collect();
    if voiced.len() < 2 {
        return same("mono call with too little voiced speech to tell the parties apart");
    }
    let Some(labels) = two_means(&features, &voiced) else {
        return same(
            "mono call: the two voices could not be told apart; all speech attributed to the agent",
        );
    };
    // Unvoiced regions (rare) take the label of the nearest voiced region in time.
    let first_label = labels[voiced[0]].unwrap_or(0);
    let speakers = (0..regions.len())
        .map(|i| {
            let label = labels[i].unwrap_or_else(|| {
                let nearest = voiced
                    .iter()
                    .min_by(|&&a, &&b| {
                        let da = (regions[a].start - regions[i].start).abs();
                        let db = (regions[b].start - regions[i].start).abs();
                        da.total_cmp(&db)
                    })
                    .copied()
                    .unwrap_or(voiced[0]);
                labels[nearest].unwrap_or(first_label)
            });
            if label == first_label {
                Speaker::Agent
            } else {
                Speaker::Customer
            }
        })
        .collect();
    Attribution {
        speakers,
        warning: None,
    }
}

/// Clusters voiced regions into two groups; None when the groups' pitch centres are closer than
/// a semitone and a half, where the split would be noise.
fn two_means(features: &[[f32; 2]], voiced: &[usize]) -> Option<Vec<Option<usize>>> {
    // Standardise so pitch (log Hz) and zero-crossing rate weigh alike; pitch counts double,
    // being the far more reliable cue.
    let mean = |k: usize| voiced.iter().map(|&i| features[i][k]).sum::<f32>() / voiced.len() as f32;
    let std = |k: usize, m: f32| {
        (voiced
            .iter()
            .map(|&i| (features[i][k] - m).powi(2))
            .sum::<f32>()
            / voiced.len() as f32)
            .sqrt()
            .max(1e-6)
    };
    let (m0, m1) = (mean(0), mean(1));
    let (s0, s1) = (std(0, m0), std(1, m1));
    let z: Vec<[f32; 2]> = features
        .iter()
        .map(|f| [2.0 * (f[0] - m0) / s0, (f[1] - m1) / s1])
        .collect();

    let lowest = voiced
        .iter()
        .copied()
        .min_by(|&a, &b| features[a][0].total_cmp(&features[b][0]))?;
    let highest = voiced
        .iter()
        .copied()
        .max_by(|&a, &b| features[a][0].total_cmp(&features[b][0]))?;
    let mut centres = [z[lowest], z[highest]];
    let dist = |a: [f32; 2], b: [f32; 2]| (a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2);
    let mut labels = vec![None; features.len()];
    for _ in 0..50 {
        let mut changed = false;
        for &i in voiced {
            let l = usize::from(dist(z[i], centres[1]) < dist(z[i], centres[0]));
            if labels[i] != Some(l) {
                labels[i] = Some(l);
                changed = true;
            }
        }
        for (c, centre) in centres.iter_mut().enumerate() {
            let members: Vec<usize> = voiced
                .iter()
                .copied()
                .filter(|&i| labels[i] == Some(c))
                .collect();
            if !members.is_empty() {
                let n = members.len() as f32;
                *centre = [
                    members.iter().map(|&i| z[i][0]).sum::<f32>() / n,
                    members.iter().map(|&i| z[i][1]).sum::<f32>() / n,
                ];
            }
        }
        if !changed {
            break;
        }
    }
    let pitch_of = |c: usize| {
        let members: Vec<f32> = voiced
            .iter()
            .filter(|&&i| labels[i] == Some(c))
            .map(|&i| features[i][0])
            .collect();
        (!members.is_empty()).then(|| members.iter().sum::<f32>() / members.len() as f32)
    };
    let (p0, p1) = (pitch_of(0)?, pitch_of(1)?);
    // 1.5 semitones in log-frequency.
    if (p0 - p1).abs() < 1.5 / 12.0 * std::f32::consts::LN_2 {
        return None;
    }
    Some(labels)
}

pub fn voice_print(samples: &[f32], region: &SpeechRegion) -> VoicePrint {
    let rate = TARGET_RATE as f64;
    let lo = ((region.start * rate) as usize).min(samples.len());
    let hi = ((region.end * rate) as usize).min(samples.len());
    let x = &samples[lo..hi];
    let mut pitches = Vec::new();
    let mut zcrs = Vec::new();
    let mut at = 0;
    while at + PITCH_FRAME <= x.len() {
        let frame = &x[at..at + PITCH_FRAME];
        let energy: f32 = frame.iter().map(|v| v * v).sum::<f32>() / PITCH_FRAME as f32;
        if energy > 1e-6 {
            if let Some(f0) = frame_pitch(frame) {
                pitches.push(f0);
            }
            let crossings = frame
                .windows(2)
                .filter(|w| (w[0] < 0.0) != (w[1] < 0.0))
                .count();
            zcrs.push(crossings as f32 / PITCH_FRAME as f32);
        }
        at += PITCH_HOP;
    }
    VoicePrint {
        pitch_hz: median(&mut pitches).unwrap_or(0.0),
        zero_crossing_rate: median(&mut zcrs).unwrap_or(0.0),
    }
}

/// F0 of one frame by normalised autocorrelation; None for unvoiced frames.
fn frame_pitch(frame: &[f32]) -> Option<f32> {
    let rate = TARGET_RATE as f32;
    let min_lag = (rate / MAX_F0) as usize;
    let max_lag = ((rate / MIN_F0) as usize).min(frame.len() / 2);
    let mean = frame.iter().sum::<f32>() / frame.len() as f32;
    let x: Vec<f32> = frame.iter().map(|v| v - mean).collect();
    let e0: f32 = x.iter().map(|v| v * v).sum();
    if e0 <= 0.0 {
        return None;
    }
    let mut best = (0usize, 0.0f32);
    for lag in min_lag..=max_lag {
        let mut num = 0.0;
        let mut e1 = 0.0;
        let mut e2 = 0.0;
        for i in 0..x.len() - lag {
            num += x[i] * x[i + lag];
            e1 += x[i] * x[i];
            e2 += x[i + lag] * x[i + lag];
        }
        let r = num / (e1 * e2).sqrt().max(1e-9);
        if r > best.1 {
            best = (lag, r);
        }
    }
    (best.1 > 0.6 && best.0 > 0).then(|| rate / best.0 as f32)
}

fn median(v: &mut [f32]) -> Option<f32> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    Some(v[v.len() / 2])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn voice(f0: f32, seconds: f64) -> Vec<f32> {
        let n = (seconds * 16000.0) as usize;
        (0..n)
            .map(|i| {
                let t = i as f32 / 16000.0;
                let w = 2.0 * std::f32::consts::PI * f0 * t;
                0.3 * (w.sin() + 0.5 * (2.0 * w).sin() + 0.25 * (3.0 * w).sin())
            })
            .collect()
    }

    #[test]
    fn pitch_of_a_harmonic_voice_is_found() {
        let x = voice(120.0, 1.0);
        let p = voice_print(
            &x,
            &SpeechRegion {
                start: 0.0,
                end: 1.0,
            },
        );
        assert!((p.pitch_hz - 120.0).abs() < 4.0, "{p:?}");
    }

    #[test]
    fn alternating_low_and_high_voices_get_two_roles_first_is_agent() {
        let mut x = Vec::new();
        let mut regions = Vec::new();
        let turns = [210.0, 110.0, 205.0, 115.0, 215.0];
        for f0 in turns {
            let start = x.len() as f64 / 16000.0;
            x.extend(voice(f0, 1.5));
            regions.push(SpeechRegion {
                start,
                end: start + 1.5,
            });
            x.extend(vec![0.0; 8000]);
        }
        let a = attribute(&x, &regions);
        use Speaker::*;
        assert_eq!(a.speakers, vec![Agent, Customer, Agent, Customer, Agent]);
        assert!(a.warning.is_none());
    }

    #[test]
    fn one_voice_is_not_split_in_two() {
        let mut x = Vec::new();
        let mut regions = Vec::new();
        for f0 in [150.0, 152.0, 149.0] {
            let start = x.len() as f64 / 16000.0;
            x.extend(voice(f0, 1.0));
            regions.push(SpeechRegion {
                start,
                end: start + 1.0,
            });
        }
        let a = attribute(&x, &regions);
        assert!(a.speakers.iter().all(|s| *s == Speaker::Agent));
        assert!(a.warning.is_some());
    }
}
