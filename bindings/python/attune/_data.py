"""Where the C++ core finds the built-in instruments and guidance packs of an installed package.

A wheel carries them in attune/data; the core looks in $ATTUNE_INSTRUMENT_PATH and
$ATTUNE_GUIDANCE_PATH first, so the package's folders are added there, after any folders the user
already set (theirs still win). Without attune/data (PYTHONPATH into a CMake build) nothing changes
and the core falls back to the source tree it was built from. Child processes (e.g. the attune CLI)
inherit the same folders, which hold the same files.
"""
from __future__ import annotations

import os
from pathlib import Path

# The core splits the variables on ":" on every platform (src/data_dirs.hpp).
DATA_DIR = Path(__file__).resolve().parent / "data"


def _append(var: str, folder: Path) -> None:
    if not folder.is_dir():
        return
    current = [p for p in os.environ.get(var, "").split(":") if p]
    if str(folder) not in current:
        os.environ[var] = ":".join(current + [str(folder)])


_append("ATTUNE_INSTRUMENT_PATH", DATA_DIR / "instruments")
_append("ATTUNE_GUIDANCE_PATH", DATA_DIR / "guidance")
