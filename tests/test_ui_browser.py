"""End-to-end in a real browser: Playwright driving Debian's chromium against the app.

Uploads a seed-like .docx, sees the flags table and a highlighted quote, asks a question
and gets a cited answer (and clicks the citation), downloads the annotated .docx and
takes a screenshot (kept in tests/artifacts/ui-review.png) in which Chinese must render.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

try:
    from ui_server import running_app
except ImportError:  # tests/ imported as a package
    from tests.ui_server import running_app

CHROMIUM = os.environ.get("JIXIAO_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"chromium not installed at {CHROMIUM} (apt-get install chromium)"),
]




def _cjk_font_installed() -> bool:
    import subprocess

    if shutil.which("fc-list") is None:
        return False
    out = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout
    return bool(out.strip())


@pytest.fixture(scope="module")
def app_url():
    pytest.importorskip("playwright")
    with running_app() as url:
        yield url


def _cjk_glyphs_differ(page, selector: str = "#report-text") -> bool:
    """Draw two different ideographs on a canvas with the font of ``selector``: with no CJK
    font both come out as the same .notdef box (tofu), with one they differ."""
    return page.evaluate("""(sel) => {
        const font = getComputedStyle(document.querySelector(sel)).fontFamily;
        const draw = (ch) => {
            const cv = document.createElement('canvas'); cv.width = 40; cv.height = 40;
            const c = cv.getContext('2d'); c.font = '32px ' + font; c.fillText(ch, 2, 32);
            return Array.from(c.getImageData(0, 0, 40, 40).data).join(',');
        };
        return draw('绩') !== draw('效') && draw('效') !== draw('评');
    }""", selector)


def screenshot_with_chinese(page, name: str, selectors: list[str]) -> Path:
    """A full-page screenshot kept in tests/artifacts/, after checking that Chinese renders
    with a real font (no tofu boxes) in each element of ``selectors``."""
    shot = ARTIFACTS / name
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 50_000
    if not _cjk_font_installed():
        pytest.fail("no CJK font installed (apt-get install fonts-wqy-microhei): Chinese renders as boxes")
    for sel in selectors:
        assert _cjk_glyphs_differ(page, sel), f"Chinese renders as tofu boxes in {sel}"
    return shot


def _open(browser, url, **kw):
    """A page with the app fully loaded (Gradio's components hydrated)."""
    page = browser.new_page(accept_downloads=True, **kw)
    page.set_default_timeout(60000)  # generous: CI machines have 2 cores shared with the app server
    page.goto(url, wait_until="load")
    page.wait_for_selector("#upload input[type=file]", state="attached", timeout=60000)
    return page


def _upload_and_wait(page, selector: str, files, ready: str, timeout: float = 60000) -> None:
    """Set the files of an upload box and wait for ``ready``; once more if the first try
    was lost (the page still wiring its events)."""
    for attempt in range(2):
        page.set_input_files(selector, files)
        try:
            page.wait_for_selector(ready, timeout=timeout)
            return
        except Exception:
            if attempt:
                raise
            page.reload(wait_until="load")
            page.wait_for_selector(selector, state="attached", timeout=60000)


def test_review_chat_download_screenshot(app_url, tmp_path):
    from docx import Document
    from playwright.sync_api import expect, sync_playwright

    from test_annotate_docx import make_seed_docx

    seed = make_seed_docx(tmp_path / "示例报告.docx")
    ARTIFACTS.mkdir(exist_ok=True)
    t0 = time.time()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = _open(browser, app_url, viewport={"width": 1500, "height": 1100})
            # the flags table and a highlighted quote
            _upload_and_wait(page, "#upload input[type=file]", str(seed), "#report-text mark.ev")
            cells = page.locator("#flags [role=gridcell]")
            expect(cells.first).to_be_visible()
            assert cells.count() >= 9  # at least one row of 9 columns
            table_text = page.inner_text("#flags")
            assert "D0" in table_text or "D1" in table_text or "D2" in table_text
            marks = page.locator("#report-text mark.ev")
            assert marks.count() >= 1
            assert "95%" in " ".join(marks.all_inner_texts())
            expect(page.locator("#score")).to_contain_text("自评得分")

            # clicking a flag row focuses its evidence
            cells.nth(4).click()
            page.wait_for_selector("#report-text mark.focus", timeout=30000)

            # chat: a cited answer, said plainly that no model is configured
            page.fill("#question textarea", "预算执行率是多少？")
            page.click("#send")
            link = page.locator("#chat a[href*='#psg-'], #chat a[href*='#cell-']").first  # a passage or a cell
            link.wait_for(timeout=60000)
            chat_text = page.inner_text("#chat")
            assert "未配置大模型" in chat_text and "执行率" in chat_text
            assert "段落" in chat_text or "表" in chat_text
            # a click on the citation scrolls to and flashes the passage in the text pane
            pages_before = len(browser.contexts[0].pages)
            link.click()
            page.wait_for_selector("#report-text [data-flashed]", timeout=30000)
            assert len(browser.contexts[0].pages) == pages_before  # no new tab
            # the citation list shows the passage
            page.locator("#citations label").first.click()
            expect(page.locator("#passage")).to_contain_text("〔1〕", timeout=30000)

            # the annotated .docx
            page.click("#annotate-btn")
            dl_link = page.locator("#annotated a[download], #annotated a").first
            dl_link.wait_for(timeout=60000)
            with page.expect_download(timeout=60000) as dl:
                dl_link.click()
            saved = tmp_path / "downloaded.docx"
            dl.value.save_as(str(saved))
            doc = Document(str(saved))
            assert len(doc.comments) >= 1
            shutil.copyfile(saved, ARTIFACTS / "ui-annotated.docx")

            page.evaluate("window.scrollTo(0, 0); document.querySelector('h2').scrollIntoView()")
            time.sleep(0.3)
            screenshot_with_chinese(page, "ui-review.png", ["#report-text"])
        finally:
            browser.close()
    assert time.time() - t0 < 60


def test_drafting_and_batch_tabs(app_url, tmp_path):
    """Drafting: generate, edit, download .docx. Batch: several files, progress, then
    summary.xlsx and the zip of annotated .docx to download."""
    import zipfile

    from docx import Document
    from playwright.sync_api import expect, sync_playwright

    from test_annotate_docx import make_seed_docx
    from test_annotate_text import REPORT

    seed = make_seed_docx(tmp_path / "示例报告.docx")
    txt = tmp_path / "文本报告.txt"
    txt.write_text(REPORT, encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = _open(browser, app_url, viewport={"width": 1400, "height": 1000})
            _upload_and_wait(page, "#upload input[type=file]", str(seed), "#report-text mark.ev")

            page.get_by_role("tab", name="起草").click()
            page.click("#draft-btn")
            problems = page.locator("#draft-problems textarea")
            expect(problems).to_have_value(__import__("re").compile(r"^1\. "), timeout=60000)
            problems.fill(problems.input_value() + "\n人工补充的问题。")
            page.click("#draft-download-btn")
            link = page.locator("#draft-file a").first
            link.wait_for(timeout=60000)
            with page.expect_download(timeout=60000) as dl:
                link.click()
            saved = tmp_path / "draft.docx"
            dl.value.save_as(str(saved))
            text = "\n".join(par.text for par in Document(str(saved)).paragraphs)
            assert "存在问题" in text and "改进措施" in text and "人工补充的问题。" in text

            page.get_by_role("tab", name="批量").click()
            page.set_input_files("#batch-upload input[type=file]", [str(seed), str(txt)])
            page.click("#batch-btn")
            expect(page.locator("#batch-progress")).to_contain_text("完成：2/2", timeout=90000)
            zip_link = page.locator("#batch-zip a").first
            zip_link.wait_for(timeout=30000)
            with page.expect_download(timeout=60000) as dl:
                zip_link.click()
            zpath = tmp_path / "annotated.zip"
            dl.value.save_as(str(zpath))
            with zipfile.ZipFile(zpath) as zf:
                assert len(zf.namelist()) == 2
            expect(page.locator("#batch-xlsx a").first).to_be_visible(timeout=30000)
            page.screenshot(path=str(ARTIFACTS / "ui-batch.png"), full_page=True)
        finally:
            browser.close()
