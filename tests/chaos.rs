//! Chaos: one night's batch of hostile files — forged sample rates, channel counts and lengths,
//! sparse multi-gigabyte streams, cut headers, random bytes behind every audio extension,
//! the fuzzers' finds, the bad fixtures, an empty file, symbolic links out of the folder — mixed
//! with two good calls, run by the real binary under a 4 GiB address-space limit. Nothing may end
//! the batch: every good call is stored, every hostile file is exactly one clear
//! `callqa: error:` line and one `file_errors` row, the database passes `integrity_check`, and
//! the process never holds more than 1 GiB.

mod common;

use common::*;
use rusqlite::Connection;
use std::collections::BTreeMap;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Address space the batch runs under: the tiny.en model, whisper.cpp's buffers, the worker
/// threads' stacks and a 10-minute call fit with room to spare (measured peak RSS ~0.2 GiB).
const ADDRESS_SPACE: u64 = 4 << 30;
const MAX_RSS_KIB: i64 = 1 << 20;

/// Deterministic bytes (xorshift64*): the same hostile files on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| (self.next() >> 32) as u8).collect()
    }
}

/// A WAV header: format tag, channels, rate, bits, the RIFF and data sizes as declared.
fn wav_header(tag: u16, channels: u16, rate: u32, bits: u16, riff: u32, data: u32) -> Vec<u8> {
    let block = channels.wrapping_mul(bits / 8);
    let mut h = b"RIFF".to_vec();
    h.extend_from_slice(&riff.to_le_bytes());
    h.extend_from_slice(b"WAVEfmt ");
    h.extend_from_slice(&16u32.to_le_bytes());
    h.extend_from_slice(&tag.to_le_bytes());
    h.extend_from_slice(&channels.to_le_bytes());
    h.extend_from_slice(&rate.to_le_bytes());
    h.extend_from_slice(&rate.wrapping_mul(u32::from(block)).to_le_bytes());
    h.extend_from_slice(&block.to_le_bytes());
    h.extend_from_slice(&bits.to_le_bytes());
    h.extend_from_slice(b"data");
    h.extend_from_slice(&data.to_le_bytes());
    h
}

/// A PCM WAV with `payload` as its data and honest sizes.
fn wav(tag: u16, channels: u16, rate: u32, bits: u16, payload: &[u8]) -> Vec<u8> {
    let mut w = wav_header(
        tag,
        channels,
        rate,
        bits,
        36 + payload.len() as u32,
        payload.len() as u32,
    );
    w.extend_from_slice(payload);
    w
}

/// An 80-bit IEEE extended float (AIFF's sample rate) for 2^exp2 × 1.
fn extended_pow2(exp2: i32) -> [u8; 10] {
    let mut out = [0u8; 10];
    out[..2].copy_from_slice(&((16_383 + exp2) as u16).to_be_bytes());
    out[2..].copy_from_slice(&(1u64 << 63).to_be_bytes());
    out
}

fn aiff(channels: u16, rate: [u8; 10], frames: u32, payload: &[u8]) -> Vec<u8> {
    let mut comm = Vec::new();
    comm.extend_from_slice(&channels.to_be_bytes());
    comm.extend_from_slice(&frames.to_be_bytes());
    comm.extend_from_slice(&16u16.to_be_bytes());
    comm.extend_from_slice(&rate);
    let mut body = b"AIFFCOMM".to_vec();
    body.extend_from_slice(&(comm.len() as u32).to_be_bytes());
    body.extend_from_slice(&comm);
    body.extend_from_slice(b"SSND");
    body.extend_from_slice(&(8 + payload.len() as u32).to_be_bytes());
    body.extend_from_slice(&[0u8; 8]);
    body.extend_from_slice(payload);
    let mut out = b"FORM".to_vec();
    out.extend_from_slice(&(body.len() as u32).to_be_bytes());
    out.extend_from_slice(&body);
    out
}

/// A FLAC stream of only its STREAMINFO block: rate, channels, 16 bits, total samples.
fn flac(rate: u32, channels: u8, total_samples: u64) -> Vec<u8> {
    let mut out = b"fLaC".to_vec();
    out.push(0x80); // last metadata block, STREAMINFO
    out.extend_from_slice(&[0, 0, 34]);
    out.extend_from_slice(&4096u16.to_be_bytes());
    out.extend_from_slice(&4096u16.to_be_bytes());
    out.extend_from_slice(&[0; 6]);
    let packed: u64 = (u64::from(rate) << 44)
        | (u64::from(channels.saturating_sub(1)) << 41)
        | (15u64 << 36)
        | (total_samples & 0xf_ffff_ffff);
    out.extend_from_slice(&packed.to_be_bytes());
    out.extend_from_slice(&[0; 16]);
    out
}

