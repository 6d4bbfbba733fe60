// The verification widget (web-demo/) in headless Chromium, driven through its data-testid hooks.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { fixturesDir, launchBrowser, startServer, withPage } from './support.mjs';

let server;
let otherServer;  // another origin, without CORS headers
let browser;
before(async () => {
  server = await startServer();
  otherServer = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
  await otherServer?.close();
});

const fixture = (relative) => readFile(path.join(fixturesDir, '1edtech/ob20', relative));
const testid = (id) => `[data-testid=${id}]`;

async function openWidget(page) {
  await page.goto(`${server.origin}/web-demo/index.html`);
  await page.waitForSelector('body[data-ready=true]', { timeout: 30000 });
}

async function verdictText(page) {
  await page.waitForFunction(() => document.querySelector('[data-testid=verdict]')?.textContent, null, { timeout: 30000 });
  return page.textContent(testid('verdict'));
}

async function checks(page) {
  return page.$$eval('[data-testid=check]', (items) =>
    items.map((item) => ({ name: item.dataset.name, ok: item.dataset.ok === 'true', text: item.textContent })));
}

function widgetTest(name, body) {
  test(name, () => withPage(browser, name, body));
}

widgetTest('the widget loads the verifier and shows its version', async (page, { consoleErrors }) => {
  await openWidget(page);
  assert.equal(await page.isEnabled(testid('verify-button')), true);
  assert.match(await page.textContent('#version'), /^\d+\.\d+\.\d+/);
  assert.deepEqual(consoleErrors, []);
});

widgetTest('a valid baked PNG is Valid, with the linked documents fetched and every check passing', async (page, { served }) => {
  await openWidget(page);
  await page.setInputFiles(testid('badge-file'), path.join(fixturesDir, '1edtech/ob20/simple-badge.png'));
  await page.click(testid('verify-button'));
  const verdict = await verdictText(page);
  assert.match(verdict, /^Valid/);
  const list = await checks(page);
  assert.ok(list.length >= 5, `${list.length} checks shown`);
  assert.ok(list.every((check) => check.ok), JSON.stringify(list));
  assert.ok(served.some((url) => url.endsWith('/robotics-badge.json')), `fetched ${served.join(', ')}`);
  assert.equal(await page.isVisible('#badge-image'), true);
});

widgetTest('a tampered baked PNG is Invalid and names the failing check', async (page) => {
  await openWidget(page);
  const png = await fixture('simple-badge.png');
  const at = png.indexOf('openbadges');
  assert.ok(at > 0);
  png[at + 40] ^= 0x01;  // one byte inside the badge chunk: its CRC no longer matches
  await page.setInputFiles(testid('badge-file'), { name: 'tampered.png', mimeType: 'image/png', buffer: png });
  await page.click(testid('verify-button'));
  const verdict = await verdictText(page);
  assert.match(verdict, /^Invalid/);
  const failed = (await checks(page)).filter((check) => !check.ok);
  assert.ok(failed.length > 0);
  assert.ok(verdict.includes(failed[0].name), `verdict "${verdict}" names check ${failed[0].name}`);
});

widgetTest('a revoked signed badge is Invalid, with the revocation check failing', async (page) => {
  await openWidget(page);
  await page.fill(testid('badge-text'), (await fixture('simple-revoked.jwt')).toString());
  await page.click(testid('verify-button'));
  const verdict = await verdictText(page);
  assert.match(verdict, /^Invalid/);
  assert.match(verdict, /revo/i);
  const revocation = (await checks(page)).find((check) => check.name === 'revocation');
  assert.equal(revocation?.ok, false);
  assert.match(await page.textContent('#summary'), /Revocation\s*failed/);
});

widgetTest('a pasted signed badge (JWS) is Valid and its signature is shown as passed', async (page) => {
  await openWidget(page);
  await page.fill(testid('badge-text'), (await fixture('simple.jwt')).toString());
  await page.click(testid('verify-button'));
  assert.match(await verdictText(page), /^Valid/);
  assert.equal((await checks(page)).find((check) => check.name === 'signature')?.ok, true);
  assert.match(await page.textContent('#summary'), /Signature\s*passed/);
});

const ob30 = (relative) => readFile(path.join(fixturesDir, '1edtech/ob30', relative));

widgetTest('a pasted OB 3.0 credential with a Data Integrity proof is Valid, its proof passing', async (page) => {
  await openWidget(page);
  await page.fill(testid('badge-text'), (await ob30('simple.json')).toString());
  await page.click(testid('verify-button'));
  assert.match(await verdictText(page), /^Valid/);
  const list = await checks(page);
  for (const name of ['key', 'canonicalization', 'proof']) {
    assert.equal(list.find((check) => check.name === name)?.ok, true, `${name}: ${JSON.stringify(list)}`);
  }
});

widgetTest('a Data Integrity credential with one changed character is Invalid at its proof', async (page) => {
  await openWidget(page);
  const text = (await ob30('simple.json')).toString().replace('"Teamwork Badge"', '"Teamwork Badges"');
  await page.fill(testid('badge-text'), text);
  await page.click(testid('verify-button'));
  const verdict = await verdictText(page);
  assert.match(verdict, /^Invalid/);
  assert.equal((await checks(page)).find((check) => check.name === 'proof')?.ok, false);
});

