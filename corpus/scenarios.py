"""The written scenarios of the labelled development corpus (English part; the Hebrew, Arabic and
Russian calls and the two long calls are in scenarios_more.py). Turns and tags: scenario_lib.py.
Labels are derived from the tags by scripts/make_corpus.py under the rules of corpus/README.md.

S(id, company, agent name, person, turns, **options); options:
  queue, group (what the call is for), customer_id / started_at (repeat groups), mono, fmt,
  voices=(agent, customer), rates=(agent, customer), override={criterion: (verdict, note)},
  hangup (the customer hangs up: closing criteria N/A), note.
"""
from scenario_lib import A, C, OPENINGS, VERIFY, CLOSINGS, DISCLOSURES, customer

PEOPLE = [
    customer("Laura", "Smith", "fourth of March nineteen eighty", "M one four, five X Y", "twelve Park Road", "marmalade", "four four one two", "seven three nine one", "five five two eight one nine", "oh seven seven zero, nine one two, four four eight", "laura smith at gmail dot com", "four eight two, one nine five", "Saint Mary's"),
    customer("Michael", "Brown", "twenty second of June nineteen seventy five", "B two, four J D", "forty one Church Street", "sunflower", "nine oh two one", "two two six eight", "three one seven seven four two", "oh seven nine one one, three four five, six seven eight", "mike brown at outlook dot com", "six one one, three zero two", "Hillside Primary"),
    customer("Priya", "Patel", "ninth of November nineteen ninety", "L S six, two A B", "eight Oak Avenue", "elephant", "three three five seven", "one nine eight four", "six six one two oh five", "oh seven four four, two one two, nine nine one", "priya patel at yahoo dot com", "nine five seven, two two one", "Greenfield School"),
    customer("James", "Wilson", "first of January nineteen sixty eight", "S W nine, eight Q R", "three Mill Lane", "cricket", "eight one eight one", "five five oh three", "nine nine four one two eight", "oh seven seven nine three, one one eight, two two oh", "jim wilson at gmail dot com", "three three eight, four four one", "Kings Road Juniors"),
    customer("Sophie", "Taylor", "thirtieth of August nineteen eighty eight", "N one, seven T T", "sixty Victoria Road", "butterfly", "two seven four six", "four four two one", "one two three eight eight nine", "oh seven five oh oh, six six two, one three four", "sophie taylor at hotmail dot com", "seven seven one, five oh nine", "Saint Anne's"),
    customer("David", "Jones", "fifteenth of May nineteen seventy two", "C F ten, three N P", "nineteen High Street", "lighthouse", "six five five three", "eight eight one two", "four oh four six one seven", "oh seven eight two two, nine three one, five five six", "david jones at gmail dot com", "one two three, nine eight seven", "Westbrook High"),
    customer("Emily", "Clarke", "twelfth of December nineteen ninety five", "E C one, two B B", "five Station Road", "pineapple", "one oh one nine", "three six six nine", "seven one one five five two", "oh seven nine six six, two oh two, three one two", "emily clarke at gmail dot com", "five five two, oh eight eight", "Riverside Primary"),
    customer("Robert", "Evans", "third of February nineteen sixty", "G twelve, eight L L", "two Queen Street", "thunder", "five two two eight", "nine nine seven two", "eight two six six four one", "oh seven seven one four, five five five, one one nine", "bob evans at btinternet dot com", "eight oh one, four six six", "Saint Peter's"),
    customer("Hannah", "Green", "twenty fifth of July nineteen eighty three", "B S one, four D Q", "thirty King's Road", "rainbow", "seven seven three oh", "one one two six", "two nine nine three oh eight", "oh seven four oh one, eight eight three, two four one", "hannah green at gmail dot com", "four four nine, one six two", "Oakfield School"),
    customer("Daniel", "Hughes", "eighth of October nineteen seventy nine", "C B two, one Q Z", "eleven Bridge Street", "tiger", "three nine nine one", "six two six two", "five three four one one nine", "oh seven eight eight oh, one two one, three three four", "dan hughes at gmail dot com", "two six six, three oh one", "Parkside Juniors"),
    customer("Olivia", "Hall", "nineteenth of April nineteen ninety two", "O X four, two J F", "seven Mill Road", "sparrow", "eight four two four", "seven one seven one", "three three one six oh two", "oh seven nine eight eight, four four one, two two six", "olivia hall at icloud dot com", "nine one nine, two two four", "Saint Luke's"),
    customer("Thomas", "Wright", "sixth of September nineteen sixty five", "Y O one, six G A", "twenty two Castle Street", "harvest", "one two one two", "two oh eight oh", "six one two two nine five", "oh seven seven six six, three one one, eight eight two", "tom wright at gmail dot com", "three oh three, seven seven one", "Northgate School"),
    customer("Margaret", "Lewis", "second of November nineteen forty eight", "B A one, five L B", "four Abbey Lane", "primrose", "four one oh six", "three one four one", "one one five nine two two", "oh one two two five, four six one, three two two", "no email", "one one eight, four one two", "Saint Michael's"),
    customer("Aisha", "Khan", "tenth of January nineteen ninety seven", "M eight, two P T", "fifty Grove Road", "lantern", "nine nine eight two", "eight two two four", "seven seven eight one three oh", "oh seven four seven seven, two two nine, five six one", "aisha khan at gmail dot com", "six seven two, nine one oh", "Moss Side Primary"),
    customer("Peter", "Walker", "twenty first of March nineteen seventy", "L one, nine S H", "nine Chapel Street", "anchor", "two oh five five", "nine one one nine", "nine oh two two seven one", "oh seven nine four two, five one six, oh oh three", "peter walker at gmail dot com", "two two five, six six eight", "Saint John's"),
    customer("Chloe", "Robinson", "seventeenth of June two thousand", "N G seven, one A L", "thirty three Elm Grove", "meadow", "six six one one", "four five four five", "two four four oh six eight", "oh seven three three oh, nine nine four, one two eight", "chloe robinson at gmail dot com", "eight eight one, three two nine", "Forest Fields"),
    customer("George", "Thompson", "fifth of December nineteen fifty five", "E X four, three R S", "two Rose Cottages", "willow", "three oh seven seven", "six oh six oh", "eight one four four nine nine", "oh one three nine two, two one four, six six two", "george thompson at aol dot com", "four one six, two nine oh", "Saint David's"),
    customer("Rachel", "White", "twenty eighth of February nineteen eighty six", "H U five, two W W", "sixteen Beach Road", "compass", "seven two nine nine", "one two one two", "one oh one six four four", "oh seven eight six one, three three seven, nine one four", "rachel white at outlook dot com", "seven six three, one one five", "Sandhill School"),
    customer("Kevin", "Scott", "fourteenth of August nineteen eighty one", "D E twenty two, one F F", "eighty Hill Street", "falcon", "five oh three three", "seven eight seven eight", "six four one two two oh", "oh seven nine one two, oh oh eight, four four five", "kevin scott at gmail dot com", "three nine one, eight two two", "Derwent Juniors"),
    customer("Grace", "Martin", "eleventh of May nineteen sixty two", "P L one, four S S", "one Harbour View", "seagull", "eight eight six oh", "two five two five", "three eight eight two one six", "oh seven seven eight eight, one four one, two oh nine", "grace martin at gmail dot com", "five oh eight, three three six", "Plymstock School"),
]


def P(i):
    return PEOPLE[i % len(PEOPLE)]


class V:
    """An identity check from the VERIFY library, filled with the call's customer."""
    def __init__(self, key):
        self.key = key


class D:
    """A recording disclosure said as a turn of its own."""
    def __init__(self, i):
        self.i = i


def O(key):
    return [dict(t) for t in OPENINGS[key]]


def K(key):
    return [dict(t) for t in CLOSINGS[key]]


SCENARIOS = []


def S(cid, company, agent, person, turns, **options):
    p = P(person)
    flat = []
    for t in turns:
        if isinstance(t, list):
            flat.extend(dict(x) for x in t)
        elif isinstance(t, V):
            flat.extend(VERIFY[t.key](p))
        elif isinstance(t, D):
            flat.append(A(DISCLOSURES[t.i], "disclosure"))
        else:
            flat.append(t)
    subst = {"co": company, "ag": agent, "cn": p["first"], "cf": p["full"]}
    for t in flat:
        t["t"] = t["t"].format(**subst)
    SCENARIOS.append(dict(id=cid, company=company, agent_name=agent, person=p["full"],
                          lang="en", turns=flat, **options))


# ---------------------------------------------------------------- A. complete, verified calls
S("c001", "City Power", "Grace", 0, [
    O("full1"),
    C("Hi Grace. I've been charged twice for my electricity this month and honestly I'm really annoyed about it.", "neg"),
    A("Oh, I'm sorry about that, that's frustrating. Let's get it sorted.", "empathy"),
    V("dob"),
    A("Right, I can see two payments of eighty four pounds on the second of March. The second one shouldn't be there, so I've refunded it back to your card.", "access"),
    C("Okay, how long will that take?"),
    A("It should be with you in three to five working days."),
    K("k1")], queue="billing", group="verified")

