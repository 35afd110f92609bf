/* hackkit-maps: when the tile server does not answer, show the no-tile basemap instead.
 *
 * A venue network without internet leaves a tiled map as points on an empty grey square:
 * the tile requests fail silently. hackkitTileFallback(map, tiles, options) watches the
 * tile layer. When tiles fail to load before any has loaded (ERRORS_BEFORE_GIVING_UP of
 * them), or none has loaded after options.timeout ms, it removes the tile layer (no more
 * requests), shows the basemap pane (the district outlines, options.pane), paints the
 * background and shows options.notice in a small box. A map with HACKKIT_TILES=none
 * never loads this script: it has no tiles to watch.
 */
(function () {
  "use strict";
  var ERRORS_BEFORE_GIVING_UP = 2;

  window.hackkitTileFallback = function (map, tiles, options) {
    var loaded = 0;
    var errors = 0;
    var done = false;
    var basemap = options.pane ? map.getPane(options.pane) : null;
    if (basemap) basemap.style.display = "none"; // a backdrop for when the tiles are gone

    function fallBack() {
      if (done || loaded > 0) return;
      done = true;
      window.clearTimeout(timer);
      tiles.off("tileload", onLoad);
      tiles.off("tileerror", onError);
      map.removeLayer(tiles);
      if (basemap) basemap.style.display = "";
      var container = map.getContainer();
      container.style.background = options.background;
      container.setAttribute("data-tiles", "fallback");
      // A control in the top-left corner: Leaflet stacks it under the zoom buttons, so it
      // never covers another control (legends sit top-right, the data notice bottom-left).
      var Notice = L.Control.extend({
        onAdd: function () {
          var box = L.DomUtil.create("div", "hackkit-tiles-notice");
          box.setAttribute("role", "status");
          box.textContent = options.notice;
          box.style.cssText =
            "max-width:min(22rem,60vw);padding:6px 10px;background:#fff;border:2px solid #8a5a00;" +
            "border-radius:4px;font:14px/1.4 sans-serif;color:#1a1a1a";
          L.DomEvent.disableClickPropagation(box);
          // Controls sit above popups in Leaflet, and on a phone this box covers a third of
          // the map: while a popup is open (a clicked point, district or project) it steps aside.
          map.on("popupopen", function () { box.style.visibility = "hidden"; });
          map.on("popupclose", function () { box.style.visibility = ""; });
          return box;
        },
      });
      new Notice({ position: "topleft" }).addTo(map);
    }

    function onLoad() {
      loaded += 1;
      if (loaded === 1) {
        window.clearTimeout(timer);
        map.getContainer().setAttribute("data-tiles", "loaded");
      }
    }

    function onError() {
      errors += 1;
      if (errors >= ERRORS_BEFORE_GIVING_UP) fallBack();
    }

    tiles.on("tileload", onLoad);
    tiles.on("tileerror", onError);
    var timer = window.setTimeout(fallBack, options.timeout);
  };
})();
