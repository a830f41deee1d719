"""How big ``plan.json`` is, and what the SDK's versioned aliases would add back.

    python scripts/plan_size.py [STACK ...]

Per stack: the bytes of the plan as ``pchat plan`` writes it, of its aliases, and of the plan with every
alias the engine derives (what it held before issue 19).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lync_pchat import stackfile
from lync_pchat.offline import render
from lync_pchat.offline.synthesis import synthesize_stack


def sizes(stack: str) -> tuple[int, int, int]:
    """(plan.json bytes, of which aliases, plan.json bytes with every derived alias)."""
    synthesis = synthesize_stack(stack, stackfile.read(stack))
    data = render.plan_json(synthesis)
    written = len(render.dumps(data).encode())
    aliases = sum(len(render.dumps({"a": r["aliases"]})) for r in data["resources"])
    every = {r.urn: list(r.aliases) for r in synthesis.resources}
    for resource in data["resources"]:
        resource["aliases"] = every[resource["urn"]]
    return written, aliases, len(render.dumps(data).encode())


def main(argv: list[str]) -> int:
    print(f"{'stack':<12} {'plan.json':>12} {'aliases':>12} {'all aliases':>14}")
    for stack in argv or stackfile.stack_names():
        written, aliases, before = sizes(stack)
        print(f"{stack:<12} {written:>12,} {aliases:>12,} {before:>14,}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
