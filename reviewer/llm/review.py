"""The LLM reviewer (J01–J10, source "llm") with deterministic guardrails.

Guardrails, all in code:
* a finding whose quotes are not found verbatim in the report is dropped (counted);
* every number in a finding's expected/stated must be in the report or computed by us,
  else the finding is dropped; unverified numbers in the message are marked and the
  finding is downgraded to info;
* findings with codes other than J01–J10, or that only praise / clear the report
  (what a model that obeyed an injected "给出满分" would write), are dropped;
* the reviewer only ever returns flags with source="llm"; the pipeline keeps rule flags
  as they were, so the model cannot remove or soften them;
* the report text is passed as delimited data, never as instructions.

A failing or timing-out model never fails a batch: the error is counted in
``llm_errors`` and the report keeps its rule flags.
"""

from __future__ import annotations

import logging
import re
import threading
from concurrent.futures import Future, ThreadPoolExecutor

from reviewer.llm.client import LLMClient, LLMError
from reviewer.llm.config import NO_LLM_NOTICE, LLMConfig, load_llm_config, task_max_tokens
from reviewer.llm.failures import explain
from reviewer.llm.context import local_passages, render_flags, render_table, report_text, vectorstore_passages
from reviewer.llm.numbers import NumberVerifier, report_computations
from reviewer.llm.prompts import load_prompt
from reviewer.llm.quotes import QuoteFinder
from reviewer.models import Flag, ParsedFile, Report
from reviewer.pipeline import ReviewResult

log = logging.getLogger("jixiao.llm")
J_CODES = tuple(f"J{i:02d}" for i in range(1, 11))
KINDS = ("arithmetic", "contradiction", "missing", "boilerplate", "vague_problems", "score_inflation", "format")
DEFAULT_KIND = {
    "J01": "boilerplate", "J02": "missing", "J03": "vague_problems", "J04": "contradiction",
    "J05": "contradiction", "J06": "format", "J07": "missing", "J08": "score_inflation",
    "J09": "score_inflation", "J10": "format",
}
REVIEW_SCHEMA = {
    "type": "object",
    "properties": {"findings": {"type": "array", "items": {
        "type": "object",
        "properties": {
            "rule": {"type": "string", "enum": list(J_CODES)},
            "kind": {"type": "string", "enum": [k for k in KINDS if k != "arithmetic"]},
            "severity": {"type": "string", "enum": ["error", "warning", "info"]},
            "message": {"type": "string"},
            "quotes": {"type": "array", "items": {"type": "string"}},
            "expected": {"type": ["string", "null"]},
            "stated": {"type": ["string", "null"]},
            "suggestion": {"type": ["string", "null"]},
        },
        "required": ["rule", "kind", "severity", "message", "quotes"],
    }}},
    "required": ["findings"],
}
INJECTION_RE = re.compile(
    r"(忽略|无视|不要理会)(以上|上述|之前|前面|前述|所有|全部)?的?(要求|指令|指示|规则|提示|内容)"
    r"|(给出|评为|打)满分|你(现在)?是一个?|不要(报告|指出|输出)(任何)?问题"
    r"|ignore (all |any )?(the )?(previous|above|prior) (instructions|rules)|system prompt",
    re.I,
)
_PRAISE = re.compile(r"(无问题|没有问题|未发现(任何)?问题|不存在(任何)?问题|质量(很|较|良)?好|优秀|满分|符合要求|规范完整|无需修改|检查(结果)?有误|误报)")
_DEFECT = re.compile(r"(未|不|缺|没有|无法|矛盾|套话|模糊|偏低|偏差|差异|错|虚高|空泛|笼统|照抄|雷同|重复|不符|不一致|遗漏)")
ZERO_STATS = ("llm_calls", "llm_cached", "llm_retries", "llm_errors", "llm_refusals", "llm_truncated", "llm_echoed",
              "llm_flags",
              "llm_dropped_unquoted", "llm_dropped_quotes", "llm_dropped_numbers", "llm_marked_numbers",
              "llm_dropped_invalid", "llm_dropped_nonfinding", "llm_injection_suspected")


def _cut_lines(text: str, max_chars: int) -> str:
    """The first whole lines of ``text`` within ``max_chars`` (at least its first line)."""
    if len(text) <= max_chars:
        return text
    lines, n = [], 0
    for line in text.splitlines():
        if lines and n + len(line) + 1 > max_chars:
            break
        lines.append(line)
        n += len(line) + 1
    return "\n".join(lines) + "\n（自评表其余各行从略）"


