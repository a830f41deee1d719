"""Synthesis time and provisioning critical path of a shipped stack.

    python benchmarks/synthesis.py [stack] [--runs N]

1. Synthesis: runs the real program (components) under Pulumi's mock runtime, and an SDK
   floor, alternately in one process under the same mocks; reports medians and the ratio. The
   floor registers, at the root of the stack, each custom resource the program registered: the
   same type and name, its recorded inputs as plain values, and the aliases the SDK's class adds
   (azure-native aliases its API versions). It registers no component, passes no Output, so it
   waits on nothing, and sets no other option: what any program of this graph pays the SDK.
2. Critical path: the longest chain of dependencies through the registered graph, weighted by
   typical provisioning minutes per resource type and per install step (estimates, below), and how many
   VMs lie on it. ``--install`` switches the install phase on (``software.install: true`` with example
   media), so the path runs up to Persistent Chat's services started. The Azure quickstart that installs
   a Skype for Business Server 2015 lab quotes about 2 h 35 min for one Standard Edition server; here every
   server installs in parallel, so the path holds one server's install, the pool's databases and one start.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import pulumi
from pulumi.runtime import rpc

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lync_pchat import stackfile
from lync_pchat.offline.engine import run
from lync_pchat.offline.synthesis import offline_config
from lync_pchat.program import run as program

MINUTES = {
    "azure-native:resources:ResourceGroup": 0.1,
    "azure-native:network:VirtualNetwork": 0.3,
    "azure-native:network:Subnet": 0.2,
    "azure-native:network:NetworkSecurityGroup": 0.2,
    "azure-native:network:VirtualNetworkPeering": 0.3,
    "azure-native:network:NetworkInterface": 0.2,
    "azure-native:compute:AvailabilitySet": 0.1,
    "azure-native:compute:Disk": 0.3,
    "azure-native:compute:VirtualMachine": 6.0,
    "azure-native:compute:VirtualMachineExtension": 8.0,
    "azure-native:sqlvirtualmachine:SqlVirtualMachine": 5.0,
    "azure-native:keyvault:Vault": 1.0,
    "azure-native:keyvault:Secret": 0.1,
}
"""Typical minutes to create each type (estimates; extensions include the bootstrap script)."""
RUN_COMMAND = "azure-native:compute:VirtualMachineRunCommandByVirtualMachine"
STEP_MINUTES = {"pchat-install": 75.0, "pchat-update": 25.0, "pchat-databases": 20.0, "pchat-start": 15.0}
"""Typical minutes of each install Run Command (estimates): copying the media and installing prerequisites,
core components, the local store, the roles and a certificate; the cumulative update; installing mgc (and
mgccomp) with mirroring; starting the services."""
EXAMPLE_SOFTWARE = {
    "install": True,
    "mediaUri": "https://contosomedia.blob.core.windows.net/media/lync2013/",
    "storageAccountId": "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-media/providers/"
    "Microsoft.Storage/storageAccounts/contosomedia",
    "updateInstaller": "LyncServerUpdateInstaller.exe",
    "certificateAuthority": "dc01.corp.contoso.com\\CORP-DC01-CA",
    "setupUser": "CORP\\lyncsetup",
}
"""What ``--install`` adds to a stack that has no ``software`` block."""


def minutes_of(request: Any) -> float:
    """The estimate of one registered resource: per install step for Run Commands, else per type."""
    if request.type == RUN_COMMAND:
        return next((m for step, m in STEP_MINUTES.items() if request.name.endswith(step)), 0.0)
    if request.type == "time:index/sleep:Sleep":
        return 5.0
    return MINUTES.get(request.type, 0.0)


def config_of(stack: str, *, install: bool = False) -> dict[str, Any]:
    config = offline_config(stackfile.load_config(stackfile.stack_path(stack)))
    if install:
        topology = dict(config["pchat:topology"])
        topology["software"] = {**topology.get("software", EXAMPLE_SOFTWARE), "install": True}
        topology.setdefault("domainJoin", {"user": "CORP\\svc-domainjoin"})
        config["pchat:topology"] = topology
    return config


def timed(fn: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def sdk_aliases(config: dict[str, Any]) -> dict[str, list[Any]]:
    """The aliases each generated SDK class adds to its type (azure-native lists its API versions)."""
    found: dict[str, list[Any]] = {}
    original = pulumi.CustomResource.__init__

    def spy(self: Any, t: str, name: str, props: Any = None, opts: Any = None, *args: Any, **kwargs: Any) -> None:
        if opts is not None and opts.aliases:
            found[t] = list(opts.aliases)
        original(self, t, name, props, opts, *args, **kwargs)

    pulumi.CustomResource.__init__ = spy  # type: ignore[method-assign]
    try:
        run(program, config)
    finally:
        pulumi.CustomResource.__init__ = original  # type: ignore[method-assign]
    return found


def flat_program(requests: list[Any], aliases: dict[str, list[Any]]) -> Any:
    """The SDK floor of this graph: each recorded custom resource registered at the root with its
    recorded inputs (plain values) and its SDK class's aliases; no components, Outputs or other options."""
    specs = [(r.type, r.name, rpc.deserialize_properties(r.object)) for r in requests if r.custom]

    def register() -> None:
        for type_, name, props in specs:
            pulumi.CustomResource(type_, name, props, pulumi.ResourceOptions(aliases=aliases.get(type_)))

    return register


def critical_path(requests: list[Any]) -> tuple[float, list[str]]:
    """Longest weighted dependency chain, as (minutes, [type::name ...])."""
    nodes = {f"{r.type}::{r.name}": r for r in requests}

    def tail(urn: str) -> str:
        return urn.rsplit("$", 1)[-1] if "$" in urn else urn.split("::", 2)[-1]

    memo: dict[str, tuple[float, list[str]]] = {}

    def longest(key: str) -> tuple[float, list[str]]:
        if key not in memo:
            request = nodes[key]
            best: tuple[float, list[str]] = (0.0, [])
            for dep in request.dependencies:
                if tail(dep) in nodes:
                    best = max(best, longest(tail(dep)), key=lambda x: x[0])
            memo[key] = (best[0] + minutes_of(request), [*best[1], key])
        return memo[key]

    return max((longest(k) for k in nodes), key=lambda x: x[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("stack", nargs="?", default="enterprise")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--install", action="store_true", help="with the install phase on (software.install)")
    args = parser.parse_args()
    config = config_of(args.stack, install=args.install)
    _, monitor = run(program, config)
    requests = monitor.registered
    floor = flat_program(requests, sdk_aliases(config))
    ours, flats = [], []
    for _ in range(args.runs):
        ours.append(timed(lambda: run(program, config))[0])
        flats.append(timed(lambda: run(floor, {}))[0])
    custom = sum(1 for r in requests if r.custom)
    mine, base = statistics.median(ours), statistics.median(flats)
    minutes, path = critical_path(requests)
    nodes = {f"{r.type}::{r.name}": r for r in requests}
    vms = [p for p in path if p.startswith("azure-native:compute:VirtualMachine::")]
    print(f"stack {args.stack}: {len(requests)} resources ({custom} custom, {len(requests) - custom} components)")
    print(f"synthesis, median of {args.runs}: program {mine:.2f} s, SDK floor {base:.2f} s, ratio {mine / base:.2f}x")
    print(f"critical path: {minutes:.1f} min = {minutes / 60:.1f} h (estimates), {len(vms)} VM(s) on it:")
    for step in path:
        print(f"  {step}  ({minutes_of(nodes[step]):.1f} min)")


if __name__ == "__main__":
    main()
