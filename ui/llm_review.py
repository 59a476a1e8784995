"""The web app's LLM review: rules first, the model in the background.

An upload is reviewed by the rules at once (``ui.review.review_paths`` without the
model); then :class:`LLMJob` asks the model about each report in a background thread,
and the page polls :meth:`LLMJob.status` and :meth:`LLMJob.take` (a timer) to show the
progress and add the model's findings as they come.  The findings pass the same
guardrails as in ``check`` (``reviewer.llm.review``) and are grounded in the source
text; rule flags are never changed.  A failing model is said once, with its cause.
"""

from __future__ import annotations

import logging
import os
import threading

from reviewer.models import Flag

log = logging.getLogger(__name__)


def llm_wanted() -> bool:
    """A model is configured and the app was not told to go without one."""
    if os.environ.get("JIXIAO_UI_NO_LLM", "").lower() in ("1", "true", "yes"):
        return False
    from ui.chat import llm_configured

    return llm_configured()


class LLMJob:
    """The model's review of an upload's reports (``views``), in a background thread."""

    def __init__(self, views: list, reviewer=None):
        self.total = len(views)
        self.done = 0
        self.added = 0
        self.failures: list[str] = []
        self.finished = False
        self._new: dict[str, list[Flag]] = {}
        self._lock = threading.Lock()
        self._views = list(views)
        self._reviewer = reviewer
        self._thread = threading.Thread(target=self._run, name="jixiao-ui-llm", daemon=True)
        self._thread.start()

    def _make_reviewer(self):
        from reviewer.llm.review import make_reviewer
        from reviewer.reviewers import ReviewOptions
        from ui.review import get_session

        notices: list[str] = []
        rv = make_reviewer(ReviewOptions(profile=get_session(no_llm=True).profile, notices=notices))
        if rv is not None:
            rv.client._notify = self._note  # what the negotiation finds is shown on the page
        for n in notices:
            self._note(n)
        return rv

    def _note(self, text: str) -> None:
        with self._lock:
            if text and text not in self.failures:
                self.failures.append(text)

    def _run(self) -> None:
        from reviewer.outputs.records import ground_flags

        try:
            rv = self._reviewer or self._make_reviewer()
            for view in self._views if rv is not None else []:
                rule_flags = [f for f in view.flags if f.source == "rule"]
                res = rv.review(view.parsed, view.report, [f.model_copy(deep=True) for f in rule_flags])
                flags, _, _ = ground_flags([f.model_copy(update={"file": view.name}) for f in res.flags
                                            if f.source == "llm"], view.parsed.source)
                with self._lock:
                    self._new[view.key] = flags
                    self.added += len(flags)
                    self.done += 1
                for failure in res.failures:
                    self._note(failure.message_zh)
        except Exception as e:  # noqa: BLE001 — the rule findings stay; say what happened
            log.exception("LLM review in the app failed")
            self._note(f"大模型审阅出错（{type(e).__name__}），只显示程序检查结果。")
        finally:
            self.finished = True

    def take(self, key: str) -> list[Flag] | None:
        """The model's findings for report ``key`` once they are in (then None)."""
        with self._lock:
            return self._new.pop(key, None)

    def status(self) -> str:
        """One line for the page: progress, then the result and any cause of failure."""
        with self._lock:
            done, total, added, failures = self.done, self.total, self.added, list(self.failures)
        if not self.finished:
            head = f"大模型审阅中：{done}/{total} 份报告已完成（程序检查结果已显示，大模型发现将陆续加入）"
        else:
            head = f"大模型审阅完成：{done}/{total} 份报告，新增 {added} 条判断类发现"
        return "\n\n".join([head, *[f"⚠ {f}" for f in failures]])


def merge(view, flags: list[Flag]) -> None:
    """Add the model's findings to a report's view (rule flags untouched)."""
    from ui.render import sort_flags

    view.flags = sort_flags([f for f in view.flags if f.source != "llm"] + list(flags))
