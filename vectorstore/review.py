"""The retrieval reviewer: boilerplate and generic text, source="retrieval".

``make_reviewer(options)`` always returns a reviewer (the deterministic checks need no
LLM and no store). ``prepare(parsed_files)`` is called once with the whole batch so
copies across reports of the batch, and across reports of one file, are found; with
``options.corpus`` (a store folder or ``chroma://host:port``) the reports are also
compared with an index of earlier reports built by ``jixiao index``.

Rules: R01 near-duplicate passage, R02 names another project, R03 实际完成情况 copies
预期目标, R04 绩效目标完成情况 without any result (kind boilerplate); J01 vague
存在问题/改进措施, J02 存在问题 ignores the deviations (kind vague_problems).
"""

from __future__ import annotations

import logging
import re
import threading
from collections import defaultdict
from pathlib import Path
from typing import Iterable

import numpy as np

from reviewer.models import Evidence, Flag, ParsedFile, Report
from reviewer.pipeline import ReviewResult
from reviewer.structure.spans import trim_span
from vectorstore.boilerplate import (DUP_CONTAINMENT, PARA_CONTAINMENT, BatchIndex, Match, OtherRef, RepEntry,
                                     rep_key, blocks, char_overlap, confirm_paraphrases, filled_template, goal_copies, runs)
from vectorstore.chunking import SECTION_NAMES
from vectorstore.generic import deviations, empty_results, other_project_mentions, problems_cover, vague_parts
from vectorstore.textutil import norm, squash
from vectorstore.units import MIN_UNIT, same_project

log = logging.getLogger(__name__)

CORPUS_K = 8
CORPUS_MIN_SCORE = 0.30  # cosine of a corpus hit worth verifying (the wording decides)
MAX_OTHER_EVIDENCE = 9
DENSE_MEMO = 50_000  # embeddings kept for reuse (2 KB each)
RUN_GAP = 30  # a heading or list number between copied sentences keeps them one quote
CORPUS_KEY = "corpus:"  # key prefix of a report of the corpus (``jixiao index``), named as such in R01


def make_reviewer(options) -> "RetrievalReviewer":
    cfg = (options.config or {}).get("vectorstore", {}) if getattr(options, "config", None) else {}
    corpus = getattr(options, "corpus", None) or cfg.get("corpus")
    return RetrievalReviewer(corpus=corpus, embedding=cfg.get("embedding"), notices=getattr(options, "notices", None))


