//! Conversation cues searched for in every utterance: an agent announcing a hold, an agent
//! transferring the call. All cue phrases share one matcher, so each utterance is matched once
//! for all of them. (Distress is judged by its own detector, `flags::distress`, which reads
//! clauses and adjacent turns rather than single phrases.)

use crate::text::{Matcher, PhraseId};

/// What agents say when they put a caller on hold (matched fuzzily, per language).
pub const HOLD_ANNOUNCEMENTS: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "place you on hold",
            "put you on hold",
            "place you on a brief hold",
            "put you on a brief hold",
            "put you on a short hold",
            "hold on a moment",
            "hold on a second",
            "hold on",
            "please hold",
            "hold please",
            "bear with me",
            "one moment please",
            "just a moment",
            "give me a moment",
            "let me check that for you",
            "i will be right back",
            "be right back with you",
        ],
    ),
    (
        "he",
        &[
            "אני אעביר אותך להמתנה",
            "אעביר אותך להמתנה",
            "אשים אותך בהמתנה",
            "אעמיד אותך בהמתנה",
            "להעמיד אותך בהמתנה",
            "להשאיר אותך בהמתנה",
            "לשים אותך בהמתנה",
            "להעביר אותך להמתנה",
            "המתנה קצרה",
            "רגע אחד",
            "רק רגע",
            "רגע בבקשה",
            "שנייה אחת",
            "שניה אחת",
            "רק שנייה",
            "רק שניה",
            "שנייה בבקשה",
            "שניה בבקשה",
            "תן לי רגע",
            "תני לי רגע",
            "תן לי שנייה",
            "תני לי שנייה",
            "תן לי לבדוק",
            "תני לי לבדוק",
            "אני בודק",
            "אני בודקת",
            "אני אבדוק",
            "נא להמתין",
            "אנא המתן",
            "אנא המתיני",
            "המתן בבקשה",
            "המתיני בבקשה",
            "להמתין רגע",
            "תמתין רגע",
            "תמתיני רגע",
            "חכה רגע",
            "חכי רגע",
            "תחכה רגע",
            "תחכי רגע",
            "תחכה שנייה",
            "תחכי שנייה",
            "אני תיכף חוזר",
            "אני תיכף חוזרת",
            "אני תכף חוזר",
            "אני תכף חוזרת",
            "תיכף אני איתך",
            "מיד אני איתך",
            "אני מיד איתך",
            "אני חוזר אליך",
            "אני חוזרת אליך",
        ],
    ),
    // Arabic "انتظر"/"الانتظار" (wait) are one letter from "انتحر"/"الانتحار" (suicide); ظ and ح
    // do not sound alike, so the distress detector never reads one as a slip of the other.
    (
        "ar",
        &[
            "لحظة من فضلك",
            "لحظة لو سمحت",
            "لحظة واحدة",
            "لحظة بس",
            "بس لحظة",
            "لحظات من فضلك",
            "لحظات لو سمحت",
            "ثانية واحدة",
            "ثانية وحدة",
            "ثانية من فضلك",
            "دقيقة من فضلك",
            "دقيقة لو سمحت",
            "ثواني من فضلك",
            "ثواني مع حضرتك",
            "ممكن تنتظر",
            "ممكن تنتظرني",
            "انتظر لحظة",
            "انتظري لحظة",
            "انتظرني لحظة",
            "انتظريني لحظة",
            "استنى لحظة",
            "استناني ثانية",
            "استنى ثواني",
            "خليك معي",
            "خليك معاي",
            "خليك معايا",
            "خليكي معايا",
            "خليك على الخط",
            "ابق على الخط",
            "ابقى على الخط",
            "أرجو الانتظار",
            "يرجى الانتظار",
            "الرجاء الانتظار",
            "سأضعك على الانتظار",
            "أضعك على الانتظار",
            "أحطك على الانتظار",
            "هحطك على الانتظار",
            "وضع الانتظار",
            "قيد الانتظار",
            "دعني أتحقق",
            "خليني أشيك",
            "خليني أتأكد",
            "خليني أشوف",
            "سأعود إليك",
            "راجع لك",
        ],
    ),
    (
        "ru",
        &[
            "подождите минутку",
            "подождите минуточку",
            "подождите пожалуйста",
            "подождите немного",
            "минутку",
            "минуточку",
            "одну минуту",
            "одну минутку",
            "одну секунду",
            "секундочку",
            "оставайтесь на линии",
            "оставайтесь пожалуйста на линии",
            "можете немного подождать",
            "подождёте минутку",
            "не кладите трубку",
            "не вешайте трубку",
            "будьте на линии",
            "побудьте на линии",
            "ожидайте на линии",
            "ожидайте пожалуйста",
            "поставлю вас на удержание",
            "поставлю вас на ожидание",
            "поставить вас на удержание",
            "поставить вас на ожидание",
            "сейчас проверю",
            "сейчас посмотрю",
            "давайте я проверю",
            "я уточню",
            "сейчас уточню",
            "я сейчас вернусь",
        ],
    ),
];