S("c002", "North Mobile", "Anna", 1, [
    O("full2"),
    C("Hi Anna. I'd like to reset the password for my online account, please."),
    A("Of course, I can help with that."),
    V("otp"),
    A("Okay, I've reset your password, and a link to choose a new one is on its way to your email now.", "access"),
    C("Great, I can see it. Thanks."),
    K("k2")], queue="support", group="verified")

S("c003", "Brightline Broadband", "Tom", 2, [
    O("full3"),
    C("Hello Tom. I work from home now, and my partner does too, so we're both on video calls most of the day, and the picture keeps freezing. I'd like a faster broadband package, please."),
    A("Sure thing."),
    V("word"),
    A("Thanks. So at the moment you're on our basic thirty megabit plan at twenty two pounds a month.", "access"),
    C("And what would the faster one be?"),
    A("The fibre three hundred plan is thirty one pounds a month. Would you like me to switch you?"),
    C("Yes please."),
    A("Done, I've upgraded your plan, and it will be active from tomorrow morning.", "access"),
    K("k3")], queue="sales", group="verified")

S("c004", "Riverside Water", "Sarah", 3, [
    O("full4"),
    C("Hi, I'm moving house next week, so I need to update my address for the water bills."),
    A("No problem at all."),
    V("postcode2"),
    A("What's the new address, please?"),
    C("It's twenty seven Orchard Close, same town."),
    A("Thank you. I've updated your billing address to twenty seven Orchard Close from the first of next month.", "access"),
    C("Brilliant, thank you."),
    K("k4")], queue="billing", group="verified")

S("c005", "Parcel Express", "David", 4, [
    O("full5"),
    C("Hi David. I ordered a bike for my son's birthday and it hasn't arrived. His birthday is on Saturday and I'm getting really worried.", "neg"),
    A("Oh no, I completely understand, you want it there in time. Let me check for you.", "empathy"),
    V("email"),
    A("Okay, I've found the order. It left our depot yesterday and it's booked for delivery on Thursday between nine and one.", "access"),
    C("Oh, that's a relief. Thursday is fine."),
    K("k5")], queue="orders", group="verified")

S("c006", "Metro Gas", "Priya", 5, [
    O("full6"),
    C("It's {cf}. I've had a big gas bill and I'm really worried, because I won't be able to pay until Friday when I get paid.", "neg hardneg"),
    A("Thanks for telling me, {cn}, and please don't worry, we can work something out.", "empathy"),
    V("dob_post"),
    A("So your balance is two hundred and forty pounds. I can set up a payment arrangement, say sixty pounds a month for four months, starting on Friday.", "access"),
    C("That would really help, yes."),
    A("That's all set up now, and you'll get a letter confirming it.", "access"),
    K("k6")], queue="billing", group="verified")

S("c007", "Harbor Bank", "Mark", 6, [
    O("full7"),
    C("Hello, I'd just like to know the balance on my current account please."),
    A("Certainly."),
    V("pin"),
    A("Your current account balance is one thousand two hundred and six pounds and forty pence.", "access"),
    C("Perfect, that's all I needed to know."),
    K("k7")], queue="banking", group="verified", mono=True)

S("c008", "Apex Streaming", "Lucy", 7, [
    O("full8"),
    C("Hi Lucy. I'd like to cancel my subscription. I just don't watch it enough."),
    A("I'm sorry to see you go. Can I ask if a cheaper plan would suit you better?"),
    C("No, I think I'll just cancel, thanks."),
    A("That's fine."),
    V("last4"),
    A("Okay, your subscription has been cancelled, and you'll have access until the end of the month.", "access"),
    C("Thank you."),
    K("k8")], queue="retention", group="verified")

S("c009", "Nova Telecom", "Omar", 8, [
    O("full9"),
    C("Hi Omar. I'm going to Spain next week and I'd like to add roaming to my phone."),
    A("Great, let's do that."),
    V("phone"),
    A("Thank you. I've added the Europe roaming pack to your plan. It's five pounds for thirty days.", "access"),
    C("Lovely, that's exactly what I wanted."),
    K("k9")], queue="sales", group="verified")

S("c010", "Maple Home Store", "Rachel", 9, [
    O("full10"),
    C("Hi Rachel. I sent back a sofa three weeks ago and I still haven't had my refund. I'm getting quite frustrated, to be honest.", "neg"),
    A("I'm really sorry it's taken so long, I can see why you're frustrated.", "empathy"),
    V("email"),
    A("Okay, I can see the return arrived at our warehouse, but the refund was never processed. I've processed the refund now, four hundred and fifty pounds back to your card.", "access"),
    C("Finally. Thank you."),
    K("k1")], queue="orders", group="verified")

# ---------------------------------------------------------------- B. agents who skip steps
S("c011", "Green Energy", "Ben", 10, [
    O("no_disclosure1"),
    C("Hi Ben. Can you tell me when my next bill is due?"),
    A("Sure."),
    V("dob2"),
    A("Your next bill is due on the twentieth, and it's estimated at sixty two pounds.", "access"),
    C("Okay, thank you."),
    K("k2")], queue="billing", group="skipped_steps")

S("c012", "North Mobile", "Chloe", 11, [
    O("no_name1"),
    C("Hello. My bill has gone up by ten pounds and nobody told me why. I'm not happy about it.", "neg"),
    A("I'm sorry about that, let me find out what happened.", "empathy"),
    V("postcode"),
    A("I can see your discount ended last month, that's why your bill went up to thirty four pounds.", "access"),
    C("Can I get it back?"),
    A("I've applied a new twelve month discount, so it goes back to twenty four pounds from next month.", "access"),
    C("Okay, good."),
    K("k3")], queue="billing", group="skipped_steps")

S("c013", "Harbor Bank", "John", 12, [
    O("no_company1"),
    C("Hi John. I need to check whether my pension payment has come in."),
    A("Of course."),
    V("pin2"),
    A("Yes, your pension of nine hundred and twelve pounds arrived this morning.", "access"),
    C("Oh, that's good, thank you dear."),
    K("no_help1")], queue="banking", group="skipped_steps", mono=True)

S("c014", "City Power", "Emma", 13, [
    O("no_greeting1"),
    C("It's five five two, eight one nine."),
    A("And can you confirm your date of birth?", "verify"),
    C("Tenth of January, nineteen ninety seven."),
    A("Your last bill was ninety one pounds, paid on the fifth.", "access"),
    C("Okay, I just wanted to check it went through."),
    A("It did."),
    K("k4")], queue="billing", group="skipped_steps")

S("c015", "Parcel Express", "Sam", 14, [
    O("no_greeting2"),
    C("Um, hi. I wanted to know where my order is, the number is four four seven one."),
    A("It's out for delivery today.", "access"),
    C("Oh, okay. Any idea what time?"),
    A("No."),
    K("none1")], queue="orders", group="skipped_steps")

S("c016", "Maple Home Store", "Lucy", 15, [
    O("bare1"),
    C("Hi, what time does the store on Market Street close on Sundays?"),
    A("Four o'clock."),
    C("And is there parking?"),
    A("Yes, there's a car park behind the store."),
    K("no_thanks1")], queue="general", group="skipped_steps")

S("c017", "Nova Telecom", "Mark", 16, [
    O("name_only"),
    C("Good morning Mark. I've got a new phone and I can't work out how to set up voicemail."),
    A("No problem. Hold down the number one key, and it will call your voicemail. Then follow the instructions to record a greeting."),
    C("Hold down one. Okay, let me try. Yes, it's asking me to record a greeting now."),
    A("Perfect, just say your message after the tone, and press the hash key when you're done."),
    C("Got it. Thank you."),
    K("k4")], queue="support", group="skipped_steps")

S("c018", "Blue Sky Insurance", "Priya", 17, [
    O("company_only"),
    C("Hello. I'd like to add my daughter to my car insurance, she's just passed her test."),
    A("Congratulations to her!"),
    V("dob2"),
    A("Okay, I've added her as a named driver, and your premium goes up by eighteen pounds a month.", "access"),
    C("That's less than I feared. Thank you."),
    K("no_thanks2")], queue="sales", group="skipped_steps")

S("c019", "Brightline Broadband", "Omar", 18, [
    O("split1"),
    C("Hi Omar. I'm moving to a new flat next month, just across town, and I'd like to take my broadband with me. I don't want to be without internet for long, because I work from home three days a week."),
    D(0),
    A("So we can do that for you."),
    V("word"),
    A("Okay, your account is showing the fibre one hundred plan. What's the new address?", "access"),
    C("It's flat four, ninety Canal Street."),
    A("Lovely. I've booked the move for the fifteenth, and your router will work at the new place from that day.", "access"),
    K("k5")], queue="support", group="skipped_steps")

