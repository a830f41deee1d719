# The VM bootstrap created these shares before the servers joined the domain (the project did not join
# them: domainJoin is not set), so it could not grant them to the computer accounts of the servers that
# use them: SQL Server and the Lync services reach a share as DOMAIN\COMPUTER$ ("The $ is important to
# identify that this is a computer account" [{{sql_mirroring}}]). Grant each on its host: share Change,
# NTFS Modify, as the bootstrap does.
$grantShare = {
    param([string]$Domain, [string]$Name, [string]$Path, [string[]]$Computers)
    foreach ($computer in $Computers) {
        $account = $Domain + '\' + $computer + '$'
        & icacls.exe $Path /grant ($account + ':(OI)(CI)M') | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "icacls could not grant $account on $Path" }
        Grant-SmbShareAccess -Name $Name -AccountName $account -AccessRight Change -Force | Out-Null
    }
}
{{grants}}
