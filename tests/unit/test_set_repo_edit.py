"""The in-place scalar splice behind set-repo: every byte but the edited value stays."""

from __future__ import annotations

import string

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kfboot import yamledit, yamlio
from kfboot.catalog import gitrefs
from kfboot.errors import KfbootError
from kfboot.yamledit import Edit

NEW = "https://github.com/acme/kubeflow-manifests.git"


def _apply(text: str, *edits: Edit) -> str:
    new, _ = yamledit.apply(text, list(edits))
    yamledit.verify(text, new, list(edits))
    return new


def _swap(text: str, old: str, new: str) -> str:
    """``text`` with the one occurrence of ``old`` replaced: the expected byte-for-byte result."""
    assert text.count(old) == 1, old
    return text.replace(old, new)


@pytest.mark.parametrize(
    ("old_style", "value", "written"),
    [
        ("plain", "release-1.0", "release-1.0"),
        ("plain", "26.03", '"26.03"'),  # plain 26.03 is a float
        ("plain", "1.10", '"1.10"'),  # plain 1.10 is the float 1.1
        ("plain", "on", '"on"'),  # YAML 1.1 boolean
        ("plain", "y", '"y"'),
        ("plain", "null", '"null"'),
        ("plain", "0o17", '"0o17"'),
        ("plain", "a#b", '"a#b"'),
        ("single", "26.03", "'26.03'"),
        ("single", "it's", "'it''s'"),
        ("single", "v1\u2028x", '"v1\\u2028x"'),  # no escapes in single quotes
        ("double", "release-1.0", '"release-1.0"'),
        ("double", 'say"hi', '"say\\"hi"'),
    ],
)
def test_quoting_style_kept_unless_it_would_misread(
    old_style: str, value: str, written: str
) -> None:
    old = {"plain": "main", "single": "'main'", "double": '"main"'}[old_style]
    text = f"repoURL: x  # repo\ntargetRevision: {old}  # the branch\nn: 1\n"
    new = _apply(text, Edit(("targetRevision",), value))
    assert new == f"repoURL: x  # repo\ntargetRevision: {written}  # the branch\nn: 1\n"
    assert yaml.safe_load(new)["targetRevision"] == value


CATALOG_CRLF = (
    "\ufeff# caf\u00e9 \U0001f600 catalog\r\n"
    "\r\n"
    "repoURL:     'https://github.com/old/repo.git'    # end-of-line comment\r\n"
    'targetRevision: "v1"\r\n'
    "waves:\r\n"
    "-   wave: 0   # unusual indentation\r\n"
    '    label: "Z\u00fcrich"\r\n'
    "components:\r\n"
    "-   {name: a, wave: 0, namespace: kubeflow, paths: [x/y], repoURL: https://github.com/old/repo}\r\n"
)


def test_crlf_bom_non_ascii_and_flow_mapping_byte_for_byte() -> None:
    new = _apply(
        CATALOG_CRLF,
        Edit(("repoURL",), NEW),
        Edit(("targetRevision",), "26.03"),
        Edit(("components", 0, "repoURL"), NEW),
    )
    expected = _swap(CATALOG_CRLF, "'https://github.com/old/repo.git'", f"'{NEW}'")
    expected = _swap(expected, '"v1"', '"26.03"')
    expected = _swap(expected, "repoURL: https://github.com/old/repo}", f"repoURL: {NEW}}}")
    assert new == expected


def test_absent_key_inserted_after_sibling_with_its_indent_and_line_break() -> None:
    text = "# top\r\nroot:\r\n    repoURL: x   # keep me\r\n    other: 1\r\n"
    new, done = yamledit.apply(text, [Edit(("root", "targetRevision"), "1.10", after="repoURL")])
    assert new == (
        "# top\r\nroot:\r\n    repoURL: x   # keep me\r\n"
        '    targetRevision: "1.10"\r\n    other: 1\r\n'
    )
    assert [(d.action, d.line) for d in done] == [("inserted", 4)]


def test_insert_into_a_file_without_final_line_break_keeps_it_so() -> None:
    new = _apply("a: 1\nrepoURL: x", Edit(("targetRevision",), "dev", after="repoURL"))
    assert new == "a: 1\nrepoURL: x\ntargetRevision: dev"


def test_insert_without_sibling_goes_above_the_first_key_and_its_comments() -> None:
    text = "# file header\r\n\r\n  # about a\r\n# more\r\na: 1\r\n"
    new, done = yamledit.apply(
        text, [Edit(("repoURL",), NEW), Edit(("targetRevision",), "v2", after="repoURL")]
    )
    assert new == (
        f"# file header\r\n\r\nrepoURL: {NEW}\r\ntargetRevision: v2\r\n  # about a\r\n# more\r\n"
        "a: 1\r\n"
    )
    assert [(d.action, d.line) for d in done] == [("inserted", 3), ("inserted", 4)]


