from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from scleropath.cli.main import main


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture
def run() -> Any:
    """Run the command in-process with the given arguments (and standard input)."""

    def call(*argv: str, stdin: str = "") -> Run:
        out, err = io.StringIO(), io.StringIO()
        code = main(list(argv), out=out, err=err, stdin=io.StringIO(stdin))
        return Run(code, out.getvalue(), err.getvalue())

    return call


@pytest.fixture
def write_json(tmp_path: Path) -> Any:
    def write(data: Any, name: str = "request.json") -> str:
        path = tmp_path / name
        path.write_text(json.dumps(data))
        return str(path)

    return write
