"""Fill or correct entries of the Chinese catalogue from a JSON dict {msgid: msgstr}.

Usage: .venv/bin/python scripts/po_fill.py translations.json
Clears the fuzzy flag of every entry it sets. Used for small translation passes.
"""

import json
import re
import sys
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def main() -> None:
    wanted = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    blocks = PO.read_text(encoding="utf-8").split("\n\n")
    for i, block in enumerate(blocks):
        match = re.search(r'^msgid "(.*)"$', block, re.M)
        if not match:
            continue
        msgid = match.group(1).replace('\\"', '"')
        if msgid in wanted:
            lines = [ln for ln in block.split("\n") if not ln.startswith(("#, fuzzy", "#| "))]
            first_msgstr = next(j for j, ln in enumerate(lines) if ln.startswith("msgstr"))
            head = "\n".join(lines[:first_msgstr])
            blocks[i] = f'{head}\nmsgstr "{esc(wanted[msgid])}"'
    PO.write_text("\n\n".join(blocks), encoding="utf-8")


if __name__ == "__main__":
    main()
