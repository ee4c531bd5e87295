//! The shipped rubrics on Hebrew, Arabic and Russian calls: unvocalised text as Whisper writes
//! it, agent and customer on their own channels.

use super::*;
use crate::analysis::metrics::tests::{call, utt};
use crate::analysis::metrics::{self};
use crate::transcript::{Speaker, Transcript, Utterance};
use Speaker::{Agent as A, Customer as C};

const SHIPPED: [(&str, &str); 3] = [
    ("qa.yaml", include_str!("../../../rubrics/qa.yaml")),
    (
        "etiquette.yaml",
        include_str!("../../../rubrics/etiquette.yaml"),
    ),
    (
        "compliance.yaml",
        include_str!("../../../rubrics/compliance.yaml"),
    ),
];

fn shipped() -> RubricSet {
    let mut set = RubricSet::default();
    for (name, yaml) in SHIPPED {
        if let Err(e) = set.add_source(name, yaml) {
            panic!("{name} does not compile:\n{}", e.issues().join("\n"));
        }
    }
    set
}

/// Every rubric's result, scored as production scores it.
fn results(set: &RubricSet, t: &Transcript) -> Vec<RubricResult> {
    crate::analysis::analyse(t, set).results
}

/// The verdict of `rubric`'s criterion `id`.
fn verdict(results: &[RubricResult], rubric: &str, id: &str) -> CriterionVerdict {
    results
        .iter()
        .find(|r| r.rubric_id == rubric)
        .unwrap_or_else(|| panic!("no rubric {rubric}"))
        .criteria
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no criterion {rubric}/{id}"))
        .result
}

fn in_language(language: &str, duration: f64, utterances: Vec<Utterance>) -> Transcript {
    let mut t = call(duration, utterances);
    t.language = language.into();
    t
}

/// Criteria a well-run call passes, in every shipped rubric.
const GOOD_CALL_PASSES: &[(&str, &str)] = &[
    ("qa", "greeting"),
    ("qa", "agent_name"),
    ("qa", "company_name"),
    ("qa", "recording_disclosure"),
    ("qa", "identity_verification"),
    ("qa", "empathy"),
    ("qa", "hold_permission"),
    ("qa", "hold_thanks"),
    ("qa", "closing_further_help"),
    ("qa", "closing_thanks"),
    ("etiquette", "no_prohibited_language"),
    ("etiquette", "politeness"),
    ("compliance", "recording_disclosure"),
    ("compliance", "identity_verification"),
];

fn assert_good_call(t: &Transcript) {
    let r = results(&shipped(), t);
    for (rubric, id) in GOOD_CALL_PASSES {
        assert_eq!(
            verdict(&r, rubric, id),
            CriterionVerdict::Pass,
            "{}: {rubric}/{id}",
            t.language
        );
    }
    let qa = r.iter().find(|r| r.rubric_id == "qa").unwrap();
    assert!(!qa.critical_failed, "{}", t.language);
}

/// A rude agent who skips the disclosure fails the language and disclosure checks, and the first
/// offending utterance is the evidence.
fn assert_rude_call(t: &Transcript, first_offence_at: f64) {
    let r = results(&shipped(), t);
    for (rubric, id) in [
        ("etiquette", "no_prohibited_language"),
        ("qa", "recording_disclosure"),
        ("compliance", "recording_disclosure"),
    ] {
        assert_eq!(
            verdict(&r, rubric, id),
            CriterionVerdict::Fail,
            "{}: {rubric}/{id}",
            t.language
        );
    }
    let etiquette = r.iter().find(|r| r.rubric_id == "etiquette").unwrap();
    let rude = etiquette
        .criteria
        .iter()
        .find(|c| c.id == "no_prohibited_language")
        .unwrap();
    assert_eq!(rude.evidence[0].start, first_offence_at, "{}", t.language);
    assert!(r.iter().any(|r| r.rubric_id == "qa" && r.critical_failed));
}

#[test]
fn shipped_rubrics_compile_and_carry_hebrew_arabic_and_russian() {
    let set = shipped();
    assert_eq!(set.rubrics.len(), 3);
    for r in &set.rubrics {
        assert_eq!(r.languages, ["en", "he", "ar", "ru"], "{}", r.id);
    }
    // Every per-language phrase list has its he, ar and ru counterparts.
    fn lists_of<'a>(check: &'a Check, out: &mut Vec<&'a Phrases>) {
        match check {
            Check::Phrase(p) => {
                out.extend([&p.any_of, &p.all_of, &p.none_of].into_iter().flatten())
            }
            Check::All(cs) | Check::Any(cs) => cs.iter().for_each(|c| lists_of(c, out)),
            Check::Not(c) => lists_of(c, out),
            _ => {}
        }
    }
    for r in &set.rubrics {
        let mut lists = Vec::new();
        r.conditions
            .iter()
            .for_each(|c| lists_of(&c.check, &mut lists));
        r.criteria()
            .for_each(|(_, c)| lists_of(&c.check, &mut lists));
        assert!(!lists.is_empty());
        for phrases in lists {
            let langs: Vec<&str> = phrases
                .lists
                .iter()
                .filter(|(_, ps)| !ps.is_empty())
                .filter_map(|(l, _)| l.as_deref())
                .collect();
            assert_eq!(langs, ["en", "he", "ar", "ru"], "{}: {phrases:?}", r.id);
        }
    }
}

