#!/usr/bin/env python3
"""The labelled development corpus (corpus/README.md): written scenarios in, labels and audio out.

    python3 scripts/make_corpus.py labels        # corpus/scenarios.json, labels.csv, flags.csv,
                                                 # repeats.csv, manifest.csv (committed files)
    python3 scripts/make_corpus.py audio [IDS]   # corpus/audio/<id>.<ext> + <id>.json reference
                                                 # (missing ones only; --force redoes them)
    python3 scripts/make_corpus.py split         # corpus/split.csv (once: it is committed and
                                                 # must not move after tuning has started;
                                                 # --add deals out only calls it lacks)
    python3 scripts/make_corpus.py check         # labels against the generated audio's timing

Python 3 stdlib only. Needs espeak-ng (with mbrola us1/us2/us3/en1/hb2/ar2), RHVoice (English and
Russian voices), sox, lame, oggenc: scripts/install_tts.sh. Deterministic apart from encoder
versions. Audio goes to corpus/audio/ (git-ignored); `audio` skips calls whose file and
reference exist, so a second run costs nothing.
"""
import array
import csv
import json
import math
import random
import re
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
AUDIO = CORPUS / "audio"
RATE = 16000
sys.path.insert(0, str(CORPUS))

RUBRICS = {
    "qa": ["greeting", "agent_name", "company_name", "recording_disclosure", "identity_verification",
           "empathy", "hold_permission", "hold_thanks", "closing_further_help", "closing_thanks"],
    "etiquette": ["no_prohibited_language", "no_interrupting", "no_dead_air", "politeness",
                  "talk_balance", "speaking_pace"],
    "compliance": ["recording_disclosure", "identity_verification", "no_full_card_readback",
                   "distress_response"],
}

# English voices: espeak-ng's own, MBROLA (through espeak-ng) and RHVoice. (voice, sex)
VOICES = [("en-us+f2", "f"), ("en+m7", "m"), ("mb-us1", "f"), ("rhvoice:bdl", "m"),
          ("en-us+m1", "m"), ("rhvoice:slt", "f"), ("mb-us2", "m"), ("en+f3", "f"),
          ("rhvoice:clb", "f"), ("mb-en1", "m"), ("en-us+m2", "m"), ("mb-us3", "m"),
          ("rhvoice:alan", "m"), ("en-us+f4", "f"), ("en+m3", "m")]
AGENT_RATES = [150, 160, 170, 145, 175, 155, 165, 180]
CUSTOMER_RATES = [140, 155, 165, 150, 170, 135, 160, 145]
STEREO_FORMATS = ["pcm8k", "ulaw", "mp3", "wav16k", "u8", "ogg", "flac"]
MONO_FORMATS = ["pcm8k", "flac", "ulaw", "mp3", "ogg"]
EXT = {"pcm8k": "wav", "u8": "wav", "ulaw": "wav", "wav16k": "wav", "mp3": "mp3", "ogg": "ogg", "flac": "flac"}
SAMPLE_RATE = {"pcm8k": 8000, "u8": 8000, "ulaw": 8000, "wav16k": 16000, "mp3": 16000, "ogg": 16000, "flac": 8000}
FAST_AGENT_WPM = 250
BALANCE = (0.20, 0.80)  # agent share of talk a listener hears as balanced  # espeak -s at or above which a listener hears the agent rushing

COURTESY = {
    "en": r"\b(please|thank|thanks|you're welcome|you are welcome|my pleasure|it's my pleasure|happy to help|glad to help|glad I could help|appreciate)\b",
    "he": r"(תודה|בבקשה|בשמחה|בכיף|סליחה)",
    "ar": r"(شكرا|شُكْرًا|من فضلك|مِنْ فَضْلِكَ|لو سمحت|عفوا|تفضل)",
    "ru": r"(спасибо|пожалуйста|благодар|извините)",
}


