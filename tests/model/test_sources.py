"""Every source key kind has one address pattern, shared by the CLI, the runbooks and the policies."""

from __future__ import annotations

import pytest

from lync_pchat.model.sources import url
from lync_pchat.policies.specs import SPECS
from lync_pchat.report import link_sources
from lync_pchat.runbooks import RUNBOOKS

LEARN = "https://learn.microsoft.com/"


@pytest.mark.parametrize(
    ("source", "address"),
    [
        (
            "L:lync-server-2013-deploying-persistent-chat-server",
            "en-us/previous-versions/office/lync-server-2013/lync-server-2013-deploying-persistent-chat-server",
        ),
        ("PS:Set-CsPersistentChatActiveServer", "powershell/module/skype/set-cspersistentchatactiveserver"),
        ("AZ:extensions/custom-script-windows.md", "azure/virtual-machines/extensions/custom-script-windows"),
        ("AZ:sizes", "azure/virtual-machines/sizes"),
        (
            "SfB15:plan-your-deployment/persistent-chat-server/topology.md",
            "en-us/skypeforbusiness/plan-your-deployment/persistent-chat-server/topology",
        ),
        ("LC:microsoft-lync-server-2013.yml", "lifecycle/products/microsoft-lync-server-2013"),
    ],
)
def test_url_of_every_kind(source: str, address: str) -> None:
    assert url(source) == LEARN + address


@pytest.mark.parametrize("source", ["QS-AZ:README.md", "L:", "lync-server-2013-x"])
def test_url_of_an_unknown_key(source: str) -> None:
    with pytest.raises(ValueError, match="is not a source key"):
        url(source)


def test_runbooks_and_policies_use_it() -> None:
    assert all(r.url == url(r.source) for r in RUNBOOKS.values())
    assert all(spec.url == url(spec.source) for spec in SPECS)


def test_tags_in_text_become_addresses_or_links() -> None:
    text = "too small [AZ:sizes]; see [QS-AZ:x]"
    assert link_sources(text) == f"too small ({LEARN}azure/virtual-machines/sizes); see [QS-AZ:x]"
    assert (
        link_sources(text, markdown=True)
        == f"too small ([AZ:sizes]({LEARN}azure/virtual-machines/sizes)); see [QS-AZ:x]"
    )
