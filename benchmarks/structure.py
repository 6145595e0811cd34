#!/usr/bin/env python3
"""The structure figures of issue 17 for a checkout: width, Russian in Swift, KPI id literals, store protocols,
rights checked in handlers. `python3 benchmarks/structure.py [DIR]` (default: this checkout)."""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parent.parent)
sources = sorted((root / "Sources").rglob("*.swift"))
lines = [(p, l) for p in sources for l in p.read_text(encoding="utf-8").split("\n")]

over = [l for _, l in lines if len(l) > 120]
print(f"Swift lines in Sources: {len(lines)}")
longest = max(len(l) for _, l in lines)
print(f"lines over 120 characters: {len(over)} ({100 * len(over) / len(lines):.2f} %), longest {longest}")
joined = re.compile(r";\s*\S")
semicolons = sum(1 for _, l in lines if joined.search(l.split("//")[0].split('"')[0]))
print(f"lines with ';' (the inline JavaScript of the live-update and plan scripts; no Swift): {semicolons}")

# Speech analytics and demo data carry Russian words by nature.
allowed = re.compile(r"SalesSpeech/|Demo/|SpeechLexicon|Stemmer|SyntheticCalls|CallWords|Words\.swift")
cyrillic = re.compile(r"[\u0400-\u04FF]")
russian = [(p, l) for p, l in lines if cyrillic.search(l) and not allowed.search(str(p))]
print(f"Swift lines with Russian outside speech and demo: {len(russian)} in {len({p for p, _ in russian})} files")
per_target = {}
for p, _ in russian:
    target = p.relative_to(root / "Sources").parts[0]
    per_target[target] = per_target.get(target, 0) + 1
print("  by target: " + ", ".join(f"{t} {n}" for t, n in sorted(per_target.items())))

catalog = next((p for p in sources if p.name in ("KPICatalog+Standard.swift",)), None) or next(
    p for p in sources if p.name == "KPICatalog.swift")
ids = set(re.findall(r'KPIID\("([a-z_]+)"\)', "".join(p.read_text() for p in sources if p.name == "KPIID.swift")))
if not ids:  # before the registry: the ids were the first argument of the catalog's k(…) calls
    ids = set(re.findall(r'k\(\s*"([a-z_]+)"', catalog.read_text()))
skip = {"KPIID.swift", "KPICatalog.swift", "KPICatalog+Standard.swift"}
literal = re.compile(r'"(' + "|".join(sorted(ids)) + r')"')
hits = [(p, m) for p in sources if p.name not in skip for m in literal.findall(p.read_text())]
print(f"KPI id literals outside the catalog: {len(hits)} in {len({p for p, _ in hits})} files ({len(ids)} ids)")

protocols = {}
for p in sources:
    text = p.read_text()
    for m in re.finditer(r"public protocol (\w+)[^{]*\{(.*?)\n\}", text, re.S):
        name, body = m.group(1), m.group(2)
        if "Store" in name or name in ("AuditLog", "AlertLog", "UserDirectory", "KPISystemHistory", "SalesDatabase"):
            protocols[name] = len(re.findall(r"^\s+func ", body, re.M))
print("methods per store protocol: " + ", ".join(f"{k} {v}" for k, v in sorted(protocols.items())))

server = [p for p in sources if "SalesServer/API/" in str(p) or "SalesServer/Web/" in str(p)]
text = "".join(p.read_text() for p in server)
print(
    "rights checked in handlers: "
    f"{text.count('requireViewer()')} requireViewer(), {text.count('requireAdmin(')} requireAdmin, "
    f"{text.count('canSee(')} canSee (rows filtered by what the viewer may see), "
    f"{text.count('toSignIn(')} sign-in redirects"
)
