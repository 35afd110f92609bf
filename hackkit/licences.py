"""Licences a project can choose: SPDX identifiers (https://spdx.org/licenses/) for code,
data and content that hackathon projects commonly use."""

SPDX_LICENCES: dict[str, str] = {
    "MIT": "MIT License",
    "Apache-2.0": "Apache License 2.0",
    "BSD-2-Clause": 'BSD 2-Clause "Simplified" License',
    "BSD-3-Clause": 'BSD 3-Clause "New" or "Revised" License',
    "GPL-3.0-or-later": "GNU General Public License v3.0 or later",
    "GPL-3.0-only": "GNU General Public License v3.0 only",
    "LGPL-3.0-or-later": "GNU Lesser General Public License v3.0 or later",
    "AGPL-3.0-or-later": "GNU Affero General Public License v3.0 or later",
    "MPL-2.0": "Mozilla Public License 2.0",
    "EUPL-1.2": "European Union Public License 1.2",
    "ISC": "ISC License",
    "Unlicense": "The Unlicense",
    "CC0-1.0": "Creative Commons Zero v1.0 Universal",
    "CC-BY-4.0": "Creative Commons Attribution 4.0 International",
    "CC-BY-SA-4.0": "Creative Commons Attribution Share Alike 4.0 International",
    "ODbL-1.0": "Open Data Commons Open Database License v1.0",
}
