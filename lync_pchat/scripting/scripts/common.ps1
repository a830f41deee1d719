# ---------------------------------------------------------------------------------------------------------
# Shared helpers. Source keys: [L:<slug>] is the Lync Server 2013 topic
# https://learn.microsoft.com/en-us/previous-versions/office/lync-server-2013/<slug>; [PS:<Cmdlet>] its cmdlet
# reference; [AZ:<path>] MicrosoftDocs/azure-compute-docs articles/virtual-machines/<path>; [QS-AZ:<file>]
# Azure/azure-quickstart-templates skypeforbusiness-lab-1/<file>; [QS-AWS] the AWS Quick Start
# Install-Lync2013.ps1; [lync-install.md <n>] the project's install reference, section n.
# [PS:about_<topic>] and [PS:Write-Host] are PowerShell's reference (learn.microsoft.com/powershell).
# ---------------------------------------------------------------------------------------------------------
$ProgressPreference = 'SilentlyContinue'
$script:Step = 'start'
$script:RestartAsked = @()

function Write-PhaseLog([string]$Message) {
    # One line of the phase's log, appended to the log file itself (UTF-8, no byte order mark): PowerShell 4.0
    # (Windows Server 2012 R2) has no information stream, which came with PowerShell 5.0 [PS:about_Output_Streams],
    # so no redirection of the task carries its Write-Host output ("Starting in Windows PowerShell 5.0, Write-Host
    # is a wrapper for Write-Information" [PS:Write-Host]). The log sits beside the phase's marker
    # (lync_pchat.install.supervisor.log_path); run by hand, without a marker, the line goes to the console.
    if (-not $cfg.State) {
        Write-Host $Message
        return
    }
    $log = [IO.Path]::ChangeExtension($cfg.State, '.log')
    [IO.File]::AppendAllText($log, $Message + [Environment]::NewLine, (New-Object Text.UTF8Encoding($false)))
}

function Invoke-Step([string]$Name, [scriptblock]$Action) {
    # One step: its name is what the failure summary names, and the progress on disk.
    $script:Step = $Name
    Write-PhaseLog "== $Name"
    Set-PhaseState 'running'
    & $Action
}

function Get-BootTime {
    # When Windows last started (UTC): a restart asked in this boot is still to come, one asked in an earlier
    # boot has happened.
    return (Get-CimInstance -ClassName Win32_OperatingSystem).LastBootUpTime.ToUniversalTime().ToString('o')
}

function Read-PhaseState {
    # This phase's marker, or $null (lync_pchat.install.supervisor).
    if ($cfg.State -and (Test-Path -LiteralPath $cfg.State)) {
        return (Get-Content -Raw -LiteralPath $cfg.State | ConvertFrom-Json)
    }
    return $null
}

function Set-PhaseState([string]$Status, [string]$Detail = '') {
    # The phase's progress on disk, which the Run Command waiting for this run reads: its status, its step, the
    # boot it was written in, and the run it belongs to (kept from the marker the Run Command wrote).
    if (-not $cfg.State) {
        return
    }
    $previous = Read-PhaseState
    $run = ''
    if ($previous) {
        $run = [string]$previous.RunId
    }
    $state = [ordered]@{ RunId = $run; Status = $Status; Step = $script:Step; Detail = $Detail; Boot = (Get-BootTime) }
    $state | ConvertTo-Json | Set-Content -LiteralPath $cfg.State -Encoding UTF8
}

function Request-Restart([string[]]$Reasons) {
    # A restart in the middle of a phase: the progress goes on disk and this run ends; the Run Command waiting for
    # it restarts the server, and the scheduled task runs this script again at startup, which skips every step
    # it finds done (lync_pchat.install.supervisor). Run by hand, without a marker, it says what to do.
    $text = $Reasons -join '; '
    if (-not $cfg.State) {
        throw "A restart is needed ($text): restart $env:COMPUTERNAME, then run this again"
    }
    Write-PhaseLog "   a restart is needed ($text): the install continues after it"
    Set-PhaseState 'restart' $text
    exit 0
}

function Complete-Phase([string]$Message) {
    # The last line of a phase that succeeded, and its marker.
    Write-PhaseLog $Message
    Set-PhaseState 'done'
}

function Write-Skip([string]$Reason) {
    # Each guard that finds its step done says so.
    Write-PhaseLog "   already done, skipped: $Reason"
}

