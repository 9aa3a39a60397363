"""Every notebook runs top to bottom in a real JupyterLab, and its widgets work in the browser.

For each notebook: open it in headless chromium, run all cells, wait until every code cell
has run and the kernel is idle, then check that no cell shows an error (except cells tagged
``raises-exception``), that every widget output rendered as a widget, and, for each
ClusterView (the VBox with the cluster picture and its "Add node" button), that clicking
"Add node" changes the picture. A screenshot per notebook goes to build/screenshots/.
"""

from __future__ import annotations

import json

import nbformat
import pytest
from course_files import notebook_paths, screenshots_dir

pytestmark = pytest.mark.browser

NOTEBOOKS = notebook_paths()
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
CLUSTER_VIEW_BUTTONS = ["Step", "Run 10 s", "Settle", "Add node", "Stop node", "Start node", "Apply YAML"]
RUN_TIMEOUT_MS = 300_000

KERNEL_IDLE = """() => { const w = window.jupyterapp.shell.currentWidget;
  const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  return !!k && k.status === 'idle'; }"""

# The notebook's cells as the front end sees them (models, not the DOM).
CELLS = """() => window.jupyterapp.shell.currentWidget.content.widgets.map(c => ({
  type: c.model.type,
  source: c.model.sharedModel.getSource(),
  count: c.model.type === 'code' ? c.model.executionCount : null,
  tags: c.model.getMetadata('tags') || [],
  outputs: c.model.type === 'code' ? c.model.outputs.toJSON() : [],
}))"""

