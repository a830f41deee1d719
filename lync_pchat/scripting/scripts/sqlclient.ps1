# SQL Server through .NET's SqlClient, where sqlcmd may be missing (a Lync Server, a SQL Server's own SYSTEM
# tasks), with the Windows logon of the account running the script: the rows of one query on $Server
# (<FQDN>, <FQDN>\<instance>, or '.' for this server's default instance), or with -Scalar its first value.
function Invoke-SqlClient([string]$Server, [string]$Query, [switch]$Scalar) {
    $builder = New-Object System.Data.SqlClient.SqlConnectionStringBuilder
    $builder['Data Source'] = $Server
    $builder['Initial Catalog'] = 'master'
    $builder['Integrated Security'] = $true
    $builder['Connect Timeout'] = 30
    $connection = New-Object System.Data.SqlClient.SqlConnection($builder.ConnectionString)
    try {
        $connection.Open()
        $command = $connection.CreateCommand()
        $command.CommandText = $Query
        if ($Scalar) {
            return $command.ExecuteScalar()
        }
        $table = New-Object System.Data.DataTable
        $table.Load($command.ExecuteReader())
        return @($table.Rows)
    } finally {
        $connection.Dispose()
    }
}
