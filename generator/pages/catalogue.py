"""Downloads and the data catalogue: every resource as CSV and XLSX, every package as a
zip, the computed package, all with SHA-256 checksums and a citation."""
from __future__ import annotations

import csv
import datetime
import io
import os
import zipfile

import xlsxwriter

from .. import fmt
from ..digests import GENERATOR_CODE, PickleCache, checksum, computed_sums, digest_of
from ..load import bundled
from . import paths
from .models import Page
from .sitedata import SiteData
from ..fmt import neutral
from .tables import Cell, Column, Table

COMPUTED_SCHEMA = os.path.join(os.path.dirname(os.path.dirname(__file__)), "computed_schema.yaml")

ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed: the same data gives the same bytes
XLSX_TIME = datetime.datetime(1980, 1, 1)  # fixed too: a new commit alone does not change an XLSX


def safe_csv(raw: bytes, fields: dict) -> bytes:
    """The resource's CSV with text cells neutralised; numbers untouched."""
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
    header, body = rows[0], rows[1:]
    text_columns = {i for i, name in enumerate(header) if fields.get(name, {}).get("type") == "string"}
    body = [[neutral(c) if i in text_columns else c for i, c in enumerate(row)] for row in body]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header] + body)
    return out.getvalue().encode("utf-8")


class Cache:
    """Downloads keyed by a hash of their inputs: unchanged data is never converted twice."""

    def __init__(self, folder: str | None):
        self.folder = folder
        if folder:
            os.makedirs(folder, exist_ok=True)

    def path(self, key: str) -> str | None:
        return os.path.join(self.folder, key) if self.folder else None

    def has(self, key: str) -> bool:
        return bool(self.folder) and os.path.exists(self.path(key))

    def get(self, key: str, make) -> bytes:
        if self.has(key):
            with open(self.path(key), "rb") as fh:
                return fh.read()
        return store(self.path(key), make())


def store(path: str | None, data: bytes) -> bytes:
    if path:
        with open(path + ".tmp", "wb") as fh:
            fh.write(data)
        os.replace(path + ".tmp", path)
    return data


def xlsx_file(safe: bytes, fields: dict, title: str, cache_path: str | None) -> bytes:
    """Made in a worker process: the XLSX of a (neutralised) CSV, stored in the cache."""
    rows = list(csv.reader(io.StringIO(safe.decode("utf-8"), newline="")))
    return store(cache_path, xlsx_bytes(rows[0], rows[1:], fields, title, XLSX_TIME))


def xlsx_bytes(header: list[str], body: list[list[str]], fields: dict, title: str, stamp) -> bytes:
    """Numbers as numbers; text written as text, never as a formula or link (and already
    neutralised for spreadsheets that re-evaluate). Fixed dates: equal data, equal bytes."""
    raw = io.BytesIO()
    book = xlsxwriter.Workbook(raw, {"constant_memory": True, "strings_to_numbers": False,
                                     "strings_to_formulas": False, "strings_to_urls": False})
    book.set_properties({"created": stamp})
    sheet = book.add_worksheet(title[:31])
    sheet.write_row(0, 0, header)
    kinds = [fields.get(name, {}) for name in header]
    for number, row in enumerate(body, start=1):
        sheet.write_row(number, 0, [typed_cell(value, kind) for value, kind in zip(row, kinds)])
    book.close()
    return raw.getvalue()


def typed_cell(text: str, field: dict):
    if text == "":
        return None
    if field.get("type") == "integer":
        return int(text)
    if field.get("type") == "number":
        return float(text)
    return text


def zip_file(files: dict[str, bytes], cache_path: str | None) -> bytes:
    """Made in a worker process: the zip of these files, stored in the cache."""
    return store(cache_path, zip_files(files))


def zip_of_paths(paths: dict[str, str], cache_path: str | None) -> bytes:
    """Made in a worker process: zip_file of files it reads itself (not sent to it)."""
    return zip_file({name: read_file(path) for name, path in paths.items()}, cache_path)


def zip_files(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, files[name])
    return out.getvalue()


