"""The reviewer web app (Gradio): review, chat with the report, drafting, batch.

``build_app()`` returns the Blocks; ``launch(host, port)`` serves it on 127.0.0.1 by
default, with an optional password (``JIXIAO_UI_AUTH="user:password"``), an upload size
limit (``JIXIAO_UI_MAX_FILE_SIZE``, default 20mb), no share link and no analytics.
Uploaded files and everything derived from them stay on this machine.
"""

from __future__ import annotations

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from pathlib import Path  # noqa: E402

import gradio as gr  # noqa: E402
from starlette.middleware import Middleware  # noqa: E402
import pandas as pd  # noqa: E402

from reviewer.ingest import SUPPORTED_EXTENSIONS  # noqa: E402
from reviewer.outputs.annotate import KIND_ZH, SEVERITY_ZH  # noqa: E402
from ui import chat as chat_mod  # noqa: E402
from ui.render import CSS, FLAG_COLUMNS, HEAD, SCROLL_TO_FOCUS_JS, flag_rows, report_html, score_markdown  # noqa: E402
from ui.llm_review import LLMJob, llm_wanted, merge  # noqa: E402
from ui.review import ReportView, review_paths  # noqa: E402
from ui.file_access import FileAccessMiddleware, hold_uploads, own_paths  # noqa: E402
from ui.file_access import work_dir as file_work_dir  # noqa: E402
from ui.sessions import MAX_SESSIONS, release_session  # noqa: E402
from ui.uploads import (DEFAULT_MAX_UPLOAD, forget_uploads, let_go, max_upload, over_request_limit,  # noqa: E402
                        upload_concurrency, upload_ttl)

UPLOAD_HINT = "请先上传报告（Word、Excel/WPS 表格、PDF、扫描件、网页或文本）。"

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860
DEFAULT_MAX_FILE_SIZE = DEFAULT_MAX_UPLOAD
SEVERITIES = [SEVERITY_ZH[s] for s in ("error", "warning", "info")]
KINDS = list(KIND_ZH.values())
EXAMPLE_QUESTIONS = ["预算执行率是多少？", "存在哪些问题？", "产出指标完成情况如何？"]


def _work_dir(request: gr.Request | None = None) -> Path:
    """A fresh folder for files generated for the request's login, inside that login's own
    folder of Gradio's cache (only that login may fetch them: ``ui.file_access``)."""
    return file_work_dir(_user(request))


def _user(request: gr.Request | None) -> str | None:
    """The login of a request (None: the app has no logins)."""
    return getattr(request, "username", None) if request is not None else None


def _refused_line(names: list[str]) -> str:
    return f"⚠ 以下文件不属于当前登录用户，未审阅：{'、'.join(names)}" if names else ""


def _empty_df() -> pd.DataFrame:
    return pd.DataFrame([], columns=FLAG_COLUMNS)


def _status_line() -> str:
    llm = "未配置（问答为原文摘录，起草为模板）"
    if chat_mod.llm_configured():
        try:
            from reviewer.llm.config import load_llm_config

            cfg = load_llm_config()
            llm = f"已配置（{cfg.model or cfg.base_url}）"
        except Exception:  # noqa: BLE001
            llm = "已配置"
    corpus = os.environ.get("JIXIAO_CORPUS")
    corpus_s = f"已加载（{Path(corpus).name}）" if corpus else "未加载"
    return f"大模型：{llm} · 往年报告语料库：{corpus_s} · 文件只在本机处理，不会上传到外部"


def _paths(files) -> list[str]:
    out = []
    for f in files or []:
        p = f if isinstance(f, str) else getattr(f, "name", None) or getattr(f, "path", None)
        if p:
            out.append(str(p))
    return out


# --------------------------------------------------------------------------- handlers


def _view(state: dict | None, key: str | None) -> ReportView | None:
    if not state or not key:
        return None
    return state["views"].get(key)


def _show(view: ReportView | None, sev, kinds, focus_flag=None, focus_passage=None):
    if view is None:
        return UPLOAD_HINT, _empty_df(), report_html("", [], [])
    from reviewer.profile import load_profile

    profile = load_profile()
    md = score_markdown(view.report, view.flags, view.recomputed, profile.grade)
    rows = flag_rows(view.flags, sev, kinds, view.passages, view.parsed.source)
    html_ = report_html(view.parsed.source.text, view.passages, view.flags, focus_flag, focus_passage)
    return md, pd.DataFrame(rows, columns=FLAG_COLUMNS), html_


