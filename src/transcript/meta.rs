//! Call metadata — who handled the call, for which customer, when, in which queue — from a
//! telephony manifest (CSV) or from the recording's file name.

use regex::Regex;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What is known about a call besides its audio. `None` means "not said here".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallMeta {
    /// The telephony system's own id for the call (ours is the audio hash).
    pub external_id: Option<String>,
    pub agent_id: Option<String>,
    pub customer_id: Option<String>,
    pub started_at: Option<String>,
    pub queue: Option<String>,
    pub direction: Option<String>,
    /// Spoken language (ISO 639-1), when the telephony system or queue knows it.
    pub language: Option<String>,
    /// Channel carrying the agent, when this call differs from the batch's setting.
    pub agent_channel: Option<usize>,
    /// Further manifest columns, kept as given.
    pub extra: BTreeMap<String, String>,
}

/// Manifest columns naming what a call's speakers will say: Whisper's prompt and known values
/// of the rubrics' `{company}` / `{agent_name}` slots.
pub const NAME_COLUMNS: &[&str] = &["company", "agent_name"];

impl CallMeta {
    /// The proper names this call is known to use (its `company` and `agent_name` columns).
    pub fn known_names(&self) -> Vec<String> {
        NAME_COLUMNS
            .iter()
            .filter_map(|c| self.extra.get(*c))
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .collect()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MetaError {
    #[error("cannot read manifest {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("manifest {path}, line {line}: {message}")]
    Csv {
        path: String,
        line: usize,
        message: String,
    },
    #[error("manifest {path} has no `file` column (header: {header})")]
    NoFileColumn { path: String, header: String },
    #[error("--name-pattern: {0}")]
    Pattern(String),
}

/// A CSV record with the line it started on.
pub type CsvRecord = (usize, Vec<String>);

/// Parses CSV (RFC 4180 through the `csv` crate: quoted fields, doubled quotes, commas and line
/// breaks inside quotes, CRLF or LF, blank lines skipped, rows of any length). Each record
/// carries the line it starts on; an error carries the line and the reason.
pub fn parse_csv(text: &str) -> Result<Vec<CsvRecord>, (usize, String)> {
    // The crate reads a quoted field left open to the end of the input without complaint. A
    // sentinel line after the text tells: it comes back as the last record only when every
    // quoted field before it was closed.
    const END: &str = "\u{0}callqa-end-of-input\u{0}";
    let input = format!("{}\n{END}\n", text.trim_start_matches('\u{feff}'));
    let bytes = input.as_bytes();
    let line_at = |byte: usize| 1 + bytes[..byte].iter().filter(|&&b| b == b'\n').count();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut records = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let byte = e.position().map_or(0, |p| p.byte() as usize);
                return Err((line_at(byte.min(bytes.len())), e.to_string()));
            }
        }
        // A record's position is where the previous one ended: the blank lines the crate
        // skipped come first (its own line count leaves them out).
        let mut start = record.position().map_or(0, |p| p.byte() as usize);
        while matches!(bytes.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        records.push((line_at(start), record.iter().map(str::to_string).collect()));
    }
    match records.pop() {
        Some((_, last)) if last == [END] => Ok(records),
        Some((line, _)) => Err((line, "a quoted field is never closed".into())),
        None => Ok(records),
    }
}

/// A manifest's calls (files resolved relative to the manifest), and the rows that cannot be
/// scored, each with the reason.
#[derive(Debug, Default)]
pub struct Manifest {
    pub entries: Vec<(PathBuf, CallMeta)>,
    /// Each row that fails on its own, as (file, reason): its file is missing, or one of its
    /// values is bad (no `file`, an unknown `agent_channel`, a `started_at` that is no time or
    /// lies ahead). A row without a file is named `MANIFEST:LINE`. Every other row goes on.
    pub missing: Vec<(PathBuf, String)>,
}

/// How far ahead of now a call may say it started: clocks and zones disagree by hours, never
/// by more than a day; a year typo (2205) would put the call out of every default report.
pub const MAX_START_AHEAD_S: i64 = 86_400;

pub fn read_manifest(path: &Path) -> Result<Manifest, MetaError> {
    read_manifest_at(path, now_s())
}

fn now_s() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// `started_at` as stored (normalised), if it is a time no more than [`MAX_START_AHEAD_S`]
/// after `now` (seconds since 1970).
pub fn check_started_at(value: &str, now: i64) -> Result<String, String> {
    let normalised = normalise_timestamp(value);
    match parse_timestamp(&normalised) {
        None => Err(format!(
            "started_at {value:?} is not a time (YYYY-MM-DD, optionally THH:MM[:SS] and a zone)"
        )),
        Some(t) if t > now + MAX_START_AHEAD_S => Err(format!(
            "started_at {value:?} is more than a day ahead of now (a typo in the year?)"
        )),
        Some(_) => Ok(normalised),
    }
}

