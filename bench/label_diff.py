"""Per-file view of a scored run: which labels were found, which were missed, which flags
matched no label.  For developers tuning on a labelled set they are allowed to see.

Usage: python bench/label_diff.py LABEL_SET FLAGS_JSONL [--min-confidence medium] [--only STEM...]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
from collections import defaultdict
from pathlib import Path

# the scorer's own definitions (classes, confidence levels, quote matching), so this view
# agrees with the figures it explains
_SPEC = importlib.util.spec_from_file_location("score", Path(__file__).resolve().parents[1] / "eval" / "score.py")
score = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(score)
CLASSES, CONF, WS = score.CLASSES, score.CONF, score.WS


def _spans(hay: str, needle: str) -> list[tuple[int, int]]:
    return score.spans(hay, needle)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("labels")
    ap.add_argument("flags")
    ap.add_argument("--min-confidence", default="medium")
    ap.add_argument("--only", nargs="*")
    a = ap.parse_args()
    root = Path(a.labels)
    flags: dict[str, list[dict]] = defaultdict(list)
    for line in Path(a.flags).read_text(encoding="utf-8").splitlines():
        if line.strip():
            f = json.loads(line)
            flags[Path(f["file"]).stem].append(f)
    layouts = {lab.stem: json.loads(lab.read_text(encoding="utf-8")).get("layout", "")
               for lab in (root / "labels").glob("*.json")}
    for stem, (text, defects) in score.load_labels(root).items():  # both label layouts, as the scorer reads them
        if a.only and stem not in a.only:
            continue
        hay = WS.sub("", text)
        labs = [x for x in defects if CONF.get(x.get("confidence", "high"), 0) <= CONF[a.min_confidence]]
        print(f"=== {stem} ({layouts.get(stem)})")
        used = set()
        for x in labs:
            lsp = [s for q in x["quote"] for s in _spans(hay, q)]
            hits = []
            for k, f in enumerate(flags.get(stem, [])):
                if CLASSES.get(f["kind"]) != CLASSES.get(x["kind"]):
                    continue
                fsp = [s for ev in f["evidence"] for s in _spans(hay, ev["quote"])]
                if any(s < le and ls < e for s, e in fsp for ls, le in lsp):
                    hits.append(f["rule"])
                    used.add(k)
            mark = "HIT " if hits else "MISS"
            print(f"  {mark} {x['kind']:15s} {x['quote'][0][:50]!r} {hits} | {x['explanation'][:70]}")
        for k, f in enumerate(flags.get(stem, [])):
            if k not in used:
                q = f["evidence"][0]["quote"][:40] if f["evidence"] else ""
                print(f"  FP   {f['rule']:5s} {f['kind']:15s} {q!r} {f['message'][:70]}")


if __name__ == "__main__":
    main()
