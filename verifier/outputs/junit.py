"""The JUnit XML report: valid against the common JUnit schema (Jenkins' ``junit-10.xsd``, which pytest's own output
also follows), one test case per claim and one error test case per file that could not be read."""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET
from pathlib import PurePath

from verifier.model import ClaimResult, RunResult
from verifier.outputs.words import (
    describe,
    expected_refutation_note,
    failure_report,
    location,
    mismatch,
    split_file_error,
    verdict_label,
)

# Characters XML 1.0 cannot carry at all, even escaped.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    return _XML_INVALID.sub("\ufffd", text)


def render_junit(run: RunResult) -> str:
    """JUnit XML: one ``<testsuite name="verify">`` with a ``<testcase>`` per claim; a claim that missed its
    expectation has a ``<failure>`` (or ``<error>`` when its verdict is ``error``) carrying the evidence, and each
    file that could not be read is a test case with an ``<error>``.

    The attributes are those of the common schema: a test case has ``name``, ``classname`` (the file's path,
    dotted) and ``time`` only, its place and verdict go to ``<system-out>``; a cached claim's time is 0 (it took
    no time in this run) and its output says it was cached.
    """
    cases = [_testcase(result) for result in run.results] + [_file_error_case(e) for e in run.file_errors]
    errors = sum(1 for case in cases if case.find("error") is not None)
    failures = sum(1 for case in cases if case.find("failure") is not None)
    counts = {"tests": str(len(cases)), "failures": str(failures), "errors": str(errors)}
    root = ET.Element("testsuites", {"name": "verify", **counts, "time": f"{run.seconds:.3f}"})
    started = time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(time.time() - run.seconds))
    suite = ET.SubElement(root, "testsuite", {"name": "verify", **counts, "skipped": "0",
                                              "time": f"{run.seconds:.3f}", "timestamp": started})
    properties = ET.SubElement(suite, "properties")
    for name, value in (("tool_version", run.tool_version), ("sympy_version", run.sympy_version),
                        ("interrupted", str(run.interrupted).lower())):
        ET.SubElement(properties, "property", {"name": name, "value": _xml_safe(value)})
    suite.extend(cases)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _classname(file: str) -> str:
    """``derivations/q2.toml`` as ``derivations.q2``, the way pytest names a module's test cases."""
    return ".".join(PurePath(file).with_suffix("").parts)


def _testcase(result: ClaimResult) -> ET.Element:
    claim = result.claim
    attrs = {"name": _xml_safe(claim.id), "classname": _xml_safe(_classname(claim.file)),
             "time": "0.000" if result.cached else f"{result.seconds:.3f}"}
    case = ET.Element("testcase", attrs)
    if not result.as_expected:
        tag = "error" if result.verdict == "error" else "failure"
        problem = ET.SubElement(case, tag, {"message": _xml_safe(f"{claim.id}: {mismatch(result)}"),
                                            "type": result.verdict})
        problem.text = _xml_safe("\n".join(failure_report(result)))
    ET.SubElement(case, "system-out").text = _xml_safe(_obligation_log(result))
    return case


def _file_error_case(error: str) -> ET.Element:
    file, _, reason = split_file_error(error)
    case = ET.Element("testcase", {"name": _xml_safe(file or "derivations"),
                                   "classname": _xml_safe(_classname(file) if file else "verify"), "time": "0.000"})
    problem = ET.SubElement(case, "error", {"message": _xml_safe(f"cannot read {file or 'a file'}: {reason}"),
                                            "type": "file error"})
    problem.text = _xml_safe(error)
    return case


def _obligation_log(result: ClaimResult) -> str:
    """The claim's place, title and verdict, then every obligation's verdict and method, one per line."""
    claim = result.claim
    lines = [f"{location(claim.file, claim.line)}: {claim.title}",
             f"verdict: {verdict_label(result)} (expected to {'hold' if claim.expect == 'holds' else 'be refuted'})"]
    if result.cached:
        lines.append(f"cached: settled by an earlier run in {result.seconds:.3f}s")
    for o in result.outcomes:
        line = f"{describe(o)}: {o.verdict}" + (f" ({o.method})" if o.method else "") + f" in {o.seconds:.3f}s"
        if o.sizes:
            line += f" [{o.sizes}]"
        lines.append(f"{line}: {o.obligation.text}")
    if result.verdict == "refuted" and result.as_expected:
        lines.append(f"expected refutation: {expected_refutation_note(result)}")
    return "\n".join(lines)
