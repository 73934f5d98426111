"""The CSV reader: detection, roles, classes, regression, and one clear message per bad input."""

from __future__ import annotations

import numpy as np
import pytest

from engine.csvdata import CsvError, dataset_csv, default_roles, read_table, table_arrays
from engine.errors import EngineError
from engine.features import FEATURES, Preprocess, Preprocessed, fit, with_features

FLOWERS = "length;width;kind\n1.5;0.2;setosa\n4.7;1.4;versicolor\n6.0;2.5;virginica\n1.4;0.3;setosa\n"


def refused(data: bytes, **kw) -> str:
    with pytest.raises(CsvError) as info:
        table = read_table(data, **{k: v for k, v in kw.items() if k in ("delimiter", "header")})
        table_arrays(table, kw.get("roles") or default_roles(table), kw.get("kind", "auto"))
    message = str(info.value)
    assert "\n" not in message and message
    return message


def test_delimiter_header_and_bom_are_detected_and_overridable() -> None:
    for bom, enc in ((b"", "utf-8"), (b"\xef\xbb\xbf", "utf-8-sig")):
        t = read_table(bom + FLOWERS.encode())
        assert (t.delimiter, t.has_header, t.encoding) == (";", True, enc)
        assert t.header == ("length", "width", "kind")
        assert t.rows[0] == ["1.5", "0.2", "setosa"] and t.lines == [2, 3, 4, 5]
    t = read_table(FLOWERS.encode("utf-16"))
    assert t.encoding == "utf-16" and t.header[0] == "length"
    t = read_table(FLOWERS.replace(";", "\t").encode())
    assert t.delimiter == "\t"
    t = read_table(FLOWERS.encode(), header=False)  # overridden: the names become a data row
    assert t.header == ("column 1", "column 2", "column 3") and t.rows[0] == ["length", "width", "kind"]
    t = read_table(b"1,2,3\n4,5,6\n")
    assert not t.has_header and len(t.rows) == 2
    t = read_table("a,b,y\n1,2,caf\xe9\n3,4,th\xe9\n".encode("cp1252"))  # a spreadsheet's default
    assert t.encoding == "cp1252" and t.rows[0][2] == "café"
    t = read_table(b'a,b,y\n"1",2,"x, with a comma"\n3,4,"say ""hi"""\n')
    assert t.rows[0][2] == "x, with a comma" and t.rows[1][2] == 'say "hi"'


def test_every_column_role_and_text_classes() -> None:
    t = read_table(FLOWERS.encode())
    assert default_roles(t) == ["input", "input", "target"]
    a = table_arrays(t, ["input", "ignore", "target"])
    assert a.task == "multiclass" and a.input_names == ("length",)
    assert a.class_names == ("setosa", "versicolor", "virginica") == a.output_names
    np.testing.assert_array_equal(a.X, [[1.5], [4.7], [6.0], [1.4]])
    np.testing.assert_array_equal(a.Y.argmax(axis=1), [0, 1, 2, 0])
    assert a.class_counts == (2, 1, 1)
    binary = table_arrays(read_table(b"x,y\n1,no\n2,yes\n3,no\n"), ["input", "target"])
    assert binary.task == "binary" and binary.class_names == ("no", "yes")
    np.testing.assert_array_equal(binary.Y[:, 0], [0, 1, 0])
    with pytest.raises(CsvError, match="choose at least one input column"):
        table_arrays(t, ["ignore", "ignore", "target"])
    with pytest.raises(CsvError, match="choose a target column"):
        table_arrays(t, ["input", "input", "ignore"])


def test_numeric_target_is_regression_unless_classes_are_asked_for() -> None:
    t = read_table(b"x,y\n1,10\n2,2\n3,10\n")
    a = table_arrays(t, ["input", "target"])
    assert a.task == "regression" and a.Y[:, 0].tolist() == [10, 2, 10]
    c = table_arrays(t, ["input", "target"], "classes")
    assert c.task == "binary" and c.class_names == ("2", "10")  # numeric order, not "10" < "2"
    np.testing.assert_array_equal(c.Y[:, 0], [1, 0, 1])
    with pytest.raises(CsvError, match="line 3, column 'y': 'b' is not a number"):
        table_arrays(read_table(b"x,y\n1,2\n2,b\n"), ["input", "target"], "regression")


def test_bad_input_cells_are_named_by_line_and_column_or_dropped() -> None:
    data = b"a,b,y\n1,2,p\n3,,q\n5,six,p\n7,8,q\n9,1e400,p\n"
    message = refused(data)
    assert message == "line 3, column 'b': the cell is empty (2 more rows like it; you can drop such rows)"
    t = read_table(data)
    a = table_arrays(t, default_roles(t), drop_bad_rows=True)
    assert a.dropped_lines == (3, 4, 6)
    np.testing.assert_array_equal(a.X, [[1, 2], [7, 8]])
    assert refused(b"a,y\n1,p\nnan,q\n") == \
        "line 3, column 'a': 'nan' is not a finite number (you can drop such rows)"
    assert "'1e400' is not a finite number" in refused(b"a,y\n1e400,p\n2,q\n", roles=["input", "target"])
    with pytest.raises(CsvError, match="every row has a missing or bad cell"):
        table_arrays(read_table(b"a,y\nx,p\nz,q\n", header=True), ["input", "target"], drop_bad_rows=True)


