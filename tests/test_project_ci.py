"""The GitHub workflow runs the environments that ``tox p`` (and so .ci/run) runs, each by a
name tox knows: tox refuses ``-e py3.9`` when its list says ``py39``."""

from __future__ import annotations

import configparser
import re
from pathlib import Path
from typing import Set

ROOT = Path(__file__).resolve().parent.parent


def tox_environments() -> Set[str]:
    parser = configparser.ConfigParser()
    parser.read(ROOT / "tox.ini")
    return {name.strip() for name in parser["tox"]["env_list"].split(",")}


def test_the_workflow_runs_every_tox_environment_by_its_own_name() -> None:
    workflow = (ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")
    named = set(re.findall(r"env: (py3\d+)\}", workflow))
    for listed in re.findall(r"env: \[([^\]]*)\]", workflow):
        named |= {name.strip() for name in listed.split(",")}
    assert named == tox_environments()
    assert workflow.count("python -m tox -e ${{ matrix.env }}") == 2
