"""Reading settings from the environment: a bad value stops start-up with a message naming the variable."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from reintegrate.env import env_bool, env_int, env_list, env_str


@pytest.mark.parametrize("raw", ["true", "TRUE", "True", "1", "yes", "Yes", "on", " true "])
def test_env_bool_reads_true_in_any_case(monkeypatch, raw):
    monkeypatch.setenv("REINTEGRATE_FLAG", raw)

    assert env_bool("REINTEGRATE_FLAG", False) is True


@pytest.mark.parametrize("raw", ["false", "FALSE", "False", "0", "no", "NO", "off"])
def test_env_bool_reads_false_in_any_case(monkeypatch, raw):
    monkeypatch.setenv("REINTEGRATE_FLAG", raw)

    assert env_bool("REINTEGRATE_FLAG", True) is False


@pytest.mark.parametrize("default", [True, False])
def test_env_bool_uses_the_default_when_the_variable_is_missing_or_blank(monkeypatch, default):
    monkeypatch.delenv("REINTEGRATE_FLAG", raising=False)
    assert env_bool("REINTEGRATE_FLAG", default) is default

    monkeypatch.setenv("REINTEGRATE_FLAG", "  ")
    assert env_bool("REINTEGRATE_FLAG", default) is default


@pytest.mark.parametrize("raw", ["maybe", "2", "y", "truthy"])
def test_env_bool_refuses_anything_else_and_names_the_variable(monkeypatch, raw):
    monkeypatch.setenv("REINTEGRATE_FLAG", raw)

    with pytest.raises(ImproperlyConfigured) as error:
        env_bool("REINTEGRATE_FLAG", False)

    assert "REINTEGRATE_FLAG" in str(error.value)
    assert repr(raw) in str(error.value)


def test_env_int_reads_a_whole_number(monkeypatch):
    monkeypatch.setenv("REINTEGRATE_NUMBER", " 42 ")

    assert env_int("REINTEGRATE_NUMBER", 7) == 42


def test_env_int_uses_the_default_when_the_variable_is_missing_or_blank(monkeypatch):
    monkeypatch.delenv("REINTEGRATE_NUMBER", raising=False)
    assert env_int("REINTEGRATE_NUMBER", 7) == 7

    monkeypatch.setenv("REINTEGRATE_NUMBER", "")
    assert env_int("REINTEGRATE_NUMBER", 7) == 7


@pytest.mark.parametrize("raw", ["ten", "4.5", "1e3"])
def test_env_int_refuses_what_is_not_a_whole_number_and_names_the_variable(monkeypatch, raw):
    monkeypatch.setenv("REINTEGRATE_NUMBER", raw)

    with pytest.raises(ImproperlyConfigured, match="REINTEGRATE_NUMBER must be a whole number"):
        env_int("REINTEGRATE_NUMBER", 7)


@pytest.mark.parametrize("raw", ["5", "10"])
def test_env_int_accepts_its_bounds(monkeypatch, raw):
    monkeypatch.setenv("REINTEGRATE_NUMBER", raw)

    assert env_int("REINTEGRATE_NUMBER", 7, minimum=5, maximum=10) == int(raw)


def test_env_int_refuses_a_number_below_the_minimum(monkeypatch):
    monkeypatch.setenv("REINTEGRATE_NUMBER", "4")

    with pytest.raises(ImproperlyConfigured, match="REINTEGRATE_NUMBER must be at least 5; got 4"):
        env_int("REINTEGRATE_NUMBER", 7, minimum=5, maximum=10)


def test_env_int_refuses_a_number_above_the_maximum(monkeypatch):
    monkeypatch.setenv("REINTEGRATE_NUMBER", "11")

    with pytest.raises(ImproperlyConfigured, match="REINTEGRATE_NUMBER must be at most 10; got 11"):
        env_int("REINTEGRATE_NUMBER", 7, minimum=5, maximum=10)


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("REINTEGRATE_HOSTS", " school.example , ,www.school.example,")

    assert env_list("REINTEGRATE_HOSTS", ["localhost"]) == ["school.example", "www.school.example"]


def test_env_list_uses_a_copy_of_the_default_when_the_variable_is_missing(monkeypatch):
    monkeypatch.delenv("REINTEGRATE_HOSTS", raising=False)
    default = ["localhost"]

    hosts = env_list("REINTEGRATE_HOSTS", default)
    hosts.append("changed")

    assert hosts == ["localhost", "changed"]
    assert default == ["localhost"]


def test_env_str_reads_the_variable_or_the_default(monkeypatch):
    monkeypatch.delenv("REINTEGRATE_SECRET_FILE", raising=False)
    monkeypatch.setenv("REINTEGRATE_SECRET", "from-the-environment")
    assert env_str("REINTEGRATE_SECRET", "default") == "from-the-environment"

    monkeypatch.delenv("REINTEGRATE_SECRET")
    assert env_str("REINTEGRATE_SECRET", "default") == "default"


@pytest.mark.parametrize("raw", ["", "   "])
def test_env_str_treats_a_blank_variable_as_unset(monkeypatch, raw):
    monkeypatch.delenv("REINTEGRATE_SECRET_FILE", raising=False)
    monkeypatch.setenv("REINTEGRATE_SECRET", raw)

    assert env_str("REINTEGRATE_SECRET", "default") == "default"


def test_env_str_reads_a_secret_from_the_file_named_by_name_file(monkeypatch, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("from-a-file\n", encoding="utf-8")
    monkeypatch.setenv("REINTEGRATE_SECRET", "from-the-environment")
    monkeypatch.setenv("REINTEGRATE_SECRET_FILE", str(secret))

    assert env_str("REINTEGRATE_SECRET", "default") == "from-a-file"


def test_env_str_names_the_variable_when_its_file_cannot_be_read(monkeypatch, tmp_path):
    monkeypatch.setenv("REINTEGRATE_SECRET_FILE", str(tmp_path / "missing.txt"))

    with pytest.raises(ImproperlyConfigured, match="REINTEGRATE_SECRET_FILE names a file that cannot be read"):
        env_str("REINTEGRATE_SECRET")