/// A file of `len` bytes that starts with `head` and is zeros (a hole, no disk) after it.
fn sparse(path: &Path, head: &[u8], len: u64) {
    std::fs::write(path, head).unwrap();
    std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .unwrap()
        .set_len(len)
        .unwrap();
}

/// Writes the hostile files into `dir`; returns each one's path.
fn hostile_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut put = |name: &str, bytes: &[u8]| {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        out.push(path);
    };
    let tone: Vec<u8> = (0..16_000u32)
        .flat_map(|i| (((i as f32 * 0.07).sin() * 8000.0) as i16).to_le_bytes())
        .collect();

    // Forged sample rates: 0, 1 Hz (an 8,192 s "call"), just outside 4-192 kHz, and the
    // 4294967291 Hz that made the resampler ask for ~17 GB.
    for (name, rate) in [
        ("rate_0.wav", 0),
        ("rate_1hz.wav", 1),
        ("rate_3999.wav", 3_999),
        ("rate_192001.wav", 192_001),
        ("rate_2e9.wav", 0x7fff_ffff),
        ("rate_4294967291.wav", 4_294_967_291),
    ] {
        put(name, &wav(1, 1, rate, 16, &tone));
    }
    // Forged channel counts.
    for channels in [0u16, 9, 18, 64, 65_535] {
        put(
            &format!("channels_{channels}.wav"),
            &wav(1, channels, 8_000, 16, &tone),
        );
    }
    // Forged sample formats.
    put("bits_0.wav", &wav(1, 1, 8_000, 0, &tone));
    put("bits_7.wav", &wav(1, 1, 8_000, 7, &tone));
    put("bits_64_int.wav", &wav(1, 1, 8_000, 64, &tone));
    put("float_16bit.wav", &wav(3, 1, 8_000, 16, &tone));
    put("format_0x1234.wav", &wav(0x1234, 1, 8_000, 16, &tone));
    // Lengths: a header that is all there is, with an "unknown" (streaming) data size; a data
    // chunk before its format; a format chunk claiming 4 GiB; a LIST chunk claiming 2 GiB.
    put(
        "streaming_header_only.wav",
        &wav_header(1, 1, 16_000, 16, u32::MAX, u32::MAX),
    );
    let mut data_first = b"RIFF\x24\x00\x01\x00WAVEdata".to_vec();
    data_first.extend_from_slice(&16u32.to_le_bytes());
    data_first.extend_from_slice(&[0; 16]);
    put("data_before_fmt.wav", &data_first);
    let mut huge_fmt = wav(1, 1, 8_000, 16, &tone);
    huge_fmt[16..20].copy_from_slice(&u32::MAX.to_le_bytes());
    put("fmt_chunk_4gib.wav", &huge_fmt);
    let mut list = b"RIFF\xff\xff\xff\xffWAVELIST".to_vec();
    list.extend_from_slice(&0x7fff_fff0u32.to_le_bytes());
    list.extend_from_slice(b"INFOINAM");
    list.extend_from_slice(&0x7fff_ffe0u32.to_le_bytes());
    list.extend_from_slice(&tone[..64]);
    put("list_chunk_2gib.wav", &list);
    // Cut headers.
    let whole = wav(1, 1, 8_000, 16, &tone);
    for cut in [4usize, 8, 12, 20, 30, 40] {
        put(&format!("cut_at_{cut}.wav"), &whole[..cut]);
    }
    put("empty.wav", b"");
    // Random bytes behind every kind of name, and valid magic followed by random bytes.
    let mut rng = Rng(0x5eed_ca11_0000_0001);
    for ext in [
        "wav", "mp3", "flac", "ogg", "m4a", "aac", "opus", "webm", "aiff", "caf", "mka",
    ] {
        put(&format!("random.{ext}"), &rng.bytes(4096));
    }
    for (name, magic) in [
        (
            "random_after_riff.wav",
            &b"RIFF\x00\x10\x00\x00WAVEfmt "[..],
        ),
        ("random_after_oggs.ogg", b"OggS\x00\x02"),
        ("random_after_ftyp.m4a", b"\x00\x00\x00\x18ftypM4A "),
        ("random_after_flac.flac", b"fLaC"),
        ("random_after_id3.mp3", b"ID3\x04\x00\x00\x7f\x7f\x7f\x7f"),
    ] {
        let mut b = magic.to_vec();
        b.extend_from_slice(&rng.bytes(2048));
        put(name, &b);
    }
    // AIFF: a rate of 2^100 Hz, a rate of 0, a thousand channels.
    put(
        "aiff_rate_2e100.aiff",
        &aiff(1, extended_pow2(100), 8_000, &tone),
    );
    put("aiff_rate_0.aiff", &aiff(1, [0; 10], 8_000, &tone));
    put(
        "aiff_1000_channels.aiff",
        &aiff(1_000, extended_pow2(13), 8, &tone),
    );
    // FLAC STREAMINFO: 1 Hz, and 100 hours of declared audio in 42 bytes.
    put("flac_rate_1hz.flac", &flac(1, 1, 1_000));
    put("flac_100_hours.flac", &flac(16_000, 1, 16_000 * 3600 * 100));
    put("flac_8_channels_rate_0.flac", &flac(0, 8, 1_000));
    // The fuzzers' finds and the bad fixtures. (fuzz/audio_rubato_panic.bin is left out: since
    // its fix it decodes, as noise, into a call Whisper spends half a minute on.)
    let data = root().join("tests/data");
    for (from, name) in [
        ("fuzz/ct2_int8_scale_alias_cycle.bin", "fuzz_ct2_bytes.mp3"),
        ("empty.wav", "fixture_empty.wav"),
        ("not_audio.mp3", "fixture_not_audio.mp3"),
        ("three_channel.wav", "fixture_three_channel.wav"),
    ] {
        put(name, &std::fs::read(data.join(from)).unwrap());
    }

    // Sparse files: 64 MiB claiming 4 GiB of data (the bytes bound it to 35 min, over the
    // limit), and 64 MiB behind a streaming header (2.3 h at 8 kHz; decoding stops at the
    // limit instead of holding it all).
    let declared = dir.join("sparse_declared_4gib.wav");
    sparse(
        &declared,
        &wav_header(1, 1, 16_000, 16, 0xffff_fff0, 0xffff_ffc0),
        64 << 20,
    );
    out.push(declared);
    let streaming = dir.join("sparse_streaming.wav");
    sparse(
        &streaming,
        &wav_header(1, 1, 8_000, 8, u32::MAX, u32::MAX),
        64 << 20,
    );
    out.push(streaming);
    // A zero-filled 32 MiB "recording" with no header at all.
    let zeros = dir.join("zeros_32mib.wav");
    sparse(&zeros, b"", 32 << 20);
    out.push(zeros);

    // Symbolic links: out of the folder to a secret, and to themselves.
    let shadow = dir.join("shadow.wav");
    std::os::unix::fs::symlink("/etc/shadow", &shadow).unwrap();
    out.push(shadow);
    let looped = dir.join("loop.wav");
    std::os::unix::fs::symlink(&looped, &looped).unwrap();
    out.push(looped);
    out
}

