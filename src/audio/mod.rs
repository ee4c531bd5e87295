//! Audio in: decode any supported container, split channels, resample to 16 kHz, find speech.

pub mod decode;
pub mod diarize;
pub mod resample;
pub mod vad;

pub use decode::{decode_bytes, decode_bytes_with, decode_file, decode_file_with, DecodedAudio};
pub use vad::{SpeechRegion, VadConfig};

/// Whisper's input rate; every channel is brought to it.
pub const TARGET_RATE: u32 = 16_000;

/// Sample rates callqa accepts. Below 4 kHz there is no intelligible speech (telephony starts at
/// 8 kHz); above 192 kHz no recorder writes calls. Outside the range is a damaged or hostile
/// header: a rate of 4294967291 Hz made the resampler ask for ~17 GB and abort the process.
pub const MIN_SAMPLE_RATE: u32 = 4_000;
pub const MAX_SAMPLE_RATE: u32 = 192_000;

/// Most channels a file may have. Calls are mono or one party per channel; multi-channel
/// recorders (a conference bridge, a 4- or 8-track logger) stay well under this. Memory grows
/// with channels × duration (~3.8 MB per channel-minute at 16 kHz), so the bound matters.
pub const MAX_CHANNELS: usize = 8;

/// Longest call decoded by default (`--max-duration`): 4 h.
pub const DEFAULT_MAX_DURATION_S: f64 = 4.0 * 3600.0;

/// Bounds on what one input file may make callqa do, checked from the header before anything
/// is allocated and again while decoding.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DecodeLimits {
    /// Longest audio, in seconds, declared by the header or decoded.
    pub max_duration_s: f64,
}

impl Default for DecodeLimits {
    fn default() -> Self {
        DecodeLimits {
            max_duration_s: DEFAULT_MAX_DURATION_S,
        }
    }
}

impl DecodeLimits {
    pub fn check_rate(&self, rate: u32) -> Result<(), AudioError> {
        match rate {
            0 => Err(AudioError::UnknownSampleRate),
            r if !(MIN_SAMPLE_RATE..=MAX_SAMPLE_RATE).contains(&r) => {
                Err(AudioError::SampleRateOutOfRange(r))
            }
            _ => Ok(()),
        }
    }

    pub fn check_channels(&self, channels: usize) -> Result<(), AudioError> {
        match channels {
            0 => Err(AudioError::NoAudioTrack),
            n if n > MAX_CHANNELS => Err(AudioError::ChannelLimit(n)),
            _ => Ok(()),
        }
    }

    /// Most source frames at `rate` that stay within the duration cap.
    pub fn max_frames(&self, rate: u32) -> u64 {
        (self.max_duration_s.max(0.0) * f64::from(rate)).floor() as u64
    }
}

/// "4 h", "1 h 30 min", "12 min 5 s", "45.2 s": a duration for an error message.
pub fn format_duration(seconds: f64) -> String {
    if !seconds.is_finite() || seconds < 60.0 {
        return format!("{seconds:.1} s");
    }
    let total = seconds.round() as u64;
    let (h, m, s) = (total / 3600, total % 3600 / 60, total % 60);
    let mut parts = Vec::new();
    if h > 0 {
        parts.push(format!("{h} h"));
    }
    if m > 0 {
        parts.push(format!("{m} min"));
    }
    if s > 0 && h == 0 {
        parts.push(format!("{s} s"));
    }
    parts.join(" ")
}

