"""One module per service of the embedded cloud: its config, set-up, processes and readiness,
declared as entries (entry.py) that service_table.py lists once."""
