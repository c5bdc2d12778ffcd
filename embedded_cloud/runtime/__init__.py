"""What runs and controls the embedded cloud's processes: start, stop, confine, fork, supervise, relay."""
