"""Rendered maps load Leaflet and every plugin from the hub, never from a CDN."""

from __future__ import annotations

import copy
import re

import folium
import pytest
from folium import plugins
from hackkit_maps.assets import CDN_REWRITES, LIBRARIES, UnservedAsset, inline_assets, localize_html, served_files
from hackkit_maps.build import geojson_from_url

from hackkit.maps import render_map_html
from tests.maps.plugin_maps import PLUGINS, base, every_plugin_map

# src/href of the tags that make a browser fetch something while loading the page.
FETCHING_TAG = re.compile(r"""<(script|link|img|iframe)\b[^>]*?\b(src|href)\s*=\s*["']([^"']*)["']""", re.I)
EXTERNAL = re.compile(r"^(https?:)?//", re.I)


def fetched_urls(html: str) -> list[str]:
    return [match.group(3) for match in FETCHING_TAG.finditer(html)]


@pytest.mark.parametrize("plugin", sorted(PLUGINS))
def test_plugin_map_loads_nothing_from_another_server_without_tiles(plugin):
    m = base("none")
    PLUGINS[plugin](m)
    html = render_map_html(m)
    assert not [url for url in fetched_urls(html) if EXTERNAL.match(url)]
    # With no tile server the page names no other server at all, not even in its scripts.
    assert not re.findall(r"https?://", html)
    assert all(url.startswith("/maps/assets/") or url.startswith("data:") for url in fetched_urls(html))


def test_map_with_every_plugin_names_only_the_tile_server_with_osm_tiles():
    html = render_map_html(every_plugin_map("osm"))
    assert not [url for url in fetched_urls(html) if EXTERNAL.match(url)]
    hosts = set(re.findall(r"https?://([^/\"'\s]+)", html))
    assert hosts and all(host.endswith("openstreetmap.org") for host in hosts), hosts
    assert "tile.openstreetmap.org/{z}/{x}/{y}.png" in html


def test_map_without_tiles_has_no_tile_layer_and_draws_the_basemap():
    html = render_map_html(base("none"))
    assert "L.tileLayer" not in html
    assert "Test district" in html and "hackkit-basemap" in html


def test_unknown_tiles_setting_is_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="tiles must be one of osm, none"):
        base("satellite")


def test_rendering_leaves_folium_class_asset_lists_untouched():
    classes = [folium.Map, plugins.MarkerCluster, plugins.HeatMap, plugins.TimestampedGeoJson, plugins.Fullscreen]
    before = {cls: (copy.deepcopy(cls.default_js), copy.deepcopy(cls.default_css)) for cls in classes}
    render_map_html(every_plugin_map("none"))
    # A plain folium map rendered afterwards still gets folium's usual links.
    plain = folium.Map().get_root().render()
    assert "cdn.jsdelivr.net/npm/leaflet@" in plain
    assert {cls: (cls.default_js, cls.default_css) for cls in classes} == before


def test_a_plugin_without_a_local_copy_fails_loudly_instead_of_using_a_cdn():
    m = base("none")
    plugins.Draw().add_to(m)  # leaflet.draw: no package of ours ships it
    with pytest.raises(UnservedAsset, match=r"leaflet\.draw.*hackkit_maps/assets\.py.*Adding a plugin"):
        render_map_html(m)


def test_a_file_included_twice_is_loaded_once():
    html = render_map_html(every_plugin_map("none"))
    urls = fetched_urls(html)
    assert len(urls) == len(set(urls))
    assert sum("jquery/jquery.min.js" in url for url in urls) == 1


def test_local_links_and_inline_scripts_are_left_alone():
    html = '<script src="/static/app.js"></script><script>var x = "https://example.org/";</script>'
    assert localize_html(html) == html


def test_every_rewrite_target_is_installed_and_served():
    # Catches a package upgrade that moves a file: the rule would point nowhere.
    targets = {target for _pattern, target in CDN_REWRITES if target and "\\" not in target}
    targets |= {f"folium/{name}.min.js" for name in ("leaflet_heat", "pa7_hm", "pa7_leaflet_hm")}
    targets |= {f"leaflet-markercluster/{name}" for name in ("MarkerCluster.css", "MarkerCluster.Default.css")}
    missing = sorted(target for target in targets if target not in served_files())
    assert not missing, f"not installed (run make install): {missing}"
    assert {asset.split("/", 1)[0] for asset in served_files()} == set(LIBRARIES)


def test_standalone_file_carries_every_script_style_and_font_itself():
    html = inline_assets(render_map_html(every_plugin_map("none")))
    assert fetched_urls(html) == ["data:,"]  # only the empty favicon
    assert "/maps/assets/" not in html
    assert "font/woff2;base64," in html  # Font Awesome's glyphs
    assert "</script" not in html.replace("</script>", "")  # no script ended early


def test_geojson_from_url_leaves_the_data_out_of_the_page():
    m = base("none")
    geojson_from_url("/api/v1/datasets/toilets/rows.geojson", name="toilets").add_to(m)
    html = render_map_html(m)
    assert 'fetch("/api/v1/datasets/toilets/rows.geojson")' in html
    assert "$.ajax" not in html  # folium's own URL loading blocks the page while it waits


def test_an_external_image_in_a_popup_is_refused_too():
    m = base("none")
    folium.Marker((51.22, 4.40), popup=folium.Popup('<img src="https://example.org/photo.png">')).add_to(m)
    with pytest.raises(UnservedAsset, match="example.org/photo.png: serve it from this server"):
        render_map_html(m)