fn hebrew_good_call() -> Transcript {
    in_language(
        "he",
        63.0,
        vec![
            utt(
                A,
                0.5,
                5.0,
                "שלום, חברת אורנג', מדברת מיכל. לידיעתך השיחה מוקלטת לצורך בקרת איכות.",
            ),
            utt(
                C,
                5.5,
                10.0,
                "היי, זו הפעם השלישית שאני מתקשר בגלל חיוב כפול, אני ממש מתוסכל.",
            ),
            utt(
                A,
                10.5,
                15.0,
                "אני מאוד מצטערת לשמוע, אני מבינה את התסכול. אפשר את מספר תעודת הזהות ותאריך הלידה לאימות?",
            ),
            utt(C, 15.5, 19.0, "כן, נולדתי בחמישה במרץ."),
            utt(A, 19.5, 22.0, "תודה. אפשר להעמיד אותך בהמתנה לכמה רגעים?"),
            utt(C, 22.5, 23.5, "כן, בטח."),
            utt(
                A,
                45.0,
                50.0,
                "תודה רבה על ההמתנה. ביטלתי לך את החיוב הכפול, והכסף יוחזר לכרטיס תוך כמה ימים.",
            ),
            utt(C, 50.5, 53.0, "מעולה, תודה."),
            utt(A, 53.5, 57.0, "אין בעיה, בשמחה. יש עוד משהו שאוכל לעזור בו?"),
            utt(C, 57.5, 59.0, "לא, זהו."),
            utt(A, 59.5, 62.0, "תודה שהתקשרת, המשך יום נעים!"),
        ],
    )
}

fn arabic_good_call() -> Transcript {
    in_language(
        "ar",
        64.0,
        vec![
            utt(
                A,
                0.5,
                6.0,
                "مرحبا، شكرا لاتصالك بشركة زين، معك أحمد. للعلم المكالمة مسجلة لضمان جودة الخدمة.",
            ),
            utt(
                C,
                6.5,
                11.0,
                "أهلا، هذي ثالث مرة أتصل بخصوص الفاتورة، أنا زعلان كثير.",
            ),
            utt(
                A,
                11.5,
                16.0,
                "حقك علينا، أنا آسف على الإزعاج. ممكن اسمك الثلاثي ورقم الهوية للتحقق؟",
            ),
            utt(C, 16.5, 20.0, "أكيد، محمد علي حسن."),
            utt(A, 20.5, 23.0, "شكرا. ممكن تنتظرني لحظة على الخط؟"),
            utt(C, 23.5, 24.5, "تفضل."),
            utt(
                A,
                46.0,
                52.0,
                "شكرا على الانتظار. تم إلغاء الرسوم الزيادة، والمبلغ راح يرجع على بطاقتك.",
            ),
            utt(C, 52.5, 54.0, "ممتاز، يعطيك العافية."),
            utt(
                A,
                54.5,
                58.0,
                "ولا يهمك، ما يهمني هو راحتك. تحت أمرك، في شي ثاني أقدر أساعدك فيه؟",
            ),
            utt(C, 58.5, 60.0, "لا، شكرا."),
            utt(A, 60.5, 63.0, "شكرا لاتصالك، يومك سعيد."),
        ],
    )
}

fn russian_good_call() -> Transcript {
    in_language(
        "ru",
        62.0,
        vec![
            utt(
                A,
                0.5,
                6.0,
                "Здравствуйте, компания Ростелеком, меня зовут Анна. Обращаем ваше внимание, разговор записывается.",
            ),
            utt(
                C,
                6.5,
                11.0,
                "Добрый день. Я звоню уже третий раз, мне списали деньги дважды, я очень недоволен.",
            ),
            utt(
                A,
                11.5,
                16.0,
                "Мне очень жаль, я вас понимаю. Мне всё равно нужно вас идентифицировать: назовите, пожалуйста, номер договора и дату рождения.",
            ),
            utt(C, 16.5, 19.0, "Номер договора сорок два, родился пятого марта."),
            utt(A, 19.5, 22.0, "Спасибо. Можете немного подождать на линии?"),
            utt(C, 22.5, 23.5, "Да, конечно."),
            utt(
                A,
                45.0,
                50.0,
                "Спасибо за ожидание. Я отменила повторное списание, деньги вернутся на карту в течение трёх дней.",
            ),
            utt(C, 50.5, 52.0, "Отлично, спасибо."),
            utt(
                A,
                52.5,
                56.0,
                "Это не проблема, пожалуйста. Могу ли я ещё чем-то вам помочь?",
            ),
            utt(C, 56.5, 58.0, "Нет, всё."),
            utt(A, 58.5, 61.0, "Спасибо за обращение, всего доброго!"),
        ],
    )
}

