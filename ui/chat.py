"""Chat with a report: answers grounded in the report's passages, with citations.

* With an LLM configured (``reviewer.llm``), the model answers from the numbered passages
  and names the numbers it used; only numbers that exist are kept as citations.  Each
  figure it writes must be in those passages, computed by jixiao or the report's year
  (ui.llm_chat: else marked ［未核实］, or its sentence removed when it is nowhere in the report).
* With no LLM (or when the call fails), the answer is extractive: the best passages,
  verbatim, with their citations, and a plain statement that no model is configured.
* When a corpus of earlier reports is indexed (``vectorstore``), its best matches are
  added as further citations (shown, not linked into the report pane).

Citations are Markdown links ``[〔1〕三、存在问题 › 段落12](#psg-<start>)``; the app's
page script turns a click on one into a scroll to that passage in the text pane.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from ui.passages import Hit, Passage, rank

log = logging.getLogger(__name__)

NO_LLM_NOTE = "（未配置大模型，以下为报告中与问题最相关的原文段落，按相关度排列。）"
LLM_FAILED_NOTE = "（大模型调用失败：{err}。以下为报告中与问题最相关的原文段落。）"
NOTHING_FOUND = "报告中没有找到与问题相关的内容。请换个说法，例如“预算执行率是多少”“存在哪些问题”。"


@dataclass
class Citation:
    n: int
    label: str  # e.g. 三、存在问题 › 段落12
    text: str  # the passage text (verbatim)
    anchor: str | None = None  # element id in the text pane (None for corpus passages)
    start: int | None = None
    end: int | None = None
    source: str = "report"  # report | corpus

    @property
    def choice(self) -> str:
        return f"〔{self.n}〕{self.label}"


@dataclass
class Answer:
    markdown: str
    citations: list[Citation] = field(default_factory=list)
    mode: str = "extractive"  # extractive | llm
    given: list[Citation] = field(default_factory=list)  # the passages the model was given (llm)


def _clip(s: str, n: int = 160) -> str:
    s = re.sub(r"\s*\n\s*", " ", s.replace("\t", " │ ")).strip()
    return s if len(s) <= n else s[:n] + "…"


def _link(c: Citation) -> str:
    if c.anchor:
        return f"[{c.choice}](#{c.anchor})"
    return f"**{c.choice}**"


def citations_from_hits(hits: list[Hit]) -> list[Citation]:
    out = []
    for i, h in enumerate(hits, 1):
        p = h.passage
        out.append(Citation(n=i, label=h.cite(), text=p.shown, anchor=p.anchor, start=p.start, end=p.end))
    return out


def extractive_answer(question: str, passages: list[Passage], k: int = 3, note: str = NO_LLM_NOTE,
                      corpus: list[Citation] | None = None) -> Answer:
    hits = rank(question, passages, k=k)
    cites = citations_from_hits(hits)
    for c in corpus or []:
        c.n = len(cites) + 1
        cites.append(c)
    if not cites:
        return Answer(markdown=f"{note}\n\n{NOTHING_FOUND}", citations=[])
    lines = [note, ""]
    for c in cites:
        src = "" if c.source == "report" else "（往年报告）"
        lines.append(f"{c.n}. {src}「{_clip(c.text)}」 —— {_link(c)}")
    return Answer(markdown="\n".join(lines), citations=cites, mode="extractive")


# --------------------------------------------------------------------------- LLM

# the prompt is prompts/chat.v*.md; the answer is streamed and checked by ui.llm_chat


def llm_configured() -> bool:
    try:
        from reviewer.llm.config import load_llm_config
    except ImportError:
        return False
    try:
        return load_llm_config().configured
    except Exception:  # a broken config must not break the app
        return False


def _llm_answer(question: str, cites: list[Citation], verifier=None) -> Answer:
    """The model's whole answer (ui.llm_chat streams it; every number checked)."""
    from ui.llm_chat import stream_llm_answer

    last = None
    for last in stream_llm_answer(question, cites, verifier):
        pass
    return last


