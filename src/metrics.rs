//! Conversation metrics computed from a transcript's timeline: who talked how long, silence,
//! holds, overtalk, interruptions, pace and turns.
//!
//! Talk intervals are the utterances' voice-activity bounds. On stereo calls each party has its
//! own channel, so overlap is measured; on mono calls the diarizer assigns every stretch of
//! speech to one party, so overlap cannot be seen and per-party figures are estimates (listed in
//! `estimated`).

use crate::cues::{self, Cues};
use crate::transcript::{RoleSource, Speaker, Transcript};
use serde::{Deserialize, Serialize};

/// Gaps shorter than this are turn-taking, not silence.
pub const MIN_SILENCE_S: f64 = 2.0;
/// A silence longer than this outside a hold is dead air.
pub const DEAD_AIR_S: f64 = 10.0;
/// The interrupted party must keep talking this long after the other cut in.
pub const INTERRUPTION_OVERLAP_S: f64 = 0.5;
/// An utterance of at most this many words, all of them acknowledgements, is a backchannel.
const BACKCHANNEL_MAX_WORDS: usize = 4;

/// Acknowledgements a listener says while the other party keeps the floor ("mm-hmm", "right",
/// "okay"), in every shipped language. Said over the other party they are listening, not
/// cutting in, and they do not take a turn. The scripts do not overlap, so one list serves.
#[rustfmt::skip]
const BACKCHANNEL_WORDS: &[&str] = &[
    // en
    "mm", "mmm", "mhm", "mmhmm", "mmhm", "hmm", "hm", "uh", "huh", "uhhuh", "um", "ah", "oh",
    "yeah", "yes", "yep", "yup", "ya", "ok", "okay", "right", "sure", "alright", "see", "i",
    "got", "it", "true", "exactly", "wow", "cool", "fine", "great", "aha", "gotcha", "uhuh",
    "really",
    // he
    "כן", "אוקיי", "אוקי", "בסדר", "נכון", "אה", "אהה", "אהא", "מממ", "ממ", "יופי", "ברור",
    "אחלה", "טוב",
    // ar
    "نعم", "أيوه", "ايوه", "أيوة", "ايوة", "اه", "آه", "تمام", "طيب", "ماشي", "صح", "اوكي",
    "أوكي", "حاضر", "ايوا", "أيوا", "مم", "امم", "اكيد", "أكيد",
    // ru
    "да", "ага", "угу", "ну", "ясно", "понятно", "хорошо", "ладно", "так", "ок", "окей",
    "конечно", "ой", "ах", "точно", "мм", "ммм", "понял", "поняла",
];

/// True when the utterance is only an acknowledgement ("Mm-hmm.", "Okay, right.", "I see.").
/// Words are only lower-cased and stripped of punctuation, not put through `text::normalise`:
/// its stemming and clitic keys ("понятно" -> "понятн") would need the list written in keys.
pub fn is_backchannel(text: &str) -> bool {
    let words: Vec<String> = text
        .split(|c: char| c.is_whitespace() || c == '-' || c == ',')
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect();
    // "mm-hmm" splits into "mm" and "hmm"; "uh-huh" into "uh" and "huh".
    !words.is_empty()
        && words.len() <= BACKCHANNEL_MAX_WORDS
        && words.iter().all(|w| BACKCHANNEL_WORDS.contains(&w.as_str()))
        // "I", "it", "got" and "see" only as part of "I see" / "got it", never alone.
        && !(words.len() == 1 && matches!(words[0].as_str(), "i" | "it" | "got" | "see"))
}

/// Every metric by the name rubrics and exports use.
pub const METRIC_NAMES: &[&str] = &[
    "duration_s",
    "agent_talk_s",
    "customer_talk_s",
    "agent_talk_ratio",
    "silence_s",
    "longest_silence_s",
    "dead_air_count",
    "hold_count",
    "hold_s",
    "overtalk_s",
    "interruptions_by_agent",
    "interruptions_by_customer",
    "agent_wpm",
    "customer_wpm",
    "agent_turns",
    "customer_turns",
];