class Downloads:
    """Every download, written into `docs` (a DocsWriter) as it is made; only SHA-256s
    are kept. CSVs and zips are made here; XLSX files, the slow part, in the worker pool;
    `finish` waits for them and returns the digests and catalogue entries. A package
    unchanged since the last build (same descriptor, files and code) reuses its files."""

    def __init__(self, site: SiteData, computed_dir: str, docs, cache_dir: str | None, pool):
        self.digests, self.cache, self.pool, self.docs, self.pending = {}, Cache(cache_dir), pool, docs, []
        self.records = PickleCache(os.path.join(cache_dir, "packages") if cache_dir else None)
        self.made: list[tuple[str, dict]] = []  # records to save once their XLSX files are done
        self.entries = [self.package(p) for p in sorted(site.packages, key=lambda p: (p.year is not None, p.name))]
        sums = computed_sums(computed_dir)  # 145 MB at 170 satkers: linked by their SHA-256s, never read here
        for name, sha in sorted(sums.items()):
            self.digests[f"unduh/hitung-ulang/{name}"] = self.docs.link(f"unduh/hitung-ulang/{name}",
                                                                        os.path.join(computed_dir, name), sha)
        self.cached_or_pooled("unduh/paket-hitung-ulang.zip", zip_key({f"hitung-ulang/{k}": v for k, v in sums.items()}),
                              zip_of_paths, {f"hitung-ulang/{k}": os.path.join(computed_dir, k) for k in sorted(sums)})
        self.reports = report_texts(site)
        for path, data in self.reports.items():
            self.put(path, data)

    def put(self, path: str, data: bytes, record: dict | None = None, cache_key: str = "") -> None:
        self.digests[path] = self.docs.put(path, data)
        if record is not None:
            record["files"][path] = (self.digests[path], cache_key)

    def cached_or_pooled(self, path: str, cache_key: str, job, data, *args, record: dict | None = None) -> None:
        """Put the file cached under `cache_key`, or have a worker make (and cache) it
        with `job(data, *args, cache path)`; finish() puts it then."""
        if self.cache.has(cache_key):
            self.put(path, self.cache.get(cache_key, None), record, cache_key)
        else:
            self.pending.append((path, record, cache_key, self.pool.submit(job, data, *args,
                                                                           self.cache.path(cache_key))))

    def package(self, package) -> dict:
        key = digest_of(GENERATOR_CODE, package.digest)
        record = self.records.get(key)
        if record is None or not self.reuse(record):
            record = self.make(package)
            self.made.append((key, record))
        folder = f"unduh/{package.name}"
        resources = [{"resource": r, "rows": record["rows"][r.name], "fields": r.fields,
                      "csv": f"{folder}/{r.name}.csv", "xlsx": f"{folder}/{r.name}.xlsx"} for r in package.resources]
        return {"package": package, "resources": resources, "zip": f"unduh/paket-{package.name}.zip",
                "descriptor": f"{folder}/datapackage.yaml"}

    def reuse(self, record: dict) -> bool:
        """Keep the files of an unchanged package, or take them from the cache."""
        for path, (sha, cache_key) in record["files"].items():
            if not self.docs.keep(path, sha):
                if not self.cache.has(cache_key):
                    return False
                self.docs.put(path, self.cache.get(cache_key, None))
            self.digests[path] = sha
        return True

    def make(self, package) -> dict:
        folder, record = f"unduh/{package.name}", {"files": {}, "rows": {}}
        descriptor_bytes = bundled(package)  # its shared schemas written in: the download stands alone
        members = {"datapackage.yaml": descriptor_bytes}
        self.cache.get(checksum(descriptor_bytes), lambda: descriptor_bytes)
        for resource in package.resources:
            fields = {f["name"]: f for f in resource.fields}
            raw = open(os.path.join(package.folder, resource.path), "rb").read()
            key = checksum(raw + repr(sorted(fields.items())).encode())  # the CSV bytes and their schema
            data = self.cache.get(key + ".csv", lambda: safe_csv(raw, fields))
            record["rows"][resource.name] = int(self.cache.get(key + ".rows", lambda: str(count_rows(data)).encode()))
            members[resource.path] = data
            self.put(f"{folder}/{resource.name}.csv", data, record, key + ".csv")
            self.cached_or_pooled(f"{folder}/{resource.name}.xlsx", key + ".xlsx", xlsx_file, data, fields,
                                  resource.name, record=record)
        self.put(f"{folder}/datapackage.yaml", descriptor_bytes, record, checksum(descriptor_bytes))
        named = {f"{package.name}/{k}": v for k, v in members.items()}
        self.cached_or_pooled(f"unduh/paket-{package.name}.zip", zip_key({k: checksum(v) for k, v in named.items()}),
                              zip_file, named, record=record)
        return record

    def finish(self) -> tuple[dict[str, str], list[dict]]:
        for path, record, cache_key, future in self.pending:
            self.put(path, future.result(), record, cache_key)
        for key, record in self.made:
            self.records.put(key, record)
        files = self.digests
        self.put("unduh/SHA256SUMS", "".join(f"{files[p]}  {p[len('unduh/'):]}\n" for p in sorted(files)).encode())
        return self.digests, self.entries


