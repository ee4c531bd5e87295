//! Repeat-call linking over stored calls: load the customers' calls, find the repeats, replace
//! their flags. Idempotent: the same data links the same way however often it runs.

use crate::repeat::{self, LinkCall, RepeatConfig, TopicSet};
use crate::store::{Store, StoreError};
use crate::transcript::meta::parse_timestamp;

#[derive(Debug, Default, Clone, PartialEq)]
pub struct LinkSummary {
    /// Calls with a customer id looked at.
    pub calls: usize,
    pub customers: usize,
    /// Of them, calls whose topic the keyword sets decided.
    pub with_topic: usize,
    pub repeats: usize,
    /// Calls left out because their start time could not be read.
    pub undated: Vec<String>,
}

/// Links the calls of these customers (every customer when `None`) and stores the result.
pub fn link_repeats(
    store: &mut Store,
    customers: Option<&[String]>,
    topics: &TopicSet,
    config: &RepeatConfig,
) -> Result<LinkSummary, StoreError> {
    let rows = store.customer_calls(customers)?;
    let mut summary = LinkSummary::default();
    let mut calls: Vec<LinkCall> = Vec::with_capacity(rows.len());
    let mut seen_customers = std::collections::BTreeSet::new();
    for row in rows {
        let Some(start) = parse_timestamp(&row.started_at) else {
            summary.undated.push(row.call_id);
            continue;
        };
        let Some(t) = store.load_transcript(&row.call_id)? else {
            continue;
        };
        seen_customers.insert(row.customer_id.clone());
        let mut call =
            LinkCall::from_transcript(&t, &row.customer_id, &row.started_at, start, topics);
        call.label = row.external_id;
        calls.push(call);
    }
    let links = repeat::link(&calls, config);
    let flags: Vec<_> = links
        .iter()
        .flat_map(|l| repeat::flags_for(&calls, l))
        .collect();
    let topics_of: Vec<(String, Option<String>)> = calls
        .iter()
        .map(|c| (c.call_id.clone(), c.topic.as_ref().map(|m| m.topic.clone())))
        .collect();
    store.replace_repeat_links(&topics_of, &flags)?;
    summary.calls = calls.len();
    summary.customers = seen_customers.len();
    summary.with_topic = calls.iter().filter(|c| c.topic.is_some()).count();
    summary.repeats = links.len();
    Ok(summary)
}
