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


def test_relative_links_between_pages():
    assert paths.relative("satker/kanim-kupang/2025.md", "satker/kanim-kupang/index.md") == "../"
    assert paths.relative("index.md", "satker/kanim-kupang/2025.md") == "satker/kanim-kupang/2025/"
    assert paths.relative("kualitas-data/2025.md", "unduh/2025/pegawai.csv") == "../../unduh/2025/pegawai.csv"
    assert paths.relative("data/index.md", "data/index.md") == "./"
