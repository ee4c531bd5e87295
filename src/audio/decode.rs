//! Streaming decode with symphonia: packets are resampled as they arrive, so memory grows with
//! the 16 kHz output only, never with the source's (possibly 96 kHz, 24-bit) sample data.

use super::resample::StreamResampler;
use super::{AudioError, DecodeLimits, TARGET_RATE};
use std::fs::File;
use std::path::Path;
use symphonia::core::codecs::audio::well_known::{CODEC_ID_PCM_MULAW, CODEC_ID_PCM_S32LE};
use symphonia::core::codecs::audio::{AudioCodecParameters, AudioDecoder, AudioDecoderOptions};
use symphonia::core::errors::Error as SymError;
use symphonia::core::formats::probe::Hint;
use symphonia::core::formats::{FormatOptions, FormatReader, TrackType};
use symphonia::core::io::{MediaSource, MediaSourceStream};
use symphonia::core::meta::MetadataOptions;
use symphonia::core::packet::Packet;

/// Give up on a stream that yields nothing but decode errors; real damage is local, a run of
/// this many bad packets in a row means the rest is garbage.
const MAX_CONSECUTIVE_DECODE_ERRORS: usize = 200;

#[derive(Debug, Clone)]
pub struct DecodedAudio {
    /// One 16 kHz mono signal per source channel.
    pub channels: Vec<Vec<f32>>,
    pub source_rate: u32,
    pub source_channels: usize,
    pub codec: String,
    /// Problems that did not stop decoding, e.g. truncation.
    pub warnings: Vec<String>,
}

impl DecodedAudio {
    pub fn duration_s(&self) -> f64 {
        self.channels.first().map_or(0.0, |c| c.len() as f64) / f64::from(TARGET_RATE)
    }
}

/// Decodes a file within the default [`DecodeLimits`].
pub fn decode_file(path: &Path) -> Result<DecodedAudio, AudioError> {
    decode_file_with(path, &DecodeLimits::default())
}

pub fn decode_file_with(path: &Path, limits: &DecodeLimits) -> Result<DecodedAudio, AudioError> {
    let file = File::open(path)?;
    if file.metadata()?.len() == 0 {
        return Err(AudioError::Empty);
    }
    let mss = MediaSourceStream::new(Box::new(file), Default::default());
    decode_stream(mss, path.extension().and_then(|e| e.to_str()), limits)
}

/// Decodes an in-memory file; `extension` is the format hint a file name would give
/// ("wav", "mp3"). The same decoder as [`decode_file`]; exists for fuzzing and for callers
/// that already hold the bytes.
pub fn decode_bytes(bytes: &[u8], extension: Option<&str>) -> Result<DecodedAudio, AudioError> {
    decode_bytes_with(bytes, extension, &DecodeLimits::default())
}

pub fn decode_bytes_with(
    bytes: &[u8],
    extension: Option<&str>,
    limits: &DecodeLimits,
) -> Result<DecodedAudio, AudioError> {
    if bytes.is_empty() {
        return Err(AudioError::Empty);
    }
    let cursor = std::io::Cursor::new(bytes.to_vec());
    let mss = MediaSourceStream::new(Box::new(cursor), Default::default());
    decode_stream(mss, extension, limits)
}

/// Frames a header declares, bounded by what the file's bytes can hold when the codec is plain
/// PCM: a recording cut short (or a streaming writer's placeholder size) is not a long call.
/// Compressed codecs are taken at their word; the check while decoding catches a lie.
fn declared_frames_bound(
    declared: Option<u64>,
    params: &AudioCodecParameters,
    byte_len: Option<u64>,
) -> Option<u64> {
    let declared = declared?;
    let is_pcm = (CODEC_ID_PCM_S32LE..=CODEC_ID_PCM_MULAW).contains(&params.codec);
    let bits = params.bits_per_coded_sample.or(params.bits_per_sample);
    let channels = params.channels.as_ref().map(|c| c.count() as u64);
    match (is_pcm, bits, channels, byte_len) {
        (true, Some(bits), Some(ch), Some(len)) if bits > 0 && ch > 0 => {
            Some(declared.min(len.saturating_mul(8) / (u64::from(bits) * ch)))
        }
        _ => Some(declared),
    }
}

/// One resampler per source channel, fixed by the first decoded buffer. A later buffer at
/// another rate or channel count would be fed to the wrong resamplers (and the channels
/// drift apart silently), so it is this file's error; so is decoded audio past the cap.
struct ChannelSink {
    rate: u32,
    resamplers: Vec<StreamResampler>,
    max_frames: u64,
    limit_s: f64,
}

