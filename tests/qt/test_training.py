"""Live training in the window: the worker, its controls, live views, and the weights it commits."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import time

import numpy as np
import pytest
from PySide6.QtCore import QSettings, QTimer

import playground.document.compile as compiler
from engine.mlp import MLP
from engine.perceptron import Perceptron
from engine.trainer import Snapshot, run
from playground.document import build
from playground.document.examples import example_path
from playground.document.fileformat import document_to_data, load_document
from playground.main_window import MainWindow
from playground.training.extras import PlotExtras, extras_for
from playground.training.mailbox import Mailbox
from playground.training.process_runner import ProcessRunner
from playground.training.runner import TrainingRunner
from tests.qt.conftest import open_window


@pytest.fixture(params=["process", "thread"])
def trainer_window(request, qtbot, settings):
    win = open_window(qtbot, settings, request.param)
    yield win
    win.training.stop()


def wait_for_epochs(qtbot, win, epochs: int, timeout: int = 20000) -> None:
    qtbot.waitUntil(lambda: win.training.history.epochs >= epochs, timeout=timeout)


def start_long_run(win, qtbot, example: str = "spiral", epochs: int = 5) -> None:
    """Open an example, lift its epoch cap, press play and wait until the worker publishes."""
    win.open_example(example)
    win.controller.set_training(epochs=100_000)
    win.training.play()
    wait_for_epochs(qtbot, win, epochs)


def test_play_pause_resume_stop_commits_one_undo_step(trainer_window, qtbot) -> None:
    win = trainer_window
    start_long_run(win, qtbot, epochs=20)
    assert win.act_play.text() == "&Pause"
    win.training.pause()
    qtbot.wait(300)
    paused_at = win.training.history.epochs
    qtbot.wait(400)
    assert win.training.history.epochs <= paused_at + 1  # a paused loop trains no more
    assert win.training.state == "paused"
    win.training.play()
    wait_for_epochs(qtbot, win, paused_at + 5)
    steps = len(win.controller.stack.entries)
    win.training.stop()
    assert win.training.state == "idle"
    assert len(win.controller.stack.entries) == steps + 1
    assert win.controller.stack.undo_text.startswith("Train ")
    assert all(c.weight is not None for c in win.controller.doc.connections.values())
    # the loss curve has every epoch, however many frames were skipped
    xs = win.training.history.train.x
    np.testing.assert_array_equal(xs, np.arange(1, len(xs) + 1))
    win.controller.undo()
    assert all(c.weight is None for c in win.controller.doc.connections.values())


def test_the_gui_thread_keeps_serving_timer_ticks_while_training(trainer_window, qtbot) -> None:
    win = trainer_window
    start_long_run(win, qtbot)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(16)
    # not starved: ticks keep coming while it trains (lateness is for benchmarks/gui_bench.py);
    # waited for rather than counted in a fixed time, so a loaded machine only makes it slower
    qtbot.waitUntil(lambda: len(ticks) > 20, timeout=20000)
    timer.stop()
    assert win.training.state == "running"
    win.training.stop()
    assert len(win.training.history.train.x) > 0


def test_structural_edit_stops_the_run_and_keeps_surviving_weights(trainer_window, qtbot) -> None:
    win = trainer_window
    start_long_run(win, qtbot, "xor", 10)
    win.controller.add_neuron("hidden", (500, 500))
    assert win.training.state == "idle"
    entries = win.controller.stack.entries
    assert entries[-2].startswith("Train ") and entries[-1] == "Add hidden neuron"
    assert all(c.weight is not None for c in win.controller.doc.connections.values())


def test_learning_rate_applies_live_without_stopping(trainer_window, qtbot) -> None:
    win = trainer_window
    start_long_run(win, qtbot)
    win.training_panel.editor("learning_rate").input.setValue(0.005)
    assert win.training.state == "running"
    assert win.controller.doc.training.learning_rate == 0.005
    assert "Applied live" in win.statusBar().currentMessage()


def test_divergence_pauses_with_last_finite_weights_and_explains(trainer_window, qtbot) -> None:
    win = trainer_window
    win.open_example("regression-plane")
    doc = win.controller.doc
    win.controller.set_training(learning_rate=100.0, optimizer="sgd")
    for n in list(doc.neurons.values()):
        if n.role == "hidden":
            win.controller.set_neuron(n.id, activation="linear")
    win.training.play()
    qtbot.waitUntil(lambda: win.training.state == "paused", timeout=20000)
    assert win.act_play.text() == "&Play"
    assert win.errors_shown and "too high" in win.errors_shown[-1] and "try a learning rate of 10" in \
        win.errors_shown[-1] and "paused" in win.errors_shown[-1]
    weights, _ = win.training.live_values()
    assert all(np.isfinite(w) for w in weights.values())  # the canvas shows the last finite weights
    paused_at = win.training.history.epochs
    win.controller.set_training(learning_rate=0.001)  # applied live to the paused run
    win.training.play()  # goes on from there
    assert win.training.state == "running"
    qtbot.waitUntil(lambda: win.training.history.epochs > paused_at + 20, timeout=20000)
    win.training.stop()
    assert win.training.state == "idle"
    assert all(np.isfinite(c.weight) for c in doc.connections.values())
    assert win.controller.stack.undo_text.startswith("Train")


def test_closing_the_window_during_training_exits_cleanly(qtbot, tmp_path) -> None:
    win = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    win.ask_save_changes = lambda: "discard"
    qtbot.addWidget(win)
    win.show()
    start_long_run(win, qtbot)
    assert win.close()
    assert not win.training.runner.running


def test_same_seed_gives_bit_identical_weights_to_the_headless_cli(trainer_window, qtbot, tmp_path) -> None:
    win = trainer_window
    win.open_example("xor")
    win.controller.set_training(epochs=300)
    win.training.play()
    qtbot.waitUntil(lambda: win.training.state == "idle", timeout=20000)
    app_weights = [c.weight for c in win.controller.doc.connections.values()]
    out = tmp_path / "cli.json"
    subprocess.run([sys.executable, "-m", "playground", "train", "xor", "--epochs", "300", "--out", str(out)],
                   check=True, capture_output=True)
    cli_weights = [c.weight for c in load_document(out).connections.values()]
    assert app_weights == cli_weights  # exact float equality


def test_step_epoch_step_sample_and_reset_to_the_same_initial_weights(trainer_window, qtbot) -> None:
    win = trainer_window
    win.open_example("xor")
    win.training.step_epoch()
    assert win.controller.stack.undo_text == "Train 1 epoch"
    first = document_to_data(win.controller.doc)["connections"]
    win.training.step_sample()
    assert win.controller.stack.undo_text == "Train on sample 1"
    win.training.reset(same_initial=True)
    win.training.step_epoch()
    assert document_to_data(win.controller.doc)["connections"] == first  # replayed exactly
    seed = win.controller.doc.training.seed
    win.training.reset()
    assert win.controller.doc.training.seed == seed + 1
    assert all(c.weight is None for c in win.controller.doc.connections.values())


def test_space_toggles_play_and_pause(trainer_window, qtbot) -> None:
    from PySide6.QtCore import Qt

    win = trainer_window
    win.open_example("spiral")
    win.controller.set_training(epochs=100_000)
    win.view.setFocus()
    qtbot.keyClick(win.view, Qt.Key.Key_Space)
    assert win.training.state == "running"
    wait_for_epochs(qtbot, win, 3)
    qtbot.keyClick(win.view, Qt.Key.Key_Space)
    assert win.training.state == "paused"


def test_live_views_follow_snapshots(trainer_window, qtbot) -> None:
    win = trainer_window
    start_long_run(win, qtbot, epochs=30)
    qtbot.wait(300)
    assert win.output_plot.boundary.image.image is not None
    assert win.output_plot.boundary.image.image.shape == (50, 50)
    hidden = [i for i in win.scene.neurons.values() if i.role == "hidden"]
    assert all(i.thumbnail is not None for i in hidden)
    assert "epochs/s" in win.train_label.text()
    wire = next(iter(win.scene.wires.values()))
    assert "weight: not set" not in wire.toolTip()  # the overlay shows live weights
    assert all(c.weight is None for c in win.controller.doc.connections.values())  # doc untouched


def test_mailbox_merges_unread_snapshots_without_losing_points() -> None:
    from engine.spec import TrainedValues

    box = Mailbox()

    def snap(first: int, n: int, extras: PlotExtras) -> Snapshot:
        losses = np.arange(first, first + n, dtype=float)
        return Snapshot(first + n - 1, first, losses, losses * np.nan, None, 0.0, TrainedValues((), ()),
                        extras)

    grid1, grid2, neurons = np.zeros((1, 2, 2)), np.ones((1, 2, 2)), np.full((3, 2, 2), 0.5)
    assert box.put(snap(1, 3, PlotExtras(grid=grid1, neurons=neurons))) is True
    assert box.put(snap(4, 2, PlotExtras(grid=grid2))) is False  # the GUI was already told
    merged = box.take()
    assert merged.first_epoch == 1 and list(merged.train_losses) == [1, 2, 3, 4, 5]
    # the newer decision grid wins; the per-neuron maps (made less often) are not lost
    assert merged.extras.grid is grid2 and merged.extras.neurons is neurons
    assert merged.extras.confusion is None
    assert box.take() is None


def test_the_worker_makes_per_neuron_maps_a_few_times_a_second_and_for_the_last_frame() -> None:
    prepared = build.prepare_training(load_document(example_path("spiral")))
    clock = iter([0.0, 0.05, 0.1, 0.25, 0.3, 0.35]).__next__
    extras = extras_for(prepared.session.data, clock=clock)
    finals = (False, False, False, False, True)
    made = [extras(prepared.session, final).neurons is not None for final in finals]
    assert made == [True, False, False, True, True]
    assert extras(prepared.session, False).grid.shape == (1, 50, 50)  # one map per output


def test_other_problems_show_curves_and_confusion(qtbot, tmp_path) -> None:
    win = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat), runner="thread")
    win.ask_save_changes = lambda: "discard"
    qtbot.addWidget(win)
    win.show()
    win.open_example("iris")
    win.training.step_epoch()
    assert win.output_plot.currentWidget() is win.output_plot.scores
    assert win.output_plot.scores.matrix.image is not None
    win.open_example("line-fit")
    win.training.step_epoch()
    assert win.output_plot.currentWidget() is win.output_plot.curve
    xs, _ = win.output_plot.curve.curve.getData()
    assert len(xs) == 200
    win.open_example("perceptron-and")
    win.training.step_epoch()
    assert win.output_plot.boundary.lines  # the separating line
    assert "of 4 training samples misclassified" in win.train_label.text()
    json.dumps(document_to_data(win.controller.doc))


def run_job(qtbot, runner_class, job: build.TrainingJob):
    """One job through a runner, as the controller drives it: its last snapshot and its result."""
    runner = runner_class()
    snaps = []
    runner.progress.connect(snaps.append)
    with qtbot.waitSignal(runner.finished, timeout=30000) as finished:
        runner.start(job)
    return snaps[-1], finished.args[0]


def test_process_and_thread_runners_train_one_job_to_the_same_weights(qtbot) -> None:
    doc = load_document(example_path("spiral"))
    doc.training = dataclasses.replace(doc.training, epochs=40)
    job = build.training_job(doc)
    headless = build.build_run(job)
    run(headless.session, headless.options)
    (p_snap, p_result), (t_snap, t_result) = (run_job(qtbot, c, job) for c in (ProcessRunner, TrainingRunner))
    assert p_result.epochs == t_result.epochs == 40
    assert p_snap.finished and t_snap.finished
    assert p_snap.values == t_snap.values == headless.session.values()  # exact float equality
    np.testing.assert_array_equal(p_snap.extras.grid, t_snap.extras.grid)


@pytest.mark.parametrize(("runner", "learners"), [("process", 0), ("thread", 1)])
def test_play_compiles_once_and_builds_the_learner_only_where_it_trains(
        qtbot, tmp_path, monkeypatch, runner: str, learners: int) -> None:
    win = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat), runner=runner)
    win.ask_save_changes = lambda: "discard"
    qtbot.addWidget(win)
    win.open_example("xor")
    win.controller.set_training(epochs=200)
    initial = build.initial_values(build.training_job(win.controller.doc))
    counts = {"compile": 0, "dataset": 0, "learner": 0}

    def counting(key, function):
        def wrapper(*args, **kwargs):
            counts[key] += 1
            return function(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(compiler, "compile_network", counting("compile", compiler.compile_network))
    monkeypatch.setattr(build, "build_dataset", counting("dataset", build.build_dataset))
    for cls in (MLP, Perceptron):
        monkeypatch.setattr(cls, "from_spec", classmethod(counting("learner", cls.from_spec.__func__)))
    win.training.play()
    qtbot.waitUntil(lambda: win.training.state == "idle", timeout=20000)
    assert win.controller.stack.undo_text.startswith("Train ")
    assert counts == {"compile": 1, "dataset": 1, "learner": learners}
    win.training.reset(same_initial=True)  # the one learner it builds now: the start values
    weights = [c.weight for c in win.controller.doc.connections.values()]
    assert weights == list(initial.weights)


def test_a_project_that_cannot_train_says_why_before_a_run_starts(trainer_window, qtbot) -> None:
    win = trainer_window
    win.open_example("perceptron-and")
    win.controller.set_dataset(load_document(example_path("regression-plane")).dataset)
    problems = []
    win.training.problem.connect(lambda title, text: problems.append((title, text)))
    win.training.play()
    assert problems == [("Cannot train yet", "a perceptron classifies: choose a classification dataset")]
    assert win.training.state == "idle" and not win.training.runner.running


def test_a_neurons_hover_text_shows_its_live_bias_while_training(trainer_window, qtbot) -> None:
    win = trainer_window
    start_long_run(win, qtbot, example="xor", epochs=30)
    qtbot.waitUntil(lambda: win.training.live_values() is not None, timeout=10000)
    _, biases = win.training.live_values()
    nid = next(iter(biases))
    qtbot.waitUntil(lambda: "random at start" not in win.scene.neurons[nid].toolTip(), timeout=5000)
    assert "bias: " in win.scene.neurons[nid].toolTip()
    win.training.stop()


def test_a_hovered_neurons_map_covers_the_same_plane_as_the_boundary(trainer_window, qtbot) -> None:
    win = trainer_window
    start_long_run(win, qtbot, example="spiral", epochs=10)
    boundary = win.output_plot.boundary
    qtbot.waitUntil(lambda: boundary.image.image is not None, timeout=10000)
    image = boundary.image
    plane = image.mapRectToParent(image.boundingRect())
    boundary.show_neuron(np.zeros((24, 24)))  # a neuron's thumbnail map, smaller than the grid
    assert image.image.shape[:2] == (24, 24)
    assert image.mapRectToParent(image.boundingRect()) == plane
    boundary.show_neuron(None)
    assert image.mapRectToParent(image.boundingRect()) == plane
    win.training.stop()


def test_each_sample_step_shows_its_loss_and_the_new_boundary(trainer_window, qtbot) -> None:
    win = trainer_window
    messages: list[str] = []
    win.training.message.connect(messages.append)
    win.open_example("xor")
    boundary = win.output_plot.boundary
    for k in range(1, 4):
        win.training.step_sample()
        xs, ys = win.training.history.train.x, win.training.history.train.y
        assert len(xs) == k and xs[-1] == pytest.approx(k / 4)  # a quarter epoch per sample of 4
        assert f"sample {k} of 4: loss" in messages[-1]
        assert f"{ys[-1]:.4g}" in messages[-1]
    assert boundary.image.image is not None  # the boundary of the weights after the step
    before = boundary.image.image.copy()
    win.training.step_sample()
    assert not np.array_equal(boundary.image.image, before)  # it moved with the step


def test_the_perceptron_verdict_stays_on_the_plot_and_in_the_status_line(trainer_window, qtbot) -> None:
    win = trainer_window
    win.open_example("perceptron-xor")
    win.training.play()
    qtbot.waitUntil(lambda: win.training.state == "idle", timeout=20000)
    verdict = win.output_plot.verdict
    assert verdict.isVisible() and verdict.text().startswith("Not linearly separable")
    assert "convex hulls overlap" in verdict.text() and win.train_label.text() == verdict.text()
    win.open_example("perceptron-and")
    assert not verdict.isVisible()
    win.training.play()
    qtbot.waitUntil(lambda: win.training.state == "idle", timeout=20000)
    assert verdict.isVisible() and verdict.text().startswith("Converged after")


def test_sample_steps_start_at_sample_1_after_reset_and_in_a_new_document(trainer_window) -> None:
    win = trainer_window
    messages: list[str] = []
    win.training.message.connect(messages.append)
    win.open_example("spiral")
    win.training.step_sample()
    win.training.step_sample()
    assert "sample 2 of" in messages[-1]
    win.training.reset()
    win.training.step_sample()
    assert "sample 1 of" in messages[-1]
    win.open_example("xor")
    win.training.step_sample()
    assert "sample 1 of 4" in messages[-1]


def test_a_setting_that_is_not_live_keeps_the_run_going_and_says_when_it_applies(trainer_window,
                                                                               qtbot) -> None:
    win = trainer_window
    messages: list[str] = []
    win.training.message.connect(messages.append)
    start_long_run(win, qtbot, epochs=10)
    other = "momentum" if win.controller.doc.training.optimizer != "momentum" else "sgd"
    win.controller.set_training(optimizer=other, learning_rate=0.02)
    assert win.training.state == "running"
    assert "Applied live: learning rate 0.02" in messages[-1]
    assert f"optimizer {other} applies from the next run" in messages[-1]
    win.training.stop()
    assert "Stopped after" in messages[-1] and "stopped" in messages[-1]


CONTINUED = {"optimizer": "adam", "learning_rate": 0.05, "batch_size": 2, "shuffle": True}


def _weights_after(win, qtbot, plan: list[str]) -> list[float]:
    """xor with Adam and shuffled mini-batches, trained by a user's sequence of presses:
    "play:N" (Play with an epoch cap of N, until it ends) or "step" (Step one Epoch)."""
    win.open_example("xor")
    win.controller.set_training(**CONTINUED)
    for press in plan:
        if press == "step":
            win.training.step_epoch()
        else:
            win.controller.set_training(epochs=int(press.split(":")[1]))
            win.training.play()
            qtbot.waitUntil(lambda: win.training.state == "idle", timeout=20000)
    assert win.training.epoch_offset == 30
    return [c.weight for c in win.controller.doc.connections.values()] + \
        [n.bias for n in win.controller.doc.neurons.values()]


def test_steps_and_stop_play_pieces_train_like_one_run_and_the_cli(trainer_window, qtbot, tmp_path) -> None:
    """Issue 12 item 2: the shuffle stream and Adam's moments continue across runs and steps."""
    win = trainer_window
    whole = _weights_after(win, qtbot, ["play:30"])
    assert _weights_after(win, qtbot, ["step"] * 30) == whole  # exact float equality
    assert _weights_after(win, qtbot, ["play:12", "step", "play:17"]) == whole
    out = tmp_path / "cli.json"
    subprocess.run([sys.executable, "-m", "playground", "train", "xor", "--epochs", "30", "--optimizer",
                    "adam", "--learning-rate", "0.05", "--batch-size", "2", "--shuffle", "true",
                    "--out", str(out)], check=True, capture_output=True)
    cli = load_document(out)
    assert [c.weight for c in cli.connections.values()] + [n.bias for n in cli.neurons.values()] == whole
    win.training.reset()  # only Reset starts afresh: new weights, a fresh optimizer and stream
    assert win.training.states == {}


def test_a_sample_step_continues_adams_memory_and_the_next_epoch_continues_it(trainer_window) -> None:
    win = trainer_window
    win.open_example("xor")
    win.controller.set_training(**CONTINUED)
    win.training.step_epoch()  # two batches of two: Adam's step count is 2
    win.training.step_sample()
    start = build.training_job(win.controller.doc).compiled.spec.values()
    state = win.training.states[start]
    assert int(state.slots["t"]) == 3  # the sample step was Adam's third step, not a cold first
    win.training.step_epoch()
    start = build.training_job(win.controller.doc).compiled.spec.values()
    assert int(win.training.states[start].slots["t"]) == 5
