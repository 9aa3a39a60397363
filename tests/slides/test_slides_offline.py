"""Every notebook's slide deck opens from disk, offline, as a working reveal.js presentation.

The deck is opened in headless chromium with every request that is not ``file:``, ``data:``
or ``blob:`` aborted. A screenshot of each deck (its first slide with a figure) is saved
under build/screenshots/. Then every slide is shown in turn: each fits the screen after the
template's script has scaled it, or is at the smallest scale, where it scrolls.
"""

from __future__ import annotations

import copy
import json
import re

import nbformat
import pytest
import slide_layout
from course_files import notebook_paths, screenshots_dir
from headless import LOCAL_SCHEMES

pytestmark = pytest.mark.browser

NOTEBOOKS = notebook_paths()
HIDDEN = {"skip", "notes"}

# Reveal is an AMD module under require.js; fetch it and keep it on window for the checks.
GET_REVEAL = """() => new Promise((ok, fail) => require(['vendor/reveal.js/dist/reveal.js'],
    R => { window.Reveal = R; ok(); }, fail))"""
# For each slide: its indices and how many images on it have loaded and take up space.
SLIDE_IMAGES = """() => {
  Reveal.configure({transition: 'none', backgroundTransition: 'none'});
  return Reveal.getSlides().map(s => {
    const i = Reveal.getIndices(s);
    return {h: i.h, v: i.v || 0, images: s.querySelectorAll('img').length};
  });
}"""
VISIBLE_IMAGES = """() => Array.from(Reveal.getCurrentSlide().querySelectorAll('img')).filter(img => {
  const r = img.getBoundingClientRect();
  return img.complete && img.naturalWidth > 0 && r.width > 4 && r.height > 4;
}).length"""
WIDGETS = """() => ({
  views: document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]').length,
  rendered: document.querySelectorAll('.widget-subarea').length,
})"""


# Every slide in turn, as the room sees it once its fitting script has run (a frame later):
# its scale, how far its content runs past the slide area's bottom (less the strip kept for the
# arrows) or sides, in screen pixels, whether a line of code or a table (not a widget's) is cut,
# and whether a box inside it (not a widget's) hides lines behind a vertical scroll bar: a deck
# cannot scroll it (the controller timeline's 420-px table box, before the template let it grow).
FITTED = """async () => {
  const frame = () => new Promise(r => requestAnimationFrame(r));
  Reveal.configure({transition: 'none', backgroundTransition: 'none'});
  const seen = [];
  for (const slide of Reveal.getSlides()) {
    const i = Reveal.getIndices(slide);
    Reveal.slide(i.h, i.v || 0);
    await frame();
    const area = document.querySelector('.reveal .slides').getBoundingClientRect(), k = Reveal.getScale();
    const box = slide.querySelector(':scope > .fit-box').getBoundingClientRect();
    const free = parseFloat(getComputedStyle(slide).paddingBottom) * k;
    seen.push({slide: `${i.h},${i.v || 0}`, fit: parseFloat(slide.dataset.fit),
               past: Math.round(Math.max(box.bottom - (area.bottom - free), box.right - area.right,
                                         area.left - box.left)),
               cut: Array.from(slide.querySelectorAll(
                      '.fit-box :is(pre, table, .jp-OutputArea-output, .jp-RenderedHTMLCommon)'))
                 .some(e => e.scrollWidth > e.clientWidth + 1 && !e.closest('.jupyter-widgets')),
               scrolled: Array.from(slide.querySelectorAll('.fit-box *'))
                 .some(e => e.scrollHeight > e.clientHeight + 1 && !e.closest('.jupyter-widgets')
                            && /auto|scroll/.test(getComputedStyle(e).overflowY))});
  }
  return seen;
}"""


def figures_in(nb) -> int:
    """Images the deck should show: image outputs of shown cells, plus Image widgets."""
    count = 0
    for cell in nb.cells:
        if cell.get("metadata", {}).get("slideshow", {}).get("slide_type") in HIDDEN:
            continue
        for output in cell.get("outputs", []):
            count += any(k.startswith("image/") for k in output.get("data", {}))
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    count += sum(m.get("model_name") == "ImageModel" for m in state.get("state", {}).values())
    return count


def widget_views_in(nb) -> int:
    """Widget views the deck shows: those of the notebook's deck copy (a quiz there has none)."""
    nb = copy.deepcopy(nb)
    slide_layout.prepare(nb)
    return sum("application/vnd.jupyter.widget-view+json" in o.get("data", {})
               for c in nb.cells for o in c.get("outputs", []))


