"""`pip install --no-build-isolation .` from the repository root: the Python package, built exactly as
`pip install ./bindings/python` builds it (bindings/python/setup.py does the work; pyproject.toml here is
a copy of bindings/python/pyproject.toml, which bindings/python/install-test.sh checks)."""
import runpy
from pathlib import Path

runpy.run_path(str(Path(__file__).resolve().parent / "bindings" / "python" / "setup.py"), run_name="__main__")
