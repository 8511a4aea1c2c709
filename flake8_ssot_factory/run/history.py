"""The migration over git history: a tally of findings and call sites for each commit.

History is read from git itself, never checked out: ``git log`` lists the first-parent commits,
``git ls-tree`` gives the first one's files, ``git diff-tree`` what changed between two commits,
and one ``git cat-file --batch`` process hands over the contents. The work tree and the index
are never touched.

A file's content has one id (its blob) wherever and whenever it appears, so each blob is
analysed once in the whole run, and kept in a cache by blob id for the next run. A commit's
tally is the last one's, less the blobs that went, plus those that came.
"""

from __future__ import annotations

import collections
import dataclasses
import io
import os
import subprocess
from pathlib import Path
from typing import IO, Counter, Dict, Iterator, List, Optional, Sequence, TextIO, Tuple

from flake8_ssot_factory import PROG
from flake8_ssot_factory.config.settings import Settings
from flake8_ssot_factory.run.cache import prepare_folder
from flake8_ssot_factory.run.checking import check_bytes
from flake8_ssot_factory.run.discovery import Exclude
from flake8_ssot_factory.run.git import git
from flake8_ssot_factory.run.progress import ProgressLine
from flake8_ssot_factory.run.screening import may_spell
from flake8_ssot_factory.run.sealed import has_shape, read_sealed, write_sealed
from flake8_ssot_factory.run.slow import SlowFileWatch
from flake8_ssot_factory.run.wording import plural

#: Codes that mark a call site still to migrate (imports, references and strings are not calls).
CALL_SITE_CODES = ("SSF002", "SSF010", "SSF011")
_PY_MODES = (b"100644", b"100755")
_ZERO = "0" * 40
#: Below this many unknown files, reading them costs less than starting a ``git grep``.
_WORTH_A_GREP = 64
#: From this many files to read, a run that shows no progress line says once what it reads.
SAY_ONCE_FROM = 1000
#: A byte above 127, in the C locale (each byte a character).
_NOT_ASCII = b"[^\x01-\x7f]"


class HistoryError(ValueError):
    """Git cannot give the history asked for; the message is one line saying why."""


class UnseenPathError(HistoryError):
    """A path given that is in no commit of the range (``path``, relative to the top)."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


@dataclasses.dataclass(frozen=True)
class Commit:
    sha: str
    timestamp: int
    date: str

    @property
    def short(self) -> str:
        return self.sha[:7]


#: What one blob holds: ((code, migration, count), ...), ((migration, migrated calls), ...),
#: and whether it does not parse.
Summary = Tuple[Tuple[Tuple[str, str, int], ...], Tuple[Tuple[str, int], ...], bool]
_EMPTY: Summary = ((), (), False)
#: A blob the repository does not have (a partial clone): counted with the unparsable files.
_UNREADABLE: Summary = ((), (), True)


@dataclasses.dataclass
class Tally:
    """The totals of one commit's files."""

    findings: Counter[Tuple[str, str]] = dataclasses.field(default_factory=collections.Counter)
    migrated: Counter[str] = dataclasses.field(default_factory=collections.Counter)
    errors: int = 0

    def add(self, summary: Summary, sign: int) -> None:
        counts, migrated, broken = summary
        for code, migration, count in counts:
            self.findings[code, migration] += sign * count
        for migration, count in migrated:
            self.migrated[migration] += sign * count
        self.errors += sign * broken

    def copy(self) -> Tally:
        return Tally(
            collections.Counter(self.findings), collections.Counter(self.migrated), self.errors
        )

    @property
    def total(self) -> int:
        return sum(self.findings.values())

    def by_code(self, codes: Sequence[str]) -> Dict[str, int]:
        counted = dict.fromkeys(codes, 0)
        for (code, _), count in self.findings.items():
            counted[code] = counted.get(code, 0) + count
        return counted

    def by_migration(self, names: Sequence[str]) -> Dict[str, int]:
        counted = dict.fromkeys(names, 0)
        for (_, migration), count in self.findings.items():
            counted[migration] = counted.get(migration, 0) + count
        return counted

    @property
    def calls_to_migrate(self) -> int:
        return sum(n for (code, _), n in self.findings.items() if code in CALL_SITE_CODES)

    @property
    def migrated_calls(self) -> int:
        return sum(self.migrated.values())