# ------------------------------------------------------------------------------------ scenarios
def load():
    import scenarios  # noqa: E402  (corpus/ on sys.path)
    import scenarios_more  # noqa: F401,E402  (appends to scenarios.SCENARIOS)
    calls = [dict(s) for s in scenarios.SCENARIOS]
    ids = [c["id"] for c in calls]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise SystemExit(f"duplicate scenario ids: {sorted(dupes)}")
    layout(calls)
    return calls


def layout(calls):
    """Voices, rates, formats, metadata: assigned in turn so the corpus covers them all."""
    n_stereo = n_mono = 0
    start = 0
    nv = len(VOICES)
    for i, c in enumerate(calls):
        c.setdefault("lang", "en")
        c.setdefault("mono", False)
        if c["lang"] == "en" and "voices" not in c:
            # Steps coprime with the number of voices: every voice serves agents and customers.
            a = VOICES[(i * 7) % nv]
            k = (i * 4 + 9) % nv
            order = VOICES[k:] + VOICES[:k]
            if c["mono"]:
                # Mono calls mostly pair a man and a woman; every fourth pairs one sex (harder).
                same = n_mono % 4 == 3
                cu = next(v for v in order if v != a and (v[1] == a[1]) == same)
            else:
                cu = next(v for v in order if v != a)
            c["voices"] = (a[0], cu[0])
        rates = list(c.get("rates") or (None, None))
        if rates[0] is None:
            rates[0] = AGENT_RATES[i % len(AGENT_RATES)]
        if rates[1] is None:
            rates[1] = CUSTOMER_RATES[(i * 3) % len(CUSTOMER_RATES)]
        c["rates"] = tuple(rates)
        if "fmt" not in c:
            if c["mono"]:
                c["fmt"] = MONO_FORMATS[n_mono % len(MONO_FORMATS)]
                n_mono += 1
            else:
                c["fmt"] = STEREO_FORMATS[n_stereo % len(STEREO_FORMATS)]
                n_stereo += 1
        c["file"] = f"audio/{c['id']}.{EXT[c['fmt']]}"
        c.setdefault("customer_id", f"cust-{c['id']}")
        if "started_at" not in c:
            # Spread over two weeks of working hours; minutes apart so nothing collides.
            day, slot = divmod(start, 9)
            start += 1
            c["started_at"] = f"2025-03-{3 + day % 12:02d}T{8 + slot:02d}:{(i * 7) % 60:02d}:00Z"
        c.setdefault("agent_id", "ag-" + ascii_name(c["agent_name"]))
        c.setdefault("queue", "general")
        c.setdefault("hangup", False)
        c.setdefault("off_topic_long", False)
        c.setdefault("repeat_of", None)
        c.setdefault("override", {})
        c.setdefault("note", "")


def ascii_name(name):
    table = {"מיכל": "michal", "יוסי": "yossi", "רונית": "ronit", "דנה": "dana",
             "أَحْمَد": "ahmad", "سَارَة": "sara", "عُمَر": "omar", "لَيْلَى": "layla",
             "Иван": "ivan", "Мария": "maria", "Олег": "oleg", "Анна": "anna-ru",
             "Дмитрий": "dmitry", "Елена": "elena", "Сергей": "sergey"}
    return table.get(name, re.sub(r"[^a-z]+", "-", name.lower()).strip("-"))


def strip_marks(text):
    """Arabic harakat and Hebrew niqqud: what TTS needs and transcripts do not have."""
    return "".join(ch for ch in text
                   if not (0x064B <= ord(ch) <= 0x065F or ord(ch) == 0x0670 or 0x0591 <= ord(ch) <= 0x05C7))


# ------------------------------------------------------------------------------ timing estimate
def words(text):
    return len(strip_marks(text).split())