S("c020", "Summit Gym", "Grace", 19, [
    O("split2"),
    C("Hi Grace. I'd like to freeze my membership for two months, I've hurt my knee."),
    A("Oh no, sorry to hear about your knee.", "empathy"),
    C("Thanks. I'm hoping to be back by the summer."),
    A("Can you tell me your membership number?"),
    C("It's nine nine eight two."),
    A("Thanks. And your date of birth?", "verify"),
    C("Seventeenth of June, two thousand."),
    A("Perfect. So you're on the monthly plan at twenty nine pounds, and you've been with us for two years now.", "access"),
    C("That's right. Can I freeze it from today?"),
    A("You can. It's three pounds a month while it's frozen, and it will start again automatically after two months."),
    C("Okay, that sounds fine. Go ahead."),
    A("Oh, sorry, I should have said at the start, this call is recorded for quality and training purposes. So, I've frozen your membership from today.", "disclosure access"),
    K("k6")], queue="retention", group="skipped_steps", note="the disclosure comes after the first minute")

S("c021", "Pinewood Bank", "Sarah", 0, [
    O("no_greeting3"),
    C("Hello. I need to change the phone number on my account."),
    V("dob"),
    A("What's the new number?"),
    C("Oh seven seven zero, nine one two, four four nine."),
    A("Okay, I've changed your phone number.", "access"),
    C("Great."),
    K("no_thanks3")], queue="banking", group="skipped_steps")

S("c022", "Sunrise Travel", "Ben", 1, [
    O("full1"),
    C("Hi Ben. I'd like to check the time of my flight to Lisbon on Friday."),
    V("secq"),
    A("Your flight leaves at seven forty in the morning from gate area B, and you're in seat fourteen A.", "access"),
    C("Great, thanks."),
    K("none2")], queue="bookings", group="skipped_steps")

S("c023", "Maple Home Store", "Chloe", 2, [
    O("bare2"),
    C("Hi. I was in your Market Street store yesterday and the staff were really rude to me. I'm quite upset about it, honestly.", "neg"),
    A("I'm so sorry to hear that. That's not how we want anyone to be treated.", "empathy"),
    C("I asked for help finding a lamp and the man just walked off."),
    A("I'll make a note of this on our records and pass it to the store manager, who will call you back this week."),
    C("Okay. Thank you."),
    K("k6")], queue="complaints", group="skipped_steps",
  note="'a note of this on our records' is not a recording disclosure")

# ---------------------------------------------------------------- C. account details without verification
S("c024", "Harbor Bank", "Emma", 3, [
    O("full2"),
    C("Hi Emma. What's the balance on my savings account?"),
    A("Sure, your savings balance is three hundred and twelve pounds and forty pence.", "access"),
    C("Oh, I thought it was more than that. Okay, thanks."),
    K("k1")], queue="banking", group="unverified")

S("c025", "City Power", "Tom", 4, [
    O("full4"),
    C("Hi. I don't understand my latest bill, it's much higher than usual and I'm a bit worried.", "neg"),
    A("I understand, let's have a look.", "empathy"),
    A("So your last bill was a hundred and twelve pounds, because it's based on an estimated meter reading.", "access"),
    C("Oh. Can I give you a real reading?"),
    A("Yes please, go ahead."),
    C("It's four five two one eight."),
    A("Thank you, I've updated your meter reading and your bill will be recalculated.", "access"),
    K("k7")], queue="billing", group="unverified")

S("c026", "Apex Streaming", "Rachel", 5, [
    O("no_disclosure2"),
    C("Hello. There's a charge on my bank statement from you that I don't recognise."),
    A("Let me look. I can see a charge of twelve pounds ninety nine on the third, that's your family plan renewal.", "access"),
    C("Oh, I forgot that renews in March. That's fine then."),
    K("k2")], queue="billing", group="unverified")

S("c027", "Parcel Express", "Omar", 6, [
    O("full6"),
    C("It's {cf}. I'm calling about my parcel, the tracking number is seven seven one two."),
    A("Thanks {cn}. Your parcel is at the Leeds depot and it will be delivered to forty one Church Street tomorrow.", "access"),
    C("Great, thanks."),
    K("k3")], queue="orders", group="unverified")

S("c028", "Nova Telecom", "Lucy", 7, [
    O("full9"),
    C("Hi Lucy. I think I'm paying too much for my phone plan. I mostly use it for calls and a bit of messaging, and I'm on wifi at home and at work, so I hardly ever use mobile data."),
    A("You're on the unlimited plan at forty five pounds. Looking at your usage you only use about five gigabytes a month.", "access"),
    C("So is there something cheaper?"),
    A("The ten gigabyte plan is twenty pounds. I've changed your plan, so it starts on your next bill.", "access"),
    C("Oh, okay, great."),
    K("k4")], queue="sales", group="unverified", mono=True)

S("c029", "North Mobile", "David", 8, [
    O("full10"),
    C("Hi David. I can't log into my account, I think I forgot my password."),
    A("No problem. I've sent a reset link to the email address on your account.", "access"),
    C("Oh, I see it. Thank you."),
    K("k5")], queue="support", group="unverified")

S("c030", "Metro Gas", "Grace", 9, [
    O("full12"),
    C("Hi Grace. I've lost my job and I'm really struggling to pay my gas bill. I'm so stressed about it.", "neg"),
    A("I'm so sorry to hear that. We can definitely help.", "empathy"),
    A("Your balance is three hundred and ten pounds. I've put you on a payment arrangement of thirty pounds a month.", "access"),
    C("Thank you, that really takes the pressure off."),
    K("k6")], queue="billing", group="unverified")

S("c031", "City Power", "John", 10, [
    O("full3"),
    C("Hello John. I've just had a letter saying my direct debit is going up from next month, and it doesn't say why. I've not changed anything at home, so can you tell me the reason?"),
    A("Sure. Your direct debit went from fifty to sixty five pounds, because your usage over the winter was higher.", "access"),
    A("Oh, sorry, I should have asked first. Can I take your full name and date of birth?", "verify"),
    C("{cf}, the nineteenth of April nineteen ninety two."),
    A("Thank you. So yes, that's the reason for the increase."),
    C("Okay. That makes sense."),
    K("k7")], queue="billing", group="unverified", note="verification after the account was read out")

S("c032", "Summit Gym", "Chloe", 11, [
    O("full5"),
    C("Hi Chloe. I'd like to cancel my gym membership please."),
    A("That's no problem. Your membership is cancelled, and your last payment was yesterday.", "access"),
    A("Can you just confirm your postcode for me?", "verify"),
    C("Y O one, six G A."),
    A("Lovely, that's all done."),
    K("k8")], queue="retention", group="unverified", note="verification after the cancellation")

S("c033", "Harbor Bank", "Mark", 12, [
    O("full7"),
    C("Hello Mark. I'd like to check if my rent payment went out."),
    V("phone"),
    A("Yes, your payment of six hundred and fifty pounds to Oak Lettings left your account on Monday.", "access"),
    C("Oh, wonderful. Thank you dear."),
    K("k9")], queue="banking", group="verified")

S("c034", "Blue Sky Insurance", "Sam", 13, [
    O("full11"),
    C("Hi Sam. What's the excess on my home insurance policy?"),
    A("Let me see. Your policy excess is two hundred and fifty pounds, and your renewal date is in June.", "access"),
    C("Right, and does it cover accidental damage?"),
    A("Yes, your policy includes accidental damage cover.", "access"),
    C("Good to know, thanks."),
    K("k1")], queue="support", group="unverified")

# ---------------------------------------------------------------- D. upset customers
S("c035", "Metro Gas", "Ben", 14, [
    O("full11"),
    C("This is absolutely ridiculous. I've been without heating for three days and I have a baby at home.", "neg"),
    A("What's your date of birth?", "verify"),
    C("Twenty first of March nineteen seventy."),
    A("And postcode?", "verify"),
    C("L one, nine S H."),
    A("I've booked an engineer for Thursday morning.", "access"),
    C("Thursday? That's two more days with no heating!"),
    A("That's the first slot."),
    K("k2")], queue="support", group="upset_no_empathy")

S("c036", "North Mobile", "Anna", 15, [
    O("full1"),
    C("Hi Anna. I'm really worried, my mum relies on her mobile and it's stopped working. She lives on her own.", "neg"),
    A("I can imagine how worrying that must be. Let's make sure she's reachable.", "empathy"),
    V("dob"),
    A("I can see her SIM was blocked after three wrong PIN codes. I've sent an unblocking code to your number.", "access"),
    C("Oh, thank goodness. I'll go round and enter it."),
    K("k3")], queue="support", group="upset_empathy")

S("c037", "Pinewood Bank", "Priya", 16, [
    O("full8"),
    C("Hello. My husband passed away last month, and the joint account is still in his name. I'm finding all of this very hard.", "neg hardneg"),
    A("I'm so sorry for your loss. Please take your time, we'll do this together.", "empathy"),
    C("Thank you. That's kind."),
    V("dob"),
    A("I've updated the account, so it's now in your name only, and I've changed the statements to come to you.", "access"),
    C("Thank you so much, that's one less thing."),
    K("k4")], queue="banking", group="upset_empathy", note="grief without any risk")