/// Parses a duration: seconds ("14400", "90s"), minutes ("30m", "30min"), hours ("4h",
/// "2.5h") or a sum ("1h30m"). Must be above zero.
pub fn parse_duration(text: &str) -> Result<f64, String> {
    let bad = || format!("expected a duration such as 14400, 90s, 30m, 4h or 1h30m, got {text:?}");
    let s = text.trim().to_ascii_lowercase();
    if s.is_empty() {
        return Err(bad());
    }
    let mut total = 0.0f64;
    let mut rest = s.as_str();
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if number_len == 0 {
            return Err(bad());
        }
        let value: f64 = rest[..number_len].parse().map_err(|_| bad())?;
        rest = &rest[number_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match rest[..unit_len].trim() {
            "" | "s" | "sec" | "secs" => 1.0,
            "m" | "min" | "mins" => 60.0,
            "h" | "hr" | "hrs" => 3600.0,
            _ => return Err(bad()),
        };
        rest = &rest[unit_len..];
        total += value * scale;
    }
    if total.is_finite() && total > 0.0 {
        Ok(total)
    } else {
        Err(format!("the duration must be above zero, got {text:?}"))
    }
}

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
    #[error("sample rate {0} Hz is outside the {min}-{max} Hz callqa accepts (a damaged or forged header)", min = MIN_SAMPLE_RATE, max = MAX_SAMPLE_RATE)]
    SampleRateOutOfRange(u32),
    #[error("{0} channels: more than the {max} callqa accepts", max = MAX_CHANNELS)]
    ChannelLimit(usize),
    #[error("its header declares {} of audio, over the {} limit (--max-duration)", format_duration(*.declared_s), format_duration(*.limit_s))]
    DeclaredTooLong { declared_s: f64, limit_s: f64 },
    #[error("more than {} of audio, the --max-duration limit; stopped decoding there", format_duration(*.limit_s))]
    TooLong { limit_s: f64 },
    #[error("the stream changes from {from_rate} Hz, {from_channels} channel(s) to {to_rate} Hz, {to_channels} channel(s) part-way through; its channels cannot be kept in step")]
    FormatChanged {
        from_rate: u32,
        from_channels: usize,
        to_rate: u32,
        to_channels: usize,
    },
    #[error("decode failed before any audio was read: {0}")]
    Decode(String),
    #[error("{0} channels: callqa takes mono or one-party-per-channel stereo; map the agent and customer channels explicitly (--agent-channel N --customer-channel M)")]
    TooManyChannels(usize),
    #[error("channel {channel} does not exist (the file has {available})")]
    NoSuchChannel { channel: usize, available: usize },
    #[error("resampling failed: {0}")]
    Resample(String),
    #[error("the agent and the customer cannot both be on channel {0}")]
    SameChannel(usize),
    #[error("the agent is on channel {0}: name the customer's channel too (--customer-channel)")]
    CustomerChannelUnnamed(usize),
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

/// What the user said about channels (`--agent-channel`, `--customer-channel`); `None` where
/// nothing was said. [`ChannelChoice::resolve`] is the one rule that turns it into a map, for
/// the flags and for a manifest row alike.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChannelChoice {
    pub agent: Option<usize>,
    pub customer: Option<usize>,
}

impl ChannelChoice {
    /// The agent on the named channel (left by default); the customer on the named channel, else
    /// on the other of left/right. An agent beyond left/right needs the customer named, and
    /// the two must differ. Naming either lets files with more than two channels through.
    pub fn resolve(&self) -> Result<ChannelMap, AudioError> {
        let agent = self.agent.unwrap_or(0);
        let customer = match (self.customer, agent) {
            (Some(c), _) => c,
            (None, 0) => 1,
            (None, 1) => 0,
            (None, other) => return Err(AudioError::CustomerChannelUnnamed(other)),
        };
        if agent == customer {
            return Err(AudioError::SameChannel(agent));
        }
        Ok(ChannelMap {
            agent,
            customer,
            explicit: self.agent.is_some() || self.customer.is_some(),
        })
    }