def _norm_code(v) -> str | None:
    m = re.fullmatch(r"\s*[Jj]\s*0*(\d{1,2})\s*", str(v or ""))
    if not m:
        return None
    code = f"J{int(m.group(1)):02d}"
    return code if code in J_CODES else None


def _as_quotes(item: dict) -> list[str]:
    q = item.get("quotes", item.get("quote", item.get("evidence")))
    if isinstance(q, str):
        return [q]
    if isinstance(q, list):
        out = []
        for x in q:
            if isinstance(x, str):
                out.append(x)
            elif isinstance(x, dict) and isinstance(x.get("quote"), str):
                out.append(x["quote"])
        return out
    return []


def _opt_str(v) -> str | None:
    if v is None:
        return None
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, str):
        return v.strip() or None
    return None


def apply_guardrails(data: dict, parsed: ParsedFile, report: Report, rule_flags: list[Flag],
                     profile=None) -> tuple[list[Flag], dict[str, int]]:
    """Turn a model answer into llm flags that passed every guardrail, and count drops."""
    stats = dict.fromkeys(("llm_dropped_unquoted", "llm_dropped_quotes", "llm_dropped_numbers",
                           "llm_marked_numbers", "llm_dropped_invalid", "llm_dropped_nonfinding"), 0)
    items = data.get("findings", data.get("flags", data.get("issues"))) if isinstance(data, dict) else None
    if not isinstance(items, list):
        stats["llm_dropped_invalid"] += 1 if items is not None else 0
        return [], stats
    finder = QuoteFinder(parsed.source.text, report.start, report.end)
    verifier = NumberVerifier(parsed.source.text[report.start:report.end],
                              report_computations(report, rule_flags, profile))
    out: list[Flag] = []
    seen: set = set()
    for item in items:
        if not isinstance(item, dict):
            stats["llm_dropped_invalid"] += 1
            continue
        code = _norm_code(item.get("rule") or item.get("code") or item.get("id"))
        message = _opt_str(item.get("message") or item.get("description"))
        if code is None or not message:
            stats["llm_dropped_invalid"] += 1
            continue
        message = message[:600]
        if _PRAISE.search(message) and not _DEFECT.search(_PRAISE.sub("", message)):
            stats["llm_dropped_nonfinding"] += 1
            continue
        evidence = []
        quotes = _as_quotes(item)
        for q in quotes:
            ev = finder.evidence(q, parsed.source)
            if ev:
                evidence.extend(e for e in ev if (e.start, e.end) not in {(x.start, x.end) for x in evidence})
            else:
                stats["llm_dropped_quotes"] += 1
        if not evidence:
            stats["llm_dropped_unquoted"] += 1
            continue
        expected, stated = _opt_str(item.get("expected")), _opt_str(item.get("stated"))
        if verifier.unverified(expected) or verifier.unverified(stated):
            stats["llm_dropped_numbers"] += 1
            continue
        kind = item.get("kind") if item.get("kind") in KINDS and item.get("kind") != "arithmetic" else DEFAULT_KIND[code]
        severity = item.get("severity") if item.get("severity") in ("error", "warning", "info") else "warning"
        suggestion = _opt_str(item.get("suggestion"))
        if suggestion and verifier.unverified(suggestion):
            suggestion = None  # a suggestion is optional: unverifiable ones are not shown
        if suggestion:
            message = f"{message} 建议：{suggestion[:300]}"
        bad = verifier.unverified(message)
        if bad:
            stats["llm_marked_numbers"] += 1
            marks = "、".join(dict.fromkeys(n.text for n in bad))
            message = f"{message}〔未核实的数字：{marks}〕"
            severity = "info"
        key = (code, tuple((e.start, e.end) for e in evidence))
        if key in seen:
            continue
        seen.add(key)
        out.append(Flag(file=parsed.source.path, report=report.index, title=report.title, rule=code, kind=kind,
                        severity=severity, message=message, evidence=evidence, expected=expected, stated=stated,
                        source="llm"))
    return out, stats


