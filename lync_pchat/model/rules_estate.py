"""Rules on what the stack takes from the customer's estate: existing subnets, the hub, a route table,
a key vault, and the Lync Server 2013 media and accounts of the install phase."""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator
from ipaddress import IPv4Network
from urllib.parse import unquote

from . import arm
from .addressing import BLOCK, RESERVED_BLOCKS, parse_network
from .config import SiteConfig, TopologyConfig
from .errors import Problem
from .text import encoded_control, is_fqdn, is_ipv4

MIN_SUBNET_PREFIX = 27
"""A /27 holds one block of static addresses beside the ones Azure reserves (addressing.py)."""
BLOB_URL = re.compile(
    r"https://(?P<account>[a-z0-9]{3,24})\.blob\.core\.windows\.net/(?P<container>[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62})(?:/[^?#]*)?"
)
"""The HTTPS URL of a folder in a blob container, without a query (no SAS token)."""
CERTIFICATE_AUTHORITY = re.compile(r"(?P<host>[^\\]+)\\(?P<name>[A-Za-z0-9][A-Za-z0-9 ._-]{0,63})")
"""``<CA server FQDN>\\<CA name>``, as ``Request-CsCertificate -CA`` takes it [PS:Request-CsCertificate]."""
DOMAIN_ACCOUNT = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,14}\\[A-Za-z0-9][A-Za-z0-9._-]{0,19}")
"""``DOMAIN\\user``: NetBIOS domain (15 characters) and sAMAccountName (20), the form SQL Server's
``CREATE LOGIN ... FROM WINDOWS`` and ``net localgroup`` take."""
INSTALLER = re.compile(r"(?:[A-Za-z0-9][A-Za-z0-9 ._()-]{0,63}/){0,4}[A-Za-z0-9][A-Za-z0-9 ._()-]{0,127}\.exe", re.I)
"""An installer's path under mediaUri: up to four folders, each name starting with a letter or digit (so never
``..``), then the ``.exe``."""


def existing_networks(cfg: TopologyConfig) -> Iterator[Problem]:
    """Existing subnets inside the site's address space, apart from each other, large enough."""
    for key, site in cfg.sites.items():
        existing = site.existing_network
        if existing is None:
            continue
        path = f"sites.{key}.existingNetwork"
        space = _network(site.address_space)
        prefixes: dict[str, IPv4Network] = {}
        for subnet, subnet_id, prefix in (
            ("pchat", existing.pchat_subnet_id, existing.pchat_subnet_prefix),
            ("sql", existing.sql_subnet_id, existing.sql_subnet_prefix),
        ):
            if not arm.SUBNET.matches(subnet_id):
                yield Problem(f"{path}.{subnet}SubnetId", arm.SUBNET.problem(subnet_id))
            network = yield from _subnet(f"{path}.{subnet}SubnetPrefix", prefix, space, key)
            if network is not None:
                prefixes[subnet] = network
        if len(prefixes) == 2 and prefixes["pchat"].overlaps(prefixes["sql"]):
            yield Problem(f"{path}.sqlSubnetPrefix", f"{prefixes['sql']} overlaps the pchat subnet {prefixes['pchat']}")
        if existing.pchat_subnet_id.lower() == existing.sql_subnet_id.lower():
            yield Problem(f"{path}.sqlSubnetId", "the SQL Servers need a subnet of their own, apart from the pchat one")
        if site.route_table_id is not None:
            yield Problem(
                f"sites.{key}.routeTableId",
                "applies to the subnets this project creates; with existingNetwork, route your own subnets",
            )
        if site.hub_virtual_network_id is not None:
            yield Problem(
                f"sites.{key}.hubVirtualNetworkId",
                "peers the virtual network this project creates with the hub; with existingNetwork, your network "
                "and its peerings are yours",
            )


def _subnet(path: str, text: str, space: IPv4Network | None, site: str) -> Generator[Problem, None, IPv4Network | None]:
    network = _network(text)
    if network is None:
        yield Problem(path, f"{text!r} is not an IPv4 network such as 10.10.0.0/24")
        return None
    if space is not None and not network.subnet_of(space):
        yield Problem(path, f"{network} is outside the address space {space} of site {site!r}")
    if network.prefixlen > MIN_SUBNET_PREFIX:
        yield Problem(
            path,
            f"{network} is too small: a subnet holds the pools' blocks of {BLOCK} static addresses beside the first "
            f"and last {RESERVED_BLOCKS // 2} blocks that Azure reserves, so at least a /{MIN_SUBNET_PREFIX}",
        )
    return network


def _network(text: str) -> IPv4Network | None:
    try:
        return parse_network(text)
    except ValueError:
        return None


def estate_ids(cfg: TopologyConfig) -> Iterator[Problem]:
    """The hub, route table and key vault are named by their resource ids."""
    for key, site in cfg.sites.items():
        yield from _site_ids(f"sites.{key}", site)
    if cfg.key_vault_id is not None and not arm.KEY_VAULT.matches(cfg.key_vault_id):
        yield Problem("keyVaultId", arm.KEY_VAULT.problem(cfg.key_vault_id))


