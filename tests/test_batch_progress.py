"""Progress output: plain lines when stderr is not a terminal, a tqdm bar when it is;
neither breaks on odd streams."""

from __future__ import annotations

import io

from reviewer.batch.progress import Progress


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_plain_lines_when_not_a_tty():
    s = io.StringIO()
    with Progress(3, stream=s) as p:
        p.skip(1)
        p.advance("a/报告.txt", detail="1 份报告，2 个问题")
        p.advance("b.txt", error=True, detail="[empty] 文件为空")
    out = s.getvalue().splitlines()
    assert out == ["审阅：1 个文件此前已完成，跳过", "审阅 [2/3] 完成 a/报告.txt：1 份报告，2 个问题",
                   "审阅 [3/3] 读取错误 b.txt：[empty] 文件为空"]
    assert "\r" not in s.getvalue()


def test_quiet_phase_and_disabled():
    s = io.StringIO()
    with Progress(2, stream=s, lines=False) as p:
        p.advance("x.txt")
    with Progress(2, stream=s, enabled=False) as p:
        p.advance("y.txt")
    assert s.getvalue() == ""


def test_bar_on_a_terminal():
    s = FakeTTY()
    with Progress(2, stream=s) as p:
        p.advance("一个很长很长的文件名" * 5 + ".docx")
        p.advance("b.txt", error=True)
    out = s.getvalue()
    assert "2/2" in out and "已完成 2 · 错误 1" in out


def test_short_name():
    from reviewer.batch.progress import _short

    assert _short("dir/" + "名" * 40 + ".docx") == "…" + ("名" * 40 + ".docx")[-31:]