# Done when every non-empty code cell has run and the kernel is idle, or as soon as a cell
# that may not fail has an error (run-all stops there).
RUN_FINISHED = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const k = w.sessionContext.session && w.sessionContext.session.kernel;
  let pending = 0, failed = 0;
  for (const c of w.content.widgets) {
    if (c.model.type !== 'code') continue;
    const tags = c.model.getMetadata('tags') || [];
    if (!tags.includes('raises-exception') &&
        c.model.outputs.toJSON().some(o => o.output_type === 'error')) failed++;
    if (c.model.sharedModel.getSource().trim() && c.model.executionCount === null) pending++;
  }
  return failed > 0 || (pending === 0 && !!k && k.status === 'idle');
}"""

# Output elements showing an error: JupyterLab 4 renders error outputs with the stderr mime
# type, so look for the error mime type (older and newer versions) or a traceback's text.
TRACEBACKS_SHOWN = """() => Array.from(document.querySelectorAll(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output')).filter(o =>
  o.dataset.mimeType === 'application/vnd.jupyter.error' ||
  /Traceback \\(most recent call last\\)/.test(o.textContent)).map(o => o.textContent.slice(0, 500))"""

# Top-level outputs that are widget views, and outputs showing a widget that failed to render.
WIDGET_OUTPUTS = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const outs = Array.from(panel.querySelectorAll('.jp-OutputArea-output'))
    .filter(o => !o.parentElement.closest('.jupyter-widgets'));
  const broken = outs.filter(o => /Error displaying widget|Loading widget/.test(o.textContent));
  return {total: outs.filter(o => o.querySelector(':scope > .jupyter-widgets')).length,
          broken: broken.map(o => o.textContent.slice(0, 200))};
}"""

# Each ClusterView: from each "Add node" button, the nearest enclosing widget box that also
# holds an Image widget. Marks it with data-cluster-view=<n> and returns its button labels.
FIND_CLUSTER_VIEWS = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const views = [];
  for (const button of panel.querySelectorAll('button.widget-button')) {
    // "Apply YAML" is the ClusterView's own button (other panels also have "Add node")
    if (button.textContent.trim() !== 'Apply YAML') continue;
    let box = button.parentElement;
    while (box && !(box.classList.contains('widget-vbox') && box.querySelector('img.widget-image')))
      box = box.parentElement;
    if (!box || box.dataset.clusterView) continue;
    box.dataset.clusterView = String(views.length);
    views.push(Array.from(box.querySelectorAll('button.widget-button')).map(b => b.textContent.trim()));
  }
  return views;
}"""

IMAGE_CHANGED = """([n, before]) => {
  const img = document.querySelector(`[data-cluster-view="${n}"] img.widget-image`);
  return img && img.src !== before && img.complete && img.naturalWidth > 0;
}"""


def saved_widget_outputs(path) -> int:
    nb = nbformat.read(path, as_version=4)
    return sum(WIDGET_MIME in o.get("data", {}) for c in nb.cells for o in c.get("outputs", []))


def error_summary(cells) -> list[str]:
    found = []
    for index, cell in enumerate(cells):
        if "raises-exception" in cell["tags"]:
            continue
        for output in cell["outputs"]:
            if output.get("output_type") == "error":
                found.append(f"cell {index}: {output.get('ename')}: {output.get('evalue')}\n"
                             f"{cell['source'][:300]}")
    return found


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_the_notebook_runs_in_jupyterlab_and_its_widgets_respond(lab, browser, notebook):
    page = browser.new_page(viewport={"width": 1300, "height": 1700})
    page.set_default_timeout(60_000)
    page_errors: list[str] = []
    page.on("pageerror", lambda e: page_errors.append(str(e)))
    try:
        page.goto(lab.url(notebook.name))
        page.wait_for_function("() => window.jupyterapp !== undefined")
        page.wait_for_selector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell")
        page.wait_for_function(KERNEL_IDLE)
        page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
        page.wait_for_function(RUN_FINISHED, timeout=RUN_TIMEOUT_MS, polling=100)
        cells = page.evaluate(CELLS)

        errors = error_summary(cells)
        assert not errors, f"{notebook.name}: cells failed in JupyterLab:\n" + "\n".join(errors)
        allowed = sum(1 for c in cells if "raises-exception" in c["tags"]
                      for o in c["outputs"] if o.get("output_type") == "error")
        shown = page.evaluate(TRACEBACKS_SHOWN)
        assert len(shown) == allowed, f"{notebook.name}: errors shown in the page:\n" + "\n".join(shown)
        unrun = [i for i, c in enumerate(cells)
                 if c["type"] == "code" and c["source"].strip() and c["count"] is None]
        assert not unrun, f"{notebook.name}: cells {unrun} did not run"

        live_widgets = sum(WIDGET_MIME in o.get("data", {}) for c in cells for o in c["outputs"])
        if saved_widget_outputs(notebook):
            assert live_widgets >= 1, f"{notebook.name} has widgets in its saved outputs but none appeared"
        if live_widgets:
            page.wait_for_function(f"() => ({WIDGET_OUTPUTS})().total >= {live_widgets}", timeout=20_000)
            rendered = page.evaluate(WIDGET_OUTPUTS)
            assert rendered == {"total": live_widgets, "broken": []}, json.dumps(rendered)

        views = page.evaluate(FIND_CLUSTER_VIEWS)
        for n, labels in enumerate(views):
            missing = [b for b in CLUSTER_VIEW_BUTTONS if b not in labels]
            assert not missing, f"{notebook.name}: ClusterView {n} lacks buttons {missing}"
            view = page.locator(f'[data-cluster-view="{n}"]')
            before = view.locator("img.widget-image").first.get_attribute("src")
            view.locator('button.widget-button:text-is("Add node")').first.click()
            page.wait_for_function(IMAGE_CHANGED, arg=[n, before], timeout=20_000)
        if views:
            page.locator('[data-cluster-view="0"]').scroll_into_view_if_needed()
        page.screenshot(path=str(screenshots_dir() / f"lab-{notebook.stem}.png"))
        assert not page_errors, f"{notebook.name}: uncaught errors in the page: {page_errors}"
    finally:
        page.close()
