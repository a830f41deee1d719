<#
.SYNOPSIS
    Disaster recovery armed by the install phase: log shipping of one Persistent Chat pool's stores to its
    backup stores in the standby data center.
.DESCRIPTION
    Rendered from the stack's plan by lync_pchat.install.shipping_script: regenerate it rather than edit it.
    The install's supervised phase pchat-log-shipping runs it as the setup account (sysadmin on the pool's SQL
    Servers until the release) on the pool's backup store, after the install phase created and mirrored the databases. Each store's T-SQL is the log-shipping
    runbook's (log-shipping-<pool>-<database>.sql) [L:lync-server-2013-setting-up-sql-server-log-shipping-for-the-
    persistent-chat-server-primary-database]; a mirrored store is then made a log-shipping primary on its mirror too
    [L:lync-server-2013-set-up-log-shipping-secondary-database]: fail over to the mirror, run the primary half
    there, fail back. The failovers are SQL Server's own (ALTER DATABASE ... SET PARTNER FAILOVER on the principal,
    operations.md §3.5 step 4), since this server has no Lync Server Management Shell.
    Safe to run again: a store whose primary and secondary are configured, or whose mirror is a primary already,
    is skipped; nothing is re-initialized.
#>
$ErrorActionPreference = 'Stop'
{{ settings }}
{{ helpers }}

function Invoke-SqlValue([string]$Server, [string]$Query) {
    # The first value the query returns on $Server, with the setup account's Windows logon.
    $rows = @(& sqlcmd.exe -S $Server -E -b -x -h -1 -W -Q $Query)
    if ($LASTEXITCODE -ne 0) { throw "sqlcmd failed on ${Server}: $($rows -join ' ')" }
    return [string]($rows | Where-Object { $_ } | Select-Object -First 1)
}

function Invoke-SqlScript([string]$Server, [string]$Text) {
    # A script in SQLCMD mode (its :CONNECT lines pick the instances; $Server is where it starts).
    $path = Join-Path $env:TEMP ("pchat-logshipping-" + [guid]::NewGuid() + '.sql')
    [IO.File]::WriteAllText($path, $Text)
    try {
        & sqlcmd.exe -S $Server -E -b -x -i $path
        if ($LASTEXITCODE -ne 0) { throw "sqlcmd failed on ${Server} (exit code $LASTEXITCODE)" }
    } finally {
        Remove-Item -LiteralPath $path -Force -ErrorAction SilentlyContinue
    }
}

function Test-Shipped($Store) {
    # Both halves configured: the primary lists the database, the secondary lists it.
    return ([int](Invoke-SqlValue $Store.Primary $Store.PrimaryQuery) -gt 0) -and ([int](Invoke-SqlValue $Store.Secondary $Store.SecondaryQuery) -gt 0)
}

function Wait-Principal([string]$Server, [string]$Query, [int]$Minutes) {
    # Until $Server is the synchronized principal, which a manual failover needs.
    $deadline = (Get-Date).AddMinutes($Minutes)
    while ((Invoke-SqlValue $Server $Query) -ne 'PRINCIPAL SYNCHRONIZED') {
        if ((Get-Date) -gt $deadline) { throw "$Server is not the synchronized principal after $Minutes minutes" }
        Start-Sleep -Seconds 15
    }
}

try {
    foreach ($store in $cfg.Stores) {
        Invoke-Step "Log shipping of $($store.Database) from $($store.Primary) to $($store.Secondary)" {
            if (Test-Shipped $store) {
                Write-Skip "$($store.Primary) ships $($store.Database) to $($store.Secondary)"
            } else {
                Invoke-SqlScript $store.Primary $store.Sql
                if (-not (Test-Shipped $store)) { throw "log shipping of $($store.Database) is not configured after its script" }
            }
        }
        if ($store.Mirror) {
            $mirror = $store.Mirror
            Invoke-Step "Log shipping of $($store.Database) from its mirror $($mirror.Server)" {
                if ([int](Invoke-SqlValue $mirror.Server $store.PrimaryQuery) -gt 0) {
                    Write-Skip "$($mirror.Server) is a log-shipping primary of $($store.Database)"
                } else {
                    # Not in the topic: no backup task takes a log backup of the store, on either partner, until
                    # the mirror is a log-shipping primary too (a mark in the database, docs/backups.md).
                    Invoke-SqlValue $store.Primary $mirror.Suspend | Out-Null
                    # [L:lync-server-2013-set-up-log-shipping-secondary-database] step 1: fail over to the mirror.
                    Wait-Principal $store.Primary $mirror.StateQuery 30
                    Invoke-SqlValue $store.Primary $mirror.Failover | Out-Null
                    try {
                        # Steps 2-20: the primary half on the mirror.
                        Wait-Principal $mirror.Server $mirror.StateQuery 30
                        Invoke-SqlScript $mirror.Server $mirror.Sql
                    } finally {
                        # Step 22: fail back to the primary.
                        Wait-Principal $mirror.Server $mirror.StateQuery 30
                        Invoke-SqlValue $mirror.Server $mirror.Failover | Out-Null
                    }
                    Wait-Principal $store.Primary $mirror.StateQuery 30
                }
                # Both partners armed (or were already): the backup task's log backups again.
                Invoke-SqlValue $store.Primary $mirror.Resume | Out-Null
            }
        }
    }
    Complete-Phase 'Log shipping armed: every backup store restores its primary''s log backups'
} catch {
    Write-Failure $_
    exit 1
}
