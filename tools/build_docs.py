#!/usr/bin/env python3
"""Build the offline documentation site in _docs/ from the notebooks in nbs/ (their saved outputs; nothing is re-run).

    python3 tools/build_docs.py [--out _docs] [--proc build/_proc]

Two maintained tools do the work; this script only connects them:
1. nbdev's notebook processors (nbdev.processors.FilterDefaults, what `nbdev_proc_nbs` runs before Quarto) write
   the processed notebooks to build/_proc/: `#| hide` cells dropped, nbdev directive lines removed, a `show_doc` cell
   (API docs, run by nbdev's exec_show_docs) after every exported function and class, and here also after every
   public method with a docstring. Left out are the processors that only make sense for Quarto (FrontmatterProc
   moves the "# title" into front matter, add_links links names to the Quarto site, add_fold and insert_warning) and
   rm_export: the pages show the exported code, as the notebooks do, followed by its API docs. The `#| key: value`
   lines nbdev leaves for Quarto become myst-nb cell tags; widget views (nothing drives them without a kernel) give
   way to the saved still image. Markdown files of the repository that the notebooks link to (../data/README.md)
   become pages too.
2. Sphinx with myst-nb and sphinx-book-theme (the Jupyter Book stack, pinned in settings.ini; configuration in
   tools/docs/conf.py) renders build/_proc/ into _docs/, with a local copy of MathJax 3 (tools/node_modules/mathjax,
   from tools/setup_browser) and nothing loaded from the network. Sphinx's warnings fail the build.
node tools/test_site.mjs _docs checks the result in a headless browser.
"""

import argparse
import ast
import os
import posixpath
import re
import shutil
import subprocess
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NBS = ROOT / "nbs"
CONF = ROOT / "tools" / "docs"
MATHJAX = ROOT / "tools" / "node_modules" / "mathjax" / "es5"
MARKER = ".built_by_build_docs"  # marks an output folder this script may empty
OLD_MARKER = ".built_by_build_site"  # (and the one the former tools/build_site.py left)
WIDGET = "application/vnd.jupyter.widget-view+json"
DIRECTIVE = re.compile(r"^\s*#\s*\|\s*([\w-]+):?\s*(.*?)\s*$")
LINK = re.compile(r"(\]\(\s*<?|\b(?:href|src)\s*=\s*[\"'])([^)\s\"'>#]*)([^)\s\"'>]*)")


# ----------------------------------------------------------------------------------------------- 1. nbdev's processors
def nbdev_procs():
    "nbdev's default processors, less the Quarto-only ones and rm_export, plus method docs after add_show_docs."
    from nbdev import processors as P
    from nbdev.process import Processor

    class add_method_docs(Processor):
        "After each `show_doc(Class)` from add_show_docs, `show_doc(Class.method)` for its public documented methods."

        def begin(self):
            cells = self.nb.cells
            for i in reversed(range(len(cells))):
                m = (
                    re.fullmatch(r"show_doc\((\w+)\)", cells[i].source.strip())
                    if getattr(cells[i], "has_sd", 0)
                    else None
                )
                if not m:
                    continue
                src = next((c for c in reversed(cells[:i]) if not getattr(c, "has_sd", 0)), None)
                tree = src.parsed_() if src is not None else None
                cls = next((n for n in tree or [] if isinstance(n, ast.ClassDef) and n.name == m.group(1)), None)
                if cls is None:
                    continue
                for node in reversed(cls.body):
                    if (
                        isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                        and not node.name.startswith("_")
                        and ast.get_docstring(node)
                    ):
                        new = P.mk_cell(f"show_doc({cls.name}.{node.name})")
                        new.has_sd = True
                        cells.insert(i + 1, new)

    class exec_show_docs(P.exec_show_docs):
        """nbdev's exec_show_docs runs every cell that has an import in it, whole; a cell that also uses a variable of
        an earlier, unexecuted cell then fails (nbdev's FAQ: keep imports in cells of their own). Here such a cell
        runs only its import statements; exported cells and show_doc cells run whole, as in nbdev."""

        def __call__(self, cell):
            if (
                cell.cell_type == "code"
                and P._do_eval(cell)
                and not cell.directives_.keys() & {"export", "exports", "exporti", "exec_doc"}
                and not P._show_docs(cell.parsed_() or [])
            ):
                imports = [n for n in cell.parsed_() or [] if isinstance(n, (ast.Import, ast.ImportFrom))]
                if hasattr(self, "k") and self.nb.has_docs_ and imports:
                    self.k.run_cell("\n".join(ast.unparse(n) for n in imports))
                    if self.k.exc:
                        raise Exception(f"cell {cell.idx_}: its imports failed:\n{cell.source}") from self.k.exc
                return
            return super().__call__(cell)

    # FrontmatterProc would move a notebook's "# title" and "> summary" into Quarto front matter: they stay as written
    skip = (P.FrontmatterProc, P.insert_warning, P.add_links, P.add_fold, P.rm_export)
    base = [exec_show_docs if p is P.exec_show_docs else p for p in P.FilterDefaults().base_procs() if p not in skip]
    base.insert(base.index(P.add_show_docs) + 1, add_method_docs)
    return base