@dataclasses.dataclass(frozen=True)
class Row:
    commit: Commit
    tally: Tally


class Git:
    """The git commands this report runs, in the work tree ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def of(cls, folder: Path) -> Git:
        done = _run(git("rev-parse", "--show-toplevel"), folder)
        if done.returncode != 0:
            raise HistoryError(f"{folder}: not in a git work tree (--history reads git history)")
        return cls(Path(done.stdout.decode().strip()))

    def resolve(self, revisions: str) -> str:
        """``revisions`` (a revision, ``A..B`` or ``A...B``; an empty end is HEAD) with each end
        replaced by the commit it names. Nothing the user wrote reaches another git command: a
        value such as ``--output=file`` would be an option there, and is refused here."""
        for separator in ("...", ".."):
            if separator in revisions:
                left, _, right = revisions.partition(separator)
                ends = [self._commit(end or "HEAD", revisions) for end in (left, right)]
                return separator.join(ends)
        return self._commit(revisions, revisions)

    def _commit(self, revision: str, given: str) -> str:
        # --end-of-options: a revision that starts with "-" is a name to look up, never an option.
        command = git("rev-parse", "--verify", "--quiet", "--end-of-options")
        done = _run([*command, f"{revision}^{{commit}}"], self.root)
        sha = done.stdout.decode(errors="replace").strip()
        if done.returncode != 0 or not _is_object_id(sha):
            what = "a revision" if given == revision else f"a revision ({revision!r} is not one)"
            raise HistoryError(f"{given!r}: not {what} of this repository")
        return sha

    def log(
        self, revisions: str, since: Optional[str], max_commits: Optional[int]
    ) -> List[Tuple[Commit, List[Change]]]:
        """First-parent commits of ``revisions``, oldest first, each with the files it changed
        against its first parent: one ``git log`` for the whole history.

        ``since`` is a day (``YYYY-MM-DD``): commits whose committer date, read in the commit's
        own offset, is that day or later. It is applied here rather than by ``git --since``,
        which reads a bare date as that day *at the current time of day*."""
        command = git("log", "--first-parent", "-m", "--raw", "-z", "--no-renames")
        command += ["--no-abbrev", "--format=%x01%H %ct %cs"]
        if max_commits and not since:
            command.append(f"--max-count={max_commits}")
        resolved = self.resolve(revisions)
        done = _run([*command, "--end-of-options", resolved, "--"], self.root)
        if done.returncode != 0:
            reason = done.stderr.decode(errors="replace").strip().splitlines()
            raise HistoryError(f"{revisions}: {reason[0] if reason else 'not a revision range'}")
        history = []
        for record in done.stdout.split(b"\x01")[1:]:
            header, _, raw = record.partition(b"\0")
            sha, timestamp, date = header.decode().split()
            if since and date < since:
                continue
            history.append((Commit(sha, int(timestamp), date), list(_changes(raw))))
            if max_commits and len(history) == max_commits:
                break
        return history[::-1]

    def grep(self, sha: str, needles: Sequence[bytes], fixed: bool = True) -> set[str]:
        """Paths of the commit's files that spell one of ``needles`` (fixed strings, else
        extended regular expressions over bytes): git searches its own objects (every file
        as text, as the byte prefilter does) faster than they can be handed over one by one."""
        command = git("grep", "-l", "-z", "-a", "-F" if fixed else "-E")
        for needle in needles:
            command += ["-e", needle.decode()]
        # git grep takes no --end-of-options (2.39): what it is given is a commit id.
        # Only Python files are analysed: the others (a checkout's JSON and logs: half of
        # its bytes) need not be searched.
        done = _run([*command, _object_id(sha), "--", "*.py"], self.root, {"LC_ALL": "C"})
        if done.returncode not in (0, 1):  # 1: nothing found
            reason = done.stderr.decode(errors="replace").strip().splitlines()
            raise HistoryError(f"git grep: {reason[0] if reason else sha}")
        prefix = f"{sha}:"
        return {os.fsdecode(entry)[len(prefix) :] for entry in done.stdout.split(b"\0") if entry}

    def is_shallow(self) -> bool:
        done = _run(git("rev-parse", "--is-shallow-repository"), self.root)
        return done.stdout.strip() == b"true"

    def tree(self, sha: str) -> Iterator[Tuple[bytes, str, str]]:
        """(mode, blob, path) of every file of the commit."""
        command = git("ls-tree", "-r", "-z", "--full-tree", "--end-of-options")
        done = _checked([*command, _object_id(sha)], self.root)
        for entry in done.split(b"\0"):
            if entry:
                meta, _, path = entry.partition(b"\t")
                mode, kind, blob = meta.split()
                if kind == b"blob":
                    yield mode, blob.decode(), os.fsdecode(path)


#: A file a commit changed: (new mode, old blob, new blob, path); a deleted file's new blob
#: and an added file's old blob are all zeros.
Change = Tuple[bytes, str, str, str]


def _changes(raw: bytes) -> Iterator[Change]:
    fields = raw.lstrip(b"\n").split(b"\0")
    for index in range(0, len(fields) - 1, 2):
        meta, path = fields[index], fields[index + 1]
        if not meta.startswith(b":"):
            continue
        _, new_mode, old_blob, new_blob, _ = meta[1:].split(b" ")
        yield new_mode, old_blob.decode(), new_blob.decode(), os.fsdecode(path)


class BlobReader:
    """One ``git cat-file --batch`` process, asked for blob after blob."""

    def __init__(self, root: Path) -> None:
        self._process = subprocess.Popen(
            git("cat-file", "--batch"),
            cwd=root,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )

    def read(self, blobs: Sequence[str]) -> Iterator[Tuple[str, Optional[bytes]]]:
        """Each blob's content; None for one the repository does not have (a partial clone)."""
        writer, reader = self._pipes()
        for blob in blobs:  # one at a time: a large request could fill both pipes
            writer.write(_object_id(blob).encode() + b"\n")
            writer.flush()
            header = reader.readline().split()
            if len(header) != 3:  # "<id> missing": nothing follows the line
                yield blob, None
                continue
            data = reader.read(int(header[2]))
            reader.read(1)  # the newline after the content
            yield blob, data

    def close(self) -> None:
        writer, reader = self._pipes()
        writer.close()
        self._process.wait()
        reader.close()

    def _pipes(self) -> Tuple[IO[bytes], IO[bytes]]:
        assert self._process.stdin is not None
        assert self._process.stdout is not None
        return self._process.stdin, self._process.stdout


