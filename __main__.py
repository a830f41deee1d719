"""Pulumi program: pchat:topology -> validated plan -> Persistent Chat on Azure."""

from lync_pchat.program import run

run()