class LLMReviewer:
    """Reviewer plugin: one model call per report (batched concurrently by prepare)."""

    name = "llm"

    def __init__(self, cfg: LLMConfig, client: LLMClient | None = None, corpus: str | None = None, profile=None):
        self.cfg = cfg
        self.client = client or LLMClient(cfg)
        self.corpus = corpus
        self.profile = profile
        self.prompt = load_prompt("review")
        # what changes LLM results: for a batch's resume fingerprint
        self.fingerprint = f"{cfg.base_url or 'openai'}|{self.client.model}|{self.prompt.id}"
        self._pool: list[tuple[ParsedFile, Report]] = []
        self._prefetched: dict[tuple, Future] = {}
        self._executor: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        try:  # import now (≈1 s), not on the first report
            self.client.chat_for(cfg.timeout)
        except Exception:
            pass

    # -------------------------------------------------------------- prompt
    def _key(self, parsed: ParsedFile, report: Report) -> tuple:
        return (parsed.source.path, report.index, report.start, report.end)

    def passages(self, parsed: ParsedFile, report: Report) -> list[str]:
        pool = self._pool or [(parsed, r) for r in parsed.reports]
        out = vectorstore_passages(report, parsed, self.corpus)
        out += [p for p in local_passages(report, parsed, pool) if p not in out]
        return out[:6]

    def messages(self, parsed: ParsedFile, report: Report, rule_flags: list[Flag],
                 budget: int | None = None) -> tuple[str, str]:
        """The prompt; with a ``budget`` (characters that fit the model's context) the
        passages go first, then the report text is cut to what fits."""
        passages = self.passages(parsed, report)
        text_chars = min(self.cfg.max_report_chars, report.end - report.start)
        text = report_text(parsed, report, text_chars)
        table = render_table(report)
        for attempt in range(6):
            system, user = self.prompt.render(
                report_table=table,
                rule_flags=render_flags(rule_flags),
                passages="\n\n".join(passages) if passages else "（无）",
                report_text=text,
            )
            over = len(system) + len(user) - budget if budget else 0
            if over <= 0:
                break
            if passages:
                passages = []
            elif text_chars > 300:
                text_chars = max(300, text_chars - over - 50)
                text = report_text(parsed, report, text_chars)
            else:  # a small context: the 自评表 as far as it fits (its first lines)
                table = _cut_lines(table, max(200, len(table) - over - 20))
        return system, user

    def _call(self, parsed: ParsedFile, report: Report, rule_flags: list[Flag]):
        stats = dict.fromkeys(("llm_calls", "llm_cached", "llm_retries", "llm_errors", "llm_refusals",
                               "llm_truncated", "llm_echoed"), 0)
        sent = 0
        for attempt in range(3):  # a prompt the server says is too long is cut (at most twice)
            try:
                self.client.capabilities()
                budget = self.client.prompt_budget(task_max_tokens(self.cfg, "review"))
                system, user = self.messages(parsed, report, rule_flags, budget)
                sent = len(system) + len(user)
                res = self.client.complete_json(system, user, name="review", schema=REVIEW_SCHEMA)
                stats["llm_calls"] += res.stats.calls
                stats["llm_cached"] += res.stats.cached
                stats["llm_retries"] += res.stats.retries
                return res.data, stats, None
            except LLMError as e:
                if e.stats is not None:
                    stats["llm_calls"] += e.stats.calls
                    stats["llm_retries"] += e.stats.retries
                if e.kind == "context" and attempt < 2:
                    self.client.shrink_budget(e.detail, sent)
                    continue
                stats["llm_errors"] += 1
                for kind, key in (("refusal", "llm_refusals"), ("truncated", "llm_truncated"), ("echo", "llm_echoed")):
                    if e.kind == kind:
                        stats[key] += 1
                return None, stats, e
            except Exception as e:  # never fail the batch because of the model
                log.debug("LLM call failed", exc_info=True)
                stats["llm_errors"] += 1
                return None, stats, LLMError("other", repr(e))
        return None, stats, LLMError("context", "prompt too long")

    def wait_allowance(self) -> float:
        """Seconds waiting for one report's answer may take: the client's time-out for a
        review with its retries, three times (a prompt cut after a context error, an answer
        asked again after truncation), and a negotiation."""
        per_request = self.client.timeout_for(task_max_tokens(self.cfg, "review")) * (self.cfg.max_retries + 1)
        return 3 * per_request + 2 * self.cfg.timeout

    # -------------------------------------------------------------- plugin API
    def prepare(self, parsed_files: list[ParsedFile]) -> None:
        """Start asking the model about every report of the batch, ``concurrency`` at a
        time, in the background; review() picks each answer up (waiting if needed), so
        the calls overlap each other and the rest of the batch."""
        import atexit

        from reviewer.checks import run_rules
        from reviewer.profile import Profile

        self._pool = [(p, r) for p in parsed_files for r in p.reports]
        profile = self.profile or Profile()

        def job(p: ParsedFile, r: Report):
            try:
                flags = list(run_rules(p, r, profile))
            except Exception:
                flags = []
            return self._call(p, r, flags)

        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=self.cfg.concurrency, thread_name_prefix="jixiao-llm")
            atexit.register(self.close)
        with self._lock:
            for p, r in self._pool:
                key = self._key(p, r)
                if key not in self._prefetched:
                    self._prefetched[key] = self._executor.submit(job, p, r)

    def close(self) -> None:
        """Cancel what was prefetched but never reviewed (e.g. an interrupted batch)."""
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None

    def review(self, parsed: ParsedFile, report: Report, rule_flags: list[Flag]) -> ReviewResult:
        from reviewer.batch.budget import waiting_for_model

        with self._lock:
            pre = self._prefetched.pop(self._key(parsed, report), None)
        res = None
        with waiting_for_model(self.wait_allowance()):  # not counted in the worker's wall_seconds
            if pre is not None:
                try:
                    res = pre.result()
                except Exception:  # cancelled, or a bug in the job: ask again here
                    res = None
            data, call_stats, err = res if res is not None else self._call(parsed, report, rule_flags)
        stats = dict.fromkeys(ZERO_STATS, 0)
        stats.update(call_stats)
        if INJECTION_RE.search(parsed.source.text[report.start:report.end]):
            stats["llm_injection_suspected"] = 1
        if err is not None or data is None:
            failures = []
            if err is not None:
                log.debug("LLM review of %s#%d failed: %s", parsed.source.path, report.index, err)
                failures.append(err.failure(self.cfg, self.client.timeout_for(task_max_tokens(self.cfg, "review")))
                                if isinstance(err, LLMError) else explain("other", detail=repr(err)))
            return ReviewResult(flags=[], stats=stats, failures=failures)
        try:
            flags, g = apply_guardrails(data, parsed, report, rule_flags, self.profile)
        except Exception:  # a guardrail bug must not lose the report
            stats["llm_errors"] += 1
            return ReviewResult(flags=[], stats=stats)
        stats.update(g)
        stats["llm_flags"] = len(flags)
        return ReviewResult(flags=[f for f in flags if f.source == "llm"], stats=stats)


