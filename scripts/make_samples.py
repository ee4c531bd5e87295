#!/usr/bin/env python3
"""Regenerates samples/ (synthetic two-party calls with reference scripts) and, with --fixtures,
tests/data/ (bad and unusual input files), and tests/data/multilingual/ (Hebrew, Arabic and
Russian calls). Needs espeak-ng, sox (with libsox-fmt-all), lame and oggenc, and for the
multilingual calls mbrola with mbrola-hb2 and mbrola-ar2, and rhvoice with rhvoice-russian
(Debian contrib/non-free); python3 stdlib only. Deterministic apart from encoder versions.

    python3 scripts/make_samples.py            # samples/, tests/data/multilingual/ and distress/
    python3 scripts/make_samples.py call05_rude_agent_stereo   # only the calls named
    python3 scripts/make_samples.py --fixtures # tests/data/
    python3 scripts/make_samples.py --pii      # tests/data/pii/ (personal data said the hard way)
    python3 scripts/make_samples.py --phrases  # tests/data/phrases/ (key phrases reworded / not done)
    python3 scripts/make_samples.py --roles    # tests/data/roles/ (a mono call whose customer speaks first)

A negative pause makes the next turn start before the previous one ends (overtalk: the other
party cutting in).
"""
import array
import json
import random
import shutil
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RATE = 16000
RATE_WPM = 155

