/*
 * Runs the browser's decoder (static/atlas/map.js) under node for tests/test_map_contract.py.
 * Reads one JSON payload (`pack_points`' output) a line on stdin; writes one line of JSON a
 * payload: the decoded points as records, with each point's tooltip HTML. A line
 * {"mask": ..., "n": ...} (a layer's part of an update, atlas/map/update.py) is answered with
 * the 0/1 flag of each of the n points instead, and a line {"labels": ...} (atlas/map/labels.py)
 * with the decoded place names.
 */
'use strict';
const path = require('path');
const readline = require('readline');
const atlas = require(path.join(__dirname, '..', '..', 'static', 'atlas', 'map.js'));

function records(payload) {
    const d = atlas.decodePoints(payload), hl = new Set(d.hl), out = [];
    for (let i = 0; i < d.n; i++) {
        out.push({
            lat: d.lat[i] / d.scale,
            lon: d.lon[i] / d.scale,
            name: d.name[i],
            style: d.style[i],
            place: d.places[d.place[i]],
            row: d.row[i],
            hl: hl.has(i),
            desc: d.desc ? d.desc[i] : null,
            web: d.web ? d.web[i] : null,
            tooltip: atlas.tooltipHtml(d, i)
        });
    }
    return out;
}

readline.createInterface({input: process.stdin}).on('line', function (line) {
    let reply;
    try {
        const request = JSON.parse(line);
        if ('labels' in request) {
            const d = atlas.decodeLabels(request.labels);
            reply = {name: d.name, lat: Array.from(d.lat), lon: Array.from(d.lon), z: Array.from(d.z)};
        } else if ('mask' in request) {
            reply = {bits: Array.from(atlas.decodeMask(request.mask, request.n))};
        } else {
            reply = {records: records(request)};
        }
    } catch (err) {
        reply = {error: String(err && err.stack || err)};
    }
    process.stdout.write(JSON.stringify(reply) + '\n');
});
