"""Templates of both packages, importable as ``credential_templates``."""
