"""Writing output files safely: never over an input, never over a file without ``--force``.

Every command that writes a file (``score -o``, ``template -o``, ``report -o``, ``schema -o``,
``demo --out``) goes through :func:`output_file`: the output may not be one of the command's
input files (compared after following symbolic links, and as the same file on disk: refused
even with ``--force``), an existing file is replaced only with ``--force``, and the file is
written to a temporary file in the same folder and renamed into place, so that a failure
leaves no half-written output. An operating-system error (a missing folder, no permission, a
full disk) is one line ``Error: cannot write …`` and exit code 1, never a traceback.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click

from parscore.errors import ParscoreError

F = TypeVar("F", bound=Callable[..., Any])

__all__ = ["OutputError", "check_output", "force_option", "os_error_text", "output_file"]


class OutputError(click.ClickException):
    """An output file that cannot or may not be written: ``Error: …`` and exit code 1."""

    exit_code = 1


def force_option(func: F) -> F:
    """The ``--force`` flag of a command writing files."""
    return click.option(
        "--force",
        is_flag=True,
        default=False,
        help="Replace an existing output file (never one of the input files).",
    )(func)


def _same_file(a: Path, b: Path) -> bool:
    """Whether *a* and *b* name one file: the same path after symbolic links, or one inode."""
    try:
        if a.resolve() == b.resolve():
            return True
    except (OSError, RuntimeError):  # a symlink loop: compare what exists below
        pass
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def check_output(out: Path, *, inputs: Iterable[str | Path | None] = (), force: bool) -> None:
    """Refuse *out* when it is one of *inputs*, or exists and *force* is not given.

    Called before any work is done (and again when the file is put in place).

    Raises:
        OutputError: naming the file and why.
    """
    for name in inputs:
        if name is not None and _same_file(out, Path(name)):
            msg = (
                f"{out} is an input of this command ({name}); choose another output file "
                "(an input is never overwritten, even with --force)"
            )
            raise OutputError(msg)
    if not force and os.path.lexists(out):
        msg = f"{out} exists; pass --force to replace it, or choose another output file"
        raise OutputError(msg)


def os_error_text(error: OSError, path: Path | None = None) -> str:
    """An operating-system error in words, naming *path* (not a temporary file's name)."""
    import errno

    reason = error.strerror or str(error)
    if path is None:
        where = f": {error.filename}" if error.filename else ""
        return f"{reason}{where}"
    if error.errno == errno.ENOENT and not path.parent.exists():
        return f"cannot write {path}: the folder {path.parent} does not exist"
    if error.errno in (errno.EACCES, errno.EPERM):
        return f"cannot write {path}: permission denied"
    return f"cannot write {path}: {reason.lower() if reason[:1].isupper() else reason}"


def _os_error_in(error: BaseException) -> OSError | None:
    """The OSError that *error* is or wraps (xlsxwriter wraps one in FileCreateError)."""
    seen: set[int] = set()
    todo: list[object] = [error]
    while todo:
        item = todo.pop()
        if not isinstance(item, BaseException) or id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, OSError):
            return item
        todo.extend([*item.args[:1], item.__cause__, item.__context__])
    return None


def _mode_for(out: Path) -> int:
    """Permissions of the new file: the replaced file's, else what the umask allows."""
    try:
        return os.stat(out).st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def _put_in_place(tmp: Path, out: Path, *, force: bool) -> None:
    """Move *tmp* to *out*; without *force*, never over a file that appeared meanwhile."""
    if force:
        os.replace(tmp, out)
        return
    try:
        os.link(tmp, out)  # fails if out exists: no race between the check and the write
    except FileExistsError:
        raise OutputError(f"{out} exists; pass --force to replace it") from None
    except OSError:  # no hard links on this file system: check, then rename
        if os.path.lexists(out):
            raise OutputError(f"{out} exists; pass --force to replace it") from None
        os.replace(tmp, out)
    else:
        tmp.unlink()


@contextlib.contextmanager
def output_file(
    out: Path, *, force: bool, inputs: Iterable[str | Path | None] = ()
) -> Iterator[Path]:
    """A temporary file beside *out* to write; renamed to *out* when the block succeeds.

    The temporary file has *out*'s suffix (writers choose the format by it). On any failure
    it is removed and *out* is left as it was; an OSError becomes an :class:`OutputError`.
    A symbolic link at *out* is replaced by the file (its target is left alone).
    """
    inputs = list(inputs)
    check_output(out, inputs=inputs, force=force)
    try:
        fd, name = tempfile.mkstemp(
            dir=out.parent, prefix=f".{out.stem}.", suffix=f".part{out.suffix}"
        )
    except OSError as error:
        raise OutputError(os_error_text(error, out)) from None
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, _mode_for(out))
        check_output(out, inputs=inputs, force=True)  # an input may have appeared there
        _put_in_place(tmp, out, force=force)
    except BaseException as error:
        with contextlib.suppress(OSError):
            tmp.unlink()
        found = _os_error_in(error)
        if found is not None and not isinstance(error, OutputError | ParscoreError):
            raise OutputError(os_error_text(found, out)) from None
        raise
