# Whether every store on a principal is already in a mirroring session (sys.database_mirroring)
function Test-Mirrored([string]$Instance, [string]$Query) {
    $connection = New-Object System.Data.SqlClient.SqlConnection("Server=$Instance;Database=master;Integrated Security=SSPI")
    $connection.Open()
    try {
        $command = $connection.CreateCommand()
        $command.CommandText = $Query
        return [int]$command.ExecuteScalar() -eq 1
    } finally {
        $connection.Dispose()
    }
}
