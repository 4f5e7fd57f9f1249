"""Scheme files: load and dump the v1 format as YAML, JSON or TOML; its JSON Schema.

The three formats carry the same structure, the plain dict of
:func:`~parscore.io.scheme_to_dict` (see ``docs/scheme-format.md``). Loading reports every
problem in a file at once, in one :class:`~parscore.errors.SchemeError` whose problems carry the
JSON path, the node id and, for YAML, the line number. Dumping is canonical: equal schemes dump
to identical text, and load → dump → load gives an equal scheme with the same fingerprint.

pyyaml and tomli-w are imported inside the functions that need them, so ``import parscore``
stays light.

.. versionadded:: 0.1
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import attrs

from parscore._converter import scheme_from_dict, scheme_to_dict
from parscore._format._read_text import read_json, read_toml, read_yaml, yaml_module
from parscore.errors import LimitError, ParscoreError, Problem, SchemeError
from parscore.io._json_schema import scheme_json_schema
from parscore.limits import Limits, default_limits
from parscore.model import Scheme

__all__ = [
    "SchemeFormat",
    "dump_scheme",
    "load_scheme",
    "loads_scheme",
    "scheme_from_dict",
    "scheme_json_schema",
    "scheme_to_dict",
]

SchemeFormat = Literal["yaml", "json", "toml"]
"""A text format of scheme files."""

_SUFFIXES: dict[str, SchemeFormat] = {
    ".yaml": "yaml",
    ".yml": "yaml",
    ".json": "json",
    ".toml": "toml",
}
_FORMATS: tuple[SchemeFormat, ...] = ("yaml", "json", "toml")
_OTHER_BREAKS = re.compile("[\r\x85\u2028\u2029]")

Source = str | os.PathLike[str] | bytes | Mapping[str, object]
"""What :func:`load_scheme` reads: a path, text or bytes (with ``format=``), or a dict."""


# -- loading ------------------------------------------------------------------------------------


def load_scheme(
    source: Source,
    *,
    format: SchemeFormat | None = None,  # noqa: A002 - the natural name, as in the CLI
    limits: Limits | None = None,
) -> Scheme:
    """Load a scheme from a file, from text or bytes, or from a plain dict.

    The file may come from anyone: whatever it holds, loading returns a scheme or raises a
    :class:`~parscore.errors.ParscoreError` naming where.

    Args:
        source: A path (``str`` or :class:`os.PathLike`) to a ``.yaml``/``.yml``, ``.json`` or
            ``.toml`` file; or the file's content as ``str`` or ``bytes`` together with
            *format*; or the plain dict of the v1 format (as :func:`scheme_from_dict`). A
            ``str`` is read as a path unless *format* is given and the ``str`` is not the
            path of an existing file.
        format: ``yaml``, ``json`` or ``toml``; needed for text and bytes, and overrides the
            suffix of a path.
        limits: Limits on the file's size, nesting, nodes, values (YAML aliases expanded) and
            digits of whole numbers; by default :func:`parscore.default_limits`.

    Returns:
        The validated scheme; text is NFC-normalised.

    Raises:
        SchemeError: listing every problem of the file at once, each with its JSON path, node
            id and (YAML) line; also for bad syntax, bytes that are not UTF-8, a file of
            another format version, text that is not Unicode or holds control characters,
            and numbers that are not finite or too large.
        UnknownRuleError: the same, when a rule kind is neither built in nor installed.
        LimitError: when the file exceeds one of *limits* (checked before the cost is paid).
        FileNotFoundError: when a path does not exist.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2 *limits*; every failure of the parsers is a ``ParscoreError``.
    """
    limits = limits if limits is not None else default_limits()
    if isinstance(source, Mapping):
        return scheme_from_dict(source, limits=limits)
    if isinstance(source, bytes) and format is not None:
        return loads_scheme(source, format=format, limits=limits)
    if isinstance(source, str) and format is not None and not _is_file(source):
        return loads_scheme(source, format=format, limits=limits)
    if isinstance(source, bytes) or (isinstance(source, str) and _looks_like_text(source)):
        name = "<bytes>" if isinstance(source, bytes) else "<text>"
        msg = "this looks like scheme text; use loads_scheme(text, format=...)"
        raise SchemeError([Problem(message=msg)], name)
    path = Path(source)
    if format is None and path.suffix.lower() in (".csv", ".xlsx"):
        from parscore.io.scheme_table import read_scheme_table  # a spreadsheet table

        return read_scheme_table(path)
    name = str(path)
    fmt = _check_format(format, name) if format is not None else _format_of(path)
    text = _decode(_read_bytes(path, name, limits), name)
    return _parse(text, fmt, name, limits)


def loads_scheme(
    text: str | bytes,
    *,
    format: SchemeFormat,  # noqa: A002 - as load_scheme
    limits: Limits | None = None,
) -> Scheme:
    """Load a scheme from the text (or UTF-8 bytes) of a YAML, JSON or TOML scheme file.

    Args:
        text: The file's content; a leading byte-order mark is ignored.
        format: ``yaml``, ``json`` or ``toml``.
        limits: As for :func:`load_scheme`; ``max_file_bytes`` bounds the UTF-8 size of *text*.

    Returns:
        The validated scheme; text is NFC-normalised.

    Raises:
        SchemeError: listing every problem at once, each with its JSON path, node id and (YAML)
            line; also for bad syntax and bytes that are not UTF-8.
        UnknownRuleError: the same, when a rule kind is neither built in nor installed.
        LimitError: when the text exceeds one of *limits*.

    .. versionadded:: 0.2
    .. versionchanged:: 0.2 *limits*.
    """
    limits = limits if limits is not None else default_limits()
    name = "<bytes>" if isinstance(text, bytes) else "<text>"
    fmt = _check_format(format, name)
    maximum = limits.max_file_bytes
    size = len(text)
    if isinstance(text, str) and size <= maximum < 4 * size:  # exact only when it may matter
        size = len(text.encode("utf-8", "surrogatepass"))
    if size > maximum:
        raise LimitError("max_file_bytes", maximum, size, name)
    return _parse(_decode(text, name) if isinstance(text, bytes) else text, fmt, name, limits)


def _read_bytes(path: Path, name: str, limits: Limits) -> bytes:
    """The file's bytes, refusing a file larger than the limit before reading it."""
    maximum = limits.max_file_bytes
    with path.open("rb") as file:
        size = os.fstat(file.fileno()).st_size
        if size > maximum:
            raise LimitError("max_file_bytes", maximum, size, name)
        data = file.read(maximum + 1)  # a device or a growing file: never more than the limit
    if len(data) > maximum:
        raise LimitError("max_file_bytes", maximum, None, name)
    return data