/// [`read_manifest`] with the time taken as now (seconds since 1970).
pub fn read_manifest_at(path: &Path, now: i64) -> Result<Manifest, MetaError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| MetaError::Io {
        path: name.clone(),
        source,
    })?;
    let records = parse_csv(&text).map_err(|(line, message)| MetaError::Csv {
        path: name.clone(),
        line,
        message,
    })?;
    let Some(((_, header), rows)) = records.split_first() else {
        return Ok(Manifest::default());
    };
    let header: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
    let column = |n: &str| header.iter().position(|h| h == n);
    let file_col = column("file").ok_or_else(|| MetaError::NoFileColumn {
        path: name.clone(),
        header: header.join(","),
    })?;
    let base = path.parent().unwrap_or(Path::new("."));
    let mut manifest = Manifest::default();
    for (line, row) in rows {
        let get = |n: &str| {
            column(n)
                .and_then(|i| row.get(i))
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let bad = |what: String| format!("manifest {name}, line {line}: {what}");
        let Some(file) = row
            .get(file_col)
            .map(|f| f.trim())
            .filter(|f| !f.is_empty())
        else {
            manifest.missing.push((
                PathBuf::from(format!("{name}:{line}")),
                bad("the row names no `file`".into()),
            ));
            continue;
        };
        let file_path = base.join(file);
        let agent_channel = match get("agent_channel").map(|c| crate::audio::parse_channel(&c)) {
            None => None,
            Some(Ok(c)) => Some(c),
            Some(Err(e)) => {
                manifest
                    .missing
                    .push((file_path, bad(format!("agent_channel: {e}"))));
                continue;
            }
        };
        let started_at = match get("started_at").map(|s| check_started_at(&s, now)) {
            None => None,
            Some(Ok(s)) => Some(s),
            Some(Err(e)) => {
                manifest.missing.push((file_path, bad(e)));
                continue;
            }
        };
        let known = [
            "call_id",
            "file",
            "agent_id",
            "customer_id",
            "started_at",
            "queue",
            "direction",
            "language",
            "agent_channel",
        ];
        let extra = header
            .iter()
            .enumerate()
            .filter(|(_, h)| !known.contains(&h.as_str()) && !h.is_empty())
            .filter_map(|(i, h)| Some((h.clone(), row.get(i)?.trim().to_string())))
            .collect();
        let meta = CallMeta {
            external_id: get("call_id"),
            agent_id: get("agent_id"),
            customer_id: get("customer_id"),
            started_at,
            queue: get("queue"),
            direction: get("direction"),
            language: get("language").map(|l| l.to_ascii_lowercase()),
            agent_channel,
            extra,
        };
        if file_path.is_file() {
            manifest.entries.push((file_path, meta));
        } else {
            let reason = format!("listed in manifest {name} (line {line}) but not found");
            manifest.missing.push((file_path, reason));
        }
    }
    Ok(manifest)
}

/// "2025-02-19T06-01-22" (file-name safe) → "2025-02-19T06:01:22"; other forms pass through.
pub fn normalise_timestamp(s: &str) -> String {
    let s = s.trim();
    if let Some((date, time)) = s.split_once(['T', ' ', '_']) {
        let bytes = time.as_bytes();
        let dashed = bytes.len() >= 8
            && bytes[2] == b'-'
            && bytes[5] == b'-'
            && bytes
                .iter()
                .take(8)
                .enumerate()
                .all(|(i, b)| i == 2 || i == 5 || b.is_ascii_digit());
        if date.len() == 10 && dashed {
            return format!(
                "{date}T{}:{}:{}{}",
                &time[0..2],
                &time[3..5],
                &time[6..8],
                &time[8..]
            );
        }
        if date.len() == 10 {
            return format!("{date}T{time}");
        }
    }
    s.to_string()
}

