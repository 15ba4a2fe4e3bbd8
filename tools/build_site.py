#!/usr/bin/env python3
"""Build the offline documentation site in _docs/ from the notebooks in nbs/ (their saved outputs; nothing is executed).

    python3 tools/build_site.py [--out _docs]

Every notebook becomes a page (nbs/X.ipynb -> X.html, nbs/index.ipynb -> index.html) with a sidebar of all chapters,
a table of contents of the page's h2/h3 headings and previous/next links. Markdown files of the repository that the
notebooks link to (../data/README.md, ...) become pages too, and other linked files and images are copied. Cells flagged
`#| hide` are dropped, directive lines are removed from the code shown, and each exported cell is followed by the API
documentation (signature and docstring) of the public functions and classes it defines. Math is typeset by a local
copy of MathJax 3 (tools/node_modules/mathjax, installed by tools/setup_browser); the site loads nothing from the network.
The templates and the stylesheet live in tools/site/.
"""
import time

T0 = time.perf_counter()
import argparse  # noqa: E402
import ast
import base64
import dataclasses
import html
import importlib
import inspect
import os
import posixpath
import re
import shutil
import sys
import warnings
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
NBS = ROOT / "nbs"
SITE_SRC = ROOT / "tools" / "site"
MATHJAX = ROOT / "tools" / "node_modules" / "mathjax" / "es5"
LIB = "ismn_edu"
MARKER = ".built_by_build_site"  # marks an output folder this script may empty
MAX_ASSET = 50 * 2**20  # linked files larger than this are not copied

os.environ.setdefault("MPLBACKEND", "Agg")  # importing the package must not open windows

import nbformat  # noqa: E402
from jinja2 import Environment, FileSystemLoader  # noqa: E402
from nbconvert.filters.ansi import ansi2html  # noqa: E402
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath  # noqa: E402
from nbconvert.filters.strings import _convert_header_id  # noqa: E402
from pygments import highlight  # noqa: E402
from pygments.formatters import HtmlFormatter  # noqa: E402
from pygments.lexers import PythonLexer, TextLexer, get_lexer_by_name  # noqa: E402
from pygments.util import ClassNotFound  # noqa: E402

try:
    from ipython_pygments_lexers import IPython3Lexer as CodeLexer  # understands %magics and !shell lines
except ImportError:  # pragma: no cover
    from pygments.lexers import PythonLexer as CodeLexer

FORMATTER = HtmlFormatter(cssclass="highlight")
WIDGET = "application/vnd.jupyter.widget-view+json"
# display order of an output bundle: the first that can be shown wins (widgets cannot: there is no kernel)
MIME_ORDER = ["text/html", "image/svg+xml", "image/png", "image/jpeg", "image/gif", "text/markdown", "text/latex", "text/plain"]
DIRECTIVE = re.compile(r"^\s*#\s*\|\s*(.*?)\s*$")
TAG = re.compile(r"<(?:a|img|source|video|audio|iframe|embed|link)\b[^<>]*>", re.I)
ATTR = re.compile(r"""(\s(?:href|src)\s*=\s*)(?:"([^"]*)"|'([^']*)')""", re.I)
ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")  # reprs like <function f at 0x7f...> would make builds differ


def strip_tags(s):
    return html.unescape(re.sub(r"<[^>]*>", "", s))


def fix_cr(text):
    "What a terminal shows of a stream with carriage returns (progress bars): each line's text after its last \\r."
    if "\r" not in text:
        return text
    text = text.replace("\r\n", "\n")
    return "\n".join(line.rsplit("\r", 1)[-1] if line.rstrip("\r") else "" for line in text.split("\n"))


class Renderer(IPythonRenderer):
    "nbconvert's Markdown renderer (math is protected) that records headings and highlights code with CSS classes."

    def __init__(self, **kw):
        super().__init__(escape=False, **kw)
        self.headings = []
        self.math = False  # did the text have math (for the test: such a page must show typeset formulas)

    def block_math(self, body):
        self.math = True
        return super().block_math(body)

    def inline_math(self, body):
        self.math = True
        return super().inline_math(body)

    def latex_environment(self, name, body):
        self.math = True
        return super().latex_environment(name, body)

    def heading(self, text, level, **attrs):
        # the id is nbconvert's (and JupyterLab's): the heading's text, spaces -> '-', case kept
        hid = _convert_header_id(strip_tags(text))
        self.headings.append((level, hid, text))
        a = html.escape(hid)
        return f'<h{level} id="{a}">{text}<a class="anchor-link" href="#{a}" aria-label="link to this section">¶</a></h{level}>\n'

    def block_code(self, code, info=None):
        lang = (info or "").strip().split(None, 1)[0] if (info or "").strip() else ""
        if lang.startswith("mermaid"):
            return super().block_code(code, info)
        try:
            lexer = get_lexer_by_name(lang) if lang else TextLexer()
        except ClassNotFound:
            lexer = TextLexer()
        return highlight(code, lexer, FORMATTER)