def _looks_like_text(source: str) -> bool:
    """Whether *source* is obviously a document rather than a path."""
    return "\n" in source or "{" in source


def _is_file(text: str) -> bool:
    if "\n" in text or len(text) > 4096:
        return False
    try:
        return Path(text).is_file()
    except (OSError, ValueError):  # not a possible path on this system
        return False


def _check_format(fmt: object, name: str) -> SchemeFormat:
    for known in _FORMATS:
        if fmt == known:
            return known
    msg = f"unknown scheme format {fmt!r}; use one of {', '.join(_FORMATS)}"
    raise SchemeError([Problem(message=msg)], name)


def _format_of(path: Path) -> SchemeFormat:
    fmt = _SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        msg = (
            f"cannot tell the format of {path.name!r} from its suffix; use .yaml, .yml, .json "
            f"or .toml, or pass format='yaml', 'json' or 'toml'"
        )
        raise SchemeError([Problem(message=msg)], str(path))
    return fmt


def _decode(data: bytes, name: str) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        msg = (
            f"{name} is not UTF-8 text: byte 0x{data[exc.start]:02x} at offset {exc.start} "
            f"(line {line}) cannot be decoded; save the file as UTF-8"
        )
        raise SchemeError([Problem(message=msg, line=line)], name) from None
    return text.removeprefix("\ufeff")  # a byte-order mark some editors write