def _site_ids(path: str, site: SiteConfig) -> Iterator[Problem]:
    if site.hub_virtual_network_id is not None and not arm.VIRTUAL_NETWORK.matches(site.hub_virtual_network_id):
        yield Problem(f"{path}.hubVirtualNetworkId", arm.VIRTUAL_NETWORK.problem(site.hub_virtual_network_id))
    if site.use_hub_gateway and site.hub_virtual_network_id is None:
        yield Problem(f"{path}.useHubGateway", "uses the gateway of the hub: set hubVirtualNetworkId")
    if site.route_table_id is not None and not arm.ROUTE_TABLE.matches(site.route_table_id):
        yield Problem(f"{path}.routeTableId", arm.ROUTE_TABLE.problem(site.route_table_id))


def software(cfg: TopologyConfig) -> Iterator[Problem]:
    """What the install phase needs: the media, readable without a shared secret, a CA and an account."""
    sw = cfg.software
    if not sw.install:
        return
    required = {
        "mediaUri": sw.media_uri,
        "storageAccountId": sw.storage_account_id,
        "certificateAuthority": sw.certificate_authority,
        "setupUser": sw.setup_user,
    }
    for name, value in required.items():
        if value is None:
            yield Problem(f"software.{name}", "install: true needs it (see the README, Installing Lync Server)")
    if cfg.domain_join is None:
        yield Problem(
            "software.install",
            "the installation runs as a domain account after the servers join the domain: set domainJoin",
        )
    yield from _media(sw.media_uri, sw.storage_account_id)
    yield from _accounts(cfg)


DOT_SEGMENTS = "https://www.rfc-editor.org/rfc/rfc3986#section-5.2.4"
"""Remove Dot Segments: a client resolves ``.`` and ``..`` before it asks, so they reach another folder."""


def dot_segment(uri: str) -> bool:
    """Whether the path of ``uri``, percent escapes decoded and ``\\`` read as ``/`` (as .NET's Uri does), has a
    ``.`` or ``..`` segment."""
    path = unquote(uri.partition("?")[0].partition("#")[0].partition("://")[2])
    return any(part in (".", "..") for part in re.split(r"[/\\]", path))


def _media(uri: str | None, account_id: str | None) -> Iterator[Problem]:
    control = encoded_control(uri) if uri else None
    if control is not None:
        yield Problem(
            "software.mediaUri",
            f"a percent escape decodes to U+{ord(control):04X}, a control or invisible character: "
            "every config value is one line of plain text",
        )
    found = BLOB_URL.fullmatch(uri) if uri and control is None else None
    if uri is not None and found is not None and dot_segment(uri):
        yield Problem(
            "software.mediaUri",
            f"{uri.partition('?')[0][:200]!r} has a '.' or '..' segment (also as %2e): name the media folder as it "
            "is, not relative to another",
            DOT_SEGMENTS,
        )
        found = None
    elif uri is not None and control is None and found is None:
        secret = " with no query: no SAS token" if "?" in uri else ""
        yield Problem(
            "software.mediaUri",
            f"{uri.partition('?')[0][:200]!r} is not the https URL of a folder in a blob container{secret} "
            "(https://<account>.blob.core.windows.net/<container>/<folder>/); each server reads the media with "
            "its managed identity",
        )
    if account_id is not None and not arm.STORAGE_ACCOUNT.matches(account_id):
        yield Problem("software.storageAccountId", arm.STORAGE_ACCOUNT.problem(account_id))
    elif found is not None and account_id is not None and arm.name_of(account_id) != found["account"]:
        yield Problem(
            "software.storageAccountId",
            f"names the account {arm.name_of(account_id)!r}, but mediaUri is in {found['account']!r}",
        )


def _accounts(cfg: TopologyConfig) -> Iterator[Problem]:
    sw = cfg.software
    ca = CERTIFICATE_AUTHORITY.fullmatch(sw.certificate_authority or "")
    if sw.certificate_authority is not None and (ca is None or not is_fqdn(ca["host"])):
        yield Problem(
            "software.certificateAuthority",
            f"{sw.certificate_authority!r} is not '<CA server FQDN>\\<CA name>' as certutil shows the CA's config, "
            "e.g. dc01.corp.contoso.com\\CORP-DC01-CA",
        )
    if sw.setup_user is not None and not DOMAIN_ACCOUNT.fullmatch(sw.setup_user):
        yield Problem(
            "software.setupUser",
            f"{sw.setup_user!r} is not a domain account DOMAIN\\user, the form SQL Server logins and local groups take",
        )
    if sw.dns_server is not None and not (is_fqdn(sw.dns_server) or is_ipv4(sw.dns_server)):
        yield Problem("software.dnsServer", f"{sw.dns_server!r} is not a DNS server's FQDN or IPv4 address")
    if sw.update_installer is not None and not INSTALLER.fullmatch(sw.update_installer):
        yield Problem(
            "software.updateInstaller",
            f"{sw.update_installer!r} is not the path of an installer under mediaUri, e.g. "
            "LyncServerUpdateInstaller.exe or cu2023-02/LyncServerUpdateInstaller.exe",
        )


RULES = (existing_networks, estate_ids, software)
