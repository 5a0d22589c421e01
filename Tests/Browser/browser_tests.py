#!/usr/bin/env python3
"""Browser tests for the BulkPredict web pages, in real headless Chromium.

Usage:
    Tests/Browser/browser_tests.py --binary .build/debug/bulkpredict --artifacts .build/browser
    Tests/Browser/browser_tests.py --binary PATH --artifacts DIR -k cancel   # only tests named *cancel*
    Tests/Browser/browser_tests.py --url http://127.0.0.1:8080 --artifacts DIR  # a server already running

With --binary it starts `bulkpredict serve --port 0 --data-dir <temporary dir>`, reads the
address the server prints, waits for /api/v1/health, runs the tests, and stops the server.
Screenshots of every page at 1280x800 and 375x667 go to DIR/screenshots/, the server's log to
DIR/server.log, and for a failed test a screenshot and the browser console to DIR/failures/.
Ends with a line "N passed, N failed" and exits non-zero when any test failed.

Needs Debian's `chromium` and `chromium-driver`, and `selenium` and `pyarrow` from PyPI.
The shared data files are read from ../shared/data next to the repository (override with
--shared-data).
"""

import argparse
import base64
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.error
import urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.actions.wheel_input import ScrollOrigin
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

REPO = Path(__file__).resolve().parents[2]
FINISHED = {"completed", "completed_with_errors", "failed", "cancelled"}


# ---------------------------------------------------------------- server


class Server:
    """A `bulkpredict serve` on a free port, with its output kept in a log file."""

    def __init__(self, binary, artifacts):
        self.data_dir = tempfile.mkdtemp(prefix="bulkpredict-browser-")
        self.log = open(artifacts / "server.log", "w", encoding="utf-8")
        self.process = subprocess.Popen(
            [str(binary), "serve", "--port", "0", "--data-dir", self.data_dir],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
        )
        self.url = None
        found = threading.Event()

        # The server prints "listening on http://HOST:PORT" once bound; keep draining the pipe
        # afterwards so a chatty log never blocks the server on a full pipe.
        def pump():
            for line in self.process.stdout:
                self.log.write(line)
                self.log.flush()
                match = re.search(r"listening on (http://[\w.\[\]:-]+)", line)
                if match and not self.url:
                    self.url = match.group(1).rstrip("/")
                    found.set()

        threading.Thread(target=pump, daemon=True).start()
        if not found.wait(60):
            self.stop()
            raise RuntimeError("the server did not report its address within 60 s; see server.log")
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/api/v1/health", timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.url}/api/v1/health did not answer within 60 s")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        shutil.rmtree(self.data_dir, ignore_errors=True)


# ---------------------------------------------------------------- helpers


class Context:
    def __init__(self, base, artifacts, shared, driver, downloads):
        self.base = base
        self.artifacts = artifacts
        self.shared = shared
        self.driver = driver
        self.downloads = downloads
        self.molecule_request = None  # a finished chem.descriptors request, shared by later tests
        self.protein_request = None


def http(ctx, method, path, body=None, content_type=None):
    """(status, headers, bytes) for a request to the server under test; errors are answers too."""
    data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
    request = urllib.request.Request(ctx.base + path, data=data, method=method)
    if content_type or body is not None:
        request.add_header("Content-Type", content_type or "application/json")
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def api_json(ctx, method, path, body=None):
    status, _, data = http(ctx, method, path, body)
    return status, json.loads(data) if data else None


def submit(ctx, body):
    status, answer = api_json(ctx, "POST", "/api/v1/requests", body)
    assert status == 202, f"submitting {str(body)[:200]} answered {status}: {answer}"
    return answer["id"]


def wait_until(predicate, timeout, message, interval=0.25):
    deadline = time.time() + timeout
    last_error = None
    while time.time() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except Exception as error:  # a page mid-update may throw; try again until the deadline
            last_error = error
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s: {message}" + (f" (last error: {last_error})" if last_error else ""))


def wait_for_api_state(ctx, request_id, states, timeout=180):
    def check():
        _, status = api_json(ctx, "GET", f"/api/v1/requests/{request_id}")
        return status if status["state"] in states else None

    return wait_until(check, timeout, f"request {request_id} to reach {states}")


def page_state(driver):
    return driver.find_element(By.ID, "request-state").get_attribute("data-state")


def wait_page_state(driver, states, timeout=180):
    return wait_until(lambda: page_state(driver) in states and page_state(driver), timeout, f"the page's #request-state to become one of {states}")


def by_id(driver, element_id):
    return driver.find_element(By.ID, element_id)


def attr(driver, element_id, name):
    return by_id(driver, element_id).get_attribute(name)


