//! Lonely callers, end to end on real audio (`tests/data/long/`, the development corpus's two
//! 11-minute calls re-encoded small): a caller who confirms a meter reading in the first minute
//! and then chats for ten is `off_topic_long`, with the small talk quoted for a manager; a call
//! as long that stays on router troubleshooting is not.

mod common;

use common::*;
use rusqlite::Connection;

#[test]
fn a_long_chat_is_off_topic_and_a_long_repair_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("qa.db");
    let data = root().join("tests/data/long");
    let chat = data.join("L01_small_talk_stereo.ogg");
    let repair = data.join("L02_router_on_task_stereo.ogg");
    let out = callqa_on(
        &db,
        &[
            "score",
            "--jobs",
            "2",
            chat.to_str().unwrap(),
            repair.to_str().unwrap(),
        ],
    )
    .output()
    .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let conn = Connection::open(&db).unwrap();
    let flags = |name: &str| -> Vec<(String, String, i64)> {
        let mut stmt = conn
            .prepare(
                "SELECT f.kind, f.detail, json_array_length(f.evidence)
                 FROM flags f JOIN calls c ON c.call_id = f.call_id WHERE c.path LIKE ?1",
            )
            .unwrap();
        stmt.query_map([format!("%{name}")], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
    };
    let chat_flags = flags("L01_small_talk_stereo.ogg");
    let off_topic: Vec<_> = chat_flags
        .iter()
        .filter(|(kind, _, _)| kind == "off_topic_long")
        .collect();
    assert_eq!(off_topic.len(), 1, "{chat_flags:#?}");
    let (_, detail, evidence) = off_topic[0];
    assert!(
        detail.contains("small talk") && detail.contains("min call"),
        "a manager reads what it is: {detail}"
    );
    assert!(*evidence >= 1, "the small talk is quoted: {chat_flags:#?}");
    let repair_flags = flags("L02_router_on_task_stereo.ogg");
    assert!(
        repair_flags
            .iter()
            .all(|(kind, _, _)| kind != "off_topic_long"),
        "{repair_flags:#?}"
    );
}
