"""Rules on how 改进措施 answer 存在问题: measures that take up none of the problems the report
itself names, or that are one sentence of carrying on (D77)."""

from __future__ import annotations

import re
from typing import Iterator

from reviewer.checks.base import CheckContext, Finding, rule
from reviewer.models import Report
from reviewer.lazy_re import lazy

# the words every 存在问题 and 改进措施 are made of, whatever the project: sharing them shows nothing
STOCK_WORDS = (
    "预算 资金 项目 管理 绩效 执行 经费 支出 工作 加强 进一步 提高 强化 完善 制度 规范 落实 确保 严格 按照 相关 部门 单位 "
    "及时 有效 推进 开展 实施 评价 目标 情况 问题 措施 改进 存在 原因 下一步 建立 健全 机制 监督 考核 使用 效益 水平 能力 "
    "服务 质量 进度 要求 方面 根据 结合 加大 力度 逐步 不断 持续 注重 做好 全面 认真 切实 充分 科学 合理 准确 重视 意识 "
    "财政 年度 计划 资料 材料 过程 结果 应用 编制 申报 设置 指标 数据 今后 以后 我局 我单位 本单位 一是 二是 三是 四是 "
    "安排 导致 由于 存在 没有 不够 不足 较为 比较 仍然 有待 需要 进行 实行 通过 对于 以及 并且 同时"
).split()
# stock words cut the text into runs; only two characters inside one run are a word of the project's own
_STOCK_RE = lazy("|".join(sorted(STOCK_WORDS, key=len, reverse=True)))
_NOT_CJK = lazy(r"[^\u4e00-\u9fff]+")
ATTACHMENT = lazy(r"^\s*(?:附件|附表|附：|附:).*$", re.MULTILINE)
SLOGAN = lazy(r"坚持[“\"]|[“\"][^”\"]{4,20}[”\"]|规范化|制度化|法制化|常态化|精细化|科学化|严肃性|随意性|全过程|"
                    r"提高思想认识|提高政治站位|加强组织领导|强化责任(?:落实|担当|意识)|落到实处|再上新台阶|常抓不懈|高度重视")
# a whole 改进措施 that is one sentence of carrying on: "继续做好送戏下乡文化惠民演出工作"
CARRY_ON = lazy(r"^(?:今后|下一步)?[，,]?(?:将)?(?:继续|进一步)?(?:做好|加强|抓好|搞好|推进|推动)[^，,。；;\d]{0,24}工作[。.]?$")
MAX_CHARS = 3000  # a section longer than a few pages is not compared pair by pair


def _pairs(text: str) -> set[str]:
    """The project's own two-character words of ``text`` (stock words and attachments left out)."""
    runs = _NOT_CJK.split(_STOCK_RE.sub(" ", ATTACHMENT.sub(" ", text[:MAX_CHARS])))
    return {r[i:i + 2] for r in runs for i in range(len(r) - 1)}


@rule("D77", "改进措施未回应问题", kind="vague_problems", severity="warning")
def measures_ignore_problems(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """改进措施 that share no word of substance with the 存在问题 (only 加强管理, 规范执行 and
    slogans) answer none of the problems the report names.

    Bad:  存在问题：养护定额明显低于市场价格；人员经费不足，小修经费被用于工资福利。
          改进措施：一是增强预算执行的严肃性……二是强化预算绩效管理，坚持“花钱必问效，无效必问责”……
    Good: 改进措施：一是按市场价格重新测算小修保养定额，报市财政局调整；二是人员经费单列，小修经费专款专用。
    Bad:  改进措施 | 继续做好送戏下乡文化惠民演出工作
    """
    problems = [s for s in report.sections if s.kind == "problems"]
    measures = [s for s in report.sections if s.kind == "measures"]
    if len(measures) == 1:
        body = re.sub(r"[\s|｜]+", "", measures[0].body.text)
        if CARRY_ON.match(body):
            sec = measures[0]
            yield Finding(message=f"改进措施只有一句“{body}”，没有针对任何问题的具体做法、责任人和时限",
                          evidence=[sec.body], expected="针对所列问题的具体措施", stated=body)
            return
    if len(problems) != 1 or len(measures) != 1:
        return  # problems and measures in one section, or several of each: not judged here
    ptext, mtext = problems[0].body.text, measures[0].body.text
    if len(re.sub(r"\s+", "", ptext)) < 30 or len(re.sub(r"\s+", "", mtext)) < 30:
        return
    shared = _pairs(ptext) & _pairs(mtext)
    slogans = SLOGAN.findall(mtext)
    if not shared and slogans:  # precision first: no shared word and the measures are slogans
        sec = measures[0]
        s, e = sec.body.start, sec.body.end
        while e > s and ctx.text[e - 1].isspace():
            e -= 1
        yield Finding(message=f"改进措施没有回应“{problems[0].heading.text.strip()}”中提到的任何具体问题，"
                              f"只写了“{slogans[0]}”一类的通用要求",
                      evidence=[(s, e)], expected="针对所列问题的具体措施", stated=slogans[0])
