//! The distress patterns of every shipped language. Syntax (one pattern per string):
//!
//! - slots separated by spaces, each a `|`-list of interchangeable words, in order;
//! - `?slot` may be absent; `!slot` is never taken as the garbled word (the concept itself);
//! - `word*` matches any word starting so (after folding), `NEG` any negation, `#` a number;
//! - `..` before a slot lets it stand up to seven words after the previous one (else three);
//! - `@name` inserts the language's word list of that name.
//!
//! Words are written as Whisper writes them (no niqqud or harakat) and match like rubric
//! phrases (stems, clitics, endings, a one-letter ASR slip). A negation between two matched
//! slots stops a match, so a pattern that allows one must say so (`?NEG`).

use super::Kind::{self, Confirmed as C, Context as X, Doubt as D, Guard as G, Possible as P};

pub(super) struct LanguageSet {
    pub lang: &'static str,
    pub macros: &'static [(&'static str, &'static str)],
    /// Words that start a new clause ("but").
    pub clause_words: &'static [&'static str],
    pub patterns: &'static [(Kind, &'static str, &'static str)],
}

pub(super) const LANGUAGES: &[LanguageSet] = &[EN, HE, AR, RU];

// What was said, as a reviewer reads it in the flag's detail.
const SELF_HARM: &str = "self-harm or suicide";
const WISH_TO_DIE: &str = "wish to die";
const BURDEN: &str = "being a burden";
const BETTER_OFF: &str = "others better off without them";
const DISAPPEAR: &str = "wanting to disappear";
const NOT_WAKE: &str = "not wanting to wake up";
const NOT_HERE: &str = "not wanting to be here";
const NO_POINT: &str = "no point in living";
const CANT_GO_ON: &str = "can't go on";
const GOODBYE: &str = "saying goodbye";
const MEANS: &str = "means (pills, bridge, gun, rope)";
const HOPELESS: &str = "hopelessness";
const ENDING: &str = "wanting it all to end";
const NOBODY: &str = "nobody would miss them";
const CONTEXT: &str = "farewell or isolation";
const EVERYDAY: &str = "";