def test_multi_line_plain_scalar_is_replaced_whole() -> None:
    text = "repoURL:\n  https://github.com/old/repo.git\nn: 1\n"
    assert _apply(text, Edit(("repoURL",), NEW)) == f"repoURL:\n  {NEW}\nn: 1\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("repoURL: &r https://x/a/b\nn: *r\n", "carries a YAML anchor or tag"),
        ("repoURL: !!str https://x/a/b\n", "carries a YAML anchor or tag"),
        ("repoURL: |\n  https://x/a/b\n", "is a block scalar"),
        ("repoURL: 12\n", "is not a string"),
        ("repoURL: [a]\n", "is not a string"),
        ("{a: 1}\n", "would go into a flow mapping"),
        ("- a\n", "the document is not a YAML mapping"),
    ],
)
def test_refused_edits(text: str, message: str) -> None:
    with pytest.raises(KfbootError, match=message):
        yamledit.apply(text, [Edit(("repoURL",), NEW)])


def test_verify_catches_a_change_elsewhere() -> None:
    with pytest.raises(KfbootError, match="does not read back as intended"):
        yamledit.verify("a: x\nb: 1\n", "a: y\nb: 2\n", [Edit(("a",), "y")])


def test_verify_catches_a_value_that_reads_back_as_another_type() -> None:
    with pytest.raises(KfbootError, match="does not read back as intended"):
        yamledit.verify("a: x\n", "a: 26.03\n", [Edit(("a",), "26.03")])


def test_has_key() -> None:
    assert yamledit.has_key("a:\n  b: 1\n", "a", "b")
    assert not yamledit.has_key("a:\n  b: 1\n", "a", "c")
    assert not yamledit.has_key("a: 1\n", "a", "b")


# Characters git allows in a ref name, including ones YAML cares about.
_REV_CHARS = string.ascii_letters + string.digits + "-_./#'\"!%&,{}@+=|>`$"
revisions = st.text(
    st.sampled_from(list(_REV_CHARS)) | st.characters(min_codepoint=0xA0, max_codepoint=0x2FFF),
    min_size=1,
    max_size=30,
).filter(lambda rev: gitrefs.revision_problem(rev) is None)

TEMPLATE = "# c\nrepoURL: https://x/a/b  # eol\ntargetRevision: {old}   # eol\nlast: [1, 2]\n"


@settings(max_examples=300, deadline=None)
@given(rev=revisions, old=st.sampled_from(["main", "'main'", '"main"']))
def test_any_valid_revision_round_trips_and_nothing_else_moves(rev: str, old: str) -> None:
    text = TEMPLATE.format(old=old)
    new = _apply(text, Edit(("targetRevision",), rev))
    data, _ = yamlio.load_with_positions(new)
    assert data == {"repoURL": "https://x/a/b", "targetRevision": rev, "last": [1, 2]}
    head, tail = text.split(old, 1)
    assert new.startswith(head) and new.endswith(tail)
    # Quoted only when it must be (or when it was).
    written = new[len(head) : len(new) - len(tail)]
    assert (written == rev) == (old == "main" and yamlio.is_plain_safe(rev))


_SEGMENT = st.text(string.ascii_lowercase + string.digits + "-_.", min_size=1, max_size=12).filter(
    lambda s: s not in (".", "..")
)
_HOSTS = st.sampled_from(["github.com", "gitlab.example.org", "git.internal:8443"])


@st.composite
def repo_urls(draw: st.DrawFn) -> str:
    host, org, repo = draw(_HOSTS), draw(_SEGMENT), draw(_SEGMENT)
    form = draw(st.sampled_from(["https", "ssh", "scp"]))
    if form == "https":
        return f"https://{host}/{org}/{repo}"
    if form == "ssh":
        return f"ssh://git@{host}/{org}/{repo}.git"
    return f"git@{host.split(':')[0]}:{org}/{repo}.git"


@settings(max_examples=200, deadline=None)
@given(url=repo_urls())
def test_any_accepted_url_form_round_trips(url: str) -> None:
    assert gitrefs.repo_url_problem(url) is None
    text = "repoURL: https://github.com/old/repo.git   # eol\n"
    new = _apply(text, Edit(("repoURL",), url))
    assert yaml.safe_load(new) == {"repoURL": url}
    assert new.endswith("   # eol\n")