# (file, format, agent voice, customer voice, dialogue). A turn is (speaker, text, pause_after_s);
# a pause of 7 s after "brief hold" is the hold itself.
CALLS = [
    ("call01_billing_stereo_8k", "wav8k", "en+m7", "en-us+f2", [
        ("agent", "Thank you for calling City Power, my name is John. This call may be recorded for quality and training purposes. How can I help?", 0.7),
        ("customer", "Hello John. I was charged two times for my power bill this month, and I would like my money back please.", 0.8),
        ("agent", "I am sorry about that. Can you tell me your full name and your home address please?", 0.6),
        ("customer", "Yes, my name is Laura Smith and I live on Park Road.", 0.9),
        ("agent", "Thank you Laura. I can see the same payment two times, so I have sent the second one back to your bank.", 0.8),
        ("customer", "That is great, thank you so much.", 0.7),
        ("agent", "Is there anything else I can help you with today?", 0.6),
        ("customer", "No, that is all for today.", 0.6),
        ("agent", "Thank you for calling City Power. Have a good day.", 0.5),
    ]),
    ("call02_password_stereo_ulaw", "ulaw", "en-us+m2", "en+m7", [
        ("agent", "Good morning, this is Anna at North Mobile. This call is recorded for quality purposes. How can I help?", 0.8),
        ("customer", "Hello. I can not get into my account, and the email to change my password never comes.", 0.7),
        ("agent", "I can help with that. Could you tell me your date of birth and your email address?", 0.9),
        ("customer", "My birthday is the fourth of March, and the email is my first name and last name.", 0.7),
        ("agent", "Thank you. May I place you on a brief hold while I check?", 0.6),
        ("customer", "Yes, no problem.", 3.5),
        ("agent", "Thank you for holding. The email was blocked, so I sent you a new one. Is there anything else I can help you with?", 0.7),
        ("customer", "No, thank you very much.", 0.6),
        ("agent", "Thank you for calling North Mobile. Goodbye.", 0.5),
    ]),
    ("call03_cancellation_stereo", "mp3", "en-us+f2", "en-us+m1", [
        ("agent", "Thank you for calling Summit Gym, my name is Grace. This call may be recorded for quality purposes. How may I help you?", 0.7),
        ("customer", "I want to cancel my membership. This is the third time I have called about it, and I am really upset.", 0.8),
        ("agent", "I understand, and I am sorry you had to call again. Let me take care of this for you right now.", 0.7),
        ("customer", "Okay, thank you.", 0.6),
        ("agent", "To check your identity, could you give me the phone number on your membership?", 0.7),
        ("customer", "Yes, it is the same number I am calling from now.", 0.9),
        ("agent", "Thank you. Your membership is cancelled, and you will not pay anything more.", 0.7),
        ("customer", "Finally. Thank you for your help.", 0.6),
        ("agent", "You are welcome. Is there anything else I can do for you?", 0.6),
        ("customer", "No, that is all.", 0.6),
        ("agent", "Thank you for calling Summit Gym. Take care.", 0.5),
    ]),
    ("call04_outage_mono", "flac", "en-us+f2", "en-us+m1", [
        ("agent", "Thank you for calling River Internet, my name is Emma. This call may be recorded. How can I help?", 0.9),
        ("customer", "My internet has been down since this morning, and I need it to work today for my job.", 1.0),
        ("agent", "I am sorry to hear that. Can you tell me the name and the phone number on the account?", 1.0),
        ("customer", "The name is Michael Brown, and it is the number I am calling from.", 1.0),
        ("agent", "Thank you Michael. There is a problem in your area, and the service should be back by three this afternoon.", 1.0),
        ("customer", "Will I get some money back for the time it was down?", 1.0),
        ("agent", "Yes, we will take it off your next bill. Is there anything else I can help you with?", 1.0),
        ("customer", "No, thank you for your help.", 1.0),
        ("agent", "Thank you for calling. Goodbye.", 0.5),
    ]),
    # Designed to fail: no recording disclosure, rude words, three interruptions, 12 s of dead
    # air, a hold without permission or thanks, an account change without verification, an
    # upset customer without empathy, no courtesy words, no proper closing.
    ("call05_rude_agent_stereo", "mp3", "en+m7", "en+m3", [
        ("agent", "Hello, this is Mark at Blue Bank. How can I help?", 0.7),
        ("customer", "I was charged a late fee again. This is the third time I have called about it, and I am really upset. I want it taken off my account today.", -2.0),
        ("agent", "Calm down. That is not my problem.", 0.6),
        ("customer", "Excuse me? I have been with your bank for ten years, and nobody has helped me.", -1.5),
        ("agent", "Let me look at your account.", 12.0),
        ("agent", "Hold on.", 7.0),
        ("agent", "Whatever. I have removed the charge.", 0.7),
        ("customer", "Fine. But I want to make a complaint about how you have spoken to me today.", -1.5),
        ("agent", "Bye.", 0.5),
    ]),
    # Designed for compliance: a customer in distress answered well (acknowledged, safety asked,
    # crisis line and specialist offered), but the agent reads the full card number back.
    ("call06_distress_card_stereo", "mp3", "en-us+f2", "en-us+m1", [
        ("agent", "Thank you for calling Green Energy, my name is Sarah. This call may be recorded for quality purposes. How can I help?", 0.7),
        ("customer", "I can not pay my bill this month. I lost my job, and honestly I feel hopeless. Sometimes I just want to end it all.", 0.8),
        ("agent", "I am so sorry to hear that, and thank you for telling me. Are you safe right now?", 0.7),
        ("customer", "I think so. I just do not know what to do anymore.", 0.7),
        ("agent", "There is help available. I can give you the number of a crisis line, and I can connect you with a specialist about your bill.", 0.8),
        ("customer", "Okay, thank you. Can I pay part of it with my card? The number is four nine one six, three eight one five, two zero seven nine, four zero two four.", 0.7),
        ("agent", "Thank you. I will read it back. Four nine one six, three eight one five, two zero seven nine, four zero two four.", 0.7),
        ("customer", "Yes, that is right.", 0.6),
        ("agent", "Is there anything else I can help you with today?", 0.6),
        ("customer", "No, thank you.", 0.6),
        ("agent", "Thank you for calling Green Energy. Please take care.", 0.5),
    ]),
]

