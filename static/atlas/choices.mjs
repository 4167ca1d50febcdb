/*
 * A list of buttons whose names come from outside (article titles): `safe.choices` in
 * atlas/ui/safe.py mounts it as a Streamlit component (st.components.v2, in the page itself).
 *
 * data: {label: the list's accessible name, items: [{id, text, current}]}
 * Each text is put in with textContent: it is shown as it is, never as HTML or Markdown.
 * A click (or Enter / Space) sends the item's id to Python as the trigger value `chosen`.
 */
export default function (component) {
    const {data, parentElement, setTriggerValue} = component;
    let list = parentElement.querySelector('ul.atlas-choices');
    if (!list) {
        list = document.createElement('ul');
        list.className = 'atlas-choices';
        parentElement.appendChild(list);
    }
    list.setAttribute('aria-label', data.label || '');
    list.replaceChildren(...(data.items || []).map(function (item) {
        const entry = document.createElement('li');
        const button = document.createElement('button');
        button.type = 'button';
        button.textContent = item.text;
        if (item.current) {
            button.setAttribute('aria-current', 'true');
        }
        button.addEventListener('click', function () {
            setTriggerValue('chosen', item.id);
        });
        entry.appendChild(button);
        return entry;
    }));
}
