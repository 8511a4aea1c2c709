"""Finding the user context a fix can pass at a call site."""

from __future__ import annotations

from typing import Iterator, Optional, Tuple

from flake8_ssot_factory.scopes import Scope
from flake8_ssot_factory.settings import Settings

NO_CONTEXT = "no user context in scope"


def find_user_context(scope: Scope, settings: Settings) -> Tuple[Optional[str], str]:
    """The expression to pass as the user context where ``scope`` runs, else (None, reason).

    In this order: a parameter or variable named like the context keyword; a parameter
    annotated with the context type (one only: two are a tie); in a method, ``self.<keyword>``
    when the class assigns it.
    """
    keyword = settings.context_keyword
    if scope.binding_scope(keyword) is not None:
        return keyword, ""
    for function in _function_scopes(scope):
        if len(function.context_parameters) == 1:
            return function.context_parameters[0], ""
        if function.context_parameters:
            names = ", ".join(function.context_parameters)
            return None, f"several user contexts in scope ({names})"
    method = next(_function_scopes(scope), None)
    owner = method.parent if method is not None else None
    if method is not None and owner is not None and _assigns_self(method, owner, keyword):
        return f"self.{keyword}", ""
    return None, NO_CONTEXT


def _assigns_self(method: Scope, owner: Scope, attribute: str) -> bool:
    """Whether ``method`` has a ``self`` and its class assigns ``self.<attribute>``."""
    return owner.is_class and "self" in method.bound and attribute in owner.self_attributes


def _function_scopes(scope: Scope) -> Iterator[Scope]:
    """The functions (and lambdas) around ``scope``, innermost first; classes are skipped."""
    current: Optional[Scope] = scope
    while current is not None and not current.is_module:
        if not current.is_class:
            yield current
        current = current.parent
