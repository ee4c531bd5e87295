//! Roles on a mono recording whose customer speaks first ("Hello? Hello, is anyone there?"
//! before the greeting), through the default model: the first voice is not the agent, and what
//! the voices say puts the roles right (`tests/data/roles/`, made by
//! `scripts/make_samples.py --roles`).

mod common;

use common::*;
use rusqlite::Connection;

#[test]
fn a_customer_who_speaks_first_on_a_mono_call_is_still_the_customer() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("qa.db");
    let file = root().join("tests/data/roles/call41_customer_first_mono.flac");
    let out = callqa_on(&db, &["score", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let conn = Connection::open(&db).unwrap();
    let mut stmt = conn
        .prepare("SELECT speaker, start_s, lower(text) FROM utterances ORDER BY start_s")
        .unwrap();
    let said: Vec<(String, f64, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let shown = format!("{said:#?}");
    assert!(
        said.first()
            .is_some_and(|(who, start, _)| who == "customer" && *start < 2.0),
        "the opening 'Hello?' is the customer's: {shown}"
    );
    let greeting = said
        .iter()
        .find(|(_, _, text)| text.contains("thank you for calling"))
        .unwrap_or_else(|| panic!("no greeting heard: {shown}"));
    assert_eq!(greeting.0, "agent", "{shown}");
    assert!(
        said.iter()
            .filter(|(_, _, text)| text.contains("thank you for calling"))
            .all(|(who, _, _)| who == "agent"),
        "{shown}"
    );
    let issue = said
        .iter()
        .find(|(_, _, text)| text.contains("internet") && text.contains("evening"))
        .unwrap_or_else(|| panic!("the customer's issue not heard: {shown}"));
    assert_eq!(issue.0, "customer", "{shown}");
}
