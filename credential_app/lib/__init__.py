"""Small building blocks with no domain knowledge: safe outbound HTTP, validators, admin bases."""
