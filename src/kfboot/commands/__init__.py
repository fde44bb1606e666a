"""One module per command group, registered by ``kfboot.cli``; each imports only click."""
