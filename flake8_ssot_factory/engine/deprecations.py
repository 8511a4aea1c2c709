"""Deprecations a module announces about itself, read from its syntax tree.

The code base retires its singletons in a few recognisable ways; each is an *announcement*:

- ``warnings.warn("... deprecated ...", DeprecationWarning)`` (or ``PendingDeprecationWarning``,
  or ``category=``) in a function, a method, a class's ``__init__`` or at module level;
- a ``@deprecated(...)`` decorator (PEP 702's ``warnings.deprecated``, ``typing_extensions``,
  the ``deprecated`` package);
- a body that only raises, with "deprecated" or "no longer supported" in its message.

Pure: a tree in, announcements out (discover.py turns them into a migration table).
"""

from __future__ import annotations

import ast
import dataclasses
import re
from typing import Dict, Iterator, List, Optional, Tuple, Union

_CATEGORIES = frozenset({"DeprecationWarning", "PendingDeprecationWarning"})
_RAISE_WORDS = ("deprecated", "no longer supported")
_LOGGING = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "critical", "log", "print"}
)
_VERSION = re.compile(r"v?\d+(?:\.\d+)*")
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_MAKERS = ("__init__", "__new__")


@dataclasses.dataclass(frozen=True)
class Announcement:
    """One thing the code says is retired, and what it says about it."""

    line: int
    #: "function", "method", "class" or "module".
    kind: str
    #: The retired name ("" for a module).
    name: str
    #: How it was announced: "warning", "decorator" or "raise".
    how: str
    #: The words of the announcement (the warning, decorator or exception message).
    message: str
    docstring: str = ""
    #: The function's parameters, in order.
    parameters: Tuple[str, ...] = ()
    #: ``return Y(a, b)``: Y and the parameter names passed on (None when the body does not
    #: end in returning a call).
    returns: Optional[Tuple[str, Tuple[str, ...]]] = None
    returns_line: int = 0
    #: Names the function's own body imports: (local name, level of leading dots, dotted name
    #: imported), so that ``return alias(...)`` can be read through the import.
    imports: Tuple[Tuple[str, int, str], ...] = ()
    #: The class the function's return annotation names ("" for none).
    result_class: str = ""


#: A module's functions that only warn, so that their callers need not: name -> (parameters,
#: the message expression).
Helpers = Dict[str, Tuple[Tuple[str, ...], ast.expr]]


def announcements(tree: ast.Module) -> Iterator[Announcement]:
    helpers = _helpers(tree)
    aliases = _public_aliases(tree)
    module_warning = _warning_in(tree.body, helpers=helpers, fallbacks_count=True)
    if module_warning is not None:
        line, text = module_warning
        yield Announcement(line, "module", "", "warning", text, ast.get_docstring(tree) or "")
    for node, kind in _definitions(tree):
        if node.name in helpers and kind == "function":
            continue  # it warns for its callers: they are what is retired
        found = _announced(node, helpers)
        if found is None:
            continue
        line, how, text = found
        if isinstance(node, ast.ClassDef):
            # A private wrapper bound to the retired public name is announced under that name.
            name = aliases.get(node.name, node.name) if node.name.startswith("_") else node.name
            yield Announcement(line, "class", name, how, text, ast.get_docstring(node) or "")
            continue
        assert isinstance(node, _FUNCTIONS)
        returns = _returned_call(node)
        yield Announcement(
            line,
            kind,
            node.name,
            how,
            text,
            ast.get_docstring(node) or "",
            tuple(_parameters(node)),
            returns[0] if returns else None,
            returns[1] if returns else 0,
            tuple(_own_imports(node)),
            annotated_class(node),
        )


Definition = Union[ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef]


def annotated_class(node: ast.AST) -> str:
    """The class a function's return annotation names (``-> Tracker``, ``-> "mod.Tracker"``,
    ``-> mod.Tracker``; the last name); "" when there is none."""
    annotation = getattr(node, "returns", None)
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        return annotation.value.rpartition(".")[2]
    if isinstance(annotation, ast.Name):
        return annotation.id
    if isinstance(annotation, ast.Attribute):
        return annotation.attr
    return ""


def _definitions(tree: ast.Module) -> Iterator[Tuple[Definition, str]]:
    for node in tree.body:
        if isinstance(node, _FUNCTIONS):
            yield node, "function"
        elif isinstance(node, ast.ClassDef):
            yield node, "class"
            for member in node.body:
                if isinstance(member, _FUNCTIONS) and member.name not in _MAKERS:
                    yield member, "method"


def _public_aliases(tree: ast.Module) -> Dict[str, str]:
    """``UnifiedLifecycleManager = _DeprecatedUnifiedLifecycleManager`` (or an instance of it,
    ``= _Wrapper()``) at module level: private class -> the public name bound to it."""
    aliases: Dict[str, str] = {}
    for node in tree.body:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1):
            continue
        target, value = node.targets[0], node.value
        if isinstance(value, ast.Call) and not value.args and not value.keywords:
            value = value.func
        if not (isinstance(target, ast.Name) and isinstance(value, ast.Name)):
            continue
        if not target.id.startswith("_"):
            aliases.setdefault(value.id, target.id)
    return aliases


