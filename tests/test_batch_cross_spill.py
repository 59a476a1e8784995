"""The batch's cross-file matches spilled to disk between the copy search and the second
reviews (reviewer.batch.cross_spill): the same outcomes as with the matches held in the
batch process (as the Ray engine still does), and nothing left on disk afterwards."""

from __future__ import annotations

from pathlib import Path

from reviewer.batch.cross_spill import CrossSpill, load_cross
from reviewer.batch.discover import discover
from reviewer.batch.engine import local_pool
from reviewer.batch.runner import run_batch
from reviewer.batch.session import open_session
from vectorstore.boilerplate import Match, OtherRef

from shared_paths import SEEDS  # noqa: E402


def _flags(result) -> list[str]:
    return sorted(fr.model_dump_json() for o in result.outcomes for fr in o.flags)


def test_spilled_matches_give_the_outcomes_of_held_ones(tmp_path):
    files, missing = discover([str(SEEDS)])
    spilled = run_batch(files, missing, tmp_path / "a", open_session(no_llm=True, notify=lambda s: None), jobs=2,
                        progress=False)
    held = run_batch(files, missing, tmp_path / "b", open_session(no_llm=True, notify=lambda s: None), jobs=2,
                     progress=False, pool_factory=lambda jobs, budget: local_pool(jobs, budget))
    flags = _flags(spilled)
    assert flags == _flags(held)
    assert any('"R01"' in f for f in flags)  # copies across the seed files were found
    assert not list((tmp_path / "a" / ".parts").glob("cross-pending-*"))  # removed after the second reviews


def test_spill_round_trip_and_close(tmp_path):
    other = OtherRef(key="b.txt#0", title="某项目", file="b.txt", report=0)
    matches = {"a.txt#0": {3: [Match(other, 10, 40, "原文句子", 0.93, "copy", other_unit=7)]}}
    spill = CrossSpill(tmp_path)
    path = spill.put(matches)
    assert Path(path).parent.parent == tmp_path
    again = load_cross(path)
    assert again == matches
    spill.close()
    assert not Path(path).parent.exists()
