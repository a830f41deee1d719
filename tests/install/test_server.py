"""Phase A on the parse tree, against the documented install steps.

Oracles: the ordered steps and their checks [lync-install.md 1.4]; the media items [lync-install.md 1.3]
(QS-AWS, QS-AZ); the IMDS token request of a system-assigned identity for Azure Storage
[AZ:instance-metadata-service.md] and the Storage REST rules for it (bearer token, ``x-ms-version`` 2017-11-09
or later); the certificate table [L:lync-server-2013-certificate-requirements-for-internal-servers].
"""

from __future__ import annotations

import pytest

from lync_pchat import install
from lync_pchat.model import Role, plan_topology

from .. import powershell as ps
from ..model.configs import enterprise
from .support import (
    FULL,
    PLANS,
    STANDARD,
    assert_guarded,
    first_position,
    function,
    installing,
    lync_servers,
    main_block,
    settings,
    step,
    steps,
)

ACTIVE = install.server_script(FULL.server("pchat01-a1"), FULL)
STANDBY = install.server_script(FULL.server("pchat01-s1"), FULL)
SE = install.server_script(STANDARD.pools[0].servers[0], STANDARD)
ALL = [install.server_script(s, p) for p in PLANS for s in lync_servers(p)]

DOCUMENTED_ORDER = [
    "Assert-Prerequisites",  # 1 Windows features (checked: the bootstrap installs them)
    "Install-CorePackage",  # 2 core components
    "/BootstrapLocalMgmt",  # 3 local configuration store
    "Import-CsConfiguration",  # 4 the replica filled
    "Enable-CsReplica",
    '@("/SourceDirectory:',  # 5 the roles of the topology (Bootstrapper without /BootstrapLocalMgmt)
    "Request-CsCertificate",  # 6 certificates
    "Set-CsCertificate",
]
"""[lync-install.md 1.4] steps 1 to 6, each by the command that does it."""


@pytest.mark.parametrize("script", [ACTIVE, STANDBY, SE], ids=["active", "standby", "standard-edition"])
def test_the_steps_run_in_the_documented_order(script: str) -> None:
    positions = []
    for needle in DOCUMENTED_ORDER:
        blocks = [b for _, b in steps(script) if any(needle in ps.text(c.node) for c in ps.commands(b))]
        assert blocks, f"no step runs {needle}"
        positions.append(first_position(blocks[0], needle))
    assert positions == sorted(positions)
    names = [name for name, _ in steps(script)]
    assert names.index("Wait out a pending restart") < names.index("Check the prerequisites")
    assert names.index("Copy the installation media") < names.index("Install the core components")


@pytest.mark.parametrize("script", [ACTIVE, SE], ids=["active", "standard-edition"])
def test_no_lync_role_service_starts_in_phase_a(script: str) -> None:
    """Activation and the start of the services are steps 7 and 8, in phase C; step 4 starts the replica agent."""
    tree = ps.parse(script)
    assert ps.commands(tree, "Enable-CsComputer") == []
    starts = ps.commands(tree, "Start-CsWindowsService")
    assert [ps.text(c.parameters["-name"]) for c in starts if c.parameters.get("-name")] == ["REPLICA"]
    assert len(starts) == 1


