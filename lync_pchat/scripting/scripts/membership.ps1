# ---------------------------------------------------------------------------------------------------------
# The setup account's local Administrators membership, changed and read back (the supervisor grants it before
# each phase, the release removes it). Reads $cfg.SetupUser (DOMAIN\name) and $cfg.Member (its WinNT:// path).
# Source keys: [W32:<slug>] https://learn.microsoft.com/windows/win32/debug/<slug>; [MS-SAMR:<method>] the
# Security Account Manager protocol, https://learn.microsoft.com/openspecs/windows_protocols/ms-samr.
# ---------------------------------------------------------------------------------------------------------
function Get-Administrators([string]$Computer) {
    # The Administrators group of $Computer through the WinNT provider (the local computer as '.').
    return [ADSI]"WinNT://$Computer/Administrators,group"
}

function Test-SetupAdministrator([string]$Computer) {
    # Whether the setup account is in Administrators of $Computer, read back member by member and compared by SID
    # (a local group holds its members as SIDs [MS-SAMR:SamrGetMembersInAlias]): IsMember compares names, which
    # can misreport an account of another domain.
    $sid = (New-Object Security.Principal.NTAccount($cfg.SetupUser)).Translate([Security.Principal.SecurityIdentifier]).Value
    foreach ($member in @((Get-Administrators $Computer).psbase.Invoke('Members'))) {
        $bytes = $member.GetType().InvokeMember('objectSid', 'GetProperty', $null, $member, $null)
        if ((New-Object Security.Principal.SecurityIdentifier($bytes, 0)).Value -eq $sid) {
            return $true
        }
    }
    return $false
}

function Get-Win32Error([System.Exception]$Exception) {
    # The Win32 error code (HRESULT 0x8007xxxx) a COM call such as an ADSI method failed with, wherever it sits in
    # the exception's chain; 0 when there is none.
    for ($inner = $Exception; $inner; $inner = $inner.InnerException) {
        if ($inner -is [Runtime.InteropServices.COMException]) {
            $hex = '{0:X8}' -f $inner.ErrorCode
            if ($hex.StartsWith('8007')) {
                return [Convert]::ToInt32($hex.Substring(4), 16)
            }
        }
    }
    return 0
}

function Set-SetupAdministrator([string]$Computer, [bool]$Member) {
    # Adds the setup account to Administrators of $Computer ($Member) or removes it, then reads the group back.
    # The error that says the group is already so counts as done: ERROR_MEMBER_IN_ALIAS (1378, 0x80070562) on an
    # add, ERROR_MEMBER_NOT_IN_ALIAS (1377, 0x80070561) on a removal [W32:system-error-codes--1300-1699]; any
    # other error fails, and so does a read-back that disagrees.
    $group = Get-Administrators $Computer
    $already = if ($Member) { 1378 } else { 1377 }
    try {
        if ($Member) {
            $group.Add($cfg.Member)
        } else {
            $group.Remove($cfg.Member)
        }
    } catch {
        if ((Get-Win32Error $_.Exception) -ne $already) {
            throw
        }
        Write-PhaseLog "   Administrators of ${Computer}: already as wanted (Win32 error $already)"
    }
    if ((Test-SetupAdministrator $Computer) -ne $Member) {
        $state = if ($Member) { 'is not' } else { 'is still' }
        throw "$($cfg.SetupUser) $state a member of Administrators on $Computer, read back after the change"
    }
}
