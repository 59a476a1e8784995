"""Citations to the exact cell or paragraph of a figure, collected while an offline answer
is written and numbered in order of first use (``[〔n〕绩效自评表 › 表1·R8·C7](#cell-…)``:
a table cell links to its own element in the text pane, anything else to its passage)."""

from __future__ import annotations

from dataclasses import dataclass, field

from reviewer.models import SourceDocument

from ui.chat import Citation
from ui.passages import Passage


@dataclass
class CitationList:
    passages: list[Passage]
    source: SourceDocument
    items: list[Citation] = field(default_factory=list)

    def passage_at(self, pos: int) -> Passage | None:
        for p in self.passages:
            if p.start <= pos < max(p.end, p.start + 1):
                return p
        return None

    def link(self, start: int, end: int) -> str:
        """A Markdown link to the passage holding ``start``, labelled with the cell's place
        (table cell or sheet cell when the reader knows it); "" when outside the report."""
        p = self.passage_at(start)
        if p is None:
            return ""
        loc = self.source.locate(start, end)
        place = loc.label() if loc is not None and loc.kind not in ("text", "paragraph") else p.place
        label = f"{p.section} › {place}" if p.section else place
        cell = next((c for c in p.cells if c.start <= start < c.end), None)
        anchor = f"cell-{cell.start}" if cell is not None else p.anchor  # the cell's own element in the text pane
        for c in self.items:
            if c.label == label and c.anchor == anchor:
                return f"[{c.choice}](#{c.anchor})"
        c = Citation(n=len(self.items) + 1, label=label, text=p.shown, anchor=anchor, start=p.start, end=p.end)
        self.items.append(c)
        return f"[{c.choice}](#{c.anchor})"
