//! Whisper windows: a party's turns packed end to end (≤ 30 s) with short gaps, and the
//! words heard in them mapped back to call time.

use super::*;

/// Longest audio handed to Whisper at once; its encoder always sees 30 s.
pub(super) const WINDOW_S: f64 = 29.5;
/// Silence placed between speech pieces packed into one window, so Whisper hears a pause.
/// It is wider than the lag of Whisper's word times (DTW places a word up to ~0.5 s late), so a
/// piece's last words never look like the next piece's first.
const PIECE_GAP_S: f64 = 1.0;
/// Context kept on each side of a speech region, so word edges are not clipped.
const PIECE_PAD_S: f64 = 0.15;

/// One Whisper window: a party's turns laid end to end with short gaps.
pub(super) struct Window {
    pub(super) channel_slot: usize,
    pub(super) speaker: Speaker,
    pub(super) pieces: Vec<Piece>,
}

#[derive(Clone, Copy)]
pub(super) struct Piece {
    pub(super) turn: SpeechRegion,
    /// The audio span copied (the turn plus padding), in call time.
    pub(super) src_start: f64,
    pub(super) src_end: f64,
    /// Where that span starts inside the window.
    pub(super) offset: f64,
}

pub(super) fn pack_windows(turns: &[Turn]) -> Vec<Window> {
    let mut windows: Vec<Window> = Vec::new();
    for turn in turns {
        let src_start = (turn.region.start - PIECE_PAD_S).max(0.0);
        let src_end = turn.region.end + PIECE_PAD_S;
        let len = src_end - src_start;
        let fits = windows
            .last()
            .is_some_and(|w| w.end() + PIECE_GAP_S + len <= WINDOW_S);
        if !fits {
            windows.push(Window {
                channel_slot: turn.channel,
                speaker: turn.speaker,
                pieces: Vec::new(),
            });
        }
        if let Some(w) = windows.last_mut() {
            let offset = if w.pieces.is_empty() {
                0.0
            } else {
                w.end() + PIECE_GAP_S
            };
            w.pieces.push(Piece {
                turn: turn.region,
                src_start,
                src_end,
                offset,
            });
        }
    }
    windows
}

impl Window {
    /// Seconds of speech in the window (the silence packed between pieces not counted).
    pub(super) fn speech_s(&self) -> f64 {
        self.pieces.iter().map(|p| p.turn.end - p.turn.start).sum()
    }

    pub(super) fn end(&self) -> f64 {
        self.pieces
            .last()
            .map_or(0.0, |p| p.offset + (p.src_end - p.src_start))
    }

    pub(super) fn render(&self, signal: &[f32]) -> Vec<f32> {
        let rate = f64::from(audio::TARGET_RATE);
        let mut out = vec![0.0f32; (self.end() * rate).ceil() as usize];
        for p in &self.pieces {
            let lo = ((p.src_start * rate) as usize).min(signal.len());
            let hi = ((p.src_end * rate) as usize).min(signal.len());
            let at = (p.offset * rate) as usize;
            for (k, v) in signal[lo..hi].iter().enumerate() {
                if let Some(slot) = out.get_mut(at + k) {
                    *slot = *v;
                }
            }
        }
        out
    }

    /// Maps words back to call time and groups them into one utterance per turn.
    pub(super) fn utterances(&self, words: &[crate::asr::RawWord]) -> Vec<Utterance> {
        let mut per_piece: Vec<Vec<(Word, f32, f32)>> = vec![Vec::new(); self.pieces.len()];
        for w in words {
            // Word times lag the audio, never lead it: a word reported before a piece's start
            // belongs to an earlier piece.
            let anchor = w.start;
            let idx = self
                .pieces
                .iter()
                .rposition(|p| p.offset <= anchor)
                .unwrap_or(0);
            let p = self.pieces[idx];
            let to_call = |t: f64| (p.src_start + (t - p.offset)).clamp(p.src_start, p.src_end);
            per_piece[idx].push((
                Word {
                    text: w.text.clone(),
                    start: to_call(w.start),
                    end: to_call(w.end),
                    probability: w.probability,
                },
                w.logprob,
                w.no_speech_prob,
            ));
        }
        self.pieces
            .iter()
            .zip(per_piece)
            .filter(|(_, ws)| !ws.is_empty())
            .map(|(p, ws)| {
                let n = ws.len() as f32;
                let text = ws
                    .iter()
                    .map(|(w, _, _)| w.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                Utterance {
                    speaker: self.speaker,
                    channel: self.channel_slot,
                    start: p.turn.start,
                    end: p.turn.end,
                    text,
                    avg_logprob: ws.iter().map(|(_, l, _)| l).sum::<f32>() / n,
                    no_speech_prob: ws.iter().map(|(_, _, s)| *s).fold(0.0, f32::max),
                    words: ws.into_iter().map(|(w, _, _)| w).collect(),
                }
            })
            .collect()
    }
}