def estimated_timeline(c):
    """Turn start/end and speech seconds from word counts and rates (espeak speaks ~1.17x its
    -s figure in words per minute of speech). Used for labels that depend on time; the audio
    check compares them with the real timeline."""
    rate = {"agent": c["rates"][0], "customer": c["rates"][1]}
    turns = []
    t = 0.6
    floor_end = 0.0
    for i, turn in enumerate(c["turns"]):
        voice = c["voices"][0 if turn["s"] == "agent" else 1]
        # Words per minute of speech: espeak speaks ~1.17x its -s figure; RHVoice's English
        # figure is converted to a percentage of its ~155 wpm; Russian rates are percentages.
        if c["lang"] == "ru":
            wpm = 1.2 * rate[turn["s"]]
        elif voice.startswith("rhvoice:") or c["lang"] != "en":
            wpm = rate[turn["s"]]
        else:
            wpm = 1.17 * rate[turn["s"]]
        dur = words(turn["t"]) / wpm * 60 + 0.15
        if turn.get("cut") and turns:
            start = floor_end - turn["cut"]
        else:
            start = t
        end = start + dur
        turns.append((start, end))
        if "bc" not in turn["tags"]:
            floor_end = max(floor_end, end)
        gap = turn.get("hold") or turn.get("pause") or 0.8
        t = max(floor_end, end) + gap
    return turns


# ----------------------------------------------------------------------------------- labelling
def derive(c, timeline=None):
    """The human evaluator's verdicts, from the scenario's tags (rules: corpus/README.md)."""
    turns = c["turns"]
    tl = timeline or estimated_timeline(c)
    agent = [i for i, t in enumerate(turns) if t["s"] == "agent"]
    tags = lambda i: turns[i]["tags"]  # noqa: E731
    v = {}

    opening = [i for i in agent if tl[i][0] <= 30.0][:2] or agent[:1]
    first = agent[0] if agent else None
    v["greeting"] = ("pass", "") if first is not None and tl[first][0] <= 20 and "greeting" in tags(first) \
        else ("fail", "no greeting at the start")
    v["agent_name"] = ("pass", "") if any("name" in tags(i) for i in opening) else ("fail", "the agent never gives a name")
    v["company_name"] = ("pass", "") if any("company" in tags(i) for i in opening) else ("fail", "no company name in the opening")
    disc = [i for i in agent if "disclosure" in tags(i)]
    if disc and tl[disc[0]][0] <= 60:
        v["recording_disclosure"] = ("pass", "")
    elif disc:
        v["recording_disclosure"] = ("fail", f"disclosure only at {tl[disc[0]][0]:.0f} s, after the first minute")
    else:
        v["recording_disclosure"] = ("fail", "no recording disclosure")

    access = [i for i in agent if "access" in tags(i)]
    if not access:
        v["identity_verification"] = ("na", "no account details looked up, read out or changed")
    else:
        verified = [i for i in agent if "verify" in tags(i) and i < access[0]]
        v["identity_verification"] = ("pass", "") if verified else \
            ("fail", "account details accessed before any identity check: " + short(turns[access[0]]["t"]))

    upset = [i for i, t in enumerate(turns) if t["s"] == "customer" and ({"neg", "distress"} & set(t["tags"]))]
    if not upset:
        v["empathy"] = ("na", "the customer states no problem with negative feeling")
    else:
        ok = [i for i in agent if i > upset[0] and ({"empathy", "distress_ok"} & set(tags(i)))]
        v["empathy"] = ("pass", "") if ok else ("fail", "upset customer never acknowledged: " + short(turns[upset[0]]["t"]))

    holds = [i for i, t in enumerate(turns) if t.get("hold")]
    if not holds:
        v["hold_permission"] = v["hold_thanks"] = ("na", "no hold")
    else:
        asked, thanked = True, True
        for h in holds:
            before = [i for i in agent if i <= h]
            if not before or "hold_ask" not in tags(before[-1]):
                asked = False
            after = [i for i in agent if i > h]
            if not after or "hold_thanks" not in tags(after[0]):
                thanked = False
        v["hold_permission"] = ("pass", "") if asked else ("fail", "hold without asking")
        v["hold_thanks"] = ("pass", "") if thanked else ("fail", "no thanks after the hold")

    if c["hangup"]:
        v["closing_further_help"] = v["closing_thanks"] = ("na", "the call ends without a closing (dropped or transferred)")
    else:
        last = agent[-3:]
        v["closing_further_help"] = ("pass", "") if any("further_help" in tags(i) for i in last) \
            else ("fail", "no offer of further help")
        v["closing_thanks"] = ("pass", "") if any("thanks" in tags(i) for i in agent[-2:]) \
            else ("fail", "no thanks at the end: " + short(turns[agent[-1]]["t"]))

    rude = [i for i in agent if "rude" in tags(i)]
    v["no_prohibited_language"] = ("fail", "dismissive: " + short(turns[rude[0]]["t"])) if rude else ("pass", "")
    courtesy = re.compile(COURTESY[c["lang"]] + "|" + COURTESY["en"], re.IGNORECASE)
    v["politeness"] = ("pass", "") if any(courtesy.search(turns[i]["t"]) for i in agent) \
        else ("fail", "no courtesy words")
    n_int = interruptions(turns)
    v["no_interrupting"] = ("fail", f"the agent cuts in {n_int} times") if n_int > 2 else ("pass", "")
    dead = [t.get("pause") for t in turns if (t.get("pause") or 0) > 10]
    v["no_dead_air"] = ("fail", f"{dead[0]:.0f} s of silence, no hold announced") if dead else ("pass", "")
    ratio = talk_ratio(turns, tl)
    # A listener hears imbalance only when one party clearly dominates (corpus/README.md).
    v["talk_balance"] = ("pass", "") if BALANCE[0] <= ratio <= BALANCE[1] else ("fail", f"agent {ratio:.0%} of talk")
    fast = c["lang"] == "en" and c["rates"][0] >= FAST_AGENT_WPM
    v["speaking_pace"] = ("fail", "the agent rushes every sentence") if fast else ("pass", "")

    v["no_full_card_readback"] = ("fail", "full card number read back") if any("readback" in tags(i) for i in agent) \
        else ("pass", "")
    distress = [i for i, t in enumerate(turns) if t["s"] == "customer" and "distress" in t["tags"]]
    if not distress:
        v["distress_response"] = ("na", "no distress")
    else:
        ok = [i for i in agent if i > distress[0] and "distress_ok" in tags(i)]
        v["distress_response"] = ("pass", "") if ok else \
            ("fail", "distress not answered with safety or help: " + short(turns[distress[0]]["t"]))

    for k, (verdict, note) in c["override"].items():
        v[k] = (verdict, note)
    return v


