"""Module-level graphs that are built when a test first reads them, not when the module is imported.

pytest-xdist has every worker collect (import) every test module, so a graph built at import time is built once
per worker even where that worker runs none of the module's tests. ``GRAPH = lazy_list(lambda: deploy(FULL))``
reads like the list it stands for (iteration, ``len``, indexing, ``in``, ``==``, ``+``), built once on first use.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Sequence, Set
from typing import Any, TypeVar, overload

T = TypeVar("T")


class LazyList(Sequence[T]):
    """A list computed on first use by ``factory``, then kept."""

    def __init__(self, factory: Callable[[], Sequence[T]]) -> None:
        self._factory = functools.cache(factory)

    @property
    def value(self) -> Sequence[T]:
        return self._factory()

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[T]: ...
    def __getitem__(self, index: int | slice) -> T | Sequence[T]:
        return self.value[index]

    def __len__(self) -> int:
        return len(self.value)

    def __iter__(self) -> Iterator[T]:
        return iter(self.value)

    def __eq__(self, other: object) -> bool:
        return list(self.value) == list(other.value if isinstance(other, LazyList) else other)  # type: ignore[call-overload]

    __hash__ = None  # type: ignore[assignment]

    def __add__(self, other: Sequence[T]) -> list[T]:
        return [*self.value, *other]

    def __radd__(self, other: Sequence[T]) -> list[T]:
        return [*other, *self.value]


class LazySet(Set[T]):
    """A set computed on first use by ``factory``, then kept."""

    def __init__(self, factory: Callable[[], Set[T]]) -> None:
        self._factory = functools.cache(factory)

    @classmethod
    def _from_iterable(cls, it: Iterable[Any]) -> set[Any]:
        """What ``|``, ``&``, ``-`` return: a plain set (the Set mixins would build another LazySet)."""
        return set(it)

    @property
    def value(self) -> Set[T]:
        return self._factory()

    def __contains__(self, item: Any) -> bool:
        return item in self.value

    def __iter__(self) -> Iterator[T]:
        return iter(self.value)

    def __len__(self) -> int:
        return len(self.value)


def lazy_list(factory: Callable[[], Sequence[T]]) -> LazyList[T]:
    return LazyList(factory)


def lazy_set(factory: Callable[[], Set[T]]) -> LazySet[T]:
    return LazySet(factory)
