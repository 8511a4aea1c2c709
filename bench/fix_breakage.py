"""Audit of ``ssot-factory fix`` with a migration table on a real tree: what could a rewrite break?

Copies FOLDER to a scratch folder, runs ``ssot-factory fix`` there with the table in CONFIG
(safe fixes, then, on a fresh copy, ``--unsafe-fixes`` when asked), and reads every rewritten
file against the tree with checks of its own (plain ``ast``, not the fixer's code), one count a
breakage class of issue 26:

- ``moved-class-member``: a file now imports a moved class from its new module and uses on it
  a member the new module's class does not define (class read whole: no base but ``object``,
  ``Enum``, ``str``, ``int``, ``Exception`` and classes of that module);
- ``rename-positional``: a call rewritten to a rename's new name passes by position an argument
  that lands on a parameter of another name (every definition of both names in the tree);
- ``rename-result-member``: ``v = new(...)`` (or ``new(...).x``) in a rewritten file uses a
  member the class the new function says it returns does not define;
- ``await-of-sync``: a rewritten call ``await new(...)`` where every definition of ``new`` is
  synchronous; ``coroutine-to-value``: a rewritten call not awaited whose old definition (the
  import's module) is ``async def`` while the new one is not;
- ``attribute-string-on-non-module``: a string renamed in ``getattr``/``setattr``/``hasattr``/
  ``delattr``/``patch.object`` whose object is not bound by an ``import`` statement;
- ``warning-block-rewrite``: a line changed inside ``pytest.warns``, ``deprecated_call``,
  ``assertWarns``, ``catch_warnings`` blocks;
- ``self-check-refusal``: files the fixer refused with "did not remove exactly the findings";
- ``crash``: a traceback, or an exit code other than 0 and 1;
- ``leftover-position``: a finding left whose ``path:line:col`` ``check`` does not report in the
  rewritten tree.

Also: files rewritten, findings fixed, time. Prints one line a class; exits 1 when any is not 0.

    python bench/fix_breakage.py FOLDER CONFIG [--unsafe-fixes] [--work /tmp/ssf-breakage]
"""

from __future__ import annotations

import argparse
import ast
import collections
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Counter, Dict, Iterator, List, Optional, Set, Tuple

from flake8_ssot_factory.config.migrations import MOVE, RENAME
from flake8_ssot_factory.config.settings import Settings, build_settings

