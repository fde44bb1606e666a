"""Loading ``waves.yaml``: YAML with positions -> strict models -> cross-field rules.

Every problem is reported as ``file:line:col: dotted.path: message`` and raised together as one
:class:`~kfboot.errors.CatalogError`; nothing here writes to disk.
"""

from __future__ import annotations

import difflib
import os
import stat
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

from kfboot import yamlio
from kfboot.catalog import crossfield as catalog_rules
from kfboot.catalog.models import DNS1123_LABEL, Catalog
from kfboot.errors import CatalogError, KfbootError
from kfboot.findings import Finding, located, shown_path


def dotted(loc: tuple[Any, ...]) -> str:
    """``('components', 3, 'wave')`` -> ``components[3].wave``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _yaml_text(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


_EXPECTED = {
    "int_type": "an integer",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
}


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return f"a string ({value!r})"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"{_yaml_text(value)}"


def _fields_at(loc: tuple[Any, ...]) -> list[str]:
    """The field names the model at ``loc`` accepts (for "did you mean" suggestions)."""
    model: Any = Catalog
    for part in loc:
        if isinstance(part, int):
            continue
        info = getattr(model, "model_fields", {}).get(part)
        if info is None:
            return []
        model = _model_of(info.annotation)
        if model is None:
            return []
    return list(getattr(model, "model_fields", {}))


def _model_of(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_of(arg)
        if found is not None:
            return found
    return None


def _suggest(loc: tuple[Any, ...]) -> str:
    close = difflib.get_close_matches(str(loc[-1]), _fields_at(loc[:-1]), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _type_hint(err: dict[str, Any]) -> str:
    """The message for one pydantic error, friendlier where YAML or Kubernetes surprise users."""
    value = err.get("input")
    kind = err["type"]
    if kind == "string_type" and (value is None or isinstance(value, (bool, int, float))):
        what = (
            "nothing (null)" if value is None else f"a {type(value).__name__} ({_yaml_text(value)})"
        )
        return f"expected a string, but YAML reads this value as {what}; quote it"
    if kind in _EXPECTED:
        return f"expected {_EXPECTED[kind]}, but found {_describe(value)}"
    if kind == "extra_forbidden":
        return "unknown field" + _suggest(err["loc"])
    if kind == "missing":
        return "required field is missing"
    if kind == "string_pattern_mismatch" and err.get("ctx", {}).get("pattern") == DNS1123_LABEL:
        return (
            f"{value!r} is not a valid name: use a DNS-1123 label (lowercase letters, digits "
            "and '-', starting and ending with a letter or digit)"
        )
    msg: str = err["msg"]
    return msg.removeprefix("Value error, ")


def _locate(file: str, pos: yamlio.Positions, err: dict[str, Any]) -> Finding:
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
    if err["type"] == "extra_forbidden":
        mark = pos.of_key(loc)
    elif err["type"] == "missing":
        mark = pos.of_value(loc[:-1])
    else:
        mark = pos.of_value(loc)
    return located(file, mark.line, mark.col, dotted(loc), _type_hint(err))


def parse_catalog(text: str, file: str = "waves.yaml") -> Catalog:
    """Validate catalog text; raise CatalogError listing every problem found."""
    try:
        data, pos = yamlio.load_with_positions(text)
    except yamlio.DuplicateKeyError as exc:
        raise CatalogError([located(file, exc.mark.line, exc.mark.col, "", str(exc))]) from None
    except yamlio.YamlSyntaxError as exc:
        raise CatalogError([located(file, exc.mark.line, exc.mark.col, "", str(exc))]) from None
    if not isinstance(data, dict):
        raise CatalogError([located(file, 1, 1, "", "the catalog must be a YAML mapping")])
    try:
        catalog = Catalog.model_validate(data)
    except ValidationError as exc:
        errors = [_locate(file, pos, e) for e in exc.errors()]  # type: ignore[arg-type]
        raise CatalogError(errors) from None
    found = catalog_rules.problems(catalog)
    if found:
        raise CatalogError(
            [located(file, *_mark(pos, loc), dotted(loc), msg) for loc, msg in found]
        )
    return catalog


def _mark(pos: yamlio.Positions, loc: tuple[Any, ...]) -> tuple[int, int]:
    # An entry of a mapping keyed by name (a cluster's ``components``) is shown at its key.
    keyed = len(loc) >= 2 and loc[-2] == "components" and isinstance(loc[-1], str)
    mark = pos.of_key(loc) if keyed else pos.of_value(loc)
    return mark.line, mark.col


def not_found(path: Path) -> KfbootError:
    """No catalog: say where kfboot looked and how to start (a newcomer runs it anywhere)."""
    where = Path.cwd() / path if not path.is_absolute() else path
    return KfbootError(
        f"{shown_path(path)}: catalog not found (looked for {where}); run kfboot in the "
        "directory that holds waves.yaml, point at it with --catalog FILE, or start one with "
        "'kfboot init'"
    )


# Far above any real catalog (the default one is ~15 KB); /dev/zero or a huge file stops here.
MAX_CATALOG = 16 << 20


def read_catalog_bytes(path: Path) -> bytes:
    """The catalog file's bytes: a regular file (a symlink to one is fine) of bounded size.

    A FIFO would block and ``/dev/zero`` would fill memory, so neither is read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise not_found(path) from None
    except OSError as exc:
        raise KfbootError(f"{shown_path(path)}: cannot read catalog: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise KfbootError(f"{shown_path(path)}: is not a regular file; kfboot never reads one")
        raw = handle.read(MAX_CATALOG + 1)
    if len(raw) > MAX_CATALOG:
        raise KfbootError(f"{shown_path(path)}: larger than {MAX_CATALOG >> 20} MiB; not a catalog")
    return raw


def load_catalog(path: Path) -> Catalog:
    """Read and validate the catalog file at ``path``."""
    raw = read_catalog_bytes(path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CatalogError(
            [located(path.name, 1, 1, "", f"not UTF-8 text: {exc.reason}")]
        ) from None
    return parse_catalog(text, file=shown_path(path))
