"""One module per service of the embedded cloud: its config, set-up, processes and readiness."""
