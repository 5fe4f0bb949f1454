"""Run the checks of a full validation in two processes that share one in-memory copy (fork).

Why: a full validation of a large model is hundreds of independent queries over one in-memory
copy of the model (see :func:`bizarch.validation.sparql_engine.reading_copy`). pyoxigraph holds
the GIL while it evaluates a query, so threads run them one at a time; a forked child shares the
parent's copy page by page (copy-on-write), so the second core works without a second copy.
Both processes take the next check from a shared counter, so one slow rule does not leave the
other core idle.

Safety: only where forking is safe (POSIX, two or more cores, no other Python thread running:
the CLI, not the threaded web server); the child only queries the in-memory copy, sends its
findings back through a pipe and leaves with ``os._exit`` (no clean-up of the parent's state,
such as the on-disk store, runs in it). If the child fails or stalls, the parent runs the checks
the child had taken, so the findings are always complete.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import select
import signal
import threading
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

from bizarch.validation.report import Finding

Task = TypeVar("Task")

PARENT, CHILD = 1, 2

STALL_SECONDS = 120.0
"""How long the parent waits for the child once its own share is done (plus 5x that share's
time): the child is then taken as stuck, stopped, and its checks are run again by the parent."""

_child_hook: Callable[[], None] | None = None
"""Tests only: called in the child first (e.g. to make it fail)."""


ENV_SWITCH = "BIZARCH_PARALLEL_VALIDATION"
"""Set to ``0`` to keep every check in one process (e.g. where forking is not wanted)."""


def fork_safe() -> bool:
    """True where two processes can share the work: fork exists, 2+ cores, one Python thread."""
    return (
        os.environ.get(ENV_SWITCH, "1") != "0"
        and hasattr(os, "fork")
        and (os.cpu_count() or 1) >= 2
        and threading.active_count() == 1
    )


def run_shared(tasks: Sequence[Task], run: Callable[[Task], list[Finding]]) -> list[Finding]:
    """The findings of ``run(task)`` for every task, computed by this process and a forked child.

    Falls back to running everything here when forking is not safe.
    """
    if len(tasks) < 2 or not fork_safe():
        return [finding for task in tasks for finding in run(task)]
    context = multiprocessing.get_context("fork")
    counter = context.Value("i", 0)
    owner = context.Array("b", len(tasks), lock=False)

    def claim(who: int) -> int | None:
        with counter.get_lock():
            index = counter.value
            if index >= len(tasks):
                return None
            counter.value = index + 1
            owner[index] = who
            return index

    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:  # no process to spare (limits, memory): one process does it all
        os.close(read_end)
        os.close(write_end)
        return [finding for task in tasks for finding in run(task)]
    if pid == 0:  # pragma: no cover - the child's lines run in another process
        _run_child(tasks, run, claim, read_end, write_end)
    os.close(write_end)
    started = time.perf_counter()
    found: list[Finding] = []
    while (index := claim(PARENT)) is not None:
        found.extend(run(tasks[index]))
    own_seconds = time.perf_counter() - started
    data = _read_child(read_end, pid, STALL_SECONDS + 5 * own_seconds)
    if data is not None:
        found.extend(pickle.loads(data))
    else:
        for index, who in enumerate(owner):
            if who == CHILD:
                found.extend(run(tasks[index]))
    return found


def _run_child(  # pragma: no cover - runs in the forked child
    tasks: Sequence[Task],
    run: Callable[[Task], list[Finding]],
    claim: Callable[[int], int | None],
    read_end: int,
    write_end: int,
) -> None:
    code = 1
    try:
        os.close(read_end)
        if _child_hook is not None:
            _child_hook()
        found: list[Finding] = []
        while (index := claim(CHILD)) is not None:
            found.extend(run(tasks[index]))
        with os.fdopen(write_end, "wb") as out:
            out.write(pickle.dumps(found))
        code = 0
    finally:
        os._exit(code)


def _read_child(read_end: int, pid: int, timeout: float) -> bytes | None:
    """The child's pickled findings, or ``None`` if it failed or did not finish in time."""
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    stalled = False
    with os.fdopen(read_end, "rb", buffering=0) as pipe:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([pipe], [], [], left)[0]:
                stalled = True
                break
            chunk = pipe.read(1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    if stalled:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    if stalled or not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
        return None
    return b"".join(chunks)
