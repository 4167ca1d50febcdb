/*
 * The atlas's Leaflet plugin: its points, legend, first view and base map.
 *
 *   L.atlas.pointLayer(payload, options)  a layer of markers made in the browser from the packed
 *                                         points of atlas/map/points.py (`pack_points`)
 *   L.atlas.legend({html: ...})           a control counting each marker style in the current view
 *   L.atlas.fitBounds(map, bounds)        frame `bounds` once the map has its final size
 *   L.atlas.outlines(geojson)             country outlines, the base map when there are no tiles
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

    /** Tooltip of point `i`; its hidden tail `#<ref><row>` is what the app reads back on a click. */
    function tooltipHtml(d, i) {
        return '<b>' + d.name[i] + '</b><br>' + d.places[d.place[i]] +
            '<span hidden>#' + d.ref + d.row[i] + '</span>';
    }

    /** Popup of point `i`: name, style label, place, and description and website when sent. */
    function popupHtml(d, i, styles, texts) {
        const s = styles[d.style[i]];
        let h = '<div class="atlas-popup"><b>' + d.name[i] + '</b><br>' +
            '<span class="atlas-cat" style="color:' + s.colour + '">' + s.label + '</span><br>' +
            d.places[d.place[i]];
        if (d.desc && d.desc[i]) {
            h += '<p>' + d.desc[i] + '</p>';
        }
        if (d.web && d.web[i]) {
            h += '<a href="' + d.web[i] + '" target="_blank" rel="noopener noreferrer">' + texts.website + '</a><br>';
        }
        return h + '<i>' + texts.details + '</i></div>';
    }

    function leaflet(L) {
        const layers = [];  // point layers on a map, for the legend

        function makeIcon(o, big) {
            const size = big ? 22 : (o.odc ? 14 : 12);
            const css = 'background:' + (o.planned ? '#fff' : o.colour) + ';border-color:' + o.colour;
            return L.divIcon({
                className: 'atlas-pin' + (o.odc ? ' atlas-odc' : '') + (o.place ? ' atlas-place' : '') +
                    (o.planned ? ' atlas-planned' : '') + (big ? ' atlas-hl' : ''),
                html: '<span style="' + css + '"></span>',
                iconSize: [size, size]
            });
        }

        // A marker gets its tooltip and popup when it is first drawn on its own (not inside a
        // cluster): making them for 100,000 markers up front takes about a second.
        const Point = L.Marker.extend({
            onAdd: function (map) {
                L.Marker.prototype.onAdd.call(this, map);
                if (!this._tooltip) {
                    const owner = this._atlasLayer, i = this._atlasIndex, d = owner.points;
                    this.bindTooltip(tooltipHtml(d, i));
                    this.bindPopup(function () {
                        return popupHtml(d, i, owner.options.styles, owner.options.texts);
                    }, {maxWidth: 320});
                }
                return this;
            }
        });

        /**
         * All the points of one payload, decoded once. Which of them are shown can change
         * (`setVisible`) without making the layer again; highlighted points are never clustered.
         */
        const PointLayer = L.LayerGroup.extend({
            options: {clustered: true, cluster: {}, styles: [], texts: {}},

            initialize: function (payload, options) {
                L.setOptions(this, options);
                L.LayerGroup.prototype.initialize.call(this);
                this.points = decodePoints(payload);
                const n = this.points.n;
                this._markers = new Array(n);
                this._icons = {};
                this._highlighted = new Uint8Array(n);
                this.points.hl.forEach(function (i) { this._highlighted[i] = 1; }, this);
                this._wanted = new Uint8Array(n);  // points to show
                this._placed = new Uint8Array(n);  // points in a group
                // On its own, a cluster group not yet on a map checks each marker added against
                // all those waiting (quadratic: seconds for 100,000): markers join a group once it
                // is on the map, where markercluster adds them in chunks.
                this._group = this.options.clustered ? L.markerClusterGroup(this.options.cluster) : L.featureGroup();
                this._front = L.featureGroup();
                this._group.on('add', this._place, this);
                this._front.on('add', this._place, this);
                this.addLayer(this._group);
                this.addLayer(this._front);
                this.setVisible(null);
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

            /** Show only the points at `indices` (into the payload), or every point when null. */
            setVisible: function (indices) {
                this._wanted.fill(indices ? 0 : 1);
                (indices || []).forEach(function (i) { this._wanted[i] = 1; }, this);
                this._place();
                if (this._map) {
                    this._map.fire('atlas:pointschange');
                }
                return this;
            },

            /** Add `counts[style] += 1` for every shown point inside `bounds`. */
            countIn: function (bounds, counts) {
                const d = this.points, wanted = this._wanted;
                for (let i = 0; i < d.n; i++) {
                    if (wanted[i] && bounds.contains([d.lat[i] / d.scale, d.lon[i] / d.scale])) {
                        counts[d.style[i]] = (counts[d.style[i]] || 0) + 1;
                    }
                }
                return counts;
            },

            _marker: function (i) {
                if (!this._markers[i]) {
                    const d = this.points, big = this._highlighted[i] === 1, key = d.style[i] + (big ? 'h' : '');
                    if (!this._icons[key]) {
                        this._icons[key] = makeIcon(this.options.styles[d.style[i]], big);
                    }
                    const m = new Point([d.lat[i] / d.scale, d.lon[i] / d.scale], {icon: this._icons[key]});
                    m._atlasLayer = this;
                    m._atlasIndex = i;
                    this._markers[i] = m;
                }
                return this._markers[i];
            },

            // Bring the groups in line with the points wanted; a group off the map waits until it is on it.
            _place: function () {
                const groups = [this._group, this._front], add = [[], []], drop = [[], []];
                for (let i = 0; i < this.points.n; i++) {
                    const k = this._highlighted[i];
                    if (this._wanted[i] !== this._placed[i] && groups[k]._map) {
                        (this._wanted[i] ? add : drop)[k].push(this._marker(i));
                        this._placed[i] = this._wanted[i];
                    }
                }
                groups.forEach(function (group, k) {
                    if (drop[k].length) {
                        if (group.removeLayers) { group.removeLayers(drop[k]); }
                        else { drop[k].forEach(function (m) { group.removeLayer(m); }); }
                    }
                    if (add[k].length) {
                        if (group.addLayers) { group.addLayers(add[k]); }
                        else { add[k].forEach(function (m) { group.addLayer(m); }); }
                    }
                });
            }
        });

        /** Each marker style with how many of its points lie in the map's current view. */
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
                const map = this._map, counts = {};
                if (!map) { return; }
                const bounds = map.getBounds();
                layers.forEach(function (layer) {
                    if (layer._map === map) { layer.countIn(bounds, counts); }
                });
                this._div.querySelectorAll('[data-style]').forEach(function (el) {
                    el.textContent = counts[el.getAttribute('data-style')] || 0;
                });
            }
        });

        /** Frame `bounds` now and again once the map has its final size (the iframe is resized
         * after the map is made), unless the visitor has moved the map by then. */
        function fitBounds(map, bounds) {
            map.fitBounds(bounds);
            const timer = setTimeout(function () {
                map.invalidateSize();
                map.fitBounds(bounds);
            }, 300);
            map.once('mousedown touchstart wheel keydown', function () { clearTimeout(timer); });
        }

        function outlines(geojson) {
            return L.geoJSON(geojson, {
                interactive: false,
                style: {color: '#9aa9a6', weight: 0.8, fillColor: '#eef2f0', fillOpacity: 1}
            });
        }

        return {
            PointLayer: PointLayer,
            pointLayer: function (payload, options) { return new PointLayer(payload, options); },
            Legend: Legend,
            legend: function (options) { return new Legend(options); },
            fitBounds: fitBounds,
            outlines: outlines,
            decodePoints: decodePoints
        };
    }

    return {decodePoints: decodePoints, tooltipHtml: tooltipHtml, popupHtml: popupHtml, leaflet: leaflet};
}));
