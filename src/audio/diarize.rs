//! Who speaks when, on a mono mixdown (both parties on one channel).
//!
//! The heuristic, documented in the README:
//! 1. Voice activity splits the call into speech regions at pauses (turn changes are pauses).
//! 2. Each region gets a voice print: the mean cepstrum of its louder frames (MFCC 1–12 over
//!    mel bands limited to the telephone band, so 8 kHz calls work alike) and its median pitch.
//! 3. Two-means clustering on the standardised prints separates the two voices; the split is
//!    kept only if it is clearly better than one voice (silhouette score).
//! 4. The voice that speaks first is the agent: inbound service calls open with the greeting.
//!
//! When the voices cannot be told apart every region keeps the agent role and the call carries a
//! warning. Roles on mono calls are always stored as `inferred`.

use super::vad::SpeechRegion;
use super::TARGET_RATE;
use crate::transcript::Speaker;
use realfft::RealFftPlanner;

const FRAME: usize = 400; // 25 ms
const HOP: usize = 160; // 10 ms
const FFT: usize = 512;
const MEL_BANDS: usize = 26;
const CEPSTRA: usize = 12;
const BAND_LOW_HZ: f32 = 100.0;
const BAND_HIGH_HZ: f32 = 3800.0;
const MIN_F0: f32 = 65.0;
const MAX_F0: f32 = 400.0;
/// Below this silhouette the two-cluster split is no better than noise.
const MIN_SILHOUETTE: f32 = 0.2;
/// Cluster centres closer than this (in the scaled feature space) are one voice.
const MIN_CENTRE_DISTANCE: f32 = 1.5;

