import math

import pytest

import attune

# Hand-computed (ECR-R: anxiety = mean of q1..q18 with q9, q11 reversed as 8 - x; avoidance = mean of
# q19..q36 with q20 q22 q26..q31 q33..q36 reversed). q1 = 7, q9 = 3, q11 = 1, other anxiety items 5,
# every avoidance item 2:
#   anxiety = (7 + 7*5 + (8-3) + 5 + (8-1) + 7*5) / 18 = 94/18; avoidance = (6*2 + 12*(8-2)) / 18 = 84/18.
# No norms: midpoint 4, unit 3 -> a = 11/27, v = 6/27; fearful = (a+v)/sqrt2, anxious = (a-v)/sqrt2.
ANSWERS = {f"q{i}": (7 if i == 1 else 3 if i == 9 else 1 if i == 11 else 5 if i <= 18 else 2) for i in range(1, 37)}


def test_one_person_hand_values():
    r = attune.score(ANSWERS, "ecr-r")
    assert r.raw("anxiety") == pytest.approx(94 / 18, abs=1e-12)
    assert r.raw("avoidance") == pytest.approx(84 / 18, abs=1e-12)
    assert r.dimensions["fearful"] == pytest.approx(17 / 27 / math.sqrt(2), abs=1e-12)
    assert r.dimensions["secure"] == pytest.approx(-17 / 27 / math.sqrt(2), abs=1e-12)
    assert r.dimensions["anxious"] == pytest.approx(5 / 27 / math.sqrt(2), abs=1e-12)
    assert r.category == "fearful"
    assert r.confidence is None  # ECR-R ships no reliability: no error model for a confidence
    assert r.method == "quadrant"
    assert "not a diagnosis" in r.disclaimer


def test_positions_and_missing():
    # By position number (int or str) and None for missing: same scores when q17 is dropped:
    # anxiety = (94 - 5) / 17.
    by_pos = {int(k[1:]): v for k, v in ANSWERS.items()}
    by_pos[17] = None
    r = attune.score(by_pos, "ecr-r")
    assert r.raw("anxiety") == pytest.approx(89 / 17, abs=1e-12)
    assert r.scales["anxiety"]["answered"] == 17


def test_data_scale_rescale_keying():
    # Collected on 1..5: reversed items are 6 - x. All anxiety items 2 except q9 = 4 (6-4 = 2) and
    # q11 = 2 (6-2 = 4): (16*2 + 2 + 4) / 18 = 38/18.
    ans = {f"q{i}": 2 if i <= 18 else 3 for i in range(1, 37)}
    ans["q9"] = 4
    r = attune.score(ans, "ecr-r", data_scale=(1, 5))
    assert r.raw("anxiety") == pytest.approx(38 / 18, abs=1e-12)


def test_json_text_and_list():
    assert "ecr-r" in attune.list_instruments()
    r = attune.score('{"q1": 7, "q2": 5}', "ecr-r")
    assert r.scales["anxiety"]["answered"] == 2
    assert r.raw("anxiety") is None  # 2 of 18 answered, fewer than 15
