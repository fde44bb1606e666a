"""SARIF 2.1.0 and JUnit XML: the reporters CI systems read, beside check's text/json/github
(``kfboot check --format sarif|junit`` uses them too).

SARIF (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html) is what GitHub and
GitLab code scanning upload: one run, the rules that fired with their docs from the registry,
one result per finding with its ``ruleId``, ``level`` and ``physicalLocation`` (the file, and a
``region`` at line and column when it has one). JUnit XML is what CI test tabs show: one
testsuite, one testcase per file judged (a ``failure`` per error, warnings as ``system-out``).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import PurePath
from typing import ClassVar

from kfboot import __version__
from kfboot.check.rules.registry import BY_ID
from kfboot.findings import REPORTER_BY_NAME, Finding, Report, Reporter, counts

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _uri(file: str) -> str:
    return PurePath(file).as_posix()


def _rule(rule_id: str) -> dict[str, object]:
    rule = BY_ID[rule_id]
    return {
        "id": rule.id,
        "shortDescription": {"text": rule.what},
        "fullDescription": {"text": rule.why},
        "helpUri": rule.link,
        "help": {"text": rule.fix},
        "defaultConfiguration": {"level": rule.severity},
    }


def _result(finding: Finding, index: int) -> dict[str, object]:
    location: dict[str, object] = {"artifactLocation": {"uri": _uri(finding.file)}}
    if finding.line:
        location["region"] = {"startLine": finding.line, "startColumn": max(finding.col, 1)}
    return {
        "ruleId": finding.rule,
        "ruleIndex": index,
        "level": finding.severity,
        "message": {"text": finding.shown},
        "locations": [{"physicalLocation": location}],
    }


class SarifReporter(Reporter):
    name: ClassVar[str] = "sarif"

    def format(self, report: Report) -> str:
        ordered = sorted(report.findings)
        ids = sorted({f.rule for f in ordered})
        index = {rule_id: i for i, rule_id in enumerate(ids)}
        run = {
            "tool": {
                "driver": {
                    "name": "kfboot",
                    "version": __version__,
                    "informationUri": "https://github.com/kubeflow/manifests",
                    "rules": [_rule(rule_id) for rule_id in ids],
                }
            },
            "results": [_result(f, index[f.rule]) for f in ordered],
        }
        doc = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


class JunitReporter(Reporter):
    name: ClassVar[str] = "junit"

    def format(self, report: Report) -> str:
        by_file: dict[str, list[Finding]] = {}
        for finding in sorted(report.findings):
            by_file.setdefault(finding.file, []).append(finding)
        files = report.extra.get("files")
        for file in files if isinstance(files, list) else []:
            by_file.setdefault(str(file), [])
        errors, _ = counts(report.findings)
        command = str(report.extra.get("command", "lint"))  # check uses it too
        suite = ET.Element(
            "testsuite",
            name=f"kfboot {command}",
            tests=str(len(by_file)),
            failures=str(
                sum(1 for fs in by_file.values() if any(f.severity == "error" for f in fs))
            ),
            errors="0",
        )
        for file in sorted(by_file):
            case = ET.SubElement(suite, "testcase", classname=f"kfboot.{command}", name=file)
            for finding in by_file[file]:
                if finding.severity == "error":
                    failure = ET.SubElement(
                        case, "failure", type=finding.rule, message=finding.shown
                    )
                    failure.text = finding.text()
            warnings = [f.text() for f in by_file[file] if f.severity == "warning"]
            if warnings:
                ET.SubElement(case, "system-out").text = "\n".join(warnings)
        suites = ET.Element("testsuites", name="kfboot", tests=suite.get("tests", "0"))
        suites.set("failures", str(errors))
        suites.append(suite)
        ET.indent(suites)
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, "unicode") + "\n"


LINT_REPORTERS: dict[str, type[Reporter]] = {
    **REPORTER_BY_NAME,
    SarifReporter.name: SarifReporter,
    JunitReporter.name: JunitReporter,
}
LINT_FORMATS = tuple(LINT_REPORTERS)
