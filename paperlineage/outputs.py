"""Write a build's files as one set: a reader sees the previous set or the new one, never a mix.

Why not write in place: a SIGKILL, a full disk or a second build during the write phase left
``papers.json`` empty or ``graph.graphml`` cut off, and a folder mixing two builds. So a build
writes every file into a fresh staging folder next to ``--out``, then switches the whole folder
in one step:

- on Linux, ``renameat2(RENAME_EXCHANGE)`` swaps the staging folder and ``--out`` atomically
  (glibc 2.28+, most local filesystems), and the old set is deleted afterwards;
- elsewhere (or when the filesystem refuses the exchange), each file is moved into ``--out``
  with ``os.replace``, which is atomic per file.

Files in ``--out`` that a build does not write (a ``.gitkeep``, the user's notes) are carried
into the new folder before the swap. A lock file beside ``--out`` serialises builds: a second
build into the same folder is refused with a clear message, and leftovers of a killed build are
removed by the next one.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; builds into one folder are then not serialised
    fcntl = None  # type: ignore[assignment]

__all__ = ["OutputError", "OutputSet", "output_lock"]

_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


class OutputError(Exception):
    """An output could not be written; names the file and says why (one line for the CLI)."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


def _lock_path(out: Path) -> Path:
    return out.parent / f".{out.name}.paperlineage.lock"


@contextmanager
def output_lock(out: Path) -> Iterator[None]:
    """Hold the lock of output folder `out` for the duration, or raise :class:`OutputError`.

    Raises:
        OutputError: another build holds it (two builds into one folder would mix their files).
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    lock = _lock_path(out)
    handle = open(lock, "a+")  # noqa: SIM115  (held for the context's lifetime)
    try:
        try:
            if fcntl is not None:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(out, f"another paperlineage build is writing here (lock {lock}); run again when it ends") from None
        _remove_leftovers(out)
        yield
    finally:
        handle.close()


def _staging_prefix(out: Path) -> str:
    return f".{out.name}.staging-"


def _remove_leftovers(out: Path) -> None:
    """Staging or old folders a killed build left beside `out` (only ever ours, by their names)."""
    for path in out.parent.glob(_staging_prefix(out) + "*"):
        shutil.rmtree(path, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2); False when the system cannot."""
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError, TypeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    if ctypes.get_errno() in (errno.EINVAL, errno.ENOSYS, errno.EXDEV, errno.ENOTSUP):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(b))


def _link(source: Path, target: Path) -> None:
    """Hard-link a file or a folder's files (same parent folder, so same filesystem); copy if links fail."""
    def link(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    if source.is_dir() and not source.is_symlink():
        shutil.copytree(source, target, copy_function=link, symlinks=True)
    elif source.is_symlink():
        os.symlink(os.readlink(source), target)
    else:
        link(str(source), str(target))


class OutputSet:
    """The files of one build, staged beside `out` and switched in by :meth:`commit`.

    Use inside :func:`output_lock`::

        with output_lock(out):
            outputs = OutputSet(out)
            outputs.write("papers.json", lambda path: path.write_text(...))
            outputs.commit()
    """

    def __init__(self, out: Path) -> None:
        self.out = out
        self.staging = out.parent / f"{_staging_prefix(out)}{os.getpid()}"
        shutil.rmtree(self.staging, ignore_errors=True)
        self.staging.mkdir(parents=True)
        self.names: list[str] = []

    def write(self, name: str, writer: Callable[[Path], object]) -> object:
        """Run `writer` on the staged path of `name`; its result is returned.

        Raises:
            OutputError: the file could not be written (disk full, permissions), naming it.
        """
        path = self.staging / name
        try:
            result = writer(path)
            with open(path, "rb+") as handle:  # on disk before the switch, or the switch is not safe
                os.fsync(handle.fileno())
        except OSError as exc:
            raise OutputError(self.out / name, exc.strerror or str(exc)) from None
        self.names.append(name)
        return result

    def commit(self) -> list[Path]:
        """Switch the staged set in; returns the paths of the files now in `out`."""
        try:
            if self.out.is_dir():
                for entry in self.out.iterdir():  # keep what is not ours (linked: a kill here loses nothing)
                    if entry.name not in self.names:
                        _link(entry, self.staging / entry.name)
                if not _exchange(self.staging, self.out):
                    for name in self.names:
                        os.replace(self.staging / name, self.out / name)
                    for entry in list(self.staging.iterdir()):
                        os.replace(entry, self.out / entry.name)
            else:
                os.replace(self.staging, self.out)
        except OSError as exc:
            raise OutputError(self.out, f"could not switch the new outputs in: {exc.strerror or exc}") from None
        finally:
            shutil.rmtree(self.staging, ignore_errors=True)  # after an exchange: the old set
        return [self.out / name for name in self.names]

    def discard(self) -> None:
        """Drop the staged files; `out` stays as it was."""
        shutil.rmtree(self.staging, ignore_errors=True)