/// Seconds since 1970 (UTC) of "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.fff]]" (also with a space
/// for the T) with an optional "Z", "+HH:MM", "+HHMM" or "+HH" zone. A time without a zone is
/// taken as UTC, which keeps the order of calls from one telephony export. `None` when the text
/// is not such a time.
pub fn parse_timestamp(s: &str) -> Option<i64> {
    let s = normalise_timestamp(s);
    let digits = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = s.get(range)?;
        (!part.is_empty() && part.bytes().all(|c| c.is_ascii_digit()))
            .then(|| part.parse().ok())
            .flatten()
    };
    let mut seconds = parse_day(s.get(..10)?)? * 86_400;
    let mut rest = &s[10..];
    if let Some(time) = rest.strip_prefix(['T', ' ']) {
        let tb = time.as_bytes();
        if tb.len() < 5 || tb[2] != b':' {
            return None;
        }
        let (hour, minute) = (digits(11..13)?, digits(14..16)?);
        let mut second = 0;
        rest = &time[5..];
        if let Some(sec) = rest.strip_prefix(':') {
            second = sec
                .get(..2)
                .filter(|p| p.bytes().all(|c| c.is_ascii_digit()))?
                .parse()
                .ok()?;
            rest = &sec[2..];
            if let Some(frac) = rest.strip_prefix(['.', ',']) {
                let n = frac.bytes().take_while(u8::is_ascii_digit).count();
                rest = &frac[n..];
            }
        }
        if hour > 23 || minute > 59 || second > 60 {
            return None;
        }
        seconds += hour * 3600 + minute * 60 + second;
    }
    let offset = match rest {
        "" | "Z" | "z" => 0,
        zone => {
            let sign = match zone.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let hm: String = zone[1..].chars().filter(|c| *c != ':').collect();
            if !hm.bytes().all(|c| c.is_ascii_digit()) || !matches!(hm.len(), 2 | 4) {
                return None;
            }
            let hours: i64 = hm[..2].parse().ok()?;
            let minutes: i64 = if hm.len() == 4 {
                hm[2..].parse().ok()?
            } else {
                0
            };
            sign * (hours * 3600 + minutes * 60)
        }
    };
    Some(seconds - offset)
}

/// Days since 1970-01-01 of a calendar day written YYYY-MM-DD; `None` for anything else
/// ("2025-13-45", "2025-02-29", "2026-1-01"). The one date parser: `--from`/`--to`, reports and
/// manifest times all read days with it.
pub fn parse_day(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let digits_at = |i: usize| b[i].is_ascii_digit();
    if b.len() != 10
        || b[4] != b'-'
        || b[7] != b'-'
        || ![0, 1, 2, 3, 5, 6, 8, 9].iter().all(|&i| digits_at(i))
    {
        return None;
    }
    let (year, month, day): (i64, i64, i64) = (
        s[..4].parse().ok()?,
        s[5..7].parse().ok()?,
        s[8..].parse().ok()?,
    );
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let month_days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (1..=month_days)
        .contains(&day)
        .then(|| days_from_civil(year, month, day))
}

/// A calendar day, written YYYY-MM-DD wherever it is shown, stored or read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(i64);

impl Day {
    /// The day `number` days after 1970-01-01.
    pub const fn from_number(number: i64) -> Day {
        Day(number)
    }

    /// Days since 1970-01-01.
    pub const fn number(self) -> i64 {
        self.0
    }

    /// The day `days` later (earlier when negative).
    pub const fn plus(self, days: i64) -> Day {
        Day(self.0 + days)
    }

    /// Today by the system clock (UTC).
    pub fn today() -> Day {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        Day(secs.div_euclid(86_400))
    }
}

/// Text that is no calendar day written YYYY-MM-DD.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected a calendar day as YYYY-MM-DD, got {0:?}")]
pub struct NotADay(pub String);

impl std::str::FromStr for Day {
    type Err = NotADay;

    fn from_str(s: &str) -> Result<Day, NotADay> {
        parse_day(s).map(Day).ok_or_else(|| NotADay(s.to_string()))
    }
}

