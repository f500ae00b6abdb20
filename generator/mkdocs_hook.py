"""MkDocs hook: put each page's pre-rendered HTML blocks (tables, charts) in place.

The generator writes a page as short Markdown (headings, prose) with a placeholder
comment for each table or chart, and the blocks themselves beside it in
`<page>.md.blocks.json`. Injecting them into the finished page keeps large HTML out of
Python-Markdown and out of the search indexer, which together cost most of a build's
time on table-heavy pages; it also keeps table cells out of the search index.
"""
from __future__ import annotations

import json
import os
import re

PLACEHOLDER = re.compile(r"<!--pk-block:(\d+)-->")
SUFFIX = ".blocks.json"


def on_post_page(output: str, page, config) -> str:
    path = os.path.join(config["docs_dir"], page.file.src_uri + SUFFIX)
    if not os.path.exists(path):
        return output
    with open(path, encoding="utf-8") as fh:
        blocks = json.load(fh)
    return PLACEHOLDER.sub(lambda m: blocks[int(m.group(1))], output)
