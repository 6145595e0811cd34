"""Writes hubspot-deals.xlsx: the seven deals of MoreCRMPresetTests as HubSpot's XLSX export holds them —
shared strings, amounts as numbers, dates as date cells (a number with a date format), written by openpyxl, a
program independent of SalesKPI.

    pip install openpyxl && python3 Tests/SalesImportTests/Fixtures/xlsx/make_hubspot.py
"""
import datetime as dt
import os

from openpyxl import Workbook

rows = [
    ("101", "Поставка", "Closed Won", (2026, 10, 20), "Анна Смирнова", 450000.00, (2026, 10, 1), "", "Romashka"),
    ("102", "Сервис", "Closed Lost", (2026, 10, 25), "Анна Смирнова", 120000.00, (2026, 10, 5), "Price", "Vector, Inc."),
    ("103", "Модернизация", "Contract Sent", (2026, 12, 31), "Анна Смирнова", 300000.00, (2026, 10, 10), "", "Romashka"),
    ("104", "Запчасти", "Closed Won", (2026, 10, 12), "Борис Иванов", 200000.50, (2026, 10, 2), "", ""),
    ("105", "Обучение", "Closed Lost", (2026, 10, 30), "Борис Иванов", 80000.00, (2026, 10, 3), "Competitor", "Sidorov"),
    ("106", "Поставка,\nмонтаж", "Closed Won", (2026, 11, 11), "Борис Иванов", 100000.00, (2026, 11, 1), "", "Sidorov"),
    ("107", "Консультация", "Appointment Scheduled", (2026, 12, 31), "Борис Иванов", 50000.00, (2026, 11, 15), "", ""),
]
wb = Workbook()
ws = wb.active
ws.title = "All deals"
ws.append(["Record ID", "Deal Name", "Deal Stage", "Close Date", "Deal owner", "Amount", "Pipeline", "Create Date",
           "Closed Lost Reason", "Associated Company", "Last Modified Date"])
for r in rows:
    ws.append([int(r[0]), r[1], r[2], dt.datetime(*r[3]), r[4], r[5], "Sales Pipeline", dt.datetime(*r[6], 10, 0),
               r[7] or None, r[8] or None, dt.datetime(2026, 11, 28, 10, 0)])
for row in ws.iter_rows(min_row=2):
    for cell in (row[3], row[7], row[10]):
        cell.number_format = "yyyy-mm-dd hh:mm"
wb.save(os.path.join(os.path.dirname(os.path.abspath(__file__)), "hubspot-deals.xlsx"))
