// End-to-end test of the web UI (docs/web.md): a real `izde serve` on a temporary database,
// driven through Debian's chromium by playwright-core. Registered with ctest as web_e2e.
//
//   IZDE_BIN=build/ci/src/cli/izde IZDE_WEB_ROOT=web/dist IZDE_E2E_ARTIFACTS=build/ci/e2e \
//     node tests/e2e/web_e2e.mjs
//
// Exit codes: 0 all steps passed, 1 a step failed,
// 77 cannot run here (no chromium, no built UI, no node_modules): ctest reports it as skipped.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const izde = process.env.IZDE_BIN ?? path.join(root, 'build/ci/src/cli/izde');
const webRoot = process.env.IZDE_WEB_ROOT ?? path.join(root, 'web/dist');
const artifacts = process.env.IZDE_E2E_ARTIFACTS ?? path.join(root, 'build/e2e');
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';

function skipAll(reason) {
  console.log(`web_e2e: skipped: ${reason}`);
  process.exit(77);
}
if (!existsSync(chromiumPath)) skipAll(`no ${chromiumPath} (scripts/install-deps installs chromium)`);
if (!existsSync(path.join(webRoot, 'index.html'))) skipAll(`no built UI in ${webRoot} (make web)`);
if (!existsSync(izde)) skipAll(`no izde binary at ${izde}`);
let chromium;
try {
  chromium = createRequire(path.join(root, 'web/package.json'))('playwright-core').chromium;
} catch {
  skipAll('no web/node_modules (cd web && npm ci)');
}

mkdirSync(artifacts, { recursive: true });
const work = mkdtempSync(path.join(tmpdir(), 'izde-e2e-'));
const db = path.join(work, 'izde.db');
const passwords = { admin: 'admin-password-1', editor: 'editor-password-1', reviewer: 'reviewer-password-1', viewer: 'viewer-password-1' };
const contact = '+7 701 555 0101 (Signal)';

