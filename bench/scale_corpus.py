#!/usr/bin/env python3
"""Generate a corpus of near-duplicate 项目支出绩效自评报告 from the seed reports, the way a
province's reports look: counties whose offices copy each other's 存在问题/改进措施, one
template that every report of a county shares (the form's headings and 填报说明), names and
figures varied from report to report, and a few reports re-sent with small edits.

Each generated file holds one report (a .txt, the seed text with its figures and names
changed). Deterministic for a given seed.

Usage: python bench/scale_corpus.py OUT_DIR --reports N [--seed S]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SEEDS = REPO / "tests" / "data" / "seeds"

COUNTIES_PER_100 = 5  # a county has about 20 reports
_NUM = re.compile(r"\d+(?:\.\d+)?")
_SEED_PLACES = ("山丹县", "子洲县", "忻州经济开发区", "忻州", "和平县", "山丹")
_SURNAMES = "东西南北中上下新安平和永宁长清河源高兴广临云丰嘉"
_OFFICES = ("农业农村局", "教育局", "卫生健康局", "交通运输局", "水利局", "民政局", "文化和旅游局",
            "自然资源局", "住房和城乡建设局", "市场监督管理局", "人力资源和社会保障局", "林业和草原局")
_PROJECTS = ("高标准农田建设", "义务教育营养改善计划", "基层医疗卫生机构运行补助", "农村公路养护",
             "小型水库维修养护", "困难群众救助", "公共文化服务体系建设", "耕地保护补偿",
             "老旧小区改造", "食品安全抽检", "就业创业补贴", "森林防火")
# the county's shared template: 填报说明 every report of the county carries
_TEMPLATE = (
    "填报说明：本报告依据《项目支出绩效评价管理办法》和本级财政部门关于开展{year}年度项目支出绩效自评工作的通知编制，"
    "自评内容包括项目基本情况、绩效目标实现情况、资金使用情况、存在问题及改进措施，自评结果作为以后年度预算安排的重要依据。\n"
    "自评工作由单位主要负责人牵头，财务、业务科室共同参与，对照年初设定的绩效目标逐项核实完成情况，确保数据真实、准确、完整。\n"
)
# passages a county's offices copy from each other (with small edits)
_SHARED_PROBLEMS = (
    "一是绩效管理理念还需进一步强化，部分工作人员对预算绩效管理的认识不够深入，重资金分配轻绩效管理的现象仍然存在；"
    "二是绩效目标设置还不够科学合理，部分指标量化程度不高，可衡量性和可考核性有待加强；"
    "三是项目实施过程中的跟踪监控还不够到位，资金支出进度与项目实施进度衔接不够紧密。",
    "一是进一步加强预算绩效管理培训，提高全体干部职工的绩效意识，切实做到花钱必问效、无效必问责；"
    "二是科学合理设置绩效目标，细化量化绩效指标，提高绩效目标的可衡量性和可考核性；"
    "三是加强项目实施过程的绩效监控，及时发现和纠正执行偏差，确保绩效目标如期实现。",
    "通过项目的实施，有效保障了单位各项工作的正常开展，提升了公共服务能力和水平，"
    "群众满意度明显提高，取得了良好的经济效益、社会效益和生态效益，达到了预期的绩效目标。",
)


def seed_reports() -> list[str]:
    """The text of every report in the seed files (files that hold several are split)."""
    from reviewer.parse import parse_file

    out = []
    for p in sorted(SEEDS.glob("*.txt")):
        pf = parse_file(str(p))
        for r in pf.reports:
            out.append(pf.source.text[r.start:r.end])
    return out


def vary_numbers(text: str, rng: random.Random) -> str:
    """Scale each figure by a random factor, keeping its number of decimals; years and
    small ordinals stay as they are."""
    def one(m: re.Match) -> str:
        s = m.group(0)
        if "." not in s and (len(s) <= 1 or 1990 <= int(s) <= 2035):
            return s
        v = float(s) * rng.uniform(0.6, 1.6)
        dec = len(s.split(".")[1]) if "." in s else 0
        return f"{v:.{dec}f}" if dec else str(max(1, int(round(v))))
    return _NUM.sub(one, text)


def mutate(text: str, rng: random.Random, rate: float = 0.02) -> str:
    """A re-typed copy: a few characters dropped, doubled or swapped with a neighbour."""
    chars = list(text)
    for _ in range(max(1, int(len(chars) * rate))):
        i = rng.randrange(len(chars))
        op = rng.random()
        if op < 0.4:
            chars[i] = ""
        elif op < 0.7:
            chars[i] = chars[i] * 2
        elif i + 1 < len(chars):
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
    return "".join(chars)


def county_name(k: int) -> str:
    a, b = _SURNAMES[k % len(_SURNAMES)], _SURNAMES[(k * 7 + 3) % len(_SURNAMES)]
    return f"{a}{b}县" if k < len(_SURNAMES) ** 2 else f"{a}{b}{k}县"


def generate(n: int, seed: int = 1) -> list[tuple[str, str]]:
    """``n`` reports as (file name, text)."""
    rng = random.Random(seed)
    bases = seed_reports()
    counties = max(1, n * COUNTIES_PER_100 // 100)
    out: list[tuple[str, str]] = []
    for i in range(n):
        c = i % counties
        crng = random.Random(seed * 1_000_003 + c)
        place = county_name(c)
        office = _OFFICES[rng.randrange(len(_OFFICES))]
        project = _PROJECTS[rng.randrange(len(_PROJECTS))]
        year = 2020 + crng.randrange(5)
        text = bases[rng.randrange(len(bases))]
        for old in _SEED_PLACES:
            text = text.replace(old, place)
        text = vary_numbers(text, rng)
        head = f"{place}{office}{year}年度{project}项目支出绩效自评报告\n"
        parts = [head, _TEMPLATE.format(year=year), text]
        # offices of one county copy the county's stock passages, each with its own typos
        picked = [p for p in _SHARED_PROBLEMS if rng.random() < 0.5]
        if picked:
            parts.append("\n存在问题及改进措施\n" + "\n".join(mutate(p, rng, 0.01) for p in picked) + "\n")
        body = "".join(parts)
        if out and rng.random() < 0.05:  # a report re-sent with small edits
            body = mutate(out[-1][1], rng, 0.003)
        out.append((f"{place}_{i:06d}.txt", body))
    return out


def write_corpus(dest: Path, n: int, seed: int = 1) -> list[Path]:
    dest.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in generate(n, seed):
        p = dest / name
        p.write_text(text, encoding="utf-8")
        paths.append(p)
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--reports", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    paths = write_corpus(a.out, a.reports, a.seed)
    print(f"{len(paths)} reports in {a.out}, {sum(p.stat().st_size for p in paths) / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