/// Metrics that are estimates when both parties share one channel.
const MONO_ESTIMATES: &[&str] = &[
    "agent_talk_s",
    "customer_talk_s",
    "agent_talk_ratio",
    "overtalk_s",
    "interruptions_by_agent",
    "interruptions_by_customer",
    "agent_wpm",
    "customer_wpm",
    "agent_turns",
    "customer_turns",
];

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    pub start: f64,
    pub end: f64,
}

impl Interval {
    pub fn len(&self) -> f64 {
        (self.end - self.start).max(0.0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() <= 0.0
    }
}

/// A hold: the agent announced it (utterance `announced_by`), there was silence, and the agent
/// came back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hold {
    pub announced_at: f64,
    /// Index of the announcing utterance.
    pub announced_by: usize,
    pub start: f64,
    pub end: f64,
    /// Silence inside the hold.
    pub silent_s: f64,
}

/// Someone started speaking while the other party was mid-utterance and kept talking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Interruption {
    pub by: Speaker,
    pub at: f64,
    /// Index of the interrupting utterance.
    pub utterance: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CallMetrics {
    pub duration_s: f64,
    pub agent_talk_s: f64,
    pub customer_talk_s: f64,
    pub agent_talk_ratio: f64,
    pub silence_s: f64,
    pub longest_silence_s: f64,
    pub dead_air_count: u32,
    pub hold_count: u32,
    pub hold_s: f64,
    pub overtalk_s: f64,
    pub interruptions_by_agent: u32,
    pub interruptions_by_customer: u32,
    pub agent_wpm: f64,
    pub customer_wpm: f64,
    pub agent_turns: u32,
    pub customer_turns: u32,
    /// Names of the metrics above that are estimates for this call (mono recordings).
    pub estimated: Vec<String>,
    pub holds: Vec<Hold>,
    pub dead_air: Vec<Interval>,
    pub interruptions: Vec<Interruption>,
}

impl CallMetrics {
    /// A metric by name, as rubrics refer to it.
    pub fn get(&self, name: &str) -> Option<f64> {
        Some(match name {
            "duration_s" => self.duration_s,
            "agent_talk_s" => self.agent_talk_s,
            "customer_talk_s" => self.customer_talk_s,
            "agent_talk_ratio" => self.agent_talk_ratio,
            "silence_s" => self.silence_s,
            "longest_silence_s" => self.longest_silence_s,
            "dead_air_count" => f64::from(self.dead_air_count),
            "hold_count" => f64::from(self.hold_count),
            "hold_s" => self.hold_s,
            "overtalk_s" => self.overtalk_s,
            "interruptions_by_agent" => f64::from(self.interruptions_by_agent),
            "interruptions_by_customer" => f64::from(self.interruptions_by_customer),
            "agent_wpm" => self.agent_wpm,
            "customer_wpm" => self.customer_wpm,
            "agent_turns" => f64::from(self.agent_turns),
            "customer_turns" => f64::from(self.customer_turns),
            _ => return None,
        })
    }

    /// Every metric by name, in `METRIC_NAMES` order.
    pub fn named(&self) -> Vec<(&'static str, f64)> {
        METRIC_NAMES
            .iter()
            .filter_map(|n| Some((*n, self.get(n)?)))
            .collect()
    }
}

/// Sorted, merged union of intervals.
pub fn union(mut intervals: Vec<Interval>) -> Vec<Interval> {
    intervals.retain(|i| i.end > i.start);
    intervals.sort_by(|a, b| a.start.total_cmp(&b.start));
    let mut out: Vec<Interval> = Vec::with_capacity(intervals.len());
    for i in intervals {
        match out.last_mut() {
            Some(last) if i.start <= last.end => last.end = last.end.max(i.end),
            _ => out.push(i),
        }
    }
    out
}

fn total(intervals: &[Interval]) -> f64 {
    intervals.iter().map(Interval::len).sum()
}

/// Total overlap of two sorted, merged interval lists.
fn intersection(a: &[Interval], b: &[Interval]) -> f64 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        let lo = a[i].start.max(b[j].start);
        let hi = a[i].end.min(b[j].end);
        if hi > lo {
            sum += hi - lo;
        }
        if a[i].end < b[j].end {
            i += 1;
        } else {
            j += 1;
        }
    }
    sum
}

