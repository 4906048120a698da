"""Static assets (JS, CSS) of both packages, importable as ``credential_static``."""
