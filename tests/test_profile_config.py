"""The region profile and the ruff-style config: select/ignore, severities, tolerances, presets."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from reviewer.checks import selected_rules
from reviewer.profile import load_profile
from rulekit import STANDARD_ROWS, full_report

ROOT = Path(__file__).resolve().parents[1]


def _write(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "jixiao.toml"
    p.write_text(body, encoding="utf-8")
    return p


def test_select_ignore_and_severity(tmp_path):
    cfg = _write(tmp_path, '[tool.jixiao]\nselect = ["D1"]\nignore = ["D13"]\n[tool.jixiao.severity]\nD12 = "info"\n')
    prof = load_profile(cfg)
    codes = {r.code for r in selected_rules(prof)}
    assert "D12" in codes and "D13" not in codes and "D02" not in codes
    assert prof.severity_for("D12", "error") == "info"


def test_plain_table_and_pyproject(tmp_path):
    assert load_profile(_write(tmp_path, "money_tolerance = 0.1\n")).money_tolerance == 0.1
    (tmp_path / "pyproject.toml").write_text('[project]\nname="x"\n[tool.jixiao]\nscore_tolerance = 0.5\n', encoding="utf-8")
    assert load_profile(tmp_path / "pyproject.toml").score_tolerance == 0.5


def test_presets(tmp_path):
    assert load_profile(_write(tmp_path, 'preset = "guangxi"\n')).over_achievement == 1.3
    assert load_profile(_write(tmp_path, 'preset = "guangxi"\nover_achievement = 1.5\n')).over_achievement == 1.5
    with pytest.raises(ValueError):
        load_profile(_write(tmp_path, 'preset = "nowhere"\n'))


def test_config_changes_what_check_reports(tmp_path):
    rows = list(STANDARD_ROWS)
    rows[0] = ("产出指标", "数量指标", "培训人次", "≥200人次", "250人次", "20", "20", "")  # 125%
    report = tmp_path / "r.txt"
    report.write_text(full_report(rows=rows), encoding="utf-8")

    def codes(cfg_body: str) -> str:
        cfg = _write(tmp_path, cfg_body)
        r = subprocess.run([sys.executable, "-m", "reviewer", "--config", str(cfg), "check", str(report), "--no-llm"],
                           capture_output=True, text=True, cwd=tmp_path)
        return r.stdout

    assert "D14B" in codes("[tool.jixiao]\n")
    assert "D14B" not in codes('[tool.jixiao]\npreset = "guangxi"\n')  # 125% < 130%
    assert "D14B" not in codes('[tool.jixiao]\nignore = ["D14"]\n')
