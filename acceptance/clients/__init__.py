"""Thin wrappers over openstacksdk proxies: the calls the suite makes, named
for what they ask, returning plain values the matchers read."""
