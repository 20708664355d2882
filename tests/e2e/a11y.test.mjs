// Keyboard use, labels, the language toggle, the phone-sized layout, and
// axe-core's checks on every tab in both languages, on a phone and a desktop.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { description, expectInvalid, expectText, LANGS, openPage, panel, shot, start, TEXT, type, until } from './support.mjs';

// axe-core (pinned in package-lock.json), injected into the page as its own script.
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

let env;
before(async () => {
  env = await start();
});
after(() => env?.stop());

const focused = (page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return { role: el?.getAttribute('role'), text: el?.textContent?.trim(), id: el?.id };
  });

test('tabs work from the keyboard: Tab reaches the selected tab, arrows, Home and End move and select', async () => {
  const T = TEXT.en;
  const { page, problems, close } = await openPage(env);
  try {
    // From the top of the page: the language buttons, then the selected tab only.
    let steps = 0;
    while ((await focused(page)).role !== 'tab') {
      await page.keyboard.press('Tab');
      steps += 1;
      assert.ok(steps < 8, 'the tabs are reachable with Tab');
    }
    assert.equal((await focused(page)).text, T.tabs[0]);
    const selected = async () => {
      const f = await focused(page);
      assert.equal(f.role, 'tab');
      const tab = page.getByRole('tab', { name: f.text, exact: true });
      assert.equal(await tab.getAttribute('aria-selected'), 'true', `${f.text} is selected`);
      assert.equal(await page.getByRole('tabpanel').count(), 1, 'one panel shown');
      assert.equal(await page.getByRole('tabpanel', { name: f.text, exact: true }).isVisible(), true, `the ${f.text} panel is shown`);
      return f.text;
    };
    const keys = [
      ['ArrowRight', T.tabs[1]],
      ['ArrowRight', T.tabs[2]],
      ['ArrowRight', T.tabs[3]],
      ['ArrowRight', T.tabs[4]],
      ['ArrowRight', T.tabs[0]],
      ['ArrowLeft', T.tabs[4]],
      ['Home', T.tabs[0]],
      ['End', T.tabs[4]],
      ['ArrowLeft', T.tabs[3]],
      ['ArrowLeft', T.tabs[2]],
    ];
    for (const [key, want] of keys) {
      await page.keyboard.press(key);
      assert.equal(await selected(), want, `${key} → ${want}`);
    }
    assert.equal(new URL(page.url()).hash, '#mfs', 'the selected tab is in the URL');
    const inTabOrder = await page.getByRole('tab').evaluateAll((tabs) => tabs.filter((t) => t.tabIndex === 0).map((t) => t.textContent));
    assert.deepEqual(inTabOrder, [T.tabs[2]], 'only the selected tab is in the Tab order');

    // The focus ring is visible.
    const ring = await page.evaluate(() => {
      const s = getComputedStyle(document.activeElement);
      return { style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
    });
    assert.notEqual(ring.style, 'none');
    assert.ok(ring.width >= 2, `outline ${ring.width}px`);
    await shot(page, 'keyboard-focus-en');

    // Tab leaves the tab list for the panel; Shift+Tab comes back.
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).role, 'tabpanel');
    await page.keyboard.press('Shift+Tab');
    assert.equal((await focused(page)).text, T.tabs[2]);

    // Into the form and fill it from the keyboard alone.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    const wallet = page.getByRole('radio', { name: T.bkash });
    assert.equal(await wallet.evaluate((el) => el === document.activeElement), true, 'the first wallet radio');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.getByRole('radio', { name: T.nagad }).isChecked(), true, 'arrow keys choose the wallet');
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

test('the language toggle switches labels and live messages, and is remembered', async () => {
  const { page, problems, close } = await openPage(env);
  try {
    const phone = page.getByRole('textbox', { name: TEXT.en.phone });
    await type(phone, '0171');
    assert.equal(await phone.getAttribute('aria-invalid'), null, 'no error while typing');
    await phone.press('Tab');
    await expectInvalid(phone, TEXT.en.invalidPhone);
    const bn = page.getByRole('button', { name: 'বাংলা' });
    assert.equal(await bn.getAttribute('aria-pressed'), 'false');
    await bn.click();
    assert.equal(await bn.getAttribute('aria-pressed'), 'true');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'bn');
    for (const name of TEXT.bn.tabs) await page.getByRole('tab', { name, exact: true }).waitFor();
    const phoneBn = page.getByRole('textbox', { name: TEXT.bn.phone });
    assert.equal(await phoneBn.inputValue(), '0171', 'what was typed stays');
    await expectInvalid(phoneBn, TEXT.bn.invalidPhone);
    assert.ok((await description(phoneBn)).includes(TEXT.bn.detected));
    await shot(page, 'language-switched-bn');

    await page.reload();
    await page.getByRole('tab', { name: TEXT.bn.tabs[0], exact: true }).waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('tab', { name: TEXT.en.tabs[0], exact: true }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

test('every control of every tab has an accessible name; status and errors are announced', async () => {
  const T = TEXT.en;
  const { page, problems, close } = await openPage(env);
  try {
    for (const name of T.tabs) {
      await page.getByRole('tab', { name, exact: true }).click();
      if (name === T.tabs[1]) await page.getByRole('combobox', { name: T.operator }).selectOption('GP');
      if (name === T.tabs[1]) await page.getByRole('radio', { name: /1 GB/ }).waitFor();
      if (name === T.tabs[3]) {
        await page.getByRole('radio', { name: T.gas }).check();
        await page.getByRole('radio', { name: 'Bakhrabad Gas' }).check();
        await page.getByRole('combobox', { name: T.billTypeField }).waitFor();
      }
      const tree = await panel(page).ariaSnapshot();
      const unnamed = tree.split('\n').filter((line) => /^\s*- (textbox|combobox|radio|button|checkbox|radiogroup)(\s*\[[^\]]*\])*:?\s*$/.test(line));
      assert.deepEqual(unnamed, [], `unnamed controls in ${name}:\n${tree}`);
    }
    // The status line of each gateway form is a polite live region.
    await page.getByRole('tab', { name: T.tabs[0], exact: true }).click();
    await type(page.getByRole('textbox', { name: T.phone }), '01712345678');
    await type(page.getByRole('textbox', { name: T.amount }), '10');
    await page.getByRole('button', { name: T.recharge, exact: true }).click();
    const status = panel(page).getByRole('status');
    await expectText(status, T.success);
    assert.equal(await status.getAttribute('aria-live'), 'polite');
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

for (const lang of LANGS) {
  test(`a 375-px-wide phone (${lang}): no sideways scrolling, every tab usable, a payment completes`, async () => {
    const T = TEXT[lang];
    const token = await env.admin.account();
    const { page, problems, close } = await openPage(env, { query: { token, lang }, viewport: { width: 375, height: 740 } });
    try {
      const fits = async (what) => {
        const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
        assert.ok(widths[0] <= widths[1], `${what}: page ${widths[0]}px wide in a ${widths[1]}px window`);
      };
      for (const tab of await page.getByRole('tab').all()) {
        const box = await tab.boundingBox();
        assert.ok(box.x >= 0 && box.x + box.width <= 375, `tab ${await tab.textContent()} inside the screen`);
        assert.ok(box.height >= 40, 'a tab is big enough to touch');
      }
      const names = ['recharge', 'packages', 'mfs', 'bill', 'bulk'];
      for (const [i, name] of T.tabs.entries()) {
        await page.getByRole('tab', { name, exact: true }).click();
        if (i === 3) await page.getByRole('radio', { name: T.gas }).waitFor();
        await fits(name);
        await shot(page, `mobile-375-${lang}-${names[i]}`);
      }
      await page.getByRole('tab', { name: T.tabs[0], exact: true }).click();
      await type(page.getByRole('textbox', { name: T.phone }), lang === 'bn' ? '০১৫১২৩৪৫৬৭৮' : '+880 1512 345678');
      await expectText(panel(page), lang === 'bn' ? 'টেলিটক' : 'Teletalk');
      await type(page.getByRole('textbox', { name: T.amount }), lang === 'bn' ? '১০০' : '100');
      await page.getByRole('button', { name: T.recharge, exact: true }).click();
      await expectText(panel(page).getByRole('status'), T.success);
      await fits('the completed payment');
      const ids = await panel(page).getByRole('definition').evaluateAll((dds) => dds.map((d) => d.getBoundingClientRect().right));
      assert.ok(ids.every((right) => right <= 375), 'the long ids wrap inside the screen');
      await shot(page, `mobile-375-${lang}-recharge-completed`);
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });
}

/** axe-core's serious and critical violations on the page as it is: `[{ id, impact, help, targets }]`. */
async function axeProblems(page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations);
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
}

const VIEWPORTS = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 800 } };

for (const lang of LANGS) {
  for (const [device, viewport] of Object.entries(VIEWPORTS)) {
    test(`axe-core (${lang}, ${device}): no serious or critical violation on any tab, blank or with its errors shown`, async () => {
      const T = TEXT[lang];
      const { page, problems, close } = await openPage(env, { query: { lang }, viewport });
      try {
        const found = [];
        const check = async (where) => {
          for (const v of await axeProblems(page)) found.push({ where, ...v });
        };
        for (const [i, name] of T.tabs.entries()) {
          await page.getByRole('tab', { name, exact: true }).click();
          if (i === 3) await page.getByRole('radio', { name: T.gas }).waitFor();
          if (i === 4) await panel(page).getByRole('button').first().waitFor();
          await check(name);
          // The gateway forms with every error shown: aria-invalid, the errors described.
          if (i <= 2) {
            await panel(page).locator('button[type="submit"]').click();
            await panel(page).getByRole('alert').waitFor();
            await check(`${name}, errors shown`);
          }
        }
        // The bill form generated for a biller, with its errors, and a phone field.
        await page.getByRole('tab', { name: T.tabs[3], exact: true }).click();
        await page.getByRole('radio', { name: T.gas }).check();
        await page.getByRole('radio', { name: 'Bakhrabad Gas' }).check();
        await page.getByRole('button', { name: T.getBill }).click();
        await panel(page).getByRole('alert').waitFor();
        await check(`${T.tabs[3]}, a biller's form with errors`);
        assert.deepEqual(found, [], JSON.stringify(found, null, 2));
        assert.deepEqual(problems, []);
      } finally {
        await close();
      }
    });
  }
}

test('axe-core: a completed payment and its status panel (both languages)', async () => {
  for (const lang of LANGS) {
    const T = TEXT[lang];
    const token = await env.admin.account();
    const { page, close } = await openPage(env, { query: { token, lang }, viewport: VIEWPORTS.phone });
    try {
      await type(page.getByRole('textbox', { name: T.phone }), '01712345678');
      await type(page.getByRole('textbox', { name: T.amount }), '50');
      await page.getByRole('button', { name: T.recharge, exact: true }).click();
      await expectText(panel(page).getByRole('status'), T.success);
      const found = await axeProblems(page);
      assert.deepEqual(found, [], `${lang}: ${JSON.stringify(found, null, 2)}`);
    } finally {
      await close();
    }
  }
});