def short(text, n=60):
    text = strip_marks(text)
    return text if len(text) <= n else text[:n].rsplit(" ", 1)[0] + " …"


def interruptions(turns):
    n = 0
    for i, t in enumerate(turns):
        if i and t["s"] == "agent" and (t.get("cut") or 0) >= 0.5 and "bc" not in t["tags"]:
            floor = next(turns[j] for j in range(i - 1, -1, -1) if "bc" not in turns[j]["tags"])
            if floor["s"] == "customer":
                n += 1
    return n


def talk_ratio(turns, tl):
    a = sum(e - s for t, (s, e) in zip(turns, tl) if t["s"] == "agent")
    cu = sum(e - s for t, (s, e) in zip(turns, tl) if t["s"] == "customer")
    return a / (a + cu) if a + cu else 0.0


def flags_of(c):
    distress = any("distress" in t["tags"] for t in c["turns"] if t["s"] == "customer")
    hardneg = sum("hardneg" in t["tags"] for t in c["turns"])
    return {"distress": "yes" if distress else "no", "off_topic_long": "yes" if c["off_topic_long"] else "no",
            "hard_negatives": hardneg,
            "distress_statements": sum("distress" in t["tags"] for t in c["turns"] if t["s"] == "customer")}


# ------------------------------------------------------------------------------------ writing
def write_committed(calls):
    CORPUS.mkdir(exist_ok=True)
    out = []
    for c in calls:
        d = {k: c[k] for k in ("id", "lang", "group", "company", "agent_name", "agent_id", "customer_id",
                               "started_at", "queue", "mono", "fmt", "file", "voices", "rates", "hangup",
                               "off_topic_long", "repeat_of", "note") if k in c}
        d["turns"] = [{k: v for k, v in t.items() if v not in (None, [], "")} | {"tags": t["tags"]}
                      for t in c["turns"]]
        out.append(d)
    (CORPUS / "scenarios.json").write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n")

    with open(CORPUS / "labels.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["call_id", "rubric", "criterion", "verdict", "evaluator", "note"])
        for c in calls:
            v = derive(c)
            for rubric, criteria in RUBRICS.items():
                for k in criteria:
                    verdict, note = v[k]
                    w.writerow([c["id"], rubric, k, verdict, "corpus-rules", note])
    with open(CORPUS / "flags.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["call_id", "distress", "off_topic_long", "distress_statements", "hard_negatives"])
        for c in calls:
            fl = flags_of(c)
            w.writerow([c["id"], fl["distress"], fl["off_topic_long"], fl["distress_statements"], fl["hard_negatives"]])
    with open(CORPUS / "repeats.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["call_id", "repeat_of_call_id"])
        for c in calls:
            if c["repeat_of"]:
                w.writerow([c["id"], c["repeat_of"]])
    with open(CORPUS / "manifest.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["call_id", "file", "agent_id", "customer_id", "started_at", "queue", "direction",
                    "language", "agent_channel"])
        for c in calls:
            w.writerow([c["id"], c["file"], c["agent_id"], c["customer_id"], c["started_at"], c["queue"],
                        "inbound", c["lang"], "" if c["mono"] else "left"])
    # The same with the names a contact center knows for each call (custom vocabulary: the
    # company and the agent's name, for Whisper's prompt and the rubrics' name slots).
    with open(CORPUS / "manifest-names.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["call_id", "file", "agent_id", "customer_id", "started_at", "queue", "direction",
                    "language", "agent_channel", "company", "agent_name"])
        for c in calls:
            w.writerow([c["id"], c["file"], c["agent_id"], c["customer_id"], c["started_at"], c["queue"],
                        "inbound", c["lang"], "" if c["mono"] else "left", c["company"], c["agent_name"]])
    summary(calls)


def summary(calls):
    fl = [flags_of(c) for c in calls]
    by = lambda key: sorted({str(c[key]) for c in calls})  # noqa: E731
    voices = {v for c in calls for v in c["voices"]}
    print(f"{len(calls)} calls: {sum(c['mono'] for c in calls)} mono; languages {by('lang')}; formats {by('fmt')}")
    print(f"{len(voices)} voices; distress calls {sum(f['distress'] == 'yes' for f in fl)} "
          f"({sum(f['distress_statements'] for f in fl)} statements); hard negatives {sum(f['hard_negatives'] for f in fl)} "
          f"in {sum(f['hard_negatives'] > 0 for f in fl)} calls; repeat links {sum(bool(c['repeat_of']) for c in calls)}")
    counts = {}
    for c in calls:
        for k, (verdict, _) in derive(c).items():
            counts.setdefault(k, {"pass": 0, "fail": 0, "na": 0})[verdict] += 1
    for k, n in counts.items():
        print(f"  {k:24s} pass {n['pass']:3d}  fail {n['fail']:3d}  na {n['na']:3d}")


# -------------------------------------------------------------------------------------- split
def make_split(calls):
    """Tuning and held-out halves, stratified: a customer's calls stay together (repeat links
    are judged within a half), and each stratum (language x kind) is dealt out alternately."""
    path = CORPUS / "split.csv"
    fixed = {}
    if path.exists() and "--resplit" not in sys.argv:
        fixed = {r["call_id"]: r["split"] for r in csv.DictReader(open(path, newline=""))}
        if "--add" not in sys.argv:
            raise SystemExit(f"{path} exists and is committed; the split must not move (--add deals out "
                             "only calls it lacks; --resplit redoes it)")
    units = {}
    for c in calls:
        if c["id"] in fixed:
            continue
        units.setdefault(c["customer_id"], []).append(c)

    def stratum(unit):
        c = unit[0]
        kinds = [x["group"] for x in unit]
        if any(x.get("off_topic_long") or x["group"].startswith("long") for x in unit):
            kind = "long"
        elif any(x["repeat_of"] for x in unit):
            kind = "repeat"
        elif len(unit) > 1:
            kind = "decoy"
        elif flags_of(c)["distress"] == "yes":
            kind = "distress-mono" if c["mono"] else "distress"
        elif flags_of(c)["hard_negatives"]:
            kind = "hardneg-mono" if c["mono"] else "hardneg"
        elif c["mono"]:
            kind = "mono"
        else:
            kind = kinds[0]
        # Repeat groups of every language are dealt together, balancing links between halves.
        return ("*" if kind == "repeat" else c["lang"], kind)

    strata = {}
    for cid, unit in sorted(units.items()):
        strata.setdefault(stratum(unit), []).append(unit)
    rng = random.Random(20250312)
    assign = dict(fixed)
    sizes = {"tune": 0, "heldout": 0}
    for half in fixed.values():
        sizes[half] += 1
    for key in sorted(strata):
        group = strata[key]
        rng.shuffle(group)
        # Start each stratum on the half that is smaller so far: halves stay even.
        first = "tune" if sizes["tune"] <= sizes["heldout"] else "heldout"
        other = "heldout" if first == "tune" else "tune"
        links = {"tune": 0, "heldout": 0}
        if key[1] == "repeat":
            group.sort(key=lambda u: -sum(bool(x["repeat_of"]) for x in u))
        for n, unit in enumerate(group):
            half = first if n % 2 == 0 else other
            if key[1] == "repeat":
                half = min(("tune", "heldout"), key=lambda h: (links[h], h != first))
                links[half] += sum(bool(x["repeat_of"]) for x in unit)
            for c in unit:
                assign[c["id"]] = half
                sizes[half] += 1
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["call_id", "split"])
        for c in calls:
            w.writerow([c["id"], assign[c["id"]]])
    for half in ("tune", "heldout"):
        cs = [c for c in calls if assign[c["id"]] == half]
        fl = [flags_of(c) for c in cs]
        print(f"{half}: {len(cs)} calls, mono {sum(c['mono'] for c in cs)}, distress {sum(f['distress'] == 'yes' for f in fl)}, "
              f"hard-negative calls {sum(f['hard_negatives'] > 0 for f in fl)}, repeat links {sum(bool(c['repeat_of']) for c in cs)}, "
              f"languages { {l: sum(c['lang'] == l for c in cs) for l in ('en', 'he', 'ar', 'ru')} }, "
              f"long {[c['id'] for c in cs if c['group'].startswith('long')]}")


