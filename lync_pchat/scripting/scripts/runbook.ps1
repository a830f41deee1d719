# A runbook an install phase carries as data ($cfg.Runbook), written to $cfg.RunbookPath and run.
function Write-Runbook([string]$Note = '') {
    # The runbook the phase carries as data ($cfg.Runbook) into $cfg.RunbookPath, UTF-8 with a byte order mark
    # (which Windows PowerShell reads as UTF-8).
    [IO.File]::WriteAllText($cfg.RunbookPath, $cfg.Runbook, (New-Object System.Text.UTF8Encoding $true))
    Write-PhaseLog "   $($cfg.RunbookPath)$Note"
}

function Invoke-Runbook([hashtable]$Arguments = @{}) {
    # Runs $cfg.RunbookPath with $Arguments, every line it writes into the phase log; the runbook names what failed
    # in warnings and ends with exit code 1. Returns those warnings, and $LASTEXITCODE is the runbook's.
    $failed = New-Object System.Collections.Generic.List[string]
    $global:LASTEXITCODE = 0
    & $cfg.RunbookPath @Arguments *>&1 | ForEach-Object {
        if ($_ -is [System.Management.Automation.WarningRecord]) {
            $failed.Add($_.Message)
            Write-PhaseLog "WARNING: $($_.Message)"
        } else {
            Write-PhaseLog ([string]$_)
        }
    }
    return , $failed.ToArray()
}
