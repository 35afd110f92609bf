"""The batched typing pass (pyarrow kernels for plain numbers) guesses exactly what the
value-by-value pass guesses: same candidates, ranges, counts, longest value and probe."""

from __future__ import annotations

import random

import pytest

from hackkit.ingest import batch_typing, read_table, text
from hackkit.ingest import columns as cols
from hackkit.ingest import geometry as geo

pytest.importorskip("pyarrow")

SHAPES = [
    "0", "7", "42", "-7", "-0", "+5", "007", "123456789012345678", "9223372036854775808", "99999999999999999999",
    "51.2194", "-0.5", "0.25", "1.234", "12.345.678", "1.234,5", "3,14", "1,234.5", "1e5", ".5", "5.",
    "20210131", "20210230", "19991231", "2021-01-31", "31/01/2021", "2021-01-31 08:30", "04/30/2019 11:00:00 PM",
    "3 mrt 2016", "true", "nee", "x", ".", "n.v.t.", "NA", " ", "", "-", "  42  ", "\t7\x1f", "café", "cafÃ©",
    "١٢٣", "１２", "12\u00a0345", "…", "1 234", "0x1F", "Infinity", "nan", "1_000",
]  # fmt: skip
POINTS = ["POINT (4.4 51.2)", '{"type": "Point", "coordinates": [4.4, 51.2]}', "4.4:51.2|4.5:51.3"]


def one_by_one(values: list[str | None]) -> tuple[cols.TypeGuesser, geo.ShapeProbe, int]:
    guesser, probe, repaired = cols.TypeGuesser(), geo.ShapeProbe(), 0
    for raw in values:
        if raw is None:
            continue
        value = text.repair(raw)
        repaired += value is not raw and value != raw
        if cols.is_missing(value):
            continue
        guesser.add(value.strip())
        probe.add(value)
    return guesser, probe, repaired


def batched(values: list[str | None], size: int, masks: bool = False) -> tuple[cols.TypeGuesser, geo.ShapeProbe, int]:
    """With `masks`, the plain numbers of each batch are found first, as the reading thread
    finds them (batch_typing.plain_masks)."""
    guesser, probe, repaired = cols.TypeGuesser(), geo.ShapeProbe(), 0

    def slow(raw: str) -> None:
        nonlocal repaired
        value = text.repair(raw)
        repaired += value is not raw and value != raw
        if not cols.is_missing(value):
            guesser.add(value.strip())

    for start in range(0, len(values), size):
        batch = batch_typing.as_array(values[start : start + size])
        mask = batch_typing.plain_masks([batch])[0] if masks else None
        batch_typing.add_column(guesser, probe, batch, slow, mask)
    return guesser, probe, repaired


def state(guesser: cols.TypeGuesser, probe: geo.ShapeProbe, repaired: int):
    ranges = {k: [float(v) for v in low_high] for k, low_high in guesser.ranges.items() if k in guesser.candidates}
    integral = {k: v for k, v in guesser.integral.items() if k in guesser.candidates}
    return (
        guesser.result(),
        guesser.number_range(),
        sorted(guesser.candidates),
        ranges,
        integral,
        # Flags matter only while their candidate survives (the order of values may differ).
        (guesser.all_midnight, guesser.all_excel_day) if "datetime" in guesser.candidates else None,
        guesser.all_midnight_words if {"datetime_us12", "datetime_words"} & guesser.candidates else None,
        (guesser.seen, guesser.soft_missing, guesser.max_length),
        (probe.checked, probe.hits, probe.bounds, probe.rings),
        repaired,
    )


@pytest.mark.parametrize("seed", range(60))
def test_a_mixed_column_gets_the_same_guess_both_ways(seed):
    rng = random.Random(seed)
    pool = rng.sample(SHAPES, rng.randint(1, 6)) + ([rng.choice(POINTS)] if seed % 7 == 0 else [])
    numbers = [str(rng.randint(-(10**6), 10**6)), f"{rng.uniform(-90, 90):.6f}", str(rng.randint(0, 10**17))]
    values = [rng.choice(pool + numbers[: rng.randint(0, 3)]) for _ in range(rng.randint(1, 700))]
    values += [None] * (seed % 3)
    rng.shuffle(values)
    size = rng.choice([1, 7, 250, 5000])
    assert state(*batched(values, size)) == state(*one_by_one(values))
    assert state(*batched(values, size, masks=True)) == state(*one_by_one(values))


