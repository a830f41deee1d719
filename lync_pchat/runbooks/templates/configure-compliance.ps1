# [{{ps_compliance}}]: compliance is on for this pool. The built-in XmlAdapter writes XML files to
# AdapterOutputDirectory, "Full path to the folder where adapter data is stored", from every server of the
# pool: one folder that exists for all of them, {{output}}. RunInterval is left at the product default
# (documented as both 15 and 30 minutes).
$compliance = {{service_identity}}
$adapter = @{
    AdapterType            = {{adapter_type}}
    AdapterName            = 'XmlAdapter'
    AdapterOutputDirectory = {{output_ps}}
}
if (Get-CsPersistentChatComplianceConfiguration -Identity $compliance -ErrorAction SilentlyContinue) {
    Set-CsPersistentChatComplianceConfiguration -Identity $compliance @adapter
} else {
    New-CsPersistentChatComplianceConfiguration -Identity $compliance @adapter
}
