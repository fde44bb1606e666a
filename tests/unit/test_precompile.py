"""The templates compiled ahead of time (kfboot.render.precompile): current, used, and only an
optimisation: a stale or missing module falls back to compiling the source, same output."""

from __future__ import annotations

import jinja2
import pytest

from kfboot.render import precompile, templating
from kfboot.render.templating import COMPILED_DIR, PrecompiledLoader, module_name


def test_committed_modules_are_what_the_templates_compile_to() -> None:
    expected = precompile.expected_modules()
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in COMPILED_DIR.glob("*__*.py")}
    assert sorted(on_disk) == sorted(expected), "run: python -m kfboot.render.precompile"
    for name, text in expected.items():
        # The code itself is compared only when this Jinja generated the committed module; with
        # another Jinja the loader compiles from source anyway, so only the template must match.
        head = text.splitlines()[:5]
        assert on_disk[name].splitlines()[:4] == head[:4], f"{name}: run kfboot.render.precompile"
        if on_disk[name].splitlines()[4] == head[4]:
            assert on_disk[name] == text, f"{name}: run python -m kfboot.render.precompile"


@pytest.mark.parametrize("kind", ["yaml", "make"])
def test_every_template_loads_from_its_compiled_module(
    kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = templating.environment_for(kind)
    loader = env.loader
    assert isinstance(loader, PrecompiledLoader)

    def no_compiling(*_: object, **__: object) -> jinja2.Template:
        raise AssertionError("compiled from source")

    monkeypatch.setattr(loader.fallback, "load", no_compiling)
    for name in templating.template_kinds()[kind]:
        template = loader.load(env, name)
        assert template.filename is not None
        assert template.filename.endswith(f"{module_name(kind, name)}.py")


def test_an_edited_template_is_compiled_from_its_source() -> None:
    # The committed module of application.yaml.j2 records another source's digest.
    fallback = jinja2.DictLoader({"application.yaml.j2": "edited {{ x }}\n"})
    env = jinja2.Environment(loader=PrecompiledLoader(fallback, "yaml"), keep_trailing_newline=True)
    assert env.get_template("application.yaml.j2").render(x=1) == "edited 1\n"


def test_a_template_without_a_module_is_compiled_from_its_source() -> None:
    fallback = jinja2.DictLoader({"new.yaml.j2": "{{ x }}"})
    env = jinja2.Environment(loader=PrecompiledLoader(fallback, "yaml"))
    assert env.get_template("new.yaml.j2").render(x="y") == "y"


def test_another_jinja_version_compiles_from_source(monkeypatch: pytest.MonkeyPatch) -> None:
    env = templating.environment_for("yaml")
    source, _, _ = env.loader.get_source(env, "application.yaml.j2")  # type: ignore[union-attr]
    assert templating._current_module("yaml", "application.yaml.j2", source) is not None
    monkeypatch.setattr(jinja2, "__version__", "0.0.0")
    assert templating._current_module("yaml", "application.yaml.j2", source) is None


def test_compiled_and_source_renders_are_byte_identical(monkeypatch: pytest.MonkeyPatch) -> None:
    from kfboot.catalog.load import load_catalog
    from kfboot.render.tree import render
    from tests.conftest import REPO_ROOT

    catalog = load_catalog(REPO_ROOT / "waves.yaml")
    compiled = render(catalog)
    monkeypatch.setattr(templating, "_current_module", lambda *_: None)
    templating.environment.cache_clear()
    templating.makefile_environment.cache_clear()
    try:
        from_source = render(catalog)
    finally:
        templating.environment.cache_clear()
        templating.makefile_environment.cache_clear()
    assert compiled == from_source
