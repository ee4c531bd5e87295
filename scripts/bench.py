#!/usr/bin/env python3
"""Speed and accuracy of callqa's recognition configurations and of faster-whisper, on the same
calls, same model, same threads, in one run: the table the README quotes (see scripts/bench.sh,
which prepares models, the faster-whisper environment and the calls, then runs this).

    python3 scripts/bench.py run --callqa BIN --ct2 DIR --models DIR [--fw-python PY]
                             [--only NAME,...] [--out FILE.md] CALL.wav...
    python3 scripts/bench.py fw CT2_DIR OUT.json [--beam N] [--threads N] CALL...   (internal)

Every call needs its reference script beside it (CALL stem + .json, as scripts/make_corpus.py
writes them). Word error rate is counted per party on stereo calls (each channel against what
that party said) and over the whole conversation in time order on mono calls, where
faster-whisper has no roles; words are lower-cased and stripped of punctuation the same way for
both systems. Speed is audio seconds per wall second of the whole process (model load, decode,
resampling, voice activity, recognition and, for callqa, scoring and storing), peak memory is
the process's maximum resident set (GNU time).
"""
import argparse
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from accuracy import edits  # noqa: E402  (one edit distance for both reports)

# name -> (system, model file or folder, extra arguments). Thread and job layouts are spelled out
# so that every row uses exactly the machine's two cores.
CONFIGS = {
    "fw-greedy": ("fw", "tiny.en", ["--beam", "1", "--threads", "2"]),
    "fw-beam5": ("fw", "tiny.en", ["--beam", "5", "--threads", "2"]),
    "callqa-beam-auto": ("callqa", "ggml-tiny.en.bin", ["--beam", "auto", "--jobs", "1", "--threads", "2"]),
    "callqa-beam-auto-2x1": ("callqa", "ggml-tiny.en.bin", ["--beam", "auto", "--jobs", "2", "--threads", "1"]),
    "callqa-q8-beam-auto": ("callqa", "ggml-tiny.en-q8_0.bin", ["--beam", "auto", "--jobs", "1", "--threads", "2"]),
    "callqa-q8-beam-auto-2x1": ("callqa", "ggml-tiny.en-q8_0.bin", ["--beam", "auto", "--jobs", "2", "--threads", "1"]),
    "callqa-greedy": ("callqa", "ggml-tiny.en.bin", ["--beam", "1", "--jobs", "1", "--threads", "2"]),
    "callqa-greedy-2x1": ("callqa", "ggml-tiny.en.bin", ["--beam", "1", "--jobs", "2", "--threads", "1"]),
    "callqa-q8-greedy-2x1": ("callqa", "ggml-tiny.en-q8_0.bin", ["--beam", "1", "--jobs", "2", "--threads", "1"]),
    "callqa-q8-greedy-trim-2x1": ("callqa", "ggml-tiny.en-q8_0.bin",
                                  ["--beam", "1", "--trim-encoder", "--jobs", "2", "--threads", "1"]),
    "callqa-default": ("callqa", "ggml-tiny.en.bin", []),
    "callqa-base-greedy-2x1": ("callqa", "ggml-base.bin", ["--beam", "1", "--language", "en", "--jobs", "2", "--threads", "1"]),
    "callqa-base-q8-greedy-2x1": ("callqa", "ggml-base-q8_0.bin",
                                  ["--beam", "1", "--language", "en", "--jobs", "2", "--threads", "1"]),
}


def normalise(text):
    text = re.sub(r"[-—/]", " ", text.lower())
    words = ["".join(c for c in w if c.isalnum() or c == "'").strip("'") for w in text.split()]
    return [w for w in words if w]


def reference(call):
    """(duration, {stream: words}) where a stream is 'agent'/'customer' (stereo) or 'all' (mono)."""
    ref = json.loads(Path(call).with_suffix(".json").read_text())
    turns = sorted(ref["turns"], key=lambda t: t["start"])
    if ref["channels"] == 1:
        return ref["duration_s"], {"all": normalise(" ".join(t["text"] for t in turns))}
    return ref["duration_s"], {
        who: normalise(" ".join(t["text"] for t in turns if t["speaker"] == who)) for who in ("agent", "customer")
    }


def score_wer(calls, hyps):
    """Micro-averaged WER over every stream of every call, and the per-call figures."""
    err = total = 0
    per_call = {}
    for call in calls:
        _, refs = reference(call)
        hyp = hyps.get(Path(call).name, {})
        e = n = 0
        for stream, words in refs.items():
            if stream == "all":
                got = [w for _, w in sorted(x for s in hyp.values() for x in s)]
            else:
                got = [w for _, w in sorted(hyp.get(stream, []))]
            e += edits(words, normalise(" ".join(got)))
            n += len(words)
        per_call[Path(call).name] = e / max(1, n)
        err += e
        total += n
    return err / max(1, total), per_call


def timed(cmd, env=None):
    """Runs cmd under GNU time: (wall seconds, peak RSS MiB)."""
    with tempfile.NamedTemporaryFile(suffix=".time") as tf:
        t0 = time.time()
        proc = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", tf.name] + cmd, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wall = time.time() - t0
        if proc.returncode not in (0, 1):
            sys.exit(f"bench: {' '.join(map(str, cmd[:3]))} failed ({proc.returncode}): {proc.stderr[-2000:]}")
        rss_kib = int(Path(tf.name).read_text().strip().splitlines()[-1])
    return wall, rss_kib / 1024


