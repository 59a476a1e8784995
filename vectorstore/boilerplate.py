"""Cross-report near-duplicates (R01) and goal text copied as result (R03).

Copies: 3-character shingles of normalised sentences, MinHash + LSH banding for
candidate pairs, then the share of the shorter sentence's characters found in order in
the other (difflib).  Paraphrases: candidates that share at least PARA_CONTAINMENT of
their wording are kept only when sentence embeddings agree (cosine ≥ PARA_COSINE);
embeddings alone over-match in a genre where every report talks of 预算/绩效/管理.

Pairs of reports on the same project (a revised version of one report, the same project
in another file) are not compared: sharing text with yourself is not boilerplate.
"""

from __future__ import annotations

from collections import defaultdict
from array import array
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from reviewer.models import ParsedFile, Report
from vectorstore.lsh_index import BandIndex, band_hashes
from vectorstore.textutil import MinHasher, containment, shingles
from vectorstore.units import MIN_UNIT, Unit, report_units, same_project
from reviewer.lazy_re import lazy

DUP_CONTAINMENT = 0.75  # share of the shorter sentence's characters found in the other
PARA_COSINE = 0.90  # embedding similarity for a paraphrase candidate …
PARA_CONTAINMENT = 0.45  # … that must still share this much wording
MIN_BLOCK = 80  # a flagged passage has at least this many normalised characters (a paragraph, not one stock phrase)
SAME_VERSION = 0.5  # share of sentences in common that marks two versions of one report
MAX_CANDIDATES = 60  # per sentence: places (other report, sentence) kept; a stock sentence shared by thousands of reports stays cheap
MAX_TEXTS = 20  # per sentence: distinct near-identical sentences verified (those sharing most LSH bands first)
BUCKET_CAP = 64  # ids read from one LSH bucket: a template sentence's full bucket is read only this far
MAX_COMPARE = 400  # normalised characters: longer texts are compared by shingles, not difflib (linear, not quadratic)
MAX_GAP = 1  # non-duplicated sentences allowed inside one passage


@dataclass
class OtherRef:
    """Where the other copy is: a report of this batch or a chunk of the corpus."""

    key: str  # unique key of the other report
    title: str
    file: str
    report: int
    same_file: bool = False  # offsets are into the same source text as this report


@dataclass
class Match:
    other: OtherRef
    start: int
    end: int
    quote: str
    score: float
    how: str  # copy | paraphrase
    other_unit: int = -1  # the other report's unit index (to fill ``quote`` of a SlimEntry)


@dataclass
class RepEntry:
    key: str
    file: str  # the source path the report's offsets are into
    report: Report
    units: list[Unit]
    fhash: str = ""
    tids: list = field(default_factory=list)  # per unit: its distinct text in the index (None: too short)

    def role(self, i: int) -> str:
        return self.units[i].role

    def span(self, i: int) -> tuple[int, int]:
        u = self.units[i]
        return u.start, u.end

    def text(self, i: int) -> str:
        return self.units[i].text


class ReportRef(NamedTuple):
    """What the copy comparison needs of a report (same_project, title_core, OtherRef)."""

    index: int
    title: str
    project: str | None = None
    organisation: str | None = None
    year: int | None = None


ROLES = ("target", "goal", "other")


@dataclass(slots=True)
class SlimEntry:
    """A report in a batch-wide copy index without its text: unit offsets, roles and
    distinct-text ids in compact arrays (a few bytes per sentence).  A match's quote is
    left empty (its unit index is in ``Match.other_unit``) and filled by the caller from
    the stored sentence units (:func:`vectorstore.copy_entries.cross_file_matches`)."""

    key: str
    file: str
    report: ReportRef
    starts: array
    ends: array
    roles: bytes
    tids: list

    def role(self, i: int) -> str:
        return ROLES[self.roles[i]]

    def span(self, i: int) -> tuple[int, int]:
        return self.starts[i], self.ends[i]

    def text(self, i: int) -> str:
        return ""


_NO_SHINGLES: frozenset = frozenset()


def rep_key(parsed: ParsedFile, report: Report) -> str:
    return f"{parsed.source.path}#{report.index}"


