"""The chat's model answer, streamed sentence by sentence, every number checked.

The model answers in plain text (``prompts/chat.v*.md``) so the answer can stream.  Text
goes out only in whole sentences, each checked by :class:`reviewer.llm.grounding.ChatNumberCheck`:
a number is kept as written when it is in the passages the model was given for the question
(the ones it cites), computed by jixiao for this report (rates, sums, scores, the rule
flags' expected values) or the report's year; a number found only elsewhere in the report
is marked ［未核实］ (the answer does not show its source); a sentence holding a number that
is nowhere in the report and not computed is removed, as in drafts, and the answer says how
many were.  Citation markers ``[n]`` name the numbered passages; only existing numbers are
kept.  An answer that only repeats the prompt is no answer (LLMError "echo").
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterator

from reviewer.llm.grounding import UNVERIFIED_MARK, ChatNumberCheck, chat_check
from reviewer.llm.numbers import NumberVerifier

if TYPE_CHECKING:  # pragma: no cover
    from ui.chat import Answer, Citation

__all__ = ["UNVERIFIED_MARK", "checked", "compose", "grounding_for", "stream_llm_answer", "verifier_for"]

_SENTENCE = re.compile(r"[^。；;！!？?\n]*[。；;！!？?\n]")
_PIECE = re.compile(r"[^。；;！!？?\n]*[。；;！!？?\n]|[^。；;！!？?\n]+$")  # sentences, and an unfinished one
_MARK = re.compile(r"[\[〔［](\d{1,2})[\]〕］]")
REMOVED_NOTE = "（已删除 {n} 句含有无法与报告核对的数字的文字。）"
MARKED_NOTE = ("（标有{mark}的 {n} 个数字见于报告其他部分，但不在所引段落中，也不是本工具的计算结果，请对照原文核实。）")
CUT_NOTE = "（回答达到长度上限，后面的内容未显示。）"


def _check_sentence(sent: str, check: ChatNumberCheck) -> tuple[str | None, int]:
    """The sentence with its report-only numbers marked (and how many), or None when it
    holds an invented number."""
    found = check.numbers(sent, skip=[m.span() for m in _MARK.finditer(sent)])
    if any(g.grounding == "invented" for g in found):
        return None, 0
    marked = 0
    for g in reversed(found):
        if g.grounding == "report" and not sent.startswith(UNVERIFIED_MARK, g.end):
            sent = sent[:g.end] + UNVERIFIED_MARK + sent[g.end:]
            marked += 1
    return sent, marked


def checked(text: str, check: ChatNumberCheck | NumberVerifier | None) -> tuple[str, int, int]:
    """``text`` checked sentence by sentence: (the text shown, sentences removed, numbers
    marked).  A plain :class:`NumberVerifier` (no passages known) removes the sentences
    with a number it cannot find in the report."""
    if check is None:
        return text, 0, 0
    kept, removed, marked = [], 0, 0
    for sent in _PIECE.findall(text):
        if isinstance(check, ChatNumberCheck):
            out, n = _check_sentence(sent, check)
        else:
            out, n = (None if check.unverified(_MARK.sub("", sent)) else sent), 0
        if out is None:
            removed += 1
        else:
            kept.append(out)
            marked += n
    return "".join(kept), removed, marked


def _complete(buffer: str) -> tuple[str, str]:
    """(the whole sentences at the start of ``buffer``, the rest)."""
    end = 0
    for m in _SENTENCE.finditer(buffer):
        end = m.end()
    return buffer[:end], buffer[end:]


def compose(text: str, cites: list["Citation"], removed: int, notes: list[str], marked: int = 0) -> "Answer":
    """The answer as shown: markers as 〔n〕, the passages it used as clickable citations."""
    from ui.chat import Answer, _clip, _link

    used = [int(m.group(1)) for m in _MARK.finditer(text) if 1 <= int(m.group(1)) <= len(cites)]
    used = list(dict.fromkeys(used))
    body = _MARK.sub(lambda m: f"〔{m.group(1)}〕" if 1 <= int(m.group(1)) <= len(cites) else "", text).strip()
    kept = [cites[n - 1] for n in used] or cites[:1]
    lines = [body or "…", ""]
    if removed:
        lines += [REMOVED_NOTE.format(n=removed), ""]
    if marked:
        lines += [MARKED_NOTE.format(mark=UNVERIFIED_MARK, n=marked), ""]
    lines += [*notes, "引用："] if notes else ["引用："]
    lines += [f"- {_link(c)}：「{_clip(c.text, 100)}」" for c in kept]
    return Answer(markdown="\n".join(lines), citations=kept, mode="llm", given=list(cites))


def stream_llm_answer(question: str, cites: list["Citation"],
                      check: ChatNumberCheck | NumberVerifier | None = None) -> Iterator["Answer"]:
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
    shown, pending, removed, marked = "", "", 0, 0
    for piece in client.stream_text(system, user, max_tokens=task_max_tokens(cfg, "chat")):
        pending += piece
        done, pending = _complete(pending)
        if done:
            kept, n, m = checked(done, check)
            shown, removed, marked = shown + kept, removed + n, marked + m
            yield compose(shown, cites, removed, [], marked)
    kept, n, m = checked(pending, check)
    shown, removed, marked = shown + kept, removed + n, marked + m
    if not _MARK.sub("", shown).strip() and not removed:
        raise LLMError("invalid_json", "empty answer")
    if echoed(_MARK.sub("", shown), system):
        raise LLMError("echo", shown[:200])
    notes = [CUT_NOTE] if getattr(client, "last_finish", None) == "length" else []
    yield compose(shown, cites, removed, notes, marked)


def grounding_for(view, cites: list["Citation"]) -> ChatNumberCheck | None:
    """The number check of an answer about a reviewed report ``view`` given ``cites``: the
    passages' numbers, what jixiao computed for the report, its year."""
    if view is None:
        return None
    return chat_check(view.parsed, view.report, view.flags, [c.text for c in cites])


def verifier_for(view) -> NumberVerifier | None:
    """The drafts' number check of a reviewed report (its text, its rule flags, jixiao's
    sums): any number of the report passes."""
    if view is None:
        return None
    from reviewer.llm.draft import make_verifier

    return make_verifier(view.parsed, view.report, [f for f in view.flags if f.source == "rule"])
