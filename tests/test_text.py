"""What the texts of a card look like (kongblog.text): dates in more of the ways blogs print them, dates
without their year, year headings, facts beside a date, and names in any script or case."""

from datetime import date

import pytest

from kongblog.text import (byline_names, date_in_order, find_date, is_fact, looks_like_name, names_after_date,
                           numeric_date, parse_date, parse_month_day, rest_after_date, year_heading)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("April 30th, 2023", "2023-04-30"),
        ("1st May 2023", "2023-05-01"),
        ("Sun 30 April 2023", "2023-04-30"),
        ("Sunday, April 30, 2023", "2023-04-30"),
        ("30 Apr, 2023", "2023-04-30"),
        ("30.04.2023", "2023-04-30"),  # dots: day first
        ("2023/04/30", "2023-04-30"),
        ("2023.04.30", "2023-04-30"),
        ("30/04/2023", "2023-04-30"),  # slashes: the only order that makes a date
        ("04/30/2023", "2023-04-30"),
        ("04/05/2023", None),  # April 5 or May 4: no guess
        ("05/05/2023", "2023-05-05"),
        ("31.02.2023", None),
        ("Released February 7, 2023", None),
        ("Someday, April 30, 2023", None),
    ],
)
def test_parse_date_reads_more_formats(raw, expected):
    assert parse_date(raw) == expected


def test_find_date_finds_the_new_formats_inside_a_text():
    assert find_date("Posted 30.04.2023 by Ann") == ("30.04.2023", " by Ann")
    assert find_date("Published: Sun 30 April 2023") == ("30 April 2023", "")
    assert find_date("on April 30th, 2023 ·") == ("April 30th, 2023", " ·")
    assert find_date("version 1.2.3") is None


@pytest.mark.parametrize(
    "raw, expected",
    [("04-30", "04-30"), ("Apr 30", "04-30"), ("30 April", "04-30"), ("April 30th", "04-30"), ("02-29", "02-29"),
     ("13-01", None), ("04-31", None), ("Page 3", None), ("2023", None), ("Apr 30, 2023", None)],
)
def test_parse_month_day(raw, expected):
    assert parse_month_day(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [("2023", 2023), ("April 2023", 2023), ("2023 (12)", 2023), (" 2022\n", 2022), ("Page 2023", None),
     ("Engineering", None), ("2023-04-30", None), ("12", None)],
)
def test_year_heading(raw, expected):
    assert year_heading(raw) == expected


@pytest.mark.parametrize(
    "rest, expected",
    [
        # a footer line of facts: date · reading time · names
        (" · 1 min · Danny Freese, Marco Palladino", ["Danny Freese", "Marco Palladino"]),
        # a run of facts separated by "&nbsp;|&nbsp;": reading time, word count, then the names
        ("\u00a0|\u00a01 min\u00a0|\u00a0210 words\u00a0|\u00a0 Danny Freese", ["Danny Freese"]),
        (" · 5 min read · Ana Souza", ["Ana Souza"]),
        (" · Kong", []),  # a lone word right after a date is rather a label ("Featured")
        (" · 1 min · Kong", ["Kong"]),  # ... but in the byline's slot after facts, a name
        (" by Kong", ["Kong"]),
        (" · 7 min read", []),
        ("", []),
    ],
)
def test_names_after_date(rest, expected):
    assert names_after_date(rest) == expected


def test_rest_after_date_leaves_out_every_fact_with_digits():
    assert rest_after_date("April 30, 2023 · 1 min · 210 words · Danny Freese") == "Danny Freese"
    assert rest_after_date("April 30, 2023 · 1 min") is None


@pytest.mark.parametrize(
    "raw, expected",
    [("山田 太郎", True), ("José 🚀", True), ("Ayşe Yılmaz", True), ("محمد علي", True), ("danah boyd", False),
     ("🚀", False), ("Kong", True)],
)
def test_names_in_any_script(raw, expected):
    assert looks_like_name(raw) is expected


def test_lower_case_names_only_where_the_context_says_byline():
    assert looks_like_name("danah boyd", lower_case=True) is True
    assert looks_like_name("default", lower_case=True) is False  # one lower-case word is a word
    assert byline_names("By danah boyd and bell hooks") == ["danah boyd", "bell hooks"]
    assert byline_names("danah boyd and bell hooks") == []
    assert byline_names("By default, Kong waits") == []
    assert byline_names("By José 🚀 and 山田 太郎") == ["José 🚀", "山田 太郎"]  # a pictograph is kept as written


@pytest.mark.parametrize(
    "raw, expected",
    [("Apr 30, 2023", True), ("04-30", True), ("5 min read", True), (" · ", True), ("", True),
     ("Securing Webhooks", False), ("Kong 3.0 released", False)],
)
def test_is_fact(raw, expected):
    assert is_fact(raw) is expected


@pytest.mark.parametrize("raw", ["April 30th, 2023", "30.04.2023", "Sun 30 April 2023", "2023/04/30", "Apr 30, 2023"])
def test_the_loader_reads_the_iso_date_the_card_reader_hands_on(raw):
    # RawCard.date is parse_date's ISO date; the loader's parse_date of it is the same date.
    assert parse_date(parse_date(raw)) == parse_date(raw) == "2023-04-30"


def test_date_only_is_a_date_with_nothing_but_a_time_after_it():
    from kongblog.text import date_only

    assert date_only("2023-06-17") == date_only("2023-06-17T08:00:00Z") == date_only("2023-06-17 10:00") == "2023-06-17"
    assert date_only("30 Apr 2023") == "2023-04-30"
    assert date_only("2023-06-17 4 min read – Samuel Okafor") is None  # a date with a byline after it
    assert parse_date("2023-06-17 4 min read – Samuel Okafor") == "2023-06-17"  # (the loader's reading, unchanged)


@pytest.mark.parametrize(
    "raw, order, expected",
    [
        ("23/10/08", "ymd", date(2023, 10, 8)),
        ("23/10/08", "dmy", date(2008, 10, 23)),
        ("23/10/08", "mdy", None),  # no month 23
        ("08.10.23", "dmy", date(2023, 10, 8)),
        ("04/05/2023", "mdy", date(2023, 4, 5)),
        ("04/05/2023", "ymd", None),  # no day 2023
        ("24/01/20", "ymd", None),  # 2024-01-20: after tomorrow
        ("01/01/89", "dmy", None),  # 1989: before 1990 (a two-digit year is never in the future: 2089 is 1989)
        ("01/01/90", "dmy", date(1990, 1, 1)),
        ("24/01/16", "ymd", date(2024, 1, 16)),  # tomorrow is no future yet
    ],
)
def test_a_numeric_date_in_each_order(raw, order, expected):
    assert numeric_date(raw)
    assert date_in_order(raw, order, today=date(2024, 1, 15)) == expected


@pytest.mark.parametrize("raw", ["3.4", "Kong 3.4.1", "2023-04-30", "1/2/345", "23/10/08 10:00", ""])
def test_what_is_no_numeric_date(raw):
    assert not numeric_date(raw)
