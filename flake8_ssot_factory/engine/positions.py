"""Source positions: the AST counts UTF-8 bytes, people and editors count characters."""

from __future__ import annotations

import ast
import bisect
import io
import re
import tokenize
from typing import Dict, Iterator, List, Optional, Sequence, Tuple, Union

_NON_ASCII = re.compile(r"[^\x00-\x7f]")
#: The nodes that carry a source position.
Located = Union[ast.expr, ast.stmt, ast.alias, ast.keyword, ast.arg]


class Lines:
    """The module's source lines, for turning AST byte offsets into character columns."""

    def __init__(self, lines: Sequence[str]) -> None:
        self._lines = lines
        self._starts: Optional[List[int]] = None
        # Per line asked about: where its multi-byte characters start, in bytes, and how many
        # bytes more than characters stand before each (see char_col).
        self._wide: Dict[int, Tuple[List[int], List[int]]] = {}

    @property
    def lines(self) -> Sequence[str]:
        return self._lines

    def text(self, line: int) -> str:
        """Line ``line`` (1-based) with its line ending; "" past either end."""
        return self._lines[line - 1] if 0 < line <= len(self._lines) else ""

    def source(self) -> str:
        return "".join(self._lines)

    def starts(self) -> List[int]:
        """The offset in :meth:`source` where each line starts, then the source's length."""
        if self._starts is None:
            starts = [0]
            for line in self._lines:
                starts.append(starts[-1] + len(line))
            self._starts = starts
        return self._starts

    def offset(self, position: Tuple[int, int]) -> int:
        """The character offset in :meth:`source` of (line, character column)."""
        line, col = position
        starts = self.starts()
        return starts[line - 1] + col if line - 1 < len(starts) else starts[-1]

    def line_at(self, offset: int) -> int:
        """The 1-based line holding character ``offset`` of :meth:`source`."""
        return bisect.bisect_right(self.starts(), offset)

    def char_col(self, line: int, byte_col: int) -> int:
        """The character column of byte column ``byte_col``: a binary search among the line's
        multi-byte characters, found once per line (a 600 kB line with 20,000 findings must
        not be encoded 20,000 times). A column inside a character counts that character, as
        decoding the bytes before it with ``errors="replace"`` would."""
        wide = self._wide.get(line)
        if wide is None:
            wide = self._wide[line] = _multibyte_characters(self.text(line))
        byte_starts, extra_before = wide
        index = bisect.bisect_left(byte_starts, byte_col) - 1  # the last one starting before
        if index < 0:
            return byte_col
        start, extra = byte_starts[index], extra_before[index]
        char_index = start - extra
        width = extra_before[index + 1] - extra + 1
        return char_index + 1 if byte_col < start + width else byte_col - (extra + width - 1)

    def node_start(self, node: Located) -> tuple[int, int]:
        return node.lineno, self.char_col(node.lineno, node.col_offset)

    def attribute_name_start(self, node: ast.Attribute) -> tuple[int, int]:
        """Where ``attr`` of ``value.attr`` starts: the name is the node's last token."""
        line = node.end_lineno or node.lineno
        end = node.end_col_offset if node.end_col_offset is not None else node.col_offset
        return line, self.char_col(line, end - len(node.attr.encode("utf-8")))

    def position(self, line: int, byte_col: int) -> Tuple[int, int]:
        return line, self.char_col(line, byte_col)

    def node_end(self, node: Located) -> Tuple[int, int]:
        line = node.end_lineno or node.lineno
        end = node.end_col_offset if node.end_col_offset is not None else node.col_offset
        return self.position(line, end)

    def closing_paren(self, call: ast.Call) -> Tuple[int, int]:
        """Where the ``)`` that ends ``call`` stands (a call's last character is always it)."""
        line = call.end_lineno or call.lineno
        end = call.end_col_offset if call.end_col_offset is not None else call.col_offset
        return self.position(line, end - 1)

    def text_between(self, start: Tuple[int, int], end: Tuple[int, int]) -> str:
        (first, first_col), (last, last_col) = start, end
        if first == last:
            return self.text(first)[first_col:last_col]
        middle = [self.text(n) for n in range(first + 1, last)]
        return "".join([self.text(first)[first_col:], *middle, self.text(last)[:last_col]])

    def imported_name_starts(self, node: ast.ImportFrom) -> list[tuple[int, int]]:
        """The position of each name of ``from m import a, b as c``, in ``node.names`` order."""
        return [start for start, _ in self.imported_name_spans(node)]

    def imported_name_spans(
        self, node: ast.ImportFrom
    ) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        """Where each ``name`` or ``name as alias`` of the import starts and ends."""
        if all(hasattr(alias, "lineno") for alias in node.names):  # Python 3.10+
            return [(self.node_start(alias), self.node_end(alias)) for alias in node.names]
        return list(self._scan_imported_names(node))

    def _scan_imported_names(
        self, node: ast.ImportFrom
    ) -> Iterator[tuple[tuple[int, int], tuple[int, int]]]:
        # Python 3.9: aliases carry no position, so read the statement's own tokens:
        # from <module> import <name> [as <alias>], <name> [as <alias>] ...
        start_col = self.char_col(node.lineno, node.col_offset)
        end_line = node.end_lineno or node.lineno
        segment = [self.text(node.lineno)[start_col:]]
        segment += [self.text(n) for n in range(node.lineno + 1, end_line + 1)]
        # The tokenizer's reader breaks lines at "\n" only: a file may end them with "\r".
        segment = [line.rstrip("\r\n") + "\n" for line in segment]

        def place(row: int, col: int) -> tuple[int, int]:
            return node.lineno + row - 1, col + start_col if row == 1 else col

        spans: list[list[tuple[int, int]]] = []
        state = "module"
        for token in _name_tokens("".join(segment)):
            if state == "module":
                state = "name" if token.string == "import" else "module"
            elif state == "alias":
                spans[-1][1] = place(*token.end)
                state = "name"
            elif token.string == "as":
                state = "alias"
            else:
                if len(spans) == len(node.names):
                    break
                spans.append([place(*token.start), place(*token.end)])
        yield from ((start, end) for start, end in spans)


def _multibyte_characters(text: str) -> Tuple[List[int], List[int]]:
    """The byte offset where each multi-byte character of ``text`` starts, and how many bytes
    more than characters come before it; ``extra_before`` has one more entry, the line's total."""
    byte_starts: List[int] = []
    extra_before = [0]
    if text.isascii():
        return byte_starts, extra_before
    for found in _NON_ASCII.finditer(text):
        byte_starts.append(found.start() + extra_before[-1])
        width = len(found.group().encode("utf-8", "surrogatepass"))
        extra_before.append(extra_before[-1] + width - 1)
    return byte_starts, extra_before


def _name_tokens(text: str) -> Iterator[tokenize.TokenInfo]:
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.NAME:
                yield token
    except (tokenize.TokenError, SyntaxError):
        return  # the rest of the last line may be cut mid-statement; the names came first


def split_lines(text: str) -> List[str]:
    """``text`` in lines with their endings, broken only at ``\\n``, ``\\r\\n`` and ``\\r``."""
    # StringIO with newline="" breaks exactly there and keeps the endings untranslated.
    return io.StringIO(text, newline="").readlines()
