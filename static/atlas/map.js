/*
 * The atlas's Leaflet plugin: its points, legend, first view and base map.
 *
 *   L.atlas.pointLayer(source, options)   a layer of markers made in the browser from the packed
 *                                         points of atlas/map/points.py (`pack_points`): the payload
 *                                         itself, or {url, part}: part `part` of a static JSON file
 *   L.atlas.update(group, spec)           when `group` joins the map: which points each layer shows,
 *                                         which are highlighted, the article places, the framing
 *                                         (sent on every rerun; see atlas/map/update.py)
 *   L.atlas.legend({html: ...})           a control counting each marker style in the current view
 *   L.atlas.fitBounds(map, bounds)        frame `bounds` once the map has its final size
 *   L.atlas.outlines(url)                 country outlines (a static GeoJSON file, or the GeoJSON), the base map
 *                                         under the tiles (what shows when there are none); drawn after the first markers
 *   L.atlas.setup(map, options)           the map's controls in the page's language (zoom, layers, a metric
 *                                         scale), overlays folded on small screens, and on touch screens one
 *                                         finger scrolling the page while two move the map; with `fill`,
 *                                         the map as tall as its frame (a partner's embed)
 *   L.atlas.labels(map, url, options)     offline place names (atlas/map/labels.py), the biggest towns first and
 *                                         none overlapping: on the map at once without tiles, else when tiles fail
 *
 * The map's script is the same on every rerun (so streamlit-folium keeps its iframe): what a
 * filter changes arrives through `L.atlas.update`, and the points themselves come once, from a
 * file named by its content hash. Marks on the performance timeline: `atlas:data` (the points
 * of a file decoded), `atlas:markers` (the first markers handed to the map), `atlas:update` (an update applied),
 * `atlas:outlines` (the country outlines drawn), `atlas:labels` (place names first drawn),
 * `atlas:open` (the record of an entry chosen outside the map opened), `atlas:sheet` (a record shown
 * in the bottom sheet, on phones).
 *
 * Records: a popup that never puts the entry's name under a control (`AtlasPopup`); on a phone a
 * sheet along the bottom of the map instead (`showSheet`). The selected entry is highlighted (never
 * clustered); an entry chosen outside the map (a permalink, a table row) is framed and opened.
 *
 * The page loads this file after Leaflet (folium's `default_js`); Leaflet.markercluster is needed
 * only when a clustered layer is made, so the file may be loaded before it. Under node (no `L`) it
 * exports the functions that need no Leaflet, so that tests run the decoder the browser runs.
 *
 * Every data string in a payload was escaped once in Python (atlas.text.escape): this file puts
 * them into HTML as they are and never escapes or unescapes anything.
 */
