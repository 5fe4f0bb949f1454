"""``bizarch serve`` refuses to serve what is not there, with one line and exit status 1."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from bizarch.cli import main


def test_serve_refuses_a_missing_store_and_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "no-store"
    result = CliRunner().invoke(main, ["--store", str(missing), "serve", "--port", "0"])
    assert result.exit_code == 1
    assert f"There is no store at {missing}." in result.output
    assert "bizarch init" in result.output
    assert not missing.exists()


def test_serve_help_names_its_options() -> None:
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    for option in (
        "--host",
        "--port",
        "--store",
        "--from-disk",
        "--sparql-timeout",
        "--uploads",
        "--max-upload-mb",
    ):
        assert option in result.output


def test_uploads_are_on_by_default_only_on_loopback() -> None:
    from bizarch.cli.web import upload_settings

    assert upload_settings("127.0.0.1", None) == (True, ("127.0.0.1", "localhost", "::1"))
    assert upload_settings("[::1]", None)[0] is True
    assert upload_settings("localhost", None)[0] is True
    assert upload_settings("0.0.0.0", None) == (False, ())
    assert upload_settings("192.168.1.5", None)[0] is False
    assert upload_settings("0.0.0.0", True) == (True, ())  # --uploads, with a warning
    assert upload_settings("127.0.0.1", False)[0] is False  # --no-uploads
