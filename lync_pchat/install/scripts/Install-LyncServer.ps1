<#
.SYNOPSIS
    Phase A of the unattended Lync Server 2013 installation, on one Persistent Chat or Standard Edition server.
.DESCRIPTION
    Rendered from the stack's plan by lync_pchat.install.server_script: regenerate it rather than edit it.
    A managed Run Command runs it as the setup account (RTCUniversalServerAdmins, local administrator), after
    the VM bootstrap and the domain join, once the topology is published [L:lync-server-2013-publish-the-
    updated-topology]. The steps follow the install table [lync-install.md 1.4]:
      1. a pending restart waited out; the Windows prerequisites the bootstrap installed, checked (table step 1)
      2. the media copied from blob storage with the VM's managed identity
      3. the core components (step 2); where the Windows Server version needs it (Skype for Business Server 2015
         on 2016 and 2019, KB4015888), the cumulative update onto them before any Deployment Wizard step; the
         local configuration store (step 3); the server checked in the published topology; the replica filled
         (step 4)
      4. the components the published topology assigns to this server (step 5)
      5. the certificate from the enterprise CA (step 6)
    No Lync Server role service starts here (only the replica agent of step 4); the cumulative update runs next,
    in its own Run Command, then the pool's databases (B) and the start phase (C).
    Safe to run again: every step checks what is done and says when it skips. A failure ends the script with
    exit code 1 and, last, one line naming the step.
#>
$ErrorActionPreference = 'Stop'
{{ settings }}
{{ helpers }}
{{ media }}
{{ update }}

# ---------------------------------------------------------------------------------------------------------
# Phase A helpers
# ---------------------------------------------------------------------------------------------------------
function Wait-PendingRestart([int]$Minutes) {
    # Setup needs the restart first [L:lync-server-2013-install-lync-server-server-components]: one the bootstrap
    # scheduled comes within minutes; any other is asked for, and the phase resumes after it.
    $deadline = (Get-Date).AddMinutes($Minutes)
    $reasons = @(Get-PendingRestart)
    while ($reasons.Count -gt 0) {
        if ((Get-Date) -gt $deadline) {
            Request-Restart $reasons
        }
        Write-PhaseLog "   waiting for the pending restart: $($reasons -join '; ')"
        Start-Sleep -Seconds 30
        $reasons = @(Get-PendingRestart)
    }
}

function Assert-Prerequisites([string[]]$Features) {
    # The bootstrap installs .NET 4.5 with WCF HTTP activation, Windows Identity Foundation, Message Queuing and,
    # on a Standard Edition server, the Front End line [L:lync-server-2013-additional-software-requirements].
    $installed = @(Get-WindowsFeature -Name $Features | Where-Object { $_.InstallState -eq 'Installed' } | ForEach-Object { $_.Name })
    $missing = @($Features | Where-Object { $installed -notcontains $_ })
    if ($missing.Count -gt 0) {
        throw "Windows features the bootstrap installs are missing: $($missing -join ', ')"
    }
    # Windows Firewall must run before the Lync Server services start [L:lync-server-2013-ports-and-protocols-for-internal-servers].
    if ((Get-Service -Name MpsSvc).Status -ne 'Running') {
        throw 'Windows Firewall (MpsSvc) is not running; Lync Server opens its ports through it'
    }
}

function Assert-DotNet($Rule) {
    # Skype for Business Server 2015 does not support .NET Framework 4.8 [SfB15:plan-your-deployment/requirements-
    # for-your-environment/server-requirements.md] (skype2015.md 4.1): refuse a server that has it (the image or an
    # update brought it), before anything is installed, and keep Windows Update from offering it. The Release value
    # of NDP\v4\Full is 528040 or more from 4.8 on (Microsoft's "determine which .NET Framework versions are
    # installed"). No rule (Lync Server 2013): nothing to check.
    if (-not $Rule) {
        return
    }
    $release = (Get-ItemProperty -Path $Rule.Key -Name Release -ErrorAction SilentlyContinue).Release
    if ($release -ge $Rule.UnsupportedFrom) {
        throw ".NET Framework 4.8 or later is installed (Release $release, 4.8 from $($Rule.UnsupportedFrom)): $($cfg.Product.Name) does not support it, so setup has not run. The image build or Windows Update brought it: rebuild this server from an image version without it (images.windows.version), then set a new software.runToken"
    }
    if (-not (Test-Path -Path $Rule.BlockerKey)) {
        New-Item -Path $Rule.BlockerKey -Force | Out-Null
    }
    Set-ItemProperty -Path $Rule.BlockerKey -Name $Rule.BlockerValue -Value 1 -Type DWord
    Write-PhaseLog "   .NET Framework release $release; Windows Update does not offer 4.8"
}

