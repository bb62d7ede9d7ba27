"""Edit a canonical CSV file in place: complete rows, replace rows, append rows.

The bytes of every line not edited stay exactly as they were (line endings, BOM, quoting,
even bytes that are not UTF-8), so a diff of an import shows only what it changed.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field

_BREAK = re.compile(r"(\r\n|\n|\r)")


@dataclass(frozen=True)
class Record:
    """One record of the file: its first and last physical line (1-based) and its values by column."""

    start: int
    end: int
    values: dict[str, str]


@dataclass
class CsvText:
    """A CSV file split into physical lines, with its header and records."""

    lines: list[str]
    ends: list[str]
    header: list[str]
    records: list[Record]
    newline: str = "\n"
    edits: dict[int, str] = field(default_factory=dict)  # record start line -> new record text
    removed: set[int] = field(default_factory=set)  # record start lines to leave out
    added: list[str] = field(default_factory=list)  # new record texts, in order

    @classmethod
    def parse(cls, original: bytes) -> CsvText:
        """Split a file's bytes into lines and records (undecodable bytes kept as they are)."""
        text = original.decode("utf-8", errors="surrogateescape")
        parts = _BREAK.split(text)
        lines, ends = parts[0::2], parts[1::2] + [""]
        if lines and lines[-1] == "" and ends[-1] == "":  # the text ended with a line break
            lines.pop()
            ends.pop()
        newline = "\r\n" if "\r\n" in ends else "\n"
        plain = [line.removeprefix("\ufeff") if i == 0 else line for i, line in enumerate(lines)]
        reader = csv.reader((line + "\n" for line in plain), strict=True)
        header: list[str] = []
        records: list[Record] = []
        try:
            header = [h.strip() for h in next(reader, [])]
            start = reader.line_num + 1
            for row in reader:
                if any(v.strip() for v in row):
                    values = {h: v.strip() for h, v in zip(header, row, strict=False)}
                    records.append(Record(start, reader.line_num, values))
                start = reader.line_num + 1
        except csv.Error:
            pass  # a malformed file: validation reports where
        return cls(lines, ends, header, records, newline)

    def render(self) -> tuple[bytes, dict[int, int], list[int]]:
        """Return the new bytes, where each edited record now starts, and each added record's line."""
        out: list[str] = []
        moved: dict[int, int] = {}
        spans = {r.start: r.end for r in self.records if r.start in self.edits or r.start in self.removed}
        line, i = 1, 0
        while i < len(self.lines):
            number = i + 1
            if number in self.removed:
                i = spans[number]
                continue
            if number in spans:
                text = self.edits[number]
                moved[number] = line
                out.append(text.replace("\n", self.newline) + self.newline)
                line += text.count("\n") + 1
                i = spans[number]
                continue
            ending = self.ends[i] or (self.newline if self.added or i + 1 < len(self.lines) else "")
            out.append(self.lines[i] + ending)
            line += 1
            i += 1
        added_at = []
        for text in self.added:
            added_at.append(line)
            out.append(text.replace("\n", self.newline) + self.newline)
            line += text.count("\n") + 1
        return "".join(out).encode("utf-8", errors="surrogateescape"), moved, added_at


def csv_line(values: list[str]) -> tuple[str, list[int]]:
    """Write one CSV record (quoting only where needed); return it and each field's start column."""
    fields, starts, position = [], [], 1
    for value in values:
        quoted = '"' + value.replace('"', '""') + '"' if any(ch in value for ch in ',"\n\r') else value
        fields.append(quoted)
        starts.append(position)
        position += len(quoted) + 1
    return ",".join(fields), starts