# Key phrases end to end (tests/data/phrases/, tests/e2e_phrases.rs), both directions: an agent who
# does everything in other words than the phrase lists ("monitored and recorded", "anything at all
# else", "thanks so much for calling", verification inside a question naming the account), and
# one who words it close to the lists but never does it (a disclosure with "not", a balance read
# out before any check, no offer of help, a goodbye without thanks).
# A mono call whose customer speaks first ("Hello?" before the greeting): the first voice is not
# the agent, and what the voices say must put the roles right.
ROLE_CALLS = [
    ("call41_customer_first_mono", "flac", "en-us+f2", "en-us+m1", [
        ("customer", "Hello? Hello, is anyone there?", 0.8),
        ("agent", "Thank you for calling River Internet, my name is Emma. How can I help you today?", 0.9),
        ("customer", "Hi Emma. I'm calling about my internet, it keeps dropping out every evening.", 1.0),
        ("agent", "I'm sorry to hear that. Let me check that for you. Can you confirm your postcode?", 1.0),
        ("customer", "Yes, it is B S one, four D J.", 1.0),
        ("agent", "Thank you. I can see a fault on your line, and an engineer will fix it tomorrow.", 1.0),
        ("customer", "That is great, thank you.", 0.8),
        ("agent", "Is there anything else I can help you with? Thank you for calling, have a nice day.", 0.5),
    ]),
]

PHRASE_CALLS = [
    ("call31_reworded_stereo_8k", "wav8k", "en-us+f2", "en+m7", [
        ("agent", "Good afternoon, Brightline Broadband customer service, Sam here. Please be aware that this call is monitored and recorded. How may I help?", 0.7),
        ("customer", "Hi Sam. I would like to check my bill please.", 0.7),
        ("agent", "Of course. For security, can you tell me the postcode on your account?", 0.7),
        ("customer", "Yes, it is C F ten, one A B.", 0.7),
        ("agent", "Thank you, that matches. Your bill this month is forty two pounds.", 0.7),
        ("customer", "Great, that is what I expected.", 0.7),
        ("agent", "Is there anything at all else I can do for you today?", 0.7),
        ("customer", "No, that is everything.", 0.6),
        ("agent", "Thanks so much for calling, and take care.", 0.5),
    ]),
    ("call32_not_done_stereo_8k", "wav8k", "en-us+f2", "en+m7", [
        ("agent", "Brightline Broadband. Just so you know, this call is not recorded. What do you need?", 0.7),
        ("customer", "I want to know my balance.", 0.7),
        ("agent", "Your balance is forty two pounds, due on Friday.", 0.7),
        ("customer", "Okay.", 0.7),
        ("agent", "Right. Have a good day.", 0.5),
    ]),
]

# Distress end to end (tests/data/distress/, tests/e2e_distress.rs): a customer saying, in other
# words than any phrase list, that people would be better off if they vanished (the statement
# the old detector missed word for word); and a frustrated customer whose idioms ("this router
# is killing me", "I can not go on hold again", "I will not be able to pay until Friday") are
# not distress. Sentences Whisper tiny.en transcribes reliably from these voices.
DISTRESS_CALLS = [
    ("call21_distress_vanish_stereo", "mp3", "en-us+f2", "en-us+m1", [
        ("agent", "Thank you for calling Green Energy, my name is Sarah. How can I help?", 0.7),
        ("customer", "Hello. I can not pay my bill this month.", 0.7),
        ("agent", "I am sorry to hear that. Can you tell me more?", 0.7),
        ("customer", "I lost my job. Honestly, people would be better off if I just vanished.", 0.8),
        ("agent", "I am so sorry you feel that way. Are you safe right now?", 0.7),
        ("customer", "I do not know.", 0.7),
        ("agent", "There is help. I can give you the number of a crisis line.", 0.5),
    ]),
    ("call22_idioms_stereo", "mp3", "en-us+f2", "en-us+m1", [
        ("agent", "Thank you for calling River Internet, my name is Emma. How can I help?", 0.7),
        ("customer", "This router is killing me. It keeps dropping the connection.", 0.7),
        ("agent", "I am sorry about that. May I place you on a brief hold?", 0.7),
        ("customer", "Please no, I can not go on hold again. I have waited for an hour.", 0.7),
        ("agent", "Okay. I will reset the router from here now.", 0.7),
        ("customer", "Thank you. I will not be able to pay until Friday, is that okay?", 0.7),
        ("agent", "Yes, that is fine. Is there anything else?", 0.6),
        ("customer", "No, thank you. Goodbye.", 0.5),
    ]),
]

