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
    same T-SQL (lync_pchat.bootstrap.grant_sysadmin); pchat-release, after the step, takes them back.
    software.keepSetupRights: true leaves it out. Safe to run again: each step checks what is done.
#>
$ErrorActionPreference = 'Stop'
{{ settings }}
{{ helpers }}

function Test-Sysadmin {
    # The grant read back with SQL Server's own answer, as SYSTEM's Windows logon (as the bootstrap's sqlcmd).
    $value = @(& sqlcmd.exe -E -b -h -1 -W -d master -Q "SET NOCOUNT ON; $($cfg.SysadminQuery)")
    if ($LASTEXITCODE -ne 0) { throw "sqlcmd failed with exit code $LASTEXITCODE" }
    return ([string]($value | Where-Object { $_ -and $_.Trim() } | Select-Object -First 1)).Trim() -eq '1'
}

try {
    Write-Host "For $($cfg.Before) ($($cfg.UpdateInstaller)) on $($cfg.ComputerFqdn)"

    Invoke-Step "$($cfg.SetupUser) in Administrators" {
        $members = @(& net.exe localgroup Administrators)
        if ($members -contains $cfg.SetupUser) {
            Write-Skip "$($cfg.SetupUser) is a member"
        } else {
            & net.exe localgroup Administrators $cfg.SetupUser /add | Out-Null
            if ($LASTEXITCODE -ne 0) { throw "net localgroup could not add $($cfg.SetupUser) to Administrators" }
        }
    }

    Invoke-Step "$($cfg.SetupUser) a sysadmin" {
        if (Test-Sysadmin) {
            Write-Skip "$($cfg.SetupUser) is a sysadmin"
        } else {
            & sqlcmd.exe -E -b -d master -Q $cfg.Grant
            if ($LASTEXITCODE -ne 0) { throw "sqlcmd failed with exit code $LASTEXITCODE" }
            if (-not (Test-Sysadmin)) { throw "$($cfg.SetupUser) is still no sysadmin of $($cfg.ComputerFqdn)" }
        }
    }

    Write-Host "$($cfg.SetupUser) is a local administrator and a sysadmin of $($cfg.ComputerFqdn) for $($cfg.Before)"
} catch {
    Write-Failure $_
    exit 1
}
