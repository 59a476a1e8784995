#!/usr/bin/env python3
"""Verify the holdout2 set: headers, label schema, verbatim quotes, counts per kind."""
import json, re, sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent
KINDS = {"arithmetic", "contradiction", "missing", "boilerplate", "vague_problems", "score_inflation", "format"}
CONF = {"high", "medium", "low"}
HEADER = "# source: synthetic-holdout-2"
WS = re.compile(r"\s+")

errors, warnings = [], []
kinds, conf = Counter(), Counter()
reports = sorted((ROOT / "reports").glob("*.txt"))
labels = sorted((ROOT / "labels").glob("*.json"))
if [p.stem for p in reports] != [p.stem for p in labels]:
    errors.append(f"report/label stems differ: {[p.stem for p in reports]} vs {[p.stem for p in labels]}")
clean = 0
for rp in reports:
    raw = rp.read_text(encoding="utf-8")
    first, body = raw.split("\n", 1)
    if first != HEADER:
        errors.append(f"{rp.name}: bad first line {first!r}")
    lp = ROOT / "labels" / (rp.stem + ".json")
    if not lp.exists():
        continue
    d = json.loads(lp.read_text(encoding="utf-8"))
    for k in ("report", "project", "clean_aspects", "defects"):
        if k not in d:
            errors.append(f"{lp.name}: missing key {k}")
    if not d["defects"]:
        clean += 1
    squashed = WS.sub("", body)
    for i, x in enumerate(d["defects"]):
        if x.get("kind") not in KINDS:
            errors.append(f"{lp.name}[{i}]: bad kind {x.get('kind')}")
        if x.get("confidence") not in CONF:
            errors.append(f"{lp.name}[{i}]: bad confidence {x.get('confidence')}")
        if not x.get("explanation"):
            errors.append(f"{lp.name}[{i}]: no explanation")
        kinds[x["kind"]] += 1
        conf[x.get("confidence")] += 1
        if not x.get("quote"):
            errors.append(f"{lp.name}[{i}]: no quote")
        for q in x.get("quote", []):
            if q not in body:
                errors.append(f"{lp.name}[{i}]: quote not verbatim: {q!r}")
                continue
            n = len(WS.sub("", q))
            if n < 4:
                errors.append(f"{lp.name}[{i}]: quote too short: {q!r}")
            elif n < 6 or n > 40:
                warnings.append(f"{lp.name}[{i}]: quote length {n}: {q[:30]!r}")
            if squashed.count(WS.sub("", q)) > 1:
                warnings.append(f"{lp.name}[{i}]: quote occurs {squashed.count(WS.sub('', q))}x: {q[:30]!r}")
    print(f"{rp.stem:34s} defects {len(d['defects']):2d}  {dict(Counter(x['kind'] for x in d['defects']))}")

print(f"\nreports {len(reports)}, clean {clean}")
print("per kind:", dict(sorted(kinds.items())), "total", sum(kinds.values()))
print("per confidence:", dict(conf))
for w in warnings:
    print("WARN", w)

# ---- arithmetic behind clean aspects and expected values (all in 万元 unless noted) ----
def close(a, b, tol=0.01):
    return abs(a - b) <= tol
