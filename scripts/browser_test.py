#!/usr/bin/env python3
"""The page of `copygen serve` in a real browser (`make test-browser`).

Starts the built server with the shipped model on a free port, drives headless Chromium through
Selenium as a person would (keyboard where a person would use it), and checks what they would
see: the posts with their character counters, the filter tab's marks, error messages, and a
phone-width layout without sideways scrolling. Saves a screenshot of the posts.

Exit status 0 when every check passed; 1 with the failed check on standard error.
"""
import argparse
import os
import re
import subprocess
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class CheckFailed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise CheckFailed(message)
    print("ok   " + message)


def start_server(binary, model):
    """The server on a free port; returns the process and the page's address."""
    arguments = [binary, "serve", "--port", "0"] + (["--model", model] if model else [])
    server = subprocess.Popen(arguments, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    line = server.stdout.readline()  # printed once the model is loaded and the port bound
    match = re.search(r"http://[0-9.]+:\d+/", line)
    if not match:
        server.kill()
        raise CheckFailed("the server did not print its address (got %r)" % line)
    return server, match.group(0)


def browser():
    options = Options()
    options.add_argument("--headless=new")
    options.add_argument("--no-sandbox")  # CI runs as root
    options.add_argument("--disable-dev-shm-usage")
    options.add_argument("--window-size=1100,1300")
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if os.path.exists(candidate):
            options.binary_location = candidate
    driver_path = next((p for p in ("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver") if os.path.exists(p)), None)
    service = Service(executable_path=driver_path) if driver_path else Service()
    return webdriver.Chrome(options=options, service=service)


def generate_tab(driver, wait, address, screenshot):
    driver.get(address)
    # The platforms and tones come from /v1/options.
    wait.until(lambda d: len(Select(d.find_element(By.ID, "platform")).options) > 1)
    platforms = [o.get_attribute("value") for o in Select(driver.find_element(By.ID, "platform")).options]
    check("instagram" in platforms and "x" in platforms, "the platform list is filled from the server")

    # An empty topic is refused on the page, with a message.
    driver.find_element(By.ID, "generate").click()
    error = driver.find_element(By.ID, "generate-error")
    check(error.is_displayed() and "about" in error.text, "an empty topic shows a message")

    # A person fills the form with the keyboard and presses Enter.
    topic = driver.find_element(By.ID, "topic")
    topic.send_keys("reusable glass water bottle")
    Select(driver.find_element(By.ID, "platform")).select_by_value("instagram")
    Select(driver.find_element(By.ID, "tone")).select_by_value("playful")
    count = driver.find_element(By.ID, "count")
    count.clear()
    count.send_keys("3")
    topic.send_keys(Keys.ENTER)
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#posts .post")) > 0)
    check(not driver.find_element(By.ID, "generate-error").is_displayed(), "no error after Generate")
    cards = driver.find_elements(By.CSS_SELECTOR, "#posts .post")
    check(len(cards) == 3, "three posts shown (got %d)" % len(cards))
    for index, card in enumerate(cards):
        text = card.find_element(By.CSS_SELECTOR, ".text").text
        counter = card.find_element(By.CSS_SELECTOR, ".count")
        match = re.fullmatch(r"(\d+) / (\d+) characters", counter.text)
        check(match is not None, "post %d has a counter (%r)" % (index + 1, counter.text))
        characters, limit = int(match.group(1)), int(match.group(2))
        check(limit == 2200, "post %d counts against Instagram's 2200" % (index + 1))
        check(0 < characters <= limit, "post %d is within the limit (%d)" % (index + 1, characters))
        # Instagram counts characters as a person does; the page shows the post as sent.
        check(abs(characters - len(text)) <= len(text) // 10 + 2, "post %d's counter matches its text" % (index + 1))
        check(card.find_element(By.CSS_SELECTOR, "button.copy").is_displayed(), "post %d has a Copy button" % (index + 1))
    status = driver.find_element(By.ID, "generate-status").text
    check("3 posts" in status, "the status line says how many posts (%r)" % status)
    if screenshot:
        os.makedirs(os.path.dirname(os.path.abspath(screenshot)), exist_ok=True)
        driver.save_screenshot(screenshot)
        print("saved " + screenshot)

    # An error from the server is shown too: n beyond the API's limit.
    driver.execute_script("document.getElementById('count').value = '99'")
    driver.find_element(By.ID, "generate").click()
    wait.until(lambda d: d.find_element(By.ID, "generate-error").is_displayed())
    message = driver.find_element(By.ID, "generate-error").text
    check("n: must be from 1 to 50" in message, "the server's error is shown (%r)" % message)


def filter_tab(driver, wait):
    tab = driver.find_element(By.ID, "tab-generate")
    tab.send_keys(Keys.ARROW_RIGHT)  # tabs follow the arrow keys
    check(driver.find_element(By.ID, "panel-filter").is_displayed(), "the arrow key opens the filter tab")
    check(driver.switch_to.active_element.get_attribute("id") == "tab-filter", "focus moves to the filter tab")
    copy = driver.find_element(By.ID, "copy")
    copy.send_keys("Hey guys, this deal is sh1t hot. Our chairman agrees.")
    driver.find_element(By.ID, "check").click()
    wait.until(lambda d: d.find_element(By.ID, "filter-result").is_displayed())
    marks = [m.text for m in driver.find_elements(By.CSS_SELECTOR, "#checked-text mark")]
    check(len(marks) == 3 and "guys" in marks[0] and marks[1:] == ["sh1t", "chairman"],
          "the findings are marked in place (%r)" % marks)
    checked = driver.find_element(By.ID, "checked-text").text
    check(checked == "Hey guys, this deal is sh1t hot. Our chairman agrees.", "the marked copy is the pasted copy")
    fixed = driver.find_element(By.ID, "fixed-text").text
    check("guys" not in fixed and "s***" in fixed and "chairman" not in fixed and "chair" in fixed,
          "the suggested version is fixed (%r)" % fixed)
    findings = driver.find_elements(By.CSS_SELECTOR, "#findings li")
    check(len(findings) == 3, "three findings listed")


def phone_width(driver):
    driver.set_window_size(390, 844)
    driver.find_element(By.ID, "tab-generate").click()
    time.sleep(0.2)
    overflow = driver.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
    check(overflow <= 0, "no sideways scrolling at phone width (%d px too wide)" % overflow)
    width = driver.execute_script("return document.querySelector('#posts .post').getBoundingClientRect().width")
    check(width <= 390, "a post card fits a phone's width")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/release/copygen"))
    parser.add_argument("--model", help="model directory (default: the server's, Models/default)")
    parser.add_argument("--screenshot", default=os.path.join(ROOT, ".build/browser-test/serve-page.png"))
    arguments = parser.parse_args()

    server, address = start_server(arguments.binary, arguments.model)
    driver = None
    try:
        driver = browser()
        wait = WebDriverWait(driver, 180)
        generate_tab(driver, wait, address, arguments.screenshot)
        filter_tab(driver, wait)
        phone_width(driver)
        print("browser test passed")
        return 0
    except CheckFailed as failure:
        print("FAILED: %s" % failure, file=sys.stderr)
        return 1
    finally:
        if driver:
            driver.quit()
        server.terminate()
        try:
            status = server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            status = None
        if status not in (0, None):
            print("FAILED: the server exited with status %s after SIGTERM" % status, file=sys.stderr)
            sys.exit(1)


if __name__ == "__main__":
    sys.exit(main())
