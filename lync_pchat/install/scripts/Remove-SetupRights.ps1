<#
.SYNOPSIS
    The end of the unattended Lync Server 2013 installation: the setup account's standing rights removed.
.DESCRIPTION
    Rendered from the stack's plan by lync_pchat.install.release_script: regenerate it rather than edit it.
    Runs (through its Run Command's scheduled task, as the setup account) on every Persistent Chat and Standard
    Edition server once every server of the pool has started; software.keepSetupRights: true leaves it out.
    The installation needs the setup account as a local administrator [lync-install.md 1.4] and as a sysadmin of
    the SQL Servers [L:lync-server-2013-deployment-permissions-for-sql-server]; nothing after it does. In order:
      1. on the install host, for each SQL Server of the pool: sysadmin dropped (its login and the databases it
         owns stay), then the local Administrators membership (over SMB, which the install host reaches)
      2. this server's local Administrators membership, last (the running task keeps its token until it ends)
    A new software.runToken makes each phase's Run Command grant the local administrator membership again before
    its phase; sysadmin on the SQL Servers comes back with their bootstrap (see docs/install.md). The release runs
    again after any of them: the token is in its run id, and After is a digest of every phase script before it
    (lync_pchat.install.release.earlier_runs), so a new update installer or a changed phase also re-runs it.
    Safe to run again: every step checks what is done and says when it skips.
#>
$ErrorActionPreference = 'Stop'
{{ settings }}
{{ helpers }}
{{ sqlclient }}
{{ membership }}

# ---------------------------------------------------------------------------------------------------------
# Release helpers
# ---------------------------------------------------------------------------------------------------------

function Test-Sysadmin([string]$Server) {
    return ([string](Invoke-SqlClient $Server $cfg.SysadminQuery -Scalar) -eq '1')
}

# ---------------------------------------------------------------------------------------------------------
# Steps
# ---------------------------------------------------------------------------------------------------------
try {
    foreach ($server in $cfg.SqlServers) {
        Invoke-Step "sysadmin on $server" {
            # ALTER SERVER ROLE ... DROP MEMBER: the grant the bootstrap made, undone.
            if (-not (Test-Sysadmin $server)) {
                Write-Skip "$($cfg.SetupUser) is no sysadmin of $server"
            } else {
                Invoke-SqlClient $server $cfg.DropSysadmin -Scalar | Out-Null
                if (Test-Sysadmin $server) {
                    throw "$($cfg.SetupUser) is still a sysadmin of $server"
                }
            }
        }
    }

    foreach ($server in $cfg.SqlServers) {
        Invoke-Step "Administrators of $server" {
            # Removed, then read back (Set-SetupAdministrator).
            if (-not (Test-SetupAdministrator $server)) {
                Write-Skip "$($cfg.SetupUser) is no administrator of $server"
            } else {
                Set-SetupAdministrator $server $false
            }
        }
    }

    Invoke-Step "Administrators of $($cfg.ComputerFqdn)" {
        if (-not (Test-SetupAdministrator '.')) {
            Write-Skip "$($cfg.SetupUser) is no administrator here"
        } else {
            Set-SetupAdministrator '.' $false
        }
    }

    Complete-Phase "Setup rights removed on $($cfg.ComputerFqdn): $($cfg.SetupUser) holds none here any more"
} catch {
    Write-Failure $_
    exit 1
}
