"""Engine commands of `kaoping` that run without Django: one module per sub-command."""