def open_page(ctx, path):
    ctx.driver.get(ctx.base + path)
    WebDriverWait(ctx.driver, 20).until(lambda d: d.execute_script("return document.readyState") == "complete")


def set_viewport(driver, width, height):
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
    )


def screenshot(ctx, name):
    """Saves the page at 1280x800 and at 375x667 (viewport and full page) and checks that
    neither size scrolls sideways."""
    driver = ctx.driver
    folder = ctx.artifacts / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    problems = []
    for width, height in ((1280, 800), (375, 667)):
        set_viewport(driver, width, height)
        time.sleep(0.6)  # layout, ResizeObserver and one animation frame for the plot
        # Against the emulated width: a mobile viewport zooms out to fit wide content, which
        # would hide the overflow from window.innerWidth.
        overflow = driver.execute_script("return document.documentElement.scrollWidth") - width
        if overflow > 1:
            problems.append(f"{name} scrolls sideways by {overflow}px at {width}x{height}")
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})
        (folder / f"{name}-{width}x{height}.png").write_bytes(base64.b64decode(shot["data"]))
        full = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
        (folder / f"{name}-{width}x{height}-full.png").write_bytes(base64.b64decode(full["data"]))
    set_viewport(driver, 1280, 800)
    time.sleep(0.3)
    assert not problems, "; ".join(problems)


def assert_controls_labelled(driver, page):
    unlabelled = driver.execute_script(
        """
        const bad = [];
        for (const c of document.querySelectorAll('input, select, textarea, button, canvas[tabindex]')) {
          if (c.type === 'hidden') continue;
          const named = (c.labels && c.labels.length) || c.getAttribute('aria-label') || c.getAttribute('aria-labelledby')
            || (c.tagName === 'BUTTON' && c.textContent.trim());
          if (!named) bad.push(c.id || c.outerHTML.slice(0, 80));
        }
        return bad;
        """
    )
    assert not unlabelled, f"controls without a label on {page}: {unlabelled}"


def tab_through(driver, stop_id, limit=80):
    """Presses Tab from the top of the page until `stop_id` has focus; returns the focus order."""
    driver.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
    body = driver.find_element(By.TAG_NAME, "body")
    ActionChains(driver).move_to_element_with_offset(body, 0, 0).perform()
    order = []
    for _ in range(limit):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        info = driver.execute_script(
            """
            const e = document.activeElement;
            const style = getComputedStyle(e);
            return {id: e.id || e.getAttribute('href') || e.tagName, tag: e.tagName,
                    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0};
            """
        )
        order.append(info)
        if info["id"] == stop_id:
            return order
    raise AssertionError(f"Tab never reached #{stop_id}; the order was {[i['id'] for i in order]}")


def canvas_pixels(driver):
    """Counts coloured (non-grey) pixels of #plot: the grid and text are grey, the points are not."""
    return driver.execute_script(
        """
        const c = document.getElementById('plot');
        const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let coloured = 0;
        for (let i = 0; i < data.length; i += 4) {
          const r = data[i], g = data[i + 1], b = data[i + 2];
          if (Math.max(r, g, b) - Math.min(r, g, b) > 60) coloured += 1;
        }
        return coloured;
        """
    )


def wait_for_plot(driver, timeout=60):
    wait_until(
        lambda: not by_id(driver, "plot-section").get_attribute("hidden") and int(attr(driver, "plot", "data-points") or 0) > 0,
        timeout,
        "the plot to draw points (#plot data-points > 0)",
    )
    return int(attr(driver, "plot", "data-points"))


def hover_isolated_point(ctx):
    """Moves the mouse onto a point with no other point within 12 px and returns that point."""
    driver = ctx.driver
    canvas = by_id(driver, "plot")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", canvas)
    time.sleep(0.3)
    points = driver.execute_script(
        """
        const rows = window.bulkpredictPlot.rows(400);
        return rows.map(r => Object.assign({}, r, window.bulkpredictPlot.screenPositionOf(r.row)));
        """
    )
    points = [p for p in points if p.get("x") is not None]
    assert points, "window.bulkpredictPlot.screenPositionOf found no point on screen"
    chosen = None
    for p in points:
        if all((p is q) or (p["x"] - q["x"]) ** 2 + (p["y"] - q["y"]) ** 2 > 144 for q in points):
            chosen = p
            break
    assert chosen, "every plotted point overlaps another; cannot hover one unambiguously"
    size = canvas.size
    # Selenium 4 offsets are from the element's centre.
    dx = round(chosen["x"] - size["width"] / 2)
    dy = round(chosen["y"] - size["height"] / 2)
    ActionChains(driver).move_to_element_with_offset(canvas, dx, dy).perform()
    tooltip = by_id(driver, "plot-tooltip")
    wait_until(lambda: tooltip.is_displayed(), 10, "the tooltip to appear on hover")
    return chosen, tooltip.text