# -------------------------------------------------------------------------------------- audio
def run(*cmd, **kw):
    args = [str(x) for x in cmd]
    if args[0] == "sox":
        args.insert(1, "-R")  # repeatable dither
    subprocess.run(args, check=True, **kw)


def read_mono(path):
    with wave.open(str(path)) as w:
        assert w.getnchannels() == 1 and w.getsampwidth() == 2 and w.getframerate() == RATE
        return array.array("h", w.readframes(w.getnframes()))


def speak(text, voice, rate, tmp, n):
    raw = tmp / f"t{n}_raw.wav"
    out = tmp / f"t{n}.wav"
    if voice.startswith("rhvoice:"):
        # RHVoice's rate is a percentage of its natural pace.
        run("RHVoice-test", "-p", voice.split(":", 1)[1], "-r", rate, "-o", raw, input=text.encode())
    else:
        name, _, pitch = voice.partition("@")
        run("espeak-ng", "-v", name, "-s", rate, "-p", pitch or "50", "-w", raw, text,
            stderr=subprocess.DEVNULL if name.startswith("mb-") else None)
    run("sox", raw, "-r", RATE, "-c", 1, "-b", 16, out)
    x = read_mono(out)
    loud = [i for i, v in enumerate(x) if abs(v) > 330]
    if not loud:
        raise RuntimeError(f"{voice} produced silence for: {text}")
    return x[loud[0]:loud[-1] + 1]


