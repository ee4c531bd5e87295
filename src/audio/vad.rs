//! Energy voice activity detection with an adaptive noise floor and hangover.
//!
//! Why energy and not a model: it needs no weights, runs at thousands of times real time, and
//! on one-party-per-channel call audio the hard part is not speech-vs-noise but line noise,
//! hold music levels and the other party's echo, which the adaptive floor and the cross-channel
//! gate below handle.

use super::TARGET_RATE;

/// 10 ms frames at 16 kHz.
pub const FRAME: usize = 160;
const FRAME_S: f64 = FRAME as f64 / TARGET_RATE as f64;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpeechRegion {
    pub start: f64,
    pub end: f64,
}

impl SpeechRegion {
    pub fn duration(&self) -> f64 {
        self.end - self.start
    }
}

#[derive(Debug, Clone)]
pub struct VadConfig {
    /// Speech must rise this far above the local noise floor (dB).
    pub floor_margin_db: f32,
    /// ...and be no quieter than this below the channel's loud level (dB).
    pub below_peak_db: f32,
    /// Absolute floor: nothing quieter than this is speech (dBFS).
    pub min_level_dbfs: f32,
    /// Half-width of the window in which the noise floor is the minimum energy (s).
    pub floor_window_s: f64,
    /// Frames kept as speech after energy drops, so word endings are not clipped.
    pub hangover_s: f64,
    /// Pauses shorter than this join the regions either side.
    pub min_gap_s: f64,
    /// Regions shorter than this are clicks, not speech.
    pub min_region_s: f64,
    /// Longest region handed on; longer ones are split at their quietest point (Whisper's window is 30 s).
    pub max_region_s: f64,
    /// In stereo, a frame is the other party's echo if that channel is this much louder (dB).
    pub crosstalk_db: f32,
}

impl Default for VadConfig {
    fn default() -> Self {
        VadConfig {
            floor_margin_db: 12.0,
            below_peak_db: 38.0,
            min_level_dbfs: -58.0,
            floor_window_s: 2.5,
            hangover_s: 0.15,
            min_gap_s: 0.45,
            min_region_s: 0.15,
            max_region_s: 28.0,
            crosstalk_db: 18.0,
        }
    }
}

/// Per-frame energy in dBFS (RMS of a full-scale sine is -3 dBFS).
pub fn frame_energies(samples: &[f32]) -> Vec<f32> {
    samples
        .chunks(FRAME)
        .map(|frame| {
            let power = frame.iter().map(|s| s * s).sum::<f32>() / frame.len() as f32;
            10.0 * (power + 1e-12).log10()
        })
        .collect()
}

/// Speech regions of one channel.
pub fn detect(samples: &[f32], config: &VadConfig) -> Vec<SpeechRegion> {
    let energy = frame_energies(samples);
    let active = active_frames(&energy, config);
    regions_from_frames(&active, &energy, samples.len(), config)
}

/// Speech regions of each channel of a one-party-per-channel recording, ignoring frames where
/// the other channel is much louder (echo / bleed of the other party).
pub fn detect_stereo(a: &[f32], b: &[f32], config: &VadConfig) -> [Vec<SpeechRegion>; 2] {
    let ea = frame_energies(a);
    let eb = frame_energies(b);
    let mut aa = active_frames(&ea, config);
    let mut ab = active_frames(&eb, config);
    for i in 0..aa.len().min(ab.len()) {
        if aa[i] && ab[i] {
            if eb[i] - ea[i] > config.crosstalk_db {
                aa[i] = false;
            } else if ea[i] - eb[i] > config.crosstalk_db {
                ab[i] = false;
            }
        }
    }
    [
        regions_from_frames(&aa, &ea, a.len(), config),
        regions_from_frames(&ab, &eb, b.len(), config),
    ]
}

