"""Hosts the Persistent Chat component for stacks in any Pulumi language.

    pulumi package add <this repository>/provider

generates a local SDK (TypeScript, Go, .NET, Java, Python) or serves YAML programs directly.
"""

from pulumi.provider.experimental import component_provider_host

from lync_pchat.components.persistent_chat import PersistentChat
from lync_pchat.provider import NAME, VERSION

if __name__ == "__main__":
    component_provider_host([PersistentChat], NAME, version=VERSION)
