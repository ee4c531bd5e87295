//! Repeat calls and first-contact resolution: the same customer calling again about the same
//! issue within a window. The later call is flagged `repeat_call`, the earlier one
//! `unresolved_first_contact` (and so counts against its agent's first-contact resolution).
//!
//! Linking works on stored calls of any night: tonight's call links to one from last week, and
//! that call's flag appears then. It is recomputed per customer from scratch, so running it
//! again changes nothing and a changed manifest or topic file is picked up.

mod issue;
mod topics;

pub use issue::{issue_overlap, issue_terms};
pub use topics::{Topic, TopicError, TopicMatch, TopicSet, DEFAULT_TOPICS};

use crate::analysis::flags::{clock, Flag, FlagKind};
use crate::transcript::{Evidence, RoleSource, Speaker, Transcript};
use std::collections::BTreeSet;

pub const REPEAT_CALL: &str = "repeat_call";
pub const UNRESOLVED_FIRST_CONTACT: &str = "unresolved_first_contact";
/// The flag kinds linking raises (and replaces when it runs again).
pub const REPEAT_FLAG_KINDS: &[&str] = &[REPEAT_CALL, UNRESOLVED_FIRST_CONTACT];

#[derive(Debug, Clone)]
pub struct RepeatConfig {
    /// A later call counts as a repeat when it starts at most this long after the earlier one.
    pub window_s: i64,
    /// A call starting within this long of the previous call's end is a call-back or a
    /// transfer (a dropped line, another department), not a repeat.
    pub callback_s: i64,
    /// Share of the shorter opening statement's issue terms the other call's statement holds
    /// (see [`issue_terms`]) from which two calls are about the same issue, when either call's
    /// topic is unknown.
    pub similarity: f64,
}

impl Default for RepeatConfig {
    fn default() -> Self {
        RepeatConfig {
            window_s: 7 * 86_400,
            callback_s: 15 * 60,
            similarity: 0.3,
        }
    }
}

/// What linking needs to know of one stored call.
#[derive(Debug, Clone)]
pub struct LinkCall {
    pub call_id: String,
    pub customer_id: String,
    /// As stored (ISO 8601), for messages.
    pub started_at: String,
    /// Seconds since 1970.
    pub start: i64,
    pub duration_s: f64,
    pub topic: Option<TopicMatch>,
    /// The terms of the customer's opening statement (see [`issue_terms`]).
    pub issue: BTreeSet<String>,
    /// Where the customer first speaks, evidence when no topic says more.
    pub opening: Option<Evidence>,
    /// The user's own call id, which flag details name the call by (else a hash prefix).
    pub label: Option<String>,
}

impl LinkCall {
    pub fn from_transcript(
        t: &Transcript,
        customer_id: &str,
        started_at: &str,
        start: i64,
        topics: &TopicSet,
    ) -> LinkCall {
        let customer_speaks =
            |s: Speaker| s == Speaker::Customer || t.roles == RoleSource::Inferred;
        LinkCall {
            call_id: t.call_id.clone(),
            customer_id: customer_id.to_string(),
            started_at: started_at.to_string(),
            start,
            duration_s: t.duration_s(),
            topic: topics.classify(t),
            issue: issue_terms(t),
            opening: t
                .utterances
                .iter()
                .find(|u| customer_speaks(u.speaker) && !u.text.trim().is_empty())
                .map(Evidence::of),
            label: None,
        }
    }

    fn end(&self) -> i64 {
        self.start + self.duration_s.max(0.0).round() as i64
    }

    fn evidence(&self) -> Vec<Evidence> {
        self.topic
            .as_ref()
            .map(|m| m.evidence.clone())
            .or_else(|| self.opening.clone())
            .into_iter()
            .collect()
    }
}

/// Why two calls are about the same issue.
#[derive(Debug, Clone, PartialEq)]
pub enum SameIssue {
    Topic(String),
    /// A topic unknown: the opening statements share these issue terms, this share (0..1) of
    /// the shorter one's.
    Similar {
        overlap: f64,
        shared: Vec<String>,
    },
}

/// `later` repeats `earlier` (indexes into the calls given to `link`).
#[derive(Debug, Clone, PartialEq)]
pub struct RepeatLink {
    pub earlier: usize,
    pub later: usize,
    pub why: SameIssue,
}

fn same_issue(a: &LinkCall, b: &LinkCall, config: &RepeatConfig) -> Option<SameIssue> {
    match (&a.topic, &b.topic) {
        (Some(x), Some(y)) => (x.topic == y.topic).then(|| SameIssue::Topic(x.topic.clone())),
        _ => {
            let (overlap, shared) = issue_overlap(&a.issue, &b.issue);
            (overlap >= config.similarity && shared >= issue::MIN_SHARED).then(|| {
                SameIssue::Similar {
                    overlap,
                    shared: a.issue.intersection(&b.issue).cloned().collect(),
                }
            })
        }
    }
}

