//! Shared helpers for the end-to-end tests: the binary, the model, sample references, WER.
#![allow(dead_code)]

use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The default model; the test command's setup step creates it. Missing is a failure, not a skip:
/// a suite that silently skips its end-to-end tests proves nothing.
pub fn model() -> PathBuf {
    let path = root().join("models/ggml-tiny.en.bin");
    assert!(
        path.is_file(),
        "{} is missing: run scripts/setup.sh (the README's test command does)",
        path.display()
    );
    path
}

/// Multilingual Whisper base, which the test command imports (`setup.sh --multilingual`).
pub fn base_model() -> PathBuf {
    let base = root().join("models/ggml-base.bin");
    assert!(
        base.is_file(),
        "{} is missing: scripts/setup.sh --multilingual imports it (the test command does)",
        base.display()
    );
    base
}

/// `callqa --db DB --model <default model> ARGS...`, ready to run or spawn.
pub fn callqa_on(db: &Path, args: &[&str]) -> Command {
    let model = model();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_callqa"));
    cmd.arg("--db")
        .arg(db)
        .arg("--model")
        .arg(&model)
        .args(args)
        .env_remove("CALLQA_MODEL")
        .current_dir(root());
    cmd
}

pub fn callqa(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_callqa"))
        .args(args)
        .env_remove("CALLQA_MODEL")
        .current_dir(root())
        .output()
        .expect("run callqa")
}

#[derive(Debug, Deserialize)]
pub struct Reference {
    pub file: String,
    pub channels: usize,
    pub sample_rate: u32,
    pub duration_s: f64,
    pub turns: Vec<Turn>,
}

#[derive(Debug, Deserialize, Clone)]
pub struct Turn {
    pub speaker: String,
    pub start: f64,
    pub end: f64,
    pub text: String,
}

/// Every sample call with its reference script (samples/*.json).
pub fn samples() -> Vec<(PathBuf, Reference)> {
    let dir = root().join("samples");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("samples/") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "json") {
            let reference: Reference =
                serde_json::from_str(&std::fs::read_to_string(&path).expect("read reference"))
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            out.push((dir.join(&reference.file), reference));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(out.len() >= 4, "expected at least 4 sample calls");
    out
}

/// Lower case, letters and digits only (apostrophes kept inside words), numbers written out
/// ("42" and "forty two" are the same words to a listener; "4916" is "four nine one six"),
/// split on whitespace.
pub fn normalise(text: &str) -> Vec<String> {
    // "NorthMobile" and "North Mobile" are the same words to a listener.
    let mut spaced = String::with_capacity(text.len() + 8);
    let mut previous_lower = false;
    for c in text.chars() {
        if c.is_uppercase() && previous_lower {
            spaced.push(' ');
        }
        previous_lower = c.is_lowercase();
        spaced.push(c);
    }
    spaced
        .to_lowercase()
        .replace(['-', '—', '/'], " ")
        .split_whitespace()
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric() || *c == '\'')
                .collect::<String>()
                .trim_matches('\'')
                .to_string()
        })
        .filter(|w| !w.is_empty())
        .flat_map(|w| match w.parse::<u32>() {
            // Four digits and more on a service call are dictated digit by digit (card, phone,
            // account numbers): "4916" is "four nine one six", not "four thousand ...".
            _ if w.len() >= 4 && w.bytes().all(|b| b.is_ascii_digit()) => w
                .chars()
                .flat_map(|d| number_words(d.to_digit(10).unwrap_or(0)))
                .collect(),
            Ok(n) => number_words(n),
            _ if w == "cannot" => vec!["can".into(), "not".into()],
            _ => vec![w],
        })
        .collect()
}

fn number_words(n: u32) -> Vec<String> {
    const ONES: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 10] = [
        "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    let mut out = Vec::new();
    let mut n = n;
    if n >= 1000 {
        out.extend(number_words(n / 1000));
        out.push("thousand".into());
        n %= 1000;
        if n == 0 {
            return out;
        }
    }
    if n >= 100 {
        out.push(ONES[(n / 100) as usize].into());
        out.push("hundred".into());
        n %= 100;
        if n == 0 {
            return out;
        }
    }
    if n >= 20 {
        out.push(TENS[(n / 10) as usize].into());
        if !n.is_multiple_of(10) {
            out.push(ONES[(n % 10) as usize].into());
        }
    } else {
        out.push(ONES[n as usize].into());
    }
    out
}

/// Word error rate: word-level edit distance over the reference length.
pub fn wer(reference: &str, hypothesis: &str) -> f64 {
    wer_of_words(&normalise(reference), &normalise(hypothesis))
}

/// Word error rate of words already normalised (by `normalise`, or another language's rules).
pub fn wer_of_words(r: &[String], h: &[String]) -> f64 {
    let mut prev: Vec<usize> = (0..=h.len()).collect();
    for (i, rw) in r.iter().enumerate() {
        let mut cur = vec![i + 1; h.len() + 1];
        for (j, hw) in h.iter().enumerate() {
            let sub = prev[j] + usize::from(rw != hw);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[h.len()] as f64 / r.len().max(1) as f64
}

pub fn stderr_of(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn copy_into(dir: &Path, from: &Path, name: &str) -> PathBuf {
    let to = dir.join(name);
    std::fs::copy(from, &to).unwrap_or_else(|e| panic!("copy {}: {e}", from.display()));
    to
}