function Test-CorePackage($Package, [string]$Path) {
    # An MSI is installed when Windows Installer knows its ProductCode (state 5, installed); the redistributable
    # when an uninstall entry carries its display name.
    if ($Package.DisplayName) {
        $keys = @('HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\*', 'HKLM:\SOFTWARE\Wow6432Node\Microsoft\Windows\CurrentVersion\Uninstall\*')
        $names = @(Get-ItemProperty -Path $keys -ErrorAction SilentlyContinue | ForEach-Object { $_.DisplayName })
        return (@($names | Where-Object { $_ -like $Package.DisplayName }).Count -gt 0)
    }
    $code = Get-MsiProperty $Path 'ProductCode'
    $installer = New-Object -ComObject WindowsInstaller.Installer
    return ($installer.GetType().InvokeMember('ProductState', 'GetProperty', $null, $installer, @($code)) -eq 5)
}

function Install-CorePackage($Package, [string]$Path) {
    # Silent installs: msiexec /i /qn, the redistributable with /q [QS-AWS]; 3010 is success pending a restart,
    # 1638 a newer redistributable already there.
    if ($Package.DisplayName) {
        Invoke-Native $Path @('/q', '/norestart') -Success 0, 1638, 3010
        return
    }
    New-Item -ItemType Directory -Force -Path $cfg.LogFolder | Out-Null
    $log = Join-Path $cfg.LogFolder ((Split-Path -Leaf $Path) + '.log')
    Invoke-Native 'msiexec.exe' @('/i', "`"$Path`"", '/qn', '/norestart', '/l*v', "`"$log`"") -Success 0, 3010
}

function Test-LocalStore {
    # Bootstrapper /BootstrapLocalMgmt installs SQL Server Express RTCLOCAL and the read-only replica with its
    # Replica Replicator Agent [L:lync-server-2013-installing-the-lync-server-2013-core-files-and-the-rtclocal-database].
    return ((Test-Service 'MSSQL$RTCLOCAL') -and (Test-Service 'REPLICA'))
}

function Test-ReplicaUpToDate {
    # The Central Management store's view of this replica [PS:Get-CsManagementStoreReplicationStatus].
    $status = Get-CsManagementStoreReplicationStatus -ReplicaFqdn $cfg.ComputerFqdn -ErrorAction SilentlyContinue
    return [bool]($status -and $status.UpToDate)
}

function Wait-Replica([int]$Minutes) {
    # Replication reaches the replica from the Central Management Server over TCP 445
    # [L:lync-server-2013-ports-and-protocols-for-internal-servers]; setup goes on from the imported local store.
    $deadline = (Get-Date).AddMinutes($Minutes)
    Invoke-CsManagementStoreReplication -ReplicaFqdn $cfg.ComputerFqdn
    while (-not (Test-ReplicaUpToDate)) {
        if ((Get-Date) -gt $deadline) {
            Write-PhaseLog "WARNING: The replica is not up to date after $Minutes minutes; setup continues from the imported configuration"
            return
        }
        Start-Sleep -Seconds 30
    }
}

function Test-RolesInstalled([string[]]$Roles) {
    # The services of the roles the topology assigns, as Get-CsWindowsService lists their RoleName [PS:Get-CsWindowsService].
    $installed = @(Get-CsWindowsService -ErrorAction SilentlyContinue | ForEach-Object { $_.RoleName })
    return (@($Roles | Where-Object { $installed -notcontains $_ }).Count -eq 0)
}

function Test-CertificateAssigned([string[]]$Types) {
    # Get-CsCertificate returns only certificates assigned with Set-CsCertificate [PS:Get-CsCertificate].
    foreach ($type in $Types) {
        if (-not (Get-CsCertificate -Type $type -ErrorAction SilentlyContinue)) {
            return $false
        }
    }
    return $true
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

    Invoke-Step 'Wait out a pending restart' {
        # Setup after the restart the features need [L:lync-server-2013-install-lync-server-server-components].
        Wait-PendingRestart -Minutes 5
    }

    Invoke-Step 'Check the prerequisites' {
        # [lync-install.md 1.4] step 1: the Windows features, by Get-WindowsFeature state; the .NET rule.
        Assert-Prerequisites $cfg.Features
        Assert-DotNet $cfg.Product.DotNet48
    }

    Invoke-Step 'Copy the installation media' {
        # Every file under the media folder, to the data volume, each file once: the managed identity's token
        # [AZ:instance-metadata-service.md], then Azure Storage REST List Blobs and Get Blob.
        Copy-Media
        if (-not (Test-Path -LiteralPath (Join-Path (Get-SetupFolder $cfg.MediaFolder) 'Setup\OCSCore.msi'))) {
            throw "The media has no Setup\amd64\Setup\OCSCore.msi: software.mediaUri must be the root of the $($cfg.Product.Name) media"
        }
    }

    Invoke-Step 'Install the core components' {
        # [lync-install.md 1.3] [QS-AWS]: before Bootstrapper, in this order; then, where needed, their update.
        foreach ($package in $cfg.Packages) {
            $path = Join-Path $cfg.MediaFolder $package.Path
            if (Test-CorePackage $package $path) {
                Write-Skip "$($package.Name) is installed"
            } else {
                Install-CorePackage $package $path
            }
        }
        # KB4015888 [SRV] (skype2015.md 2): on Windows Server 2016 and 2019 the cumulative update goes onto the
        # core components before any Deployment Wizard step (local store, components); the update phase runs it
        # again after them. Elsewhere the update phase alone installs it, after setup.
        if (-not $cfg.UpdateBeforeSetup) {
            Write-Skip 'the update phase installs the cumulative update after setup'
        } elseif ((Get-CoreVersion) -gt (Get-MediaVersion)) {
            Write-Skip "the core components are at $(Get-CoreVersion), above the media's $(Get-MediaVersion): updated"
        } else {
            Install-UpdateInstaller $cfg.UpdateBeforeSetup
        }
        if ($script:RestartAsked.Count -gt 0) {
            Request-Restart $script:RestartAsked
        }
    }

    Invoke-Step 'Install the local configuration store' {
        # Deployment Wizard Step 1 [L:lync-server-2013-install-the-local-configuration-store], scripted as
        # Bootstrapper.exe /BootstrapLocalMgmt [QS-AWS] [QS-AZ:scripts/SfB-Install.ps1].
        if (Test-LocalStore) {
            Write-Skip 'SQL Server Express RTCLOCAL and the Replica Replicator Agent are installed'
        } else {
            Invoke-Native (Get-Bootstrapper) @('/BootstrapLocalMgmt', "/SourceDirectory:$(Get-SetupFolder $cfg.MediaFolder)")
        }
    }

    Invoke-Step 'Check that the published topology holds this server' {
        # Setup installs what the published topology assigns to the computer [L:lync-server-2013-install-lync-
        # server-server-components]; [PS:Get-CsComputer] reads it from the Central Management store.
        # A server added to a running pool waits here while its administrator publishes it (scale-out: the
        # infrastructure first, then Topology Builder, docs/install.md), then fails with the step to take.
        Import-LyncModule
        $deadline = (Get-Date).AddMinutes($cfg.TopologyWaitMinutes)
        while (-not (Get-CsComputer -Identity $cfg.ComputerFqdn -ErrorAction SilentlyContinue)) {
            if ((Get-Date) -gt $deadline) {
                throw "$($cfg.ComputerFqdn) is not in the published topology after $($cfg.TopologyWaitMinutes) minutes: add it to pool $($cfg.PoolFqdn) and publish (publish runbook, part 3 'Publish'), then set a new software.runToken and run pulumi up"
            }
            Write-PhaseLog "   waiting for $($cfg.ComputerFqdn) in the published topology (publish runbook, part 3)"
            Start-Sleep -Seconds 60
        }
        Write-PhaseLog "   $($cfg.ComputerFqdn) is in the published topology"
    }

    Invoke-Step 'Fill the replica of the Central Management store' {
        # [PS:Import-CsConfiguration] example 3 and [PS:Enable-CsReplica], then the replica agent, as in
        # [QS-AZ:scripts/SfB-Install.ps1]; done when the replica is up to date [PS:Get-CsManagementStoreReplicationStatus].
        if (Test-ReplicaUpToDate) {
            Write-Skip "the replica on $($cfg.ComputerFqdn) is up to date"
        } else {
            Import-CsConfiguration -ByteInput (Export-CsConfiguration -AsBytes) -LocalStore
            Enable-CsReplica
            Start-CsWindowsService -Name REPLICA
            Wait-Replica -Minutes 10
        }
    }

    Invoke-Step 'Install the components of the published topology' {
        # Deployment Wizard Step 2 "as defined in your published topology" [L:lync-server-2013-install-lync-server-
        # server-components], scripted as Bootstrapper.exe /SourceDirectory [QS-AWS]. Rights: a CONFLICT between
        # RTCUniversalServerAdmins (JJ204623) and RTCUniversalReadOnlyAdmins (Gg398239); the setup account holds
        # the former, which covers both.
        if (Test-RolesInstalled $cfg.Roles) {
            Write-Skip "the services of $($cfg.Roles -join ', ') are installed"
        } else {
            Invoke-Native (Get-Bootstrapper) @("/SourceDirectory:$(Get-SetupFolder $cfg.MediaFolder)")
        }
        $reasons = @(Get-PendingRestart)
        if ($reasons.Count -gt 0) {
            # "If you're prompted to restart ... run Step 2 one more time" [L:lync-server-2013-install-lync-server-server-components].
            Request-Restart $reasons
        }
    }

    Invoke-Step 'Request and assign the certificate' {
        # [PS:Request-CsCertificate] -New -Type -CA '<CA FQDN>\<CA name>' -Template <template name> (example
        # "WebServer") -ComputerFqdn (subject and SAN from the topology), a 2048-bit key, the private key not
        # exportable [L:lync-server-2013-certificate-requirements-for-internal-servers]; then [PS:Set-CsCertificate]
        # -Type -Thumbprint. A request a CA holds for approval is not filed again: -List shows the pending requests
        # the cmdlet made, and -Retrieve completes them and imports the certificate [PS:Request-CsCertificate].
        if (Test-CertificateAssigned $cfg.CertificateTypes) {
            Write-Skip "a certificate is assigned for $($cfg.CertificateTypes -join ', ')"
        } else {
            $pending = @(Request-CsCertificate -List -ErrorAction SilentlyContinue)
            if ($pending.Count -gt 0) {
                Write-PhaseLog "   $($pending.Count) request(s) pending at the CA: retrieving, not requesting again"
                $certificate = Request-CsCertificate -Retrieve -Force
            } else {
                $name = $cfg.Product.Name + ' ' + (Get-Date -Format 'yyyyMMddHHmmss')
                $certificate = Request-CsCertificate -New -Type $cfg.CertificateTypes -CA $cfg.CertificateAuthority -Template $cfg.CertificateTemplate -ComputerFqdn $cfg.ComputerFqdn -KeySize 2048 -FriendlyName $name -Force
            }
            $thumbprint = @($certificate | Where-Object { $_.Thumbprint } | ForEach-Object { $_.Thumbprint }) | Select-Object -First 1
            if (-not $thumbprint) {
                # A retrieved certificate lands in the computer's store under the friendly name of its request.
                $thumbprint = @(Get-ChildItem -Path Cert:\LocalMachine\My | Where-Object { $_.FriendlyName -like "$($cfg.Product.Name) *" -and $_.HasPrivateKey } | Sort-Object -Property NotBefore -Descending | ForEach-Object { $_.Thumbprint }) | Select-Object -First 1
            }
            if (-not $thumbprint) {
                throw "The request to $($cfg.CertificateAuthority) is pending approval: approve it on the CA, then set a new software.runToken and run pulumi up (the pending request is retrieved, not filed again)"
            }
            Set-CsCertificate -Type $cfg.CertificateTypes -Thumbprint $thumbprint
        }
    }

    Complete-Phase "Phase A done on $($cfg.ComputerFqdn): the database phase (B) and the start phase (C) follow"
} catch {
    Write-Failure $_
    exit 1
}
