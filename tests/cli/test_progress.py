"""The load progress bar: silent for quick work, on stderr once work takes longer."""

from __future__ import annotations

import time

import pytest

from bizarch.cli.common import DelayedProgress


def test_quick_work_draws_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    with DelayedProgress(1000, "Loading", delay=60) as progress:
        progress(400)
        progress(600)
    assert progress.done == 1000
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""


def test_slow_work_draws_on_stderr_only(capsys: pytest.CaptureFixture[str]) -> None:
    with DelayedProgress(1000, "Loading", delay=0.01) as progress:
        progress(100)
        time.sleep(0.02)
        progress(900)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Loading" in captured.err
