"""Pathways: credentials that stack. A pathway is a credential definition earned by holding
other credentials (all of a set, or N of them), issued and withdrawn automatically as its
requirements come and go. Listens to the core's ``credential_changing`` signal."""
