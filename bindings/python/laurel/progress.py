"""`progress=` of the batch calls: None (quiet), a callback ``progress(done, total)``, or True
for a progress bar from tqdm.auto (a widget in Jupyter, a text bar on stderr in a terminal)."""

from __future__ import annotations

import contextlib
from typing import Any, Callable, Iterator, Optional, Union

__all__ = ["ProgressCallback", "ProgressArg", "progress_callback"]

ProgressCallback = Callable[[int, int], Any]
"""Called as ``progress(done, total)`` during a batch, on the calling thread. Raising an exception
in it cancels the batch (nothing is written) and the exception propagates."""

ProgressArg = Union[None, bool, ProgressCallback]


@contextlib.contextmanager
def progress_callback(progress: ProgressArg, total: int, description: str
                      ) -> Iterator[Optional[ProgressCallback]]:
    """The callback for the core: `progress` itself, None, or one driving a tqdm bar that is
    closed when the batch ends (also when it fails)."""
    if progress is None or progress is False:
        yield None
        return
    if progress is True:
        from tqdm.auto import tqdm

        bar = tqdm(total=total, desc=description, unit="badge", unit_scale=True)

        def update(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        try:
            yield update
        finally:
            bar.close()
        return
    if not callable(progress):
        raise TypeError("progress: expected a callable progress(done, total), True or None")
    yield progress
