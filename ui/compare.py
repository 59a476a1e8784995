"""The 对比 tab: upload the old and the new version (files of any supported carrier, one or
several each), see which reports matched, what changed and what became of each finding,
and download compare.html, compare.xlsx and the NEW version with comments.

The work is :func:`reviewer.compare.run.compare_paths`, as for ``jixiao compare``; the page
shows the same content as compare.html (its body, styled by the component's scoped CSS).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Callable

import gradio as gr

from reviewer.compare.models import FINDING_CLASSES, CompareResult
from reviewer.compare.side_by_side import CSS as COMPARE_CSS

HINT = "请分别上传旧版（修订前或上一年度）和新版报告，然后点击“开始对比”。"


def summary_markdown(r: CompareResult) -> str:
    """A short Chinese summary: counts, then one line per matched pair."""
    counts = "，".join(f"{c} **{r.count(c)}**" for c in FINDING_CLASSES)
    lines = [f"旧版 {r.old.reports} 份报告，新版 {r.new.reports} 份报告；匹配 **{len(r.matches)}** 对，"
             f"仅旧版 {len(r.only_old)} 份，仅新版 {len(r.only_new)} 份。", "", f"问题：{counts}。", ""]
    for k, m in enumerate(r.matches):
        n_changes = sum(1 for c in r.changes if c.pair == k)
        lines.append(f"{k + 1}. {m.kind}：《{m.old.title}》（{Path(m.old.file).name}）⇄《{m.new.title}》"
                     f"（{Path(m.new.file).name}）：改动 {n_changes} 处，已修正 {r.count('已修正', k)}，"
                     f"仍存在 {r.count('仍存在', k)}，新出现 {r.count('新出现', k)}")
    lines += [f"- ⚠ {e}" for e in r.old.errors + r.new.errors]
    return "\n".join(lines)


def _copy_uploads(paths: list[str], folder: Path) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for p in paths:
        dest = folder / Path(p).name
        shutil.copyfile(p, dest)
        out.append(str(dest))
    return out


def run_compare(old_paths: list[str], new_paths: list[str], work_dir: Path) -> tuple[str, str, list[str]]:
    """``(summary markdown, html body, files to download)`` for two sets of uploads."""
    from reviewer.compare.outputs import write_compare_outputs
    from reviewer.compare.run import compare_paths
    from reviewer.compare.side_by_side import compare_body

    if not old_paths or not new_paths:
        return HINT, "", []
    old = _copy_uploads(old_paths, work_dir / "旧版")
    new = _copy_uploads(new_paths, work_dir / "新版")
    cmp = compare_paths(old, new, _side_session)
    if not cmp.result.old.reports or not cmp.result.new.reports:
        errors = "\n".join(f"- ⚠ {e}" for e in cmp.result.old.errors + cmp.result.new.errors)
        return "旧版或新版中没有可读的报告。\n\n" + errors, "", []
    outs = write_compare_outputs(cmp, work_dir / "对比结果")
    return summary_markdown(cmp.result), compare_body(cmp), [str(outs.html), str(outs.xlsx), *map(str, outs.docx)]


def _side_session():
    """A session set up like the app's (``JIXIAO_UI_NO_LLM``, ``JIXIAO_CORPUS``), with its own
    reviewers: each side of a comparison needs its own batch context."""
    from reviewer.batch.session import open_session

    no_llm = os.environ.get("JIXIAO_UI_NO_LLM", "").lower() in ("1", "true", "yes")
    return open_session(no_llm=no_llm, corpus=os.environ.get("JIXIAO_CORPUS") or None, notify=lambda s: None)


def build_compare_tab(work_dir: Callable[[gr.Request | None], Path], paths: Callable[[object], list[str]], file_types: list[str]) -> None:
    """The tab's components and events (call inside ``gr.Tab``)."""
    gr.Markdown("上传同一批报告的两个版本：修订前与修订后，或上一年度与本年度。"
                "逐项列出改动（资金、指标、得分、等级、存在问题、改进措施），并把审阅问题分为已修正、仍存在、新出现。")
    with gr.Row():
        old = gr.File(label="旧版（修订前或上一年度）", file_count="multiple", file_types=file_types,
                      elem_id="compare-old", height=110)
        new = gr.File(label="新版", file_count="multiple", file_types=file_types, elem_id="compare-new", height=110)
    btn = gr.Button("开始对比", variant="primary", elem_id="compare-btn")
    summary = gr.Markdown(HINT, elem_id="compare-summary")
    files = gr.File(label="下载：compare.html、compare.xlsx、新版批注 Word", file_count="multiple", interactive=False,
                    elem_id="compare-files")
    view = gr.HTML("", elem_id="compare-view", css_template=COMPARE_CSS)

    def on_compare(old_files, new_files, request: gr.Request = None):
        from ui.file_access import own_paths

        user = getattr(request, "username", None)
        (old_paths, refused_old), (new_paths, refused_new) = own_paths(user, paths(old_files)), own_paths(user, paths(new_files))
        if refused_old or refused_new:
            return f"⚠ 以下文件不属于当前登录用户，未对比：{'、'.join(refused_old + refused_new)}", "", None
        md, body, out = run_compare(old_paths, new_paths, work_dir(request))
        return md, body, out or None

    btn.click(on_compare, [old, new], [summary, view, files], api_name="compare")
