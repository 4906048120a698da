"""The credential catalogue: what each credential and pathway certifies in plain language,
how it is assessed, how long it lasts, and which job roles and tasks it maps to."""
