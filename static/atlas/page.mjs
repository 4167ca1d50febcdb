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
 *  - Streamlit's toolbar buttons are named in the page's language, the charts' out of the tab
 *    order; buttons that all read the same ("Show on map") are named by their card (issue 25).
 *
 * data: {lang, css: URL of page.css, skips: [{target: element id, label}],
 *        frames: [{selector: CSS selector of iframes, label}], feed: {href, title},
 *        toolbar: {labels: {Streamlit's English name: ours}, untab: CSS selector of the charts},
 *        named: [{selector, text, card, title, pattern}],
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

    // Streamlit's own toolbar buttons: named in the page's language (Streamlit names them in English
    // only), and those of the charts out of the tab order (they are still there for the mouse).
    const toolbar = data.toolbar || {labels: {}, untab: ''};
    function toolbars() {
        doc.querySelectorAll('button[data-testid="stBaseButton-elementToolbar"]').forEach(function (button) {
            const label = button.getAttribute('aria-label') || '';
            const ours = toolbar.labels[label] || toolbar.labels[button.getAttribute('data-atlas-label') || ''];
            if (toolbar.labels[label]) {
                button.setAttribute('data-atlas-label', label);  // Streamlit's name, to translate it again
            }
            if (ours && label !== ours) {
                button.setAttribute('aria-label', ours);
                button.setAttribute('title', ours);
            }
            const box = button.closest('[data-testid="stElementContainer"]');
            if (toolbar.untab && box && box.querySelector(toolbar.untab) && button.tabIndex !== -1) {
                button.tabIndex = -1;
            }
        });
        // Buttons named by the card they are in ("Show on map: <the article's title>"): the
        // card's first text, read from the page and set as an attribute (never as HTML).
        (data.named || []).forEach(function (rule) {
            doc.querySelectorAll(rule.selector).forEach(function (button) {
                if ((button.textContent || '').trim() !== rule.text) {
                    return;
                }
                const card = button.closest(rule.card);
                const title = card ? card.querySelector(rule.title) : null;
                const name = title ? rule.pattern.replace('{title}', (title.textContent || '').trim()) : '';
                if (name && button.getAttribute('aria-label') !== name) {
                    button.setAttribute('aria-label', name);
                }
            });
        });
    }

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
        toolbars();
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
    observer.observe(doc.body, {childList: true, subtree: true, attributes: true, attributeFilter: ['aria-label', 'id']});
    window.addEventListener('resize', update);
    update();
    return function () {
        observer.disconnect();
        window.removeEventListener('resize', update);
    };
}
