<#
.SYNOPSIS
    Phase C of the unattended Lync Server 2013 installation: the services.
.DESCRIPTION
    Rendered from the stack's plan by lync_pchat.install.start_script: regenerate it rather than edit it.
    A managed Run Command runs it as the setup account on every server of phase A, once the pool's database
    phase (B) is done. The steps follow the install table [lync-install.md 1.4]:
      1. Enable-CsComputer (table step 7) and Start-CsWindowsService (step 8)
      2. every Lync Server service of this computer running, or a failure naming those that are not
    Safe to run again: every step checks what is done and says when it skips.
#>
$ErrorActionPreference = 'Stop'
{{ settings }}
{{ helpers }}

# ---------------------------------------------------------------------------------------------------------
# Phase C helpers
# ---------------------------------------------------------------------------------------------------------
function Get-StoppedService {
    # The Lync Server services of this computer that are not running [PS:Get-CsWindowsService].
    $services = @(Get-CsWindowsService -ErrorAction SilentlyContinue)
    if ($services.Count -eq 0) {
        throw 'No Lync Server service is installed on this computer: run the server phase (A) first'
    }
    return @($services | Where-Object { $_.Status -ne 'Running' } | ForEach-Object { $_.Name })
}

function Test-ServicesRunning {
    return (@(Get-StoppedService).Count -eq 0)
}

function Wait-Service([int]$Minutes) {
    # Start-CsWindowsService is best effort [L:lync-server-2013-start-services-on-servers]: check every service.
    $deadline = (Get-Date).AddMinutes($Minutes)
    $stopped = @(Get-StoppedService)
    while ($stopped.Count -gt 0) {
        if ((Get-Date) -gt $deadline) {
            throw "Lync Server services not running after $Minutes minutes: $($stopped -join ', ')"
        }
        Start-Sleep -Seconds 20
        $stopped = @(Get-StoppedService)
    }
    Write-PhaseLog "   every Lync Server service of $($cfg.ComputerFqdn) is running"
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
        # The module that OCSCore.msi installs [QS-AWS], in this new session: the update ran in its own.
        Import-LyncModule
    }

    Invoke-Step 'Enable the computer' {
        # [PS:Enable-CsComputer] activates the installed roles [lync-install.md 1.4] step 7; services that run
        # show it done.
        if (Test-ServicesRunning) {
            Write-Skip 'the Lync Server services are running'
        } else {
            Enable-CsComputer
        }
    }

    Invoke-Step 'Start the services' {
        # [L:lync-server-2013-start-services-on-servers] Step 4 of the Deployment Wizard [PS:Start-CsWindowsService].
        if (Test-ServicesRunning) {
            Write-Skip 'the Lync Server services are running'
        } else {
            Start-CsWindowsService
        }
    }

    Invoke-Step 'Verify the services' {
        # Get-CsWindowsService lists this computer's Lync Server services [PS:Get-CsWindowsService].
        Wait-Service -Minutes 15
    }

    Complete-Phase "Phase C done on $($cfg.ComputerFqdn): Persistent Chat is running"
} catch {
    Write-Failure $_
    exit 1
}
