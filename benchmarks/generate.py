#!/usr/bin/env python3
"""Generate a deterministic repository of N spec-valid promises, for benchmarks, in one of three
shapes, so that a benchmark does not measure only the shape it was tuned on:

    python benchmarks/generate.py /tmp/corpus --count 10000 [--shape promises|people|words] [--seed 1]

- `promises` (the default): 20 teams of 10 people, customers teams and people; bodies of
  300-600 words (headings, lists, links, emphasis), 1-3 short conditions.
- `people`: one person for every 5-10 promises and a team for every 10 people, customers mostly
  people, and no config at all (handles are not registered): many groups, each with a page,
  a calendar, weekly charts and causes.
- `words`: the promises shape with 2-4 long conditions (30-60 words each) and bodies of
  1,000-2,000 words.

Writes /tmp/corpus/promisesite.yaml (people and teams; none for `people`) and
/tmp/corpus/promises/<team>/<id>.md. The same count, shape and seed always give the same files.
`promisesite check --today 2026-11-21` finds no error in them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
from pathlib import Path

TODAY = dt.date(2026, 11, 21)
TEAMS = 20
PEOPLE_PER_TEAM = 10
# Plain words only: none of them is in a vague-word lexicon.
NOUNS = (
    "invoice",
    "checkout",
    "catalogue",
    "warehouse",
    "parcel",
    "refund",
    "report",
    "dashboard",
    "account",
    "payment",
    "search",
    "order",
    "basket",
    "supplier",
    "carrier",
    "ledger",
    "export",
    "import",
    "queue",
    "session",
    "token",
    "replica",
    "cluster",
    "runbook",
    "alert",
    "release",
    "migration",
    "schema",
    "index",
    "endpoint",
    "tenant",
    "region",
    "backup",
    "audit",
    "policy",
    "contract",
    "budget",
    "forecast",
    "label",
)
VERBS = (
    "ships",
    "records",
    "exports",
    "routes",
    "signs",
    "stores",
    "lists",
    "returns",
    "archives",
    "checks",
    "sends",
    "renders",
    "counts",
    "merges",
    "splits",
    "tags",
    "links",
    "reads",
    "writes",
    "publishes",
)
ADJECTIVES = (
    "nightly",
    "weekly",
    "regional",
    "external",
    "internal",
    "primary",
    "secondary",
    "shared",
    "public",
    "private",
    "signed",
    "encrypted",
    "daily",
    "monthly",
    "annual",
    "manual",
    "automatic",
)
STATUSES = (
    ("accepted", 30),
    ("promised", 30),
    ("delivered", 8),
    ("requested", 8),
    ("offered", 5),
    ("countered", 2),
    ("declined", 4),
    ("withdrawn", 3),
    ("revoked", 5),
    ("cancelled", 5),
)


def words(rng: random.Random, count: int) -> str:
    out = []
    for _ in range(count):
        out.append(
            rng.choice(
                (
                    rng.choice(NOUNS),
                    rng.choice(VERBS),
                    rng.choice(ADJECTIVES),
                    "the",
                    "a",
                    "of",
                    "for",
                    "and",
                    "with",
                    "to",
                    "in",
                )
            )
        )
    return " ".join(out)


def sentence(rng: random.Random) -> str:
    text = words(rng, rng.randint(8, 16))
    return text[0].upper() + text[1:] + "."


def body(rng: random.Random, index: int, shortest: int = 300, longest: int = 600) -> str:
    parts, total, target = [], 0, rng.randint(shortest, longest)
    section = 0
    while total < target:
        section += 1
        parts.append(f"## {rng.choice(ADJECTIVES).capitalize()} {rng.choice(NOUNS)} {section}\n")
        paragraph = " ".join(sentence(rng) for _ in range(rng.randint(3, 6)))
        paragraph = paragraph.replace(" the ", f" the *{rng.choice(NOUNS)}* ", 1)
        paragraph += f" See [ticket OPS-{index * 7 % 9973}](https://tracker.example/OPS-{index * 7 % 9973})."
        parts.append(paragraph + "\n")
        items = [f"- **{rng.choice(NOUNS)}**: {words(rng, rng.randint(5, 9))}" for _ in range(rng.randint(2, 4))]
        parts.append("\n".join(items) + "\n")
        total += len(paragraph.split()) + sum(len(i.split()) for i in items) + 3
    return "\n".join(parts)


def weighted_status(rng: random.Random) -> str:
    roll = rng.randint(1, sum(w for _, w in STATUSES))
    for status, weight in STATUSES:
        roll -= weight
        if roll <= 0:
            return status
    return "promised"


def promise(
    rng: random.Random,
    index: int,
    team: str,
    people: list[str],
    customers: list[str],
    parent: tuple[str, dt.date] | None,
    long: bool = False,
) -> tuple[str, dt.date | None]:
    status = weighted_status(rng)
    promiser = rng.choice(people)
    customer = rng.choice([c for c in customers if c != promiser])
    requested = TODAY - dt.timedelta(days=rng.randint(30, 400))
    promised = requested + dt.timedelta(days=rng.randint(0, 10))
    due = promised + dt.timedelta(days=rng.randint(20, 200))
    if parent is not None and due > parent[1]:
        due = max(parent[1], promised)
    lines = [
        "---",
        f"title: {rng.choice(ADJECTIVES).capitalize()} {rng.choice(NOUNS)} {rng.choice(VERBS)} "
        f"{rng.randint(2, 999)} {rng.choice(NOUNS)}s for {customer}",
        f"promiser: {promiser}",
        f"customer: {customer}",
        f"team: {team}",
        f"status: {status}",
        f"requested: {requested}",
    ]
    if status not in ("requested", "declined", "withdrawn", "offered", "countered"):
        lines.append(f"promised: {promised}")
    if status in ("delivered", "accepted"):
        delivered = min(due + dt.timedelta(days=rng.randint(-10, 5)), TODAY - dt.timedelta(days=1))
        delivered = max(delivered, promised)
        lines.append(f"delivered: {delivered}")
        if status == "accepted":
            lines.append(f"accepted: {min(delivered + dt.timedelta(days=rng.randint(0, 3)), TODAY)}")
    if status in ("revoked", "cancelled"):
        closed = promised + dt.timedelta(days=rng.randint(1, 20))
        lines += [
            f"closed: {closed}",
            f"closed_reason: the {rng.choice(NOUNS)} {rng.choice(NOUNS)} was "
            f"replaced by a {rng.choice(ADJECTIVES)} one",
        ]
    if status not in ("declined", "withdrawn"):
        lines.append(f"due: {due}")
    else:
        due = None
    if status not in ("requested", "declined", "withdrawn"):
        lines.append("done_when:")
        lines += [
            f"  - the {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {rng.choice(VERBS)} "
            f"{rng.randint(1, 500)} {rng.choice(NOUNS)}s per day"
            + (f", and {words(rng, rng.randint(25, 55))}" if long else "")
            for _ in range(rng.randint(2, 4) if long else rng.randint(1, 3))
        ]
    if rng.random() < 0.3:
        lines.append("risks:\n  - the " + rng.choice(NOUNS) + " vendor changes the " + rng.choice(NOUNS) + " format")
    lines.append(f"tags: [{rng.choice(NOUNS)}, {rng.choice(ADJECTIVES)}]")
    if parent is not None:
        lines.append(f"serves: {parent[0]}")
    lines += ["---", "", body(rng, index, 1000 if long else 300, 2000 if long else 600)]
    return "\n".join(lines) + "\n", due


SHAPES = ("promises", "people", "words")


def generate(target: Path, count: int, seed: int = 1, shape: str = "promises") -> Path:
    rng = random.Random(seed)
    if target.exists():
        shutil.rmtree(target)
    (target / "promises").mkdir(parents=True)
    if shape == "people":
        people_count = max(count // rng.randint(5, 10), 2)
        team_count = max(people_count // 10, 1)
        teams = {
            f"team-{t:03d}": [f"person.{p:05d}" for p in range(t, people_count, team_count)] for t in range(team_count)
        }
        customers = [person for members in teams.values() for person in members]
        customers += list(teams)[: max(team_count // 5, 1)]  # mostly people, a few teams
    else:
        teams = {f"team-{t:02d}": [f"person.{t:02d}{p:02d}" for p in range(PEOPLE_PER_TEAM)] for t in range(TEAMS)}
        config = ["title: Generated promises", "people:"]
        config += [f"  {person}: {{name: Person {person[-4:]}}}" for members in teams.values() for person in members]
        config.append("teams:")
        config += [
            f"  {team}: {{name: Team {team[-2:]}, members: [{', '.join(members)}]}}" for team, members in teams.items()
        ]
        (target / "promisesite.yaml").write_text("\n".join(config) + "\n")
        customers = list(teams) + [person for members in teams.values() for person in members]
    names = list(teams)
    parents: list[tuple[str, dt.date]] = []
    for index in range(count):
        team = names[index % len(names)]
        pid = f"p{index:05d}-{rng.choice(NOUNS)}"
        parent = rng.choice(parents) if parents and rng.random() < 0.4 else None
        text, due = promise(rng, index, team, teams[team], customers, parent, long=shape == "words")
        folder = target / "promises" / team
        folder.mkdir(exist_ok=True)
        (folder / f"{pid}.md").write_text(text)
        if due is not None and rng.random() < 0.1 and len(parents) < count // 20 + 1:
            parents.append((pid, due))
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("target", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--shape", choices=SHAPES, default="promises")
    args = parser.parse_args()
    generate(args.target, args.count, args.seed, args.shape)
    print(f"{args.count} promises in {args.target / 'promises'}")


if __name__ == "__main__":
    main()
