<#
.SYNOPSIS
    Backs up the Persistent Chat stores of this SQL instance and copies the backups to Blob Storage.
.DESCRIPTION
    Generated from the stack's plan (lync_pchat.backup); the scheduled task PChat\Backup runs it as SYSTEM
    every few minutes (docs/backups.md). Each run:
    1. runs the backup batch: a full backup of each ONLINE store database whose last full backup is older than
       the full interval, else a log backup of each in FULL recovery that is not a log-shipping primary (log
       shipping's backup job is that database's only log backup producer); a RESTORING mirror or log-shipping
       secondary is skipped, so the task follows a failover by itself. SQL Server logs a failed BACKUP in the
       Application event log (error 3041), where the monitoring alert reads it;
    2. copies every backup file not copied yet (its Archive attribute set) to the blob container with the
       VM's managed identity (no key), then clears the attribute;
    3. deletes the local copies older than the local keep time and its blobs older than the retention (and a day),
       never the newest full backup of a database in any container of the pool nor anything after it;
    4. on an instance that can mirror, sets up the database mirroring monitor and its thresholds once a store is
       mirrored, and writes a warning event for each store whose mirroring is SUSPENDED or DISCONNECTED;
    5. writes the UTC time of the last upload of each database's full and log backups (an Information event, read
       by the backup freshness alert).
    A failure of a step is written to the Application event log (source PChatBackup) and fails the task.
#>
$ErrorActionPreference = 'Stop'
{{ settings }}

[Net.ServicePointManager]::SecurityProtocol = [Net.SecurityProtocolType]::Tls12
$ApiVersion = '2019-12-12'
$BlockBytes = 64MB

function Write-BackupEvent([string]$Type, [int]$Id, [string]$Message) {
    Write-EventLog -LogName Application -Source $cfg.EventSource -EntryType $Type -EventId $Id -Message $Message
}

function Get-SqlServiceAccount {
    # The account of this instance's SQL Server service, which writes the backup files; $null before it exists.
    $service = Get-WmiObject -Class Win32_Service -Filter "Name='$($cfg.Service)'"
    if ($service) { return $service.StartName }
    return $null
}

function Get-StorageToken {
    # An OAuth token for Blob Storage from the instance metadata service: the VM's system-assigned identity.
    $uri = 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fstorage.azure.com%2F'
    return (Invoke-RestMethod -Uri $uri -Headers @{ Metadata = 'true' } -UseBasicParsing).access_token
}

function Send-Blob([string]$Path, [string]$BlobUri, [string]$Token) {
    # Put Block for each 64 MB of the file, then Put Block List: a block blob.
    $headers = @{ Authorization = "Bearer $Token"; 'x-ms-version' = $ApiVersion }
    $stream = [IO.File]::OpenRead($Path)
    $ids = New-Object System.Collections.Generic.List[string]
    try {
        $buffer = New-Object byte[] $BlockBytes
        while (($read = $stream.Read($buffer, 0, $BlockBytes)) -gt 0) {
            $id = [Convert]::ToBase64String([Text.Encoding]::ASCII.GetBytes(('{0:D8}' -f $ids.Count)))
            $body = New-Object byte[] $read
            [Array]::Copy($buffer, $body, $read)
            Invoke-WebRequest -Method Put -Uri "$($BlobUri)?comp=block&blockid=$([Uri]::EscapeDataString($id))" -Headers $headers -Body $body -UseBasicParsing | Out-Null
            $ids.Add($id)
        }
    } finally {
        $stream.Dispose()
    }
    $list = '<?xml version="1.0" encoding="utf-8"?><BlockList>' + (($ids | ForEach-Object { "<Latest>$_</Latest>" }) -join '') + '</BlockList>'
    Invoke-WebRequest -Method Put -Uri "$($BlobUri)?comp=blocklist" -Headers $headers -Body ([Text.Encoding]::UTF8.GetBytes($list)) -ContentType 'application/xml' -UseBasicParsing | Out-Null
}

function Get-PrefixBlob([string]$Container, [string]$Prefix, [string]$Token) {
    # Every blob under $Prefix in $Container: its name and last-modified time (List Blobs, page by page). Only under
    # this pool's prefix: an empty or another prefix would list, and Remove-Expired delete, other pools' backups and
    # the Run Command logs.
    if (-not $cfg.Prefix -or -not $Prefix.StartsWith("$($cfg.Prefix)/", [StringComparison]::Ordinal)) {
        throw "refusing to list outside '$($cfg.Prefix)/': '$Prefix'"
    }
    $headers = @{ Authorization = "Bearer $Token"; 'x-ms-version' = $ApiVersion }
    $marker = ''
    do {
        $uri = "$($Container)?restype=container&comp=list&prefix=$([Uri]::EscapeDataString($Prefix))&marker=$([Uri]::EscapeDataString($marker))"
        $content = (Invoke-WebRequest -Uri $uri -Headers $headers -UseBasicParsing).Content
        $xml = [xml]($content.TrimStart([char]0xFEFF))
        foreach ($blob in @($xml.EnumerationResults.Blobs.Blob)) {
            if ($blob) { [pscustomobject]@{ Name = $blob.Name; Time = [datetime]::Parse($blob.Properties.'Last-Modified').ToUniversalTime() } }
        }
        $marker = [string]$xml.EnumerationResults.NextMarker
    } while ($marker)
}