impl std::fmt::Display for Day {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (y, m, d) = civil_from_days(self.0);
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl serde::Serialize for Day {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The (year, month, day) of a day number (days since 1970-01-01; Hinnant's civil-from-days).
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days-from-civil).
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Metadata read from file names with a regular expression's named groups: `call_id`,
/// `agent`, `customer`, `started_at`, `queue`, `direction`, `language`.
#[derive(Debug, Clone)]
pub struct NamePattern(Regex);

impl NamePattern {
    pub fn new(pattern: &str) -> Result<NamePattern, MetaError> {
        let re = Regex::new(pattern).map_err(|e| MetaError::Pattern(e.to_string()))?;
        let known = [
            "call_id",
            "agent",
            "customer",
            "started_at",
            "queue",
            "direction",
            "language",
        ];
        let names: Vec<&str> = re.capture_names().flatten().collect();
        if names.is_empty() {
            return Err(MetaError::Pattern(format!(
                "{pattern:?} has no named groups; use (?P<agent>...) etc. ({})",
                known.join(", ")
            )));
        }
        if let Some(unknown) = names.iter().find(|n| !known.contains(n)) {
            return Err(MetaError::Pattern(format!(
                "unknown group {unknown:?} (known: {})",
                known.join(", ")
            )));
        }
        Ok(NamePattern(re))
    }

    /// Metadata from the file's name (without extension); `None` when it does not match.
    pub fn meta(&self, path: &Path) -> Option<CallMeta> {
        let stem = path.file_stem()?.to_str()?;
        let caps = self.0.captures(stem)?;
        let get = |n: &str| {
            caps.name(n)
                .map(|m| m.as_str().to_string())
                .filter(|s| !s.is_empty())
        };
        // A start the name gets wrong is left out (the file's time is used), not stored.
        let started_at = get("started_at").and_then(|s| match check_started_at(&s, now_s()) {
            Ok(s) => Some(s),
            Err(e) => {
                log::warn!(
                    "{}: {}; using the file's time",
                    crate::analysis::pii::display_path(path),
                    crate::analysis::pii::display_message(&e)
                );
                None
            }
        });
        Some(CallMeta {
            external_id: get("call_id"),
            agent_id: get("agent"),
            customer_id: get("customer"),
            started_at,
            queue: get("queue"),
            direction: get("direction"),
            language: get("language").map(|l| l.to_ascii_lowercase()),
            ..CallMeta::default()
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn timestamps_in_the_forms_telephony_exports_use() {
        use super::parse_timestamp as ts;
        assert_eq!(ts("1970-01-01"), Some(0));
        assert_eq!(ts("2000-02-29T00:00:00Z"), Some(951_782_400));
        assert_eq!(ts("2026-11-22T23:05:09Z"), Some(1_795_388_709));
        assert_eq!(ts("2026-11-22 23:05:09"), Some(1_795_388_709));
        assert_eq!(ts("2026-11-22T23:05:09.250Z"), Some(1_795_388_709));
        assert_eq!(ts("2026-11-22T23:05"), Some(1_795_388_700));
        assert_eq!(ts("2026-11-23T01:05:09+02:00"), Some(1_795_388_709));
        assert_eq!(ts("2026-11-22T18:05:09-0500"), Some(1_795_388_709));
        assert_eq!(ts("2025-02-19T06-01-22"), ts("2025-02-19T06:01:22"));
        for bad in [
            "",
            "yesterday",
            "2026-13-01",
            "2026-11-22T25:00",
            "2026-11-22Tnoon",
            "2026-11-22T10:00+x",
        ] {
            assert_eq!(ts(bad), None, "{bad}");
        }
    }

    use super::*;

    #[test]
    fn csv_quotes_commas_and_line_breaks() {
        let text = "a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\n2,\"two\nlines\",\n\n";
        let r = parse_csv(text).unwrap();
        assert_eq!(r.len(), 3);
        assert_eq!(r[1].1, ["1", "x, y", "say \"hi\""]);
        assert_eq!(
            r[2],
            (3, vec!["2".to_string(), "two\nlines".into(), String::new()])
        );
        assert!(parse_csv("a\n\"open").is_err());
        assert!(parse_csv("").unwrap().is_empty());
    }

    #[test]
    fn manifest_rows_resolve_relative_files_and_report_missing_ones() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("audio")).unwrap();
        std::fs::write(dir.path().join("audio/a.wav"), b"x").unwrap();
        let manifest = dir.path().join("calls.csv");
        std::fs::write(
            &manifest,
            "call_id,file,agent_id,customer_id,started_at,queue,direction,agent_channel,campaign,language\n\
             T-1,audio/a.wav,ChrisL,C42,2025-02-19T06-01-22,billing,inbound,right,spring,HE\n\
             T-2,audio/gone.wav,ChrisL,C43,,billing,inbound,,,\n",
        )
        .unwrap();
        let m = read_manifest(&manifest).unwrap();
        assert_eq!(m.entries.len(), 1);
        let (path, meta) = &m.entries[0];
        assert_eq!(path, &dir.path().join("audio/a.wav"));
        assert_eq!(meta.agent_id.as_deref(), Some("ChrisL"));
        assert_eq!(meta.external_id.as_deref(), Some("T-1"));
        assert_eq!(meta.started_at.as_deref(), Some("2025-02-19T06:01:22"));
        assert_eq!(meta.agent_channel, Some(1));
        assert_eq!(meta.language.as_deref(), Some("he"));
        assert!(!meta.extra.contains_key("language"));
        assert_eq!(
            meta.extra.get("campaign").map(String::as_str),
            Some("spring")
        );
        assert_eq!(m.missing.len(), 1);
        assert!(m.missing[0].1.contains("line 3"), "{:?}", m.missing);

        std::fs::write(&manifest, "name,agent\nx,y\n").unwrap();
        assert!(matches!(
            read_manifest(&manifest),
            Err(MetaError::NoFileColumn { .. })
        ));
    }

    #[test]
    fn csv_lines_count_blank_lines_and_an_open_quote_names_its_line() {
        let r = parse_csv("\u{feff}h1,h2\r\n\r\n\nx,\"a\r\nb\"\r\ny,2").unwrap();
        let lines: Vec<usize> = r.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [1, 4, 6]);
        assert_eq!(r[0].1, ["h1", "h2"]);
        assert_eq!(r[1].1, ["x", "a\r\nb"]);
        assert_eq!(
            parse_csv("a\nb\n\"c,d\ne\n"),
            Err((3, "a quoted field is never closed".into()))
        );
        // A field that merely contains the sentinel's words is data.
        assert_eq!(parse_csv("callqa-end-of-input\n").unwrap().len(), 1);
    }

    #[test]
    fn a_bad_manifest_row_is_that_rows_failure_and_the_others_go_on() {
        let dir = tempfile::tempdir().unwrap();
        for f in ["a.wav", "b.wav", "c.wav", "d.wav", "e.wav"] {
            std::fs::write(dir.path().join(f), b"x").unwrap();
        }
        let manifest = dir.path().join("calls.csv");
        std::fs::write(
            &manifest,
            "call_id,file,agent_id,started_at,agent_channel\n\
             T-1,,A1,2026-11-01T10:00:00Z,\n\
             T-2,a.wav,A1,2026-11-01T10:00:00Z,rigth\n\
             T-3,b.wav,A1,next tuesday,\n\
             T-4,c.wav,A1,2205-11-01T10:00:00Z,\n\
             T-5,d.wav,A1,2026-11-01T10:00:00Z,right\n\
             T-6,e.wav,A1,2026-12-02T20:00:00+02:00,\n",
        )
        .unwrap();
        let now = parse_timestamp("2026-12-02T00:00:00Z").unwrap();
        let m = read_manifest_at(&manifest, now).unwrap();
        let good: Vec<_> = m.entries.iter().map(|(p, _)| p.clone()).collect();
        assert_eq!(good, [dir.path().join("d.wav"), dir.path().join("e.wav")]);
        assert_eq!(m.entries[0].1.agent_channel, Some(1));
        let failed: Vec<(String, &str)> = m
            .missing
            .iter()
            .map(|(p, r)| (p.display().to_string(), r.as_str()))
            .collect();
        assert_eq!(failed.len(), 4, "{failed:#?}");
        let name = manifest.display().to_string();
        assert_eq!(failed[0].0, format!("{name}:2"));
        for ((path, reason), (file, line, says)) in failed.iter().zip([
            ("", 2, "names no `file`"),
            ("a.wav", 3, "agent_channel"),
            ("b.wav", 4, "\"next tuesday\" is not a time"),
            ("c.wav", 5, "ahead of now"),
        ]) {
            assert!(path.ends_with(file), "{path}");
            assert!(
                reason.contains(&format!("manifest {name}, line {line}: ")),
                "{reason}"
            );
            assert!(reason.contains(says), "{reason}");
        }
    }

    #[test]
    fn names_carry_metadata() {
        let p = NamePattern::new(
            r"^Auto\d+_(?P<call_id>[^_]+)_\d+_AGENT_(?P<agent>[^_]+)_DT_(?P<started_at>[0-9T-]+)$",
        )
        .unwrap();
        let m = p
            .meta(Path::new(
                "night/Auto0_GUID_000_AGENT_ChrisL_DT_2025-02-19T06-01-22.wav",
            ))
            .unwrap();
        assert_eq!(m.agent_id.as_deref(), Some("ChrisL"));
        assert_eq!(m.external_id.as_deref(), Some("GUID"));
        assert_eq!(m.started_at.as_deref(), Some("2025-02-19T06:01:22"));
        assert!(p.meta(Path::new("other.wav")).is_none());
        assert!(NamePattern::new("(?P<agnt>x)").is_err());
        assert!(NamePattern::new("plain").is_err());
        assert!(NamePattern::new("(").is_err());
    }
}
