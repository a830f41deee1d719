<#
.SYNOPSIS
    Installs the Persistent Chat backup task on this SQL instance's server.
.DESCRIPTION
    Generated from the stack's plan (lync_pchat.backup); a managed Run Command runs it as SYSTEM from the first
    `pulumi up`, before the databases exist. Safe to run again: it rewrites the task's script and replaces the
    task. The task comes from Windows Task Scheduler, not SQL Server Agent, because SQL Server Express (the
    Standard Edition server's instance) has no Agent: one mechanism on every instance.
#>
$ErrorActionPreference = 'Stop'
{{ settings }}
{{ protect }}

# The task's folder: only SYSTEM and the administrators may change what SYSTEM runs.
$path = Save-TaskScript $cfg.ScriptFolder $cfg.ScriptName $cfg.Script
# The upload state a former release kept elsewhere, carried over once: the freshness alert keeps its times.
if (-not (Test-Path -LiteralPath $cfg.StateFile) -and (Test-Path -LiteralPath $cfg.FormerStateFile)) {
    Copy-Item -LiteralPath $cfg.FormerStateFile -Destination $cfg.StateFile
}
# Where the backups go, for the restore runbook.
$cfg.Settings | ConvertTo-Json | Set-Content -LiteralPath (Join-Path $cfg.ScriptFolder $cfg.SettingsName) -Encoding UTF8

New-Item -ItemType Directory -Force -Path $cfg.Folder | Out-Null
if (-not [Diagnostics.EventLog]::SourceExists($cfg.EventSource)) {
    New-EventLog -LogName Application -Source $cfg.EventSource
}

# Every IntervalMinutes, as SYSTEM, never two runs at once (schtasks' default), replacing an existing task.
$run = "powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -File `"$path`""
& schtasks.exe /Create /F /TN $cfg.TaskName /SC MINUTE /MO $cfg.IntervalMinutes /RU SYSTEM /RL HIGHEST /TR $run | Out-Null
if ($LASTEXITCODE -ne 0) { throw "schtasks could not create $($cfg.TaskName)" }
Write-Output "$($cfg.TaskName): every $($cfg.IntervalMinutes) minutes, $path"