fn peak_rss_of_children_kib() -> i64 {
    // SAFETY: getrusage writes into the struct it is given.
    unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        assert_eq!(libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage), 0);
        usage.ru_maxrss
    }
}

#[test]
fn a_night_of_hostile_files_ends_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let night = tmp.path().join("night");
    std::fs::create_dir(&night).unwrap();
    let hostile = hostile_files(&night);
    assert!(hostile.len() >= 50, "only {} hostile files", hostile.len());
    // A folder that looks like a recording is walked, not opened (it holds nothing).
    std::fs::create_dir(night.join("x.wav")).unwrap();
    let good = [
        copy_into(
            &night,
            &root().join("tests/data/speech_mono.ogg"),
            "good_a.ogg",
        ),
        copy_into(
            &night,
            &root().join("tests/data/hires_96k_24bit.wav"),
            "good_b.wav",
        ),
    ];
    let db = tmp.path().join("qa.db");

    let started = Instant::now();
    let mut cmd = callqa_on(&db, &["-q", "score", "--max-duration", "10m"]);
    cmd.arg(&night);
    // SAFETY: setrlimit is async-signal-safe; nothing else runs between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: ADDRESS_SPACE,
                rlim_max: ADDRESS_SPACE,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let out = cmd.output().unwrap();
    let wall = started.elapsed();
    let peak_kib = peak_rss_of_children_kib();
    let stderr = stderr_of(&out);
    println!(
        "chaos: {} hostile + {} good files in {:.1} s, peak RSS {} MiB, exit {:?}",
        hostile.len(),
        good.len(),
        wall.as_secs_f64(),
        peak_kib / 1024,
        out.status.code()
    );

    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        peak_kib <= MAX_RSS_KIB,
        "peak RSS {peak_kib} KiB over 1 GiB"
    );
    // The decoder's own log lines stay quiet (they repeated errors and told file sizes).
    assert!(!stderr.contains("symphonia"), "{stderr}");

    // Each hostile file: one `callqa: error: <file>: <reason>` line and no other line.
    for path in &hostile {
        let name = path.display().to_string();
        let prefix = format!("callqa: error: {name}: ");
        let lines: Vec<&str> = stderr
            .lines()
            .filter(|l| l.contains(&format!("{name}:")) || l.ends_with(&name))
            .collect();
        assert_eq!(lines.len(), 1, "{name}: {lines:?}\n{stderr}");
        assert!(lines[0].starts_with(&prefix), "{name}: {lines:?}");
        assert!(
            lines[0].len() > prefix.len() + 5,
            "{name}: no reason given: {lines:?}"
        );
    }
    // Nothing else failed; the folder named x.wav was not a file.
    let error_lines = stderr
        .lines()
        .filter(|l| l.starts_with("callqa: error: "))
        .count();
    assert_eq!(error_lines, hostile.len(), "{stderr}");

    let conn = Connection::open(&db).unwrap();
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    let mut rows: BTreeMap<String, i64> = BTreeMap::new();
    let mut stmt = conn
        .prepare("SELECT path, count(*) FROM file_errors GROUP BY path")
        .unwrap();
    for row in stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
        .unwrap()
    {
        let (path, n) = row.unwrap();
        rows.insert(path, n);
    }
    for path in &hostile {
        assert_eq!(
            rows.get(&path.display().to_string()),
            Some(&1),
            "{}: file_errors rows {rows:?}",
            path.display()
        );
    }
    assert_eq!(rows.len(), hostile.len(), "{rows:?}");

    // Every good call stored, with its words.
    for path in &good {
        let words: i64 = conn
            .query_row(
                "SELECT count(*) FROM utterances u JOIN calls c ON c.call_id = u.call_id \
                 WHERE c.path = ?1",
                [path.display().to_string()],
                |r| r.get(0),
            )
            .unwrap();
        assert!(words >= 1, "{} not stored with its speech", path.display());
    }
    let calls: i64 = conn
        .query_row("SELECT count(*) FROM calls", [], |r| r.get(0))
        .unwrap();
    assert_eq!(calls, good.len() as i64);
    let status: String = conn
        .query_row(
            "SELECT status FROM runs ORDER BY run_id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(status, "partial");
}

