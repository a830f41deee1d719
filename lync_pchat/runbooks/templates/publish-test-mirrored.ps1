{{ sqlclient }}
# Whether every store on a principal is already in a mirroring session (sys.database_mirroring)
function Test-Mirrored([string]$Instance, [string]$Query) {
    return [int](Invoke-SqlClient $Instance $Query -Scalar) -eq 1
}
