# Before any change: every server this runbook reaches, on every TCP port it uses (the stack's needs model,
# `pchat flows`). A target that does not answer stops the runbook here, before it changed anything.
$unreachable = @()
foreach ($target in @(
{{targets}}
)) {
    $client = New-Object System.Net.Sockets.TcpClient
    try {
        $attempt = $client.BeginConnect($target.Host, $target.Port, $null, $null)
        if ($attempt.AsyncWaitHandle.WaitOne({{timeout}}) -and $client.Connected) {
            $client.EndConnect($attempt)
        } else {
            $unreachable += "$($target.Host) TCP $($target.Port) ($($target.Why))"
        }
    } catch {
        $unreachable += "$($target.Host) TCP $($target.Port) ($($target.Why)): $($_.Exception.Message)"
    } finally {
        $client.Close()
    }
}
if ($unreachable.Count -gt 0) {
    throw ("Nothing changed: run this runbook on " + {{location}} + ". Unreachable from here: " + ($unreachable -join '; '))
}
