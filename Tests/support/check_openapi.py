#!/usr/bin/env python3
"""Checks an OpenAPI document: valid YAML (PyYAML), then a valid OpenAPI 3.1 document (openapi-spec-validator).

    python3 Tests/support/check_openapi.py [PATH] [--operations]

PATH defaults to Sources/SalesServer/Resources/openapi.yaml. Exits 0 with one line of figures when the
document is valid; with `--operations` it then prints a JSON object on stdout, "<method> <path>" -> the
sorted names of the operation's query parameters (OpenAPITests compares it with the router). Exits 1 with
every problem found (its place in the document and what is wrong) when the document is not valid, and 2
when PyYAML or openapi-spec-validator is missing (`python3 -m pip install openapi-spec-validator`, which
brings PyYAML; `.ci/run` installs it). OpenAPITests runs this on the document the server serves.
"""
import json
import os
import sys

DEFAULT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Sources", "SalesServer", "Resources", "openapi.yaml")
METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def fail(message, code=1):
    print(f"check_openapi: {message}", file=sys.stderr)
    sys.exit(code)


def non_json(value, place):
    """The places of values that JSON does not have (dates, timestamps, keys that are not strings)."""
    if isinstance(value, dict):
        for k, v in value.items():
            if not isinstance(k, str):
                yield "/".join(place + [str(k)]) + " (key)", k
            yield from non_json(v, place + [str(k)])
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from non_json(v, place + [str(i)])
    elif not (value is None or isinstance(value, (str, bool, int, float))):
        yield "/".join(place) or "(root)", value


def cut_flow_mappings(value, place):
    """Keys with a space in them and no value: the rest of an unquoted text after a comma."""
    if isinstance(value, dict):
        for k, v in value.items():
            if v is None and isinstance(k, str) and " " in k.strip():
                yield "/".join(place + [k])
            yield from cut_flow_mappings(v, place + [str(k)])
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from cut_flow_mappings(v, place + [str(i)])


def resolve(spec, node):
    """A local `$ref` (`#/components/...`) followed to what it names."""
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/"):
        target = spec
        for part in node["$ref"][2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def query_names(spec, item, operation):
    """The query parameters of an operation, its path's included."""
    params = [resolve(spec, p) for p in (item.get("parameters") or []) + (operation.get("parameters") or [])]
    return sorted({p["name"] for p in params if p.get("in") == "query"})


def main():
    operations_wanted = "--operations" in sys.argv[1:]
    args = [a for a in sys.argv[1:] if a != "--operations"]
    path = args[0] if args else os.path.normpath(DEFAULT)
    try:
        import yaml
        from openapi_spec_validator import OpenAPIV31SpecValidator
    except ImportError as e:
        fail(f"{e.name or e} is not installed: python3 -m pip install openapi-spec-validator", 2)

    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        fail(f"cannot read {path}: {e}")

    # YAML first: a document that PyYAML cannot read is one Swagger UI and generators cannot read either.
    try:
        spec = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        fail(f"{path} is not valid YAML{where}: {getattr(e, 'problem', None) or e}")
    if not isinstance(spec, dict):
        fail(f"{path} is not a YAML mapping")
    if spec.get("openapi") != "3.1.0":
        fail(f"{path}: 'openapi' is {spec.get('openapi')!r}, expected '3.1.0'")

    # YAML reads an unquoted 2026-07-01 as a date: JSON tools would see something else than was meant.
    odd = list(non_json(spec, []))
    if odd:
        fail(f"{path} has values JSON does not have (quote them):\n" + "\n".join(f"  - {p}: {v!r}" for p, v in odd))
    # `{ description: a, b }` is {description: "a", "b": null}: a flow mapping cut at a comma, which no
    # validator notices (JSON Schema ignores unknown keywords). Such text must be quoted.
    split = list(cut_flow_mappings(spec, []))
    if split:
        fail(f"{path} has text cut at a comma in a flow mapping (quote it):\n" + "\n".join(f"  - {p}" for p in split))

    errors = list(OpenAPIV31SpecValidator(spec).iter_errors())
    if errors:
        # The place as keys from the root (`paths > /api/v1/me > get`), the message's first line only.
        lines = [f"  - {' > '.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message.splitlines()[0]}" for e in errors]
        fail(f"{path} is not a valid OpenAPI 3.1 document ({len(errors)} problem(s)):\n" + "\n".join(lines))

    paths = spec.get("paths") or {}
    operations = {f"{m} {p}": query_names(spec, item, op)
                  for p, item in paths.items() for m, op in item.items() if m in METHODS}
    print(f"check_openapi: {path} is valid OpenAPI {spec['openapi']}: {len(paths)} paths, {len(operations)} operations",
          file=sys.stderr if operations_wanted else sys.stdout)
    if operations_wanted:
        print(json.dumps(operations, sort_keys=True))


if __name__ == "__main__":
    main()
