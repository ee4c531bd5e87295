//! Merging a shard's database into the main one: every call whole (transcript, metrics, flags,
//! rubric results with their history), idempotently — a call already merged, or present in two
//! shards, appears once; the newest transcription of a call wins.

use super::{Store, StoreError};
use rusqlite::params;
use std::path::Path;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MergeCounts {
    /// Calls copied in (new, or transcribed more recently than the stored copy).
    pub merged: usize,
    /// Calls already present as recent or newer.
    pub unchanged: usize,
    /// Failed-file records brought over.
    pub file_errors: usize,
}

impl Store {
    /// The first run that wrote personal data unredacted into this database, as (run id,
    /// arguments): a `score --keep-pii`, or a `merge --allow-pii` that let such a shard in. Runs
    /// record their arguments, and a call stored unredacted stays so until re-transcribed, so
    /// one such run marks the database for good.
    pub fn unredacted_run(&self) -> Result<Option<(i64, String)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT run_id, arguments FROM runs ORDER BY run_id")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let arguments: String = row.get(1)?;
            if arguments
                .split_whitespace()
                .any(|a| a == "--keep-pii" || a == "--allow-pii")
            {
                return Ok(Some((row.get(0)?, arguments)));
            }
        }
        Ok(None)
    }

    /// Merges the database at `shard` into this one in one transaction: all of the shard or none
    /// of it. Failed-file records are filed under `run_id` (the merge's own run).
    pub fn merge_from(&mut self, shard: &Path, run_id: i64) -> Result<MergeCounts, StoreError> {
        // Opening it checks it is a callqa database and brings it to this schema version, so
        // the two have the same tables and columns in the same order.
        drop(Store::open(shard)?);
        let shard_name = shard.display().to_string();
        self.conn
            .execute("ATTACH DATABASE ?1 AS shard", [&shard_name])
            .map_err(|source| StoreError::Open {
                path: shard_name.clone(),
                source,
            })?;
        let result = self.merge_attached(run_id);
        let detached = self.conn.execute("DETACH DATABASE shard", []);
        let counts = result?;
        detached?;
        Ok(counts)
    }

    fn merge_attached(&mut self, run_id: i64) -> Result<MergeCounts, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut counts = MergeCounts::default();
        tx.execute(
            "INSERT OR IGNORE INTO main.rubrics SELECT * FROM shard.rubrics",
            [],
        )?;
        let mut take: Vec<String> = Vec::new();
        {
            let mut stmt = tx.prepare(
                "SELECT s.call_id, m.call_id IS NOT NULL AND m.transcribed_at >= s.transcribed_at
                 FROM shard.calls s LEFT JOIN main.calls m ON m.call_id = s.call_id
                 ORDER BY s.call_id",
            )?;
            for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?)))? {
                let (id, current) = row?;
                if current {
                    counts.unchanged += 1;
                } else {
                    take.push(id);
                }
            }
        }
        for id in &take {
            // The older copy goes whole (its utterances, metrics, flags and results cascade).
            tx.execute("DELETE FROM main.calls WHERE call_id = ?1", [id])?;
            for table in ["calls", "utterances", "call_metrics", "flags"] {
                tx.execute(
                    &format!(
                        "INSERT INTO main.{table} SELECT * FROM shard.{table} WHERE call_id = ?1"
                    ),
                    [id],
                )?;
            }
            let results: Vec<i64> = tx
                .prepare("SELECT result_id FROM shard.rubric_results WHERE call_id = ?1 ORDER BY result_id")?
                .query_map([id], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            for old in results {
                // Result ids are each database's own: renumbered, criteria follow them.
                tx.execute(
                    "INSERT INTO main.rubric_results (call_id, rubric_id, rubric_version, rubric_hash, score,
                         critical_failed, sections, scored_at)
                     SELECT call_id, rubric_id, rubric_version, rubric_hash, score, critical_failed,
                         sections, scored_at
                     FROM shard.rubric_results WHERE result_id = ?1",
                    [old],
                )?;
                let new = tx.last_insert_rowid();
                tx.execute(
                    "INSERT INTO main.criterion_results (result_id, criterion_id, section_id, title, result,
                         points, max_points, critical, evidence, coach)
                     SELECT ?2, criterion_id, section_id, title, result, points, max_points, critical,
                         evidence, coach
                     FROM shard.criterion_results WHERE result_id = ?1",
                    params![old, new],
                )?;
            }
            counts.merged += 1;
        }
        counts.file_errors = tx.execute(
            "INSERT INTO main.file_errors (run_id, path, error, at, call_id)
             SELECT ?1, e.path, e.error, e.at, e.call_id FROM shard.file_errors e
             WHERE NOT EXISTS (SELECT 1 FROM main.file_errors m
                               WHERE m.path = e.path AND m.error = e.error AND m.at = e.at)",
            [run_id],
        )?;
        tx.commit()?;
        Ok(counts)
    }
}