def on_upload(files, sev, kinds, old: dict | None = None, request: gr.Request = None):
    paths, refused = own_paths(_user(request), _paths(files))
    hold_uploads(paths)  # this session holds them from now on
    forget_uploads(old)  # the state of the previous upload goes (what only it held is deleted)
    too_big = over_request_limit(paths) or _refused_line(refused)
    if not paths or too_big:
        let_go(paths)
        return (None, gr.update(choices=[], value=None), gr.update(choices=[], value=None), too_big,
                *_show(None, sev, kinds), [], gr.update(choices=[], value=None), "", *REPORT_RESET)
    res = review_paths(paths)
    views = {v.key: v for v in res.views}
    choices = [(v.choice, v.key) for v in res.views]
    first = res.views[0].key if res.views else None
    msgs = []
    if res.views:
        names = "、".join(dict.fromkeys(v.name for v in res.views))
        msgs.append(f"已审阅 {len({v.key.split(':')[0] for v in res.views})} 个文件，{len(res.views)} 份报告：{names}")
    msgs += [f"⚠ {e}" for e in res.errors]
    msgs += [f"ℹ {n}" for n in res.notices]
    state = {"views": views, "cites": {}, "uploads": paths, "outputs": []}
    if res.views and llm_wanted():  # the rule findings are shown now; the model's follow
        state["llm"] = LLMJob(res.views)
        msgs.append("ℹ 大模型审阅在后台进行，其发现将陆续加入问题清单。")
    return (state, gr.update(choices=choices, value=first), gr.update(choices=choices, value=first), "\n\n".join(msgs),
            *_show(views.get(first), sev, kinds), [], gr.update(choices=[], value=None), "", *REPORT_RESET)


def on_llm_tick(state, key, sev, kinds):
    """The timer: the background LLM review's progress, and its findings as they come."""
    job = (state or {}).get("llm")
    if job is None:
        return gr.update(), gr.update(), gr.update(), gr.update()
    changed = False
    for k, view in state["views"].items():
        new = job.take(k)
        if new is not None:
            merge(view, new)
            changed = changed or k == key
    status = job.status()
    if job.finished:
        state["llm"] = None  # said once; the page keeps the last line
    shown = _show(_view(state, key), sev, kinds) if changed else (gr.update(), gr.update(), gr.update())
    return status, *shown


# what belongs to the report shown before: its flag detail, its annotated .docx and message
REPORT_RESET = ("", None, "")


def on_select_report(state, key, sev, kinds):
    view = _view(state, key)
    if state is not None:
        state["cites"] = {}
    return (*_show(view, sev, kinds), [], gr.update(choices=[], value=None), "", *REPORT_RESET)


def on_select_draft_report(state, key):
    """Another report in the 起草 tab: the draft and download of the one before go."""
    return "", "", "", None


def on_filter(state, key, sev, kinds):
    view = _view(state, key)
    if view is None:
        return _empty_df()
    return pd.DataFrame(flag_rows(view.flags, sev, kinds, view.passages, view.parsed.source), columns=FLAG_COLUMNS)


def on_flag_select(state, key, evt: gr.SelectData):
    view = _view(state, key)
    if view is None:
        return gr.update(), ""
    num = None
    row = getattr(evt, "row_value", None)
    try:
        num = int(row[0]) if row else None
    except (TypeError, ValueError):
        num = None
    if num is None or not (1 <= num <= len(view.flags)):
        return gr.update(), ""
    f = view.flags[num - 1]
    html_ = report_html(view.parsed.source.text, view.passages, view.flags, focus_flag=num)
    quotes = "\n".join(f"> {ev.quote[:300]}" for ev in f.evidence)
    exp = ""
    if f.expected is not None or f.stated is not None:
        exp = f"\n\n应为：{f.expected or '—'}；报告所述：{f.stated or '—'}"
    return html_, f"**#{num} {f.rule}** {f.message}{exp}\n\n{quotes}"


