"""Where ../shared (seeds, labels, the scorer) is: beside the repository, as in CI, or
at /work/shared on a developer machine."""

from pathlib import Path

_REPO = Path(__file__).resolve().parents[1]
SHARED = next((p for p in (_REPO.parent / "shared", Path("/work/shared")) if (p / "seeds").is_dir()),
              _REPO.parent / "shared")
SEEDS = SHARED / "seeds"
SCORER = SHARED / "eval" / "score.py"