def to_myst_nb(nb):
    """What nbdev leaves for Quarto (`#| echo: false`, `#| output: asis`, ...) -> myst-nb tags, and the directive lines
    that nbdev's rm_export would have taken with its cell (`#| default_exp`) go; widget views are dropped."""
    nb.metadata.pop("widgets", None)  # widget state would make myst-nb load the widget manager from a CDN
    nb.metadata["language_info"] = {"name": "python", "pygments_lexer": "ipython3"}  # !shell lines and %magics
    cells = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            lines, opts = cell.source.splitlines(), {}
            while lines and (DIRECTIVE.match(lines[0]) or not lines[0].strip()):
                m = DIRECTIVE.match(lines.pop(0))
                if not m:
                    continue
                k, v = m.groups()
                opts[k] = v.strip("\"'").lower()
            cell.source = "\n".join(lines).strip("\n")
            tags = list(cell.metadata.get("tags", []))
            if opts.get("include") == "false":
                continue
            if opts.get("echo") == "false" or not cell.source.strip():
                tags.append("remove-input")
            if opts.get("output") == "false":
                tags.append("remove-output")
            outs = []
            for o in cell.get("outputs", []):
                data = o.get("data")
                if data is not None and "text/markdown" in data and re.match(r"\s*show_doc\(", cell.source):
                    # show_doc's Markdown is written for Quarto: Pandoc link attributes, a rule (---) above it
                    md = "".join(data["text/markdown"])
                    md = re.sub(r"(\]\([^)\s]*\))\{[^{}]*\}", r"\1", md)
                    md = re.sub(r"\A\s*---\s*\n", "", md)
                    # the source link (floated right of the name by Quarto) goes under the name
                    data["text/markdown"] = re.sub(r"\A\s*(\[source\]\([^)]*\))\s*\n+(#+ [^\n]*\n)", r"\2\n\1\n", md)
                if data is not None and WIDGET in data:
                    data = {k: v for k, v in data.items() if k != WIDGET}
                    if not set(data) - {"text/plain"}:
                        continue  # a widget with nothing else to show (a progress bar)
                    o["data"] = data
                outs.append(o)
            cell["outputs"] = outs
            if not cell.source.strip() and not outs:
                continue  # e.g. a `#| default_exp` cell, empty once its directive is gone
            if tags:
                cell.metadata["tags"] = sorted(set(tags))
        cells.append(cell)
    for i, cell in enumerate(cells):
        cell.pop("has_sd", None)  # add_show_docs' mark, not a notebook field
        cell.setdefault("id", f"nbdev-{i}")  # the cells nbdev added have none (nbformat warns)
    nb.cells = cells
    return nb