def on_ask_stream(state, key, question, history):
    """The chat: the model's answer streams in whole, number-checked sentences."""
    history = list(history or [])
    view = _view(state, key)
    question = (question or "").strip()
    if not question:
        yield history, "", gr.update(), gr.update()
        return
    history.append({"role": "user", "content": question})
    if view is None:
        history.append({"role": "assistant", "content": "请先上传报告。"})
        yield history, "", gr.update(choices=[], value=None), ""
        return
    history.append({"role": "assistant", "content": "…"})
    ans = None
    for ans in chat_mod.stream_answer(question, view.passages, corpus=os.environ.get("JIXIAO_CORPUS") or None,
                                      view=view):
        history[-1] = {"role": "assistant", "content": ans.markdown}
        yield history, "", gr.update(), gr.update()
    cites = {c.choice: c for c in ans.citations}
    state["cites"] = cites
    yield history, "", gr.update(choices=list(cites), value=None), ""


def on_ask(state, key, question, history):
    """The chat's final answer (what the stream ends with)."""
    out = None
    for out in on_ask_stream(state, key, question, history):
        pass
    return out


def on_cite(state, key, choice):
    view = _view(state, key)
    if view is None or not choice or not state.get("cites") or choice not in state["cites"]:
        return gr.update(), ""
    c = state["cites"][choice]
    body = c.text.replace("\t", " │ ")
    md = f"**{c.choice}**" + ("（往年报告）" if c.source == "corpus" else "") + f"\n\n> {body}"
    if c.source != "report" or c.start is None:
        return gr.update(), md
    html_ = report_html(view.parsed.source.text, view.passages, view.flags, focus_passage=c.start)
    return html_, md


def _session_dir(state: dict | None, request: gr.Request | None) -> Path:
    """A folder for a download of this session, deleted with the session's uploads."""
    d = _work_dir(request)
    if isinstance(state, dict):
        state.setdefault("outputs", []).append(str(d))
    return d


def on_annotate(state, key, request: gr.Request = None):
    from reviewer.outputs.annotate import write_annotated

    view = _view(state, key)
    if view is None:
        return None, "请先上传报告。"
    # every report of the file goes into the one annotated document
    flags = [f for v in state["views"].values() if v.parsed is view.parsed for f in v.flags]
    out = _session_dir(state, request) / f"{Path(view.name).stem}.审阅.docx"
    res = write_annotated(view.parsed, flags, out)
    return str(res.path), f"已生成 {res.path.name}：{res.comments} 条批注。"


def on_draft(state, key):
    from ui.drafting import make_draft

    view = _view(state, key)
    if view is None:
        return "", "", "请先在“审阅”页上传报告。"
    problems, measures, note, draft = make_draft(view)
    state.setdefault("drafts", {})[key] = draft
    return problems, measures, note


def on_draft_docx(state, key, problems, measures, request: gr.Request = None):
    from ui.drafting import draft_docx

    view = _view(state, key)
    name = f"{Path(view.name).stem}.存在问题及改进措施.docx" if view else "存在问题及改进措施.docx"
    original = (state or {}).get("drafts", {}).get(key)
    return str(draft_docx(view, problems, measures, _session_dir(state, request) / name, original))


def on_batch(files, request: gr.Request = None, progress=gr.Progress()):
    from ui.batch import run_batch

    paths, refused = own_paths(_user(request), _paths(files))
    if not paths:
        yield _refused_line(refused) or "请先选择文件。", None, None
        return
    total = len(paths)
    progress(0, desc=f"0/{total}")
    for st in run_batch(paths, _work_dir(request)):
        progress(st.done / max(total, 1), desc=f"{st.done}/{total}")
        head = f"进度：{st.done}/{total}"
        if st.zip_path is not None:
            head = f"完成：{st.done}/{total} 个文件"
        yield (head + "\n\n" + "\n\n".join(st.lines),
               str(st.summary) if st.summary and st.summary.exists() else None,
               str(st.zip_path) if st.zip_path and st.zip_path.exists() else None)


# --------------------------------------------------------------------------- layout


