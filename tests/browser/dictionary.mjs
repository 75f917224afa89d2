// The reader's dictionary in headless Chromium, as a reader uses it.
//
//   node tests/browser/dictionary.mjs BASE_URL ARTICLE_PATH
//
// The article's body must contain "soldiers" and "North Korea". Exits non-zero, naming the
// failed step, when anything is off. Run by tests/it/browser.rs; needs Debian's chromium at
// /usr/bin/chromium (or CHROMIUM) and `npm ci --prefix tests/browser` (playwright-core only:
// it never downloads a browser).
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const [base, path] = process.argv.slice(2);
if (!base || !path) {
  console.error("usage: node tests/browser/dictionary.mjs BASE_URL ARTICLE_PATH");
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    // Nothing but the server under test may be reached.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
  ],
});

let step = "open the article page";
const errors = [];

// Playwright page helpers, each about what a reader sees.
const popup = ".dictionary-popup";
const toggle = "[data-dictionary-toggle]";

async function open(context) {
  const page = await context.newPage();
  page.setDefaultTimeout(20_000); // generous: CI runs it beside the other tests on 2 cores
  page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
  // Failed requests are checked by URL below; the console's copy of them names none.
  page.on("console", (m) => m.type() === "error" && !m.text().startsWith("Failed to load resource")
    && errors.push(`console: ${m.text()}`));
  // The browser's own favicon probe is not the page's doing.
  page.on("response", (r) => r.status() >= 400 && !r.url().endsWith("/favicon.ico")
    && errors.push(`${r.status()} for ${r.url()}`));
  await page.goto(new URL(path, base).href);
  return page;
}

// The middle of `word` in the story body: where a reader would click it. With `before`,
// the occurrence preceded by that text ("North " for the "Korea" of North Korea).
async function wordPoint(page, word, before = "") {
  const point = await page.evaluate(([word, before]) => {
    const walker = document.createTreeWalker(document.querySelector(".story-body"), NodeFilter.SHOW_TEXT);
    for (let node; (node = walker.nextNode()); ) {
      const at = node.data.indexOf(before + word);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at + before.length);
      range.setEnd(node, at + before.length + word.length);
      range.startContainer.parentElement.scrollIntoView({ block: "center" });
      const rect = range.getBoundingClientRect();
      return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
    }
    return null;
  }, [word, before]);
  assert.ok(point, `"${before}${word}" is in the story body`);
  return point;
}

async function popupText(page) {
  await page.waitForSelector(`${popup}:not([hidden]) .dictionary-headword`);
  return {
    headword: await page.textContent(`${popup} .dictionary-headword`),
    body: await page.textContent(popup),
  };
}

try {
  const context = await browser.newContext();
  let page = await open(context);

  step = "the script shows the toggle, off";
  await page.waitForSelector(`${toggle}:not([hidden])`);
  assert.equal(await page.getAttribute(toggle, "aria-pressed"), "false");
  assert.match(await page.getAttribute(toggle, "title"), /press D/);

  step = "double-clicking with the toggle off does nothing";
  let at = await wordPoint(page, "soldiers");
  await page.mouse.dblclick(at.x, at.y);
  await page.waitForTimeout(300);
  assert.equal(await page.isVisible(popup), false);

  step = "the toggle turns on and is remembered";
  await page.click(toggle);
  assert.equal(await page.getAttribute(toggle, "aria-pressed"), "true");
  page = await open(context);
  await page.waitForSelector(`${toggle}[aria-pressed="true"]:not([hidden])`);

  step = "double-clicking a plural shows its singular's definitions";
  at = await wordPoint(page, "soldiers");
  await page.mouse.dblclick(at.x, at.y);
  let shown = await popupText(page);
  assert.equal(shown.headword, "soldier");
  assert.match(shown.body, /from .soldiers./);
  assert.match(shown.body, /noun/);
  assert.match(shown.body, /serves in an army/);
  assert.equal(await page.getAttribute(popup, "role"), "dialog");
  assert.ok(await page.getAttribute(popup, "aria-label"));

  step = "focus is in the popup, and Escape closes it and gives focus back to the story";
  assert.ok(await page.evaluate((s) => document.querySelector(s).contains(document.activeElement), popup));
  await page.keyboard.press("Escape");
  await page.waitForSelector(popup, { state: "hidden" });
  const focused = await page.evaluate(() => ({
    inStory: document.querySelector(".story-body").contains(document.activeElement),
    text: document.activeElement.textContent,
  }));
  assert.ok(focused.inStory && focused.text.includes("soldiers"), JSON.stringify(focused));

  step = "a word after its phrase's first word finds the phrase";
  at = await wordPoint(page, "Korea", "North ");
  await page.mouse.dblclick(at.x, at.y);
  shown = await popupText(page);
  assert.equal(shown.headword, "North Korea");

  step = "the close button closes it";
  await page.click(`${popup} .dictionary-close`);
  await page.waitForSelector(popup, { state: "hidden" });

  step = "selecting a phrase and pressing D looks it up";
  await page.evaluate(() => {
    const walker = document.createTreeWalker(document.querySelector(".story-body"), NodeFilter.SHOW_TEXT);
    for (let node; (node = walker.nextNode()); ) {
      const at = node.data.indexOf("North Korea");
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + "North Korea".length);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      return;
    }
  });
  await page.keyboard.press("d");
  shown = await popupText(page);
  assert.equal(shown.headword, "North Korea");
  assert.match(shown.body, /communist country/);
  await page.keyboard.press("Escape");
  await page.waitForSelector(popup, { state: "hidden" });

  step = "a tap looks up the word on a touch screen";
  const phone = await browser.newContext({ hasTouch: true, viewport: { width: 390, height: 800 } });
  page = await open(phone);
  await page.tap(toggle);
  at = await wordPoint(page, "soldiers");
  await page.touchscreen.tap(at.x, at.y);
  shown = await popupText(page);
  assert.equal(shown.headword, "soldier");
  const box = await page.locator(popup).boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= 390, `the popup fits the screen: ${JSON.stringify(box)}`);

  step = "no script errors";
  assert.deepEqual(errors, []);
  console.log("dictionary browser test: all steps passed");
} catch (e) {
  console.error(`dictionary browser test failed at "${step}":\n${e.stack || e}`);
  if (errors.length) console.error(errors.join("\n"));
  process.exitCode = 1;
} finally {
  await browser.close();
}
