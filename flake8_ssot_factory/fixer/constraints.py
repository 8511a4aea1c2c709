"""What one module's plan must respect that only the whole set of files knows (project.py)."""

from __future__ import annotations

import dataclasses
from typing import Mapping, Tuple

from flake8_ssot_factory.engine.module_names import ModuleRef
from flake8_ssot_factory.fixer.move_results import Difference
from flake8_ssot_factory.fixer.reach import Reached

#: Why a fix is not made: a reason that groups well, and the detail of this case.
Why = Tuple[str, str]


@dataclasses.dataclass(frozen=True)
class Constraints:
    """What other files need from this one, and what they cannot give it (fix_project.py)."""

    #: Module-level names other files import or patch from this module: they stay bound.
    keep: Mapping[str, Why] = dataclasses.field(default_factory=dict)
    #: (module, name) pairs this module may not come to rely on, with the reason.
    refuse: Mapping[Tuple[ModuleRef, str], Why] = dataclasses.field(default_factory=dict)
    #: The old and new functions as the files being fixed define them (name -> every
    #: distinct definition): a rewritten call must bind them (signatures.py).
    definitions: Mapping[str, Tuple[Reached, ...]] = dataclasses.field(default_factory=dict)
    #: The definition each of this module's imports reaches ((module, name) -> it), for the
    #: old and new functions: what a call through that import binds (reach.py).
    reached: Mapping[Tuple[ModuleRef, str], Reached] = dataclasses.field(default_factory=dict)
    #: What each moved name's new module binds under it, against the old (move_results.py):
    #: a move that would lose what this module uses is not made.
    differences: Mapping[str, Difference] = dataclasses.field(default_factory=dict)


NO_CONSTRAINTS = Constraints()
