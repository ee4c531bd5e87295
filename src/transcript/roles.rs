//! Which voice of a mono call is the agent, by what each voice says. Voices are told apart
//! acoustically (`audio::diarize`), and the first voice is taken as the agent; that guess fails
//! when the customer speaks first ("Hello?" before the greeting) or the recording starts late.
//! What agents say — "thank you for calling", "how can I help", "is there anything else" — and
//! what customers say — "I'm calling about", "my bill" — decides instead when it clearly
//! points the other way.

use super::{Speaker, Transcript};

/// Phrases only the agent says, as normalised words.
const AGENT_SAYS: &[&str] = &[
    "thank you for calling",
    "thanks for calling",
    "thank you for holding",
    "how can i help",
    "how may i help",
    "how can i assist",
    "how may i assist",
    "what can i do for you",
    "you are speaking with",
    "you're speaking with",
    "this call may be recorded",
    "this call is recorded",
    "calls are recorded",
    "can i take your name",
    "can i have your name",
    "could you confirm your",
    "can you confirm your",
    "for security",
    "date of birth please",
    "is there anything else i can",
    "anything else i can help",
    "have a great day",
    "have a nice day",
    "let me check that for you",
    "let me look into",
    "i can see on your account",
    "i can see your account",
    "i apologize for the",
    "i'm sorry to hear",
];

/// The agent's opening: heard from a voice in the first `OPENING_S` of the call, each counts
/// twice — who greets the caller is the surest sign of who the agent is, and one greeting with
/// nothing else said for either side must still overrule a first-voice guess.
const GREETINGS: &[&str] = &[
    "thank you for calling",
    "thanks for calling",
    "how can i help",
    "how may i help",
    "how can i assist",
    "how may i assist",
    "what can i do for you",
    "you are speaking with",
    "you're speaking with",
];
const OPENING_S: f64 = 20.0;

/// Phrases only the customer says.
const CUSTOMER_SAYS: &[&str] = &[
    "i'm calling about",
    "i am calling about",
    "i'm calling because",
    "i'm ringing about",
    "i called before",
    "i called yesterday",
    "i've been charged",
    "i was charged",
    "my bill",
    "my internet",
    "my order",
    "my parcel",
    "my account number is",
    "can you help me",
    "i want to cancel",
    "i'd like to cancel",
];

fn count(text: &str, phrases: &[&str]) -> usize {
    let text = format!(
        " {} ",
        text.to_lowercase()
            .replace(|c: char| !(c.is_alphanumeric() || c == '\''), " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    );
    phrases
        .iter()
        .filter(|p| text.contains(&format!(" {p} ")))
        .count()
}

/// Evidence that the voices are the other way round: (agent phrases heard from the customer
/// voice + customer phrases from the agent voice) − (the reverse).
pub fn swap_evidence(t: &Transcript) -> i64 {
    let mut score = 0i64;
    for u in &t.utterances {
        let mut agentish = count(&u.text, AGENT_SAYS) as i64;
        if u.start < OPENING_S {
            agentish += count(&u.text, GREETINGS) as i64;
        }
        let customerish = count(&u.text, CUSTOMER_SAYS) as i64;
        score += match u.speaker {
            Speaker::Agent => customerish - agentish,
            Speaker::Customer => agentish - customerish,
        };
    }
    score
}

/// Swaps the two voices of an inferred-role call when what they say clearly says the first
/// guess was wrong (two phrases or more of net evidence). Returns whether it swapped.
pub fn correct_by_words(t: &mut Transcript) -> bool {
    if swap_evidence(t) < 2 {
        return false;
    }
    for u in &mut t.utterances {
        u.speaker = match u.speaker {
            Speaker::Agent => Speaker::Customer,
            Speaker::Customer => Speaker::Agent,
        };
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::metrics::tests::{call, utt};
    use Speaker::*;

    #[test]
    fn a_customer_who_speaks_first_is_put_right() {
        let mut t =
            call(
                40.0,
                vec![
                utt(Agent, 0.0, 1.0, "Hello?"),
                utt(
                    Customer,
                    2.0,
                    6.0,
                    "Thank you for calling City Power, this is Travis. How can I help you today?",
                ),
                utt(Agent, 7.0, 12.0, "Hi, I'm calling about my bill, it's far too high."),
                utt(Customer, 13.0, 16.0, "I'm sorry to hear that. Let me check that for you."),
            ],
            );
        assert!(correct_by_words(&mut t));
        assert_eq!(t.utterances[1].speaker, Agent);
        assert_eq!(t.utterances[2].speaker, Customer);
    }

    #[test]
    fn right_roles_and_weak_evidence_are_left_alone() {
        let right = vec![
            utt(Agent, 0.0, 3.0, "Thank you for calling, how can I help?"),
            utt(Customer, 4.0, 8.0, "My internet is down."),
        ];
        let mut t = call(20.0, right);
        assert!(!correct_by_words(&mut t));
        assert_eq!(t.utterances[0].speaker, Agent);
        // One phrase on the wrong side is not enough to overrule the voices.
        let mut t = call(20.0, vec![utt(Customer, 0.0, 3.0, "Have a nice day.")]);
        assert!(!correct_by_words(&mut t));
        // Nor is one "how can I help" from the customer's voice later in the call.
        let mut t = call(
            60.0,
            vec![
                utt(Agent, 0.0, 3.0, "Hello?"),
                utt(Customer, 30.0, 33.0, "So how can I help you fix it?"),
            ],
        );
        assert!(!correct_by_words(&mut t));
    }

    #[test]
    fn one_greeting_in_the_opening_names_the_agent() {
        let mut t = call(
            40.0,
            vec![
                utt(Agent, 0.0, 1.0, "Hello?"),
                utt(
                    Customer,
                    2.0,
                    5.0,
                    "Morning, North Mobile, how can I help you?",
                ),
                utt(Agent, 6.0, 10.0, "Hi, the phone keeps restarting."),
            ],
        );
        assert!(correct_by_words(&mut t));
        assert_eq!(t.utterances[1].speaker, Agent);
    }
}
