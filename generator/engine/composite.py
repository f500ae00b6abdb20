"""Composite indices: evaluate the tree of a definition (definitions/indeks/*.yaml).

Each node is a weighted sum of its children or a ratio of two inputs. Two values are
computed for every node:
- `full`: from the per-unit tables all the way up (the engine's own index), with 0/0
  components not applicable and treated by the definition's `not_applicable` policy;
- `local`: from the inputs the report prints at that step (its printed numerator and
  denominator, or its children's printed values), which tells whether that step's
  arithmetic holds.

A definition names whose index it is (`satker_id`: one satker or a list, the same tree
for each) and which satkers' rows of the per-unit tables feed it (`scope`: `own_units`,
the satker and the units under it that year, or a list of satker ids). Its root is the
node its `root` names; nothing here assumes a name.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .. import fmt
from .compare import compare
from .data import Data, Row
from .values import NO_DATA, NOT_APPLICABLE, Outcome, divide, first_failure, no_data, not_applicable, parse_number, value

PUBLISHED_RESOURCE = "indeks_komposit"
HIERARCHY = "satker_hierarki"  # reference resource: satker_id, induk_id, tahun_mulai, tahun_selesai
OWN_UNITS = "own_units"  # scope: the satker itself and every unit under it that year
# The only treatments of a not-applicable (0/0) component a definition may declare, with
# the sentence the pages show for each.
NOT_APPLICABLE_POLICIES = {
    "renormalise": "Komponen yang tidak berlaku (0/0) tidak dihitung sebagai 0: bobotnya dibagi ke komponen lain.",
    "zero": "Komponen yang tidak berlaku (0/0) dihitung sebagai 0, seperti dalam laporan.",
}
# Where the report prints a component's value (indeks_komposit.tahap), the printing
# compared with the recomputed value first; and the column of the computed package for each.
PRINTINGS = {"perhitungan": "published_calculation", "tabel_ringkasan": "published_summary_table",
             "teks": "published_text", "konversi": "published_conversion"}
STAGE_WORDS = {"perhitungan": "perhitungan", "tabel_ringkasan": "tabel ringkasan", "teks": "teks",
               "konversi": "konversi", "definisi_bobot": "daftar bobot"}


def satker_ids(definition: dict) -> list[str]:
    """Whose index a definition computes: one satker or a list (the same tree for each)."""
    owners = definition["satker_id"]
    return [owners] if isinstance(owners, str) else list(owners)


def units_under(hierarchy: list[Row], satker_id: str, year: int) -> set[str]:
    """Every unit under a satker in `year` (children, their children, ...), by the
    hierarchy rows in force that year (an empty start or end year is open)."""
    children: dict[str, list[str]] = {}
    for row in hierarchy:
        start, end = row.get("tahun_mulai", ""), row.get("tahun_selesai", "")
        if (start == "" or int(float(start)) <= year) and (end == "" or year <= int(float(end))):
            children.setdefault(row.get("induk_id", ""), []).append(row["satker_id"])
    found, todo = set(), [satker_id]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found and child != satker_id:
                found.add(child)
                todo.append(child)
    return found


def scope_of(definition: dict, satker_id: str, year: int, data: Data) -> frozenset[str]:
    """The satkers whose per-unit rows feed this satker's index in `year`."""
    scope = definition["scope"]
    if scope == OWN_UNITS:
        return frozenset(units_under(data.reference.get(HIERARCHY, []), satker_id, year) | {satker_id})
    return frozenset(scope)


