"""Deterministic checks for generic text (no LLM):

J01  存在问题/改进措施 name nothing specific to the project (no figure, date, indicator,
     place or unit) and are mostly stock phrases, or 存在问题 states no problem at all.
J02  存在问题 ignores the deviations of the 自评表 (indicators below full score,
     执行率 below 100%) or says there is none.
R02  a sentence names another project than the report's own (copied from another
     report: "…疫情防控期间租车项目资金执行数…" in a 配餐 report).
R04  绩效目标完成情况 reports no result at all: no figure and no statement of what was
     achieved, only a description of evaluation methods or stock praise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reviewer.checks.completeness import EMPTY_WORDS, NEGATED_PROBLEM, no_problem_opening
from reviewer.structure.truncation import PAGE_MARK
from reviewer.models import Flag, ParsedFile, Report
from reviewer.structure.sections import innermost_section
from vectorstore.textutil import norm, paragraph_spans, squash
from reviewer.lazy_re import lazy

# ----------------------------------------------------------------------------- lexicons
# list numbering at the start of an item: 1. 1、 （1） (一) 一是 第一，
_NUMBERING = lazy(r"^\s*(?:[（(]?[0-9一二三四五六七八九十]+[)）.．、]|[一二三四五六七八九十]是|第[一二三四五六七八九十]+[，、]?)\s*")
_DIGIT = lazy(r"[0-9０-９]")
_DATE = lazy(r"[0-9０-９]{1,4}\s*(?:年|月|日|天|个月|季度)|[一二三四五六七八九十]+月")
_PLACE = lazy(r"(?<![我本该各其部分个别每全])(?!乡村)[\u4e00-\u9fff]{2,6}(?<![部分个别各每])(?:县|镇|乡|村|街道|社区|公司|酒店|宾馆|水库|园区|景区|[0-9]+号楼|会议室)(?!干部|教师|医生|群众)")
# the signature block after the last section: "松岩县教育局" / "2024年3月18日"
_ORG_NAME = r"[\u4e00-\u9fff（）()]{2,24}(?:局|办公室|中心|委员会|政府|管理处|站|所|院|馆|公司|单位|部|办)"
_SIGN_DATE = r"[0-9０-９]{4}\s*年\s*[0-9０-９]{1,2}\s*月\s*[0-9０-９]{1,2}\s*日"
_SIGNATURE = lazy(rf"^(?:{_ORG_NAME}|{_SIGN_DATE})$")
# the same block run onto the last sentence's line (a page copied without line breaks)
_TRAILING_SIGNATURE = lazy(rf"(?<=[。；;!！])\s+(?:{_ORG_NAME}\s*(?:{_SIGN_DATE})?|{_SIGN_DATE})\s*$")
# stock verbs / phrasings that fit any project
_STOCK = lazy(
    r"(?:进一步|不断|持续|切实|认真|严格|积极|努力|全面|继续|狠抓|扎实|精心|牢固|大力|着力|深入)"
    r"|^(?:我单位|本单位|我中心|我局|我办)?(?:将|要|应|需)?(?:加强|强化|提高|提升|完善|健全|建立|规范|确保|保证|促进|推进|落实|深化|优化|做好|树立|加大|总结|改进|科学|合理|明确|研究|制定|学习)"
    r"|(?:认识不够|认识不足|不够深入|有待(?:提高|加强|完善|进一步)|不够完善|不够健全|不够细化|不够规范|不够严格|意识不强|经验不足|能力不足|水平不高"
    r"|政治站位|责任担当|新台阶|新水平|新成效|新局面|高质量发展|存在一定差距|仍需|仍有待|标准模糊|因人而异|较为单一|使用单一|专款专用|及时沟通|沟通协调|按时完成|加快(?:项目)?进度|资金安全|使用效益|管理水平|业务能力|政治素质|工作作风"
    # slogans of any 改进措施: 压实工作责任, 营造良好氛围, 形成工作合力, 把实事办好办实
    r"|压实|营造[\u4e00-\u9fff]{0,4}氛围|形成(?:工作)?合力|办好办实|组织领导|责任落实|工作水平|服务水平|宣传力度"
    # and of any closing pledge: 总结经验，查找不足，提升群众的获得感、幸福感、安全感
    r"|总结经验|查找不足|获得感|幸福感|安全感|满意度和获得感)")
# words that say something is wrong
_PROBLEM = lazy(
    r"不足|问题|不够|不到位|不高|不强|不完善|不健全|不规范|不及时|不准确|不明确|不合理|不理想|不满意|未能|未按|未完成|未达到|未及时|未实现|未落实|尚未|"
    r"欠|滞后|延迟|推迟|延期|偏差|差距|困难|短板|薄弱|有待|缺乏|缺少|难以|无法|不能|较差|较慢|较低|偏低|偏高|超支|结余|结转|低于|没有|陈旧|老化|故障|隐患|风险|瓶颈|制约|压力")
# words that state a result in 绩效目标完成情况
_RESULT = lazy(r"完成|达到|实现|达标|合格|验收|建成|支付|发放|提高了|降低了|减少了|增加了|覆盖|满意度为|满意率|成效|显著|良好|到位|已[\u4e00-\u9fff]")
# template instructions and placeholders of a form, not the report's own words
_FORM = lazy(r"^(?:提示|备注|注|说明)\s*[:：]|限\s*\d+\s*条|\d+\s*字以内|^序号|^[\d\s.、/—-]*$")


@dataclass
class Piece:
    kind: str  # problems | measures
    start: int
    end: int
    text: str


def _strip_numbering(s: str) -> str:
    return _NUMBERING.sub("", s)


def _clauses(text: str) -> list[str]:
    out = []
    for c in re.split(r"[，,。；;！!？?\n]", text):
        c = _strip_numbering(c).strip(" \t　：:")
        if len(c) >= 2:
            out.append(c)
    return out


def indicator_names(report: Report) -> list[str]:
    out = []
    for r in report.indicators:
        if r.empty:
            continue
        n = norm(re.sub(r"^指标\s*\d+\s*[:：]", "", r.level3.text))
        if len(n) >= 4:
            out.append(n)
    return out


def specifics(text: str, report: Report, names: list[str] | None = None) -> list[str]:
    """What in ``text`` is specific to this project: figures, dates, places, indicators."""
    found = []
    body = " ".join(_strip_numbering(line) for line in text.splitlines())
    body = " ".join(_strip_numbering(c) for c in re.split(r"(?<=[。；;])", body))
    if _DATE.search(body):
        found.append("date")
    if _DIGIT.search(re.sub(r"[0-9]+[.、．)]", "", body)):
        found.append("figure")
    n = norm(text)
    # in text made of stock phrases, the project's own name (推动残疾儿童康复救助工作再上新台阶)
    # says nothing specific; in a plain statement (农村客运市场受网约车冲击) it names the subject
    project = norm(report.project or "") if stock_share(text) >= 0.5 else ""
    # (持续完善智慧社区服务功能 in a 智慧社区建设 report names the project, not a place)
    if any(not (project and norm(m.group())[-4:] in project) for m in _PLACE.finditer(body)):
        found.append("place")
    for name in names if names is not None else indicator_names(report):
        if any(name[k:k + 4] in n and name[k:k + 4] not in project for k in range(len(name) - 3)):
            found.append("indicator")
            break
    return found


def stock_share(text: str) -> float:
    cl = _clauses(text)
    if not cl:
        return 0.0
    return sum(1 for c in cl if _STOCK.search(c)) / len(cl)


def _section_pieces(parsed: ParsedFile, report: Report, kinds: set[str]) -> list[Piece]:
    """The text of the report's problems/measures parts (narrative sections and the
    cells of table rows labelled 存在问题 / 改进措施), one piece per paragraph run."""
    text = parsed.source.text
    out: list[Piece] = []
    heads = [(s.heading.start, s.heading.end) for s in report.sections]
    cur: Piece | None = None
    for sec in report.sections:
        if sec.kind in kinds:
            h = sec.heading
            m = _LABEL_END.search(h.text)
            rest = h.text[m.end():] if m else ""
            # "存在问题及下一步工作" is one heading of two parts, not a label with its answer
            if m and len(squash(re.sub(r"[（(][^）)]*[）)]", "", rest))) >= 6 and not re.match(r"\s*[及和与、]", rest):
                s0 = h.start + m.end()
                while s0 < h.end and h.text[s0 - h.start] in " \t　：:":
                    s0 += 1
                out.append(Piece(sec.kind, s0, h.end, text[s0:h.end]))
    for para in paragraph_spans(text, report.start, report.end):
        if any(a <= para.start and para.end <= b for a, b in heads):
            cur = None
            continue
        sec = innermost_section(report.sections, para.start)
        kind = sec.kind if sec else "other"
        if kind not in kinds:
            cur = None
            continue
        # a label line holds its own answer ("存在问题 无", "改进措施：…"): the part is the answer
        lead = next((b for a, b in heads if para.start <= a <= para.start + 2 and b < para.end), None)
        if lead is not None:
            while lead < para.end and text[lead] in " \t　：:|｜。,，":
                lead += 1
            stop = para.end
            while stop > lead and text[stop - 1] in " \t　|｜":  # a bar-framed row's closing bar
                stop -= 1
            para = type(para)(lead, stop)
        t = text[para.start:para.end]
        if PAGE_MARK.fullmatch(t):
            continue  # a page's footer inside the part: not its text, and not its end
        if _FORM.search(squash(t)) or _FORM.search(t.strip()) or _SIGNATURE.match(squash(t)):
            cur = None
            continue
        if "\t" in t:  # a table row inside the section: keep its long cells only
            for m in re.finditer(r"[^\t]+", t):
                cell = m.group(0).strip()
                if len(squash(cell)) >= 8 and not re.fullmatch(r"[\d\s.、]+", cell):
                    s0 = para.start + m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
                    out.append(Piece(kind, s0, s0 + len(cell), cell))
            cur = None
            continue
        if cur is not None and cur.kind == kind:
            cur.end = para.end
            cur.text = text[cur.start:cur.end]
        else:
            cur = Piece(kind, para.start, para.end, t)
            out.append(cur)
    # a part held in a table cell (| 存在问题 | 项目实施过程中还存在一些不足… |) that no paragraph gave
    for sec in report.sections:
        if sec.kind in kinds and sec.number is None and sec.level == 2 and squash(sec.body.text) and \
                not any(p.start < sec.body.end and sec.body.start < p.end for p in out):
            out.append(Piece(sec.kind, sec.body.start, sec.body.end, sec.body.text))
    # a part whose heading runs on inside a line of text ("…良好.三、存在的问题一是…"): its body
    for sec in report.sections:
        ls = text.rfind("\n", 0, sec.heading.start) + 1
        if sec.kind in kinds and text[ls:sec.heading.start].strip() and squash(sec.body.text) and \
                not any(p.start < sec.body.end and sec.body.start < p.end for p in out):
            out.append(Piece(sec.kind, sec.body.start, sec.body.end, sec.body.text))
    for p in out:  # a part that runs on into the signature (…安全感。 塞泉县民政局 2026年3月10日)
        sign = _TRAILING_SIGNATURE.search(p.text)
        if sign and sign.start() > 0:
            p.end, p.text = p.start + sign.start(), p.text[:sign.start()]
    out.sort(key=lambda p: p.start)
    return [p for p in out if squash(p.text)]


_LABEL_END = lazy(r"(?:存在的?(?:主要)?问题|问题及原因分析|改进措施|整改措施|下一步.{0,6}措施|相关建议|管理建议|改进意见)")
EMPTY = lazy(r"^(?:无|暂无|没有|/|／|—|-|——|无。|暂无。)$")


def vague_parts(parsed: ParsedFile, report: Report) -> list[tuple[Piece, str]]:
    """(piece, why) for problems/measures text that is vague (J01)."""
    names = indicator_names(report)
    out = []
    pieces = _section_pieces(parsed, report, {"problems", "measures"})
    # a 存在问题 part that names a problem somewhere is not "without any problem" because
    # one of its paragraphs (经验做法 under the same heading) names none
    # "不存在问题" / "没有问题" say there is none: the negated phrase is not a problem named
    problems_named = any(_PROBLEM.search(NEGATED_PROBLEM.sub("", p.text)) for p in pieces if p.kind == "problems")
    problems_text = "\n".join(p.text for p in pieces if p.kind == "problems")
    for p in pieces:
        body = re.sub(r"[|｜,，]", "", squash(p.text))  # a flattened form's (a CSV's) empty cells are pipes (commas)
        if EMPTY.match(body) or EMPTY_WORDS.match(body) or len(body) < 6:
            continue  # empty (无 / 本项目不存在问题) is D23's business
        spec = specifics(p.text, report, names)
        share = stock_share(p.text)
        why = None
        if p.kind == "problems" and no_problem_opening(p.text):
            continue  # it opens by saying there is no problem: D23's finding
        if p.kind == "problems" and not problems_named and not spec:
            # (2名乡村医生即将退出，2个村卫生室面临无人接续 names a problem in its own words)
            why = "没有写出任何问题"
        elif not spec and share >= 0.5:
            why = "全是套话，没有指向本项目的具体内容"
        elif not spec and len(body) < 40:
            why = "过于笼统，没有指标、金额、时间或地点"
        if why:
            out.append((p, why))
        else:
            out.extend(_vague_items(p, report, names, problems_text))
    return out


_STOCK_WORDS = lazy(r"进一步|加强|加大|提高|提升|完善|健全|管理|工作|资金|项目|制度|确保|保证|落实|水平|能力|力度|规范|科学|合理")


def _content_bigrams(text: str) -> set[str]:
    """Bigrams of the words that are not stock phrasing (for matching measures to problems)."""
    # (the numbering of a list, 一是 / 二是, is shared by any two lists: no content)
    t = squash(_STOCK_WORDS.sub("|", _ITEM_TOKEN.sub("|", text)))
    return {t[i:i + 2] for i in range(len(t) - 1) if "|" not in t[i:i + 2] and not re.search(r"[\d，。；、：:（）()]", t[i:i + 2])}


# where a list item starts: after 。；; or a line break (or at 0), past whitespace, a numbering
# token (一是 / 1. / （二）).  Written as a scan rather than one regex: the regex
# (?<=[。；;\n])\s*(?:…) rescans a whitespace run after every line break inside it, which is
# quadratic in the run (19.6 s CPU on one 18,700-character run of a fuzzed file).
_ITEM_TOKEN = lazy(r"(?:[一二三四五六七八九十]是|[（(]?[0-9一二三四五六七八九十]+[)）.．、])")
_ITEM_AFTER = lazy(r"[。；;\n]")
_WS_RUN = lazy(r"\s*")


def item_starts(text: str) -> list[int]:
    """The offsets where list items start (the position right after the delimiter), the same
    positions the regex ``(?:^|(?<=[。；;<newline>]))<spaces>*(?:token)`` gives, in linear time."""
    out: list[int] = []
    pos, failed_at, k = 0, -1, -1
    for c in [0, *(m.end() for m in _ITEM_AFTER.finditer(text))]:
        if c < pos:
            continue  # inside the previous match
        if c > k:
            k = _WS_RUN.match(text, c).end()
        if k == failed_at:
            continue  # the same whitespace run ends at the same place: the token fails again
        m = _ITEM_TOKEN.match(text, k)
        if m:
            out.append(c)
            pos = m.end()
        else:
            failed_at = k
    return out


def _vague_items(p: Piece, report: Report, names: list[str], problems_text: str = "") -> list[tuple[Piece, str]]:
    """Items of a list (一是… / 1.… / sentences) that are stock phrases through and through,
    with nothing specific, inside a part whose other items are specific.  A measure that
    shares content words with the stated problems answers them and is not reported."""
    starts = item_starts(p.text)
    if len(starts) < 2:
        starts = [0] + [m.end() for m in re.finditer(r"[。；;]", p.text) if m.end() < len(p.text.rstrip())]
    if len(starts) < 2:
        return []
    out = []
    bounds = starts + [len(p.text)]
    for k, a in enumerate(bounds[:-1]):
        b = bounds[k + 1]
        seg = p.text[a:b]
        lead = len(seg) - len(seg.lstrip())
        item = seg.strip()
        body = squash(_strip_numbering(item))
        if len(body) < 8 or specifics(item, report, names):
            continue
        if stock_share(item) >= 1.0 and len(_clauses(item)) <= 3:
            if p.kind == "measures" and _content_bigrams(item) & _content_bigrams(problems_text):
                continue
            s0 = p.start + a + lead
            out.append((Piece(p.kind, s0, s0 + len(item), item), f"第{k + 1}条是套话"))
    return out if len(out) < len(bounds) - 1 else []  # all items vague: the whole part is, reported above


@dataclass
class Deviation:
    start: int
    end: int
    label: str
    reason: str = ""  # the table's 偏差原因 for it, if any


def deviations(report: Report, rule_flags: list[Flag]) -> list[Deviation]:
    """Deviations the 自评表 shows (indicator rows below full score, 执行率 below 100%)
    and those the rule checks found (late, over-execution, shortfall scored full …)."""
    out = []
    for r in report.indicators:
        if r.empty or r.weight is None or r.score is None:
            continue
        if r.score.value < r.weight.value - 0.01:
            name = re.sub(r"^指标\s*\d+\s*[:：]", "", squash(r.level3.text))
            out.append(Deviation(r.row.start, r.row.end, f"{name}（{r.score.text}/{r.weight.text}）",
                                 r.reason.text if r.reason is not None else ""))
    if report.funds:
        for row in report.funds.rows[:1]:
            if row.rate is not None and 0 < row.rate.value < 99.95:
                out.append(Deviation(row.rate.start, row.rate.end, f"预算执行率{row.rate.text}"))
    # deviations the rule checks found (late, shortfall scored full, over-execution …)
    seen = {(d.start, d.end) for d in out}
    for f in rule_flags:
        if f.rule.upper() not in DEVIATION_RULES or not f.evidence:
            continue
        ev = f.evidence[0]
        if any(a <= ev.start < b for a, b in seen):
            continue
        seen.add((ev.start, ev.end))
        cells = [c for c in re.split(r"[\t\n]", ev.quote) if len(re.findall(r"[\u4e00-\u9fff]", c)) >= 4]
        name = squash(max(cells, key=len) if cells else ev.quote)[:24]
        out.append(Deviation(ev.start, ev.end, f"{name}（{f.rule}）"))
    return out


# rule codes whose findings are deviations a 存在问题 section should discuss
DEVIATION_RULES = {"D03", "D14A", "D24", "D37", "D43"}  # D49 is a claim about deviations, not one


# characters that make a three-character piece of an indicator name generic
_COMMON_TRIGRAM = lazy(r"项目|资金|工作|指标|完成|情况|年度|全年|数量|质量|效益|满意|比例|率|度|数|次|个|人|[\d%]")


def problems_cover(text: str, dev_labels: list[str], reasons: list[str] = ()) -> bool:
    """Does the 存在问题 text discuss one of the deviations: name its indicator, or repeat
    (part of) the 偏差原因 the table gives for it?"""
    n = norm(text)
    for r in reasons:
        rn = norm(r)
        if len(rn) >= 6 and any(rn[k:k + 6] in n for k in range(len(rn) - 5)):
            return True
    for lab in dev_labels:
        ln = norm(re.sub(r"（[^（]*）$", "", lab))
        if len(ln) >= 4 and any(ln[k:k + 4] in n for k in range(len(ln) - 3)):
            return True
        # three characters of the indicator's own subject (增施有机肥面积 → 有机肥到货偏晚), not of
        # the words every indicator name is made of (完成率, 满意度 of another group)
        if any(len(g := ln[k:k + 3]) == 3 and g in n and not _COMMON_TRIGRAM.search(g) for k in range(len(ln) - 2)):
            return True
        if ln.startswith("预算执行率") and ("执行率" in n or "结余" in n or "结转" in n or "未支付" in n):
            return True
    return False


# ----------------------------------------------------------------------------- R02

_SELF_REF = [
    lazy(r"我(?:单位|局|中心|办)\d{4}年度?(?P<x>[^，。；,;\n]{2,30}?)(?:项目)?(?:绩效)?自评(?:得分|得)"),
    lazy(r"(?P<x>[\u4e00-\u9fffA-Za-z0-9“”\"（）()]{3,30}?)(?:项目)?(?:资金|经费|费用)?(?:执行数|支出数|实际支出)"),
    lazy(r"对(?P<x>[\u4e00-\u9fffA-Za-z0-9“”\"（）()]{3,30}?)项目(?:进行)?(?:绩效)?自评"),
    # the stock "为X顺利实施提供了有力保障" with the project's name plugged in
    lazy(r"为(?P<x>[\u4e00-\u9fffA-Za-z0-9“”\"]{3,24}?)(?:项目|工作)?的?顺利(?:实施|开展|推进|完成)"),
    # a project named at the start of a clause in a results part:
    # "…，县城区背街小巷路灯改造项目亮灯率达到98%"
    lazy(r"(?:^|(?<=[，。；：,;:\n]))[ \t　]*(?P<x>[\u4e00-\u9fff]{4,24})项目(?!资金|经费|支出)", re.M),
]
_NAMED_ONLY_IN = {4: {"performance", "conclusion"}}  # pattern index -> section kinds it applies to
# characters a project name does not contain (pronouns, prepositions, verbs of reporting)
_NOT_A_NAME = lazy(r"[我你他该本此其对将的并为是在了于把被让由从向给因据及和与等已经]|关于|根据|通过|按照|开展|完成|实施|组织")
# words of a running total, never of a project's name (项目累计实际支出)
_TALLY = lazy(r"累计|截至|截止|共计|合计")
# a "name" holding form labels or reporting words was read out of a flattened form or a stock phrase
# (a kind of spending every department has is no project's name either: 政府采购项目, 基本建设项目)
_FORM_WORDS = lazy(r"预算数|执行数|执行率|万元|实施单位|主管部门|项目资金|年初|全年|本次|评价|自评|保障|指标|政府采购|基本建设|[()（）:：|]")
_GENERIC_BIGRAMS = set("项目 资金 经费 专项 费用 支出 全年 年度 预算 执行 绩效 自评 工作 单位 财政 拨款 合计 其中 本级 上级 当年 实际 资金执".split())


def other_project_mentions(parsed: ParsedFile, report: Report) -> list[tuple[int, int, str]]:
    """Self-references of the project (…项目资金执行数, 我单位2021年…绩效自评得…) whose
    project name holds words that appear nowhere else in the report."""
    text = parsed.source.text
    out = []
    seen = set()
    from vectorstore.chunking import section_of

    for n_rx, rx in enumerate(_SELF_REF):
        for m in rx.finditer(text, report.start, report.end):
            xs, xe = m.start("x"), m.end("x")
            if n_rx in _NAMED_ONLY_IN:
                if section_of(report, xs)[0] not in _NAMED_ONLY_IN[n_rx] or _NOT_A_NAME.search(text[xs:xe]):
                    continue
            if _FORM_WORDS.search(text[xs:xe]) or _TALLY.search(text[xs:xe]) or any(t.start <= xs < t.end for t in parsed.tables):
                continue
            x = norm(text[xs:xe])
            x = re.sub(r"^(?:其中|全年预算数\d*万?元?|预算数|全年|年度|本年度|本项目|该项目)", "", x)
            if len(x) < 3 or (xs, xe) in seen or (xs > 0 and text[xs - 1] in "、及和与"):
                continue  # part of an enumeration of places / components
            seen.add((xs, xe))
            rest = norm(text[report.start:xs] + "\n" + text[xe:report.end])
            bigr = [x[k:k + 2] for k in range(len(x) - 1)]
            novel = [b not in rest and b not in _GENERIC_BIGRAMS and not any(ch.isdigit() for ch in b) for b in bigr]
            # a run of ≥2 consecutive novel bigrams = ≥3 characters never used elsewhere
            run = best = 0
            for flag in novel:
                run = run + 1 if flag else 0
                best = max(best, run)
            if best >= 2:
                out.append((xs, xe, text[xs:xe]))
    return out


# ----------------------------------------------------------------------------- R04

def empty_results(parsed: ParsedFile, report: Report) -> list[tuple[int, int]]:
    """绩效目标完成情况 sections that state no figure and no result."""
    text = parsed.source.text
    out = []
    for s in report.sections:
        if s.kind != "performance":
            continue
        body = text[s.body.start:s.body.end]
        if "\t" in body:
            continue  # holds a table: results are there
        sq = squash(body)
        if len(sq) < 30:
            continue
        plain = " ".join(_strip_numbering(line) for line in body.splitlines())
        if _DIGIT.search(re.sub(r"[0-9]+[.、．)]", "", plain)) or _RESULT.search(plain):
            continue
        b, e = s.body.start, s.body.end
        while b < e and text[b].isspace():
            b += 1
        while e > b and text[e - 1].isspace():
            e -= 1
        out.append((b, e))
    return out
