//! SQLite storage: schema, forward-only migrations (`PRAGMA user_version`), one transaction per
//! call so a crash never leaves half a call behind.

use crate::transcript::{RoleSource, Speaker, Transcript, Utterance, Word};
use rusqlite::{params, Connection, OptionalExtension};
use std::path::Path;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database {path}: {source}")]
    Open {
        path: String,
        source: rusqlite::Error,
    },
    #[error("database {path} has schema version {found}, newer than this callqa understands ({known}); upgrade callqa")]
    TooNew {
        path: String,
        found: i64,
        known: i64,
    },
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

/// Each entry upgrades the schema from version `index` to `index + 1`. Never edit a shipped
/// entry: add a new one.
const MIGRATIONS: &[&str] = &[r#"
CREATE TABLE calls (
    call_id       TEXT PRIMARY KEY,          -- sha256 of the audio file's bytes
    path          TEXT NOT NULL,             -- where it was last seen
    codec         TEXT NOT NULL,
    sample_rate   INTEGER NOT NULL,
    channels      INTEGER NOT NULL,
    duration_s    REAL NOT NULL,
    roles         TEXT NOT NULL CHECK (roles IN ('mapped', 'inferred')),
    language      TEXT NOT NULL,
    model         TEXT NOT NULL,
    warnings      TEXT NOT NULL DEFAULT '[]', -- JSON array of strings
    transcribed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE TABLE utterances (
    call_id        TEXT NOT NULL REFERENCES calls(call_id) ON DELETE CASCADE,
    idx            INTEGER NOT NULL,
    speaker        TEXT NOT NULL CHECK (speaker IN ('agent', 'customer')),
    channel        INTEGER NOT NULL,
    start_s        REAL NOT NULL,
    end_s          REAL NOT NULL,
    text           TEXT NOT NULL,
    words          TEXT NOT NULL,              -- JSON [{text, start, end, probability}]
    avg_logprob    REAL NOT NULL,
    no_speech_prob REAL NOT NULL,
    PRIMARY KEY (call_id, idx)
);
CREATE INDEX utterances_by_speaker ON utterances(call_id, speaker);
CREATE TABLE runs (
    run_id       INTEGER PRIMARY KEY,
    started_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    finished_at  TEXT,
    arguments    TEXT NOT NULL,
    calls_done   INTEGER NOT NULL DEFAULT 0,
    calls_skipped INTEGER NOT NULL DEFAULT 0,
    calls_failed INTEGER NOT NULL DEFAULT 0,
    status       TEXT NOT NULL DEFAULT 'running'
);
CREATE TABLE file_errors (
    run_id   INTEGER NOT NULL REFERENCES runs(run_id),
    path     TEXT NOT NULL,
    error    TEXT NOT NULL,
    at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
"#];

pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub struct Store {
    conn: Connection,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunCounts {
    pub done: usize,
    pub skipped: usize,
    pub failed: usize,
}

impl Store {
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let open_err = |source| StoreError::Open {
            path: path.display().to_string(),
            source,
        };
        let conn = Connection::open(path).map_err(open_err)?;
        // A second writer waits for the lock rather than failing or corrupting.
        conn.busy_timeout(Duration::from_secs(60))
            .map_err(open_err)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(open_err)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(open_err)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(open_err)?;
        let mut store = Store { conn };
        store.migrate(path)?;
        Ok(store)
    }

    pub fn open_in_memory() -> Result<Store, StoreError> {
        let conn = Connection::open_in_memory()?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let mut store = Store { conn };
        store.migrate(Path::new(":memory:"))?;
        Ok(store)
    }

    fn migrate(&mut self, path: &Path) -> Result<(), StoreError> {
        let version: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                path: path.display().to_string(),
                found: version,
                known: SCHEMA_VERSION,
            });
        }
        for (index, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            let tx = self.conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", index as i64 + 1)?;
            tx.commit()?;
        }
        Ok(())
    }

    pub fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    pub fn has_call(&self, call_id: &str) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT 1 FROM calls WHERE call_id = ?1", [call_id], |_| {
                Ok(())
            })
            .optional()?
            .is_some())
    }

    /// Records where an already-stored call's audio now lives (same bytes, new path).
    pub fn touch_path(&self, call_id: &str, path: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE calls SET path = ?2 WHERE call_id = ?1",
            params![call_id, path],
        )?;
        Ok(())
    }

    /// Replaces the call and all its utterances in one transaction.
    pub fn save_transcript(&mut self, t: &Transcript) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM calls WHERE call_id = ?1", [&t.call_id])?;
        let warnings =
            serde_json::to_string(&t.warnings).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        tx.execute(
            "INSERT INTO calls (call_id, path, codec, sample_rate, channels, duration_s, roles, language, model, warnings)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                t.call_id,
                t.source.path,
                t.source.codec,
                t.source.sample_rate,
                t.source.channels as i64,
                t.source.duration_s,
                t.roles.as_str(),
                t.language,
                t.model,
                warnings
            ],
        )?;
        {
            let mut insert = tx.prepare(
                "INSERT INTO utterances (call_id, idx, speaker, channel, start_s, end_s, text, words, avg_logprob, no_speech_prob)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?;
            for (idx, u) in t.utterances.iter().enumerate() {
                let words = serde_json::to_string(&u.words)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                insert.execute(params![
                    t.call_id,
                    idx as i64,
                    u.speaker.as_str(),
                    u.channel as i64,
                    u.start,
                    u.end,
                    u.text,
                    words,
                    f64::from(u.avg_logprob),
                    f64::from(u.no_speech_prob),
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    pub fn load_transcript(&self, call_id: &str) -> Result<Option<Transcript>, StoreError> {
        let call = self
            .conn
            .query_row(
                "SELECT path, codec, sample_rate, channels, duration_s, roles, language, model, warnings
                 FROM calls WHERE call_id = ?1",
                [call_id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, u32>(2)?,
                        r.get::<_, i64>(3)?,
                        r.get::<_, f64>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, String>(6)?,
                        r.get::<_, String>(7)?,
                        r.get::<_, String>(8)?,
                    ))
                },
            )
            .optional()?;
        let Some((
            path,
            codec,
            sample_rate,
            channels,
            duration_s,
            roles,
            language,
            model,
            warnings,
        )) = call
        else {
            return Ok(None);
        };
        let mut stmt = self.conn.prepare(
            "SELECT speaker, channel, start_s, end_s, text, words, avg_logprob, no_speech_prob
             FROM utterances WHERE call_id = ?1 ORDER BY idx",
        )?;
        let rows = stmt.query_map([call_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, f64>(2)?,
                r.get::<_, f64>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, f64>(6)?,
                r.get::<_, f64>(7)?,
            ))
        })?;
        let mut utterances = Vec::new();
        for row in rows {
            let (speaker, channel, start, end, text, words, avg_logprob, no_speech_prob) = row?;
            let speaker: Speaker = speaker.parse().map_err(StoreError::Corrupt)?;
            let words: Vec<Word> =
                serde_json::from_str(&words).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            utterances.push(Utterance {
                speaker,
                channel: channel.max(0) as usize,
                start,
                end,
                text,
                words,
                avg_logprob: avg_logprob as f32,
                no_speech_prob: no_speech_prob as f32,
            });
        }
        Ok(Some(Transcript {
            call_id: call_id.to_string(),
            source: crate::transcript::SourceAudio {
                path,
                codec,
                sample_rate,
                channels: channels.max(0) as usize,
                duration_s,
            },
            roles: if roles == "inferred" {
                RoleSource::Inferred
            } else {
                RoleSource::Mapped
            },
            language,
            model,
            utterances,
            warnings: serde_json::from_str(&warnings).unwrap_or_default(),
        }))
    }

    pub fn call_ids(&self) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.conn.prepare("SELECT call_id FROM calls")?;
        let ids = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(ids)
    }

    pub fn call_count(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM calls", [], |r| r.get(0))?)
    }

    pub fn begin_run(&self, arguments: &str) -> Result<i64, StoreError> {
        self.conn
            .execute("INSERT INTO runs (arguments) VALUES (?1)", [arguments])?;
        Ok(self.conn.last_insert_rowid())
    }

    pub fn record_file_error(
        &self,
        run_id: i64,
        path: &str,
        error: &str,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO file_errors (run_id, path, error) VALUES (?1, ?2, ?3)",
            params![run_id, path, error],
        )?;
        Ok(())
    }

    pub fn finish_run(
        &self,
        run_id: i64,
        counts: RunCounts,
        status: &str,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE runs SET finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
                 calls_done = ?2, calls_skipped = ?3, calls_failed = ?4, status = ?5
             WHERE run_id = ?1",
            params![
                run_id,
                counts.done as i64,
                counts.skipped as i64,
                counts.failed as i64,
                status
            ],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::SourceAudio;

    fn transcript(id: &str) -> Transcript {
        Transcript {
            call_id: id.into(),
            source: SourceAudio {
                path: "calls/ä b.wav".into(),
                codec: "pcm_mulaw".into(),
                sample_rate: 8000,
                channels: 2,
                duration_s: 42.5,
            },
            roles: RoleSource::Mapped,
            language: "en".into(),
            model: "tiny.en".into(),
            utterances: vec![Utterance {
                speaker: Speaker::Customer,
                channel: 1,
                start: 1.25,
                end: 3.5,
                text: "My bill is wrong.".into(),
                words: vec![Word {
                    text: "My".into(),
                    start: 1.25,
                    end: 1.4,
                    probability: 0.9,
                }],
                avg_logprob: -0.25,
                no_speech_prob: 0.01,
            }],
            warnings: vec!["file is truncated".into()],
        }
    }

    #[test]
    fn transcript_round_trips_and_resave_replaces() {
        let mut store = Store::open_in_memory().unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        let t = transcript("abc");
        store.save_transcript(&t).unwrap();
        store.save_transcript(&t).unwrap();
        assert_eq!(store.call_count().unwrap(), 1);
        assert_eq!(store.load_transcript("abc").unwrap().unwrap(), t);
        assert!(store.load_transcript("nope").unwrap().is_none());
    }

    #[test]
    fn reopening_a_file_database_keeps_data_and_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("q.db");
        {
            let mut store = Store::open(&path).unwrap();
            store.save_transcript(&transcript("x")).unwrap();
        }
        let store = Store::open(&path).unwrap();
        assert!(store.has_call("x").unwrap());
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    }

    #[test]
    fn newer_schema_is_refused_not_touched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("future.db");
        {
            let conn = Connection::open(&path).unwrap();
            conn.pragma_update(None, "user_version", 99).unwrap();
        }
        let err = Store::open(&path).err().unwrap();
        assert!(err.to_string().contains("newer"), "{err}");
    }
}
