"""The stated total score is read however the conclusion words it, and a part's score is not it."""

from __future__ import annotations

import pytest

try:
    from rulekit import HEADER, narrative
except ImportError:  # tests/ imported as a package
    from tests.rulekit import HEADER, narrative

from reviewer.models import SourceDocument
from reviewer.parse import parse_source


def _total(conclusion: str) -> float | None:
    [rep] = parse_source(SourceDocument(path="t.txt", format="txt", text=HEADER + narrative(conclusion=conclusion))).reports
    return rep.stated_total.value if rep.stated_total else None


@pytest.mark.parametrize("said", ["经综合评定，本项目自评90分，等级为优。", "项目自评综合得分为90分。", "综合评分90分，评价等级“优”。",
                                  "自评结果：90分，优。", "总体评价为优（90分）。", "本项目自评得分90分。",
                                  "经自评,本项目得分90分,等级为优。", "经自评，该项目综合得分为90分。"])
def test_total_score_in_any_wording(said):
    assert _total(said) == 90


@pytest.mark.parametrize("said", ["开展自评1次，指标分值10分。", "本项应得分10分，扣0分，评价得分10分。", "满分100分。"])
def test_no_total_where_none_is_stated(said):
    assert _total(said) is None


def test_a_products_quality_grade_is_not_the_self_evaluations():
    from reviewer.models import SourceDocument
    from reviewer.parse import parse_source

    text = ("甲县2023年度地理信息公共服务项目绩效自评报告\n一、完成情况\n完成地形图更新42平方公里，成果质量等级为良级。\n"
            "二、自评结论\n自评总分99.50分，等级为“优”。\n")
    [rep] = parse_source(SourceDocument(path="t.txt", format="txt", text=text)).reports
    assert rep.stated_grade.text.endswith("优")
