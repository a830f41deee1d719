<#
.SYNOPSIS
    Runs one phase of the unattended installation without a person: across restarts, elevated, as the setup account.
.DESCRIPTION
    Rendered by lync_pchat.install.supervisor.supervisor_script: regenerate it rather than edit it.
    A managed Run Command runs this as SYSTEM (the setup account's password arrives as the protected parameter
    SetupPassword [AZ:windows/run-command-managed.md]). It writes the phase script to the server and registers it
    as a scheduled task that runs as the setup account with the highest privileges: Task Scheduler gives a task of
    run level "highest" the account's full (elevated) token [TS:principal-runlevel], which a Run Command's
    runAsUser is not documented to give. The task runs PowerShell with -NonInteractive, so a prompt no parameter
    answers fails the step at once instead of waiting for the timeout [PS:about_PowerShell_exe].
    The phase script records its progress in a marker on disk. This run waits for the marker, streams the phase's
    log into its own output, and:
      done     -> succeeds, and removes the task (and with it the stored password);
      failed   -> removes the task, fails with the step and the error;
      timed out, or more restarts than planned
               -> stops and removes the task (and the stored password), marks the phase failed, and fails;
      restart  -> schedules the restart as its last action and succeeds; the next Run Command of the phase waits
                  for the task, which runs again at startup and skips every step it finds done.
    A new run id (a new script or software.runToken) starts the phase again.
#>
param([string]$SetupPassword)
$ErrorActionPreference = 'Stop'
{{ settings }}
{{ helpers }}
{{ membership }}
{{ protect }}

# ---------------------------------------------------------------------------------------------------------
# Supervisor helpers
# ---------------------------------------------------------------------------------------------------------
function Get-FirstAction($State) {
    # lync_pchat.install.supervisor.first_action.
    if (-not $State -or $State.RunId -ne $cfg.RunId) {
        return 'start'
    }
    if ($State.Status -eq 'done') {
        return 'done'
    }
    if ($State.Status -eq 'failed') {
        if ($cfg.Attempt -eq 0) {
            return 'start'
        }
        return 'failed'
    }
    return 'wait'
}

function Get-WaitAction($State, [string]$Boot) {
    # lync_pchat.install.supervisor.wait_action.
    if ($State.Status -eq 'done') {
        return 'done'
    }
    if ($State.Status -eq 'failed') {
        return 'failed'
    }
    if ($State.Status -eq 'restart') {
        if ($State.Boot -ne $Boot) {
            return 'kick'
        }
        if ($cfg.Attempt -lt $cfg.Restarts) {
            return 'restart'
        }
        return 'exhausted'
    }
    return 'wait'
}

function Grant-LocalAdministrator {
    # The setup account is a local administrator while a phase runs: the bootstrap made it one, and a phase that
    # runs again after the release (a new software.runToken) needs it again. Added, then read back
    # (Set-SetupAdministrator).
    if (-not (Test-SetupAdministrator '.')) {
        Set-SetupAdministrator '.' $true
        Write-Host "   $($cfg.SetupUser) is a local administrator again"
    }
}

