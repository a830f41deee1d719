# ---------------------------------------------------------------------------------------------------------
# The cumulative update installer and the proof of its effect, shared by phase A (the update before the
# Deployment Wizard's steps, KB4015888) and the update phase. Source keys as in the shared helpers;
# [MSI:<topic>] is the Windows Installer reference https://learn.microsoft.com/en-us/windows/win32/msi/<topic>.
# ---------------------------------------------------------------------------------------------------------
function Get-MsiProperty([string]$Path, [string]$Property) {
    # A property of an MSI package, read through the Windows Installer automation interface.
    $installer = New-Object -ComObject WindowsInstaller.Installer
    $database = $installer.GetType().InvokeMember('OpenDatabase', 'InvokeMethod', $null, $installer, @($Path, 0))
    $query = "SELECT Value FROM Property WHERE Property = '$Property'"
    $view = $database.GetType().InvokeMember('OpenView', 'InvokeMethod', $null, $database, @($query))
    $view.GetType().InvokeMember('Execute', 'InvokeMethod', $null, $view, $null) | Out-Null
    $record = $view.GetType().InvokeMember('Fetch', 'InvokeMethod', $null, $view, $null)
    $value = $record.GetType().InvokeMember('StringData', 'GetProperty', $null, $record, @(1))
    $view.GetType().InvokeMember('Close', 'InvokeMethod', $null, $view, $null) | Out-Null
    [void][System.Runtime.InteropServices.Marshal]::ReleaseComObject($database)
    return $value
}

function Get-CorePackagePath {
    # The core components' MSI on the media copy (OCSCore.msi [lync-install.md 1.3], skype2015.md 5).
    return (Join-Path (Get-SetupFolder $cfg.MediaFolder) 'Setup\OCSCore.msi')
}

function Get-MediaVersion {
    # The version the media's core components install: the MSI's ProductVersion property [MSI:productversion].
    return [version](Get-MsiProperty (Get-CorePackagePath) 'ProductVersion')
}

function Get-CoreVersion {
    # The installed core components' version, as Windows Installer reports it for their ProductCode
    # (Installer.ProductInfo, VersionString [MSI:installer-productinfo]); a cumulative update patches it. The
    # registered version is the method Microsoft names beside Get-CsServerPatchVersion, which Lync Server 2013
    # lacks [PS:Get-CsServerPatchVersion]. $null when the core components are not installed.
    $code = Get-MsiProperty (Get-CorePackagePath) 'ProductCode'
    $installer = New-Object -ComObject WindowsInstaller.Installer
    try {
        $text = $installer.GetType().InvokeMember('ProductInfo', 'GetProperty', $null, $installer, @($code, 'VersionString'))
    } catch {
        return $null
    }
    if (-not $text) {
        return $null
    }
    return [version]$text
}

function Get-UpdateInstaller([string]$Installer) {
    # The installer's path on the media copy; a clear failure when it was not uploaded.
    $path = Join-Path $cfg.MediaFolder $Installer
    if (-not (Test-Path -LiteralPath $path)) {
        throw "The update installer $path is not in the media: upload it under software.mediaUri"
    }
    return $path
}

function Install-UpdateInstaller([string]$Installer) {
    # Runs the product's cumulative update installer (skype2015.md 5) with /silentmode, which appears only in third-party scripts (UNCONFIRMED; /forcereboot is
    # left out, so the installer never restarts the VM). Its effect is therefore checked: the core components'
    # version must be above the media's (the update reached them), else the phase fails.
    $path = Get-UpdateInstaller $Installer
    $media = Get-MediaVersion
    $before = Get-CoreVersion
    Invoke-Native $path @('/silentmode') -Success @(0, 3010)
    $after = Get-CoreVersion
    Write-PhaseLog "   core components: $before before, $after after $Installer (media $media)"
    if (-not $after -or $after -le $media) {
        throw "$Installer /silentmode ended, but the core components are at $after, not above the media's $media: the update was not installed. The switch is not in Microsoft's documentation: run $path on this server by hand, read its log, then set a new software.runToken"
    }
    if ($before -and $after -eq $before) {
        Write-PhaseLog "WARNING: $Installer left the core components at $after: they had this update already (phase A on Windows Server 2016/2019), or it holds no newer one"
    }
}
