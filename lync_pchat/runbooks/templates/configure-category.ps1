# Category {{category}}
if (-not (Get-CsPersistentChatCategory -PersistentChatPoolFqdn $poolFqdn | Where-Object { $_.Name -eq {{name_ps}} })) {
    New-CsPersistentChatCategory -Name {{name_ps}} -PersistentChatPoolFqdn $poolFqdn
}
Set-CsPersistentChatCategory -Identity {{identity_ps}}{{description}} -AllowedMembers {{allowed}} -DeniedMembers {{denied}} -Creators {{creators}} -Invitations {{invitations}} -FileUpload {{file_upload}} -ChatHistory {{chat_history}}
