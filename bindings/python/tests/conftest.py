import os
import pathlib
import shutil

import pytest

SOURCE = pathlib.Path(os.environ.get("ATTUNE_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[3]))


@pytest.fixture
def source_dir() -> pathlib.Path:
    return SOURCE


@pytest.fixture
def cli() -> str:
    """The built `attune` program (ATTUNE_CLI, set by ctest and tools/python-tests.sh)."""
    path = os.environ.get("ATTUNE_CLI") or shutil.which("attune")
    if not path or not os.path.exists(path):
        pytest.skip("the attune CLI is not built (set ATTUNE_CLI)")
    return path