#[derive(Debug, Clone, PartialEq)]
pub struct VoicePrint {
    /// Median F0 in Hz over voiced frames; 0 when the region has no voiced frame.
    pub pitch_hz: f32,
    /// Mean MFCC 1..=12 over the region's louder frames; empty when it has none.
    pub cepstrum: Vec<f32>,
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
    let mut analyser = Analyser::new();
    let prints: Vec<VoicePrint> = regions
        .iter()
        .map(|r| analyser.voice_print(samples, r))
        .collect();
    let usable: Vec<usize> = (0..prints.len())
        .filter(|&i| !prints[i].cepstrum.is_empty())
        .collect();
    let single = |warning: &str| Attribution {
        speakers: vec![Speaker::Agent; regions.len()],
        warning: Some(warning.to_string()),
    };
    if usable.len() < 2 {
        return single("mono call with too little speech to tell the parties apart; all speech attributed to the agent");
    }
    let features = scaled_features(&prints, &usable);
    let Some(labels) = two_means(&features) else {
        return single(
            "mono call: the two voices could not be told apart; all speech attributed to the agent",
        );
    };
    let mut label_of: Vec<Option<usize>> = vec![None; regions.len()];
    for (k, &i) in usable.iter().enumerate() {
        label_of[i] = Some(labels[k]);
    }
    let first_label = labels[0];
    let speakers = (0..regions.len())
        .map(|i| {
            // Regions without a print take the label of the nearest region in time that has one.
            let label = label_of[i].unwrap_or_else(|| {
                usable
                    .iter()
                    .min_by(|&&a, &&b| {
                        let da = (regions[a].start - regions[i].start).abs();
                        let db = (regions[b].start - regions[i].start).abs();
                        da.total_cmp(&db)
                    })
                    .and_then(|&j| label_of[j])
                    .unwrap_or(first_label)
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

/// One feature vector per usable region, on fixed scales so distances mean the same in every
/// call: pitch in units of 2 semitones (counted twice, the most speaker-specific cue), cepstra in
/// units of 6 (about the spread one speaker's phonetic content causes between turns).
fn scaled_features(prints: &[VoicePrint], usable: &[usize]) -> Vec<Vec<f32>> {
    let median_pitch = {
        let mut p: Vec<f32> = usable
            .iter()
            .map(|&i| prints[i].pitch_hz)
            .filter(|p| *p > 0.0)
            .collect();
        median(&mut p).unwrap_or(120.0)
    };
    usable
        .iter()
        .map(|&i| {
            let p = &prints[i];
            let pitch = if p.pitch_hz > 0.0 {
                p.pitch_hz
            } else {
                median_pitch
            };
            let semitones = 12.0 * pitch.log2() / 2.0;
            let mut v: Vec<f32> = p.cepstrum.iter().map(|c| c / 6.0).collect();
            v.push(semitones);
            v.push(semitones);
            v
        })
        .collect()
}

fn dist2(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| (x - y).powi(2)).sum()
}

/// Two-means from the farthest pair; None when the split's silhouette shows one voice.
fn two_means(x: &[Vec<f32>]) -> Option<Vec<usize>> {
    let n = x.len();
    let mut seed = (0, 1, -1.0f32);
    for i in 0..n {
        for j in i + 1..n {
            let d = dist2(&x[i], &x[j]);
            if d > seed.2 {
                seed = (i, j, d);
            }
        }
    }
    let mut centres = [x[seed.0].clone(), x[seed.1].clone()];
    let mut labels = vec![0usize; n];
    for _ in 0..100 {
        let mut changed = false;
        for i in 0..n {
            let l = usize::from(dist2(&x[i], &centres[1]) < dist2(&x[i], &centres[0]));
            if labels[i] != l {
                labels[i] = l;
                changed = true;
            }
        }
        for (c, centre) in centres.iter_mut().enumerate() {
            let members: Vec<&Vec<f32>> =
                (0..n).filter(|&i| labels[i] == c).map(|i| &x[i]).collect();
            if members.is_empty() {
                return None;
            }
            for (d, value) in centre.iter_mut().enumerate() {
                *value = members.iter().map(|m| m[d]).sum::<f32>() / members.len() as f32;
            }
        }
        if !changed {
            break;
        }
    }
    if labels.iter().all(|&l| l == labels[0]) {
        return None;
    }
    let separated = dist2(&centres[0], &centres[1]).sqrt() >= MIN_CENTRE_DISTANCE;
    (separated && silhouette(x, &labels) >= MIN_SILHOUETTE).then_some(labels)
}

/// Mean silhouette: how much closer each point is to its own cluster than to the other.
fn silhouette(x: &[Vec<f32>], labels: &[usize]) -> f32 {
    let n = x.len();
    let mut total = 0.0;
    for i in 0..n {
        let (mut own, mut own_n, mut other, mut other_n) = (0.0, 0usize, 0.0, 0usize);
        for j in 0..n {
            if i == j {
                continue;
            }
            let d = dist2(&x[i], &x[j]).sqrt();
            if labels[j] == labels[i] {
                own += d;
                own_n += 1;
            } else {
                other += d;
                other_n += 1;
            }
        }
        if own_n == 0 || other_n == 0 {
            continue;
        }
        let a = own / own_n as f32;
        let b = other / other_n as f32;
        total += (b - a) / a.max(b).max(1e-9);
    }
    total / n as f32
}

pub fn voice_print(samples: &[f32], region: &SpeechRegion) -> VoicePrint {
    Analyser::new().voice_print(samples, region)
}

struct Analyser {
    fft: std::sync::Arc<dyn realfft::RealToComplex<f32>>,
    window: Vec<f32>,
    filters: Vec<Vec<(usize, f32)>>,
}

impl Analyser {
    fn new() -> Self {
        let fft = RealFftPlanner::<f32>::new().plan_fft_forward(FFT);
        let window = (0..FRAME)
            .map(|i| 0.5 - 0.5 * (2.0 * std::f32::consts::PI * i as f32 / (FRAME - 1) as f32).cos())
            .collect();
        Analyser {
            fft,
            window,
            filters: mel_filters(),
        }
    }

    fn voice_print(&mut self, samples: &[f32], region: &SpeechRegion) -> VoicePrint {
        let rate = f64::from(TARGET_RATE);
        let lo = ((region.start * rate) as usize).min(samples.len());
        let hi = ((region.end * rate) as usize).min(samples.len());
        let x = &samples[lo..hi];

        let mut frames: Vec<(f32, Vec<f32>)> = Vec::new();
        let mut input = self.fft.make_input_vec();
        let mut spectrum = self.fft.make_output_vec();
        let mut pitches = Vec::new();
        let mut at = 0;
        while at + FRAME <= x.len() {
            let frame = &x[at..at + FRAME];
            let energy = frame.iter().map(|v| v * v).sum::<f32>() / FRAME as f32;
            if energy > 1e-7 {
                input.iter_mut().for_each(|v| *v = 0.0);
                for (k, (v, w)) in frame.iter().zip(&self.window).enumerate() {
                    input[k] = v * w;
                }
                if self.fft.process(&mut input, &mut spectrum).is_ok() {
                    let power: Vec<f32> = spectrum.iter().map(|c| c.norm_sqr()).collect();
                    let bands: Vec<f32> = self
                        .filters
                        .iter()
                        .map(|f| {
                            (f.iter().map(|&(bin, w)| power[bin] * w).sum::<f32>() + 1e-10).ln()
                        })
                        .collect();
                    frames.push((10.0 * energy.log10(), bands));
                }
                if at % (HOP * 4) == 0 {
                    if let Some(f0) = frame_pitch(&x[at..(at + 640).min(x.len())]) {
                        pitches.push(f0);
                    }
                }
            }
            at += HOP;
        }
        let loudest = frames.iter().map(|f| f.0).fold(f32::MIN, f32::max);
        // The louder frames are the voiced ones; quiet ones are mostly line noise.
        let kept: Vec<&Vec<f32>> = frames
            .iter()
            .filter(|f| f.0 > loudest - 20.0)
            .map(|f| &f.1)
            .collect();
        let cepstrum = if kept.len() < 5 {
            Vec::new()
        } else {
            let mean: Vec<f32> = (0..MEL_BANDS)
                .map(|b| kept.iter().map(|f| f[b]).sum::<f32>() / kept.len() as f32)
                .collect();
            dct(&mean)
        };
        VoicePrint {
            pitch_hz: median(&mut pitches).unwrap_or(0.0),
            cepstrum,
        }
    }
}

/// Triangular mel filters over the telephone band, as (bin, weight) lists.
fn mel_filters() -> Vec<Vec<(usize, f32)>> {
    let mel = |f: f32| 2595.0 * (1.0 + f / 700.0).log10();
    let hz = |m: f32| 700.0 * (10f32.powf(m / 2595.0) - 1.0);
    let (lo, hi) = (mel(BAND_LOW_HZ), mel(BAND_HIGH_HZ));
    let points: Vec<f32> = (0..MEL_BANDS + 2)
        .map(|i| hz(lo + (hi - lo) * i as f32 / (MEL_BANDS + 1) as f32))
        .collect();
    let bin_hz = TARGET_RATE as f32 / FFT as f32;
    (0..MEL_BANDS)
        .map(|b| {
            let (l, c, r) = (points[b], points[b + 1], points[b + 2]);
            (0..=FFT / 2)
                .filter_map(|bin| {
                    let f = bin as f32 * bin_hz;
                    let w = if f > l && f <= c {
                        (f - l) / (c - l)
                    } else if f > c && f < r {
                        (r - f) / (r - c)
                    } else {
                        0.0
                    };
                    (w > 0.0).then_some((bin, w))
                })
                .collect()
        })
        .collect()
}

/// DCT-II of the log mel energies, coefficients 1..=CEPSTRA (c0 is loudness, not voice).
fn dct(bands: &[f32]) -> Vec<f32> {
    let n = bands.len() as f32;
    (1..=CEPSTRA)
        .map(|k| {
            bands
                .iter()
                .enumerate()
                .map(|(i, v)| v * (std::f32::consts::PI * k as f32 * (i as f32 + 0.5) / n).cos())
                .sum()
        })
        .collect()
}

/// F0 of one frame by normalised autocorrelation; None for unvoiced frames.
fn frame_pitch(frame: &[f32]) -> Option<f32> {
    let rate = TARGET_RATE as f32;
    let min_lag = (rate / MAX_F0) as usize;
    let max_lag = ((rate / MIN_F0) as usize).min(frame.len() / 2);
    if max_lag <= min_lag {
        return None;
    }
    let mean = frame.iter().sum::<f32>() / frame.len() as f32;
    let x: Vec<f32> = frame.iter().map(|v| v - mean).collect();
    let mut scores = Vec::with_capacity(max_lag + 1 - min_lag);
    for lag in min_lag..=max_lag {
        let (mut num, mut e1, mut e2) = (0.0f32, 0.0f32, 0.0f32);
        for i in 0..x.len() - lag {
            num += x[i] * x[i + lag];
            e1 += x[i] * x[i];
            e2 += x[i + lag] * x[i + lag];
        }
        scores.push((lag, num / (e1 * e2).sqrt().max(1e-9)));
    }
    let peak = scores.iter().map(|&(_, r)| r).fold(0.0f32, f32::max);
    if peak <= 0.6 {
        return None;
    }
    // Multiples of the period correlate almost as well as the period itself; the shortest lag
    // near the peak, climbed to its top, is the fundamental (no octave errors).
    let mut at = scores.iter().position(|&(_, r)| r >= 0.9 * peak)?;
    while at + 1 < scores.len() && scores[at + 1].1 >= scores[at].1 {
        at += 1;
    }
    Some(rate / scores[at].0 as f32)
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

    /// A vowel-like voice: harmonics of f0 shaped by two formants.
    fn voice(f0: f32, formants: (f32, f32), seconds: f64) -> Vec<f32> {
        let n = (seconds * 16000.0) as usize;
        let harmonics: Vec<(f32, f32)> = (1..=(3800.0 / f0) as usize)
            .map(|h| {
                let f = f0 * h as f32;
                let gain = |fc: f32| 1.0 / (1.0 + ((f - fc) / 150.0).powi(2));
                (f, gain(formants.0) + 0.7 * gain(formants.1) + 0.02)
            })
            .collect();
        (0..n)
            .map(|i| {
                let t = i as f32 / 16000.0;
                let env = 0.5 + 0.5 * (2.0 * std::f32::consts::PI * 3.0 * t).sin().abs();
                env * 0.1
                    * harmonics
                        .iter()
                        .map(|(f, g)| g * (2.0 * std::f32::consts::PI * f * t).sin())
                        .sum::<f32>()
            })
            .collect()
    }

    fn call(turns: &[(f32, (f32, f32))]) -> (Vec<f32>, Vec<SpeechRegion>) {
        let mut x = Vec::new();
        let mut regions = Vec::new();
        for &(f0, formants) in turns {
            let start = x.len() as f64 / 16000.0;
            x.extend(voice(f0, formants, 1.5));
            regions.push(SpeechRegion {
                start,
                end: start + 1.5,
            });
            x.extend(vec![0.0; 8000]);
        }
        (x, regions)
    }

    #[test]
    fn pitch_of_a_harmonic_voice_is_found() {
        let x = voice(120.0, (700.0, 1200.0), 1.0);
        let p = voice_print(
            &x,
            &SpeechRegion {
                start: 0.0,
                end: 1.0,
            },
        );
        assert!((p.pitch_hz - 120.0).abs() < 4.0, "{p:?}");
        assert_eq!(p.cepstrum.len(), CEPSTRA);
    }

    #[test]
    fn voices_differing_in_pitch_get_two_roles_first_is_agent() {
        let a = (210.0, (800.0, 1400.0));
        let b = (110.0, (800.0, 1400.0));
        let (x, regions) = call(&[a, b, a, b, a]);
        use Speaker::*;
        let got = attribute(&x, &regions);
        assert_eq!(got.speakers, vec![Agent, Customer, Agent, Customer, Agent]);
        assert!(got.warning.is_none());
    }

    #[test]
    fn voices_with_the_same_pitch_but_different_timbre_are_separated() {
        let a = (105.0, (500.0, 1000.0));
        let b = (105.0, (900.0, 2200.0));
        let (x, regions) = call(&[b, a, b, a, a, b]);
        use Speaker::*;
        let got = attribute(&x, &regions);
        assert_eq!(
            got.speakers,
            vec![Agent, Customer, Agent, Customer, Customer, Agent]
        );
    }

    #[test]
    fn one_voice_is_not_split_in_two() {
        let (x, regions) = call(&[
            (150.0, (700.0, 1200.0)),
            (152.0, (700.0, 1200.0)),
            (149.0, (700.0, 1200.0)),
            (151.0, (700.0, 1200.0)),
        ]);
        let got = attribute(&x, &regions);
        assert!(
            got.speakers.iter().all(|s| *s == Speaker::Agent),
            "{:?}",
            got.speakers
        );
        assert!(got.warning.is_some());
    }
}
