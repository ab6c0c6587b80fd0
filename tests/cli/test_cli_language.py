"""The command line in es-MX or en-US, chosen by TEARLINE_LANG, then LC_ALL/LANG."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tearline.cli import app
from tearline.cli.common import STATE


def _run(*args: str | Path) -> tuple[int, str, str]:
    try:
        result = CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "120"})
    finally:
        STATE.close()
    return result.exit_code, result.stdout, result.stderr


def test_help_is_in_spanish_under_a_spanish_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TEARLINE_LANG", raising=False)
    monkeypatch.setenv("LANG", "es_MX.UTF-8")
    code, out, _ = _run("report", "assessment", "--help")
    assert code == 0
    assert "Una evaluación de amenaza elaborada solo con lo que la unidad" in out
    assert "Archivo a escribir." in out and "Mostrar este mensaje y salir." in out
    assert "Opciones" in out and "[obligatorio]" in out and "[predeterminado:" in out
    assert "Options" not in out and "File to write." not in out


def test_tearline_lang_wins_over_lang_and_english_stays_whole(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "es_MX.UTF-8")
    monkeypatch.setenv("TEARLINE_LANG", "en-US")
    code, out, _ = _run("--help")
    assert code == 0
    assert "Share counter-narcotics intelligence between agencies of unequal trust." in out
    assert "Options" in out and "Commands" in out and "Opciones" not in out


def test_an_error_is_labelled_and_said_in_spanish(monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    monkeypatch.setenv("TEARLINE_LANG", "es")
    code, _, err = _run("-w", tmp_path / "none", "list", "--as", "mx.semar.uie")
    assert code == 2  # the exit status never changes with the language
    said = " ".join(err.split())
    assert said.startswith("error: no hay base de datos del espacio de trabajo en ")
    assert "ejecute primero `tearline init`" in said