function Start-Phase {
    # The phase script on disk, the marker of this run, and the task: as the setup account, run level highest, at
    # startup (the resume) and now.
    Grant-LocalAdministrator
    # The phase's folder: the task runs its script with the setup account's elevated token, and the script and
    # its log may name servers and accounts.
    Protect-Folder $cfg.Folder
    # The script travels gzip-compressed in base64 (lync_pchat.install.supervisor).
    $packed = New-Object IO.MemoryStream(, [Convert]::FromBase64String($cfg.Script))
    $reader = New-Object IO.StreamReader((New-Object IO.Compression.GZipStream($packed, [IO.Compression.CompressionMode]::Decompress)), [Text.Encoding]::UTF8)
    try { $text = $reader.ReadToEnd() } finally { $reader.Dispose() }
    Set-Content -LiteralPath $cfg.ScriptPath -Value $text -Encoding UTF8
    $state = [ordered]@{ RunId = $cfg.RunId; Status = 'queued'; Step = ''; Detail = $cfg.Command; Boot = (Get-BootTime) }
    $state | ConvertTo-Json | Set-Content -LiteralPath $cfg.State -Encoding UTF8
    # The phase writes its own lines to the log (Write-PhaseLog); what else it emits on the streams PowerShell 4.0
    # has (output, error, warning, verbose, debug [PS:about_Redirection]) is appended here, line by line, so that
    # both writers share the file (each append opens and closes it).
    $append = "[IO.File]::AppendAllText('$($cfg.LogPath)', [string]`$_ + [Environment]::NewLine)"
    $command = "& '$($cfg.ScriptPath)' *>&1 | ForEach-Object { $append }; exit `$LASTEXITCODE"
    $action = New-ScheduledTaskAction -Execute 'powershell.exe' -Argument "-NoProfile -NonInteractive -ExecutionPolicy Bypass -Command `"$command`""
    $trigger = New-ScheduledTaskTrigger -AtStartup
    $limit = New-TimeSpan -Minutes $cfg.TimeoutMinutes
    $settings = New-ScheduledTaskSettingsSet -ExecutionTimeLimit $limit -MultipleInstances IgnoreNew -AllowStartIfOnBatteries -DontStopIfGoingOnBatteries
    $task = @{ TaskName = $cfg.TaskName; TaskPath = $cfg.TaskPath; Action = $action; Trigger = $trigger; Settings = $settings }
    Register-ScheduledTask @task -User $cfg.SetupUser -Password $SetupPassword -RunLevel Highest -Force | Out-Null
    Start-ScheduledTask -TaskName $cfg.TaskName -TaskPath $cfg.TaskPath
    Write-Host "   $($cfg.Phase) started as $($cfg.SetupUser) (run $($cfg.RunId))"
}

function Test-TaskRunning {
    $task = Get-ScheduledTask -TaskName $cfg.TaskName -TaskPath $cfg.TaskPath -ErrorAction SilentlyContinue
    return [bool]($task -and $task.State -eq 'Running')
}

function Remove-Task {
    # The task, and the password Task Scheduler stored for it, go once the phase is over.
    Unregister-ScheduledTask -TaskName $cfg.TaskName -TaskPath $cfg.TaskPath -Confirm:$false -ErrorAction SilentlyContinue
}

function Stop-Phase([string]$Why) {
    # A phase that cannot finish (timed out, or more restarts than planned): its task stops and goes, with the
    # stored password; the marker says failed, so that the phase's next run starts it again instead of waiting
    # for a task that is gone.
    Stop-ScheduledTask -TaskName $cfg.TaskName -TaskPath $cfg.TaskPath -ErrorAction SilentlyContinue
    Remove-Task
    Set-PhaseState 'failed' $Why
}

function Write-Log([long]$Position) {
    # The phase log from $Position on, into this run's output (which goes to the output blob); the new position.
    if (-not (Test-Path -LiteralPath $cfg.LogPath)) {
        return $Position
    }
    $stream = [IO.File]::Open($cfg.LogPath, 'Open', 'Read', 'ReadWrite')
    try {
        [void]$stream.Seek($Position, 'Begin')
        $reader = New-Object IO.StreamReader($stream)
        $text = $reader.ReadToEnd()
        if ($text) {
            Write-Host $text.TrimEnd()
        }
        return $stream.Position
    } finally {
        $stream.Dispose()
    }
}

function Invoke-Restart([string]$Step) {
    # The last action of this Run Command: Windows restarts $cfg.RestartDelay seconds after it reports.
    & shutdown.exe /r /t $cfg.RestartDelay /d p:4:2 /c "lync-pchat: $($cfg.Phase) resumes after this restart"
    # 1190: a shutdown is already scheduled, which does the same.
    if (@(0, 1190) -notcontains $LASTEXITCODE) {
        throw "shutdown.exe failed with exit code $LASTEXITCODE"
    }
    Write-Host "Restart scheduled after '$Step': $($cfg.Next) continues $($cfg.Phase) after it"
}

# ---------------------------------------------------------------------------------------------------------
# Steps
# ---------------------------------------------------------------------------------------------------------
try {
    $script:Step = "$($cfg.Command): start"
    $state = Read-PhaseState
    $first = Get-FirstAction $state
    if ($first -eq 'done') {
        Write-Host "$($cfg.Phase) is done for run $($cfg.RunId): nothing to do"
        Remove-Task
        exit 0
    }
    if ($first -eq 'failed') {
        Remove-Task
        throw "$($cfg.Phase) failed in step '$($state.Step)': $($state.Detail)"
    }
    if ($first -eq 'start') {
        Start-Phase
    }
    $script:Step = "$($cfg.Command): wait"
    $deadline = (Get-Date).AddMinutes($cfg.TimeoutMinutes)
    $position = 0
    while ($true) {
        $position = Write-Log $position
        $state = Read-PhaseState
        $action = Get-WaitAction $state (Get-BootTime)
        if ($action -eq 'done') {
            Remove-Task
            Write-Host "$($cfg.Phase) done"
            exit 0
        }
        if ($action -eq 'failed') {
            Remove-Task
            throw "$($cfg.Phase) failed in step '$($state.Step)': $($state.Detail)"
        }
        if ($action -eq 'restart') {
            Invoke-Restart $state.Step
            exit 0
        }
        if ($action -eq 'exhausted') {
            Stop-Phase "more than $($cfg.Restarts) restart(s): $($state.Detail)"
            throw "$($cfg.Phase) asks for more than $($cfg.Restarts) restart(s) ($($state.Detail)): restart $env:COMPUTERNAME, then set a new software.runToken and run pulumi up"
        }
        if ($action -eq 'kick' -and -not (Test-TaskRunning)) {
            # After the restart the task starts at startup; if it did not, it starts now.
            Start-ScheduledTask -TaskName $cfg.TaskName -TaskPath $cfg.TaskPath
        }
        if ((Get-Date) -gt $deadline) {
            Stop-Phase "not finished within $($cfg.TimeoutMinutes) minutes"
            throw "$($cfg.Phase) did not finish within $($cfg.TimeoutMinutes) minutes (last step '$($state.Step)')"
        }
        Start-Sleep -Seconds $cfg.Poll
    }
} catch {
    $message = ($_.Exception.Message -replace '\s+', ' ').Trim()
    Write-Host "FAILED in step '$($script:Step)': $message"
    exit 1
}