class Links:
    "Relative links that leave nbs/ (../data/README.md): the Markdown files become pages, other files are copied."

    def __init__(self, proc):
        self.proc, self.queue, self.done, self.missing = proc, [], set(), []

    @staticmethod
    def site(rel):  # repository path -> path in the Sphinx source folder
        return rel[len("nbs/") :] if rel.startswith("nbs/") else rel

    def rewrite(self, text, src_rel):
        def fix(m):
            url = m.group(2)
            if not url or re.match(r"^[a-z][\w+.-]*:|^/", url, re.I):
                return m.group(0)
            target = posixpath.normpath(posixpath.join(posixpath.dirname(src_rel), url))
            if target.startswith(".."):
                return m.group(0)
            absf = ROOT / target
            if not absf.exists():
                self.missing.append(f"{src_rel}: link {url!r} -> {target} does not exist")
            elif absf.is_file() and not target.startswith("nbs/") and target not in self.done:
                self.done.add(target)
                self.queue.append(target)
            new = posixpath.relpath(self.site(target), posixpath.dirname(self.site(src_rel)) or ".")
            return m.group(1) + new + m.group(3)

        return LINK.sub(fix, text)

    def copy_queued(self):
        while self.queue:
            rel = self.queue.pop(0)
            dest = self.proc / self.site(rel)
            dest.parent.mkdir(parents=True, exist_ok=True)
            if rel.endswith(".md"):
                dest.write_text(self.rewrite((ROOT / rel).read_text(encoding="utf-8"), rel), encoding="utf-8")
            else:
                shutil.copyfile(ROOT / rel, dest)


def toc_entry(stem, nb):
    "A chapter in the sidebar: its number (01b_importance -> 01b) and its # title, as the notebook writes them."
    num = re.match(r"(\d+[a-z]?)_", stem)
    title = next(
        (
            m.group(1)
            for c in nb.cells
            if c.cell_type == "markdown"
            for m in [re.search(r"^# (.+)$", c.source, re.M)]
            if m
        ),
        None,
    )
    if not num or not title or re.search(r"[$<>`\\]", title):
        return stem  # Sphinx's own title (markup in a title would show as written in an explicit entry)
    return f"{num.group(1)} · {title.strip()} <{stem}>"


TOCTREE = "```{{toctree}}\n:hidden:\n:maxdepth: 1\n:caption: {caption}\n\n{entries}\n```"


def process(proc):
    os.environ.setdefault("MPLBACKEND", "Agg")  # importing the package must not open windows
    # nbdev's advice for cells with imports and other code (run whole by its exec_show_docs, not here)
    warnings.filterwarnings("ignore", message="Found cells containing imports and other code")
    from execnb.nbio import mk_cell, read_nb, write_nb
    from nbdev.process import NBProcessor

    if proc.exists():
        shutil.rmtree(proc)
    shutil.copytree(
        NBS, proc, ignore=shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints", "runs", "toy_out", ".last_checked")
    )
    (proc / MARKER).write_text("this folder is rewritten by tools/build_docs.py; do not edit\n")
    links, procs = Links(proc), nbdev_procs()
    notebooks = sorted(NBS.glob("*.ipynb"), key=lambda p: (p.stem != "index", p.name))
    if not notebooks or notebooks[0].stem != "index":
        sys.exit(f"no {NBS}/index.ipynb: it is the site's front page")
    done = {}
    for path in notebooks:
        t = time.perf_counter()
        nb = read_nb(path)
        NBProcessor(nb=nb, procs=procs).process()  # runs the exported code and the show_doc cells (exec_show_docs)
        nb = to_myst_nb(nb)
        rel = path.relative_to(ROOT).as_posix()
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                cell.source = links.rewrite(cell.source, rel)
        done[path.stem] = nb
        print(f"  processed {rel} ({time.perf_counter() - t:.1f} s)", flush=True)
    links.copy_queued()
    # the sidebar: the chapters, then the repository pages the notebooks link to (hidden toctrees on the front page)
    # the learner's track (chapters 00-09), the engineering appendix (10 on), then pages without a number (the glossary)
    number = lambda p: int(m.group(1)) if (m := re.match(r"(\d+)[a-z]?_", p.stem)) else None
    parts = {
        "The course": [p for p in notebooks[1:] if number(p) is not None and number(p) < 10],
        "Appendix: engineering": [p for p in notebooks[1:] if number(p) is not None and number(p) >= 10],
        "Reference": [p for p in notebooks[1:] if number(p) is None],
    }
    toc = [
        TOCTREE.format(caption=caption, entries="\n".join(toc_entry(p.stem, done[p.stem]) for p in pages))
        for caption, pages in parts.items()
        if pages
    ]
    others = sorted(f"{r} <{Links.site(r)[: -len('.md')]}>" for r in links.done if r.endswith(".md"))  # named by path
    if others:
        toc.append(TOCTREE.format(caption="Repository files", entries="\n".join(others)))
    done["index"].cells.append(mk_cell("\n\n".join(toc), "markdown"))
    done["index"].cells[-1]["id"] = "nbdev-toctree"
    for stem, nb in done.items():
        write_nb(nb, proc / f"{stem}.ipynb")
    return links.missing