BIN = Path(sys.executable).parent
_WARNS = {"warns", "deprecated_call", "assertWarns", "assertWarnsRegex", "catch_warnings"}
_ATTRIBUTE_FUNCTIONS = {"getattr", "setattr", "hasattr", "delattr"}
_KNOWN_BASES = {
    "object": set(dir(object)),
    "Enum": {"name", "value", "_value_", "_name_"},
    "str": set(dir(str)),
    "int": set(dir(int)),
    "Exception": set(dir(Exception)),
}
_SKIPPED = ("backups/", "/backups/")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("config", type=Path)
    parser.add_argument("--unsafe-fixes", action="store_true")
    parser.add_argument("--work", type=Path, default=Path("/tmp/ssf-breakage"))
    args = parser.parse_args()
    settings = _settings(args.config)
    work = args.work
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(args.folder, work, symlinks=True)
    before = {p: p.read_bytes() for p in work.rglob("*.py") if p.is_file()}
    command = [str(BIN / "ssot-factory"), "fix", "--no-cache", "--show-left"]
    command += ["--config", str(args.config.resolve()), "."]
    if args.unsafe_fixes:
        command.append("--unsafe-fixes")
    start = time.perf_counter()
    done = subprocess.run(command, cwd=work, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    rewritten = [p for p, data in before.items() if p.is_file() and p.read_bytes() != data]
    counts: Counter[str] = collections.Counter()
    examples: Dict[str, str] = {}
    index = _TreeIndex(work, before, settings)
    for path in rewritten:
        old_text = before[path].decode("utf-8", "replace")
        new_text = path.read_text("utf-8", "replace")
        for kind, where in _breakages(path, old_text, new_text, index, settings):
            counts[kind] += 1
            examples.setdefault(kind, f"{path.relative_to(work)}:{where}")
    counts["self-check-refusal"] += done.stderr.count("did not remove exactly the findings")
    crashed = "Traceback" in done.stderr or done.returncode not in (0, 1)
    counts["crash"] += int(crashed)
    counts["leftover-position"] += _misplaced_leftovers(work, done.stderr, args.config)
    summary = re.search(r"(rewrote \d+ files?, fixing .*)", done.stderr)
    print(f"{args.folder} {'--unsafe-fixes ' if args.unsafe_fixes else ''}({elapsed:.1f} s)")
    print(f"  {summary.group(1) if summary else 'nothing rewritten'}; {len(rewritten)} files")
    classes = [
        "moved-class-member",
        "rename-positional",
        "rename-result-member",
        "await-of-sync",
        "coroutine-to-value",
        "attribute-string-on-non-module",
        "warning-block-rewrite",
        "self-check-refusal",
        "crash",
        "leftover-position",
    ]
    for kind in classes:
        example = f"  e.g. {examples[kind]}" if kind in examples else ""
        print(f"  {kind:32} {counts[kind]}{example}")
    return 1 if any(counts[kind] for kind in classes) else 0


def _settings(config: Path) -> Settings:
    import configparser

    parser = configparser.RawConfigParser()
    parser.read(config)
    return build_settings({"ssot-migrations": parser.get("flake8", "ssot-migrations")})


class _TreeIndex:
    """The tree's top-level functions and classes by name (outside backups), read once."""

    def __init__(self, root: Path, texts: Dict[Path, bytes], settings: Settings) -> None:
        self.root = root
        names = set()
        for migration in settings.table:
            if migration.shape == RENAME:
                names |= {migration.replacement, *migration.deprecated}
        self.functions: Dict[str, List[Tuple[Path, ast.AST]]] = collections.defaultdict(list)
        self.trees: Dict[Path, Optional[ast.Module]] = {}
        spelled = [n.encode() for n in names]
        for path, data in texts.items():
            shown = path.relative_to(root).as_posix()
            if shown.startswith(_SKIPPED) or not any(n in data for n in spelled):
                continue
            tree = self.tree(path)
            for node in tree.body if tree else []:
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in names:
                    self.functions[node.name].append((path, node))

    def tree(self, path: Path) -> Optional[ast.Module]:
        if path not in self.trees:
            try:
                self.trees[path] = ast.parse(path.read_bytes())
            except (SyntaxError, ValueError, RecursionError, OSError):
                self.trees[path] = None
        return self.trees[path]

    def module(self, dotted: str) -> Optional[ast.Module]:
        path = self.root / (dotted.replace(".", "/") + ".py")
        if not path.is_file():
            path = self.root / dotted.replace(".", "/") / "__init__.py"
        return self.tree(path) if path.is_file() else None


def _members(tree: ast.Module, name: str) -> Optional[Set[str]]:
    """The members of class ``name`` defined in ``tree`` (None: not read whole)."""
    classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
    node = classes.get(name)
    if node is None:
        return None
    found: Set[str] = set()
    for statement in node.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.add(statement.name)
        elif isinstance(statement, ast.Assign):
            found |= {t.id for t in statement.targets if isinstance(t, ast.Name)}
        elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            found.add(statement.target.id)
    for inner in ast.walk(node):
        if (
            isinstance(inner, ast.Attribute)
            and isinstance(inner.ctx, ast.Store)
            and isinstance(inner.value, ast.Name)
            and inner.value.id == "self"
        ):
            found.add(inner.attr)
    for base in node.bases:
        base_name = base.id if isinstance(base, ast.Name) else getattr(base, "attr", None)
        if base_name in _KNOWN_BASES:
            found |= _KNOWN_BASES[base_name]
        elif base_name in classes:
            inherited = _members(tree, base_name)
            if inherited is None:
                return None
            found |= inherited
        else:
            return None
    return found


def _breakages(
    path: Path, old_text: str, new_text: str, index: _TreeIndex, settings: Settings
) -> Iterator[Tuple[str, str]]:
    try:
        old, new = ast.parse(old_text), ast.parse(new_text)
    except (SyntaxError, ValueError, RecursionError):
        yield "crash", "the rewritten file does not parse"
        return
    changed = _changed_lines(old_text, new_text)
    yield from _moved_classes(old, new, index, settings)
    yield from _renamed_calls(new, changed, index, settings)
    yield from _attribute_strings(old, new, changed, settings)
    for line in _warning_block_lines(old):
        if line in changed[0]:
            yield "warning-block-rewrite", str(line)


def _changed_lines(old_text: str, new_text: str) -> Tuple[Set[int], Set[int]]:
    """Lines of the old and of the new text that the rewrite changed."""
    import difflib

    old_lines, new_lines = old_text.splitlines(), new_text.splitlines()
    old_changed: Set[int] = set()
    new_changed: Set[int] = set()
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            old_changed |= set(range(i1 + 1, i2 + 1))
            new_changed |= set(range(j1 + 1, j2 + 1))
    return old_changed, new_changed


def _moved_classes(
    old: ast.Module, new: ast.Module, index: _TreeIndex, settings: Settings
) -> Iterator[Tuple[str, str]]:
    moves = {n: m for m in settings.table if m.shape == MOVE for n in m.deprecated}
    for node in ast.walk(new):
        if not isinstance(node, ast.ImportFrom) or node.level:
            continue
        for alias in node.names:
            move = moves.get(alias.name)
            if move is None or node.module != move.new_module:
                continue
            if not any(
                isinstance(o, ast.ImportFrom) and o.module == move.old_module for o in ast.walk(old)
            ):
                continue  # imported from the new module before the fix too
            module = index.module(move.new_module)
            members = _members(module, alias.name) if module else None
            if members is None:
                continue
            local = alias.asname or alias.name
            for use in ast.walk(new):
                if (
                    isinstance(use, ast.Attribute)
                    and isinstance(use.value, ast.Name)
                    and use.value.id == local
                    and use.attr not in members
                    and not use.attr.startswith("__")
                ):
                    yield "moved-class-member", f"{use.lineno}: {local}.{use.attr}"


def _renamed_calls(
    new: ast.Module, changed: Tuple[Set[int], Set[int]], index: _TreeIndex, settings: Settings
) -> Iterator[Tuple[str, str]]:
    renames = {m.replacement: m for m in settings.table if m.shape == RENAME}
    awaited = {id(n.value) for n in ast.walk(new) if isinstance(n, ast.Await)}
    holders: Dict[str, str] = {}
    for node in ast.walk(new):
        if isinstance(node, ast.Assign):
            call = node.value.value if isinstance(node.value, ast.Await) else node.value
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Name):
                for target in node.targets:
                    if isinstance(target, ast.Name) and call.func.id in renames:
                        holders[target.id] = call.func.id
    for node in ast.walk(new):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            name = holders.get(node.value.id)
            if name is not None and node.lineno in changed[1]:
                for defined_in, definition in index.functions.get(name, []):
                    result = _annotation(definition)
                    module = index.tree(defined_in)
                    members = _members(module, result) if module and result else None
                    if members is not None and node.attr not in members:
                        yield "rename-result-member", f"{node.lineno}: .{node.attr}"
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
            continue
        migration = renames.get(node.func.id)
        if migration is None or node.lineno not in changed[1]:
            continue
        new_defs = [d for _, d in index.functions.get(node.func.id, [])]
        old_defs = [d for old in migration.deprecated for _, d in index.functions.get(old, [])]
        if id(node) in awaited and new_defs and not any(_is_async(d) for d in new_defs):
            yield "await-of-sync", f"{node.lineno}: await {node.func.id}(...)"
        if (
            id(node) not in awaited
            and old_defs
            and all(_is_async(d) for d in old_defs)
            and new_defs
            and not any(_is_async(d) for d in new_defs)
        ):
            yield "coroutine-to-value", f"{node.lineno}: {node.func.id}(...)"
        passed = sum(not isinstance(a, ast.Starred) for a in node.args)
        for old_def in old_defs:
            for new_def in new_defs:
                before, after = _positional(old_def), _positional(new_def)
                count = min(passed, len(before), len(after))
                if before[:count] != after[:count]:
                    yield "rename-positional", f"{node.lineno}: {node.func.id}(...)"
                    break
            else:
                continue
            break


