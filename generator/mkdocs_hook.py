"""MkDocs hook: put each page's pre-rendered HTML blocks (tables, charts) in place.

The generator writes a page as short Markdown (headings, prose) with a placeholder
comment for each table or chart, and the blocks themselves beside it in
`<page>.md.blocks.json`. Injecting them into the finished page keeps large HTML out of
Python-Markdown and out of the search indexer, which together cost most of a build's
time on table-heavy pages; it also keeps table cells out of the search index.
"""
from __future__ import annotations

import json
import logging
import os
import re

SERVE = "PORTAL_SERVE"  # set by `portal serve`: the generator's arguments, as JSON
log = logging.getLogger("mkdocs.portal")


def on_pre_build(config, **kwargs) -> None:
    """Under `portal serve`, bring build/docs up to date before each (dirty) rebuild: an
    edited CSV is validated, recomputed and its pages rewritten, all from the caches."""
    job = os.environ.get(SERVE)
    if not job:
        return
    from mkdocs.exceptions import PluginError

    from generator.build import run_build
    from generator.messages import say

    stats, problems = run_build(**json.loads(job), progress=log.info, publish=False)
    for problem in problems:
        log.error(str(problem))
    if problems:
        raise PluginError(say("serve.problems", count=len(problems)))
    log.info(say("serve.rebuilt", pages=stats["pages_rendered"], files=stats["files_changed"]))


PLACEHOLDER = re.compile(r"<!--pk-block:(\d+)-->")
SUFFIX = ".blocks.json"


def on_post_page(output: str, page, config) -> str:
    path = os.path.join(config["docs_dir"], page.file.src_uri + SUFFIX)
    if not os.path.exists(path):
        return output
    with open(path, encoding="utf-8") as fh:
        blocks = json.load(fh)
    return PLACEHOLDER.sub(lambda m: blocks[int(m.group(1))], output)
