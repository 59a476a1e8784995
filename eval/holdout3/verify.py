#!/usr/bin/env python3
"""Verify holdout3: headers, label schema, verbatim quotes, and every planted/clean number."""
import json, re, sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent
KINDS = {"arithmetic", "contradiction", "missing", "boilerplate", "vague_problems", "score_inflation", "format"}
HEADER = "# source: synthetic-holdout-3"
err = []
def check(cond, msg):
    if not cond: err.append(msg)

def close(a, b, tol=0.005):
    return abs(a - b) <= tol

reports = sorted((ROOT / "reports").glob("*.txt"))
labels = sorted((ROOT / "labels").glob("*.json"))
check(len(reports) == 10, f"expected 10 reports, got {len(reports)}")
check([p.stem for p in reports] == [p.stem for p in labels], "reports/labels stems differ")
kinds = Counter(); conf = Counter(); clean = []
body = {}
for rp in reports:
    raw = rp.read_text(encoding="utf-8")
    first, rest = raw.split("\n", 1)
    check(first == HEADER, f"{rp.name}: bad first line")
    body[rp.stem] = rest
    lab = json.loads((ROOT / "labels" / (rp.stem + ".json")).read_text(encoding="utf-8"))
    for key in ("report", "project", "clean_aspects", "defects"):
        check(key in lab, f"{rp.stem}: missing key {key}")
    if not lab["defects"]:
        clean.append(rp.stem)
    squashed = re.sub(r"\s+", "", rest)
    for d in lab["defects"]:
        check(d["kind"] in KINDS, f"{rp.stem}: bad kind {d['kind']}")
        check(d.get("confidence", "high") in ("high", "medium", "low"), f"{rp.stem}: bad confidence")
        check(d.get("explanation"), f"{rp.stem}: no explanation")
        kinds[d["kind"]] += 1; conf[d.get("confidence", "high")] += 1
        for q in d["quote"]:
            check(q in rest, f"{rp.stem}: quote not verbatim: {q!r}")
            n = len(re.sub(r"\s+", "", q))
            check(6 <= n <= 40, f"{rp.stem}: quote length {n}: {q!r}")
            check(re.sub(r"\s+", "", q) in squashed, f"{rp.stem}: squashed quote missing {q!r}")
    if lab["defects"]:
        check(5 <= len(lab["defects"]) <= 10, f"{rp.stem}: {len(lab['defects'])} defects")
check(len(clean) == 2, f"expected 2 clean reports, got {clean}")

def has(stem, s):
    check(s in body[stem], f"{stem}: expected text {s!r}")

