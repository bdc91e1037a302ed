"""Item response theory for one person: theta per scale and the adaptive test (docs/cat.md).

    >>> import attune
    >>> attune.theta({"q1": 4, "q2": 2})                      # the shipped ECR calibration (1..5)
    >>> cat = attune.Cat()                                     # PROMIS-like rules
    >>> step = cat.step([("q19", 4)])                          # {"stop": False, "next_item": "q..", ...}

Every call goes through the same C++ path as the C ABI and WebAssembly, so for the same answers every
binding asks the same items in the same order and gives the same theta. Theta describes answers
relative to the calibration sample; it is not a diagnosis.
"""
from __future__ import annotations

import json
import math
import numbers
from typing import Any, Dict, Iterable, Mapping, Optional, Sequence, Tuple, Union

from . import _core

DEFAULT_CALIBRATION = "ecr-openpsychometrics-1to5"
Answer = Union[Tuple[str, Optional[float]], Mapping[str, Any]]
Rules = Union[None, str, Mapping[str, Any]]

_loaded: Dict[str, "_core.Calibration"] = {}


def load_calibration(id_or_path: str = DEFAULT_CALIBRATION) -> "_core.Calibration":
    """A shipped calibration id or a calibration file; loaded once per process and kept."""
    if id_or_path not in _loaded:
        _loaded[id_or_path] = _core.Calibration.load(id_or_path)
    return _loaded[id_or_path]


def _bank(calibration: Union[str, "_core.Calibration"]) -> "_core.Calibration":
    return calibration if isinstance(calibration, _core.Calibration) else load_calibration(calibration)


def _value(v: Any) -> Any:
    """None for a missing answer (None or NaN); a float for any real number, NumPy's included (json
    cannot write numpy.int64); anything else as given, for the core to refuse with its location."""
    if v is None:
        return None
    if isinstance(v, numbers.Real) and not isinstance(v, bool):
        return None if math.isnan(v) else float(v)
    return v


def theta(answers: Mapping[str, Any], calibration: Union[str, "_core.Calibration"] = DEFAULT_CALIBRATION,
          method: str = "eap") -> Dict[str, Dict[str, float]]:
    """Theta and its SE per scale for one person: {"anxiety": {"theta": t, "se": s, "answered": n}, ...}.

    ``answers`` maps item ids to raw answers on the calibration's response scale (None or NaN: not
    answered). ``method``: "eap" (posterior mean, SE = posterior SD) or "map"."""
    doc = {k: _value(v) for k, v in answers.items()}
    return json.loads(_bank(calibration).theta_json(json.dumps(doc), method))["scales"]


def cat_step(answers: Iterable[Answer], calibration: Union[str, "_core.Calibration"] = DEFAULT_CALIBRATION,
             rules: Rules = None) -> Dict[str, Any]:
    """One stateless step of the adaptive test: from the answers so far (item id, raw response or None
    for skipped), theta and SE per scale and either the next item or stop with the reason.

    ``rules``: None or "promis" (at least 4, at most 12 items per scale, SE below 0.3), or a dict of
    se_target, min_items, max_items, max_total, min_se_change, randomesque, seed."""
    listed = []
    for a in answers:
        item, response = (a["item"], a["response"]) if isinstance(a, Mapping) else a
        listed.append([item, _value(response)])
    request = {"answers": listed, "rules": "promis" if rules is None else rules}
    return json.loads(_bank(calibration).cat_step_json(json.dumps(request)))


class Cat:
    """An adaptive test over one item bank with fixed rules; ``step`` is stateless (see cat_step).

    ``run(respond)`` asks items until the test stops: ``respond(item_id)`` returns the raw answer (or
    None to skip). It returns the last step, with the answers in ``"answers"``."""

    def __init__(self, calibration: Union[str, "_core.Calibration"] = DEFAULT_CALIBRATION, rules: Rules = None):
        self.calibration = _bank(calibration)
        self.rules = rules

    @property
    def item_ids(self) -> Sequence[str]:
        return list(self.calibration.item_ids)

    def step(self, answers: Iterable[Answer]) -> Dict[str, Any]:
        return cat_step(answers, self.calibration, self.rules)

    def run(self, respond) -> Dict[str, Any]:
        answers = []
        while True:
            s = self.step(answers)
            if s["stop"]:
                s["answers"] = answers
                return s
            answers.append((s["next_item"], respond(s["next_item"])))