# Hebrew, Arabic and Russian calls (tests/data/multilingual/), for the multilingual model.
# espeak-ng's own he/ar voices are barely intelligible to Whisper base, so Hebrew and Arabic use
# the MBROLA diphone voices through espeak-ng ("mb-hb2", "mb-ar2"; Debian contrib/non-free
# packages mbrola-hb2, mbrola-ar2) and Russian uses RHVoice ("rhvoice:NAME"; rhvoice-russian).
# A voice "NAME@P" sets espeak's pitch P (0-99), so two parties can share one diphone voice.
# Arabic is written with its vowel marks because espeak reads unvowelled Arabic badly; the
# reference scripts keep the text without them, as Whisper writes it.
MULTILINGUAL_CALLS = [
    ("call11_he_billing_stereo", "mp3", "mb-hb2@50", "mb-hb2@70", [
        ("agent", "שלום, תודה שהתקשרת לחברת החשמל, שמי דנה. השיחה מוקלטת לצורך בקרת איכות. איך אפשר לעזור?", 0.7),
        ("customer", "שלום דנה. חייבו אותי פעמיים על החשבון החודש, ואני רוצה את הכסף בחזרה.", 0.8),
        ("agent", "אני מצטערת לשמוע את זה. לצורך זיהוי, מה השם המלא ותאריך הלידה שלך?", 0.7),
        ("customer", "קוראים לי משה כהן, ונולדתי בעשרה במרץ.", 0.8),
        ("agent", "תודה. אפשר להעמיד אותך בהמתנה לרגע?", 0.6),
        ("customer", "כן, בסדר.", 5.0),
        ("agent", "תודה על ההמתנה. החזרתי את החיוב הכפול לכרטיס האשראי שלך.", 0.7),
        ("customer", "מצוין, תודה רבה.", 0.6),
        ("agent", "יש עוד משהו שאוכל לעזור בו?", 0.6),
        ("customer", "לא, זה הכל. תודה.", 0.6),
        ("agent", "תודה שהתקשרת לחברת החשמל. יום טוב.", 0.5),
    ]),
    ("call12_ar_card_stereo", "mp3", "mb-ar2@55", "mb-ar2@25", [
        ("agent", "مَرْحَبًا، شُكْرًا لِاتِّصَالِكَ بِشَرِكَةِ النُّورِ، اِسْمِي أَحْمَد. هَذِهِ المُكَالَمَةُ مُسَجَّلَةٌ لِأَغْرَاضِ الجَوْدَةِ. كَيْفَ يُمْكِنُنِي مُسَاعَدَتُكَ؟", 0.7),
        ("customer", "أَنَا غَاضِبٌ جِدًّا. هَذِهِ ثَالِثُ مَرَّةٍ أَتَّصِلُ، وَالإِنْتَرْنِت لَا يَعْمَلُ مُنْذُ أُسْبُوعٍ.", 0.8),
        ("agent", "أَنَا آسِفٌ جِدًّا، وَأَفْهَمُ شُعُورَكَ. هَلْ يُمْكِنُكَ أَنْ تُعْطِيَنِي اسْمَكَ الكَامِلَ وَتَارِيخَ مِيلَادِكَ؟", 0.7),
        ("customer", "اِسْمِي عَلِي حَسَن، وَتَارِيخُ مِيلَادِي الخَامِسُ مِنْ مَايُو.", 0.8),
        ("agent", "شُكْرًا لَكَ. أَرْسَلْتُ فَنِّيًّا سَيَصِلُ غَدًا صَبَاحًا، وَأَضَفْتُ رَصِيدًا إِلَى حِسَابِكَ.", 0.7),
        ("customer", "أُرِيدُ أَنْ أَدْفَعَ الفَاتُورَةَ بِالبِطَاقَةِ. رَقْمُ البِطَاقَةِ ٤ ٥ ٣ ٢ ٠ ١ ٥ ١ ١ ٢ ٨ ٣ ٠ ٣ ٦ ٦.", 0.8),
        ("agent", "لِلتَّأْكِيدِ، رَقْمُ البِطَاقَةِ ٤ ٥ ٣ ٢ ٠ ١ ٥ ١ ١ ٢ ٨ ٣ ٠ ٣ ٦ ٦. تَمَّ الدَّفْعُ.", 0.7),
        ("agent", "هَلْ هُنَاكَ شَيْءٌ آخَرُ يُمْكِنُنِي مُسَاعَدَتُكَ بِهِ؟", 0.6),
        ("customer", "لَا، شُكْرًا.", 0.6),
        ("agent", "شُكْرًا لِاتِّصَالِكَ. مَعَ السَّلَامَةِ.", 0.5),
    ]),
    ("call13_ru_rude_agent_stereo_ulaw", "ulaw", "rhvoice:aleksandr", "rhvoice:anna", [
        ("agent", "Алло. Что у вас?", 0.7),
        ("customer", "Здравствуйте. Мне второй раз выставили счёт за один и тот же месяц. Я очень недовольна.", 0.8),
        ("agent", "Успокойтесь. Это не моя проблема.", 0.7),
        ("customer", "Как это не ваша проблема? Я звоню уже третий раз!", 0.8),
        ("agent", "Мне всё равно. Я убрал лишний платёж из вашего счёта.", 0.7),
        ("customer", "Спасибо, наверное.", 0.6),
        ("agent", "Всё. До свидания.", 0.5),
    ]),
    # A mixed call: the agent speaks Russian, the customer answers in English throughout.
    ("call14_ru_en_mixed_stereo", "mp3", "rhvoice:aleksandr", "en-us+f2", [
        ("agent", "Здравствуйте, спасибо за звонок в компанию Энергосбыт, меня зовут Иван. Разговор записывается для контроля качества. Чем могу помочь?", 0.7),
        ("customer", "Hello, sorry, I do not speak Russian well. I was charged twice this month and I am really upset.", 0.8),
        ("agent", "Понимаю, мне очень жаль. Назовите, пожалуйста, вашу дату рождения.", 0.7),
        ("customer", "The fourth of March, nineteen eighty.", 0.8),
        ("agent", "Спасибо. Я вернул лишний платёж на вашу карту.", 0.7),
        ("customer", "Thank you very much.", 0.6),
        ("agent", "Могу ли я ещё чем-нибудь помочь?", 0.6),
        ("customer", "No, that is all.", 0.6),
        ("agent", "Спасибо за звонок. До свидания.", 0.5),
    ]),
]

