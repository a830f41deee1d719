"""Validators for names and strings an admin types: FQDNs, UNC paths, user names."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable
from urllib.parse import unquote

from .config import UNSAFE_CATEGORIES
from .time_zones import WINDOWS_TIME_ZONES

_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)", re.IGNORECASE | re.ASCII)
_COMPUTER_NAME = re.compile(r"(?!-)(?![0-9]+\Z)[a-z0-9-]{1,15}", re.IGNORECASE | re.ASCII)
_SQL_INSTANCE = re.compile(r"[a-z_][a-z0-9_$]{0,15}", re.IGNORECASE | re.ASCII)
_UNC = re.compile(r"\\\\[a-z0-9.-]+\\[^\\/:*?\"<>|]+(\\[^\\/:*?\"<>|]+)*", re.IGNORECASE | re.ASCII)
_LYNC_SITE = re.compile(r"[a-z0-9][a-z0-9 ._-]{0,63}", re.IGNORECASE | re.ASCII)
_SIP_URI = re.compile(r"sip:(?P<user>[^@\s]+)@(?P<domain>[^@\s]+)", re.IGNORECASE | re.ASCII)
_DN = re.compile(r"(?:(?:CN|OU)=(?:[^,=\\]|\\.)+,)*DC=[a-z0-9-]+(?:,DC=[a-z0-9-]+)+", re.IGNORECASE | re.ASCII)
_HTTPS_URL = re.compile(r"https://(?P<host>[^/?#@\s]+)(?:[/?#]\S*)?", re.IGNORECASE | re.ASCII)
_DIGITS = re.compile(r"[0-9]+", re.ASCII)
"""Each validator matches the whole value (``fullmatch``): nothing may trail a valid name. Every pattern is
ASCII-only (``re.ASCII``): under ``re.IGNORECASE`` alone, ``[a-z]`` also matches the Kelvin sign and the long
s, which lowercase into another ASCII name, and ``str.isdigit`` is true for ``'²'``."""

RESERVED_ADMIN_NAMES = frozenset(
    {
        "administrator",
        "admin",
        "user",
        "user1",
        "test",
        "user2",
        "test1",
        "user3",
        "admin1",
        "1",
        "123",
        "a",
        "actuser",
        "adm",
        "admin2",
        "aspnet",
        "backup",
        "console",
        "david",
        "guest",
        "john",
        "owner",
        "root",
        "server",
        "sql",
        "support",
        "support_388945a0",
        "sys",
        "test2",
        "test3",
        "user4",
        "user5",
    }
)
"""User names Azure refuses for a Windows VM administrator [AZ:windows/faq]."""
_ADMIN_FORBIDDEN = set('\\/"[]:|<>+=;,?*@ ')


def is_digits(text: str) -> bool:
    """ASCII digits only, at least one: what Windows, DNS and Azure read as a number."""
    return bool(_DIGITS.fullmatch(text))


def encoded_control(text: str) -> str | None:
    """The first control or invisible character that a percent escape in ``text`` decodes to (``%0d``), or None."""
    decoded = unquote(text, errors="replace") if "%" in text else ""
    return next((c for c in decoded if unicodedata.category(c) in UNSAFE_CATEGORIES), None)


def is_fqdn(text: str, *, min_labels: int = 2) -> bool:
    labels = text.split(".")
    return (
        len(text) <= 253
        and len(labels) >= min_labels
        and all(_LABEL.fullmatch(label) for label in labels)
        and not is_digits(labels[-1])
    )


def is_computer_name(text: str) -> bool:
    """A NetBIOS-compatible Windows computer name: at most 15 characters."""
    return bool(_COMPUTER_NAME.fullmatch(text))


def is_sql_instance_name(text: str) -> bool:
    return bool(_SQL_INSTANCE.fullmatch(text))


def sql_store_pattern() -> str:
    """A whole-value regular expression, read alike by Python and .NET (case-insensitive there, as PowerShell's
    ``-match``), for ``<FQDN>\\<instance>`` or a default instance's ``<FQDN>``: the same labels and instance names
    as :func:`is_fqdn` and :func:`is_sql_instance_name` accept."""
    return rf"^{_LABEL.pattern}(\.{_LABEL.pattern})+(\\{_SQL_INSTANCE.pattern})?$"


def is_ipv4(text: str) -> bool:
    """A dotted-quad IPv4 address, without leading zeros."""
    parts = text.split(".")
    return len(parts) == 4 and all(is_digits(p) and str(int(p)) == p and int(p) < 256 for p in parts)


def is_lync_site_name(text: str) -> bool:
    return bool(_LYNC_SITE.fullmatch(text))


def is_unc_path(text: str) -> bool:
    return bool(_UNC.fullmatch(text))


def is_principal(text: str) -> bool:
    """A Persistent Chat category member: a SIP URI (``sip:user@domain``) or the AD distinguished name of a
    user, group or OU (``OU=IT,DC=contoso,DC=com``) [PS:Set-CsPersistentChatCategory]."""
    sip = _SIP_URI.fullmatch(text)
    return bool(sip and is_fqdn(sip.group("domain"))) or bool(_DN.fullmatch(text))


def is_https_url(text: str) -> bool:
    """An absolute https URL whose host is an FQDN (with an optional port)."""
    url = _HTTPS_URL.fullmatch(text)
    if url is None or encoded_control(text) is not None:
        return False
    host, _, port = url.group("host").partition(":")
    return is_fqdn(host) and (not port or (is_digits(port) and len(port) <= 5 and 0 < int(port) < 65536))


def is_time_zone_id(text: str) -> bool:
    """A Windows time zone id (``UTC``, ``W. Europe Standard Time``), as ``tzutil /l`` lists them."""
    return text in WINDOWS_TIME_ZONES


def time_zone_problem(text: str) -> str:
    """Why ``text`` is not a Windows time zone id, with the ids it resembles."""
    hint = did_you_mean(text, WINDOWS_TIME_ZONES, n=3, fold=str.lower)
    hint = hint or "e.g. 'UTC', 'GMT Standard Time' or 'W. Europe Standard Time'"
    return f"{text!r} is not a Windows time zone id (tzutil /l lists them); {hint}"


def admin_name_problem(name: str) -> str | None:
    """Why Azure would refuse ``name`` as a Windows administrator, or None."""
    if name.lower() in RESERVED_ADMIN_NAMES:
        return f"{name!r} is a reserved administrator name on Azure; choose another, e.g. 'lyncadmin'"
    if not 1 <= len(name) <= 20:
        return f"{name!r} must be 1 to 20 characters long for a Windows VM administrator"
    if set(name) & _ADMIN_FORBIDDEN or name.endswith("."):
        return f"{name!r} contains characters Windows does not allow in a user name"
    return None


def did_you_mean(
    word: str, choices: Iterable[str], *, n: int = 1, cutoff: float = 0.6, fold: Callable[[str], str] = str,
    after: str = "",
) -> str:  # fmt: skip
    """``did you mean 'a' or 'b'?`` (then ``after``) for the ``choices`` that ``word`` resembles, compared as
    ``fold`` makes them: the one equal to it alone, else up to ``n`` close ones (``difflib`` ratio at least
    ``cutoff``), best first; nothing when none is. The one "did you mean" of every message."""
    folded: dict[str, str] = {}
    for choice in sorted(choices):
        folded.setdefault(fold(choice), choice)
    key = fold(word)
    close = [key] if key in folded else difflib.get_close_matches(key, list(folded), n=n, cutoff=cutoff)
    return f"did you mean {' or '.join(repr(folded[c]) for c in close)}?{after}" if close else ""