def count_rows(csv_bytes: bytes) -> int:
    return sum(1 for _ in csv.reader(io.StringIO(csv_bytes.decode("utf-8"), newline=""))) - 1


def zip_key(sums: dict[str, str]) -> str:
    """The cache key of a zip: its members' names and SHA-256s."""
    return checksum("".join(f"{k}:{v}" for k, v in sorted(sums.items())).encode()) + ".zip"


def read_file(path: str) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()


def citation(package, stamp) -> str:
    descriptor = package.descriptor
    return (f"Tim Portal Kinerja ({stamp.year}). {descriptor['title']} (versi {descriptor.get('version', '1.0.0')}, "
            f"{fmt.date(stamp.date().isoformat())}). Portal Kinerja Imigrasi NTT. Sumber: laporan kinerja (LKjIP) "
            f"satuan kerja imigrasi NTT. Lisensi CC BY 4.0.")


def report_texts(site: SiteData) -> dict[str, bytes]:
    """The source documents: the text of each report in referensi/laporan.csv (laporan/ beside
    the data packages), so a citation can point at the document as well as the data."""
    reference = next(p for p in site.packages if p.year is None)
    folder = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(reference.folder))), "laporan")
    out = {}
    for row in site.reference.get("laporan", []):
        path = os.path.join(folder, row["sumber_file"])
        if os.path.exists(path):
            with open(path, "rb") as fh:
                out[f"unduh/laporan/{row['sumber_file']}"] = fh.read()
    return out


def catalogue_pages(site: SiteData, entries: list[dict], digests: dict[str, str], stamp):
    """(a hash of what the page shows, how to make it) for the catalogue and each package's page."""
    yield (digest_of(repr(sorted(digests.items())), stamp.isoformat(), repr(site.reference.get("laporan"))),
           lambda: catalogue_page(site, entries, digests))
    for entry in entries:
        package = entry["package"]
        files = [entry["zip"], entry["descriptor"]] + [r[kind] for r in entry["resources"] for kind in ("csv", "xlsx")]
        yield (digest_of(package.name, package.digest, stamp.isoformat(), *[digests[f] for f in files]),
               lambda entry=entry: package_page(site, entry, digests, stamp))


def computed_titles() -> dict[str, str]:
    """File name of the computed package -> what it holds, in words."""
    import yaml

    with open(COMPUTED_SCHEMA, encoding="utf-8") as fh:
        spec = yaml.safe_load(fh)
    titles = {f"{name}.csv": f"{resource['title']} (CSV)" for name, resource in spec["resources"].items()}
    return titles | {"datapackage.yaml": "Deskripsi paket dan arti setiap kolom (YAML)",
                     "paket-hitung-ulang.zip": "Semua berkas hasil hitung ulang (zip)"}


