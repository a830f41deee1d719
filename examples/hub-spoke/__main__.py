"""A platform team's stack: its hub (domain controllers, gateway) and a spoke, and Persistent Chat in it.

The component attaches its servers to the spoke's subnets, takes the hub's DNS servers and key vault, and
creates no network of its own: every id it takes is an Output of this stack.
"""

import pulumi
from pulumi_azure_native import keyvault, network, resources

from components import PersistentChat

config = pulumi.Config()
tenant = config.require("tenantId")

hub_group = resources.ResourceGroup("hub", resource_group_name="rg-hub", location="northeurope")
hub = network.VirtualNetwork(
    "hub",
    resource_group_name=hub_group.name,
    virtual_network_name="vnet-hub",
    address_space=network.AddressSpaceArgs(address_prefixes=["10.0.0.0/16"]),
)
vault = keyvault.Vault(
    "vault",
    resource_group_name=hub_group.name,
    vault_name="kv-estate-hub",
    properties=keyvault.VaultPropertiesArgs(
        tenant_id=tenant,
        sku=keyvault.SkuArgs(family="A", name="standard"),
        enable_rbac_authorization=True,
        enable_purge_protection=True,
    ),
)

spoke_group = resources.ResourceGroup("spoke", resource_group_name="rg-spoke-lync", location="northeurope")
spoke = network.VirtualNetwork(
    "spoke",
    resource_group_name=spoke_group.name,
    virtual_network_name="vnet-spoke-lync",
    address_space=network.AddressSpaceArgs(address_prefixes=["10.10.0.0/16"]),
    dhcp_options=network.DhcpOptionsArgs(dns_servers=["10.0.0.4", "10.0.0.5"]),
)
pchat_subnet = network.Subnet(
    "pchat",
    resource_group_name=spoke_group.name,
    virtual_network_name=spoke.name,
    subnet_name="snet-pchat",
    address_prefix="10.10.0.0/24",
)
sql_subnet = network.Subnet(
    "sql",
    resource_group_name=spoke_group.name,
    virtual_network_name=spoke.name,
    subnet_name="snet-sql",
    address_prefix="10.10.1.0/24",
    opts=pulumi.ResourceOptions(depends_on=[pchat_subnet]),
)
network.VirtualNetworkPeering(
    "spoke-to-hub",
    resource_group_name=spoke_group.name,
    virtual_network_name=spoke.name,
    remote_virtual_network=network.SubResourceArgs(id=hub.id),
    allow_virtual_network_access=True,
    allow_forwarded_traffic=True,
)

chat = PersistentChat(
    "chat",
    {
        "accept_unsupported": {"reason": "Lync Server 2013 Persistent Chat, kept until its users move"},
        "domain": "corp.contoso.com",
        "management_cidr": "10.0.10.0/24",
        "domain_join": {"user": "CORP\\svc-domainjoin"},
        "domain_join_password": config.require_secret("domainJoinPassword"),
        "key_vault_id": vault.id,
        "sites": {
            "dublin": {
                "region": "northeurope",
                "address_space": "10.10.0.0/16",
                "existing_network": {
                    "pchat_subnet_id": pchat_subnet.id,
                    "pchat_subnet_prefix": "10.10.0.0/24",
                    "sql_subnet_id": sql_subnet.id,
                    "sql_subnet_prefix": "10.10.1.0/24",
                },
            }
        },
        "pools": {
            "pchat01": {
                "site": "dublin",
                "users": 20000,
                "next_hop": "fe01.corp.contoso.com",
                "front_end_cidrs": ["10.0.20.0/24"],
            }
        },
    },
)

pulumi.export("servers", chat.servers)
pulumi.export("sqlStores", chat.sql_stores)
