"""The glossary (definitions/istilah.yaml): its page, and the first use of each acronym on
every page wrapped in <abbr title="what it stands for">.

Only the portal's own text is marked: headings, paragraphs, captions, column names,
notes, sources. Table cells (<td>: values and text copied from the reports), code,
formulas, elements in another language and existing <abbr> are left as they are, and
nothing is rewritten: the words stay, an <abbr> goes around them.
"""
from __future__ import annotations

import re

from markupsafe import escape

from ..digests import stable_digest

# Elements whose text is never marked (their content is data, code or not Indonesian).
SKIP = {"td", "code", "kbd", "pre", "samp", "abbr", "script", "style", "math", "svg", "title", "textarea", "button"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
TOKENS = re.compile(r"<!--.*?-->|<[^>]*>|[^<]+", re.S)
TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>")
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)


class Glossary:
    def __init__(self, spec: dict | None):
        self.entries = [e for e in (spec or {}).get("istilah") or [] if isinstance(e, dict) and e.get("istilah")]
        self.expansions: dict[str, str] = {}  # a form as written on pages -> its term
        for entry in self.entries:
            if entry.get("kepanjangan"):
                term = str(entry["istilah"])
                for form in {term, term[:1].upper() + term[1:]}:
                    self.expansions[form] = term
        self.titles = {str(e["istilah"]): str(e["kepanjangan"]) for e in self.entries if e.get("kepanjangan")}
        forms = sorted(self.expansions, key=len, reverse=True)
        self.pattern = re.compile(r"(?<![\w./-])(" + "|".join(re.escape(f) for f in forms) + r")(?![\w/-])") if forms else None
        self.digest = stable_digest(self.entries)

    def mark(self, html: str, seen: set[str]) -> str:
        """`html` (HTML, or Markdown with HTML inside) with the first use of each acronym not
        yet in `seen` wrapped in <abbr>; `seen` gains the terms wrapped."""
        if self.pattern is None or len(seen) == len(self.titles):
            return html
        out, stack = [], []  # stack: (tag, skipped) of the open elements
        for token in TOKENS.findall(html):
            if token.startswith("<"):
                out.append(token)
                tag = TAG.match(token)
                if not tag or token.startswith("<!--"):
                    continue
                closing, name, attributes = tag.group(1), tag.group(2).lower(), tag.group(3)
                if closing:
                    while stack:
                        if stack.pop()[0] == name:
                            break
                elif name not in VOID and not attributes.rstrip().endswith("/"):
                    other_language = re.search(r"\blang=\"(?!id)", attributes) is not None
                    stack.append((name, name in SKIP or other_language))
                continue
            if any(skipped for _, skipped in stack):
                out.append(token)
                continue
            out.append(self.pattern.sub(lambda m: self.wrap(m.group(1), seen), token))
        return "".join(out)

    def wrap(self, form: str, seen: set[str]) -> str:
        term = self.expansions[form]
        if term in seen:
            return form
        seen.add(term)
        return f'<abbr title="{escape(self.titles[term])}">{form}</abbr>'

    def page(self, markdown: str, blocks: list[str]) -> tuple[str, list[str]]:
        """A page's Markdown and its stashed blocks (tables, charts), marked in reading order;
        the front matter (title and description, plain text) is left alone."""
        seen: set[str] = set()
        front = FRONT_MATTER.match(markdown)
        head, body = (markdown[:front.end()], markdown[front.end():]) if front else ("", markdown)
        blocks = list(blocks)
        parts = re.split(r"(<!--pk-block:\d+-->)", body)
        for number, part in enumerate(parts):
            found = re.fullmatch(r"<!--pk-block:(\d+)-->", part)
            if found:
                at = int(found.group(1))
                blocks[at] = self.mark_block(blocks[at], seen)
            else:
                parts[number] = self.mark(part, seen)
        return head + "".join(parts), blocks

    def mark_block(self, html: str, seen: set[str]) -> str:
        """A table or chart block: its body rows (values) are skipped without being read."""
        start, end = html.find("<tbody>"), html.find("</tbody>")
        if start < 0 or end < 0:
            return self.mark(html, seen)
        return self.mark(html[:start], seen) + html[start:end] + self.mark(html[end:], seen)