@dataclass
class Tree:
    definition: dict
    year: int
    data: Data
    satker_id: str  # whose index
    scope: frozenset  # satkers whose per-unit rows feed it
    full: dict[str, Outcome] = field(default_factory=dict)
    shares: dict[str, float] = field(default_factory=dict)  # effective weight within the parent
    notes: dict[str, list[str]] = field(default_factory=dict)  # node -> notes for readers (Indonesian)

    @property
    def nodes(self) -> dict:
        return self.definition["nodes"]

    @property
    def root(self) -> str:
        return self.definition["root"]

    def printed(self, node: str) -> list[Row]:
        """Every row of indeks_komposit for this satker, index and component, by line."""
        index = self.data.grouped(self.year, PUBLISHED_RESOURCE, {"satker_id": self.satker_id},
                                  ["indikator_id", "komponen"])
        return sorted(index.get((self.definition["indicator"], node), []), key=lambda r: r["_line"])

    def published(self, node: str, stage: str = "perhitungan") -> Row | None:
        return next((r for r in self.printed(node) if r["tahap"] == stage), None)

    def parent(self, node: str) -> str | None:
        return next((n for n, spec in self.nodes.items() if node in (spec.get("weights") or {})), None)

    def weight(self, node: str) -> float | None:
        parent = self.parent(node)
        return float(self.nodes[parent]["weights"][node]) if parent else None

    def order(self, node: str | None = None) -> list[str]:
        """The nodes from the root down, each followed by its components."""
        node = node or self.root
        return [node] + [n for child in (self.nodes[node].get("weights") or {}) for n in self.order(child)]


def evaluate_trees(definition: dict, year: int, data: Data) -> list[Tree]:
    """The definition's tree for each satker it names, in `year`."""
    return [evaluate_tree(definition, year, data, satker_id) for satker_id in satker_ids(definition)]


def evaluate_tree(definition: dict, year: int, data: Data, satker_id: str | None = None) -> Tree:
    policy = definition["not_applicable"]
    if policy not in NOT_APPLICABLE_POLICIES:  # validation reports it with its place; never a silent default
        raise ValueError(f"not_applicable: unknown policy {policy!r}")
    satker_id = satker_id or satker_ids(definition)[0]
    tree = Tree(definition, year, data, satker_id, scope_of(definition, satker_id, year, data))
    evaluate_full(tree, tree.root)
    return tree


def evaluate_full(tree: Tree, node: str) -> Outcome:
    spec = tree.nodes[node]
    if "weights" in spec:
        children = {child: evaluate_full(tree, child) for child in spec["weights"]}
        outcome = weighted(spec["weights"], children, tree.definition["not_applicable"], tree, node)
    else:
        numerator = table_input(tree, node, "numerator", "pembilang")
        denominator = table_input(tree, node, "denominator", "penyebut")
        ratio, scale, cap = divide(numerator, denominator), tree.definition.get("scale", 100), spec.get("cap")
        outcome = scaled(ratio, scale, cap)
        if ratio.status == NOT_APPLICABLE:
            what = "0/0" if numerator.value == 0 else "pembagian dengan nol"
            tree.notes.setdefault(node, []).append(f"tidak berlaku ({what})")
        elif ratio.ok and cap is not None and ratio.value * scale > cap:
            tree.notes.setdefault(node, []).append(f"dibatasi paling tinggi {cap:g} (tanpa batas: "
                                                   f"{ratio.value * scale:.2f})".replace(".", ","))
    if outcome.status == NO_DATA:
        tree.notes.setdefault(node, []).append("tidak dapat dihitung ulang: masukan tidak ada dalam data")
    tree.full[node] = outcome
    return outcome


def weighted(weights: dict, children: dict[str, Outcome], policy: str, tree: Tree, node: str) -> Outcome:
    failed = [o for o in children.values() if o.status != "ok"]
    if any(o.status == "no_data" for o in failed):
        return first_failure(failed)
    applicable = {c: float(w) for c, w in weights.items() if children[c].ok}
    skipped = [c for c in weights if c not in applicable]
    if policy == "zero":  # the reports' own treatment: a 0/0 component counts as 0
        applicable = {c: float(w) for c, w in weights.items()}
        children = {c: (o if o.ok else value(0)) for c, o in children.items()}
    total = sum(applicable.values())
    if not applicable or total == 0:
        tree.notes.setdefault(node, []).append("tidak berlaku: tidak satu pun komponennya berlaku")
        return not_applicable("tidak satu pun komponennya berlaku")
    for child, weight in applicable.items():
        tree.shares[child] = weight / total
    for child in weights:
        tree.shares.setdefault(child, 0.0)
    result = sum(children[c].value * w for c, w in applicable.items()) / total
    if not skipped:
        return Outcome(result)
    zero = policy == "zero"
    note = f"{', '.join(skipped)} tidak berlaku (0/0): {'dihitung 0' if zero else 'bobotnya dibagi ke komponen lain'}"
    tree.notes.setdefault(node, []).append(note)
    return Outcome(result, note=note)