const EN: LanguageSet = LanguageSet {
    lang: "en",
    macros: &[
        (
            "want",
            "want|wanted|wants|wish|wished|wishing|hope|hoping|rather|like|need|ready|prefer",
        ),
        (
            "all",
            "everyone|everybody|all|family|kids|children|people|world|them|husband|wife|parents|mom|mum|dad|son|daughter|friends|others",
        ),
        (
            "gone",
            "gone|vanish*|disappear*|dead|die|died|dying|evaporate*",
        ),
        ("here", "here|hear|around|alive|exist|existed|existing|living"),
        (
            "pills",
            "pills|pill|tablets|tablet|meds|medication|medications|medicine|painkillers|sleeping|insulin",
        ),
    ],
    clause_words: &["but", "however"],
    patterns: &[
        // Self-harm and suicide said outright.
        (C, SELF_HARM, "!kill|killing|killed|kills ?my !myself|self"),
        (C, SELF_HARM, "!end|ending|ended|take|taking|took !my ?own !life|live|lives"),
        (C, SELF_HARM, "!suicidal"),
        (
            C,
            SELF_HARM,
            "!thinking|thought|think|considering|considered|planning|planned|attempt|attempted|tried|commit|committing|contemplating !suicid*",
        ),
        (P, SELF_HARM, "!suicid*"),
        (
            C,
            SELF_HARM,
            "!want|going|thinking|think|thought|might|will|urge|urges|tempted !hurt|harm|cut|hurting|harming|cutting|poison|poisoning ?my !myself|self",
        ),
        (P, SELF_HARM, "!hurt|harm|hurting|harming|cut|cutting ?my !myself|self"),
        (C, SELF_HARM, "!self !harm|harming|harmed"),
        (C, SELF_HARM, "!hang|hanging|hanged ?my !myself|self"),
        (C, SELF_HARM, "!cut|cutting|slit|slitting !wrists|wrist|throat"),
        // Wishing to be dead.
        (C, WISH_TO_DIE, "@want ?to ?be ?just !die|dead"),
        (C, WISH_TO_DIE, "!better !off !dead"),
        (C, WISH_TO_DIE, "!wish|rather NEG !born|exist|existed"),
        (G, EVERYDAY, "rather !die|dead !than"),
        // Others better off without me.
        (
            C,
            BETTER_OFF,
            "!better|easier|happier|happy|fine|calmer|lighter|relieved ?off|of !without !me",
        ),
        (
            C,
            BETTER_OFF,
            "!better|easier|happier|relieved|relief|lighter|calmer .. !if|when|once !i ?was|were|am|would|just ?just !@gone",
        ),
        (
            C,
            BETTER_OFF,
            "!if|when|once !i ?was|were|just ?just !@gone .. !better|easier|happier|relieved|relief|lighter",
        ),
        (
            C,
            BETTER_OFF,
            "!better|easier|happier|relieved|relief|lighter .. !if|when|once !i ?was|were|would|will|am|did NEG ?be|live|exist !@here",
        ),
        (
            C,
            BETTER_OFF,
            "!if|when|once !i ?was|were|would|will|am|did NEG ?be|live|exist !@here .. !better|easier|happier|relieved|relief",
        ),
        (P, BETTER_OFF, "!if|once !i ?was|were|just ?just !vanish*|disappear*|gone|dead|died"),
        // The frame alone, whatever the garbled last word ("better off if I just managed").
        (
            P,
            BETTER_OFF,
            "!@all ?would|will|be !better|easier|happier|relieved ?off .. !if|when|once !i",
        ),
        // Being a burden.
        (
            C,
            BURDEN,
            "!i !am|feel|felt|become|became|was|been|seem !burden*|burdon*",
        ),
        (C, BURDEN, "!burden*|burdon* !to|on|for ?my ?whole !@all"),
        (P, BURDEN, "NEG !want ?to ?be !burden*|burdon*"),
        (P, BURDEN, "!i .. !burden*|burdon*"),
        // Wanting to disappear.
        (C, DISAPPEAR, "@want ?to ?just !disappear*|vanish*|evaporate*"),
        (C, DISAPPEAR, "@want ?to ?just ?go ?to !sleep !forever"),
        (P, DISAPPEAR, "!going|about ?to ?just !disappear*|vanish*"),
        (
            G,
            EVERYDAY,
            "!disappear*|vanish* !for|over|on|this|next|during|until|till !weekend|week|weekends|holiday|holidays|vacation|trip|day|days|month|summer|night|evening|afternoon|morning|#",
        ),
        (
            D,
            EVERYDAY,
            "!disappear*|vanish* !for|awhile ?little !while|bit|time|moment|hour|hours",
        ),
        (
            G,
            EVERYDAY,
            "!disappear*|vanish* !from|off !list|mailing|database|system|records|contacts|emails|calls|account|accounts|register|registry|radar",
        ),
        // Not wanting to wake up.
        (C, NOT_WAKE, "NEG !want|wanting ?to !wake|waking|woke ?up"),
        (
            C,
            NOT_WAKE,
            "!hope|hoping|wish|pray|praying|rather NEG !wake|waking|woke",
        ),
        (C, NOT_WAKE, "!sleep|asleep|bed NEG|never !wake|waking|woke"),
        (
            G,
            EVERYDAY,
            "!wake|waking|woke|get|getting ?up !at|by|before|early|earlier|until|till|#|for|when|because|every|each",
        ),
        // Not wanting to be here.
        (
            C,
            NOT_HERE,
            "NEG !want|wanting ?to !be|stay|exist !here|hear|around|alive|anymore|anywhere",
        ),
        (C, NOT_HERE, "NEG !want|wanting ?to !exist"),
        (C, NOT_HERE, "NEG !want|wanting ?to !live|living"),
        (C, NOT_HERE, "NEG !exist ?anymore"),
        (
            C,
            NOT_HERE,
            "NEG !be|stick|stay|last ?here|around|alive ?much|very !long|longer|forever",
        ),
        (P, NOT_HERE, "NEG !be !here|around|alive"),
        (
            G,
            EVERYDAY,
            "!be|been|stay|staying ?here|there|around|home !on|in|at|until|till|when|while|during|tomorrow|today|tonight|monday|tuesday|wednesday|thursday|friday|saturday|sunday|next|this|morning|afternoon|evening|weekend|week|#|hold|line|office|work|house|store|shop",
        ),
        (
            G,
            EVERYDAY,
            "!live|living|stay|staying !in|at|near|there|here|next|on|somewhere|abroad|close|with",
        ),
        // No point in living.
        (
            C,
            NO_POINT,
            "!no|NEG|what|without !point|reason|purpose|sense !live|living|life|alive|existing|exist|myself",
        ),
        (
            C,
            NO_POINT,
            "!no|NEG|what !point|reason|purpose !going|carrying|go|carry on",
        ),
        (P, NO_POINT, "!no|NEG|what !point|reason|purpose !anymore|anything"),
        (C, NO_POINT, "!nothing|no|1|nobody|noone left|worth|reason|one ?to !live|living"),
        (P, HOPELESS, "!nothing !matter|matters|mattered ?anymore|any|now"),
        // "sleep and not wake up" with the negation lost by ASR: unsure, so possible.
        (P, NOT_WAKE, "!sleep|asleep ..!never|not|and|then|just !wake|waking ?up"),
        (C, NO_POINT, "!life|living ?is|was|just|really NEG !worth"),
        (C, NO_POINT, "NEG !worth !living|live|alive"),
        (
            C,
            NO_POINT,
            "!tired|sick|weary|exhausted|done ?of|with ?my ?this !living|life|live|alive|existing|breathing",
        ),
        (C, NO_POINT, "!had|have|enough !of|with ?my ?this !life|living"),
        (C, NO_POINT, "!lost|losing|lose|no !will !to !live|living"),
        (C, NO_POINT, "!give|given|giving|gave !up ?on !life|living|myself"),
        // Wanting it all to end.
        (
            C,
            ENDING,
            "@want !everything|life|pain|suffering ?to ?just !end|stop|over|finish",
        ),
        (C, ENDING, "@want !it !all ?to ?just !end|stop|over"),
        (C, ENDING, "!end|ending|finish !it !all"),
        (P, ENDING, "@want ?to ?just !end !it"),
        // Can't go on (alone often frustration: possible unless something else is said).
        (P, CANT_GO_ON, "NEG !go|carry|keep !on"),
        (C, CANT_GO_ON, "NEG !go|carry|keep !on|going !living|life|alive"),
        (
            P,
            CANT_GO_ON,
            "NEG !do|take|handle|bear|cope|stand ?this|it|with !anymore|longer",
        ),
        (
            C,
            CANT_GO_ON,
            "NEG !take|handle|bear|cope|stand|do ?this|it|with !life|living",
        ),
        (
            G,
            EVERYDAY,
            "!go|going|carry ?on !hold|holding|line|waiting|wait|call|calling|phone|trip|vacation|holiday|website|site|internet|online|app|computer|date|paying|pay|leave|break|strike|air",
        ),
        // Saying goodbye.
        (
            C,
            GOODBYE,
            "!say|saying|said|tell|telling|wanted|want ?to !goodbye|goodbyes|farewell|bye !everyone|everybody|family|kids|children|world|forever|final",
        ),
        (
            P,
            GOODBYE,
            "!say|saying|said|wanted|want ?to !goodbye|goodbyes|farewell",
        ),
        (P, GOODBYE, "!this|my|that ?is ?my !last|final !call|conversation|goodbye|words"),
        (
            G,
            EVERYDAY,
            "!goodbye|farewell|bye ?to !my|this|your|that|old|our !number|phone|plan|account|contract|service|company|provider|router|bill|internet|card|subscription|money|package|deal",
        ),
        // Means.
        (
            C,
            MEANS,
            "!take|taking|swallow|swallowing|overdose|overdosing|down|downing !whole|bottle|handful|bunch|enough|entire|box|packet|pack|stash|stockpile !@pills",
        ),
        (
            C,
            MEANS,
            "!take|taking|swallow|swallowing !all !@pills .. !once|together|same",
        ),
        (P, MEANS, "!take|taking|swallow|swallowing|took !all !@pills"),
        (
            C,
            MEANS,
            "@want|going|thinking|think|thought|planning|plan|might|could|will !overdose|overdosing|od",
        ),
        (P, MEANS, "!overdose|overdosing|overdosed"),
        (
            C,
            MEANS,
            "!saving|saved|stockpiling|stockpiled|hoarding|hoarded|collecting|collected|keeping|stashing|stashed !@pills",
        ),
        (
            C,
            MEANS,
            "!jump|jumping|jumped|throw|throwing ?myself !off|from|front|under !bridge|roof|building|balcony|cliff|window|train|bus|truck|traffic|tracks|tower|rooftop",
        ),
        (
            P,
            MEANS,
            "!bought|buy|buying|got|have|has|own|found|keep|kept|getting|get !rope|gun|pistol|rifle|firearm|shotgun|razor|razors|blades|poison|charcoal",
        ),
        (
            C,
            MEANS,
            "!thinking|think|thought|want|wanted|going|planning|plan ?about|of|to !step|stepping|walk|walking|lie|lying|jump|jumping|throw|throwing ?myself !front|under|onto !train|trains|traffic|tracks|bus|lorry|truck",
        ),
        (
            P,
            MEANS,
            "!step|stepping|lie|lying ?myself !front|under|onto !train|trains|traffic|tracks",
        ),
        (
            C,
            MEANS,
            "!use|using|turn|turning|point|pointing|put|putting !gun|it|pistol|rifle !on|to|at ?my !myself|head|self",
        ),
        // Hopelessness.
        (
            P,
            HOPELESS,
            "!i ?am|feel|felt|so|just|completely|totally|really !hopeless|worthless|helpless|desperate|trapped|empty|numb|useless|broken",
        ),
        (P, HOPELESS, "!no|NEG ?way|hope|more !out|hope|future"),
        (P, HOPELESS, "NEG !future|hope"),
        (P, HOPELESS, "!lost|losing !everything|hope"),
        (P, HOPELESS, "!give|given|giving|gave !up ?on !everything"),
        (P, HOPELESS, "!end ?of ?my !rope|tether"),
        // Nobody would miss me.
        (C, NOBODY, "!nobody|no|1|noone !miss|mourn ?me"),
        (
            C,
            NOBODY,
            "!nobody|no|1|noone !notice|noticed|care|cares|realize .. !if|when|once !i ?was|were|did ?NEG !gone|dead|died|disappear*|vanish*|here|around|alive|exist",
        ),
        (P, NOBODY, "!nobody|no|1|noone !care|cares|cared|loves|love ?about ?me"),
        // Frames that still stand when ASR garbles the one word a pattern above needs (its key
        // slot): possible, for a person to judge. Each measured on the tuning statements with
        // every word in turn replaced or dropped (`distress::tests`, single-word garbles).
        (P, BETTER_OFF, "!be !off|of !without !me"),
        (
            P,
            BETTER_OFF,
            "!for !@all .. !if|when|once !i ?was|were|am|would|will|did NEG ?be|live|exist !@here",
        ),
        (P, BURDEN, "!such .. !on|to !my !@all"),
        (P, NOT_HERE, "@want ?to !be|stay|exist !here|hear|around|alive !anymore"),
        (P, NOT_HERE, "NEG .. !to !be|stay|exist !here|hear|around|alive !anymore"),
        (P, NO_POINT, "!no|NEG .. !in !going|carrying !on"),
        (P, NO_POINT, "!left !to !live|living !for"),
        (P, NO_POINT, "!nothing !left !to .. !for"),
        (P, NO_POINT, "!no .. !going|carrying|keep|keeping !on"),
        // ASR drops or flips the negation of "hoping I won't wake up" ("hoping I will wake up").
        (
            P,
            NOT_WAKE,
            "!sleep|asleep|bed .. !hoping|hope|wish|wishing|praying|pray ?i .. !wake|waking",
        ),
        (
            P,
            NOT_WAKE,
            "!hope|hoping|wish|wishing|pray|praying !i ?just ?will|would|NEG !wake|waking",
        ),
        (
            P,
            BETTER_OFF,
            "!better|easier|happier|simpler !for !@all .. !if|when|once !i",
        ),
        (P, MEANS, "!@pills !at !once"),
        (P, NO_POINT, "!life|living .. !worth !living|live"),
        (
            P,
            ENDING,
            "!everything|life|pain|suffering ?to ?just !end|stop|over|finish !for !good|ever",
        ),
        (
            P,
            MEANS,
            "!thinking|think|thought ?about|of !jump|jumping|throwing|throw ?myself !off|from",
        ),
        (
            P,
            MEANS,
            "!thinking|think|thought|want|wanted|going|planning ?about|of|to .. !off|from !bridge|roof|building|balcony|cliff|tower|rooftop",
        ),
        (
            P,
            MEANS,
            "!jump|jumping|jumped|throw|throwing .. !bridge|roof|balcony|cliff|tower|rooftop",
        ),
        (
            P,
            MEANS,
            "!thinking|think|thought|going|planning ?of|about|to .. !all !@pills",
        ),
        // Context: raises nothing alone, confirms a possible signal nearby.
        (
            X,
            CONTEXT,
            "!written|wrote|writing|write|left|leaving !letter|letters|note|notes|will",
        ),
        (
            X,
            CONTEXT,
            "!gave|giving|given|give ?away ?my !things|stuff|belongings|possessions",
        ),
        (X, CONTEXT, "!know !what !i ?am !going ?to !do"),
        (X, CONTEXT, "!i ?am|feel|so|really|all|completely !alone|lonely"),
    ],
};

