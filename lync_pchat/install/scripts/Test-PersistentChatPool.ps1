<#
.SYNOPSIS
    The end of the unattended Lync Server 2013 installation: does the pool work?
.DESCRIPTION
    Rendered from the stack's plan by lync_pchat.install.verify_script: regenerate it rather than edit it.
    The install's supervised phase pchat-verify runs it as the setup account (a local administrator of every
    server of the pool until the release) on the pool's first active (or Standard Edition) server, after every
    server started and the log shipping was armed, before the release. It runs the pool's verify runbook
    (verify-<pool>.ps1, carried as data: one definition of each check): the Lync services on every active server,
    the pool state, the mirroring of the stores, log shipping to the standby site, and, with
    monitoring.testUsers, one Test-CsPersistentChatMessage (without them, a warning line). A failing check fails
    the phase, and the deployment, with the checks that failed. With monitoring.testUsers it then registers the
    runbook's message probe (verify-<pool>.ps1 -Schedule: a scheduled task as SYSTEM that writes each result to
    the Application log, where the Azure Monitor alert reads it).
    Safe to run again: it changes nothing but the health monitoring configuration the runbook creates and the
    probe's scheduled task, which it registers again (-Force).
#>
$ErrorActionPreference = 'Stop'
{{ settings }}
{{ helpers }}
{{ runbook }}

try {
    Invoke-Step 'Check that the run is elevated' {
        Assert-Elevated
    }

    Invoke-Step 'Load the Lync Server Management Shell' {
        Import-LyncModule
    }

    Invoke-Step 'Write the verify runbook' {
        Write-Runbook
    }

    Invoke-Step "Verify $($cfg.PoolFqdn)" {
        # The message test is advisory here: the configure runbook, which enables the test users' policy and creates
        # the rooms, runs after the install.
        $failed = Invoke-Runbook @{ SkipMessage = [bool]$cfg.SkipMessage; AdvisoryMessage = $true }
        if ($LASTEXITCODE -ne 0) {
            throw "$($cfg.PoolFqdn) does not pass the verify runbook: $($failed -join '; ')"
        }
    }

    if ($cfg.Schedule) {
        Invoke-Step 'Schedule the message probe' {
            $global:LASTEXITCODE = 0
            & $cfg.RunbookPath -Schedule
            if ($LASTEXITCODE -ne 0) { throw "verify runbook -Schedule ended with exit code $LASTEXITCODE" }
        }
    }

    Complete-Phase "Verified: $($cfg.PoolFqdn) passes every check of its verify runbook"
} catch {
    Write-Failure $_
    exit 1
}
