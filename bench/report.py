"""One table on stdout, and bench/results.json."""

import json
from pathlib import Path


def _value(figure) -> str:
    value = figure["value"]
    if value is None:
        return "missing"
    if isinstance(value, float):
        value = f"{value:,.1f}" if abs(value) < 100 else f"{value:,.0f}"
    elif isinstance(value, int):
        value = f"{value:,}"
    return f"{value} {figure['unit']}".strip()


def verdict(figure) -> str:
    if not figure["target"]:
        return ""
    if figure["pass"] is None:
        return "MISSING"
    return "pass" if figure["pass"] else "MISS"


def table(results: list[dict], header: str) -> str:
    rows = [("scenario", "figure", "measured", "target", "")]
    for result in results:
        if result["status"] != "ran":
            rows.append((result["name"], result["status"], "", "", result["reason"][:90]))
            continue
        for n, figure in enumerate(result["figures"]):
            rows.append(
                (
                    result["name"] if n == 0 else "",
                    figure["metric"],
                    _value(figure),
                    figure["target"],
                    verdict(figure),
                )
            )
        if result["reason"]:
            rows.append(("", "note: " + result["reason"][:100], "", "", ""))
    widths = [max(len(row[i]) for row in rows if not row[1].startswith("note:") or i > 1) for i in range(5)]
    widths[1] = min(max(len(row[1]) for row in rows if not row[1].startswith("note:")), 44)
    lines = [header, ""]
    for n, row in enumerate(rows):
        if row[1].startswith("note:"):
            lines.append(f"  {'':<{widths[0]}}  {row[1]}")
            continue
        lines.append(
            "  "
            + "  ".join(
                f"{cell:<{widths[i]}}" if i != 2 else f"{cell:>{widths[i]}}" for i, cell in enumerate(row)
            ).rstrip()
        )
        if n == 0:
            lines.append("  " + "  ".join("-" * w for w in widths))
    missed = [(r["name"], f) for r in results for f in r["figures"] if f["target"] and f["pass"] is not True]
    lines.append("")
    lines.append(
        f"  {sum(1 for r in results for f in r['figures'] if f['pass'])} targets met, "
        f"{len(missed)} missed or missing"
        + (": " + "; ".join(f"{name}: {f['metric']}" for name, f in missed) if missed else "")
    )
    return "\n".join(lines)


def write(path: Path, document: dict) -> None:
    path.write_text(json.dumps(document, indent=2, default=str) + "\n")
