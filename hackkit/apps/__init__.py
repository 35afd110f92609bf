"""The sample apps: their shared kit, the /apps gallery and `hackkit new-app`."""
