"""Links between pages: our fast relpath gives exactly what posixpath.relpath gives."""
import posixpath

from hypothesis import given, strategies as st

from generator.pages import paths

SEGMENT = st.sampled_from(["satker", "kanim-kupang", "2025", "unduh", "a", "b", "index.html", "x.csv"])
PATH = st.builds(lambda parts, slash: "/".join(parts) + ("/" if parts and slash else ""),
                 st.lists(SEGMENT, max_size=5), st.booleans())


@given(PATH, PATH)
def test_relpath_matches_posixpath(goal, base):
    assert paths.relpath(goal, base) == posixpath.relpath(goal or ".", base or ".")


def linked(source, target):
    """The href a page built from `source` gets for a link to `target`."""
    return paths.resolve(f'<a href="{paths.link(target)}">', source)[len('<a href="'):-2]


def test_relative_links_between_pages():
    assert linked("satker/kanim-kupang/2025.md", "satker/kanim-kupang/index.md") == "../"
    assert linked("index.md", "satker/kanim-kupang/2025.md") == "satker/kanim-kupang/2025/"
    assert linked("kualitas-data/2025.md", "unduh/2025/pegawai.csv") == "../../unduh/2025/pegawai.csv"
    assert linked("data/index.md", "data/index.md") == "./"
    assert linked("satker/kanim-kupang/2025.md", "index.md") == "../../../"
    assert linked("index.md", "index.md") == "./"


def test_only_site_links_are_resolved():
    """Text that merely looks like a link, escaped as the templates escape data, stays as it is."""
    page = '<p>href=&quot;pk:satker/&quot;</p><a href="https://pk.example/">x</a><img src="pk:grafik/a.svg">'
    assert paths.resolve(page, "tahun/2025.md") == \
        '<p>href=&quot;pk:satker/&quot;</p><a href="https://pk.example/">x</a><img src="../../grafik/a.svg">'
