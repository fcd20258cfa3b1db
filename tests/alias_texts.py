"""Articles that state an alias ("X, alias Y") and one that names only the alias, for the alias tests."""

from __future__ import annotations

from pathlib import Path

FIRST = ("Police arrested Luis Ramírez Torres, alias Comrade Lucho, in Tocache on Monday. "
         "Ramírez Torres is accused of leading a Shining Path column in the Upper Huallaga.")
LATER = "Soldiers killed Comrade Lucho in an ambush near Tocache, the army said on Friday."
OTHER = ("Police in Lima arrested a businessman, Pedro Soto Ruiz, alias Comrade Lucho, on extortion charges "
         "on Tuesday.")


def write(folder: Path, name: str, text: str, date: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.md"
    path.write_text(f"---\ntitle: {name}\nurl: https://news.example/{name}\npublished: {date}\n---\n{text}\n",
                    encoding="utf-8")
    return path