def split_directives(source):
    "(directives as [(name, argument)], code without the directive lines at the top of the cell)."
    lines, directives, i = source.splitlines(), [], 0
    while i < len(lines):
        m = DIRECTIVE.match(lines[i])
        if m:
            name, _, arg = m.group(1).partition(" ")
            directives.append((name.rstrip(":").strip(), arg.strip()))
        elif lines[i].strip():
            break
        i += 1
    return directives, "\n".join(lines[i:]).strip("\n")


# ---------------------------------------------------------------------------------------------- API documentation
_modules = {}


def load_module(name):
    if name not in _modules:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                _modules[name] = importlib.import_module(name)
        except Exception as e:  # a broken import must not stop the docs: the notebook's own code is shown instead
            _modules[name] = e
    return _modules[name]


def format_signature(sig, skip_self=False):
    "Parameters as strings (with the / and * markers), and the return annotation or ''."
    params, out, star, prev_posonly = list(sig.parameters.values()), [], False, False
    if skip_self and params and params[0].name in ("self", "cls"):
        params = params[1:]
    for p in params:
        if prev_posonly and p.kind != p.POSITIONAL_ONLY:
            out.append("/")
        prev_posonly = p.kind == p.POSITIONAL_ONLY
        if p.kind == p.KEYWORD_ONLY and not star:
            out.append("*")
        if p.kind in (p.KEYWORD_ONLY, p.VAR_POSITIONAL):
            star = True
        out.append(ADDRESS.sub("", str(p)))
    if prev_posonly:
        out.append("/")
    ret = "" if sig.return_annotation is sig.empty else ADDRESS.sub("", inspect.formatannotation(sig.return_annotation))
    return out, ret


def ast_signature(node, skip_self=False):
    "The signature as the notebook's code writes it (used when the object cannot be imported)."
    args = node.args if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) else None
    if args is None:
        return [], ""
    if skip_self and (args.posonlyargs or args.args):
        args = ast.arguments(**{**{f: getattr(args, f) for f in args._fields}})
        if args.posonlyargs:
            args.posonlyargs = args.posonlyargs[1:]
        else:
            args.args = args.args[1:]
    text = ast.unparse(args)
    return ([text] if text else []), (ast.unparse(node.returns) if node.returns else "")


def signature_html(keyword, name, params, ret):
    one = f"{keyword} {name}({', '.join(params)})" + (f" -> {ret}" if ret else "")
    if len(one) > 88 and len(params) > 1:
        one = f"{keyword} {name}(\n" + "".join(f"    {p},\n" for p in params) + ")" + (f" -> {ret}" if ret else "")
    return highlight(one, PythonLexer(), HtmlFormatter(cssclass="highlight doc-sig"))


def own_doc(obj, auto_name=None):
    doc = obj.__dict__.get("__doc__") if isinstance(obj, type) else getattr(obj, "__doc__", None)
    if not isinstance(doc, str) or not doc.strip():
        return ""
    doc = inspect.cleandoc(doc)
    if auto_name and dataclasses.is_dataclass(obj) and doc.startswith(auto_name + "("):
        return ""  # the docstring dataclass() writes: only the signature again
    return doc


def class_members(cls):
    "Public methods and properties defined in the class itself that have docstrings: [(name, params, ret, doc, kind)]."
    out = []
    for name, val in vars(cls).items():
        if name.startswith("_"):
            continue
        kind, func = "def", val
        if isinstance(val, (staticmethod, classmethod)):
            func = val.__func__
        elif isinstance(val, property):
            kind, func = "property", val.fget
        elif not inspect.isfunction(val):
            continue
        doc = own_doc(func) if func is not None else ""
        if not doc:
            continue
        if kind == "property":
            out.append((name, None, "", doc, kind))
            continue
        try:
            target = getattr(cls, name) if isinstance(val, (staticmethod, classmethod)) else val
            params, ret = format_signature(inspect.signature(target), skip_self=not isinstance(val, (staticmethod, classmethod)))
        except (TypeError, ValueError):
            params, ret = ["..."], ""
        out.append((name, params, ret, doc, kind))
    return out


