"""The run and its scenarios: building the run once, the suite and each
scenario's world, step types and the helpers the step modules share."""
