"""The two long calls (lonely callers, issue 13 item 4) and the Hebrew, Arabic and Russian calls
of the corpus. Same conventions as scenarios.py.

Hebrew and Arabic are spoken by MBROLA diphone voices (poorly heard by Whisper base, see the
README's Languages section); Arabic is written with its vowel marks because espeak-ng reads
unvowelled Arabic badly (the reference drops them, as Whisper writes none). Russian is spoken by
RHVoice, which Whisper base hears well.
"""
from scenario_lib import A, C, CLOSINGS, OPENINGS, VERIFY
from scenarios import S, V, O, K

# ---------------------------------------------------------------- long calls (>= 10 minutes)
# L1: a trivial request settled in the first minute, then ten minutes of small talk with a
# lonely caller: a workload insight (off_topic_long), not a fault of the kind agent.
SMALL_TALK = [
    C("Oh, that's lovely, thank you dear. You sound like my granddaughter, you know. She's about your age, I think. She lives in Australia now, in Perth."),
    A("Oh, that's a long way away. Perth is supposed to be beautiful, lots of sunshine and beaches. Do you get to see her often?"),
    C("Not really. She came over two Christmases ago with her little boy, Jack. He was only three then. He must be nearly six now. We talk on the computer sometimes, when she remembers to ring. The time difference makes it hard, you see, because when it's morning here it's evening there, or the other way round, I can never remember which."),
    A("That must be hard, but it's nice that you can see each other on the screen."),
    C("It is. Jack showed me his new bicycle last time. Red, with a bell. He rang the bell for me about fifty times."),
    A("That sounds adorable."),
    C("It was. Now, what's the weather like where you are, dear? It's been raining here all week. I haven't been able to get out into the garden at all."),
    A("It's been grey here too, but it was sunny yesterday afternoon for a little while. I took my lunch outside and sat on a bench in the park for twenty minutes. It felt like spring for the first time this year."),
    C("Oh, you were lucky. My roses need pruning, and the daffodils are coming up along the fence. My late husband Arthur planted those daffodils the year we moved in. That was nineteen seventy two. Every spring they come up, and I think of him."),
    A("That's a really lovely way to remember him."),
    C("He was a good gardener, Arthur. Much better than me. He grew tomatoes in the greenhouse, great big ones, and runner beans up canes along the back wall. I've let the greenhouse go now. There's a cat that sleeps in there, not even my cat, the one from number twelve."),
    A("Ha, it sounds like the cat has found a nice warm spot."),
    C("Oh, he has. He's a big ginger thing called Marmalade. He comes and sits on my windowsill in the mornings and looks at me until I give him a bit of ham. I know I shouldn't, but he's good company."),
    A("I'm sure he appreciates it."),
    C("He does. Do you have any pets, dear?"),
    A("I have a little dog, a terrier called Biscuit. She's three years old and full of mischief. She steals my slippers every morning and runs round the garden with them."),
    C("Biscuit! What a good name. We had a terrier when the children were young. Scamp, he was called. He used to steal socks off the washing line and bury them in the vegetable patch. Arthur would dig up a sock with every potato."),
    A("That's very funny."),
    C("The children loved him. My son Peter, he's in Scotland now, he cried for a week when Scamp died. Peter's an engineer, he builds bridges. Well, he doesn't build them himself, he draws them. He was always drawing as a boy. I've still got his drawings in a box in the loft."),
    A("It's lovely that you kept them."),
    C("I keep everything, that's my trouble. My daughter says I should have a clear out, but I can't throw things away. There's a whole shelf of knitting patterns from the nineteen sixties. I still knit, you know. I'm making a jumper for Jack at the moment, a blue one with a train on the front."),
    A("That sounds wonderful. He's going to love it."),
    C("I hope so. The train is the hard part. I've had to undo it twice, because the wheels came out square. My eyes aren't what they were. I've got the big magnifying lamp now, the one with the light in it, that helps."),
    A("Those lamps are great for close work."),
    C("They are. I saw it advertised on the television. I watch a lot of television these days, the quiz shows mostly. I like the one in the afternoon where they have to guess the prices of things. I'm very good at it, I always know what a loaf of bread costs."),
    A("I bet you'd do well on the show. My grandmother loved that one too. She used to shout the answers at the television, and she was nearly always right."),
    C("Oh, I'd be too nervous. Arthur always said I should go on one of them. He said I knew more about the kings and queens of England than anyone he'd met. I was a history teacher, you see. Thirty one years at the girls' school on Hill Road."),
    A("Thirty one years, that's a long career."),
    C("It was. I still get Christmas cards from some of the girls. They're grandmothers themselves now, some of them. One of them, Susan, sends me a card every year with a photo of her garden. She's got a pond with fish in it."),
    A("That's really kind of her to stay in touch."),
    C("It is. People don't write letters anymore, do they? Everything is on the telephone. My neighbour's boy showed me how to send a message on my mobile, but the letters are so small I can't see what I'm typing. I sent the vicar a message that said potato instead of thank you."),
    A("Oh no! I hope he saw the funny side."),
    C("He did, bless him. He called round the next day and we had a good laugh about it. He comes on Thursdays, the vicar. We have a cup of tea and a slice of cake. I make a lemon drizzle cake every week, whether anyone comes or not."),
    A("Lemon drizzle is my favourite. I tried to bake one last month, but it sank in the middle and the top was burnt. My flatmate ate it anyway, to be kind."),
    C("Is it? My mother's recipe. The secret is to put the sugar on while the cake is still hot, so it goes crunchy on top. And plenty of lemon, two whole lemons, not one. People always use one and it's never enough."),
    A("I'll remember that. Two lemons."),
    C("Two lemons. And a hot oven. My oven's very old, mind, it runs hot on the left side, so I turn the tin round halfway through. You learn the tricks of your own oven after fifty years."),
    A("Fifty years with the same oven, that's impressive."),
    C("Well, not the same oven, dear, but the same kitchen. We had the oven replaced in nineteen ninety. Arthur wanted a gas one but I wanted electric. We had quite a row about it. I won, of course."),
    A("Of course!"),
    C("He always let me win the important ones. We were married forty eight years. He'd have been ninety this May. We were going to have a party in the village hall. Peter was going to come down with the children."),
    A("I'm sure he'd be very proud of how you've kept everything going."),
    C("Thank you, dear. That's nice of you to say."),
    C("I hope so. The house is so quiet without him, and I do get lonely. The radio helps. I have it on all day, the music station. They played Moon River this morning, that was our song. We danced to it at our wedding, in the church hall, with all the aunties watching.", "neg"),
    A("That's a beautiful memory. I'm sorry you're on your own now, that must be hard.", "empathy"),
    C("It is. Oh listen to me, going on and on. You must have lots of other people to help."),
    A("It's no trouble, I've enjoyed our chat."),
    C("You're very kind. It's nice to talk to someone. Some days you're the only person I speak to. Well, you and Marmalade, and he doesn't say much."),
    A("Ha, cats are good listeners though. And it sounds like you have the vicar on Thursdays, and your granddaughter on the computer, and the quiz shows in the afternoon. That's a lot of company in its own way."),
    C("He is. Now, before I go, was there something about a new kind of meter? My neighbour said you were putting new ones in. Do I need one?"),
    A("It's optional. We can send you a leaflet about smart meters in the post, so you can read about it in your own time."),
    C("Oh yes, send me a leaflet, I like something I can hold. And write it in big letters if you can."),
    A("I'll ask for a large print one."),
    C("Lovely. Oh, the kettle's boiling. I'd better go and make my tea. It's been so nice talking to you, dear."),
]

