//! Storage for repeat-call linking: the calls of some customers, and their topics and link
//! flags replaced in one transaction.

use super::{to_json, Store, StoreError};
use crate::analysis::flags::Flag;
use crate::repeat::REPEAT_FLAG_KINDS;
use rusqlite::params;

/// A stored call with a known customer, as linking sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerCall {
    pub call_id: String,
    pub customer_id: String,
    /// `started_at`, or when it was transcribed if the start is unknown.
    pub started_at: String,
    /// The user's own call id, when one was given.
    pub external_id: Option<String>,
}

impl Store {
    /// Customers of these calls (those with a customer id), each once.
    pub fn customers_of(&self, call_ids: &[String]) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT customer_id FROM calls WHERE call_id = ?1 AND customer_id IS NOT NULL",
        )?;
        let mut out = std::collections::BTreeSet::new();
        for id in call_ids {
            if let Some(c) = stmt
                .query_map([id], |r| r.get::<_, String>(0))?
                .next()
                .transpose()?
            {
                out.insert(c);
            }
        }
        Ok(out.into_iter().collect())
    }

    /// Every stored call of these customers (all customers when `None`), by customer and time.
    pub fn customer_calls(
        &self,
        customers: Option<&[String]>,
    ) -> Result<Vec<CustomerCall>, StoreError> {
        let map = |r: &rusqlite::Row| {
            Ok(CustomerCall {
                call_id: r.get(0)?,
                customer_id: r.get(1)?,
                started_at: r.get(2)?,
                external_id: r.get(3)?,
            })
        };
        let sql = "SELECT call_id, customer_id, coalesce(started_at, transcribed_at), external_id FROM calls
                   WHERE customer_id IS NOT NULL AND (?1 IS NULL OR customer_id = ?1)
                   ORDER BY customer_id, coalesce(started_at, transcribed_at), call_id";
        let mut stmt = self.conn.prepare_cached(sql)?;
        let mut out = Vec::new();
        match customers {
            None => {
                for row in stmt.query_map([Option::<String>::None], map)? {
                    out.push(row?);
                }
            }
            Some(list) => {
                for c in list {
                    for row in stmt.query_map([Some(c)], map)? {
                        out.push(row?);
                    }
                }
            }
        }
        Ok(out)
    }

    /// Replaces, for exactly these calls, their topic and every repeat-link flag (both kinds)
    /// with the ones given, in one transaction.
    pub fn replace_repeat_links(
        &mut self,
        topics: &[(String, Option<String>)],
        flags: &[(String, Flag)],
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        {
            let mut set_topic =
                tx.prepare_cached("UPDATE calls SET topic = ?2 WHERE call_id = ?1")?;
            let mut clear =
                tx.prepare_cached("DELETE FROM flags WHERE call_id = ?1 AND kind = ?2")?;
            for (call_id, topic) in topics {
                set_topic.execute(params![call_id, topic])?;
                for kind in REPEAT_FLAG_KINDS {
                    clear.execute(params![call_id, kind])?;
                }
            }
            let mut insert = tx.prepare_cached(
                "INSERT INTO flags (call_id, kind, detail, at_s, of_call, evidence) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for (call_id, f) in flags {
                insert.execute(params![
                    call_id,
                    f.kind.as_str(),
                    f.detail,
                    f.at,
                    f.of_call,
                    to_json(&f.evidence)?
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }
}
