/*
 * The record panel for keyboards and screen readers (issue 25): `atlas/ui/record_focus.py` mounts
 * this module as a Streamlit component (st.components.v2, in the page itself) at the end of the
 * record of the selected entry.
 *
 *  - A new record is announced in a polite live region ("Record opened: Alpha Civic Lab");
 *  - when it was opened from the keyboard (Enter on a marker: the map frame's static/atlas/a11y.js
 *    says the last input was a key), the focus moves to the record's heading;
 *  - the heading gets the id the skip link "Skip to the selected entry" leads to (page.mjs shows
 *    that link only while its target exists);
 *  - "Back to the map" puts the focus back in the map, on the entry's marker when it is drawn.
 *
 * data: {id, name, announce, back, anchor, map: CSS selector of the map's frame}
 * Texts are put in with textContent / setAttribute: never HTML.
 */
export default function (component) {
    const {data, parentElement} = component;
    const doc = document;
    const root = parentElement.getRootNode();
    const host = root && root.host ? root.host : parentElement;
    const block = host.closest('[data-testid="stVerticalBlock"]');
    const heading = block ? block.querySelector('h1, h2, h3') : null;

    let status = parentElement.querySelector('.atlas-record-status');
    if (!status) {
        status = doc.createElement('p');
        status.className = 'atlas-record-status';
        status.setAttribute('role', 'status');
        status.setAttribute('aria-live', 'polite');
        status.style.cssText = 'position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;' +
            'clip:rect(0 0 0 0);white-space:nowrap;border:0';
        parentElement.appendChild(status);
    }
    let back = parentElement.querySelector('button.atlas-back-to-map');
    if (!back) {
        back = doc.createElement('button');
        back.type = 'button';
        back.className = 'atlas-back-to-map';
        back.style.cssText = 'font:inherit;font-size:0.95rem;color:#1f6f5c;background:none;border:0;padding:0.25rem 0;' +
            'text-decoration:underline;cursor:pointer';
        parentElement.appendChild(back);
    }
    back.textContent = data.back || '';
    back.hidden = !data.id;

    function mapFrame() {
        const frames = doc.querySelectorAll(data.map || 'iframe');
        return frames.length ? frames[frames.length - 1] : null;
    }

    back.onclick = function () {
        const frame = mapFrame();
        if (!frame) {
            return;
        }
        frame.scrollIntoView({block: 'center'});
        frame.focus();
        let inner = null;
        try {
            const icons = frame.contentDocument.querySelectorAll('.leaflet-marker-icon[aria-label]');
            inner = Array.from(icons).find(function (icon) { return icon.getAttribute('aria-label') === data.name; });
            inner = inner || frame.contentDocument.querySelector('.leaflet-container');
        } catch {  // a frame of another origin: the frame itself has the focus
            inner = null;
        }
        if (inner) {
            inner.focus();
        }
    };

    if (heading) {
        if (data.id) {
            heading.id = data.anchor;
            heading.setAttribute('tabindex', '-1');
        } else if (heading.id === data.anchor) {
            heading.removeAttribute('id');
        }
    }

    const last = window.__atlasRecordShown || '';
    window.__atlasRecordShown = data.id || '';
    if (!data.id || data.id === last) {
        return;
    }
    status.textContent = '';
    window.requestAnimationFrame(function () {  // a change of text is what is announced
        status.textContent = data.announce || '';
    });
    const frame = mapFrame();
    let keyboard = false;
    try {
        keyboard = !!frame && doc.activeElement === frame &&
            frame.contentDocument.documentElement.getAttribute('data-atlas-input') === 'keyboard';
    } catch {
        keyboard = false;
    }
    if (keyboard && heading) {
        heading.scrollIntoView({block: 'start'});
        heading.focus({preventScroll: true});
    }
}
