"""The docs name everything a person can change, in the style of datasette's tests/test_docs.py.

A new content/ file, setting or domain folder fails here until README.md, content/README.md or
.env.example says what it is: nobody should have to read the code to find a knob.
"""

from __future__ import annotations

import re

import pytest

from bot.config import PROJECT_ROOT, Settings

README = (PROJECT_ROOT / "README.md").read_text("utf-8")
CONTENT_README = (PROJECT_ROOT / "content" / "README.md").read_text("utf-8")
ENV_EXAMPLE = (PROJECT_ROOT / ".env.example").read_text("utf-8")


def _content_entries() -> list[str]:
    return sorted(p.name for p in (PROJECT_ROOT / "content").iterdir()
                  if p.name != "README.md" and not p.name.startswith("."))


def _domain_folders() -> list[str]:
    return sorted(p.name for p in (PROJECT_ROOT / "bot").iterdir()
                  if p.is_dir() and (p / "__init__.py").exists())


def _layout_block() -> str:
    """The tree under «Cómo está hecho» in README.md."""
    section = README.split("## Cómo está hecho", 1)[1]
    return section.split("```", 2)[1]


@pytest.mark.parametrize("name", _content_entries())
def test_content_file_is_documented(name: str) -> None:
    assert f"`{name}" in CONTENT_README, f"content/README.md no explica content/{name}"


@pytest.mark.parametrize("field", sorted(Settings.model_fields))
def test_setting_is_in_env_example(field: str) -> None:
    pattern = rf"^#?\s*{field.upper()}="
    assert re.search(pattern, ENV_EXAMPLE, re.M), f".env.example no menciona {field.upper()}"


@pytest.mark.parametrize("folder", _domain_folders())
def test_domain_folder_is_in_the_readme_layout(folder: str) -> None:
    assert re.search(rf"^  {folder}/\s", _layout_block(), re.M), f"README.md no describe bot/{folder}/"


def test_the_checks_see_what_they_should() -> None:
    """The lists above are not empty (a test over nothing would pass)."""
    assert {"faq", "chat.yml", "procurement"} <= set(_content_entries())
    assert {"content", "conversation", "web", "proposals"} <= set(_domain_folders())
    assert {"content_dir", "participa_timezone", "database_url"} <= set(Settings.model_fields)
    assert not re.search(r"^  nowhere/\s", _layout_block(), re.M)
