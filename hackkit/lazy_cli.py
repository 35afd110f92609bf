"""A command group imported when it is run: listing it in `--help` loads nothing."""

from __future__ import annotations

import importlib

import click


class LazyGroup(click.Group):
    """Stands for the group at `target` ("module:attribute"); its own help is the short text
    shown in the list of commands. Running it (or asking its own --help) hands over to the real
    group, options and all."""

    def __init__(self, name: str, target: str, help: str) -> None:
        super().__init__(name, help=help)
        self.target = target

    def real(self) -> click.Group:
        module, attribute = self.target.split(":")
        return getattr(importlib.import_module(module), attribute)

    def make_context(self, info_name, args, parent=None, **extra):
        return self.real().make_context(info_name, args, parent=parent, **extra)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return self.real().list_commands(ctx)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        return self.real().get_command(ctx, name)
