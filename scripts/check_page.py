"""Drives the chat page of `stack serve` in headless Chromium, as a user with a keyboard would.

Run by scripts/check-page.sh (which starts the server, and hands the trace id this prints to
`StackChecks page` to find in Phoenix): loads the page, asks a question with the keyboard, waits for
the streamed answer, its trace link and its accepted timing report, optionally saves a screenshot,
clicks thumbs down, waits for the feedback to be accepted, and fails on any console error.
"""
import argparse
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait


def fail(message):
    print(f"[check_page.py] error: {message}", file=sys.stderr)
    sys.exit(1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--page", required=True)
    parser.add_argument("--screenshot")
    parser.add_argument("--expect-model-down", action="store_true",
                        help="the server's model server is down: expect a plain message, not an answer")
    args = parser.parse_args()

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=900,1000", "--lang=en-US"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)
    try:
        driver.get(args.page)
        wait = WebDriverWait(driver, 120)
        question = wait.until(EC.element_to_be_clickable((By.ID, "question")))
        if driver.switch_to.active_element != question:
            fail("the question box does not have the keyboard focus on load")
        # Keyboard only: type and press Enter.
        question.send_keys("Name one database.")
        question.send_keys(Keys.ENTER)
        answer = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "li.turn.assistant[data-done='true']")))
        errors = answer.find_elements(By.CSS_SELECTOR, ".error")
        if args.expect_model_down:
            shown = errors[0].text if errors else ""
            if "model server" not in shown:
                fail(f"with the model server down the page should say so; it shows {shown!r} / {answer.text!r}")
            # The browser logs the 502 itself as a failed resource load; anything else is a script error.
            console = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE" and "Failed to load resource" not in e.get("message", "")]
            if console:
                fail(f"the browser console has errors: {console}")
            print(f"[check_page.py] model server down: the page says {shown!r}", file=sys.stderr)
            return
        if errors:
            fail(f"the page shows an error instead of an answer: {errors[0].text}")
        text = answer.find_element(By.CSS_SELECTOR, ".text").text.strip()
        if not text:
            fail("the answer is empty")
        passages = answer.find_elements(By.CSS_SELECTOR, "details.passages li")
        if not passages:
            fail("the answer shows no passages from the index")
        trace_id = answer.get_attribute("data-trace-id")
        link = answer.find_element(By.CSS_SELECTOR, "a.trace-link").get_attribute("href")
        if not trace_id or len(trace_id) != 32 or not link.endswith(f"/redirects/traces/{trace_id}"):
            fail(f"the answer has no trace link: trace {trace_id!r}, link {link!r}")
        wait.until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-last-timing-report"))
        report = driver.find_element(By.TAG_NAME, "body").get_attribute("data-last-timing-report")
        if report != "202":
            fail(f"the browser timing report was answered {report}, expected 202")
        answer.find_element(By.CSS_SELECTOR, "button.down").click()
        wait.until(lambda d: answer.get_attribute("data-feedback"))
        feedback = answer.get_attribute("data-feedback")
        if feedback not in ("200", "202"):
            fail(f"thumbs down was answered {feedback}: {answer.find_element(By.CSS_SELECTOR, '.feedback-result').text}")
        if args.screenshot:
            driver.save_screenshot(args.screenshot)
        console = [entry for entry in driver.get_log("browser") if entry.get("level") == "SEVERE"]
        if console:
            fail(f"the browser console has errors: {console}")
        print(f"[check_page.py] answered ({len(text)} characters, {len(passages)} passages) in trace {trace_id}; feedback {feedback}", file=sys.stderr)
    finally:
        driver.quit()

    # The trace id on stdout, for StackChecks to find in Phoenix.
    print(trace_id)


if __name__ == "__main__":
    main()