def downloaded_file(folder, suffix, timeout=60):
    def done():
        files = [f for f in Path(folder).iterdir() if f.name.endswith(suffix)]
        partial = [f for f in Path(folder).iterdir() if f.name.endswith(".crdownload")]
        return files[0] if files and not partial else None

    return wait_until(done, timeout, f"a downloaded *{suffix} file in {folder}")


# ---------------------------------------------------------------- tests


def test_submit_file_and_watch_progress(ctx):
    """Upload the shared molecules file through the file input and watch it finish."""
    driver = ctx.driver
    open_page(ctx, "/")
    wait_until(lambda: driver.find_elements(By.ID, "model-chem.descriptors"), 20, "the model checkboxes to load")
    assert_controls_labelled(driver, "/")
    screenshot(ctx, "start-page")
    # Drag and drop: a file dropped on the zone is chosen like one picked in the file input.
    driver.execute_script(
        """
        const zone = document.getElementById('drop-zone');
        const transfer = new DataTransfer();
        transfer.items.add(new File(['CCO\\n'], 'dropped.smi', {type: 'text/plain'}));
        for (const type of ['dragenter', 'dragover', 'drop']) {
          zone.dispatchEvent(new DragEvent(type, {dataTransfer: transfer, bubbles: true, cancelable: true}));
        }
        """
    )
    wait_until(lambda: "dropped.smi" in by_id(driver, "file-chosen").text, 5, "the dropped file to be chosen")
    by_id(driver, "file-clear").click()
    assert by_id(driver, "smiles-input").is_enabled(), "removing the file should enable the textarea again"

    by_id(driver, "routing-models").click()
    by_id(driver, "model-chem.descriptors").click()
    by_id(driver, "file-input").send_keys(str(ctx.shared / "molecules" / "chembl_samples.csv"))
    wait_until(lambda: "chembl_samples.csv" in by_id(driver, "file-chosen").text, 10, "the chosen file's name to show")
    assert not by_id(driver, "smiles-input").is_enabled(), "the textarea should be disabled while a file is chosen"
    wait_until(lambda: attr(driver, "model-count", "data-count") == "1", 10, "#model-count to show 1 model")
    by_id(driver, "submit-button").click()
    wait_until(lambda: re.search(r"/requests/[0-9a-f-]{36}$", driver.current_url), 30, "navigation to /requests/{id}")
    request_id = driver.current_url.rsplit("/", 1)[1]

    seen = set()

    def finished():
        state = page_state(driver)
        seen.add(state)
        return state in FINISHED and state

    state = wait_until(finished, 180, "the request page to show a finished state")
    assert state in ("completed", "completed_with_errors"), f"the request ended {state}; states seen {seen}"
    wait_until(lambda: attr(driver, "progress-overall", "aria-valuenow") == "100", 10, "overall progress 100%")
    assert attr(driver, "progress-chem.descriptors", "aria-valuenow") == "100", "the model's progress bar should show 100%"
    assert by_id(driver, "job-state-chem.descriptors").get_attribute("data-state") == state
    assert by_id(driver, "succeeded-chem.descriptors").text.replace(",", "").replace("\u202f", "") not in ("", "0")
    assert "2,000" in by_id(driver, "overall-text").text or "2000" in by_id(driver, "overall-text").text, by_id(driver, "overall-text").text
    ctx.molecule_request = request_id
    wait_for_plot(driver)
    assert_controls_labelled(driver, "/requests/{id}")
    screenshot(ctx, "request-completed")

    open_page(ctx, "/requests")
    row = wait_until(lambda: driver.find_elements(By.CSS_SELECTOR, f'#requests-table tr[data-request-id="{request_id}"]'), 20, "the request in the list")
    assert row[0].find_element(By.CSS_SELECTOR, '[role="progressbar"]').get_attribute("aria-valuenow") == "100"
    assert_controls_labelled(driver, "/requests")
    screenshot(ctx, "requests-list")


