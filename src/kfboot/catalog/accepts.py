"""Whether the catalog accepts a value for one field: imported data is checked before it is used."""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError


@cache
def _adapter(model: type[BaseModel], name: str) -> TypeAdapter[Any]:
    info = model.model_fields[name]
    annotation: Any = info.annotation
    if info.metadata:
        annotation = Annotated[(annotation, *info.metadata)]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return TypeAdapter(annotation)
    return TypeAdapter(annotation, config=ConfigDict(strict=True))


def fits(model: type[BaseModel], name: str, value: Any) -> bool:
    """Whether ``model`` accepts ``value`` as its field ``name`` (hand-written input may be odd)."""
    try:
        _adapter(model, name).validate_python(value)
    except ValidationError:
        return False
    return True
