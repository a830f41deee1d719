"""A larger stack that imports the Persistent Chat components as a Python package.

pip install "lync-pchat-azure @ git+<this repository>"
"""

import pulumi

from components import PersistentChat

chat = PersistentChat(
    "chat",
    {
        "accept_unsupported": {"reason": "Lync Server 2013 Persistent Chat, kept until its users move"},
        "domain": "corp.contoso.com",
        "management_cidr": "10.0.0.0/24",
        "sites": {"dublin": {"region": "northeurope", "address_space": "10.10.0.0/16"}},
        "pools": {
            "pchat01": {
                "site": "dublin",
                "users": 20000,
                "next_hop": "fe01.corp.contoso.com",
                "compliance": {"enabled": True},
            }
        },
        "admin_password": pulumi.Config().require_secret("adminPassword"),
    },
)

pulumi.export("poolFqdns", chat.pool_fqdns)
pulumi.export("serverAddresses", chat.server_addresses)