def voice_rate(c, speaker):
    voice = c["voices"][0 if speaker == "agent" else 1]
    rate = c["rates"][0 if speaker == "agent" else 1]
    if voice.startswith("rhvoice:") and c["lang"] == "en":
        rate = round(rate / 155 * 100)  # wpm-like figure -> RHVoice percentage
    return voice, rate


def build(c, tmp, force=False):
    target = CORPUS / c["file"]
    ref_path = AUDIO / f"{c['id']}.json"
    if target.exists() and ref_path.exists() and not force:
        return False
    AUDIO.mkdir(parents=True, exist_ok=True)
    rng = random.Random(c["id"])
    clips = []
    for n, turn in enumerate(c["turns"]):
        voice, rate = voice_rate(c, turn["s"])
        clips.append(speak(turn["t"], voice, rate, tmp, n))
    placed = []
    t = 0.6
    floor_end = 0.0
    holds = []
    for turn, x in zip(c["turns"], clips):
        start = floor_end - turn["cut"] if turn.get("cut") else t
        s0 = int(round(start * RATE))
        end = (s0 + len(x)) / RATE
        placed.append((turn, s0, x))
        if "bc" not in turn["tags"]:
            floor_end = max(floor_end, end)
        if turn.get("hold"):
            holds.append([round(max(floor_end, end), 3), round(max(floor_end, end) + turn["hold"], 3)])
            gap = turn["hold"]
        elif turn.get("pause") is not None:
            gap = turn["pause"]
        else:
            gap = rng.uniform(0.5, 1.1)
        t = max(floor_end, end) + gap
    n_total = max(s0 + len(x) for _, s0, x in placed) + int(0.6 * RATE)
    tracks = {"agent": array.array("f", bytes(4 * n_total)), "customer": array.array("f", bytes(4 * n_total))}
    turns = []
    for turn, s0, x in placed:
        tr = tracks[turn["s"]]
        for i, v in enumerate(x):
            tr[s0 + i] += v * (0.7 / 32768)
        turns.append({"speaker": turn["s"], "start": round(s0 / RATE, 3), "end": round((s0 + len(x)) / RATE, 3),
                      "text": strip_marks(turn["t"]), "tags": turn["tags"]})
    # A faint line-noise floor, so silence is not digital zero (a tiled block: cheap and the
    # same on every run).
    noise_level = 0.0003 if c["fmt"] == "flac" else 0.0008
    block = [rng.gauss(0, noise_level) for _ in range(RATE)]
    master = tmp / "master.wav"
    frames = array.array("h", bytes(2 * n_total * (1 if c["mono"] else 2)))
    a, cu = tracks["agent"], tracks["customer"]
    off_a, off_c = rng.randrange(RATE), rng.randrange(RATE)
    if c["mono"]:
        for i in range(n_total):
            v = 0.6 * (a[i] + cu[i]) + block[(i + off_a) % RATE]
            frames[i] = max(-32767, min(32767, int(v * 32767)))
    else:
        for i in range(n_total):
            frames[2 * i] = max(-32767, min(32767, int((a[i] + block[(i + off_a) % RATE]) * 32767)))
            frames[2 * i + 1] = max(-32767, min(32767, int((cu[i] + block[(i + off_c) % RATE]) * 32767)))
    with wave.open(str(master), "wb") as w:
        w.setnchannels(1 if c["mono"] else 2)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(frames.tobytes())
    fmt = c["fmt"]
    if fmt == "pcm8k":
        run("sox", master, "-r", 8000, "-b", 16, target)
    elif fmt == "u8":
        run("sox", "--norm=-1", master, "-r", 8000, "-b", 8, "-e", "unsigned-integer", target)
    elif fmt == "ulaw":
        run("sox", master, "-r", 8000, "-e", "u-law", target)
    elif fmt == "wav16k":
        run("sox", master, "-b", 16, target)
    elif fmt == "mp3":
        run("lame", "--quiet", "-b", 32 if c["mono"] else 48, "--resample", 16, master, target)
    elif fmt == "ogg":
        run("oggenc", "-Q", "-q", 3, "-o", target, master)
    elif fmt == "flac":
        run("sox", master, "-r", 8000, "-b", 16, target)
    else:
        raise ValueError(fmt)
    duration = n_total / RATE
    if fmt in ("mp3", "ogg"):
        duration = float(subprocess.run(["soxi", "-D", str(target)], check=True, capture_output=True,
                                        text=True).stdout.strip())
    reference = {
        "call": c["id"], "file": target.name, "channels": 1 if c["mono"] else 2,
        "agent_channel": None if c["mono"] else "left", "sample_rate": SAMPLE_RATE[fmt],
        "format": fmt, "duration_s": round(duration, 3), "language": c["lang"],
        "voices": {"agent": c["voices"][0], "customer": c["voices"][1]},
        "rates": {"agent": c["rates"][0], "customer": c["rates"][1]},
        "holds": holds, "turns": turns,
    }
    ref_path.write_text(json.dumps(reference, ensure_ascii=False, indent=1) + "\n")
    print(f"{target.name}: {duration:.1f} s, {len(turns)} turns, {target.stat().st_size // 1024} KiB", flush=True)
    return True


