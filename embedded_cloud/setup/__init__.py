"""What builds an embedded cloud's data and config: databases, Keystone's catalog, clouds.yaml, nova options."""
