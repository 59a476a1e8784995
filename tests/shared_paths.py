"""Where the labelled data the tests use lives: vendored copies in the repository, so a clone
with nothing beside it passes ``make test``.

* ``tests/data/seeds``     — the five seed documents and their labels (from ../shared/seeds);
* ``tests/data/realworld`` — the 37 real published excerpts and their labels (../shared/realworld);
* ``eval/score.py``        — the scorer, a copy of ../shared/eval/score.py (the way the tool is judged).

Keep them in step with ../shared when it changes (``diff -r ../shared/seeds tests/data/seeds``).
"""

from pathlib import Path

_REPO = Path(__file__).resolve().parents[1]
DATA = _REPO / "tests" / "data"
SEEDS = DATA / "seeds"
REALWORLD = DATA / "realworld"
SCORER = _REPO / "eval" / "score.py"
