"""The plan's topology summary names the product and the images its servers run."""

from __future__ import annotations

from lync_pchat.model import plan_topology
from lync_pchat.report import summary

from .model.configs import changed, enterprise


def test_the_summary_names_the_product_and_its_images() -> None:
    lync = summary(plan_topology(enterprise()), "s").splitlines()
    assert lync[1] == (
        "Product: Lync Server 2013 (lync2013); images: Windows "
        "MicrosoftWindowsServer/WindowsServer/2012-R2-Datacenter, "
        "SQL MicrosoftSQLServer/SQL2014SP3-WS2012R2"
    )
    skype = summary(plan_topology(changed(enterprise(), product="skype2015")), "s").splitlines()
    assert skype[1] == (
        "Product: Skype for Business Server 2015 (skype2015); images: Windows "
        "MicrosoftWindowsServer/WindowsServer/2019-Datacenter, SQL MicrosoftSQLServer/sql2019-ws2019"
    )