function Get-ExpiredBlob([string]$Database, [string]$Token, [datetime]$Before) {
    # The names of this server's blobs of $Database to delete: older than $Before AND older than the newest full
    # backup of $Database in any container of the pool, so the newest full backup and every log backup after it
    # (the only restore set left) always stay, even when backups stopped longer ago than the retention.
    if (-not $cfg.Prefix -or -not $Database -or -not $env:COMPUTERNAME) { throw "refusing to prune an empty prefix" }
    $fulls = foreach ($container in $cfg.Containers) {
        Get-PrefixBlob $container "$($cfg.Prefix)/$Database/" $Token | Where-Object { $_.Name -like '*.bak' }
    }
    $newest = @($fulls | Sort-Object Time | Select-Object -Last 1)
    if ($newest.Count -eq 0) { return }
    $keep = if ($newest[0].Time -lt $Before) { $newest[0].Time } else { $Before }
    Get-PrefixBlob $cfg.Container "$($cfg.Prefix)/$Database/$($env:COMPUTERNAME)/" $Token |
        Where-Object { $_.Time -lt $keep } | ForEach-Object { $_.Name }
}

function Invoke-Backup {
    # The backup batch; sqlcmd -b fails on the batch's error, raised once every database was tried.
    New-Item -ItemType Directory -Force -Path $cfg.Folder | Out-Null
    $account = Get-SqlServiceAccount
    if (-not $account) {
        Write-BackupEvent Information 100 "SQL Server service $($cfg.Service) is not installed yet: nothing to back up."
        return $false
    }
    & icacls.exe $cfg.Folder /grant "$($account):(OI)(CI)M" | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "icacls could not grant $account on $($cfg.Folder)" }
    & sqlcmd.exe -S $cfg.Instance -E -b -x -Q $cfg.Query
    if ($LASTEXITCODE -ne 0) { throw "the backup batch failed on $($cfg.Instance) (sqlcmd exit code $LASTEXITCODE)" }
    return $true
}

function Get-UploadState {
    # "<database> FULL|LOG" -> the UTC time of its last upload, kept across runs beside the script.
    $state = @{}
    if (Test-Path -LiteralPath $cfg.StateFile) {
        (Get-Content -Raw -LiteralPath $cfg.StateFile | ConvertFrom-Json).PSObject.Properties | ForEach-Object { $state[$_.Name] = $_.Value }
    }
    return $state
}

function Copy-Backups([string]$Token, $State) {
    foreach ($upload in $cfg.Uploads) {
        if (-not (Test-Path -LiteralPath $upload.Folder)) { continue }
        $files = Get-ChildItem -LiteralPath $upload.Folder -File -Filter "$($upload.Database)_*" |
            Where-Object { $_.Attributes -band [IO.FileAttributes]::Archive }
        foreach ($file in $files) {
            $blob = "$($cfg.Container)/$($cfg.Prefix)/$($upload.Database)/$($env:COMPUTERNAME)/$($file.Name)"
            Send-Blob $file.FullName $blob $Token
            $file.Attributes = $file.Attributes -band (-bnot [IO.FileAttributes]::Archive)
            $kind = if ($file.Extension -eq '.bak') { 'FULL' } else { 'LOG' }
            $State["$($upload.Database) $kind"] = (Get-Date).ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ')
            $State | ConvertTo-Json | Set-Content -LiteralPath $cfg.StateFile -Encoding UTF8
        }
    }
}

function Remove-Expired([string]$Token) {
    $local = (Get-Date).AddHours(-$cfg.LocalKeepHours)
    Get-ChildItem -LiteralPath $cfg.Folder -File |
        Where-Object { -not ($_.Attributes -band [IO.FileAttributes]::Archive) -and $_.LastWriteTime -lt $local } |
        Remove-Item -Force
    # One day past the retention: the container's immutability policy keeps each blob retentionDays.
    $before = (Get-Date).ToUniversalTime().AddDays(-$cfg.RetentionDays - 1)
    $headers = @{ Authorization = "Bearer $Token"; 'x-ms-version' = $ApiVersion }
    foreach ($database in @($cfg.Uploads | ForEach-Object { $_.Database } | Sort-Object -Unique)) {
        foreach ($name in @(Get-ExpiredBlob $database $Token $before)) {
            Invoke-WebRequest -Method Delete -Uri "$($cfg.Container)/$name" -Headers $headers -UseBasicParsing | Out-Null
        }
    }
}

function Watch-Mirroring {
    # The mirroring monitor and thresholds once a store is mirrored; a warning per store SUSPENDED or DISCONNECTED.
    if (-not $cfg.MirrorQuery) { return }
    $rows = @(& sqlcmd.exe -S $cfg.Instance -E -b -x -h -1 -W -Q $cfg.MirrorQuery)
    if ($LASTEXITCODE -ne 0) { throw "the mirroring check failed on $($cfg.Instance): $($rows -join ' ')" }
    foreach ($database in @($rows | Where-Object { $_ })) {
        Write-BackupEvent Warning $cfg.MirroringEventId "Database mirroring of $database is not running (SUSPENDED or DISCONNECTED): its log cannot be truncated."
    }
}

function Write-UploadStatus($State) {
    # One line per database and kind, "<pool> <database> FULL|LOG <UTC time>": the freshness alert reads them.
    $lines = foreach ($key in @($State.Keys | Sort-Object)) { "$($cfg.Prefix) $key $($State[$key])" }
    Write-BackupEvent Information $cfg.StatusEventId ("Persistent Chat backup uploads:`n" + ($lines -join "`n"))
}

try {
    $state = Get-UploadState
    if (Invoke-Backup) {
        $token = Get-StorageToken
        Copy-Backups $token $state
        Remove-Expired $token
        Watch-Mirroring
    }
    Write-UploadStatus $state
} catch {
    Write-BackupEvent Error $cfg.FailedEventId "Persistent Chat backup failed: $($_.Exception.Message)"
    exit 1
}
