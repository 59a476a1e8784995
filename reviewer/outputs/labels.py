"""Chinese display names for flag kinds, severities, sources and section kinds (the JSON keeps codes)."""

from __future__ import annotations

KIND_ZH: dict[str, str] = {
    "arithmetic": "计算错误",
    "contradiction": "前后矛盾",
    "missing": "内容缺失",
    "boilerplate": "套话雷同",
    "vague_problems": "问题空泛",
    "score_inflation": "评分虚高",
    "format": "格式问题",
}
SEVERITY_ZH: dict[str, str] = {"error": "错误", "warning": "警告", "info": "提示"}
SOURCE_ZH: dict[str, str] = {"rule": "规则", "retrieval": "检索", "llm": "大模型"}
SEVERITIES: tuple[str, ...] = ("error", "warning", "info")
# section kinds (reviewer.structure.sections.SECTION_KINDS) as a reviewer names them
SECTION_ZH: dict[str, str] = {
    "basic": "基本情况", "goals": "绩效目标", "funds": "资金情况", "work": "工作开展", "performance": "完成情况",
    "conclusion": "自评结论", "problems": "存在问题", "measures": "改进措施", "other": "其他",
}


def kind_zh(code: str) -> str:
    return KIND_ZH.get(code, code)


def severity_zh(code: str) -> str:
    return SEVERITY_ZH.get(code, code)


def source_zh(code: str) -> str:
    return SOURCE_ZH.get(code, code)


def section_zh(kind: str) -> str:
    return SECTION_ZH.get(kind, kind)


def fmt_score(value: float | None) -> str:
    """``94.0`` → ``94``, ``93.5`` → ``93.5``, None → ``—``."""
    if value is None:
        return "—"
    return f"{value:.2f}".rstrip("0").rstrip(".")
