// The comment box's counter in headless Chromium, as a reader meets it.
//
//   node tests/browser/comment_counter.mjs BASE_URL ARTICLE_PATH EMAIL PASSWORD
//
// Signs in with the e-mail form, opens the article, waits for the comment box site.js
// fetches into it, types a comment one character over the limit (Korean syllables and an
// emoji with a skin tone: each one character to a reader), and checks the counter, the
// disabled button, and that the server refuses the same comment if it is sent anyway.
// Exits non-zero, naming the failed step. Run by tests/it/browser.rs.
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const [base, path, email, password] = process.argv.slice(2);
if (!base || !path || !email || !password) {
  console.error("usage: node tests/browser/comment_counter.mjs BASE_URL ARTICLE_PATH EMAIL PASSWORD");
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
  ],
});

let step = "sign in";
const errors = [];
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));

  await page.goto(new URL(`/account/signin?return_to=${encodeURIComponent(path)}`, base).href);
  await page.fill("#email", email);
  await page.fill("#password", password);
  await Promise.all([page.waitForURL(new URL(path, base).href), page.click("form[action='/account/signin'] button")]);

  step = "the comment box arrives in the article";
  const box = page.locator("#comments textarea[name='body']");
  await box.waitFor();
  const counter = page.locator("#comments .comment-counter");
  const button = page.locator("#comments form[data-comment-form] button[type='submit']");
  assert.equal(await counter.textContent(), "0/250");
  assert.equal(await button.isDisabled(), false);

  step = "250 characters fit";
  // 248 syllables, one emoji of two code points plus a skin tone, one letter: 250.
  const fits = "가".repeat(248) + "👍🏽" + "a";
  await box.fill(fits);
  assert.equal(await counter.textContent(), "250/250");
  assert.equal(await button.isDisabled(), false);

  step = "the 251st character is typed";
  await box.press("Control+End");
  await page.keyboard.type("!");
  assert.equal(await counter.textContent(), "251/250");
  assert.equal(await button.isDisabled(), true, "the button is disabled over the limit");
  assert.equal(await box.getAttribute("aria-invalid"), "true");

  step = "the server refuses what the counter refuses";
  await page.evaluate(() => {
    document.querySelector("#comments form[data-comment-form] button[type='submit']").disabled = false;
  });
  await Promise.all([page.waitForLoadState("load"), page.waitForURL(/\/comments\/\d+$/), button.click()]);
  const error = await page.locator(".form-error").textContent();
  assert.equal(error.trim(), "Your comment is 251 characters long; the limit is 250.");
  assert.equal(await page.locator("textarea[name='body']").inputValue(), fits + "!", "the words are kept");
  // On the comments page itself (no fetch needed) the counter starts from the kept words.
  assert.equal(await page.locator(".comment-counter").textContent(), "251/250");
  assert.equal(await page.locator("form[data-comment-form] button[type='submit']").isDisabled(), true);

  step = "deleting one character makes it postable";
  await page.locator("textarea[name='body']").press("Control+End");
  await page.keyboard.press("Backspace");
  assert.equal(await page.locator(".comment-counter").textContent(), "250/250");
  await Promise.all([page.waitForURL(/done=posted/), page.locator("form[data-comment-form] button[type='submit']").click()]);
  assert.equal((await page.locator(".comment-body").first().textContent()), fits);

  assert.deepEqual(errors, [], "no script errors");
  console.log("comment counter: ok");
} catch (e) {
  console.error(`comment counter: failed at "${step}": ${e.message}`);
  if (errors.length) console.error(errors.join("\n"));
  process.exitCode = 1;
} finally {
  await browser.close();
}
