# The VM bootstrap created these shares before the servers joined the domain (the project did not join
# them: domainJoin is not set), so it could not grant them to the computer accounts of the servers that
# use them: SQL Server and the Lync services reach a share as DOMAIN\COMPUTER$ ("The $ is important to
# identify that this is a computer account" [{{sql_mirroring}}]).
# Grant each from here, as the bootstrap does (share Change, NTFS Modify), without remoting (WinRM, TCP 5985,
# which no rule admits): the share's entry through a CIM session over DCOM (TCP 135 and the dynamic range,
# which the WMI rules admit): Grant-SmbShareAccess -CimSession [{{grant_share}}],
# New-CimSessionOption -Protocol Dcom [{{cim_option}}]; the folder's through the share itself over SMB,
# which gives local Administrators Full (the bootstrap's New-SmbShare -FullAccess).
function Grant-ShareToComputers {
    param([string]$Domain, [string]$Server, [string]$Name, [string]$Unc, [string[]]$Computers)
    $session = New-CimSession -ComputerName $Server -SessionOption (New-CimSessionOption -Protocol Dcom)
    try {
        foreach ($computer in $Computers) {
            $account = $Domain + '\' + $computer + '$'
            & icacls.exe $Unc /grant ($account + ':(OI)(CI)M') | Out-Null
            if ($LASTEXITCODE -ne 0) { throw "icacls could not grant $account on $Unc" }
            Grant-SmbShareAccess -CimSession $session -Name $Name -AccountName $account -AccessRight Change -Force |
                Out-Null
        }
    } finally {
        Remove-CimSession -CimSession $session
    }
}
{{grants}}
