# Add-in {{add_in}}
if (Get-CsPersistentChatAddin -PersistentChatPoolFqdn $poolFqdn | Where-Object { $_.Name -eq {{name_ps}} }) {
    Set-CsPersistentChatAddin -Identity {{identity_ps}} -Url {{url_ps}}
} else {
    New-CsPersistentChatAddin -Name {{name_ps}} -Url {{url_ps}} -PersistentChatPoolFqdn $poolFqdn
}
