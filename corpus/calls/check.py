#!/usr/bin/env python3
"""Checks the labelled call corpus against the rules of README.md: every transcript readable, every label on an
utterance that exists and of the right speaker, times that never go back, the call's next step consistent with its
utterances' labels. Prints a summary per folder; exits 1 on the first folder with an error.

    python3 corpus/calls/check.py [FOLDER ...]     (default: every folder under corpus/calls)
"""
import collections
import glob
import json
import os
import sys

KINDS = {"price", "timing", "competitor", "no_need", "authority", "trust"}
STAGES = {"greeting", "discovery", "presentation", "objections", "next_step"}
HERE = os.path.dirname(os.path.abspath(__file__))


def check_folder(folder):
    errors, files = [], set()
    kinds, stages = collections.Counter(), collections.Counter()
    steps, quality = collections.Counter(), collections.Counter()
    calls = 0
    for labels_path in sorted(glob.glob(os.path.join(folder, "labels*.jsonl"))):
        for n, line in enumerate(open(labels_path, encoding="utf-8"), 1):
            if not line.strip():
                continue
            where = f"{os.path.relpath(labels_path, HERE)}:{n}"
            try:
                call = json.loads(line)
            except json.JSONDecodeError as e:
                errors.append(f"{where}: not JSON: {e}")
                continue
            name = call.get("file")
            if name in files:
                errors.append(f"{where}: {name} labelled twice")
            files.add(name)
            try:
                transcript = json.load(open(os.path.join(folder, name), encoding="utf-8"))
            except (OSError, TypeError, json.JSONDecodeError) as e:
                errors.append(f"{where}: transcript {name}: {e}")
                continue
            calls += 1
            utterances = transcript.get("utterances", [])
            last = 0.0
            for i, u in enumerate(utterances):
                if u.get("speaker") not in ("rep", "client"):
                    errors.append(f"{name}: utterance {i}: speaker {u.get('speaker')!r}")
                if not (isinstance(u.get("start"), (int, float)) and isinstance(u.get("end"), (int, float))):
                    errors.append(f"{name}: utterance {i}: start/end not numbers")
                    continue
                if u["start"] < last - 0.01 or u["end"] < u["start"]:
                    errors.append(f"{name}: utterance {i}: time goes back ({u['start']}–{u['end']} after {last})")
                last = max(last, u["end"])
                if not str(u.get("text", "")).strip():
                    errors.append(f"{name}: utterance {i}: empty text")
            if call.get("lang") not in ("ru", "en"):
                errors.append(f"{where}: lang {call.get('lang')!r}")
            if call.get("rep_quality") not in ("good", "average", "poor"):
                errors.append(f"{where}: rep_quality {call.get('rep_quality')!r}")
            quality[call.get("rep_quality")] += 1
            seen_u, last_step = set(), None
            in_order = sorted(call.get("labels", []), key=lambda l: l["u"] if isinstance(l.get("u"), int) else -1)
            for label in in_order:
                u = label.get("u")
                if not isinstance(u, int) or not 0 <= u < len(utterances):
                    errors.append(f"{where}: label on utterance {u!r}, the call has {len(utterances)}")
                    continue
                if u in seen_u:
                    errors.append(f"{where}: utterance {u} labelled twice (merge the labels)")
                seen_u.add(u)
                speaker = utterances[u].get("speaker")
                for kind, handled in label.get("objections", {}).items():
                    if kind not in KINDS or not isinstance(handled, bool):
                        errors.append(f"{where}: utterance {u}: objection {kind!r}: {handled!r}")
                    if speaker != "client":
                        errors.append(f"{where}: utterance {u}: an objection on the rep's words")
                    kinds[kind] += 1
                for stage in label.get("stages", []):
                    if stage not in STAGES:
                        errors.append(f"{where}: utterance {u}: stage {stage!r}")
                    if speaker != "rep":
                        errors.append(f"{where}: utterance {u}: a stage on the client's words")
                    stages[stage] += 1
                step = label.get("next_step")
                if step is not None:
                    expected = "rep" if step == "proposed" else "client"
                    if step not in ("proposed", "agreed", "declined") or speaker != expected:
                        errors.append(f"{where}: utterance {u}: next_step {step!r} on the {speaker}'s words")
                    if step == "proposed" and "next_step" not in label.get("stages", []):
                        errors.append(f"{where}: utterance {u}: a proposed next step without the next_step stage")
                    last_step = step
            agreed = call.get("next_step_agreed")
            if not isinstance(agreed, bool):
                errors.append(f"{where}: next_step_agreed {agreed!r}")
            elif agreed != (last_step == "agreed"):
                errors.append(f"{where}: next_step_agreed {agreed} but the last next-step label is {last_step!r}")
            steps["agreed" if agreed else "not agreed"] += 1
    on_disk = {os.path.basename(p) for p in glob.glob(os.path.join(folder, "*.json"))}
    for name in sorted(on_disk - files):
        errors.append(f"{name}: not in a labels file")
    print(f"{os.path.relpath(folder, HERE)}: {calls} calls; objections {dict(sorted(kinds.items()))}; "
          f"stages {dict(sorted(stages.items()))}; next step {dict(steps)}; reps {dict(quality)}")
    for e in errors:
        print("  ✘", e)
    return not errors


def main():
    folders = sys.argv[1:] or sorted(
        os.path.dirname(p) for p in glob.glob(os.path.join(HERE, "*", "*", "labels*.jsonl")))
    folders = sorted(set(os.path.abspath(f) for f in folders))
    ok = all([check_folder(f) for f in folders])
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