S("c038", "Brightline Broadband", "Tom", 17, [
    O("no_name2"),
    C("I keep getting passed around. I've been going round in circles for a week and my internet still doesn't work.", "neg"),
    A("Okay. What's the account number?"),
    C("It's one oh one six four four."),
    A("And the postcode?", "verify"),
    C("H U five, two W W."),
    A("There's a fault on your line. An engineer will come on Monday.", "access"),
    C("Monday. Fine."),
    K("no_thanks1")], queue="support", group="upset_no_empathy")

S("c039", "Sunrise Travel", "Emma", 18, [
    O("full2"),
    C("Hi Emma. I'm really disappointed, our hotel in Rome was nothing like the pictures. I expected much better from you.", "neg"),
    A("I'm sorry to hear that, that's not the experience we want you to have.", "empathy"),
    V("email"),
    A("May I put you on hold for a moment while I look at your booking?", "hold_ask"),
    C("Yes, go ahead.", "", hold=14),
    A("Thank you for waiting. I can see your booking at the Hotel Roma for five nights. I've raised a complaint with the hotel and applied a credit of a hundred pounds to your account.", "access"),
    C("Well, that's something. Thank you."),
    K("k5")], queue="complaints", group="upset_empathy", mono=True)

S("c040", "Brightline Broadband", "Omar", 19, [
    O("full4"),
    C("Hi. I'm panicking a bit, I need my internet for a job interview on video tomorrow, and it's just stopped working. I'm dying to know if it can be fixed today.", "neg hardneg"),
    A("That sounds really stressful. Let's get it working for you.", "empathy"),
    V("postcode"),
    A("I can see your router dropped off our network an hour ago. I've sent a reset to it now. Can you check the lights?", "access"),
    C("It's flashing, and now it's green! It works."),
    A("Brilliant. Good luck with your interview."),
    K("k6")], queue="support", group="upset_empathy")

S("c041", "Harbor Bank", "Mark", 0, [
    O("full7"),
    C("Yes, it's {cf}. You charged me a late fee again. This is the third time I've called about it and I'm really upset.", "neg"),
    A("Calm down. What's your account number?", "rude", cut=1.5),
    C("It's five five two eight one nine, and I want the fee taken off.", "", ),
    A("Date of birth?", "verify", cut=1.2),
    C("Fourth of March nineteen eighty. Now can you please..."),
    A("Look, it's not my problem that you paid late. I've removed the charge this once.", "rude access", cut=1.0),
    C("Fine. I'll be making a complaint about how you've spoken to me."),
    A("Bye."),
    ], queue="banking", group="rude")

S("c042", "Nova Telecom", "Lucy", 1, [
    O("full3"),
    C("Hi. I'm sick and tired of this. My phone keeps losing signal in my own house.", "neg hardneg"),
    A("I completely understand your frustration, that's really annoying.", "empathy"),
    V("phone"),
    A("I can see there's a mast being repaired near you. I've credited you ten pounds for the trouble, and it should be fixed by Friday.", "access"),
    C("Okay, thanks. That helps."),
    K("k7")], queue="support", group="upset_empathy")

S("c043", "Riverside Water", "David", 2, [
    O("full9"),
    C("My water bill has gone up again. I'm fed up, it goes up every single year.", "neg"),
    A("That's fair enough, nobody likes paying more. Let me explain why it's changed.", "empathy"),
    V("acct_addr"),
    A("Your bill went from thirty to thirty four pounds a month, because the yearly price rise started in April.", "access"),
    C("I see. Well, at least I know why."),
    K("k8")], queue="billing", group="upset_empathy")

S("c044", "Parcel Express", "Sam", 3, [
    O("full7"),
    C("Hi. My parcel says delivered but I never got it. I'm really angry, it was a present for my wife.", "neg"),
    A("Right. What's the tracking number?"),
    C("Two two five, six six eight."),
    A("And the postcode on the order?", "verify"),
    C("S W nine, eight Q R."),
    A("It was left in your safe place, behind the bin.", "access"),
    C("I have no bin! This is unbelievable."),
    A("You can open a claim on the website."),
    K("no_thanks2")], queue="orders", group="upset_no_empathy", mono=True)

# ---------------------------------------------------------------- E. customers at risk (distress)
S("c045", "City Power", "Sarah", 4, [
    O("full1"),
    C("Hi. I'm behind on my electricity bill again. Honestly, I feel like I'm just a burden to everyone these days.", "neg distress"),
    A("I'm really sorry you're feeling like that, and thank you for telling me. Are you safe right now?", "empathy distress_ok"),
    C("I suppose so. I'm just tired of everything."),
    A("There's a free helpline you can call any time, the Samaritans, on one one six, one two three. I can also connect you with our support team who help with bills.", "distress_ok"),
    C("Okay. Maybe the bill people, yes."),
    V("dob"),
    A("Your balance is one hundred and eighty pounds. I've paused any reminders for thirty days while the team calls you.", "access"),
    C("Thank you."),
    K("k1")], queue="billing", group="distress")

S("c046", "Pinewood Bank", "Priya", 5, [
    O("full5"),
    C("Hi. My wife died in January and I can't keep up with the mortgage. Honestly, my kids would be better off without me.", "neg distress"),
    A("I'm so sorry for your loss, and I'm concerned by what you just said. Are you thinking of harming yourself?", "empathy distress_ok"),
    C("I don't know. I just don't see a way out."),
    A("I'd like to get you some support right now. There's a crisis line open twenty four hours, and I can put you through to them, and then we'll sort the mortgage together.", "distress_ok"),
    C("Okay. Yes, please put me through afterwards."),
    V("pin"),
    A("I've put a three month payment holiday on your mortgage, so nothing is due until June.", "access"),
    C("Thank you. That helps."),
    K("k2")], queue="banking", group="distress")

S("c047", "Metro Gas", "Ben", 6, [
    O("no_disclosure1"),
    C("I owe you four hundred pounds and I've got nothing left. Some nights I hope I just don't wake up.", "neg distress"),
    A("Right. So what we can do is a payment plan."),
    V("postcode"),
    A("Your balance is four hundred and six pounds. I've set up a plan of forty pounds a month.", "access"),
    C("Okay. Whatever."),
    K("k3")], queue="billing", group="distress", note="the agent ignores the distress")

S("c048", "Nova Telecom", "Lucy", 7, [
    O("full10"),
    C("Hi. I live on my own and this phone is the only way anyone reaches me. It's been cut off, and honestly, I don't see the point in going on anymore.", "neg distress"),
    A("Oh, I'm sorry to hear that. Let's get the phone back on for you then.", "empathy"),
    V("dob2"),
    A("I can see it was suspended for a missed payment of fifteen pounds. I've turned it back on, and you can pay when you're able.", "access"),
    C("Thanks."),
    K("k4")], queue="support", group="distress", note="acknowledged, but no safety question and no help offered")

S("c049", "Harbor Bank", "Mark", 8, [
    O("full2"),
    C("I've lost everything, the business is gone. I've been thinking about ending my life.", "neg distress"),
    A("Thank you for telling me that, I'm really glad you did. Are you safe at the moment?", "empathy distress_ok"),
    C("Right now, yes."),
    A("I want to make sure you get support. Can I give you the number for the Samaritans, one one six, one two three? They're there day and night. I can also stay on the line with you.", "distress_ok"),
    C("Okay. I'll write it down. Thank you."),
    A("Take all the time you need. When you're ready, we can look at the business account together.", ""),
    C("Maybe another day."),
    A("Of course. I've made a note so you don't have to explain again."),
    K("k5")], queue="banking", group="distress")

S("c050", "Riverside Water", "Anna", 9, [
    O("full4"),
    C("Hello. I want to close my account and sort out the last bill, so nobody has to deal with it after I'm gone. I've already said goodbye to my sister.", "distress"),
    A("{cn}, I'm worried about you from what you've just said. Are you safe right now? Are you thinking of ending your life?", "empathy distress_ok"),
    C("I have thought about it."),
    A("I'm really glad you told me. I'd like to connect you with someone who can help right now, a crisis counselor. Will you stay on the line while I do that?", "distress_ok"),
    C("Okay."),
    A("Thank you. I'm putting you through now, and the account can wait.", ""),
    ], queue="billing", group="distress", hangup=True, note="saying goodbye; the agent transfers to a crisis counselor, so there is no closing")

S("c051", "Green Energy", "John", 10, [
    O("full8"),
    C("I'm calling about my meter, but honestly, I've got a box of pills saved up and I don't care anymore.", "neg distress"),
    A("I'm really sorry you're going through this. Your safety matters more than the meter. Are you safe where you are?", "empathy distress_ok"),
    C("I haven't taken anything."),
    A("Thank you. I'd like to connect you with a support line right now, they can talk things through with you. Is that okay?", "distress_ok"),
    C("Yes. Okay."),
    A("I'm arranging that now. And I'll ask a meter engineer to call you next week."),
    C("Thank you."),
    K("k6")], queue="support", group="distress")

