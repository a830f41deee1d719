"""Helpers every test folder shares."""