class BatchIndex:
    """All reports of a batch, their sentence units and an LSH index over them.

    Each distinct normalised sentence is hashed and indexed once (a template sentence that
    thousands of reports carry is one entry with its list of places); a query verifies at
    most MAX_TEXTS distinct sentences and keeps at most MAX_CANDIDATES places, so the work
    per report does not grow with the batch (bench/bench_scale.py)."""

    def __init__(self, num_perm: int = 60, bands: int = 30):
        self.mh = MinHasher(num_perm, bands)
        self.entries: dict[str, RepEntry] = {}
        self.index = BandIndex(bands)
        self._tid: dict[str, int] = {}  # normalised sentence -> its id in the index
        self._texts: list[str] = []  # id -> normalised sentence
        self._places: list[list[tuple[int, int]]] = []  # id -> (entry number, unit index) of each occurrence
        self._keys: list[np.ndarray | None] = []  # id -> its band hashes
        # the first report's sentences are hashed and indexed only when a second report is
        # added or a query comes: a report alone in its index (``check`` on a one-report
        # file, which copies() then answers at once) is never hashed
        self._pending: list[tuple[int, set | str]] = []  # (id, its shingles or the text to take them of)
        self._entry_list: list[RepEntry] = []
        self._near: dict[int, tuple[int, list[tuple[int, float]]]] = {}  # id -> (index size then, near())
        self.stats: dict[str, int] = defaultdict(int)  # work counters (bench/bench_scale.py)

    def add(self, parsed: ParsedFile, report: Report, fhash: str = "") -> RepEntry:
        key = rep_key(parsed, report)
        if key in self.entries:
            return self.entries[key]
        return self.add_units(key, parsed.source.path, report, report_units(parsed, report), fhash)

    def add_units(self, key: str, file: str, report: Report | ReportRef, units: list[Unit], fhash: str = "",
                  slim: bool = False) -> RepEntry | SlimEntry:
        """Index a report's sentence units (computed here or in another process).
        ``slim``: keep only offsets, roles and text ids of the units (a batch-wide index
        whose quotes are read back from the stored units; :class:`SlimEntry`)."""
        if key in self.entries:
            return self.entries[key]
        e: RepEntry | SlimEntry
        if slim:
            e = SlimEntry(key, file, report, array("i", (u.start for u in units)), array("i", (u.end for u in units)),
                          bytes(ROLES.index(u.role) if u.role in ROLES else 2 for u in units), [])
        else:
            e = RepEntry(key, file, report, units, fhash)
        rid = len(self._entry_list)
        for i, u in enumerate(units):
            if u.size < MIN_UNIT:
                e.tids.append(None)
                continue
            t = self._tid.get(u.n)
            if t is None:
                t = self._tid[u.n] = len(self._texts)
                self._pending.append((t, u.sh or u.text))
                self._texts.append(u.n)
                self._places.append([])
                self._keys.append(None)
            self._places[t].append((rid, i))
            e.tids.append(t)
            u.sh = _NO_SHINGLES  # the shingles are in the signature; goal_copies recomputes its few
        self._entry_list.append(e)
        self.entries[key] = e
        if len(self._entry_list) > 1:  # only the first report waits (its shingles held meanwhile)
            self._index_pending()
        return e

    def entry(self, parsed: ParsedFile, report: Report) -> RepEntry:
        return self.entries.get(rep_key(parsed, report)) or self.add(parsed, report)

    def near(self, tids: list[int]) -> dict[int, list[tuple[int, float]]]:
        """For each distinct sentence: the distinct sentences (itself first) that share at
        least PARA_CONTAINMENT of its wording, with that share. Computed once per sentence
        (again only when sentences were added since), the LSH queries in one call."""
        self._index_pending()
        size = len(self._texts)
        todo = list(dict.fromkeys(t for t in tids if self._near.get(t, (-1,))[0] != size))
        if todo:
            cands = self.index.query_many(np.stack([self._keys[t] for t in todo]), MAX_TEXTS, BUCKET_CAP)
            for own, texts in zip(todo, cands):
                a, out = self._texts[own], [(own, 1.0)]
                for t in texts.tolist():
                    if t != own:
                        self.stats["compared"] += 1
                        c = char_overlap(a, self._texts[t])
                        if c >= PARA_CONTAINMENT:
                            out.append((t, c))
                self._near[own] = (size, out)
        return {t: self._near[t][1] for t in tids}

    def _index_pending(self) -> None:
        """Hash and index the sentences added since the last query, in the order added."""
        for t, sh in self._pending:
            keys = band_hashes(self.mh.signature(shingles(sh, 3) if isinstance(sh, str) else sh), self.mh.bands)[0]
            self._keys[t] = keys
            self.index.add(t, keys)
        self._pending = []

    def copies(self, e: RepEntry | SlimEntry) -> dict[int, list[Match]]:
        """For each target unit of ``e``: the near-identical sentences of other reports.
        Reports on the same project, and reports that share most of their sentences with
        ``e`` (another version of the same report), are left out."""
        if len(self._entry_list) == 1 and self._entry_list[0] is e:
            return {}  # the only report indexed (``check`` on a one-report file): no other to copy from
        found: dict[str, list[tuple[int, int, float]]] = defaultdict(list)
        mine = [i for i, t in enumerate(e.tids) if t is not None]
        near = self.near([e.tids[i] for i in mine])
        for i in mine:
            kept = 0
            for t, c in near[e.tids[i]]:
                for rid, j in self._places[t]:
                    o = self._entry_list[rid]
                    if o is e:
                        continue
                    self.stats["pairs"] += 1
                    found[o.key].append((i, j, c))
                    kept += 1
                    if kept >= MAX_CANDIDATES:
                        break
                if kept >= MAX_CANDIDATES:
                    break
        # versions of one report share their description of the project (基本情况, 目标,
        # 资金), copies of boilerplate share only the evaluative parts
        descr = {i for i in mine if e.role(i) != "target"}
        texts = self._texts
        out: dict[int, list[Match]] = defaultdict(list)
        filled: dict[tuple[int, int], bool] = {}
        for key, pairs in found.items():
            o = self.entries[key]
            shared = {i for i, _, c in pairs if c >= DUP_CONTAINMENT} & descr
            if same_project(e.report, o.report) or (descr and len(shared) / len(descr) >= SAME_VERSION):
                continue
            best: dict[int, tuple[int, float]] = {}
            for i, j, c in pairs:
                if e.role(i) == "target" and (i not in best or c > best[i][1]):
                    best[i] = (j, c)
            for i, (j, c) in best.items():
                pair = (e.tids[i], o.tids[j])
                un, vn = texts[pair[0]], texts[pair[1]]  # the units' normalised texts
                if pair not in filled:  # a stock sentence pairs with the same text in many reports
                    filled[pair] = filled_template(un, vn, e.report)
                if filled[pair]:
                    continue
                how = "copy" if c >= DUP_CONTAINMENT else "paraphrase"
                if how == "paraphrase" and min(len(un), len(vn)) < 15:
                    continue
                vs, ve = o.span(j)
                out[i].append(Match(_ref(e, o), vs, ve, o.text(j), c, how, other_unit=j))
        return out