@pytest.mark.parametrize("script", [ACTIVE, SE], ids=["active", "standard-edition"])
def test_each_step_is_guarded_by_what_it_checks(script: str) -> None:
    """The guard's condition comes first, the action runs in its else, and the guard's branch says it skips."""
    tree = ps.parse(script)
    pairs = {
        "Install-CorePackage": "Test-CorePackage",
        "Import-CsConfiguration": "Test-ReplicaUpToDate",
        "Enable-CsReplica": "Test-ReplicaUpToDate",
        "Request-CsCertificate": "Test-CertificateAssigned",
        "Set-CsCertificate": "Test-CertificateAssigned",
    }
    attempt = main_block(script)
    for action, guard in pairs.items():
        calls = ps.commands(attempt, action)
        assert len(calls) == (3 if action == "Request-CsCertificate" else 1), action
        assert_guarded(calls[0].node, guard)  # the -Retrieve and -New of the certificate lie within the -List's
    (copy,) = ps.commands(function(script, "Copy-Media"), "Save-MediaFile")
    assert_guarded(copy.node, "Get-MissingMedia")
    assert [ps.text(c.node) for c in ps.commands(step(script, "Copy the installation media"), "Copy-Media")] == [
        "Copy-Media"
    ]
    bootstrapper = [c for c in ps.commands(tree, "Invoke-Native") if "Get-Bootstrapper" in ps.text(c.node)]
    (local,) = [c for c in bootstrapper if "/BootstrapLocalMgmt" in ps.text(c.node)]
    assert_guarded(local.node, "Test-LocalStore")
    (roles,) = [c for c in bootstrapper if "/BootstrapLocalMgmt" not in ps.text(c.node)]
    assert_guarded(roles.node, "Test-RolesInstalled")


def test_the_guards_check_what_the_documentation_names() -> None:
    """Step 3 by its SQL Server Express instance RTCLOCAL and the replica agent; step 4 by
    Get-CsManagementStoreReplicationStatus for this FQDN; step 6 by Get-CsCertificate, which lists only assigned
    certificates; step 5 by the services Get-CsWindowsService lists; the MSIs by their ProductCode."""

    def body(name: str) -> str:
        return ps.text(function(ACTIVE, name))

    assert "'MSSQL$RTCLOCAL'" in body("Test-LocalStore") and "'REPLICA'" in body("Test-LocalStore")
    assert "Get-CsManagementStoreReplicationStatus -ReplicaFqdn $cfg.ComputerFqdn" in body("Test-ReplicaUpToDate")
    assert "Get-CsCertificate -Type $type" in body("Test-CertificateAssigned")
    assert "Get-CsWindowsService" in body("Test-RolesInstalled") and "RoleName" in body("Test-RolesInstalled")
    assert "'ProductCode'" in body("Test-CorePackage") and "'ProductState'" in body("Test-CorePackage")


def test_the_media_is_read_with_the_managed_identity() -> None:
    """IMDS for a system-assigned identity (``Metadata: true``, no proxy), then the Blob REST API with the bearer
    token and ``x-ms-version`` (2017-11-09 or later); List Blobs by prefix, Get Blob per file."""
    tree = ps.parse(ACTIVE)
    (token,) = [
        ps.literal(n.parent)
        for n in ps.of_type(tree, "verbatim_string_characters")
        if "169.254.169.254" in ps.text(n) and n.parent is not None
    ]
    assert token == (
        "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://storage.azure.com/"
    )
    (imds,) = [c for c in ps.commands(tree, "Invoke-Http") if "$ImdsToken" in ps.text(c.node)]
    assert "-noproxy" in imds.parameters and "Metadata = 'true'" in ps.text(imds.parameters["-headers"])  # type: ignore[arg-type]
    headers = function(ACTIVE, "Get-StorageHeaders")
    assert "'Authorization' = \"Bearer $token\"" in ps.text(headers)
    assert "'x-ms-version' = $StorageVersion" in ps.text(headers)
    (version,) = [n for n in ps.of_type(tree, "assignment_expression") if ps.text(n).startswith("$StorageVersion =")]
    assert ps.text(version).split("'")[1] >= "2017-11-09"
    listing = function(ACTIVE, "Get-BlobList")
    assert "'?restype=container&comp=list&prefix='" in ps.text(listing) and "NextMarker" in ps.text(listing)
    http = function(ACTIVE, "Invoke-Http")
    assert "$request.Proxy = $null" in ps.text(http)
    assert "Get-StorageHeaders" in ps.text(function(ACTIVE, "Copy-Media"))


