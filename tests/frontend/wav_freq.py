#!/usr/bin/env python3
"""Prints the fundamental frequency of a mono 16-bit WAV file, measured by counting rising
zero crossings (no FFT) after skipping the first SKIP seconds (the speaker's high-pass filter
settling). Also prints the sample rate and the peak level.

usage: wav_freq.py FILE [SKIP]
"""
import struct
import sys
import wave

path = sys.argv[1]
skip = float(sys.argv[2]) if len(sys.argv) > 2 else 0.1
with wave.open(path, "rb") as w:
    assert w.getnchannels() == 1 and w.getsampwidth() == 2, "mono 16-bit expected"
    rate = w.getframerate()
    data = w.readframes(w.getnframes())
samples = struct.unpack("<%dh" % (len(data) // 2), data)[int(skip * rate):]
crossings = [i for i in range(1, len(samples)) if samples[i - 1] < 0 <= samples[i]]
peak = max((abs(s) for s in samples), default=0)
if len(crossings) < 2:
    print("rate %d freq 0 peak %d" % (rate, peak))
else:
    freq = (len(crossings) - 1) * rate / (crossings[-1] - crossings[0])
    print("rate %d freq %.2f peak %d" % (rate, freq, peak))
