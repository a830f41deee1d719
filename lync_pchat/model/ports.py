"""Every port the project opens or connects to: the one definition that the NSG rules, the host firewall and the
needs model use. Each from the port tables in ``shared/reference/lync-install.md`` §5 (Gg398833, Gg398500,
Gg425818, JJ204992) and, for the Windows services, [WINPORTS] (KB 832017)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Port:
    """A protocol (``Tcp``, ``Udp`` or ``*``, as an NSG rule names it) and a port or ``low-high`` range."""

    protocol: str
    number: str

    def __str__(self) -> str:
        return f"{self.protocol.lower()}/{self.number}"

    @property
    def bounds(self) -> tuple[int, int]:
        low, _, high = self.number.partition("-")
        return int(low), int(high or low)


DYNAMIC_RPC = "49152-65535"
"""The dynamic RPC range of Windows Server 2008 and later [WINPORTS]."""
SQL = Port("Tcp", "1433")
"""SQL Server's default instance [Gg425818] (lync-install.md §5.3)."""
SQL_BROWSER = Port("Udp", "1434")
"""SQL Server Browser, which a client of a named instance asks for its port [Gg425818]."""
SMB = Port("Tcp", "445")
"""SMB: file shares, and the RPC of SAMR (local groups) and the Service Control Manager over named pipes
[WINPORTS]; CMS replication [Gg398833]."""
RPC = Port("Tcp", "135")
"""The RPC endpoint mapper of WMI and DCOM [WINPORTS]."""
RPC_DYNAMIC = Port("Tcp", DYNAMIC_RPC)
"""Where the endpoint mapper sends a WMI or DCOM call [WINPORTS]."""
MIRRORING = Port("Tcp", "5022")
"""The database mirroring endpoint of a partner, Topology Builder's default [JJ204992]."""
WITNESS = Port("Tcp", "7022")
"""The witness's mirroring endpoint, Topology Builder's default [JJ204992]."""
WCF = Port("Tcp", "881")
"""Persistent Chat WCF [Gg398833]."""
PCHAT = Port("Tcp", "8011")
"""Between the servers of a Persistent Chat pool, and administration [Gg398500]."""
RDP = Port("Tcp", "3389")
"""Remote Desktop."""
HTTPS = Port("Tcp", "443")
"""HTTPS: Azure Storage, the Run Command service (outbound; no inbound rule of this project's)."""
WINRM = Port("Tcp", "5985")
"""Windows Remote Management over HTTP: Invoke-Command -ComputerName [WINPORTS]."""
