# ---------------------------------------------------------------------------------------------------------
# The media: the customer's copy of Lync Server 2013 (and its cumulative update) in a blob container, read with
# the VM's system-assigned managed identity; phases A and C copy what the data volume lacks.
# ---------------------------------------------------------------------------------------------------------
$StorageVersion = '2021-08-06'
$ImdsToken = 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://storage.azure.com/'

function Find-WebException([System.Exception]$Exception) {
    # PowerShell wraps the WebException of a .NET call.
    while ($Exception -and -not ($Exception -is [System.Net.WebException])) {
        $Exception = $Exception.InnerException
    }
    return $Exception
}

function Invoke-Http([string]$Uri, [hashtable]$Headers = @{}, [string]$OutFile, [switch]$NoProxy) {
    # One GET: the body as text, or saved to $OutFile. IMDS requests must bypass any proxy [AZ:instance-metadata-service.md].
    $request = [System.Net.HttpWebRequest]::Create($Uri)
    $request.Method = 'GET'
    $request.Timeout = 300000
    $request.ReadWriteTimeout = 300000
    if ($NoProxy) {
        $request.Proxy = $null
    }
    foreach ($name in $Headers.Keys) {
        $request.Headers.Add($name, $Headers[$name])
    }
    try {
        $response = $request.GetResponse()
    } catch {
        $web = Find-WebException $_.Exception
        $status = if ($web -and $web.Response) { [int]$web.Response.StatusCode } else { 'no response' }
        throw "GET $Uri failed ($status): $($_.Exception.Message)"
    }
    try {
        $stream = $response.GetResponseStream()
        if ($OutFile) {
            $file = [System.IO.File]::Create($OutFile)
            try { $stream.CopyTo($file) } finally { $file.Dispose() }
            return
        }
        # StreamReader drops the byte order mark that Blob storage puts before its XML.
        return (New-Object System.IO.StreamReader($stream)).ReadToEnd()
    } finally {
        $response.Close()
    }
}

function Get-StorageHeaders {
    # The VM's system-assigned managed identity: a token for Azure Storage from IMDS [AZ:instance-metadata-service.md]
    # "Managed identity", sent as a bearer token with x-ms-version 2017-11-09 or later (Azure Storage REST,
    # "Authorize with Microsoft Entra ID"). No SAS and no account key.
    [System.Net.ServicePointManager]::SecurityProtocol = [System.Net.ServicePointManager]::SecurityProtocol -bor [System.Net.SecurityProtocolType]::Tls12
    $token = (Invoke-Http -Uri $ImdsToken -Headers @{ Metadata = 'true' } -NoProxy | ConvertFrom-Json).access_token
    if (-not $token) {
        throw 'IMDS returned no access token: enable the VM system-assigned identity'
    }
    return @{ 'Authorization' = "Bearer $token"; 'x-ms-version' = $StorageVersion }
}

function Get-BlobList([hashtable]$Headers) {
    # Blob names and sizes under the media folder: List Blobs with a prefix, page by page (Azure Storage REST,
    # "List Blobs"; NextMarker continues the listing).
    $found = New-Object System.Collections.ArrayList
    $marker = ''
    do {
        $uri = $cfg.MediaContainerUrl + '?restype=container&comp=list&prefix=' + [System.Uri]::EscapeDataString($cfg.MediaPrefix)
        if ($marker) {
            $uri += '&marker=' + [System.Uri]::EscapeDataString($marker)
        }
        $list = [xml](Invoke-Http -Uri $uri -Headers $Headers)
        foreach ($node in $list.SelectNodes('/EnumerationResults/Blobs/Blob')) {
            $length = [int64]$node.SelectSingleNode('Properties/Content-Length').InnerText
            [void]$found.Add(@{ Name = $node.SelectSingleNode('Name').InnerText; Length = $length })
        }
        $next = $list.SelectSingleNode('/EnumerationResults/NextMarker')
        $marker = if ($next) { $next.InnerText } else { '' }
    } while ($marker)
    return $found
}

function Get-MediaFile([hashtable]$Headers) {
    # Each file of the media: its blob URL and its local path (folder placeholders of a hierarchical namespace
    # skipped; a name that would leave the media folder refused).
    $blobs = @(Get-BlobList $Headers)
    $folders = @{}
    foreach ($blob in $blobs) {
        $parts = $blob.Name.Substring($cfg.MediaPrefix.Length).Split('/')
        for ($i = 1; $i -lt $parts.Count; $i++) {
            $folders[($parts[0..($i - 1)] -join '/')] = $true
        }
    }
    foreach ($blob in $blobs) {
        $relative = $blob.Name.Substring($cfg.MediaPrefix.Length)
        if ($relative -eq '' -or $relative.EndsWith('/') -or $folders.ContainsKey($relative)) {
            continue
        }
        $parts = $relative.Split('/')
        if (@($parts | Where-Object { $_ -in @('', '.', '..') -or $_.Contains(':') -or $_.Contains('\') }).Count -gt 0) {
            throw "Unexpected blob name under the media folder: $($blob.Name)"
        }
        $escaped = @($blob.Name.Split('/') | ForEach-Object { [System.Uri]::EscapeDataString($_) }) -join '/'
        [pscustomobject]@{
            Url    = $cfg.MediaContainerUrl + '/' + $escaped
            Path   = Join-Path $cfg.MediaFolder ($parts -join '\')
            Length = $blob.Length
        }
    }
}

function Get-MissingMedia([object[]]$Files) {
    # The files not copied yet: absent, or of another size.
    return @($Files | Where-Object { -not (Test-Path -LiteralPath $_.Path) -or (Get-Item -LiteralPath $_.Path).Length -ne $_.Length })
}

function Save-MediaFile($File, [hashtable]$Headers) {
    # Get Blob into a partial file, renamed once complete (Azure Storage REST, "Get Blob").
    New-Item -ItemType Directory -Force -Path (Split-Path -Parent $File.Path) | Out-Null
    $partial = $File.Path + '.partial'
    Invoke-Http -Uri $File.Url -Headers $Headers -OutFile $partial
    Move-Item -LiteralPath $partial -Destination $File.Path -Force
}

function Copy-Media {
    # Every file under the media folder that the data volume lacks (absent or of another size), each once.
    # Phase C runs it too, for an update installer uploaded after phase A.
    $headers = Get-StorageHeaders
    $files = @(Get-MediaFile $headers)
    if ($files.Count -eq 0) {
        throw "No media under $($cfg.MediaContainerUrl)/$($cfg.MediaPrefix): check software.mediaUri"
    }
    if (($missing = @(Get-MissingMedia $files)).Count -eq 0) {
        Write-Skip "the $($files.Count) media files are in $($cfg.MediaFolder)"
    } else {
        foreach ($file in $missing) {
            Save-MediaFile $file $headers
        }
    }
}