# ----------------------------------------------------------------------------------------------------------- 2. Sphinx
def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=str(ROOT / "_docs"), help="output folder (default: _docs in the repository)")
    ap.add_argument(
        "--proc",
        default=str(ROOT / "build" / "_proc"),
        help="the processed notebooks, Sphinx's source folder (default: build/_proc)",
    )
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    out, proc = Path(args.out).resolve(), Path(args.proc).resolve()
    if not (MATHJAX / "tex-chtml.js").is_file():
        sys.exit(f"MathJax is missing ({MATHJAX}): run tools/setup_browser first")
    for mod in ("sphinx", "myst_nb", "sphinx_book_theme"):
        try:
            __import__(mod)
        except ImportError as e:
            sys.exit(f"{e}: the site needs the dev extras on Python >= 3.11 (pip install -e '.[dev]')")
    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists() and not (out / OLD_MARKER).exists():
        sys.exit(f"{out} is not empty and was not written by this script: remove it or choose another --out")
    if proc.exists() and any(proc.iterdir()) and not (proc / MARKER).exists():
        sys.exit(f"{proc} is not empty and was not written by this script: remove it or choose another --proc")
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    print(f"nbdev processors: nbs/ -> {os.path.relpath(proc)}", flush=True)
    missing = process(proc)
    for m in missing:
        print("warning:", m, file=sys.stderr)
    t1 = time.perf_counter()
    # Sphinx builds in build/sphinx/html (myst-nb writes its images beside the output folder, in jupyter_execute/)
    work = ROOT / "build" / "sphinx"
    if work.exists():
        shutil.rmtree(work)
    cmd = [
        sys.executable,
        "-m",
        "sphinx",
        "-b",
        "html",
        "-q",
        "-E",
        "-W",
        "--keep-going",
        "-c",
        str(CONF),
        "-d",
        str(work / "doctrees"),
        str(proc),
        str(work / "html"),
    ]
    print(
        "sphinx:",
        " ".join(os.path.relpath(c) if c.startswith("/") and c != sys.executable else c for c in cmd[1:]),
        flush=True,
    )
    rc = subprocess.call(cmd, env={**os.environ, "MPLBACKEND": "Agg"})
    if rc:
        sys.exit(f"sphinx-build failed (exit {rc})")
    if out.exists():
        shutil.rmtree(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(work / "html", out)
    (out / MARKER).write_text("this folder is rebuilt by tools/build_docs.py; do not edit\n")
    n = sum(1 for _ in out.rglob("*.html") if "_static" not in _.parts)
    print(
        f"built {n} pages in {os.path.relpath(out)} in {time.perf_counter() - t0:.1f} s "
        f"(nbdev processors {t1 - t0:.1f} s, sphinx {time.perf_counter() - t1:.1f} s)"
    )


if __name__ == "__main__":
    main()