const HE: LanguageSet = LanguageSet {
    lang: "he",
    macros: &[
        ("want", "רוצה|רוצים|הלוואי|בא|מתחשק|מעדיף|מעדיפה|מקווה"),
        (
            "pills",
            "כדורים|הכדורים|כדורי|תרופות|התרופות|כדור|כדורי",
        ),
    ],
    clause_words: &["אבל"],
    patterns: &[
        (C, SELF_HARM, "!להתאבד|אתאבד|מתאבד|מתאבדת"),
        (P, SELF_HARM, "!התאבדות|התאבד|התאבדה"),
        (C, SELF_HARM, "!לפגוע|אפגע|פוגע|פוגעת|פגעתי !בעצמי"),
        (C, SELF_HARM, "!פגיעה !עצמית"),
        (C, SELF_HARM, "!קץ !לחיים|לחיי|חיי|לחיות"),
        (
            C,
            SELF_HARM,
            "!לסיים|לגמור|לשים|אסיים|אגמור|לקחת ?את|עם !החיים|חיי|חיים|עצמי",
        ),
        (C, SELF_HARM, "!להרוג|אהרוג !עצמי"),
        (C, WISH_TO_DIE, "@want !למות|שאמות|אמות"),
        (C, WISH_TO_DIE, "!עדיף|טוב !שאמות|למות"),
        (
            G,
            EVERYDAY,
            "!למות|מת|מתה|מתים|אמות !מצחוק|משעמום|מרעב|מחום|מקור|לדעת|על|מעייפות",
        ),
        (C, BETTER_OFF, "!טוב|עדיף|קל|יותר|ירווח !בלעדיי|בלעדי"),
        (
            C,
            BETTER_OFF,
            "!אם|כש ?אני !אעלם|איעלם|אמות|אסתלק|אתאבד .. !קל|טוב|עדיף|ירווח|יותר",
        ),
        (
            C,
            BETTER_OFF,
            "!טוב|קל|עדיף|ירווח .. !אם|כש ?אני !אעלם|איעלם|אמות|אסתלק",
        ),
        (P, BETTER_OFF, "!אם ?אני !אעלם|איעלם|אמות"),
        (
            P,
            BETTER_OFF,
            "!לכולם|כולם|למשפחה|לילדים ?יהיה|יהיו ?יותר !טוב|קל|עדיף .. !אם ?אני",
        ),
        (C, BURDEN, "!אני !נטל|מעמסה|עול"),
        (C, BURDEN, "!נטל|מעמסה !על|לכולם|למשפחה|לילדים"),
        (P, BURDEN, "NEG !רוצה|רוצים ?להיות !נטל|מעמסה"),
        (
            C,
            DISAPPEAR,
            "@want !להיעלם|להעלם|להתאדות|להתפוגג|ולהיעלם|שאעלם|אעלם",
        ),
        (P, DISAPPEAR, "!אעלם|איעלם"),
        (
            G,
            EVERYDAY,
            "!להיעלם|להעלם|נעלם|נעלמת|אעלם|איעלם !לסוף|לסופש|לשבוע|לכמה|לחופש|לחופשה|ליום|לערב|#",
        ),
        (D, EVERYDAY, "!להיעלם|להעלם|אעלם|איעלם !לקצת|לזמן|לתקופה"),
        (C, NOT_WAKE, "NEG !רוצה|רוצים ?כבר|יותר !להתעורר|לקום|להתעורר"),
        (
            C,
            NOT_WAKE,
            "!לישון|אירדם|להירדם|ישן|ישנה|לישן NEG !אתעורר|להתעורר|אקום|לקום|התעורר",
        ),
        (
            G,
            EVERYDAY,
            "!להתעורר|לקום|להשכים|אתעורר|אקום !מוקדם|בבוקר|בוקר|#|שש|בשש|חמש|בחמש|שבע|בשבע|שמונה|בשמונה|בשביל|כדי|ב",
        ),
        (C, NOT_HERE, "NEG !רוצה|רוצים ?כבר|יותר|בכלל !לחיות"),
        (
            C,
            NOT_HERE,
            "NEG !רוצה|רוצים ?כבר|יותר|בכלל !להיות|להישאר !פה|כאן|קיים|קיימת|יותר|בחיים|בעולם",
        ),
        (C, NOT_HERE, "NEG !אהיה|אהיה|אשאר ?פה|כאן !עוד|הרבה|זמן|יותר|לאורך"),
        (
            G,
            EVERYDAY,
            "!לחיות|לגור|להיות !דירה|בדירה|עיר|בעיר|שכונה|בשכונה|אזור|באזור|בית|בבית|עם|ליד|מחר|בבית",
        ),
        (
            C,
            NO_POINT,
            "!אין|מה|בלי|NEG ?לי ?כבר !טעם|סיבה|תכלית|הטעם !לחיות|חיים|בחיים|לחיים|לקום",
        ),
        (P, NO_POINT, "!אין|מה|NEG ?לי ?כבר !טעם|הטעם !להמשיך"),
        (
            G,
            EVERYDAY,
            "!להמשיך !לחכות|לנסות|לדבר|להתקשר|לשלם|לבדוק|לריב|להמתין|עם",
        ),
        (C, NO_POINT, "?NEG ?לי !בשביל|למען|למה ?מה|מי !לחיות"),
        (
            C,
            NO_POINT,
            "!נמאס|עייף|עייפה|עייפתי|התעייפתי|מאס|מאסתי|שבע|שבעה !לחיות|מהחיים|החיים|חיים|מחיי",
        ),
        (C, NO_POINT, "!החיים|חיי|חיים ?שלי ?NEG !שווים|שווה"),
        (C, NO_POINT, "NEG !שווה|שווים ?לחיות|לחיות|חיים"),
        (C, CANT_GO_ON, "NEG !יכול|יכולה|מסוגל|מסוגלת !לחיות"),
        (
            P,
            CANT_GO_ON,
            "NEG !יכול|יכולה|מסוגל|מסוגלת ?כבר ?עוד !יותר|ככה|כבר",
        ),
        (
            G,
            EVERYDAY,
            "!יכול|יכולה ?יותר|כבר|עוד !לחכות|להמתין|לשלם|להתחבר|להיכנס|לדבר|לשמוע|להתקשר|לגלוש",
        ),
        (C, NOBODY, "!אף !אחד|1 ?NEG !יתגעגע|יתגעגעו|יבכה|יזכור|יחסר"),
        (
            C,
            NOBODY,
            "!אף !אחד|1 ?NEG !ישים|ירגיש|יבחין .. !אם|כשאני|שאני|אמות|אעלם|איעלם",
        ),
        (P, NOBODY, "!לא !אכפת !ממני|לאף|לאיש"),
        (
            C,
            GOODBYE,
            "!להיפרד|נפרד|נפרדת|להגיד|להיפרד !מכולם|מכם|מהעולם|מהחיים|לתמיד|כולם|מהמשפחה",
        ),
        (P, GOODBYE, "!להיפרד|נפרד|נפרדת"),
        (P, GOODBYE, "!שיחה|השיחה|הפעם|פעם|המילים !אחרונה|האחרונה|האחרונות"),
        (
            C,
            MEANS,
            "!אספתי|אוסף|אוספת|חוסך|חוסכת|שמרתי|אגרתי|אוגר|אוגרת !@pills",
        ),
        (
            C,
            MEANS,
            "!לבלוע|אבלע|לקחת|אקח|בולע|בולעת !כל|חפיסה|קופסה|בקבוק|ערימה !@pills",
        ),
        (
            C,
            MEANS,
            "!לקפוץ|אקפוץ|קופץ|קופצת|לזרוק|להשליך|לקפוץ !מהגשר*|מגשר*|מהגג*|מגג*|מהבניין*|מבניין*|מהחלון*|מחלון*|מהמרפסת*|ממרפסת*|מהקומה*|מתחת*|מצוק*|מהצוק*",
        ),
        (C, MEANS, "!לתלות|אתלה|תולה ?את !עצמי"),
        (
            P,
            MEANS,
            "!קניתי|יש|השגתי|מצאתי !חבל|אקדח|רובה|סכין|רעל|סכינים|סכיני",
        ),
        (P, ENDING, "@want !שזה !ייגמר|יגמר|יסתיים"),
        (
            C,
            ENDING,
            "@want !שהכל|שהכול|שהחיים !ייגמר|יגמר|ייגמרו|יסתיים|יסתיימו|יפסיק",
        ),
        (P, ENDING, "!לסיים|לגמור|אסיים|אגמור ?את|עם !זה|הכל|הכול"),
        (P, HOPELESS, "!אין ?לי ?כבר !מוצא|תקווה|תקוה|עתיד"),
        (
            P,
            HOPELESS,
            "!חסר|חסרת|מיואש|מיואשת|אבוד|אבודה|ייאוש|בייאוש ?תקווה|תקוה",
        ),
        (P, HOPELESS, "!איבדתי|אבדה !הכל|הכול|תקווה|טעם"),
        (
            X,
            CONTEXT,
            "!כתבתי|השארתי|משאיר|משאירה|כותב|כותבת !מכתב|מכתבים|פתק|צוואה|מכתבי",
        ),
        (X, CONTEXT, "!אני !לבד|בודד|בודדה"),
    ],
};

