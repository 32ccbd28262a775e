#!/usr/bin/env python3
"""A validation corpus for alert rules, disjoint from every NAB file: real series from the repository's data/ (ETTh1's
seven columns in two halves, Melbourne daily minimum temperatures) with anomalies of the kinds NAB labels
injected after the probationary 15 %, written as a NAB corpus folder and a combined_windows.json.

    scripts/synthetic-nab.py OUT_DIR [--data data] [--seed 1]
    java -jar target/lstm-forecast.jar evaluate --task nab --corpus OUT_DIR/synthetic --labels OUT_DIR/labels.json

Kinds: spike, level shift, stuck sensor (flat line), noise burst, drift, drop-out to the series' minimum, a change
to calmer behaviour (low and steady, small noise), a slow drift into failure (a ramp over a whole window that ends in
a drop to the minimum) and a frequency change (the series runs twice as fast). Several seeds give a larger corpus:
each seed's files are named with it (`--seed 2` writes *_s2.csv), so the folders of several runs can be merged.
Windows as NAB draws them: 10 % of the file's length divided by its number of anomalies, centred on the onset.
Standard library only.
"""
import argparse
import csv
import datetime
import json
import os
import random
import statistics

KINDS = ["spike", "shift", "stuck", "noise", "drift", "dropout", "calm", "slowdrift", "frequency"]


def series(data):
    """(name, values) of every base series."""
    out = []
    with open(os.path.join(data, "ett", "ETTh1.csv")) as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    for c in range(1, len(header)):
        col = [float(r[c]) for r in body]
        out.append(("etth1_%s_a" % header[c].lower(), col[:8000]))
        out.append(("etth1_%s_b" % header[c].lower(), col[8000:16000]))
    with open(os.path.join(data, "misc", "daily-min-temperatures.csv")) as f:
        out.append(("melbourne_min_temp", [float(r[1]) for r in list(csv.reader(f))[1:]]))
    return out


def inject(values, kind, at, length, window, rnd):
    """Changes values in place around row `at` (the onset); returns nothing."""
    std = statistics.pstdev(values[max(0, at - 500):at]) or 1.0
    sign = rnd.choice([-1, 1])
    end = min(len(values), at + length)
    if kind == "spike":
        values[at] += sign * rnd.uniform(6, 12) * std
    elif kind == "shift":
        for i in range(at, end):
            values[i] += sign * 3 * std
    elif kind == "stuck":
        for i in range(at, end):
            values[i] = values[at]
    elif kind == "noise":
        for i in range(at, end):
            values[i] += rnd.gauss(0, 3 * std)
    elif kind == "drift":
        for i in range(at, end):
            values[i] += sign * 4 * std * (i - at) / max(1, end - at)
    elif kind == "dropout":
        low = min(values)
        for i in range(at, end):
            values[i] = low
    elif kind == "calm":
        # Low and steady for a whole window: the level of the recent lowest tenth, a tenth of the usual noise.
        recent = sorted(values[max(0, at - 500):at])
        level = recent[len(recent) // 10]
        for i in range(at, min(len(values), at + window)):
            values[i] = level + rnd.gauss(0, 0.1 * std)
    elif kind == "slowdrift":
        # A slow drift into failure: 4 std over three quarters of a window (from a quarter before the onset),
        # then as slowly back, so no step anywhere gives it away.
        ramp = 3 * window // 4
        first = at - window // 4
        for i in range(first, min(len(values), first + 2 * ramp)):
            k = i - first
            values[i] += sign * 4 * std * (k if k < ramp else 2 * ramp - k) / ramp
    elif kind == "frequency":
        # The series runs twice as fast for a whole window: row i shows row at + 2 (i - at), joined at the onset.
        source = list(values)
        for i in range(at, min(len(values), at + window)):
            j = min(len(source) - 1, at + 2 * (i - at))
            values[i] = source[j] - source[at] + source[at - 1]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--data", default="data")
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    rnd = random.Random(a.seed)
    folder = os.path.join(a.out, "synthetic")
    os.makedirs(folder, exist_ok=True)
    labels = {}
    t0 = datetime.datetime(2020, 1, 1)
    for name, values in series(a.data):
        values = list(values)
        n = len(values)
        probation = min(int(0.15 * n), 750)
        count = rnd.choice([1, 2, 3])
        window = int(0.1 * n / count)
        # Onsets spread over the scored part, at least a window apart.
        slots = sorted(rnd.sample(range(count * 2), count))
        onsets = [probation + window + int(s * (n - probation - 2 * window) / (count * 2)) for s in slots]
        windows = []
        for at in onsets:
            kind = rnd.choice(KINDS)
            inject(values, kind, at, rnd.randint(window // 8, window // 3), window, rnd)
            print("%s: %s at row %d" % (name, kind, at))
            lo, hi = max(0, at - window // 2), min(n - 1, at + window // 2)
            windows.append([str(t0 + datetime.timedelta(hours=lo)) + ".000000",
                            str(t0 + datetime.timedelta(hours=hi)) + ".000000"])
        file = "%s_s%d.csv" % (name, a.seed)
        with open(os.path.join(folder, file), "w") as f:
            f.write("timestamp,value\n")
            for i, v in enumerate(values):
                f.write("%s,%.6g\n" % (t0 + datetime.timedelta(hours=i), v))
        labels["synthetic/" + file] = windows
    with open(os.path.join(a.out, "labels.json"), "w") as f:
        json.dump(labels, f, indent=1)


if __name__ == "__main__":
    main()
