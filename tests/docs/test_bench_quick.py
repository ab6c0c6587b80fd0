"""`python3 dev.py bench --quick`: every benchmark takes --quick and reports its ratios,
and bench/run.py gathers them into one table."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import run  # noqa: E402

SCRIPTS = sorted(p for p in BENCH.glob("*.py") if p.name != "run.py"
                 and not p.name.startswith("_"))


def _calls(tree: ast.AST, name: str) -> int:
    return sum(1 for node in ast.walk(tree) if isinstance(node, ast.Call)
               and getattr(node.func, "id", None) == name)


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_every_benchmark_takes_quick_and_reports_a_ratio(script: Path) -> None:
    text = script.read_text(encoding="utf-8")
    tree = ast.parse(text)
    assert '"--quick"' in text, f"{script.name}: add a --quick flag (bench/README.md)"
    assert _calls(tree, "report"), f"{script.name}: print its ratios with _ratios.report"


def test_the_quick_run_prints_one_table_of_every_ratio(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.py"
    good.write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(BENCH)!r})\n"
        "from _ratios import report\n"
        'assert sys.argv[1:] == ["--quick"]\n'
        "print('the bench table itself')\n"
        "report('reads (time / baseline)', 1.25, 1.5, higher_is_better=False)\n"
        "report('appends (rate / baseline)', 0.5, 2.0)\n"
    )
    old = tmp_path / "old.py"
    old.write_text("print('no quick mode here')\n")
    broken = tmp_path / "broken.py"
    broken.write_text("'--quick'\nimport sys\nsys.exit('it broke')\n".replace("'", '"'))
    assert run.quick([good, old, broken]) == 1
    table = capsys.readouterr().out
    assert "the bench table itself" not in table
    lines = [line.split() for line in table.splitlines()]
    assert ["good", "reads", "(time", "/", "baseline)", "1.25", "≤", "1.5", "yes"] in lines
    assert ["good", "appends", "(rate", "/", "baseline)", "0.5", "≥", "2", "NO"] in lines
    assert any(line[:2] == ["old", "(takes"] for line in lines)
    assert any(line[:2] == ["broken", "(failed:"] and "broke)" in line for line in lines)