def open_offline(browser, deck):
    """Open ``deck`` with non-local requests aborted; returns (page, problems)."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.set_default_timeout(30_000)
    problems = {"blocked": [], "console errors": [], "page errors": [], "failed requests": []}

    def route(r):
        if r.request.url.startswith(LOCAL_SCHEMES):
            r.continue_()
        else:
            problems["blocked"].append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: m.type == "error" and problems["console errors"].append(m.text))
    page.on("pageerror", lambda e: problems["page errors"].append(str(e)))
    page.on("requestfailed", lambda r: r.url.startswith(LOCAL_SCHEMES)
            and problems["failed requests"].append(f"{r.url} {r.failure}"))
    page.goto(deck.as_uri())
    page.wait_for_function("() => window.require !== undefined")
    page.evaluate(GET_REVEAL)
    page.wait_for_function("() => Reveal.isReady()")
    return page, problems


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_the_deck_works_offline_with_its_figures_and_widgets_and_fits_the_screen(decks, browser, notebook):
    nb = nbformat.read(notebook, as_version=4)
    page, problems = open_offline(browser, decks[notebook.stem])
    try:
        slides = page.evaluate(SLIDE_IMAGES)
        assert len(slides) > 1, f"{notebook.name}: the deck has {len(slides)} slide(s); set slide types"
        expected_views = widget_views_in(nb)
        if expected_views:
            page.wait_for_function(f"() => ({WIDGETS})().rendered >= {expected_views}", timeout=20_000)
        shot, shown = slides[0], 0
        if figures_in(nb):
            for slide in (s for s in slides if s["images"]):
                page.evaluate("s => { Reveal.slide(s.h, s.v); while (Reveal.nextFragment()) {} }", slide)
                page.wait_for_function(f"() => ({VISIBLE_IMAGES})() >= 1", timeout=5_000)
                shown = page.evaluate(VISIBLE_IMAGES)
                shot = slide
                break
            assert shown >= 1, f"{notebook.name} has figures but no slide shows an image"
        page.evaluate("s => { Reveal.slide(s.h, s.v); while (Reveal.nextFragment()) {} }", shot)
        page.screenshot(path=str(screenshots_dir() / f"slides-{notebook.stem}.png"))
        fitted = page.evaluate(FITTED)
        assert problems == {"blocked": [], "console errors": [], "page errors": [], "failed requests": []}, \
            json.dumps(problems, indent=1)
    finally:
        page.close()
    # Every slide fits the screen once the template's script has scaled it, or is at the smallest
    # scale, where it scrolls (checked here, in the same page, to keep the browser step short).
    html = decks[notebook.stem].read_text(encoding="utf-8")
    floor = float(re.search(r"var FLOOR = ([0-9.]+)", html).group(1))
    assert all(floor <= s["fit"] <= 1 for s in fitted), fitted
    overflowing = [s for s in fitted if (s["past"] > 2 or s["cut"]) and s["fit"] > floor]
    assert overflowing == [], f"{notebook.name}: slides too big, though they could shrink: {overflowing}"
    hidden = [s for s in fitted if s["scrolled"]]
    assert hidden == [], f"{notebook.name}: a box hides lines the room cannot scroll to: {hidden}"


# Every picture (a PNG output, not a widget's) on every slide, once fitted: its width in the slide,
# its PNG's width, its output area's width, and whether its slide is full (as tall as the room).
PICTURES = """async () => {
  const frame = () => new Promise(r => requestAnimationFrame(r));
  Reveal.configure({transition: 'none', backgroundTransition: 'none'});
  const seen = [];
  for (const slide of Reveal.getSlides().filter(s => s.querySelector('.jp-RenderedImage img'))) {
    const i = Reveal.getIndices(slide);
    Reveal.slide(i.h, i.v || 0);
    await frame(); await frame();
    const box = slide.querySelector(':scope > .fit-box');
    const room = Reveal.getConfig().height - parseFloat(getComputedStyle(slide).paddingBottom);
    for (const img of slide.querySelectorAll('.jp-RenderedImage img')) {
      seen.push({slide: `${i.h},${i.v || 0}`, width: img.offsetWidth, png: img.naturalWidth,
                 area: img.parentNode.clientWidth, full: box.offsetHeight >= room - 2});
    }
  }
  return seen;
}"""


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_a_picture_takes_the_slides_width_unless_the_slide_is_full(decks, browser, notebook):
    """A picture grows from its PNG's width to its output area's (by at most the template's GROW,
    past which it blurs), or as far as the slide's height lets it; never narrower than its PNG."""
    html = decks[notebook.stem].read_text(encoding="utf-8")
    grow = float(re.search(r"var GROW = ([0-9.]+)", html).group(1))
    page, problems = open_offline(browser, decks[notebook.stem])
    try:
        pictures = page.evaluate(PICTURES)
    finally:
        page.close()
    for p in pictures:
        widest = min(p["area"], p["png"] * grow)
        assert p["width"] >= min(p["area"], p["png"]) - 1, p
        assert p["width"] >= widest - 1 or p["full"], p


# The first slide with sub-slides, and the first quiz question of the deck.
FIRST_STACK = """() => { const s = document.querySelector('.reveal .slides > section.stack');
  return Reveal.getIndices(s.querySelector('section')).h; }"""
ANSWER_OPEN = "() => Reveal.getCurrentSlide().querySelector('.quiz-question details').open"


def test_the_right_arrow_walks_the_sub_slides_too_and_a_quiz_answer_opens_with_a_click(decks, browser):
    """Most sub-slides are continuations made by pagination: → (a clicker's "next") must not skip
    them. A quiz question shows its answer closed, for the instructor to open after the vote."""
    page, problems = open_offline(browser, decks[NOTEBOOKS[0].stem])
    try:
        page.evaluate("() => Reveal.configure({transition: 'none'})")
        page.evaluate(f"() => Reveal.slide(({FIRST_STACK})(), 0)")
        page.keyboard.press("ArrowRight")
        assert page.evaluate("() => Reveal.getIndices().v") == 1
        quiz = page.evaluate("""() => { const q = document.querySelector('.quiz-question').closest('section');
                                        const i = Reveal.getIndices(q); return [i.h, i.v || 0]; }""")
        page.evaluate(f"() => Reveal.slide({quiz[0]}, {quiz[1]})")
        assert page.evaluate(ANSWER_OPEN) is False
        page.locator("section.present:not(.stack) .quiz-question summary").click()
        assert page.evaluate(ANSWER_OPEN) is True
        assert problems == {"blocked": [], "console errors": [], "page errors": [], "failed requests": []}
    finally:
        page.close()