class BlobCache:
    """Summaries by blob id, kept between runs for one set of settings (see run/sealed.py for
    the file's safety: a digest, an atomic write)."""

    _MAGIC = b"ssot-factory history cache 2\n"

    def __init__(self, file: Optional[Path], key: bytes = b"") -> None:
        """``file``: None to keep nothing; ``key`` seals it (see run/cache_key.py)."""
        self.file = file
        self._key = key
        stored = read_sealed(file, self._MAGIC, key) if file else {}
        # An entry of another shape is not known (its blob is analysed again), never a crash.
        self.entries: Dict[str, Summary] = {
            blob: summary
            for blob, summary in stored.items()
            if isinstance(blob, str) and _is_summary(summary)
        }
        self._changed = False

    def store(self, blob: str, summary: Summary) -> None:
        self.entries[blob] = summary
        self._changed = True

    def save(self) -> Optional[str]:
        if self.file is None or not self._changed:
            return None
        try:
            prepare_folder(self.file.parent)
            write_sealed(self.file, self._MAGIC, self.entries, self._key)
        except OSError as error:
            return f"cannot write the cache in {self.file.parent} ({error.strerror or error})"
        return None


def _is_summary(summary: object) -> bool:
    if not (isinstance(summary, tuple) and len(summary) == 3):
        return False
    counts, migrated, broken = summary
    return (
        isinstance(counts, tuple)
        and all(has_shape(row, (str, str, int)) for row in counts)
        and isinstance(migrated, tuple)
        and all(has_shape(row, (str, int)) for row in migrated)
        and isinstance(broken, bool)
    )