pub fn compute(t: &Transcript) -> CallMetrics {
    compute_with(t, &cues::of_call(t, &t.normalised()))
}

/// `compute` with the utterances' cues already found (`cues::of_call`).
pub fn compute_with(t: &Transcript, cues: &[Cues]) -> CallMetrics {
    let last_end = t.utterances.iter().map(|u| u.end).fold(0.0, f64::max);
    let duration = t.duration_s().max(last_end);
    let clamp = |x: f64| x.clamp(0.0, duration);
    let talk_of = |who: Speaker| {
        union(
            t.utterances
                .iter()
                .filter(|u| u.speaker == who)
                .map(|u| Interval {
                    start: clamp(u.start),
                    end: clamp(u.end),
                })
                .collect(),
        )
    };
    let agent = talk_of(Speaker::Agent);
    let customer = talk_of(Speaker::Customer);
    let anyone = union(agent.iter().chain(customer.iter()).copied().collect());
    let agent_talk_s = total(&agent);
    let customer_talk_s = total(&customer);

    // Silences: every gap of at least MIN_SILENCE_S, including before the first and after the
    // last speech; dead air only between speech.
    let mut gaps = Vec::new();
    let mut cursor = 0.0;
    for (k, s) in anyone.iter().enumerate() {
        gaps.push((
            Interval {
                start: cursor,
                end: s.start,
            },
            k > 0,
        ));
        cursor = s.end;
    }
    gaps.push((
        Interval {
            start: cursor,
            end: duration,
        },
        false,
    ));
    if anyone.is_empty() {
        gaps = vec![(
            Interval {
                start: 0.0,
                end: duration,
            },
            false,
        )];
    }
    let silences: Vec<(Interval, bool)> = gaps
        .into_iter()
        .filter(|(g, _)| g.len() >= MIN_SILENCE_S)
        .collect();
    let internal: Vec<Interval> = silences
        .iter()
        .filter(|(_, i)| *i)
        .map(|(g, _)| *g)
        .collect();

    let holds = find_holds(t, cues, &internal);
    let in_hold = |g: &Interval| {
        holds
            .iter()
            .any(|h| g.start >= h.start - 1e-6 && g.end <= h.end + 1e-6)
    };
    let dead_air: Vec<Interval> = internal
        .iter()
        .filter(|g| g.len() > DEAD_AIR_S && !in_hold(g))
        .copied()
        .collect();

    let interruptions = find_interruptions(t);
    let words_of = |who: Speaker| -> usize {
        t.utterances
            .iter()
            .filter(|u| u.speaker == who)
            .map(|u| {
                if u.words.is_empty() {
                    u.text.split_whitespace().count()
                } else {
                    u.words.len()
                }
            })
            .sum()
    };
    let wpm = |words: usize, talk: f64| {
        if talk >= 1.0 {
            words as f64 / (talk / 60.0)
        } else {
            0.0
        }
    };
    let mut order: Vec<&crate::transcript::Utterance> = t.utterances.iter().collect();
    order.sort_by(|a, b| a.start.total_cmp(&b.start));
    let mut turns = [0u32; 2];
    let mut previous = None;
    for u in order {
        // A listener's "mm-hmm" does not take the floor, so it neither starts a turn nor ends
        // the speaker's.
        if is_backchannel(&u.text) {
            continue;
        }
        if previous != Some(u.speaker) {
            turns[usize::from(u.speaker == Speaker::Customer)] += 1;
            previous = Some(u.speaker);
        }
    }
    let both = agent_talk_s + customer_talk_s;
    let mono = t.roles == RoleSource::Inferred || t.source.channels == 1;
    CallMetrics {
        duration_s: duration,
        agent_talk_s,
        customer_talk_s,
        agent_talk_ratio: if both > 0.0 { agent_talk_s / both } else { 0.0 },
        // `+ 0.0`: an empty float sum is -0.0, which exports would print as "-0.0".
        silence_s: silences.iter().map(|(g, _)| g.len()).sum::<f64>() + 0.0,
        longest_silence_s: internal.iter().map(Interval::len).fold(0.0, f64::max),
        dead_air_count: dead_air.len() as u32,
        hold_count: holds.len() as u32,
        hold_s: holds.iter().map(|h| h.end - h.start).sum::<f64>() + 0.0,
        overtalk_s: intersection(&agent, &customer),
        interruptions_by_agent: interruptions
            .iter()
            .filter(|i| i.by == Speaker::Agent)
            .count() as u32,
        interruptions_by_customer: interruptions
            .iter()
            .filter(|i| i.by == Speaker::Customer)
            .count() as u32,
        agent_wpm: wpm(words_of(Speaker::Agent), agent_talk_s),
        customer_wpm: wpm(words_of(Speaker::Customer), customer_talk_s),
        agent_turns: turns[0],
        customer_turns: turns[1],
        estimated: if mono {
            MONO_ESTIMATES.iter().map(|s| s.to_string()).collect()
        } else {
            Vec::new()
        },
        holds,
        dead_air,
        interruptions,
    }
}