NUM = {
 "01 funding parts": close(120.00 + 38.50 + 34.10, 192.60),
 "01 执行率 92.60%": close(178.35 / 192.60 * 100, 92.60),
 "01 breakdown is 179.35 (defect)": close(96.20 + 31.45 + 42.80 + 8.90, 179.35),
 "01 central share 62.3% (defect 65.2)": close(120 / 192.60 * 100, 62.31),
 "01 elderly score 7.54": close(3016 / 3200 * 8, 7.54),
 "01 table total 99.7": close(10 + 8+8+7+7+5+5+5+5 + 10+10+9.7 + 10, 99.7),
 "02 执行率": close(286.50 / 300 * 100, 95.50),
 "02 pumps 39.10 (defect 41.10)": close(46 * 0.85, 39.10),
 "02 pipes": close(18.6 * 5.2, 96.72),
 "02 unit cost 2.6": close(286.50 / 110, 2.60),
 "02 total": close(9.55 + 15+10+10+5+5+5 + 10+10+10 + 10, 99.55),
 "02 water score 4.78": close(86 / 90 * 5, 4.78),
 "03 area": close(32.5 + 21.8 + 24.6 + 7.5, 86.4),
 "03 lots": close(128.70 + 121.50 + 106.20, 356.40),
 "03 spend": close(356.40 + 38.20 + 17.00, 411.60),
 "03 执行率": close(411.60 / 420 * 100, 98.00),
 "03 plants": close(11600 / 12000 * 8, 7.73),
 "03 unit price ~4.1": close(356.40 / 86.4, 4.1, 0.05),
 "03 survey": close(432 / 472 * 100, 91.5, 0.05),
 "03 total": close(9.80 + 10+7.73+7+10+5+5+5 + 30 + 10, 99.53),
 "04 people 1627 (defect 1672)": 412 + 86 + 134 + 958 + 37 == 1627,
 "04 funds": close(968.20 + 201.50 + 116.70, 1286.40) and close(392.60 + 781.30 + 60.68 + 51.82, 1286.40),
 "04 widows": close(37 * 16400 / 1e4, 60.68),
 "04 visits 16.00 (defect 18.00)": close(320 * 500 / 1e4, 16.00),
 "04 parts": 10 + 46 + 22 + 10 == 88,
 "05 funds 560 (defect 580)": close(320 + 240, 560),
 "05 执行率": close(548.80 / 560 * 100, 98.00),
 "05 per school": close(548.80 / 14, 39.20),
 "05 per m2": close(548.80e4 / 21600, 254, 0.5),
 "05 weights 95 (defect 100)": 10 + 10+10+10+10+5 + 10+10+10 + 10 == 95,
 "05 scores": close(9.8 + 45 + 30 + 10, 94.8),
 "06 executed parts 88.40 (defect 87.40)": close(77.40 + 11.00, 88.40),
 "06 budget parts": close(82.00 + 13.00, 95.00),
 "06 执行率 92.00 (defect 94.20)": close(87.40 / 95 * 100, 92.00),
 "06 training 6.4": close(16 / 20 * 8, 6.4),
 "06 stated rows": close(9.42 + 50 + 29 + 11, 99.42),
 "07 events 38 (defect 36)": 18 + 14 + 6 == 38,
 "07 spend": close(12.60 + 18.00 + 15.40 + 12.50, 58.50) and close(42 * 3000 / 1e4, 12.60),
 "07 执行率": close(58.50 / 65 * 100, 90),
 "08 执行率 80 (defect 85)": close(96 / 120 * 100, 80),
 "08 subjects 3430 (defect 3420)": 865 + 2415 + 150 == 3430,
 "08 个转企 28.00 (defect 25.80)": close(56 * 5000 / 1e4, 28.00) and close(28 + 32 + 36, 96),
 "08 parts 89 (defect 91)": 45 + 27 + 9 + 8 == 89,
 "08 survey": close(182 / 186 * 100, 97.8, 0.05),
 "09 subsidy": close(236 * 800 * 12 / 1e4, 226.56) and close(226.56 + 21.44, 248) and close(230 + 18, 248),
 "09 办结率 score": close(91.3 / 95 * 10, 9.61),
 "09 total": close(10 + 10+5+10+9.61+10+5 + 30 + 10, 99.61),
 "09 survey": close(561 / 600 * 100, 93.5),
 "10 funds": close(90 + 66, 156) and close(118 * 1200 / 1e4, 14.16),
 "10 spend": close(14.16 + 23.60 + 38.40 + 68.52 + 8.20, 152.88),
 "10 执行率": close(152.88 / 156 * 100, 98.00),
 "10 drills": close(28 / 30 * 10, 9.33) and close(9.80 + 49.33 + 30 + 10, 99.13),
 "10 survey": close(279 / 300 * 100, 93.0),
 "11 total 99.53 (defect 100)": close(10 + 9.53+10+10+10+5+5 + 10+10+10 + 10, 99.53),
 "11 legal aid": close(286 / 300 * 10, 9.53),
 "12 share 83.3 (defect 80)": close(500 / 600 * 100, 83.33),
 "12 avg 13.13 (defect 13.50)": close(420 / 32, 13.13, 0.006) and close(32 * 13.5, 432),
 "12 spend": close(5.8 * 15, 87) and close(420 + 87 + 33, 540) and close(540 / 600 * 100, 90),
 "12 配套率 9.79": close(95 / 97 * 10, 9.79),
 "12 total": close(9 + 10+10+10+8+10 + 15+10+5 + 10, 97),
 "12 survey": close(131 / 142 * 100, 92.3, 0.05),
}
for k, ok in NUM.items():
    if not ok:
        errors.append(f"number check failed: {k}")
print(f"number checks: {sum(NUM.values())}/{len(NUM)} pass")
if len(reports) != 12:
    errors.append("expected 12 reports")
for e in errors:
    print("ERROR", e)
sys.exit(1 if errors else 0)
