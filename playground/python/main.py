"""A Python consumer of the generated dataclasses (models.py, written by the plugin or `okra models:generate`)."""

from __future__ import annotations

import json
from dataclasses import asdict

from models import Post, Role, Status, User


def main() -> None:
    author = User(
        id="6f1c2e1a-0000-4000-8000-000000000001",
        email="ada@example.com",
        name="Ada",
        role=Role.EDITOR,
        created_at="1970-01-01T00:00:00.000Z",
        bio="Wrote the first program.",
    )
    post = Post(id=1, title="Hello, schema", status=Status.DRAFT, author_id=author.id)
    author.posts = [post]
    print(json.dumps(asdict(author), indent=2))


if __name__ == "__main__":
    main()