const AR: LanguageSet = LanguageSet {
    lang: "ar",
    macros: &[
        (
            "want",
            "بدي|بدّي|أريد|عايز|عاوز|أبي|أبغى|نفسي|أتمنى|ودي|حابب|بتمنى|ريت|ياريت|أود",
        ),
        ("pills", "الحبوب|حبوب|الدوا|دوا|الدواء|الأدوية|أدوية|حبات|الحبات"),
    ],
    clause_words: &["لكن", "بس"],
    patterns: &[
        (
            C,
            SELF_HARM,
            "!أفكر|بفكر|فكرت|بدي|رح|راح|ناوي|ناوية|عايز|أريد|حاولت|محاولة !الانتحار|انتحار|انتحر|أنتحر|بالانتحار",
        ),
        (P, SELF_HARM, "!الانتحار|انتحار|انتحر|أنتحر|بالانتحار"),
        (C, SELF_HARM, "!أقتل|اقتل|أموت|هموت|موت|بقتل|أأذي|أؤذي|أوذي|آذي !نفسي|حالي|روحي"),
        (C, SELF_HARM, "!إيذاء|أذية !نفسي|حالي"),
        (
            C,
            SELF_HARM,
            "!أنهي|إنهاء|أخلص|أنتهي|أنهيت|نخلص ?من|على !حياتي|عمري|روحي",
        ),
        (C, WISH_TO_DIE, "@want ?أن ?لو !الموت|أموت|موت|نموت|مت"),
        (
            G,
            EVERYDAY,
            "!أموت|موت|بموت|هموت|مت|متت !من|على|في|و !الضحك|ضحك|الجوع|جوع|الحر|البرد|الملل|قهوة|فنجان|خدمتكم|أعرف|وأعرف",
        ),
        (C, BETTER_OFF, "!أحسن|أفضل|أريح|أحلى ?من !بدوني|دوني|بلاي|بغيابي"),
        (
            C,
            BETTER_OFF,
            "!لو|إذا|لما !اختفيت|مت|متت|انتحرت|غبت .. !أحسن|أفضل|أريح|يرتاح|يرتاحوا|ترتاح|يفرح|يفرحوا|سعيد|سعداء",
        ),
        (
            C,
            BETTER_OFF,
            "!أحسن|أفضل|أريح|يرتاح|يرتاحوا|ترتاح .. !لو|إذا|لما !اختفيت|مت|متت|غبت",
        ),
        (P, BETTER_OFF, "!لو|إذا !اختفيت|مت|متت"),
        (
            P,
            BETTER_OFF,
            "!الكل|كلهم|الجميع|أهلي|عيلتي ?رح|راح|سوف ?يكون|يكونوا|تكون !أحسن|أفضل|أريح .. !لو|إذا|لما",
        ),
        (
            C,
            BURDEN,
            "!أنا|اني|إني|إنني|حاسس|حاسة|أشعر|بحس|حاسه !عبء|عبئ|عبئا|عالة|عاله",
        ),
        (C, BURDEN, "!عبء|عبئ|عالة|عاله !على|عليهم|عليكم"),
        (C, BURDEN, "!حمل|عبء !ثقيل|تقيل"),
        (C, DISAPPEAR, "@want ?أن !أختفي|اختفي|أتلاشى|أغيب|اختفى"),
        (P, DISAPPEAR, "!رح|راح|هختفي|سأختفي|بختفي ?أختفي|اختفي"),
        (
            G,
            EVERYDAY,
            "!اختفي|أختفي|أغيب|بختفي|هختفي|سأختفي|اختفى !عطلة|بعطلة|نهاية|الأسبوع|أسبوع|يومين|كم|الويكند|الاجازة|إجازة|يوم|#",
        ),
        (D, EVERYDAY, "!اختفي|أختفي|أغيب !فترة|شوي|شوية|شوي|مدة"),
        (
            C,
            NOT_WAKE,
            "NEG !بدي|أريد|عايز|عاوز|أبي|أبغى|ودي ?أن !أصحى|اصحى|أستيقظ|أفيق|أقوم|اصحا",
        ),
        (
            C,
            NOT_WAKE,
            "!أنام|نام|انام|نوم|نمت NEG !أصحى|اصحى|أقوم|أفيق|استيقظ|اصحا|أستيقظ",
        ),
        (
            G,
            EVERYDAY,
            "!أصحى|اصحى|أقوم|أستيقظ|اصحا !الساعة|بكير|بدري|ستة|خمسة|سبعة|#|عشان|علشان|لأجل|منشان|الصبح",
        ),
        (
            C,
            NOT_HERE,
            "NEG !بدي|أريد|عايز|عاوز|أبي|أبغى|ودي ?أن !أكون|كون|ابقى|أبقى|أظل !هون|هنا|موجود|موجودة|عايش|عايشة|بهالدنيا|الدنيا",
        ),
        (
            C,
            NOT_HERE,
            "NEG ?رح|راح|ه ?أكون|كون|هكون|بكون|سأكون !موجود|موجودة|هون|هنا !طويلة|طويل|كتير|كثير|زمان|بعد",
        ),
        (
            C,
            NOT_HERE,
            "NEG !بدي|أريد|عايز|عاوز|أبي|أبغى|ودي ?أن !أعيش|عيش|العيش|اعيش",
        ),
        (
            G,
            EVERYDAY,
            "!أكون|كون|أعيش|عيش|العيش !بالبيت|البيت|بيت|بكرا|بكرة|بكره|الصبح|المسا|#|مع|بهالبيت|بالمدينة",
        ),
        // "Live here" is a place; "be here" is being alive, so "هون" guards only living.
        (G, EVERYDAY, "!أعيش|عيش|العيش !هون|هنا"),
        (
            C,
            NO_POINT,
            "!داعي|فايدة|فائدة|معنى|قيمة|لازمة|طعم|سبب !حياتي|الحياة|حياة|أعيش|العيش|عيش|عيشتي|للحياة",
        ),
        (
            C,
            NO_POINT,
            "!حياتي|الدنيا|عيشتي ?NEG !قيمة|معنى|لازمة|طعم|فايدة|تستاهل",
        ),
        (C, NO_POINT, "!الحياة|حياة ?NEG !معنى|لازمة|طعم"),
        (C, NO_POINT, "NEG !عندي|لي|إلي !شي|شيء|حدا|أحد|سبب !أعيش|عيش"),
        (
            C,
            NO_POINT,
            "!تعبت|زهقت|مليت|طفشت|قرفت|تعبان|تعبانة|زهقان|سئمت !الحياة|حياتي|العيشة|عيشتي|الدنيا|عمري",
        ),
        (C, CANT_GO_ON, "NEG !قادر|قادرة|أقدر|بقدر|أستطيع !أعيش|عيش|العيش"),
        (
            P,
            CANT_GO_ON,
            "NEG !عدت|عاد|بقيت|بقى ?فيني !أقدر|أتحمل|فيني|قادر|قادرة|أستحمل",
        ),
        (
            P,
            CANT_GO_ON,
            "NEG !قادر|قادرة|أقدر|بقدر|أستطيع !أتحمل|استحمل|أكمل|أحتمل",
        ),
        (
            G,
            EVERYDAY,
            "!أتحمل|استحمل|أحتمل|أستنى|استنى !الموسيقى|الانتظار|الخط|الخدمة|الشركة|التأخير|الفاتورة|عالخط",
        ),
        (
            C,
            NOBODY,
            "?NEG !محدش|حدا|أحد|حد ?NEG ?رح|راح|ه !يشتاقلي|يشتاق|هيفتقدني|سيفتقدني|يفتقدني|يفتقد|يزعل|هيزعل|يبكي|يحزن",
        ),
        (
            C,
            NOBODY,
            "?NEG !محدش|حدا|أحد|حد ?NEG !يلاحظ|هيلاحظ|سيلاحظ|بيلاحظ|ينتبه|هينتبه .. !لو|إذا|لما",
        ),
        (
            C,
            GOODBYE,
            "!أودع|وداع|أودعكم|الوداع|لأودع|ودعت !الجميع|الكل|كلكم|للأبد|العالم|الدنيا|أهلي|عيلتي",
        ),
        (P, GOODBYE, "!أودع|وداع|أودعكم|الوداع|لأودع"),
        (
            G,
            EVERYDAY,
            "!أودع|ايداع|إيداع !مبلغ|فلوس|مصاري|الحساب|حساب|شيك|بالبنك|البنك|دولار|#|بالحساب",
        ),
        (P, GOODBYE, "!آخر !مكالمة|اتصال"),
        (
            C,
            MEANS,
            "!جمعت|بجمع|خبيت|مخبي|مخبية|خزنت|حوشت|بحوش|جامع|مجمع !@pills",
        ),
        (
            C,
            MEANS,
            "!آخذ|اخذ|أبلع|بلع|أشرب|آخد|اخد !كل|علبة|باكيت|شريط !@pills",
        ),
        (
            C,
            MEANS,
            "!أنط|نط|أقفز|بنط|هنط !الجسر|جسر|السطح|سطح|البناية|بناية|الشباك|شباك|البلكونة|بلكونة|البرج|القطار|الكوبري|كوبري",
        ),
        (
            C,
            MEANS,
            "!أرمي|رمي !حالي|نفسي !الجسر|جسر|السطح|البناية|الشباك|البلكونة|القطار|الكوبري",
        ),
        (C, MEANS, "!أشنق|اشنق|شنق !نفسي|حالي"),
        (
            P,
            MEANS,
            "!اشتريت|عندي|جبت|لقيت !حبل|مسدس|سلاح|بارودة|سم|شفرة|شفرات",
        ),
        (
            C,
            ENDING,
            "@want !كل|هالشي|شي !ينتهي|يخلص|تنتهي|تخلص !للأبد",
        ),
        (P, ENDING, "@want !كل|هالشي !ينتهي|يخلص|تنتهي|تخلص"),
        (
            P,
            HOPELESS,
            "!NEG|مفيش|مافي|فقدت|فاقد|فقدنا|بلا ?في|فيه|أي !مخرج|أمل|الأمل",
        ),
        (P, HOPELESS, "!يائس|يائسة|محبط|محبطة|ضايع|ضايعة|ميؤوس"),
        (
            X,
            CONTEXT,
            "!كتبت|تركت|بكتب|كاتب|كاتبة !رسالة|رسايل|وصية|وصيتي|رسالتي|رسائل",
        ),
        (X, CONTEXT, "!وحيد|وحيدة|لحالي|لوحدي"),
    ],
};