def test_cancel_long_request(ctx):
    """Cancel a long request from its page through the confirmation dialog."""
    driver = ctx.driver
    request_id = submit(ctx, {"records": ["CCO"] * 300_000, "models": ["diag.cpu"], "chunk_size": 1000, "max_parallel": 2})
    open_page(ctx, f"/requests/{request_id}")
    wait_page_state(driver, {"running"}, 60)

    def succeeded():
        return int(re.sub(r"\D", "", by_id(driver, "succeeded-diag.cpu").text) or 0)

    first = wait_until(lambda: succeeded() > 0 and succeeded(), 60, "records to succeed")
    wait_until(lambda: succeeded() > first, 30, "progress to increase while running")
    wait_until(lambda: by_id(driver, "rate").text not in ("", "—"), 15, "a rate to be shown")
    cancel = by_id(driver, "cancel-button")
    assert cancel.is_enabled(), "cancel should be enabled while running"
    cancel.click()
    dialog = by_id(driver, "cancel-dialog")
    wait_until(lambda: driver.execute_script("return arguments[0].open", dialog), 5, "the cancel dialog to open")
    summary = by_id(driver, "cancel-summary").text
    assert "diag.cpu" in summary and "running" in summary and "not yet predicted" in summary, f"the dialog should say what stops: {summary!r}"
    screenshot(ctx, "request-cancel-dialog")
    by_id(driver, "cancel-confirm").click()
    wait_page_state(driver, {"cancelled"}, 90)
    wait_until(lambda: "Cancelled" in by_id(driver, "action-status").text, 30, "the outcome of the cancel to be shown")
    stopped = succeeded()
    time.sleep(3)
    assert succeeded() == stopped, "progress kept increasing after the request was cancelled"
    _, status = api_json(ctx, "GET", f"/api/v1/requests/{request_id}")
    assert status["state"] == "cancelled", status["state"]
    assert status["jobs"][0]["cancelled"] > 0, "nothing was cancelled: the request finished before the cancel"
    assert not by_id(driver, "retry-button").is_enabled()
    screenshot(ctx, "request-cancelled")


def test_retry_and_error_rows(ctx):
    """A request with invalid SMILES lists its failed records and can be retried."""
    driver = ctx.driver
    invalid = ["C1CC", "not_a_smiles", "Xx"]
    request_id = submit(ctx, {"records": ["CCO", invalid[0], invalid[1], "c1ccccc1", invalid[2]], "models": ["chem.formula"]})
    before = wait_for_api_state(ctx, request_id, FINISHED, 60)
    assert before["state"] == "completed_with_errors", before["state"]
    open_page(ctx, f"/requests/{request_id}")
    wait_page_state(driver, {"completed_with_errors"}, 30)

    def error_rows():
        rows = driver.find_elements(By.CSS_SELECTOR, "#error-rows tbody tr")
        return rows if len(rows) == 3 else None

    rows = wait_until(error_rows, 30, "the three failed records in #error-rows")
    listed = {row.find_element(By.CSS_SELECTOR, "td.input").text: row.find_element(By.CSS_SELECTOR, "td.reason").text for row in rows}
    assert set(listed) == set(invalid), f"error rows list {sorted(listed)}, expected {sorted(invalid)}"
    assert all("invalid SMILES" in reason for reason in listed.values()), listed
    screenshot(ctx, "request-with-errors")

    retry = by_id(driver, "retry-button")
    assert retry.is_enabled(), "retry should be enabled for completed_with_errors"
    retry.click()
    wait_until(lambda: "Retrying" in by_id(driver, "action-status").text, 15, "the retry to be acknowledged")
    after = wait_for_api_state(ctx, request_id, FINISHED, 60)
    assert after["revision"] > before["revision"], "the request did not run again (same revision)"
    wait_page_state(driver, {"completed_with_errors"}, 30)
    wait_until(lambda: attr(driver, "progress-overall", "aria-valuenow") == "100", 15, "progress 100% after the retry")
    rows = wait_until(error_rows, 30, "the failed records listed again after the retry")
    assert {row.find_element(By.CSS_SELECTOR, "td.input").text for row in rows} == set(invalid)


def test_downloads_match_api(ctx):
    """Download links serve the same bytes as the API, and the Parquet reads with pyarrow."""
    import pyarrow.parquet as pq

    driver = ctx.driver
    request_id = ctx.molecule_request or submit(ctx, {"records": ["CCO", "c1ccccc1O", "CC(=O)O"], "models": ["chem.descriptors"]})
    status = wait_for_api_state(ctx, request_id, FINISHED, 120)
    open_page(ctx, f"/requests/{request_id}")
    wait_until(lambda: driver.find_elements(By.CSS_SELECTOR, "#downloads a[data-format][data-layout]"), 30, "download links")
    links = {
        (a.get_attribute("data-format"), a.get_attribute("data-layout")): a.get_attribute("href")
        for a in driver.find_elements(By.CSS_SELECTOR, "#downloads a[data-format][data-layout]")
    }
    expected = {("parquet", "wide"), ("parquet", "long"), ("csv", "wide"), ("csv", "long"), ("jsonl", "wide")}
    assert expected <= set(links), f"missing download links: {expected - set(links)}"
    assert ("parquetbundle", "bundle") not in links, "a molecule request has no embedding bundle"

    for (fmt, layout), query in {
        ("csv", "wide"): "format=csv",
        ("csv", "long"): "format=csv&layout=long",
        ("parquet", "wide"): "format=parquet",
        ("parquet", "long"): "format=parquet&layout=long",
        ("jsonl", "wide"): "format=jsonl",
    }.items():
        href = links[(fmt, layout)]
        assert href.startswith(ctx.base), f"link {href} is not on the server under test"
        code, _, from_link = http(ctx, "GET", href[len(ctx.base):])
        assert code == 200, f"{href} answered {code}"
        code, _, from_api = http(ctx, "GET", f"/api/v1/requests/{request_id}/result?{query}")
        assert code == 200
        assert from_link == from_api, f"{fmt}/{layout}: the link's bytes differ from GET /result?{query}"
        if fmt == "parquet":
            table = pq.read_table(io.BytesIO(from_link))
            assert table.num_rows > 0, f"{fmt}/{layout} has no rows"
            if layout == "wide":
                assert table.num_rows == status["result"]["rows"], (table.num_rows, status["result"])
        if (fmt, layout) == ("csv", "wide"):
            assert hashlib.sha256(from_link).hexdigest() == status["result"]["sha256"], "the CSV differs from the status's sha256"


