"""Babel extractor for the interface strings of ``content/*.yml``.

Referenced from ``babel.cfg`` (``[bot.i18n_extract:extract_content: content/chat.yml]``), so
``pybabel extract`` puts the menu titles, the core's messages, the command descriptions and
the proposal intake's texts into ``messages.pot`` with their file and line. Which keys are
interface strings is decided in ``bot.i18n_content.INTERFACE_PATHS`` (also used at run time);
a ``paths`` option in ``babel.cfg`` may name others (space separated).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import yaml

from bot.i18n_content import INTERFACE_PATHS, split

Extracted = tuple[int, str, str, list[str]]


def _nodes(node: yaml.Node, parts: list[str]) -> Iterator[yaml.ScalarNode]:
    """Scalar nodes that ``parts`` selects (``*`` = every key or item), in file order."""
    head, rest = parts[0], parts[1:]
    children: list[yaml.Node] = []
    if isinstance(node, yaml.MappingNode):
        children = [v for k, v in node.value if head == "*" or k.value == head]
    elif isinstance(node, yaml.SequenceNode):
        items = node.value
        children = items if head == "*" else [items[int(head)]] if head.isdigit() else []
    for child in children:
        if rest:
            yield from _nodes(child, rest)
        elif isinstance(child, yaml.ScalarNode) and child.tag == "tag:yaml.org,2002:str":
            yield child


def extract_content(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[Extracted]:
    """Yield ``(line, funcname, message, comments)`` for each interface string of one file."""
    text = fileobj.read().decode(options.get("encoding", "utf-8"))
    name = Path(getattr(fileobj, "name", "")).name
    paths = str(options["paths"]).split() if options.get("paths") else INTERFACE_PATHS.get(name, ())
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if root is None:
        return
    found: list[tuple[int, str, str]] = []
    for path in paths:
        for node in _nodes(root, split(path)):
            if node.value.strip():  # a composed scalar's value is already unfolded, as loaded
                found.append((node.start_mark.line + 1, node.value, path))
    for line, value, path in sorted(found):
        yield line, "_", value, [f"content: {name} {path}"]