/// Finds every repeat among the calls (any customers, any order). Each call repeats at most
/// one earlier call: the most recent one of the same customer about the same issue within the
/// window — unless that one ended less than `callback_s` before, which makes this call its
/// call-back, not a repeat.
pub fn link(calls: &[LinkCall], config: &RepeatConfig) -> Vec<RepeatLink> {
    let mut order: Vec<usize> = (0..calls.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&calls[a], &calls[b]);
        (&x.customer_id, x.start, &x.call_id).cmp(&(&y.customer_id, y.start, &y.call_id))
    });
    let mut links = Vec::new();
    for (pos, &later) in order.iter().enumerate() {
        let b = &calls[later];
        for &earlier in order[..pos].iter().rev() {
            let a = &calls[earlier];
            if a.customer_id != b.customer_id || b.start - a.start > config.window_s {
                break;
            }
            let Some(why) = same_issue(a, b, config) else {
                continue;
            };
            if b.start - a.end() >= config.callback_s {
                links.push(RepeatLink {
                    earlier,
                    later,
                    why,
                });
            }
            break;
        }
    }
    links
}

/// The two flags of a link: (call id, flag) for the later and the earlier call.
pub fn flags_for(calls: &[LinkCall], l: &RepeatLink) -> [(String, Flag); 2] {
    let (a, b) = (&calls[l.earlier], &calls[l.later]);
    let issue = match &l.why {
        SameIssue::Topic(t) => format!("about {t}"),
        SameIssue::Similar { shared, .. } => {
            format!("about the same issue (both mention {})", shared.join(", "))
        }
    };
    let gap = human_gap(b.start - a.start);
    let short = |c: &LinkCall| {
        c.label
            .clone()
            .unwrap_or_else(|| c.call_id.chars().take(12).collect())
    };
    let at = |c: &LinkCall| c.evidence().first().map(|e| e.start);
    [
        (
            b.call_id.clone(),
            Flag {
                kind: FlagKind::RepeatCall,
                detail: format!(
                    "customer {} already called {issue} {gap} earlier: call {} at {}",
                    b.customer_id,
                    short(a),
                    a.started_at
                ),
                at: at(b),
                evidence: b.evidence(),
                of_call: Some(a.call_id.clone()),
            },
        ),
        (
            a.call_id.clone(),
            Flag {
                kind: FlagKind::UnresolvedFirstContact,
                detail: format!(
                    "customer {} called again {issue} {gap} later: call {} at {}{}",
                    a.customer_id,
                    short(b),
                    b.started_at,
                    at(a).map_or(String::new(), |s| format!(
                        " (issue raised at {})",
                        clock(s)
                    ))
                ),
                at: at(a),
                evidence: a.evidence(),
                of_call: Some(b.call_id.clone()),
            },
        ),
    ]
}