def test_the_media_comes_from_the_configured_folder() -> None:
    values = settings(ACTIVE)
    assert values["MediaContainerUrl"] == "https://media01.blob.core.windows.net/lync"
    assert values["MediaPrefix"] == "Lync2013/"
    data = next(d for d in FULL.server("pchat01-a1").disks if d.name == "data")
    assert values["MediaFolder"].startswith(f"{data.drive_letter}:\\"), "on the NTFS data volume"


def test_the_core_components_are_the_documented_media_items_in_order() -> None:
    """[lync-install.md 1.3]: vcredist_x64.exe, SQLSysClrTypes.msi and SharedManagementObjects.msi in
    Setup\\amd64, then OCSCore.msi and AdminTools.msi in Setup\\amd64\\Setup."""
    packages = settings(ACTIVE)["Packages"]
    assert [p["Path"].lower() for p in packages] == [
        "setup\\amd64\\vcredist_x64.exe",
        "setup\\amd64\\sqlsysclrtypes.msi",
        "setup\\amd64\\sharedmanagementobjects.msi",
        "setup\\amd64\\setup\\ocscore.msi",
        "setup\\amd64\\setup\\admintools.msi",
    ]
    installer = function(ACTIVE, "Install-CorePackage")
    assert "'/i'" in ps.text(installer) and "'/qn'" in ps.text(installer)
    assert "@('/q', '/norestart')" in ps.text(installer)


def test_the_prerequisites_checked_are_the_features_the_bootstrap_installed() -> None:
    for plan in PLANS:
        for server in lync_servers(plan):
            assert settings(install.server_script(server, plan))["Features"] == list(server.windows_features)


def test_certificate_types_per_role() -> None:
    """Default, Web internal and Web external on a Standard Edition server (the certificate table); Default on a
    Persistent Chat server (UNCONFIRMED type, see lync_pchat.install.setup_facts), from the configured CA."""
    assert settings(SE)["CertificateTypes"] == ["Default", "WebServicesInternal", "WebServicesExternal"]
    assert settings(ACTIVE)["CertificateTypes"] == settings(STANDBY)["CertificateTypes"] == ["Default"]
    assert settings(ACTIVE)["CertificateAuthority"] == "dc01.corp.contoso.com\\CORP-DC01-CA"
    (request,) = [c for c in ps.commands(ps.parse(ACTIVE), "Request-CsCertificate") if "-new" in c.parameters]
    assert {"-new", "-type", "-ca", "-computerfqdn", "-keysize"} <= set(request.parameters)
    assert ps.text(request.parameters["-keysize"]) == "2048"  # type: ignore[arg-type]
    assert "-privatekeyexportable" not in request.parameters, "internal servers: private key, non-exportable"


def test_every_server_installs_what_its_role_needs() -> None:
    for plan in PLANS:
        for server in lync_servers(plan):
            values = settings(install.server_script(server, plan))
            assert values["ComputerFqdn"] == server.fqdn
            assert "PersistentChatServer" in values["Roles"]
            assert ("Registrar" in values["Roles"]) is (server.role is Role.STANDARD_EDITION)


def test_a_pending_restart_is_waited_out_and_a_new_one_is_asked_for_and_resumed() -> None:
    """The bootstrap's own restart comes within minutes; any other restart, and the one setup asks for ("If you're
    prompted to restart ... run Step 2 one more time" [L:lync-server-2013-install-lync-server-server-components]),
    is recorded on disk and the phase resumes after it (lync_pchat.install.supervisor)."""
    wait = function(ACTIVE, "Wait-PendingRestart")
    assert "Start-Sleep" in ps.text(wait) and "throw" not in ps.text(wait)
    assert [ps.text(c.node) for c in ps.commands(wait, "Request-Restart")] == ["Request-Restart $reasons"]
    roles = step(ACTIVE, "Install the components of the published topology")
    assert ps.commands(roles, "Get-PendingRestart") and "throw" not in ps.text(roles)
    assert [ps.text(c.node) for c in ps.commands(roles, "Request-Restart")] == ["Request-Restart $reasons"]


