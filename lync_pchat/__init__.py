"""Lync Server 2013 Persistent Chat on Azure: the topology model, the scripts the servers run, and the tools.

The Pulumi components that deploy it are the sibling top-level package :mod:`components`.
"""
