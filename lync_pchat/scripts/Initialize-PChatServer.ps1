# Prepares a Persistent Chat or SQL Server VM. Idempotent: safe to run again.
# 1. Formats every raw data disk NTFS, by LUN, with its drive letter, label and allocation unit.
# 2. Installs the Windows features the role needs (.NET 4.5, WIF, MSMQ for compliance).
# 3. SQL roles: folders on the formatted volumes, default paths, tempdb, firewall, shares.
$ErrorActionPreference = 'Stop'
$cfg = ConvertFrom-Json '__CONFIG__'
foreach ($v in $cfg.volumes) {
  $disk = Get-Disk | Where-Object { $_.PartitionStyle -eq 'RAW' -and $_.Location -match "LUN $($v.lun)$" }
  if ($disk) {
    $disk | Initialize-Disk -PartitionStyle GPT -PassThru |
      New-Partition -DriveLetter $v.letter -UseMaximumSize |
      Format-Volume -FileSystem NTFS -AllocationUnitSize ($v.auKb * 1024) -NewFileSystemLabel $v.label -Confirm:$false | Out-Null
  }
  $fs = (Get-Volume -DriveLetter $v.letter).FileSystem
  if ($fs -ne 'NTFS') { throw "Volume $($v.letter): is $fs; Persistent Chat requires NTFS" }
}
if ($cfg.features.Count -gt 0) { Install-WindowsFeature -Name $cfg.features | Out-Null }
if ($cfg.sql) {
  $s = $cfg.sql
  foreach ($d in @($s.data, $s.log, $s.tempDb, $s.backup)) {
    New-Item -ItemType Directory -Force -Path $d | Out-Null
    & icacls.exe $d /grant "NT SERVICE\$($s.service):(OI)(CI)F" | Out-Null
  }
  $q = "EXEC xp_instance_regwrite N'HKEY_LOCAL_MACHINE',N'Software\Microsoft\MSSQLServer\MSSQLServer',N'DefaultData',REG_SZ,N'$($s.data)';" +
       "EXEC xp_instance_regwrite N'HKEY_LOCAL_MACHINE',N'Software\Microsoft\MSSQLServer\MSSQLServer',N'DefaultLog',REG_SZ,N'$($s.log)';" +
       "EXEC xp_instance_regwrite N'HKEY_LOCAL_MACHINE',N'Software\Microsoft\MSSQLServer\MSSQLServer',N'BackupDirectory',REG_SZ,N'$($s.backup)';" +
       "ALTER DATABASE tempdb MODIFY FILE (NAME=tempdev, FILENAME='$($s.tempDb)\tempdb.mdf');" +
       "ALTER DATABASE tempdb MODIFY FILE (NAME=templog, FILENAME='$($s.tempDb)\templog.ldf');"
  & sqlcmd.exe -E -b -Q $q
  if ($LASTEXITCODE -ne 0) { throw "sqlcmd failed with exit code $LASTEXITCODE" }
  Restart-Service -Name $s.service -Force
  foreach ($p in $s.ports) {
    if (-not (Get-NetFirewallRule -Name "pchat-$($p.name)" -ErrorAction SilentlyContinue)) {
      New-NetFirewallRule -Name "pchat-$($p.name)" -DisplayName "Persistent Chat $($p.name)" -Direction Inbound -Protocol $p.protocol -LocalPort $p.port -Action Allow | Out-Null
    }
  }
  foreach ($share in $s.shares) {
    New-Item -ItemType Directory -Force -Path $share.path | Out-Null
    if (-not (Get-SmbShare -Name $share.name -ErrorAction SilentlyContinue)) {
      New-SmbShare -Name $share.name -Path $share.path -ChangeAccess 'Authenticated Users' | Out-Null
    }
  }
}