fn human_gap(seconds: i64) -> String {
    let s = seconds.max(0);
    match s {
        0..=5_399 => format!("{} min", (s + 30) / 60),
        5_400..=129_599 => format!("{:.0} h", s as f64 / 3600.0),
        _ => format!("{:.1} days", s as f64 / 86_400.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::metrics::tests::{call, utt};
    use Speaker::*;

    const DAY: i64 = 86_400;

    fn link_call(id: &str, customer: &str, start: i64, customer_says: &str) -> LinkCall {
        let mut t = call(
            60.0,
            vec![
                utt(Agent, 0.0, 3.0, "Thank you for calling, how can I help?"),
                utt(Customer, 4.0, 10.0, customer_says),
            ],
        );
        t.call_id = id.into();
        LinkCall::from_transcript(
            &t,
            customer,
            "2026-11-02T09:00:00Z",
            start,
            &TopicSet::shipped(),
        )
    }

    fn pairs(calls: &[LinkCall]) -> Vec<(&str, &str)> {
        link(calls, &RepeatConfig::default())
            .into_iter()
            .map(|l| {
                (
                    calls[l.earlier].call_id.as_str(),
                    calls[l.later].call_id.as_str(),
                )
            })
            .collect()
    }

    #[test]
    fn same_customer_same_topic_within_the_window_is_a_repeat() {
        let calls = vec![
            link_call("b", "c1", 2 * DAY, "I was charged a late fee on my bill."),
            link_call("a", "c1", 0, "I was charged two times on my bill."),
        ];
        assert_eq!(pairs(&calls), vec![("a", "b")]);
        let [(later, repeat), (earlier, unresolved)] =
            flags_for(&calls, &link(&calls, &RepeatConfig::default())[0]);
        assert_eq!((later.as_str(), repeat.kind.as_str()), ("b", REPEAT_CALL));
        assert_eq!(repeat.of_call.as_deref(), Some("a"));
        assert!(repeat.detail.contains("about billing"), "{}", repeat.detail);
        assert!(repeat.detail.contains("2.0 days"), "{}", repeat.detail);
        assert_eq!(
            (earlier.as_str(), unresolved.kind.as_str()),
            ("a", UNRESOLVED_FIRST_CONTACT)
        );
        assert_eq!(unresolved.of_call.as_deref(), Some("b"));
        assert!(unresolved.evidence[0].quote.contains("charged"));
    }

    #[test]
    fn flag_details_name_the_other_call_by_the_users_id() {
        let mut calls = vec![
            link_call(
                "b".repeat(64).as_str(),
                "c1",
                2 * DAY,
                "A late fee on my bill.",
            ),
            link_call(
                "a".repeat(64).as_str(),
                "c1",
                0,
                "Charged twice on my bill.",
            ),
        ];
        calls[1].label = Some("TEL-1".into());
        let [(_, repeat), (_, unresolved)] =
            flags_for(&calls, &link(&calls, &RepeatConfig::default())[0]);
        assert!(repeat.detail.contains("call TEL-1 at"), "{}", repeat.detail);
        // Without one, the hash's first 12 digits.
        assert!(
            unresolved
                .detail
                .contains(&format!("call {} at", "b".repeat(12))),
            "{}",
            unresolved.detail
        );
    }

    #[test]
    fn a_different_issue_another_customer_or_past_the_window_is_not() {
        let calls = vec![
            link_call("a", "c1", 0, "I was charged two times on my bill."),
            link_call(
                "decoy",
                "c1",
                DAY,
                "I can not get into my account, I need a new password.",
            ),
            link_call("other", "c2", DAY, "I was charged two times on my bill."),
            link_call("late", "c3", 8 * DAY, "I was charged two times on my bill."),
            link_call("early", "c3", 0, "I was charged two times on my bill."),
        ];
        assert!(pairs(&calls).is_empty(), "{:?}", pairs(&calls));
    }

    #[test]
    fn a_call_back_within_fifteen_minutes_is_not_a_repeat() {
        // The first call lasts 60 s; the second starts 10 min after it ended.
        let calls = vec![
            link_call("a", "c1", 0, "I was charged two times on my bill."),
            link_call("b", "c1", 60 + 600, "I was charged two times on my bill."),
            link_call(
                "c",
                "c1",
                3 * DAY,
                "There is a wrong charge on my bill again.",
            ),
        ];
        // The third is a repeat of the most recent call about it, the call-back.
        assert_eq!(pairs(&calls), vec![("b", "c")]);
    }

    #[test]
    fn chains_link_each_call_to_the_one_before() {
        let calls = vec![
            link_call("a", "c1", 0, "I want to cancel my membership."),
            link_call("b", "c1", DAY, "I still want to cancel my membership."),
            link_call(
                "c",
                "c1",
                2 * DAY,
                "Please cancel my membership, third time.",
            ),
        ];
        assert_eq!(pairs(&calls), vec![("a", "b"), ("b", "c")]);
    }

    #[test]
    fn unknown_topics_fall_back_to_the_customers_words() {
        let said = "The gizmo widget makes a grinding noise whenever the blue lever moves.";
        let calls = vec![
            link_call("a", "c1", 0, said),
            link_call(
                "b",
                "c1",
                DAY,
                "My gizmo widget still makes that grinding noise with the lever.",
            ),
            link_call(
                "c",
                "c1",
                2 * DAY,
                "Could you send me a brochure about holidays in Spain?",
            ),
        ];
        assert!(calls.iter().all(|c| c.topic.is_none()));
        let links = link(&calls, &RepeatConfig::default());
        assert_eq!(links.len(), 1, "{links:?}");
        assert_eq!((links[0].earlier, links[0].later), (0, 1));
        assert!(matches!(links[0].why, SameIssue::Similar { overlap, .. } if overlap >= 0.3));
        let [(_, flag), _] = flags_for(&calls, &links[0]);
        assert!(
            flag.detail.contains("both mention") && flag.detail.contains("widget"),
            "{}",
            flag.detail
        );
    }

    #[test]
    fn issue_terms_ignore_the_agent_fillers_and_placeholders() {
        let t = call(
            30.0,
            vec![
                utt(Agent, 0.0, 2.0, "Router modem firmware"),
                utt(
                    Customer,
                    3.0,
                    6.0,
                    "Yes, thank you. My card [CARD_NUMBER] was declined twice.",
                ),
            ],
        );
        let words = issue_terms(&t);
        assert!(
            words.contains("card") && words.contains("declin"),
            "{words:?}"
        );
        assert!(!words
            .iter()
            .any(|w| w.contains("router") || w == "thank" || w.contains("card_")));
    }
}
