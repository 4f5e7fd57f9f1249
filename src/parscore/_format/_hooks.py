"""Structuring hooks below the scheme and node levels: strict scalars, lists, mappings."""

from __future__ import annotations

import math
import types
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any, Literal, Union, get_args, get_origin

import attrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn

from parscore._format._common import (
    FILE_NAMES,
    NAMED_VALUES,
    NUMBER_BOUND,
    add_note,
    converter,
    did_you_mean,
    show,
)
from parscore.errors import SchemeError


def structure_float(value: object, _type: object = float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        hint = ""
        if isinstance(value, str):
            hint = "; write numbers without quotes, in plain decimal form (0.5, not 0,5 or 5e-1)"
        msg = f"expected a number, found {show(value)}{hint}"
        raise TypeError(msg)
    try:
        out = float(value)
    except OverflowError:
        msg = f"number too large (numbers in a scheme are at most {NUMBER_BOUND:g})"
        raise ValueError(msg) from None
    if not math.isfinite(out):
        msg = f"expected a finite number, found {value!r}"
        raise ValueError(msg)
    if abs(out) > NUMBER_BOUND:
        msg = f"number too large: {out:g} (numbers in a scheme are at most {NUMBER_BOUND:g})"
        raise ValueError(msg)
    return out


def structure_int(value: object, _type: object = int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        msg = f"expected a whole number, found {show(value)}"
        raise TypeError(msg)
    return value


def structure_str(value: object, _type: object = str) -> str:
    if not isinstance(value, str):
        hint = ""
        if isinstance(value, bool):
            hint = "; YAML reads yes/no/on/off/true/false as true/false: quote the text"
        elif isinstance(value, int | float):
            hint = f'; quote it ("{value}") so it is read as text'
        msg = f"expected text, found {show(value)}{hint}"
        raise TypeError(msg)
    return unicodedata.normalize("NFC", value)


def structure_bool(value: object, _type: object = bool) -> bool:
    if not isinstance(value, bool):
        msg = f"expected true or false, found {show(value)}"
        raise TypeError(msg)
    return value


def literal_hook(type_: Any) -> Callable[[object, object], object]:
    choices = get_args(type_)

    def structure(value: object, _type: object) -> object:
        if not any(type(value) is type(c) and value == c for c in choices):
            names = [str(c) for c in choices]
            msg = (
                f"expected one of {', '.join(names)}; found {show(value)}"
                f"{did_you_mean(value, names)}"
            )
            raise ValueError(msg)
        return value

    return structure


def is_choice_union(type_: Any) -> bool:
    """A union without None of literals and scalars, e.g. ``Literal["all", "any"] | int``."""
    args = get_args(type_)
    return (
        get_origin(type_) in (Union, types.UnionType)
        and type(None) not in args
        and all(is_literal(a) or a in (int, float, str) for a in args)
    )


_SCALAR_NAMES = {int: "a whole number", float: "a number", str: "text"}


def choice_union_hook(type_: Any) -> Callable[[object, object], object]:
    branches = get_args(type_)
    wanted = [
        ", ".join(str(c) for c in get_args(b)) if is_literal(b) else _SCALAR_NAMES[b]
        for b in branches
    ]

    def structure(value: object, _type: object) -> object:
        for branch in branches:
            try:
                return converter.structure(value, branch)
            except (TypeError, ValueError):  # noqa: PERF203 - the next branch may take it
                continue
        msg = f"expected {' or '.join(wanted)}; found {show(value)}"
        raise ValueError(msg)

    return structure


def is_sequence(type_: Any) -> bool:
    origin, args = get_origin(type_), get_args(type_)
    return origin is list or (origin is tuple and len(args) == 2 and args[1] is Ellipsis)


def sequence_hook(type_: Any) -> Callable[[object, object], object]:
    item = get_args(type_)[0]
    as_tuple = get_origin(type_) is tuple

    def structure(value: object, _type: object) -> object:
        # A string is iterable, but "on_time" must never become ('o', 'n', …).
        if not isinstance(value, list | tuple):
            msg = f"expected a list, found {show(value)}"
            raise TypeError(msg)
        out: list[object] = []
        errors: list[Exception] = []
        for i, x in enumerate(value):
            try:
                out.append(converter.structure(x, item))
            except Exception as exc:  # noqa: PERF203 - collected, translated into problems
                add_note(exc, IterableValidationNote(f"Structuring {type_} @ index {i}", i, item))
                errors.append(exc)
        if errors:
            msg = f"While structuring {type_!r}"
            raise IterableValidationError(msg, errors, type_)
        return tuple(out) if as_tuple else out

    return structure


def structure_named_values(value: object, _type: object) -> tuple[tuple[str, float], ...]:
    """``{name: number, …}`` in a file -> ``((name, number), …)`` in the model, order kept."""
    if not isinstance(value, Mapping):
        msg = f"expected a mapping of name: number, found {show(value)}"
        raise TypeError(msg)
    out: list[tuple[str, float]] = []
    errors: list[Exception] = []
    for key, number in value.items():
        try:
            if not isinstance(key, str):
                msg = f"a name must be text, found {show(key)}"
                if isinstance(key, bool):
                    msg += "; YAML reads yes/no/on/off/true/false as true/false: quote the name"
                else:
                    msg += "; quote it"
                raise TypeError(msg)
            out.append((key, structure_float(number)))
        except Exception as exc:  # noqa: PERF203 - collected, translated into problems
            add_note(exc, IterableValidationNote(f"Structuring name {key}", str(key), float))
            errors.append(exc)
    if errors:
        msg = "While structuring named values"
        raise IterableValidationError(msg, errors, NAMED_VALUES)
    return tuple(out)


def structure_by_type(value: object, _type: object) -> tuple[tuple[str, Any], ...]:
    """``{type: {basis, scale}, …}`` in a file -> ``((type, TierScale), …)``, order kept."""
    from parscore.model import TierScale

    if not isinstance(value, Mapping):
        msg = f"expected a mapping of unit type: {{basis, scale}}, found {show(value)}"
        raise TypeError(msg)
    out: list[tuple[str, Any]] = []
    errors: list[Exception] = []
    for key, sub in value.items():
        try:
            if not isinstance(key, str):
                msg = f"a unit type must be text, found {show(key)}; quote it"
                raise TypeError(msg)
            out.append((key, converter.structure(sub, TierScale)))
        except Exception as exc:  # noqa: PERF203 - collected, translated into problems
            add_note(exc, IterableValidationNote(f"Structuring by_type {key}", str(key), Any))
            errors.append(exc)
    if errors:
        msg = "While structuring scales by type"
        raise IterableValidationError(msg, errors, tuple)
    return tuple(out)


def attrs_hook(cls: type) -> Callable[[object, object], object]:
    inner: Callable[[Any, Any], Any] = make_dict_structure_fn(
        cls,
        converter,
        _cattrs_forbid_extra_keys=True,
        _cattrs_detailed_validation=True,
    )

    def structure(value: object, _type: object) -> object:
        if not isinstance(value, Mapping):
            msg = f"expected a mapping (key: value, …), found {show(value)}"
            raise TypeError(msg)
        try:
            return inner(value, cls)
        except ClassValidationError as exc:
            for sub in exc.exceptions:
                # raised by the class, not a field hook; a SchemeError carries its own paths
                if not getattr(sub, "__notes__", None) and not isinstance(
                    sub, SchemeError | ForbiddenExtraKeysError
                ):
                    _note_failing_field(cls, value, sub)
            raise

    return structure


def _note_failing_field(cls: type, value: Mapping[Any, object], exc: BaseException) -> None:
    """Record on *exc* (as cattrs does) the field, and item, that the class refused.

    The class checks its fields while it is built, so cattrs cannot tell which field failed.
    Each field's converter and validator run alone on its value find the field; for a check
    across items (in ``__attrs_post_init__``), the first item of a list field without which the
    class builds is the one named.
    """
    kwargs: dict[str, Any] = {}
    for field in attrs.fields(cls):
        if field.init and field.name in value:
            try:
                kwargs[field.name] = converter.structure(value[field.name], field.type)
            except Exception:
                return
    # the fields as the class holds them, for validators that compare fields (yes_no's need)
    held = types.SimpleNamespace()
    for field in attrs.fields(cls):
        if field.name in kwargs:
            try:
                item = kwargs[field.name]
                setattr(held, field.name, field.converter(item) if field.converter else item)
            except Exception:  # a field that does not convert: the loop below finds it
                continue
        elif isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
            setattr(held, field.name, field.default.factory())
        elif field.default is not attrs.NOTHING:
            setattr(held, field.name, field.default)
    for field in attrs.fields(cls):
        if field.name in kwargs and field.validator is not None:
            try:
                item = kwargs[field.name]
                if field.converter is not None:
                    item = field.converter(item)
                field.validator(held, field, item)
            except type(exc):
                _note(exc, cls, field.name)
                return
            except Exception:
                continue
    for name, items in kwargs.items():
        # each try builds the class again: bounded, so a long list stays linear
        if isinstance(items, tuple | list) and len(items) <= _ITEMS_TRIED:
            for i in range(len(items)):
                try:
                    cls(**{**kwargs, name: tuple(items[:i]) + tuple(items[i + 1 :])})
                except type(exc):
                    continue
                except Exception:
                    continue
                _note(exc, cls, name, i)
                return


_ITEMS_TRIED = 200


def _note(exc: BaseException, cls: type, name: str, index: int | None = None) -> None:
    note = f"Structuring class {cls.__qualname__} @ attribute {name}"
    add_note(exc, AttributeValidationNote(note, name, Any))
    if index is not None:
        add_note(exc, IterableValidationNote(f"Structuring {name} @ index {index}", index, Any))


def allowed_keys(cls: type) -> list[str]:
    keys = [FILE_NAMES.get(f.name, f.name) for f in attrs.fields(cls) if f.init]
    if isinstance(getattr(cls, "kind", None), str):
        keys.insert(0, "kind")
    return keys


def is_literal(type_: object) -> bool:
    return get_origin(type_) is Literal