/// A hold runs from the first silence after an agent's hold announcement to the agent's next
/// utterance; without a silence of at least `MIN_SILENCE_S` in between it was only a phrase.
fn find_holds(t: &Transcript, cues: &[Cues], silences: &[Interval]) -> Vec<Hold> {
    let mut holds: Vec<Hold> = Vec::new();
    for (i, u) in t.utterances.iter().enumerate() {
        if u.speaker != Speaker::Agent {
            continue;
        }
        if !cues.get(i).is_some_and(|c| c.hold) {
            continue;
        }
        if holds.last().is_some_and(|h| u.start < h.end) {
            continue;
        }
        let Some(back) = t
            .utterances
            .iter()
            .filter(|n| n.speaker == Speaker::Agent && n.start >= u.end)
            .map(|n| n.start)
            .min_by(f64::total_cmp)
        else {
            continue;
        };
        let inside: Vec<&Interval> = silences
            .iter()
            .filter(|g| g.start >= u.end - 1e-6 && g.end <= back + 1e-6)
            .collect();
        if let Some(first) = inside.first() {
            holds.push(Hold {
                announced_at: u.start,
                announced_by: i,
                start: first.start,
                end: back,
                silent_s: inside.iter().map(|g| g.len()).sum(),
            });
        }
    }
    holds
}

