<#
.SYNOPSIS
    Phase B of the unattended Lync Server 2013 installation: one Persistent Chat pool's databases, their
    mirrors, and the pool's DNS records.
.DESCRIPTION
    Rendered from the stack's plan by lync_pchat.install.database_script: regenerate it rather than edit it.
    A managed Run Command runs it as the setup account (sysadmin on the pool's SQL Servers and on the one that
    holds the Central Management store [L:lync-server-2013-database-installation-using-lync-server-management-
    shell]) on the pool's install host, after that server's phase A (the administrative tools) and once every
    SQL Server of the pool is bootstrapped.
    Order [lync-install.md 2.1]: the topology is published, which Install-CsDatabase -ConfiguredDatabases reads
    ("the Lync Server 2013 administrator must publish the topology" first [L:lync-server-2013-database-installation-
    using-lync-server-management-shell]); that CONFLICTs with "install the databases before publishing"
    [L:lync-server-2013-publish-the-updated-topology], which the publish runbook offers in Topology Builder.
    This phase follows the cmdlet's page, the only order open to a script, and does not overwrite databases
    created before: without -Clean, Install-CsDatabase "will not overwrite any existing databases"
    [PS:Install-CsDatabase]. Then the mirrors, which need the primary databases [L:lync-server-2013-deploying-sql-
    mirroring-for-back-end-server-high-availability], then the DNS records.
    Safe to run again: every step checks what is done and says when it skips; a configured mirror is never dropped.
#>
$ErrorActionPreference = 'Stop'
{{ settings }}
{{ helpers }}
{{ sqlclient }}

# ---------------------------------------------------------------------------------------------------------
# Phase B helpers
# ---------------------------------------------------------------------------------------------------------

function Get-MissingDatabase($Store) {
    # The databases the topology puts on this instance that it does not hold yet.
    $present = @(Invoke-SqlClient $Store.Server $Store.Query | ForEach-Object { [string]$_['name'] })
    return @($Store.Databases | Where-Object { $present -notcontains $_ })
}

function Get-MirroringState($Mirror) {
    # Each database of the principal with its mirroring_state_desc in sys.database_mirroring ('' when it has no
    # mirroring session): the state on the principal itself, as SQL Server documents it (MicrosoftDocs/sql-docs
    # [SQL:docs/relational-databases/system-catalog-views/sys-database-mirroring-transact-sql.md]).
    $states = @{}
    foreach ($row in @(Invoke-SqlClient $Mirror.Principal $Mirror.Query)) {
        $states[[string]$row['name']] = if ($row['state'] -is [System.DBNull]) { '' } else { [string]$row['state'] }
    }
    return $states
}

function Format-MirroringState($Mirror) {
    # "mgc=SYNCHRONIZED, mgccomp=no mirroring session": what the failure names.
    $states = Get-MirroringState $Mirror
    return (@($Mirror.Databases | ForEach-Object { if ($states[$_]) { "$_=$($states[$_])" } else { "$_=no mirroring session" } }) -join ', ')
}

function Test-Mirrored($Mirror) {
    # $true when every database of the principal is in a working mirroring session (SYNCHRONIZED or
    # SYNCHRONIZING), $false when none is mirrored yet; anything between is an admin's call, never a reason to
    # drop a mirror.
    $states = Get-MirroringState $Mirror
    $working = @($Mirror.Databases | Where-Object { @('SYNCHRONIZED', 'SYNCHRONIZING') -contains $states[$_] })
    if ($working.Count -eq $Mirror.Databases.Count) {
        return $true
    }
    $started = @($Mirror.Databases | Where-Object { $states[$_] })
    if ($started.Count -eq 0) {
        return $false
    }
    $found = @($Mirror.Databases | ForEach-Object { "$_=$($states[$_])" }) -join ', '
    throw "Mirroring on $($Mirror.Principal) is set up but not working ($found): repair it, or remove it with Uninstall-CsMirrorDatabase, then run this again"
}

function Test-FeatureInstalled([string]$Name) {
    return [bool](Get-WindowsFeature -Name $Name).Installed
}

function Test-DnsRecord($Record) {
    # An A record of that name with that address on the DNS server.
    $found = @(Get-DnsServerResourceRecord -ComputerName $cfg.Dns.Server -ZoneName $cfg.Dns.Zone -Name $Record.Name -RRType A -ErrorAction SilentlyContinue)
    return (@($found | Where-Object { $_.RecordData.IPv4Address.IPAddressToString -eq $Record.Address }).Count -gt 0)
}