S("L01", "City Power", "Emma", 12, [
    O("full1"),
    C("Hello dear, I'm just calling to check you got my meter reading. I sent it in on the little card on Monday."),
    A("Of course, I can check that for you."),
    V("dob2"),
    A("Yes, we got your reading on Tuesday, and your account is all up to date, so there's nothing to pay this month.", "access"),
    *[dict(t, pause=1.5) for t in SMALL_TALK],
    A("It's been lovely talking to you too. Is there anything else I can help you with today?", "further_help"),
    C("No, that's everything, dear. Thank you for being so patient with an old lady."),
    A("It's my pleasure. Thank you for calling City Power, and enjoy your cake and your tea.", "thanks"),
    ], queue="billing", group="long_small_talk", rates=(150, 120), off_topic_long=True,
    note="a lonely caller: a trivial request in the first minute, then ten minutes of small talk")

# L2: a long call, all of it on task: a broadband fault traced step by step, with two holds.
TROUBLESHOOT = [
    A("Okay. First, can you tell me what lights you can see on the front of the router?"),
    C("There's a power light that's green, a light with a globe on it that's flashing orange, and the wifi light is blue."),
    A("Thank you. The flashing orange globe means the router can't connect to the internet. Can you check the grey cable that goes from the router into the wall socket? Is it pushed in firmly at both ends?"),
    C("Let me look. It goes into a white box on the wall. Yes, it seems to be in at both ends."),
    A("Could you unplug it from the white box, wait five seconds, and push it back in until it clicks?"),
    C("Okay. Unplugged. Five, four, three, two, one. And back in. It clicked."),
    A("Great. Now watch the globe light for a minute. It may go through a few colours."),
    C("It's gone red now. And now it's flashing orange again."),
    A("Okay, that tells me the router is trying, but the line isn't giving it a signal. Do you have any other phone sockets in the house?"),
    C("There's one in the bedroom upstairs, and one in the hallway where the router is now."),
    A("Is the hallway one the main socket, the one where the line comes into the house? It's usually bigger, with a horizontal line across the front."),
    C("Yes, the hallway one has a line across it, and two holes, one at the top and one at the bottom."),
    A("That's the master socket. The bottom half is a removable faceplate. If you unscrew the two small screws and pull the faceplate off, there's a test socket behind it. Do you have a small screwdriver?"),
    C("Hang on, I'll get one from the kitchen drawer. Right, got it. Two screws. Okay, the front has come off. There's another socket behind it."),
    A("Perfect. Please plug the router cable into that test socket, the one behind the faceplate."),
    C("Done. Plugged into the test socket."),
    A("Now let's wait for the globe light again. It can take up to two minutes."),
    C("It's flashing orange. Still flashing. Oh, now it's gone solid green."),
    A("That's great news. Solid green means the router has a connection. So the fault is in the faceplate or the wiring behind it, not the line outside."),
    C("So the faceplate is broken?"),
    A("It looks that way. The faceplate has a filter in it, and they do wear out, especially after a thunderstorm. Have you had any storms lately?"),
    C("Yes, actually, there was a big one on Saturday night. The lights flickered."),
    A("That would explain it. A power surge on the phone line can damage the filter. Now, can you check the wifi on your laptop or phone? Can you load a web page?"),
    C("Let me try on the laptop. It's connecting. Yes, the news website has loaded."),
    A("Excellent. Now let me run a speed test on your line from here to make sure it's healthy."),
]

