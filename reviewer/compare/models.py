"""What a comparison produces: matched reports, changes, classified findings, carried-over
passages. Plain pydantic models, so every writer (terminal, html, xlsx, docx, web app) reads
the same thing."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from reviewer.models import Flag

Side = Literal["old", "new"]
PairKind = Literal["修订稿", "上年报告"]
ChangeKind = Literal["修改", "新增", "删除"]
ChangeArea = Literal["资金", "指标", "总分", "等级", "章节", "正文"]
FindingClass = Literal["已修正", "仍存在", "新出现", "随删除消失", "消失但依据未改"]

FINDING_CLASSES: tuple[str, ...] = ("已修正", "仍存在", "新出现", "随删除消失", "消失但依据未改")
CLASS_NOTES: dict[str, str] = {
    "已修正": "旧版的问题在新版中不再出现，且其依据的数字或文字已修改",
    "仍存在": "旧版已指出，新版中仍然存在",
    "新出现": "只在新版中出现",
    "随删除消失": "问题不再报出，是因为所在章节或文字被删除，不算修正",
    "消失但依据未改": "问题不再报出，但其依据的原文没有修改（可能因其他处的改动），请人工核对",
}


class ReportKey(BaseModel):
    """One report on one side: where it is and what identifies it."""

    side: Side
    file: str
    index: int  # 0-based index of the report in its file
    title: str
    project: str | None = None
    organisation: str | None = None
    year: int | None = None
    flags: int = 0

    def label(self, short: bool = False) -> str:
        """``file 第N份《title》``; with ``short`` the file's name only (its folder left out)."""
        file = self.file.replace("\\", "/").rsplit("/", 1)[-1] if short else self.file
        return f"{file} 第{self.index + 1}份《{self.title}》"


class ReportMatch(BaseModel):
    """A report of OLD paired with a report of NEW, and why."""

    old: ReportKey
    new: ReportKey
    kind: PairKind
    score: float  # 0..1, the weighted evidence below
    name_similarity: float
    content_similarity: float
    same_organisation: bool | None = None  # None when one side does not state it
    reasons: list[str] = Field(default_factory=list)


class Change(BaseModel):
    """One changed number or text of a matched pair, with both values and both locations."""

    pair: int  # index into CompareResult.matches
    area: ChangeArea
    field: str  # e.g. 全年执行数, 实际完成值, 存在问题
    item: str  # the row or section it belongs to (indicator name, funds row, heading)
    kind: ChangeKind
    old: str | None = None
    new: str | None = None
    old_location: str | None = None
    new_location: str | None = None
    old_span: tuple[int, int] | None = None  # offsets into the OLD file's text
    new_span: tuple[int, int] | None = None
    numeric: bool = False  # a number changed (not only words)


class FindingDiff(BaseModel):
    """A finding of OLD and/or NEW and what became of it."""

    pair: int | None  # index into CompareResult.matches; None for a report found only in NEW
    cls: FindingClass
    rule: str
    old: Flag | None = None
    new: Flag | None = None
    old_locations: list[str] = Field(default_factory=list)
    new_locations: list[str] = Field(default_factory=list)
    reason: str = ""  # why this class, in Chinese (the changed value, the deleted section …)

    @property
    def flag(self) -> Flag:
        """The finding as it reads now (NEW when it exists there)."""
        return self.new or self.old  # type: ignore[return-value]


class CarriedOver(BaseModel):
    """A passage of 存在问题/改进措施 carried over word for word from the previous year."""

    pair: int
    section: str  # 存在问题 / 改进措施
    text: str
    old_location: str
    new_location: str
    new_span: tuple[int, int]


class SideSummary(BaseModel):
    """What was read on one side."""

    paths: list[str]
    files: int
    reports: int
    errors: list[str] = Field(default_factory=list)


class CompareResult(BaseModel):
    old: SideSummary
    new: SideSummary
    matches: list[ReportMatch] = Field(default_factory=list)
    only_old: list[ReportKey] = Field(default_factory=list)
    only_new: list[ReportKey] = Field(default_factory=list)
    changes: list[Change] = Field(default_factory=list)
    findings: list[FindingDiff] = Field(default_factory=list)
    carried_over: list[CarriedOver] = Field(default_factory=list)
    notices: list[str] = Field(default_factory=list)

    def count(self, cls: str, pair: int | None = None) -> int:
        return sum(1 for f in self.findings if f.cls == cls and (pair is None or f.pair == pair))
