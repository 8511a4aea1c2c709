"""How this tool runs git: never a program the repository's own configuration names.

A checkout is untrusted input, and its ``.git/config`` can name programs that git runs on its
own: ``core.fsmonitor`` on every read of the index (``git ls-files``), ``gpg.program`` for each
commit ``git log`` shows when ``log.showSignature`` is set. Options given with ``-c`` on the
command line override every configuration file, so each git command this tool runs starts with
them.
"""

from __future__ import annotations

from typing import List

#: ``git`` and the options that keep the repository's configuration from running a program.
GIT = ("git", "-c", "core.fsmonitor=false", "-c", "log.showSignature=false")


def git(*arguments: str) -> List[str]:
    """The command line that runs ``git ARGUMENTS`` safely on an untrusted repository."""
    return [*GIT, *arguments]