def build_app() -> gr.Blocks:
    with gr.Blocks(title="绩效自评报告审阅 · jixiao", analytics_enabled=False, delete_cache=(3600, 86400)) as demo:
        # one user's uploads live in their session's state only; when the tab closes or the
        # state expires, the uploaded files and what was made from them are deleted
        state = gr.State(None, time_to_live=upload_ttl(), delete_callback=forget_uploads)
        gr.Markdown("## 绩效自评报告审阅 · jixiao")
        gr.Markdown(_status_line(), elem_id="jx-status")
        with gr.Tabs():
            with gr.Tab("审阅", id="review"):
                with gr.Row():
                    upload = gr.File(label="上传报告（Word、Excel/WPS 表格、PDF、扫描件、网页、文本，可多选）", file_count="multiple",
                                     file_types=list(SUPPORTED_EXTENSIONS), elem_id="upload", scale=2)
                    with gr.Column(scale=3):
                        report_dd = gr.Dropdown(label="报告", choices=[], elem_id="report-select", interactive=True)
                        upload_msg = gr.Markdown(elem_id="upload-msg")
                        llm_md = gr.Markdown(elem_id="llm-progress")
                score_md = gr.Markdown(UPLOAD_HINT, elem_id="score")
                with gr.Row():
                    sev_cb = gr.CheckboxGroup(SEVERITIES, value=SEVERITIES, label="严重程度", elem_id="sev-filter", scale=1)
                    kind_cb = gr.CheckboxGroup(KINDS, value=KINDS, label="类型", elem_id="kind-filter", scale=3)
                flags_df = gr.Dataframe(value=_empty_df(), headers=FLAG_COLUMNS, interactive=False, wrap=True,
                                        label="问题清单（点击一行在原文中定位）", elem_id="flags", max_height=330,
                                        column_widths=["4%", "6%", "6%", "7%", "37%", "9%", "9%", "8%", "14%"])
                flag_detail = gr.Markdown(elem_id="flag-detail")
                with gr.Row(equal_height=False):
                    with gr.Column(scale=6):
                        gr.Markdown("**报告原文**（高亮为问题证据：红=错误，黄=警告，蓝=提示；悬停查看说明）")
                        text_html = gr.HTML(report_html("", [], []), elem_id="report-text")
                        with gr.Row():
                            annotate_btn = gr.Button("生成批注版 Word（.docx）", elem_id="annotate-btn", variant="secondary")
                            annotate_msg = gr.Markdown(elem_id="annotate-msg")
                        annotated_file = gr.File(label="批注版下载", elem_id="annotated", interactive=False, height=80)
                    with gr.Column(scale=5):
                        chatbot = gr.Chatbot(label="与报告对话", elem_id="chat", height=420,
                                             placeholder="就这份报告提问，回答附带可点击的引用（段落 / 表格单元格）。")
                        with gr.Row():
                            question = gr.Textbox(label="问题", placeholder="例如：预算执行率是多少？", show_label=False,
                                                  elem_id="question", scale=5, lines=1)
                            send = gr.Button("发送", variant="primary", elem_id="send", scale=1)
                        gr.Examples(EXAMPLE_QUESTIONS, inputs=question, label="示例问题")
                        cite_radio = gr.Radio(choices=[], label="引用（点击查看原文并在左侧定位）", elem_id="citations")
                        passage_md = gr.Markdown(elem_id="passage")

            with gr.Tab("起草", id="draft"):
                gr.Markdown("根据审阅发现起草“存在问题”和“改进措施”，可直接修改后下载 Word。未配置大模型时生成模板草稿。")
                with gr.Row():
                    draft_dd = gr.Dropdown(label="报告", choices=[], elem_id="draft-select", interactive=True, scale=4)
                    draft_btn = gr.Button("生成草稿", variant="primary", elem_id="draft-btn", scale=1)
                draft_note = gr.Markdown(elem_id="draft-note")
                with gr.Row():
                    problems_tb = gr.Textbox(label="存在问题（每行一条，可编辑）", lines=12, elem_id="draft-problems")
                    measures_tb = gr.Textbox(label="改进措施（每行一条，可编辑）", lines=12, elem_id="draft-measures")
                draft_dl_btn = gr.Button("下载 .docx", elem_id="draft-download-btn")
                draft_file = gr.File(label="草稿下载", elem_id="draft-file", interactive=False)

            with gr.Tab("批量", id="batch"):
                gr.Markdown("一次上传多个报告，生成问题清单 summary.xlsx 和全部批注版 Word（zip）。")
                batch_files = gr.File(label="选择多个报告", file_count="multiple", file_types=list(SUPPORTED_EXTENSIONS),
                                      elem_id="batch-upload")
                batch_btn = gr.Button("开始批量审阅", variant="primary", elem_id="batch-btn")
                batch_md = gr.Markdown(elem_id="batch-progress")
                with gr.Row():
                    batch_xlsx = gr.File(label="summary.xlsx", elem_id="batch-xlsx", interactive=False)
                    batch_zip = gr.File(label="批注版 Word（zip）", elem_id="batch-zip", interactive=False)

            with gr.Tab("对比", id="compare"):
                from ui.compare import build_compare_tab

                build_compare_tab(_work_dir, _paths, list(SUPPORTED_EXTENSIONS))

        view_outputs = [score_md, flags_df, text_html]
        llm_timer = gr.Timer(2.0)
        llm_timer.tick(on_llm_tick, [state, report_dd, sev_cb, kind_cb], [llm_md, *view_outputs],
                       show_progress="hidden")
        chat_reset = [chatbot, cite_radio, passage_md]
        report_reset = [flag_detail, annotated_file, annotate_msg]
        upload.change(on_upload, [upload, sev_cb, kind_cb, state],
                      [state, report_dd, draft_dd, upload_msg, *view_outputs, *chat_reset, *report_reset],
                      concurrency_limit=upload_concurrency())  # reviews run in worker processes: users do not wait in line
        report_dd.input(on_select_report, [state, report_dd, sev_cb, kind_cb], [*view_outputs, *chat_reset, *report_reset])
        draft_dd.input(on_select_draft_report, [state, draft_dd], [problems_tb, measures_tb, draft_note, draft_file])
        sev_cb.change(on_filter, [state, report_dd, sev_cb, kind_cb], flags_df)
        kind_cb.change(on_filter, [state, report_dd, sev_cb, kind_cb], flags_df)
        flags_df.select(on_flag_select, [state, report_dd], [text_html, flag_detail]).then(
            None, None, None, js=SCROLL_TO_FOCUS_JS)
        for trigger in (send.click, question.submit):
            trigger(on_ask_stream, [state, report_dd, question, chatbot], [chatbot, question, cite_radio, passage_md],
                    api_name="ask" if trigger == send.click else False)
        cite_radio.input(on_cite, [state, report_dd, cite_radio], [text_html, passage_md]).then(
            None, None, None, js=SCROLL_TO_FOCUS_JS)
        annotate_btn.click(on_annotate, [state, report_dd], [annotated_file, annotate_msg], api_name="annotate")
        draft_btn.click(on_draft, [state, draft_dd], [problems_tb, measures_tb, draft_note], api_name="draft")
        draft_dl_btn.click(on_draft_docx, [state, draft_dd, problems_tb, measures_tb], draft_file)
        batch_btn.click(on_batch, batch_files, [batch_md, batch_xlsx, batch_zip], api_name="batch")

        def on_close(request: gr.Request) -> None:
            """The tab is closed: its uploads, files and reviewed reports go now."""
            release_session(demo, getattr(request, "session_hash", None))

        demo.unload(on_close)
    return demo


