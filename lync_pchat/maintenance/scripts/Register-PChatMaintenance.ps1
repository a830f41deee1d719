<#
.SYNOPSIS
    Installs the pre-maintenance and witness steps on this SQL Server partner of a mirrored store.
.DESCRIPTION
    Generated from the stack's plan (lync_pchat.maintenance); a managed Run Command runs it as SYSTEM once the VM is
    ready. Safe to run again: it rewrites the step script and replaces both tasks.
    - \PChat\PreMaintenance: a calendar trigger the stack computed from this server's patch window (same recurrence,
      30 minutes earlier), no repetition;
    - \PChat\RestoreWitness: a daily trigger repeated every few minutes for one day, which Windows Server 2012 R2 to
      2019 accept (Task Scheduler schema, repetitionType: Interval PT1M to P31D, Duration at least PT1M); an
      unbounded duration is rejected from Windows Server 2016 (0x80041318, operations.md 9.4).
#>
$ErrorActionPreference = 'Stop'
{{ settings }}
{{ protect }}

# The tasks' folder: only SYSTEM and the administrators may change what SYSTEM runs.
$path = Save-TaskScript $cfg.ScriptFolder $cfg.ScriptName $cfg.Script
if (-not [Diagnostics.EventLog]::SourceExists($cfg.EventSource)) {
    New-EventLog -LogName Application -Source $cfg.EventSource
}
$arguments = "-NoProfile -NonInteractive -ExecutionPolicy Bypass -File `"$path`""

# Before each patch window: the task's XML, with this script's command line (escaped for XML) in its action.
$xml = $cfg.PreTaskXml.Replace('__ARGUMENTS__', [Security.SecurityElement]::Escape("$arguments -Step Pre"))
Register-ScheduledTask -TaskPath $cfg.TaskPath -TaskName $cfg.PreTask -Xml $xml -Force | Out-Null

# The witness step: every few minutes, every day, as SYSTEM.
$action = New-ScheduledTaskAction -Execute 'powershell.exe' -Argument "$arguments -Step Post"
$trigger = New-ScheduledTaskTrigger -Daily -At (Get-Date).Date
$trigger.Repetition = (New-ScheduledTaskTrigger -Once -At (Get-Date).Date -RepetitionInterval (New-TimeSpan -Minutes {{restore_minutes}}) -RepetitionDuration (New-TimeSpan -Days 1)).Repetition
Register-ScheduledTask -TaskPath $cfg.TaskPath -TaskName $cfg.PostTask -Action $action -Trigger $trigger -User 'SYSTEM' -RunLevel Highest -Force | Out-Null

$next = (Get-ScheduledTaskInfo -TaskPath $cfg.TaskPath -TaskName $cfg.PreTask).NextRunTime
Write-Output "$($cfg.TaskPath)$($cfg.PreTask): next run $next; $($cfg.TaskPath)$($cfg.PostTask): every {{restore_minutes}} minutes; $path"
