"""Ctrl-C and SIGTERM end a run cleanly, with or without worker processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flake8_ssot_factory.faces.interrupts import terminate_as_interrupt

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX signals and fork")


def test_a_worker_forked_during_the_run_dies_of_sigterm_at_once() -> None:
    # A pool ends its workers with SIGTERM; a Python handler inherited by one blocked on the
    # pool's lock never ran, and the pool waited for it forever.
    with terminate_as_interrupt():
        assert signal.getsignal(signal.SIGTERM) not in (signal.SIG_DFL, None)
        child = os.fork()
        if child == 0:  # pragma: no cover (the child's exit status says it)
            os._exit(0 if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL else 1)
        _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def test_sigterm_during_a_run_with_workers_ends_it_with_one_line(tmp_path: Path) -> None:
    for index in range(3000):
        (tmp_path / f"m{index}.py").write_text(
            "x = get_agent_instance_factory()\n" + "y = 1\n" * 300
        )
    command = [sys.executable, "-m", "flake8_ssot_factory", "check", "--no-cache", "--jobs", "2"]
    process = subprocess.Popen(
        [*command, str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1.5)  # the workers are started and busy (or the run is over: then exit 1)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=120)  # a guard against the hang, not a timing
    if process.returncode == 1:
        pytest.skip("the run was over before the signal came")
    assert (process.returncode, err) == (143, "ssot-factory: terminated\n")


#: A text CPython's parser takes minutes on (quadratic in f-string fields; seconds on 3.12+),
#: holding the interpreter all that time: a signal handler could run only after it.
SLOW_TO_PARSE = "x = get_agent_instance_factory()\ny = f'" + "{a}" * 2_000_000 + "'\n"


@pytest.mark.parametrize(
    ("signum", "code", "message"),
    [
        (signal.SIGTERM, 143, "ssot-factory: terminated\n"),
        (signal.SIGINT, 130, "ssot-factory: interrupted\n"),
    ],
)
@pytest.mark.parametrize("command", [["check", "--no-cache", "-j1"], ["fix", "--diff"]])
def test_a_signal_ends_the_run_in_the_middle_of_a_parse(
    tmp_path: Path, signum: int, code: int, message: str, command: list[str]
) -> None:
    (tmp_path / "slow.py").write_text(SLOW_TO_PARSE)
    process = subprocess.Popen(
        [sys.executable, "-m", "flake8_ssot_factory", *command, str(tmp_path / "slow.py")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1.5)  # started, and parsing
    process.send_signal(signum)
    # A guard against the hang (the parse alone takes minutes), not a timing.
    _, err = process.communicate(timeout=60)
    assert process.returncode == code
    assert err.endswith(message)
    assert "Traceback" not in err
