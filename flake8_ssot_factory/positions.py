"""Source positions: the AST counts UTF-8 bytes, people and editors count characters."""

from __future__ import annotations

import ast
import io
import tokenize
from typing import Iterator, Sequence


class Lines:
    """The module's source lines, for turning AST byte offsets into character columns."""

    def __init__(self, lines: Sequence[str]) -> None:
        self._lines = lines

    def text(self, line: int) -> str:
        return self._lines[line - 1] if 0 < line <= len(self._lines) else ""

    def char_col(self, line: int, byte_col: int) -> int:
        text = self.text(line)
        if text.isascii():
            return byte_col
        return len(text.encode("utf-8")[:byte_col].decode("utf-8", errors="replace"))

    def node_start(self, node: ast.expr | ast.stmt | ast.alias) -> tuple[int, int]:
        return node.lineno, self.char_col(node.lineno, node.col_offset)

    def attribute_name_start(self, node: ast.Attribute) -> tuple[int, int]:
        """Where ``attr`` of ``value.attr`` starts: the name is the node's last token."""
        line = node.end_lineno or node.lineno
        end = node.end_col_offset if node.end_col_offset is not None else node.col_offset
        return line, self.char_col(line, end - len(node.attr.encode("utf-8")))

    def imported_name_starts(self, node: ast.ImportFrom) -> list[tuple[int, int]]:
        """The position of each name of ``from m import a, b as c``, in ``node.names`` order."""
        if all(hasattr(alias, "lineno") for alias in node.names):  # Python 3.10+
            return [self.node_start(alias) for alias in node.names]
        return list(self._scan_imported_names(node))

    def _scan_imported_names(self, node: ast.ImportFrom) -> Iterator[tuple[int, int]]:
        # Python 3.9: aliases carry no position, so read the statement's own tokens:
        # from <module> import <name> [as <alias>], <name> [as <alias>] ...
        start_col = self.char_col(node.lineno, node.col_offset)
        end_line = node.end_lineno or node.lineno
        segment = [self.text(node.lineno)[start_col:]]
        segment += [self.text(n) for n in range(node.lineno + 1, end_line + 1)]
        state, found = "module", 0
        for token in _name_tokens("".join(segment)):
            if state == "module":
                state = "name" if token.string == "import" else "module"
            elif state == "alias":
                state = "name"
            elif token.string == "as":
                state = "alias"
            else:
                row, col = token.start
                yield node.lineno + row - 1, col + start_col if row == 1 else col
                found += 1
                if found == len(node.names):
                    return


def _name_tokens(text: str) -> Iterator[tokenize.TokenInfo]:
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.NAME:
                yield token
    except (tokenize.TokenError, SyntaxError):
        return  # the rest of the last line may be cut mid-statement; the names came first