S("L02", "Brightline Broadband", "David", 14, [
    O("full4"),
    C("Hi. My broadband stopped working on Sunday morning and I've tried everything I can think of. I work from home, so I'm really stressed about it.", "neg"),
    A("I'm really sorry, that's stressful when you rely on it for work. Let's work through it together, and we'll get to the bottom of it.", "empathy"),
    V("postcode2"),
    A("I can see your account is on the fibre one hundred plan, and the router last connected to us on Sunday at six in the morning.", "access"),
    C("That's about when it went off, yes."),
    *TROUBLESHOOT,
    A("This will take a minute or two. May I put you on hold while it runs?", "hold_ask"),
    C("Yes, of course.", "", hold=125),
    A("Thank you for holding. The test shows ninety two megabits down and nineteen up, which is right for your plan. There are no errors on the line.", "hold_thanks"),
    C("That's a relief. So what about the faceplate?"),
    A("You can leave the router in the test socket for now, it's perfectly safe, but it means the faceplate is off the wall. I'd like to send you a new faceplate in the post. It's free, and you just screw it on in place of the old one."),
    C("That sounds easy enough. Will the phone still work?"),
    A("Good question. Your home phone plugs into the router now, not the wall, since you moved to our digital phone service last year. So your phone works as long as the router does. Can you check that the phone has a dial tone?"),
    C("Let me pick it up. Yes, there's a dial tone."),
    A("Great. Now, because you were without service for three days, you're due some compensation. Let me check the amount with our billing team. Do you mind if I put you on hold again for a moment?", "hold_ask"),
    C("No, go ahead.", "", hold=125),
    A("Thanks for waiting. I've applied a credit of twelve pounds to your account for the three days, and it will show on your next bill. I've also ordered the new faceplate, which should arrive by Thursday.", "hold_thanks access"),
    C("Thank you, that's very fair. What if it happens again after a storm?"),
    A("If it does, try the test socket first, just as we did today. If the globe goes green there, the faceplate is the problem. If it stays orange even in the test socket, call us and we'll send an engineer, because then it's the line outside."),
    C("Test socket first, then call you. I'll write that down. And should I unplug the router when there's a storm?"),
    A("You can, if there's a big storm right overhead. A surge protector plug is also a good idea, they're not expensive, and they protect the router and the computer."),
    C("I'll get one this weekend. Thanks for being so thorough. Could you also tell me when my contract ends, while I have you?"),
    A("Your contract ends in November. We'll write to you two months before with your options, and you won't be moved to a higher price without being told."),
    C("Good. That's everything I needed to know about it."),
    A("Just to sum up: your broadband is working through the test socket, a new faceplate arrives by Thursday, and a twelve pound credit is on your account. Is there anything else I can help you with today?", "further_help"),
    C("No, that's all. Thank you so much, you've been brilliant."),
    A("You're very welcome. Thank you for calling Brightline Broadband, and good luck with your work this week.", "thanks"),
    ], queue="support", group="long_on_task", rates=(145, 130), off_topic_long=False,
    note="a long call, all on task, with two announced holds")

