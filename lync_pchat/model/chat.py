"""What a pool offers its users once it runs: room categories and add-ins, as the configure runbook sets them."""

from __future__ import annotations

from dataclasses import dataclass

from .config import AddInConfig, CategoryConfig


@dataclass(frozen=True)
class CategoryPlan:
    """A room category and who may join and create its rooms [L:manage-categories]."""

    name: str
    description: str | None
    allowed_members: tuple[str, ...]
    denied_members: tuple[str, ...]
    creators: tuple[str, ...]
    invitations: bool
    file_upload: bool
    chat_history: bool


@dataclass(frozen=True)
class AddInPlan:
    """An add-in: the web page a room can show [L:manage-add-ins]."""

    name: str
    url: str


def categories(configured: dict[str, CategoryConfig]) -> tuple[CategoryPlan, ...]:
    return tuple(
        CategoryPlan(
            name,
            c.description,
            c.allowed_members,
            c.denied_members,
            c.creators,
            c.invitations,
            c.file_upload,
            c.chat_history,
        )
        for name, c in configured.items()
    )


def add_ins(configured: dict[str, AddInConfig]) -> tuple[AddInPlan, ...]:
    return tuple(AddInPlan(name, a.url) for name, a in configured.items())
