"""Region profiles: tolerances, weights and grade bands, overridable in a config file.

The default follows 财预〔2020〕10号: 产出50 / 效益30 / 满意度10 / 预算执行率10 and grades
优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 below.  A user overrides any field in ``jixiao.toml``
(or ``[tool.jixiao]`` in pyproject.toml)::

    [tool.jixiao]
    select = ["D", "J"]
    ignore = ["D11", "D26"]
    money_tolerance = 0.1          # 万元
    [tool.jixiao.severity]
    D11 = "info"
    [tool.jixiao.weights]
    产出 = 50
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from typing import TypeVar

from pydantic import BaseModel, Field

from reviewer.models import Severity

BaseModelT = TypeVar("BaseModelT", bound=BaseModel)


class Profile(BaseModel):
    name: str = "财预〔2020〕10号"
    select: list[str] = Field(default_factory=list)  # empty = all rules
    ignore: list[str] = Field(default_factory=list)
    severity: dict[str, Severity] = Field(default_factory=dict)
    money_tolerance: float = 0.01  # 万元
    percent_tolerance: float = 0.1  # percentage points
    score_tolerance: float = 0.1
    weights: dict[str, float] = Field(
        default_factory=lambda: {"产出": 50.0, "效益": 30.0, "满意度": 10.0, "预算执行率": 10.0}
    )
    grades: list[tuple[float, str]] = Field(
        default_factory=lambda: [(90.0, "优"), (80.0, "良"), (60.0, "中"), (0.0, "差")]
    )
    over_achievement: float = 1.2  # actual ≥ 1.2 × target needs an explanation (D14b)
    inflation_total: float = 98.0  # D25
    min_problem_chars: int = 30  # D23

    def severity_for(self, code: str, default: Severity) -> Severity:
        return self.severity.get(code, default)

    def grade(self, score: float) -> str:
        """The grade for a total score: 优/良/中/差."""
        for floor, name in self.grades:
            if score >= floor - 1e-9:
                return name
        return self.grades[-1][1]


CONFIG_NAMES = ("jixiao.toml", ".jixiao.toml", "pyproject.toml")
_PARSED: dict[tuple, dict] = {}  # config file (path, size, mtime) -> its TOML: one check asks for it half a dozen times


def _toml(p: Path, fresh: bool = True) -> dict:
    """The parsed TOML of ``p``, parsed once per process while the file is unchanged on
    disk; ``fresh``: a copy of it (callers may change it)."""
    import copy

    st = p.stat()
    key = (str(p), st.st_size, st.st_mtime_ns, st.st_ino)
    if key not in _PARSED:
        _PARSED[key] = tomllib.loads(p.read_text("utf-8"))
    return copy.deepcopy(_PARSED[key]) if fresh else _PARSED[key]


def find_config(start: Path | None = None) -> Path | None:
    """The nearest config file from ``start`` upwards."""
    here = (start or Path.cwd()).resolve()
    for d in [here, *here.parents]:
        for name in CONFIG_NAMES:
            p = d / name
            if p.is_file():
                if name == "pyproject.toml" and "tool" not in _toml(p, fresh=False):
                    continue
                if name == "pyproject.toml" and "jixiao" not in _toml(p, fresh=False).get("tool", {}):
                    continue
                return p
    return None


def load_config(path: Path | None = None) -> dict:
    """The ``jixiao`` config table (``{}`` when there is none)."""
    p = path or find_config()
    if p is None:
        return {}
    data = _toml(p)
    if p.name == "pyproject.toml":
        return data.get("tool", {}).get("jixiao", {})
    return data.get("tool", {}).get("jixiao", data)


def load_section(name: str, model: type[BaseModelT], path: Path | None = None) -> BaseModelT:
    """The sub-table ``[tool.jixiao.<name>]`` of the nearest config file as ``model``
    (its defaults when absent).  Raises ValueError naming the file and the table when a
    value is unknown or out of range."""
    from pydantic import ValidationError

    p = path or find_config()
    raw = load_config(p) if p is not None else {}
    table = raw.get(name, {}) if isinstance(raw, dict) else {}
    try:
        return model(**table) if isinstance(table, dict) else model()
    except ValidationError as exc:
        raise ValueError(f"{p}: [tool.jixiao.{name}] 设置有误 / invalid settings: {exc}") from exc


PRESETS: dict[str, dict] = {
    # 财预〔2020〕10号 as published: the defaults of Profile
    "default": {},
    # 广西: an explanation is mandatory from 130% over-achievement (pmkpi switch)
    "guangxi": {"name": "广西", "over_achievement": 1.3},
    # looser money tolerance used by some provincial checkers (0.1 万元)
    "lenient": {"name": "宽松容差", "money_tolerance": 0.1, "percent_tolerance": 0.5, "score_tolerance": 0.5},
}


def load_profile(path: Path | None = None, **overrides) -> Profile:
    """The profile from the config file with ``overrides`` (e.g. from the CLI) on top.

    ``preset = "guangxi"`` in the config starts from a named regional preset (see
    :data:`PRESETS`); any field set in the config or on the command line wins over it."""
    raw = load_config(path)
    preset = str(raw.get("preset", "default"))
    if preset not in PRESETS:
        raise ValueError(f"未知的地区预设 / unknown preset {preset!r}; choose one of {', '.join(PRESETS)}")
    cfg = dict(PRESETS[preset])
    cfg.update({k: v for k, v in raw.items() if k in Profile.model_fields})
    cfg.update({k: v for k, v in overrides.items() if v is not None})
    return Profile(**cfg)
