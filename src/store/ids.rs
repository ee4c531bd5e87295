//! The ids people know a call by. callqa keys a call by the sha256 of its audio (`call_id` in
//! the tables, `audio_hash` in exports); the contact center knows it by its own id (the
//! manifest's or file-name pattern's `call_id`, `calls.external_id`). What a person sees is the
//! user's id when given, else the hash; what a person types may be either, a stored path, or a
//! unique hash prefix.

use super::{Store, StoreError};
use crate::transcript::meta::Day;
use rusqlite::{params, OptionalExtension};

/// Shortest hash prefix accepted for a call.
pub const MIN_PREFIX: usize = 4;

#[derive(Debug, thiserror::Error)]
pub enum CallLookupError {
    #[error("no stored call matches {0:?} (give your call id, the audio hash or a prefix of at least 4 of its hex digits, or the audio file's path)")]
    NotFound(String),
    #[error("{key:?} matches {} calls ({}); give more of the audio hash", .matches.len(), .matches.join(", "))]
    Ambiguous { key: String, matches: Vec<String> },
    #[error("{0}")]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for CallLookupError {
    fn from(e: rusqlite::Error) -> Self {
        CallLookupError::Store(e.into())
    }
}

/// A failed file's latest error, as exports list it.
#[derive(Debug, Clone, PartialEq)]
pub struct FailedFile {
    pub path: String,
    pub error: String,
    pub at: String,
    /// The user's call id, when the file's manifest row or name gave one.
    pub call_id: Option<String>,
}

/// A file name for a call's review page: the user's id when it is a plain name (letters,
/// digits, `.`, `_`, `-`, not starting with a dot, at most 100 characters), else `call-` and the
/// first 16 hex digits of the audio hash. Same inputs, same name: reports link to pages by it.
pub fn page_name(id: &str, audio_hash: &str) -> String {
    let plain = !id.is_empty()
        && id.len() <= 100
        && !id.starts_with('.')
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if plain {
        format!("{id}.html")
    } else {
        let hex: String = audio_hash.chars().take(16).collect();
        format!("call-{hex}.html")
    }
}

