//! Fixed-ratio resampling to 16 kHz with rubato's FFT resampler, which band-limits (anti-aliases)
//! as it converts. Fed chunk by chunk so a long call never sits in memory at its source rate.

use super::AudioError;
use audioadapter_buffers::direct::InterleavedSlice;
use rubato::{Fft, FixedSync, Indexing, Resampler};

const CHUNK_FRAMES: usize = 1024;

pub struct StreamResampler {
    inner: Option<Fft<f32>>,
    ratio: f64,
    pending: Vec<f32>,
    output: Vec<f32>,
    scratch: Vec<f32>,
    delay_left: usize,
    frames_in: u64,
}

impl StreamResampler {
    pub fn new(rate_in: u32, rate_out: u32) -> Result<Self, AudioError> {
        let inner = if rate_in == rate_out {
            None
        } else {
            Some(
                Fft::<f32>::new(
                    rate_in as usize,
                    rate_out as usize,
                    CHUNK_FRAMES,
                    1,
                    FixedSync::Input,
                )
                .map_err(|e| AudioError::Resample(e.to_string()))?,
            )
        };
        let delay_left = inner.as_ref().map_or(0, |r| r.output_delay());
        let scratch_len = inner.as_ref().map_or(0, |r| r.output_frames_max());
        Ok(StreamResampler {
            inner,
            ratio: f64::from(rate_out) / f64::from(rate_in),
            pending: Vec::new(),
            output: Vec::new(),
            scratch: vec![0.0; scratch_len],
            delay_left,
            frames_in: 0,
        })
    }

    /// Source frames received so far.
    pub fn frames_in(&self) -> u64 {
        self.frames_in
    }

    pub fn push(&mut self, samples: &[f32]) -> Result<(), AudioError> {
        self.frames_in += samples.len() as u64;
        if self.inner.is_none() {
            self.output
                .extend(samples.iter().map(|&v| if v.is_finite() { v } else { 0.0 }));
            return Ok(());
        }
        // NaN or infinite samples (a corrupt float file) would poison the FFT; silence them.
        self.pending
            .extend(samples.iter().map(|&v| if v.is_finite() { v } else { 0.0 }));
        let mut consumed = 0;
        while let Some(resampler) = self.inner.as_mut() {
            let need = resampler.input_frames_next();
            if self.pending.len() - consumed < need {
                break;
            }
            let input = &self.pending[consumed..consumed + need];
            let n = Self::run(resampler, input, None, &mut self.scratch)?;
            consumed += need;
            self.emit(n);
        }
        self.pending.drain(..consumed);
        Ok(())
    }

    /// Flushes the tail and returns exactly `round(frames_in * ratio)` output frames.
    pub fn finish(mut self) -> Result<Vec<f32>, AudioError> {
        let expected = (self.frames_in as f64 * self.ratio).round() as usize;
        if let Some(mut resampler) = self.inner.take() {
            let tail = std::mem::take(&mut self.pending);
            let need = resampler.input_frames_next();
            let mut padded = tail.clone();
            padded.resize(need.max(tail.len()), 0.0);
            let n = Self::run(&mut resampler, &padded, Some(tail.len()), &mut self.scratch)?;
            self.emit(n);
            // The resampler holds `output_delay` frames back; silence pushes them out.
            let zeros = vec![0.0; need];
            let mut guard = 0;
            while self.output.len() < expected && guard < 64 {
                let n = Self::run(&mut resampler, &zeros, Some(0), &mut self.scratch)?;
                self.emit(n);
                guard += 1;
            }
        }
        self.output.truncate(expected);
        self.output.resize(expected, 0.0);
        Ok(self.output)
    }