def _failed_note(e: Exception) -> str:
    """Why the model did not answer, in words (密钥无效 / 连接被拒绝 / 超时 …)."""
    from reviewer.llm.client import LLMError

    if isinstance(e, LLMError):
        from reviewer.llm.config import load_llm_config

        return LLM_FAILED_NOTE.format(err=e.failure(load_llm_config()).message_zh)
    return LLM_FAILED_NOTE.format(err=type(e).__name__)


_STORES: dict[str, object] = {}


def corpus_citations(question: str, corpus: str | None, k: int = 2, min_score: float = 0.3) -> list[Citation]:
    """Best matches from an indexed corpus of earlier reports (``jixiao index``); [] when
    no corpus is given or it cannot be searched (never raises)."""
    if not corpus:
        return []
    try:
        from vectorstore.store import VectorStore

        store = _STORES.get(corpus)
        if store is None:
            store = _STORES[corpus] = VectorStore(corpus)
        hits = store.search(question, k=k)
    except Exception as e:  # noqa: BLE001 — the corpus is optional
        log.warning("corpus search failed: %s", e)
        return []
    out = []
    for h in hits:
        if getattr(h, "score", 1.0) < min_score or not getattr(h, "text", ""):
            continue
        m = getattr(h, "meta", {}) or {}
        label = f"{m.get('file_name', '往年报告')}《{m.get('title', '')}》" + (f" {m['location']}" if m.get("location") else "")
        out.append(Citation(n=0, label=label, text=h.text, source="corpus"))
    return out


def answer(question: str, passages: list[Passage], *, use_llm: bool | None = None, corpus: str | None = None,
           k: int = 4, view=None) -> Answer:
    """Answer ``question`` from the report's passages (and the corpus when indexed).
    With no model and the reviewed report ``view`` given, questions about the findings and
    the figures of the 自评表 are answered from what the tool computed (ui.offline_answers)."""
    question = (question or "").strip()
    if not question:
        return Answer(markdown="请输入问题。")
    corpus_cites = corpus_citations(question, corpus)
    if use_llm is None:
        use_llm = llm_configured()
    if use_llm:
        hits = rank(question, passages, k=max(k, 6))
        cites = citations_from_hits(hits)
        for c in corpus_cites:
            c.n = len(cites) + 1
            cites.append(c)
        if not cites:
            return Answer(markdown=NOTHING_FOUND)
        try:
            if view is None:
                return _llm_answer(question, cites)
            from ui.llm_chat import grounding_for

            return _llm_answer(question, cites, grounding_for(view, cites))
        except Exception as e:  # noqa: BLE001 — fall back to the extractive answer
            log.warning("LLM chat failed: %s", e)
            return extractive_answer(question, passages, k=3, note=_failed_note(e), corpus=corpus_cites)
    if view is not None:
        from ui.offline_answers import known_answer

        known = known_answer(question, view)
        if known is not None:
            return known
    return extractive_answer(question, passages, k=3, corpus=corpus_cites)


def stream_answer(question: str, passages: list[Passage], *, corpus: str | None = None, view=None,
                  use_llm: bool | None = None):
    """Like :func:`answer`, but yields the model's answer as it is written (whole,
    number-checked sentences); without a model it yields the one answer."""
    question = (question or "").strip()
    if use_llm is None:
        use_llm = llm_configured()
    if not question or not use_llm:
        yield answer(question, passages, corpus=corpus, view=view, use_llm=use_llm)
        return
    corpus_cites = corpus_citations(question, corpus)
    cites = citations_from_hits(rank(question, passages, k=6))
    for c in corpus_cites:
        c.n = len(cites) + 1
        cites.append(c)
    if not cites:
        yield Answer(markdown=NOTHING_FOUND)
        return
    from ui.llm_chat import grounding_for, stream_llm_answer

    try:
        yield from stream_llm_answer(question, cites, grounding_for(view, cites))
    except Exception as e:  # noqa: BLE001 — fall back to the extractive answer
        log.warning("LLM chat failed: %s", e)
        yield extractive_answer(question, passages, k=3, note=_failed_note(e), corpus=corpus_cites)