def read_history(
    git: Git,
    log: Sequence[Tuple[Commit, List[Change]]],
    reported: Sequence[Commit],
    settings: Settings,
    exclude: Exclude,
    prefixes: Sequence[str],
    cache: BlobCache,
    jobs: int = 1,
    progress: Optional[TextIO] = None,
) -> List[Row]:
    """A row for each commit of ``reported`` (a subset of ``log``, oldest first), judged by
    ``settings``. ``log`` is every commit from the first reported one on, with its changes.
    ``progress``: where to show how far the reading is (a line redrawn on a terminal; said
    once, elsewhere, when the reading is long)."""
    wanted = _Wanted(git.root, exclude, prefixes)
    keep = {commit.sha for commit in reported}
    first, *rest = log
    files = {}
    for mode, blob, path in git.tree(first[0].sha):
        wanted.saw(path)
        if mode in _PY_MODES and wanted(path):
            files[path] = blob
    # The states to report, as changes from the last one reported: a blob that came and went
    # between two reported commits is never read.
    states: List[Tuple[Commit, Dict[str, Tuple[str, str]]]] = [
        (first[0], {path: (_ZERO, blob) for path, blob in files.items()})
    ]
    pending: Dict[str, Tuple[str, str]] = {}
    for commit, changes in rest:
        for mode, _, new_blob, path in changes:
            wanted.saw(path)
            if not wanted(path) or (mode not in _PY_MODES and path not in files):
                continue
            new = new_blob if mode in _PY_MODES else _ZERO  # a link now: gone
            old = pending[path][0] if path in pending else files.get(path, _ZERO)
            pending[path] = (old, new)
            if new == _ZERO:
                files.pop(path, None)
            else:
                files[path] = new
        if commit.sha in keep:
            states.append((commit, {p: c for p, c in pending.items() if c[0] != c[1]}))
            pending = {}
    unseen = wanted.unseen()
    if unseen:
        raise UnseenPathError(unseen[0])
    # The first tree is screened by git itself: its files that spell no watched name hold
    # nothing, and need not be read.
    unknown = {blob for blob in states[0][1].values() if blob[1] not in cache.entries}
    if len(unknown) > _WORTH_A_GREP:
        # A file whose text may spell a name its bytes do not (screening.py) is read too: one
        # that declares a coding, or holds a byte above 127.
        spelling = git.grep(first[0].sha, (*settings.progress_needles, b"coding"))
        spelling |= git.grep(first[0].sha, (_NOT_ASCII,), fixed=False)
        for path, (_, blob) in states[0][1].items():
            if path not in spelling and blob not in cache.entries:
                cache.store(blob, _EMPTY)
    blobs = [(new, path) for _, state in states for path, (_, new) in state.items() if new != _ZERO]
    todo = len({blob for blob, _ in blobs if blob not in cache.entries})
    reporter = _reporter(progress, todo, len(reported))
    reader = BlobReader(git.root)
    try:
        analyser = _Analyser(settings, reader, cache, jobs)
        analyser.prepare(iter(blobs), reporter)
    finally:
        reader.close()
        reporter.done()
    tally = Tally()
    rows: List[Row] = []
    for commit, state in states:
        for old, new in state.values():
            if old != _ZERO:
                tally.add(analyser.summary(old), -1)
            if new != _ZERO:
                tally.add(analyser.summary(new), +1)
        if commit.sha in keep:
            rows.append(Row(commit, tally.copy()))
    return rows


def _reporter(stream: Optional[TextIO], files: int, commits: int) -> ProgressLine:
    """A progress line on a terminal; elsewhere (a CI log), one line up front when the reading
    is long, so that a silent minute is not taken for a hang."""
    shown = stream if stream is not None else io.StringIO()
    if stream is not None and not stream.isatty() and files >= SAY_ONCE_FROM:
        print(
            f"{PROG}: reading {plural(files, 'file')} of {plural(commits, 'commit')} from git "
            "(those the history cache knows are not read)",
            file=stream,
            flush=True,
        )
    return ProgressLine(files, shown, "history: read")


class _Wanted:
    """A path of the history is checked when it names a ``*.py`` file that is one of the paths
    given or under one, and is not excluded (as a folder walk would skip it)."""

    def __init__(self, root: Path, exclude: Exclude, prefixes: Sequence[str]) -> None:
        self._root = str(root)
        self._exclude = exclude
        given = [p.rstrip("/") for p in prefixes if p not in ("", ".")]
        self._paths = frozenset(given)
        self._folders = tuple(p + "/" for p in given)
        #: The paths given that no file of the history is or is under, so far.
        self._unseen = dict.fromkeys(given)

    def saw(self, path: str) -> None:
        """Note a path that the history holds (any file: a folder given may hold no Python)."""
        if self._unseen:
            for prefix in [p for p in self._unseen if path == p or path.startswith(p + "/")]:
                del self._unseen[prefix]

    def unseen(self) -> List[str]:
        return list(self._unseen)

    def __call__(self, path: str) -> bool:
        if not path.endswith(".py"):
            return False
        if self._paths and path not in self._paths and not path.startswith(self._folders):
            return False
        folder, _, name = path.rpartition("/")
        parts = folder.split("/") if folder else []
        absolute = self._root
        for part in [*parts, name]:
            absolute = f"{absolute}/{part}"
            if self._exclude.in_folder(part, absolute):
                return False
        return True