# ---------------------------------------------------------------- Hebrew (MBROLA hb2)
HE = dict(lang="he", voices=("mb-hb2@50", "mb-hb2@72"), rates=(125, 120))


def SL(cid, company, agent, turns, **options):
    """A call in another language: no English libraries, the turns as written."""
    from scenarios import SCENARIOS
    SCENARIOS.append(dict(id=cid, company=company, agent_name=agent, person="", turns=turns, **options))


SL("h01", "חברת אור", "מיכל", [
    A("שלום, תודה שהתקשרת לחברת אור, שמי מיכל. השיחה מוקלטת לצורך בקרת איכות. איך אפשר לעזור?", "greeting company name disclosure"),
    C("שלום מיכל. אני לא מצליח לשלם את החשבון החודש. אני מרגיש שאני רק נטל על כולם.", "neg distress"),
    A("אני מצטערת מאוד לשמוע, ותודה שסיפרת לי. אתה בטוח עכשיו?", "empathy distress_ok"),
    C("אני חושב שכן."),
    A("יש קו סיוע שאפשר להתקשר אליו בכל שעה, ער״ן, במספר אחת שתיים אפס אחת. אני יכולה גם להעביר אותך לנציג מיוחד שיעזור עם החשבון.", "distress_ok"),
    C("תודה. כן, לנציג."),
    A("לצורך זיהוי, מה תאריך הלידה שלך?", "verify"),
    C("חמישה במאי, אלף תשע מאות שמונים."),
    A("תודה. היתרה שלך היא שלוש מאות שקל. הקפאתי את החיוב לחודש.", "access"),
    A("יש עוד משהו שאוכל לעזור בו?", "further_help"),
    C("לא, תודה."),
    A("תודה שהתקשרת. שמור על עצמך.", "thanks"),
    ], queue="support-he", group="distress", **HE)

SL("h02", "נט פלוס", "יוסי", [
    A("שלום, נט פלוס, מדבר יוסי. איך אפשר לעזור?", "greeting company name"),
    C("שלום. האינטרנט לא עובד כבר שבוע. לפעמים אני חושבת שלכולם יהיה יותר טוב בלעדיי. אני רוצה פשוט להיעלם.", "neg distress"),
    A("אוקיי. מה מספר תעודת הזהות שלך?", "verify"),
    C("שלוש, שתיים, אחת, חמש, ארבע, שש, שבע, שמונה, תשע."),
    A("יש תקלה באזור שלך. טכנאי יגיע ביום ראשון.", "access"),
    C("בסדר."),
    A("ביי.", ""),
    ], queue="support-he", group="distress", note="the agent ignores the distress",
    **dict(HE, voices=("mb-hb2@40", "mb-hb2@80")))

SL("h03", "נט פלוס", "רונית", [
    A("בוקר טוב, הגעת לנט פלוס, שמי רונית. שיחה זו מוקלטת. במה אפשר לעזור?", "greeting company name disclosure"),
    C("בוקר טוב. הראוטר הזה הורג אותי. הוא מתנתק כל עשר דקות. אני מת לדעת מתי יגיע טכנאי.", "neg hardneg"),
    A("אני מבינה, זה ממש מתסכל. בוא נבדוק.", "empathy"),
    A("לצורך אימות, מה ארבע הספרות האחרונות של כרטיס האשראי?", "verify"),
    C("שבע, שתיים, תשע, תשע."),
    A("תודה. הזמנתי לך טכנאי למחר בבוקר.", "access"),
    C("מעולה, תודה רבה."),
    A("יש עוד משהו שאוכל לעזור בו?", "further_help"),
    C("לא, זה הכל."),
    A("תודה שהתקשרת לנט פלוס. יום טוב.", "thanks"),
    ], queue="support-he", group="hard_negative", **dict(HE, voices=("mb-hb2@60", "mb-hb2@35")))

