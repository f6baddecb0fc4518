"""Bad input exits with status 2 and names the field, never a traceback."""

from __future__ import annotations

import pytest

FINDING = {"id": "a", "side": "left", "diameter_mm": 2.0}


@pytest.mark.parametrize(
    ("verb", "request_body", "field"),
    [
        ("plan", {"patient": {}, "findings": [{**FINDING, "diameter_mm": -1}]}, "findings[0].diameter_mm"),
        ("plan", {"patient": {"weight_kg": 0}, "findings": [FINDING]}, "patient.weight_kg"),
        ("plan", {"patient": {"conditions": ["gout"]}, "findings": [FINDING]}, "patient.conditions[0]"),
        ("plan", {"patient": {}, "findings": [{**FINDING, "region": "elbow"}]}, "findings[0].region"),
        ("screen", {"patient": {"conditions": ["gout"]}}, "patient.conditions[0]"),
        ("triage", {"symptom": "bruising", "days_since_treatment": -3}, "days_since_treatment"),
        ("triage", {"symptom": "hiccups", "days_since_treatment": 3}, "symptom"),
        ("ceap", {"signs": ["freckles"]}, "signs[0]"),
        ("vcss", {"items": {"pain": 4}}, "items.pain"),
        (
            "check-session",
            {
                "patient": {},
                "injections": [
                    {"agent": "polidocanol", "form": "gel", "concentration_percent": 1, "volume_ml": 1}
                ],
            },
            "injections[0].form",
        ),
    ],
)
def test_bad_input_exits_2_naming_the_field(run, write_json, verb, request_body, field):
    result = run(verb, write_json(request_body))
    assert result.code == 2
    assert f"error: {field}: " in result.err
    assert "Traceback" not in result.err
    assert result.out == ""


def test_every_error_gets_its_own_line(run, write_json):
    request = {"patient": {"weight_kg": 0, "age_years": -1}, "findings": [{**FINDING, "diameter_mm": -1}]}
    lines = run("plan", write_json(request)).err.splitlines()
    assert [line.split(":")[1].strip() for line in lines] == [
        "patient.age_years",
        "patient.weight_kg",
        "findings[0].diameter_mm",
    ]


def test_an_unknown_symptom_names_the_known_ones(run, write_json):
    result = run("triage", write_json({"symptom": "hiccups", "days_since_treatment": 3}))
    assert result.code == 2
    assert "hiccups" in result.err
    assert "bruising" in result.err


def test_invalid_json_exits_2_with_its_position(run, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"patient": ')
    result = run("plan", str(path))
    assert result.code == 2
    assert result.err.startswith(f"error: {path} is not valid JSON: Expecting value at line 1 column 13")


def test_invalid_json_on_standard_input_exits_2(run):
    result = run("triage", "-", stdin="symptom=bruising")
    assert result.code == 2
    assert result.err.startswith("error: - is not valid JSON")


def test_a_missing_file_exits_2(run, tmp_path):
    result = run("plan", str(tmp_path / "nope.json"))
    assert result.code == 2
    assert "error: cannot read" in result.err
    assert "No such file or directory" in result.err


def test_a_file_that_is_not_text_exits_2(run, tmp_path):
    path = tmp_path / "scan.json"
    path.write_bytes(b"\xff\xfe\x00\x81")
    result = run("plan", str(path))
    assert result.code == 2
    assert "is not UTF-8 text" in result.err


def test_a_request_that_is_not_an_object_exits_2(run, write_json):
    result = run("plan", write_json([1, 2, 3]))
    assert result.code == 2
    assert "error: expected a JSON object, got list" in result.err


def test_a_protocol_directory_that_does_not_exist_exits_2(run, tmp_path):
    result = run("ceap", "-", "--protocol", str(tmp_path / "nowhere"), stdin='{"signs": []}')
    assert result.code == 2
    assert result.err == f"error: --protocol: {tmp_path / 'nowhere'} is not a directory\n"


def test_a_missing_clinic_file_exits_2(run, tmp_path):
    result = run("ceap", "-", "--clinic", str(tmp_path / "clinic.yaml"), stdin='{"signs": []}')
    assert result.code == 2
    assert result.err == "error: clinic.yaml: file is missing\n"


def test_an_unknown_verb_exits_2_with_usage(run, capsys):
    with pytest.raises(SystemExit) as exit_:
        run("prescribe")
    assert exit_.value.code == 2
    assert "invalid choice: 'prescribe'" in capsys.readouterr().err
