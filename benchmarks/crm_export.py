"""A large CRM export for the import benchmark: N deals written as Bitrix24's CSV export writes them (UTF-8 with
BOM, every value quoted and followed by `;`, Russian headers and stages), and the same records as a canonical
bundle, so that one run measures the preset against the plain reader.

    python3 benchmarks/crm_export.py 1000000 /tmp/crm-bench
    time saleskpi import --db /tmp/crm-bench/preset.sqlite --preset bitrix24 /tmp/crm-bench/bitrix24/deals.csv
    time saleskpi import --db /tmp/crm-bench/bundle.sqlite /tmp/crm-bench/bundle
"""
import os
import random
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
out = sys.argv[2] if len(sys.argv) > 2 else "/tmp/crm-bench"
rng = random.Random(1)
reps = [f"Менеджер {i:03d}" for i in range(200)]
companies = [f"ООО «Клиент {i}»" for i in range(20_000)]
stages = [("Новая", None), ("Подготовка документов", "proposal"), ("В работе", "contract"),
          ("Сделка успешна", "won"), ("Сделка провалена", "lost"), ("Анализ причины провала", "lost")]
weights = [5, 8, 10, 35, 30, 12]
os.makedirs(f"{out}/bitrix24", exist_ok=True)
os.makedirs(f"{out}/bundle", exist_ok=True)
header = ["ID", "Название сделки", "Стадия сделки", "Направление", "Сумма", "Валюта", "Ответственный",
          "Дата создания", "Дата изменения", "Предполагаемая дата закрытия", "Сделка закрыта", "Компания", "Источник"]
q = lambda v: '"' + v.replace('"', '""') + '";'
with open(f"{out}/bitrix24/deals.csv", "w", encoding="utf-8-sig", newline="") as b, \
        open(f"{out}/bundle/deals.csv", "w", encoding="utf-8", newline="") as d, \
        open(f"{out}/bundle/deal_stages.csv", "w", encoding="utf-8", newline="") as s:
    b.write("".join(q(h) for h in header) + "\n")
    d.write("external_id,account_id,owner_id,created_at,amount,source,product\n")
    s.write("external_id,deal_id,stage,changed_at,lost_reason\n")
    for i in range(1, n + 1):
        stage, canonical = rng.choices(stages, weights)[0]
        created = rng.randrange(0, 730)
        y, m, day = 2025 + created // 365, 1 + (created % 365) // 31 % 12, 1 + created % 28
        closed = min(created + rng.randrange(1, 90), 729)
        cy, cm, cd = 2025 + closed // 365, 1 + (closed % 365) // 31 % 12, 1 + closed % 28
        amount = f"{rng.randrange(10_000, 5_000_000)}.{rng.randrange(100):02d}"
        rep, company = rng.choice(reps), rng.choice(companies)
        created_text = f"{day:02d}.{m:02d}.{y} 10:00:00"
        changed_text = f"{cd:02d}.{cm:02d}.{cy} 12:00:00"
        closed_flag = canonical in ("won", "lost")
        b.write("".join(q(v) for v in [
            str(i), f"Сделка {i}", stage, "Общее", amount, "Российский рубль", rep, created_text, changed_text,
            f"{cd:02d}.{cm:02d}.{cy}" if closed_flag else "", "Да" if closed_flag else "Нет", company, "Звонок"]) + "\n")
        d.write(f'{i},"{company}",{rep},{y}-{m:02d}-{day:02d}T10:00,{amount},Звонок,Сделка {i}\n')
        if canonical in ("won", "lost"):
            date = f"{cy}-{cm:02d}-{cd:02d}"
            reason = stage if canonical == "lost" else ""
            s.write(f"{i}:{canonical},{i},{canonical},{date},{reason}\n")
        elif canonical:
            s.write(f"{i}:{canonical},{i},{canonical},{cy}-{cm:02d}-{cd:02d}T12:00,\n")
with open(f"{out}/bundle/reps.csv", "w", encoding="utf-8") as f:
    f.write("external_id,name,role\n" + "".join(f"{r},{r},ae\n" for r in reps))
with open(f"{out}/bundle/accounts.csv", "w", encoding="utf-8") as f:
    f.write("external_id,name\n" + "".join(f'"{c}","{c}"\n' for c in companies))
print(f"{n} deals in {out}/bitrix24/deals.csv and {out}/bundle/")
