"""Handlers for edx-platform's own signals (user retirement, block completion)."""
