<#
.SYNOPSIS
    The pre-maintenance step (-Step Pre) or the witness step (-Step Post) of this SQL Server partner.
.DESCRIPTION
    Generated from the stack's plan (lync_pchat.maintenance); the scheduled tasks \PChat\PreMaintenance and
    \PChat\RestoreWitness run it as SYSTEM. Each step is one T-SQL batch on the local instance (sqlcmd -b: the
    batch's error fails the step):
    - Pre, before this server's patch window: for each store this instance is currently the principal of, with its
      mirror SYNCHRONIZED, the witness recorded off until the window's end and removed, then a manual failover
      (SQL Server's rolling upgrade of mirrored instances). A principal whose mirror is not SYNCHRONIZED is not
      failed over, and the step fails;
    - Post, every few minutes: each store this instance is now the principal of, whose witness record expired,
      gets its witness back, whether the patching succeeded or not.
    What a step did is an Information event, a failure an Error event (source PChatMaintenance), which the
    maintenance alert reads.
#>
param(
    [Parameter(Mandatory = $true)][ValidateSet('Pre', 'Post')][string]$Step
)
$ErrorActionPreference = 'Stop'
{{ settings }}

function Write-StepEvent([string]$Type, [int]$Id, [string]$Message) {
    Write-EventLog -LogName Application -Source $cfg.EventSource -EntryType $Type -EventId $Id -Message $Message
}

$query = if ($Step -eq 'Pre') { $cfg.PreQuery } else { $cfg.PostQuery }
if (-not $query) { exit 0 }
try {
    $output = @(& sqlcmd.exe -S $cfg.Instance -E -b -h -1 -W -Q $query | ForEach-Object { "$_" } | Where-Object { $_ })
    if ($LASTEXITCODE -ne 0) {
        throw "the $Step step failed on $($cfg.Instance) (sqlcmd exit code $LASTEXITCODE): $($output -join '; ')"
    }
    if ($output.Count -gt 0) {
        Write-StepEvent Information $cfg.DoneEventId "$Step-maintenance step on $($cfg.Instance): $($output -join '; ')"
    }
} catch {
    Write-StepEvent Error $cfg.FailedEventId "$Step-maintenance step: $($_.Exception.Message)"
    exit 1
}