SL("h04", "סלולר ישיר", "דנה", [
    A("שלום, תודה שהתקשרת לסלולר ישיר, שמי דנה. השיחה מוקלטת. איך אפשר לעזור?", "greeting company name disclosure"),
    C("שלום. אני לא יכולה לחכות שוב בהמתנה, כבר חיכיתי שעה. ואני עצובה שהטלפון הישן שלי נשבר.", "neg hardneg"),
    A("אני מצטערת על ההמתנה. החבילה שלך היא מאה גיגה בחמישים שקל לחודש.", "empathy access"),
    C("ואפשר לקבל טלפון חדש?"),
    A("כן, שלחתי לך טלפון חדש, הוא יגיע ביום שלישי.", "access"),
    C("תודה רבה."),
    A("יש עוד משהו שאוכל לעזור בו?", "further_help"),
    C("לא, תודה."),
    A("תודה שהתקשרת, יום טוב.", "thanks"),
    ], queue="support-he", group="hard_negative", note="account details read out without verification",
    **dict(HE, voices=("mb-hb2@55", "mb-hb2@85")))

# ---------------------------------------------------------------- Arabic (MBROLA ar2)
AR = dict(lang="ar", voices=("mb-ar2@55", "mb-ar2@25"), rates=(135, 130))

SL("a01", "شَرِكَةُ النُّورِ", "أَحْمَد", [
    A("مَرْحَبًا، شُكْرًا لِاتِّصَالِكَ بِشَرِكَةِ النُّورِ، اِسْمِي أَحْمَد. هَذِهِ المُكَالَمَةُ مُسَجَّلَةٌ لِأَغْرَاضِ الجَوْدَةِ. كَيْفَ يُمْكِنُنِي مُسَاعَدَتُكَ؟", "greeting company name disclosure"),
    C("لَا أَسْتَطِيعُ دَفْعَ الفَاتُورَةِ. أَشْعُرُ أَنَّنِي عِبْءٌ عَلَى الجَمِيعِ، وَلَا أُرِيدُ أَنْ أَعِيشَ بَعْدَ الآنِ.", "neg distress"),
    A("أَنَا آسِفٌ جِدًّا، وَشُكْرًا لِأَنَّكَ أَخْبَرْتَنِي. هَلْ أَنْتَ بِأَمَانٍ الآنَ؟", "empathy distress_ok"),
    C("نَعَمْ، أَظُنُّ ذَلِكَ."),
    A("هُنَاكَ خَطُّ مُسَاعَدَةٍ مَجَّانِيٌّ، وَيُمْكِنُنِي أَنْ أُوَصِّلَكَ بِمُخْتَصٍّ يَتَحَدَّثُ مَعَكَ الآنَ.", "distress_ok"),
    C("حَسَنًا، شُكْرًا."),
    A("مَا هُوَ تَارِيخُ مِيلَادِكَ، مِنْ فَضْلِكَ؟", "verify"),
    C("العَاشِرُ مِنْ مَارِس."),
    A("شُكْرًا. أَوْقَفْتُ الفَاتُورَةَ لِمُدَّةِ شَهْرٍ.", "access"),
    A("هَلْ هُنَاكَ شَيْءٌ آخَرُ يُمْكِنُنِي مُسَاعَدَتُكَ بِهِ؟", "further_help"),
    C("لَا، شُكْرًا."),
    A("شُكْرًا لِاتِّصَالِكَ. مَعَ السَّلَامَةِ.", "thanks"),
    ], queue="support-ar", group="distress", **AR)

SL("a02", "شَرِكَةُ الأَمَلِ", "سَارَة", [
    A("أَهْلًا وَسَهْلًا، شَرِكَةُ الأَمَلِ، مَعَكِ سَارَة. كَيْفَ أُسَاعِدُكَ؟", "greeting company name"),
    C("الإِنْتَرْنِت مَقْطُوعٌ. سَيَكُونُونَ أَفْضَلَ حَالًا بِدُونِي. أَتَمَنَّى أَنْ أَنَامَ وَلَا أَسْتَيْقِظَ.", "neg distress"),
    A("أَنَا آسِفَةٌ لِسَمَاعِ ذَلِكَ. مَا هُوَ رَقْمُ الحِسَابِ؟", "empathy"),
    C("خَمْسَةٌ، ثَلَاثَةٌ، تِسْعَةٌ، وَاحِدٌ."),
    A("هُنَاكَ عُطْلٌ فِي مِنْطَقَتِكَ، سَيَعُودُ الخَطُّ غَدًا.", "access"),
    C("حَسَنًا."),
    A("مَعَ السَّلَامَةِ."),
    ], queue="support-ar", group="distress", note="acknowledged, but no safety question and no help offered",
    **dict(AR, voices=("mb-ar2@70", "mb-ar2@35")))

