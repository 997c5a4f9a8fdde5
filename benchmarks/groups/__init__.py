"""The groups of rows, in the order of the table.

A group is a module here with a `GROUP`: its name for `--only`, which rows it
measures, and a function from the Context to its rows. Adding one is writing
the module and listing it below (and in the README's "Benchmarks").
"""

from __future__ import annotations

from groups import delivery, graphql, memory, paging, roundtrip, startup
from harness import Group

GROUPS: dict[str, Group] = {
    group.name: group
    for group in (
        graphql.GROUP,
        paging.GROUP,
        delivery.GROUP,
        startup.GROUP,
        memory.GROUP,
        roundtrip.GROUP,
    )
}
