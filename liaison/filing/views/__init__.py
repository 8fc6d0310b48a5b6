"""The filing pages (/filing/…, namespace "filing"): one module per page group."""
