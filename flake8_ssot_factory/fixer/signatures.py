"""Whether a rewritten call still binds: the replacement's signature, read from the tree.

pyflakes sees names, not calls: ``await get_websocket_manager(ctx)`` passes it when the new
function is synchronous, and so does ``get_websocket_manager(user_id=u)`` when it takes no
``user_id``. When the replacement is defined (``def`` at module level) in the files being
fixed, each rewritten call is checked against the definition its import reaches (reach.py),
else against every definition of that name there (a call that binds them all binds the one it
reaches, whichever that is): positional count, keywords, ``*args``/``**kwargs``, ``async def``
against ``await`` (the old function's too: an async one's coroutine must not become a value),
and for a rename the names of the parameters bound by position. A reference (``Depends(D)``)
must reach a replacement as async as the old function, with the same parameters. A call that
does not bind is left with the reason. A replacement defined nowhere in those files cannot be
checked; the fix summary says so.
"""

from __future__ import annotations

import ast
import dataclasses
from typing import Optional, Tuple

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


@dataclasses.dataclass(frozen=True)
class Signature:
    """What a function accepts."""

    #: Parameters that may be passed by position, in order (positional-only included).
    positional: Tuple[str, ...]
    #: How many of the first of them have no default.
    required_positional: int
    #: Parameters that may be passed by keyword (not the positional-only ones).
    keywords: Tuple[str, ...]
    #: Keyword-only parameters without a default.
    required_keywords: Tuple[str, ...]
    varargs: bool
    varkw: bool
    is_async: bool


@dataclasses.dataclass(frozen=True)
class CallShape:
    """What a call passes, as the rewrite will pass it."""

    positional: int
    keywords: Tuple[str, ...]
    star: bool
    star_star: bool
    awaited: bool


def signature_of(node: ast.FunctionDef | ast.AsyncFunctionDef) -> Signature:
    arguments = node.args
    positional = [a.arg for a in [*arguments.posonlyargs, *arguments.args]]
    required = len(positional) - len(arguments.defaults)
    keyword_only = [a.arg for a in arguments.kwonlyargs]
    required_keywords = tuple(
        a.arg for a, default in zip(arguments.kwonlyargs, arguments.kw_defaults) if default is None
    )
    return Signature(
        tuple(positional),
        required,
        tuple([a.arg for a in arguments.args] + keyword_only),
        required_keywords,
        arguments.vararg is not None,
        arguments.kwarg is not None,
        isinstance(node, ast.AsyncFunctionDef),
    )


def call_shape(call: ast.Call, awaited: bool, context_only: bool) -> CallShape:
    """The call as it will be written: ``R(ctx)`` for a context migration (one positional
    argument), else the same arguments."""
    if context_only:
        return CallShape(1, (), False, False, awaited)
    return CallShape(
        sum(not isinstance(a, ast.Starred) for a in call.args),
        tuple(k.arg for k in call.keywords if k.arg is not None),
        any(isinstance(a, ast.Starred) for a in call.args),
        any(k.arg is None for k in call.keywords),
        awaited,
    )


def binding_problem(
    old_name: str,
    old: Tuple[Signature, ...],
    name: str,
    call: CallShape,
    signatures: Tuple[Signature, ...],
) -> Optional[str]:
    """Why ``name(...)`` written as ``call`` fails against one of ``signatures`` (None: it
    binds every one), ``old`` being the definitions of ``old_name`` the call may reach now. A
    call of an async replacement that is not awaited is a problem unless the old function was
    async too (the coroutine is handed on, to ``create_task``...)."""
    old_async = {signature.is_async for signature in old}
    if len(old_async) > 1 and not call.awaited:
        return f"{old_name} is defined both async and not: which one the call reaches is not known"
    for signature in signatures:
        problem = _problem(name, call, signature, old_async == {True})
        if problem is not None:
            return problem
    return None


def positional_problem(
    old_name: str,
    old: Tuple[Signature, ...],
    name: str,
    call: CallShape,
    new: Tuple[Signature, ...],
) -> Optional[str]:
    """A rename keeps the arguments: those passed by position must land on parameters of the
    same name (``validate(token)`` is not ``authenticate(websocket, ...)``)."""
    for before in old:
        for after in new:
            count = min(call.positional, len(before.positional), len(after.positional))
            for index in range(count):
                if before.positional[index] != after.positional[index]:
                    return (
                        f"{name}() takes {after.positional[index]} where {old_name}() takes "
                        f"{before.positional[index]} (argument {index + 1}, passed by position)"
                    )
    return None


def reference_problem(
    old_name: str, old: Tuple[Signature, ...], name: str, new: Tuple[Signature, ...]
) -> Optional[str]:
    """A reference (``Depends(D)``, ``callback=D``) is called later, as ``D`` was: the
    replacement must be as async as ``D`` and take the same parameters."""
    if not old or not new:
        return None  # not defined in the files fixed: the summary counts the unchecked
    old_async = {signature.is_async for signature in old}
    new_async = {signature.is_async for signature in new}
    if len(old_async) > 1 or len(new_async) > 1:
        return (
            f"{old_name} or {name} is defined both async and not: which one is meant is not known"
        )
    if old_async != new_async:
        kind, old_kind = ("async", "not") if new_async == {True} else ("not async", "async")
        return (
            f"{name} is {kind}, {old_name} is {old_kind}: the reference is called as {old_name} was"
        )
    if {(s.positional, s.keywords) for s in old} != {(s.positional, s.keywords) for s in new}:
        return (
            f"{name} takes other parameters than {old_name}: the reference is called as "
            f"{old_name} was"
        )
    return None


def _problem(name: str, call: CallShape, signature: Signature, old_is_async: bool) -> Optional[str]:
    if call.awaited and not signature.is_async:
        return f"{name} is not async: the call is awaited"
    if not call.awaited and signature.is_async and not old_is_async:
        return f"{name} is async: the call is not awaited"
    if not call.awaited and old_is_async and not signature.is_async:
        return f"{name} is not async: the call's coroutine would become a plain value"
    if call.positional > len(signature.positional) and not signature.varargs:
        return (
            f"{name}() takes {len(signature.positional)} positional arguments, "
            f"the call passes {call.positional}"
        )
    for keyword in call.keywords:
        if keyword not in signature.keywords and not signature.varkw:
            return f"{name}() takes no {keyword}="
    if call.star or call.star_star:
        return None  # what they pass is not known here; pyflakes and the tests will tell
    passed = set(signature.positional[: call.positional]) | set(call.keywords)
    missing = [p for p in signature.positional[: signature.required_positional] if p not in passed]
    missing += [k for k in signature.required_keywords if k not in call.keywords]
    if missing:
        return f"{name}() needs {', '.join(missing)}, which the call does not pass"
    return None
