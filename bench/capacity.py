"""What it takes to hold a signing rate, from the CPU per operation this run measured.

Per signature a second, at steady state: the petition page the supporter opens, the sign request, the
confirmation mail (worker), the confirmation request, and optionally a letter to each target (worker).
Processes are given 60 % of a core on average, the rest is headroom for peaks, the proxy and the OS.
PostgreSQL and Redis run elsewhere and are not in these figures (on this machine their CPU could not
be told apart from the other engineers' load).
"""

import math

UTILISATION = 0.6

# (figure in the results, scenario that measures it best, the others in order of preference)
SOURCES = {
    "page": ("web CPU per petition page", ["read-while-signing"]),
    "sign": ("web CPU per accepted signature", ["sign", "burst (workers paused)"]),
    "confirm": ("web CPU per confirmation", ["confirm"]),
    "mail": ("worker CPU per confirmation mail", ["burst (workers paused)", "sign"]),
    "letter": ("worker CPU per letter", ["deliver"]),
}


def measured(results: list[dict]) -> dict[str, float]:
    found = {}
    for key, (metric, scenarios) in SOURCES.items():
        for scenario in scenarios:
            value = next(
                (
                    figure["value"]
                    for result in results
                    if result["name"] == scenario
                    for figure in result["figures"]
                    if figure["metric"] == metric and figure["value"] is not None
                ),
                None,
            )
            if value is not None:
                found[key] = value
                break
    return found


def plan(results: list[dict], rates=(1_000, 10_000), letters_per_signature: int = 2) -> list[str]:
    ms = measured(results)
    missing = [key for key in ("page", "sign", "confirm", "mail") if key not in ms]
    if missing:
        return [f"capacity: not computed, this run did not measure {', '.join(missing)}"]
    web_ms = ms["page"] + ms["sign"] + ms["confirm"]
    worker_ms = ms["mail"]
    letter_ms = letters_per_signature * ms.get("letter", 0.0)
    lines = [
        "capacity (CPU per signature: "
        f"web {web_ms:.2f} ms = page {ms['page']:.2f} + sign {ms['sign']:.2f} + confirm {ms['confirm']:.2f}; "
        f"worker {worker_ms:.2f} ms a confirmation mail"
        + (f", {letter_ms:.2f} ms for {letters_per_signature} letters" if "letter" in ms else "")
        + f"; cores at {int(UTILISATION * 100)} % busy)",
    ]
    for rate in rates:
        web = rate * web_ms / 1000 / UTILISATION
        worker = rate * worker_ms / 1000 / UTILISATION
        letters = rate * letter_ms / 1000 / UTILISATION
        lines.append(
            f"  {rate:>6,} signatures/s: web {math.ceil(web)} cores, workers {math.ceil(worker)} cores"
            + (f" (+{math.ceil(letters)} with letters)" if "letter" in ms else "")
        )
    return lines
