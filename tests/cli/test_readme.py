"""README.md and docs/: the Quickstart that CI runs, generated sections that never go stale, and
a user guide that names every command, option and dependency there is."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kfboot.catalog.load import load_catalog
from kfboot.cli import cli
from kfboot.docs.readme_sections import generated_sections, refresh, stale_sections
from kfboot.errors import KfbootError
from tests.conftest import DEFAULT_CATALOG, REPO_ROOT, Result

README = REPO_ROOT / "README.md"
DOCS = REPO_ROOT / "docs"
QUICKSTART = [
    "python3 -m venv .venv && .venv/bin/pip install -q . && .venv/bin/kfboot render",
    "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' "
    "&& .venv/bin/python -m pytest -q",
]

SECTIONS = {"graph": "G1\nG2\n", "reference": "R\n"}
DOC = (
    "# Title\n"
    "<!-- kfboot:graph:start -->\n"
    "old graph\n"
    "<!-- kfboot:graph:end -->\n"
    "middle\n"
    "<!-- kfboot:reference:start -->\n"
    "<!-- kfboot:reference:end -->\n"
    "tail\n"
)


def _readme() -> str:
    return README.read_text(encoding="utf-8")


def _doc(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def test_quickstart_has_exactly_the_two_commands() -> None:
    # tests/unit/test_project.py checks that CI runs the second one verbatim.
    text = _readme()
    section = text.split("## Quickstart\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", section, re.DOTALL)
    assert [b.strip() for b in blocks] == QUICKSTART


def test_generated_sections_are_up_to_date() -> None:
    from kfboot.render.sidecars import markdown_files

    sections = generated_sections(load_catalog(DEFAULT_CATALOG))
    for path in markdown_files(REPO_ROOT):
        assert stale_sections(path.read_text(encoding="utf-8"), sections) == [], path
    assert sections["graph"] in _doc("concepts.md")
    assert sections["reference"] in _doc("catalog-reference.md")
    assert sections["rules"] in _doc("rules.md")


def test_reference_documents_every_field() -> None:
    from kfboot.catalog import models

    text = _doc("catalog-reference.md")
    for model in (models.Catalog, models.Component, models.Wave, models.Defaults, models.Helm):
        for field in model.model_fields:
            assert f"| `{field}` |" in text, f"{model.__name__}.{field}"


def test_refresh_replaces_only_between_markers() -> None:
    assert refresh(DOC, SECTIONS) == (
        "# Title\n"
        "<!-- kfboot:graph:start -->\n"
        "G1\nG2\n"
        "<!-- kfboot:graph:end -->\n"
        "middle\n"
        "<!-- kfboot:reference:start -->\n"
        "R\n"
        "<!-- kfboot:reference:end -->\n"
        "tail\n"
    )
    assert stale_sections(DOC, SECTIONS) == ["graph", "reference"]
    assert stale_sections(refresh(DOC, SECTIONS), SECTIONS) == []
    assert refresh(refresh(DOC, SECTIONS), SECTIONS) == refresh(DOC, SECTIONS)


def test_text_without_markers_is_left_alone() -> None:
    text = "# README\nMentions `<!-- kfboot:graph:start -->` inline only.\n"
    assert refresh(text, SECTIONS) == text
    assert stale_sections(text, SECTIONS) == []


def test_one_section_alone() -> None:
    text = "a\n<!-- kfboot:reference:start -->\nx\n<!-- kfboot:reference:end -->\n"
    assert stale_sections(text, SECTIONS) == ["reference"]
    assert refresh(text, SECTIONS) == (
        "a\n<!-- kfboot:reference:start -->\nR\n<!-- kfboot:reference:end -->\n"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "<!-- kfboot:graph:start -->\n",
            "README.md: <!-- kfboot:graph:start --> has no <!-- kfboot:graph:end -->",
        ),
        (
            "x\n<!-- kfboot:graph:end -->\n",
            "README.md:2: <!-- kfboot:graph:end --> without its start marker",
        ),
        (
            "<!-- kfboot:graph:start -->\n<!-- kfboot:reference:start -->\n",
            "README.md:2: unexpected <!-- kfboot:reference:start -->",
        ),
        (
            "<!-- kfboot:graph:start -->\n<!-- kfboot:graph:end -->\n"
            "<!-- kfboot:graph:start -->\n<!-- kfboot:graph:end -->\n",
            "README.md:3: unexpected <!-- kfboot:graph:start -->",
        ),
        ("<!-- kfboot:table:start -->\n", "README.md:1: unknown kfboot section 'table'"),
    ],
)
def test_malformed_markers_are_errors(text: str, message: str) -> None:
    with pytest.raises(KfbootError) as info:
        refresh(text, SECTIONS)
    assert info.value.message == message


# --------------------------------------------------------------------------- render and check


@pytest.fixture
def documented(project: Path, kfboot: Callable[..., Result]) -> Path:
    """A project with a README carrying both markers, rendered."""
    (project / "README.md").write_text(DOC)
    assert kfboot("render", cwd=project).exit_code == 0
    return project


def test_render_fills_the_sections(documented: Path) -> None:
    text = (documented / "README.md").read_text()
    sections = generated_sections(load_catalog(documented / "waves.yaml"))
    assert text == refresh(DOC, sections)
    assert text.startswith("# Title\n<!-- kfboot:graph:start -->\n```mermaid\nflowchart TB\n")


def test_check_reports_a_stale_diagram_and_render_fixes_it(
    documented: Path, kfboot: Callable[..., Result]
) -> None:
    assert kfboot("check", cwd=documented).exit_code == 0
    readme = documented / "README.md"
    before = readme.read_text()
    catalog = documented / "waves.yaml"
    catalog.write_text(catalog.read_text().replace("dependsOn: [profiles, admission-webhook]", ""))
    assert kfboot("render", cwd=documented).exit_code == 0
    readme.write_text(before)  # the diagram of the catalog as it was

    result = kfboot("check", cwd=documented)

    assert (result.exit_code, result.stderr) == (1, "")
    line = before.splitlines().index("  c_profiles --> c_jupyter") + 1
    assert _errors(result) == [_stale_graph(line)]
    assert result.stdout.startswith("--- a/README.md\n+++ b/README.md\n")
    assert "\n-  c_profiles --> c_jupyter\n-  c_admission_webhook --> c_jupyter\n" in result.stdout
    rendered = kfboot("render", cwd=documented)
    assert "wrote     README.md\n" in rendered.stdout
    assert kfboot("check", cwd=documented).exit_code == 0
    assert "c_admission_webhook --> c_jupyter" not in readme.read_text()


def test_check_reports_only_the_stale_section(
    documented: Path, kfboot: Callable[..., Result]
) -> None:
    readme = documented / "README.md"
    readme.write_text(
        readme.read_text().replace("c_profiles --> c_katib", "c_katib --> c_profiles")
    )
    result = kfboot("check", cwd=documented)
    assert result.exit_code == 1
    line = readme.read_text().splitlines().index("  c_katib --> c_profiles") + 1
    assert _errors(result) == [_stale_graph(line)]


def _errors(result: Result) -> list[str]:
    return [line for line in result.stdout.splitlines() if "[error]" in line]


def _stale_graph(line: int, file: str = "README.md") -> str:
    return (
        f"{file}:{line}:1: [error] drift: generated section(s) 'graph' out of date with the "
        "catalog (see the diff); run 'kfboot render'"
    )


def test_malformed_markers_fail_render_before_writing(
    project: Path, kfboot: Callable[..., Result]
) -> None:
    (project / "README.md").write_text("<!-- kfboot:graph:start -->\n")
    result = kfboot("render", cwd=project)
    assert result.exit_code == 1
    assert result.stderr == (
        "README.md: <!-- kfboot:graph:start --> has no <!-- kfboot:graph:end -->\n"
    )
    assert sorted(p.name for p in project.iterdir()) == ["README.md", "waves.yaml"]


# --------------------------------------------------------------------------- the user guide


def _command_sections(text: str) -> dict[str, str]:
    """``{name: text}`` of each ``## `kfboot NAME` `` section of docs/commands.md."""
    parts = re.split(r"^###? `kfboot ([a-z-]+)`\n", text, flags=re.MULTILINE)
    return {
        name: body.split("\n## ", 1)[0] for name, body in zip(parts[1::2], parts[2::2], strict=True)
    }