function Write-Failure([System.Management.Automation.ErrorRecord]$Record) {
    # The Run Command keeps only the last 4 KB of output [AZ:windows/run-command-managed.md]: the failing step
    # and its error, on one line, last.
    $message = ($Record.Exception.Message -replace '\s+', ' ').Trim()
    Write-PhaseLog "FAILED in step '$($script:Step)': $message"
    Set-PhaseState 'failed' $message
}

function Invoke-Native([string]$FilePath, [string[]]$Arguments, [int[]]$Success = @(0)) {
    # Starts a program, waits for it (and what it starts), and fails unless its exit code is one of $Success.
    Write-PhaseLog "   $FilePath $($Arguments -join ' ')"
    $process = Start-Process -FilePath $FilePath -ArgumentList $Arguments -Wait -PassThru -NoNewWindow
    $code = $process.ExitCode
    if ($Success -notcontains $code) {
        throw "$FilePath exited with code $code"
    }
    if ($code -eq 3010) {
        # Success pending a restart: Get-PendingRestart reports it, so the run stops before anything needs the
        # replaced files ("If you're prompted to restart ... run Step 2 one more time"
        # [L:lync-server-2013-install-lync-server-server-components]).
        Write-PhaseLog "WARNING: $FilePath asks for a restart (exit code 3010)"
        $script:RestartAsked += "$(Split-Path -Leaf $FilePath) (exit code 3010)"
    }
}

function Assert-Elevated {
    # Setup, msiexec, Install-WindowsFeature and the Lync cmdlets need an elevated administrator; the Run Command
    # runs as the setup account, whose token Windows may filter (UAC): fail here rather than halfway.
    $identity = [Security.Principal.WindowsIdentity]::GetCurrent()
    $principal = New-Object Security.Principal.WindowsPrincipal($identity)
    if (-not $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) {
        throw "$($identity.Name) runs without administrator rights here: make it a local administrator (the bootstrap does), then run the phase again (a new software.runToken)"
    }
    Write-PhaseLog "   $($identity.Name) runs elevated"
}

function Test-Service([string]$Name) {
    # Whether a Windows service of that name is installed.
    return [bool](Get-Service -Name $Name -ErrorAction SilentlyContinue)
}

function Get-SetupFolder([string]$MediaFolder) {
    # Setup\amd64 of the media copy, as Bootstrapper.exe /SourceDirectory takes it [QS-AWS].
    return (Join-Path $MediaFolder 'Setup\amd64')
}

function Get-Bootstrapper {
    # OCSCore.msi installs Bootstrapper.exe in the product's Deployment folder [lync-install.md 1.3] [QS-AWS]
    # [QS-AZ:scripts/SfB-Install.ps1] (skype2015.md 5).
    $path = Join-Path $env:ProgramFiles $cfg.Product.Bootstrapper
    if (-not (Test-Path -LiteralPath $path)) {
        throw "Bootstrapper.exe is missing ($path): the core components (OCSCore.msi) are not installed"
    }
    return $path
}

function Get-LyncModulePath {
    # The Management Shell module: Lync [L:lync-server-2013-front-end-pool-abc-failover-procedure], or
    # SkypeForBusiness [QS-AZ:scripts/SfB-Install.ps1] (skype2015.md 5).
    return (Join-Path $env:CommonProgramFiles $cfg.Product.ModulePath)
}

function Import-LyncModule {
    # Loads the Cs cmdlets once the core components and administrative tools are installed.
    if (Get-Module -Name $cfg.Product.Module) {
        return
    }
    $module = Get-LyncModulePath
    if (-not (Test-Path -LiteralPath $module)) {
        throw "The $($cfg.Product.Name) Management Shell is not installed ($module): run the server phase (A) first"
    }
    Import-Module $module
}

function Get-PendingRestart {
    # Why Windows waits for a restart: servicing, Windows Update, a feature installed pending a restart (the
    # bootstrap installs the features and schedules the restart), or an installer of this run that exited 3010.
    $reasons = @()
    if (Test-Path 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\RebootPending') {
        $reasons += 'component servicing'
    }
    if (Test-Path 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Auto Update\RebootRequired') {
        $reasons += 'Windows Update'
    }
    $pending = @(Get-WindowsFeature | Where-Object { $_.InstallState -eq 'InstallPending' } | ForEach-Object { $_.Name })
    if ($pending.Count -gt 0) {
        $reasons += 'features ' + ($pending -join ', ')
    }
    return @($reasons + $script:RestartAsked)
}
