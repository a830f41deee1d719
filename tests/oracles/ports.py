"""The documented ports, as the product documentation tables list them: the oracle of the NSG tests.

Transcribed from ``shared/reference/lync-install.md`` §5 and ``persistent-chat.md`` §7, which quote
[L:lync-server-2013-ports-and-protocols-for-internal-servers] (Gg398833),
[L:lync-server-2013-components-and-topologies-for-persistent-chat-server] (Gg398500),
[L:lync-server-2013-understanding-firewall-requirements-for-sql-server] (Gg425818) and
[L:lync-server-2013-deploying-sql-mirroring-for-back-end-server-high-availability] (JJ204992).
Each entry: (protocol, port or range) -> why, with its source.
"""

from __future__ import annotations

FRONT_END = {
    ("Tcp", "5061"): "Front-End: server-to-server SIP (MTLS), client SIP (TLS) [Gg398833]",
    ("Tcp", "5060"): "Front-End: optional static routes to trusted services [Gg398833]",
    ("Tcp", "444"): "Front-End: Focus to servers, SBA to Front End [Gg398833]",
    ("Tcp", "135"): "Front-End: DCOM/RPC for moving users, User Replicator, Address Book [Gg398833]",
    ("Tcp", "80"): "Web Compatibility: HTTP [Gg398833]",
    ("Tcp", "443"): "Web Compatibility and Mobility: HTTPS [Gg398833]",
    ("Tcp", "8080"): "Web Compatibility: web components, external access [Gg398833]",
    ("Tcp", "4443"): "Web server: from the reverse proxy, inter-pool Autodiscover [Gg398833]",
    ("Tcp", "8060"): "Web server (MTLS) [Gg398833]",
    ("Tcp", "8061"): "Web server (MTLS) [Gg398833]",
    ("Tcp", "5086"): "Mobility: internal SIP (MTLS) [Gg398833]",
    ("Tcp", "5087"): "Mobility: internal SIP (MTLS) [Gg398833]",
    ("Tcp", "5062"): "IM Conferencing: SIP [Gg398833]",
    ("Tcp", "8057"): "Web Conferencing: PSOM from clients (TLS) [Gg398833]",
    ("Tcp", "8058"): "Web Conferencing Compatibility [Gg398833]",
    ("Tcp", "5063"): "A/V Conferencing: SIP [Gg398833]",
    ("Tcp", "5065"): "Application Sharing: SIP [Gg398833]",
    ("Tcp", "5064"): "Conferencing Attendant: dial-in [Gg398833]",
    ("Tcp", "5072"): "Conferencing Attendant [Gg398833]",
    ("Tcp", "5073"): "Announcement [Gg398833]",
    ("Tcp", "5075"): "Call Park [Gg398833]",
    ("Tcp", "5076"): "Audio Test [Gg398833]",
    ("Tcp", "5071"): "Response Group: SIP [Gg398833]",
    ("Tcp", "8404"): "Response Group (MTLS) [Gg398833]",
    ("Tcp", "5066"): "outbound E9-1-1 gateway [Gg398833]",
    ("Tcp", "5080"): "Bandwidth Policy: call admission control [Gg398833]",
    ("Tcp", "448"): "Bandwidth Policy: call admission control [Gg398833]",
    ("Tcp", "5070"): "Mediation (collocated): from the Front End [Gg398833]",
    ("Tcp", "5067"): "Mediation (collocated): from/to the PSTN gateway [Gg398833]",
    ("Tcp", "5068"): "Mediation (collocated) [Gg398833]",
    ("Tcp", "5081"): "Mediation (collocated) [Gg398833]",
    ("Tcp", "5082"): "Mediation (collocated) [Gg398833]",
    ("Tcp", "445"): "Master Replicator: pushes configuration from the Central Management store [Gg398833]",
    ("Udp", "1434"): "SQL Browser (all servers): the local replicated CMS copy [Gg398833]",
    ("*", "49152-65535"): "A/V Conferencing, Application Sharing: audio, video and sharing media [Gg398833]",
}
"""A Front End or Standard Edition server (lync-install.md §5.1)."""
FRONT_END_NOT_OPENED = {
    ("Tcp", "5060"): "optional: only for static routes to trusted services, which this project does not set",
    ("Tcp", "5066"): "outbound: the Front End connects to the E9-1-1 gateway",
}
"""Rows of the table that describe no inbound traffic this project needs."""

PERSISTENT_CHAT = {
    ("Tcp", "5041"): "Persistent Chat SIP (MTLS), the Topology Builder default, from the next hop [Gg398833, JJ205049]",
    ("Tcp", "881"): "Persistent Chat WCF (TLS and MTLS) [Gg398833]",
    ("Tcp", "8011"): "between the servers of a pool, and administration [Gg398500]",
    ("Tcp", "445"): "Master Replicator: configuration from the Central Management store [Gg398833]",
}
"""A Persistent Chat Front End Server (lync-install.md §5.2); its 443 row is the file transfer service of
the Front End's web services, and its 1434 row the local replica, which takes no remote connection on a
server that is not a Standard Edition server [L:lync-server-2013-hardening-and-protecting-databases]."""

SQL_SERVER = {
    ("Tcp", "1433"): "SQL Server default instance, from the Front End pool and the pool servers [Gg425818]",
    ("Udp", "1434"): "SQL Server Browser [Gg425818]",
    ("Tcp", "5022"): "mirroring endpoint, Topology Builder default [JJ204992]",
    ("Tcp", "7022"): "witness endpoint, Topology Builder default [JJ204992]",
    ("Tcp", "135"): "WMI (RPC endpoint mapper) that Install-CsMirrorDatabase uses [JJ204992, WINPORTS]",
    ("Tcp", "49152-65535"): "WMI (dynamic RPC) that Install-CsMirrorDatabase uses [JJ204992, WINPORTS]",
    ("Tcp", "445"): "the mirroring and log-shipping file shares (UNC) [JJ204992, required resources item 5]",
}
"""A SQL Server of the Persistent Chat stores (lync-install.md §5.3)."""

RDP = {("Tcp", "3389"): "Remote Desktop, from the management range only"}


def opened(protocol: str, ports: tuple[str, ...]) -> set[tuple[str, str]]:
    """The (protocol, port) pairs a rule opens; ``*`` (TCP and UDP) opens each port for both."""
    protocols = ("Tcp", "Udp") if protocol == "*" else (protocol,)
    return {(p, port) for p in protocols for port in ports}


def documented(table: dict[tuple[str, str], str]) -> set[tuple[str, str]]:
    """The (protocol, port) pairs a table documents, ``*`` rows as TCP and UDP."""
    return {pair for (protocol, port) in table for pair in opened(protocol, (port,))}