    fn run(
        resampler: &mut Fft<f32>,
        input: &[f32],
        partial_len: Option<usize>,
        scratch: &mut [f32],
    ) -> Result<usize, AudioError> {
        let err = |e: &dyn std::fmt::Display| AudioError::Resample(e.to_string());
        let frames = input.len();
        let input_adapter = InterleavedSlice::new(input, 1, frames).map_err(|e| err(&e))?;
        let scratch_frames = scratch.len();
        let mut output_adapter =
            InterleavedSlice::new_mut(scratch, 1, scratch_frames).map_err(|e| err(&e))?;
        let mut indexing = Indexing::new();
        if let Some(len) = partial_len {
            indexing = indexing.partial_len(len);
        }
        // rubato 5 unwraps inside its FFT ("Imaginary part of first value was non-zero") on
        // some inputs a corrupt file produces (found by fuzz/audio_decode, kept in
        // tests/data/fuzz/audio_rubato_panic.bin): contain it as this file's error rather than
        // let one bad recording abort the batch. The resampler is not used after an error.
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            resampler.process_into_buffer(&input_adapter, &mut output_adapter, Some(&indexing))
        }));
        let (_, produced) = match outcome {
            Ok(result) => result.map_err(|e| err(&e))?,
            Err(_) => {
                return Err(AudioError::Resample(
                    "the resampler failed on this audio".into(),
                ))
            }
        };
        Ok(produced)
    }

    fn emit(&mut self, produced: usize) {
        let skip = self.delay_left.min(produced);
        self.delay_left -= skip;
        self.output.extend_from_slice(&self.scratch[skip..produced]);
    }
}

/// Resamples a whole in-memory signal; used by tests and benchmarks.
pub fn resample(samples: &[f32], rate_in: u32, rate_out: u32) -> Result<Vec<f32>, AudioError> {
    let mut r = StreamResampler::new(rate_in, rate_out)?;
    for chunk in samples.chunks(4096) {
        r.push(chunk)?;
    }
    r.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(freq: f32, rate: u32, seconds: f32) -> Vec<f32> {
        let n = (rate as f32 * seconds) as usize;
        (0..n)
            .map(|i| (2.0 * std::f32::consts::PI * freq * i as f32 / rate as f32).sin() * 0.5)
            .collect()
    }

    /// Dominant frequency by counting zero crossings in the steady middle of the signal.
    fn zero_crossing_freq(x: &[f32], rate: u32) -> f32 {
        let mid = &x[x.len() / 4..x.len() * 3 / 4];
        let crossings = mid
            .windows(2)
            .filter(|w| (w[0] < 0.0) != (w[1] < 0.0))
            .count();
        crossings as f32 / 2.0 / (mid.len() as f32 / rate as f32)
    }

    fn rms(x: &[f32]) -> f32 {
        (x.iter().map(|v| v * v).sum::<f32>() / x.len().max(1) as f32).sqrt()
    }

    #[test]
    fn upsampling_8k_keeps_tone_frequency_and_length() {
        let input = tone(440.0, 8000, 2.0);
        let out = resample(&input, 8000, 16000).unwrap();
        assert_eq!(out.len(), 32000);
        let f = zero_crossing_freq(&out, 16000);
        assert!((f - 440.0).abs() < 2.0, "got {f} Hz");
        // No startup delay left in the output: the tone is there from the first 10 ms.
        assert!(rms(&out[160..480]) > 0.3);
    }

    #[test]
    fn downsampling_from_96k_and_44k1_keeps_tone_frequency() {
        for rate in [96_000, 44_100, 22_050, 48_000] {
            let input = tone(1000.0, rate, 1.5);
            let out = resample(&input, rate, 16000).unwrap();
            assert_eq!(out.len(), 24000, "rate {rate}");
            let f = zero_crossing_freq(&out, 16000);
            assert!((f - 1000.0).abs() < 3.0, "rate {rate}: got {f} Hz");
        }
    }

    #[test]
    fn content_above_new_nyquist_is_filtered_not_aliased() {
        // 11 kHz at 48 kHz would alias to 5 kHz at 16 kHz without an anti-aliasing filter.
        let input = tone(11_000.0, 48_000, 1.0);
        let out = resample(&input, 48_000, 16000).unwrap();
        assert!(
            rms(&out[1000..15000]) < 0.01,
            "rms {}",
            rms(&out[1000..15000])
        );
    }

    #[test]
    fn same_rate_passes_through() {
        let input = tone(300.0, 16000, 0.3);
        let out = resample(&input, 16000, 16000).unwrap();
        assert_eq!(out, input);
    }
}
