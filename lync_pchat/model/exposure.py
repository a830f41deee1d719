"""The servers' administration and data ports, and the sources that may reach them: one definition for the
model's rules (``extraSecurityRules``, the pool's SIP port) and the policy pack (``pchat-admin-ports-private``)."""

from __future__ import annotations

import ipaddress
from ipaddress import IPv4Network

from .addressing import RFC1918, is_private
from .firewall import VIRTUAL_NETWORK
from .ports import MIRRORING, PCHAT, RDP, RPC, RPC_DYNAMIC, SMB, SQL, SQL_BROWSER, WINRM, WITNESS, Port

RFC1918_URL = "https://www.rfc-editor.org/rfc/rfc1918"
"""Address Allocation for Private Internets: 10/8, 172.16/12, 192.168/16."""
WINRM_HTTPS = Port("Tcp", "5986")
"""Windows Remote Management over HTTPS [WINPORTS]: refused beside WinRM over HTTP, though the project opens neither."""
ADMIN_PORTS: tuple[tuple[str, int, int], ...] = tuple(
    (name, *port.bounds)
    for name, port in (
        ("RDP", RDP),
        ("RPC endpoint mapper", RPC),
        ("SMB", SMB),
        ("SQL Server", SQL),
        ("SQL Server Browser", SQL_BROWSER),
        ("WinRM", Port("Tcp", f"{WINRM.number}-{WINRM_HTTPS.number}")),
        ("database mirroring", MIRRORING),
        ("mirroring witness", WITNESS),
        ("Persistent Chat administration", PCHAT),
        ("dynamic RPC", RPC_DYNAMIC),
    )
)
"""Ports that administer a server or reach its data, by what listens there: RDP, RPC (135 and the dynamic range
of Windows Server 2008 and later), SMB and WinRM [WINPORTS: learn.microsoft.com/troubleshoot/windows-server/
networking/service-overview-and-network-port-requirements]; SQL Server and its Browser [SQL_FIREWALL]; the
mirroring and witness endpoints [SQL_MIRRORING]; Persistent Chat's inter-server and administration 8011 [PORTS]."""
BUT_RDP = tuple(port for port in ADMIN_PORTS if port[0] != "RDP")
"""The admin and data ports whose sources are judged here: an RDP rule other than the project's is refused from any
source (RDP comes only from ``managementCidr``)."""
RESERVED_FOR_SIP = (*ADMIN_PORTS, ("SSH", 22, 22))
"""What the pool's SIP ``port`` may not be: the pool's SIP rule opens it to the Front Ends, so an admin or data
port there opens RDP, SQL or SMB to them; and SSH (22) [WINPORTS]. 881 and 8011 are Persistent Chat's own."""
PRIVATE_SOURCES = ", ".join(str(n) for n in RFC1918) + f" or the {VIRTUAL_NETWORK} tag"


def admin_port(low: int, high: int, ports: tuple[tuple[str, int, int], ...] = ADMIN_PORTS) -> str | None:
    """``'SQL Server (1433)'``: the first of ``ports`` the range ``low``-``high`` covers, else None."""
    for name, first, last in ports:
        if low <= last and first <= high:
            shown = str(first) if first == last else f"{first}-{last}"
            return f"{name} ({shown})"
    return None


def is_private_source(text: str) -> bool:
    """An IPv4 address or range inside RFC 1918, or the ``VirtualNetwork`` tag (the project's own rules use it
    without ``managementCidr``, with a warning); any other tag (``AzureCloud``, ``Internet``, ``*``) is not."""
    if text.strip().lower() == VIRTUAL_NETWORK.lower():
        return True
    try:
        network = ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        return False
    return isinstance(network, IPv4Network) and is_private(network)