S("c052", "Apex Streaming", "Rachel", 11, [
    O("full11"),
    C("Hi. I'd like to cancel my account. Everyone would be happier if I wasn't around anyway.", "distress"),
    A("I'm sorry, that sounds really hard. Can I ask, are you safe right now?", "empathy distress_ok"),
    C("I just keep thinking", "neg"),
    A("Mm-hmm.", "bc"),
    C("that it would be easier for everyone if I just disappeared.", "distress"),
    A("Thank you for telling me. There is help available. I can give you the number of a helpline where you can talk to someone tonight.", "distress_ok"),
    C("Okay, maybe. Yes."),
    A("It's one one six, one two three, the Samaritans. I've paused your account instead of cancelling it, so you don't have to decide anything today.", "access"),
    C("Okay. Thanks."),
    K("k7")], queue="retention", group="distress", note="two distress statements, the second spread over two turns")

S("c053", "North Mobile", "Tom", 12, [
    O("full6"),
    C("It's {cf}. I can't pay the bill, I can't do anything. I can't do this anymore, I don't want to be here.", "neg distress"),
    A("{cn}, I'm really sorry you're feeling this way. Are you safe right now? Is anyone with you?", "empathy distress_ok"),
    C("No. Nobody."),
    A("I'd like to help you talk to someone. There's a crisis line open all night, and I can connect you with them now if you'll let me.", "distress_ok"),
    C("Alright."),
    A("Thank you. And please don't worry about the bill today, it can wait."),
    C("Okay."),
    K("k8")], queue="billing", group="distress", mono=True)

S("c054", "Metro Gas", "Omar", 13, [
    O("full12"),
    C("I'm calling about my debt. There's no reason for me to keep living, really. I just need to know how much I owe.", "neg distress"),
    A("Okay. Let me check that for you."),
    V("dob_post"),
    A("Your balance is five hundred and twenty pounds.", "access"),
    C("Right."),
    A("Would you like to set up a direct debit?"),
    C("No."),
    K("k9")], queue="billing", group="distress", note="the agent ignores the distress")

S("c055", "Summit Gym", "Grace", 14, [
    O("full3"),
    C("Hi. I haven't been to the gym in months. Nothing matters anymore. I want to go to sleep and never wake up.", "neg distress"),
    A("I'm so sorry, that sounds incredibly hard. Thank you for telling me. Are you safe right now?", "empathy distress_ok"),
    C("I think so."),
    A("I really want you to have someone to talk to. Can I give you the number of a support line? They're free and there all the time.", "distress_ok"),
    C("Yes please."),
    A("It's one one six, one two three. And don't worry about the membership, we can talk about it another day."),
    C("Thank you, Grace."),
    K("k1")], queue="retention", group="distress", mono=True)

S("c056", "Brightline Broadband", "David", 15, [
    O("full9"),
    C("My internet's been off for a week. I'm on my own all day. What's the point of anything? Nobody would even notice if I was gone.", "neg distress"),
    A("I would notice, and I'm glad you called. I'm sorry you're feeling so alone. Are you safe today?", "empathy distress_ok"),
    C("I'm safe. I'm just low."),
    A("I'd like to give you the number of a helpline where you can talk to someone any time. And let's get your internet back on.", "distress_ok"),
    V("word"),
    A("I've booked an engineer for tomorrow morning, between eight and twelve.", "access"),
    C("Thank you. That's kind."),
    K("k2")], queue="support", group="distress")

S("c057", "Pinewood Bank", "Chloe", 16, [
    O("no_name1"),
    C("I've been scammed out of my savings. I keep thinking about stepping in front of a train.", "neg distress"),
    A("I'm so sorry this has happened, and I'm worried about you. Are you safe right now?", "empathy distress_ok"),
    C("I'm at home."),
    A("Please call the emergency services if you feel you might act on it. I can also connect you with a specialist support team, and a crisis line, right now.", "distress_ok"),
    C("The support team, please."),
    V("last4b"),
    A("I've frozen your accounts to stop any more payments, and a fraud specialist will call you within the hour.", "access"),
    C("Thank you."),
    K("k3")], queue="fraud", group="distress")

S("c058", "Blue Sky Insurance", "Sam", 17, [
    O("full7"),
    C("My house flooded last month, the whole ground floor, and we've been living upstairs with the kids ever since. Now the claim has been refused, and I don't know what to do. I'm thinking of killing myself, honestly.", "neg distress"),
    A("I'm really sorry. That sounds overwhelming, and thank you for telling me. Are you safe right now?", "empathy distress_ok"),
    C("I don't know."),
    A("I want to connect you with someone who can help straight away. There's a crisis line I can put you through to, or I can call emergency services if you're in danger.", "distress_ok"),
    C("The crisis line."),
    A("Okay. Before I transfer you, I'll also ask a claims manager to review your claim and call you back."),
    C("Thank you."),
    K("k4")], queue="claims", group="distress")

# ---------------------------------------------------------------- F. hard negatives: sad or idiomatic, no risk
S("c059", "Brightline Broadband", "Omar", 18, [
    O("full2"),
    C("Hi. This router is killing me. It drops out every ten minutes, and I work from home.", "neg hardneg"),
    A("Oh, that sounds really annoying, I'm sorry. Let's see what's going on.", "empathy"),
    V("postcode"),
    A("I can see your line has dropped forty times today. I've reset it from our side and lowered the speed a little so it stays stable.", "access"),
    C("Okay, fingers crossed."),
    K("k5")], queue="support", group="hard_negative")

S("c060", "North Mobile", "Anna", 19, [
    O("full4"),
    C("Please don't put me on hold. I can't go on hold again, I've already been on hold for forty minutes today.", "neg hardneg"),
    A("I'm so sorry about the wait. I'll stay with you the whole time.", "empathy"),
    C("Thank you. I just need my PUK code, my phone is locked."),
    V("dob"),
    A("Your PUK code is eight two one four, five five nine three.", "access"),
    C("It worked! Thank you."),
    K("k6")], queue="support", group="hard_negative")

S("c061", "Nova Telecom", "Lucy", 0, [
    O("full5"),
    C("I'm calling to cancel. I've had enough of the dropped calls. I won't be back, I'm switching to another provider.", "neg hardneg"),
    A("I'm sorry we've let you down. I understand.", "empathy"),
    V("phone"),
    A("Okay. Your contract ends on the thirtieth, and I've processed the cancellation from that date.", "access"),
    C("Good."),
    K("k7")], queue="retention", group="hard_negative")

S("c062", "Blue Sky Insurance", "Ben", 1, [
    O("full8"),
    C("Hi. I'm so sad, my old phone broke this morning and all my photos of the kids were on it.", "neg hardneg"),
    A("Oh no, I'm really sorry, that's horrible. Let's see what your insurance covers.", "empathy"),
    V("dob2"),
    A("Bear with me, I'm putting you on hold while I check your policy.", "hold_announce", hold=11),
    A("Thanks for waiting. Your gadget policy covers accidental damage with a fifty pound excess. I've opened a claim for you.", "hold_thanks access"),
    C("Thank you. Maybe the photos can be saved."),
    A("They often can. The repair team will try."),
    K("k8")], queue="claims", group="hard_negative")

S("c063", "City Power", "Emma", 2, [
    O("full10"),
    C("I nearly died when I saw this bill. Six hundred pounds! It's usually about ninety, and it's just me and the dog in a little two bedroom house. This bill is going to be the death of me.", "neg hardneg"),
    A("I can understand the shock, that's a lot of money. Let me check what happened.", "empathy"),
    V("word2"),
    A("Your bill is six hundred and two pounds because the meter reading was entered wrongly. I've corrected it, so your bill is now ninety eight pounds.", "access"),
    C("Oh, thank goodness for that."),
    K("k9")], queue="billing", group="hard_negative")

S("c064", "Maple Home Store", "Rachel", 3, [
    O("full12"),
    C("I'm done with this company. I give up trying to fix this washing machine myself, it's leaking again.", "neg hardneg"),
    A("I'm sorry, that's really frustrating after everything.", "empathy"),
    V("email"),
    A("I can see you bought it in October, so it's under warranty. I've booked a repair for Wednesday.", "access"),
    C("Okay. Thank you."),
    K("k1")], queue="orders", group="hard_negative")

S("c065", "Parcel Express", "David", 4, [
    O("full11"),
    C("Hi. I'm not going to be around next week, I'm on holiday, so I won't be here on Tuesday for the delivery.", "hardneg"),
    A("No problem, we can change that."),
    V("email"),
    A("Your delivery is booked for Tuesday. I've moved it to the following Monday.", "access"),
    C("Perfect, thanks."),
    K("k2")], queue="orders", group="hard_negative")

S("c066", "North Mobile", "Tom", 5, [
    O("full9"),
    C("My battery keeps dying by lunchtime. I could kill for a phone that lasts a whole day.", "neg hardneg"),
    A("I hear you, that's really annoying.", "empathy"),
    V("otp"),
    A("Your phone is still under warranty, so I've arranged a free battery replacement at our shop in town.", "access"),
    C("Great, thanks."),
    K("k3")], queue="support", group="hard_negative", mono=True)