def catalogue_page(site: SiteData, entries: list[dict], digests: dict[str, str]) -> Page:
    path = "data/index.md"
    table = Table("paket", "Paket data", [Column("paket", "Paket"), Column("sumber_daya", "Tabel data", "count"),
                                          Column("baris", "Baris", "count"), Column("zip", "Unduh paket (zip)"),
                                          Column("sha", "Sidik jari SHA-256 zip")])
    for entry in entries:
        package = entry["package"]
        label = f"Zip {package.name}"
        table.add({"paket": package.descriptor["title"], "sumber_daya": len(entry["resources"]),
                   "baris": sum(r["rows"] for r in entry["resources"]), "sha": digests[entry["zip"]]},
                  links={"paket": paths.link(paths.package_page(package.name)),
                         "zip": paths.link(entry["zip"])},
                  extra={"zip": Cell(label, os.path.basename(entry["zip"]))})
    titles = computed_titles()
    computed = Table("hitung-ulang", "Paket hasil hitung ulang", [Column("file", "Berkas"), Column("sha", "Sidik jari SHA-256")])
    for name in sorted(p for p in digests if p.startswith("unduh/hitung-ulang/") or p == "unduh/paket-hitung-ulang.zip"):
        base = os.path.basename(name)
        computed.add({"sha": digests[name]}, links={"file": paths.link(name)},
                     extra={"file": Cell(titles.get(base, base), base)})
    reports = Table("laporan-sumber", "Laporan sumber (teks lengkap)", [
        Column("judul", "Laporan"), Column("tahun", "Tahun laporan", "year"), Column("file", "Teks laporan"),
        Column("sha", "SHA-256")])
    for row in site.reference.get("laporan", []):
        name = f"unduh/laporan/{row['sumber_file']}"
        if name in digests:
            reports.add({"judul": row["judul"], "tahun": row["tahun_laporan"], "file": "Unduh teks (TXT)",
                         "sha": digests[name]}, links={"file": paths.link(name)})
    index = Page(path, "Katalog data", "Semua paket data Portal Kinerja untuk diunduh", "catalogue.md.j2",
                 {"sums": paths.link("unduh/SHA256SUMS")}, [table, computed, reports], [])
    return index


def package_page(site: SiteData, entry: dict, digests: dict[str, str], stamp) -> Page:
    package = entry["package"]
    path = paths.package_page(package.name)
    resources = []
    for item in entry["resources"]:
        resource = item["resource"]
        title = resource.descriptor.get("title", "") or resource.name
        dictionary = Table(f"kamus-{resource.name}", f"Kamus data: {title}", [
            Column("name", "Kolom"), Column("type", "Tipe"), Column("unit", "Satuan"), Column("title", "Judul"),
            Column("description", "Keterangan")])
        for field in item["fields"]:
            dictionary.add({k: field.get(k, "") for k in ("title",)},
                           extra=dictionary_cells(site, resource.name, field))
        resources.append({"name": resource.name, "title": resource.descriptor.get("title", ""),
                          "description": resource.descriptor.get("description", ""), "rows": item["rows"],
                          "csv": paths.link(item["csv"]), "xlsx": paths.link(item["xlsx"]),
                          "csv_sha": digests[item["csv"]], "xlsx_sha": digests[item["xlsx"]],
                          "table": dictionary})
    return Page(path, package.descriptor["title"], package.descriptor.get("description", ""),
                "package.md.j2", {"package": package.descriptor, "resources": resources,
                                  "zip": paths.link(entry["zip"]), "zip_sha": digests[entry["zip"]],
                                  "descriptor": paths.link(entry["descriptor"]),
                                  "citation": citation(package, stamp)},
                [r["table"] for r in resources], [], search_boost=0, package=package.name)


def dictionary_cells(site: SiteData, resource: str, field: dict) -> dict[str, Cell]:
    """A column of the data dictionary in words: its name as code, type and unit in
    Indonesian, its description with the names of columns and files as code, and the
    label of each code it may hold (the CSV of the dictionary keeps the codes)."""
    name, kind, unit = field.get("name", ""), field.get("type", ""), field.get("unit", "")
    description = field.get("description", "")
    codes = site.codes(resource, name) if (field.get("constraints") or {}).get("enum") else None
    if codes:
        description = description.rstrip()
        description += (". " if description and not description.endswith(".") else " " if description else "")
        description += "Kode: " + "; ".join(f"{k} = {v}" for k, v in codes.items()) + "."
    return {"name": Cell(name, name, code="all"),
            "type": Cell(site.label("", "type", kind) if kind else "–", kind),
            "unit": Cell(site.label("", "unit", unit) if unit else "–", unit),
            "description": Cell(description, description, code="terms", code_words=tuple(codes or ()))}