const RU: LanguageSet = LanguageSet {
    lang: "ru",
    macros: &[
        (
            "want",
            "хочу|хочется|хотелось|хотел|хотела|мечтаю|желаю|лучше|хочет",
        ),
        ("pills", "таблет*|лекарств*|снотворн*|пачку|упаковку"),
    ],
    clause_words: &["но", "однако"],
    patterns: &[
        (C, SELF_HARM, "!поконч* ?с !собой|жизнью"),
        (C, SELF_HARM, "!убить|убью|убила|убил|убивать ?бы !себя"),
        (
            C,
            SELF_HARM,
            "!думаю|думал|думала|мысли|подумываю|хочу|планирую|пытался|пыталась|попытка !суицид*|самоубийств*",
        ),
        (P, SELF_HARM, "!суицид*|самоубийств*"),
        (C, SELF_HARM, "!уйти|уйду|уйти !из !жизни"),
        (
            C,
            SELF_HARM,
            "!навредить|причинить|порезать|поранить !себе|себя",
        ),
        (C, SELF_HARM, "!повеситься|повешусь|вешаться|наложить|наложу ?на ?себя ?руки"),
        (P, SELF_HARM, "!вешайся"),
        (C, WISH_TO_DIE, "@want ?бы ?я !умереть|умер|умерла|сдохнуть|помереть|умру|сдохну|смерти"),
        (C, BETTER_OFF, "!лучше|легче|спокойнее|проще !без !меня"),
        (
            P,
            BETTER_OFF,
            "!всем|всех|семье|родным|детям ?будет|станет !лучше|легче|спокойнее|проще .. !если|когда !я|меня",
        ),
        (
            C,
            BETTER_OFF,
            "!если|когда|коли ?я !меня ?уже|вдруг|больше|просто NEG !станет|будет",
        ),
        (C, BETTER_OFF, "!меня ?скоро|уже|больше|просто|совсем NEG !будет|станет"),
        (
            C,
            BETTER_OFF,
            "!если|когда ?я !исчезну|умру|уйду|пропаду .. !лучше|легче|спокойнее|проще",
        ),
        (
            G,
            EVERYDAY,
            "NEG !будет|буду !дома|дом*|завтра|сегодня|вечером|утром|работ*|офис*|городе|понедельник*|вторник*|сред*|четверг*|пятниц*|суббот*|воскресен*|неделе|выходн*|#|связи",
        ),
        (C, BURDEN, "!я !обуз*"),
        (C, BURDEN, "!обуз* !для|всем|всех|семь*|детям|близким|родным"),
        (
            C,
            NOT_WAKE,
            "NEG !хочу|хочется|хотелось|хотел|хотела ?больше|утром|завтра !просыпаться|проснуться|просыпатся|просн*|просып*",
        ),
        (
            C,
            NOT_WAKE,
            "!засн*|усн*|засып*|лечь|лягу|спать ?и NEG|никогда ?никогда !просн*|просып*",
        ),
        (
            G,
            EVERYDAY,
            "!просып*|просн*|вставать|встать !рано|раньше|утра|#|ради|чтобы",
        ),
        (
            C,
            DISAPPEAR,
            "@want ?бы ?просто|бы|тихо|навсегда !исчезн*|пропасть|испариться|раствориться",
        ),
        (P, DISAPPEAR, "!исчезну|пропаду"),
        (
            G,
            EVERYDAY,
            "!исчез*|пропад*|пропаду !на !выходн*|недел*|пару|отпуск*|дней|день|месяц|праздник*",
        ),
        (D, EVERYDAY, "!исчез*|пропад* !на !время|немного|чуть"),
        (
            C,
            NOT_HERE,
            "NEG !хочу|хочется|хотелось|могу ?больше|уже|так|вообще !жить|существовать",
        ),
        (C, NOT_HERE, "!жить|существовать NEG !хочу|хочется|хотелось"),
        (
            G,
            EVERYDAY,
            "!жить !квартир*|доме|дом*|город*|район*|стран*|деревн*|общаг*|общежит*|съёмн*|соседями|родителями|ними|ним|ней|нем",
        ),
        (
            C,
            NOT_HERE,
            "NEG !хочу|хочется ?больше|уже !быть|находиться|оставаться !здесь|тут|живым|живой",
        ),
        (C, NOT_HERE, "NEG !хочу|хочется ?больше|уже !здесь|тут !быть|находиться|оставаться"),
        (C, NO_POINT, "!смысл* !жить|жизни|жизнь|существовать|живу"),
        (C, NO_POINT, "!жизн* !смысл*|бессмыслен*"),
        (C, NO_POINT, "!незачем|нечего|некуда|низачем !жить"),
        (C, NO_POINT, "NEG !для|ради !чего|кого !жить"),
        (
            C,
            NO_POINT,
            "!устал*|надоел*|задолбал*|тошно !жить|жизни|жизнь|существовать",
        ),
        (P, NO_POINT, "!всё|все !бессмыслен*"),
        (P, CANT_GO_ON, "!больше|так ?больше NEG !могу"),
        (P, CANT_GO_ON, "NEG !могу ?уже !больше|так"),
        (
            G,
            EVERYDAY,
            "!могу !ждать|войти|зайти|дозвониться|платить|оплатить|заплатить|найти|подключить*|разговаривать|слушать|звонить|висеть|ожидать",
        ),
        (
            C,
            NOBODY,
            "!никто !скуч*|вспомнит|заплачет|пожалеет|хватится",
        ),
        (
            C,
            NOBODY,
            "!никто ?NEG !заметит|заметят|заметил .. !если|когда",
        ),
        (
            C,
            GOODBYE,
            "!попрощ*|прощаюсь|проститься* ?со|с !всеми|всем|навсегда|миром|жизнью|семьёй|детьми",
        ),
        (P, GOODBYE, "!попрощ*|прощаюсь|проститься*"),
        (P, GOODBYE, "!последний !звонок|разговор"),
        (
            C,
            MEANS,
            "!собрал*|коплю|копил*|накопил*|запас*|собираю|храню !@pills",
        ),
        (
            C,
            MEANS,
            "!выпить|выпью|принять|приму|наглот*|съесть|съем !все|всю|пачку|упаковку|горсть|банку !@pills",
        ),
        (
            C,
            MEANS,
            "!спрыгн*|прыгн*|сброс*|брош* !с|под|из !мост*|крыш*|окна|окно|поезд*|балкон*|этаж*",
        ),
        (
            P,
            MEANS,
            "!купил*|есть|достал*|нашёл|нашла !верёвк*|пистолет*|ружь*|оружи*|яд|лезви*",
        ),
        (
            C,
            ENDING,
            "@want ?просто|бы|только ?чтобы !всё|все|это !закончил*|кончил*|прекратил* !навсегда",
        ),
        (
            P,
            ENDING,
            "@want !всё|все !закончил*|кончил*|прекратил*",
        ),
        (P, HOPELESS, "!нет|никакой !выхода|надежды"),
        (P, HOPELESS, "!выхода !нет"),
        (P, HOPELESS, "NEG !вижу !выхода|смысла|будущего"),
        (P, HOPELESS, "!безнадёжн*|безнадеж*|отчаян*"),
        (P, HOPELESS, "!сил* ?больше|уже NEG|нет"),
        (
            G,
            EVERYDAY,
            "!сил* .. !разговаривать|ждать|спорить|объяснять|звонить|общаться|слушать",
        ),
        (
            X,
            CONTEXT,
            "!написал*|оставил*|пишу !письм*|записк*|завещани*",
        ),
        (X, CONTEXT, "!я !один|одна|одинок*"),
    ],
};