def _parse(text: str, fmt: SchemeFormat, name: str, limits: Limits) -> Scheme:
    lines: dict[str, int] = {}
    extra: list[Problem] = []
    try:
        if fmt == "yaml":
            data, lines, extra = read_yaml(text, name, limits)
        elif fmt == "json":
            data, extra = read_json(text, name, limits)
        else:
            data = read_toml(text, name, limits)
        scheme = scheme_from_dict(data, limits=limits)  # type: ignore[arg-type] # any value is checked
    except SchemeError as exc:
        problems = [_with_line(p, lines) for p in [*extra, *exc.problems]]
        if lines:  # in the order of the file
            problems.sort(key=lambda p: p.line or 0)
        raise type(exc)(problems, name) from None
    except LimitError as exc:
        raise _located(exc, name, lines) from None
    except RecursionError:
        msg = "the scheme nests too deeply (or an alias refers to itself)"
        raise SchemeError([Problem(message=msg)], name) from None
    except ParscoreError:
        raise
    except Exception as exc:
        msg = f"could not read the scheme ({type(exc).__name__}); please report this file"
        raise SchemeError([Problem(message=msg)], name) from None
    if extra:
        raise SchemeError([_with_line(p, lines) for p in extra], name)
    return scheme


def _located(exc: LimitError, name: str, lines: Mapping[str, int]) -> LimitError:
    """The error with the file's name and, for a JSON path, the path and its line."""
    where = exc.where or ""
    if where.startswith("$"):
        line = _with_line(Problem(message="", path=where), lines).line
        where = f"{name}, {where}" + (f" (line {line})" if line is not None else "")
    elif not where:
        where = name
    return LimitError(exc.limit, exc.maximum, exc.value, where)


def _with_line(problem: Problem, lines: Mapping[str, int]) -> Problem:
    """Add the line of the problem's path (or of its nearest ancestor found in the file)."""
    if problem.line is not None or not lines:
        return problem
    path = problem.path
    while path:
        if path in lines:
            return attrs.evolve(problem, line=lines[path])
        cut = max(path.rfind("."), path.rfind("["))
        if cut <= 0:
            break
        path = path[:cut]
    return problem


# -- dumping ------------------------------------------------------------------------------------


def dump_scheme(
    scheme: Scheme,
    path: str | os.PathLike[str] | None = None,
    *,
    format: SchemeFormat | None = None,  # noqa: A002 - the natural name, as in load_scheme
) -> str:
    """Return the scheme as canonical text of the v1 format, and write it when *path* is given.

    Keys come in the order of :func:`scheme_to_dict`, defaults are omitted, whole numbers are
    written without ``.0`` and Vietnamese text stays readable (UTF-8, never escaped), so equal
    schemes dump to identical text. YAML is written in block style; TOML omits absent values
    (TOML has no null).

    Args:
        scheme: The scheme to write.
        path: Where to write the text (UTF-8, LF line ends); nothing is written if None.
        format: ``yaml``, ``json`` or ``toml``; by default the suffix of *path*, else YAML.

    Returns:
        The text written.

    .. versionadded:: 0.1
    """
    if format is not None:
        fmt = _check_format(format, str(path) if path is not None else "<text>")
    elif path is not None:
        fmt = _format_of(Path(path))
    else:
        fmt = "yaml"
    data = scheme_to_dict(scheme)
    if fmt == "yaml":
        text = _dump_yaml(data)
    elif fmt == "json":
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    else:
        import tomli_w

        text = tomli_w.dumps(_drop_none(data))
    if path is not None:
        Path(path).write_text(text, encoding="utf-8", newline="\n")
    return text


@functools.cache
def _yaml_dumper() -> Any:
    yaml = yaml_module()

    class Dumper(yaml.SafeDumper):  # type: ignore[misc,name-defined]
        """Block style, lists indented under their key, no anchors, multi-line text as ``|``."""

        def ignore_aliases(self, data: object) -> bool:
            del data
            return True

        def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
            del indentless
            super().increase_indent(flow, indentless=False)

    def text(dumper: Any, data: str) -> Any:
        # pyyaml folds the other line breaks (NEL, LS, PS, CR) unless they are escaped.
        style = '"' if _OTHER_BREAKS.search(data) else "|" if "\n" in data else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)

    Dumper.add_representer(str, text)
    return Dumper


def _dump_yaml(data: Mapping[str, Any]) -> str:
    text: str = yaml_module().dump(
        data,
        Dumper=_yaml_dumper(),
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
    return text


def _drop_none(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_none(v) for v in value]
    return value