impl ChannelSink {
    fn new(rate: u32, channels: usize, limits: &DecodeLimits) -> Result<Self, AudioError> {
        limits.check_rate(rate)?;
        limits.check_channels(channels)?;
        let resamplers = (0..channels)
            .map(|_| StreamResampler::new(rate, TARGET_RATE))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(ChannelSink {
            rate,
            resamplers,
            max_frames: limits.max_frames(rate),
            limit_s: limits.max_duration_s,
        })
    }

    fn frames_in(&self) -> u64 {
        self.resamplers
            .first()
            .map_or(0, StreamResampler::frames_in)
    }

    /// Feeds one decoded buffer (one sample vector per channel) at `rate`.
    fn push(&mut self, rate: u32, planar: &[Vec<f32>]) -> Result<(), AudioError> {
        if rate != self.rate || planar.len() != self.resamplers.len() {
            return Err(AudioError::FormatChanged {
                from_rate: self.rate,
                from_channels: self.resamplers.len(),
                to_rate: rate,
                to_channels: planar.len(),
            });
        }
        let frames = planar.first().map_or(0, Vec::len) as u64;
        // Checked before the samples are kept: memory stops growing at the cap.
        if self.frames_in() + frames > self.max_frames {
            return Err(AudioError::TooLong {
                limit_s: self.limit_s,
            });
        }
        for (resampler, samples) in self.resamplers.iter_mut().zip(planar) {
            resampler.push(samples)?;
        }
        Ok(())
    }

    fn finish(self) -> Result<Vec<Vec<f32>>, AudioError> {
        self.resamplers
            .into_iter()
            .map(StreamResampler::finish)
            .collect()
    }
}

fn decode_stream(
    mss: MediaSourceStream<'static>,
    extension: Option<&str>,
    limits: &DecodeLimits,
) -> Result<DecodedAudio, AudioError> {
    let byte_len = mss.byte_len();
    let mut hint = Hint::new();
    if let Some(ext) = extension {
        hint.with_extension(ext);
    }
    let mut format = symphonia::default::get_probe()
        .probe(
            &hint,
            mss,
            FormatOptions::default(),
            MetadataOptions::default(),
        )
        .map_err(|e| AudioError::UnrecognisedFormat(e.to_string()))?;
    let track = AudioTrack::of(format.as_ref())?;
    track.check_header(byte_len, limits)?;
    let codec = track.codec_name();
    let mut decoder = symphonia::default::get_codecs()
        .make_audio_decoder(&track.params, &AudioDecoderOptions::default())
        .map_err(|e| AudioError::UnsupportedCodec(e.to_string()))?;
    let mut run = DecodeRun::new(&track.params);
    run.read_all(format.as_mut(), decoder.as_mut(), track.id, limits)?;
    run.finish(track.declared_frames, codec)
}

/// The audio track to decode and what its header says.
struct AudioTrack {
    id: u32,
    declared_frames: Option<u64>,
    params: AudioCodecParameters,
}

impl AudioTrack {
    fn of(format: &dyn FormatReader) -> Result<AudioTrack, AudioError> {
        let track = format
            .default_track(TrackType::Audio)
            .ok_or(AudioError::NoAudioTrack)?;
        let params = track
            .codec_params
            .as_ref()
            .and_then(|p| p.audio())
            .ok_or(AudioError::NoAudioTrack)?
            .clone();
        Ok(AudioTrack {
            id: track.id,
            declared_frames: track.num_frames,
            params,
        })
    }

    /// What the header says is checked before a decoder or resampler is made: a forged rate,
    /// channel count or length must cost nothing.
    fn check_header(&self, byte_len: Option<u64>, limits: &DecodeLimits) -> Result<(), AudioError> {
        if let Some(rate) = self.params.sample_rate {
            limits.check_rate(rate)?;
            if let Some(frames) =
                declared_frames_bound(self.declared_frames, &self.params, byte_len)
            {
                if frames > limits.max_frames(rate) {
                    return Err(AudioError::DeclaredTooLong {
                        declared_s: frames as f64 / f64::from(rate),
                        limit_s: limits.max_duration_s,
                    });
                }
            }
        }
        if let Some(channels) = &self.params.channels {
            limits.check_channels(channels.count())?;
        }
        Ok(())
    }

    fn codec_name(&self) -> String {
        symphonia::default::get_codecs()
            .get_audio_decoder(self.params.codec)
            .map(|d| d.codec.info.short_name.to_string())
            .unwrap_or_else(|| format!("{:?}", self.params.codec))
    }
}