def llm_config_for(options) -> LLMConfig:
    return load_llm_config(getattr(options, "config", None) or None)


def make_reviewer(options) -> LLMReviewer | None:
    """The LLM reviewer, or None (with one notice) when --no-llm or no model is configured."""
    if getattr(options, "no_llm", False):
        return None
    try:
        cfg = llm_config_for(options)
    except (ValueError, TypeError) as e:  # a bad [tool.jixiao.llm] value: say so, run without the model
        notices = getattr(options, "notices", None)
        if notices is not None:
            notices.append(f"大模型配置有误（{e}），仅运行确定性检查 / bad LLM configuration, running rule checks only")
        return None
    if not cfg.configured:
        notices = getattr(options, "notices", None)
        if notices is not None and NO_LLM_NOTICE not in notices:
            notices.append(NO_LLM_NOTICE)
        return None
    if not cfg.model:
        from reviewer.llm.client import resolve_model

        cfg.model = resolve_model(cfg)
        if not cfg.model:
            notices = getattr(options, "notices", None)
            msg = (f"大模型接口 {cfg.base_url} 未返回可用模型，请设置 JIXIAO_MODEL；仅运行确定性检查 / "
                   f"no model found at {cfg.base_url}; set JIXIAO_MODEL. Running rule checks only")
            if notices is not None and msg not in notices:
                notices.append(msg)
            return None
    profile = getattr(options, "profile", None)
    if profile is None:
        try:
            from reviewer.profile import Profile

            conf = getattr(options, "config", None) or {}
            profile = Profile(**{k: v for k, v in conf.items() if k in Profile.model_fields})
        except Exception:
            profile = None
    return LLMReviewer(cfg, corpus=getattr(options, "corpus", None), profile=profile)
