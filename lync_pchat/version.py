"""The package's version and release metadata: pyproject.toml reads the version from here (setuptools' dynamic
version), the provider's schema takes all of it, ``pchat --version`` the version."""

VERSION = "0.2.0"
"""Semantic versioning; CHANGELOG.md has a section per version."""
PUBLISHER = "the lync-pchat-azure authors"
"""As in LICENSE's copyright line."""
REPOSITORY = "https://github.com/lync-pchat-azure/lync-pchat-azure"
"""Where releases are tagged; pyproject.toml's [project.urls] Repository says the same."""
LICENSE = "MIT"
"""pyproject.toml's license, as an SPDX identifier."""
KEYWORDS = (
    "lync",
    "skype-for-business",
    "persistent-chat",
    "azure",
    "category/infrastructure",
    "kind/component",
)
"""Package schema keywords; ``category/<name>`` and ``kind/component`` are the Pulumi Registry's reserved ones
(pulumi/pulumi pkg/codegen/schema/pulumi.json, keywords)."""