/// The packet loop's state: the source format as the first decoded buffer fixes it, the
/// resampled channels, and what went wrong without stopping the decode.
struct DecodeRun {
    source_rate: Option<u32>,
    source_channels: Option<usize>,
    sink: Option<ChannelSink>,
    warnings: Vec<String>,
    skipped_packets: usize,
}

impl DecodeRun {
    fn new(params: &AudioCodecParameters) -> DecodeRun {
        DecodeRun {
            source_rate: params.sample_rate,
            source_channels: params.channels.as_ref().map(|c| c.count()),
            sink: None,
            warnings: Vec::new(),
            skipped_packets: 0,
        }
    }

    fn read_all(
        &mut self,
        format: &mut dyn FormatReader,
        decoder: &mut dyn AudioDecoder,
        track_id: u32,
        limits: &DecodeLimits,
    ) -> Result<(), AudioError> {
        let mut planar: Vec<Vec<f32>> = Vec::new();
        let mut consecutive_errors = 0usize;
        while let Some(packet) = self.next_packet(format)? {
            if packet.track_id != track_id {
                continue;
            }
            let buf = match decoder.decode(&packet) {
                Ok(buf) => {
                    consecutive_errors = 0;
                    buf
                }
                Err(SymError::DecodeError(_)) | Err(SymError::IoError(_)) => {
                    self.skipped_packets += 1;
                    consecutive_errors += 1;
                    if consecutive_errors >= MAX_CONSECUTIVE_DECODE_ERRORS {
                        return self.stop_undecodable(consecutive_errors);
                    }
                    continue;
                }
                Err(e) => return Err(AudioError::Decode(e.to_string())),
            };
            if buf.frames() == 0 {
                continue;
            }
            let rate = buf.spec().rate();
            let channels = buf.spec().channels().count();
            buf.copy_to_vecs_planar::<f32>(&mut planar);
            // A float stream may carry NaN, infinities or values far outside [-1, 1]; the
            // resampler's FFT turns them into a panic (found by fuzzing). Silence and full
            // scale are what a player would make of them.
            for s in planar.iter_mut().flatten() {
                *s = if s.is_finite() {
                    s.clamp(-1.0, 1.0)
                } else {
                    0.0
                };
            }
            self.feed(rate, channels, &planar, limits)?;
        }
        Ok(())
    }

    /// The next packet, `None` at the end. A read error after some audio ends the stream with
    /// a warning (the audio before it is kept); before any audio it is the file's error.
    fn next_packet(&mut self, format: &mut dyn FormatReader) -> Result<Option<Packet>, AudioError> {
        match format.next_packet() {
            Ok(packet) => Ok(packet),
            Err(SymError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                if self.sink.is_none() {
                    return Err(AudioError::Decode(
                        "file ends before any audio (truncated)".into(),
                    ));
                }
                self.warnings
                    .push("file is truncated; kept the audio before the cut".to_string());
                Ok(None)
            }
            Err(e) => {
                if self.sink.is_none() {
                    return Err(AudioError::Decode(e.to_string()));
                }
                self.warnings.push(format!("stopped reading early: {e}"));
                Ok(None)
            }
        }
    }

    /// Too many undecodable packets in a row: the file's error before any audio, else the end
    /// of the stream with a warning.
    fn stop_undecodable(&mut self, in_a_row: usize) -> Result<(), AudioError> {
        if self.sink.is_none() {
            return Err(AudioError::Decode(format!(
                "{in_a_row} undecodable packets in a row"
            )));
        }
        self.warnings
            .push("stream became undecodable; kept the audio before".into());
        Ok(())
    }

    /// One decoded buffer; the first one fixes the source format and makes the sink.
    fn feed(
        &mut self,
        rate: u32,
        channels: usize,
        planar: &[Vec<f32>],
        limits: &DecodeLimits,
    ) -> Result<(), AudioError> {
        if self.sink.is_none() {
            self.source_rate = Some(rate);
            self.source_channels = Some(channels);
            self.sink = Some(ChannelSink::new(rate, channels, limits)?);
        }
        match self.sink.as_mut() {
            Some(sink) => sink.push(rate, planar),
            None => Ok(()),
        }
    }

