"""Drives the dashboards in a real headless Chromium, as a head, a rep and an admin would.

Run by Tests/SalesServerTests/BrowserTests.swift against a `saleskpi serve` process, with:
BASE_URL, DB (the store), SALESKPI (the CLI binary), TOKEN (an admin API token), ARTIFACTS (screenshots),
PASSWORD (every demo user's). Exits non-zero with a message on the first failed check.
"""
import csv, io, json, os, subprocess, sys, time, urllib.parse, urllib.request, uuid

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

BASE, DB, CLI, TOKEN = os.environ["BASE_URL"], os.environ["DB"], os.environ["SALESKPI"], os.environ["TOKEN"]
ART, PASSWORD = os.environ["ARTIFACTS"], os.environ["PASSWORD"]
os.makedirs(ART, exist_ok=True)


def check(cond, what):
    if not cond:
        print("FAILED: " + what, file=sys.stderr)
        sys.exit(1)
    print("ok: " + what)


def browser():
    o = webdriver.ChromeOptions()
    for a in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1800", "--lang=ru-RU"]:
        o.add_argument(a)
    o.binary_location = "/usr/bin/chromium"
    return webdriver.Chrome(service=webdriver.ChromeService(executable_path="/usr/bin/chromedriver"), options=o)


def sign_in(d, login):
    d.delete_all_cookies()
    d.get(BASE + "/login")
    d.find_element(By.ID, "login").send_keys(login)
    d.find_element(By.ID, "password").send_keys(PASSWORD)
    d.find_element(By.ID, "sign-in").click()
    try:
        WebDriverWait(d, 5).until(EC.presence_of_element_located((By.TAG_NAME, "main")))
    except Exception:
        check(False, login + " signs in and lands on a dashboard")
    print("ok: " + login + " signs in and lands on a dashboard")


def team_table(d):
    """{rep name: {kpi: value as the page states it}} from the team table."""
    rows = {}
    for tr in d.find_elements(By.CSS_SELECTOR, "#team-table tr[data-rep]"):
        name = tr.find_element(By.CSS_SELECTOR, "td a").text
        rows[name] = {td.get_attribute("data-kpi"): td.get_attribute("data-value") for td in tr.find_elements(By.CSS_SELECTOR, "td[data-kpi]")}
    return rows


def report(kpis, start, end):
    out = subprocess.run([CLI, "report", "--db", DB, "--by", "rep", "--kpis", ",".join(kpis), "--from", start, "--to", end,
                          "--format", "csv"], check=True, capture_output=True, text=True).stdout
    return {r["rep"]: {k: r[k] for k in kpis} for r in csv.DictReader(io.StringIO(out))}


def call_api(path, data=None, content_type="application/json"):
    req = urllib.request.Request(BASE + path, data=data, headers={"Authorization": "Bearer " + TOKEN,
                                                                  "Content-Type": content_type})
    return json.load(urllib.request.urlopen(req))


def use_language(d, lang):
    """Clicks the language switch until the page is in `lang` (the choice is kept with the user)."""
    for _ in range(2):
        now = d.execute_script("return document.documentElement.lang")
        if now == lang:
            return
        d.find_element(By.ID, "lang-switch").click()
        WebDriverWait(d, 5, ignored_exceptions=(Exception,)).until(
            lambda drv: drv.execute_script("return document.documentElement.lang") != now)
    check(d.execute_script("return document.documentElement.lang") == lang, "the page switches to " + lang)