function run(args, input) {
  const result = spawnSync(izde, ['--db', db, ...args], { input, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`izde ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

async function startServer(extra = []) {
  const server = spawn(izde, ['--db', db, 'serve', '--listen', '127.0.0.1:0', '--web-root', webRoot, ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  server.stderr.on('data', (chunk) => (log += chunk));
  const address = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`izde serve did not start: ${out}${log}`)), 60000);
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /at (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    server.on('exit', (code) => reject(new Error(`izde serve exited ${code}: ${out}${log}`)));
  });
  return { server, address };
}

const results = { passed: 0, failed: 0 };

async function step(name, body) {
  const started = Date.now();
  try {
    await body();
    results.passed++;
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    results.failed++;
    console.log(`FAIL ${name}: ${error && error.stack ? error.stack : error}`);
  }
}

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

/** Polls `check` (async, true when done) for up to ten seconds. */
async function eventually(check, message) {
  for (let tries = 0; tries < 50; tries++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(await message());
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
}

async function login(browser, address, name) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  page.setDefaultTimeout(20000);
  await page.goto(`${address}/?lang=en`);
  await page.fill('#login-name', name);
  await page.fill('#login-password', passwords[name]);
  await page.click('form button[type=submit]');
  await page.waitForSelector('nav[aria-label]');
  return { context, page };
}

// A 1x1 PNG: a photo attached at intake, shown as a thumbnail on the person page.
const kPng = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC',
  'base64',
);

let server;
let browser;
try {
  run(['init']);
  for (const [name, password] of Object.entries(passwords)) {
    run(['user', 'add', name, '--role', name, '--password-stdin'], `${password}\n`);
  }
  const started = await startServer();
  server = started.server;
  const address = started.address;
  browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });

  const editor = await login(browser, address, 'editor');
  const persons = [];

  await step('the server serves the app at / and its pages by their address', async () => {
    const response = await editor.page.request.get(`${address}/persons/P-000001`);
    expect(response.status() === 200, `status ${response.status()}`);
    expect((response.headers()['content-type'] ?? '').startsWith('text/html'), 'not html');
    const api = await editor.page.request.get(`${address}/api/no-such-route`);
    expect(api.status() === 404, `api status ${api.status()}`);
  });

  await step('an editor records one testimony about two persons', async () => {
    const page = editor.page;
    await page.click('nav >> text=New testimony');
    await page.waitForSelector('#testifier-name');
    // Published with the testifier's consent: a viewer sees the testimony, never the contact.
    await page.check('input[name=consent][value=publish]');
    await page.fill('#testifier-name', 'Gulnar Test');
    await page.fill('#testifier-contact', contact);
    await page.fill('#testimony-date', '2019/3');
    await page.fill('#p0-name', 'Tursun Memet');
    await page.fill('#p0-relation', 'brother');
    await page.fill('#p0-birth', '~1974');
    await page.click('[data-person="0"] >> text=Add event');
    await page.fill('#p0-e0-date', '2018-5');
    await page.fill('#p0-e0-place', 'Ghulja');
    await page.click('text=Add another person');
    await page.fill('#p1-name', 'Айгүл Құрбанқызы');
    await page.fill('#p1-relation', 'sister');
    // The draft is kept: a reload in the middle loses nothing.
    await page.waitForTimeout(300);
    await page.reload();
    await page.waitForSelector('#p1-name');
    expect((await page.inputValue('#p1-name')) === 'Айгүл Құрбанқызы', 'the draft did not survive a reload');
    expect((await page.inputValue('#testifier-contact')) === contact, 'the contact did not survive a reload');
    // A photo of the first person: encrypted into the vault (`izde init` made its key).
    await page.setInputFiles('#p0-files', { name: 'tursun.png', mimeType: 'image/png', buffer: kPng });
    await shot(page, '01-intake-filled');
    await page.click('form button[type=submit].primary');
    await page.waitForSelector('text=Testimony T-');
    const links = await page.$$eval('section[role=status] a', (as) => as.map((a) => a.textContent));
    expect(links.length === 2, `expected two persons, got ${links.join(',')}`);
    expect((await page.$('section[role=status] .error')) === null, `an upload failed: ${await page.textContent('section[role=status]')}`);
    persons.push(...links);
    await shot(page, '02-intake-recorded');
    const kept = await page.evaluate(() => localStorage.getItem('izde.intake.draft.v1'));
    expect(kept === null, 'the draft was not cleared after the testimony was recorded');
  });

  await step('as the name is typed, the same person is offered across scripts', async () => {
    const page = editor.page;
    await page.goto(`${address}/intake`);
    await page.fill('#p0-name', '吐尔逊·买买提');
    await page.waitForSelector(`[data-candidate="${persons[0]}"]`, { timeout: 10000 });
    await shot(page, '03-intake-candidates');
    await page.click('text=Discard form').catch(() => {});
  });

  await step('a person is found by a Chinese-character spelling', async () => {
    const page = editor.page;
    page.on('dialog', (dialog) => dialog.accept());
    await page.click('nav >> text=Search');
    await page.fill('#search-q', '吐尔逊·买买提');
    await page.click('form[role=search] button[type=submit]');
    await page.waitForSelector(`.results a[href="/persons/${persons[0]}"]`);
    // The name is shown in the searcher's script: a Chinese form (generated from "Tursun
    // Memet", marked so), with the registered name beside it.
    const shown = await page.textContent(`.results a[href="/persons/${persons[0]}"] bdi.name`);
    expect(/[\u4e00-\u9fff]/.test(shown), `the result is not shown in Chinese characters: ${shown}`);
    const head = await page.textContent(`.results li:has(a[href="/persons/${persons[0]}"]) .result-head`);
    expect(head.includes('Tursun Memet'), `the registered name is missing: ${head}`);
    await page.click('.results details summary');
    await shot(page, '04-search-chinese');
  });

  await step('the person page shows names, timeline and the testifier contact to an editor', async () => {
    const page = editor.page;
    await page.goto(`${address}/persons/${persons[0]}`);
    await page.waitForSelector('.timeline');
    const text = await page.textContent('main');
    expect(text.includes('Tursun Memet'), 'name missing');
    expect(text.includes('detained'), 'event missing');
    expect(text.includes(contact), 'an editor should see the contact');
    // Chinese spellings generated from the Latin name, labelled as not from a source.
    const generated = page.locator('.generated-names [data-generated]');
    await generated.first().waitFor();
    const variant = await generated.first().getAttribute('data-generated');
    expect(/[\u4e00-\u9fff]/.test(variant ?? ''), `generated variant ${variant}`);
    expect((await page.textContent('.generated-names')).includes('generated, not from a source'), 'the generated label is missing');
    const stored = await (await page.request.get(`${address}/api/persons/${persons[0]}`)).json();
    expect(!stored.person.names.some((n) => n.text === variant), 'a generated variant is stored as a name');
    // The photo from intake, as a thumbnail decrypted by the server.
    const thumbnail = page.locator('.evidence img');
    await thumbnail.waitFor();
    await page.waitForFunction(() => {
      const img = document.querySelector('.evidence img');
      return img instanceof HTMLImageElement && img.complete && img.naturalWidth > 0;
    });
    const listed = await (await page.request.get(`${address}/api/persons/${persons[0]}/evidence`)).json();
    expect(listed.evidence.length === 1, `evidence: ${JSON.stringify(listed)}`);
    expect(listed.evidence[0].media_type === 'image/png', `media type ${listed.evidence[0].media_type}`);
    expect(listed.evidence[0].privacy === 'public', `privacy ${listed.evidence[0].privacy}`);
    await shot(page, '05-person-editor');
  });

  await step('switching to Uyghur turns the layout right-to-left, and ?lang= is remembered', async () => {
    const page = editor.page;
    await page.selectOption('#lang-select', 'ug');
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    const lang = await page.evaluate(() => document.documentElement.lang);
    expect(lang.startsWith('ug'), `lang ${lang}`);
    const brand = await page.locator('.brand').boundingBox();
    const languageBox = await page.locator('#lang-select').boundingBox();
    expect(brand.x > languageBox.x, `in RTL the brand belongs on the right (brand ${brand.x}, language ${languageBox.x})`);
    const heading = await page.locator('main h2').first().boundingBox();
    const mainBox = await page.locator('main').boundingBox();
    expect(heading.x + heading.width > mainBox.x + mainBox.width * 0.6, 'headings should start on the right');
    const nav = await page.textContent('nav');
    expect(/[\u0600-\u06ff]/.test(nav), 'the menu is not in Uyghur');
    await shot(page, '06-person-uyghur-rtl');
    await page.goto(`${address}/stats?lang=zh`);
    await page.waitForSelector('canvas');
    await page.goto(`${address}/stats`);
    await page.waitForSelector('canvas');
    expect((await page.evaluate(() => document.documentElement.dir)) === 'ltr', 'Chinese is left-to-right');
    expect((await page.textContent('h1')) === '统计', '?lang=zh was not remembered');
    await shot(page, '07-stats-chinese');
    await page.selectOption('#lang-select', 'en');
  });

  await step('the search page fits a phone screen', async () => {
    const phone = await editor.context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`${address}/search?q=Tursun&lang=kk`);
    await phone.waitForSelector('.results');
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow <= 1, `the page is ${overflow}px wider than the phone`);
    await shot(phone, '08-search-phone-kazakh');
    await phone.close();
  });

  await step('a viewer cannot see the testifier contact', async () => {
    const viewer = await login(browser, address, 'viewer');
    await viewer.page.goto(`${address}/persons/${persons[0]}`);
    await viewer.page.waitForSelector('.testimony');
    const text = await viewer.page.textContent('main');
    expect(text.includes('Gulnar Test'), 'a viewer should see the testimony the testifier agreed to publish');
    expect(!text.includes(contact) && !text.includes('555 0101'), 'the contact is visible to a viewer');
    expect((await viewer.page.$('.contact')) === null, 'a contact field is shown to a viewer');
    const answer = await viewer.page.request.get(`${address}/api/persons/${persons[0]}`);
    expect(!(await answer.text()).includes('555 0101'), 'the API gives the contact to a viewer');
    expect((await viewer.page.$('text=New testimony')) === null, 'a viewer is offered intake');
    // A viewer sees that there is evidence, never the file.
    await viewer.page.waitForSelector('.evidence [data-evidence]');
    expect((await viewer.page.$('.evidence img')) === null, 'a viewer is shown the photo');
    const file = await viewer.page.request.get(`${address}/api/evidence/V-000001/file`);
    expect(file.status() === 403, `a viewer downloading evidence: ${file.status()}`);
    await shot(viewer.page, '09-person-viewer');
    await viewer.context.close();
  });

  const reviewer = await login(browser, address, 'reviewer');
  await step('a reviewer judges a duplicate pair as the same, then unmerges the cluster', async () => {
    const page = reviewer.page;
    // A second record of the first person, as another testimony might have made it.
    const me = await (await page.request.get(`${address}/api/me`)).json();
    const created = await page.request.post(`${address}/api/persons`, {
      headers: { 'X-CSRF-Token': me.csrf_token },
      data: { names: [{ text: 'Турсун Мемет' }], birth_date: '1974', privacy: 'restricted' },
    });
    expect(created.ok(), `creating the duplicate: ${created.status()} ${await created.text()}`);
    const duplicate = (await created.json()).person.id;
    // The queue is filled by `izde dedupe`, run beside the server as an operator would. Two
    // sparse records (a name and a birth year, one approximate) score about 14, under the
    // default threshold of 15 meant for fuller records.
    run(['dedupe', '--threshold', '10']);
    const queue = await (await page.request.get(`${address}/api/duplicates`)).json();
    const pair = queue.pairs.find((p) => [p.a.person.id, p.b.person.id].sort().join() === [persons[0], duplicate].sort().join());
    expect(pair, `${persons[0]} and ${duplicate} are not in the queue: ${JSON.stringify(queue).slice(0, 400)}`);
    await page.goto(`${address}/review`);
    await page.waitForSelector('.pair');
    // Judge the pair of the two records (the queue is best first; skip others with N).
    for (let i = 0; i < queue.pairs.length; i++) {
      const shown = await page.$$eval('.pair .side h3 a', (as) => as.map((a) => a.textContent).sort().join());
      if (shown === [persons[0], duplicate].sort().join()) break;
      await page.keyboard.press('n');
    }
    await shot(page, '10-review-pair');
    await page.keyboard.press('s');
    const clusterOf = async () => (await (await page.request.get(`${address}/api/persons/${duplicate}/cluster`)).json()).cluster;
    await eventually(
      async () => (await clusterOf()).persons.includes(persons[0]),
      async () => `not merged: ${JSON.stringify(await clusterOf())}`,
    );
    const merged = { cluster: await clusterOf() };
    await page.click('role=tab >> nth=1');
    await page.waitForSelector(`[data-cluster="${merged.cluster.id}"]`);
    await shot(page, '11-review-merged');
    page.once('dialog', (dialog) => dialog.accept());
    await page.click(`[data-cluster="${merged.cluster.id}"] >> text=Unmerge`);
    await page.waitForFunction((id) => !document.querySelector(`[data-cluster="${id}"]`), merged.cluster.id);
    await eventually(
      async () => (await clusterOf()).persons.length === 1,
      async () => `still merged: ${JSON.stringify(await clusterOf())}`,
    );
    await shot(page, '12-review-unmerged');
  });

  await step('a reviewer uploads a list and accepts a match', async () => {
    const page = reviewer.page;
    await page.goto(`${address}/lists`);
    await page.setInputFiles('#list-file', {
      name: 'release-list.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('No,Name,Born\n1,吐尔逊·买买提,1974\n2,Someone Else,1990\n'),
    });
    await page.waitForSelector('#map-name');
    await page.selectOption('#map-name', 'Name');
    await page.selectOption('#map-birth', 'Born');
    // The list is matched as a job: the page shows its progress until it is done.
    await page.evaluate(() => {
      window.__sawProgress = false;
      new MutationObserver(() => {
        if (document.querySelector('.list-progress progress')) window.__sawProgress = true;
      }).observe(document.body, { childList: true, subtree: true });
    });
    const posted = page.waitForResponse((r) => r.url().endsWith('/api/lists') && r.request().method() === 'POST');
    await page.click('text=Upload and match');
    expect((await posted).status() === 202, `POST /api/lists answered ${(await posted).status()}`);
    await page.waitForSelector('[data-status=done] [data-row]');
    expect(await page.evaluate(() => window.__sawProgress), 'no progress bar was shown');
    const listId = (await (await posted).json()).list.id;
    const state = await (await page.request.get(`${address}/api/lists/${listId}`)).json();
    expect(state.status === 'done' && state.rows_done === state.rows && state.rows === 2, `list state: ${JSON.stringify(state)}`);
    const first = page.locator('[data-row]').first();
    const candidate = await first.locator('[data-candidate]').first().getAttribute('data-candidate');
    expect(candidate !== null, 'the first row has no candidate');
    await first.locator('text=Accept match').first().click();
    await page.waitForSelector('text=Decided');
    const lists = await (await page.request.get(`${address}/api/lists`)).json();
    expect(lists.lists.length === 1, `lists: ${JSON.stringify(lists)}`);
    const csv = await (await page.request.get(`${address}/api/lists/${lists.lists[0].id}/results.csv`)).text();
    expect(csv.split('\n')[0].includes('verdict') && csv.includes(`same,${candidate}`), `results.csv: ${csv}`);
    await shot(page, '13-list-accepted');
  });
  await reviewer.context.close();

  await step('statistics show charts with their numbers and a bias note', async () => {
    const page = editor.page;
    await page.goto(`${address}/stats?lang=en`);
    await page.waitForSelector('canvas');
    const charts = await page.locator('canvas').count();
    expect(charts === 4, `${charts} charts`);
    const text = await page.textContent('main');
    expect(text.includes('not the population'), 'no bias note');
    await shot(page, '14-stats');
  });

  await step('an admin sees users and their sessions', async () => {
    const admin = await login(browser, address, 'admin');
    await admin.page.goto(`${address}/admin`);
    await admin.page.waitForSelector('table.users');
    const text = await admin.page.textContent('table.users');
    for (const name of Object.keys(passwords)) expect(text.includes(name), `${name} missing`);
    await admin.page.click('tr:has-text("admin") >> text=Sessions');
    await admin.page.waitForSelector('text=this session');
    await shot(admin.page, '15-admin');
    // The backup: one .tar file with the database, downloaded by the browser.
    const downloading = admin.page.waitForEvent('download');
    await admin.page.click('text=Download backup');
    const download = await downloading;
    const saved = path.join(artifacts, download.suggestedFilename());
    await download.saveAs(saved);
    const bytes = readFileSync(saved);
    expect(/^izde-backup-.*\.tar$/.test(download.suggestedFilename()), `file name ${download.suggestedFilename()}`);
    expect(bytes.length > 1024, `the backup is ${bytes.length} bytes`);
    expect(bytes.subarray(257, 262).toString() === 'ustar', 'the backup is not a tar archive');
    expect(bytes.includes(Buffer.from('SQLite format 3')), 'the backup holds no SQLite database');
    await admin.page.waitForSelector('text=Saved izde-backup-');
    rmSync(saved);
    // The key is offered only with a warning.
    await admin.page.check('#backup-key');
    await admin.page.waitForSelector('.backup [role=alert]');
    await shot(admin.page, '15b-admin-backup');
    await admin.context.close();
  });

  await step('with --public-read, an anonymous reader gets the public view only', async () => {
    await editor.context.close();
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    const restarted = await startServer(['--public-read']);
    server = restarted.server;
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(20000);
    await page.goto(`${restarted.address}/?lang=ru`);
    await page.click('text=Продолжить без входа');
    await page.waitForSelector('nav[aria-label]');
    const nav = await page.textContent('nav');
    expect(nav.includes('Поиск') && nav.includes('Статистика'), `menu: ${nav}`);
    expect(!nav.includes('Новое свидетельство'), 'the public is offered intake');
    await page.click('nav >> text=Статистика');
    await page.waitForSelector('canvas');
    await shot(page, '16-public-stats-russian');
    await context.close();
  });
} catch (error) {
  results.failed++;
  console.log(`FAIL setup: ${error && error.stack ? error.stack : error}`);
} finally {
  if (browser) await browser.close().catch(() => {});
  if (server) {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
  }
  rmSync(work, { recursive: true, force: true });
}
console.log(`screenshots: ${artifacts}`);
console.log(`${results.passed} passed, ${results.failed} failed`);
process.exit(results.failed === 0 ? 0 : 1);