def confirm_paraphrases(units: list[Unit], matches: dict[int, list[Match]], embed) -> dict[int, list[Match]]:
    """Keep copies; keep a paraphrase candidate (shares ≥ PARA_CONTAINMENT of its wording)
    only when the embeddings agree (cosine ≥ PARA_COSINE). ``embed(texts) -> matrix``.
    Only candidates inside a passage that could be flagged (blocks() over every candidate)
    are embedded: confirming fewer matches never makes a passage of the others."""
    could = {i for b in blocks(units, matches) for i in b}
    cand = [(i, m) for i, ms in matches.items() if i in could for m in ms if m.how == "paraphrase"]
    out: dict[int, list[Match]] = defaultdict(list)
    for i, ms in matches.items():
        out[i].extend(m for m in ms if m.how == "copy")
    if cand:
        a = embed([units[i].text for i, _ in cand])
        b = embed([m.quote for _, m in cand])
        cos = (a * b).sum(axis=1)
        for (i, m), c in zip(cand, cos):
            if c >= PARA_COSINE:
                m.score = float(c)
                out[i].append(m)
    return {i: ms for i, ms in out.items() if ms}


def char_overlap(a: str, b: str) -> float:
    """Characters of the shorter string found, in order, in the other (difflib blocks).
    difflib is quadratic in the worst case: a text longer than MAX_COMPARE characters is
    measured by the share of its 3-character shingles found in the other instead."""
    from difflib import SequenceMatcher

    if not a or not b:
        return 0.0
    if max(len(a), len(b)) > MAX_COMPARE:
        sa, sb = shingles(a, 3), shingles(b, 3)
        return containment(sa, sb) if len(a) <= len(b) else containment(sb, sa)
    if trigram_cover(a, b) < PARA_CONTAINMENT * min(len(a), len(b)):
        return 0.0  # below the least share any caller keeps, whatever difflib would say
    sm = SequenceMatcher(None, a, b, autojunk=False)
    return sum(m.size for m in sm.get_matching_blocks() if m.size >= 3) / min(len(a), len(b))


