# ---------------------------------------------------------------------------------------------------------
# A folder whose scripts SYSTEM or a task of run level highest runs: only SYSTEM and the Administrators change it.
# ---------------------------------------------------------------------------------------------------------
function Protect-Folder([string]$Path) {
    # Owned by the Administrators (a user who created the folder first loses the owner's right to change its
    # permissions), inheritance removed (no right of Users or CREATOR OWNER from C:\ProgramData), full control for
    # SYSTEM (S-1-5-18) and the Administrators (S-1-5-32-544) only, by SID so that no localized name matters;
    # whatever is already inside gets these rights again, its own rights dropped.
    New-Item -ItemType Directory -Force -Path $Path | Out-Null
    & icacls.exe $Path /setowner '*S-1-5-32-544' /T /C /Q | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "icacls could not give $Path to the Administrators (exit code $LASTEXITCODE)" }
    & icacls.exe $Path /inheritance:r /grant:r '*S-1-5-18:(OI)(CI)F' '*S-1-5-32-544:(OI)(CI)F' /Q | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "icacls could not restrict $Path (exit code $LASTEXITCODE)" }
    foreach ($item in @(Get-ChildItem -LiteralPath $Path -Force)) {
        & icacls.exe $item.FullName /reset /T /C /Q | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "icacls could not reset $($item.FullName) (exit code $LASTEXITCODE)" }
    }
}

function Save-TaskScript([string]$Folder, [string]$Name, [string]$Text) {
    # The script a SYSTEM task runs, written into $Folder once only SYSTEM and the Administrators may change it
    # (UTF-8 with a byte order mark, which Windows PowerShell reads as UTF-8); its path.
    Protect-Folder $Folder
    $path = Join-Path $Folder $Name
    [IO.File]::WriteAllText($path, $Text, (New-Object Text.UTF8Encoding($true)))
    return $path
}
