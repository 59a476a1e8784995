#!/usr/bin/env python3
"""Check the hold-out set: every label quote is a verbatim substring of its report
(after the first '# source:' line), JSON schema, and print counts per kind."""
import json, re, sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent
KINDS = {"arithmetic", "contradiction", "missing", "boilerplate", "vague_problems", "score_inflation", "format"}
CONFS = {"high", "medium", "low"}
WS = re.compile(r"\s+")
errors, warns = [], []
kinds, confs = Counter(), Counter()
reports = sorted((ROOT / "reports").glob("*.txt"))
labels = sorted((ROOT / "labels").glob("*.json"))
if {p.stem for p in reports} != {p.stem for p in labels}:
    errors.append(f"report/label mismatch: {sorted({p.stem for p in reports} ^ {p.stem for p in labels})}")
for lab in labels:
    rep = ROOT / "reports" / (lab.stem + ".txt")
    if not rep.exists():
        continue
    raw = rep.read_text(encoding="utf-8")
    first, body = raw.split("\n", 1)
    if first != "# source: synthetic-holdout":
        errors.append(f"{rep.name}: bad first line {first!r}")
    hay = WS.sub("", body)
    d = json.loads(lab.read_text(encoding="utf-8"))
    for key in ("report", "project", "clean_aspects", "defects"):
        if key not in d:
            errors.append(f"{lab.name}: missing key {key}")
    for i, x in enumerate(d.get("defects", [])):
        if x.get("kind") not in KINDS:
            errors.append(f"{lab.name}#{i}: bad kind {x.get('kind')}")
        if x.get("confidence", "high") not in CONFS:
            errors.append(f"{lab.name}#{i}: bad confidence {x.get('confidence')}")
        if not x.get("quote"):
            errors.append(f"{lab.name}#{i}: no quote")
        for q in x.get("quote", []):
            if q not in body:
                errors.append(f"{lab.name}#{i}: quote not verbatim: {q!r}")
                continue
            n = len(WS.sub("", q))
            if n < 4:
                errors.append(f"{lab.name}#{i}: quote too short: {q!r}")
            elif n < 6 or n > 45:
                warns.append(f"{lab.name}#{i}: quote length {n}: {q[:30]!r}")
            occ = hay.count(WS.sub("", q))
            if occ > 2:
                warns.append(f"{lab.name}#{i}: quote occurs {occ}× in report: {q[:30]!r}")
        kinds[x.get("kind")] += 1
        confs[x.get("confidence", "high")] += 1
    print(f"{lab.stem:32s} defects {len(d.get('defects', [])):2d}  clean_aspects {len(d.get('clean_aspects', []))}")
print("\nper kind:", dict(sorted(kinds.items())))
print("per confidence:", dict(confs))
print("total defects:", sum(kinds.values()), "reports:", len(reports))
for w in warns:
    print("WARN", w)
for e in errors:
    print("ERROR", e)
sys.exit(1 if errors else 0)
