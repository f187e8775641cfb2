"""Work that spans the public schema and the counties' own apps, above both in the import layers
(pyproject.toml): provisioning a county with its first administrator, the demo, and the upper tiers'
steps that flow back into a county's case. Nothing in a county app or in `tenants`' models, selectors and
services imports from here."""