def test_every_command_and_option_is_documented_in_its_section() -> None:
    sections = _command_sections(_doc("commands.md"))
    ctx = click.Context(cli)
    for name, command in cli.commands.items():
        assert name in sections, f"docs/commands.md has no '## `kfboot {name}`' section"
        for param in command.get_params(ctx):
            for opt in param.opts:
                if opt.startswith("-") and opt not in ("-h", "--help"):
                    assert opt in sections[name], f"kfboot {name} {opt}"


def test_every_runtime_dependency_is_explained() -> None:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    section = _doc("development.md").split("## Runtime dependencies\n", 1)[1].split("\n## ", 1)[0]
    for requirement in project["dependencies"]:
        name = re.split(r"[<>=!~ \[]", requirement, maxsplit=1)[0]
        assert re.search(rf"^\| \[{name}\]\(", section, re.IGNORECASE | re.MULTILINE), name


def test_troubleshooting_covers_the_known_problems() -> None:
    headings = re.findall(r"^## (.+)$", _doc("troubleshooting.md"), re.MULTILINE)
    assert headings == [
        '"no healthy upstream" and Pod Security',
        "Webhook certificate errors",
        "CRD not found",
        "OutOfSync: drift that never settles",
        "A failed sync that is never retried",
        "The cluster's root reads an old repository",
        "Stuck deletion (finalizers)",
        "Applications that do not wait",
        "Application stuck in Progressing",
        "`kfboot check` reports drift",
    ]


