// Tabs as the ARIA practices describe them: one tab in the Tab order (the
// selected one), arrow keys move between tabs and select them, Home and End
// jump to the ends. The selected tab is kept in the URL's #fragment.
// `onSelect(name)` is called whenever a tab is shown (the Bulk tab loads its
// module then).

export function tabs(tablist, onSelect = () => {}) {
  const list = [...tablist.querySelectorAll('[role="tab"]')];
  const panelOf = (tab) => document.getElementById(tab.getAttribute('aria-controls'));
  const nameOf = (tab) => tab.id.replace(/^tab-/, '');

  function select(tab, focus) {
    for (const other of list) {
      const on = other === tab;
      other.setAttribute('aria-selected', String(on));
      other.tabIndex = on ? 0 : -1;
      panelOf(other).hidden = !on;
    }
    if (focus) tab.focus();
    const hash = `#${nameOf(tab)}`;
    if (location.hash !== hash) history.replaceState(null, '', hash);
    onSelect(nameOf(tab));
  }

  tablist.addEventListener('click', (ev) => {
    const tab = ev.target.closest('[role="tab"]');
    if (tab) select(tab, true);
  });
  tablist.addEventListener('keydown', (ev) => {
    const at = list.indexOf(document.activeElement);
    if (at < 0) return;
    const next = {
      ArrowRight: (at + 1) % list.length,
      ArrowLeft: (at - 1 + list.length) % list.length,
      Home: 0,
      End: list.length - 1,
    }[ev.key];
    if (next === undefined) return;
    ev.preventDefault();
    select(list[next], true);
  });

  const fromHash = list.find((tab) => `#${nameOf(tab)}` === location.hash);
  if (fromHash) select(fromHash, false);
  else onSelect(nameOf(list.find((tab) => tab.getAttribute('aria-selected') === 'true') ?? list[0]));
}
