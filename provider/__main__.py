"""Hosts the Persistent Chat component for stacks in any Pulumi language.

    pulumi package add <this repository>/provider

generates a local SDK (TypeScript, Go, .NET, Java, Python) or serves YAML programs directly.
"""

import sys

from pulumi.provider import main

from lync_pchat.provider import provider

if __name__ == "__main__":
    main(provider(), sys.argv[1:])
