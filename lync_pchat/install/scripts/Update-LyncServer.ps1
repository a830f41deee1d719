<#
.SYNOPSIS
    The cumulative update of Lync Server 2013, on one Persistent Chat or Standard Edition server.
.DESCRIPTION
    Rendered from the stack's plan by lync_pchat.install.update_script: regenerate it rather than edit it.
    A managed Run Command runs it as the setup account, in a process of its own, after the server phase (A) and
    before the pool's databases (B) and the start (C): the databases are created with the updated tools, and no
    Lync Server Management Shell holds the files the update replaces [lync-install.md 1.6]
    [L:lync-server-2013-upgrade-or-update-a-back-end-server-or-standard-edition-server].
    Runs once per installer path, recorded in the registry. A new update: upload it under its own folder of the
    media and set software.updateInstaller to its path (e.g. cu2023-02/LyncServerUpdateInstaller.exe); only this
    script changes, so only it runs again: it copies the new files, installs, and starts the services that ran.
    The databases of an Enterprise pool's stores are not updated here: follow the update's own instructions.
#>
$ErrorActionPreference = 'Stop'
{{ settings }}
{{ helpers }}
{{ media }}
{{ update }}

# ---------------------------------------------------------------------------------------------------------
# Update helpers
# ---------------------------------------------------------------------------------------------------------
function Test-UpdateRecorded([string]$Installer) {
    # Whether this installer already ran to its end here.
    $recorded = Get-ItemProperty -Path $cfg.UpdateKey -Name $cfg.UpdateValue -ErrorAction SilentlyContinue
    return ($recorded -and $recorded.($cfg.UpdateValue) -eq $Installer)
}

function Invoke-LyncShell([scriptblock]$Block, $Argument = $false) {
    # A new Lync Server Management Shell: the update procedure closes every shell before the update and starts a
    # new one after it [L:lync-server-2013-upgrade-or-update-a-back-end-server-or-standard-edition-server] steps
    # 6 and 8, so this session never loads the assemblies the update replaces.
    & powershell.exe -NoProfile -NonInteractive -Command $Block -args (Get-LyncModulePath), $Argument
    if ($LASTEXITCODE -ne 0) {
        throw "The Lync Server Management Shell step exited with code $LASTEXITCODE"
    }
}

function Get-RunningService {
    # The Lync Server services of this computer that run (none before the start phase) [PS:Get-CsWindowsService].
    $names = { param($Module) $ErrorActionPreference = 'Stop'; Import-Module $Module; Get-CsWindowsService | Where-Object { $_.Status -eq 'Running' } | ForEach-Object { $_.Name } }
    return @(Invoke-LyncShell $names)
}

function Install-Update([string]$Installer) {
    # [L:lync-server-2013-upgrade-or-update-a-back-end-server-or-standard-edition-server]: stop the services
    # (step 4) and IIS (step 5), install (step 7), stop the services again for the GAC'd assemblies (step 9),
    # restart IIS (step 10), and on a Standard Edition server update its databases (step 11, -LocalDatabases);
    # then the services that ran before, started again (step 12).
    # The installer and the check of its effect: Install-UpdateInstaller (the KB 2809243 text was not available).
    Get-UpdateInstaller $Installer | Out-Null
    $running = @(Get-RunningService)
    Invoke-LyncShell { param($Module) $ErrorActionPreference = 'Stop'; Import-Module $Module; Stop-CsWindowsService }
    $web = Get-Service -Name W3SVC -ErrorAction SilentlyContinue
    $restartWeb = [bool]($web -and $web.Status -eq 'Running')
    if ($restartWeb) {
        Stop-Service -Name W3SVC
    }
    Install-UpdateInstaller $Installer
    $after = {
        param($Module, $UpdateLocalDatabases)
        $ErrorActionPreference = 'Stop'
        Import-Module $Module
        Stop-CsWindowsService
        if ($UpdateLocalDatabases) {
            Install-CsDatabase -Update -LocalDatabases
        }
    }
    # On the first install the Standard Edition databases do not exist yet: phase B creates them after this
    # update, with the updated tools; a later update finds them and updates them here.
    $updateLocal = [bool]($cfg.LocalDatabasesService -and (Test-Service $cfg.LocalDatabasesService))
    Invoke-LyncShell $after $updateLocal
    if ($restartWeb) {
        Start-Service -Name W3SVC
    }
    if (-not (Test-Path -Path $cfg.UpdateKey)) {
        New-Item -Path $cfg.UpdateKey | Out-Null
    }
    Set-ItemProperty -Path $cfg.UpdateKey -Name $cfg.UpdateValue -Value $Installer
    $reasons = @(Get-PendingRestart)
    if ($reasons.Count -gt 0) {
        # The services start again after the restart, in the resumed run.
        Request-Restart $reasons
    }
    if ($running.Count -gt 0) {
        # Leave the services as the update found them: a later update runs on a serving pool.
        Invoke-LyncShell { param($Module, $Names) $ErrorActionPreference = 'Stop'; Import-Module $Module; foreach ($n in $Names) { Start-CsWindowsService -Name $n } } $running
    }
}

# ---------------------------------------------------------------------------------------------------------
# Steps
# ---------------------------------------------------------------------------------------------------------
try {
    Invoke-Step 'Check that the run is elevated' {
        # The Run Command runs as runAsUser [AZ:windows/run-command-managed.md]; setup needs a local administrator
        # [lync-install.md 1.4].
        Assert-Elevated
    }

    Invoke-Step 'Install the cumulative update' {
        # [lync-install.md 1.6] [L:lync-server-2013-upgrade-or-update-a-back-end-server-or-standard-edition-server].
        if (Test-UpdateRecorded $cfg.UpdateInstaller) {
            Write-Skip "$($cfg.UpdateInstaller) is installed"
        } else {
            # The media folder may have gained the update since the server phase copied it.
            Copy-Media
            Install-Update $cfg.UpdateInstaller
        }
    }

    Complete-Phase "Update done on $($cfg.ComputerFqdn): $($cfg.UpdateInstaller)"
} catch {
    Write-Failure $_
    exit 1
}
