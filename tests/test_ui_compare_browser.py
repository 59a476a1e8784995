"""The 对比 tab in a real browser (Playwright driving Debian's chromium, as in
test_ui_browser.py): upload an old and a new version, see the classes of findings, the two
texts side by side with the changes marked, download the outputs, and take a screenshot
(tests/artifacts/ui-compare.png) in which Chinese must render."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from compare_pairs import ReportSpec, write_docx
from test_ui_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, _open, app_url, screenshot_with_chinese  # noqa: F401

pytestmark = pytest.mark.browser


def test_compare_tab(app_url, tmp_path):  # noqa: F811
    from docx import Document
    from playwright.sync_api import expect, sync_playwright

    old = write_docx(ReportSpec(), tmp_path / "old" / "慰问报告.docx")
    revised = replace(ReportSpec(), rate="80%", rate_score="8", rate_sentence="80%", problems=None)
    new = write_docx(revised.with_indicator("慰问对象满意度", score="12"), tmp_path / "new" / "慰问报告修订稿.docx")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = _open(browser, app_url, viewport={"width": 1500, "height": 1100})
            page.get_by_role("tab", name="对比").click()
            page.set_input_files("#compare-old input[type=file]", str(old))
            expect(page.locator("#compare-old")).to_contain_text("慰问报告.docx", timeout=60000)
            page.set_input_files("#compare-new input[type=file]", str(new))
            expect(page.locator("#compare-new")).to_contain_text("慰问报告修订稿.docx", timeout=60000)
            page.click("#compare-btn")
            page.wait_for_selector("#compare-view .sbs", timeout=120000)

            summary = page.inner_text("#compare-summary")
            assert "匹配 1 对" in summary and "已修正" in summary and "仍存在" in summary
            view = page.locator("#compare-view")
            for cls in ("已修正", "仍存在", "新出现", "随删除消失"):
                expect(view.locator(".cls", has_text=cls).first).to_be_visible()
            deleted = " ".join(view.locator(".sbs del").all_inner_texts())
            inserted = " ".join(view.locator(".sbs ins").all_inner_texts())
            assert "存在问题" in deleted and "8" in inserted  # the deleted section, the corrected figures
            # marked changes are styled (the scoped CSS reached the component)
            bg = page.evaluate("getComputedStyle(document.querySelector('#compare-view .sbs ins')).backgroundColor")
            assert bg not in ("rgba(0, 0, 0, 0)", "transparent")

            links = page.locator("#compare-files a")
            expect(links.first).to_be_visible(timeout=30000)
            assert links.count() == 3
            names = page.inner_text("#compare-files .file-preview").replace("\n", "")
            assert "compare.html" in names and "compare.xlsx" in names and "慰问报告修订稿.对比批注.docx" in names
            with page.expect_download(timeout=60000) as dl:
                links.nth(2).click()
            saved = tmp_path / "downloaded.docx"
            dl.value.save_as(str(saved))
            comments = [c.text for c in Document(str(saved)).comments]
            assert comments and all("仍未修正" in c for c in comments)

            view.scroll_into_view_if_needed()
            time.sleep(0.3)
            screenshot_with_chinese(page, "ui-compare.png", ["#compare-summary", "#compare-view .sbs .txt"])
        finally:
            browser.close()
