<#
.SYNOPSIS
    The database step of a cumulative update, for one Persistent Chat pool.
.DESCRIPTION
    Rendered from the stack's plan by lync_pchat.install.cu_databases_script: regenerate it rather than edit it.
    The install's supervised phase pchat-cu-databases runs it as the setup account on the pool's first active (or
    Standard Edition) server, after every server of the pool ran the update phase (the last update wave), before
    the start and the release; a new software.updateInstaller runs it again. It runs the pool's cu-databases
    runbook (cu-databases-<pool>.ps1, carried as data: one definition of the procedure): the product's update
    procedure [L:lync-server-2013-upgrade-or-update-a-back-end-server-or-standard-edition-server] runs
    Install-CsDatabase -Update against the SQL Server after the binaries; the runbook finds each store's current
    principal from the mirroring state (not the plan), updates it there and proves the result with
    Test-CsDatabase [PS:Test-CsDatabase]. A database not at the expected version fails the phase.
    Install-CsDatabase needs sysadmin on the SQL Server [L:lync-server-2013-deployment-permissions-for-sql-server]:
    after the release the setup account no longer holds it, and the runbook says so before it changes anything.
    Safe to run again: an up-to-date database is left as it is.
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

    Invoke-Step 'Write the cu-databases runbook' {
        Write-Runbook ", for $($cfg.UpdateInstaller)"
    }

    Invoke-Step "Update the databases of $($cfg.PoolFqdn)" {
        # The runbook names each database not at the expected version in a warning.
        $failed = Invoke-Runbook
        if ($LASTEXITCODE -ne 0) {
            throw "The databases of $($cfg.PoolFqdn) are not at the version of $($cfg.UpdateInstaller): $($failed -join '; ')"
        }
    }

    Complete-Phase "Databases updated: every Persistent Chat database of $($cfg.PoolFqdn) passes Test-CsDatabase"
} catch {
    Write-Failure $_
    exit 1
}