# --------------------------------------------------------------------------- serving


def parse_auth(value: str | None) -> list[tuple[str, str]] | None:
    """``"user:password"`` (several separated by commas) → Gradio's auth list."""
    if not value:
        return None
    out = []
    for item in value.split(","):
        item = item.strip()
        if not item:
            continue
        user, sep, pw = item.partition(":")
        if not sep or not user or not pw:
            raise ValueError("JIXIAO_UI_AUTH 格式应为 user:password / JIXIAO_UI_AUTH must be user:password")
        out.append((user, pw))
    return out or None


def launch_kwargs(host: str = DEFAULT_HOST, port: int | None = DEFAULT_PORT) -> dict:
    """Everything passed to ``Blocks.launch`` (also used by the tests)."""
    return dict(
        server_name=host,
        server_port=port,
        share=False,
        auth=parse_auth(os.environ.get("JIXIAO_UI_AUTH")),
        auth_message="请输入用户名和密码",
        max_file_size=max_upload(),
        enable_monitoring=False,
        footer_links=[],
        css=CSS,
        head=HEAD,
        theme=gr.themes.Soft(font=["WenQuanYi Micro Hei", "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", "sans-serif"],
                             font_mono=["WenQuanYi Micro Hei Mono", "monospace"]),
        mcp_server=False,
        state_session_capacity=MAX_SESSIONS,
        # the file routes serve a login's uploads and downloads to that login only
        app_kwargs={"middleware": [Middleware(FileAccessMiddleware)]},
        ssr_mode=False,  # no Node side server: one local process serves everything
        pwa=False,
        # Gradio 6 shows the key of a message it has no translation for (common.complete after a
        # finished event); the reviewer reads Chinese whatever the browser's language
        i18n=gr.I18n(**{loc: {"common.complete": "完成"} for loc in ("zh-CN", "zh", "en")}),
    )


def launch(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, **extra):
    demo = build_app()
    kw = launch_kwargs(host, port)
    kw.update(extra)
    return demo.launch(**kw)