# Personal data said the hard way (tests/data/pii/, for tests/e2e_pii.rs): a card number the
# agent asks for without saying "card", dictated over two customer turns with the agent's "go
# on" between them (the first piece, six digits, is no number on its own), and a date of birth
# given two turns after the question. English for tiny.en, Russian (RHVoice) for base.
PII_CALLS = [
    ("pii01_en_card_dob_stereo", "mp3", "en-us+f2", "en-us+m1", [
        ("agent", "Thank you for calling North Mobile, my name is Anna. How can I help?", 0.7),
        ("customer", "Hi Anna. I would like to pay my bill today.", 0.7),
        ("agent", "Of course. What is the long number on the front?", 0.8),
        ("customer", "Sure, it is four eight three seven, three seven.", 1.0),
        ("agent", "Okay, go on.", 0.8),
        ("customer", "Four six, eight seven six nine, five six seven six.", 0.8),
        ("agent", "Thank you. And can I have your date of birth?", 0.8),
        ("customer", "Let me think.", 1.0),
        ("agent", "Take your time!", 1.0),
        ("customer", "March 4, 1985.", 0.8),
        ("agent", "Thank you, the payment is done. Goodbye.", 0.5),
    ]),
    ("pii02_ru_card_dob_stereo", "mp3", "rhvoice:aleksandr", "rhvoice:anna", [
        ("agent", "Здравствуйте, компания Энергосбыт, меня зовут Иван. Чем могу помочь?", 0.7),
        ("customer", "Здравствуйте. Я хочу оплатить счёт.", 0.7),
        ("agent", "Хорошо. Назовите длинный номер на лицевой стороне.", 0.8),
        ("customer", "Четыре, три, девять, восемь, четыре, шесть.", 1.0),
        ("agent", "Да, продолжайте.", 0.8),
        ("customer", "Три, пять, три, восемь, три, девять, пять, три, семь, девять.", 0.8),
        ("agent", "Спасибо. Назовите, пожалуйста, вашу дату рождения.", 0.8),
        ("customer", "Сейчас, дайте подумать.", 1.0),
        ("agent", "Не торопитесь.", 1.0),
        ("customer", "Двенадцатое октября тысяча девятьсот семьдесят четвёртого года.", 0.8),
        ("agent", "Спасибо, платёж прошёл. До свидания.", 0.5),
    ]),
]