def scaled(ratio: Outcome, scale: float, cap) -> Outcome:
    if not ratio.ok:
        return ratio
    result = ratio.value * scale
    if cap is not None and result > cap:
        return Outcome(float(cap), note=f"dibatasi paling tinggi {cap:g}")
    return value(result)


def table_input(tree: Tree, node: str, which: str, printed_column: str) -> Outcome:
    """An input of a ratio: a sum or count over the rows of a per-unit table that belong to
    the index's scope, or the printed value."""
    spec = tree.nodes[node][which]
    if spec == "published":
        row = tree.published(node)
        number = parse_number(row.get(printed_column)) if row else None
        return value(number) if number is not None else no_data(f"{node}: {printed_column} tidak dicetak")
    by_satker = tree.data.grouped(tree.year, spec["resource"], spec.get("where"), ["satker_id"])
    rows = sorted((r for satker_id in tree.scope for r in by_satker.get((satker_id,), [])),
                  key=lambda r: r["_line"])  # in file order, as the sum was always taken
    if spec.get("count"):
        return value(len(rows))
    cells = [r.get(c, "") for r in rows for c in spec["sum"]]
    numbers = [float(c) for c in cells if c != ""]
    if not numbers:
        return no_data(f"{node}: tidak ada baris {spec['resource']} yang berisi {', '.join(spec['sum'])}")
    return value(sum(numbers))


def printed_against_recomputed(tree: Tree, node: str) -> dict:
    """The component's printed values (one per kind of printing, the first of each by line),
    and the comparison (compare()) of the first printing in PRINTINGS order with the value
    recomputed from the per-unit tables."""
    out = {column: None for column in PRINTINGS.values()}
    out |= {"compared_printing": "", "published_value": None, "difference": None, "within_rounding": None,
            "comparison": "not_published"}
    rows = [r for r in tree.printed(node) if r["tahap"] in PRINTINGS and r.get("nilai", "") != ""]
    for stage, column in PRINTINGS.items():
        first = next((r for r in rows if r["tahap"] == stage), None)
        out[column] = parse_number(first["nilai"]) if first else None
    compared = min(rows, key=lambda r: (list(PRINTINGS).index(r["tahap"]), r["_line"]), default=None)
    if compared is None:
        return out
    result = compare(compared["nilai"], tree.full[node])
    return out | {"compared_printing": compared["tahap"], "published_value": float(compared["nilai"]),
                  "difference": result["difference"], "within_rounding": result["within_rounding"],
                  "comparison": result["status"]}


def local_value(tree: Tree, node: str) -> Outcome:
    """The node recomputed from the inputs printed at its own step."""
    spec = tree.nodes[node]
    if "weights" in spec:
        parts = []
        for child, weight in spec["weights"].items():
            row = tree.published(child)
            printed = parse_number(row.get("nilai")) if row else None
            parts.append((float(weight), value(printed) if printed is not None else tree.full[child]))
        failed = first_failure([o for _, o in parts])
        if failed:
            return failed
        return value(sum(w * o.value for w, o in parts) / sum(w for w, _ in parts))
    row = tree.published(node)
    numerator = parse_number(row.get("pembilang")) if row else None
    denominator = parse_number(row.get("penyebut")) if row else None
    if numerator is None or denominator is None:
        return tree.full[node]
    outcome = scaled(divide(value(numerator), value(denominator)), tree.definition.get("scale", 100),
                     spec.get("cap"))
    if outcome.status == NOT_APPLICABLE:
        return Outcome(None, NOT_APPLICABLE, f"{outcome.note} (laporan menghitungnya sebagai 0)")
    return outcome


