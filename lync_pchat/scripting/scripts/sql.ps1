# SQL Server access, as the signed-in administrator (Windows authentication) through sqlcmd: -b fails on a T-SQL
# error, -x leaves a $(...) in a statement as text.
function Invoke-Sql([string]$Server, [string]$Query) {
    & sqlcmd.exe -S $Server -E -b -x -d master -Q $Query
    if ($LASTEXITCODE -ne 0) { throw "sqlcmd failed on ${Server}: $Query" }
}

function Invoke-SqlFile([string]$Name) {
    $path = Join-Path $PSScriptRoot $Name
    if (-not (Test-Path -LiteralPath $path)) { throw "$Name is missing: write the log-shipping runbook into this folder" }
    & sqlcmd.exe -E -b -x -i $path
    if ($LASTEXITCODE -ne 0) { throw "sqlcmd failed: $Name" }
}

function Invoke-SqlRows([string]$Server, [string]$Query) {
    # One line per row, columns separated by '|'.
    $rows = & sqlcmd.exe -S $Server -E -b -x -h -1 -W -s '|' -d master -Q "SET NOCOUNT ON; $Query"
    if ($LASTEXITCODE -ne 0) { throw "sqlcmd failed on ${Server}: $Query" }
    return @($rows | Where-Object { $_ -and $_.Trim() })
}

function Invoke-SqlScalar([string]$Server, [string]$Query) {
    # The first line of the result.
    $value = & sqlcmd.exe -S $Server -E -b -x -h -1 -W -d master -Q "SET NOCOUNT ON; $Query"
    if ($LASTEXITCODE -ne 0) { throw "sqlcmd failed on ${Server}: $Query" }
    return ([string]($value | Where-Object { $_ -and $_.Trim() } | Select-Object -First 1)).Trim()
}