class RetrievalReviewer:
    name = "retrieval"

    def __init__(self, corpus: str | None = None, embedding: str | None = None, notices: list[str] | None = None,
                 paraphrase_model: str = "usem3"):
        self.corpus = corpus
        self.embedding = embedding
        self.notices = notices if notices is not None else []
        self.paraphrase_model = paraphrase_model
        self.batch = BatchIndex()
        self._lock = threading.RLock()
        self._store = None
        self._store_failed = False
        self._hashes: dict[str, str] = {}
        self._dense: dict[str, np.ndarray] = {}  # text -> embedding (_embed_dense)
        # set by a batch that reviews its files one at a time (vectorstore.copy_entries):
        # the content hashes of every file of the batch (never reported as corpus copies)
        # and each report's matches in the batch's other files
        self.batch_hashes: set[str] = set()
        self.cross_matches: dict[str, dict[int, list[Match]]] = {}

    # ------------------------------------------------------------------ batch
    def prepare(self, parsed_files: list[ParsedFile]) -> None:
        """Index every report of the batch (sentence units + MinHash) before reviewing."""
        with self._lock:
            for pf in parsed_files:
                for rep in pf.reports:
                    self.batch.add(pf, rep, self._fhash(pf))

    def begin_file(self, batch_hashes: Iterable[str] = (), cross_matches: dict | None = None) -> None:
        """Start on one file of a batch whose files are reviewed one at a time (in a
        worker): forget the files before it, and take the batch's file hashes and this
        file's matches in the other files (vectorstore.copy_entries)."""
        with self._lock:
            self.batch = BatchIndex()
            self.batch_hashes = set(batch_hashes)
            self.cross_matches = dict(cross_matches or {})

    def copy_entries(self, parsed: ParsedFile) -> list:
        """The indexed reports of ``parsed`` in storable form (vectorstore.copy_entries)."""
        from vectorstore.copy_entries import CopyEntry

        with self._lock:
            self.prepare([parsed])
            return [CopyEntry.of(self.batch.entry(parsed, r)) for r in parsed.reports]

    def _fhash(self, parsed: ParsedFile) -> str:
        p = parsed.source.path
        if p not in self._hashes:
            from vectorstore.textutil import file_hash

            try:
                self._hashes[p] = file_hash(p)
            except OSError:
                self._hashes[p] = ""
        return self._hashes[p]

    def _embed_dense(self, texts: list[str]) -> np.ndarray:
        """Sentence embeddings for confirming paraphrases (the dense model: meaning, not
        wording). Each distinct text is embedded once per reviewer (a stock passage recurs in
        report after report), the new ones in one call, and kept on disk for the next run
        (:mod:`vectorstore.embedding_cache`)."""
        from vectorstore.embeddings import cached_docs

        new = [t for t in dict.fromkeys(texts) if t not in self._dense]
        if new:
            if len(self._dense) + len(new) > DENSE_MEMO:
                self._dense.clear()
            self._dense.update(zip(new, cached_docs(self.paraphrase_model, new)))
        return np.stack([self._dense[t] for t in texts]) if texts else np.zeros((0, 0), np.float32)

    @property
    def store(self):
        if self._store is None and self.corpus and not self._store_failed:
            try:
                from vectorstore.store import VectorStore

                if not str(self.corpus).startswith(("chroma://", "http")) and not Path(self.corpus).exists():
                    raise FileNotFoundError(self.corpus)
                self._store = VectorStore(self.corpus, embedding=self.embedding)
            except Exception as e:
                self._store_failed = True
                self.notices.append(f"语料库 {self.corpus} 无法打开，跳过与往期报告的比对：{e}")
                log.warning("corpus %s unavailable: %s", self.corpus, e)
        return self._store

    # ------------------------------------------------------------------ review
    def review(self, parsed: ParsedFile, report: Report, rule_flags: list[Flag]) -> ReviewResult:
        with self._lock:
            if rep_key(parsed, report) not in self.batch.entries:  # not prepared: at least this file's reports
                self.prepare([parsed])
            e = self.batch.entry(parsed, report)
        if not e.fhash:
            e.fhash = self._fhash(parsed)
        flags: list[Flag] = []
        stats: dict[str, int] = defaultdict(int)
        matches = self.batch.copies(e)
        for i, ms in self.cross_matches.get(e.key, {}).items():
            matches.setdefault(i, []).extend(ms)
        if self.store is not None:
            for i, ms in self._corpus_matches(e).items():
                matches.setdefault(i, []).extend(ms)
            stats["corpus_queries"] += 1
        matches = confirm_paraphrases(e.units, matches, self._embed_dense)
        r01 = self._r01(parsed, report, e, matches)
        flags += r01
        flags += self._r02(parsed, report)
        flags += self._r03(parsed, report, e)
        flags += self._r04(parsed, report)
        covered = [(ev.start, ev.end) for f in r01 for ev in f.evidence[:1]] + \
                  [(ev.start, ev.end) for f in r01 for ev in f.evidence if ev.start >= report.start and ev.end <= report.end]
        flags += self._j01_j02(parsed, report, rule_flags, covered)
        for f in flags:
            stats[f"retrieval_{f.rule}"] += 1
        return ReviewResult(flags=flags, stats=dict(stats))

    # ------------------------------------------------------------------ helpers
    def _flag(self, parsed, report, rule, kind, message, evidence, severity="warning", expected=None, stated=None):
        return Flag(file=parsed.source.path, report=report.index, title=report.title, rule=rule, kind=kind,
                    severity=severity, message=message, evidence=evidence, expected=expected, stated=stated,
                    source="retrieval")

    @staticmethod
    def _ev(parsed: ParsedFile, s: int, e: int) -> Evidence:
        s, e = trim_span(parsed.source.text, s, e)
        return Evidence(quote=parsed.source.quote(s, e), start=s, end=e, location=parsed.source.locate(s, e))

    # ------------------------------------------------------------------ R01
    def _r01(self, parsed, report, e: RepEntry, matches: dict[int, list[Match]]) -> list[Flag]:
        out = []
        text = parsed.source.text
        for b in blocks(e.units, matches):
            own = runs([(e.units[i].start, e.units[i].end) for i in b], text, any_gap=RUN_GAP)
            evidence = [self._ev(parsed, s, t) for s, t in own]
            by_other: dict[str, list[Match]] = defaultdict(list)
            for i in b:
                for m in matches.get(i, []):
                    by_other[m.other.key].append(m)
            others = sorted(by_other.values(), key=lambda ms: (not ms[0].other.same_file, ms[0].other.file,
                                                               ms[0].other.report))
            names = []
            for ms in others:
                ref: OtherRef = ms[0].other
                if ref.same_file:
                    where = "同一文件"
                elif ref.key.startswith(CORPUS_KEY):  # the administrator's corpus, never another user's upload
                    where = f"往期报告语料库·{Path(ref.file).name}"
                else:
                    where = Path(ref.file).name
                names.append(f"《{squash(ref.title)}》（{where}第{ref.report + 1}份）")
                if len(evidence) - len(own) >= MAX_OTHER_EVIDENCE:
                    continue
                if ref.same_file:  # copies in other files are named in the message: evidence must be in this file
                    for s, t in runs([(m.start, m.end) for m in ms], text, any_gap=RUN_GAP):
                        evidence.append(self._ev(parsed, s, t))
            secs = []
            for i in b:
                nm = SECTION_NAMES.get(e.units[i].section, e.units[i].section)
                if nm not in secs:
                    secs.append(nm)
            how = "改写" if all(m.how == "paraphrase" for i in b for m in matches.get(i, [])) else "几乎逐字相同"
            size = sum(e.units[i].size for i in b)
            def other_text(ms: list[Match]) -> str:
                t = "".join(dict.fromkeys(squash(m.quote) for m in sorted(ms, key=lambda m: m.start)))
                return t[:80] + ("…" if len(t) > 80 else "")

            quotes = "；".join(f"“{other_text(ms)}”（{names[k]}）" for k, ms in enumerate(others[:3]))
            msg = (f"「{'、'.join(secs)}」中约{size}字与另外{len(others)}份报告{how}：{'、'.join(names[:8])}"
                   f"{'等' if len(names) > 8 else ''}。这类文字不针对本项目，应据实写本项目的完成情况、问题和措施。"
                   f"对方原文：{quotes}")
            longest = max(own, key=lambda r: r[1] - r[0])
            out.append(self._flag(parsed, report, "R01", "boilerplate", msg, evidence,
                                  stated=squash(text[longest[0]:longest[1]])[:120]))
        return out

    def _corpus_matches(self, e: RepEntry) -> dict[int, list[Match]]:
        """Target units of ``e`` against the corpus store: embed each target paragraph,
        fetch the nearest chunks of other files, verify the wording sentence by sentence."""
        store = self.store
        out: dict[int, list[Match]] = defaultdict(list)
        tgt = [i for i, u in enumerate(e.units) if u.role == "target" and u.size >= MIN_UNIT]
        if not tgt:
            return out
        vecs = store.embeddings.embed_array([e.units[i].text for i in tgt])
        where = {"file_hash": {"$ne": e.fhash}} if e.fhash else None
        try:
            hits = store.query_vectors(vecs, k=CORPUS_K, where=where)
        except Exception as ex:  # a broken corpus must not stop the review
            self.notices.append(f"语料库查询失败：{ex}")
            return out
        batch_hashes = {x.fhash for x in self.batch.entries.values() if x.fhash} | self.batch_hashes
        for i, hs in zip(tgt, hits):
            u = e.units[i]
            for h in hs:
                if h.score < CORPUS_MIN_SCORE or h.meta.get("file_hash") in batch_hashes:
                    continue
                fake = Report(file=h.meta.get("file", ""), index=int(h.meta.get("report", 0)), start=0, end=0,
                              title=h.meta.get("title", ""), organisation=h.meta.get("organisation") or None)
                if same_project(e.report, fake):
                    continue
                # verify the wording, sentence by sentence of the hit chunk
                best = None
                for sent in _sentences_in(h.text):
                    n = norm(sent)
                    if len(n) < MIN_UNIT:
                        continue
                    c = char_overlap(u.n, n)
                    if best is None or c > best[0]:
                        best = (c, sent, n)
                if best is None or best[0] < PARA_CONTAINMENT or filled_template(u.n, best[2], e.report):
                    continue
                how = "copy" if best[0] >= DUP_CONTAINMENT else "paraphrase"
                off = h.text.find(best[1])
                hs0 = int(h.meta.get("start", 0)) + (off if off >= 0 and h.meta.get("chunk_kind") == "text" else 0)
                ref = OtherRef(f"{CORPUS_KEY}{h.meta.get('file')}#{h.meta.get('report')}", h.meta.get("title", ""),
                               h.meta.get("file", ""), int(h.meta.get("report", 0)))
                if not any(m.other.key == ref.key for m in out[i]):
                    out[i].append(Match(ref, hs0, hs0 + len(best[1]), best[1], best[0], how))
        return out

    # ------------------------------------------------------------------ R02
    def _r02(self, parsed, report) -> list[Flag]:
        out = []
        for s, t, name in other_project_mentions(parsed, report):
            sent_s, sent_e = _sentence_around(parsed.source.text, s, t)
            msg = (f"文中提到的项目“{squash(name)}”在本报告其他地方从未出现，与本报告的项目"
                   f"《{squash(report.title)}》不符，疑似从其他项目的报告照抄未改。")
            out.append(self._flag(parsed, report, "R02", "boilerplate", msg, [self._ev(parsed, sent_s, sent_e)],
                                  expected=squash(report.project or report.title), stated=squash(name)))
        return out

    # ------------------------------------------------------------------ R03
    def _r03(self, parsed, report, e: RepEntry) -> list[Flag]:
        pairs = goal_copies(e)
        if not pairs:
            return []
        spans = []
        for u, g in pairs:
            spans += [(g.start, g.end), (u.start, u.end)]
        ev = [self._ev(parsed, s, t) for s, t in runs(spans, parsed.source.text, max_gap_chars=4)]
        msg = (f"“实际完成情况”/完成情况分析照抄“预期目标”原文（{len(pairs)}处），没有写实际完成了什么。")
        return [self._flag(parsed, report, "R03", "boilerplate", msg, ev)]

    # ------------------------------------------------------------------ R04
    def _r04(self, parsed, report) -> list[Flag]:
        out = []
        for s, t in empty_results(parsed, report):
            msg = "「绩效目标完成情况」没有任何数据或完成结果，只有评价方法、原则或空泛的表述，未说明本项目实际完成了什么。"
            out.append(self._flag(parsed, report, "R04", "boilerplate", msg, [self._ev(parsed, s, t)]))
        return out

    # ------------------------------------------------------------------ J01 / J02
    def _j01_j02(self, parsed, report, rule_flags, covered=()) -> list[Flag]:
        out = []
        # vague text already reported as a copied passage (R01) is not reported twice
        vague = [(p, why) for p, why in vague_parts(parsed, report)
                 if sum(max(0, min(p.end, b) - max(p.start, a)) for a, b in covered) < 0.5 * (p.end - p.start)]
        if vague:
            whys = "；".join(f"{SECTION_NAMES.get(p.kind, p.kind)}：{why}" for p, why in vague)
            msg = (f"存在问题/改进措施空泛（{whys}）。应写本项目具体的问题（哪个指标、差多少、什么原因）"
                   f"和对应的措施（谁、何时、做到什么程度）。")
            out.append(self._flag(parsed, report, "J01", "vague_problems", msg,
                                  [self._ev(parsed, p.start, p.end) for p, _ in vague]))
        devs = deviations(report, rule_flags)
        # rows of a partial table (an excerpt read without its header) may be a column off
        partial = [(t.start, t.end) for t in parsed.tables if t.partial]
        devs = [d for d in devs if not any(a <= d.start < b for a, b in partial)]
        if devs:
            from reviewer.checks.completeness import no_problem_opening
            from vectorstore.generic import EMPTY, EMPTY_WORDS, _section_pieces

            # an empty 存在问题 (无, 暂无) is D23's finding, not a part that misses the deviations
            # (nor one that opens by saying there is none: 本项目实施过程中未发现问题。下一步…)
            probs = [p for p in _section_pieces(parsed, report, {"problems"})
                     if not (EMPTY.match(b := re.sub(r"[|｜,，]", "", squash(p.text))) or EMPTY_WORDS.match(b)
                             or no_problem_opening(p.text))]
            ptext = "\n".join(p.text for p in probs)
            # a 存在问题 that counts something of its own (37件超过报案时限, 3处未能纳入) names real
            # problems, if not the form's deviations: not the stock text this check is for
            counted = re.search(r"\d", re.sub(r"(?:^|(?<=\s))\d{1,2}\s*[.、．](?!\d)", "", ptext))  # (not 1. 2. of a list)
            if probs and not counted and not problems_cover(ptext, [d.label for d in devs], [d.reason for d in devs]):
                labels = "、".join(d.label for d in devs[:5])
                msg = (f"自评表显示有{len(devs)}处偏差（{labels}{'等' if len(devs) > 5 else ''}），"
                       f"但「存在问题」没有提到其中任何一项及其原因。")
                ev = [self._ev(parsed, p.start, p.end) for p in probs[:3]]
                ev += [self._ev(parsed, d.start, d.end) for d in devs[:3]]
                out.append(self._flag(parsed, report, "J02", "vague_problems", msg, ev,
                                      expected="逐项说明偏差及原因", stated=squash(ptext)[:80]))
        return out


def _sentences_in(s: str) -> list[str]:
    from vectorstore.textutil import sentence_spans

    return [s[x.start:x.end] for x in sentence_spans(s)]


def _sentence_around(text: str, s: int, e: int) -> tuple[int, int]:
    a = s
    while a > 0 and text[a - 1] not in "。！？；\n":
        a -= 1
    b = e
    while b < len(text) and text[b] not in "。！？；\n":
        b += 1
    if b < len(text) and text[b] in "。！？；":
        b += 1
    return a, b
