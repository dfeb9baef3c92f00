"""Size and open time of the HTML report on WMT22 zh-en (12 systems, 22,500 segments).

    python benchmarks/html_report.py [--run DIR] [--repeat 3]

Scores the WMT22 set once (``--no-fluency --metrics bleu,chrf``) into DIR (default
/tmp/mtcheck-html-wmt22) unless DIR already holds its CSV reports, then, in one run:

- builds report.html from the CSVs (seconds), against reading the same CSVs with pandas
  (the baseline: what any tool pays to look at them);
- its size in bytes (target: under 10 MB);
- the time from navigation to a rendered page in headless Chromium (playwright, Debian's
  /usr/bin/chromium), median of --repeat loads, against the seed corpus's report loaded
  the same way in the same browser (the baseline).
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _wmt  # noqa: E402

ROOT = _wmt.ROOT
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def score(corpus: Path, out: Path, *extra: str) -> None:
    subprocess.run([sys.executable, "-m", "mtcheck", "score", str(corpus), "--out", str(out), "--no-fluency",
                    "--no-config", "-q", *extra], check=True, cwd=ROOT)


def open_times(browser, path: Path, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        t = time.perf_counter()
        page.goto(path.resolve().as_uri())
        page.wait_for_selector("body[data-ready='1']")
        times.append(time.perf_counter() - t)
        if errors:
            sys.exit(f"console errors in {path}: {errors[:3]}")
        page.close()
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--run", type=Path, default=Path(tempfile.gettempdir()) / "mtcheck-html-wmt22")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from mtcheck.htmlreport import write_report

    run = args.run
    if not (run / "segments.csv").is_file():
        corpus = _wmt.make_corpus(Path(tempfile.mkdtemp()) / "wmt22")
        print(f"scoring WMT22 into {run} (once) ...", flush=True)
        score(corpus, run, "--metrics", "bleu,chrf")
    seed = Path(tempfile.mkdtemp()) / "seed"
    score(ROOT / "corpora" / "seed", seed, "--html")

    import pandas as pd

    t = time.perf_counter()
    for name in ("segments", "documents", "findings", "summary", "errors"):
        pd.read_csv(run / f"{name}.csv", keep_default_na=False)
    t_pandas = time.perf_counter() - t
    t = time.perf_counter()
    report = write_report(run)
    t_build = time.perf_counter() - t
    size = report.stat().st_size
    print(f"report.html: {size} bytes ({size / 2 ** 20:.2f} MiB), built in {t_build:.2f} s; "
          f"pandas reads the same CSVs in {t_pandas:.2f} s (ratio {t_build / t_pandas:.1f})")

    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        open_times(browser, seed / "report.html", 1)  # warm the browser
        wmt = open_times(browser, report, args.repeat)
        base = open_times(browser, seed / "report.html", args.repeat)
        browser.close()
    w, b = statistics.median(wmt), statistics.median(base)
    print(f"open to rendered page (median of {args.repeat}): WMT22 {w:.2f} s, seed {b:.2f} s (ratio {w / b:.1f})")


if __name__ == "__main__":
    main()
