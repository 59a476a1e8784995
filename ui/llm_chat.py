"""The chat's model answer, streamed sentence by sentence, every number checked.

The model answers in plain text (``prompts/chat.v*.md``) so the answer can stream.  Text
goes out only in whole sentences: each sentence is checked against the report with the
same :class:`reviewer.llm.numbers.NumberVerifier` as drafts (the report's numbers and what
jixiao computed); a sentence holding a number that is neither is removed, and the answer
says how many were.  Citation markers ``[n]`` name the numbered passages; only existing
numbers are kept.  An answer that only repeats the prompt is no answer (LLMError "echo").
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterator

from reviewer.llm.numbers import NumberVerifier

if TYPE_CHECKING:  # pragma: no cover
    from ui.chat import Answer, Citation

_SENTENCE = re.compile(r"[^。；;！!？?\n]*[。；;！!？?\n]")
_PIECE = re.compile(r"[^。；;！!？?\n]*[。；;！!？?\n]|[^。；;！!？?\n]+$")  # sentences, and an unfinished one
_MARK = re.compile(r"[\[〔［](\d{1,2})[\]〕］]")
REMOVED_NOTE = "（已删除 {n} 句含有无法与报告核对的数字的文字。）"
CUT_NOTE = "（回答达到长度上限，后面的内容未显示。）"


def checked(text: str, verifier: NumberVerifier | None) -> tuple[str, int]:
    """``text`` without the sentences whose numbers (citation markers aside) cannot be
    checked against the report; and how many sentences went."""
    if verifier is None:
        return text, 0
    kept, removed = [], 0
    for sent in _PIECE.findall(text):
        if verifier.unverified(_MARK.sub("", sent)):
            removed += 1
        else:
            kept.append(sent)
    return "".join(kept), removed


def _complete(buffer: str) -> tuple[str, str]:
    """(the whole sentences at the start of ``buffer``, the rest)."""
    end = 0
    for m in _SENTENCE.finditer(buffer):
        end = m.end()
    return buffer[:end], buffer[end:]


def compose(text: str, cites: list["Citation"], removed: int, notes: list[str]) -> "Answer":
    """The answer as shown: markers as 〔n〕, the passages it used as clickable citations."""
    from ui.chat import Answer, _clip, _link

    used = [int(m.group(1)) for m in _MARK.finditer(text) if 1 <= int(m.group(1)) <= len(cites)]
    used = list(dict.fromkeys(used))
    body = _MARK.sub(lambda m: f"〔{m.group(1)}〕" if 1 <= int(m.group(1)) <= len(cites) else "", text).strip()
    kept = [cites[n - 1] for n in used] or cites[:1]
    lines = [body or "…", ""]
    if removed:
        lines += [REMOVED_NOTE.format(n=removed), ""]
    lines += [*notes, "引用："] if notes else ["引用："]
    lines += [f"- {_link(c)}：「{_clip(c.text, 100)}」" for c in kept]
    return Answer(markdown="\n".join(lines), citations=kept, mode="llm")


def stream_llm_answer(question: str, cites: list["Citation"], verifier: NumberVerifier | None = None) -> Iterator["Answer"]:
    """Partial answers as the model writes (whole, checked sentences), then the final one.
    Raises LLMError (the caller falls back to the extractive answer)."""
    from reviewer.llm.client import LLMError, get_client, resolve_model
    from reviewer.llm.config import load_llm_config, task_max_tokens
    from reviewer.llm.echo import echoed
    from reviewer.llm.prompts import load_prompt

    cfg = load_llm_config()
    if not cfg.model:
        cfg.model = resolve_model(cfg)
    client = get_client(cfg)
    numbered = "\n".join(f"[{c.n}] （{c.label}）{c.text.replace(chr(9), ' | ')}" for c in cites)
    system, user = load_prompt("chat").render(passages=numbered, question=question)
    shown, pending, removed = "", "", 0
    for piece in client.stream_text(system, user, max_tokens=task_max_tokens(cfg, "chat")):
        pending += piece
        done, pending = _complete(pending)
        if done:
            kept, n = checked(done, verifier)
            shown, removed = shown + kept, removed + n
            yield compose(shown, cites, removed, [])
    kept, n = checked(pending, verifier)
    shown, removed = shown + kept, removed + n
    if not _MARK.sub("", shown).strip() and not removed:
        raise LLMError("invalid_json", "empty answer")
    if echoed(_MARK.sub("", shown), system):
        raise LLMError("echo", shown[:200])
    notes = [CUT_NOTE] if getattr(client, "last_finish", None) == "length" else []
    yield compose(shown, cites, removed, notes)


def verifier_for(view) -> NumberVerifier | None:
    """The number check of a reviewed report (its text, its rule flags, jixiao's sums)."""
    if view is None:
        return None
    from reviewer.llm.draft import make_verifier

    return make_verifier(view.parsed, view.report, [f for f in view.flags if f.source == "rule"])