SL("a03", "شَرِكَةُ النُّورِ", "عُمَر", [
    A("صَبَاحُ الخَيْرِ، شَرِكَةُ النُّورِ، اِسْمِي عُمَر. المُكَالَمَةُ مُسَجَّلَةٌ. كَيْفَ يُمْكِنُنِي مُسَاعَدَتُكَ؟", "greeting company name disclosure"),
    C("هَذَا الرَّاوْتَرُ سَيَقْتُلُنِي. يَنْقَطِعُ كُلَّ عَشْرِ دَقَائِقَ. أَمُوتُ لِأَعْرِفَ مَتَى يَأْتِي الفَنِّيُّ.", "neg hardneg"),
    A("أَفْهَمُ شُعُورَكَ، هَذَا مُزْعِجٌ جِدًّا.", "empathy"),
    A("لِلتَّحَقُّقِ مِنْ هُوِيَّتِكَ، مَا اسْمُكَ الكَامِلُ وَتَارِيخُ مِيلَادِكَ؟", "verify"),
    C("عَلِي حَسَن، الخَامِسُ مِنْ مَايُو."),
    A("شُكْرًا. حَجَزْتُ لَكَ فَنِّيًّا غَدًا صَبَاحًا.", "access"),
    A("هَلْ هُنَاكَ شَيْءٌ آخَرُ؟", "further_help"),
    C("لَا، شُكْرًا."),
    A("شُكْرًا لِاتِّصَالِكَ. يَوْمًا سَعِيدًا.", "thanks"),
    ], queue="support-ar", group="hard_negative", **dict(AR, voices=("mb-ar2@50", "mb-ar2@20")))

SL("a04", "شَرِكَةُ الأَمَلِ", "لَيْلَى", [
    A("مَرْحَبًا، شُكْرًا لِاتِّصَالِكَ بِشَرِكَةِ الأَمَلِ، اِسْمِي لَيْلَى. هَذِهِ المُكَالَمَةُ مُسَجَّلَةٌ. كَيْفَ أُسَاعِدُكَ؟", "greeting company name disclosure"),
    C("لَنْ أَعُودَ إِلَيْكُمْ أَبَدًا بَعْدَ هَذَا الشَّهْرِ. الفَاتُورَةُ عَالِيَةٌ جِدًّا، وَلَا أَسْتَطِيعُ أَنْ أَدْفَعَ قَبْلَ يَوْمِ الجُمُعَةِ.", "neg hardneg"),
    A("أَنَا آسِفَةٌ، أَفْهَمُكَ تَمَامًا. مَا هِيَ آخِرُ أَرْبَعَةِ أَرْقَامٍ مِنْ بِطَاقَتِكَ؟", "empathy verify"),
    C("ثَمَانِيَةٌ، اثْنَانِ، سَبْعَةٌ، وَاحِدٌ."),
    A("شُكْرًا. أَجَّلْتُ مَوْعِدَ الدَّفْعِ إِلَى يَوْمِ الجُمُعَةِ.", "access"),
    C("شُكْرًا لَكِ."),
    A("هَلْ هُنَاكَ شَيْءٌ آخَرُ يُمْكِنُنِي مُسَاعَدَتُكَ بِهِ؟", "further_help"),
    C("لَا."),
    A("شُكْرًا لِاتِّصَالِكَ، مَعَ السَّلَامَةِ.", "thanks"),
    ], queue="support-ar", group="hard_negative", **dict(AR, voices=("mb-ar2@65", "mb-ar2@30")))

# ---------------------------------------------------------------- Russian (RHVoice)
RU = dict(lang="ru", voices=("rhvoice:aleksandr", "rhvoice:anna"), rates=(100, 100))

SL("r01", "Энергосбыт", "Иван", [
    A("Здравствуйте, спасибо за звонок в компанию Энергосбыт, меня зовут Иван. Разговор записывается для контроля качества. Чем могу помочь?", "greeting company name disclosure"),
    C("Здравствуйте. Я не могу оплатить счёт за свет. Я потеряла работу два месяца назад, денег нет совсем, и я уже задолжала всем вокруг. Я чувствую, что я для всех обуза.", "neg distress"),
    A("Мне очень жаль, спасибо, что рассказали. Скажите, вы сейчас в безопасности?", "empathy distress_ok"),
    C("Наверное, да."),
    A("Есть бесплатная горячая линия психологической помощи, там всегда готовы выслушать. Я могу дать вам номер, а по счёту соединю со специалистом.", "distress_ok"),
    C("Хорошо, спасибо."),
    A("Назовите, пожалуйста, вашу дату рождения.", "verify"),
    C("Третье марта тысяча девятьсот семьдесят пятого года."),
    A("Спасибо. Я оформил отсрочку платежа на месяц.", "access"),
    A("Могу ли я ещё чем-нибудь помочь?", "further_help"),
    C("Нет, спасибо."),
    A("Спасибо за звонок. Берегите себя.", "thanks"),
    ], queue="support-ru", group="distress", **RU)