/// A card number in the name of a file that fails never reaches stderr (`score` in text and JSON
/// logs, `transcribe`); the line still names the file recognisably. Two copies of one broken
/// file are two failures, not a failure and an "already handled" skip.
#[test]
fn failing_file_names_are_redacted_and_copies_of_a_broken_file_both_fail() {
    const CARD: &str = "4532015112830366";
    let tmp = tempfile::tempdir().unwrap();
    let night = tmp.path().join("night");
    std::fs::create_dir(&night).unwrap();
    let carded = night.join(format!("card_{CARD}.wav"));
    std::fs::write(&carded, "not audio at all\n".repeat(40)).unwrap();
    let noise = Rng(0x5eed_ca11_0000_0002).bytes(4096);
    let copies = ["copy_a.wav", "copy_b.wav"].map(|n| night.join(n));
    for c in &copies {
        std::fs::write(c, &noise).unwrap();
    }
    // An input that is not there: failed before the batch starts, by another path.
    let missing = tmp.path().join(format!("gone_{CARD}.wav"));
    let shown = |p: &Path| p.display().to_string().replace(CARD, "[CARD_NUMBER]");

    for json in [false, true] {
        let db = tmp.path().join(format!("qa_{json}.db"));
        let mut args = vec!["-j", "2", "score"];
        if json {
            args.splice(0..0, ["--log-format", "json"]);
        }
        let out = callqa_on(&db, &args)
            .arg(&night)
            .arg(&missing)
            .output()
            .unwrap();
        let stderr = stderr_of(&out);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(!stderr.contains(CARD), "{stderr}");
        let errors: Vec<String> = if json {
            stderr
                .lines()
                .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
                .filter(|v| v["event"] == "file_failed")
                .map(|v| {
                    assert_eq!(
                        v["message"].as_str().unwrap(),
                        format!(
                            "callqa: error: {}: {}",
                            v["file"].as_str().unwrap(),
                            v["error"].as_str().unwrap()
                        )
                    );
                    v["message"].as_str().unwrap().to_string()
                })
                .collect()
        } else {
            stderr
                .lines()
                .filter(|l| l.starts_with("callqa: error: "))
                .map(str::to_string)
                .collect()
        };
        assert_eq!(errors.len(), 4, "{stderr}");
        for path in [&carded, &copies[0], &copies[1], &missing] {
            let prefix = format!("callqa: error: {}: ", shown(path));
            assert_eq!(
                errors.iter().filter(|l| l.starts_with(&prefix)).count(),
                1,
                "{prefix}\n{stderr}"
            );
        }
        let copy_lines: Vec<&String> = errors
            .iter()
            .filter(|l| l.contains(": same audio as ") && l.contains(", which failed: "))
            .collect();
        assert_eq!(copy_lines.len(), 1, "{stderr}");
        assert!(!stderr.contains("skip "), "{stderr}");

        let conn = Connection::open(&db).unwrap();
        let (rows, with_card): (i64, i64) = conn
            .query_row(
                "SELECT count(*), count(*) FILTER (WHERE path LIKE ?1 OR error LIKE ?1) \
                 FROM file_errors",
                [format!("%{CARD}%")],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((rows, with_card), (4, 0));
    }

    let out = callqa(&[
        "--model",
        model().to_str().unwrap(),
        "transcribe",
        carded.to_str().unwrap(),
    ]);
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains(CARD), "{stderr}");
    assert!(
        stderr.starts_with(&format!("callqa: error: {}: ", shown(&carded))),
        "{stderr}"
    );
}