fn active_frames(energy: &[f32], config: &VadConfig) -> Vec<bool> {
    if energy.is_empty() {
        return Vec::new();
    }
    let smoothed = smooth(energy, 5);
    let half = (config.floor_window_s / FRAME_S).round() as usize;
    let local_floor = sliding_min(&smoothed, half.max(1));
    let global_floor = percentile(&smoothed, 0.03);
    let loud = percentile(&smoothed, 0.97);
    energy
        .iter()
        .enumerate()
        .map(|(i, &e)| {
            // The local minimum tracks changing noise (hold music, line noise); capping it by the
            // global floor keeps a long unbroken monologue from raising the floor into the speech.
            let floor = local_floor[i].min(global_floor + 6.0);
            let threshold = (floor + config.floor_margin_db)
                .max(loud - config.below_peak_db)
                .max(config.min_level_dbfs);
            e > threshold
        })
        .collect()
}

fn regions_from_frames(
    active: &[bool],
    energy: &[f32],
    n_samples: usize,
    config: &VadConfig,
) -> Vec<SpeechRegion> {
    let total_s = n_samples as f64 / f64::from(TARGET_RATE);
    let hangover = (config.hangover_s / FRAME_S).round() as usize;
    let mut raw: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < active.len() {
        if !active[i] {
            i += 1;
            continue;
        }
        let start = i;
        let mut last_active = i;
        while i < active.len() && (active[i] || i - last_active <= hangover) {
            if active[i] {
                last_active = i;
            }
            i += 1;
        }
        raw.push((start, last_active + 1));
    }

    let min_gap = (config.min_gap_s / FRAME_S).round() as usize;
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (s, e) in raw {
        match merged.last_mut() {
            Some(last) if s.saturating_sub(last.1) < min_gap => last.1 = e,
            _ => merged.push((s, e)),
        }
    }

    let min_len = (config.min_region_s / FRAME_S).round() as usize;
    let max_len = ((config.max_region_s / FRAME_S).round() as usize).max(2);
    let mut out = Vec::new();
    for (s, e) in merged.into_iter().filter(|(s, e)| e - s >= min_len) {
        for (a, b) in split_long(s, e, max_len, energy) {
            out.push(SpeechRegion {
                start: a as f64 * FRAME_S,
                end: (b as f64 * FRAME_S).min(total_s),
            });
        }
    }
    out
}

/// Splits a frame range longer than `max_len` at its quietest frame within the last third of
/// each allowed span, so cuts fall in pauses rather than mid-word.
fn split_long(start: usize, end: usize, max_len: usize, energy: &[f32]) -> Vec<(usize, usize)> {
    let mut pieces = Vec::new();
    let mut s = start;
    while end - s > max_len {
        let lo = s + max_len * 2 / 3;
        let hi = s + max_len;
        let cut = (lo..hi)
            .min_by(|&a, &b| {
                let ea = energy.get(a).copied().unwrap_or(f32::MAX);
                let eb = energy.get(b).copied().unwrap_or(f32::MAX);
                ea.total_cmp(&eb)
            })
            .unwrap_or(hi);
        pieces.push((s, cut));
        s = cut;
    }
    pieces.push((s, end));
    pieces
}

fn smooth(x: &[f32], half: usize) -> Vec<f32> {
    (0..x.len())
        .map(|i| {
            let lo = i.saturating_sub(half);
            let hi = (i + half + 1).min(x.len());
            x[lo..hi].iter().sum::<f32>() / (hi - lo) as f32
        })
        .collect()
}

/// Minimum over `[i - half, i + half]` for each i, in O(n) with a monotonic deque.
fn sliding_min(x: &[f32], half: usize) -> Vec<f32> {
    let n = x.len();
    let mut out = vec![0.0; n];
    let mut deque: std::collections::VecDeque<usize> = std::collections::VecDeque::new();
    let mut next = 0;
    for (i, slot) in out.iter_mut().enumerate() {
        let hi = (i + half).min(n - 1);
        while next <= hi {
            while deque.back().is_some_and(|&j| x[j] >= x[next]) {
                deque.pop_back();
            }
            deque.push_back(next);
            next += 1;
        }
        let lo = i.saturating_sub(half);
        while deque.front().is_some_and(|&j| j < lo) {
            deque.pop_front();
        }
        *slot = deque.front().map_or(x[i], |&j| x[j]);
    }
    out
}