def shoot(d, name, width):
    """A screenshot of the whole page at `width`, and the two layout faults checked on it: no number
    in the top cards breaks across lines, and no transcript line runs past its card."""
    d.set_window_size(width, 1000)
    height = d.execute_script("return Math.min(document.documentElement.scrollHeight, 7000)")
    d.set_window_size(width, height)
    broken = d.execute_script("""return [...document.querySelectorAll('.big')].filter(e => {
        const r = e.getBoundingClientRect(), line = parseFloat(getComputedStyle(e).fontSize) * 1.6;
        return r.height > line; }).map(e => e.textContent.trim())""")
    check(not broken, f"{name} at {width} px: numbers in the top cards stay on one line ({broken})")
    overflowing = d.execute_script("""return [...document.querySelectorAll('#transcript td')].filter(
        e => e.scrollWidth > e.clientWidth + 1).length""")
    check(overflowing == 0, f"{name} at {width} px: transcript lines wrap inside the card")
    # Nothing runs past a card's edge, except inside a scrolling table.
    spilling = d.execute_script("""return [...document.querySelectorAll('.card')].filter(
        e => e.scrollWidth > e.clientWidth + 1).map(e => (e.querySelector('h2') || e).textContent.trim().slice(0, 40))""")
    check(not spilling, f"{name} at {width} px: every card holds its content ({spilling})")
    d.save_screenshot(f"{ART}/pages/{name}-{width}.png")


def gallery(d, start, end):
    """Every page in both languages at a desktop's and a phone's width, kept in ARTIFACTS/pages."""
    os.makedirs(ART + "/pages", exist_ok=True)
    # A call with a long line of speech, for the call page.
    calls = call_api(f"/api/v1/activities?type=call&from={start}&to={end}&limit=1")
    call_page = None
    if calls:
        long_line = "Мы сравнивали три системы и " + "очень-очень-длинное-слово-без-пробелов" * 6 + " и решили, что подумаем."
        transcript = {"utterances": [{"speaker": "rep", "start": 0, "end": 5, "text": "Добрый день! Удобно говорить?"},
                                     {"speaker": "client", "start": 5, "end": 40, "text": long_line}]}
        stored = call_api(f"/api/v1/calls?call={urllib.parse.quote(calls[0]['activity'])}&source=demo&file=gallery.json",
                     json.dumps(transcript).encode())
        call_page = f"/calls/{stored['analysis_id']}" if stored.get("analysis_id") else None
    period = f"from={start}&to={end}"
    pages = {
        "head": [("dashboard", "/"), ("forecast", f"/forecast?{period}"), ("deals-won", f"/deals?set=won&{period}"),
                 ("calls-list", f"/activities?type=call&{period}"), ("analysed-calls", f"/calls?{period}")],
        "rep": [("rep-dashboard", "/")],
        "admin": [("admin", "/admin"), ("admin-kpi-system", "/admin/kpi-system"), ("admin-plans", "/admin/plans"),
                  ("admin-import", "/admin/import"), ("company", "/")] + ([("call", call_page)] if call_page else []),
    }
    for lang in ["ru", "en"]:
        d.delete_all_cookies()
        d.set_window_size(1400, 1000)
        if lang == "ru":  # the sign-in page speaks the browser's language (ru here)
            d.get(BASE + "/login")
            for width in [1400, 390]:
                shoot(d, "login-ru", width)
        for login, items in pages.items():
            sign_in(d, login)
            use_language(d, lang)
            for name, path in items:
                d.get(BASE + path)
                if path == "/admin/plans":  # its own script ran under the CSP: it disables the unused picker
                    disabled = d.execute_script("""return ['plan-rep', 'plan-team'].filter(
                        id => document.getElementById(id).disabled).length""")
                    check(disabled >= 1, "the plan form's script runs under the page's security policy")
                for width in [1400, 390]:
                    shoot(d, f"{name}-{lang}", width)
    count = len(os.listdir(ART + "/pages"))
    check(count >= 40, f"{count} page screenshots in {ART}/pages")


for _ in range(150):  # the server is starting
    try:
        urllib.request.urlopen(BASE + "/health", timeout=1)
        break
    except OSError:
        time.sleep(0.1)
else:
    check(False, "the server answers /health")

