"""Export the course notebooks as reveal.js slide decks that work offline.

Usage: ``python tools/build_slides.py [NOTEBOOK ...] [--out DIR]`` (defaults: every notebook in
``$K8SLEARN_NOTEBOOKS`` or ``notebooks/``, written to ``$K8SLEARN_SLIDES`` or ``slides/``).

Writes ``<out>/<name>.slides.html`` for each notebook and ``<out>/vendor/`` beside them, with
reveal.js, require.js, jQuery, the Jupyter widgets HTML manager, a MathJax 2 subset and a Hangul
font (Noto Sans KR, regular), so a deck opened from disk makes no request to anything but
``file:``/``data:``/``blob:`` and shows its Korean terms on a laptop without a Korean font.

The vendor files come from npm tarballs fetched with ``npm pack`` (no dependency tree, no
install scripts) at pinned versions, checked against the registry's sha512 integrity, and
cached under ``build/npm/`` so later builds need no network. The template
``templates/reveal_local`` drops the mermaid CDN import that nbconvert cannot switch off.
Links between notebooks (``03_architecture.ipynb``) are rewritten to the matching deck, and
``slide_layout`` fits each chapter to a screen (long slides continue on sub-slides, quizzes show
one question at a time with its answer closed, unsolved checks hide their red tables); in the
browser, the template's script then scales down each slide still taller or wider than the screen
(see templates/reveal_local).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import slide_layout  # noqa: E402
from course_files import BUILD, REPO, load_chapters, notebook_paths, slides_dir  # noqa: E402

NPM_CACHE = BUILD / "npm"
TEMPLATES = REPO / "templates"
TEMPLATE = "reveal_local"

# npm spec -> (tarball name written by `npm pack`, registry integrity)
PACKAGES = {
    "reveal.js@5.2.1": (
        "reveal.js-5.2.1.tgz",
        "sha512-r7//6mIM5p34hFiDMvYfXgyjXqGRta+/psd9YtytsgRlrpRzFv4RbH76TXd2qD+7ZPZEbpBDhdRhJaFgfQ7zNQ=="),
    "requirejs@2.3.8": (
        "requirejs-2.3.8.tgz",
        "sha512-7/cTSLOdYkNBNJcDMWf+luFvMriVm7eYxp4BcFCsAX0wF421Vyce5SXP17c+Jd5otXKGNehIonFlyQXSowL6Mw=="),
    "jquery@3.7.1": (
        "jquery-3.7.1.tgz",
        "sha512-m4avr8yL8kmFN8psrbFFFmB/If14iN5o9nw/NgnnM+kybDJpRsAynV2BsfpTYrTRysYUdADVD7CkUUizgkpLfg=="),
    # 1.x is the line that speaks the ipywidgets 8 protocol (controls 5, base 6).
    "@jupyter-widgets/html-manager@1.0.15": (
        "jupyter-widgets-html-manager-1.0.15.tgz",
        "sha512-5thBIV6ymNgmPVOHvzx+gGy8ZSKmSazhtGw4/c4xJDVzRhG9PTeQsRjF3FUTopvFi//SABeNz1yp47bCrJ3CQA=="),
    "mathjax@2.7.9": (
        "mathjax-2.7.9.tgz",
        "sha512-NOGEDTIM9+MrsqnjPEjVGNx4q0GQxqm61yQwSK+/5S59i26wId5IC5gNu9/bu8+CCVl5p9G2IHcAl/wJa+5+BQ=="),
    # Hangul for the Korean terms, on laptops without a Korean font (SIL OFL 1.1). The tarball is
    # 50 MB (every weight and subset); the deck takes one file of it, 0.55 MB, with all 11,172 syllables.
    "@fontsource/noto-sans-kr@5.3.0": (
        "fontsource-noto-sans-kr-5.3.0.tgz",
        "sha512-/JnpTjaCOXW7xUoqOyCVYSr05VOkDy5Yla9O+WAEiS7u+yYLsmHoqj6v1W0bf91G8G3XA2+NnRS3CX2Tf/FVZg=="),
}

# npm spec -> list of (regex over paths inside the tarball's package/, destination prefix in vendor/)
_FONT = r"[^/]+\.(?:woff2?|ttf|eot|svg)"
LAYOUT = {
    "reveal.js@5.2.1": [(r"(dist/(?:reveal\.js|reveal\.css|theme/.*))", "reveal.js/"),
                        (r"(plugin/notes/notes\.js)", "reveal.js/")],
    "requirejs@2.3.8": [(r"(require\.js)", "")],
    "jquery@3.7.1": [(r"dist/(jquery\.min\.js)", "")],
    "@jupyter-widgets/html-manager@1.0.15": [(rf"dist/(embed-amd\.js|{_FONT})", "html-manager/")],
    "mathjax@2.7.9": [(r"(MathJax\.js|config/TeX-AMS_CHTML-full\.js|config/Safe\.js|extensions/.*"
                       r"|jax/input/TeX/.*|jax/output/CommonHTML/.*|jax/element/.*"
                       r"|fonts/HTML-CSS/TeX/woff/.*)", "mathjax/")],
    "@fontsource/noto-sans-kr@5.3.0": [(r"(LICENSE|files/noto-sans-kr-korean-400-normal\.woff2)",
                                        "noto-sans-kr/")],
}

URLS = {
    "reveal_url_prefix": "vendor/reveal.js",
    "reveal_theme": "white",  # "simple", nbconvert's default, imports Google fonts
    "require_js_url": "vendor/require.js",
    "jquery_url": "vendor/jquery.min.js",
    "mathjax_url": "vendor/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe",
    "widget_renderer_url": "vendor/html-manager/embed-amd.js",
}


class VendorError(RuntimeError):
    """The vendor assets could not be fetched or checked."""


def _integrity(path: Path) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()


def fetch_tarballs(cache: Path = NPM_CACHE) -> dict[str, Path]:
    """Every pinned tarball in ``cache``, fetched with ``npm pack`` when missing."""
    cache.mkdir(parents=True, exist_ok=True)
    missing = [spec for spec, (name, _) in PACKAGES.items() if not (cache / name).is_file()]
    if missing:
        npm = shutil.which("npm")
        if npm is None:
            raise VendorError("npm not found: slides need it once to fetch reveal.js and friends "
                              "(Debian: apt-get install npm)")
        env = {**os.environ, "npm_config_cache": str(cache / "_cache"), "npm_config_update_notifier": "false"}
        cmd = [npm, "pack", "--silent", "--ignore-scripts", "--pack-destination", str(cache), *missing]
        done = subprocess.run(cmd, cwd=cache, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise VendorError(f"{' '.join(cmd)} failed:\n{done.stderr.strip()}")
    found = {}
    for spec, (name, integrity) in PACKAGES.items():
        path = cache / name
        if not path.is_file():
            raise VendorError(f"npm pack {spec} did not write {path}")
        if _integrity(path) != integrity:
            path.unlink()
            raise VendorError(f"{name}: sha512 differs from the registry's pinned integrity; deleted, retry")
        found[spec] = path
    return found


def install_vendor(out: Path, cache: Path = NPM_CACHE) -> Path:
    """Fill ``out/vendor`` from the cached tarballs (skipped when it already holds these pins)."""
    vendor = out / "vendor"
    stamp = vendor / ".pins.json"
    pins = json.dumps({spec: integrity for spec, (_, integrity) in PACKAGES.items()},
                      indent=1, sort_keys=True)
    if stamp.is_file() and stamp.read_text() == pins:
        return vendor
    tarballs = fetch_tarballs(cache)
    staging = Path(tempfile.mkdtemp(prefix=".vendor-", dir=out))
    try:
        for spec, tarball in tarballs.items():
            rules = [(re.compile(rx), prefix) for rx, prefix in LAYOUT[spec]]
            with tarfile.open(tarball) as archive:
                for member in archive.getmembers():
                    if not member.isfile() or not member.name.startswith("package/"):
                        continue
                    inner = member.name[len("package/"):]
                    for rx, prefix in rules:
                        match = rx.fullmatch(inner)
                        if match:
                            target = staging / (prefix + match.group(1))
                            target.parent.mkdir(parents=True, exist_ok=True)
                            source = archive.extractfile(member)
                            assert source is not None
                            target.write_bytes(source.read())
                            break
        (staging / ".pins.json").write_text(pins)
        staging.chmod(0o755)  # mkdtemp makes it private; the decks are for sharing
        shutil.rmtree(vendor, ignore_errors=True)
        staging.rename(vendor)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return vendor


_NB_LINK = re.compile(r"\]\(([\w.-]+)\.ipynb(#[^)\s]*)?\)")


def _exporter():
    from nbconvert import SlidesExporter
    from traitlets.config import Config

    config = Config()
    for key, value in URLS.items():
        setattr(config.SlidesExporter, key, value)
    config.SlidesExporter.reveal_number = "c/t"
    config.SlidesExporter.reveal_scroll = False  # the template fits each slide; only what cannot fit scrolls
    config.SlidesExporter.reveal_width, config.SlidesExporter.reveal_height = "1280", "800"  # slide_layout's screen
    config.TemplateExporter.exclude_input_prompt = True  # no "In [33]:" gutter: the room needs the width
    config.TemplateExporter.exclude_output_prompt = True
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_input_tags = {"remove-input"}  # (a quiz's source holds its answers)
    config.TemplateExporter.extra_template_basedirs = [str(TEMPLATES)]
    return SlidesExporter(config=config, template_name=TEMPLATE)


def export(notebook: Path, out: Path, exporter=None) -> Path:
    """Write ``out/<stem>.slides.html`` for one notebook; returns its path."""
    exporter = exporter or _exporter()
    nb = nbformat.read(notebook, as_version=4)
    titles = {c.stem: c.title for c in load_chapters().chapters(notebook.parent)}
    nb.metadata.setdefault("title", titles.get(notebook.stem, notebook.stem))
    slide_layout.prepare(nb)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = _NB_LINK.sub(lambda m: f"]({m.group(1)}.slides.html{m.group(2) or ''})",
                                       cell.source)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": notebook.stem,
                                                                       "path": str(notebook.parent)}})
    target = out / f"{notebook.stem}.slides.html"
    target.write_text(body, encoding="utf-8")
    return target


# Where html-manager's stylesheet looks for its icon fonts (Font Awesome, used by e.g. the Play
# widget): webpack paths relative to the page, not to embed-amd.js.
WIDGET_FONT_DIRS = ("@jupyter-widgets", "@jupyter-widgets/html-manager/dist")


def install_widget_fonts(vendor: Path, out: Path) -> None:
    """Copy the widget icon fonts to the page-relative paths the widget CSS asks for."""
    fonts = [f for f in (vendor / "html-manager").iterdir() if re.fullmatch(_FONT, f.name)]
    for folder in WIDGET_FONT_DIRS:
        target = out / folder
        target.mkdir(parents=True, exist_ok=True)
        for font in fonts:
            if not (target / font.name).exists():
                shutil.copy2(font, target / font.name)


def build(notebooks: list[Path] | None = None, out: Path | None = None, verbose: bool = True) -> list[Path]:
    """Vendor the assets and export the notebooks (default: all); returns the deck paths.

    When building all notebooks, decks whose notebook no longer exists are removed.
    """
    prune = notebooks is None
    notebooks = notebook_paths() if notebooks is None else notebooks
    out = slides_dir() if out is None else out
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    vendor = install_vendor(out)
    install_widget_fonts(vendor, out)
    if verbose:
        print(f"slides: vendor/ ready in {out} ({time.perf_counter() - started:.1f} s)")
    exporter = _exporter()
    decks = []
    for notebook in notebooks:
        started = time.perf_counter()
        decks.append(export(notebook, out, exporter))
        if verbose:
            print(f"slides: {decks[-1].relative_to(out.parent)} ({time.perf_counter() - started:.1f} s)")
    for stale in sorted(set(out.glob("*.slides.html")) - set(decks)) if prune else []:
        stale.unlink()
        if verbose:
            print(f"slides: removed {stale.name} (its notebook is gone)")
    return decks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, default=None, help="output directory (default: slides/)")
    args = parser.parse_args(argv)
    notebooks = [p.resolve() for p in args.notebooks] or None
    if not (notebooks or notebook_paths()):
        print("slides: no notebooks to export")
        return 0
    try:
        build(notebooks, args.out.resolve() if args.out else None)
    except VendorError as err:
        print(f"slides: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