def test_plot_molecules_and_proteins(ctx):
    """The scatter plot draws, hovers, zooms and colours for a molecule and a protein request."""
    driver = ctx.driver
    # Molecules: the finished chembl request.
    request_id = ctx.molecule_request or submit(ctx, {"records": ["CCO", "c1ccccc1O", "CC(=O)O", "CCN", "CCCC"], "models": ["chem.descriptors"]})
    wait_for_api_state(ctx, request_id, FINISHED, 120)
    open_page(ctx, f"/requests/{request_id}")
    points = wait_for_plot(driver)
    assert canvas_pixels(driver) > 50, "the canvas looks blank: no coloured pixels"
    numeric = [o.get_attribute("value") for o in Select(by_id(driver, "plot-x")).options]
    assert len(numeric) >= 2, f"too few numeric columns offered: {numeric}"
    point, text = hover_isolated_point(ctx)
    label = point["id"] or f"Row {point['row']}"
    assert label in text, f"tooltip {text!r} should name the record {label!r}"

    # Mouse: dragging pans (the point moves with the pointer), the wheel zooms.
    canvas = by_id(driver, "plot")

    def position():
        return driver.execute_script("return window.bulkpredictPlot.screenPositionOf(arguments[0])", point["row"])

    before = position()
    ActionChains(driver).click_and_hold().move_by_offset(-60, -40).release().perform()
    after = wait_until(lambda: position() if position() and abs(position()["x"] - before["x"] + 60) < 3 else None, 5, "a drag to pan the plot")
    assert abs(after["y"] - before["y"] + 40) < 3, f"the point should follow the drag: {before} -> {after}"
    driver.execute_script("document.getElementById('plot-reset').click()")
    wait_until(lambda: int(attr(driver, "plot", "data-points")) == points, 5, "Reset view to show every point")
    ActionChains(driver).scroll_from_origin(ScrollOrigin.from_element(canvas), 0, -600).perform()
    wait_until(lambda: int(attr(driver, "plot", "data-points")) < points, 5, "the wheel to zoom in")
    driver.execute_script("document.getElementById('plot-reset').click()")
    wait_until(lambda: int(attr(driver, "plot", "data-points")) == points, 5, "Reset view after the wheel zoom")

    # Keyboard: Tab onto the canvas shows the point nearest the centre; + zooms in (fewer
    # points in view), 0 resets.
    ActionChains(driver).move_to_element(by_id(driver, "plot-heading")).perform()
    driver.execute_script("document.getElementById('plot-reset').focus()")
    ActionChains(driver).send_keys(Keys.TAB).perform()
    assert driver.execute_script("return document.activeElement.id") == "plot", "Tab after the zoom buttons should reach the plot"
    wait_until(lambda: by_id(driver, "plot-tooltip").is_displayed(), 10, "keyboard focus on the plot to show the nearest point's tooltip")
    ActionChains(driver).send_keys("+++++").perform()
    wait_until(lambda: int(attr(driver, "plot", "data-points")) < points, 10, "+ to zoom in")
    ActionChains(driver).send_keys("0").perform()
    wait_until(lambda: int(attr(driver, "plot", "data-points")) == points, 10, "0 to reset the view")

    # Colour by a numeric column (a continuous scale with a legend), then by a text column
    # (a palette with a legend).
    colourable = [o.get_attribute("value") for o in Select(by_id(driver, "plot-color")).options if o.get_attribute("value")]
    numeric_colour = [name for name in colourable if name in numeric]
    text_colour = [name for name in colourable if name not in numeric]
    assert numeric_colour and text_colour, f"colour choices should hold numeric and text columns: {colourable}"
    Select(by_id(driver, "plot-color")).select_by_value(numeric_colour[0])
    wait_until(lambda: driver.find_elements(By.CSS_SELECTOR, "#plot-legend .ramp"), 20, "a colour ramp legend")
    Select(by_id(driver, "plot-color")).select_by_value(text_colour[0])
    wait_until(lambda: driver.find_elements(By.CSS_SELECTOR, "#plot-legend .swatch"), 20, "a categorical legend")
    Select(by_id(driver, "plot-color")).select_by_value(numeric_colour[0])
    wait_until(lambda: driver.find_elements(By.CSS_SELECTOR, "#plot-legend .ramp"), 20, "the colour ramp legend again")
    screenshot(ctx, "request-plot-molecules")

    # Proteins: upload LuxC.faa to both protein models through the form.
    open_page(ctx, "/")
    wait_until(lambda: driver.find_elements(By.ID, "model-protein.composition"), 20, "the model checkboxes to load")
    by_id(driver, "routing-models").click()
    by_id(driver, "model-protein.properties").click()
    by_id(driver, "model-protein.composition").click()
    by_id(driver, "file-input").send_keys(str(ctx.shared / "proteins" / "LuxC.faa"))
    wait_until(lambda: attr(driver, "model-count", "data-count") == "2", 10, "#model-count to show 2 models")
    by_id(driver, "submit-button").click()
    wait_until(lambda: re.search(r"/requests/[0-9a-f-]{36}$", driver.current_url), 30, "navigation to the protein request")
    ctx.protein_request = driver.current_url.rsplit("/", 1)[1]
    assert wait_page_state(driver, FINISHED, 120) == "completed"
    wait_for_plot(driver)
    assert canvas_pixels(driver) > 20, "the protein plot looks blank"
    x_axis = Select(by_id(driver, "plot-x")).first_selected_option.get_attribute("value")
    assert x_axis == "PCA 1", f"the protein plot should default to the PCA projection, x is {x_axis!r}"
    links = {(a.get_attribute("data-format"), a.get_attribute("data-layout")) for a in driver.find_elements(By.CSS_SELECTOR, "#downloads a")}
    assert {("parquet", "embeddings"), ("parquetbundle", "bundle")} <= links, f"embedding downloads missing: {links}"
    point, text = hover_isolated_point(ctx)
    assert point["id"] and point["id"] in text, f"tooltip {text!r} should show the sequence id {point['id']!r}"
    Select(by_id(driver, "plot-color")).select_by_value("protein.properties.gravy")
    wait_until(lambda: driver.find_elements(By.CSS_SELECTOR, "#plot-legend .ramp"), 20, "a colour ramp for gravy")
    screenshot(ctx, "request-plot-proteins")


