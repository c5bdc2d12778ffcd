"""Leaving the cloud as the suite found it: preflight, the ledger of every
change, the one restorer (after a scenario, at the end, after Ctrl-C, on
replay after a kill), the interrupt guard and the safe-host check."""
