"""Build hook: put the npm-only Leaflet plugins into the package before it is packed.

Runs for wheels and editable installs alike. Each tarball is checked against the npm
registry's sha512 `integrity` (hackkit_maps/npm.py); a plugin already there at the right
version is not fetched again, so a rebuild needs no network.
"""

from __future__ import annotations

import sys
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

SRC = Path(__file__).resolve().parent / "src"


class NpmPluginsHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name == "sdist":
            return  # the source archive stays source: its wheel build fetches them
        sys.path.insert(0, str(SRC))
        try:
            from hackkit_maps import assets, npm

            try:
                fetched = npm.install(assets.npm_patterns(), log=self.app.display_info)
            except (OSError, ValueError) as error:
                raise RuntimeError(
                    f"hackkit-maps: could not fetch the map plugins from the npm registry ({error}); "
                    "building the kit needs the network once (later builds reuse src/hackkit_maps/npm_modules)"
                ) from error
            npm.check()
        finally:
            sys.path.remove(str(SRC))
            for name in [m for m in sys.modules if m == "hackkit_maps" or m.startswith("hackkit_maps.")]:
                del sys.modules[name]
        if fetched:
            self.app.display_info("hackkit-maps: verified and packed " + ", ".join(fetched))
