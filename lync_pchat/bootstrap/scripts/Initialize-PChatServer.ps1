# Prepares a Persistent Chat, Standard Edition or SQL Server VM. Safe to run again: every step
# checks what is already done. Runs as LocalSystem (CustomScriptExtension), after the domain join.
# 1. Formats every raw data disk NTFS, by LUN, with its drive letter, label and allocation unit,
#    and refuses any data volume that is not NTFS.
# 2. Installs the Windows features the role needs.
# 3. Creates the folders the plan names, each granted to its accounts.
# 4. With the install phase, its setup account a local administrator (and a sysadmin on SQL Servers).
# 5. SQL Servers: default data, log and backup folders and tempdb on their volumes (restarting SQL
#    Server while tempdb's move is pending), SQL Server Agent running, firewall exceptions for SQL
#    Server and mirroring, and WMI for the mirroring setup.
# 6. Creates the file shares the plan puts on this server, granted to the computer accounts that use them.
$ErrorActionPreference = 'Stop'
$cfg = ConvertFrom-Json {{ config }}

function Resolve-Account([string]$Name) {
    # A domain computer account (NAME$) or a local name as Windows resolves it; $null when it cannot.
    try {
        $sid = (New-Object System.Security.Principal.NTAccount($Name)).Translate([System.Security.Principal.SecurityIdentifier])
        return $sid.Translate([System.Security.Principal.NTAccount]).Value
    } catch {
        return $null
    }
}

foreach ($v in $cfg.volumes) {
    $disk = Get-Disk | Where-Object { $_.PartitionStyle -eq 'RAW' -and $_.Location -match "LUN $($v.lun)$" }
    if ($disk) {
        $disk | Initialize-Disk -PartitionStyle GPT -PassThru |
            New-Partition -DriveLetter $v.letter -UseMaximumSize |
            Format-Volume -FileSystem NTFS -AllocationUnitSize ($v.auKb * 1024) -NewFileSystemLabel $v.label -Confirm:$false |
            Out-Null
    }
    $fs = (Get-Volume -DriveLetter $v.letter).FileSystem
    if ($fs -ne 'NTFS') { throw "Volume $($v.letter): is $fs; Persistent Chat requires NTFS" }
}

$restart = $false
if ($cfg.features.Count -gt 0) {
    $result = Install-WindowsFeature -Name $cfg.features
    if (-not $result.Success) { throw "Install-WindowsFeature failed: $($cfg.features -join ', ')" }
    $restart = $result.RestartNeeded -eq 'Yes'
}

function Grant-Folder([string]$Path, [string[]]$Grants) {
    # Each grant is icacls's ACCOUNT:(OI)(CI)RIGHTS.
    foreach ($grant in $Grants) {
        if (-not $grant) { continue }
        & icacls.exe $Path /grant $grant | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "icacls could not grant $grant on $Path" }
    }
}

foreach ($account in $cfg.administrators) {
    # The install phase's setup account is a local administrator [L:deployment-permissions-for-sql-server].
    $members = @(& net.exe localgroup Administrators)
    if ($members -notcontains $account) {
        & net.exe localgroup Administrators $account /add | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "net localgroup could not add $account to Administrators" }
    }
}

foreach ($f in $cfg.folders) {
    New-Item -ItemType Directory -Force -Path $f.path | Out-Null
    Grant-Folder $f.path $f.grant
}

if ($cfg.sql) {
    $s = $cfg.sql
    & sqlcmd.exe -E -b -Q $s.query
    if ($LASTEXITCODE -ne 0) { throw "sqlcmd failed with exit code $LASTEXITCODE" }
    $pending = @(& sqlcmd.exe -E -b -h -1 -W -Q $s.pending)
    if ($LASTEXITCODE -ne 0) { throw "sqlcmd failed with exit code $LASTEXITCODE" }
    if ([int]$pending[0] -gt 0) { Restart-Service -Name $s.service -Force }
    if ($s.agent) {
        Set-Service -Name $s.agent -StartupType Automatic
        Start-Service -Name $s.agent
    }
    if ($s.wmi) {
        Enable-NetFirewallRule -DisplayGroup 'Windows Management Instrumentation (WMI)'
    }
    if ($s.microsoftUpdate) {
        # SQL Server's updates come through Microsoft Update: register it with Automatic Updates, then read it back.
        $updates = New-Object -ComObject Microsoft.Update.ServiceManager
        $updates.ClientApplicationID = 'lync-pchat'
        $updates.AddService2($s.microsoftUpdate, $s.microsoftUpdateFlags, '') | Out-Null
        $registered = @($updates.Services | Where-Object { $_.ServiceID -eq $s.microsoftUpdate -and $_.IsRegisteredWithAU })
        if ($registered.Count -eq 0) { throw "Microsoft Update ($($s.microsoftUpdate)) is not registered with Automatic Updates" }
    }
    foreach ($p in $s.ports) {
        if (-not (Get-NetFirewallRule -Name "pchat-$($p.name)" -ErrorAction SilentlyContinue)) {
            New-NetFirewallRule -Name "pchat-$($p.name)" -DisplayName "Persistent Chat $($p.name)" -Direction Inbound -Protocol $p.protocol -LocalPort $p.port -Action Allow |
                Out-Null
        }
    }
}

foreach ($share in $cfg.shares) {
    New-Item -ItemType Directory -Force -Path $share.path | Out-Null
    $accounts = @()
    foreach ($computer in $share.computers) {
        $account = Resolve-Account "$computer`$"
        if ($account) { $accounts += $account } else { Write-Warning "$computer`$ is not a domain computer account yet: grant it $($share.name) after the domain join" }
    }
    Grant-Folder $share.path (@($accounts | ForEach-Object { "$($_):(OI)(CI)M" }) + @($share.local))
    if (-not (Get-SmbShare -Name $share.name -ErrorAction SilentlyContinue)) {
        New-SmbShare -Name $share.name -Path $share.path -FullAccess 'BUILTIN\Administrators' | Out-Null
    }
    foreach ($account in $accounts) {
        Grant-SmbShareAccess -Name $share.name -AccountName $account -AccessRight Change -Force | Out-Null
    }
}

if ($restart) {
    # The features need a restart; the extension must report first, so the restart waits a minute.
    & shutdown.exe /r /t 60 /c 'Persistent Chat bootstrap: Windows features need a restart'
}
