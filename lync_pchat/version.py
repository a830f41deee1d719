"""The package's version: pyproject.toml reads it from here (setuptools' dynamic version), the provider's
schema and ``pchat --version`` too."""

VERSION = "0.1.0"