(function (root, factory) {
    'use strict';
    const atlas = factory();
    if (typeof module === 'object' && module.exports) {
        module.exports = atlas;
    }
    if (root && root.L) {
        root.L.atlas = atlas.leaflet(root.L);
    }
}(typeof window === 'undefined' ? undefined : window, function () {
    'use strict';

    /**
     * `pack_points`' compact form back to columns (the payload keys are documented there).
     *
     * Returns {n, scale, lat, lon (integers: degrees × scale), style, place (codes), places (texts),
     * row (index labels), name, ref, hl (indices of highlighted points), desc, web}.
     */
    function decodePoints(p) {
        const n = p.name.length, s = atob(p.pts), bits = p.placeBits, mask = Math.pow(2, bits) - 1;
        const lat = new Int32Array(n), lon = new Int32Array(n), row = new Array(n);
        const style = p.style || new Uint8Array(n), place = p.place || new Int32Array(n);
        const u24 = function (j) {
            return s.charCodeAt(j) | s.charCodeAt(j + 1) << 8 | s.charCodeAt(j + 2) << 16;
        };
        let r = 0;
        for (let i = 0, j = 0; i < n; i++, j += 9) {
            lat[i] = u24(j) - p.latOffset;
            lon[i] = u24(j + 3) - p.lonOffset;
            if (!p.place) {
                const c = u24(j + 6);
                place[i] = c & mask;
                style[i] = c >>> bits;
            }
            if (p.rowd) {
                r += p.rowd[i];
                row[i] = r;
            } else {
                row[i] = p.rowv ? p.rowv[i] : p.row0 + i;
            }
        }
        const places = p.places.map(function (city, k) {
            return city + (city ? ', ' : '') + p.countries[p.pc[k]];
        });
        return {
            n: n, scale: p.scale, lat: lat, lon: lon, style: style, place: place, places: places, row: row,
            name: p.name, ref: p.ref, hl: p.hl || [], desc: p.desc, web: p.web
        };
    }

    /**
     * Which of `n` points to show: null shows them all, else base64 of a bit set, bit `i % 8` of
     * byte `i >> 3` for point `i` (numpy's `packbits(..., bitorder="little")`, atlas/map/update.py).
     */
    function decodeMask(mask, n) {
        const out = new Uint8Array(n);
        if (mask === null || mask === undefined) {
            return out.fill(1);
        }
        const s = atob(mask);
        for (let i = 0; i < n; i++) {
            out[i] = (s.charCodeAt(i >> 3) >> (i & 7)) & 1;
        }
        return out;
    }

    /**
     * `place_labels`' packed form (atlas/map/labels.py) back to columns: {n, name (plain text),
     * lat, lon (degrees), z (first zoom at which the town is named)}, biggest town first.
     */
    function decodeLabels(p) {
        const name = p.names ? p.names.split('\n') : [], n = name.length, s = atob(p.pts);
        const lat = new Float64Array(n), lon = new Float64Array(n), z = new Uint8Array(n);
        const u24 = function (j) {
            return s.charCodeAt(j) | s.charCodeAt(j + 1) << 8 | s.charCodeAt(j + 2) << 16;
        };
        for (let i = 0, j = 0; i < n; i++, j += 7) {
            lat[i] = u24(j) / p.scale - 90;
            lon[i] = u24(j + 3) / p.scale - 180;
            z[i] = s.charCodeAt(j + 6);
        }
        return {n: n, name: name, lat: lat, lon: lon, z: z};
    }

    /** Tooltip of point `i`; its hidden tail `#<ref><row>` is what the app reads back on a click. */
    function tooltipHtml(d, i) {
        return '<b>' + d.name[i] + '</b><br>' + d.places[d.place[i]] +
            '<span hidden>#' + d.ref + d.row[i] + '</span>';
    }

    /** Popup of point `i`: name, style label, place, and description and website when sent; it ends
     * with where the full record is: beside the map on a `wide` page, else below it. */
    function popupHtml(d, i, styles, texts, wide) {
        const s = styles[d.style[i]];
        let h = '<div class="atlas-popup"><b class="atlas-popup-title">' + d.name[i] + '</b><br>' +
            '<span class="atlas-cat" style="color:' + s.colour + '">' + s.label + '</span><br>' +
            d.places[d.place[i]];
        if (d.desc && d.desc[i]) {
            h += '<p>' + d.desc[i] + '</p>';
        }
        if (d.web && d.web[i]) {
            h += '<a href="' + d.web[i] + '" target="_blank" rel="noopener noreferrer">' + texts.website + '</a><br>';
        }
        return h + '<i>' + (wide && texts.detailsBeside ? texts.detailsBeside : texts.details) + '</i></div>';
    }

    /** The text an escaped string shows (the string was escaped in Python: it holds no markup). */
    function plainText(escaped) {
        const t = document.createElement('textarea');
        t.innerHTML = escaped;
        return t.value;
    }

    function mark(name) {
        if (typeof performance !== 'undefined' && performance.mark) {
            performance.mark(name);
        }
    }

    function leaflet(L) {
        const layers = [];  // point layers on a map, for the legend
        const byKey = {};  // point layers by their `key` option (the iframe holds one map)
        const files = {};  // url -> promise of the parsed JSON file (each file fetched once)
        let control = null;  // the map's layer control, to list the article places layer
        let marked = false;
        let sheetTexts = {};  // the bottom sheet's texts (L.atlas.setup)

        L.Control.Layers.addInitHook(function () { control = this; });
        // Panes of the base map: outlines under the tiles (200), place names over the outlines and
        // shapes (400) but under the markers (600); names never take a click.
        L.Map.addInitHook(function () {
            this.createPane('atlasBase').style.zIndex = 150;
            this.createPane('atlasOdc').style.zIndex = 590;
            this.createPane('atlasPlaces').style.zIndex = 620;  // an article's places above its entries' rings  // ODCs under the organisations' clusters and their counts
            const names = this.createPane('atlasLabels');
            names.style.zIndex = 450;
            names.style.pointerEvents = 'none';
        });

        function load(url) {
            if (!files[url]) {
                files[url] = fetch(url, {credentials: 'same-origin'}).then(function (r) {
                    if (!r.ok) { throw new Error(url + ': HTTP ' + r.status); }
                    return r.json();
                });
            }
            return files[url];
        }

        /** Whether the page puts the record panel beside the map (Streamlit's columns stack below 640 px). */
        function pageIsWide() {
            let width = window.innerWidth;
            try { width = window.top.innerWidth; } catch { /* another origin: the frame's own width */ }
            return width >= 640;
        }

        function makeIcon(o, big) {
            // The mark is 12 to 22 px; what takes a click or a tap is at least 24 px (WCAG 2.5.8), and
            // a highlighted entry's takes its ring too — except an article place's, no bigger than the
            // diamond, as it is drawn above the entries (often in the same town): around it, the
            // entry's ring still takes the click.
            const size = big ? 22 : (o.odc ? 14 : 12), target = o.place ? 16 : (big ? 34 : 24);
            const css = 'background:' + (o.planned ? '#fff' : o.colour) + ';border-color:' + o.colour +
                ';width:' + size + 'px;height:' + size + 'px';
            return L.divIcon({
                className: 'atlas-pin' + (o.odc ? ' atlas-odc' : '') + (o.place ? ' atlas-place' : '') +
                    (o.planned ? ' atlas-planned' : '') + (big ? ' atlas-hl' : ''),
                html: '<span style="' + css + '"></span>',
                iconSize: [target, target]
            });
        }

        /** The map's controls at its top (the search box, the zoom and fullscreen buttons, the layer
         * list), as boxes in the map's own coordinates. */
        function topControls(map) {
            const origin = map.getContainer().getBoundingClientRect();
            return Array.from(map.getContainer().querySelectorAll('.leaflet-top .leaflet-control')).map(function (el) {
                const r = el.getBoundingClientRect();
                return {left: r.left - origin.left, top: r.top - origin.top, right: r.right - origin.left, bottom: r.bottom - origin.top};
            }).filter(function (r) { return r.right > r.left && r.bottom > r.top; });
        }

        /**
         * A popup that, as it opens, moves the map so that all of it is in the map when it fits, and
         * its first line (the entry's name) is never under a control: Leaflet's own autopan knows
         * only the map's edges.
         */
        const AtlasPopup = L.Popup.extend({
            _adjustPan: function () {
                if (!this.options.autoPan || !this._map) { return; }
                const map = this._map;
                if (map._panAnim) { map._panAnim.stop(); }
                if (this._autopanning) { this._autopanning = false; return; }
                const move = this.neededPan();
                if (move[0] || move[1]) {
                    if (this.options.keepInView) { this._autopanning = true; }
                    map.fire('autopanstart').panBy(move);
                }
            },

            /** How far the map must move ([dx, dy], as `panBy`) for the popup to be in it and its title clear. */
            neededPan: function () {
                const map = this._map, box = this._container, gap = 8, size = map.getSize();
                const height = box.offsetHeight + (parseInt(L.DomUtil.getStyle(box, 'marginBottom'), 10) || 0);
                const width = this._containerWidth;
                const pos = map.layerPointToContainerPoint(
                    L.point(this._containerLeft, -height - this._containerBottom)._add(L.DomUtil.getPosition(box)));
                const title = box.querySelector('.atlas-popup-title');
                const titleHeight = title ? title.getBoundingClientRect().bottom - box.getBoundingClientRect().top : 40;
                let dx = 0, dy = 0;
                if (pos.x + width + gap > size.x) { dx = pos.x + width - size.x + gap; }
                if (pos.x - dx - gap < 0) { dx = pos.x - gap; }
                if (pos.y + height + gap > size.y) { dy = pos.y + height - size.y + gap; }
                if (pos.y - dy - gap < 0) { dy = pos.y - gap; }
                const controls = topControls(map);
                for (let round = 0; round < 3; round++) {
                    const x = pos.x - dx, y = pos.y - dy;
                    const hit = controls.filter(function (c) {
                        return x < c.right + gap && x + width > c.left - gap && y < c.bottom + gap && y + titleHeight > c.top - gap;
                    })[0];
                    if (!hit) { break; }
                    // the smallest move that clears it: down under it, or beside it when the popup still fits
                    const moves = [{dx: dx, dy: pos.y - hit.bottom - gap}];
                    const right = pos.x - hit.right - gap, left = pos.x + width - hit.left + gap;
                    if (hit.right + gap + width + gap <= size.x) { moves.push({dx: right, dy: dy}); }
                    if (hit.left - gap - width - gap >= 0) { moves.push({dx: left, dy: dy}); }
                    moves.sort(function (a, b) {
                        return Math.abs(a.dx - dx) + Math.abs(a.dy - dy) - Math.abs(b.dx - dx) - Math.abs(b.dy - dy);
                    });
                    dx = moves[0].dx;
                    dy = moves[0].dy;
                }
                return [Math.round(dx), Math.round(dy)];
            }
        });

        /** Whether a record opens as a bottom sheet (a phone: a narrow map, or a finger) rather than a popup. */
        function useSheet(map) {
            return map.getSize().x < 500 || touchScreen();
        }

        /**
         * The record of `marker` in a sheet along the bottom of the map, the whole width of the
         * screen (a phone): the name first, then what the popup says; the map moves so that the
         * marker stays in sight above it. A tap on the map, the close button or Escape closes it.
         */
        function showSheet(map, marker) {
            let sheet = map._atlasSheet;
            if (!sheet) {
                sheet = map._atlasSheet = L.DomUtil.create('section', 'atlas-sheet', map.getContainer());
                sheet.setAttribute('role', 'dialog');
                const close = L.DomUtil.create('button', 'atlas-sheet-close', sheet);
                close.type = 'button';
                close.textContent = '\u00d7';
                close.setAttribute('aria-label', sheetTexts.close || 'Close');
                close.title = sheetTexts.close || 'Close';
                sheet._atlasBody = L.DomUtil.create('div', 'atlas-sheet-body', sheet);
                const hide = function () {
                    sheet.hidden = true;
                    map.fire('atlas:sheetclose');
                };
                L.DomEvent.disableClickPropagation(sheet);
                L.DomEvent.disableScrollPropagation(sheet);
                L.DomEvent.on(close, 'click', hide);
                L.DomEvent.on(sheet, 'keydown', function (e) { if (e.key === 'Escape') { hide(); } });
                map.on('click', hide);
            }
            const layer = marker._atlasLayer, i = marker._atlasIndex, d = layer.points;
            sheet._atlasBody.innerHTML = popupHtml(d, i, layer.options.styles, layer.options.texts, pageIsWide());
            sheet.setAttribute('aria-label', plainText(d.name[i]));
            sheet.hidden = false;
            const p = map.latLngToContainerPoint(marker.getLatLng()), room = map.getSize().y - sheet.offsetHeight;
            if (p.y > room - 20 || p.y < 20) {
                map.panBy([0, p.y - room / 2], {animate: false});
            }
            mark('atlas:sheet');
        }

        // A marker gets its tooltip and popup when it is first drawn on its own (not inside a
        // cluster): making them for 100,000 markers up front takes about a second.
        const Point = L.Marker.extend({
            onAdd: function (map) {
                L.Marker.prototype.onAdd.call(this, map);
                const icon = this._icon, d0 = this._atlasLayer.points;
                if (icon && !icon.hasAttribute('aria-label')) {  // a keyboard stop named by the entry
                    icon.setAttribute('aria-label', plainText(d0.name[this._atlasIndex]));
                    L.DomEvent.on(icon, 'keydown', this._atlasKey, this);
                }
                if (!this._tooltip) {
                    const owner = this._atlasLayer, i = this._atlasIndex, d = owner.points;
                    this.bindTooltip(tooltipHtml(d, i));
                    const popup = new AtlasPopup({maxWidth: 320}, this);
                    popup.setContent(function () {
                        return popupHtml(d, i, owner.options.styles, owner.options.texts, pageIsWide());
                    });
                    this.bindPopup(popup);
                }
                return this;
            },

            // On a phone the record opens as a bottom sheet (`showSheet`), not as a popup.
            openPopup: function (latlng) {
                if (this._map && useSheet(this._map)) {
                    showSheet(this._map, this);
                    return this;
                }
                return L.Marker.prototype.openPopup.call(this, latlng);
            },

            // Enter (or Space) on a focused marker does what a click does: it opens the popup and
            // selects the entry (streamlit-folium listens to clicks). The key's default is stopped,
            // so that Leaflet's own Enter (which opens the popup) does not close it again.
            _atlasKey: function (e) {
                if (e.key === 'Enter' || e.key === ' ') {
                    L.DomEvent.preventDefault(e);
                    this.fire('click', {latlng: this.getLatLng(), originalEvent: e}, true);
                }
            }
        });

        /** Name each cluster for screen readers ("12 entries: zoom in"): markercluster's own icons
         * are buttons with only a number. */
        function nameClusters(text) {
            if (!L.MarkerCluster || L.MarkerCluster.prototype._atlasNamed || !text) { return; }
            const onAdd = L.MarkerCluster.prototype.onAdd;
            L.MarkerCluster.prototype._atlasNamed = true;
            L.MarkerCluster.prototype.onAdd = function (map) {
                onAdd.call(this, map);
                if (this._icon) {
                    this._icon.setAttribute('aria-label', plainText(text).replace('{n}', String(this.getChildCount())));
                }
                return this;
            };
        }

        /**
         * All the points of one payload, decoded once. Which of them are shown (`setVisible`,
         * `setMask`) and which are highlighted (`setHighlighted`, never clustered) can change
         * without making the layer again. Given {url, part}, the layer fetches the file and keeps
         * what it is asked to show until the points are there.
         */
        const PointLayer = L.LayerGroup.extend({
            options: {clustered: true, cluster: {}, styles: [], texts: {}, key: '', pane: '', squares: false},

            initialize: function (source, options) {
                L.setOptions(this, options);
                L.LayerGroup.prototype.initialize.call(this);
                this.points = null;
                this._visible = null;  // what to show: null (all), an array of indices or a 0/1 array
                this._hl = null;  // indices to highlight; null: those of the payload
                // On its own, a cluster group not yet on a map checks each marker added against
                // all those waiting (quadratic: seconds for 100,000): markers join a group once it
                // is on the map, where markercluster adds them in chunks.
                if (this.options.clustered) { nameClusters(this.options.texts.cluster); }
                this._group = this.options.clustered ? L.markerClusterGroup(this._clusterOptions()) : L.featureGroup();
                this._front = L.featureGroup();
                this._group.on('add', this._place, this);
                this._front.on('add', this._place, this);
                this.addLayer(this._group);
                this.addLayer(this._front);
                if (this.options.key) {
                    byKey[this.options.key] = this;
                }
                if (source && source.url) {
                    this.ready = load(source.url).then(L.bind(function (file) {
                        this.setPoints(file[source.part]);
                        mark('atlas:data');
                        return this;
                    }, this));
                    this.ready.catch(function (err) { console.error('atlas: points not loaded', err); });
                } else {
                    this.setPoints(source);
                    this.ready = Promise.resolve(this);
                }
            },

            // markercluster's options, plus the layer's pane and, for `squares`, square clusters in
            // the colour of the layer's first square style (the ODCs').
            _clusterOptions: function () {
                const out = L.extend({}, this.options.cluster);
                if (this.options.pane) { out.clusterPane = this.options.pane; }
                if (this.options.squares) {
                    const square = this.options.styles.filter(function (st) { return st.odc && !st.planned; })[0];
                    const colour = square ? square.colour : '#555';
                    out.iconCreateFunction = function (cluster) {
                        return L.divIcon({
                            className: 'marker-cluster atlas-square-cluster',
                            html: '<span style="background:' + colour + '">' + cluster.getChildCount() + '</span>',
                            iconSize: [28, 28],
                            // below and right of its place: beside, not under, a round cluster of the same place
                            iconAnchor: [4, 4]
                        });
                    };
                }
                return out;
            },

            onAdd: function (map) {
                layers.push(this);
                L.LayerGroup.prototype.onAdd.call(this, map);
            },

            onRemove: function (map) {
                const k = layers.indexOf(this);
                if (k >= 0) { layers.splice(k, 1); }
                L.LayerGroup.prototype.onRemove.call(this, map);
            },

            /** Make the layer's points those of `payload` (the markers of the old ones go). */
            setPoints: function (payload) {
                this._group.clearLayers();
                this._front.clearLayers();
                this.points = decodePoints(payload);
                const n = this.points.n;
                this._markers = new Array(n);
                this._icons = {};
                this._highlighted = new Uint8Array(n);
                this._wanted = new Uint8Array(n);  // points to show
                this._placed = new Uint8Array(n);  // points in a group
                this._applyHighlight(this._hl === null ? this.points.hl : this._hl);
                return this._show();
            },

            /** Show only the points at `indices` (into the payload), or every point when null. */
            setVisible: function (indices) {
                this._visible = indices;
                return this._show();
            },

            /** Show the points whose bit is set in `mask` (`decodeMask`'s form); all when null. */
            setMask: function (mask) {
                this._visible = mask === null || mask === undefined ? null : {mask: mask};
                return this._show();
            },

            /** Draw the points at `indices` big and above the others (an article's entries);
             * with `later`, only once the points shown are next set. */
            setHighlighted: function (indices, later) {
                this._hl = indices || [];
                if (this.points) {
                    this._applyHighlight(this._hl);
                    if (!later) { this._show(); }
                }
                return this;
            },

            /** How many points are shown. */
            shownCount: function () {
                let k = 0;
                if (this.points) {
                    for (let i = 0; i < this.points.n; i++) { k += this._wanted[i]; }
                }
                return k;
            },

            /** Add `counts[style] += 1` for every shown point inside `bounds` (every shown point without). */
            countIn: function (bounds, counts) {
                const d = this.points, wanted = this._wanted;
                if (!d) { return counts; }
                for (let i = 0; i < d.n; i++) {
                    if (wanted[i] && (!bounds || bounds.contains([d.lat[i] / d.scale, d.lon[i] / d.scale]))) {
                        counts[d.style[i]] = (counts[d.style[i]] || 0) + 1;
                    }
                }
                return counts;
            },

            _applyHighlight: function (indices) {
                const flags = new Uint8Array(this.points.n), groups = [this._group, this._front];
                indices.forEach(function (i) { if (i >= 0 && i < flags.length) { flags[i] = 1; } });
                for (let i = 0; i < flags.length; i++) {
                    if (flags[i] !== this._highlighted[i]) {
                        if (this._placed[i]) {
                            const old = this._markers[i];
                            if (old && old.isPopupOpen()) { this._reopen = i; }  // (its popup opens again on the new marker)
                            groups[this._highlighted[i]].removeLayer(old);
                            this._placed[i] = 0;
                        }
                        this._markers[i] = null;  // its icon changes
                        this._highlighted[i] = flags[i];
                    }
                }
            },

            _show: function () {
                if (!this.points) { return this; }
                const v = this._visible, wanted = this._wanted;
                if (v && v.mask !== undefined) {
                    wanted.set(decodeMask(v.mask, wanted.length));
                } else {
                    wanted.fill(v ? 0 : 1);
                    (v || []).forEach(function (i) { if (i >= 0 && i < wanted.length) { wanted[i] = 1; } });
                }
                this._place();
                if (this._map) {
                    this._map.fire('atlas:pointschange');
                }
                return this;
            },

            _marker: function (i) {
                if (!this._markers[i]) {
                    const d = this.points, big = this._highlighted[i] === 1, key = d.style[i] + (big ? 'h' : '');
                    if (!this._icons[key]) {
                        this._icons[key] = makeIcon(this.options.styles[d.style[i]], big);
                    }
                    const m = new Point([d.lat[i] / d.scale, d.lon[i] / d.scale],
                        {icon: this._icons[key], pane: this.options.pane || 'markerPane'});
                    m._atlasLayer = this;
                    m._atlasIndex = i;
                    this._markers[i] = m;
                }
                return this._markers[i];
            },

            // Bring the groups in line with the points wanted; a group off the map waits until it is on it.
            // When more markers would leave a group than stay in it, the group is emptied and filled
            // again: markercluster removes markers one by one, but adds many at once.
            _place: function () {
                if (!this.points) { return; }
                const groups = [this._group, this._front], n = this.points.n;
                groups.forEach(function (group, k) {
                    if (!group._map) { return; }
                    let drop = 0, keep = 0;
                    for (let i = 0; i < n; i++) {
                        if (this._highlighted[i] === k && this._placed[i]) {
                            if (this._wanted[i]) { keep++; } else { drop++; }
                        }
                    }
                    const add = [], out = [];
                    const refill = drop > keep && drop > 100;
                    if (refill) {
                        group.clearLayers();
                    }
                    for (let i = 0; i < n; i++) {
                        if (this._highlighted[i] !== k) { continue; }
                        if (refill) {
                            this._placed[i] = 0;
                        }
                        if (this._wanted[i] !== this._placed[i]) {
                            (this._wanted[i] ? add : out).push(this._marker(i));
                            this._placed[i] = this._wanted[i];
                        }
                    }
                    if (out.length) {
                        if (group.removeLayers) { group.removeLayers(out); }
                        else { out.forEach(function (m) { group.removeLayer(m); }); }
                    }
                    if (add.length) {
                        if (group.addLayers) { group.addLayers(add); }
                        else { add.forEach(function (m) { group.addLayer(m); }); }
                        if (!marked) {  // (markercluster draws the first chunk of markers at once)
                            marked = true;
                            mark('atlas:markers');
                        }
                    }
                }, this);
                const again = this._reopen;
                this._reopen = null;
                if (again !== null && again !== undefined && this._placed[again] && this._markers[again] &&
                        this._markers[again]._map && !useSheet(this._markers[again]._map)) {
                    this._markers[again].openPopup();
                }
            }
        });

        /** Each marker style with how many of its points lie in the map's current view; a style
         * none of whose points is shown at all (filtered out) is hidden. */
        const Legend = L.Control.extend({
            options: {position: 'bottomright', html: ''},

            onAdd: function (map) {
                const div = this._div = L.DomUtil.create('div', 'atlas-legend');
                div.innerHTML = this.options.html;  // built and escaped in Python (atlas/map/legend.py)
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                map.on('moveend overlayadd overlayremove atlas:pointschange', this.update, this);
                map.whenReady(this.update, this);
                return div;
            },

            onRemove: function (map) {
                map.off('moveend overlayadd overlayremove atlas:pointschange', this.update, this);
            },

            update: function () {
                const map = this._map, counts = {}, totals = {};
                if (!map) { return; }
                const bounds = map.getBounds();
                let known = true;
                Object.keys(byKey).forEach(function (key) {
                    const layer = byKey[key];
                    if (!layer.points) { known = false; }
                    layer.countIn(null, totals);
                    if (layer._map === map) { layer.countIn(bounds, counts); }
                });
                layers.forEach(function (layer) {
                    if (layer._map === map && !layer.options.key) { layer.countIn(bounds, counts); }
                });
                this._div.querySelectorAll('[data-style]').forEach(function (el) {
                    const style = el.getAttribute('data-style');
                    el.textContent = counts[style] || 0;
                    if (known) {
                        el.parentNode.hidden = !totals[style];
                    }
                });
            }
        });

        /**
         * Room the map's overlays take at its edges, as Leaflet's fitBounds padding: the controls
         * on the left and at the top right, and the legend at the bottom right — kept clear by
         * padding the bottom or the right, whichever costs the view less.
         */
        function overlayPadding(map) {
            const box = map.getContainer().getBoundingClientRect(), size = map.getSize();
            const gap = 10, rect = function (selector) {
                const el = map.getContainer().querySelector(selector);
                return el && el.offsetParent ? el.getBoundingClientRect() : null;
            };
            const pad = {left: gap, top: gap, right: gap, bottom: gap};
            // each corner's overlay: kept clear by padding one of its two sides, the cheaper one
            [['.leaflet-top.leaflet-left', 'left', 'top'], ['.leaflet-top.leaflet-right .leaflet-control', 'right', 'top'],
                ['.atlas-legend', 'right', 'bottom']].forEach(function (corner) {
                const r = rect(corner[0]);
                if (!r) { return; }
                const w = (corner[1] === 'left' ? r.right - box.left : box.right - r.left) + gap;
                const h = (corner[2] === 'top' ? r.bottom - box.top : box.bottom - r.top) + gap;
                if (h / size.y <= w / size.x) {
                    pad[corner[2]] = Math.max(pad[corner[2]], h);
                } else {
                    pad[corner[1]] = Math.max(pad[corner[1]], w);
                }
            });
            const left = pad.left, top = pad.top, right = pad.right, bottom = pad.bottom;
            const cap = function (v, total) { return Math.min(v, total * 0.4); };
            return {
                paddingTopLeft: [cap(left, size.x), cap(top, size.y)],
                paddingBottomRight: [cap(right, size.x), cap(bottom, size.y)]
            };
        }

        /** Fit `bounds` in what the overlays leave of the map (and forget a first framing still to
         * be made again: a later framing, such as an article's, must not be undone by it). */
        function frame(map, bounds) {
            clearTimeout(map._atlasRefit);
            map.fitBounds(bounds, overlayPadding(map));
        }

        /** Frame `bounds` now and again once the map has its final size (the iframe is resized
         * after the map is made), unless the visitor has moved the map or another framing came
         * by then. */
        function fitBounds(map, bounds) {
            frame(map, bounds);
            map._atlasRefit = setTimeout(function () {
                map.invalidateSize();
                map.fitBounds(bounds, overlayPadding(map));
            }, 300);
            map.once('mousedown touchstart wheel keydown', function () { clearTimeout(map._atlasRefit); });
        }

        /** Country outlines from a static GeoJSON file (or given), drawn once the first points are (or at once
         * when there are none to wait for): the markers matter more. */
        function outlines(url) {
            const layer = L.geoJSON(null, {
                interactive: false,
                pane: 'atlasBase',
                style: {color: '#9aa9a6', weight: 0.8, fillColor: '#eef2f0', fillOpacity: 1}
            });
            // (after the map's script has run: the point layers are made after the outlines)
            new Promise(function (done) { setTimeout(done, 0); }).then(function () {
                const points = Object.keys(byKey).map(function (key) { return byKey[key].ready; });
                return Promise.all(points).catch(function () { return null; });
            }).then(function () {
                return typeof url === 'string' ? load(url) : url;
            }).then(function (geojson) {
                layer.addData(geojson);
                layer.bringToBack();
                mark('atlas:outlines');
            }).catch(function (err) { console.error('atlas: outlines not loaded', err); });
            return layer;
        }

        /**
         * Place names: in the view, towns named at this zoom, biggest first, each left out when its
         * label would overlap one already placed; at most `max`. Text only (textContent).
         */
        const Labels = L.Layer.extend({
            options: {pane: 'atlasLabels', max: 300},

            initialize: function (source, options) {
                L.setOptions(this, options);
                this.data = null;
                this.ready = Promise.resolve(typeof source === 'string' ? load(source) : source)
                    .then(L.bind(function (payload) {
                        this.data = decodeLabels(payload);
                        this._draw();
                        return this;
                    }, this));
                this.ready.catch(function (err) { console.error('atlas: place names not loaded', err); });
            },

            onAdd: function (map) {
                this._div = L.DomUtil.create('div', 'atlas-labels', this.getPane());
                map.on('moveend', this._draw, this);
                map.on('zoomstart', this._hide, this);
                this._draw();
            },

            onRemove: function (map) {
                map.off('moveend', this._draw, this);
                map.off('zoomstart', this._hide, this);
                L.DomUtil.remove(this._div);
                this._div = null;
            },

            _hide: function () {
                if (this._div) { this._div.style.display = 'none'; }
            },

            _draw: function () {
                const map = this._map, d = this.data, div = this._div;
                if (!map || !d || !div) { return; }
                const zoom = map.getZoom(), view = map.getBounds().pad(0.05), size = map.getSize();
                const origin = map.containerPointToLayerPoint([0, 0]), boxes = [], frag = document.createDocumentFragment();
                const west = view.getWest(), east = view.getEast(), south = view.getSouth(), north = view.getNorth();
                for (let i = 0; i < d.n && boxes.length < this.options.max; i++) {
                    if (d.z[i] > zoom || d.lat[i] < south || d.lat[i] > north) { continue; }
                    let lon = d.lon[i];  // (the view may lie across the antimeridian)
                    if (lon < west) { lon += 360; } else if (lon > east) { lon -= 360; }
                    if (lon < west || lon > east) { continue; }
                    const p = map.latLngToLayerPoint([d.lat[i], lon]), x = p.x - origin.x, y = p.y - origin.y;
                    const w = d.name[i].length * 7 + 10, h = 18;
                    const box = [x - w / 2, y - h, x + w / 2, y + 4];
                    if (box[2] < 0 || box[0] > size.x || box[3] < 0 || box[1] > size.y) { continue; }
                    if (boxes.some(function (b) {
                        return box[0] < b[2] && box[2] > b[0] && box[1] < b[3] && box[3] > b[1];
                    })) { continue; }
                    boxes.push(box);
                    const el = document.createElement('span');
                    el.className = 'atlas-label' + (d.z[i] <= 4 ? ' atlas-label-big' : '');
                    el.textContent = d.name[i];
                    el.style.left = p.x + 'px';
                    el.style.top = p.y + 'px';
                    frag.appendChild(el);
                }
                div.textContent = '';
                div.appendChild(frag);
                div.style.display = '';
                if (!this._marked) {
                    this._marked = true;
                    mark('atlas:labels');
                }
            }
        });

        /**
         * Place names on `map` from `source` (a file's URL, or the labels), listed in the layer
         * control as `options.name`. Without tiles they are on the map at once; with tiles, once a
         * tile fails before any has loaded (no tile server reachable: the outlines show).
         */
        function labels(map, source, options) {
            const layer = new Labels(source, options);
            if (!options.tiles) {
                layer.addTo(map);
            } else {
                let loaded = false;
                map.eachLayer(function (tiles) {
                    if (!(tiles instanceof L.TileLayer)) { return; }
                    tiles.on('tileload', function () { loaded = true; });
                    tiles.on('tileerror', function () {
                        if (!loaded && !map.hasLayer(layer)) { map.addLayer(layer); }
                    });
                });
            }
            setTimeout(function () {  // (the layer control is made after the map's other parts)
                if (control && options.name) { control.addOverlay(layer, options.name); }
            }, 0);
            return layer;
        }

        /** Text folded for matching: lower case, without accents. */
        function fold(text) {
            return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
        }

        /**
         * Find as you type: a box on the map listing, while one types, the shown points of the keyed
         * layers whose name holds the text (at most 8); choosing one (click, or arrows and Enter)
         * shows it on the map, opens it and selects the entry. Names are shown as text only.
         */
        const Search = L.Control.extend({
            options: {position: 'topleft', label: 'Find on the map', none: 'No match', limit: 8},

            onAdd: function () {
                const div = L.DomUtil.create('div', 'atlas-search leaflet-bar');
                const input = this._input = L.DomUtil.create('input', '', div);
                input.type = 'search';
                input.placeholder = this.options.label;
                input.setAttribute('aria-label', this.options.label);
                input.setAttribute('role', 'combobox');
                input.setAttribute('aria-expanded', 'false');
                input.setAttribute('aria-controls', 'atlas-search-list');
                input.setAttribute('aria-autocomplete', 'list');
                const list = this._list = L.DomUtil.create('ul', 'atlas-search-list', div);
                list.id = 'atlas-search-list';
                list.setAttribute('role', 'listbox');
                list.hidden = true;
                this._found = [];
                this._active = -1;
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                L.DomEvent.on(input, 'input', this._find, this);
                L.DomEvent.on(input, 'keydown', this._key, this);
                return div;
            },

            _find: function () {
                const text = fold(this._input.value.trim()), found = [], limit = this.options.limit;
                if (text) {
                    Object.keys(byKey).forEach(function (key) {
                        const layer = byKey[key], d = layer.points;
                        if (!d) { return; }
                        if (!layer._folded) { layer._folded = d.name.map(function (n) { return fold(plainText(n)); }); }
                        for (let i = 0; i < d.n && found.length < limit; i++) {
                            if (layer._wanted[i] && layer._folded[i].indexOf(text) >= 0) { found.push([layer, i]); }
                        }
                    });
                }
                this._found = found;
                this._active = -1;
                this._render(text);
            },

            _render: function (text) {
                const list = this._list, self = this;
                list.textContent = '';
                this._found.forEach(function (item, k) {
                    const d = item[0].points, i = item[1], li = L.DomUtil.create('li', '', list);
                    li.id = 'atlas-search-' + k;
                    li.setAttribute('role', 'option');
                    li.setAttribute('aria-selected', k === self._active ? 'true' : 'false');
                    const name = L.DomUtil.create('b', '', li);
                    name.textContent = plainText(d.name[i]);
                    const place = L.DomUtil.create('span', '', li);
                    place.textContent = ' ' + plainText(d.places[d.place[i]]);
                    L.DomEvent.on(li, 'click', function () { self._choose(k); });
                });
                if (text && !this._found.length) {
                    const li = L.DomUtil.create('li', 'atlas-search-none', list);
                    li.textContent = this.options.none;
                }
                list.hidden = !list.children.length;
                this._input.setAttribute('aria-expanded', list.hidden ? 'false' : 'true');
                if (this._active >= 0) {
                    this._input.setAttribute('aria-activedescendant', 'atlas-search-' + this._active);
                } else {
                    this._input.removeAttribute('aria-activedescendant');
                }
            },

            _key: function (e) {
                const n = this._found.length;
                if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
                    L.DomEvent.preventDefault(e);
                    if (n) {
                        this._active = (this._active + (e.key === 'ArrowDown' ? 1 : n - 1)) % n;
                        this._render(this._input.value);
                    }
                } else if (e.key === 'Enter' && n) {
                    L.DomEvent.preventDefault(e);
                    this._choose(Math.max(this._active, 0));
                } else if (e.key === 'Escape') {
                    this._input.value = '';
                    this._find();
                }
            },

            _choose: function (k) {
                const item = this._found[k], map = this._map;
                if (!item || !map) { return; }
                const layer = item[0], marker = layer._marker(item[1]);
                const open = function () { marker.fire('click', {latlng: marker.getLatLng()}, true); };
                this._list.hidden = true;
                this._input.setAttribute('aria-expanded', 'false');
                if (layer._group.zoomToShowLayer && layer._group.hasLayer(marker)) {
                    layer._group.zoomToShowLayer(marker, open);
                } else {
                    map.setView(marker.getLatLng(), Math.max(map.getZoom(), 12));
                    open();
                }
            }
        });

        /** Whether the map is used with a finger (a phone, a tablet): no mouse that hovers. */
        function touchScreen() {
            return Boolean(L.Browser.touch && window.matchMedia && window.matchMedia('(pointer: coarse)').matches);
        }

        /**
         * On touch screens, one finger scrolls the page (the map does not take it: Leaflet's dragging
         * is off, so the map's `touch-action` lets the browser scroll) and two fingers move and zoom
         * the map (Leaflet's pinch, which follows the fingers' middle). A one-finger swipe on the map
         * shows `hint` for a moment.
         */
        function touchGestures(map, hint) {
            map.dragging.disable();
            L.DomUtil.addClass(map.getContainer(), 'atlas-touch');
            const el = map.getContainer(), tip = L.DomUtil.create('div', 'atlas-gesture-hint', el);
            tip.textContent = hint;
            tip.setAttribute('aria-hidden', 'true');
            let timer = null;
            // A tap on a marker must not focus it: focusing scrolls the frame fully into view, the
            // marker moves under the finger and the tap's click lands beside it.
            el.addEventListener('pointerdown', function (e) {
                if (e.pointerType === 'touch' && e.target.closest && e.target.closest('.leaflet-marker-icon')) {
                    e.preventDefault();
                }
            }, true);
            L.DomEvent.on(el, 'touchmove', function (e) {
                if (e.touches && e.touches.length === 1) {
                    L.DomUtil.addClass(tip, 'atlas-shown');
                    clearTimeout(timer);
                    timer = setTimeout(function () { L.DomUtil.removeClass(tip, 'atlas-shown'); }, 1500);
                } else {
                    L.DomUtil.removeClass(tip, 'atlas-shown');
                }
            });
        }

        /** Fold the legend and the layer list on a small map (a phone, a small embed): a tap opens them. */
        function foldOverlays(map) {
            const size = map.getSize();
            if (control && size.x < 640 && control.options.collapsed === false) {
                control.options.collapsed = true;
                L.DomUtil.remove(control._container);  // made again, folded (Leaflet reads `collapsed` there)
                control._map = null;
                control.addTo(map);
            }
            if (size.x < 420 || size.y < 420) {  // (a phone, or a partner's small frame)
                map.getContainer().querySelectorAll('.atlas-legend details').forEach(function (d) { d.open = false; });
            }
        }

        /**
         * The map's own controls in the page's language (`texts`: zoomIn, zoomOut, layers, gesture)
         * and a metric scale; folded overlays on a small map; touch gestures on a touch screen.
         */
        function setup(map, options) {
            const texts = options.texts || {};
            if (map.zoomControl) {
                [[map.zoomControl._zoomInButton, texts.zoomIn], [map.zoomControl._zoomOutButton, texts.zoomOut]]
                    .forEach(function (pair) {
                        if (pair[0] && pair[1]) {
                            pair[0].title = pair[1];
                            pair[0].setAttribute('aria-label', pair[1]);
                        }
                    });
            }
            sheetTexts = {close: texts.close};
            if (options.fill) {  // (a partner's frame: the map is as tall as the frame the page gives it)
                L.DomUtil.addClass(document.documentElement, 'atlas-fill');
                map.invalidateSize({pan: false});
            }
            // A click on a marker focuses it (a keyboard stop) without scrolling anything: focusing
            // scrolls every scrollable parent to show it — the page, a partner's page around its frame —
            // and the marker then moves from under the pointer before the click ends.
            map.getContainer().addEventListener('mousedown', function (e) {
                const icon = e.target.closest && e.target.closest('.leaflet-marker-icon');
                if (icon && e.button === 0) {
                    e.preventDefault();
                    icon.focus({preventScroll: true});
                }
            }, true);
            L.control.scale({imperial: false}).addTo(map);
            if (texts.search) {
                new Search({label: texts.search, none: texts.searchNone}).addTo(map);
            }
            if (touchScreen()) {
                touchGestures(map, texts.gesture || '');
            }
            const overlays = function () {
                foldOverlays(map);  // (which may make the layer control again)
                if (control && control._layersLink && texts.layers) {
                    control._layersLink.title = texts.layers;
                    control._layersLink.setAttribute('aria-label', texts.layers);
                }
            };
            setTimeout(overlays, 0);  // (the layer control and the legend are made after this)
            map.once('resize', overlays);  // (the frame gets its final size)
        }

        // The places layer of the chosen article (or of every article, hidden), made again only
        // when its points change; listed in the layer control while there is one.
        let places = null;

        function updatePlaces(map, spec) {
            if (!spec) {
                if (places) {
                    map.removeLayer(places.layer);
                    if (control) { control.removeLayer(places.layer); }
                    places = null;
                }
                return;
            }
            if (!places || places.key !== spec.key) {
                if (places) {
                    map.removeLayer(places.layer);
                    if (control) { control.removeLayer(places.layer); }
                }
                places = {key: spec.key, layer: new PointLayer(spec.payload, spec.settings), show: null};
                if (control) { control.addOverlay(places.layer, spec.name); }
            }
            if (spec.show !== places.show) {  // the article chosen changed: show its places, or hide them
                places.show = spec.show;
                if (spec.show) { map.addLayer(places.layer); } else { map.removeLayer(places.layer); }
            }
        }

        // Whether any shown point of the keyed layers lies in the map's view (null: not known yet).
        function anyInView(map) {
            const bounds = map.getBounds(), counts = {};
            let known = true, shown = 0;
            Object.keys(byKey).forEach(function (key) {
                const layer = byKey[key];
                if (!layer.points) { known = false; return; }
                shown += layer.shownCount();
                layer.countIn(bounds, counts);
            });
            if (!known || !shown) { return null; }
            return Object.keys(counts).length > 0;
        }

        /**
         * The view: on the map's first update, the link's view or the frame of the shown points;
         * later, the frame of the shown points when the filters ask for it (`view.key` changed:
         * other countries, another article) or when none of them would be in sight; otherwise
         * the map stays where the visitor put it. While the view is itself a filter (`view.hold`:
         * "only what the map shows"), only the first update places the map.
         */
        function updateView(map, view) {
            const first = map._atlasViewKey === undefined, changed = map._atlasViewKey !== view.key;
            const focus = view.focus || null, focusKey = focus ? focus.key : '';
            const newFocus = focusKey !== (map._atlasFocusKey || '');
            map._atlasViewKey = view.key;
            map._atlasFocusKey = focusKey;
            if (!first && view.hold) {
                return;
            }
            if (first && view.center) {  // a shared view, exactly as it was shared
                map.setView(view.center, view.zoom, {animate: false});
                if (focus && focus.open) { openEntry(map, focus.open, false); }
            } else if (focus && newFocus) {  // an entry chosen outside the map (a permalink, a table row)
                clearTimeout(map._atlasRefit);
                map.setView(focus.center, Math.max(first ? 0 : map.getZoom(), focus.zoom), {animate: false});
                if (focus.open) { openEntry(map, focus.open, true); }
            } else if (first) {
                fitBounds(map, view.fit);
            } else if (changed) {
                frame(map, view.fit);
            } else if (anyInView(map) === false) {
                frame(map, view.fit);
            }
        }

        /**
         * Open the record of point `open.index` of the layer keyed `open.layer` once its points are
         * there (it is highlighted: drawn on its own, never in a cluster): its popup, or on a phone its
         * sheet. With `pan` false the popup does not move the map (a shared view stays as it was).
         */
        function openEntry(map, open, pan) {
            const layer = byKey[open.layer];
            if (!layer) { return; }
            layer.ready.then(function () {
                const i = open.index;
                if (!layer.points || i < 0 || i >= layer.points.n || !layer._placed[i]) { return; }
                const marker = layer._marker(i);
                if (!marker._map) { return; }
                const popup = marker.getPopup();
                if (popup) { popup.options.autoPan = pan; }
                marker.openPopup();
                if (popup) {
                    popup.options.autoPan = true;
                    const move = pan || !popup.isOpen() ? [0, 0] : popup.neededPan();
                    if (move[0] || move[1]) {  // (it does not fit that view: the marked entry says where it is)
                        marker.closePopup();
                    }
                }
                mark('atlas:open');
            });
        }

        function applyUpdate(map, spec) {
            Object.keys(spec.layers || {}).forEach(function (key) {
                const layer = byKey[key], part = spec.layers[key];
                if (layer) {  // (points not loaded yet: the layer keeps both until they are)
                    layer.setHighlighted(part.hl || [], true);
                    layer.setMask(part.mask);
                }
            });
            updatePlaces(map, spec.places);
            if (spec.view) {
                updateView(map, spec.view);
            }
            map.fire('atlas:pointschange');
            mark('atlas:update');
        }

        /** Apply `spec` to the map once `group` (the update's carrier, remade on every change) is on it. */
        function update(group, spec) {
            group.once('add', function () { applyUpdate(group._map, spec); });
            return group;
        }

        return {
            PointLayer: PointLayer,
            pointLayer: function (source, options) { return new PointLayer(source, options); },
            layer: function (key) { return byKey[key]; },
            Legend: Legend,
            legend: function (options) { return new Legend(options); },
            update: update,
            fitBounds: fitBounds,
            outlines: outlines,
            labels: labels,
            setup: setup,
            decodeLabels: decodeLabels,
            decodePoints: decodePoints,
            decodeMask: decodeMask
        };
    }

    return {
        decodePoints: decodePoints, decodeMask: decodeMask, decodeLabels: decodeLabels, tooltipHtml: tooltipHtml, popupHtml: popupHtml,
        leaflet: leaflet
    };
}));
