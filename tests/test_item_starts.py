"""vectorstore.generic.item_starts: the list-item starts the J01 check splits a part at, found in
linear time with the positions the old regex gave (it was quadratic in a whitespace run)."""

from __future__ import annotations

import random
import re

from vectorstore.generic import item_starts

OLD = re.compile(r"(?:^|(?<=[。；;\n]))\s*(?:[一二三四五六七八九十]是|[（(]?[0-9一二三四五六七八九十]+[)）.．、])")
PIECES = ["一是加强管理", "二是", "1.", "（2）", "3、", "。", "；", ";", "\n", " ", "\n\n  ", "\t", "资金", "十是", "(4)", "5．", "x"]


def _old(text: str) -> list[int]:
    return [m.start() for m in OLD.finditer(text)]


def test_same_starts_as_the_regex_on_generated_text():
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 40)))
        assert item_starts(text) == _old(text), repr(text)


def test_a_long_whitespace_run_full_of_line_breaks():
    text = "存在问题：一是资金到位慢。" + " \n" * 3000 + "二是宣传不够；3、台账不全。"
    assert item_starts(text) == _old(text)
    assert len(item_starts(text)) == 2
