"""A script packed for a command line or a setting: gzip without a timestamp (the same script is the same
text), then base64."""

from __future__ import annotations

import base64
import gzip


def pack(script: str) -> str:
    """``script`` gzip-compressed (``mtime=0``) and base64-encoded."""
    return base64.b64encode(gzip.compress(script.encode("utf-8"), mtime=0)).decode("ascii")


def unpack(packed: str) -> str:
    """The script :func:`pack` packed."""
    return gzip.decompress(base64.b64decode(packed)).decode("utf-8")


def launcher(script: str) -> str:
    """A one-line PowerShell stub that unpacks the packed ``script`` and runs it."""
    return (
        "$b=[Convert]::FromBase64String('" + pack(script) + "');"
        "$z=New-Object IO.Compression.GzipStream((New-Object IO.MemoryStream(,$b)),"
        "[IO.Compression.CompressionMode]::Decompress);"
        "$t=(New-Object IO.StreamReader($z,[Text.Encoding]::UTF8)).ReadToEnd();"
        "& ([scriptblock]::Create($t))"
    )