fn find_interruptions(t: &Transcript) -> Vec<Interruption> {
    let mut found = Vec::new();
    for (k, b) in t.utterances.iter().enumerate() {
        if is_backchannel(&b.text) {
            continue;
        }
        let cut_into = t.utterances.iter().any(|a| {
            a.speaker != b.speaker
                && a.start < b.start
                && b.start < a.end
                && a.end - b.start >= INTERRUPTION_OVERLAP_S
        });
        if cut_into {
            found.push(Interruption {
                by: b.speaker,
                at: b.start,
                utterance: k,
            });
        }
    }
    found
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::transcript::{SourceAudio, Utterance};

    pub fn utt(speaker: Speaker, start: f64, end: f64, text: &str) -> Utterance {
        Utterance {
            speaker,
            channel: usize::from(speaker == Speaker::Customer),
            start,
            end,
            text: text.into(),
            words: Vec::new(),
            avg_logprob: -0.2,
            no_speech_prob: 0.01,
        }
    }

    pub fn call(duration: f64, utterances: Vec<Utterance>) -> Transcript {
        Transcript {
            names: Vec::new(),
            call_id: "test".into(),
            source: SourceAudio {
                path: "t.wav".into(),
                codec: "pcm".into(),
                sample_rate: 8000,
                channels: 2,
                duration_s: duration,
            },
            roles: RoleSource::Mapped,
            language: "en".into(),
            language_source: Default::default(),
            model: "test".into(),
            utterances,
            warnings: Vec::new(),
        }
    }

    use Speaker::{Agent as A, Customer as C};

    #[test]
    fn talk_silence_and_ratio() {
        let t = call(
            30.0,
            vec![
                utt(A, 1.0, 6.0, "hello how can I help"),
                utt(C, 6.5, 10.0, "my bill"),
                utt(A, 13.0, 18.0, "let me look"),
                // A reply, not a backchannel ("ok" alone would not take a turn).
                utt(C, 18.2, 20.0, "that is fine with me"),
            ],
        );
        let m = compute(&t);
        assert_eq!(m.duration_s, 30.0);
        assert!((m.agent_talk_s - 10.0).abs() < 1e-9);
        assert!((m.customer_talk_s - 5.3).abs() < 1e-9);
        assert!((m.agent_talk_ratio - 10.0 / 15.3).abs() < 1e-9);
        // Silences >= 2 s: leading 1.0 no, 10..13 yes (3), trailing 20..30 yes (10).
        assert!((m.silence_s - 13.0).abs() < 1e-9);
        assert!((m.longest_silence_s - 3.0).abs() < 1e-9);
        assert_eq!(m.dead_air_count, 0);
        assert_eq!((m.agent_turns, m.customer_turns), (2, 2));
        assert_eq!(m.overtalk_s, 0.0);
        assert!(m.estimated.is_empty());
        // 5 + 3 words over 10 s of agent talk.
        assert!((m.agent_wpm - 8.0 / (10.0 / 60.0)).abs() < 1e-9);
    }

    #[test]
    fn dead_air_outside_holds_only() {
        let t = call(
            80.0,
            vec![
                utt(A, 0.0, 4.0, "let me see"),
                utt(C, 16.0, 18.0, "hello are you there"),
                utt(A, 18.5, 22.0, "may I place you on hold while I check"),
                utt(C, 22.3, 23.0, "sure"),
                utt(A, 45.0, 48.0, "thank you for holding"),
                utt(C, 49.0, 50.0, "bye"),
            ],
        );
        let m = compute(&t);
        assert_eq!(m.hold_count, 1);
        let h = &m.holds[0];
        assert_eq!((h.start, h.end), (23.0, 45.0));
        assert!((m.hold_s - 22.0).abs() < 1e-9);
        // 4..16 is dead air (12 s, no hold announced); 23..45 is inside the hold.
        assert_eq!(m.dead_air_count, 1);
        assert_eq!(
            m.dead_air[0],
            Interval {
                start: 4.0,
                end: 16.0
            }
        );
        assert!((m.longest_silence_s - 22.0).abs() < 1e-9);
    }

    #[test]
    fn a_hold_phrase_without_silence_is_not_a_hold() {
        let t = call(
            20.0,
            vec![
                utt(A, 0.0, 3.0, "bear with me"),
                utt(A, 3.5, 6.0, "right I see it"),
            ],
        );
        assert_eq!(compute(&t).hold_count, 0);
    }

    #[test]
    fn overtalk_and_interruptions() {
        let t = call(
            20.0,
            vec![
                // Customer cuts in at 3, agent keeps going to 5: interruption by customer.
                utt(A, 0.0, 5.0, "so what I will do is"),
                utt(C, 3.0, 7.0, "no wait"),
                // Agent cuts in at 6.8 but the customer stops at 7.0 (0.2 s): not an interruption.
                utt(A, 6.8, 9.0, "okay"),
                // Agent cuts in at 10, customer keeps talking to 12: interruption by agent.
                utt(C, 9.5, 12.0, "I need this fixed today"),
                utt(A, 10.0, 13.0, "let me stop you there"),
            ],
        );
        let m = compute(&t);
        assert_eq!(m.interruptions_by_customer, 1);
        assert_eq!(m.interruptions_by_agent, 1);
        // Overlaps: 3-5 (2.0) + 6.8-7.0 (0.2) + 10-12 (2.0).
        assert!((m.overtalk_s - 4.2).abs() < 1e-9, "{}", m.overtalk_s);
    }

    #[test]
    fn backchannels_are_listening_not_interruptions_or_turns() {
        let t = call(
            30.0,
            vec![
                utt(
                    C,
                    0.0,
                    10.0,
                    "so I called last week and they said it was fixed but",
                ),
                utt(A, 2.0, 2.5, "Mm-hmm."),
                utt(A, 4.0, 4.6, "Okay, right."),
                utt(A, 6.0, 6.5, "I see."),
                utt(A, 7.0, 7.4, "Угу."),
                utt(A, 7.5, 7.9, "כן, בסדר"),
                utt(A, 8.0, 8.4, "تمام"),
                utt(A, 9.0, 12.0, "let me stop you there"),
            ],
        );
        let m = compute(&t);
        assert_eq!(m.interruptions_by_agent, 1, "{:?}", m.interruptions);
        assert_eq!(m.interruptions[0].at, 9.0);
        assert_eq!((m.agent_turns, m.customer_turns), (1, 1));
        for said in ["Yeah.", "uh-huh", "Got it.", "Oh, okay!", "Да, понятно."] {
            assert!(is_backchannel(said), "{said}");
        }
        for said in [
            "I",
            "It",
            "yes I can help",
            "no that is wrong, stop",
            "I see the charge",
        ] {
            assert!(!is_backchannel(said), "{said}");
        }
    }

    #[test]
    fn mono_calls_mark_estimates_and_empty_calls_are_silence() {
        let mut t = call(10.0, vec![]);
        t.roles = RoleSource::Inferred;
        t.source.channels = 1;
        let m = compute(&t);
        assert!(m.estimated.contains(&"overtalk_s".to_string()));
        assert_eq!(m.silence_s, 10.0);
        assert_eq!(m.agent_talk_ratio, 0.0);
        assert_eq!(m.named().len(), METRIC_NAMES.len());
    }
}