def _helpers(tree: ast.Module) -> Helpers:
    """Module-level functions whose body only warns (after a docstring and logging), and whose
    message is written from their parameters, which the module calls as a statement or whose
    name says they warn: ``_deprecation_warning(old_name, new_name)``,
    ``_emit_deprecation_warning()``, ``_warn_execution_record_deprecated()``. A call of
    one is its caller's warning, with the message written with the call's arguments. (A
    retired function whose body only warns is not one: nothing calls it to warn.)"""
    called = {
        node.value.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Name)
    }
    found: Helpers = {}
    for node in tree.body:
        if not isinstance(node, _FUNCTIONS):
            continue
        statements = [s for s in node.body if not _is_docstring(s)]
        warnings = [s for s in statements if _deprecation_call(s) is not None]
        rest = [s for s in statements if s not in warnings and not _is_logging(s)]
        if len(warnings) == 1 and not rest:
            call = _deprecation_call(warnings[0])
            assert call is not None
            parameters = [a.arg for a in [*node.args.posonlyargs, *node.args.args]]
            message = call.args[0] if call.args else None
            written = (
                {n.id for n in ast.walk(message) if isinstance(n, ast.Name)} if message else set()
            )
            uses_parameters = not written.isdisjoint(parameters)
            says_it_warns = "warn" in node.name or "deprecat" in node.name
            if call.args and (uses_parameters or node.name in called or says_it_warns):
                found[node.name] = (tuple(parameters), call.args[0])
    return found


def _deprecation_call(statement: ast.stmt) -> Optional[ast.Call]:
    """``warnings.warn(..., DeprecationWarning)`` as a statement."""
    if not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)):
        return None
    call = statement.value
    return call if _warns_deprecation(call) else None


def _warns_deprecation(call: ast.Call) -> bool:
    if _last_name(call.func) != "warn":
        return False
    arguments = [*call.args[1:2], *(k.value for k in call.keywords if k.arg == "category")]
    return any(_last_name(a) in _CATEGORIES for a in arguments)


def _helper_message(call: ast.Call, helper: Tuple[Tuple[str, ...], ast.expr]) -> str:
    """The helper's message with its parameters replaced by the call's string arguments."""
    parameters, message = helper
    bound = {name: _text_of(value) for name, value in zip(parameters, call.args)}
    bound.update((k.arg, _text_of(k.value)) for k in call.keywords if k.arg is not None)
    return _text_of(message, bound)


def _announced(node: ast.AST, helpers: Optional[Helpers] = None) -> Optional[Tuple[int, str, str]]:
    """(line, how, words) when ``node`` announces its deprecation."""
    assert isinstance(node, (*_FUNCTIONS, ast.ClassDef))
    for decorator in node.decorator_list:
        call = decorator if isinstance(decorator, ast.Call) else None
        target = call.func if call else decorator
        if _last_name(target) == "deprecated":
            texts = [_text_of(argument) for argument in call.args] if call else []
            # ``deprecated("1.4", "... use X")`` (SQLAlchemy): the version is no message.
            words = next((text for text in texts if not _VERSION.fullmatch(text)), "")
            for keyword in call.keywords if call else []:
                if keyword.arg in ("reason", "message", "msg"):
                    words = _text_of(keyword.value)
            return decorator.lineno, "decorator", words
    body = node.body
    function: Optional[ast.AST] = node
    if isinstance(node, ast.ClassDef):
        # A class warns when it is made: in __init__, or __new__ (a wrapper that hands over).
        makers = [m for m in body if isinstance(m, _FUNCTIONS) and m.name in _MAKERS]
        for maker in makers:
            warning = _warning_in(maker.body, _tested_names(maker), helpers or {})
            if warning is not None:
                return warning[0], "warning", warning[1]
        function = makers[0] if makers else None
        body = function.body if isinstance(function, _FUNCTIONS) else []
    parameters = _tested_names(function) if isinstance(function, _FUNCTIONS) else frozenset()
    warning = _warning_in(body, parameters, helpers or {})
    if warning is not None:
        return warning[0], "warning", warning[1]
    raised = _only_raises(body)
    if raised is not None:
        return raised[0], "raise", raised[1]
    return None


