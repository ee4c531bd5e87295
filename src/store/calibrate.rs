//! What `callqa calibrate` reads (every call's identities, the stored rubric texts) and where
//! each calibration run is kept (`calibrations`).

use super::{Store, StoreError};
use rusqlite::params;

/// The identities a labels file may name a call by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelledCall {
    /// sha256 of the audio.
    pub call_id: String,
    /// Where the audio was last seen.
    pub path: String,
    /// The user's own id (manifest `call_id` or the name pattern's), when one was given.
    pub external_id: Option<String>,
}

/// A rubric text as stored with the results it produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRubric {
    pub rubric_id: String,
    pub hash: String,
    pub path: String,
    pub source: String,
    /// The version behind the newest stored result of this rubric.
    pub newest: bool,
}

/// One stored calibration run.
#[derive(Debug, Clone, PartialEq)]
pub struct CalibrationRow {
    pub calibration_id: i64,
    pub created_at: String,
    pub labels_file: String,
    pub n: i64,
    pub agreement: Option<f64>,
    pub kappa: Option<f64>,
    pub result: serde_json::Value,
}

impl Store {
    /// Every stored call with the ids a person may know it by.
    pub fn labelled_call_keys(&self) -> Result<Vec<LabelledCall>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT call_id, path, json_extract(metadata, '$.external_call_id') FROM calls
             ORDER BY call_id",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok(LabelledCall {
                    call_id: r.get(0)?,
                    path: r.get(1)?,
                    // A manifest id is stored as a string; anything else is not one.
                    external_id: r.get::<_, Option<String>>(2).ok().flatten(),
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// Every rubric text stored, oldest first, marking the version of each rubric id that its
    /// newest result was scored with.
    pub fn stored_rubrics(&self) -> Result<Vec<StoredRubric>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT k.rubric_id, k.rubric_hash, k.path, k.source,
                    k.rubric_hash = (SELECT r.rubric_hash FROM rubric_results r
                                     WHERE r.rubric_id = k.rubric_id
                                     ORDER BY r.result_id DESC LIMIT 1)
             FROM rubrics k ORDER BY k.first_used, k.rubric_id",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok(StoredRubric {
                    rubric_id: r.get(0)?,
                    hash: r.get(1)?,
                    path: r.get(2)?,
                    source: r.get(3)?,
                    newest: r.get::<_, Option<bool>>(4)?.unwrap_or(false),
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// Keeps one calibration run; returns its id.
    pub fn save_calibration(
        &self,
        labels_file: &str,
        n: usize,
        agreement: Option<f64>,
        kappa: Option<f64>,
        result: &serde_json::Value,
    ) -> Result<i64, StoreError> {
        self.conn.execute(
            "INSERT INTO calibrations (labels_file, n, agreement, kappa, result)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                labels_file,
                n as i64,
                agreement,
                kappa,
                super::to_json(result)?
            ],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Stored calibration runs, oldest first.
    pub fn calibrations(&self) -> Result<Vec<CalibrationRow>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT calibration_id, created_at, labels_file, n, agreement, kappa, result
             FROM calibrations ORDER BY calibration_id",
        )?;
        let rows: Vec<(CalibrationRow, String)> = stmt
            .query_map([], |r| {
                Ok((
                    CalibrationRow {
                        calibration_id: r.get(0)?,
                        created_at: r.get(1)?,
                        labels_file: r.get(2)?,
                        n: r.get(3)?,
                        agreement: r.get(4)?,
                        kappa: r.get(5)?,
                        result: serde_json::Value::Null,
                    },
                    r.get(6)?,
                ))
            })?
            .collect::<Result<_, _>>()?;
        rows.into_iter()
            .map(|(mut row, result)| {
                row.result = super::from_json(&result)?;
                Ok(row)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_calibration_round_trips_with_undefined_kappa_as_null() {
        let store = Store::open_in_memory().unwrap();
        let result = serde_json::json!({"n": 2, "agreement": 1.0, "kappa": null});
        let id = store
            .save_calibration("labels.csv", 2, Some(1.0), None, &result)
            .unwrap();
        let rows = store.calibrations().unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].calibration_id, id);
        assert_eq!(
            (
                rows[0].labels_file.as_str(),
                rows[0].n,
                rows[0].agreement,
                rows[0].kappa
            ),
            ("labels.csv", 2, Some(1.0), None)
        );
        assert_eq!(rows[0].result, result);
    }

    #[test]
    fn a_manifest_call_id_is_a_key_of_its_call() {
        let store = Store::open_in_memory().unwrap();
        for id in ["h1", "h2"] {
            store
                .conn
                .execute(
                    "INSERT INTO calls (call_id, path, codec, sample_rate, channels, duration_s, roles, language, model)
                     VALUES (?1, '/calls/' || ?1 || '.wav', 'pcm', 8000, 2, 10.0, 'mapped', 'en', 'tiny')",
                    [id],
                )
                .unwrap();
        }
        let meta = crate::transcript::meta::CallMeta {
            external_id: Some("T-1".into()),
            ..Default::default()
        };
        store.set_metadata("h1", &meta).unwrap();
        let keys = store.labelled_call_keys().unwrap();
        assert_eq!(
            keys,
            [
                LabelledCall {
                    call_id: "h1".into(),
                    path: "/calls/h1.wav".into(),
                    external_id: Some("T-1".into()),
                },
                LabelledCall {
                    call_id: "h2".into(),
                    path: "/calls/h2.wav".into(),
                    external_id: None,
                },
            ]
        );
    }
}