S("c067", "Maple Home Store", "Chloe", 6, [
    O("full3"),
    C("Sorry I'm whispering, I don't want the baby to wake up. I'm at the end of my rope with this printer. And I feel hopeless with technology, honestly.", "neg hardneg"),
    A("Oh, don't worry, you're not alone, printers are tricky. Let's fix it together.", "empathy"),
    C("It just says offline."),
    A("Turn it off at the wall, wait ten seconds, and turn it on again."),
    C("Okay. It's printing! There's no point going on with my old one, is there?"),
    A("Not really, this one will serve you well."),
    C("And I just want my details to disappear from your mailing list."),
    V("email"),
    A("Done, I've removed you from our marketing emails.", "access"),
    K("k4")], queue="support", group="hard_negative")

# ---------------------------------------------------------------- G. conduct: rude agents, holds, dead air, pace, balance
S("c068", "Apex Streaming", "Sam", 7, [
    O("bare1"),
    C("Hi. My streaming keeps freezing every evening, and I pay for the premium plan. It's really frustrating.", "neg"),
    A("Whatever. Have you restarted the box?", "rude"),
    C("Yes, of course I have, I've restarted it every night this", ""),
    A("You people never read the help pages.", "rude", cut=1.4),
    C("Excuse me? I read them, and nothing there", ""),
    A("I already told you, restart the box.", "rude", cut=1.3),
    C("I've done that! Can you check my account or not?", ""),
    A("Name and postcode.", "verify", cut=1.0),
    C("{cf}, S W nine, eight Q R."),
    A("Your account is fine. It's your internet.", "access"),
    C("Great. Thanks for nothing."),
    K("none1")], queue="support", group="rude")

S("c069", "Harbor Bank", "John", 8, [
    O("full1"),
    C("Hi John. I'd like to know why my card was declined at the supermarket."),
    A("Sure, let me help."),
    V("pin"),
    A("May I place you on a brief hold while I check with our fraud team?", "hold_ask"),
    C("Yes, that's fine.", "", hold=15),
    A("Thank you for holding. The card was blocked because of an unusual payment, but I've unblocked it now.", "hold_thanks access"),
    C("Great, thank you."),
    K("k5")], queue="banking", group="hold")

S("c070", "Metro Gas", "Mark", 9, [
    O("full5"),
    C("Hi, I'd like to know when my smart meter is being installed."),
    V("dob"),
    A("Hold on.", "hold_announce", hold=9),
    A("Right. It's booked for the twelfth.", "access"),
    C("Morning or afternoon?"),
    A("Morning."),
    K("k6")], queue="support", group="hold")

S("c071", "Sunrise Travel", "Emma", 10, [
    O("full7"),
    C("Hi. We're flying to Malaga next Saturday for my sister's wedding, and my wife has just told me she's packing three pairs of shoes and a hat box, so I think we're going to need some extra luggage on the booking."),
    V("secq"),
    A("Can I put you on hold for a moment while I check the price?", "hold_ask"),
    C("Sure.", "", hold=12),
    A("Right, so a twenty kilo bag is thirty five pounds. Shall I add it?"),
    C("Yes please."),
    A("I've added it to your booking.", "access"),
    K("k7")], queue="bookings", group="hold")

S("c072", "Riverside Water", "Ben", 11, [
    O("full6"),
    C("It's {cf}. I'd like to set up a direct debit for my water bill."),
    V("acct_addr"),
    A("Okay, let me look at your account."),
    C("Okay.", "", pause=13),
    C("Hello? Are you still there?"),
    A("Yes, sorry. So your bill is twenty eight pounds a month. What day would you like it to come out?", "access"),
    C("The first of the month, please."),
    A("I've set that up for you.", "access"),
    K("k8")], queue="billing", group="dead_air")

S("c073", "Nova Telecom", "Priya", 12, [
    O("full1"),
    C("Hi. I'd like to know if I can get a new SIM card, mine's damaged."),
    A("Of course, that's no problem at all. I can send you a replacement SIM card free of charge, and it usually arrives within two working days."),
    V("dob"),
    A("Thank you. I've ordered a new SIM card to your home address. When it arrives, put it in your phone, and your number and your contacts will move across automatically within a few hours.", "access"),
    C("Great. Do I need to do anything else?"),
    A("No, nothing else, just keep the old card until the new one works, and then you can throw the old one away. Is there anything else I can help you with today?", "further_help"),
    C("No, that's all, thanks."),
    A("Thank you for calling Nova Telecom, have a great day.", "thanks")], queue="support", group="fast_agent",
  rates=(290, None), note="the agent rushes every sentence")

S("c074", "Green Energy", "Lucy", 13, [
    O("full2"),
    C("Hello dear. Well, I'm calling because, you see, my late husband always did the bills, and since he went into the home I've had to learn all of it myself, and the letters you send are very confusing. I read them at the kitchen table with my magnifying glass, and I still can't make head nor tail of them. There's a number at the top, and a number at the bottom, and they're not the same, and I don't know which one I'm meant to pay.", "neg"),
    A("I understand, that sounds confusing.", "empathy"),
    C("It is! And then there's a little chart with coloured bars, and my neighbour said the bars are how much electricity I use each month, but I don't use more in winter, I'm always careful, I wear two jumpers and I only heat the one room. So I don't see why the bars are taller in January. My son says I should ring you and ask, so here I am, asking.", "neg"),
    A("Can I take your full name and date of birth, please?", "verify"),
    C("Oh yes, it's {cf}. And I was born on the twelfth of December, nineteen forty five, the same week as my cousin Edna, who lived in the house next to ours until the war ended and her family moved to the seaside."),
    A("The amount to pay is the one at the bottom, sixty one pounds.", "access"),
    C("Oh, and while I have you, dear, the man who reads the meter, the tall one with the beard, he came on a Tuesday last time and I was at the chiropodist, so he left a card, and I filled in the card with the numbers from the meter, but I wasn't sure whether to put the red numbers as well as the black ones, so I put them all in, just in case. I hope that didn't muddle anything up. My son says the red numbers don't count. He's very good with these things, my son, but he lives in Leeds now, so I can't ask him every five minutes, can I? He's got his own family to look after, three boys, all football mad."),
    A("The red numbers don't matter."),
    C("Well, that's a weight off my mind. I was lying awake about those red numbers, you know, because Mrs Patterson at number nine got a bill for three hundred pounds once, all because she read the meter upside down, or so she says. She had to ring up four times and in the end her nephew sorted it out for her. He works in a bank, so he's good with figures. Anyway, I said to myself, Doris, you ring them up and ask, there's no shame in asking, and that's what I've done, and you've been very patient with me."),
    C("Sixty one pounds. Well that's much clearer now. The one at the top must be last month then. I'll write it on the calendar, next to my hair appointment, so I don't forget. Thank you, dear."),
    K("k9")], queue="billing", group="talk_balance", note="the customer does most of the talking")

S("c075", "Blue Sky Insurance", "Grace", 14, [
    O("full3"),
    C("Hi, I'd like to know what my travel insurance covers."),
    V("dob"),
    A("Thank you. So your annual travel policy covers you for trips of up to thirty one days anywhere in Europe. It includes medical expenses up to ten million pounds, and cancellation cover up to five thousand pounds if you have to cancel for a reason the policy lists, such as illness or a family emergency. Your baggage is covered up to two thousand pounds, with a single item limit of five hundred pounds, so expensive items like cameras may need extra cover. There's also personal liability cover, and a twenty four hour emergency assistance line you can call from anywhere. Winter sports are not included, but you can add them for twenty pounds a year. The excess on most claims is seventy five pounds.", "access"),
    C("Okay."),
    A("You'll find all of this in your policy documents as well, which I can email to you again if you like. The policy renews automatically in September, and we'll write to you a month before with the new price. If you travel to the United States you would need to upgrade to worldwide cover, which costs an extra forty pounds a year. Is there anything else I can help you with?", "further_help"),
    C("No, thanks."),
    A("Thank you for calling Blue Sky Insurance. Take care.", "thanks")], queue="support", group="talk_balance", note="the agent does almost all of the talking")

S("c076", "Brightline Broadband", "Sarah", 15, [
    O("full4"),
    C("Hi. I keep losing my wifi upstairs, the kids can't do their homework in their rooms, and my husband works in the loft, so it's causing arguments every evening, honestly it's driving us all a bit mad.", "neg"),
    A("Mm-hmm.", "bc", cut=6.0),
    A("Oh dear, I'm sorry, that sounds stressful.", "empathy"),
    C("It is. We've tried moving the router to the landing, and turning it off and on again, and even buying one of those plug-in extenders from the supermarket, but nothing seems to make a real difference.", "neg"),
    A("Right.", "bc", cut=5.0),
    A("Okay.", "bc", cut=2.5),
    V("postcode"),
    A("You're on the fibre one hundred plan with our older router. I've ordered you a free mesh system with two extra units, which will cover every floor.", "access"),
    C("Oh, wonderful. When will it come?"),
    A("On Thursday."),
    K("k1")], queue="support", group="backchannel", note="backchannels while the customer talks are not interruptions")

