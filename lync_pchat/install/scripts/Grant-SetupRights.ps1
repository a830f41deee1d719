<#
.SYNOPSIS
    The setup account a local administrator and a sysadmin of this SQL Server again, before a cumulative update's
    database step.
.DESCRIPTION
    Rendered from the stack's plan by lync_pchat.install.regrant_script: regenerate it rather than edit it.
    Its Run Command runs it as SYSTEM on each SQL Server this project builds that the pool's pchat-cu-databases
    reaches (both partners of each mirrored store), before that step, whenever the step runs again (a new
    software.updateInstaller, a new software.runToken): Install-CsDatabase -Update needs sysadmin and local
    Administrators on the SQL Server [L:lync-server-2013-deployment-permissions-for-sql-server], which pchat-release
    took back after the first install. It gives them as the bootstrap (Initialize-PChatServer.ps1) does, with the
    same T-SQL (lync_pchat.scripting.tsql.grant_sysadmin), and reads each back; pchat-release, after the step, takes them
    back.
    software.keepSetupRights: true leaves it out. Safe to run again: each step checks what is done.
#>
$ErrorActionPreference = 'Stop'
{{ settings }}
{{ helpers }}
{{ sqlclient }}
{{ membership }}

# ---------------------------------------------------------------------------------------------------------
# Grant helpers
# ---------------------------------------------------------------------------------------------------------

function Test-Sysadmin {
    return ([string](Invoke-SqlClient '.' $cfg.SysadminQuery -Scalar) -eq '1')
}

# ---------------------------------------------------------------------------------------------------------
# Steps
# ---------------------------------------------------------------------------------------------------------
try {
    Write-PhaseLog "For $($cfg.Before) ($($cfg.UpdateInstaller)) on $($cfg.ComputerFqdn)"

    Invoke-Step 'Check that the run is elevated' {
        # SYSTEM, as the Run Command runs without runAsUser [AZ:windows/run-command-managed.md].
        Assert-Elevated
    }

    Invoke-Step "$($cfg.SetupUser) in Administrators" {
        # Local Administrators on the SQL Server [L:lync-server-2013-deployment-permissions-for-sql-server], through
        # the shared membership helpers as the install's supervisor adds it: read by SID (IsMember compares names,
        # which can misreport an account of another domain), "already a member" counted as done, read back.
        if (Test-SetupAdministrator '.') {
            Write-Skip "$($cfg.SetupUser) is a member"
        } else {
            Set-SetupAdministrator '.' $true
        }
    }

    Invoke-Step "$($cfg.SetupUser) a sysadmin" {
        # The bootstrap's T-SQL (CREATE LOGIN ... FROM WINDOWS, ALTER SERVER ROLE [sysadmin] ADD MEMBER):
        # Install-CsDatabase needs sysadmin [L:lync-server-2013-deployment-permissions-for-sql-server]; read back
        # with IS_SRVROLEMEMBER.
        if (Test-Sysadmin) {
            Write-Skip "$($cfg.SetupUser) is a sysadmin"
        } else {
            Invoke-SqlClient '.' $cfg.Grant -Scalar | Out-Null
            if (-not (Test-Sysadmin)) { throw "$($cfg.SetupUser) is still no sysadmin of $($cfg.ComputerFqdn)" }
        }
    }

    Write-PhaseLog "$($cfg.SetupUser) is a local administrator and a sysadmin of $($cfg.ComputerFqdn) for $($cfg.Before)"
} catch {
    Write-Failure $_
    exit 1
}
