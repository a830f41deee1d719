# The pool's identity as Get-CsPersistentChatState returns it [{{ps_get_state}}]: the topics write
# "service:<pool FQDN>" [{{failover}}] step 5, the cmdlet references "PersistentChatServer:<pool FQDN>"
# [{{ps_state}}], so the runbook uses the one the pool really has.
$state = @(Get-CsPersistentChatState | Where-Object { ([string]$_.Identity).Split(':')[-1].Trim() -eq $poolFqdn })
if ($state.Count -ne 1) { throw "Get-CsPersistentChatState returns no state for $poolFqdn" }
$stateIdentity = $state[0].Identity
