# ----------------------------------------------------------------------------
# {{database}}: principal {{primary}}, mirror {{mirror}}
{{scope_note}}
# ----------------------------------------------------------------------------
# [{{log_shipping_mirror}}] step 1: fail {{database}} over to the mirror [{{ps_database_failover}}]
Invoke-CsDatabaseFailover -PoolFqdn {{pool_fqdn_ps}} -DatabaseType {{database_type}} -NewPrincipal Mirror
# [{{log_shipping_mirror}}] steps 2-20: on the mirror, run only the primary half of the script
Invoke-SqlFile -Server {{mirror_ps}} -Path (Join-Path $PSScriptRoot {{primary_file}})
# [{{log_shipping_mirror}}] step 21: no Management Studio dialog to cancel
# [{{log_shipping_mirror}}] step 22: fail {{database}} back to the primary
Invoke-CsDatabaseFailover -PoolFqdn {{pool_fqdn_ps}} -DatabaseType {{database_type}} -NewPrincipal Primary