# ---- numbers, report by report (stated value in text; expected value computed) ----
# 01 殡葬
check(close(652 * 1200 / 1e4, 78.24), "01 652*1200"); has("01_binzang", "减免金额共计78.24万元")
check(close(86.4 - 78.24, 8.16), "01 结余"); has("01_binzang", "结余资金8.16万元")
r = 78.24 / 86.4 * 100; check(close(round(r, 2), 90.56) and not close(r, 92.56, 0.1), "01 执行率"); has("01_binzang", "92.56%")
check(652 < 700, "01 target shortfall")
# 02 客运
check(close(300 + 20, 320) and close(336 + 20, 356) and close(321.8 + 20, 341.8), "02 funding rows")
check(close(320 + 36, 356) and 365 != 356, "02 全年预算"); has("02_keyun", "全年预算数365万元")
r = 341.8 / 356 * 100; check(close(round(r, 2), 96.01), "02 执行率"); check(close(round(r / 10, 2), 9.60), "02 执行率得分")
check(close(round(46 / 48 * 10, 2), 9.58), "02 线路 score"); check(close(round(128 / 132 * 10, 2), 9.70), "02 车辆 score")
check(close(round(341.8 / 128, 2), 2.67), "02 每车补贴"); check(close(360 / 375 * 100, 96), "02 满意度"); has("02_keyun", "满意的360份")
t02 = 9.60 + 10 + 9.70 + 10 + 10 + 10 + 15 + 15 + 10; check(close(t02, 99.30), f"02 table total {t02}"); has("02_keyun", "总分\t100\t99.30")
check(10 + 10 + 10 + 10 + 10 + 10 + 15 + 15 + 10 == 100, "02 weights")
# 03 见习
check(close(round(128.6 / 150 * 100, 2), 85.73), "03 执行率"); has("03_jianxi", "预算执行率为85.73%")
check(close(round(262 / 300 * 100, 2), 87.33), "03 完成率"); has("03_jianxi", "完成年度目标的87.33%")
check(close(round(141 / 262 * 100, 2), 53.82), "03 留用率"); has("03_jianxi", "58.3%")
# 04 两癌
check(close(56 + 24, 80) and close(80 + 16, 96), "04 funding"); check(12436 + 11850 == 24286, "04 人次")
check(close(round(12436 * 48 / 1e4, 2), 59.69) and close(11850 * 30 / 1e4, 35.55), "04 unit costs")
check(close(59.69 + 35.55 + 0.76, 96), "04 cost total")
check(close(round(11850 / 12000 * 10, 2), 9.88), "04 乳腺 score"); has("04_liangai", "\t11850人\n\t10\n\t9.75")
check(close(round(86.5 / 90 * 10, 2), 9.61), "04 随访 score")
check(close(10 + 10 + 9.75 + 10 + 9.61 + 10 + 15 + 15 + 10, 99.36), "04 stated total")
check(23 + 9 == 32, "04 cases"); has("04_liangai", "共计34例")
check(close(294 / 300 * 100, 98), "04 满意度"); has("04_liangai", "满意的294份")
# 05 体育 (clean)
check(close(60 + 20, 80) and close(31.2 + 22.4 + 17.8 + 7.2, 78.6) and close(80 - 78.6, 1.4), "05 money")
check(close(round(78.6 / 80 * 100, 2), 98.25) and close(78.6 / 80 * 10, 9.83, 0.0051), "05 执行率")
check(close(36 / 40 * 10, 9), "05 活动 score"); check(close(27.4 / 25 * 100, 109.6) and 27.4 / 25 < 1.2 and 38 / 35 < 1.2, "05 over-achievement")
check(close(round(434 / 466 * 100, 2), 93.13), "05 满意度"); check(38.6 >= 38, "05 锻炼比例"); check(close(round(78.6 / 27.4, 2), 2.87), "05 单位成本"); has("05_tiyu", "每万人次服务成本2.87万元")
check(10 + 10 + 10 + 10 + 10 + 15 + 15 + 10 + 10 == 100, "05 weights")
t05 = 9.83 + 10 + 9 + 10 + 10 + 10 + 15 + 15 + 10; check(close(t05, 98.83), f"05 total {t05}"); check(close(10 + 9 + 10 + 10 + 10, 49), "05 产出")
check(close(100 - 98.83, 1 + 0.17), "05 deductions"); has("05_tiyu", "总分\t100\t98.83")
# 06 粮库
check(close(210 - 196.8, 13.2) and close(196.8 * 0.9, 177.12) and close(196.8 - 177.12, 19.68), "06 contract")
r = 177.12 / 210 * 100; check(close(round(r, 2), 84.34), "06 执行率"); has("06_liangku", "94.34%")
check(close(round(177.12 / 210 * 10, 2), 8.43), "06 执行率得分")
check(15 + 15 + 10 + 10 + 10 == 60 and 15 + 15 == 30, "06 weights 60/30 no 满意度")
check(close(8.43 + 60 + 30, 98.43), "06 max total")
# 07 消防
check(close(145 - 131.46, 13.54), "07 节约"); check(close(round(13.54 / 145 * 100, 2), 9.34), "07 节约率"); has("07_xiaofang", "节约率达10.3%")
check(close(round(131.46 / 145 * 100, 2), 90.66), "07 执行率"); has("07_xiaofang", "预算执行率90.66%")
# 08 环卫 (clean)
check(close(1236 + 44, 1280), "08 budget"); check(close(round(1236 / 146, 2), 8.47) and 8.47 <= 8.5, "08 每村")
check(close(241 / 250 * 100, 96.4) and 241 + 9 == 250, "08 办结率"); check(close(round(96.4 / 98 * 10, 2), 9.84), "08 办结 score")
check(close(round(135 / 146 * 100, 2), 92.47), "08 达标率"); check(close(round(536 / 600 * 100, 2), 89.33), "08 满意度")
check(193 / 180 < 1.2 and 97.6 >= 95 and 99.2 >= 98, "08 rows")
check(10 * 9 + 10 == 100, "08 weights"); t08 = 10 + 50 + 9.84 + 10 + 10 + 10; check(close(t08, 99.84), f"08 total {t08}")
has("08_huanwei", "总分\t100\t99.84")
# 09 养老
check(11 * 6 == 66 and 66 + 3 * 2 == 72, "09 money"); check(close(72 / 80 * 100, 90) and close(72 / 80 * 10, 9), "09 执行率")
check(close(round(5 / 11 * 100, 2), 45.45) and close(round(45.45 / 50 * 10, 2), 9.09), "09 星级")
check(close(round(11 / 12 * 10, 2), 9.17), "09 站点 score"); check(close(round((38520 / 33320 - 1) * 100, 1), 15.6), "09 增长")
check(10 + 10 + 10 + 5 + 10 == 45, "09 产出 weights"); check(10 + 45 + 30 + 10 == 95, "09 all weights")
t09 = 9 + 10 + 10 + 9.09 + 5 + 10 + 15 + 15 + 10; check(close(t09, 93.09), f"09 total {t09}"); has("09_yanglao", "自评得分95.09分")
# 10 村级
check(126 * 3 == 378 and 126 * 2 == 252 and 378 + 252 == 630 and 387 + 252 != 630, "10 money"); has("10_cunji", "共计387万元")

if err:
    print("FAIL"); [print(" -", e) for e in err]; sys.exit(1)
print("OK: 10 reports,", sum(kinds.values()), "labels; clean:", ", ".join(clean))
for k in sorted(KINDS): print(f"  {k:16s} {kinds[k]}")
print("  confidence:", dict(conf))