    /// The choice for a call whose manifest row puts the agent on `row_agent`: the row wins
    /// for its call (it is that call's own record). A `--customer-channel` naming the row's
    /// agent channel gives way to the other of left/right. Returns the choice and, when the
    /// row overrode something the flags said, a line saying so (logged at info).
    pub fn with_row_agent(&self, row_agent: usize) -> (ChannelChoice, Option<String>) {
        let customer = self.customer.filter(|&c| c != row_agent);
        let mut overridden = Vec::new();
        if let Some(a) = self.agent.filter(|&a| a != row_agent) {
            overridden.push(format!("--agent-channel {a}"));
        }
        if let Some(c) = self.customer.filter(|&c| c == row_agent) {
            overridden.push(format!("--customer-channel {c}"));
        }
        let note = (!overridden.is_empty()).then(|| {
            format!(
                "the manifest's agent_channel {row_agent} overrides {} for this call",
                overridden.join(" and ")
            )
        });
        (
            ChannelChoice {
                agent: Some(row_agent),
                customer,
            },
            note,
        )
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_in_seconds_minutes_and_hours() {
        assert_eq!(parse_duration("14400"), Ok(14_400.0));
        assert_eq!(parse_duration("90s"), Ok(90.0));
        assert_eq!(parse_duration("30m"), Ok(1_800.0));
        assert_eq!(parse_duration("30 min"), Ok(1_800.0));
        assert_eq!(parse_duration("4h"), Ok(14_400.0));
        assert_eq!(parse_duration("2.5h"), Ok(9_000.0));
        assert_eq!(parse_duration("1h30m"), Ok(5_400.0));
        for bad in ["", "0", "-5", "h", "4 days", "1e9", "nan"] {
            assert!(parse_duration(bad).is_err(), "{bad:?}");
        }
        assert_eq!(format_duration(14_400.0), "4 h");
        assert_eq!(format_duration(134_217.7), "37 h 16 min");
        assert_eq!(format_duration(605.0), "10 min 5 s");
        assert_eq!(format_duration(2.0), "2.0 s");
    }

    #[test]
    fn limits_check_rates_channels_and_frames() {
        let l = DecodeLimits::default();
        assert!(l.check_rate(8_000).is_ok());
        assert!(matches!(
            l.check_rate(0),
            Err(AudioError::UnknownSampleRate)
        ));
        assert!(matches!(
            l.check_rate(1),
            Err(AudioError::SampleRateOutOfRange(1))
        ));
        assert!(l.check_channels(MAX_CHANNELS).is_ok());
        assert!(matches!(
            l.check_channels(MAX_CHANNELS + 1),
            Err(AudioError::ChannelLimit(_))
        ));
        assert_eq!(l.max_frames(8_000), 8_000 * 4 * 3600);
    }

    #[test]
    fn one_channel_rule_for_flags_and_manifest_rows() {
        let none = ChannelChoice::default();
        let map = none.resolve().unwrap();
        assert_eq!((map.agent, map.customer, map.explicit), (0, 1, false));
        let right = ChannelChoice {
            agent: Some(1),
            customer: None,
        };
        let map = right.resolve().unwrap();
        assert_eq!((map.agent, map.customer, map.explicit), (1, 0, true));
        // Beyond left/right the customer must be named; one channel cannot be both.
        assert!(matches!(
            ChannelChoice {
                agent: Some(2),
                customer: None
            }
            .resolve(),
            Err(AudioError::CustomerChannelUnnamed(2))
        ));
        assert!(matches!(
            ChannelChoice {
                agent: Some(1),
                customer: Some(1)
            }
            .resolve(),
            Err(AudioError::SameChannel(1))
        ));

        // A row that agrees with the flags changes nothing and says nothing.
        let (choice, note) = right.with_row_agent(1);
        assert_eq!(choice, right);
        assert!(note.is_none());
        // No flags: the row decides, silently (nothing was overridden).
        let (choice, note) = none.with_row_agent(1);
        assert_eq!(choice.resolve().unwrap().customer, 0);
        assert!(note.is_none());
        // The row wins over --customer-channel naming its agent channel, and says so.
        let flags = ChannelChoice {
            agent: Some(0),
            customer: Some(1),
        };
        let (choice, note) = flags.with_row_agent(1);
        let map = choice.resolve().unwrap();
        assert_eq!((map.agent, map.customer), (1, 0));
        let note = note.unwrap();
        assert!(note.contains("--agent-channel 0"), "{note}");
        assert!(note.contains("--customer-channel 1"), "{note}");
        // A named customer channel the row does not contradict stays.
        let four = ChannelChoice {
            agent: Some(2),
            customer: Some(3),
        };
        let (choice, note) = four.with_row_agent(0);
        let map = choice.resolve().unwrap();
        assert_eq!((map.agent, map.customer), (0, 3));
        assert!(note.unwrap().contains("--agent-channel 2"));
    }
}