def test_keyboard_only_start_page(ctx):
    """Tab reaches every control in order; an empty model choice shows the API's problem there."""
    driver = ctx.driver
    open_page(ctx, "/")
    wait_until(lambda: driver.find_elements(By.ID, "model-chem.formula"), 20, "the model checkboxes to load")
    order = tab_through(driver, "submit-button")
    ids = [entry["id"] for entry in order]
    wanted = ["smiles-input", "file-input", "routing-target", "target", "max-parallel", "submit-button"]
    positions = [ids.index(name) if name in ids else -1 for name in wanted]
    assert -1 not in positions, f"Tab missed {[w for w, p in zip(wanted, positions) if p < 0]}; order: {ids}"
    assert positions == sorted(positions), f"the tab order is not the page order: {ids}"
    assert any(entry["tag"] == "SUMMARY" for entry in order), f"the Advanced <details> is not reachable: {ids}"
    missing_outline = [entry["id"] for entry in order if not entry["outline"]]
    assert not missing_outline, f"no visible focus outline on {missing_outline}"

    # Type SMILES, switch to explicit models with the arrow key, tick nothing, submit with Enter.
    by_id(driver, "smiles-input").click()
    ActionChains(driver).send_keys("CCO").send_keys(Keys.ENTER).send_keys("c1ccccc1").perform()
    driver.execute_script("document.getElementById('routing-target').focus()")
    ActionChains(driver).send_keys(Keys.ARROW_RIGHT).perform()
    wait_until(lambda: by_id(driver, "routing-models").is_selected(), 5, "arrow key to choose 'Choose models'")
    order = tab_through(driver, "submit-button")
    ids = [entry["id"] for entry in order]
    assert "model-chem.formula" in ids, f"Tab should reach the model checkboxes: {ids}"
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    error = by_id(driver, "models-error")
    wait_until(lambda: error.text.strip(), 20, "a problem shown in #models-error")
    assert "no models chosen" in error.text, f"#models-error should show the API's detail, got {error.text!r}"
    assert driver.execute_script("return document.activeElement.closest('#routing') !== null"), "focus should move to the models field"
    assert by_id(driver, "form-error").text.strip() == "", "the problem belongs next to the models, not in the general area"
    screenshot(ctx, "start-page-error")


