// The web app in a real browser against a real server with the emulator:
// every screen a person uses, with a screenshot of each (see harness.mjs).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { axe, demoUser, launch, shot, startServer, until } from './harness.mjs';

let server;
let browser;
let context;
let page;
let firstLoadMs = 0;
let freshLoad = {};

async function noSeriousA11y(name) {
  const found = await axe(page);
  assert.deepEqual(found, [], `axe-core on ${name}`);
}

// Records when the sign-in screen first shows, from inside the page
// (performance.now() counts from the navigation's start).
function timeSignIn(p) {
  return p.addInitScript(() => {
    new MutationObserver((_, o) => {
      if (document.querySelector('a[href="/auth/google/login"]')) {
        window.__signInShown = performance.now();
        o.disconnect();
      }
    }).observe(document, { subtree: true, childList: true });
  });
}

/** signIn enters as the demo user with the one-click button (demo mode). */
async function signIn(p) {
  await p.getByRole('button', { name: `Enter the demo as ${demoUser}` }).click();
}

describe('web app', { timeout: 240_000 }, () => {
  before(async () => {
    server = await startServer();
    browser = await launch();
    context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 800 }, bypassCSP: true });
    page = await context.newPage();
    page.on('pageerror', (e) => console.error('page error:', e));
  });

  after(async () => {
    console.log(`first load on loopback: ${firstLoadMs.toFixed(0)} ms from navigation start to the sign-in form (the browser's first page)`);
    console.log(`first load in a fresh context (empty cache): ${JSON.stringify(freshLoad)}`);
    await browser?.close();
    await server?.stop();
  });

  it('signs in', async () => {
    await timeSignIn(page);
    await page.goto('/');
    await page.getByRole('link', { name: 'Sign in with Google' }).waitFor();
    firstLoadMs = await page.evaluate(() => window.__signInShown);
    await shot(page, '01-sign-in');
    // Again with an empty cache in a browser already running: what a new visitor waits.
    const fresh = await browser.newContext({ baseURL: server.url });
    const fp = await fresh.newPage();
    await timeSignIn(fp);
    await fp.goto('/');
    await fp.getByRole('link', { name: 'Sign in with Google' }).waitFor();
    freshLoad = await fp.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const res = performance.getEntriesByType('resource');
      return {
        signInShownMs: Math.round(window.__signInShown),
        domContentLoadedMs: Math.round(nav.domContentLoadedEventEnd),
        bytes: nav.transferSize + res.reduce((n, r) => n + r.transferSize, 0),
      };
    });
    await fresh.close();
    await noSeriousA11y('sign-in');
    // Google's flow, through the emulator's account chooser and consent screen.
    await page.getByRole('link', { name: 'Sign in with Google' }).click();
    await page.getByRole('link', { name: demoUser }).click();
    await page.getByRole('heading', { name: `Allow access to ${demoUser}?` }).waitFor();
    await shot(page, '01b-google-consent');
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(`${server.url}/**`);
    await page.getByRole('heading', { name: 'What would you like to know?' }).waitFor();
    await page.getByText(`Google account ${demoUser} connected`).waitFor();
    await page.getByRole('region', { name: 'Connected services' }).getByText('Up to date').first().waitFor();
    await shot(page, '02-home');
    await noSeriousA11y('home');
  });

  it('asks and sees the answer stream token by token, with its steps and citations', async () => {
    // Record each text the answer shows as it grows.
    await page.evaluate(() => {
      window.__answers = [];
      new MutationObserver(() => {
        const a = document.querySelector('.answer');
        const last = window.__answers.at(-1);
        if (a && a.textContent && a.textContent !== last) window.__answers.push(a.textContent);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.getByLabel('Ask about your mail, calendar and files').fill('what meetings do I have about the KEP review?');
    await page.keyboard.press('Enter');
    await page.locator('.steps li').first().waitFor({ state: 'attached' }); // collapsed once the answer is done
    await page.getByRole('heading', { name: 'Sources' }).waitFor({ timeout: 30_000 });
    const seen = await page.evaluate(() => window.__answers);
    assert.ok(seen.length >= 3, `the answer arrived in ${seen.length} piece(s), not streamed`);
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i].startsWith(seen[i - 1]), 'each piece extends the one before');
    assert.match(page.url(), /#\/chat\/.+/);
    await shot(page, '03-answer');
    await noSeriousA11y('answer');

    // A citation opens the cited item in the reader.
    await page.locator('.citations a').first().click();
    await page.locator('.reader h1').waitFor();
    await shot(page, '04-reader-from-citation');
    await page.goBack();
    await page.getByRole('heading', { name: 'Sources' }).waitFor();
  });

  it('confirms a proposed action as a follow-up and the emulator has it', async () => {
    // The emulator is this run's own: the titles are new to it.
    const title = 'Orchard planning';
    await page.getByLabel('Ask a follow-up').fill(`create an event called "${title}" tomorrow at 3pm`);
    await page.getByRole('button', { name: 'Send' }).click();
    const card = page.getByRole('region', { name: 'Proposed action: Create event' }).last();
    await card.getByRole('button', { name: 'Confirm' }).waitFor({ timeout: 30_000 });
    assert.match(await card.innerText(), new RegExp(title));
    await shot(page, '05-action-proposed');
    await noSeriousA11y('proposed action');
    await card.getByRole('button', { name: 'Confirm' }).focus(); // from the keyboard
    await page.keyboard.press('Enter');
    await card.getByText(/^Done/).waitFor({ timeout: 30_000 });
    await card.scrollIntoViewIfNeeded();
    await shot(page, '06-action-done');
    const ws = await (await fetch(`${server.emulator}/emulator/users/${demoUser}/workspace`)).json();
    const events = JSON.stringify(ws);
    assert.ok(events.includes(title), 'the confirmed event is in the emulated calendar');

    // A rejected proposal does nothing.
    const other = 'Orchard budget';
    await page.getByLabel('Ask a follow-up').fill(`create an event called "${other}" tomorrow at 4pm`);
    await page.getByRole('button', { name: 'Send' }).click();
    const second = page.getByRole('region', { name: 'Proposed action: Create event' }).nth(1);
    await second.getByRole('button', { name: 'Reject' }).click({ timeout: 30_000 });
    await second.getByText('Rejected: nothing was done.').waitFor();
    const after = JSON.stringify(await (await fetch(`${server.emulator}/emulator/users/${demoUser}/workspace`)).json());
    assert.ok(!after.includes(other), 'a rejected event is not created');

    // The history lists the conversation with its three turns.
    assert.equal(await page.locator('.turn').count(), 3);
    await page.locator('.history a[aria-current="page"]').waitFor();
  });

  it('cancels a running ask', async () => {
    // Gmail answers drafts slowly for a while, so the ask is still running when Stop is pressed.
    const faults = `${server.emulator}/emulator/faults`;
    await fetch(faults, { method: 'POST', body: JSON.stringify({ pathPrefix: '/gmail/v1/users/me/drafts', delayMillis: 10_000, count: 3 }) });
    try {
      await page.getByRole('link', { name: 'New chat' }).click();
      await page.getByLabel('Ask about your mail, calendar and files').fill('draft an email to rosalee.fleming@enron.com about the board meeting agenda');
      await page.keyboard.press('Enter');
      const stop = page.getByRole('button', { name: 'Stop' });
      await stop.waitFor();
      await page.locator('.steps li.running').first().waitFor();
      await shot(page, '07-running');
      await stop.focus();
      await page.keyboard.press('Enter');
      await page.getByText('Stopped.').waitFor({ timeout: 15_000 });
      await page.getByRole('button', { name: 'Send' }).waitFor();
    } finally {
      await fetch(faults, { method: 'DELETE' });
    }
  });

  it('browses mail with infinite scroll and opens one', async () => {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Mail' }).click();
    const rows = page.getByRole('list', { name: 'Mail' }).locator('li');
    await until(async () => (await rows.count()) === 25, 10_000, 'the first page');
    await shot(page, '08-mail');
    await noSeriousA11y('mail');
    await rows.last().scrollIntoViewIfNeeded();
    await page.locator('.sentinel').scrollIntoViewIfNeeded();
    await until(async () => (await rows.count()) >= 50, 10_000, 'the next page on scrolling');
    await rows.nth(30).locator('a').click();
    await page.locator('.reader h1').waitFor();
    await shot(page, '09-mail-reader');
  });

  it('filters mail, events and files', async () => {
    await page.goto('/#/files');
    const files = page.getByRole('list', { name: 'Files' }).locator('li');
    await page.getByLabel('File type').selectOption({ label: 'Spreadsheets' });
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('Nothing matches.').waitFor(); // the demo Drive holds documents only
    await page.getByLabel('File type').selectOption({ label: 'Documents' });
    await page.getByRole('button', { name: 'Apply' }).click();
    await files.first().waitFor();
    assert.match(await files.first().innerText(), /Document/);
    await shot(page, '10-files-filtered');

    // The calendar starts today; the attendee filter narrows it.
    await page.goto('/#/calendar');
    const events = page.getByRole('list', { name: 'Calendar' }).locator('li');
    await events.first().waitFor();
    const today = await page.getByLabel('From date').inputValue();
    assert.match(today, /^\d{4}-\d{2}-\d{2}$/);
    await page.getByRole('status').filter({ hasText: /^25 of/ }).waitFor();
    await shot(page, '11-calendar');
    await noSeriousA11y('calendar');
  });

  it('searches and removes a filter chip', async () => {
    await page.locator('body').press('/'); // the keyboard way to the search box
    const box = page.getByRole('searchbox', { name: 'Search mail, events and files' });
    assert.ok(await box.evaluate((el) => el === document.activeElement));
    await box.fill('emails from rosalee about the board meeting');
    await page.keyboard.press('Enter');
    const chip = page.getByRole('button', { name: /^Remove filter From/ });
    await chip.waitFor({ timeout: 15_000 });
    await page.getByRole('list', { name: 'Search results' }).locator('li').first().waitFor();
    await shot(page, '12-search-chips');
    await noSeriousA11y('search');
    const before = decodeURIComponent(page.url());
    await chip.click();
    await until(async () => decodeURIComponent(page.url()) !== before, 5000, 'the query without the chip');
    assert.doesNotMatch(decodeURIComponent(page.url()).replace(/\+/g, ' '), /from rosalee/i);
    await until(async () => (await page.getByRole('button', { name: /^Remove filter From/ }).count()) === 0, 10_000, 'the chip to go');
    await page.getByRole('list', { name: 'Search results' }).locator('li').first().waitFor();
  });

  it('says when asking too often, and how long to wait', async () => {
    await page.goto('/#/chat');
    const limited = page.getByRole('alert').filter({ hasText: 'Too many requests for now.' });
    for (let i = 1; i <= 6 && !(await limited.count()); i++) {
      const before = await page.locator('.turn').count();
      await page.getByRole('textbox', { name: /^Ask/ }).fill(`what meetings do I have on day ${i} of next month?`);
      await page.getByRole('button', { name: 'Send' }).click();
      await until(
        async () => (await limited.count()) > 0 || ((await page.locator('.turn').count()) > before && !(await page.getByRole('button', { name: 'Stop' }).count())),
        30_000,
        'the ask to end or be refused',
      );
    }
    await limited.waitFor({ timeout: 1000 });
    assert.match(await limited.innerText(), /Try again in \d+ (seconds|minutes)\./);
    await shot(page, '13-rate-limited');
  });

  it('opens the playground and runs a query', async () => {
    const p = await context.newPage();
    await p.addInitScript((t) => {
      localStorage.setItem('graphiql:headers', JSON.stringify({ Authorization: `Bearer ${t}` }));
      localStorage.setItem('graphiql:query', '{ me { email } }');
      localStorage.removeItem('graphiql:tabState');
    }, server.token);
    await p.goto('/playground/');
    await p.getByRole('button', { name: /Execute query/ }).click();
    await p.locator('.result-window').getByText(demoUser).waitFor({ timeout: 15_000 });
    await shot(p, '14-playground');
    await p.close();
  });

  it('works on a phone-sized screen', async () => {
    const phone = await browser.newContext({ baseURL: server.url, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, bypassCSP: true });
    const p = await phone.newPage();
    await p.goto('/');
    await signIn(p);
    await p.getByRole('heading', { name: 'What would you like to know?' }).waitFor();
    await shot(p, '15-phone-home');
    const menu = p.getByRole('button', { name: 'History and sync' });
    await menu.click();
    await p.getByRole('region', { name: 'Connected services' }).waitFor();
    await p.waitForTimeout(300); // the drawer's slide
    await shot(p, '16-phone-menu');
    await p.getByRole('button', { name: 'Close' }).click();
    await p.goto('/#/mail');
    await p.getByRole('list', { name: 'Mail' }).locator('li').first().waitFor();
    const overflow = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
    await shot(p, '17-phone-mail');
    const prev = page;
    page = p;
    await noSeriousA11y('phone mail');
    page = prev;
    await phone.close();
  });

  it('says what went wrong and what to do', async () => {
    await page.goto('/#/mail');
    await page.getByRole('list', { name: 'Mail' }).locator('li').first().waitFor();
    await context.setOffline(true);
    await page.getByRole('alert').filter({ hasText: 'You are offline.' }).waitFor();
    await shot(page, '18-offline');
    await context.setOffline(false);
    await page.getByRole('alert').filter({ hasText: 'You are offline.' }).waitFor({ state: 'detached' });

    // Access revoked at Google: the next sync finds out, and the app says to reconnect.
    const res = await fetch(`${server.emulator}/emulator/users/${demoUser}/ops`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ op: 'revokeTokens' }),
    });
    assert.equal(res.status, 200);
    await page.getByRole('button', { name: 'Sync now Gmail' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Google needs reconnecting.' });
    await alert.waitFor({ timeout: 30_000 });
    assert.ok(await alert.getByRole('link', { name: 'Reconnect Google' }).isVisible());
    await shot(page, '19-reconnect-google');
    await noSeriousA11y('reconnect');

    // Reconnecting goes through Google's consent again; sync resumes on the kept cache.
    await alert.getByRole('link', { name: 'Reconnect Google' }).click();
    const account = page.getByRole('link', { name: demoUser });
    if (await account.isVisible({ timeout: 5000 }).catch(() => false)) await account.click();
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(`${server.url}/**`);
    await page.getByText(`Google account ${demoUser} connected`).waitFor();
    // The sync panel learns of the new grant on its next poll.
    await page.getByRole('alert').filter({ hasText: 'Google needs reconnecting.' }).waitFor({ state: 'detached', timeout: 30_000 });
    await page.getByRole('listitem', { name: 'Gmail: Up to date' }).waitFor({ timeout: 30_000 });
  });

  it('signs out', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: 'Sign in with Google' }).waitFor();
    // The session is gone at the server, not just on the screen.
    await page.reload();
    await page.getByRole('link', { name: 'Sign in with Google' }).waitFor();
    const me = await page.evaluate(() => fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ me { email } }"}' }).then((r) => r.json()));
    assert.equal(me.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');

    // An operator's token from `orchestrator token` works too, for this tab only.
    await page.getByText('Use an operator token').click();
    await page.getByLabel(/Token from/).fill(server.token);
    await page.getByRole('button', { name: 'Use token' }).click();
    await page.getByRole('heading', { name: 'What would you like to know?' }).waitFor();
  });
});