def _anchors(text: str) -> set[str]:
    """The anchors GitHub gives a Markdown file: explicit ones and one per heading."""
    anchors = set(re.findall(r'<a id="([^"]+)"></a>', text))
    for heading in re.findall(r"^#+ (.+)$", _outside_code(text), re.MULTILINE):
        anchors.add(re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-"))
    return anchors


def _outside_code(text: str) -> str:
    return re.sub(r"^```.*?^```", "", text, flags=re.MULTILINE | re.DOTALL)


@pytest.mark.parametrize("path", [README, *sorted(DOCS.glob("*.md"))], ids=lambda p: p.name)
def test_links_resolve(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for target, anchor in re.findall(r"\]\(([^)#:]*)(?:#([^)]+))?\)", _outside_code(text)):
        linked = (path.parent / target).resolve() if target else path
        assert linked.exists(), (path.name, target)
        if anchor:
            assert anchor in _anchors(linked.read_text(encoding="utf-8")), (path.name, anchor)


@pytest.mark.parametrize(
    ("shell", "marker"),
    [
        ("bash", "_kfboot_completion()"),
        ("zsh", "#compdef kfboot"),
        ("fish", "function _kfboot_completion"),
    ],
)
def test_documented_shell_completion_works(shell: str, marker: str) -> None:
    assert f"_KFBOOT_COMPLETE={shell}_source kfboot" in _doc("commands.md")
    result = CliRunner().invoke(
        cli, [], prog_name="kfboot", env={"_KFBOOT_COMPLETE": f"{shell}_source"}
    )
    assert result.exit_code == 0
    assert marker in result.output


def test_markers_inside_fenced_code_blocks_are_not_markers() -> None:
    shown = (
        "```markdown\n<!-- kfboot:graph:start -->\n<!-- kfboot:graph:end -->\n```\n"
        "~~~~\n<!-- kfboot:table:start -->\n~~~\n<!-- kfboot:graph:start -->\n~~~~\n"
    )
    assert refresh(shown, SECTIONS) == shown
    assert refresh(shown + DOC, SECTIONS) == shown + refresh(DOC, SECTIONS)
    # A fenced block inside a section (the graph's mermaid block) does not hide its end marker.
    fenced = "<!-- kfboot:graph:start -->\n```\nx\n```\n<!-- kfboot:graph:end -->\n"
    assert stale_sections(fenced, SECTIONS) == ["graph"]
    with pytest.raises(KfbootError) as info:
        refresh("```\n```\n<!-- kfboot:graph:end -->\n", SECTIONS)
    assert info.value.message == "README.md:3: <!-- kfboot:graph:end --> without its start marker"


def test_docs_files_are_rendered_and_checked(
    documented: Path, kfboot: Callable[..., Result]
) -> None:
    docs = documented / "docs" / "guide"
    docs.mkdir(parents=True)
    (docs / "graph.md").write_text(DOC)
    (documented / "docs" / "plain.md").write_text("# No markers\n")
    (documented / "docs" / "notes.txt").write_text(DOC)  # not Markdown: never touched

    result = kfboot("check", cwd=documented)

    line = DOC.splitlines().index("old graph") + 1
    assert (result.exit_code, result.stderr) == (1, "")
    assert _errors(result) == [
        f"docs/guide/graph.md:{line}:1: [error] drift: generated section(s) 'graph', "
        "'reference' out of date with the catalog (see the diff); run 'kfboot render'"
    ]
    assert "--- a/docs/guide/graph.md\n+++ b/docs/guide/graph.md\n" in result.stdout
    rendered = kfboot("render", cwd=documented)
    assert "wrote     docs/guide/graph.md\n" in rendered.stdout
    assert (docs / "graph.md").read_text() == (documented / "README.md").read_text()
    assert (documented / "docs" / "plain.md").read_text() == "# No markers\n"
    assert (documented / "docs" / "notes.txt").read_text() == DOC
    assert kfboot("check", cwd=documented).exit_code == 0


def test_marked_sections() -> None:
    from kfboot.docs.readme_sections import marked_sections

    assert marked_sections(DOC) == ["graph", "reference"]
    assert marked_sections("# nothing\n") == []