    fn finish(
        mut self,
        declared_frames: Option<u64>,
        codec: String,
    ) -> Result<DecodedAudio, AudioError> {
        self.warn_if_cut(declared_frames);
        if self.skipped_packets > 0 {
            self.warnings.push(format!(
                "{} undecodable packet(s) skipped",
                self.skipped_packets
            ));
        }
        let source_rate = self.source_rate.ok_or(AudioError::UnknownSampleRate)?;
        let source_channels = self.source_channels.unwrap_or(0).max(1);
        let channels = match self.sink {
            Some(sink) => sink.finish()?,
            // A valid file with no frames: a call with no speech, not an error.
            None => vec![Vec::new(); source_channels],
        };
        Ok(DecodedAudio {
            channels,
            source_rate,
            source_channels,
            codec,
            warnings: self.warnings,
        })
    }

    /// Containers that state their length (WAV data size, MP3 Xing/LAME frame count, FLAC
    /// STREAMINFO) reveal a cut file even when the last packet ends cleanly.
    fn warn_if_cut(&mut self, declared_frames: Option<u64>) {
        let (Some(declared), Some(rate), Some(sink)) =
            (declared_frames, self.source_rate, &self.sink)
        else {
            return;
        };
        let decoded = sink.frames_in();
        let already_warned = self.warnings.iter().any(|w| w.contains("truncated"));
        if declared > 0 && decoded < declared * 98 / 100 && !already_warned {
            self.warnings.push(format!(
                "file is truncated: {:.1} s decoded of the {:.1} s its header declares",
                decoded as f64 / f64::from(rate),
                declared as f64 / f64::from(rate)
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PCM WAV: `frames` frames of a quiet tone, its data chunk declaring `declared_bytes`
    /// (None: the real size; u32::MAX is a streaming writer's "unknown").
    fn wav(rate: u32, channels: u16, frames: usize, declared_bytes: Option<u32>) -> Vec<u8> {
        let mut data = Vec::with_capacity(frames * channels as usize * 2);
        for i in 0..frames {
            let v = ((i as f32 * 0.05).sin() * 3000.0) as i16;
            for _ in 0..channels {
                data.extend_from_slice(&v.to_le_bytes());
            }
        }
        let block = channels * 2;
        let mut fmt = Vec::new();
        fmt.extend_from_slice(&1u16.to_le_bytes());
        fmt.extend_from_slice(&channels.to_le_bytes());
        fmt.extend_from_slice(&rate.to_le_bytes());
        fmt.extend_from_slice(&rate.wrapping_mul(u32::from(block)).to_le_bytes());
        fmt.extend_from_slice(&block.to_le_bytes());
        fmt.extend_from_slice(&16u16.to_le_bytes());
        let mut body = b"WAVEfmt ".to_vec();
        body.extend_from_slice(&(fmt.len() as u32).to_le_bytes());
        body.extend_from_slice(&fmt);
        let declared = declared_bytes.unwrap_or(data.len() as u32);
        body.extend_from_slice(b"data");
        body.extend_from_slice(&declared.to_le_bytes());
        // The RIFF size agrees with the data size, as a writer would have it.
        let riff_len = if declared == u32::MAX {
            u32::MAX
        } else {
            (body.len() as u32).saturating_add(declared)
        };
        body.extend_from_slice(&data);
        let mut out = b"RIFF".to_vec();
        out.extend_from_slice(&riff_len.to_le_bytes());
        out.extend_from_slice(&body);
        out
    }

    fn limits(max_duration_s: f64) -> DecodeLimits {
        DecodeLimits { max_duration_s }
    }

    #[test]
    fn sample_rates_outside_4_to_192_khz_are_refused_from_the_header() {
        for rate in [1, 3_999, 192_001, 4_294_967_291] {
            let result = decode_bytes(&wav(rate, 1, 800, None), Some("wav"));
            assert!(
                matches!(result, Err(AudioError::SampleRateOutOfRange(r)) if r == rate),
                "{rate} Hz: {result:?}"
            );
        }
        for rate in [4_000, 8_000, 192_000] {
            let audio = decode_bytes(&wav(rate, 1, rate as usize / 4, None), Some("wav"))
                .unwrap_or_else(|e| panic!("{rate} Hz: {e}"));
            assert!((audio.duration_s() - 0.25).abs() < 0.01, "{rate} Hz");
        }
    }

    #[test]
    fn more_channels_than_the_limit_are_refused() {
        let result = decode_bytes(&wav(8_000, 10, 100, None), Some("wav"));
        assert!(
            matches!(result, Err(AudioError::ChannelLimit(10))),
            "{result:?}"
        );
        let audio = decode_bytes(&wav(8_000, 8, 800, None), Some("wav")).unwrap();
        assert_eq!(audio.channels.len(), 8);
    }

    #[test]
    fn a_declared_length_over_the_cap_is_refused_before_decoding() {
        let bytes = wav(8_000, 1, 8_000 * 3, None);
        match decode_bytes_with(&bytes, Some("wav"), &limits(2.0)) {
            Err(AudioError::DeclaredTooLong {
                declared_s,
                limit_s,
            }) => {
                assert!((declared_s - 3.0).abs() < 1e-6);
                assert_eq!(limit_s, 2.0);
            }
            other => panic!("{other:?}"),
        }
        assert!(decode_bytes_with(&bytes, Some("wav"), &limits(3.5)).is_ok());
    }

    #[test]
    fn a_pcm_header_claiming_more_than_the_file_holds_is_a_cut_file_not_a_long_call() {
        // 1 s of data under a header claiming 10 h: the bytes bound the declared length.
        let bytes = wav(8_000, 1, 8_000, Some(8_000 * 2 * 36_000));
        let audio = decode_bytes_with(&bytes, Some("wav"), &limits(60.0)).unwrap();
        assert!((audio.duration_s() - 1.0).abs() < 0.01);
        assert!(audio.warnings.iter().any(|w| w.contains("truncated")));
    }

    #[test]
    fn decoding_stops_at_the_cap_when_the_header_states_no_length() {
        // A streaming writer's WAV (data size "unknown"): 5 s of audio, a 2 s cap.
        let bytes = wav(8_000, 1, 8_000 * 5, Some(u32::MAX));
        match decode_bytes_with(&bytes, Some("wav"), &limits(2.0)) {
            Err(AudioError::TooLong { limit_s }) => assert_eq!(limit_s, 2.0),
            other => panic!("{other:?}"),
        }
        let audio = decode_bytes_with(&bytes, Some("wav"), &limits(6.0)).unwrap();
        assert!((audio.duration_s() - 5.0).abs() < 0.01);
    }

    #[test]
    fn a_sparse_multi_gigabyte_stream_stops_at_the_cap_without_reading_it_all() {
        // 1 GiB of zeros behind a streaming header (9.3 h at 16 kHz): without the cap this
        // decodes 2 GB of samples.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sparse.wav");
        std::fs::write(&path, wav(16_000, 1, 0, Some(u32::MAX))).unwrap();
        let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
        file.set_len(1 << 30).unwrap();
        let t = std::time::Instant::now();
        let result = decode_file_with(&path, &limits(30.0));
        assert!(
            matches!(result, Err(AudioError::TooLong { .. })),
            "{result:?}"
        );
        assert!(t.elapsed().as_secs() < 20, "took {:?}", t.elapsed());
    }

    #[test]
    fn a_change_of_rate_or_channel_count_mid_stream_is_an_error() {
        let mut sink = ChannelSink::new(8_000, 2, &DecodeLimits::default()).unwrap();
        let two = vec![vec![0.1f32; 256]; 2];
        sink.push(8_000, &two).unwrap();
        assert!(matches!(
            sink.push(16_000, &two),
            Err(AudioError::FormatChanged {
                from_rate: 8_000,
                to_rate: 16_000,
                ..
            })
        ));
        assert!(matches!(
            sink.push(8_000, &two[..1]),
            Err(AudioError::FormatChanged {
                from_channels: 2,
                to_channels: 1,
                ..
            })
        ));
        // Same format again is fine, and both channels stayed in step.
        sink.push(8_000, &two).unwrap();
        let channels = sink.finish().unwrap();
        assert_eq!(channels[0].len(), channels[1].len());
        assert_eq!(channels[0].len(), 1024);
    }

    #[test]
    fn the_sink_refuses_forged_rates_and_channel_counts_before_allocating() {
        let l = DecodeLimits::default();
        assert!(matches!(
            ChannelSink::new(4_294_967_291, 1, &l),
            Err(AudioError::SampleRateOutOfRange(_))
        ));
        assert!(matches!(
            ChannelSink::new(0, 1, &l),
            Err(AudioError::UnknownSampleRate)
        ));
        assert!(matches!(
            ChannelSink::new(8_000, 65_535, &l),
            Err(AudioError::ChannelLimit(65_535))
        ));
        let mut sink = ChannelSink::new(8_000, 1, &limits(1.0)).unwrap();
        sink.push(8_000, &[vec![0.0; 8_000]]).unwrap();
        assert!(matches!(
            sink.push(8_000, &[vec![0.0; 1]]),
            Err(AudioError::TooLong { .. })
        ));
    }
}