pub const TRANSFER_PHRASES: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            // What an agent says when actually transferring; offers ("I can connect you with a
            // specialist") are not transfers.
            "I am transferring you",
            "I will transfer you",
            "I will transfer you now",
            "let me transfer you",
            "I am going to transfer you",
            "transferring your call",
            "I will put you through to",
            "let me put you through",
            "I am putting you through",
            "I will pass you over to",
            "I will hand you over to",
        ],
    ),
    // Hebrew puts a caller on hold with the same verb ("אעביר אותך להמתנה"): a transfer names
    // where the call goes.
    (
        "he",
        &[
            "אעביר אותך לנציג",
            "אעביר אותך לנציגה",
            "אעביר אותך למחלקת",
            "אעביר אותך למחלקה",
            "אעביר אותך למוקד",
            "אעביר אותך לצוות",
            "אעביר אותך לתמיכה",
            "אעביר אותך למנהל",
            "אעביר אותך לגורם",
            "אעביר אותך לשירות",
            "מעביר אותך לנציג",
            "מעביר אותך לנציגה",
            "מעביר אותך למחלקת",
            "מעביר אותך למחלקה",
            "מעביר אותך למוקד",
            "מעביר אותך לצוות",
            "מעביר אותך לתמיכה",
            "מעביר אותך למנהל",
            "מעביר אותך לגורם",
            "מעביר אותך לשירות",
            "מעבירה אותך לנציג",
            "מעבירה אותך לנציגה",
            "מעבירה אותך למחלקת",
            "מעבירה אותך למחלקה",
            "מעבירה אותך למוקד",
            "מעבירה אותך לצוות",
            "מעבירה אותך לתמיכה",
            "מעבירה אותך למנהל",
            "מעבירה אותך לגורם",
            "מעבירה אותך לשירות",
            "אחבר אותך לנציג",
            "אחבר אותך למחלקת",
            "אעביר את השיחה",
            "מעביר את השיחה",
            "מעבירה את השיחה",
        ],
    ),
    (
        "ar",
        &[
            "سأحولك",
            "سوف أحولك",
            "سأقوم بتحويلك",
            "سيتم تحويلك",
            "جاري تحويلك",
            "سأحول مكالمتك",
            "سيتم تحويل مكالمتك",
            "جاري تحويل مكالمتك",
            "جاري تحويل المكالمة",
            "راح أحولك",
            "رح حولك",
            "رح أحولك",
            "هحولك",
            "بحولك",
            "حولتك",
            "أحولك على القسم",
            "أحولك للقسم",
            "أحولك لقسم",
            "أحولك إلى القسم",
            "أحولك إلى قسم",
            "أحولك للموظف",
            "أحولك لزميلي",
            "أحولك على زميلي",
            "أحولك للمختص",
            "أحولك على المختص",
            "أحولك للمشرف",
            "أحولك على المشرف",
        ],
    ),
    // "переведу вас на тариф" changes a plan: a transfer names who the call goes to.
    (
        "ru",
        &[
            "переведу вас на специалиста",
            "переведу вас на оператора",
            "переведу вас на коллегу",
            "переведу вас на отдел",
            "переведу вас на руководителя",
            "переведу вас на техподдержку",
            "переведу вас на старшего",
            "перевожу вас на специалиста",
            "перевожу вас на оператора",
            "перевожу вас на коллегу",
            "перевожу вас на отдел",
            "перевожу вас на руководителя",
            "перевожу вас на техподдержку",
            "перевожу вас на старшего",
            "переключу вас на специалиста",
            "переключу вас на оператора",
            "переключу вас на коллегу",
            "переключу вас на отдел",
            "переключу вас на руководителя",
            "переключу вас на техподдержку",
            "переключу вас на старшего",
            "переключаю вас на специалиста",
            "переключаю вас на оператора",
            "переключаю вас на коллегу",
            "переключаю вас на отдел",
            "переключаю вас на руководителя",
            "переключаю вас на техподдержку",
            "переключаю вас на старшего",
            "переведу ваш звонок",
            "перевожу ваш звонок",
            "переключу ваш звонок",
            "переадресую ваш звонок",
            "переадресую вас",
            "соединю вас с",
            "соединяю вас с",
        ],
    ),
];

