#!/usr/bin/env python3
"""Times faster-whisper on the same calls callqa scores, for the README's comparison.

Usage: python3 scripts/compare_faster_whisper.py CT2_MODEL_DIR FILE... [--beam N] [--threads N]

Each channel of a stereo file is transcribed separately (as callqa does), with faster-whisper's
own VAD on, int8 compute, greedy unless --beam is given. Prints per-file and total real-time
factors and, when a reference script (FILE stem + .json, see samples/README.md) exists, the
per-party word error rate with the same normalisation as callqa's tests.
Not part of the test suite: it needs `pip install faster-whisper`.
"""
import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def normalise(text):
    text = re.sub(r"[-—/]", " ", text.lower())
    words = ["".join(c for c in w if c.isalnum() or c == "'").strip("'") for w in text.split()]
    return [w for w in words if w]


def wer(ref, hyp):
    r, h = normalise(ref), normalise(hyp)
    prev = list(range(len(h) + 1))
    for i, rw in enumerate(r):
        cur = [i + 1] * (len(h) + 1)
        for j, hw in enumerate(h):
            cur[j + 1] = min(prev[j] + (rw != hw), prev[j + 1] + 1, cur[j] + 1)
        prev = cur
    return prev[len(h)] / max(1, len(r))


def channels(path, tmp):
    """Split into 16 kHz mono WAVs with sox (decode cost is counted in the timing)."""
    info = subprocess.run(["soxi", "-c", str(path)], capture_output=True, text=True, check=True)
    n = int(info.stdout.strip())
    outs = []
    for c in range(1, n + 1):
        out = Path(tmp) / f"{path.stem}_{c}.wav"
        subprocess.run(["sox", str(path), "-r", "16000", "-b", "16", str(out), "remix", str(c)], check=True)
        outs.append(out)
    return outs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("files", nargs="+")
    ap.add_argument("--beam", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    from faster_whisper import WhisperModel

    t_load = time.time()
    model = WhisperModel(args.model, device="cpu", compute_type="int8", cpu_threads=args.threads)
    print(f"model load {time.time() - t_load:.2f} s")
    total_audio = total_wall = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for f in map(Path, args.files):
            t0 = time.time()
            dur = float(subprocess.run(["soxi", "-D", str(f)], capture_output=True, text=True).stdout)
            texts = []
            for ch in channels(f, tmp):
                segments, _ = model.transcribe(str(ch), beam_size=args.beam, vad_filter=True,
                                               language="en", condition_on_previous_text=False)
                texts.append(" ".join(s.text.strip() for s in segments))
            wall = time.time() - t0
            total_audio += dur
            total_wall += wall
            line = f"{f.name}: {dur:.1f} s audio in {wall:.2f} s = {dur / wall:.1f}x real time"
            ref = f.with_suffix(".json")
            if ref.exists() and len(texts) == 2:
                script = json.loads(ref.read_text())
                agent_ch = 0 if script.get("agent_channel", "left") == "left" else 1
                for who, ch in (("agent", agent_ch), ("customer", 1 - agent_ch)):
                    truth = " ".join(t["text"] for t in script["turns"] if t["speaker"] == who)
                    line += f" | {who} WER {100 * wer(truth, texts[ch]):.1f}%"
            print(line)
    print(f"total: {total_audio:.1f} s audio in {total_wall:.2f} s = {total_audio / total_wall:.1f}x real time")


if __name__ == "__main__":
    sys.exit(main())
