"""`participa` commands as a person meets them when something fails."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from typer.testing import CliRunner

from bot import cli
from bot.rasa.servers import ServerStartError


def test_servers_that_do_not_start_are_said_in_one_spanish_line_not_a_trace(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The lead's citizen walk at load 16: the action server took over 60 s and `participa ask`
    printed a 60-line traceback. Error path: the start is made to fail."""

    @contextmanager
    def failing() -> Iterator[str]:
        raise ServerStartError("El servidor de acciones no respondió en 180 s; bitácora: x.log")
        yield ""  # pragma: no cover

    monkeypatch.setattr(cli, "rasa_available", failing)
    monkeypatch.setattr(cli, "upgrade", lambda url: None)
    result = CliRunner().invoke(cli.app, ["ask", "hola"])
    assert result.exit_code == 1
    assert "No pude arrancar los servidores del bot: El servidor de acciones no respondió" in result.output
    assert "Traceback" not in result.output and "╭" not in result.output