def check(calls):
    """Labels that depend on time, recomputed on the generated audio's timeline."""
    bad = 0
    for c in calls:
        ref = AUDIO / f"{c['id']}.json"
        if not ref.exists():
            continue
        r = json.loads(ref.read_text())
        tl = [(t["start"], t["end"]) for t in r["turns"]]
        est, real = derive(c), derive(c, tl)
        for k in est:
            if est[k][0] != real[k][0]:
                bad += 1
                print(f"{c['id']}: {k}: label {est[k][0]} but the audio gives {real[k][0]} ({real[k][1]})")
        ratio = talk_ratio(c["turns"], tl)
        if min(abs(ratio - b) for b in BALANCE) < 0.04:
            print(f"{c['id']}: talk ratio {ratio:.2f} is close to a talk_balance bound")
        if c.get("off_topic_long") or c["group"].startswith("long"):
            print(f"{c['id']}: {r['duration_s']:.0f} s")
    print(f"{bad} timing-dependent label(s) disagree with the audio")
    return bad


def main():
    cmd = sys.argv[1] if len(sys.argv) > 1 else "labels"
    calls = load()
    if cmd == "labels":
        write_committed(calls)
    elif cmd == "split":
        make_split(calls)
    elif cmd == "audio":
        only = [a for a in sys.argv[2:] if not a.startswith("-")]
        todo = [c for c in calls if not only or c["id"] in only]
        made = 0
        with tempfile.TemporaryDirectory() as d:
            for k, c in enumerate(todo):
                if build(c, Path(d), force="--force" in sys.argv):
                    made += 1
                    print(f"  [{k + 1}/{len(todo)}]", flush=True)
        print(f"{made} call(s) generated, {len(todo) - made} already there ({AUDIO})")
    elif cmd == "check":
        sys.exit(1 if check(calls) else 0)
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