class _Analyser:
    """Blob summaries: from the cache, else read (in batches) and analysed."""

    def __init__(self, settings: Settings, reader: BlobReader, cache: BlobCache, jobs: int):
        self._settings = settings
        self._reader = reader
        self._cache = cache
        self._jobs = jobs
        self._needles = settings.progress_needles
        self._missing: set[str] = set()

    def prepare(self, blobs: Iterator[Tuple[str, str]], reporter: ProgressLine) -> None:
        """Analyse every blob of ``blobs`` (blob, a path it was found at) the cache does not
        know (many at once: the first commit's, in worker processes)."""
        named: Dict[str, str] = {}
        for blob, path in blobs:
            if blob not in self._cache.entries:
                named.setdefault(blob, path)
        if not named:
            return
        matching: List[Tuple[str, bytes]] = []
        done = 0
        for blob, data in self._reader.read(list(named)):
            if data is None:
                self._missing.add(blob)  # not cached: a later fetch may bring it
            elif may_spell(data, self._needles):
                matching.append((blob, data))
                continue
            else:
                self._cache.store(blob, _EMPTY)
            done += 1
            reporter.update(done)
        for blob, summary in self._analyse(matching, named):
            self._cache.store(blob, summary)
            done += 1
            reporter.update(done)

    def _analyse(
        self, items: List[Tuple[str, bytes]], named: Dict[str, str]
    ) -> Iterator[Tuple[str, Summary]]:
        tasks = [(blob, data, self._settings, named[blob]) for blob, data in items]
        if self._jobs == 1 or len(items) < 16:
            yield from map(_summarise, tasks)
            return
        import multiprocessing

        with multiprocessing.Pool(self._jobs) as pool:
            yield from pool.imap_unordered(_summarise, tasks, chunksize=4)

    def summary(self, blob: str) -> Summary:
        if blob in self._missing:
            return _UNREADABLE
        return self._cache.entries.get(blob, _EMPTY)


def _summarise(task: Tuple[str, bytes, Settings, str]) -> Tuple[str, Summary]:
    blob, data, settings, path = task
    with SlowFileWatch() as watch, watch.reading(f"{path} (blob {blob[:10]})"):
        result = check_bytes(blob, data, settings)
    counts: Counter[Tuple[str, str]] = collections.Counter()
    broken = False
    for violation in result.violations:
        if violation.code == "E999":
            broken = True
        else:
            counts[violation.code, violation.migration] += 1
    summary: Summary = (
        tuple(sorted((code, migration, n) for (code, migration), n in counts.items())),
        tuple(sorted(result.migrated.items())),
        broken,
    )
    return blob, summary


def _is_object_id(text: str) -> bool:
    return len(text) in (40, 64) and all(c in "0123456789abcdef" for c in text)


def _object_id(text: str) -> str:
    """``text``, which git gave as a commit id: checked, as nothing else may reach git."""
    if not _is_object_id(text):
        raise HistoryError(f"git: {text!r} is not an object id")
    return text


def _run(
    command: List[str], cwd: Path, environment: Optional[Dict[str, str]] = None
) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, **environment} if environment else None
    return subprocess.run(command, cwd=cwd, capture_output=True, env=env)


def _checked(command: List[str], cwd: Path) -> bytes:
    done = _run(command, cwd)
    if done.returncode != 0:
        reason = done.stderr.decode(errors="replace").strip().splitlines()
        raise HistoryError(f"git: {reason[0] if reason else ' '.join(command)}")
    return done.stdout


def history_cache_file(folder: Path, fingerprint: str) -> Path:
    return folder / f"history-{fingerprint}.cache"


def commits_sampled(commits: Sequence[Commit], every: int) -> List[Commit]:
    """Every ``every``-th commit counting back from the newest (which is always kept)."""
    if every <= 1:
        return list(commits)
    kept = list(commits)[::-1][::every]
    return kept[::-1]