def trigram_cover(a: str, b: str) -> int:
    """An upper bound, in linear time, of the characters difflib matches in blocks of 3 or
    more: every such character lies in a 3-character piece found in both strings, so the
    characters of ``a`` (and of ``b``) covered by shared 3-character pieces bound it."""
    def covered(x: str, other: set[str]) -> int:
        n, last = 0, -1
        for k in range(len(x) - 2):
            if x[k:k + 3] in other:
                n += min(3, k + 3 - last - 1) if last >= k else 3
                last = k + 2
        return n

    ga = {a[k:k + 3] for k in range(len(a) - 2)}
    gb = {b[k:k + 3] for k in range(len(b) - 2)}
    return min(covered(a, gb), covered(b, ga))


_FIGURE = lazy(r"\d+(?:\.\d+)?")


def factual(u: Unit) -> bool:
    """A sentence made of figures (dates, amounts, scores): a copy of it is a copied fact,
    not generic text, so it does not count towards a boilerplate passage on its own."""
    return len(_FIGURE.findall(u.n)) >= 3


def filled_template(a: str, b: str, report: Report) -> bool:
    """``a`` and ``b`` share a sentence frame but ``a`` fills it with its own facts: a
    differing stretch of ``a`` holds a figure or a word of the report's own title."""
    from difflib import SequenceMatcher

    from vectorstore.units import title_core

    core = title_core(report)
    own = {core[k:k + 2] for k in range(len(core) - 1)}
    sm = SequenceMatcher(None, a[:MAX_COMPARE], b[:MAX_COMPARE], autojunk=False)  # bounded: no quadratic cost
    for tag, i1, i2, _, _ in sm.get_opcodes():
        if tag in ("replace", "insert", "delete") and i2 > i1:
            seg = a[i1:i2]
            if any(ch.isdigit() for ch in seg) or any(seg[k:k + 2] in own for k in range(len(seg) - 1)):
                return True
    return False


def _ref(e: RepEntry | SlimEntry, o: RepEntry | SlimEntry) -> OtherRef:
    return OtherRef(o.key, o.report.title, o.file, o.report.index, same_file=o.file == e.file)


def blocks(units: list[Unit], matches: dict[int, list[Match]]) -> list[list[int]]:
    """Group duplicated target units into passages: runs in document order allowing up
    to MAX_GAP non-duplicated target sentences inside; keep passages of MIN_BLOCK chars."""
    order = [i for i, u in enumerate(units) if u.role == "target" and u.size >= 4]
    out: list[list[int]] = []
    cur: list[int] = []
    gap = 0
    for i in order:
        if i in matches:
            cur.append(i)
            gap = 0
        elif cur:
            gap += 1
            if gap > MAX_GAP:
                out.append(cur)
                cur, gap = [], 0
    if cur:
        out.append(cur)
    return [b for b in out if sum(units[i].size for i in b if not factual(units[i])) >= MIN_BLOCK]


def runs(spans: list[tuple[int, int]], text: str, max_gap_chars: int = 2, any_gap: int = 0) -> list[tuple[int, int]]:
    """Merge spans into longer quotes: spans separated only by whitespace, or by at most
    ``any_gap`` characters of anything (a heading, a list number) become one quote."""
    spans = sorted(set(spans))
    out: list[list[int]] = []
    for s, e in spans:
        if out:
            gap = text[out[-1][1]:s]
            if s <= out[-1][1] or (not gap.strip() and len(gap) <= max_gap_chars + 8) or len(gap) <= any_gap:
                out[-1][1] = max(out[-1][1], e)
                continue
        out.append([s, e])
    return [(s, e) for s, e in out]


def goal_copies(e: RepEntry) -> list[tuple[Unit, Unit]]:
    """Target sentences of a report that repeat one of its goal sentences word for word
    (实际完成情况 = 预期目标)."""
    goals = [u for u in e.units if u.role == "goal" and u.size >= 20]
    out = []
    for u in e.units:
        if u.role != "target" or u.size < 20:
            continue
        for g in goals:
            if g.start == u.start:
                continue
            # the result sentence adds (almost) nothing to the goal sentence
            if containment(u.sh or shingles(u.text, 3), g.sh or shingles(g.text, 3)) >= 0.85:
                out.append((u, g))
                break
    return out
