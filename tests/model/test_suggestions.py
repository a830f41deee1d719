"""The one "did you mean" of every message (``lync_pchat.model.text.did_you_mean``): difflib's close matches
(docs.python.org/3/library/difflib.html#difflib.get_close_matches: at most ``n``, ratio at least ``cutoff``, best
first), an exact match under the fold alone, the choice's own spelling in the message."""

from __future__ import annotations

from lync_pchat.model.text import did_you_mean, time_zone_problem


def test_a_close_key_is_suggested_with_what_follows() -> None:
    assert did_you_mean("namePrefx", ["namePrefix", "sites"], after=" ") == "did you mean 'namePrefix'? "


def test_nothing_when_nothing_is_close() -> None:
    assert did_you_mean("zzz", ["namePrefix", "sites"], after=" ") == ""


def test_an_exact_match_under_the_fold_is_the_only_suggestion_in_its_own_spelling() -> None:
    sizes = ["Standard_D4s_v5", "Standard_D4s_v6", "Standard_D8s_v5"]
    assert did_you_mean("standard_d4s_v5", sizes, n=2, cutoff=0.8, fold=str.lower) == "did you mean 'Standard_D4s_v5'?"


def test_at_most_n_close_choices_best_first() -> None:
    found = did_you_mean("westeurop", ["westeurope", "westus", "northeurope", "westus2"], n=2, cutoff=0.6)
    assert found == "did you mean 'westeurope' or 'westus'?"  # ratios 0.95, 0.67 (northeurope 0.6, westus2 0.63)


def test_a_time_zone_in_the_wrong_case_is_named_as_tzutil_spells_it() -> None:
    assert time_zone_problem("w. europe standard time").endswith("; did you mean 'W. Europe Standard Time'?")