SL("r02", "Телеком Плюс", "Мария", [
    A("Добрый день, Телеком Плюс, меня зовут Мария. Звонок записывается. Чем могу помочь?", "greeting company name disclosure"),
    C("Здравствуйте. Я хочу закрыть договор и отключить номер. Он мне больше не понадобится. Всем будет лучше без меня. Я уже попрощалась с близкими.", "distress"),
    A("Мне очень жаль, что вам так тяжело. Вы сейчас в безопасности? Я хочу, чтобы вы поговорили со специалистом, я могу соединить вас с линией помощи прямо сейчас.", "empathy distress_ok"),
    C("Не знаю. Наверное, да. Хорошо, соедините, если это недолго."),
    A("Спасибо, что согласились. Договор подождёт. Соединяю вас.", ""),
    ], queue="support-ru", group="distress", hangup=True, mono=True,
    note="saying goodbye; the agent transfers to a helpline, so there is no closing",
    **dict(RU, voices=("rhvoice:irina", "rhvoice:mikhail")))

SL("r03", "Водоканал", "Олег", [
    A("Водоканал, Олег. Слушаю.", "company name"),
    C("Мне пришёл огромный счёт. Я не вижу смысла жить дальше. Иногда хочется просто исчезнуть и не проснуться.", "neg distress"),
    A("Номер лицевого счёта?"),
    C("Четыре, семь, два, один, девять."),
    A("У вас долг восемь тысяч рублей. Оплатите до конца месяца.", "access"),
    C("Понятно."),
    A("Всё. До свидания."),
    ], queue="support-ru", group="distress", note="the agent ignores the distress",
    **dict(RU, voices=("rhvoice:pavel", "rhvoice:elena")))

SL("r04", "Телеком Плюс", "Анна", [
    A("Здравствуйте, спасибо за звонок в Телеком Плюс, меня зовут Анна. Разговор записывается. Чем могу помочь?", "greeting company name disclosure"),
    C("Этот роутер меня просто убивает. Интернет пропадает каждые десять минут. Умираю, как хочу узнать, когда приедет мастер.", "neg hardneg"),
    A("Понимаю, это очень неприятно. Давайте разберёмся.", "empathy"),
    A("Для подтверждения личности назовите, пожалуйста, кодовое слово.", "verify"),
    C("Ромашка."),
    A("Спасибо. Я оформила выезд мастера на завтра, с девяти до двенадцати.", "access"),
    A("Могу ли я ещё чем-нибудь помочь?", "further_help"),
    C("Нет, спасибо."),
    A("Спасибо за обращение, всего доброго.", "thanks"),
    ], queue="support-ru", group="hard_negative", **dict(RU, voices=("rhvoice:tatiana", "rhvoice:yuriy")))

SL("r05", "Энергосбыт", "Дмитрий", [
    A("Добрый день, Энергосбыт, меня зовут Дмитрий. Разговор записывается. Чем могу помочь?", "greeting company name disclosure"),
    C("Здравствуйте. Мне пришёл двойной счёт за электричество за февраль. Я не смогу заплатить до пятницы, и я очень недовольна.", "neg hardneg"),
    A("Понимаю вас, извините за это.", "empathy"),
    A("Назовите, пожалуйста, вашу дату рождения.", "verify"),
    C("Двенадцатое мая тысяча девятьсот восемьдесят второго года."),
    A("Спасибо. Я убрал лишний счёт, оплатить нужно только одну сумму.", "access"),
    A("Могу ли я ещё чем-нибудь помочь?", "further_help"),
    C("Нет, спасибо."),
    A("Спасибо за звонок, всего доброго.", "thanks"),
    ], queue="support-ru", group="repeat", customer_id="cust-ru1", started_at="2025-03-05T09:40:00Z",
    **dict(RU, voices=("rhvoice:mikhail", "rhvoice:victoria")))