def test_new_user_path(ctx):
    """From / to a downloaded Parquet file and a plot: paste SMILES, pick a target, submit."""
    import pyarrow.parquet as pq

    driver = ctx.driver
    smiles = [
        line.strip()
        for line in (ctx.shared / "molecules" / "chembl_samples.csv").read_text().splitlines()[1:41]
        if line.strip()
    ]
    open_page(ctx, "/")
    wait_until(lambda: len(Select(by_id(driver, "target")).options) > 1, 20, "the targets to load")
    textarea = by_id(driver, "smiles-input")
    textarea.send_keys("\n".join(smiles))
    wait_until(lambda: "SMILES: 40 molecules" in by_id(driver, "input-kind").text, 10, "the pasted text to be recognised as 40 SMILES")
    Select(by_id(driver, "target")).select_by_value("physchem")
    wait_until(lambda: attr(driver, "model-count", "data-count") == "1", 10, "the target to resolve to one model")
    assert "chem.formula" in by_id(driver, "model-count").text
    by_id(driver, "submit-button").click()
    wait_until(lambda: "/requests/" in driver.current_url, 30, "navigation to the request page")
    assert wait_page_state(driver, FINISHED, 120) == "completed"
    for leftover in Path(ctx.downloads).iterdir():
        leftover.unlink()
    link = wait_until(lambda: driver.find_elements(By.CSS_SELECTOR, '#downloads a[data-format="parquet"][data-layout="wide"]'), 30, "the Parquet link")[0]
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
    link.click()
    file = downloaded_file(ctx.downloads, ".parquet")
    table = pq.read_table(file)
    assert table.num_rows == len(smiles), f"the downloaded Parquet has {table.num_rows} rows, expected {len(smiles)}"
    assert "chem.formula.formula" in table.column_names, table.column_names
    wait_for_plot(driver)
    assert canvas_pixels(driver) > 20


def test_pasted_fasta(ctx):
    """Pasted FASTA is recognised and runs on the protein target's model."""
    driver = ctx.driver
    text = (ctx.shared / "proteins" / "LuxC.faa").read_text()
    two = ">" + ">".join(text.split(">")[1:3])
    open_page(ctx, "/")
    wait_until(lambda: len(Select(by_id(driver, "target")).options) > 1, 20, "the targets to load")
    # Set the text directly: typing two long sequences key by key would only slow the test.
    driver.execute_script(
        "const t = document.getElementById('smiles-input'); t.value = arguments[0]; t.dispatchEvent(new Event('input'))", two
    )
    wait_until(lambda: "FASTA: 2 protein sequences" in by_id(driver, "input-kind").text, 5, "the paste to be recognised as FASTA")
    Select(by_id(driver, "target")).select_by_value("protein_properties")
    wait_until(lambda: attr(driver, "model-count", "data-count") == "1", 10, "protein_properties to resolve to one model")
    assert "protein.properties" in by_id(driver, "model-count").text
    by_id(driver, "submit-button").click()
    wait_until(lambda: "/requests/" in driver.current_url, 30, "navigation to the request page")
    assert wait_page_state(driver, FINISHED, 60) == "completed"
    assert by_id(driver, "record-count").text == "2", by_id(driver, "record-count").text
    assert by_id(driver, "input-kind-fact").text == "Protein sequences"


def test_requests_list_pages_and_refresh(ctx):
    """The list pages by 20, newest first, and shows new requests without a reload."""
    driver = ctx.driver
    _, listing = api_json(ctx, "GET", "/api/v1/requests?limit=1")
    for _ in range(max(0, 21 - listing["total"])):
        submit(ctx, {"records": ["C"], "models": ["diag.noop"]})
    open_page(ctx, "/requests")
    wait_until(lambda: len(driver.find_elements(By.CSS_SELECTOR, "#requests-body tr[data-request-id]")) == 20, 20, "a first page of 20 requests")
    assert not by_id(driver, "prev-page").is_enabled(), "there is no newer page than the first"
    _, listing = api_json(ctx, "GET", "/api/v1/requests?limit=20")
    shown = [row.get_attribute("data-request-id") for row in driver.find_elements(By.CSS_SELECTOR, "#requests-body tr[data-request-id]")]
    assert shown == [status["id"] for status in listing["requests"]], "the list should show the API's newest 20, in order"
    by_id(driver, "next-page").click()
    wait_until(lambda: "page=2" in driver.current_url and by_id(driver, "page-info").text.startswith("21"), 20, "the second page")
    assert by_id(driver, "prev-page").is_enabled()
    by_id(driver, "prev-page").click()
    wait_until(lambda: by_id(driver, "page-info").text.startswith("1"), 20, "back to the first page")

    fresh = submit(ctx, {"records": ["CC"], "models": ["diag.noop"]})
    wait_until(
        lambda: driver.find_elements(By.CSS_SELECTOR, f'#requests-body tr[data-request-id="{fresh}"]'), 15, "a new request to appear without a reload"
    )
    first = driver.find_element(By.CSS_SELECTOR, "#requests-body tr[data-request-id]")
    assert first.get_attribute("data-request-id") == fresh, "the newest request should be first"
    wait_until(
        lambda: driver.find_element(By.CSS_SELECTOR, f'#requests-body tr[data-request-id="{fresh}"]').get_attribute("data-state") == "completed",
        30,
        "the new request's state to refresh to completed",
    )