@pytest.mark.parametrize("script", [ACTIVE, SE], ids=["active", "standard-edition"])
def test_a_server_missing_from_the_published_topology_stops_before_its_replica(script: str) -> None:
    """Setup installs what the published topology assigns [L:lync-server-2013-install-lync-server-server-
    components]: a server switched on before publishing stops with that reason, before Enable-CsReplica."""
    names = [name for name, _ in steps(script)]
    check = names.index("Check that the published topology holds this server")
    assert names.index("Install the local configuration store") < check
    assert check < names.index("Fill the replica of the Central Management store")
    body = step(script, "Check that the published topology holds this server")
    (get,) = ps.commands(body, "Get-CsComputer")
    assert ps.text(get.parameters["-identity"]) == "$cfg.ComputerFqdn"  # type: ignore[arg-type]
    (wait,) = [n for n in ps.of_type(body, "while_statement") if "Get-CsComputer" in ps.text(n)]
    (fail,) = [n for n in ps.of_type(wait, "if_statement") if "$deadline" in ps.text(n)]
    assert [ps.text(n) for n in ps.of_type(fail, "throw")] == ["throw"]
    # One line naming the publish runbook's step (runbooks/templates/publish.ps1 part 3, "Publish").
    assert "publish runbook, part 3 'Publish'), then set a new software.runToken and run pulumi up" in ps.text(fail)
    assert "Start-Sleep" in ps.text(wait)
    assert first_position(body, "Import-LyncModule") < first_position(body, "Get-CsComputer")


def test_a_server_added_to_a_running_pool_waits_for_its_publish() -> None:
    """Scale-out: phase A waits an hour for the server in the published topology, inside its four hours."""
    cfg = settings(ACTIVE)
    assert cfg["TopologyWaitMinutes"] == 60 and cfg["PoolFqdn"] == FULL.pools[0].fqdn
    assert cfg["TopologyWaitMinutes"] * 60 < install.INSTALL.timeout


@pytest.mark.parametrize("script", [ACTIVE, SE], ids=["active", "standard-edition"])
def test_the_certificate_template_reaches_the_request_and_a_pending_request_is_retrieved_not_filed_again(
    script: str,
) -> None:
    """[PS:Request-CsCertificate]: -Template takes the template name ("WebServer" in its example, the default of
    software.certificateTemplate); -List lists the pending requests the cmdlet made, -Retrieve completes them and
    imports the certificate. A new request (-New) only when none is pending."""
    assert settings(script)["CertificateTemplate"] == "WebServer"
    raw = installing(enterprise(), certificateTemplate="LyncWebServer2048")
    custom = install.server_script(FULL.server("pchat01-a1"), plan_topology(raw))
    assert settings(custom)["CertificateTemplate"] == "LyncWebServer2048"
    block = step(script, "Request and assign the certificate")
    calls = ps.commands(block, "Request-CsCertificate")
    kinds = [next(p for p in ("-list", "-retrieve", "-new") if p in c.parameters) for c in calls]
    assert kinds == ["-list", "-retrieve", "-new"]
    listing, retrieve, new = calls
    template = new.parameters["-template"]
    assert template is not None and ps.text(template) == "$cfg.CertificateTemplate"
    assert "-template" not in retrieve.parameters
    branch = min(
        (n for n in ps.of_type(block, "if_statement") if "$pending.Count -gt 0" in ps.text(n)),
        key=lambda n: n.end_byte - n.start_byte,
    )
    assert retrieve.node.start_byte > branch.start_byte and new.node.end_byte < branch.end_byte
    else_clause = next(c for c in ps.of_type(branch, "else_clause"))
    assert else_clause.start_byte < new.node.start_byte, "a new request only when none is pending"
    assert retrieve.node.end_byte < else_clause.start_byte
    assert listing.node.end_byte < branch.start_byte
