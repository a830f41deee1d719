"""``pchat diff``: the stacks of the working tree against the same stacks at a git revision.

Everything that can be refused cheaply is checked first (the revision, which stacks exist, every
stack file's YAML on both sides), then both revisions are planned at once: the other revision in
the background (:mod:`.revision`), the working tree here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .. import stackfile
from . import git, sdk
from .diff import Outcome, Refused, StackDiff, diff_stack
from .revision import BackgroundPlans

WORKING_TREE = "working tree"


@dataclass(frozen=True)
class Request:
    stacks: Sequence[str]
    """Stack names; empty: every stack that exists at either revision."""
    ref: str
    repo: Path
    stacks_dir: Path


def diff_revisions(request: Request, say: Callable[[str], None] | None = None) -> list[StackDiff]:
    """Each stack's diff, in the order asked (else by name). Raises ``GitError``, ``PlanError`` or
    ``StackFileError``; a topology the model refuses is a diff of status ``refused``."""
    top = git.toplevel(request.repo)
    commit = git.resolve(top, request.ref)
    folder = _folder(request.stacks_dir, top)
    before = git.stacks_at(top, commit, folder)
    here = stackfile.stack_names(request.stacks_dir)
    stacks = _select(request, before, here)
    configs = {s: stackfile.read(s, request.stacks_dir) for s in stacks if s in here}
    for stack in (s for s in stacks if s in before):  # a broken file at the revision, named as git names it
        path = folder / stackfile.file_name(stack)
        stackfile.parse_config(git.show(top, commit, path), f"{request.ref}:{path}")
    with BackgroundPlans(top, commit, request.ref, folder, say) as background:
        background.start([s for s in stacks if s in before])
        after = {stack: _plan_here(stack, config, say) for stack, config in configs.items()}
        planned = background.results()
    return [diff_stack(s, planned.get(s), after.get(s)) for s in stacks]


def _folder(stacks_dir: Path, top: Path) -> PurePosixPath:
    """The stacks folder relative to the repository root."""
    try:
        return PurePosixPath(stacks_dir.resolve().relative_to(top.resolve()).as_posix())
    except ValueError:
        raise git.GitError(f"the stacks folder {stacks_dir} is not inside the git repository {top}") from None


def _select(request: Request, before: list[str], here: list[str]) -> list[str]:
    known = sorted({*before, *here})
    missing = [s for s in request.stacks if s not in known]
    if missing:
        where = f"{request.stacks_dir} or at {request.ref}"
        raise stackfile.StackFileError(f"no stack '{missing[0]}' in {where} (stacks: {', '.join(known) or 'none'})")
    if not known:
        where = f"{request.stacks_dir} or at {request.ref}"
        raise stackfile.StackFileError(f"no stack files (Pulumi.<stack>.yaml) in {where}: nothing to diff")
    return list(dict.fromkeys(request.stacks)) if request.stacks else known


def _plan_here(stack: str, config: dict[str, object], say: Callable[[str], None] | None) -> Outcome:
    """The working tree's plan of ``stack``, in this process. The program and the engine are imported here, once the
    other revision's plan has started: their import is a good part of a plan, and it overlaps."""
    from ..errors import TopologyConfigError
    from ..model import TopologyError
    from .render import plan_json
    from .synthesis import synthesize_stack

    progress = (lambda line: say(f"[{WORKING_TREE}] {line}")) if say else None
    try:
        return plan_json(synthesize_stack(stack, config, progress))
    except (TopologyError, TopologyConfigError) as error:
        first, *rest = str(error).splitlines()
        return Refused((f"in the {WORKING_TREE}: {first}", *rest))


def sdk_changes(repo: Path, ref: str, root: Path | None = None) -> list[str]:
    """The SDK versions the working tree declares or locks differently from ``ref``, under ``root`` (a
    folder of the repository; default its top): one line each."""
    top = git.toplevel(repo)
    commit = git.resolve(top, ref)
    folder = _folder(root, top) if root is not None else PurePosixPath(".")

    def show(path: PurePosixPath) -> str | None:
        try:
            return git.show(top, commit, path)
        except git.GitError:
            return None

    return sdk.changes(sdk.files_at(show, folder), sdk.files_here(root or top))