#[test]
fn a_well_run_hebrew_call_passes() {
    assert_good_call(&hebrew_good_call());
}

#[test]
fn a_well_run_arabic_call_passes() {
    assert_good_call(&arabic_good_call());
}

#[test]
fn a_well_run_russian_call_passes() {
    assert_good_call(&russian_good_call());
}

#[test]
fn good_calls_hold_once_and_act_after_verifying() {
    for t in [hebrew_good_call(), arabic_good_call(), russian_good_call()] {
        let m = metrics::compute(&crate::analysis::Context::of(&t));
        assert_eq!(m.hold_count, 1, "{}", t.language);
        assert_eq!(m.dead_air_count, 0, "{}", t.language);
        let r = results(&shipped(), &t);
        let qa = r.iter().find(|r| r.rubric_id == "qa").unwrap();
        let verified = qa
            .criteria
            .iter()
            .find(|c| c.id == "identity_verification")
            .unwrap();
        // The verification question, not the account action, is the evidence.
        assert!(verified.evidence[0].start < 20.0, "{}", t.language);
    }
}

#[test]
fn acting_before_verifying_fails_in_every_language() {
    for mut t in [hebrew_good_call(), arabic_good_call(), russian_good_call()] {
        // The agent acts first and asks for the caller's details afterwards.
        let action = t.utterances[6].text.clone();
        let question = t.utterances[2].text.clone();
        t.utterances[2].text = action;
        t.utterances[6].text = question;
        let r = results(&shipped(), &t);
        assert_eq!(
            verdict(&r, "compliance", "identity_verification"),
            CriterionVerdict::Fail,
            "{}",
            t.language
        );
    }
}

#[test]
fn a_rude_hebrew_call_fails() {
    let t = in_language(
        "he",
        20.0,
        vec![
            utt(A, 0.5, 3.0, "כן, שירות לקוחות."),
            utt(
                C,
                3.5,
                8.0,
                "שלום, אני מתקשר בגלל חיוב שלא ביצעתי, זה כבר פעם שלישית.",
            ),
            utt(
                A,
                8.5,
                12.0,
                "תירגע, אדוני. זו לא הבעיה שלי, מה אתה רוצה ממני?",
            ),
            utt(C, 12.5, 15.0, "אני רוצה שתעזור לי!"),
            utt(A, 15.5, 18.0, "כבר אמרתי לך, תתקשר מחר."),
        ],
    );
    assert_rude_call(&t, 8.5);
}

#[test]
fn a_rude_arabic_call_fails() {
    let t = in_language(
        "ar",
        20.0,
        vec![
            utt(A, 0.5, 3.0, "نعم؟"),
            utt(
                C,
                3.5,
                8.0,
                "السلام عليكم، عندي مشكلة بالفاتورة، انخصم مني مبلغ مرتين.",
            ),
            utt(A, 8.5, 12.0, "اهدأ شوي، هذي مو مشكلتي."),
            utt(C, 12.5, 14.0, "كيف يعني؟"),
            utt(A, 14.5, 17.0, "قلتلك مية مرة، اتصل بالبنك."),
        ],
    );
    assert_rude_call(&t, 8.5);
}

#[test]
fn a_rude_russian_call_fails() {
    let t = in_language(
        "ru",
        20.0,
        vec![
            utt(A, 0.5, 2.0, "Да, слушаю."),
            utt(
                C,
                2.5,
                7.0,
                "Здравствуйте, у меня списали деньги за услугу, которую я не заказывал.",
            ),
            utt(
                A,
                7.5,
                11.0,
                "Успокойтесь. Это не моя проблема, разбирайтесь сами.",
            ),
            utt(C, 11.5, 13.0, "Как это не ваша проблема?"),
            utt(A, 13.5, 16.0, "Мне плевать, я же вам сказал."),
        ],
    );
    assert_rude_call(&t, 7.5);
}

