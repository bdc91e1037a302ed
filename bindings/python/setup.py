"""Builds the attune wheel: CMake compiles attune._core from the repository's C++ sources, and the
built-in instruments and guidance packs are copied into the package (attune/data), so an installed
attune needs neither the source tree nor a separate `cmake --install`.

Two ways in, one build: `pip install ./bindings/python` runs this file, and `pip install .` from the
repository root runs the root setup.py, which runs this file (the two pyproject.toml are identical).
Paths are taken relative to this file, never to the folder pip started in, and setuptools' build
folder is bindings/python/build either way: the root's build/ is the CMake build, not setuptools'.

Environment:
  ATTUNE_CMAKE_BUILD_DIR  an existing CMake build of this repository configured with
                          -DATTUNE_BUILD_PYTHON=ON: only its attune_python_core target is (re)built
                          and taken, instead of configuring a build of its own (tests, CI).
  CMAKE_ARGS              extra arguments for the configure step, e.g. -DCMAKE_CXX_COMPILER_LAUNCHER=ccache.
  CMAKE_BUILD_PARALLEL_LEVEL  compile jobs (default 2).
"""
import glob
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def _require_source_tree() -> None:
    # An sdist or a copy of bindings/python alone cannot build: the C++ core lives two levels up.
    if not (ROOT / "CMakeLists.txt").is_file() or not (ROOT / "instruments").is_dir():
        sys.exit(f"attune: build from the repository (pip install ./bindings/python); {ROOT} has no CMakeLists.txt")


def _version() -> str:
    m = re.search(r"project\(attune VERSION ([0-9.]+)", (ROOT / "CMakeLists.txt").read_text())
    if not m:
        sys.exit("attune: no `project(attune VERSION ...)` in CMakeLists.txt")
    return m.group(1)


class CMakeBuild(build_ext):
    """Builds the attune_python_core target and takes its _core*.so."""

    def build_extension(self, ext: Extension) -> None:
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", "2")
        build_dir = os.environ.get("ATTUNE_CMAKE_BUILD_DIR")
        if not build_dir:
            build_dir = str(Path(self.build_temp).resolve() / "cmake")
            subprocess.check_call([
                "cmake", "-S", str(ROOT), "-B", build_dir, "-DCMAKE_BUILD_TYPE=Release",
                "-DATTUNE_BUILD_PYTHON=ON", f"-DPython_EXECUTABLE={sys.executable}",
                "-DATTUNE_BUILD_TESTS=OFF", "-DATTUNE_BUILD_CLI=OFF", "-DATTUNE_BUILD_BENCH=OFF",
                "-DATTUNE_BUILD_EXAMPLES=OFF", "-DATTUNE_BUILD_C_ABI=OFF",
                *shlex.split(os.environ.get("CMAKE_ARGS", ""))])
        subprocess.check_call(["cmake", "--build", build_dir, "-j", jobs, "--target", "attune_python_core"])
        built = glob.glob(os.path.join(build_dir, "bindings", "python", "attune", "_core*.so"))
        if len(built) != 1:
            sys.exit(f"attune: expected one _core*.so in {build_dir}/bindings/python/attune, found {built}")
        target = Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built[0], target)


class BuildPyWithData(build_py):
    """Copies instruments/*.json and guidance/<lang>/*.json into attune/data in the build."""

    def run(self) -> None:
        super().run()
        data = Path(self.build_lib) / "attune" / "data"
        for name in ("instruments", "guidance"):
            dest = data / name
            if dest.exists():
                shutil.rmtree(dest)
            shutil.copytree(ROOT / name, dest, ignore=_not_json)


def _not_json(folder: str, names: list) -> list:
    return [n for n in names if not n.endswith(".json") and not os.path.isdir(os.path.join(folder, n))]


def _long_description() -> str:
    return (HERE / "README.md").read_text(encoding="utf-8")


_require_source_tree()
setup(
    version=_version(),
    long_description=_long_description(),
    long_description_content_type="text/markdown",
    packages=["attune"],
    # setuptools wants it relative to the folder pip runs the build in (here or the repository root).
    package_dir={"attune": os.path.relpath(HERE / "attune")},
    options={"build": {"build_base": str(HERE / "build")}},
    package_data={"attune": ["py.typed", "*.pyi"]},
    ext_modules=[Extension("attune._core", sources=[])],
    cmdclass={"build_ext": CMakeBuild, "build_py": BuildPyWithData},
    zip_safe=False,
)