/// `--confine`: manifest rows whose file lies outside the manifest's folder (a `..`, an
/// absolute path, a link out) are each that row's error; the rest of the batch goes on. A row's
/// agent_channel wins over the channel flags for its call, and says so at -v.
#[test]
fn confined_manifest_rows_and_channel_overrides() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("night");
    std::fs::create_dir(&folder).unwrap();
    let data = root().join("tests/data");
    copy_into(&folder, &data.join("silence_half_second.wav"), "in.wav");
    copy_into(&folder, &data.join("float32_stereo_44k.wav"), "stereo.wav");
    let outside = copy_into(tmp.path(), &data.join("u8_8k_mono.wav"), "outside.wav");
    std::os::unix::fs::symlink(&outside, folder.join("link.wav")).unwrap();
    let manifest = folder.join("calls.csv");
    std::fs::write(
        &manifest,
        format!(
            "call_id,file,agent_id,agent_channel\n\
             c1,in.wav,a1,\n\
             c2,stereo.wav,a1,right\n\
             c3,../outside.wav,a1,\n\
             c4,{},a1,\n\
             c5,link.wav,a1,\n",
            outside.display()
        ),
    )
    .unwrap();
    let db = tmp.path().join("qa.db");
    let out = callqa_on(
        &db,
        &[
            "-v",
            "score",
            "--confine",
            "--agent-channel",
            "left",
            "--customer-channel",
            "right",
            "--manifest",
            manifest.to_str().unwrap(),
        ],
    )
    .output()
    .unwrap();
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let confined: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("callqa: error: ") && l.contains("(--confine)"))
        .collect();
    assert_eq!(confined.len(), 3, "{stderr}");
    assert!(
        stderr.contains("agent_channel 1 overrides --agent-channel 0 and --customer-channel 1"),
        "{stderr}"
    );
    let conn = Connection::open(&db).unwrap();
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(count("SELECT count(*) FROM calls"), 2);
    assert_eq!(count("SELECT count(*) FROM file_errors"), 3);
    // Nothing outside the folder was read into the database.
    assert_eq!(
        count("SELECT count(*) FROM calls WHERE path LIKE '%outside%' OR path LIKE '%link%'"),
        0
    );
}