def test_each_malformed_file_gets_its_one_message() -> None:
    assert refused(b"") == "the file is empty"
    assert refused(b"\n \n") == "the file is empty"
    assert refused(b"a,b,y\n") == "the file has a header but no data rows"
    assert refused(b"a,b,y\n1,2,p\n3,q\n") == "line 3: 2 values, but the header has 3 columns"
    assert refused(b"a,b\n1,x\n2,x\n") == \
        "the target column 'b' holds only one class ('x'): nothing to tell apart"
    assert refused(b"a,a,y\n1,2,p\n") == "line 1: the column name 'a' appears twice"
    assert refused(b"a,y\n1," + b"9" * 200_000 + b"\n").startswith("line 2: a value is longer than")
    assert "NUL" in refused(b"a,y\n1,\x00p\n2,q\n")
    many = "a,y\n" + "".join(f"{k},c{k}\n" for k in range(150))
    assert "150 different values; at most 100 classes" in refused(many.encode())
    with pytest.raises(CsvError, match="data rows; the limit is 3"):
        read_table(b"a,y\n1,p\n2,q\n3,p\n4,q\n", max_rows=3)
    with pytest.raises(CsvError, match="not valid utf-8 text"):
        read_table(b"a\xff,y\n1,2\n", encoding="utf-8")


def test_dataset_csv_reads_back_to_the_same_rows() -> None:
    X = np.array([[0.1, -2.0], [3.0, 1e-9], [5.5, 6.0]])
    Y = np.array([[0.0], [1.0], [1.0]])
    text = dataset_csv(X[:2], Y[:2], X[2:], Y[2:], "binary", ("a", "b"), ("label",), ("no", "yes"))
    t = read_table(text.encode())
    assert t.header == ("a", "b", "label", "split")
    a = table_arrays(t, ["input", "input", "target", "ignore"])
    np.testing.assert_array_equal(a.X, X)  # repr() writes every float exactly
    np.testing.assert_array_equal(a.Y, Y)
    assert [r[3] for r in t.rows] == ["train", "train", "test"]


def test_features_are_the_registry_functions_of_the_raw_columns() -> None:
    X = np.array([[1.0, 2.0], [-3.0, 0.5]])
    out = with_features(X, list(FEATURES))
    np.testing.assert_allclose(out, [[1, 2, 1, 4, 2, np.sin(1), np.sin(2)],
                                     [-3, 0.5, 9, 0.25, -1.5, np.sin(-3), np.sin(0.5)]])
    with pytest.raises(Exception, match="need 2-D data; this data has 3 input columns"):
        with_features(np.zeros((2, 3)), ["x1_squared"])
    with pytest.raises(Exception, match="unknown feature 'x3'"):
        with_features(X, ["x3"])


def test_scaling_is_fitted_on_the_training_rows_and_reused_exactly() -> None:
    rng = np.random.default_rng(0)
    train, new = rng.normal(5, 3, (50, 2)), rng.normal(5, 3, (7, 2))
    p = fit(train, ["x1_x2"], "standardise")
    Z = p.apply(train)
    np.testing.assert_allclose(Z.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(Z.std(axis=0), 1)
    full = np.column_stack([new, new[:, 0] * new[:, 1]])
    np.testing.assert_allclose(p.apply(new), (full - full_mean(train)) / full_std(train))
    m = fit(train, (), "minmax").apply(train)
    assert m.min() == 0 and m.max() == 1
    constant = fit(np.ones((4, 2)), (), "standardise")
    assert constant.scale == (1.0, 1.0)  # no division by zero

    class Echo:  # a learner that shows what it is given
        def forward(self, X):
            return X

    np.testing.assert_array_equal(Preprocessed(Echo(), p).forward(new), p.apply(new))
    assert Preprocess().identity and not p.identity


def full_mean(X: np.ndarray) -> np.ndarray:
    return np.column_stack([X, X[:, 0] * X[:, 1]]).mean(axis=0)


def full_std(X: np.ndarray) -> np.ndarray:
    return np.column_stack([X, X[:, 0] * X[:, 1]]).std(axis=0)


@pytest.mark.parametrize("method", [{"a": 1}, ["standardise"], 3, None])
def test_a_damaged_scaling_method_is_an_engine_error_not_a_type_error(method) -> None:
    """JSON gives lists and objects where a name belongs: each is refused in the file's words."""
    from engine.features import preprocess_from_dict

    record = {"features": [], "scaling": {"method": method, "offset": [0.0], "scale": [1.0]}}
    with pytest.raises(EngineError, match=r"\$\.preprocess\.scaling"):
        preprocess_from_dict(record, 1)
    if method is not None:
        with pytest.raises(EngineError, match="unknown scaling"):
            fit(np.zeros((3, 1)), (), method)
