"""The base class of every catalog model (strict, unknown keys rejected, immutable).

It lives apart from :mod:`kfboot.catalog.models` so that models in other modules of the package
(:mod:`kfboot.catalog.sources_models`) share it without an import cycle.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    """Base for every catalog model: strict types, unknown keys rejected, immutable."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=False)