widgetTest('a pasted ecdsa-sd-2023 derived credential is Valid, and Invalid with a changed disclosed claim', async (page) => {
  await openWidget(page);
  const text = (await ob30('sd/derivedcredential.json')).toString();
  await page.fill(testid('badge-text'), text);
  await page.click(testid('verify-button'));
  assert.match(await verdictText(page), /^Valid/);
  const proof = (await checks(page)).find((check) => check.name === 'proof');
  assert.equal(proof?.ok, true, JSON.stringify(await checks(page)));

  await page.fill(testid('badge-text'), text.replace('"Teamwork"', '"Teamwerk"'));
  await page.click(testid('verify-button'));
  await page.waitForFunction(() => /^Invalid/.test(document.querySelector('[data-testid=verdict]')?.textContent ?? ''));
  assert.equal((await checks(page)).find((check) => check.name === 'proof')?.ok, false);
});

for (const image of ['simple-json.png', 'simple-json.svg']) {
  widgetTest(`a baked OB 3.0 credential with a Data Integrity proof (${image}) is Valid`, async (page) => {
    await openWidget(page);
    const type = image.endsWith('.png') ? 'image/png' : 'image/svg+xml';
    await page.setInputFiles(testid('badge-file'), { name: image, mimeType: type, buffer: await ob30(image) });
    await page.click(testid('verify-button'));
    assert.match(await verdictText(page), /^Valid/);
    assert.equal((await checks(page)).find((check) => check.name === 'proof')?.ok, true);
  });
}

// Issue 10: every OB 3.0 fixture of the 1EdTech set reaches its expected verdict through the
// widget: JSON and JWT text pasted, baked PNG/SVG chosen as a file; linked documents fetched
// through the page's routed network (support.mjs).
widgetTest('every OB 3.0 fixture reaches the verdict of expected.json through the widget', async (page) => {
  const expected = JSON.parse(await readFile(path.join(fixturesDir, '1edtech/expected.json'), 'utf8'));
  const cases = Object.entries(expected).filter(([file]) => file.startsWith('ob30/'));
  assert.ok(cases.length >= 35, `${cases.length} OB 3.0 fixtures`);
  for (const [file, verdict] of cases) {
    await openWidget(page);
    const relative = file.slice('ob30/'.length);
    if (/\.(png|svg)$/.test(file)) {
      const type = file.endsWith('.png') ? 'image/png' : 'image/svg+xml';
      await page.setInputFiles(testid('badge-file'), { name: path.basename(file), mimeType: type, buffer: await ob30(relative) });
    } else {
      await page.fill(testid('badge-text'), (await ob30(relative)).toString());
    }
    await page.click(testid('verify-button'));
    const shown = await verdictText(page);
    const failed = (await checks(page)).filter((check) => !check.ok).map((check) => check.text);
    assert.match(shown, verdict === 'invalid' ? /^Invalid/ : /^Valid/, `${file}: ${verdict}, shown ${shown} ${failed.join('; ')}`);
  }
});

widgetTest('the recipient check says Match for the right email and No match for another', async (page) => {
  await openWidget(page);
  await page.fill(testid('badge-text'), (await fixture('basic-assertion.json')).toString());
  await page.click(testid('verify-button'));
  assert.match(await verdictText(page), /^Valid/);

  await page.fill(testid('recipient-input'), 'Nobody@Example.org');
  await page.press(testid('recipient-input'), 'Enter');
  assert.match(await page.textContent(testid('recipient-result')), /^Match/);

  await page.fill(testid('recipient-input'), 'somebody@example.org');
  await page.click('#recipient-button');
  assert.match(await page.textContent(testid('recipient-result')), /^No match/);
});

widgetTest('a URL whose server refuses CORS is explained, not swallowed', async (page) => {
  await openWidget(page);
  const url = `${otherServer.origin}/fixtures/1edtech/ob20/basic-assertion.json`;
  await page.fill('[data-testid=badge-url]', url);
  await page.click(testid('verify-button'));
  await page.waitForSelector('#error:not([hidden])', { timeout: 30000 });
  const message = await page.textContent('#error');
  assert.ok(message.includes(url), message);
  assert.match(message, /CORS/);
});

widgetTest('a URL on a CORS-enabled server is fetched and verified', async (page) => {
  await openWidget(page);
  await page.fill('[data-testid=badge-url]', 'https://example.org/basic-assertion.json');
  await page.click(testid('verify-button'));
  assert.match(await verdictText(page), /^Valid/);
});

widgetTest('the widget works from the keyboard alone', async (page) => {
  await openWidget(page);
  await page.focus(testid('badge-text'));
  await page.keyboard.insertText((await fixture('basic-assertion.json')).toString());
  // Tab from the textarea reaches the URL field, then the Verify button; Enter presses it.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'verify-button');
  await page.keyboard.press('Enter');
  assert.match(await verdictText(page), /^Valid/);
  // The verdict takes focus, so a screen reader announces it.
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'verdict');
});

widgetTest('every control has a label', async (page) => {
  await openWidget(page);
  const unlabelled = await page.$$eval('input, textarea', (controls) =>
    controls.filter((control) => !control.labels?.length && !control.getAttribute('aria-label')).map((control) => control.id));
  assert.deepEqual(unlabelled, []);
});

widgetTest('the page is readable on a phone: no sideways scrolling, even with a report shown', async (page) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await openWidget(page);
  await page.fill(testid('badge-text'), (await fixture('simple-revoked.jwt')).toString());
  await page.click(testid('verify-button'));
  await verdictText(page);
  const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, view: window.innerWidth }));
  assert.ok(widths.scroll <= widths.view, `page is ${widths.scroll}px wide in a ${widths.view}px viewport`);
  const fontSize = await page.$eval(testid('verdict'), (element) => parseFloat(getComputedStyle(element).fontSize));
  assert.ok(fontSize >= 16, `verdict font ${fontSize}px`);
});