S("c077", "City Power", "David", 16, [
    O("full1"),
    C("Hi, I'd like to get a smart meter."),
    A("Great. So the first thing I'll need to do is check whether your home is suitable for a smart meter, and then we can book"),
    C("Is it free?", "", cut=1.5),
    A("Yes, it's free. And I'll just need to check a few details before I can book the"),
    C("How long does it take?", "", cut=1.5),
    A("About two hours. Now, could I take your name and date of birth, please, so I can", "verify"),
    C("It's {cf}, fifth of December nineteen fifty five. Sorry, go on.", "", cut=1.2),
    A("Thank you. I've booked your installation for the twentieth, in the morning.", "access"),
    C("Perfect."),
    K("k2")], queue="sales", group="customer_interrupts", note="the customer interrupts three times; the agent never does")

S("c078", "Green Energy", "Ben", 17, [
    O("full12"),
    C("Hi, I'd like to pay my bill by card please."),
    V("dob"),
    A("Sure. Your balance is seventy two pounds. What's the card number?", "access"),
    C("It's four nine one six, three eight one five, two zero seven nine, four zero two four.", "card"),
    A("Thank you. Let me read that back. Four nine one six, three eight one five, two zero seven nine, four zero two four.", "readback"),
    C("Yes, that's right."),
    A("Thank you, the payment of seventy two pounds has gone through.", "access"),
    K("k3")], queue="billing", group="card")

S("c079", "Riverside Water", "Anna", 18, [
    O("full9"),
    C("Hello, I want to pay my water bill by card."),
    V("acct_addr"),
    A("Thank you. Your balance is fifty five pounds. Could you read me the card number?", "access"),
    C("Yes, it's five four one two, seven five nine one, two three four five, six seven eight nine.", "card"),
    A("Thank you. So that's the card ending six seven eight nine. The payment of fifty five pounds is done.", "access"),
    C("Great."),
    K("k4")], queue="billing", group="card", note="only the last four digits are read back")

S("c080", "Pinewood Bank", "Omar", 19, [
    O("full8"),
    C("Hi Omar. I'd like to increase my overdraft limit, and check my savings rate."),
    V("word"),
    A("Can I put you on hold for a moment while I check the overdraft options?", "hold_ask"),
    C("Sure.", "", hold=10),
    A("Thanks for waiting. I've increased your overdraft limit to five hundred pounds.", "hold_thanks access"),
    C("Thanks. And the savings rate?"),
    A("Do you mind if I put you on hold again? I need to check with another team.", "hold_ask"),
    C("No problem.", "", hold=9),
    A("Thank you for your patience. Your savings account pays three point one percent.", "hold_thanks access"),
    C("Great, thanks."),
    K("k5")], queue="banking", group="hold", mono=True)

# ---------------------------------------------------------------- H. repeat calls and decoys
# R1: the same customer, internet dropping out, worded differently two days later; then a
# different issue (roaming) two days after that.
S("c081", "Brightline Broadband", "Tom", 0, [
    O("full1"),
    C("Hi Tom. My internet keeps dropping out every evening, usually around eight, and then it comes back after a few minutes. It's getting a bit annoying.", "neg"),
    A("I'm sorry about that, let's take a look.", "empathy"),
    V("postcode"),
    A("I can see a few drops on your line in the evenings. I've reset the line from here, so let's see if that fixes it.", "access"),
    C("Okay, I'll keep an eye on it."),
    K("k1")], queue="support", group="repeat", customer_id="cust-r1", started_at="2025-03-03T10:05:00Z")

S("c082", "Brightline Broadband", "Sarah", 0, [
    O("full2"),
    C("Hello. I rang on Monday. The broadband connection still cuts off at night, every night, so nothing has been fixed. I'm really fed up now.", "neg"),
    A("I'm really sorry it's still happening, that must be so frustrating.", "empathy"),
    V("dob"),
    A("I can see last night the connection went down six times. I've booked an engineer to check the line on Friday.", "access"),
    C("Okay. Thank you."),
    K("k2")], queue="support", group="repeat", customer_id="cust-r1", started_at="2025-03-05T15:20:00Z",
  repeat_of="c081")

S("c083", "Brightline Broadband", "Omar", 0, [
    O("full3"),
    C("Hi, I'm going to France next week. Can you add roaming to my mobile, please?"),
    V("phone"),
    A("I've added the Europe roaming pack to your mobile, two pounds a day when you use it.", "access"),
    C("Perfect, thanks."),
    K("k3")], queue="sales", group="decoy_other_issue", customer_id="cust-r1", started_at="2025-03-07T11:00:00Z")

# R2: a double charge, then "billed two times, the refund never came".
S("c084", "City Power", "Emma", 1, [
    O("full4"),
    C("Hi. I've been charged twice for my February bill, two payments of seventy pounds, and I'm not pleased about it.", "neg"),
    A("Oh, I'm sorry, that shouldn't happen.", "empathy"),
    V("dob2"),
    A("I can see both payments. I've refunded the second one, and it'll be back in your bank within five days.", "access"),
    C("Great, thank you."),
    K("k4")], queue="billing", group="repeat", customer_id="cust-r2", started_at="2025-03-04T09:30:00Z",
)

S("c085", "City Power", "John", 1, [
    O("full5"),
    C("Hello. You took the money for my electricity two times last month, and I was promised it back, but nothing has arrived in my bank. I'm not happy.", "neg"),
    A("I'm sorry about that, I understand why you're not happy.", "empathy"),
    V("word"),
    A("Can I put you on hold for a minute while I look into the refund?", "hold_ask"),
    C("Okay.", "", hold=13),
    A("Right. I can see the refund of seventy pounds was sent on Tuesday, but it was returned by your bank. I've sent it again to your new account.", "access"),
    C("Okay, thanks for checking."),
    K("k5")], queue="billing", group="repeat", customer_id="cust-r2", started_at="2025-03-06T14:10:00Z",
  repeat_of="c084")

# R3: a parcel that never came, then "still waiting on my delivery".
S("c086", "Parcel Express", "Lucy", 2, [
    O("full6"),
    C("It's {cf}. My parcel was meant to come yesterday but it never arrived. I'm a bit worried because it's medicine.", "neg"),
    A("I'm sorry, I can see why that's worrying. Let me check.", "empathy"),
    V("email"),
    A("Your parcel is at our local depot. I've booked it for delivery first thing tomorrow.", "access"),
    C("Thank you."),
    K("k6")], queue="orders", group="repeat", customer_id="cust-r3", started_at="2025-03-03T13:00:00Z")

S("c087", "Parcel Express", "David", 2, [
    O("full7"),
    C("Hi. I'm still waiting on my delivery. You told me Tuesday morning, and the box with my tablets still hasn't turned up. I'm really worried now.", "neg"),
    A("I'm so sorry, that's really worrying. Let me find out what happened.", "empathy"),
    V("dob"),
    A("The driver marked it as failed because the gate was locked. I've sent it out again today with a note to call you.", "access"),
    C("Okay. Please make sure they call."),
    K("k7")], queue="orders", group="repeat", customer_id="cust-r3", started_at="2025-03-07T16:45:00Z",
  repeat_of="c086", mono=True)

# R4: locked out of online banking, then "the app says my login is blocked".
S("c088", "Harbor Bank", "Mark", 3, [
    O("full8"),
    C("Hi Mark. I can't log in to online banking. I must have typed my password wrong too many times."),
    V("pin"),
    A("Yes, your online banking was locked. I've unlocked it and sent you a new temporary password.", "access"),
    C("Brilliant, thanks."),
    K("k8")], queue="banking", group="repeat", customer_id="cust-r4", started_at="2025-03-04T11:15:00Z")

S("c089", "Harbor Bank", "Priya", 3, [
    O("full9"),
    C("Hello. I still can't get into the app. It keeps telling me my sign in is blocked, even with the temporary code you sent yesterday. It's really frustrating.", "neg"),
    A("I'm sorry, I can see why that's frustrating.", "empathy"),
    V("pin2"),
    A("The temporary password expired after an hour. I've sent a new one, and this time it lasts for a day.", "access"),
    C("Okay, I'll try it straight away."),
    K("k9")], queue="banking", group="repeat", customer_id="cust-r4", started_at="2025-03-05T08:50:00Z",
  repeat_of="c088")

# R5: a flickering phone screen, then "the display keeps going black".
S("c090", "North Mobile", "Anna", 4, [
    O("full10"),
    C("Hi Anna. The screen on my new phone keeps flickering, it's only two weeks old."),
    V("otp"),
    A("Your phone is under warranty. Try the software update first, and if it keeps flickering, call us back.", "access"),
    C("Okay, I'll try that."),
    K("k1")], queue="support", group="repeat", customer_id="cust-r5", started_at="2025-03-05T10:00:00Z",
)