d = browser()
try:
    # A head reads the team table, and it says what `saleskpi report` says.
    sign_in(d, "head")
    d.save_screenshot(ART + "/head-dashboard.png")
    start = d.find_element(By.CSS_SELECTOR, "input[name=from]").get_attribute("value")
    end = d.find_element(By.CSS_SELECTOR, "input[name=to]").get_attribute("value")
    page = team_table(d)
    check(len(page) >= 3, f"the team table lists the team ({len(page)} people, {start}..{end})")
    kpis = list(next(iter(page.values())).keys())
    cli = report(kpis, start, end)
    for name, values in page.items():
        check(cli.get(name) == values, f"{name}: page {values} == saleskpi report {cli.get(name)}")
    check(d.find_elements(By.CSS_SELECTOR, "#team-funnel td[data-weakest]"), "the team funnel marks someone's weakest stage")
    check(d.find_elements(By.CSS_SELECTOR, "#leaderboard .row"), "the leaderboard ranks the team")

    # Click a number: the list behind it has as many rows as the number says.
    cell = next(c for c in d.find_elements(By.CSS_SELECTOR, '#team-table td[data-kpi="deals_won"]') if float(c.get_attribute("data-value")) > 0)
    won = int(float(cell.get_attribute("data-value")))
    cell.find_element(By.TAG_NAME, "a").click()
    WebDriverWait(d, 5).until(lambda drv: drv.find_elements(By.ID, "list-count"))
    rows = d.find_elements(By.CSS_SELECTOR, "#list tr")[1:]
    check(len(rows) == won == int(d.find_element(By.ID, "list-count").get_attribute("data-count")),
          f"the deals-won list holds {len(rows)} deals, as the table's {won}")
    d.save_screenshot(ART + "/deals-list.png")
    d.back()
    WebDriverWait(d, 5).until(lambda drv: drv.find_elements(By.ID, "team-table"))

    # The forecast card says what the API says, and the what-if sliders move it.
    api = json.load(urllib.request.urlopen(urllib.request.Request(
        BASE + f"/api/v1/forecast?team=T1&from={start}&to={end}&format=json",
        headers={"Authorization": "Bearer " + TOKEN, "Accept-Language": "en"})))
    # The forecast moves with the clock (less time left, fewer new deals): equal within 0.1 % seconds later.
    # Read in one script: a page restored by the back button swaps in fresh numbers.
    page_expected = int(d.execute_script("return document.getElementById('forecast-card').dataset.expected")) / 100
    check(abs(page_expected - api[0]["expected"]) <= 0.001 * api[0]["expected"],
          f"the forecast card ({page_expected:.0f}) equals /api/v1/forecast ({api[0]['expected']})")
    check(d.find_elements(By.CSS_SELECTOR, "#advice-panel"), "the team page shows what to change")
    d.get(BASE + f"/forecast?from={start}&to={end}")
    check(len(d.find_elements(By.CSS_SELECTOR, "#forecast-table tr[data-slice]")) >= 2, "the forecast page lists the team and its sellers")
    Select = __import__("selenium.webdriver.support.select", fromlist=["Select"]).Select
    Select(d.find_element(By.CSS_SELECTOR, "#whatif select[name=stage]")).select_by_value("proposal")
    WebDriverWait(d, 5).until(lambda drv: "stage=proposal" in drv.current_url)
    d.execute_script("const r = document.querySelector('#whatif input[name=conversion]'); r.value = 10; r.dispatchEvent(new Event('change'))")
    WebDriverWait(d, 5).until(lambda drv: "conversion=10" in drv.current_url)
    delta = int(d.find_element(By.ID, "whatif-delta").get_attribute("data-delta"))
    check(delta > 0, f"+10 pp into the proposal stage adds revenue ({delta / 100:.0f})")
    check(d.find_elements(By.CSS_SELECTOR, "#pipeline-table tr"), "open deals are listed with their win probability")
    d.save_screenshot(ART + "/forecast.png")
    d.get(BASE + "/")
    WebDriverWait(d, 5).until(lambda drv: drv.find_elements(By.ID, "team-table"))

    # An event posted through the API shows on the open page without a reload.
    links = {tr.get_attribute("data-rep"): tr.find_element(By.CSS_SELECTOR, "td a").get_attribute("href")
             for tr in d.find_elements(By.CSS_SELECTOR, "#team-table tr[data-rep]")}
    rep_ext = "R3"
    rep_name = d.find_element(By.CSS_SELECTOR, f'#team-table tr[data-rep="{rep_ext}"] td a').text
    before = int(page[rep_name]["calls"])
    d.execute_script("window.__noReload = 42")
    at = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())  # today: inside the default period
    body = json.dumps({"events": [{"event": "activity", "external_id": "browser-" + uuid.uuid4().hex, "rep_id": rep_ext,
                                   "type": "call", "at": at, "duration_seconds": 200}]}).encode()
    req = urllib.request.Request(BASE + "/api/v1/events?source=demo", data=body, method="POST",
                                 headers={"Authorization": "Bearer " + TOKEN, "Content-Type": "application/json"})
    sent = time.monotonic()
    check(json.load(urllib.request.urlopen(req))["inserted"] == 1, "the API stores the call")
    seen = None
    while time.monotonic() - sent < 5:
        # Read in one script: the main part may be swapped between two WebDriver calls.
        value = d.execute_script(f"""const c = document.querySelector('#team-table tr[data-rep="{rep_ext}"] td[data-kpi="calls"]');
                                     return c ? c.dataset.value : null""")
        if value == str(before + 1):
            seen = time.monotonic() - sent
            break
        time.sleep(0.05)
    check(seen is not None and seen <= 1.0, f"the open page shows the call within a second (after {seen} s; it shows {value}, was {before})")
    check(d.execute_script("return window.__noReload") == 42, "without reloading the page")
    check(report(["calls"], start, end)[rep_name]["calls"] == str(before + 1), "and saleskpi report agrees")

    # Switch the language and back: the choice is the user's, whatever the browser says.
    words = {"ru": "Команда", "en": "Team"}
    lang_of = lambda drv: drv.execute_script("return document.documentElement.lang")  # survives navigation
    first = lang_of(d)
    second = "en" if first == "ru" else "ru"
    for lang in [second, first]:
        d.find_element(By.ID, "lang-switch").click()
        WebDriverWait(d, 5, ignored_exceptions=(Exception,)).until(lambda drv: lang_of(drv) == lang and words[lang] in drv.page_source)
        check(lang_of(d) == lang, "switches to " + lang)
        d.save_screenshot(ART + f"/head-dashboard-{lang}.png")

    # A rep sees their own page and cannot open another rep's.
    own = links[rep_ext]
    other = next(href for ext, href in links.items() if ext != rep_ext)
    sign_in(d, "rep")
    d.save_screenshot(ART + "/rep-dashboard.png")
    check(rep_name in d.find_element(By.TAG_NAME, "h1").text, "the rep opens on their own dashboard")
    check(d.find_elements(By.CSS_SELECTOR, ".kpi .gauge"), "with plan-vs-actual gauges")
    # R3 is an SDR: their outlook is in SQLs, and no revenue forecast is shown to someone who closes no deals.
    check(d.find_elements(By.ID, "sql-outlook") and not d.find_elements(By.ID, "forecast-card")
          and d.find_elements(By.ID, "advice-panel"), "and their SQL outlook (an SDR's) and recommendations")
    d.get(other)
    check(d.find_elements(By.ID, "forbidden"), "another rep's page is refused with a message")
    d.save_screenshot(ART + "/rep-refused.png")

    # The admin page.
    sign_in(d, "admin")
    d.get(BASE + "/admin")
    check(d.find_elements(By.ID, "users"), "the admin sees the users")
    d.save_screenshot(ART + "/admin.png")
    d.get(BASE + "/")
    d.save_screenshot(ART + "/admin-company.png")
    d.set_window_size(390, 1600)
    sign_in(d, "head")
    d.save_screenshot(ART + "/head-phone.png")
    gallery(d, start, end)
finally:
    d.quit()
print("browser checks passed")