fn percentile(x: &[f32], q: f32) -> f32 {
    let mut v: Vec<f32> = x.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    let idx = ((v.len() - 1) as f32 * q).round() as usize;
    v[idx.min(v.len() - 1)]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic pseudo-noise so tests need no RNG crate.
    fn noise(n: usize, amp: f32, seed: u32) -> Vec<f32> {
        let mut state = seed.wrapping_mul(2_654_435_761).max(1);
        (0..n)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                (state as f32 / u32::MAX as f32 * 2.0 - 1.0) * amp
            })
            .collect()
    }

    /// A voiced-speech stand-in: harmonics with a syllable-rate amplitude wobble.
    fn burst(seconds: f64, amp: f32) -> Vec<f32> {
        let n = (seconds * 16000.0) as usize;
        (0..n)
            .map(|i| {
                let t = i as f32 / 16000.0;
                let env = 0.6 + 0.4 * (2.0 * std::f32::consts::PI * 4.0 * t).sin().abs();
                let v = (2.0 * std::f32::consts::PI * 150.0 * t).sin()
                    + 0.5 * (2.0 * std::f32::consts::PI * 300.0 * t).sin()
                    + 0.3 * (2.0 * std::f32::consts::PI * 1200.0 * t).sin();
                v * amp * env
            })
            .collect()
    }

    fn layout(total: f64, bursts: &[(f64, f64)], noise_amp: f32) -> Vec<f32> {
        let mut x = noise((total * 16000.0) as usize, noise_amp, 7);
        for &(s, e) in bursts {
            let b = burst(e - s, 0.3);
            let at = (s * 16000.0) as usize;
            for (k, v) in b.iter().enumerate() {
                if let Some(slot) = x.get_mut(at + k) {
                    *slot += v;
                }
            }
        }
        x
    }

    #[test]
    fn finds_bursts_in_line_noise_within_tolerance() {
        let truth = [(1.0, 3.5), (5.0, 6.2), (9.0, 14.0)];
        let x = layout(16.0, &truth, 0.003);
        let found = detect(&x, &VadConfig::default());
        assert_eq!(found.len(), truth.len(), "{found:?}");
        for (r, &(s, e)) in found.iter().zip(truth.iter()) {
            assert!((r.start - s).abs() < 0.1, "{r:?} vs {s}");
            assert!((r.end - e).abs() < 0.25, "{r:?} vs {e}");
        }
    }

    #[test]
    fn digital_silence_and_steady_noise_have_no_speech() {
        assert!(detect(&vec![0.0; 8000], &VadConfig::default()).is_empty());
        assert!(detect(&noise(16000 * 5, 0.01, 3), &VadConfig::default()).is_empty());
        assert!(detect(&[], &VadConfig::default()).is_empty());
    }

    #[test]
    fn long_regions_are_split_below_the_whisper_window() {
        let x = layout(70.0, &[(1.0, 66.0)], 0.002);
        let found = detect(&x, &VadConfig::default());
        assert!(found.len() >= 3, "{found:?}");
        assert!(found.iter().all(|r| r.duration() <= 28.0 + 1e-6));
        let covered: f64 = found.iter().map(SpeechRegion::duration).sum();
        assert!((covered - 65.0).abs() < 0.5, "covered {covered}");
    }

    #[test]
    fn stereo_gate_drops_the_other_partys_echo() {
        let a = layout(8.0, &[(1.0, 3.0)], 0.002);
        // Channel b hears a's speech as a -26 dB echo, plus its own turn later.
        let mut b = layout(8.0, &[(4.5, 7.0)], 0.002);
        for (vb, va) in b.iter_mut().zip(a.iter()) {
            *vb += va * 0.05;
        }
        let [ra, rb] = detect_stereo(&a, &b, &VadConfig::default());
        assert_eq!(ra.len(), 1, "{ra:?}");
        assert_eq!(rb.len(), 1, "{rb:?}");
        assert!((rb[0].start - 4.5).abs() < 0.1);
    }
}
