# Sphinx configuration of the offline site: Sphinx + myst-nb + sphinx-book-theme (the Jupyter Book stack), versions
# pinned in settings.ini (dev_requirements). tools/build_docs.py runs `sphinx-build -c tools/docs build/_proc ...` on
# the notebooks that nbdev's processors wrote to build/_proc/ and moves the result to _docs/. Nothing is loaded from the
# network: MathJax 3 is copied from tools/node_modules (tools/setup_browser), the theme ships its own fonts and scripts,
# and widget views are gone from the processed notebooks (myst-nb would load the widget manager from a CDN).
import shutil
from configparser import ConfigParser
from pathlib import Path

from docutils import nodes
from sphinx.transforms import SphinxTransform

ROOT = Path(__file__).resolve().parents[2]
MATHJAX = ROOT / "tools" / "node_modules" / "mathjax" / "es5"
cfg = ConfigParser(delimiters=["="])
cfg.read(ROOT / "settings.ini", encoding="utf-8")
ini = cfg["DEFAULT"]

project = ini["lib_name"]
author = ini["author"]
copyright = ini["copyright"]
release = version = ini["version"]
root_doc = "index"
extensions = ["myst_nb", "sphinx.ext.mathjax"]
exclude_patterns = ["**/.ipynb_checkpoints", "results/**"]
smartquotes = False  # text as written in the notebooks (and in their heading ids)
suppress_warnings = [
    "myst.header",  # API docs (### name) may follow a chapter's # title directly
    "misc.highlighting_failure",  # pseudo-code in ```python blocks (λ · x̂) is shown as written
]

# myst-nb: render the saved outputs, never execute
nb_execution_mode = "off"
nb_merge_streams = True
nb_ipywidgets_js = {}  # no widget manager from a CDN (the notebooks keep no widget state)
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 6  # (links to #anchors in other pages resolve through the heading slugs)

# MathJax 3, local (copied into _static/mathjax when the build finishes), on every page
mathjax_path = "mathjax/tex-chtml.js"
mathjax3_config = {
    "tex": {"packages": {"[-]": ["noundefined"]}},  # an undefined macro is an error (mjx-merror), not quiet red text
}

html_theme = "sphinx_book_theme"
html_title = ini["lib_name"]
html_static_path = ["static"]
html_css_files = ["custom.css"]
html_copy_source = False
html_show_sourcelink = False
html_last_updated_fmt = None
html_context = {"default_mode": "light"}  # (the theme's script reports an empty mode as a console error)
html_theme_options = {
    "repository_url": ini["git_url"],
    "repository_branch": ini["branch"],
    "path_to_docs": ini["nbs_path"],
    "use_repository_button": True,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "home_page_in_toc": True,
    "show_toc_level": 2,
    "navigation_with_keys": False,
}


def jupyterlab_id(title):
    "The id JupyterLab (and nbconvert) give a heading: its text, math as written ($...$), spaces -> '-'."
    parts = []
    for n in title.findall(nodes.Text):
        parent = n.parent
        parts.append(f"${n.astext()}$" if isinstance(parent, nodes.math) else n.astext())
    return "".join(parts).strip().replace(" ", "-")


class JupyterLabIds(SphinxTransform):
    """Give every section the id JupyterLab gives its heading too, so that the links the notebooks carry
    (`01b_importance.ipynb#The-weight-cap`, written and followed in JupyterLab) reach it here; and register it as a
    heading slug, for myst-parser to resolve such links from other pages."""

    default_priority = 701  # after myst-parser's own slug ids (700)

    def apply(self, **kwargs):
        slugs = getattr(self.document, "myst_slugs", None)
        for sec in self.document.findall(nodes.section):
            if not sec.children or not isinstance(sec[0], nodes.title) or not sec["ids"]:
                continue
            hid = jupyterlab_id(sec[0])
            if hid and hid not in self.document.ids:
                sec["ids"].append(hid)
                self.document.ids[hid] = sec
            if hid and slugs is not None and hid not in slugs:
                slugs[hid] = (sec.line, sec["ids"][0], sec[0].astext())


def finish(app, exc):
    if exc is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    shutil.copytree(MATHJAX, out / "_static" / "mathjax", dirs_exist_ok=True)
    # the themes' Jinja macro files, which their packages ship in static/ and Sphinx copies: not pages
    for f in (out / "_static").glob("*webpack-macros.html"):
        f.unlink()
    if (out / "_sources").is_dir() and not any((out / "_sources").iterdir()):
        (out / "_sources").rmdir()


def setup(app):
    if not (MATHJAX / "tex-chtml.js").is_file():
        raise RuntimeError(f"MathJax is missing ({MATHJAX}): run tools/setup_browser first")
    app.set_html_assets_policy("always")  # MathJax on every page (the browser test checks that it typesets)
    app.add_transform(JupyterLabIds)
    app.connect("build-finished", finish)
