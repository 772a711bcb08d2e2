"""Every "did you mean" and "write instead" means what it says: a suggestion for a mistaken status,
field or date is the one the author meant, and a list folded by its indentation is caught."""

from __future__ import annotations

import pytest

from conftest import Repo, promise_text


def message(repo: Repo, code: str) -> str:
    (finding,) = [f for f in repo.check().findings if f["code"] == code]
    return finding["message"]


@pytest.mark.parametrize("written", ["done", "Done", "completed", "finished", "shipped"])
def test_done_suggests_delivered_or_accepted_never_declined(repo: Repo, written: str) -> None:
    repo.write("checkout.md", promise_text(status=written))
    hint = message(repo, "P007").split("is not a status:")[1].split("write one of")[0]
    assert "`status: delivered` or `status: accepted`" in hint
    assert "declined" not in hint


@pytest.mark.parametrize(("written", "meant"), [("in progress", "promised"), ("rejected", "declined")])
def test_a_status_by_another_name_suggests_the_one_it_means(repo: Repo, written: str, meant: str) -> None:
    repo.write("checkout.md", promise_text(status=written))
    assert f"did you mean `status: {meant}`?" in message(repo, "P007")


def test_a_misspelt_status_still_gets_the_closest_spelling(repo: Repo) -> None:
    repo.write("checkout.md", promise_text(status="promsied"))
    assert "did you mean `status: promised`?" in message(repo, "P007")


@pytest.mark.parametrize(
    ("key", "meant"),
    [("due_date", "due"), ("deadline", "due"), ("acceptance_criteria", "done_when"), ("owner", "promiser")],
)
def test_a_field_by_another_name_suggests_the_one_it_means(repo: Repo, key: str, meant: str) -> None:
    repo.write("checkout.md", promise_text(**{key: "2026-12-15"}))
    assert message(repo, "P004").endswith(f"did you mean `{meant}`?")


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("15 Dec 2026", "2026-12-15"),
        ("December 3, 2026", "2026-12-03"),
        ("3rd December 2026", "2026-12-03"),
        ("2026/12/15", "2026-12-15"),
        ("15.12.2026", "2026-12-15"),
        ("12/15/2026", "2026-12-15"),
    ],
)
def test_an_unambiguous_date_suggests_its_iso_form(repo: Repo, written: str, iso: str) -> None:
    repo.write("checkout.md", promise_text(due=written))
    assert message(repo, "P102").endswith(f"write `due: {iso}`")


def test_an_ambiguous_date_names_both_days_it_could_be(repo: Repo) -> None:
    repo.write("checkout.md", promise_text(due="03/04/2026"))
    found = message(repo, "P102")
    assert "`due: 2026-04-03`" in found and "`due: 2026-03-04`" in found


def test_an_impossible_written_out_date_is_not_turned_into_another_day(repo: Repo) -> None:
    repo.write("checkout.md", promise_text(due="31 Feb 2026"))
    assert "2026-02-28" not in message(repo, "P102") and "2026-03" not in message(repo, "P102")


@pytest.mark.parametrize("indent", ["   - ", "  - "])
def test_a_list_item_folded_into_the_one_above_is_flagged(repo: Repo, indent: str) -> None:
    text = promise_text(done_when=["the export runs nightly"])
    if indent == "  - ":  # the list flush with its key, the second item indented under the first
        text = text.replace("done_when:\n  - the export runs nightly", "done_when:\n- the export runs nightly")
    text = text.replace("the export runs nightly\n", f"the export runs nightly\n{indent}the CSV has 12 columns\n")
    repo.write("checkout.md", text)
    result = repo.check()
    (finding,) = [f for f in result.findings if f["code"] == "P005"]
    assert finding["line"] == text.splitlines().index(f"{indent}the CSV has 12 columns") + 1
    assert "write each item as its own" in finding["message"]
    assert result.exit_code == 1


def test_a_dash_inside_one_line_is_not_a_folded_list(repo: Repo) -> None:
    repo.write("checkout.md", promise_text(done_when=["p95 latency - measured at the edge - is below 300 ms"]))
    assert "P005" not in repo.check().codes()


def test_a_long_condition_wrapped_onto_two_lines_is_not_a_folded_list(repo: Repo) -> None:
    text = promise_text(done_when=["p95 latency of POST /checkout"]).replace(
        "p95 latency of POST /checkout\n", "p95 latency of POST /checkout\n    is below 300 ms for 7 days\n"
    )
    repo.write("checkout.md", text)
    assert "P005" not in repo.check().codes()
