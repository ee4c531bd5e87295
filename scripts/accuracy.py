#!/usr/bin/env python3
"""Scores callqa's results on the labelled corpus against the human labels (corpus/README.md).

    python3 scripts/accuracy.py --export results.jsonl [--db corpus.db] [--json out.json]

Reads `callqa export --format jsonl` (and, for per-word speaker roles on mono calls, the
database's stored words, read-only), the corpus's labels.csv, flags.csv, repeats.csv, split.csv
and the per-call references corpus/audio/<id>.json that scripts/make_corpus.py writes. Prints,
for the tuning half and the held-out half separately: WER per party, criterion agreement overall
and per criterion with Cohen's kappa (pass/fail/na) and n, distress recall and false alarms
(confirmed and possible separately), repeat-call precision and recall, speaker-role accuracy per
word on mono calls, and off_topic_long on the long calls. Markdown on stdout, JSON to --json.
Python 3 stdlib only.
"""
import argparse
import csv
import json
import sqlite3
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
HALVES = ("tune", "heldout")
CLASSES = ("pass", "fail", "na")
DISTRESS_KINDS = {"distress"}
POSSIBLE_KINDS = {"possible_distress", "distress_possible"}


# ------------------------------------------------------------------------------ normalisation
ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def number_words(n):
    out = []
    if n >= 1000:
        out += number_words(n // 1000) + ["thousand"]
        n %= 1000
        if n == 0:
            return out
    if n >= 100:
        out += [ONES[n // 100], "hundred"]
        n %= 100
        if n == 0:
            return out
    if n >= 20:
        out.append(TENS[n // 10])
        if n % 10:
            out.append(ONES[n % 10])
    else:
        out.append(ONES[n])
    return out


def fold(text, language):
    """Script marks and letter variants, as the matcher folds them."""
    out = []
    for ch in unicodedata.normalize("NFKC", text):
        o = ord(ch)
        if 0x0591 <= o <= 0x05C7 and ch not in "\u05be\u05c0\u05c3\u05c6":  # niqqud, cantillation
            continue
        if 0x064B <= o <= 0x065F or o in (0x0670, 0x0640):  # harakat, tatweel
            continue
        if 0x0660 <= o <= 0x0669:
            ch = str(o - 0x0660)
        elif 0x06F0 <= o <= 0x06F9:
            ch = str(o - 0x06F0)
        ch = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ё": "е", "Ё": "е",
              "׳": "", "״": "", "'": "'" if language == "en" else ""}.get(ch, ch)
        out.append(ch)
    return "".join(out)


def normalise(text, language="en"):
    """The tests' normalisation (tests/common/mod.rs): case, punctuation, numbers as words
    (four digits and more digit by digit), "cannot" = "can not"; other languages also fold
    their script marks."""
    text = fold(text, language)
    spaced = []
    prev_lower = False
    for ch in text:
        if ch.isupper() and prev_lower:
            spaced.append(" ")
        prev_lower = ch.islower()
        spaced.append(ch)
    text = "".join(spaced).lower()
    for ch in "-—/":
        text = text.replace(ch, " ")
    words = []
    for w in text.split():
        w = "".join(ch for ch in w if ch.isalnum() or ch == "'").strip("'")
        if not w:
            continue
        if w.isascii() and w.isdigit():
            if len(w) >= 4:
                for d in w:
                    words += number_words(int(d))
            else:
                words += number_words(int(w))
        elif w == "cannot":
            words += ["can", "not"]
        else:
            words.append(w)
    return words


def edits(ref, hyp):
    prev = list(range(len(hyp) + 1))
    for i, r in enumerate(ref):
        cur = [i + 1] * (len(hyp) + 1)
        for j, h in enumerate(hyp):
            cur[j + 1] = min(prev[j] + (r != h), prev[j + 1] + 1, cur[j] + 1)
        prev = cur
    return prev[-1]


# ---------------------------------------------------------------------------------- statistics
def kappa(pairs):
    """Cohen's kappa over (human, callqa) pairs of the three classes; None when undefined."""
    n = len(pairs)
    if not n:
        return None
    po = sum(h == c for h, c in pairs) / n
    hc = Counter(h for h, _ in pairs)
    cc = Counter(c for _, c in pairs)
    pe = sum(hc[k] * cc[k] for k in CLASSES) / (n * n)
    if pe >= 1.0:
        return None
    return (po - pe) / (1 - pe)


def ratio(a, b):
    return a / b if b else None


def fmt(x, pct=False):
    if x is None:
        return "—"
    return f"{100 * x:.1f} %" if pct else f"{x:.2f}"


# ------------------------------------------------------------------------------------- loading
def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def load_corpus():
    manifest = {r["call_id"]: r for r in read_csv(CORPUS / "manifest.csv")}
    split = {r["call_id"]: r["split"] for r in read_csv(CORPUS / "split.csv")}
    labels = read_csv(CORPUS / "labels.csv")
    flags = {r["call_id"]: r for r in read_csv(CORPUS / "flags.csv")}
    repeats = {(r["call_id"], r["repeat_of_call_id"]) for r in read_csv(CORPUS / "repeats.csv")}
    scenarios = {s["id"]: s for s in json.loads((CORPUS / "scenarios.json").read_text(encoding="utf-8"))}
    refs = {}
    for cid in manifest:
        p = CORPUS / "audio" / f"{cid}.json"
        if p.exists():
            refs[cid] = json.loads(p.read_text(encoding="utf-8"))
    return manifest, split, labels, flags, repeats, scenarios, refs


def load_export(path, manifest):
    """Export rows by the corpus's call id (matched on the file's name)."""
    by_stem = {Path(r["file"]).name: cid for cid, r in manifest.items()}
    rows, hash_to_id = {}, {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            row = json.loads(line)
            cid = by_stem.get(Path(row.get("file") or "").name)
            if cid is None:
                continue
            # A later line for the same file (e.g. a failure after a success) never hides a
            # scored call.
            if cid in rows and rows[cid].get("status") == "scored" and row.get("status") != "scored":
                continue
            rows[cid] = row
            for key in ("call_id", "audio_hash"):
                if row.get(key):
                    hash_to_id[row[key]] = cid
    return rows, hash_to_id


def load_words(db, manifest):
    """Stored words with their times and speakers, per corpus call id (read-only)."""
    if not db or not Path(db).exists():
        return None
    by_name = {Path(r["file"]).name: cid for cid, r in manifest.items()}
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    out = defaultdict(list)
    try:
        paths = {h: by_name.get(Path(p).name) for h, p in con.execute("SELECT call_id, path FROM calls")}
        for h, speaker, start, end, words in con.execute(
                "SELECT call_id, speaker, start_s, end_s, words FROM utterances ORDER BY call_id, idx"):
            cid = paths.get(h)
            if cid is None:
                continue
            try:
                ws = json.loads(words)
            except ValueError:
                ws = []
            if not ws:
                continue
            for w in ws:
                text = (w.get("text") or "").strip()
                if not text or text.startswith("[") or all(not ch.isalnum() for ch in text):
                    continue
                out[cid].append((speaker, float(w.get("start", start)), float(w.get("end", end))))
    finally:
        con.close()
    return out


# ---------------------------------------------------------------------------------- evaluation
def criterion_results(row):
    out = {}
    for r in row.get("rubrics") or []:
        for c in r.get("criteria") or []:
            out[(r["id"], c["id"])] = c.get("result")
    return out


def flag_kinds(row):
    kinds = Counter(f.get("kind") for f in row.get("flags") or [])
    # A possible_distress list may come as its own key instead of flags.
    if row.get("possible_distress"):
        kinds["possible_distress"] += 1
    return kinds


def evaluate(ids, ctx):
    manifest, labels, flags, repeats, refs, rows, hash_to_id, words, scenarios = (
        ctx[k] for k in ("manifest", "labels", "flags", "repeats", "refs", "rows", "hash_to_id", "words", "scenarios"))
    ids = set(ids)
    scored = {cid for cid in ids if rows.get(cid, {}).get("status") == "scored"}
    failed = sorted(cid for cid in ids if cid not in scored)
    res = {"calls": len(ids), "scored": len(scored), "not_scored": failed}

    # WER per party on stereo calls (roles known), and over all words on mono calls.
    wer = defaultdict(lambda: [0, 0])
    for cid in sorted(scored):
        ref = refs.get(cid)
        if not ref:
            continue
        lang = manifest[cid]["language"]
        utts = sorted(rows[cid].get("utterances") or [], key=lambda u: u["start"])
        if ref["channels"] == 2:
            for party in ("agent", "customer"):
                r = normalise(" ".join(t["text"] for t in ref["turns"] if t["speaker"] == party), lang)
                h = normalise(" ".join(u["text"] for u in utts if u["speaker"] == party), lang)
                for key in (f"{party}", f"{party} ({lang})"):
                    wer[key][0] += edits(r, h)
                    wer[key][1] += len(r)
        else:
            r = normalise(" ".join(t["text"] for t in sorted(ref["turns"], key=lambda t: t["start"])), lang)
            h = normalise(" ".join(u["text"] for u in utts), lang)
            wer[f"mono, both parties ({lang})"][0] += edits(r, h)
            wer[f"mono, both parties ({lang})"][1] += len(r)
    res["wer"] = {k: {"wer": ratio(e, n), "ref_words": n} for k, (e, n) in sorted(wer.items())}

    # Criterion agreement.
    pairs = defaultdict(list)
    disagreements = []
    missing = 0
    for lab in labels:
        cid = lab["call_id"]
        if cid not in scored:
            continue
        got = criterion_results(rows[cid]).get((lab["rubric"], lab["criterion"]))
        if got is None:
            missing += 1
            continue
        key = f"{lab['rubric']}.{lab['criterion']}"
        pairs[key].append((lab["verdict"], got))
        if got != lab["verdict"]:
            disagreements.append({"call_id": cid, "criterion": key, "human": lab["verdict"], "callqa": got,
                                  "note": lab.get("note", "")})
    allpairs = [p for ps in pairs.values() for p in ps]
    res["criteria"] = {
        "overall": {"n": len(allpairs), "agreement": ratio(sum(h == c for h, c in allpairs), len(allpairs)),
                    "kappa": kappa(allpairs), "missing_in_export": missing},
        "per_criterion": {
            k: {"n": len(ps), "agreement": ratio(sum(h == c for h, c in ps), len(ps)), "kappa": kappa(ps),
                "human": dict(Counter(h for h, _ in ps)), "callqa": dict(Counter(c for _, c in ps)),
                "confusion": {h: {c: sum(1 for x, y in ps if x == h and y == c) for c in CLASSES} for h in CLASSES}}
            for k, ps in sorted(pairs.items())},
        "by_language": {},
        "disagreements": disagreements,
    }
    by_lang = defaultdict(list)
    for lab in labels:
        cid = lab["call_id"]
        if cid in scored:
            got = criterion_results(rows[cid]).get((lab["rubric"], lab["criterion"]))
            if got is not None:
                by_lang[manifest[cid]["language"]].append((lab["verdict"], got))
    res["criteria"]["by_language"] = {
        l: {"n": len(ps), "agreement": ratio(sum(h == c for h, c in ps), len(ps)), "kappa": kappa(ps)}
        for l, ps in sorted(by_lang.items())}

    # Distress.
    pos = sorted(c for c in scored if flags[c]["distress"] == "yes")
    neg = sorted(c for c in scored if flags[c]["distress"] != "yes")
    conf = {c for c in scored if DISTRESS_KINDS & set(flag_kinds(rows[c]))}
    poss = {c for c in scored if POSSIBLE_KINDS & set(flag_kinds(rows[c]))}
    hardneg = [c for c in neg if int(flags[c].get("hard_negatives") or 0) > 0]
    res["distress"] = {
        "at_risk_calls": len(pos), "other_calls": len(neg), "hard_negative_calls": len(hardneg),
        "recall_confirmed": ratio(len([c for c in pos if c in conf]), len(pos)),
        "recall_confirmed_or_possible": ratio(len([c for c in pos if c in conf or c in poss]), len(pos)),
        "false_alarms_confirmed": len([c for c in neg if c in conf]),
        "false_alarm_rate_confirmed": ratio(len([c for c in neg if c in conf]), len(neg)),
        "false_alarms_possible": len([c for c in neg if c in poss and c not in conf]),
        "false_alarm_rate_possible": ratio(len([c for c in neg if c in poss and c not in conf]), len(neg)),
        "hard_negative_false_alarms": len([c for c in hardneg if c in conf]),
        "missed": [c for c in pos if c not in conf and c not in poss],
        "possible_only": [c for c in pos if c in poss and c not in conf],
        "false_alarm_calls_confirmed": [c for c in neg if c in conf],
        "false_alarm_calls_possible": [c for c in neg if c in poss and c not in conf],
    }

    # Repeat calls: links whose later call is in this half.
    expected = {(a, b) for a, b in repeats if a in ids}
    found = set()
    for cid in scored:
        for f in rows[cid].get("flags") or []:
            if f.get("kind") == "repeat_call" and f.get("of_call"):
                found.add((cid, hash_to_id.get(f["of_call"], f["of_call"])))
    expected_scored = {(a, b) for a, b in expected if a in scored and b in rows and rows[b].get("status") == "scored"}
    tp = found & expected_scored
    res["repeats"] = {
        "expected_links": len(expected), "expected_links_scored": len(expected_scored), "found_links": len(found),
        "precision": ratio(len(tp), len(found)), "recall": ratio(len(tp), len(expected_scored)),
        "missed": sorted(f"{a}->{b}" for a, b in expected_scored - found),
        "wrong": sorted(f"{a}->{b}" for a, b in found - expected_scored),
    }

    # Speaker roles on mono calls, per word, by time against the reference turns.
    mono = sorted(c for c in scored if refs.get(c) and refs[c]["channels"] == 1)
    role = {"calls": len(mono), "words": 0, "correct": 0, "unaligned": 0, "per_call": {}}
    for cid in mono:
        turns = refs[cid]["turns"]
        ws = words.get(cid) if words is not None else None
        if ws is None:
            # No database: spread each utterance's words evenly over its time.
            ws = []
            for u in rows[cid].get("utterances") or []:
                toks = u["text"].split()
                step = (u["end"] - u["start"]) / max(1, len(toks))
                ws += [(u["speaker"], u["start"] + i * step, u["start"] + (i + 1) * step) for i in range(len(toks))]
        ok = n = un = 0
        for speaker, s, e in ws:
            mid = (s + e) / 2
            near = [t for t in turns if t["start"] - 0.3 <= mid <= t["end"] + 0.3]
            if not near:
                un += 1
                continue
            inside = [t for t in near if t["start"] <= mid <= t["end"]] or near
            truth = {t["speaker"] for t in inside}
            if len(truth) > 1:
                un += 1  # overlapping speech: either is right, so it measures nothing
                continue
            n += 1
            ok += speaker in truth
        role["words"] += n
        role["correct"] += ok
        role["unaligned"] += un
        role["per_call"][cid] = {"words": n, "accuracy": ratio(ok, n),
                                 "roles": rows[cid].get("roles"), "source": "db" if words is not None else "export"}
    role["accuracy"] = ratio(role["correct"], role["words"])
    res["mono_roles"] = role

    # Lonely callers.
    longs = sorted(c for c in ids if scenarios[c].get("group", "").startswith("long"))
    res["off_topic_long"] = {
        c: {"expected": flags[c]["off_topic_long"] == "yes",
            "flagged": (c in scored and "off_topic_long" in flag_kinds(rows[c])) if c in scored else None,
            "duration_s": rows.get(c, {}).get("duration_s")}
        for c in longs}
    return res


# -------------------------------------------------------------------------------------- output
def markdown(report):
    out = []
    p = out.append
    p(f"# callqa corpus accuracy — {report['label']}\n")
    p(f"Export `{report['export']}`; {report['corpus_calls']} calls in the corpus.\n")
    halves = [h for h in ("tune", "heldout", "all") if h in report["halves"]]
    H = report["halves"]
    p("| | " + " | ".join(halves) + " |")
    p("|---|" + "---|" * len(halves))
    row = lambda name, f: p(f"| {name} | " + " | ".join(f(H[h]) for h in halves) + " |")  # noqa: E731
    row("calls scored / in half", lambda r: f"{r['scored']} / {r['calls']}")
    keys = sorted({k for h in halves for k in H[h]["wer"]})
    for k in keys:
        row(f"WER {k}", lambda r, k=k: f"{fmt(r['wer'].get(k, {}).get('wer'), True)} ({r['wer'].get(k, {}).get('ref_words', 0)} w)")
    row("criterion agreement (n)", lambda r: f"{fmt(r['criteria']['overall']['agreement'], True)} ({r['criteria']['overall']['n']})")
    row("criterion kappa", lambda r: fmt(r["criteria"]["overall"]["kappa"]))
    langs = sorted({l for h in halves for l in H[h]["criteria"]["by_language"]})
    for l in langs:
        row(f"agreement, {l} calls", lambda r, l=l: (lambda x: f"{fmt(x['agreement'], True)} ({x['n']})" if x else "—")(r["criteria"]["by_language"].get(l)))
    row("distress recall, confirmed", lambda r: f"{fmt(r['distress']['recall_confirmed'])} (of {r['distress']['at_risk_calls']})")
    row("distress recall, confirmed + possible", lambda r: fmt(r["distress"]["recall_confirmed_or_possible"]))
    row("false alarms, confirmed", lambda r: f"{r['distress']['false_alarms_confirmed']} ({fmt(r['distress']['false_alarm_rate_confirmed'], True)} of {r['distress']['other_calls']})")
    row("false alarms, possible only", lambda r: f"{r['distress']['false_alarms_possible']} ({fmt(r['distress']['false_alarm_rate_possible'], True)})")
    row("hard-negative calls falsely flagged", lambda r: f"{r['distress']['hard_negative_false_alarms']} of {r['distress']['hard_negative_calls']}")
    row("repeat precision", lambda r: f"{fmt(r['repeats']['precision'])} ({r['repeats']['found_links']} found)")
    row("repeat recall", lambda r: f"{fmt(r['repeats']['recall'])} (of {r['repeats']['expected_links_scored']})")
    row("mono role accuracy per word", lambda r: f"{fmt(r['mono_roles']['accuracy'], True)} ({r['mono_roles']['words']} w, {r['mono_roles']['calls']} calls)")
    row("off_topic_long (expected → flagged)", lambda r: ", ".join(
        f"{c}: {'yes' if v['expected'] else 'no'} → {'—' if v['flagged'] is None else ('yes' if v['flagged'] else 'no')}"
        for c, v in r["off_topic_long"].items()) or "—")
    p("")
    p("## Per criterion (agreement / kappa / n)\n")
    crits = sorted({k for h in halves for k in H[h]["criteria"]["per_criterion"]})
    p("| criterion | " + " | ".join(halves) + " | human pass/fail/na → callqa pass/fail/na (" + halves[-1] + ") |")
    p("|---|" + "---|" * (len(halves) + 1))
    for k in crits:
        cells = []
        for h in halves:
            x = H[h]["criteria"]["per_criterion"].get(k)
            cells.append(f"{fmt(x['agreement'], True)} / {fmt(x['kappa'])} / {x['n']}" if x else "—")
        x = H[halves[-1]]["criteria"]["per_criterion"].get(k)
        hc = x["human"] if x else {}
        cc = x["callqa"] if x else {}
        dist = f"{hc.get('pass', 0)}/{hc.get('fail', 0)}/{hc.get('na', 0)} → {cc.get('pass', 0)}/{cc.get('fail', 0)}/{cc.get('na', 0)}"
        p(f"| {k} | " + " | ".join(cells) + f" | {dist} |")
    p("")
    for h in halves:
        if h == "all":
            continue
        d = H[h]["distress"]
        rp = H[h]["repeats"]
        ns = H[h]["not_scored"]
        ns_text = ", ".join(ns) if len(ns) <= 20 else f"{len(ns)} calls (listed in the JSON)"
        p(f"**{h}**: distress missed {', '.join(d['missed']) or 'none'}; possible only {', '.join(d['possible_only']) or 'none'}; "
          f"false alarms {', '.join(d['false_alarm_calls_confirmed']) or 'none'} (possible: {', '.join(d['false_alarm_calls_possible']) or 'none'}); "
          f"repeats missed {', '.join(rp['missed']) or 'none'}, wrong {', '.join(rp['wrong']) or 'none'}; not scored: {ns_text or 'none'}.\n")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--export", required=True, help="callqa export --format jsonl output")
    ap.add_argument("--db", help="the database, for per-word speaker roles on mono calls")
    ap.add_argument("--json", help="write the full report (with every disagreement) here")
    ap.add_argument("--label", default="", help="what was run (model, decoding), for the title")
    ap.add_argument("--no-all", action="store_true", help="omit the whole-corpus column")
    args = ap.parse_args()
    manifest, split, labels, flags, repeats, scenarios, refs = load_corpus()
    rows, hash_to_id = load_export(args.export, manifest)
    words = load_words(args.db, manifest)
    ctx = dict(manifest=manifest, labels=labels, flags=flags, repeats=repeats, refs=refs, rows=rows,
               hash_to_id=hash_to_id, words=words, scenarios=scenarios)
    missing_refs = sorted(set(manifest) - set(refs))
    if missing_refs:
        print(f"note: no reference timing for {len(missing_refs)} call(s) (run scripts/make_corpus.py audio)",
              file=sys.stderr)
    report = {"label": args.label or Path(args.export).stem, "export": args.export, "db": args.db,
              "corpus_calls": len(manifest), "halves": {}}
    for half in HALVES:
        report["halves"][half] = evaluate([c for c in manifest if split.get(c) == half], ctx)
    if not args.no_all:
        report["halves"]["all"] = evaluate(list(manifest), ctx)
    print(markdown(report))
    if args.json:
        Path(args.json).write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"\nfull report (every disagreement): {args.json}", file=sys.stderr)


if __name__ == "__main__":
    main()
