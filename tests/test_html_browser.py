"""The HTML reports in a real browser: Debian's Chromium driven by playwright for Python.

Skipped, saying why, where playwright or /usr/bin/chromium is missing (``.ci/run`` installs
Chromium where it can). Screenshots are kept under reports/test-artifacts/.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, SEED, need_shared
from mtcheck.cli import main
from test_html import HOSTILE_MT, hostile_corpus, island, score

CHROMIUM = os.environ.get("MTCHECK_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "reports" / "test-artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
COUNT_HIGHLIGHTS = "ms => new Set(ms.flatMap(m => m.dataset.f.split(' '))).size"


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright for Python is not installed (pip install playwright)")
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.skip(f"no browser at {CHROMIUM}: apt-get install chromium (or set MTCHECK_CHROMIUM)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Page:
    """A page that records console errors, uncaught exceptions and every request it makes."""

    def __init__(self, browser, path: Path, width: int = 1400) -> None:
        self.page = browser.new_page(viewport={"width": width, "height": 1000})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.url = path.resolve().as_uri()
        self.page.goto(self.url)

    def highlights(self, scope: str = "#article-view") -> int:
        return self.page.eval_on_selector_all(f"{scope} mark.hl", COUNT_HIGHLIGHTS)

    def shot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        out = ARTIFACTS / name
        self.page.evaluate("window.scrollTo(0, 0)")
        self.page.screenshot(path=str(out), full_page=True)
        print(f"screenshot: {out}")
        return out

    def close(self) -> None:
        self.page.close()


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("seed-browser")
    score(SEED, out)
    return out


def test_seed_report_in_chromium(browser, seed_run):
    data = island((seed_run / "report.html").read_text(encoding="utf-8"))
    n = len(data["finds"])
    errors = sum(1 for f in data["finds"] if f[5] == 0)
    pg = Page(browser, seed_run / "report.html")
    page = pg.page
    page.wait_for_selector("body[data-ready='1']")
    assert pg.errors == []
    assert all(u.startswith("file://") or u.startswith("data:") for u in pg.requests), pg.requests
    # every finding is highlighted in the article, and listed
    assert n > 5 and pg.highlights() == n
    assert page.locator("#find-table tbody tr").count() == n
    assert page.locator("#charts figure img").count() >= 2
    assert all(page.eval_on_selector_all("#charts figure img", "ms => ms.map(m => m.naturalWidth > 0)"))
    pg.shot("seed-report.png")
    # hover text: code, message and suggestion
    mark = page.locator("#article-view mark.hl").filter(has_text="jincheng").first
    assert mark.get_attribute("title").startswith("MT102 [error]") and "suggestion: Jincheng" in mark.get_attribute("title")
    # the severity filter hides the warnings, in the article and in the list
    page.uncheck("#filters input[name=sev][value=warning]")
    assert pg.highlights() == errors < n
    assert page.locator("#find-table tbody tr").count() == errors
    assert page.locator("#find-table .badge.sev-warning").count() == 0
    # the code filter too
    page.uncheck("#filters input[name=code][value=MT401]")
    mt401 = sum(1 for f in data["finds"] if data["codes"][f[4]] == "MT401")
    assert mt401 and pg.highlights() == errors - mt401
    page.check("#filters input[name=sev][value=warning]")
    page.check("#filters input[name=code][value=MT401]")
    assert pg.highlights() == n
    # a link in the findings list goes to its segment
    page.locator("#find-table a.go").nth(3).click()
    target = page.locator("#article-view .target")
    assert target.count() == 1 and target.is_visible()
    # the documents table sorts (one document here: the header toggles its direction)
    page.locator("#doc-table th button", has_text="chrF").click()
    assert page.locator("#doc-table th button[data-dir]").count() == 1
    assert pg.errors == []
    pg.close()


def test_hostile_text_runs_nothing(browser, tmp_path):
    out = tmp_path / "out"
    score(hostile_corpus(tmp_path / "c"), out)
    data = island((out / "report.html").read_text(encoding="utf-8"))
    pg = Page(browser, out / "report.html")
    page = pg.page
    page.wait_for_selector("body[data-ready='1']")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("typeof window.alert") == "function"
    assert pg.errors == []
    view = page.locator("#article-view")
    text = view.inner_text()
    assert HOSTILE_MT[0] in text.replace("\n", "") or "<script>window.__pwned = 1</script>" in text
    assert 'onerror="window.__pwned = 2"' in text
    assert page.locator("#article-view img, #article-view script, #find-table img").count() == 0
    assert page.get_by_text('"><img src=x onerror=alert(1)>').count() >= 1  # the system name, as text
    assert pg.highlights() == len(data["finds"]) > 0
    # hide one system: its findings go from the article and the list
    page.uncheck("#filters input[name=system][value='1']")
    left = sum(1 for f in data["finds"] if f[1] == 0)
    assert pg.highlights() == left < len(data["finds"])
    assert page.locator("#find-table tbody tr").count() == left
    # the documents table sorts by a column, both ways
    first = lambda: page.locator("#doc-table tbody tr").first.locator("td").first.inner_text()  # noqa: E731
    page.locator("#doc-table th button", has_text="system").click()
    assert first() == '"><img src=x onerror=alert(1)>'
    page.locator("#doc-table th button", has_text="system").click()
    assert first() == "good"
    pg.shot("hostile-report.png")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    pg.close()


def test_lint_view_in_chromium(browser, tmp_path):
    art = tmp_path / "news" / "a.txt"
    art.parent.mkdir(parents=True)
    art.write_text("\n\n".join(HOSTILE_MT) + "\n", encoding="utf-8")
    shutil.copy(SEED / "mt" / "000_4828ab6c7b5e2c1e.txt", art.parent / "seed.txt")
    page_file = tmp_path / "lint.html"
    assert main(["lint", str(art.parent), "--format", "html", "--output", str(page_file), "--no-config",
                 "--exit-zero"]) == 0
    assert main(["lint", str(art.parent), "--format", "json", "--output", str(tmp_path / "l.json"),
                 "--no-config", "--exit-zero"]) == 0
    import json

    n = len(json.loads((tmp_path / "l.json").read_text(encoding="utf-8"))["findings"])
    pg = Page(browser, page_file, width=1200)
    assert pg.errors == []
    assert pg.highlights("main") == n > 5
    assert pg.page.evaluate("typeof window.__pwned") == "undefined"
    assert pg.page.locator("main img, main script").count() == 0
    pg.shot("lint-view.png")
    pg.close()


@pytest.mark.slow
def test_wmt22_twelve_systems_stays_small_and_opens(browser, wmt_corpus, tmp_path):
    """22,500 segments of 12 systems: a file under 10 MB that renders its first page."""
    need_shared("data", "wmt22-zhen")
    out = tmp_path / "out"
    assert main(["score", str(wmt_corpus), "--out", str(out), "--no-fluency", "--metrics", "bleu,chrf",
                 "--no-config", "-q", "--html"]) == 0
    size = (out / "report.html").stat().st_size
    assert size < 10 * 1024 * 1024, f"report.html is {size} bytes"
    data = island((out / "report.html").read_text(encoding="utf-8"))
    assert len(data["segs"]) == 22500 and len(data["systems"]) == 12
    pg = Page(browser, out / "report.html")
    pg.page.wait_for_selector("body[data-ready='1']")
    assert pg.errors == []
    # lazily rendered: one page of the article (25 segments x 12 systems), one page of findings
    assert pg.page.locator("#article-view p.mt").count() == 25 * 12
    assert pg.page.locator("#find-table tbody tr").count() == min(100, len(data["finds"]))
    pg.page.locator("#find-pager button", has_text="next").click()
    pg.page.locator("#find-table a.go").last.click()
    assert pg.page.locator("#article-view .target").count() == 1
    pg.shot("wmt22-report.png")
    pg.close()
