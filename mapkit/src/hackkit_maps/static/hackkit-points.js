// hackkit-points.js: a Leaflet layer that draws many points (100,000 to millions) quickly.
//
// Markers and canvas circles cost an object, an event target and a path each; a million of
// them take minutes. This layer keeps the points in typed arrays and draws the visible part
// of the map into ONE canvas by writing pixels (ImageData), after each pan or zoom:
// projecting and stamping a million points takes tens of milliseconds, with no WebGL (so it
// also works in headless browsers and on machines whose WebGL is software only).
//
// Overlapping dots add up like stacked translucent circles: a pixel covered by n dots has
// opacity 1 - (1 - opacity)^n, so dense places look darker without a second pass.
//
// The data: a Float32Array of (longitude, latitude) pairs, little-endian, as served by the
// hub's /api/v1/datasets/<slug>/points or built by hackkit_maps.build.pack_points. A pair
// of NaN is a row without a location and is skipped. The canvas covers the view only
// (a draw costs per pixel too): while the map is dragged, what comes into view from beyond
// its edges is drawn when the drag ends.
//
// Clicking a point: the layer holds no attributes (8 bytes a point is what makes it fast),
// so with `rowsUrl` (an endpoint that answers as the hub's /api/v1/datasets/<slug>/rows, with
// `latField`/`lonField` the columns the points came from) a click asks for the rows at that
// place (a box of about a metre around the point, `<lat>__gte` ... `<lon>__lte`) and shows
// the first one in a popup, with how many more share the place. Each draw records which point
// lies on each pixel, so finding the point under the pointer looks at a few pixels only.
//
// Usage: L.hackkitPoints({color: "#1d4f91", radius: 2, opacity: 0.6, fitBounds: true})
//            .addTo(map).loadUrl("/api/v1/datasets/trees/points");
// (hackkit_maps.build.points_from_url and points_layer write this for a folium map.)
(function () {
  "use strict";
  if (!window.L) return;

  // Web Mercator as Leaflet's EPSG:3857 has it, scaled to [0, 1]: pixel = value * 256 * 2^zoom.
  const MAX_LAT = 85.0511287798;
  function projectX(lon) {
    return lon / 360 + 0.5;
  }
  function projectY(lat) {
    const clamped = Math.max(-MAX_LAT, Math.min(MAX_LAT, lat));
    const s = Math.sin((clamped * Math.PI) / 180);
    return 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
  }

  function rgb(color) {
    // "#rrggbb" or "#rgb"; anything else draws in hackkit blue.
    let hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(color) ? color.slice(1) : "1d4f91";
    if (hex.length === 3) hex = hex.replace(/./g, "$&$&");
    return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
  }

  L.HackkitPoints = L.Layer.extend({
    options: {
      pane: "overlayPane",
      color: "#1d4f91",
      radius: 2, // dot radius in CSS pixels (0: one pixel)
      opacity: 0.6, // of one dot; overlaps get darker
      fitBounds: false, // zoom the map to the points once they have arrived
      maxZoom: 16, // ... but not closer than this
      rowsUrl: null, // where a click asks for the rows at a point (see the top of this file)
      latField: null,
      lonField: null,
      popupFields: 12, // at most this many of a row's columns in the popup
      labels: { more: "+ {count} more at this place", failed: "This row could not be loaded." },
    },

    initialize: function (options) {
      L.setOptions(this, options);
      this.count = 0; // points with a location
      this.drawnPoints = 0; // points the last draw went through (tests and benchmarks read it)
      this.visiblePoints = 0; // of those, inside the view
      this._x = new Float64Array(0); // projected, [0, 1]
      this._y = new Float64Array(0);
      this._lonLat = new Float32Array(0); // as received, to ask for a clicked point's rows
      this._hits = null; // per grid cell of the last draw: 1 + the index of a point on it, or 0
      this._bounds = null;
    },

    // Fetches the packed points from `url` (same origin, with the user's cookies).
    loadUrl: function (url) {
      return fetch(url, { credentials: "same-origin" })
        .then((response) => {
          if (!response.ok) throw new Error(response.status + " " + response.url);
          return response.arrayBuffer();
        })
        .then((buffer) => this.setData(new Float32Array(buffer)))
        .catch((error) => {
          this.error = String(error); // the map shows no points; say why in the console
          console.error("hackkit-points:", this.error);
          this.fire("error", { error: error });
        });
    },

    // The points embedded in the page as base64 (a page that carries its own data).
    setBase64: function (text) {
      const bytes = atob(text);
      const buffer = new Uint8Array(bytes.length);
      for (let i = 0; i < bytes.length; i++) buffer[i] = bytes.charCodeAt(i);
      return this.setData(new Float32Array(buffer.buffer));
    },

    // `lonLat`: Float32Array (or any array) of longitude, latitude pairs.
    setData: function (lonLat) {
      const pairs = Math.floor(lonLat.length / 2);
      const xs = new Float64Array(pairs);
      const ys = new Float64Array(pairs);
      const kept = new Float32Array(2 * pairs);
      let n = 0;
      let west = Infinity, east = -Infinity, south = Infinity, north = -Infinity;
      for (let i = 0; i < pairs; i++) {
        const lon = lonLat[2 * i], lat = lonLat[2 * i + 1];
        if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90)) continue; // NaN too
        xs[n] = projectX(lon);
        ys[n] = projectY(lat);
        kept[2 * n] = lon;
        kept[2 * n + 1] = lat;
        n++;
        if (lon < west) west = lon;
        if (lon > east) east = lon;
        if (lat < south) south = lat;
        if (lat > north) north = lat;
      }
      this._x = xs.subarray(0, n);
      this._y = ys.subarray(0, n);
      this._lonLat = kept.subarray(0, 2 * n);
      this.count = n;
      this._bounds = n ? L.latLngBounds([south, west], [north, east]) : null;
      if (this._map) {
        this._pending = true;
        if (this.options.fitBounds && this._bounds) {
          // Without animation: its moveend draws the points once, at the new view.
          this._map.fitBounds(this._bounds, { maxZoom: this.options.maxZoom, animate: false });
        }
        if (this._pending) this._reset(); // the view did not change
      }
      this.fire("load", { count: n });
      return this;
    },

    getBounds: function () {
      return this._bounds;
    },

    onAdd: function (map) {
      const canvas = (this._canvas = L.DomUtil.create("canvas", "hackkit-points leaflet-zoom-animated"));
      canvas.style.pointerEvents = "none";
      this.getPane().appendChild(canvas);
      this._reset();
    },

    onRemove: function () {
      L.DomUtil.remove(this._canvas);
      this._canvas = null;
    },

    getEvents: function () {
      const events = { moveend: this._reset, viewreset: this._reset, resize: this._reset };
      if (this._map._zoomAnimated) events.zoomanim = this._animateZoom;
      if (this.options.rowsUrl) {
        events.click = this._showRowsAt;
        events.mousemove = this._pointerOver;
      }
      return events;
    },

    // The index of the point drawn nearest to a container point, within the dot's radius
    // and a few pixels more (a finger is wider than a dot), or -1.
    pointAt: function (containerPoint) {
      const hits = this._hits;
      if (!hits) return -1;
      const ratio = this._ratio, r = this._r, width = this._gridWidth, height = this._gridHeight;
      const cx = containerPoint.x * ratio + r, cy = containerPoint.y * ratio + r;
      const reach = r + Math.round(6 * ratio);
      let best = -1, bestDistance = Infinity;
      for (let gy = Math.max(0, Math.floor(cy - reach)); gy <= Math.min(height - 1, cy + reach); gy++) {
        for (let gx = Math.max(0, Math.floor(cx - reach)); gx <= Math.min(width - 1, cx + reach); gx++) {
          const hit = hits[gy * width + gx];
          if (!hit) continue;
          const distance = (gx + 0.5 - cx) ** 2 + (gy + 0.5 - cy) ** 2;
          if (distance < bestDistance && distance <= reach * reach) {
            best = hit - 1;
            bestDistance = distance;
          }
        }
      }
      return best;
    },

    _pointerOver: function (event) {
      this._map.getContainer().style.cursor = this.pointAt(event.containerPoint) >= 0 ? "pointer" : "";
    },

    _showRowsAt: function (event) {
      const index = this.pointAt(event.containerPoint);
      if (index < 0) return;
      const lon = this._lonLat[2 * index], lat = this._lonLat[2 * index + 1];
      // The points are float32 (a few decimetres at most off the stored value): ask for a box
      // of about a metre around it, which also finds every row at the same place.
      const near = 1e-5, o = this.options;
      const ask = new URLSearchParams();
      ask.set(o.latField + "__gte", lat - near);
      ask.set(o.latField + "__lte", lat + near);
      ask.set(o.lonField + "__gte", lon - near);
      ask.set(o.lonField + "__lte", lon + near);
      ask.set("_size", "1");
      const url = o.rowsUrl + (o.rowsUrl.indexOf("?") < 0 ? "?" : "&") + ask.toString();
      const popup = L.popup({ maxWidth: 320, className: "hackkit-points-popup" }).setLatLng([lat, lon]);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then((response) => {
          if (!response.ok) throw new Error(response.status + " " + response.url);
          return response.json();
        })
        .then((answer) => popup.setContent(this._rowsContent(answer)).openOn(this._map))
        .catch((error) => {
          console.error("hackkit-points:", String(error));
          popup.setContent(this._text("p", o.labels.failed)).openOn(this._map);
        })
        .then(() => this.fire("rowsshown", { index: index }));
    },

    // A row as a table of its columns; every value goes in as text, never as markup.
    _rowsContent: function (answer) {
      const box = document.createElement("div");
      const row = (answer.rows || [])[0];
      if (!row) return this._text("p", this.options.labels.failed);
      const table = box.appendChild(document.createElement("table"));
      Object.keys(row)
        .filter((key) => row[key] !== null && row[key] !== "")
        .slice(0, this.options.popupFields)
        .forEach((key) => {
          const line = table.appendChild(document.createElement("tr"));
          line.appendChild(this._text("th", key));
          const value = row[key];
          line.appendChild(this._text("td", typeof value === "object" ? JSON.stringify(value) : String(value)));
        });
      const more = (answer.total || 1) - 1;
      if (more > 0) box.appendChild(this._text("p", this.options.labels.more.replace("{count}", more)));
      return box;
    },

    _text: function (tag, text) {
      const element = document.createElement(tag);
      element.textContent = text;
      return element;
    },

    // During a zoom animation the last picture is scaled, as Leaflet's own renderers do.
    _animateZoom: function (event) {
      const map = this._map;
      const scale = map.getZoomScale(event.zoom, this._zoom);
      const offset = map
        .getSize()
        .multiplyBy(0.5 * -scale)
        .add(map.project(this._center, event.zoom))
        .subtract(map._getNewPixelOrigin(event.center, event.zoom));
      L.DomUtil.setTransform(this._canvas, offset, scale);
    },

    // Puts the canvas over the whole view and draws.
    _reset: function () {
      const map = this._map;
      if (!map || !this._canvas) return;
      this._center = map.getCenter();
      this._zoom = map.getZoom();
      L.DomUtil.setPosition(this._canvas, map.containerPointToLayerPoint([0, 0]));
      this._draw();
    },

    _draw: function () {
      const map = this._map, canvas = this._canvas;
      const size = map.getSize();
      const ratio = window.devicePixelRatio || 1;
      const width = Math.max(1, Math.round(size.x * ratio));
      const height = Math.max(1, Math.round(size.y * ratio));
      if (canvas.width !== width || canvas.height !== height) {
        canvas.width = width;
        canvas.height = height;
      }
      canvas.style.width = size.x + "px";
      canvas.style.height = size.y + "px";

      // Screen pixel of a projected point: value * scale - origin (in device pixels).
      const scale = 256 * Math.pow(2, this._zoom) * ratio;
      const origin = map.getPixelBounds().min.multiplyBy(ratio);
      const ox = origin.x, oy = origin.y;

      // 1. How many points fall on each pixel, on a grid r pixels wider on every side so
      // that a dot whose centre is just outside still shows its edge.
      const r = Math.round(this.options.radius * ratio);
      const gridWidth = width + 2 * r, gridHeight = height + 2 * r;
      const centres = new Uint32Array(gridWidth * gridHeight);
      const hits = this.options.rowsUrl ? new Uint32Array(gridWidth * gridHeight) : null;
      const xs = this._x, ys = this._y, n = this.count;
      const left = ox - r, top = oy - r;
      let visible = 0;
      for (let i = 0; i < n; i++) {
        const gx = xs[i] * scale - left, gy = ys[i] * scale - top;
        if (gx >= 0 && gy >= 0 && gx < gridWidth && gy < gridHeight) {
          const cell = (gy | 0) * gridWidth + (gx | 0);
          centres[cell]++;
          if (hits) hits[cell] = i + 1;
          visible++;
        }
      }
      this._hits = hits;
      this._ratio = ratio;
      this._r = r;
      this._gridWidth = gridWidth;
      this._gridHeight = gridHeight;

      // 2. How many dots cover each pixel: each occupied grid cell stamps a disc of radius r.
      // Dense data shares cells, so this is far less work than a disc per point.
      const stamp = [];
      for (let dy = -r; dy <= r; dy++) {
        for (let dx = -r; dx <= r; dx++) if (dx * dx + dy * dy <= r * r + r) stamp.push(dx, dy);
      }
      const covered = new Uint32Array(width * height);
      for (let gy = 0; gy < gridHeight; gy++) {
        for (let gx = 0; gx < gridWidth; gx++) {
          const c = centres[gy * gridWidth + gx];
          if (!c) continue;
          const cx = gx - r, cy = gy - r; // the cell's pixel on the canvas
          for (let k = 0; k < stamp.length; k += 2) {
            const x = cx + stamp[k], y = cy + stamp[k + 1];
            if (x >= 0 && y >= 0 && x < width && y < height) covered[y * width + x] += c;
          }
        }
      }

      // 3. Coverage to colour: one lookup per pixel (RGBA bytes, little-endian words).
      const [red, green, blue] = rgb(this.options.color);
      const alpha = new Uint32Array(256);
      for (let c = 1; c < 256; c++) {
        const a = Math.round(255 * (1 - Math.pow(1 - this.options.opacity, c)));
        alpha[c] = ((a << 24) | (blue << 16) | (green << 8) | red) >>> 0;
      }
      const context = canvas.getContext("2d");
      const image = context.createImageData(width, height);
      const pixels = new Uint32Array(image.data.buffer);
      for (let at = 0; at < covered.length; at++) {
        const c = covered[at];
        if (c) pixels[at] = alpha[c > 255 ? 255 : c];
      }
      context.putImageData(image, 0, 0);
      this._pending = false;
      this.drawnPoints = n;
      this.visiblePoints = visible;
      this.fire("drawn", { count: n, visible: visible });
    },
  });

  L.hackkitPoints = function (options) {
    return new L.HackkitPoints(options);
  };
})();