def _warning_in(
    body: List[ast.stmt],
    parameters: frozenset[str] = frozenset(),
    helpers: Optional[Helpers] = None,
    fallbacks_count: bool = False,
) -> Optional[Tuple[int, str]]:
    """A ``warnings.warn(..., DeprecationWarning)`` among the statements of ``body`` (not in
    nested functions), with its message. A warning under an ``if`` that tests one of
    ``parameters`` (``if tool_dispatcher is not None:``, ``if "x" in kwargs:``) retires that
    parameter, not the function or class; in a function, one under ``except ImportError:``
    announces a fallback, not a migration. At module level (``fallbacks_count``) it still
    counts: a compatibility alias that warns "use 'from new.module import X'" when its import
    fails names a move all the same."""
    pending: List[ast.AST] = list(body)
    while pending:
        node = pending.pop(0)
        if isinstance(node, (*_FUNCTIONS, ast.ClassDef, ast.Lambda)):
            continue
        if isinstance(node, ast.If) and _tests_a_parameter(node.test, parameters):
            continue
        fallback = isinstance(node, ast.ExceptHandler) and _catches_import_error(node)
        if fallback and not fallbacks_count:
            continue  # a fallback when an import fails: not a migration of this code
        if isinstance(node, ast.Call) and _warns_deprecation(node):
            return node.lineno, _text_of(node.args[0]) if node.args else ""
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            helper = (helpers or {}).get(node.func.id)
            if helper is not None:
                return node.lineno, _helper_message(node, helper)
        pending.extend(ast.iter_child_nodes(node))
    return None


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    caught = handler.type
    names = caught.elts if isinstance(caught, ast.Tuple) else [caught] if caught else []
    return any(_last_name(name) in ("ImportError", "ModuleNotFoundError") for name in names)


def _tests_a_parameter(test: ast.expr, parameters: frozenset[str]) -> bool:
    for node in ast.walk(test):
        if isinstance(node, ast.Name) and node.id in parameters:
            return True
        if isinstance(node, ast.Constant) and node.value in parameters:
            return True
    return False


def _only_raises(body: List[ast.stmt]) -> Optional[Tuple[int, str]]:
    """A body that is (after its docstring and any logging calls) one ``raise`` saying it is
    retired: ``logger.error("... no longer supported"); raise ValueError(...)``."""
    statements = [s for s in body if not _is_docstring(s) and not _is_logging(s)]
    if len(statements) != 1 or not isinstance(statements[0], ast.Raise):
        return None
    error = statements[0].exc
    if not isinstance(error, ast.Call) or not error.args:
        return None
    text = _text_of(error.args[0])
    if any(word in text.lower() for word in _RAISE_WORDS):
        return statements[0].lineno, text
    return None


def _is_logging(statement: ast.stmt) -> bool:
    """``logger.error(...)``, ``logging.warning(...)``, ``print(...)``: a statement that only
    reports."""
    if not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)):
        return False
    return _last_name(statement.value.func) in _LOGGING


def _own_imports(node: ast.AST) -> Iterator[Tuple[str, int, str]]:
    """``from m import a as b`` statements of the function's own body (not nested ones)."""
    assert isinstance(node, _FUNCTIONS)
    pending: List[ast.AST] = list(node.body)
    while pending:
        statement = pending.pop(0)
        if isinstance(statement, ast.ImportFrom):
            base = statement.module or ""
            for alias in statement.names:
                dotted = f"{base}.{alias.name}" if base else alias.name
                yield alias.asname or alias.name, statement.level, dotted
        elif isinstance(statement, (ast.If, ast.Try, ast.With)):
            for field in ("body", "orelse", "finalbody"):
                pending += getattr(statement, field, [])
            pending += [s for handler in getattr(statement, "handlers", []) for s in handler.body]


def _returned_call(node: ast.AST) -> Optional[Tuple[Tuple[str, Tuple[str, ...]], int]]:
    """``return Y(a, b)`` as the last statement: Y and the parameters it passes on."""
    assert isinstance(node, _FUNCTIONS)
    last = node.body[-1] if node.body else None
    if not isinstance(last, ast.Return) or not isinstance(last.value, ast.Call):
        return None
    callee = _last_name(last.value.func)
    if callee is None:
        return None
    passed = [a.id for a in last.value.args if isinstance(a, ast.Name)]
    passed += [k.value.id for k in last.value.keywords if isinstance(k.value, ast.Name)]
    return (callee, tuple(passed)), last.lineno


def _parameters(node: ast.AST) -> Iterator[str]:
    assert isinstance(node, _FUNCTIONS)
    arguments = node.args
    for param in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]:
        if param.arg not in ("self", "cls"):
            yield param.arg


def _tested_names(node: ast.AST) -> frozenset[str]:
    """The parameters a body may test to warn about one of them: named ones and ``**kwargs``."""
    assert isinstance(node, _FUNCTIONS)
    names = set(_parameters(node))
    names.update(p.arg for p in (node.args.vararg, node.args.kwarg) if p is not None)
    return frozenset(names)


def _last_name(expr: Optional[ast.expr]) -> Optional[str]:
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        return expr.attr
    return None


def _text_of(expr: ast.expr, bound: Optional[Dict[str, str]] = None) -> str:
    """The words of a string, an f-string (its literal parts, and the names ``bound`` gives)
    or a concatenation of them."""
    pieces: List[str] = []
    pending = [expr]
    while pending:
        node = pending.pop(0)
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            pieces.append(node.value)
        elif isinstance(node, ast.JoinedStr):
            pending = [*node.values, *pending]
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            pending = [node.left, node.right, *pending]
        elif isinstance(node, ast.FormattedValue):
            name = node.value.id if isinstance(node.value, ast.Name) else ""
            pieces.append((bound or {}).get(name, "..."))
    return "".join(pieces)


def _is_docstring(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )
