"""Work for the other cores: a pool of spawned worker processes.

Charts and spreadsheets are made in the pool while the main process writes pages, so
every core is busy. Workers are spawned, not forked: vl-convert deadlocks after a fork.
Results are written under names derived from their inputs, so the order in which
workers finish never changes the output.
"""
from __future__ import annotations

import os
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import get_context


class Pool:
    def __init__(self, workers: int | None = None):
        workers = workers or os.cpu_count() or 1
        self.executor = ProcessPoolExecutor(workers, mp_context=get_context("spawn")) if workers > 1 else None

    def submit(self, function, *args) -> Future:
        if self.executor:
            return self.executor.submit(function, *args)
        future: Future = Future()  # one worker: run here and now
        try:
            future.set_result(function(*args))
        except Exception as exc:  # re-raised by .result(), as a pool would
            future.set_exception(exc)
        return future

    def __enter__(self) -> "Pool":
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if self.executor:
            self.executor.shutdown(wait=True, cancel_futures=kind is not None)
