/*
 * What the page needs that Streamlit has no element for: `atlas/ui/page_script.py` mounts this
 * module as a Streamlit component (st.components.v2), which runs in the page itself.
 *
 *  - <html lang> follows the page's language (Streamlit always writes "en");
 *  - the atlas's stylesheet (page.css) is added once;
 *  - skip links, first in the keyboard order, jump to parts of the page (the table and downloads);
 *  - frames get a name people understand (the map's frame is otherwise named after its library);
 *  - a <link rel="alternate" type="application/atom+xml"> names the Atom feed of the view's
 *    filters, for feed readers and browsers that offer to follow a page;
 *  - in a partner's frame (`embed`), the page is exactly as tall as the frame: the map's iframe
 *    takes what the rest leaves (page.css `.atlas-embed`), so that nothing scrolls inside the frame
 *    and the map's attribution and legend are in sight.
 *
 * data: {lang, css: URL of page.css, skips: [{target: element id, label}],
 *        frames: [{selector: CSS selector of iframes, label}], feed: {href, title},
 *        embed: null, or {map: CSS selector of the map's iframe}}
 * Labels are the project's own texts (atlas/i18n.py), set with textContent / setAttribute.
 */
export default function (component) {
    const {data} = component;
    const doc = document;
    const SKIPS_ID = 'atlas-skip-links';

    doc.documentElement.lang = data.lang || 'en';

    if (data.css && !doc.querySelector('link[data-atlas-page]')) {
        const link = doc.createElement('link');
        link.rel = 'stylesheet';
        link.href = data.css;
        link.setAttribute('data-atlas-page', '');
        doc.head.appendChild(link);
    }

    if (data.feed && data.feed.href) {
        let feed = doc.querySelector('link[data-atlas-feed]');
        if (!feed) {
            feed = doc.createElement('link');
            feed.rel = 'alternate';
            feed.type = 'application/atom+xml';
            feed.setAttribute('data-atlas-feed', '');
            doc.head.appendChild(feed);
        }
        feed.href = data.feed.href;
        feed.title = data.feed.title || '';
    }

    let nav = doc.getElementById(SKIPS_ID);
    if (!nav) {
        nav = doc.createElement('nav');
        nav.id = SKIPS_ID;
        nav.className = 'atlas-skip-links';
        doc.body.insertBefore(nav, doc.body.firstChild);
    }
    nav.setAttribute('aria-label', data.skipsLabel || '');
    nav.replaceChildren(...(data.skips || []).map(function (skip) {
        const link = doc.createElement('a');
        link.href = '#' + skip.target;
        link.textContent = skip.label;
        link.setAttribute('data-target', skip.target);
        link.addEventListener('click', function (event) {
            const target = doc.getElementById(skip.target);
            if (!target) {
                return;
            }
            event.preventDefault();
            target.setAttribute('tabindex', '-1');
            target.scrollIntoView({block: 'start'});
            target.focus({preventScroll: true});
        });
        return link;
    }));

    const MIN_MAP = 160;  // px: the map's least height in a very small frame (the page then scrolls)

    /** The map's iframe as tall as the window less everything else the page shows. */
    function fitEmbed() {
        const map = data.embed && doc.querySelector(data.embed.map);
        const content = doc.querySelector('[data-testid="stMainBlockContainer"]');
        if (!map || !content) {
            return;
        }
        const current = map.getBoundingClientRect().height;
        const rest = content.getBoundingClientRect().height - current;
        const wanted = Math.max(MIN_MAP, Math.floor(window.innerHeight - rest));
        if (Math.abs(wanted - current) >= 1) {
            doc.documentElement.style.setProperty('--atlas-embed-map', wanted + 'px');
        }
    }

    doc.documentElement.classList.toggle('atlas-embed', Boolean(data.embed));

    function update() {
        if (data.embed) {
            fitEmbed();
        }
        nav.querySelectorAll('a[data-target]').forEach(function (link) {
            link.hidden = !doc.getElementById(link.getAttribute('data-target'));
        });
        (data.frames || []).forEach(function (frame) {
            doc.querySelectorAll(frame.selector).forEach(function (element) {
                if (element.getAttribute('aria-label') !== frame.label) {
                    element.setAttribute('aria-label', frame.label);
                }
            });
        });
    }

    let pending = false;
    const observer = new MutationObserver(function () {
        if (!pending) {
            pending = true;
            window.requestAnimationFrame(function () {
                pending = false;
                update();
            });
        }
    });
    observer.observe(doc.body, {childList: true, subtree: true});
    window.addEventListener('resize', update);
    update();
    return function () {
        observer.disconnect();
        window.removeEventListener('resize', update);
    };
}
