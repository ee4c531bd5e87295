//! Streaming decode with symphonia: packets are resampled as they arrive, so memory grows with
//! the 16 kHz output only, never with the source's (possibly 96 kHz, 24-bit) sample data.

use super::resample::StreamResampler;
use super::{AudioError, TARGET_RATE};
use std::fs::File;
use std::path::Path;
use symphonia::core::codecs::audio::AudioDecoderOptions;
use symphonia::core::errors::Error as SymError;
use symphonia::core::formats::probe::Hint;
use symphonia::core::formats::{FormatOptions, TrackType};
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;

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

pub fn decode_file(path: &Path) -> Result<DecodedAudio, AudioError> {
    let file = File::open(path)?;
    if file.metadata()?.len() == 0 {
        return Err(AudioError::Empty);
    }
    let mss = MediaSourceStream::new(Box::new(file), Default::default());
    decode_stream(mss, path.extension().and_then(|e| e.to_str()))
}

/// Decodes an in-memory file; `extension` is the format hint a file name would give
/// ("wav", "mp3"). The same decoder as [`decode_file`]; exists for fuzzing and for callers
/// that already hold the bytes.
pub fn decode_bytes(bytes: &[u8], extension: Option<&str>) -> Result<DecodedAudio, AudioError> {
    if bytes.is_empty() {
        return Err(AudioError::Empty);
    }
    let cursor = std::io::Cursor::new(bytes.to_vec());
    let mss = MediaSourceStream::new(Box::new(cursor), Default::default());
    decode_stream(mss, extension)
}

fn decode_stream(
    mss: MediaSourceStream<'static>,
    extension: Option<&str>,
) -> Result<DecodedAudio, AudioError> {
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

    let track = format
        .default_track(TrackType::Audio)
        .ok_or(AudioError::NoAudioTrack)?;
    let track_id = track.id;
    let declared_frames = track.num_frames;
    let params = track
        .codec_params
        .as_ref()
        .and_then(|p| p.audio())
        .ok_or(AudioError::NoAudioTrack)?
        .clone();
    let codec_name = symphonia::default::get_codecs()
        .get_audio_decoder(params.codec)
        .map(|d| d.codec.info.short_name.to_string())
        .unwrap_or_else(|| format!("{:?}", params.codec));
    let mut decoder = symphonia::default::get_codecs()
        .make_audio_decoder(&params, &AudioDecoderOptions::default())
        .map_err(|e| AudioError::UnsupportedCodec(e.to_string()))?;

    let mut source_rate = params.sample_rate;
    let mut source_channels = params.channels.as_ref().map(|c| c.count());
    let mut resamplers: Vec<StreamResampler> = Vec::new();
    let mut warnings = Vec::new();
    let mut planar: Vec<Vec<f32>> = Vec::new();
    let mut consecutive_errors = 0usize;
    let mut skipped_packets = 0usize;

    loop {
        let packet = match format.next_packet() {
            Ok(Some(p)) => p,
            Ok(None) => break,
            Err(SymError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                if resamplers.is_empty() {
                    return Err(AudioError::Decode(
                        "file ends before any audio (truncated)".into(),
                    ));
                }
                warnings.push("file is truncated; kept the audio before the cut".to_string());
                break;
            }
            Err(e) => {
                if resamplers.is_empty() {
                    return Err(AudioError::Decode(e.to_string()));
                }
                warnings.push(format!("stopped reading early: {e}"));
                break;
            }
        };
        if packet.track_id != track_id {
            continue;
        }
        let buf = match decoder.decode(&packet) {
            Ok(buf) => {
                consecutive_errors = 0;
                buf
            }
            Err(SymError::DecodeError(_)) | Err(SymError::IoError(_)) => {
                skipped_packets += 1;
                consecutive_errors += 1;
                if consecutive_errors >= MAX_CONSECUTIVE_DECODE_ERRORS {
                    if resamplers.is_empty() {
                        return Err(AudioError::Decode(format!(
                            "{consecutive_errors} undecodable packets in a row"
                        )));
                    }
                    warnings.push("stream became undecodable; kept the audio before".into());
                    break;
                }
                continue;
            }
            Err(e) => return Err(AudioError::Decode(e.to_string())),
        };
        if buf.frames() == 0 {
            continue;
        }
        if resamplers.is_empty() {
            let rate = buf.spec().rate();
            let count = buf.spec().channels().count();
            if rate == 0 {
                return Err(AudioError::UnknownSampleRate);
            }
            if count == 0 {
                return Err(AudioError::NoAudioTrack);
            }
            source_rate = Some(rate);
            source_channels = Some(count);
            for _ in 0..count {
                resamplers.push(StreamResampler::new(rate, TARGET_RATE)?);
            }
        }
        buf.copy_to_vecs_planar::<f32>(&mut planar);
        for (resampler, samples) in resamplers.iter_mut().zip(planar.iter()) {
            resampler.push(samples)?;
        }
    }
    // Containers that state their length (WAV data size, MP3 Xing/LAME frame count, FLAC
    // STREAMINFO) reveal a cut file even when the last packet ends cleanly.
    if let (Some(declared), Some(rate), Some(first)) =
        (declared_frames, source_rate, resamplers.first())
    {
        let decoded = first.frames_in();
        let already_warned = warnings.iter().any(|w| w.contains("truncated"));
        if declared > 0 && decoded < declared * 98 / 100 && !already_warned {
            warnings.push(format!(
                "file is truncated: {:.1} s decoded of the {:.1} s its header declares",
                decoded as f64 / f64::from(rate),
                declared as f64 / f64::from(rate)
            ));
        }
    }
    if skipped_packets > 0 {
        warnings.push(format!("{skipped_packets} undecodable packet(s) skipped"));
    }

    let source_rate = source_rate.ok_or(AudioError::UnknownSampleRate)?;
    let source_channels = source_channels.unwrap_or(resamplers.len()).max(1);
    let channels = if resamplers.is_empty() {
        // A valid file with no frames: a call with no speech, not an error.
        vec![Vec::new(); source_channels]
    } else {
        resamplers
            .into_iter()
            .map(StreamResampler::finish)
            .collect::<Result<Vec<_>, _>>()?
    };
    Ok(DecodedAudio {
        channels,
        source_rate,
        source_channels,
        codec: codec_name,
        warnings,
    })
}