TESTS = [
    test_submit_file_and_watch_progress,
    test_cancel_long_request,
    test_retry_and_error_rows,
    test_downloads_match_api,
    test_plot_molecules_and_proteins,
    test_keyboard_only_start_page,
    test_new_user_path,
    test_pasted_fasta,
    test_requests_list_pages_and_refresh,
]


# ---------------------------------------------------------------- runner


def make_driver(downloads):
    options = webdriver.ChromeOptions()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if chromium:
        options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,800", "--force-color-profile=srgb"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # An explicit driver path keeps Selenium Manager from trying to download one.
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    set_viewport(driver, 1280, 800)
    return driver


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", help="the bulkpredict executable to start")
    parser.add_argument("--url", help="test a server that is already running instead")
    parser.add_argument("--artifacts", required=True, help="directory for screenshots and logs")
    parser.add_argument("--shared-data", default=str(REPO.parent / "shared" / "data"), help="the shared data folder")
    parser.add_argument("-k", dest="only", help="run only tests whose name contains this")
    args = parser.parse_args()
    if bool(args.binary) == bool(args.url):
        parser.error("give exactly one of --binary and --url")

    artifacts = Path(args.artifacts).resolve()
    artifacts.mkdir(parents=True, exist_ok=True)
    shared = Path(args.shared_data).resolve()
    for needed in ("molecules/chembl_samples.csv", "proteins/LuxC.faa"):
        if not (shared / needed).is_file():
            sys.exit(f"missing shared data file {shared / needed} (see --shared-data)")
    downloads = Path(tempfile.mkdtemp(prefix="bulkpredict-downloads-"))

    server = Server(Path(args.binary).resolve(), artifacts) if args.binary else None
    base = server.url if server else args.url.rstrip("/")
    print(f"testing {base}", flush=True)
    driver = None
    results = []
    try:
        driver = make_driver(downloads)
        ctx = Context(base, artifacts, shared, driver, downloads)
        for test in TESTS:
            if args.only and args.only not in test.__name__:
                continue
            started = time.time()
            driver.get_log("browser")  # start each test with an empty console
            try:
                test(ctx)
                script_errors = [e["message"] for e in driver.get_log("browser") if "Uncaught" in e["message"]]
                assert not script_errors, f"script errors in the browser console: {script_errors}"
                results.append((test.__name__, None))
                print(f"PASS {test.__name__} ({time.time() - started:.1f} s)", flush=True)
            except Exception as error:  # noqa: BLE001 - every failure is reported, then the next test runs
                results.append((test.__name__, error))
                print(f"FAIL {test.__name__} ({time.time() - started:.1f} s): {error}", flush=True)
                traceback.print_exc()
                save_failure(driver, artifacts, test.__name__)
    finally:
        if driver:
            driver.quit()
        if server:
            server.stop()
        shutil.rmtree(downloads, ignore_errors=True)

    failed = [name for name, error in results if error]
    print()
    for name, error in results:
        print(f"  {'FAIL' if error else 'ok  '} {name}" + (f": {str(error).splitlines()[0][:200]}" if error else ""))
    print(f"screenshots in {artifacts / 'screenshots'}")
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    sys.exit(1 if failed or not results else 0)


def save_failure(driver, artifacts, name):
    folder = artifacts / "failures"
    folder.mkdir(parents=True, exist_ok=True)
    try:
        set_viewport(driver, 1280, 800)
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
        (folder / f"{name}.png").write_bytes(base64.b64decode(shot["data"]))
        logs = driver.get_log("browser")
        (folder / f"{name}.console.txt").write_text("\n".join(f"{e['level']} {e['message']}" for e in logs) + f"\nURL: {driver.current_url}\n")
    except Exception as error:  # noqa: BLE001 - a broken browser must not hide the test's own failure
        print(f"  (could not save the failure's screenshot: {error})")


if __name__ == "__main__":
    main()
