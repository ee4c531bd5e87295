//! Whisper's mel filterbank: librosa's `filters.mel(sr=16000, n_fft=400, n_mels=N)` (Slaney mel
//! scale, Slaney area normalisation), computed here because whisper.cpp reads it from the model
//! file and CTranslate2 models do not carry it.

pub const SAMPLE_RATE: f64 = crate::audio::TARGET_RATE as f64;
pub const N_FFT: usize = 400;
/// Frequency bins of a 400-point real FFT.
pub const N_BINS: usize = N_FFT / 2 + 1;

fn hz_to_mel(hz: f64) -> f64 {
    let f_sp = 200.0 / 3.0;
    let min_log_hz = 1000.0;
    let min_log_mel = min_log_hz / f_sp;
    let log_step = 6.4f64.ln() / 27.0;
    if hz >= min_log_hz {
        min_log_mel + (hz / min_log_hz).ln() / log_step
    } else {
        hz / f_sp
    }
}

fn mel_to_hz(mel: f64) -> f64 {
    let f_sp = 200.0 / 3.0;
    let min_log_hz = 1000.0;
    let min_log_mel = min_log_hz / f_sp;
    let log_step = 6.4f64.ln() / 27.0;
    if mel >= min_log_mel {
        min_log_hz * (log_step * (mel - min_log_mel)).exp()
    } else {
        f_sp * mel
    }
}

/// `n_mels × 201` filters, row-major.
pub fn mel_filters(n_mels: usize) -> Vec<f32> {
    let fft_freqs: Vec<f64> = (0..N_BINS)
        .map(|i| i as f64 * (SAMPLE_RATE / 2.0) / (N_BINS - 1) as f64)
        .collect();
    let (lo, hi) = (hz_to_mel(0.0), hz_to_mel(SAMPLE_RATE / 2.0));
    let mel_points: Vec<f64> = (0..n_mels + 2)
        .map(|i| mel_to_hz(lo + (hi - lo) * i as f64 / (n_mels + 1) as f64))
        .collect();
    let mut out = Vec::with_capacity(n_mels * N_BINS);
    for m in 0..n_mels {
        let (left, centre, right) = (mel_points[m], mel_points[m + 1], mel_points[m + 2]);
        let norm = 2.0 / (right - left);
        for &f in &fft_freqs {
            let lower = (f - left) / (centre - left);
            let upper = (right - f) / (right - centre);
            out.push((lower.min(upper).max(0.0) * norm) as f32);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference values from librosa 0.11 `filters.mel(sr=16000, n_fft=400, n_mels=80)`.
    #[test]
    fn matches_librosa_reference_values() {
        let f = mel_filters(80);
        assert_eq!(f.len(), 80 * N_BINS);
        let at = |m: usize, bin: usize| f[m * N_BINS + bin];
        for (m, bin, want) in REFERENCE {
            let got = at(*m, *bin);
            assert!(
                (got - want).abs() < 1e-6,
                "filter {m} bin {bin}: {got} vs {want}"
            );
        }
    }

    #[test]
    fn large_v3_has_128_filters_each_nonempty() {
        let f = mel_filters(128);
        for m in 0..128 {
            assert!(
                f[m * N_BINS..(m + 1) * N_BINS].iter().any(|v| *v > 0.0),
                "filter {m}"
            );
        }
    }

    #[allow(clippy::excessive_precision)]
    const REFERENCE: &[(usize, usize, f32)] = &[
        (0, 1, 2.486259490e-02),
        (0, 1, 2.486259490e-02),
        (0, 0, -0.000000000e+00),
        (1, 1, 1.990821911e-03),
        (1, 2, 2.287177183e-02),
        (1, 0, 0.000000000e+00),
        (7, 7, 1.393575221e-02),
        (7, 8, 1.092684083e-02),
        (7, 6, 0.000000000e+00),
        (20, 19, 1.097219996e-02),
        (20, 20, 1.389039401e-02),
        (20, 18, 0.000000000e+00),
        (40, 42, 5.411104765e-03),
        (40, 44, 6.518189795e-03),
        (40, 41, 0.000000000e+00),
        (63, 101, 1.294369111e-03),
        (63, 108, 2.856826468e-04),
        (63, 100, 0.000000000e+00),
        (79, 186, 3.667416750e-04),
        (79, 199, 4.487590049e-04),
        (79, 185, 0.000000000e+00),
    ];
}
