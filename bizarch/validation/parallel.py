"""Run the checks of a full validation in two processes that share one in-memory copy (fork).

Why: a full validation of a large model is hundreds of independent queries over one in-memory
copy of the model (see :func:`bizarch.validation.sparql_engine.reading_copy`). pyoxigraph holds
the GIL while it evaluates a query, so threads run them one at a time; a forked child shares the
parent's copy page by page (copy-on-write), so the second core works without a second copy.
Both processes take the next check from a shared counter, so one slow rule does not leave the
other core idle.

Safety: only where forking is safe: POSIX, two or more cores, and either no other Python thread
(the CLI) or a *fork guard* from the caller. A forked child has only the forking thread; a lock
another thread held at that moment stays held in the child for good. The child only queries the
in-memory store it was given, so what matters is that no other thread is changing that store
while the fork happens: the guard holds off its writers (:meth:`ServingStore.writes_paused
<bizarch.store.serving.ServingStore.writes_paused>` in the web server), or the store is a
private copy no other thread knows. Readers do not matter: pyoxigraph holds the GIL while it
evaluates, and the forking thread holds the GIL. The child sends its findings back through a
pipe and leaves with ``os._exit`` (no clean-up of the parent's state, such as the on-disk store,
runs in it). If the child fails or stalls, the parent runs the checks the child had taken, so
the findings are always complete.
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
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TypeVar

Task = TypeVar("Task")
Result = TypeVar("Result")
"""What a task gives: findings, or anything else that pickles."""

PARENT, CHILD = 1, 2

STALL_SECONDS = 120.0
"""How long the parent waits for the child once its own share is done (plus 5x that share's
time): the child is then taken as stuck, stopped, and its checks are run again by the parent."""

_child_hook: Callable[[], None] | None = None
"""Tests only: called in the child first (e.g. to make it fail)."""


@dataclass
class ShareRecord:
    """What the latest shared run of this process did (for tests and benchmarks)."""

    forked: bool = False
    child_tasks: int = 0
    child_returned: bool = False


last_share = ShareRecord()


ENV_SWITCH = "BIZARCH_PARALLEL_VALIDATION"
"""Set to ``0`` to keep every check in one process (e.g. where forking is not wanted)."""


ForkGuard = AbstractContextManager[object]
"""Held while this process forks: while it is held, no other thread changes what the child reads."""


def fork_safe(guarded: bool = False) -> bool:
    """True where two processes can share the work: fork exists, 2+ cores, and one Python thread
    or (``guarded``) a fork guard that keeps the other threads off what the child reads."""
    return (
        os.environ.get(ENV_SWITCH, "1") != "0"
        and hasattr(os, "fork")
        and (os.cpu_count() or 1) >= 2
        and (guarded or threading.active_count() == 1)
    )


def run_shared(
    tasks: Sequence[Task],
    run: Callable[[Task], list[Result]],
    *,
    fork_guard: ForkGuard | None = None,
) -> list[Result]:
    """The findings of ``run(task)`` for every task, computed by this process and a forked child.

    ``fork_guard``: held while forking; with it, a process with other threads (a web server)
    shares the work too. Falls back to running everything here when forking is not safe.
    """
    global last_share
    last_share = ShareRecord()
    if len(tasks) < 2 or not fork_safe(guarded=fork_guard is not None):
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
        if fork_guard is None:
            pid = os.fork()
        else:
            with fork_guard:
                pid = os.fork()
    except OSError:  # no process to spare (limits, memory): one process does it all
        os.close(read_end)
        os.close(write_end)
        return [finding for task in tasks for finding in run(task)]
    if pid == 0:  # pragma: no cover - the child's lines run in another process
        _run_child(tasks, run, claim, read_end, write_end)
    last_share.forked = True
    os.close(write_end)
    started = time.perf_counter()
    found: list[Result] = []
    while (index := claim(PARENT)) is not None:
        found.extend(run(tasks[index]))
    own_seconds = time.perf_counter() - started
    data = _read_child(read_end, pid, STALL_SECONDS + 5 * own_seconds)
    last_share.child_tasks = sum(1 for who in owner if who == CHILD)
    last_share.child_returned = data is not None
    if data is not None:
        found.extend(pickle.loads(data))
    else:
        for index, who in enumerate(owner):
            if who == CHILD:
                found.extend(run(tasks[index]))
    return found


def _run_child(  # pragma: no cover - runs in the forked child
    tasks: Sequence[Task],
    run: Callable[[Task], list[Result]],
    claim: Callable[[int], int | None],
    read_end: int,
    write_end: int,
) -> None:
    code = 1
    try:
        os.close(read_end)
        if _child_hook is not None:
            _child_hook()
        found: list[Result] = []
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