class Builder:
    def __init__(self, out):
        self.out = Path(out).resolve()
        self.warnings = []
        self.pages = {}  # site path -> page dict
        self.sources = {}  # site path -> repo path (to catch two files mapped to one page)
        self.assets = {}  # site path -> absolute source file
        self.md_queue = []  # repository Markdown files to render as pages
        self.links = []  # (page, target site path, fragment, text as written) to check once every page exists

    def warn(self, msg):
        self.warnings.append(msg)

    # -------------------------------------------------------------------------------------------- paths and links
    @staticmethod
    def site_path(rel):
        "Where the repository file `rel` (posix, relative to the root) lives in the site."
        p = rel[len("nbs/"):] if rel.startswith("nbs/") else rel
        stem, ext = posixpath.splitext(p)
        return stem + ".html" if ext in (".ipynb", ".md") else p

    def claim(self, site, rel):
        if self.sources.setdefault(site, rel) != rel:
            self.warn(f"both {self.sources[site]} and {rel} map to {site} in the site; {rel} is left out")
            return False
        return True

    def rewrite_url(self, url, page, where):
        "A link or image URL as written in a page's source -> the URL in the site (and note what must be copied or checked)."
        if not url:
            return url
        if url.startswith("#"):
            self.links.append((page["site"], page["site"], unquote(url[1:]), url, where))
            return url
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or url.startswith("/"):
            return url  # external (http, mailto, data:) or absolute: left alone
        path = unquote(parts.path)
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page["src"]), path))
        if target == ".." or target.startswith("../"):
            self.warn(f"{page['src']} ({where}): link {url!r} points outside the repository")
            return url
        absf = ROOT / target
        if absf.is_dir():
            self.warn(f"{page['src']} ({where}): link {url!r} points to a folder ({target}), which the site does not have")
        elif not absf.is_file():
            self.warn(f"{page['src']} ({where}): link target {url!r} does not exist ({target})")
        site = self.site_path(target)
        if absf.is_file():
            ext = absf.suffix
            if ext == ".ipynb":
                if absf.parent != NBS:
                    self.warn(f"{page['src']} ({where}): {url!r} is a notebook outside nbs/, not part of the site")
            elif ext == ".md":
                if self.claim(site, target) and target not in self.md_queue:
                    self.md_queue.append(target)
            elif absf.stat().st_size <= MAX_ASSET:
                if self.claim(site, target):
                    self.assets[site] = absf
            else:
                self.warn(f"{page['src']} ({where}): {url!r} is too large to copy into the site")
        if parts.fragment or site.endswith(".html"):
            self.links.append((page["site"], site, unquote(parts.fragment), url, where))
        rel = posixpath.relpath(site, posixpath.dirname(page["site"]) or ".")
        return quote(rel) + ("#" + parts.fragment if parts.fragment else "")

    def rewrite_html(self, text, page, where):
        def attr(m):
            val = m.group(2) if m.group(2) is not None else m.group(3)
            new = self.rewrite_url(html.unescape(val), page, where)
            return f'{m.group(1)}"{html.escape(new)}"'

        return TAG.sub(lambda t: ATTR.sub(attr, t.group(0)), text)

    # ------------------------------------------------------------------------------------------------- rendering
    def markdown(self, source, page, where, attachments=None, headings=True):
        r = Renderer(attachments=attachments or {})
        out = MarkdownWithMath(renderer=r).render(source)
        if headings:
            page["headings"].extend(r.headings)
        page["has_math"] = page["has_math"] or r.math
        return self.rewrite_html(out, page, where)

    def output_html(self, o, page, where):
        t = o.get("output_type")
        if t == "stream":
            cls = "stderr" if o.get("name") == "stderr" else "stdout"
            return f'<div class="output {cls}"><pre>{ansi2html(fix_cr(o.get("text", "")))}</pre></div>'
        if t == "error":
            tb = "\n".join(o.get("traceback") or [f"{o.get('ename')}: {o.get('evalue')}"])
            return f'<div class="output error"><pre>{ansi2html(tb)}</pre></div>'
        if t not in ("execute_result", "display_data"):
            return ""
        data, meta = o.get("data", {}), o.get("metadata", {})
        for mime in MIME_ORDER:  # a widget view (no widget state, no kernel) falls back to what follows it
            if mime not in data:
                continue
            val = data[mime]
            val = "".join(val) if isinstance(val, list) else val
            if mime == "text/html":
                if re.search(r"<script\b", val, re.I) and any(m in data for m in MIME_ORDER[1:]):
                    continue  # scripts need a live page (and often the network): show the static alternative
                return f'<div class="output html">{self.rewrite_html(val, page, where)}</div>'
            if mime.startswith("image/"):
                if mime == "image/svg+xml":
                    val = base64.b64encode(val.encode()).decode()
                m = meta.get(mime, {}) if isinstance(meta.get(mime), dict) else {}
                size = "".join(f' {k}="{int(m[k])}"' for k in ("width", "height") if isinstance(m.get(k), (int, float)))
                alt = data.get("text/plain", "output")
                alt = "".join(alt) if isinstance(alt, list) else alt
                return f'<div class="output image"><img src="data:{mime};base64,{val.strip()}" alt="{html.escape(alt.strip())}"{size}></div>'
            if mime == "text/markdown":
                return f'<div class="output markdown">{self.markdown(val, page, where, headings=False)}</div>'
            if mime == "text/latex":
                page["has_math"] = True
                return f'<div class="output latex">{html.escape(val)}</div>'
            return f'<div class="output text"><pre>{ansi2html(val)}</pre></div>'
        return ""

    def api_docs(self, code, modname, page, where):
        "Doc blocks for the public functions and classes that an exported cell defines."
        try:
            tree = ast.parse(code)
        except SyntaxError as e:
            self.warn(f"{page['src']} ({where}): cannot parse the exported cell for its API docs: {e}")
            return ""
        mod = load_module(modname)
        if isinstance(mod, Exception):
            key = f"import {modname}"
            if key not in page["failed"]:
                page["failed"].add(key)
                self.warn(f"{page['src']}: cannot import {modname} ({mod!r}); API docs are taken from the notebook's code")
            mod = None
        public = getattr(mod, "__all__", None) if mod is not None else None
        blocks = []
        for node in tree.body:
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            name = node.name
            if (name not in public) if public is not None else name.startswith("_"):
                continue
            obj = getattr(mod, name, None) if mod is not None else None
            keyword = "class" if isinstance(node, ast.ClassDef) else "def"
            members = []
            if obj is None:
                if mod is not None:
                    self.warn(f"{page['src']} ({where}): {name} is not in {modname}: is the package exported (nbdev_export)?")
                params, ret = ast_signature(node)
                if isinstance(node, ast.ClassDef):
                    init = next((n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"), None)
                    params, ret = ast_signature(init, skip_self=True) if init else ([], "")
                doc = ast.get_docstring(node) or ""
            else:
                try:
                    params, ret = format_signature(inspect.signature(obj))
                except (TypeError, ValueError):
                    params, ret = ["..."], ""
                if isinstance(obj, type):
                    ret = ""  # a class's signature is its constructor's: "-> None" says nothing
                    members = class_members(obj)
                doc = own_doc(obj, auto_name=name)
            did = f"\x00{html.escape(name)}\x00"  # the id, unless a heading of the page has it (finish_page decides)
            parts = [f'<div class="doc" id="{did}">',
                     f'<div class="doc-head"><span class="doc-kind">{keyword}</span> <span class="doc-name">{html.escape(name)}</span>'
                     f'<a class="anchor-link" href="#{did}" aria-label="link to {html.escape(name)}">¶</a>'
                     f'<span class="doc-module">{html.escape(modname)}</span></div>',
                     signature_html(keyword, name, params, ret)]
            if doc:
                parts.append(f'<div class="doc-body">{self.markdown(doc, page, where, headings=False)}</div>')
            for mname, mparams, mret, mdoc, mkind in members:
                mid = html.escape(f"{name}.{mname}")
                parts.append(f'<div class="doc-member" id="\x00{mid}\x00"><div class="doc-head"><span class="doc-kind">{mkind}</span> '
                             f'<span class="doc-name">{html.escape(name)}.{html.escape(mname)}</span>'
                             f'<a class="anchor-link" href="#\x00{mid}\x00" aria-label="link to {mid}">¶</a></div>')
                if mparams is not None:
                    parts.append(signature_html("def", mname, mparams, mret))
                parts.append(f'<div class="doc-body">{self.markdown(mdoc, page, where, headings=False)}</div></div>')
            parts.append("</div>")
            blocks.append("\n".join(parts))
        return "\n".join(blocks)

    def new_page(self, rel, kind):
        return {"src": rel, "site": self.site_path(rel), "kind": kind, "headings": [], "api": {}, "failed": set(),
                "title": None, "body": "", "has_math": False}

    def render_notebook(self, path):
        rel = path.relative_to(ROOT).as_posix()
        page = self.new_page(rel, "notebook")
        self.claim(page["site"], rel)
        nb = nbformat.read(str(path), as_version=4)
        modname = None
        for cell in nb.cells:
            if cell.cell_type == "code":
                for name, arg in split_directives(cell.source)[0]:
                    if name == "default_exp" and arg:
                        modname = f"{LIB}.{arg.split()[0]}"
        html_cells = []
        for i, cell in enumerate(nb.cells):
            where = f"cell {cell.get('id') or i}"
            if cell.cell_type == "markdown":
                body = self.markdown(cell.source, page, where, attachments=cell.get("attachments"))
                html_cells.append(f'<div class="cell markdown-cell">{body}</div>')
            elif cell.cell_type == "code":
                directives, code = split_directives(cell.source)
                names = {n for n, _ in directives}
                if "hide" in names:
                    continue
                parts = []
                if code.strip() and not ("hide_input" in names or ("echo", "false") in directives):
                    parts.append(f'<div class="input">{highlight(code, CodeLexer(), FORMATTER)}</div>')
                if not ("hide_output" in names or ("output", "false") in directives):
                    outs = [self.output_html(o, page, where) for o in cell.get("outputs", [])]
                    outs = [o for o in outs if o]
                    if outs:
                        parts.append('<div class="outputs">' + "\n".join(outs) + "</div>")
                export = [(n, a) for n, a in directives if n in ("export", "exports")]
                if export:
                    arg = export[0][1].split()
                    mod = f"{LIB}.{arg[0]}" if arg and not arg[0].startswith("-") else modname
                    if mod:
                        docs = self.api_docs(code, mod, page, where)
                        if docs:
                            parts.append(f'<div class="api">{docs}</div>')
                    else:
                        self.warn(f"{page['src']} ({where}): exported cell but no #| default_exp: no API docs")
                if parts:
                    html_cells.append('<div class="cell code-cell">' + "\n".join(parts) + "</div>")
            elif cell.cell_type == "raw":
                continue
        page["body"] = "\n".join(html_cells)
        self.finish_page(page, path.stem)
        return page

    def render_markdown_file(self, rel):
        page = self.new_page(rel, "markdown")
        page["body"] = f'<div class="cell markdown-cell">{self.markdown((ROOT / rel).read_text(encoding="utf-8"), page, "text")}</div>'
        self.finish_page(page, rel)
        return page

    def finish_page(self, page, fallback_title):
        h1 = next((h for h in page["headings"] if h[0] == 1), None)
        page["title"] = strip_tags(h1[2]).strip() if h1 else fallback_title
        if not h1:
            self.warn(f"{page['src']}: no '# ' heading; the title is {fallback_title!r}")
        # API blocks are named by their object, unless a heading (whose id links written for JupyterLab use) has the name
        heading_ids = [html.escape(h[1]) for h in page["headings"]]
        taken = set(heading_ids)

        def doc_id(m):
            name = m.group(1)
            if name not in page["api"]:
                page["api"][name] = name if name not in taken else f"{name}-api"
                taken.add(page["api"][name])
            return page["api"][name]

        page["body"] = re.sub("\x00([^\x00]*)\x00", doc_id, page["body"])
        dup = sorted({i for i in heading_ids if heading_ids.count(i) > 1})
        if dup:
            self.warn(f"{page['src']}: several headings have the ids {dup} (links go to the first)")
        page["ids"] = {html.unescape(i) for i in re.findall(r'\b(?:id|name)="([^"]+)"', page["body"])}
        self.pages[page["site"]] = page

    # ------------------------------------------------------------------------------------------------ the site
    def build(self):
        if not (MATHJAX / "tex-chtml.js").is_file():
            sys.exit(f"MathJax is missing ({MATHJAX}): run tools/setup_browser first")
        notebooks = sorted(NBS.glob("*.ipynb"), key=lambda p: (p.stem != "index", p.name))
        if not notebooks or notebooks[0].stem != "index":
            sys.exit(f"no {NBS}/index.ipynb: it is the site's front page")
        chapters = [self.render_notebook(p) for p in notebooks]
        while self.md_queue:
            rel = self.md_queue.pop(0)
            if self.site_path(rel) not in self.pages:
                self.render_markdown_file(rel)
        for src_page, target, frag, text, where in self.links:  # a missing page was reported when its link was rewritten
            page = self.pages.get(target)
            if frag and page is not None and frag not in page["ids"] and quote(frag, safe="?/:@!$&'()*+,;=") not in page["ids"]:
                self.warn(f"{self.pages[src_page]['src']} ({where}): link {text!r}: no anchor #{frag} in {page['src']}")
        self.write(chapters)

    def write(self, chapters):
        out = self.out
        if out.exists():
            entries = list(out.iterdir())
            old_nbconvert = all(e.is_file() and e.suffix == ".html" for e in entries)
            if entries and not (out / MARKER).exists() and not old_nbconvert:
                sys.exit(f"{out} is not empty and was not written by this script: remove it or choose another --out")
            shutil.rmtree(out)
        out.mkdir(parents=True)
        (out / MARKER).write_text("this folder is rebuilt by tools/build_site.py; do not edit\n")
        shutil.copytree(MATHJAX, out / "mathjax")
        css = (SITE_SRC / "style.css").read_text(encoding="utf-8")
        css += "\n/* syntax highlighting (pygments) */\n" + FORMATTER.get_style_defs(".highlight") + "\n"
        (out / "site.css").write_text(css, encoding="utf-8")
        for site, src in sorted(self.assets.items()):
            dest = out / site
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dest)
        env = Environment(loader=FileSystemLoader(str(SITE_SRC)), autoescape=False, keep_trailing_newline=True)
        template = env.get_template("page.html")
        others = sorted((p for p in self.pages.values() if p["kind"] != "notebook"), key=lambda p: p["site"])
        lib_title = chapters[0]["title"]
        for page in self.pages.values():
            up = "../" * page["site"].count("/")
            nav = [{"href": up + quote(p["site"]), "title": p["title"], "num": self.chapter_number(p), "current": p is page}
                   for p in chapters]
            extra = [{"href": up + quote(p["site"]), "title": p["title"], "num": p["src"], "current": p is page} for p in others]
            prev = nxt = None
            if page in chapters:
                i = chapters.index(page)
                prev = chapters[i - 1] if i > 0 else None
                nxt = chapters[i + 1] if i + 1 < len(chapters) else None
            link = lambda p: p and {"href": up + quote(p["site"]), "title": p["title"]}  # noqa: E731
            toc = [{"level": lv, "id": html.escape(hid), "html": re.sub(r"</?a\b[^>]*>", "", text)}
                   for lv, hid, text in page["headings"] if lv in (2, 3)]
            text = template.render(title=page["title"], title_html=html.escape(page["title"]), lib=lib_title, root=up,
                                   nav=nav, extra=extra, toc=toc, body=page["body"], prev=link(prev), next=link(nxt),
                                   source=page["src"], has_math=page["has_math"], esc=html.escape)
            dest = out / page["site"]
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(text, encoding="utf-8")

    @staticmethod
    def chapter_number(p):
        stem = Path(p["src"]).stem
        m = re.match(r"(\d+[a-z]?)_", stem)
        return m.group(1) if m else ""


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=str(ROOT / "_docs"), help="output folder (default: _docs in the repository)")
    ap.add_argument("-q", "--quiet", action="store_true", help="do not list the problems found in the notebooks' links")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    b = Builder(args.out)
    b.build()
    if not args.quiet:
        for w in b.warnings:
            print("warning:", w, file=sys.stderr, flush=True)
    n = len(b.pages)
    print(f"built {n} pages ({len([p for p in b.pages.values() if p['kind'] == 'notebook'])} notebooks) "
          f"in {os.path.relpath(b.out)} in {time.perf_counter() - T0:.1f} s" + (f", {len(b.warnings)} warnings" if b.warnings else ""))


if __name__ == "__main__":
    main()
