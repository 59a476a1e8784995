"""The offline chat and every tab in a real browser (Playwright driving Debian's chromium),
with no model configured and the browser set to Chinese.

The chat is asked what a reviewer asks first: the answers carry the figures recomputed by
the tool next to the stated ones with citations that open the cell's row, the findings by
severity, and the copy findings. Each tab is photographed (tests/artifacts/ui-tab-*.png,
the README's screenshots) and its visible text is checked to be Chinese: apart from file
names, rule codes and the names of formats, no word of English is on screen.
"""

from __future__ import annotations

import re
import time

import pytest

from test_ui_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, _open, _upload_and_wait, app_url  # noqa: F401
from test_annotate_docx import make_seed_docx
from test_annotate_text import REPORT

pytestmark = pytest.mark.browser

# what may stand on screen in Latin letters: formats, the tool's name, file sizes, rule codes
ALLOWED_LATIN = re.compile(r"^(?:Word|Excel|WPS|PDF|docx|xlsx|zip|html|jixiao|B|KB|MB|[DRJ]\d+[A-Z]?|[RC]\d+)$")  # R4·C7: a cell
TABS = (("审阅", "review"), ("起草", "draft"), ("批量", "batch"), ("对比", "compare"))


def _latin_words(page, file_names: list[str]) -> set[str]:
    text = page.evaluate("document.body.innerText")
    for name in file_names:  # uploaded file names are the user's own (the upload box sets the suffix apart)
        text = text.replace(name, "").replace(name.rsplit(".", 1)[0], "")
    text = re.sub(r"[\w.-]*\s*\.(?:docx|xlsx|html|txt|zip|pdf)\b", "", text)  # file names and suffixes
    return {text[max(0, m.start() - 15):m.end() + 15] for m in re.finditer(r"[A-Za-z][A-Za-z0-9]*", text)
            if not ALLOWED_LATIN.match(m.group())}


def _ask(page, question: str, expect_text: str) -> str:
    before = page.inner_text("#chat")
    page.fill("#question textarea", question)
    page.click("#send")
    page.wait_for_function("([sel, prev, want]) => { const t = document.querySelector(sel).innerText;"
                           " return t !== prev && t.includes(want); }", arg=["#chat", before, expect_text],
                           timeout=60000)
    time.sleep(0.3)
    return page.inner_text("#chat")[len(before) // 2:]


def test_offline_chat_answers_from_the_form_and_the_findings(app_url, tmp_path):  # noqa: F811
    from playwright.sync_api import expect, sync_playwright

    seed = make_seed_docx(tmp_path / "示例报告.docx")
    other = tmp_path / "文本报告.txt"
    other.write_text(REPORT, encoding="utf-8")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = _open(browser, app_url, viewport={"width": 1500, "height": 1100}, locale="zh-CN")
            _upload_and_wait(page, "#upload input[type=file]", [str(seed), str(other)], "#report-text mark.ev")
            for f in (seed, other):  # the upload box shows every file's name
                expect(page.locator("#upload")).to_contain_text(f.stem)
                expect(page.locator("#upload-msg")).to_contain_text(f.name)

            # a figure: stated 95% next to 96 ÷ 120 = 80%, cited to the 执行率 cell
            text = _ask(page, "预算执行率是多少？", "按表重新计算")
            assert "95%" in text and "80%" in text and "相差 15 个百分点" in text
            assert "表1·R4·C7" in text and "D02" in text
            link = page.locator("#chat a[href*='#cell-']").first  # 〔1〕: the 执行率 cell
            href = link.get_attribute("href").split("#")[-1]
            link.click()
            flashed = page.locator(f"#report-text #{href}[data-flashed]")
            flashed.wait_for(timeout=30000)
            assert flashed.inner_text().strip().startswith("95%")  # the cell itself opens (with its flag numbers)
            page.evaluate("window.scrollTo(0, 0)")
            page.screenshot(path=str(ARTIFACTS / "ui-tab-review.png"), full_page=True)

            # an indicator: 1150 ÷ 1200 × 25 = 23.96 against the 25 written
            text = _ask(page, "慰问户数完成了吗？", "23.96")
            assert "1150户" in text and "1200户" in text and "D24" in text

            # the findings, errors first, each with its evidence
            text = _ask(page, "存在哪些问题？", "审阅共发现")
            assert text.index("错误（") < text.index("警告（") and "证据" in text
            for rule in ("D02", "D04", "D24", "D12", "D23"):
                assert rule in text
            assert "报告自述的“四、存在问题”" in text

            # the copy findings (none in this report), said with what was and was not compared
            text = _ask(page, "哪些是套话？", "套话")
            assert "未加载往年报告语料库" in text

            # anything else: passages, said plainly
            text = _ask(page, "慰问标准是多少？", "原文段落")
            assert "未配置大模型" in text and "1000元/户" in text

            names = [seed.name, other.name]
            for label, key in TABS:
                tab = page.get_by_role("tab", name=label)
                if not tab.count():
                    continue
                tab.click()
                if key == "draft":
                    page.click("#draft-btn")
                    expect(page.locator("#draft-problems textarea")).to_have_value(re.compile(r"^1\. "), timeout=60000)
                if key == "batch":
                    page.set_input_files("#batch-upload input[type=file]", [str(seed), str(other)])
                    page.click("#batch-btn")
                    expect(page.locator("#batch-progress")).to_contain_text("完成：2/2", timeout=90000)
                time.sleep(0.5)
                if key != "review":  # the review tab was taken with the first answer in view
                    page.evaluate("window.scrollTo(0, 0)")
                    page.screenshot(path=str(ARTIFACTS / f"ui-tab-{key}.png"), full_page=True)
                assert " ".join(sorted(_latin_words(page, names))) == "", label
        finally:
            browser.close()