# Speaking rate (espeak words per minute) where a call needs its own.
RATES = {"call11_he_billing_stereo": 120, "call12_ar_card_stereo": 135}



def run(*cmd):
    args = [str(c) for c in cmd]
    if args[0] == "sox":
        # Repeatable dither: the same script gives the same files.
        args.insert(1, "-R")
    subprocess.run(args, check=True)


def read_mono(path):
    with wave.open(str(path)) as w:
        assert w.getnchannels() == 1 and w.getsampwidth() == 2 and w.getframerate() == RATE
        data = array.array("h", w.readframes(w.getnframes()))
    return [v / 32768.0 for v in data]


def strip_vowel_marks(text):
    """Arabic harakat and Hebrew niqqud: what TTS needs and transcripts do not have."""
    return "".join(c for c in text
                   if not (0x064B <= ord(c) <= 0x065F or ord(c) == 0x0670 or 0x0591 <= ord(c) <= 0x05C7))


def voice_language(voice):
    if voice.startswith("rhvoice:"):
        return "ru"
    name = voice.partition("@")[0].removeprefix("mb-")
    return {"hb2": "he", "hb1": "he", "ar1": "ar", "ar2": "ar"}.get(name, name.split("-")[0].split("+")[0])


def speak(text, voice, tmp, n, rate=RATE_WPM):
    raw = tmp / f"turn{n}_raw.wav"
    out = tmp / f"turn{n}.wav"
    if voice.startswith("rhvoice:"):
        # RHVoice speaks at its own natural rate; the rate knob is espeak's.
        subprocess.run(["RHVoice-test", "-p", voice.split(":", 1)[1], "-o", str(raw)],
                       input=text.encode(), check=True)
    else:
        name, _, pitch = voice.partition("@")
        # MBROLA voices warn on stderr about diphones they lack; the warnings are harmless.
        subprocess.run(["espeak-ng", "-v", name, "-s", str(rate), "-p", pitch or "50", "-w", str(raw), text],
                       check=True, stderr=subprocess.DEVNULL if name.startswith("mb-") else None)
    run("sox", raw, "-r", RATE, "-c", 1, "-b", 16, out)
    x = read_mono(out)
    # Tight times: drop espeak's leading/trailing silence.
    loud = [i for i, v in enumerate(x) if abs(v) > 0.01]
    return x[loud[0]:loud[-1] + 1]


def write_wav(path, channels, rate=RATE):
    n = len(channels[0])
    frames = array.array("h")
    for i in range(n):
        for ch in channels:
            frames.append(max(-32767, min(32767, int(round(ch[i] * 32767)))))
    with wave.open(str(path), "wb") as w:
        w.setnchannels(len(channels))
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(frames.tobytes())