/// Which cues one utterance contains.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cues {
    pub hold: bool,
    pub transfer: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Hold,
    Transfer,
}

/// The cue phrases' ids in a matcher they were added to. Rubric sets add them to their own
/// matcher, so one pass over an utterance finds rubric phrases and cues together.
#[derive(Debug, Clone)]
pub struct CuePhrases {
    lists: Vec<(Kind, &'static str, Vec<PhraseId>)>,
}

impl CuePhrases {
    pub fn register(matcher: &mut Matcher) -> CuePhrases {
        let mut lists = Vec::new();
        for (kind, source) in [
            (Kind::Hold, HOLD_ANNOUNCEMENTS),
            (Kind::Transfer, TRANSFER_PHRASES),
        ] {
            for (lang, phrases) in source {
                let ids = phrases
                    .iter()
                    .filter_map(|p| matcher.add(p, lang))
                    .collect();
                lists.push((kind, *lang, ids));
            }
        }
        CuePhrases { lists }
    }

    /// Cues among the phrase ids found in one utterance (ascending), counting phrases of the
    /// call's language and English (calls mix them).
    pub fn of_found(&self, found: &[PhraseId], language: &str) -> Cues {
        let mut cues = Cues::default();
        if found.is_empty() {
            return cues;
        }
        for (kind, lang, ids) in &self.lists {
            if (*lang == language || *lang == "en")
                && ids.iter().any(|id| found.binary_search(id).is_ok())
            {
                match kind {
                    Kind::Hold => cues.hold = true,
                    Kind::Transfer => cues.transfer = true,
                }
            }
        }
        cues
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::metrics::tests::{call, utt};
    use crate::analysis::Context;
    use crate::transcript::Speaker;

    /// Cues of `text` said by the agent in a call in `language`, found as production finds them.
    fn of_text(text: &str, language: &str) -> Cues {
        let mut t = call(10.0, vec![utt(Speaker::Agent, 1.0, 3.0, text)]);
        t.language = language.into();
        Context::of(&t).cues[0]
    }

    fn announces_hold(text: &str, language: &str) -> bool {
        of_text(text, language).hold
    }

    #[test]
    fn hold_announcements_in_each_language() {
        for (lang, text) in [
            ("he", "רגע אחד, אני בודקת את זה"),
            ("he", "אני אעביר אותך להמתנה קצרה"),
            ("he", "אפשר להעמיד אותך בהמתנה?"),
            ("ar", "لحظة من فضلك، خليك معي"),
            ("ar", "ممكن تنتظرني دقيقة؟"),
            ("ar", "هحطك على الانتظار ثواني"),
            ("ru", "Подождите минутку, я уточню."),
            ("ru", "Оставайтесь, пожалуйста, на линии."),
        ] {
            assert!(announces_hold(text, lang), "missed ({lang}): {text}");
        }
        // Coming back from the hold is not a new one.
        for (lang, text) in [
            ("he", "תודה על ההמתנה"),
            ("ar", "شكرا على الانتظار"),
            ("ar", "شكرا لك على الانتظار، تم الأمر"),
            ("ru", "Спасибо за ожидание"),
        ] {
            assert!(!announces_hold(text, lang), "not a hold ({lang}): {text}");
        }
    }

    #[test]
    fn transfers_name_where_the_call_goes() {
        for (lang, text) in [
            ("he", "אני מעביר אותך לנציג מהמחלקה הטכנית"),
            ("he", "אעביר את השיחה למחלקת גבייה"),
            ("ar", "سأحولك إلى القسم المختص"),
            ("ar", "جاري تحويل مكالمتك"),
            ("ru", "Сейчас переведу вас на специалиста"),
            ("ru", "Соединяю вас с отделом продаж"),
        ] {
            assert!(of_text(text, lang).transfer, "missed ({lang}): {text}");
        }
        for (lang, text) in [
            ("he", "אני אעביר אותך להמתנה קצרה"),
            ("ru", "Я переведу вас на другой тариф"),
            ("ar", "كيف احوالك اليوم"),
        ] {
            assert!(
                !of_text(text, lang).transfer,
                "not a transfer ({lang}): {text}"
            );
        }
    }
}
