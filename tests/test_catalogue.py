"""The catalogue is the one source of truth: every code registered, documented, tested."""

from __future__ import annotations

import string
from pathlib import Path

import pytest

from flake8_ssot_factory.engine.catalogue import RULES, RULES_BY_CODE, Rule
from flake8_ssot_factory.faces.docs import (
    END_MARKER,
    OPTIONS_END,
    OPTIONS_START,
    START_MARKER,
    findings_in,
    replace_reference,
)

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDERS = {"deprecated", "replacement", "keyword", "method", "argument", "value", "suggestion"}


def test_codes_and_slugs_are_unique() -> None:
    assert len(RULES_BY_CODE) == len(RULES)
    assert len({rule.slug for rule in RULES}) == len(RULES)


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_every_code_has_its_own_test_file(rule: Rule) -> None:
    code, slug = rule.code, rule.slug.replace("-", "_")
    test_file = ROOT / "tests" / f"test_{code}_{slug}.py"
    assert test_file.is_file(), f"{code} has no {test_file.name}"
    assert code in test_file.read_text(encoding="utf-8")


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_every_code_is_in_the_readme(rule: Rule) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"### {rule.code} `{rule.slug}`" in readme


def test_readme_rule_reference_is_up_to_date() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert START_MARKER in readme
    assert END_MARKER in readme
    assert replace_reference(readme) == readme, (
        "README.md's rule reference is stale: "
        "run python -m flake8_ssot_factory.faces.docs README.md"
    )


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_example_is_flagged_and_use_instead_is_not(rule: Rule) -> None:
    code = rule.code
    assert code in [f.code for f in findings_in(rule.example)]
    assert code not in [f.code for f in findings_in(rule.use_instead)]


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_message_placeholders_are_known(rule: Rule) -> None:
    names = {name for _, name, _, _ in string.Formatter().parse(rule.message) if name}
    assert names
    assert names <= PLACEHOLDERS


def test_docs_command_rewrites_a_stale_reference(tmp_path: Path) -> None:
    from flake8_ssot_factory.faces.docs import main

    readme = tmp_path / "README.md"
    readme.write_text(
        f"# Title\n\n{OPTIONS_START}\nold table\n{OPTIONS_END}\n\n"
        f"{START_MARKER}\nold text\n{END_MARKER}\n\nAfter.\n"
    )
    assert main([str(readme)]) == 1  # rewritten
    text = readme.read_text(encoding="utf-8")
    assert "old text" not in text
    assert "old table" not in text
    assert text.endswith(f"{END_MARKER}\n\nAfter.\n")
    assert "### SSF011 `replacement-factory-without-context`" in text
    assert "| `context-keyword` | `ssot-context-keyword` | `user_context` |" in text
    assert main([str(readme)]) == 0  # up to date now
    assert main([]) == 2
