"""The filter box of the incident map: a category list, a month slider, the count, and their script.

The category list reloads the page with ?category= (the app filters on the server). The
slider filters in the page: the heat map and the clusters keep every incident of the
page, and each change shows only those of the chosen month, without asking the server.
"""

from __future__ import annotations

from html import escape

from branca.element import MacroElement
from folium.plugins import FastMarkerCluster, HeatMap
from hackkit_maps.build import Template


class Filters(MacroElement):
    _template = Template(
        """{% macro html(this, kwargs) %}
        <div class="incident-filters" role="region" aria-label="Filters"
             style="position:absolute;z-index:1000;left:60px;top:10px;padding:6px 10px;background:#fff;
                    border:1px solid #999;border-radius:4px;font:14px/1.8 sans-serif;color:#1a1a1a">
            {% if this.categories is not none %}
            <label for="incident-category">Category</label>
            <select id="incident-category">
                <option value="">all categories</option>
                {% for category in this.categories %}
                <option value="{{ category }}"{% if category == this.chosen %} selected{% endif %}>
                    {{- category -}}
                </option>
                {% endfor %}
            </select><br>
            {% elif this.chosen %}<strong>{{ this.chosen }}</strong><br>{% endif %}
            <label for="incident-period">Month</label>
            <input type="range" id="incident-period" min="0" max="{{ this.labels|length }}" step="1" value="0"
                   aria-valuetext="all months" style="vertical-align:middle">
            <output id="incident-period-label" for="incident-period">all months</output><br>
            <span id="incident-count" aria-live="polite">{{ "{:,}".format(this.steps|length) }} incidents</span>
        </div>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function () {
            var heat = {{ this.heat.get_name() }};
            var cluster = {{ this.cluster.get_name() if this.cluster else "null" }};
            // Per incident, in the heat map's order: its slider step (-1: no date, shown in "all" only).
            var steps = {{ this.steps|tojson }};
            var labels = ["all months"].concat({{ this.labels|tojson }});
            var allPoints = heat._latlngs.slice();
            var allMarkers = cluster ? cluster.getLayers() : [];
            var slider = document.getElementById("incident-period");
            {% if this.cluster and not this.cluster.show %}
            cluster.remove();  // FastMarkerCluster adds itself to the map even with show=False (folium 0.20)
            {% endif %}

            function show(step) {
                var points = allPoints.filter(function (_point, i) { return step === 0 || steps[i] === step; });
                heat.setLatLngs(points);
                if (cluster) {
                    cluster.clearLayers();
                    cluster.addLayers(allMarkers.filter(function (marker) {
                        return step === 0 || marker.options.step === step;
                    }));
                }
                document.getElementById("incident-period-label").textContent = labels[step];
                slider.setAttribute("aria-valuetext", labels[step]);
                document.getElementById("incident-count").textContent =
                    points.length.toLocaleString("en") + " incidents";
            }

            slider.addEventListener("input", function () { show(Number(slider.value)); });
            var picker = document.getElementById("incident-category");
            if (picker) {
                picker.addEventListener("change", function () {
                    window.location.search = picker.value ? "?category=" + encodeURIComponent(picker.value) : "";
                });
            }
            // For the tests and for poking at in the browser's console.
            window.incidentMap = {heat: heat, cluster: cluster, show: show};
        })();
        {% endmacro %}"""
    )

    def __init__(
        self,
        heat: HeatMap,
        cluster: FastMarkerCluster | None,
        steps: list[int],
        periods: list[tuple[str, str]],
        categories: list[str] | None,
        chosen: str | None,
    ):
        super().__init__()
        self._name = "Filters"
        self.heat = heat
        self.cluster = cluster
        self.steps = steps
        self.labels = [label for _period, label in periods]
        # Text from data goes into the page as HTML: escaped here (quotes too, for value="...").
        self.categories = None if categories is None else [escape(category) for category in categories]
        self.chosen = escape(chosen) if chosen else None
