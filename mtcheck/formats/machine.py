"""Machine-readable lint output: JSON, SARIF 2.1.0, JUnit XML, CSV."""
from __future__ import annotations

import csv
import io
import json
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from mtcheck import __version__
from mtcheck.findings import FINDING_FIELDS
from mtcheck.formats.text import escape
from mtcheck.lint import LintResult

JSON_SCHEMA_VERSION = 1
LOCATION_FIELDS = ("path", "column", "end_line", "end_column", "fingerprint")


def to_json(result: LintResult) -> str:
    """``{"version", "tool", "findings": [...], "summary": {...}}`` (schema in the README)."""
    c = result.counts()
    data = {
        "version": JSON_SCHEMA_VERSION,
        "tool": {"name": "mtcheck", "version": __version__},
        "findings": [loc.record() for loc in result.located],
        "summary": {"documents": len(result.documents), "findings": len(result.located),
                    "errors": c["error"], "warnings": c["warning"], "infos": c["info"],
                    "suppressed": result.suppressed},
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def to_sarif(result: LintResult) -> str:
    """SARIF 2.1.0: one rule per check, results with physical locations."""
    rules = []
    index = {}
    for k, check in enumerate(result.checks):
        cls = type(check)
        doc = (cls.__doc__ or "").strip()
        index[cls.code] = k
        rules.append({
            "id": cls.code,
            "name": cls.name,
            "shortDescription": {"text": cls.description()},
            "fullDescription": {"text": " ".join(doc.split())},
            "defaultConfiguration": {"level": _SARIF_LEVEL[str(check.level)]},
            "help": {"text": doc},
        })
    results = []
    for loc in result.located:
        f = loc.finding
        res = {
            "ruleId": f.code,
            "level": _SARIF_LEVEL[str(f.severity)],
            "message": {"text": f.message + (f" (suggestion: {f.suggestion})" if f.suggestion else "")},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": loc.path.replace("\\", "/")},
                "region": {"startLine": loc.line, "startColumn": loc.column, "endLine": loc.end_line,
                           "endColumn": loc.end_column + 1, "snippet": {"text": f.text}},
            }}],
            "partialFingerprints": {"mtcheck/v1": loc.fingerprint},
        }
        if f.code in index:
            res["ruleIndex"] = index[f.code]
        results.append(res)
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "mtcheck", "version": __version__,
                                "informationUri": "https://pypi.org/project/mtcheck/", "rules": rules}},
            "results": results,
            "columnKind": "unicodeCodePoints",
        }],
    }
    return json.dumps(log, ensure_ascii=False, indent=1) + "\n"


def to_junit(result: LintResult) -> str:
    """JUnit XML: one test case per document, a failure per finding at or above warning."""
    by_doc: dict[str, list] = {}
    for loc in result.located:
        by_doc.setdefault(loc.path, []).append(loc)
    paths = list(dict.fromkeys(p for p, _ in result.documents))
    failures = sum(1 for p in paths if by_doc.get(p))
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<testsuites name="mtcheck" tests="{len(paths)}" failures="{failures}">',
           f'  <testsuite name="mtcheck" tests="{len(paths)}" failures="{failures}" errors="0">']
    for p in paths:
        locs = by_doc.get(p, [])
        out.append(f'    <testcase classname="mtcheck" name={quoteattr(p)}>')
        if locs:
            body = "\n".join(f"{loc.line}:{loc.column}: {loc.finding.code} [{loc.finding.severity}] "
                             f"{escape(loc.finding.message)}" for loc in locs)
            msg = f"{len(locs)} finding{'s' if len(locs) != 1 else ''}"
            out.append(f'      <failure message={quoteattr(msg)} type="mtcheck">{xml_escape(body)}</failure>')
        out.append("    </testcase>")
    out += ["  </testsuite>", "</testsuites>"]
    return "\n".join(out) + "\n"


def to_csv(result: LintResult) -> str:
    """The findings.csv columns."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(FINDING_FIELDS), lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    from mtcheck.report import neutralise

    for loc in result.located:
        rec = loc.finding.to_dict()
        w.writerow(rec if result.raw_csv else {k: neutralise(v) for k, v in rec.items()})
    return buf.getvalue()
