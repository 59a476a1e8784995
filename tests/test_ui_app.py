"""The app without a browser: handlers, drafting, batch, and the launch settings
(127.0.0.1, password, upload limit, no share link, no analytics)."""

from __future__ import annotations

import os
import socket
import zipfile
from pathlib import Path

import pytest
from docx import Document

from test_annotate_docx import make_seed_docx
from test_annotate_text import REPORT


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("ui")
    seed = make_seed_docx(d / "示例报告.docx")
    txt = d / "文本报告.txt"
    txt.write_text(REPORT, encoding="utf-8")
    bad = d / "坏文件.docx"
    bad.write_bytes(b"not a zip")
    return seed, txt, bad


@pytest.fixture(autouse=True)
def _no_llm(monkeypatch):
    for var in ("OPENAI_BASE_URL", "JIXIAO_MODEL"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("JIXIAO_UI_NO_LLM", "1")


def test_upload_shows_flags_text_and_score(files):
    from ui import app

    seed, txt, bad = files
    sev, kinds = app.SEVERITIES, app.KINDS
    out = app.on_upload([str(seed), str(txt), str(bad)], sev, kinds)
    state, dd, _, msg, score, df, html_ = out[:7]
    assert len(state["views"]) == 2  # two readable files, one report each
    assert "坏文件.docx" in msg and "已审阅 2 个文件" in msg
    key = dd["value"]
    view = state["views"][key]
    assert view.flags, "the seed's 执行率 defect must be flagged"
    assert "自评得分" in score and "重新计算" in score
    assert len(df) == len(view.flags) and list(df.columns)[:3] == ["#", "规则", "严重程度"]
    assert '<mark class="ev sev-' in html_ and 'id="psg-' in html_
    # every flag's evidence is highlighted with an id to scroll to
    for n in range(1, len(view.flags) + 1):
        assert f'id="ev-{n}-0"' in html_

    # filters
    only_warn = app.on_filter(state, key, ["警告"], kinds)
    assert all(r == "警告" for r in only_warn["严重程度"])
    assert len(app.on_filter(state, key, [], kinds)) == 0


def test_flag_select_focuses_evidence(files):
    from ui import app

    seed, _, _ = files
    state, dd = app.on_upload([str(seed)], app.SEVERITIES, app.KINDS)[:2]
    key = dd["value"]

    class Evt:
        row_value = [1, "D02"]
        index = [0, 1]

    html_, detail = app.on_flag_select(state, key, Evt())
    assert "mark" in html_ and " focus" in html_ and detail.startswith("**#1 ")


def test_chat_extractive_with_citations_and_citation_click(files):
    from ui import app

    seed, _, _ = files
    state, dd = app.on_upload([str(seed)], app.SEVERITIES, app.KINDS)[:2]
    key = dd["value"]
    history, cleared, radio, _ = app.on_ask(state, key, "预算执行率是多少？", [])
    assert cleared == "" and history[0]["role"] == "user" and history[1]["role"] == "assistant"
    assert "未配置大模型" in history[1]["content"] and "(#cell-" in history[1]["content"]  # cited to the cell
    choice = radio["choices"][0]
    choice = choice[0] if isinstance(choice, (list, tuple)) else choice
    html_, md = app.on_cite(state, key, choice)
    # the figure is answered from the 自评表: the first citation is the 执行率 cell's row
    assert "focus-psg" in html_ and choice.endswith("表1·R4·C7") and "年度资金总额" in md and "95%" in md
    # a question the tool has no figure for gets the passages that match it
    history, _, radio, _ = app.on_ask(state, key, "慰问标准是多少？", [])
    assert "以下为报告中与问题最相关的原文段落" in history[1]["content"]
    choice = radio["choices"][0]
    choice = choice[0] if isinstance(choice, (list, tuple)) else choice
    assert "1000元/户" in app.on_cite(state, key, choice)[1]


def test_annotate_button_writes_docx_with_one_comment_per_flag(files):
    from ui import app

    seed, txt, _ = files
    state, dd = app.on_upload([str(seed), str(txt)], app.SEVERITIES, app.KINDS)[:2]
    for key, view in state["views"].items():
        path, msg = app.on_annotate(state, key)
        assert Path(path).suffix == ".docx" and "批注" in msg
        assert len(Document(path).comments) == len(view.flags)


def test_drafting_tab(files):
    from ui import app

    seed, _, _ = files
    state, dd = app.on_upload([str(seed)], app.SEVERITIES, app.KINDS)[:2]
    key = dd["value"]
    problems, measures, note = app.on_draft(state, key)
    assert problems.startswith("1. ") and measures.startswith("1. ") and "草稿" in note
    edited = problems + "\n补充：慰问户数未完成。"
    path = app.on_draft_docx(state, key, edited, measures)
    text = "\n".join(p.text for p in Document(path).paragraphs)
    assert "存在问题" in text and "改进措施" in text and "补充：慰问户数未完成。" in text


def test_batch_tab_writes_summary_and_zip(files, tmp_path):
    from ui.batch import run_batch

    seed, txt, bad = files
    states = list(run_batch([str(seed), str(txt), str(bad)], tmp_path / "out"))
    last = states[-1]
    assert last.done == last.total == 3
    assert any("坏文件.docx" in line for line in last.lines)
    assert last.zip_path.exists()
    with zipfile.ZipFile(last.zip_path) as zf:
        names = zf.namelist()
    # each entry names the input it came from, with that input's own type
    assert sorted(names) == ["文本报告（txt）.审阅.docx", "示例报告.审阅.docx"]
    from ui.batch import _unique

    used: set[str] = set()
    assert [_unique(n, used) for n in ("报告.pdf", "报告.xlsx", "报告.pdf", "报告.docx")] == [
        "报告（pdf）.审阅.docx", "报告（xlsx）.审阅.docx", "报告（pdf）（第2个）.审阅.docx", "报告.审阅.docx"]
    if last.summary is not None:
        from openpyxl import load_workbook

        wb = load_workbook(last.summary)
        assert any("问题" in ws.title for ws in wb.worksheets)


def test_launch_settings(monkeypatch):
    from ui.app import launch_kwargs, parse_auth

    monkeypatch.delenv("JIXIAO_UI_AUTH", raising=False)
    kw = launch_kwargs()
    assert kw["server_name"] == "127.0.0.1" and kw["share"] is False and kw["auth"] is None
    assert kw["max_file_size"] and os.environ["GRADIO_ANALYTICS_ENABLED"] == "False"
    monkeypatch.setenv("JIXIAO_UI_AUTH", "审阅员:s3cret")
    assert launch_kwargs()["auth"] == [("审阅员", "s3cret")]
    assert parse_auth("a:b, c:d:e") == [("a", "b"), ("c", "d:e")]
    with pytest.raises(ValueError):
        parse_auth("nopassword")


def test_password_is_enforced(monkeypatch):
    import httpx

    from ui.app import build_app, launch_kwargs

    monkeypatch.setenv("JIXIAO_UI_AUTH", "user:pw")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    demo = build_app()
    kw = launch_kwargs("127.0.0.1", port)
    kw.update(prevent_thread_lock=True, quiet=True)
    demo.launch(**kw)
    try:
        base = demo.local_url.rstrip("/")
        assert httpx.get(f"{base}/config", timeout=10).status_code in (401, 403)
        with httpx.Client(timeout=10) as c:
            assert c.post(f"{base}/login", data={"username": "user", "password": "bad"}).status_code in (400, 401)
            assert c.post(f"{base}/login", data={"username": "user", "password": "pw"}).status_code == 200
            assert c.get(f"{base}/config").status_code == 200
    finally:
        demo.close()


def test_cli_registers_ui(monkeypatch):
    from reviewer.cli import build_parser

    args = build_parser().parse_args(["ui", "--port", "7999"])
    assert args.host == "127.0.0.1" and args.port == 7999 and callable(args.func)


def test_upload_size_limit(monkeypatch):
    import httpx

    from ui.app import build_app, launch_kwargs

    monkeypatch.delenv("JIXIAO_UI_AUTH", raising=False)
    monkeypatch.setenv("JIXIAO_UI_MAX_FILE_SIZE", "1kb")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    demo = build_app()
    kw = launch_kwargs("127.0.0.1", port)
    kw.update(prevent_thread_lock=True, quiet=True)
    demo.launch(**kw)
    try:
        url = demo.local_url.rstrip("/") + "/gradio_api/upload"
        small = httpx.post(url, files={"files": ("a.txt", "绩效".encode(), "text/plain")}, timeout=10)
        big = httpx.post(url, files={"files": ("b.txt", b"x" * 5000, "text/plain")}, timeout=10)
        assert small.status_code == 200
        assert big.status_code == 413
    finally:
        demo.close()


def test_nothing_leaves_the_machine(files, monkeypatch):
    """Launching the app, reviewing, chatting and annotating open no non-loopback
    connection and look up no remote host (no analytics, no share link, no fonts/CDN)."""
    import httpx

    from ui import app

    remote: list = []
    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo

    def connect(self, address):
        host = address[0] if isinstance(address, tuple) else str(address)
        if isinstance(address, tuple) and host not in ("127.0.0.1", "::1", "localhost"):
            remote.append(host)
        return real_connect(self, address)

    def getaddrinfo(host, *a, **kw):
        if host not in (None, "127.0.0.1", "::1", "localhost", "0.0.0.0", ""):
            remote.append(host)
        return real_getaddrinfo(host, *a, **kw)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.delenv("JIXIAO_UI_AUTH", raising=False)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    demo = app.build_app()
    kw = app.launch_kwargs("127.0.0.1", port)
    kw.update(prevent_thread_lock=True, quiet=True)
    demo.launch(**kw)
    try:
        assert httpx.get(demo.local_url, timeout=10).status_code == 200
        seed, txt, _ = files
        state, dd = app.on_upload([str(seed), str(txt)], app.SEVERITIES, app.KINDS)[:2]
        app.on_ask(state, dd["value"], "预算执行率是多少", [])
        app.on_annotate(state, dd["value"])
    finally:
        demo.close()
    assert remote == []


def test_switching_report_clears_what_belonged_to_the_other(files):
    """A second report: the flag detail, the annotated .docx and its message of the first go;
    the upload message names every file; the draft tab forgets the other report's draft."""
    import re

    from ui import app

    seed, txt, _ = files
    out = app.on_upload([str(seed), str(txt)], app.SEVERITIES, app.KINDS)
    state, dd, msg = out[0], out[1], out[3]
    assert "示例报告.docx" in msg and "文本报告.txt" in msg
    assert out[-3:] == app.REPORT_RESET
    first, second = [k for _, k in dd["choices"]][:2]

    class Evt:
        row_value = [1, "D02"]

    _, detail = app.on_flag_select(state, first, Evt())
    path, note = app.on_annotate(state, first)
    assert detail and path and note
    switched = app.on_select_report(state, second, app.SEVERITIES, app.KINDS)
    detail2, file2, note2 = switched[-3:]
    assert (detail2, file2, note2) == ("", None, "")
    assert switched[0] == app._show(state["views"][second], app.SEVERITIES, app.KINDS)[0] != out[4]  # its score card
    assert app.on_select_draft_report(state, second) == ("", "", "", None)

    # flag numbers in the text pane stand apart from the figures they follow
    html_ = switched[2]
    assert '<sup class="flag-no">［#' in html_
    assert not re.search(r"<sup[^>]*>\d", html_)
