<#
.SYNOPSIS
    Phase C of the unattended Lync Server 2013 installation: the cumulative update, then the services.
.DESCRIPTION
    Rendered from the stack's plan by lync_pchat.install.start_script: regenerate it rather than edit it.
    A managed Run Command runs it as the setup account on every server of phase A, once the pool's database
    phase (B) is done. The steps follow the install table [lync-install.md 1.4]:
      1. the cumulative update, when software.updateInstaller names one [lync-install.md 1.6]
      2. Enable-CsComputer (table step 7) and Start-CsWindowsService (step 8)
      3. every Lync Server service of this computer running, or a failure naming those that are not
    Safe to run again: every step checks what is done and says when it skips; the update runs once per
    installer name, recorded in the registry.
#>
$ErrorActionPreference = 'Stop'
{{ settings }}
{{ helpers }}

# ---------------------------------------------------------------------------------------------------------
# Phase C helpers
# ---------------------------------------------------------------------------------------------------------
function Test-UpdateRecorded([string]$Installer) {
    # Whether this installer already ran to its end here.
    $recorded = Get-ItemProperty -Path $cfg.UpdateKey -Name $cfg.UpdateValue -ErrorAction SilentlyContinue
    return ($recorded -and $recorded.($cfg.UpdateValue) -eq $Installer)
}

function Invoke-LyncShell([scriptblock]$Block, [bool]$UpdateLocalDatabases = $false) {
    # A new Lync Server Management Shell: the update procedure closes every shell before the update and starts a
    # new one after it [L:lync-server-2013-upgrade-or-update-a-back-end-server-or-standard-edition-server] steps
    # 6 and 8, so this session never loads the assemblies the update replaces.
    & powershell.exe -NoProfile -NonInteractive -Command $Block -args (Get-LyncModulePath), $UpdateLocalDatabases
    if ($LASTEXITCODE -ne 0) {
        throw "The Lync Server Management Shell step exited with code $LASTEXITCODE"
    }
}

function Install-Update([string]$Installer) {
    # [L:lync-server-2013-upgrade-or-update-a-back-end-server-or-standard-edition-server]: stop the services
    # (step 4) and IIS (step 5), install (step 7), stop the services again for the GAC'd assemblies (step 9),
    # restart IIS (step 10), and on a Standard Edition server update its databases (step 11, -LocalDatabases).
    # LyncServerUpdateInstaller.exe /silentmode: the switch appears only in third-party scripts (UNCONFIRMED, the
    # KB 2809243 text was not available); /forcereboot is left out, so the installer never restarts the VM.
    $path = Join-Path $cfg.MediaFolder $Installer
    if (-not (Test-Path -LiteralPath $path)) {
        throw "The update installer $path is not in the media copy: put it under software.mediaUri and run the server phase (A) again"
    }
    Invoke-LyncShell { param($Module) $ErrorActionPreference = 'Stop'; Import-Module $Module; Stop-CsWindowsService }
    $web = Get-Service -Name W3SVC -ErrorAction SilentlyContinue
    $restartWeb = [bool]($web -and $web.Status -eq 'Running')
    if ($restartWeb) {
        Stop-Service -Name W3SVC
    }
    Invoke-Native $path @('/silentmode')
    $after = {
        param($Module, $UpdateLocalDatabases)
        $ErrorActionPreference = 'Stop'
        Import-Module $Module
        Stop-CsWindowsService
        if ($UpdateLocalDatabases) {
            Install-CsDatabase -Update -LocalDatabases
        }
    }
    Invoke-LyncShell $after $cfg.UpdateLocalDatabases
    if ($restartWeb) {
        Start-Service -Name W3SVC
    }
    if (-not (Test-Path -Path $cfg.UpdateKey)) {
        New-Item -Path $cfg.UpdateKey | Out-Null
    }
    Set-ItemProperty -Path $cfg.UpdateKey -Name $cfg.UpdateValue -Value $Installer
}

function Get-StoppedService {
    # The Lync Server services of this computer that are not running [PS:Get-CsWindowsService].
    $services = @(Get-CsWindowsService -ErrorAction SilentlyContinue)
    if ($services.Count -eq 0) {
        throw 'No Lync Server service is installed on this computer: run the server phase (A) first'
    }
    return @($services | Where-Object { $_.Status -ne 'Running' } | ForEach-Object { $_.Name })
}

function Test-ServicesRunning {
    return (@(Get-StoppedService).Count -eq 0)
}

function Wait-Service([int]$Minutes) {
    # Start-CsWindowsService is best effort [L:lync-server-2013-start-services-on-servers]: check every service.
    $deadline = (Get-Date).AddMinutes($Minutes)
    $stopped = @(Get-StoppedService)
    while ($stopped.Count -gt 0) {
        if ((Get-Date) -gt $deadline) {
            throw "Lync Server services not running after $Minutes minutes: $($stopped -join ', ')"
        }
        Start-Sleep -Seconds 20
        $stopped = @(Get-StoppedService)
    }
    Write-Host "   every Lync Server service of $($cfg.ComputerFqdn) is running"
}

# ---------------------------------------------------------------------------------------------------------
# Steps
# ---------------------------------------------------------------------------------------------------------
try {
    Invoke-Step 'Install the cumulative update' {
        # [lync-install.md 1.6] [L:lync-server-2013-upgrade-or-update-a-back-end-server-or-standard-edition-server].
        if (-not $cfg.UpdateInstaller) {
            Write-Skip 'no cumulative update is configured (software.updateInstaller)'
        } elseif (Test-UpdateRecorded $cfg.UpdateInstaller) {
            Write-Skip "$($cfg.UpdateInstaller) is installed"
        } else {
            Install-Update $cfg.UpdateInstaller
        }
    }

    Invoke-Step 'Load the Lync Server Management Shell' {
        # Only now, after the update [lync-install.md 1.6]: the module that OCSCore.msi installs [QS-AWS].
        Import-LyncModule
    }

    Invoke-Step 'Enable the computer' {
        # [PS:Enable-CsComputer] activates the installed roles [lync-install.md 1.4] step 7; services that run
        # show it done.
        if (Test-ServicesRunning) {
            Write-Skip 'the Lync Server services are running'
        } else {
            Enable-CsComputer
        }
    }

    Invoke-Step 'Start the services' {
        # [L:lync-server-2013-start-services-on-servers] Step 4 of the Deployment Wizard [PS:Start-CsWindowsService].
        if (Test-ServicesRunning) {
            Write-Skip 'the Lync Server services are running'
        } else {
            Start-CsWindowsService
        }
    }

    Invoke-Step 'Verify the services' {
        # Get-CsWindowsService lists this computer's Lync Server services [PS:Get-CsWindowsService].
        Wait-Service -Minutes 15
    }

    Write-Host "Phase C done on $($cfg.ComputerFqdn): Persistent Chat is running"
} catch {
    Write-Failure $_
    exit 1
}
