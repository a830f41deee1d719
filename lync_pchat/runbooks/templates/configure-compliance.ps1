# [{{ps_compliance}}]: compliance is on for this pool. The built-in XmlAdapter writes XML files to
# AdapterOutputDirectory on each server; without an adapter type no compliance data is saved.
# Create that folder on every Persistent Chat server of the pool. RunInterval is left at the product
# default (documented as both 15 and 30 minutes).
$compliance = {{service_identity}}
$adapter = @{
    AdapterType            = {{adapter_type}}
    AdapterName            = 'XmlAdapter'
    AdapterOutputDirectory = $ComplianceOutputDirectory
}
if (Get-CsPersistentChatComplianceConfiguration -Identity $compliance -ErrorAction SilentlyContinue) {
    Set-CsPersistentChatComplianceConfiguration -Identity $compliance @adapter
} else {
    New-CsPersistentChatComplianceConfiguration -Identity $compliance @adapter
}