def build_call(name, fmt, agent_voice, customer_voice, dialogue, tmp, out_dir):
    rng = random.Random(name)
    clips = []
    for n, (speaker, text, pause) in enumerate(dialogue):
        voice = agent_voice if speaker == "agent" else customer_voice
        clips.append((speaker, text, pause, speak(text, voice, tmp, n, RATES.get(name, RATE_WPM))))
    lead, tail = 0.6, 0.6
    # Place every turn first: with overlaps (negative pauses) the call ends where the last
    # sound ends, not where the last turn ends.
    placed = []
    t = lead
    for speaker, text, pause, x in clips:
        start = int(round(t * RATE))
        placed.append((speaker, text, start, x))
        t = (start + len(x)) / RATE + pause
    n_total = max(start + len(x) for _, _, start, x in placed) + int(tail * RATE)
    agent = [0.0] * n_total
    customer = [0.0] * n_total
    turns = []
    for speaker, text, start, x in placed:
        track = agent if speaker == "agent" else customer
        for i, v in enumerate(x):
            track[start + i] = v * 0.8
        turns.append({"speaker": speaker, "start": round(start / RATE, 3),
                      "end": round((start + len(x)) / RATE, 3), "text": strip_vowel_marks(text)})
    # A faint line-noise floor, so silence is not digital zero.
    # Lossless FLAC pays for every bit of noise, so the mono mixdown gets a quieter floor.
    noise = 0.0002 if fmt == "flac" else 0.0008
    agent = [v + rng.gauss(0, noise) for v in agent]
    customer = [v + rng.gauss(0, noise) for v in customer]
    master = tmp / f"{name}_master.wav"
    if fmt == "flac":
        # Mixdowns are recorded quieter than per-party channels; it also keeps the FLAC small.
        write_wav(master, [[0.5 * (a + c) for a, c in zip(agent, customer)]])
    else:
        write_wav(master, [agent, customer])

    if fmt == "wav8k":
        target = out_dir / f"{name}.wav"
        # 8-bit unsigned PCM: what many call recorders write, and half the size.
        run("sox", "--norm=-1", master, "-r", 8000, "-b", 8, "-e", "unsigned-integer", target)
    elif fmt == "ulaw":
        target = out_dir / f"{name}.wav"
        run("sox", master, "-r", 8000, "-e", "u-law", target)
    elif fmt == "mp3":
        target = out_dir / f"{name}.mp3"
        # lame itself (not sox's MP3 writer) so the file carries the LAME tag with encoder
        # delay and padding, which decoders need for exact (gapless) length.
        wav16 = tmp / f"{name}_16k.wav"
        run("sox", master, "-r", 16000, wav16)
        run("lame", "--quiet", "-b", 32, "--resample", 16, wav16, target)
    elif fmt == "flac":
        target = out_dir / f"{name}.flac"
        run("sox", master, "-r", 8000, "-b", 16, target)
    else:
        raise ValueError(fmt)
    duration_s = round(n_total / RATE, 3)
    if fmt == "mp3":
        # MP3 frames pad the end (and decoders differ in honouring the encoder-delay tag): the
        # file's own length is the truth for a decoder.
        soxi = subprocess.run(["soxi", "-D", str(target)], check=True, capture_output=True, text=True)
        duration_s = round(float(soxi.stdout.strip()), 3)
    reference = {
        "call": name,
        "file": target.name,
        "channels": 1 if fmt == "flac" else 2,
        "agent_channel": None if fmt == "flac" else "left",
        "sample_rate": {"wav8k": 8000, "ulaw": 8000, "mp3": 16000, "flac": 8000}[fmt],
        "duration_s": duration_s,
        "language": next((l for l in ("he", "ar", "ru") if f"_{l}_" in name), "en"),
        # Per party where they differ (a mixed call).
        "languages": {"agent": voice_language(agent_voice), "customer": voice_language(customer_voice)},
        "voices": {"agent": agent_voice, "customer": customer_voice},
        "turns": turns,
    }
    (out_dir / f"{name}.json").write_text(json.dumps(reference, indent=2) + "\n")
    print(f"{target.name}: {n_total / RATE:.1f} s, {target.stat().st_size // 1024} KiB, {len(turns)} turns")


