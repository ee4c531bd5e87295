//! Audio in: decode any supported container, split channels, resample to 16 kHz, find speech.

pub mod decode;
pub mod diarize;
pub mod resample;
pub mod vad;

pub use decode::{decode_bytes, decode_file, DecodedAudio};
pub use vad::{SpeechRegion, VadConfig};

/// Whisper's input rate; every channel is brought to it.
pub const TARGET_RATE: u32 = 16_000;

#[derive(Debug, thiserror::Error)]
pub enum AudioError {
    #[error("cannot read file: {0}")]
    Io(#[from] std::io::Error),
    #[error("empty file (0 bytes)")]
    Empty,
    #[error("not a recognised audio format ({0})")]
    UnrecognisedFormat(String),
    #[error("no audio track in the file")]
    NoAudioTrack,
    #[error("unsupported codec: {0}")]
    UnsupportedCodec(String),
    #[error("the file does not state its sample rate")]
    UnknownSampleRate,
    #[error("decode failed before any audio was read: {0}")]
    Decode(String),
    #[error("{0} channels: callqa takes mono or one-party-per-channel stereo; map the agent and customer channels explicitly (--agent-channel N --customer-channel M)")]
    TooManyChannels(usize),
    #[error("channel {channel} does not exist (the file has {available})")]
    NoSuchChannel { channel: usize, available: usize },
    #[error("resampling failed: {0}")]
    Resample(String),
}

/// Which source channel carries which party.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChannelMap {
    pub agent: usize,
    pub customer: usize,
    /// True when the user named the channels, which is what lets >2-channel files through.
    pub explicit: bool,
}

impl Default for ChannelMap {
    fn default() -> Self {
        ChannelMap {
            agent: 0,
            customer: 1,
            explicit: false,
        }
    }
}

impl ChannelMap {
    /// Checks the map against the file's channel count; mono files need no map.
    pub fn validate(&self, channels: usize) -> Result<(), AudioError> {
        if channels > 2 && !self.explicit {
            return Err(AudioError::TooManyChannels(channels));
        }
        if channels >= 2 {
            for channel in [self.agent, self.customer] {
                if channel >= channels {
                    return Err(AudioError::NoSuchChannel {
                        channel,
                        available: channels,
                    });
                }
            }
        }
        Ok(())
    }
}

/// Parses `left`, `right` or a 0-based channel index.
pub fn parse_channel(s: &str) -> Result<usize, String> {
    match s.to_ascii_lowercase().as_str() {
        "left" | "l" => Ok(0),
        "right" | "r" => Ok(1),
        other => other
            .parse::<usize>()
            .map_err(|_| format!("expected left, right or a channel number, got {s:?}")),
    }
}