#[test]
fn innocent_phrasing_is_not_prohibited_language() {
    let set = shipped();
    for (lang, text) in [
        ("he", "אין בעיה, אני בודקת לך את זה."),
        ("he", "אני מבין את הבעיה שלך, בוא נפתור אותה."),
        ("he", "הכל יסתדר, אני ארגיע אותך: זה מרגיע לשמוע שהכסף חזר."),
        ("he", "מה תרצה לעשות עם ההזמנה?"),
        ("ar", "ولا يهمك، ما يهمني هو رضاك."),
        ("ar", "ما هي مشكلتك بالضبط؟ رح نحلها."),
        ("ar", "أنا أفهم، خليني أتصرف وأحل الموضوع."),
        ("ar", "اللعبة على الجهاز لا تعمل؟"),
        ("ru", "Это не проблема, сейчас всё исправим."),
        ("ru", "Ваша проблема решена."),
        ("ru", "Мне всё равно нужно уточнить ваш адрес."),
        ("ru", "Не беспокойтесь, котёл заменят бесплатно."),
    ] {
        let t = in_language(
            lang,
            10.0,
            vec![utt(A, 0.5, 4.0, text), utt(C, 4.5, 6.0, "...")],
        );
        let r = results(&set, &t);
        assert_eq!(
            verdict(&r, "etiquette", "no_prohibited_language"),
            CriterionVerdict::Pass,
            "{lang}: {text}"
        );
    }
}

#[test]
fn a_negated_disclosure_is_not_a_disclosure() {
    let set = shipped();
    for (lang, text) in [
        ("he", "שלום, השיחה לא מוקלטת."),
        ("ru", "Здравствуйте, разговор не записывается."),
        ("ar", "مرحبا، قد يتم تسجيل الشكوى."),
    ] {
        let t = in_language(lang, 10.0, vec![utt(A, 0.5, 4.0, text)]);
        let r = results(&set, &t);
        assert_eq!(
            verdict(&r, "qa", "recording_disclosure"),
            CriterionVerdict::Fail,
            "{lang}: {text}"
        );
    }
}

#[test]
fn distress_is_answered_with_care_and_a_helpline() {
    let set = shipped();
    for (lang, said, answer) in [
        (
            "he",
            "אני כבר לא יודע, אין לי בשביל מה לחיות.",
            "אני מאוד מצטער לשמוע, תודה שסיפרת לי. אתה במקום בטוח עכשיו? אפשר לפנות לער\"ן בטלפון 1201.",
        ),
        (
            "ar",
            "والله تعبت من حياتي، ما بدي عيش.",
            "الله يعينك، أنا قلق عليك. هل أنت بأمان الآن؟ في خط الدعم النفسي تقدر تحكي معهم.",
        ),
        (
            "ru",
            "Я не знаю, зачем всё это, я не хочу жить.",
            "Мне очень жаль это слышать. Вы сейчас в безопасности? Есть телефон доверия, там вам могут помочь.",
        ),
    ] {
        let conversation = |agent: &str| {
            in_language(
                lang,
                30.0,
                vec![
                    utt(A, 0.5, 4.0, "..."),
                    utt(C, 5.0, 9.0, said),
                    utt(A, 10.0, 16.0, agent),
                ],
            )
        };
        let r = results(&set, &conversation(answer));
        assert_eq!(
            verdict(&r, "compliance", "distress_response"),
            CriterionVerdict::Pass,
            "{lang}: {answer}"
        );
        // Moving on to business is not a response.
        let r = results(&set, &conversation("..."));
        assert_eq!(
            verdict(&r, "compliance", "distress_response"),
            CriterionVerdict::Fail,
            "{lang}"
        );
    }
}

/// Possible distress is judged like distress: the agent's response is checked (an evaluator who
/// hears "I can't take it anymore" judges it), not waved through as not applicable.
#[test]
fn the_response_to_possible_distress_is_checked() {
    let set = shipped();
    let conversation = |said: &str, agent: &str| {
        in_language(
            "en",
            30.0,
            vec![
                utt(A, 0.5, 4.0, "Thanks for calling, how can I help?"),
                utt(C, 5.0, 9.0, said),
                utt(A, 10.0, 16.0, agent),
            ],
        )
    };
    let ambiguous = "Honestly I just can't take it anymore.";
    let r = results(
        &set,
        &conversation(ambiguous, "Okay, what is your account number?"),
    );
    assert_eq!(
        verdict(&r, "compliance", "distress_response"),
        CriterionVerdict::Fail
    );
    let cared = "I'm really sorry, are you safe right now? I can connect you with a support line.";
    let r = results(&set, &conversation(ambiguous, cared));
    assert_eq!(
        verdict(&r, "compliance", "distress_response"),
        CriterionVerdict::Pass
    );
    // Without any distress it does not apply.
    let r = results(
        &set,
        &conversation(
            "My bill is wrong again.",
            "Okay, what is your account number?",
        ),
    );
    assert_eq!(
        verdict(&r, "compliance", "distress_response"),
        CriterionVerdict::Na
    );
}
