#!/usr/bin/env bash
# Installs what scripts/make_samples.py and scripts/make_corpus.py need to synthesise calls:
# espeak-ng, sox (all formats), lame, oggenc, flac, and the MBROLA / RHVoice voices from Debian's
# contrib and non-free sections, which this script enables if they are not. Idempotent.
# Not needed to build or test callqa: generated test audio is committed, corpora are cached.
set -euo pipefail
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
src=/etc/apt/sources.list.d/debian.sources
if [ -f "$src" ] && ! grep -q 'non-free' "$src"; then
  echo "[install_tts] enabling contrib non-free non-free-firmware in $src" >&2
  $SUDO sed -i 's/^Components: main$/Components: main contrib non-free non-free-firmware/' "$src"
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
  espeak-ng sox libsox-fmt-all lame vorbis-tools flac \
  mbrola mbrola-us1 mbrola-us2 mbrola-us3 mbrola-en1 mbrola-hb2 mbrola-ar2 \
  rhvoice rhvoice-english rhvoice-russian >/dev/null
echo "[install_tts] ready: $(espeak-ng --version | head -1)" >&2
