"""Many visitors at once: `python -m bench.load [--sessions 20] [--seconds 60] [--rows N] [--json OUT]`.

Starts the app itself (`streamlit run app.py`, by `bench.server.AppServer`) on a free port of
127.0.0.1, on the bundled data or, with `--rows N`, on a synthetic atlas of N organisations
(`bench.generate`). Then `--sessions` visitors, all connected at the same time, each speak
Streamlit's own websocket protocol (`/_stcore/stream`, protobuf `BackMsg`/`ForwardMsg` from
`streamlit.proto`) as the browser does, and for `--seconds` repeat:

1. change one filter (countries, categories, kind, search text or language), sending the
   widget states the browser would send, and wait until the script has finished;
2. download the CSV the way the page's button does: a GET of the file sent with the page, or
   for a large table a `backend_operation_request` for the button's deferred file, then an
   HTTP GET of the URL the server answers with; the file is checked (header, one row per entry
   the page says it shows, file name);
3. pause `--think` seconds on average (0 for no pause).

Reported: errors (exceptions on the page, failed runs or downloads, wrong files, timeouts,
closed connections, tracebacks in the server's log), the server process's memory (RSS, by
psutil) sampled every half second and at the end of each of `--rounds` equal time slices, and
the median and 95th percentile of the response times: a filter change (rerun sent → script
finished) and a CSV download (request sent → file received). Exit status: 0 when there was no
error and no memory growth, 1 on errors, 3 on memory growth.

What it does not simulate: the map's own messages (clicks, pans) and table row selection.
Bounded: at most 50 sessions and 600 seconds, and it only ever talks to a loopback address.

Modules: `protocol` (the websocket client: one browser tab), `scenario` (what a visitor does),
`report` (the figures), `__main__` (the command line).
"""
