"""Read built pages with the standard HTML parser: tables, links, images, text."""
from __future__ import annotations

from html.parser import HTMLParser


class Page(HTMLParser):
    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, dict] = {}
        self.links: list[str] = []
        self.images: list[dict] = []
        self.title = ""
        self._in_title = False
        self._table = None  # id of the pk-table being read
        self._cell = None
        self._row = None
        self._in_caption = False
        self._skip = 0  # depth inside <small class="pk-flag"> (notes, not values)
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "title":
            self._in_title = True
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "img":
            self.images.append(attrs)
        if tag == "div" and "pk-table" in (attrs.get("class") or "").split():
            self._table = attrs.get("id", "")
            self.tables[self._table] = {"caption": "", "header": [], "rows": [], "csv": None}
        if self._table is None:
            return
        table = self.tables[self._table]
        if tag == "caption":
            self._in_caption = True
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = ""
        elif tag == "small":
            self._skip += 1
        elif tag == "a" and "download" in attrs and table["csv"] is None and attrs["href"].endswith(".csv"):
            table["csv"] = attrs["href"]

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if self._table is None:
            return
        table = self.tables[self._table]
        if tag == "caption":
            self._in_caption = False
        elif tag in ("td", "th") and self._row is not None:
            self._row.append(" ".join(self._cell.split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if table["header"]:
                table["rows"].append(self._row)
            else:
                table["header"] = self._row
            self._row = None
        elif tag == "small":
            self._skip -= 1
        elif tag == "p" and table["csv"]:
            self._table = None

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._table is None:
            return
        if self._in_caption:
            self.tables[self._table]["caption"] += data
        elif self._cell is not None and not self._skip:
            self._cell += data


def read(path) -> Page:
    with open(path, encoding="utf-8") as fh:
        return Page(fh.read())


# What a reader sees or hears of a page: text and the alt, title, aria-label and
# placeholder attributes, outside code (<code>, <kbd>, <pre>, <samp>), scripts, styles,
# drawings and formulas (<svg>, <math>), and elements marked as another language
# (lang="en" and their children).
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
NOT_READ = {"script", "style", "code", "kbd", "pre", "samp", "svg", "math", "template", "noscript"}
READ_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")


class Visible(HTMLParser):
    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, not read, inside <td>)
        self.parts: list[tuple[str, bool]] = []  # (text, inside a table cell)
        self.feed(text)
        self.close()

    def _hidden(self) -> bool:
        return any(hidden for _, hidden, _ in self.stack)

    def _in_cell(self) -> bool:
        return any(cell for _, _, cell in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        language = (attrs.get("lang") or "id").lower()
        hidden = tag in NOT_READ or not language.startswith("id")
        if not self._hidden() and not hidden:
            self.parts += [(attrs[a], self._in_cell()) for a in READ_ATTRIBUTES if attrs.get(a)]
        if tag not in VOID:
            self.stack.append((tag, hidden, tag == "td"))

    def handle_startendtag(self, tag, attrs):
        attrs = dict(attrs)
        if not self._hidden():
            self.parts += [(attrs[a], self._in_cell()) for a in READ_ATTRIBUTES if attrs.get(a)]

    def handle_endtag(self, tag):
        for at in range(len(self.stack) - 1, -1, -1):
            if self.stack[at][0] == tag:
                del self.stack[at:]
                break

    def handle_data(self, data):
        if not self._hidden() and data.strip():
            self.parts.append((data, self._in_cell()))


def visible_text(html: str, cells: bool = True) -> str:
    """The page's readable text, one piece a line; without table cells when `cells` is False."""
    return "\n".join(text for text, in_cell in Visible(html).parts if cells or not in_cell)
