"""The data catalogue's pages, upload form and command line (rules live in services.datasets)."""
