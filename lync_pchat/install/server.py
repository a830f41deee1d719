"""Phase A on each Persistent Chat and Standard Edition server: media, core components, local store, replica,
the roles of the published topology, and the certificate."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import unquote, urlsplit

from ..model import Plan, ServerPlan
from ..model import needs as n
from ..model.ports import HTTPS
from ..scripting import Value
from . import product, setup_facts, supervisor
from .scripts import render

SCRIPT = "Install-LyncServer.ps1"
TOPOLOGY_WAIT = 60
"""Minutes phase A waits for its server in the published topology: long enough to publish a server added to a
running pool while pulumi up runs, well inside the phase's four hours."""


def server_script(server: ServerPlan, plan: Plan) -> str:
    """The phase A script of ``server`` (active, standby or Standard Edition)."""
    setup_facts.installs_lync(server)
    software = setup_facts.software(plan)
    container_url, prefix = media_location(software.media_uri)
    standard = setup_facts.is_standard_edition(server)
    settings: dict[str, Value] = {
        "ComputerFqdn": server.fqdn,
        "Product": product.settings(plan),
        "PoolFqdn": plan.pool(server.pool).fqdn,
        "TopologyWaitMinutes": TOPOLOGY_WAIT,
        "State": supervisor.state_path(supervisor.INSTALL.name),
        "MediaContainerUrl": container_url,
        "MediaPrefix": prefix,
        "MediaFolder": setup_facts.media_folder(server),
        "LogFolder": setup_facts.log_folder(server),
        "Features": list(server.windows_features),
        "Packages": [_package(p) for p in setup_facts.CORE_PACKAGES],
        "UpdateBeforeSetup": _update_before_setup(server, plan),
        "Roles": list(setup_facts.STANDARD_EDITION_ROLES if standard else setup_facts.PCHAT_ROLES),
        "CertificateAuthority": software.certificate_authority,
        "CertificateTemplate": software.certificate_template,
        "CertificateTypes": list(
            setup_facts.STANDARD_EDITION_CERTIFICATES if standard else setup_facts.PCHAT_CERTIFICATES
        ),
    }
    return render(SCRIPT, settings)


def _update_before_setup(server: ServerPlan, plan: Plan) -> str | None:
    """The update installer phase A runs after the core components and before the Deployment Wizard's steps, on a
    Windows Server version that needs it (KB4015888); None elsewhere: the update phase installs it after setup."""
    if not product.update_before_setup(server, plan):
        return None
    installer = setup_facts.update_installer(plan)
    if installer is None:
        raise ValueError(f"{server.key} needs software.updateInstaller before setup (KB4015888): none is set")
    return installer


def media_location(media_uri: str) -> tuple[str, str]:
    """(container URL, blob name prefix) of the media folder ``https://<account>.blob.core.windows.net/
    <container>/<folder>/``: List Blobs takes the container URL and the folder as its ``prefix``, unescaped."""
    scheme, _, rest = media_uri.partition("://")
    host, _, path = rest.partition("/")
    container, _, folder = path.partition("/")
    return f"{scheme}://{host}/{container}", unquote(folder)


def _package(package: setup_facts.Package) -> dict[str, Value]:
    return {"Name": package.name, "Path": package.path, "DisplayName": package.display_name}


def needs(server: ServerPlan, plan: Plan) -> Iterator[n.Need]:
    """Phase A's connections outside the stack's NSGs: the media from Blob Storage with the VM's identity, and the
    online certificate request to the enterprise CA (RPC/DCOM: 135 and the dynamic range [lync-install.md 1.4])."""
    software = setup_facts.software(plan)
    origin = n.Origin(supervisor.INSTALL.name, server.key, n.SETUP)
    yield origin.to(urlsplit(software.media_uri).netloc, HTTPS, "the installation media")
    yield from origin.rpc(software.certificate_authority.split("\\")[0], "Request-CsCertificate -Online")
