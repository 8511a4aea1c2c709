from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flake8_ssot_factory.config.settings import DEFAULT_SETTINGS, SettingsError, build_settings


def test_defaults_serve_the_migration() -> None:
    assert DEFAULT_SETTINGS.factories == (
        ("get_agent_instance_factory", "create_agent_instance_factory"),
        ("configure_agent_instance_factory", "create_agent_instance_factory"),
    )
    assert DEFAULT_SETTINGS.context_methods == (("create_agent", 1), ("create_agent_instance", 1))
    assert DEFAULT_SETTINGS.context_keyword == "user_context"
    assert DEFAULT_SETTINGS.factory_classes == ("AgentInstanceFactory",)
    assert DEFAULT_SETTINGS.any_receiver is False
    assert DEFAULT_SETTINGS.watched_names == (
        "configure_agent_instance_factory",
        "create_agent",
        "create_agent_instance",
        "create_agent_instance_factory",
        "get_agent_instance_factory",
    )


def test_values_split_on_commas_and_newlines() -> None:
    settings = build_settings(
        {"ssot-factories": "\n a:b,\n c:d ,", "ssot-factory-classes": ["X", "Y"]}
    )
    assert settings.factories == (("a", "b"), ("c", "d"))
    assert settings.factory_classes == ("X", "Y")


@pytest.mark.parametrize(
    ("option", "value", "error"),
    [
        ("ssot-factories", "", "--ssot-factories: needs at least one value, got ''"),
        ("ssot-factories", "a:a", "--ssot-factories: 'a:a' replaces a name with itself"),
        ("ssot-factories", "a:b,a:c", "--ssot-factories: 'a' is given two replacements"),
        ("ssot-factories", "1a:b", "--ssot-factories: '1a' in '1a:b' is not a Python identifier"),
        (
            "ssot-context-methods",
            "m:-1",
            "--ssot-context-methods: position '-1' in 'm:-1' is not a whole number >= 0",
        ),
        (
            "ssot-context-methods",
            "m",
            "--ssot-context-methods: 'm' is not a method:position pair (no colon)",
        ),
        (
            "ssot-context-keyword",
            "1x",
            "--ssot-context-keyword: '1x' in '1x' is not a Python identifier",
        ),
        ("ssot-factory-classes", 3, "--ssot-factory-classes: expected text, got 3"),
    ],
)
def test_malformed_values(option: str, value: object, error: str) -> None:
    with pytest.raises(SettingsError) as raised:
        build_settings({option: value})
    assert str(raised.value) == error


def test_settings_are_immutable() -> None:
    with pytest.raises(AttributeError):
        DEFAULT_SETTINGS.context_keyword = "x"  # type: ignore[misc]


def test_prefilter_searches_only_names_not_inside_others() -> None:
    # A context method alone holds no finding: a factory is known only through a retired or
    # replacement factory or a factory class, which the file then spells.
    assert DEFAULT_SETTINGS.prefilter_names == (
        "AgentInstanceFactory",
        "configure_agent_instance_factory",
        "create_agent_instance_factory",
        "get_agent_instance_factory",
    )
    # With any receiver, a context method is enough (and covers the names that contain it).
    assert build_settings({"ssot-any-receiver": True}).prefilter_names == (
        "AgentInstanceFactory",
        "configure_agent_instance_factory",
        "create_agent",
        "get_agent_instance_factory",
    )
    assert DEFAULT_SETTINGS.prefilter_needles == tuple(
        name.encode() for name in DEFAULT_SETTINGS.prefilter_names
    )


@given(st.frozensets(st.text("ab_", min_size=1, max_size=6), max_size=30))
def test_prefilter_names_keep_exactly_those_that_hold_no_other(names: frozenset[str]) -> None:
    from flake8_ssot_factory.config.settings import _shortest

    expected = sorted(n for n in names if not any(o != n and o in n for o in names))
    assert list(_shortest(names)) == expected


@pytest.mark.timeout(120)  # a hang guard: comparing every name with every other took minutes
def test_a_table_of_ten_thousand_entries_builds_its_prefilter() -> None:
    table = "\n".join(f"m{n}: get_thing_{n} -> create_thing_{n}(...)" for n in range(10_000))
    settings = build_settings({"ssot-migrations": table})
    # get_thing_1 is in get_thing_10 .. get_thing_1999: only the one-digit names are searched.
    assert settings.prefilter_names == tuple(f"get_thing_{n}" for n in range(10))
