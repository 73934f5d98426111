"""The glass box explains a raw data point as the run sees it: features appended, then scaling."""

from __future__ import annotations

import numpy as np
import pytest

from engine.errors import EngineError
from playground.document import build, glassbox
from playground.document.csv_import import ImportChoice, csv_project, dataset_from_table
from playground.document.examples import example_path
from playground.document.fileformat import loads_document
from tests.document.test_csv_import import table


def scaled_project():
    spec, _ = dataset_from_table(table(), ImportChoice(["input", "input", "ignore", "target"],
                                                       scaling="minmax"))
    doc = csv_project(spec, [3], "tanh", "people")
    for k, c in enumerate(doc.connections.values()):
        c.weight = 0.1 * (k + 1)
    return doc


@pytest.mark.parametrize("make", [scaled_project,
                                  lambda: loads_document(example_path("circle-features").read_text())])
def test_a_raw_point_is_explained_as_the_network_reads_it(make) -> None:
    doc = make()
    job = build.training_job(doc)
    raw = job.data.X_train[0]
    ex = glassbox.explain_example(doc, raw.tolist()).explanation
    seen = job.prep.apply(raw.reshape(1, -1))[0]
    np.testing.assert_allclose(ex.inputs, seen)  # the input neurons show what the network reads
    np.testing.assert_allclose(ex.outputs, build.predict(doc, [raw.tolist()])[0], rtol=1e-6)
    assert list(ex.target) == job.data.Y_train[0].tolist()  # the raw point is found in the data


def test_an_input_of_the_networks_width_is_refused_when_features_are_added() -> None:
    doc = loads_document(example_path("circle-features").read_text())
    n = build.training_job(doc).compiled.spec.n_inputs
    with pytest.raises(EngineError, match="reads 2 data columns"):
        glassbox.explain_example(doc, [0.0] * n, [1.0])
