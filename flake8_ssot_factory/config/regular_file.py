"""Reading a file a checkout supplies, whatever it is: regular files only, never a wait.

A path named like a module or a configuration may be a named pipe (reading it would block the
run forever), a link to a device (``/dev/zero`` never ends) or a socket. Such a path is refused
with the reason, checked on the open file itself, so a file swapped under it cannot slip
through. Sources, baselines and configuration files are all read through here.
"""

from __future__ import annotations

import errno
import os
import stat
from typing import Optional, Tuple, Union

_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    # Opening a named pipe without it waits for a writer; on a regular file it changes nothing.
    | getattr(os, "O_NONBLOCK", 0)
)
_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class NotARegularFileError(OSError):
    """A path that names a pipe, a device or a socket: it is never read."""

    def __str__(self) -> str:
        return f"{self.filename!r} is {self.strerror}, not a regular file"


class TooLargeError(OSError):
    """A file larger than what its reader accepts."""


def read_regular_file(
    path: Union[str, os.PathLike[str]], size_cap: Optional[int] = None
) -> Tuple[bytes, os.stat_result]:
    """The bytes of the regular file ``path`` (a symbolic link is followed) and its status.

    Raises OSError, as ``open`` would, :class:`NotARegularFileError` for anything that is not a
    regular file, and :class:`TooLargeError` past ``size_cap`` bytes.
    """
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as error:
        if error.errno == errno.ENXIO:  # a socket cannot be opened at all
            _refuse_if_special(os.stat(path).st_mode, path)
        raise
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), path)
        _refuse_if_special(info.st_mode, path)
    except BaseException:
        os.close(fd)
        raise
    with open(fd, "rb", closefd=True) as stream:
        data = stream.read() if size_cap is None else stream.read(size_cap + 1)
    if size_cap is not None and len(data) > size_cap:
        raise TooLargeError(errno.EFBIG, f"larger than {size_cap // 2**20} MiB", path)
    return data, info


def _refuse_if_special(mode: int, path: Union[str, os.PathLike[str]]) -> None:
    for is_kind, kind in _KINDS:
        if is_kind(mode):
            raise NotARegularFileError(errno.EINVAL, kind, path)
