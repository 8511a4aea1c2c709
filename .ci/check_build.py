"""The package as users get it: build the sdist and the wheel, check their metadata with twine,
install the wheel into a fresh virtual environment and run both entry points from there.

    python .ci/check_build.py        (tox -e build runs it)
"""

from __future__ import annotations

import glob
import os
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*command: str, cwd: Path = ROOT) -> str:
    print("+", " ".join(command), flush=True)
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stdout.write(done.stdout)
        sys.stderr.write(done.stderr)
        raise SystemExit(f"check_build: failed ({done.returncode}): {' '.join(command)}")
    return done.stdout


def main() -> int:
    version = run(sys.executable, "-c", "import flake8_ssot_factory as f; print(f.__version__)")
    version = version.strip()
    with tempfile.TemporaryDirectory(prefix="ssf-build-") as temporary:
        work = Path(temporary)
        dist = work / "dist"
        run(sys.executable, "-m", "build", "--outdir", str(dist), str(ROOT))
        artifacts = sorted(glob.glob(str(dist / "*")))
        names = [Path(a).name for a in artifacts]
        expected = {
            f"flake8_ssot_factory-{version}.tar.gz",
            f"flake8_ssot_factory-{version}-py3-none-any.whl",
        }
        if set(names) != expected:
            raise SystemExit(f"check_build: built {names}, expected {sorted(expected)}")
        run(sys.executable, "-m", "twine", "check", "--strict", *artifacts)
        fresh = work / "fresh"
        venv.create(fresh, with_pip=True)
        bin_dir = fresh / ("Scripts" if os.name == "nt" else "bin")
        wheel = next(a for a in artifacts if a.endswith(".whl"))
        run(str(bin_dir / "python"), "-m", "pip", "install", "--quiet", wheel)
        shown = run(str(bin_dir / "ssot-factory"), "--version").strip()
        if shown != f"ssot-factory {version}":
            raise SystemExit(f"check_build: ssot-factory --version printed {shown!r}")
        flake8 = run(str(bin_dir / "flake8"), "--version")
        if f"flake8-ssot-factory: {version}" not in flake8:
            raise SystemExit(f"check_build: flake8 --version does not list the plugin: {flake8!r}")
        print(f"check_build: {', '.join(names)} built, checked, installed and run: {shown}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
