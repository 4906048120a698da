"""Tutor plugin for the assessed micro-credentials Open edX plugin."""
__version__ = "0.1.0"
