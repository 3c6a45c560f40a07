#!/usr/bin/env python3
"""Builds the fuzzers' seed corpora from the repository's own data (run from anywhere):

    python3 fuzz/seed.py        # writes fuzz/corpus/{value,load,check}/seed-*

- value: every string value of every *.toml under tests/fixtures and examples/afghanistan,
  every string literal of tests/value_language.rs, and the lines of the text copies (*.txt);
- load:  every *.toml file alone (bytes as they are), and each small fixture folder as one
  multi-file input (NUL-separated chunks, each `@relative/name\\n` then the file's bytes:
  the format fuzz/harness.rs reads);
- check: each fixture folder of tests/fixtures/rules and tests/fixtures/report-formats, and
  the example data set's properties, entities and two of its sources, as multi-file inputs.

fuzz/corpus is not committed (.gitignore): run this again after a fresh clone.
"""
import hashlib
import pathlib
import re
import tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fuzz" / "corpus"


def put(target, data):
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    name = "seed-" + hashlib.sha1(data).hexdigest()[:16]
    (folder / name).write_bytes(data)


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


def multi(folder, files=None):
    chunks = []
    for path in sorted(files or folder.rglob("*")):
        if path.is_file() and not any(p.startswith(".") for p in path.relative_to(folder).parts):
            chunks.append(b"@" + str(path.relative_to(folder)).encode() + b"\n" + path.read_bytes())
    return b"\0".join(chunks)


def main():
    tomls = sorted((ROOT / "tests" / "fixtures").rglob("*.toml")) + sorted(
        (ROOT / "examples" / "afghanistan").glob("*.toml"))
    values = set()
    for path in tomls:
        put("load", path.read_bytes())
        try:
            values.update(strings(tomllib.loads(path.read_text("utf-8"))))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError):
            pass
    source = (ROOT / "tests" / "value_language.rs").read_text("utf-8")
    values.update(re.findall(r'"((?:[^"\\]|\\.)*)"', source))
    for path in sorted((ROOT / "tests" / "fixtures").rglob("*.txt")):
        values.update(line for line in path.read_text("utf-8", "replace").splitlines() if line.strip())
    for v in sorted(values):
        if 0 < len(v) <= 4096:
            put("value", v.encode())

    cases = sorted(p for p in (ROOT / "tests" / "fixtures" / "invalid").iterdir() if p.is_dir())
    sets = sorted(p for p in (ROOT / "tests" / "fixtures" / "rules").iterdir() if p.is_dir())
    sets.append(ROOT / "tests" / "fixtures" / "report-formats")
    for folder in cases + sets:
        data = multi(folder)
        if data and len(data) <= 64 * 1024:
            put("load", data)
    for folder in sets:
        put("check", multi(folder))
    example = ROOT / "examples" / "afghanistan"
    for source in ["un-mt-27.toml", "un-mt-34.toml", "un-sg-isil-19.toml", "un-mt-1988-14.toml"]:
        files = [example / "properties.toml", example / "entities.toml", example / source]
        put("check", multi(example, files))
    for target in ["value", "load", "check"]:
        print(target, len(list((CORPUS / target).iterdir())), "seeds")


main()
