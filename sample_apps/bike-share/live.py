"""The browser side of the bike-share map: the stations' dots, their refresh, the legend.

The dots are made in the browser from the JSON the app sends (`payload` in app.py), so
the first drawing and every refresh run the same code: a refresh updates each dot in
place (colour, popup, tooltip) and the clusters recount their bikes.
"""

from __future__ import annotations

from html import escape

from branca.element import MacroElement
from folium.plugins import MarkerCluster
from hackkit_maps.build import Template

CLUSTER_COLOUR = "#2c5aa0"  # neutral: a cluster shows a number of bikes, not a class


class LiveStations(MacroElement):
    """Draws `page["stations"]` into `cluster`, then re-fetches `refresh_url` every few seconds."""

    # A cluster shows the bikes available in the stations it groups (not the number of
    # stations, which markercluster shows by default).
    CLUSTER_ICON = """
        function (cluster) {
            var bikes = 0;
            cluster.getAllChildMarkers().forEach(function (marker) { bikes += marker.options.bikes || 0; });
            var title = bikes + " bikes in " + cluster.getChildCount() + " stations";
            return L.divIcon({
                html: '<div title="' + title + '"><span>' + bikes + "</span></div>",
                className: "marker-cluster bike-share-cluster",
                iconSize: L.point(40, 40)
            });
        }
    """

    _template = Template(
        """{% macro header(this, kwargs) %}
        <style>
            .bike-share-cluster { background-color: {{ this.cluster_colour }}55; }
            .bike-share-cluster div { background-color: {{ this.cluster_colour }}; color: #fff; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function () {
            var cluster = {{ this.cluster.get_name() }};
            var dots = {};  // station id -> its dot, so a refresh can update it in place
            var borders = {hub: "#1d7a3a", extract: "#b35c00"};  // as the source notice draws them

            function draw(page) {
                var seen = {}, added = [];
                page.stations.forEach(function (station) {
                    var key = String(station.id);
                    seen[key] = true;
                    var dot = dots[key];
                    if (!dot) {
                        dot = L.circleMarker([station.lat, station.lon], {
                            radius: 9, color: "#fff", weight: 2, fillOpacity: 0.95
                        });
                        dot.bindPopup(station.popup).bindTooltip(station.label);
                        dots[key] = dot;
                        added.push(dot);
                    }
                    dot.options.bikes = station.bikes;
                    dot.setStyle({fillColor: station.colour});
                    // popup and label are HTML the app escaped (app.py: popup_html, payload).
                    dot.setPopupContent(station.popup);
                    dot.setTooltipContent(station.label);
                });
                var gone = Object.keys(dots).filter(function (key) { return !seen[key]; });
                cluster.removeLayers(gone.map(function (key) { return dots[key]; }));
                gone.forEach(function (key) { delete dots[key]; });
                cluster.addLayers(added);
                cluster.refreshClusters();

                var updated = document.getElementById("bike-share-updated");
                if (updated) updated.textContent = page.updated;
                var notice = document.querySelector(".hackkit-source-notice");
                if (notice && page.notice) {
                    notice.textContent = page.notice;
                    notice.dataset.source = page.source;
                    notice.style.borderColor = borders[page.source];
                }
            }

            function refresh() {
                return fetch({{ this.refresh_url|tojson }}, {cache: "no-store"})
                    .then(function (response) {
                        if (!response.ok) throw new Error(response.status);
                        return response.json();
                    })
                    .then(draw)
                    .catch(function () {
                        var updated = document.getElementById("bike-share-updated");
                        if (updated) updated.textContent = "(the app did not answer; trying again)";
                    });
            }

            draw({{ this.page|tojson }});
            {% if this.refresh_url %}setInterval(refresh, {{ this.refresh_seconds * 1000 }});{% endif %}
            // For the tests and for poking at in the browser's console.
            window.bikeShare = {cluster: cluster, draw: draw, refresh: refresh};
        })();
        {% endmacro %}"""
    )

    def __init__(self, cluster: MarkerCluster, page: dict, refresh_url: str | None, refresh_seconds: int):
        super().__init__()
        self._name = "LiveStations"
        self.cluster = cluster
        self.page = page
        self.refresh_url = refresh_url
        self.refresh_seconds = refresh_seconds
        self.cluster_colour = CLUSTER_COLOUR


class Legend(MacroElement):
    """The colour classes, the cluster number, and that the numbers are simulated."""

    _template = Template(
        """{% macro html(this, kwargs) %}
        <div class="bike-share-legend" role="region" aria-label="Legend"
             style="position:absolute;z-index:1000;right:10px;top:10px;max-width:230px;padding:8px 10px;
                    background:#fff;border:1px solid #999;border-radius:4px;font:14px/1.4 sans-serif;color:#1a1a1a">
            <strong>Bikes available</strong> <em>(simulated availability)</em>
            <ul style="list-style:none;margin:6px 0;padding:0">
            {% for colour, label in this.rows %}
                <li><span aria-hidden="true" style="display:inline-block;width:14px;height:14px;margin-right:6px;
                    vertical-align:-2px;border-radius:50%;background:{{ colour }}"></span>{{ label }}</li>
            {% endfor %}
                <li><span aria-hidden="true" style="display:inline-block;min-width:22px;margin-right:6px;
                    border-radius:9px;text-align:center;font-size:11px;color:#fff;
                    background:{{ this.cluster_colour }}">12</span>a group: the bikes in its stations</li>
            </ul>
            <small>Not a live feed: the numbers are made up from each station's capacity and the
            time of day.
            {% if this.refresh_seconds %}Updated <span id="bike-share-updated"></span>, every
            {{ this.refresh_seconds }} s.{% endif %}</small>
        </div>
        {% endmacro %}"""
    )

    def __init__(self, classes, refresh_seconds: int | None):
        super().__init__()
        self._name = "Legend"
        self.rows = [(colour, escape(label)) for _least, colour, label in classes]
        self.refresh_seconds = refresh_seconds
        self.cluster_colour = CLUSTER_COLOUR