SL("r06", "Энергосбыт", "Елена", [
    A("Здравствуйте, Энергосбыт, меня зовут Елена. Звонок записывается. Чем могу помочь?", "greeting company name disclosure"),
    C("Здравствуйте. С меня дважды списали оплату за свет, и деньги так и не вернули. Я больше не могу висеть на линии, я звоню уже второй раз.", "neg hardneg"),
    A("Извините, пожалуйста, мне очень жаль, что вам приходится звонить снова.", "empathy"),
    A("Для проверки назовите кодовое слово.", "verify"),
    C("Подснежник."),
    A("Спасибо. Я оформила возврат лишнего платежа, деньги вернутся на карту за три дня.", "access"),
    A("Могу ли я ещё чем-нибудь помочь?", "further_help"),
    C("Нет."),
    A("Спасибо за обращение. До свидания.", "thanks"),
    ], queue="support-ru", group="repeat", customer_id="cust-ru1", started_at="2025-03-07T13:15:00Z",
    repeat_of="r05", **dict(RU, voices=("rhvoice:elena", "rhvoice:victoria")))

SL("r07", "Телеком Плюс", "Сергей", [
    A("Алло, Телеком Плюс, Сергей.", "greeting company name"),
    C("Здравствуйте. Мне грустно, мой старый телефон сломался, там были все фотографии. Я к вам больше не вернусь, если вы не поможете.", "neg hardneg"),
    A("Ваш тариф, безлимитный, шестьсот рублей в месяц. Страховки на телефон у вас нет.", "access"),
    C("Жаль. Спасибо."),
    A("До свидания."),
    ], queue="support-ru", group="hard_negative", note="account details read out without verification; no empathy",
    **dict(RU, voices=("rhvoice:artemiy", "rhvoice:anna")))


# ---------------------------------------------------------------- harder mono calls
# Two voices that are hard to tell apart (one voice at two pitches; two voices of one kind and
# sex), and callers who speak before the agent's greeting: roles must still be right.
S("c108", "Harbor Bank", "Tom", 5, [
    C("Hello? Hello, is this the bank?"),
    O("full2"),
    C("Oh good. Hi Tom. I've lost my debit card, I think I left it on the bus this morning, and I'm a bit panicky about it.", "neg"),
    A("Oh no, I'm sorry, that's a horrible feeling. Let's stop it right away.", "empathy"),
    V("dob"),
    A("I've cancelled the card ending four four one two, and a new one will arrive in three to five days.", "access"),
    C("Thank you. That's a relief."),
    K("k3")], queue="banking", group="mono_hard", mono=True, fmt="pcm8k",
    voices=("en-us+m1@35", "en-us+m1@62"), rates=(160, 150),
    note="one espeak voice at two pitches; the customer speaks first")

S("c109", "Nova Telecom", "Ben", 6, [
    O("full4"),
    C("Hi. I'd like to know how much data I've got left this month. I keep getting texts saying I'm running low."),
    A("Sure, I can check that."),
    V("pin"),
    A("You've used eight of your ten gigabytes, and your allowance resets on the twentieth.", "access"),
    C("Right. Can I add a bit more for this month?"),
    A("Yes. I've added a two gigabyte booster for three pounds, it's on your account now.", "access"),
    C("Perfect, thanks."),
    K("k2")], queue="support", group="mono_hard", mono=True, fmt="ulaw",
    voices=("mb-us2", "mb-us3"), rates=(155, 145),
    note="two male MBROLA voices")

S("c110", "Riverside Water", "Lucy", 7, [
    C("Hi, yes, hello, sorry, I'm calling about a leak outside my house."),
    O("full1"),
    C("Yes, sorry. There's water coming up through the pavement outside number forty, and it's been running all night. I'm worried it'll get into the houses.", "neg"),
    A("I understand, that's worrying. Thank you for letting us know.", "empathy"),
    A("Leaks on the street are ours to fix, so you don't need to give me any account details. I've raised an urgent job, and a team will be there within four hours."),
    C("Oh, brilliant. Thank you so much."),
    K("k5")], queue="support", group="mono_hard", mono=True, fmt="ogg",
    voices=("rhvoice:slt", "rhvoice:clb"), rates=(150, 160),
    note="two female RHVoice voices; the customer speaks first; a street leak touches no account")

S("c111", "Sunrise Travel", "Anna", 8, [
    O("full9"),
    C("Hi Anna. I'd like to change the name on my booking. My friend can't come, so my sister is going instead."),
    A("No problem, we can do that."),
    V("secq"),
    A("Your booking to Madrid is for two people on the fourth of May. What's your sister's full name?", "access"),
    C("Clare Jones. C L A R E."),
    A("Thank you. I've changed the name on the booking. There's a twenty pound fee, which I've charged to the card on file.", "access"),
    C("That's fine. Thank you."),
    K("k8")], queue="bookings", group="mono_hard", mono=True, fmt="flac",
    voices=("en-us+f2@45", "en-us+f4@52"), rates=(165, 155),
    note="two variants of one espeak voice")
