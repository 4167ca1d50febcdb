/*
 * What the map frame does for keyboards, screen readers and fingers (issue 25), beside the
 * atlas's Leaflet plugin (map.js): loaded after it by every map that loads it (`assets.A11Y_JS`).
 *
 *  - Markers never overlap: clusters and pins of different layers (the organisations' round
 *    clusters, the ODCs' squares, an article's places) are drawn by separate cluster groups, so
 *    at a world zoom an ODC square could lie half under an organisations' cluster — a target
 *    too small to hit (axe-core's `target-size`, WCAG 2.5.8). After each redraw, an icon that
 *    overlaps one already placed is nudged away (CSS `translate`, which Leaflet never sets) by
 *    the least distance that clears it; the map's own positions are not changed.
 *  - The document says whether the last input was a key or a pointer
 *    (`<html data-atlas-input>`): the page moves the focus to a record opened with Enter on a
 *    marker (static/atlas/record.mjs), not to one opened by a click.
 */
(function () {
    'use strict';
    const GAP = 1;  // px between two nudged icons
    const MAX_ICONS = 400;  // beyond this many icons in view, nothing is nudged (markers are clustered)

    document.addEventListener('keydown', function () {
        document.documentElement.setAttribute('data-atlas-input', 'keyboard');
    }, true);
    document.addEventListener('pointerdown', function () {
        document.documentElement.setAttribute('data-atlas-input', 'pointer');
    }, true);

    const L = window.L;
    if (!L || !L.Map) {
        return;
    }

    function overlap(a, b) {
        return a.left < b.right + GAP && a.right + GAP > b.left && a.top < b.bottom + GAP && a.bottom + GAP > b.top;
    }

    function moved(r, dx, dy) {
        return {left: r.left + dx, right: r.right + dx, top: r.top + dy, bottom: r.bottom + dy};
    }

    /** The smallest shift (of 8 directions, growing) that clears `rect` of every placed rect. */
    function shift(rect, placed) {
        const steps = [[1, 0], [0, 1], [-1, 0], [0, -1], [1, 1], [-1, 1], [1, -1], [-1, -1]];
        for (let d = 4; d <= 64; d += 4) {
            for (let k = 0; k < steps.length; k += 1) {
                const dx = steps[k][0] * d, dy = steps[k][1] * d, r = moved(rect, dx, dy);
                if (!placed.some(function (p) { return overlap(r, p); })) {
                    return [dx, dy];
                }
            }
        }
        return [0, 0];
    }

    function declutter(map) {
        const icons = Array.from(map.getContainer().querySelectorAll('.leaflet-marker-icon'));
        if (icons.length > MAX_ICONS) {
            return;
        }
        icons.forEach(function (icon) {
            if (icon.style.translate) { icon.style.translate = ''; }
        });
        // clusters first (the biggest targets keep their place), then pins, in the order drawn
        const order = icons.map(function (icon, i) {
            return {icon: icon, i: i, rank: icon.classList.contains('marker-cluster') ? 0 : 1};
        }).sort(function (a, b) { return a.rank - b.rank || a.i - b.i; });
        const placed = [];
        order.forEach(function (item) {
            const box = item.icon.getBoundingClientRect();
            if (!box.width || !box.height) {
                return;
            }
            let rect = {left: box.left, right: box.right, top: box.top, bottom: box.bottom};
            if (placed.some(function (p) { return overlap(rect, p); })) {
                const d = shift(rect, placed);
                if (d[0] || d[1]) {
                    item.icon.style.translate = d[0] + 'px ' + d[1] + 'px';
                    rect = moved(rect, d[0], d[1]);
                }
            }
            placed.push(rect);
        });
    }

    L.Map.addInitHook(function () {
        const map = this;
        let pending = false;
        function later() {
            if (pending) { return; }
            pending = true;
            window.requestAnimationFrame(function () {
                pending = false;
                if (!map._animatingZoom) { declutter(map); }
            });
        }
        map.whenReady(function () {
            const observer = new MutationObserver(later);
            observer.observe(map.getPanes().mapPane, {childList: true, subtree: true});
            map.on('zoomend moveend resize', later);
            map.getContainer().addEventListener('transitionend', later, true);  // a cluster's animation
            later();
        });
    });
}());