/// Invariants over random utterance timelines: overlapping, zero-length, out of order, and
/// with hold announcements, so the hold and dead-air paths run too.
#[cfg(test)]
mod properties {
    use super::tests::{call, utt};
    use super::*;
    use proptest::prelude::*;

    const LINES: [&str; 6] = [
        "hello thank you for calling",
        "please hold while I check that",
        "thank you for holding",
        "my card was charged twice",
        "",
        "sorry what was that",
    ];

    fn timeline() -> impl Strategy<Value = Transcript> {
        (1.0f64..900.0).prop_flat_map(|duration| {
            let utterance = (
                any::<bool>(),
                0.0..=duration,
                prop_oneof![Just(0.0), 0.0f64..40.0],
                0..LINES.len(),
            )
                .prop_map(move |(agent, start, len, line)| {
                    let speaker = if agent {
                        Speaker::Agent
                    } else {
                        Speaker::Customer
                    };
                    utt(speaker, start, (start + len).min(duration), LINES[line])
                });
            // Any order: the generator does not sort.
            (Just(duration), prop::collection::vec(utterance, 0..40))
                .prop_map(|(duration, utterances)| call(duration, utterances))
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

        #[test]
        fn metrics_stay_within_the_call(t in timeline()) {
            let m = compute(&t);
            let d = t.duration_s();
            let eps = 1e-6;
            for (name, v) in [
                ("agent_talk_s", m.agent_talk_s),
                ("customer_talk_s", m.customer_talk_s),
                ("silence_s", m.silence_s),
                ("longest_silence_s", m.longest_silence_s),
                ("hold_s", m.hold_s),
                ("overtalk_s", m.overtalk_s),
            ] {
                prop_assert!(v.is_finite() && (-eps..=d + eps).contains(&v), "{name} = {v} of {d}");
            }
            prop_assert!((0.0..=1.0).contains(&m.agent_talk_ratio), "ratio {}", m.agent_talk_ratio);
            // Talk time (overlap counted once) and silence never add up to more than the call.
            let talk = m.agent_talk_s + m.customer_talk_s - m.overtalk_s;
            prop_assert!(talk <= d + eps, "talk {talk} of {d}");
            prop_assert!(talk + m.silence_s <= d + eps, "talk {talk} + silence {} of {d}", m.silence_s);
            prop_assert!(m.overtalk_s <= m.agent_talk_s.min(m.customer_talk_s) + eps);
            prop_assert!(m.longest_silence_s <= d + eps);
            prop_assert!(m.agent_wpm.is_finite() && m.agent_wpm >= 0.0);
            prop_assert!(m.customer_wpm.is_finite() && m.customer_wpm >= 0.0);
            let holds: f64 = m.holds.iter().map(|h| h.end - h.start).sum();
            prop_assert!(holds <= d + eps, "holds {holds} of {d}");
            for i in &m.dead_air {
                prop_assert!(i.start >= -eps && i.end <= d + eps && i.start <= i.end);
            }
        }
    }
}