def run_callqa(binary, model, extra, calls, workdir):
    db = Path(workdir) / "bench.db"
    for p in Path(workdir).glob("bench.db*"):
        p.unlink()
    # Global flags (--jobs) go before the subcommand, recognition flags after it.
    glob, rest, it = [], [], iter(extra)
    for a in it:
        valued = a in ("--jobs", "--threads", "--beam", "--language")
        (glob if a == "--jobs" else rest).extend([a, next(it)] if valued else [a])
    cmd = [binary, "-q", "--db", str(db), "--model", str(model)] + glob + ["score", "--keep-pii"] + rest + list(calls)
    wall, rss = timed(cmd)
    hyps = {}
    con = sqlite3.connect(db)
    for path, speaker, start, text in con.execute(
            "SELECT c.path, u.speaker, u.start_s, u.text FROM utterances u JOIN calls c USING (call_id)"):
        hyps.setdefault(Path(path).name, {}).setdefault(speaker, []).extend(
            (start + i * 1e-6, w) for i, w in enumerate(text.split()))
    con.close()
    return wall, rss, hyps


def run_fw(python, ct2, extra, calls, workdir):
    out = Path(workdir) / "fw.json"
    wall, rss = timed([python, __file__, "fw", str(ct2), str(out)] + extra + list(calls))
    return wall, rss, json.loads(out.read_text())


def fw_main(argv):
    """Runs inside the faster-whisper environment: one model, every call, each channel apart."""
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("out")
    ap.add_argument("files", nargs="+")
    ap.add_argument("--beam", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args(argv)
    from faster_whisper import WhisperModel

    model = WhisperModel(args.model, device="cpu", compute_type="int8", cpu_threads=args.threads)
    hyps = {}
    with tempfile.TemporaryDirectory() as tmp:
        for f in map(Path, args.files):
            ref = json.loads(f.with_suffix(".json").read_text())
            n = ref["channels"]
            agent = 0 if ref.get("agent_channel") in ("left", None) else 1
            streams = {}
            for c in range(n):
                # Decoding to 16 kHz mono per channel is part of the timed work, as in callqa.
                wav = Path(tmp) / f"{f.stem}_{c}.wav"
                subprocess.run(["sox", str(f), "-r", "16000", "-b", "16", str(wav), "remix", str(c + 1)], check=True)
                segments, _ = model.transcribe(str(wav), beam_size=args.beam, vad_filter=True, language="en",
                                               condition_on_previous_text=False)
                who = "all" if n == 1 else ("agent" if c == agent else "customer")
                words = []
                for s in segments:
                    words.extend((s.start + i * 1e-6, w) for i, w in enumerate(s.text.split()))
                streams[who] = words
            hyps[f.name] = streams
    Path(args.out).write_text(json.dumps(hyps))


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "fw":
        return fw_main(sys.argv[2:])
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd", choices=["run"])
    ap.add_argument("--callqa", required=True)
    ap.add_argument("--ct2", required=True, help="CTranslate2 folder of tiny.en (faster-whisper's model)")
    ap.add_argument("--models", required=True, help="folder of callqa's ggml models")
    ap.add_argument("--fw-python", default=None, help="python with faster-whisper installed")
    ap.add_argument("--only", default=None, help="comma-separated configuration names")
    ap.add_argument("--out", default=None, help="also write the table (Markdown) and per-call JSON here")
    ap.add_argument("calls", nargs="+")
    args = ap.parse_args()
    calls = [str(Path(c).resolve()) for c in args.calls]
    audio = sum(reference(c)[0] for c in calls)
    names = args.only.split(",") if args.only else list(CONFIGS)
    rows, per_call = [], {}
    print(f"{len(calls)} calls, {audio:.0f} s of audio, {os.cpu_count()} CPUs", flush=True)
    for name in names:
        system, model, extra = CONFIGS[name]
        with tempfile.TemporaryDirectory() as tmp:
            if system == "fw":
                if not args.fw_python:
                    print(f"{name}: skipped (no faster-whisper environment)", flush=True)
                    continue
                wall, rss, hyps = run_fw(args.fw_python, args.ct2, extra, calls, tmp)
            else:
                path = Path(args.models) / model
                if not path.exists():
                    print(f"{name}: skipped ({path} missing)", flush=True)
                    continue
                wall, rss, hyps = run_callqa(args.callqa, path, extra, calls, tmp)
        wer, per = score_wer(calls, hyps)
        per_call[name] = per
        rows.append((name, audio / wall, wer, rss, " ".join(extra)))
        print(f"{name}: {audio / wall:.1f}x real time, WER {wer:.3f}, peak RSS {rss:.0f} MiB", flush=True)
    table = ["| configuration | × real time | WER | peak RSS (MiB) | flags |", "|---|---|---|---|---|"]
    table += [f"| {n} | {x:.1f} | {w:.3f} | {r:.0f} | `{f}` |" for n, x, w, r, f in rows]
    print("\n".join(table))
    if args.out:
        Path(args.out).write_text(
            f"{len(calls)} calls, {audio:.0f} s of audio, {os.cpu_count()} CPUs\n\n" + "\n".join(table) + "\n")
        Path(args.out).with_suffix(".json").write_text(json.dumps(per_call, indent=1))


if __name__ == "__main__":
    sys.exit(main())