@pytest.mark.parametrize(
    "values",
    [
        ["20210131", "19991231", "20000229"],  # yyyymmdd stays possible
        ["20210131", "20210230"],  # one impossible day rules it out
        ["1.234", "12.345", "-1.000"],  # thousands with a comma locale: still a candidate
        ["1.234", "51.2194"],
        ["1.234.567.890.123.456.789.012", "1.234"],  # beyond 64 bits as thousands
        ["0", "-0", "18", "-999999999999999999"],
        ["  12 ", "\x1c13\x1d", "x", "."],
        ["2024-01-31", "2024-02-29", " 0001-12-31 "],  # ISO dates counted in C
        ["2024-01-31", "2023-02-29"],  # not a day: value by value
        ["2024-01-31", "0000-01-01"],
        ["2024-01-31", "2024-1-5", "20240131", "x", "2024-01-31 00:00"],
    ],
)
def test_edge_columns_get_the_same_guess_both_ways(values):
    assert state(*batched(values, 2)) == state(*one_by_one(values))
    assert state(*batched(values, 2, masks=True)) == state(*one_by_one(values))


def test_a_csv_typed_in_batches_reads_like_before(tmp_path, monkeypatch):
    rows = ["id;amount;day;code;place;note"]
    rng = random.Random(3)
    for i in range(3000):
        amount = f"{rng.randint(0, 9999)},{rng.randint(0, 99):02d}" if i % 50 else "x"
        rows.append(f"{i};{amount};2024-01-{1 + i % 28:02d};0{i % 9}{i % 7};{4.3 + i / 1e4:.4f}:{51.2:.4f};café {i}")
    path = tmp_path / "mixed.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    fast = read_table(path)
    monkeypatch.setattr(batch_typing, "available", lambda: False)
    slow = read_table(path)
    assert fast.report == slow.report
    assert [c.__dict__ for c in fast.columns] == [c.__dict__ for c in slow.columns]
    assert [(c.name, c.type, c.fmt) for c in fast.columns][:4] == [
        ("id", "integer", "dot"),
        ("amount", "number", "comma"),
        ("day", "date", "ymd"),
        ("code", "text", None),
    ]


def test_rows_converted_in_batches_are_the_rows_converted_one_by_one(tmp_path, monkeypatch):
    rng = random.Random(8)
    ints = ["0", "-0", "7", "-12", " 42 ", "NA", "", "x", "123456789012345678", "9223372036854775807"]
    numbers = ["0.5", "-0.0", "-0", "3", "-7", "1e5", " 2.25\t", "n.v.t.", ".", "-", "51.219400", "1,234.5"]
    lines = ["whole;amount;kommagetal;label"]
    for i in range(1200):
        comma = rng.choice(["1,5", "-2,25", "3", "-4", "1.234,5", ""])
        lines.append(f"{rng.choice(ints)};{rng.choice(numbers)};{comma};café {i % 7}")
    lines.append("5")  # a short record: the other columns are empty
    path = tmp_path / "numbers.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def read():
        table = read_table(path)
        return [(c.name, c.type, c.fmt) for c in table.columns], [
            {k: repr(v) for k, v in row.items()} for chunk in table.chunks(500) for row in chunk
        ]

    fast = read()
    monkeypatch.setattr(batch_typing, "available", lambda: False)
    assert read() == fast
    assert [kind for _, kind, _ in fast[0]] == ["integer", "number", "number", "text"]
    assert {row["amount"] for row in fast[1]} >= {"-0.0", "0.0", "100000.0", "2.25", "None"}


def test_coordinates_placed_in_batches_are_placed_as_one_by_one(tmp_path, monkeypatch):
    rng = random.Random(11)
    lines = ["naam;lat;lon;x;y"]
    for i in range(2500):
        lat = rng.choice([f"{rng.uniform(51.1, 51.3):.6f}", "", "NA", "95.5", "51,2", "-0", " 51.2 "])
        lon = rng.choice([f"{rng.uniform(4.3, 4.5):.6f}", "4", "-181.0", "x"])
        x = rng.choice([f"{rng.uniform(140000, 160000):.2f}", "152000", ""])
        y = rng.choice([f"{rng.uniform(200000, 220000):.2f}", "211000", "?"])
        lines.append(f"plek {i};{lat};{lon};{x};{y}")
    path = tmp_path / "places.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    fast = read_table(path)
    monkeypatch.setattr(batch_typing, "available", lambda: False)
    slow = read_table(path)
    assert fast.report == slow.report and fast.geometry == slow.geometry
    assert fast.geometry is not None and fast.geometry["placed"] > 1000