def _annotation(definition: ast.AST) -> str:
    returns = getattr(definition, "returns", None)
    return returns.id if isinstance(returns, ast.Name) else ""


def _is_async(definition: ast.AST) -> bool:
    return isinstance(definition, ast.AsyncFunctionDef)


def _positional(definition: ast.AST) -> List[str]:
    assert isinstance(definition, (ast.FunctionDef, ast.AsyncFunctionDef))
    arguments = definition.args
    return [a.arg for a in [*arguments.posonlyargs, *arguments.args]]


def _attribute_strings(
    old: ast.Module, new: ast.Module, changed: Tuple[Set[int], Set[int]], settings: Settings
) -> Iterator[Tuple[str, str]]:
    imported = {
        alias.asname or alias.name.partition(".")[0]
        for node in ast.walk(new)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    replacements = {m.replacement for m in settings.table if m.shape == RENAME}
    replacements |= {m.replacement for m in settings.table if m.replacement}
    for node in ast.walk(new):
        if not isinstance(node, ast.Call) or len(node.args) < 2 or node.lineno not in changed[1]:
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        owner = getattr(func, "value", None)
        is_patch_object = name == "object" and getattr(owner, "attr", "") == "patch"
        if name not in _ATTRIBUTE_FUNCTIONS and not is_patch_object:
            continue
        text = node.args[1]
        if not (isinstance(text, ast.Constant) and text.value in replacements):
            continue
        root = node.args[0]
        while isinstance(root, ast.Attribute):
            root = root.value
        if not (isinstance(root, ast.Name) and root.id in imported):
            yield "attribute-string-on-non-module", f"{node.lineno}: {name}(..., {text.value!r})"


def _warning_block_lines(tree: ast.Module) -> Iterator[int]:
    for node in ast.walk(tree):
        if isinstance(node, (ast.With, ast.AsyncWith)):
            names = {
                getattr(item.context_expr.func, "attr", getattr(item.context_expr.func, "id", ""))
                for item in node.items
                if isinstance(item.context_expr, ast.Call)
            }
            if names & _WARNS:
                for statement in node.body:
                    end = statement.end_lineno or statement.lineno
                    yield from range(statement.lineno, end + 1)


def _misplaced_leftovers(work: Path, stderr: str, config: Path) -> int:
    """Findings left whose position ``check`` does not report in the rewritten tree."""
    listed = set(re.findall(r"^(\S+\.py):(\d+):(\d+): (SSF\d+) ", stderr, re.M))
    if not listed:
        return 0
    command = [str(BIN / "ssot-factory"), "check", "--no-cache", "--config", str(config.resolve())]
    done = subprocess.run([*command, "."], cwd=work, capture_output=True, text=True)
    reported = set(re.findall(r"^(?:\./)?(\S+\.py):(\d+):(\d+): (SSF\d+) ", done.stdout, re.M))
    return len({(p.lstrip("./"), *rest) for p, *rest in listed} - reported)


if __name__ == "__main__":
    sys.exit(main())