impl Store {
    /// The stored call a person means by `key`, tried in this order: the audio hash, the
    /// user's own call id, the stored path (as given), a unique hash prefix of at least
    /// [`MIN_PREFIX`] hex digits. A user's id or a prefix naming two calls is ambiguous.
    pub fn lookup_call(&self, key: &str) -> Result<String, CallLookupError> {
        let exact: Option<String> = self
            .conn
            .query_row("SELECT call_id FROM calls WHERE call_id = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?;
        if let Some(id) = exact {
            return Ok(id);
        }
        let mut stmt = self.conn.prepare(
            "SELECT call_id FROM calls WHERE external_id = ?1 ORDER BY call_id LIMIT 10",
        )?;
        let by_user: Vec<String> = stmt
            .query_map([key], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        match by_user.len() {
            0 => {}
            1 => return Ok(by_user.into_iter().next().unwrap_or_default()),
            _ => {
                return Err(CallLookupError::Ambiguous {
                    key: key.to_string(),
                    matches: by_user,
                })
            }
        }
        // Paths are stored with their personal data redacted: the path as given finds it.
        let by_path: Option<String> = self
            .conn
            .query_row(
                "SELECT call_id FROM calls WHERE path = ?1 ORDER BY call_id LIMIT 1",
                [crate::analysis::pii::redact_field(key, "")],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(id) = by_path {
            return Ok(id);
        }
        let hex = key.to_ascii_lowercase();
        if hex.len() >= MIN_PREFIX && hex.chars().all(|c| c.is_ascii_hexdigit()) {
            let mut stmt = self.conn.prepare(
                "SELECT call_id FROM calls WHERE substr(call_id, 1, length(?1)) = ?1
                 ORDER BY call_id LIMIT 10",
            )?;
            let ids: Vec<String> = stmt
                .query_map([&hex], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            match ids.len() {
                0 => {}
                1 => return Ok(ids.into_iter().next().unwrap_or_default()),
                _ => {
                    return Err(CallLookupError::Ambiguous {
                        key: key.to_string(),
                        matches: ids,
                    })
                }
            }
        }
        Err(CallLookupError::NotFound(key.to_string()))
    }

    /// The id people see for a stored call (its user id, else the hash); `None` when no call
    /// has this hash.
    pub fn display_id(&self, audio_hash: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT coalesce(external_id, call_id) FROM calls WHERE call_id = ?1",
                [audio_hash],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Every call's user id, by audio hash (calls without one are left out). Tests only:
    /// reports read each call's id with the rest of its row.
    #[cfg(test)]
    pub fn external_ids(&self) -> Result<std::collections::HashMap<String, String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT call_id, external_id FROM calls WHERE external_id IS NOT NULL")?;
        let map = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        Ok(map)
    }

    /// Records a file that failed, with the user's call id when its manifest row or name gave
    /// one. Personal data in the path and message is redacted as in [`Store::record_file_error`].
    pub fn record_file_error_of(
        &self,
        run_id: i64,
        path: &str,
        error: &str,
        call_id: Option<&str>,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO file_errors (run_id, path, error, call_id) VALUES (?1, ?2, ?3, ?4)",
            params![
                run_id,
                crate::analysis::pii::redact_field(path, ""),
                crate::analysis::pii::redact_field(error, ""),
                call_id
            ],
        )?;
        Ok(())
    }

    /// [`Store::failed_files`] with each file's user call id.
    pub fn failed_files_with_ids(
        &self,
        from: Option<Day>,
        to: Option<Day>,
    ) -> Result<Vec<FailedFile>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT e.path, e.error, e.at, e.call_id FROM file_errors e
             WHERE e.rowid = (SELECT max(e2.rowid) FROM file_errors e2 WHERE e2.path = e.path)
               AND NOT EXISTS (SELECT 1 FROM calls c WHERE c.path = e.path)
               AND (?1 IS NULL OR substr(e.at, 1, 10) >= ?1)
               AND (?2 IS NULL OR substr(e.at, 1, 10) <= ?2)
             ORDER BY e.at, e.path",
        )?;
        let rows = stmt
            .query_map(params![from, to], |r| {
                Ok(FailedFile {
                    path: r.get(0)?,
                    error: r.get(1)?,
                    at: r.get(2)?,
                    call_id: r.get(3)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }
}

/// A stored coaching report as `report list` shows it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ReportListing {
    pub report_id: i64,
    pub created_at: String,
    pub scope: String,
    pub agent_id: Option<String>,
    pub period_from: String,
    pub period_to: String,
    pub format: String,
}

impl Store {
    /// Stored coaching reports, newest first; only one agent's with `agent`.
    pub fn report_listing(&self, agent: Option<&str>) -> Result<Vec<ReportListing>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT report_id, created_at, scope, agent_id, period_from, period_to, format
             FROM coaching_reports WHERE ?1 IS NULL OR agent_id = ?1 ORDER BY report_id DESC",
        )?;
        let rows = stmt
            .query_map([agent], |r| {
                Ok(ReportListing {
                    report_id: r.get(0)?,
                    created_at: r.get(1)?,
                    scope: r.get(2)?,
                    agent_id: r.get(3)?,
                    period_from: r.get(4)?,
                    period_to: r.get(5)?,
                    format: r.get(6)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// A stored report: its listing, the figures (JSON) and the text as rendered then.
    pub fn stored_report(
        &self,
        report_id: i64,
    ) -> Result<Option<(ReportListing, serde_json::Value, String)>, StoreError> {
        let row = self
            .conn
            .query_row(
                "SELECT report_id, created_at, scope, agent_id, period_from, period_to, format,
                        data, body
                 FROM coaching_reports WHERE report_id = ?1",
                [report_id],
                |r| {
                    Ok((
                        ReportListing {
                            report_id: r.get(0)?,
                            created_at: r.get(1)?,
                            scope: r.get(2)?,
                            agent_id: r.get(3)?,
                            period_from: r.get(4)?,
                            period_to: r.get(5)?,
                            format: r.get(6)?,
                        },
                        r.get::<_, String>(7)?,
                        r.get::<_, String>(8)?,
                    ))
                },
            )
            .optional()?;
        match row {
            None => Ok(None),
            Some((listing, data, body)) => Ok(Some((listing, super::from_json(&data)?, body))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::MIGRATIONS;
    use super::*;
    use rusqlite::Connection;

    fn add_call(store: &Store, hash: &str, path: &str, external: Option<&str>) {
        store
            .conn
            .execute(
                "INSERT INTO calls (call_id, path, codec, sample_rate, channels, duration_s, roles,
                                    language, model, external_id)
                 VALUES (?1, ?2, 'pcm', 8000, 2, 10.0, 'mapped', 'en', 'tiny', ?3)",
                params![hash, path, external],
            )
            .unwrap();
    }

    #[test]
    fn a_call_is_found_by_hash_user_id_path_or_prefix() {
        let store = Store::open_in_memory().unwrap();
        add_call(&store, "abcd1111", "calls/a.wav", Some("T-1"));
        add_call(&store, "abcd2222", "calls/b.wav", Some("T-2"));
        add_call(&store, "ffff0000", "calls/c.wav", None);
        // A user id that looks like another call's hash prefix is still the user's id.
        add_call(&store, "eeee0000", "calls/d.wav", Some("ffff"));
        assert_eq!(store.lookup_call("abcd1111").unwrap(), "abcd1111");
        assert_eq!(store.lookup_call("T-2").unwrap(), "abcd2222");
        assert_eq!(store.lookup_call("calls/c.wav").unwrap(), "ffff0000");
        assert_eq!(store.lookup_call("ABCD2").unwrap(), "abcd2222");
        assert_eq!(store.lookup_call("ffff").unwrap(), "eeee0000");
        assert!(matches!(
            store.lookup_call("abcd"),
            Err(CallLookupError::Ambiguous { matches, .. }) if matches.len() == 2
        ));
        assert!(matches!(
            store.lookup_call("abc"),
            Err(CallLookupError::NotFound(_))
        ));
        assert!(matches!(
            store.lookup_call("T-9"),
            Err(CallLookupError::NotFound(_))
        ));
        // Two audio files under one user id: said, not guessed.
        add_call(&store, "9999", "calls/e.wav", Some("T-1"));
        let err = store.lookup_call("T-1").unwrap_err();
        assert!(err.to_string().contains("2 calls"), "{err}");
        assert_eq!(store.find_call("T-1").unwrap(), None);
        assert_eq!(store.find_call("T-2").unwrap().as_deref(), Some("abcd2222"));
        assert_eq!(
            store.display_id("ffff0000").unwrap().as_deref(),
            Some("ffff0000")
        );
        assert_eq!(
            store.display_id("abcd2222").unwrap().as_deref(),
            Some("T-2")
        );
        assert_eq!(store.external_ids().unwrap().len(), 4);
    }

    #[test]
    fn page_names_are_plain_file_names() {
        assert_eq!(page_name("T-1", "ab"), "T-1.html");
        assert_eq!(
            page_name("../etc/x", "0123456789abcdef99"),
            "call-0123456789abcdef.html"
        );
        assert_eq!(page_name(".hidden", "00"), "call-00.html");
        assert_eq!(page_name("a b", "11"), "call-11.html");
    }

    /// Databases of every earlier version move the user's id (kept then only as
    /// metadata.external_call_id) into `external_id`, and failed files gain their id column.
    #[test]
    fn user_ids_migrate_from_every_earlier_version() {
        for from in 0..super::super::SCHEMA_VERSION {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("old.db");
            {
                let mut conn = Connection::open(&path).unwrap();
                for (i, sql) in MIGRATIONS.iter().enumerate().take(from as usize) {
                    let tx = conn.transaction().unwrap();
                    tx.execute_batch(sql).unwrap();
                    tx.pragma_update(None, "user_version", i as i64 + 1)
                        .unwrap();
                    tx.commit().unwrap();
                }
                if from >= 1 {
                    conn.execute(
                        "INSERT INTO calls (call_id, path, codec, sample_rate, channels, duration_s, roles, language, model)
                         VALUES ('h1', 'a.wav', 'pcm', 8000, 2, 10.0, 'mapped', 'en', 'tiny'),
                                ('h2', 'b.wav', 'pcm', 8000, 2, 10.0, 'mapped', 'en', 'tiny')",
                        [],
                    )
                    .unwrap();
                    conn.execute("INSERT INTO runs (arguments) VALUES ('score')", [])
                        .unwrap();
                    conn.execute(
                        "INSERT INTO file_errors (run_id, path, error) VALUES (1, 'bad.wav', 'no audio')",
                        [],
                    )
                    .unwrap();
                }
                if from >= 3 {
                    conn.execute(
                        "UPDATE calls SET metadata = '{\"external_call_id\": \"T-7\", \"site\": \"x\"}'
                         WHERE call_id = 'h1'",
                        [],
                    )
                    .unwrap();
                    // Not JSON (hand-edited): left without a user id, not an error.
                    conn.execute(
                        "UPDATE calls SET metadata = 'junk' WHERE call_id = 'h2'",
                        [],
                    )
                    .unwrap();
                }
            }
            let store = Store::open(&path).unwrap();
            if from >= 1 {
                let want = if from >= 3 { "T-7" } else { "h1" };
                assert_eq!(
                    store.display_id("h1").unwrap().as_deref(),
                    Some(want),
                    "v{from}"
                );
                assert_eq!(
                    store.display_id("h2").unwrap().as_deref(),
                    Some("h2"),
                    "v{from}"
                );
                assert_eq!(store.lookup_call(want).unwrap(), "h1", "v{from}");
                let failed = store.failed_files_with_ids(None, None).unwrap();
                assert_eq!(failed.len(), 1, "v{from}");
                assert_eq!(failed[0].call_id, None, "v{from}");
            }
        }
    }
}
