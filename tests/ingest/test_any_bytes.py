"""Whatever bytes arrive, the importer either reads them or fails with its one error."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hackkit.ingest import IngestError, read_table

CSVISH = st.lists(
    st.sampled_from([b",", b";", b"\t", b"\n", b"\r\n", b'"', b"a", b"1", b"2,5", b"\xc3\xa9", b"\xe9", b"NA", b" "]),
    max_size=60,
).map(b"".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=400), CSVISH), suffix=st.sampled_from([".csv", ".json", ".xlsx", ".txt"]))
def test_any_bytes_import_or_fail_with_one_clear_error(tmp_path, data, suffix):
    path = tmp_path / f"input{suffix}"
    path.write_bytes(data)
    try:
        table = read_table(path)
        for _chunk in table.chunks(7):
            pass
    except IngestError as error:
        assert str(error) and "\n" not in str(error)
    # Nothing left behind: reading makes no files next to the input (nor anywhere in its folder).
    assert {p.name for p in tmp_path.iterdir()} <= {f"input{s}" for s in (".csv", ".json", ".xlsx", ".txt")}