S("c091", "North Mobile", "Ben", 4, [
    O("full11"),
    C("Hi. My mobile's display goes completely dark every few minutes. I did the update like I was told, and it's no better. I'm getting annoyed now.", "neg"),
    A("I'm sorry, that's really annoying, especially on a new handset.", "empathy"),
    V("dob2"),
    A("I've arranged a replacement handset, and a courier will bring it on Monday.", "access"),
    C("Thank you."),
    K("k2")], queue="support", group="repeat", customer_id="cust-r5", started_at="2025-03-08T12:30:00Z",
  repeat_of="c090")

# R6: a chain of three: an engineer who never came, twice.
S("c092", "Metro Gas", "Rachel", 5, [
    O("full12"),
    C("Hi. An engineer was supposed to come and fix my boiler this morning, and nobody came. I waited in all day.", "neg"),
    A("I'm really sorry, that's so frustrating when you've taken the day off.", "empathy"),
    V("postcode"),
    A("I can see the visit was cancelled by mistake. I've rebooked it for tomorrow morning.", "access"),
    C("Okay. Tomorrow then."),
    K("k3")], queue="support", group="repeat", customer_id="cust-r6", started_at="2025-03-10T09:00:00Z")

S("c093", "Metro Gas", "Sam", 5, [
    O("full1"),
    C("Hello. Nobody turned up again today to repair my heating. I stayed in the whole morning for nothing. I'm angry now.", "neg"),
    A("I completely understand, I'm so sorry we've let you down twice.", "empathy"),
    V("dob"),
    A("The engineer was taken ill. I've booked another engineer for Thursday, and added a thirty pound credit to your account.", "access"),
    C("Thursday. Fine."),
    K("k4")], queue="support", group="repeat", customer_id="cust-r6", started_at="2025-03-11T09:10:00Z",
  repeat_of="c092")

S("c094", "Metro Gas", "Grace", 5, [
    O("full2"),
    C("This is the third time I've called. My boiler still hasn't been looked at, the man didn't come on Thursday either, and my house is freezing.", "neg"),
    A("I'm so sorry. I can hear how frustrated you are, and you have every right to be.", "empathy"),
    V("word"),
    A("I've escalated this to our service manager, and I've booked a priority visit for tomorrow at eight, with a call from the engineer before he leaves.", "access"),
    C("Okay. Please make sure it happens this time."),
    K("k5")], queue="support", group="repeat", customer_id="cust-r6", started_at="2025-03-13T17:00:00Z",
  repeat_of="c093")

# D1: the same customer, a billing question, then a change of address.
S("c095", "Riverside Water", "Tom", 6, [
    O("full3"),
    C("Hi. What's the amount of my next water bill?"),
    V("dob"),
    A("Your next bill is forty two pounds, due on the fifteenth.", "access"),
    C("Okay, thanks."),
    K("k6")], queue="billing", group="decoy_other_issue", customer_id="cust-d1", started_at="2025-03-03T15:30:00Z")

S("c096", "Riverside Water", "Emma", 6, [
    O("full4"),
    C("Hello. I'm moving to a new flat, so I need to give you my new address."),
    V("postcode2"),
    A("What's the new address?"),
    C("Flat two, eighteen River Street."),
    A("I've updated your address from the first of April.", "access"),
    K("k7")], queue="billing", group="decoy_other_issue", customer_id="cust-d1", started_at="2025-03-06T10:20:00Z")

# D2: cut off, the customer calls straight back about the same thing: a call-back, not a repeat.
S("c097", "Nova Telecom", "Lucy", 7, [
    O("full5"),
    C("Hi. My home internet isn't working at all since this morning. I'm a bit stressed, I work from home.", "neg"),
    A("Oh, I'm sorry, that's stressful. Let me check your line.", "empathy"),
    V("dob2"),
    A("I can see your router is offline. Can you check", "access"),
    ], queue="support", group="callback", customer_id="cust-d2", started_at="2025-03-04T10:00:00Z",
  hangup=True, note="the line drops mid-call")

S("c098", "Nova Telecom", "Omar", 7, [
    O("full6"),
    C("It's {cf}. I was just talking to someone about my internet and we got cut off."),
    A("Oh, sorry about that. Let's carry on."),
    V("dob"),
    A("I can see the notes. Your router is offline. Could you unplug it for ten seconds and plug it back in?", "access"),
    C("Okay, done. The lights are coming back. It's working!"),
    K("k8")], queue="support", group="callback", customer_id="cust-d2", started_at="2025-03-04T10:07:00Z")

# D3: an order problem, then a question about upgrading a contract.
S("c099", "North Mobile", "Chloe", 8, [
    O("full7"),
    C("Hi. I ordered a phone case on your website and it's the wrong colour."),
    V("email"),
    A("I can see the order. I've arranged a free swap, and the courier will bring the blue one tomorrow.", "access"),
    C("Great, thanks."),
    K("k9")], queue="orders", group="decoy_other_issue", customer_id="cust-d3", started_at="2025-03-12T12:00:00Z")

S("c100", "North Mobile", "David", 8, [
    O("full9"),
    C("Hello. My contract ends soon, and I wondered what upgrade deals you have."),
    V("phone"),
    A("Your contract ends on the tenth of April. You can upgrade now, and the new phones start at twenty five pounds a month.", "access"),
    C("I'll think about it. Thanks."),
    K("k1")], queue="sales", group="decoy_other_issue", customer_id="cust-d3", started_at="2025-03-13T16:40:00Z")

# D4: a password reset, and a call-back nine minutes later.
S("c101", "Apex Streaming", "Ben", 9, [
    O("full8"),
    C("Hi. I need to reset my password, I can't get into my account."),
    V("email"),
    A("I've sent a reset link to your email.", "access"),
    C("Okay, I'll look for it."),
    K("k2")], queue="support", group="callback", customer_id="cust-d4", started_at="2025-03-10T14:00:00Z")

S("c102", "Apex Streaming", "Rachel", 9, [
    O("full10"),
    C("Hello. I called a few minutes ago about resetting my password, but the email hasn't come."),
    V("email"),
    A("I can see the email bounced, there was a typo in your address. I've corrected it and sent the link again.", "access"),
    C("Got it, thanks."),
    K("k3")], queue="support", group="callback", customer_id="cust-d4", started_at="2025-03-10T14:09:00Z")

# D5: a late fee, and the same complaint nine days later: outside the seven-day window.
S("c103", "Harbor Bank", "John", 10, [
    O("full11"),
    C("Hi. I've been charged a late fee on my credit card, but I paid on time. I'm quite annoyed.", "neg"),
    A("I'm sorry about that, I understand.", "empathy"),
    V("last4"),
    A("I can see the payment arrived a day late because of the bank holiday. I've removed the fee.", "access"),
    C("Thank you."),
    K("k4")], queue="banking", group="decoy_window", customer_id="cust-d5", started_at="2025-03-03T11:40:00Z")

S("c104", "Harbor Bank", "Priya", 10, [
    O("full12"),
    C("Hello. There's another late payment charge on my card statement, and again I paid it on time. I'm not happy.", "neg"),
    A("I'm sorry to hear that. Let me look.", "empathy"),
    V("pin"),
    A("I can see the direct debit date is set after your due date. I've removed the fee and moved the date earlier.", "access"),
    C("Thank you. That should stop it."),
    K("k5")], queue="banking", group="decoy_window", customer_id="cust-d5", started_at="2025-03-12T15:00:00Z",
  note="the same issue nine days later: outside the seven-day repeat window")

# ---------------------------------------------------------------- I. no account details touched
S("c105", "Brightline Broadband", "Sam", 11, [
    O("full9"),
    C("Hi, I'm thinking of joining. Can I get fibre at my address?"),
    A("Let's check. What's the postcode you'd like me to check?"),
    C("It's M one four, five X Y."),
    A("Good news, fibre three hundred is available there, from thirty one pounds a month."),
    C("Great, I'll think about it."),
    K("k6")], queue="sales", group="no_account",
  note="a postcode for a coverage check is not identity verification; nothing of an account is touched")

S("c106", "Nova Telecom", "Anna", 12, [
    O("full11"),
    C("Hello. My daughter is starting university in September, and she needs a phone plan of her own. She's on my contract at the moment. What SIM only plans do you have?"),
    A("We have three. Five gigabytes for eight pounds, thirty gigabytes for twelve pounds, and unlimited for twenty pounds."),
    C("Do they come with a contract?"),
    A("They're all rolling monthly plans, so you can leave any time."),
    C("Okay, that's helpful, thanks."),
    K("k7")], queue="sales", group="no_account", mono=True)

S("c107", "Brightline Broadband", "Priya", 13, [
    O("full12"),
    C("Hi. My wifi is slow in the evenings. Is there anything I can try myself?"),
    A("Yes, a few things. Put the router up high and in the open, away from the microwave, and restart it once a week."),
    C("Oh, it's in a cupboard at the moment."),
    A("That's probably it then. Try moving it out of the cupboard first."),
    C("I will. Thanks."),
    K("k8")], queue="support", group="no_account")