# ---------------------------------------------------------------------------------------------------------
# Steps
# ---------------------------------------------------------------------------------------------------------
try {
    Invoke-Step 'Check that the run is elevated' {
        # The Run Command runs as runAsUser [AZ:windows/run-command-managed.md]; setup needs a local administrator
        # [lync-install.md 1.4].
        Assert-Elevated
    }

    Invoke-Step 'Load the Lync Server Management Shell' {
        # The administrative tools phase A installed [lync-install.md 1.3]; Install-CsDatabase needs them
        # [L:lync-server-2013-database-installation-using-lync-server-management-shell].
        Import-LyncModule
    }

    if ($cfg.Express) {
        Invoke-Step 'SQL Server Express instance of the Standard Edition server' {
            # Setup's Step 2 installs it on a Standard Edition server (SQL Server 2012 Express "installed
            # automatically" [L:lync-server-2013-database-software-support]); when it is missing, the scripted
            # "Prepare first Standard Edition server" [L:lync-server-2013-install-standard-edition-server-database],
            # Bootstrapper.exe /BootstrapSqlExpress [QS-AZ:scripts/SfB-Install.ps1] (that switch is documented for
            # Skype for Business Server 2015 only: UNCONFIRMED for Lync Server 2013).
            if (Test-Service $cfg.Express.Service) {
                Write-Skip "$($cfg.Express.Service) is installed"
            } else {
                Invoke-Native (Get-Bootstrapper) @('/BootstrapSqlExpress', "/SourceDirectory:$(Get-SetupFolder $cfg.MediaFolder)")
            }
        }
    }

    foreach ($store in $cfg.Stores) {
        Invoke-Step "Databases on $($store.Server)" {
            # [PS:Install-CsDatabase] with the arguments of the settings: -ConfiguredDatabases -SqlServerFqdn
            # [-ForInstance] [-DatabasePaths <log>,<data>], or -LocalDatabases on a Standard Edition server.
            if (@(Get-MissingDatabase $store).Count -eq 0) {
                Write-Skip "$($store.Server) holds $($store.Databases -join ', ')"
            } else {
                $arguments = $store.Install
                Install-CsDatabase @arguments
                $left = @(Get-MissingDatabase $store)
                if ($left.Count -gt 0) {
                    throw "Install-CsDatabase did not create $($left -join ', ') on $($store.Server)"
                }
            }
        }
    }

    foreach ($mirror in $cfg.Mirrors) {
        Invoke-Step "Mirroring of $($mirror.Databases -join ', ') on $($mirror.Principal)" {
            # [L:lync-server-2013-deploying-sql-mirroring-for-back-end-server-high-availability] "Using Lync Server
            # Management Shell Cmdlets": -ConfiguredDatabases -FileShare <share> -SqlServerFqdn <principal>; on the
            # customer's Back End (a collocated store) -DatabaseType PersistentChat[Compliance] -SqlServerFqdn
            # [-SqlInstanceName] instead [PS:Install-CsMirrorDatabase], never the Front End pool's databases.
            # -DropExistingDatabasesOnMirror only clears copies a failed attempt left on the mirror: the principal has
            # no mirroring session in this branch, and no database on the mirror is ONLINE [PS:Install-CsMirrorDatabase]. The cmdlet asks "[Y] Yes [A] Yes to
            # All"; it has -Confirm and no -Force, so -Confirm:$false answers it.
            if (Test-Mirrored $mirror) {
                Write-Skip "$($mirror.Databases -join ', ') on $($mirror.Principal) are mirrored"
            } else {
                # A mirror copy waits RESTORING; an ONLINE one is a working database (after a failover to the
                # mirror, say), which -DropExistingDatabasesOnMirror would delete: never drop it from here.
                $online = @(Invoke-SqlClient $mirror.Mirror $mirror.OnlineQuery | ForEach-Object { [string]$_['name'] })
                if ($online.Count -gt 0) {
                    throw "$($mirror.Mirror) holds $($online -join ', ') online, not as a mirror copy: find which copy is current (Get-CsDatabaseMirrorState), keep it, remove the other, then run this again"
                }
                $arguments = $mirror.Install
                Install-CsMirrorDatabase @arguments -Confirm:$false
                # Verified by its effect: the mirroring state on the principal. The cmdlet ending without an error
                # is not enough, and nothing here builds mirroring another way when it left none.
                if (-not (Test-Mirrored $mirror)) {
                    throw "Install-CsMirrorDatabase left no working mirroring on $($mirror.Principal): $(Format-MirroringState $mirror); see the cmdlet's -Report or the SQL Server error log, then run this again"
                }
            }
        }
    }

    if ($cfg.Dns) {
        Invoke-Step 'DNS Server tools' {
            # Add-DnsServerResourceRecordA comes with the DNS Server tools (RSAT-DNS-Server), as the SfB lab uses it
            # [QS-AZ:scripts/SfB-Install.ps1].
            if (Test-FeatureInstalled 'RSAT-DNS-Server') {
                Write-Skip 'RSAT-DNS-Server is installed'
            } else {
                $result = Install-WindowsFeature -Name 'RSAT-DNS-Server'
                if (-not $result.Success) {
                    throw 'Install-WindowsFeature RSAT-DNS-Server failed'
                }
            }
            Import-Module DnsServer
        }
        foreach ($record in $cfg.Dns.Records) {
            Invoke-Step "DNS A record $($record.Name) -> $($record.Address)" {
                # An A record per server and the pool FQDN resolving to each member
                # [L:lync-server-2013-dns-requirements-for-persistent-chat-servers].
                if (Test-DnsRecord $record) {
                    Write-Skip "$($record.Name) resolves to $($record.Address)"
                } else {
                    # Splatted: the parser the tests use reads no digit in a parameter name.
                    $arguments = @{ ComputerName = $cfg.Dns.Server; ZoneName = $cfg.Dns.Zone; Name = $record.Name; IPv4Address = $record.Address }
                    Add-DnsServerResourceRecordA @arguments
                }
            }
        }
    }

    Complete-Phase 'Phase B done: the start phase (C) follows on every server of the pool'
} catch {
    Write-Failure $_
    exit 1
}
