"""Names as a trie: one dict per character, ``""`` marking where a name ends.

Both the settings (which names contain another) and the prefilter's patterns (alternatives
nested by common prefix) walk names this way.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable

Trie = Dict[str, Any]


def name_trie(names: Iterable[str]) -> Trie:
    trie: Trie = {}
    for name in names:
        node = trie
        for char in name:
            node = node.setdefault(char, {})
        node[""] = {}
    return trie