def fixtures(tmp):
    out = ROOT / "tests" / "data"
    out.mkdir(parents=True, exist_ok=True)
    speech = speak("Thank you for calling, how can I help you today?", "en-us", tmp, 900)
    short = speak("Thank you for calling.", "en-us", tmp, 901)
    short_wav = tmp / "short16.wav"
    write_wav(short_wav, [short])
    speech_wav = tmp / "speech16.wav"
    write_wav(speech_wav, [speech])

    (out / "empty.wav").write_bytes(b"")
    (out / "not_audio.mp3").write_text("This is a text file with an .mp3 name, not audio.\n" * 20)
    # A WAV whose header claims 5 s but holds 1 s of samples.
    one_second = tmp / "one_second.wav"
    run("sox", speech_wav, "-r", 8000, one_second, "trim", 0, 1)
    data = bytearray(one_second.read_bytes())
    claimed = 5 * 8000 * 2
    data[4:8] = (36 + claimed).to_bytes(4, "little")
    pos = data.find(b"data")
    data[pos + 4:pos + 8] = claimed.to_bytes(4, "little")
    (out / "truncated.wav").write_bytes(bytes(data))
    mp3 = tmp / "speech.mp3"
    run("sox", speech_wav, "-C", 32, mp3)
    b = mp3.read_bytes()
    (out / "truncated.mp3").write_bytes(b[: int(len(b) * 0.4) + 7])
    run("sox", "-n", "-r", 16000, "-c", 1, "-b", 16, out / "silence_half_second.wav", "trim", 0, 0.5)
    run("sox", "-n", "-r", 8000, "-c", 3, "-b", 16, out / "three_channel.wav", "synth", 2, "sine", 300, "sine", 500, "sine", 700, "vol", 0.3)
    run("sox", short_wav, "-r", 96000, "-b", 24, out / "hires_96k_24bit.wav", "pad", 0.3, 0.3)
    run("sox", "-n", "-r", 8000, "-c", 1, "-e", "u-law", out / "tone_440_8k_ulaw.wav", "synth", 2, "sine", 440, "vol", 0.5)
    run("sox", speech_wav, "-r", 8000, "-b", 16, out / "name with spaces ünïcødé.wav")
    run("sox", speech_wav, "-r", 8000, "-e", "a-law", out / "alaw_8k_mono.wav")
    run("sox", speech_wav, "-r", 8000, "-b", 8, "-e", "unsigned-integer", out / "u8_8k_mono.wav")
    run("sox", "-n", "-r", 44100, "-c", 2, "-b", 32, "-e", "floating-point", out / "float32_stereo_44k.wav", "synth", 0.5, "sine", 440, "vol", 0.3)
    run("sox", speech_wav, "-C", 3, out / "speech_mono.ogg")
    for f in sorted(out.iterdir()):
        print(f"{f.name}: {f.stat().st_size} bytes")


def main():
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        if "--fixtures" in sys.argv:
            fixtures(tmp)
            return
        only = [a for a in sys.argv[1:] if not a.startswith("-")]
        groups = [(CALLS, ROOT / "samples"),
                  (MULTILINGUAL_CALLS, ROOT / "tests" / "data" / "multilingual"),
                  (DISTRESS_CALLS, ROOT / "tests" / "data" / "distress")]
        # --pii: only the personal-data calls (they are not rebuilt with the others).
        if "--pii" in sys.argv:
            groups = [(PII_CALLS, ROOT / "tests" / "data" / "pii")]
        if "--phrases" in sys.argv:
            groups = [(PHRASE_CALLS, ROOT / "tests" / "data" / "phrases")]
        if "--roles" in sys.argv:
            groups = [(ROLE_CALLS, ROOT / "tests" / "data" / "roles")]
        for calls, out_dir in groups:
            out_dir.mkdir(parents=True, exist_ok=True)
            for call in calls:
                if not only or call[0] in only:
                    build_call(*call, tmp, out_dir)


if __name__ == "__main__":
    main()