def contribution_to_root(tree: Tree, node: str) -> float | None:
    """Points of the root index this node adds (its value times its effective weights)."""
    outcome = tree.full.get(node)
    if outcome is None or not outcome.ok:
        return None
    share, current = 1.0, node
    while tree.parent(current):
        share *= tree.shares.get(current, 0.0)
        current = tree.parent(current)
    return outcome.value * share


def indicator_name(tree: Tree) -> str:
    found = tree.data.indicator(tree.definition["indicator"])
    return found["nama"] if found and found.get("nama") else tree.definition["indicator"]


def consistency(tree: Tree) -> list[dict]:
    """One record per printed value of indeks_komposit for this index and year."""
    from .checks import record

    indicator = tree.definition["indicator"]
    out = []
    rows = tree.data.rows(tree.year, PUBLISHED_RESOURCE, {"indikator_id": indicator, "satker_id": tree.satker_id})
    for row in sorted(rows, key=lambda r: r["_line"]):
        node = row["komponen"]
        if node not in tree.nodes:
            continue
        label = f"{indicator_name(tree)} {node} ({STAGE_WORDS.get(row['tahap'], row['tahap'])})"

        def add(check_id, title, column, outcome):
            if row.get(column, "") != "":
                check = {"id": check_id, "title": title}
                out.append(record(check, tree.year, row, column, row[column], outcome, tree.data,
                                  figure=f"{title}: {label}"))

        add("indeks-nilai", "Nilai komponen dari masukan yang dicetak", "nilai", local_value(tree, node))
        if row["tahap"] == "perhitungan":
            add("indeks-dari-data", "Nilai komponen dihitung ulang dari tabel per satker", "nilai", tree.full[node])
        weight = tree.weight(node)
        add("indeks-bobot", "Bobot komponen menurut definisi", "bobot_persen",
            value(weight) if weight is not None else no_data(f"{node} adalah indeks itu sendiri: tidak punya bobot"))
        printed_value = parse_number(row.get("nilai"))
        printed_weight = parse_number(row.get("bobot_persen"))
        term = (value(printed_value * printed_weight / 100) if None not in (printed_value, printed_weight)
                else no_data("baris ini tidak mencetak nilai atau bobot"))
        add("indeks-nilai-tertimbang", "Nilai tertimbang = nilai x bobot", "nilai_tertimbang", term)
        for which, column in (("numerator", "pembilang"), ("denominator", "penyebut")):
            spec = tree.nodes[node].get(which)
            if spec is None:
                continue
            outcome = (no_data("tidak ada tabel per satker yang memuat hitungan ini: dipakai seperti dicetak") if spec == "published"
                       else table_input(tree, node, which, column))
            add("indeks-masukan", f"Masukan ({column}) = jumlah tabel per satker", column, outcome)
    out += weight_sums(tree, rows)
    return out


def weight_sums(tree: Tree, rows: list[Row]) -> list[dict]:
    """Weights the report prints in a component list must sum to 100 %."""
    from .checks import record

    out = []
    for parent, spec in tree.nodes.items():
        children = list((spec.get("weights") or {}))
        printed = [r for r in rows if r["tahap"] == "definisi_bobot" and r["komponen"] in children]
        if not children or len(printed) != len(children):
            continue
        total = sum(float(r["bobot_persen"]) for r in printed)
        first = min(printed, key=lambda r: r["_line"])
        check = {"id": "indeks-jumlah-bobot", "title": "Bobot komponen yang dicetak berjumlah 100 %"}
        result = record(check, tree.year, first, "bobot_persen", f"{total:g}", value(100.0), tree.data,
                        figure=f"Bobot komponen {parent} yang dicetak berjumlah 100 %: {indicator_name(tree)}")
        result["explanation"] = f"bobot {', '.join(children)} yang dicetak berjumlah {fmt.number(total)} %"
        out.append(result)
    return out
