"""Which files a folder gives: as os.walk and flake8's excludes would decide."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from flake8_ssot_factory.run.discovery import DEFAULT_EXCLUDE, Exclude, expand_paths


def make(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x = 1\n")


def test_walk_finds_python_files_below_sorted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make(tmp_path, "b/z.py", "a/y.py", "a/deep/er/x.py", "a/notes.txt", "top.py", "a/x.pyi")
    monkeypatch.chdir(tmp_path)
    assert expand_paths(["."], DEFAULT_EXCLUDE) == [
        "./a/deep/er/x.py",
        "./a/y.py",
        "./b/z.py",
        "./top.py",
    ]
    assert expand_paths(["a/"], DEFAULT_EXCLUDE) == ["a/deep/er/x.py", "a/y.py"]


def test_links_to_folders_are_not_followed_but_links_to_files_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make(tmp_path, "real/m.py", "elsewhere/n.py")
    os.symlink(tmp_path / "elsewhere", tmp_path / "real" / "linked")
    os.symlink(tmp_path / "elsewhere" / "n.py", tmp_path / "real" / "alias.py")
    os.symlink(tmp_path / "missing.py", tmp_path / "real" / "broken.py")
    monkeypatch.chdir(tmp_path)
    # The broken link is listed so that the run reports it (E902) rather than skipping it.
    assert expand_paths(["real"], ()) == ["real/alias.py", "real/broken.py", "real/m.py"]


def test_a_folder_named_like_a_module_is_listed_not_walked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make(tmp_path, "pkg/odd.py/inner.py")
    monkeypatch.chdir(tmp_path)
    assert expand_paths(["pkg"], ()) == ["pkg/odd.py"]


@pytest.mark.parametrize(
    ("patterns", "kept"),
    [
        (("*.egg",), ["src/m.py"]),
        (("dist.egg",), ["src/m.py"]),
        (("m.py",), ["dist.egg/n.py"]),
        (("*/src",), ["dist.egg/n.py"]),
        (("*s?c",), ["dist.egg/n.py"]),
    ],
)
def test_excludes_match_the_name_or_the_absolute_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, patterns: tuple[str, ...], kept: list[str]
) -> None:
    make(tmp_path, "src/m.py", "dist.egg/n.py")
    monkeypatch.chdir(tmp_path)
    assert expand_paths(["src", "dist.egg"], patterns) == kept


def test_an_absolute_exclude_matches_only_that_folder(tmp_path: Path) -> None:
    make(tmp_path, "a/gen/m.py", "b/gen/m.py")
    found = expand_paths([str(tmp_path)], [str(tmp_path / "a" / "gen")])
    assert found == [str(tmp_path / "b" / "gen" / "m.py")]


def test_exclude_is_asked_about_names_and_paths() -> None:
    is_excluded = Exclude(["*.egg", "/srv/gen/*"])
    assert is_excluded("/x/dist.egg")
    assert is_excluded("/srv/gen/m.py")
    assert not is_excluded("/srv/src/m.py")
    assert not is_excluded(".")


def test_only_patterns_that_can_match_a_path_make_the_walk_build_paths() -> None:
    assert not Exclude(DEFAULT_EXCLUDE).needs_paths
    assert not Exclude(["*.egg", "build"]).needs_paths
    assert Exclude(["/srv/gen/*"]).needs_paths
    assert Exclude(["*/gen/*"]).needs_paths
